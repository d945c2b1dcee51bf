"""Reviews: who approved which content of an episode, and the content keys approvals record.

Below both the batch (``batch --approved-only``, incremental skip keys) and the
studio (the review pages), so neither imports the other for it:

* :mod:`vidcoop.review.keys`: file hashes and the skip key of one output;
* :mod:`vidcoop.review.content`: an episode's content key and its required approvals;
* :mod:`vidcoop.review.book`: the week's reviews file and what counts as approved.
"""

from vidcoop.review.book import (
    APPROVE,
    APPROVED,
    CHANGED_SINCE_APPROVAL,
    CHANGES,
    CHANGES_REQUESTED,
    DECISIONS,
    IN_REVIEW,
    NOT_RENDERED,
    PREVIEW_READY,
    STATUSES,
    Review,
    ReviewBook,
    clean_name,
    current_approvers,
    review_status,
    reviews_path,
    same_person,
)
from vidcoop.review.content import Channels, content_key, input_dirs, required_approvals
from vidcoop.review.keys import FileHasher, output_key

__all__ = [
    "APPROVE",
    "APPROVED",
    "CHANGED_SINCE_APPROVAL",
    "CHANGES",
    "CHANGES_REQUESTED",
    "DECISIONS",
    "IN_REVIEW",
    "NOT_RENDERED",
    "PREVIEW_READY",
    "STATUSES",
    "Channels",
    "FileHasher",
    "Review",
    "ReviewBook",
    "clean_name",
    "content_key",
    "current_approvers",
    "input_dirs",
    "output_key",
    "required_approvals",
    "review_status",
    "reviews_path",
    "same_person",
]

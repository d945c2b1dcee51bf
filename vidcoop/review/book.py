"""Reviews: who approved which content of an episode, kept beside the week manifest.

One JSON file per week (``<week>.reviews.json`` beside ``<week>.yaml``), appended
to and rewritten atomically, so a stopped server never leaves half a file.
An approval records the episode's **content key**: the input hashes the batch
uses to skip unchanged work plus the caption file (:func:`vidcoop.review.content.content_key`).
When any input changes afterwards the key changes, and the
approval no longer counts: the status becomes ``changed since approval``.

No web code here: ``vidcoop status`` and ``vidcoop batch --approved-only`` read
the same file through these functions.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vidcoop.errors import ManifestError
from vidcoop.files import atomic_write_json

SCHEMA = "vidcoop.reviews"
VERSION = 1

APPROVE = "approve"
CHANGES = "changes"
DECISIONS = (APPROVE, CHANGES)

# Review status values, in the words of the week page (the catalogue translates them).
NOT_RENDERED = "not rendered"
PREVIEW_READY = "preview ready"
IN_REVIEW = "in review"
CHANGES_REQUESTED = "changes requested"
APPROVED = "approved"
CHANGED_SINCE_APPROVAL = "changed since approval"
STATUSES = (NOT_RENDERED, PREVIEW_READY, IN_REVIEW, CHANGES_REQUESTED, APPROVED, CHANGED_SINCE_APPROVAL)

_WRITE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Review:
    """One reviewer's decision on one episode's content.

    Attributes:
        episode: The episode's name in the week.
        reviewer: Who decided (as typed).
        decision: ``approve`` or ``changes``.
        key: The content key the reviewer saw.
        organisation: The reviewer's organisation (optional).
        comment: Free text (optional).
        row: For the job board: the jobs-file row that needs changes.
        at: When (UTC, ISO 8601).
    """

    episode: str
    reviewer: str
    decision: str
    key: str
    organisation: str = ""
    comment: str = ""
    row: int | None = None
    at: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Review:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


def reviews_path(week_manifest: str | Path) -> Path:
    """Where a week's reviews live: ``kw48.reviews.json`` beside ``kw48.yaml``."""
    p = Path(week_manifest)
    return p.with_name(f"{p.stem}.reviews.json")


@dataclass(frozen=True)
class ReviewBook:
    """All reviews of one week, oldest first."""

    path: Path
    reviews: tuple[Review, ...] = ()

    @classmethod
    def load(cls, path: str | Path) -> ReviewBook:
        """Read the reviews file; a missing file is an empty book.

        Raises:
            ManifestError: the file is not a vidcoop reviews file.
        """
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(p)
        except OSError as exc:
            raise ManifestError(f"cannot read reviews: {exc.strerror or exc}", path=p) from exc
        try:
            data = json.loads(text)
            items = data["reviews"] if data.get("schema") == SCHEMA else None
            if not isinstance(items, list):
                raise ValueError("not a reviews file")
            return cls(p, tuple(Review.from_dict(item) for item in items))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ManifestError(f"not a vidcoop reviews file ({exc})", path=p, field="reviews") from None

    @classmethod
    def for_week(cls, week_manifest: str | Path) -> ReviewBook:
        return cls.load(reviews_path(week_manifest))

    def add(self, review: Review) -> ReviewBook:
        """Append ``review`` to the file (re-read first, so parallel writers keep each other's reviews)."""
        if review.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}")
        stamped = review if review.at else Review(**{**asdict(review), "at": _now()})
        with _WRITE_LOCK:
            book = ReviewBook.load(self.path)
            items = (*book.reviews, stamped)
            atomic_write_json(self.path, {"schema": SCHEMA, "version": VERSION, "reviews": [asdict(r) for r in items]})
        return ReviewBook(self.path, items)

    def of(self, episode: str) -> tuple[Review, ...]:
        return tuple(r for r in self.reviews if r.episode == episode)

    def status(self, episode: str, key: str, required: int = 1) -> str | None:
        """The review part of an episode's status for content ``key``; None before any review."""
        return review_status(self.of(episode), key, required)

    def is_approved(self, episode: str, key: str, required: int = 1) -> bool:
        return self.status(episode, key, required) == APPROVED


def review_status(reviews: tuple[Review, ...], key: str, required: int = 1) -> str | None:
    """``approved``, ``changes requested``, ``in review``, ``changed since approval``, or None.

    Approvals count for the content they saw, once per reviewer, and only after the
    last change request on that same content.
    """
    if not reviews:
        return None
    approvers = current_approvers(reviews, key)
    if len(approvers) >= required:
        return APPROVED
    if reviews[-1].decision == CHANGES and reviews[-1].key == key:
        return CHANGES_REQUESTED
    if not approvers and any(r.decision == APPROVE and r.key != key for r in reviews):
        return CHANGED_SINCE_APPROVAL
    return IN_REVIEW


def current_approvers(reviews: tuple[Review, ...], key: str) -> set[str]:
    """Reviewers (case-folded) who approved content ``key`` after its last change request."""
    current = [r for r in reviews if r.key == key]
    last_change = max((i for i, r in enumerate(current) if r.decision == CHANGES), default=-1)
    return {r.reviewer.strip().casefold() for r in current[last_change + 1 :] if r.decision == APPROVE}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()

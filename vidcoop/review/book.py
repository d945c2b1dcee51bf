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

import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from vidcoop.datafiles import parse_json, read_text, validate
from vidcoop.errors import VidcoopError
from vidcoop.files import atomic_write_json, file_lock

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

# Characters that show nothing but are not Unicode format or control characters (fillers, blanks).
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cn", "Co", "Cs"})


@dataclass(frozen=True)
class Review:
    """One reviewer's decision on one episode's content.

    Attributes:
        episode: The episode's name in the week.
        reviewer: Who decided (as typed, after :func:`clean_name`).
        decision: ``approve`` or ``changes``.
        key: The content key the reviewer saw.
        organisation: The reviewer's organisation (optional).
        comment: Free text (optional).
        row: For the job board: the jobs-file row that needs changes.
        at: When (UTC, ISO 8601).
        open_rules: For an approval given anyway: how many cues broke subtitle rules then.
        open_words: For an approval given anyway: how many unsure words nobody had checked then.
        open_speech: For an approval given anyway: how many stretches of speech had no caption then.
            All are 0 for an approval without open points (and in files written before they existed).
    """

    episode: str
    reviewer: str
    decision: str
    key: str
    organisation: str = ""
    comment: str = ""
    row: int | None = None
    at: str = ""
    open_rules: int = 0
    open_words: int = 0
    open_speech: int = 0

    @property
    def approved_anyway(self) -> bool:
        """An approval the reviewer confirmed although cues broke rules, unsure words were unchecked or
        speech had no caption."""
        return self.decision == APPROVE and (self.open_rules > 0 or self.open_words > 0 or self.open_speech > 0)


class _ReviewEntry(BaseModel):
    """One review as stored (unknown keys of a later version are ignored; types are strict)."""

    model_config = ConfigDict(extra="ignore")

    episode: StrictStr
    reviewer: StrictStr
    decision: Literal["approve", "changes"]
    key: StrictStr
    organisation: StrictStr = ""
    comment: StrictStr = ""
    row: StrictInt | None = None
    at: StrictStr = ""
    open_rules: StrictInt = Field(0, ge=0)
    open_words: StrictInt = Field(0, ge=0)
    open_speech: StrictInt = Field(0, ge=0)


class _ReviewsFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    schema_: Literal["vidcoop.reviews"] = Field(alias="schema")
    version: StrictInt
    reviews: list[_ReviewEntry]


def clean_name(text: str) -> str:
    """A person's name as typed, made comparable: NFKC, invisible characters removed, spaces collapsed.

    "Anna\\u200b", full-width "Anna" and " Anna " are all "Anna"; a name of only invisible
    characters or spaces becomes "".
    """
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or (unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and ch not in _BLANKS)
    )
    name = " ".join(kept.split())
    return name if any(unicodedata.category(ch)[0] in "LN" for ch in name) else ""


def same_person(name: str) -> str:
    """The key under which approvals of one person count once (clean name, case-folded)."""
    return clean_name(name).casefold()


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
            ManifestError: the file is not UTF-8, not JSON, or not a vidcoop reviews file
                (naming the field, such as ``reviews.3.reviewer``).
        """
        p = Path(path)
        if not p.exists():
            return cls(p)
        data = validate(_ReviewsFile, parse_json(read_text(p, what="reviews file"), path=p), path=p)
        return cls(p, tuple(Review(**entry.model_dump()) for entry in data.reviews))

    @classmethod
    def for_week(cls, week_manifest: str | Path) -> ReviewBook:
        return cls.load(reviews_path(week_manifest))

    def add(self, review: Review) -> ReviewBook:
        """Append ``review`` to the file, re-read under a file lock so that parallel writers
        (threads, or studios in other processes on a shared folder) keep each other's reviews.

        Raises:
            VidcoopError: the reviewer's name is empty once invisible characters are removed.
            ManifestError: the file on disk is broken (it is left as it is).
        """
        if review.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}")
        if not clean_name(review.reviewer):
            raise VidcoopError("a reviewer's name is needed (letters or digits)", field="reviewer")
        stamped = review if review.at else Review(**{**asdict(review), "at": _now()})
        with file_lock(self.path.with_name(f".{self.path.name}.lock")):
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
    """Reviewers (by :func:`same_person`) who approved content ``key`` after its last change request."""
    current = [r for r in reviews if r.key == key]
    last_change = max((i for i, r in enumerate(current) if r.decision == CHANGES), default=-1)
    return {same_person(r.reviewer) for r in current[last_change + 1 :] if r.decision == APPROVE} - {""}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()

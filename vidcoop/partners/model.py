"""Partner self-service values: an invitation, a job listing, a sign-off; the errors the store raises.

A listing's ``fields`` use the job list's German column names, exactly as ``examples/jobs.csv``
heads them (:data:`HEADERS`), so a listing is a row of the file the job board already reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vidcoop.errors import VidcoopError

#: The job list's columns as partners and ``examples/jobs.csv`` name them, by canonical field.
HEADERS: dict[str, str] = {
    "title": "Titel", "partner": "Partner", "location": "Ort", "hours": "Arbeitszeit", "start": "Beginn",
    "description": "Beschreibung", "apply": "Bewerbung", "expires": "Gültig bis",
}
PARTNER_COLUMN = HEADERS["partner"]
#: The problem key for the listing's week (not a column of the job list).
WEEK_FIELD = "Woche"

DRAFT, SUBMITTED, ACCEPTED, REJECTED, WITHDRAWN = "draft", "submitted", "accepted", "rejected", "withdrawn"
STATUSES = (DRAFT, SUBMITTED, ACCEPTED, REJECTED, WITHDRAWN)
APPROVED, CHANGES_REQUESTED = "approved", "changes_requested"


@dataclass(frozen=True)
class Invitation:
    """A partner's personal link, as the editor sees it (never the token itself)."""

    partner_id: str
    created: datetime
    expires: datetime
    revoked: datetime | None
    last_used: datetime | None

    def active(self, now: datetime) -> bool:
        """Whether the link still opens: not revoked and not expired at ``now``."""
        return self.revoked is None and now < self.expires


@dataclass(frozen=True)
class Listing:
    """One job listing of one partner for one ISO week.

    Attributes:
        id: The store's number for it (the editor's queue and the partner's page name it).
        partner_id: The partner that owns it; its ``Partner`` column always says so.
        week: ISO week (``2026-W49``) the listing is meant for.
        fields: Column (German header name, :data:`HEADERS`) -> text, exactly as typed.
        status: ``draft``, ``submitted``, ``accepted``, ``rejected`` or ``withdrawn``.
        comment: The editor's reason when rejected (else empty).
        updated: When it last changed (UTC).
        version: Goes up with every change; a save naming an older one is refused (StaleListing).
    """

    id: int
    partner_id: str
    week: str
    fields: Mapping[str, str] = field(hash=False)
    status: str
    comment: str
    updated: datetime
    version: int

    def canonical(self) -> dict[str, str]:
        """The fields by canonical job-board name (``title``, ``apply`` ...)."""
        return {name: self.fields.get(header, "") for name, header in HEADERS.items()}


@dataclass(frozen=True)
class SignOff:
    """A partner's word on its cards of one week: ``approved`` or ``changes_requested``.

    ``content_hash`` names what the partner saw (its cards and credits); when the board is
    rendered again with other content, the sign-off no longer counts (:meth:`current_for`).
    """

    partner_id: str
    week: str
    state: str
    comment: str
    by: str
    when: datetime
    content_hash: str

    def current_for(self, content_hash: str) -> bool:
        """Whether this is an approval of exactly ``content_hash``."""
        return self.state == APPROVED and self.content_hash == content_hash


class PartnerError(VidcoopError):
    """A partner action that cannot be done (unknown partner, wrong state of a listing)."""


class NotYours(PartnerError):
    """The listing does not exist or belongs to another partner (one error for both: ids reveal nothing)."""

    def __init__(self, message: str = "no such listing", *, listing_id: int | None = None,
                 path: str | Path | None = None, field: str | None = None, hint: str | None = None) -> None:
        self.listing_id = listing_id
        super().__init__(message, path=path, field=field, hint=hint)

    def _kwargs(self) -> dict[str, Any]:
        return {**super()._kwargs(), "listing_id": self.listing_id}


class StaleListing(PartnerError):
    """The listing changed since the form was loaded (another tab, another person): nothing was saved."""

    def __init__(self, message: str, *, listing_id: int | None = None, expected: int | None = None,
                 current: int | None = None, path: str | Path | None = None, field: str | None = None,
                 hint: str | None = None) -> None:
        self.listing_id = listing_id
        self.expected = expected
        self.current = current
        super().__init__(message, path=path, field=field, hint=hint)

    def _kwargs(self) -> dict[str, Any]:
        return {**super()._kwargs(), "listing_id": self.listing_id, "expected": self.expected,
                "current": self.current}


class ListingInvalid(PartnerError):
    """The job board's own validation refused the listing; nothing was saved.

    Attributes:
        problems: Column (German header name, or ``Woche``) -> German message, for the form.
        problems_en: The same in English (the job board's own words).
    """

    def __init__(self, message: str, *, problems: Mapping[str, str] | None = None,
                 problems_en: Mapping[str, str] | None = None, path: str | Path | None = None,
                 field: str | None = None, hint: str | None = None) -> None:
        self.problems: dict[str, str] = dict(problems or {})
        self.problems_en: dict[str, str] = dict(problems_en or {})
        super().__init__(message, path=path, field=field or next(iter(self.problems), None), hint=hint)

    def _kwargs(self) -> dict[str, Any]:
        return {**super()._kwargs(), "problems": self.problems, "problems_en": self.problems_en}


class ListingState(PartnerError):
    """The listing's status does not allow this step (submitting an accepted listing, accepting a draft)."""


class OtherWeek(ListingState):
    """The listing is for another week than the job board it was to be accepted into.

    Attributes:
        week: The listing's week (``2026-W51``).
        board: The job board's week.
    """

    def __init__(self, message: str, *, week: str, board: str, path: str | Path | None = None,
                 field: str | None = "week", hint: str | None = None) -> None:
        self.week = week
        self.board = board
        super().__init__(message, path=path, field=field, hint=hint)

    def _kwargs(self) -> dict[str, Any]:
        return {**super()._kwargs(), "week": self.week, "board": self.board}

"""Job-board values: a validated job, a problem with one row, the report.

Rows are never dropped silently: every row of the input ends up either as a
:class:`Job` in ``ok``, as a :class:`Job` in ``expired`` or with at least one
:class:`JobRowIssue` in ``invalid``. Row numbers are the ones a person sees
when they open the file (header = line 1 in a spreadsheet, so the first job
is row 2; YAML/JSON lists count from 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vidcoop.jobboard.reasons import reason_text

# Canonical field names, in the order a card and a report show them.
FIELDS = ("title", "partner", "location", "hours", "start", "description", "apply", "expires")
REQUIRED = ("title", "partner", "location", "hours", "apply", "expires")


@dataclass(frozen=True)
class Contact:
    """Where to apply: a web address, an e-mail address or a phone number.

    Attributes:
        kind: ``url``, ``email`` or ``phone``.
        text: As written in the file (shown on the card, without ``https://``).
        target: What the QR code holds: the URL, ``mailto:...`` or ``tel:...``.
    """

    kind: str
    text: str
    target: str

    @property
    def display(self) -> str:
        """The text for the card: URLs without their scheme, the rest as written."""
        if self.kind == "url":
            return self.text.split("://", 1)[1].rstrip("/")
        return self.text


@dataclass(frozen=True)
class Job:
    """One validated job listing, text exactly as the partner wrote it.

    Attributes:
        row: Row number as the file shows it.
        title: Job title, including gender-inclusive forms as written.
        partner: Partner id from the channel's registry.
        location: Place of work.
        hours: Working hours or contract type (``Vollzeit``, ``Teilzeit 30 Std.``).
        start: Start date, or None when the file says ``ab sofort`` or nothing.
        start_text: How the start reads on the card (``ab 01.12.2026``, ``ab sofort``, ``""``).
        description: A short description (may be empty).
        apply: Where to apply.
        expires: Last day the listing is valid.
        source: The file it came from.
    """

    row: int
    title: str
    partner: str
    location: str
    hours: str
    start: date | None
    start_text: str
    description: str
    apply: Contact
    expires: date
    source: Path | None = field(default=None, compare=False)

    def fields(self, number: int | None = None) -> dict[str, str]:
        """Plain text values by field name, for card templates and content hashes.

        ``number`` is the job's number in this week's board ("Nr. 3"), shown on the card and on the
        link page so a viewer finds the job again; ``number`` is empty when not yet numbered.
        """
        return {
            "number": f"Nr. {number}" if number is not None else "",
            "title": self.title,
            "partner": self.partner,
            "location": self.location,
            "hours": self.hours,
            "start": self.start_text,
            "description": self.description,
            "apply": self.apply.display,
            "apply_target": self.apply.target,
            "expires": self.expires.strftime("%d.%m.%Y"),
        }


@dataclass(frozen=True)
class JobRowIssue:
    """Why one row cannot be shown.

    Attributes:
        row: Row number as the file shows it.
        field: Canonical field name (``title``), or ``row`` for the whole row.
        message: What is wrong, for a person (English).
        value: The offending value, shortened, if useful.
        key: The reason's key in :data:`vidcoop.jobboard.reasons.REASONS` ("" for a free message).
        params: The reason's values, as (name, text) pairs.
    """

    row: int
    field: str
    message: str
    value: str = ""
    key: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, row: int, field: str, key: str, value: str = "", **params: str) -> JobRowIssue:
        """The issue for reason ``key`` with its values (the English message made from them)."""
        return cls(row, field, reason_text(key, params), value, key, tuple(sorted(params.items())))

    def text(self, lang: str = "en") -> str:
        """The reason in ``lang`` (the English message for a free one)."""
        return reason_text(self.key, dict(self.params), lang) if self.key else self.message


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one file against a channel and a week.

    Attributes:
        ok: Jobs that will be shown, in file order.
        invalid: Every problem found, by row (a row may have several).
        expired: Valid jobs whose expiry date is before the reference date.
        reference: The date expiry is checked against (the week's Monday).
        source: The file, if any.
        total_rows: Rows read (blank rows are not counted, but listed in ``blank_rows``).
        labels: ``row -> (partner, title)`` as written, so invalid rows are recognisable.
    """

    ok: tuple[Job, ...]
    invalid: tuple[JobRowIssue, ...]
    expired: tuple[Job, ...]
    reference: date
    source: Path | None = None
    total_rows: int = 0
    blank_rows: tuple[int, ...] = ()
    labels: dict[int, tuple[str, str]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def invalid_rows(self) -> tuple[int, ...]:
        """Distinct row numbers that have at least one issue."""
        return tuple(sorted({i.row for i in self.invalid}))

    @property
    def has_errors(self) -> bool:
        return bool(self.invalid)

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """Table rows ``(row, status, partner, title, note)`` in row order; notes name the field."""
        out: list[tuple[int, str, str, str, str]] = []
        for job in self.ok:
            out.append((job.row, "ok", job.partner, job.title, f"bis {job.expires:%d.%m.%Y}"))
        for job in self.expired:
            out.append((job.row, "expired", job.partner, job.title, f"abgelaufen am {job.expires:%d.%m.%Y}"))
        for issue in self.invalid:
            partner, title = self.labels.get(issue.row, ("", ""))
            note = f"{issue.field}: {issue.message}" + (f": {issue.value!r}" if issue.value else "")
            out.append((issue.row, "invalid", partner, title, note))
        out.sort(key=lambda r: (r[0], r[1] != "invalid"))
        return [(str(r[0]), *r[1:]) for r in out]

    def summary(self) -> str:
        return (
            f"{len(self.ok)} ok, {len(self.invalid_rows)} invalid, {len(self.expired)} expired "
            f"(of {self.total_rows} rows; expiry checked against {self.reference:%d.%m.%Y})"
            + (f"; blank rows skipped: {', '.join(map(str, self.blank_rows))}" if self.blank_rows else "")
        )

    def text(self) -> str:
        """A plain-text table, readable in a log or an e-mail to the partner."""
        header = ("row", "status", "partner", "title", "note")
        rows = [header, *self.rows()]
        widths = [min(40, max(len(r[i]) for r in rows)) for i in range(4)]
        lines = []
        for r in rows:
            cells = [r[i][: widths[i]].ljust(widths[i]) for i in range(4)]
            lines.append("  ".join([*cells, r[4]]).rstrip())
        title = f"Job listings: {self.source}" if self.source else "Job listings"
        return "\n".join([title, *lines, self.summary()]) + "\n"

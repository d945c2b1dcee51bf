"""ISO weeks: which week a job board is for, and how its dates read in German."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from vidcoop.errors import ManifestError

MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)

DASH = "\u2013"  # en dash, as German typesetting uses for ranges

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    """An ISO week (Monday to Sunday)."""

    year: int
    number: int

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def label_de(self) -> str:
        """``KW 48/2026``, as German readers write a calendar week (posts, the link page)."""
        return f"KW {self.number}/{self.year}"

    def date_range_de(self) -> str:
        """``23.\u201329. November 2026``; months and years only repeat when they change."""
        a, b = self.monday, self.sunday
        end = f"{b.day}. {MONTHS_DE[b.month - 1]} {b.year}"
        if a.year != b.year:
            return f"{a.day}. {MONTHS_DE[a.month - 1]} {a.year} {DASH} {end}"
        if a.month != b.month:
            return f"{a.day}. {MONTHS_DE[a.month - 1]} {DASH} {end}"
        return f"{a.day}.{DASH}{end}"


def parse_week(value: str | date | Week | None, *, today: date | None = None) -> Week:
    """``2026-W48``, ``2026W48``, any date inside the week, or None for the current week."""
    if isinstance(value, Week):
        return value
    if value is None:
        value = today or date.today()
    if isinstance(value, date):
        iso = value.isocalendar()
        return Week(iso[0], iso[1])
    text = str(value).strip()
    match = _WEEK.match(text)
    if match:
        year, number = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ManifestError(f"{text!r} is not a week of {year}", field="week") from None
        return Week(year, number)
    try:
        return parse_week(date.fromisoformat(text))
    except ValueError:
        raise ManifestError(
            f"not a week: {text!r}", field="week", hint="use e.g. 2026-W48 or 2026-11-23"
        ) from None

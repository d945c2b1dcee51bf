"""The week's posting plan: what goes out on which day, the cadence gaps, and ``week.ics``.

A channel lives from regular posts; when they stop, the community goes. So the plan shows the
gaps: with ``cadence: {erklaervideo: 2, stellenboerse: 1}`` in channel.yaml, a week with one
planned explainer warns "erklaervideo: 1 of 2 planned this week". The calendar file lets the team
see the plan in its own calendar, one event per planned post with the files to post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from vidcoop.errors import ManifestError
from vidcoop.files import atomic_write_bytes
from vidcoop.jobboard.week import parse_week

if TYPE_CHECKING:
    from vidcoop.channel.config import Channel

EVENT_MINUTES = 15


@dataclass(frozen=True)
class PlannedPost:
    """One episode as the plan sees it.

    Attributes:
        name: The episode's output name.
        title: Its title.
        format: Its channel format, if any.
        at: Planned publishing time (time-zone aware), or None when not planned.
        files: The files to post (video, cover, captions, post texts), as planned in the output folder.
        entry: The week manifest entry it comes from (``episodes.0``, ``jobboard``); parts share one.
    """

    name: str
    title: str
    format: str | None
    at: datetime | None
    files: tuple[Path, ...] = ()
    entry: str = ""


@dataclass(frozen=True)
class CadenceGap:
    """Fewer posts of a format planned than the channel's cadence asks for."""

    format: str
    planned: int
    wanted: int

    @property
    def message(self) -> str:
        return f"{self.format}: {self.planned} of {self.wanted} planned this week"


@dataclass(frozen=True)
class WeekPlan:
    """The week's posts and the gaps in them."""

    week: str
    posts: tuple[PlannedPost, ...]
    gaps: tuple[CadenceGap, ...] = ()
    unscheduled: tuple[str, ...] = field(default=())

    def by_day(self) -> list[tuple[date | None, list[PlannedPost]]]:
        """Posts grouped by publishing day in time order; unplanned ones last (day None)."""
        days: dict[date | None, list[PlannedPost]] = {}
        for post in sorted(self.posts, key=lambda p: (p.at is None, p.at or datetime.min, p.name)):
            days.setdefault(post.at.date() if post.at else None, []).append(post)
        return list(days.items())

    def warnings(self) -> list[str]:
        """Cadence gaps and unplanned episodes, one line each."""
        lines = [g.message for g in self.gaps]
        lines += [f"{name}: no publish time in the week manifest" for name in self.unscheduled]
        return lines


def cadence_gaps(posts: tuple[PlannedPost, ...], channel: Channel | None) -> tuple[CadenceGap, ...]:
    """Formats with fewer planned posts (counted per week entry, so job-board parts count once)."""
    if channel is None:
        return ()
    gaps = []
    for fmt, wanted in sorted(channel.publish.cadence.items()):
        entries = {p.entry for p in posts if p.format == fmt and p.at is not None}
        if len(entries) < wanted:
            gaps.append(CadenceGap(fmt, len(entries), wanted))
    return tuple(gaps)


def make_plan(week: str, posts: list[PlannedPost], channel: Channel | None) -> WeekPlan:
    """The plan for ``posts`` with the channel's cadence checked."""
    frozen = tuple(posts)
    unscheduled = tuple(sorted({p.name for p in frozen if p.at is None}))
    return WeekPlan(week, frozen, cadence_gaps(frozen, channel), unscheduled)


def localise(at: datetime | None, zone: str, *, path: str | Path | None = None,
             field: str | None = None) -> datetime | None:
    """A naive manifest time read as the channel's local time; aware times (with an offset) are kept.

    A wall time the clocks skip (02:30 on the spring-forward Sunday in Europe/Berlin) is refused, not
    moved: a post would go out at a time nobody wrote. A wall time that happens twice (02:30 on the
    fall-back Sunday) is the first of the two, still on summer time (``fold=0``); write the offset
    (``2026-10-25T02:30:00+01:00``) for the second.

    Raises:
        ManifestError: ``at`` does not exist in ``zone``, naming ``path`` and ``field``.
    """
    if at is None or at.tzinfo is not None:
        return at
    from zoneinfo import ZoneInfo

    local = at.replace(tzinfo=ZoneInfo(zone), fold=0)
    # A skipped wall time does not survive the round trip through UTC: 02:30 comes back as 03:30.
    if local.astimezone(timezone.utc).astimezone(local.tzinfo).replace(tzinfo=None) != at.replace(fold=0):
        raise ManifestError(
            f"{at:%Y-%m-%d %H:%M} does not exist in {zone}: the clocks skip that hour (summer time begins)",
            path=path, field=field, hint="give a time outside the skipped hour, e.g. one hour later",
        )
    return local


def shown_week(label: str) -> str:
    """A week as people read it (``KW 48/2026``); a label that is no ISO week (``kw48``) as it is."""
    try:
        return parse_week(label).label_de
    except ManifestError:
        return label


def ics_bytes(plan: WeekPlan, channel_name: str) -> bytes:
    """An iCalendar file (RFC 5545, via the ``icalendar`` library): one event per planned post."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//vidcoop//posting plan//DE")
    cal.add("version", "2.0")
    week = shown_week(plan.week)
    cal.add("x-wr-calname", f"{channel_name} \u2013 {week}" if channel_name else week)
    for post in plan.posts:
        if post.at is None:
            continue
        event = Event()
        event.add("uid", f"{post.name}-{plan.week}@vidcoop")
        event.add("summary", f"Posten: {post.title or post.name}")
        event.add("dtstart", post.at)
        event.add("dtend", post.at + timedelta(minutes=EVENT_MINUTES))
        event.add("dtstamp", post.at)
        files = "\n".join(f"- {p.name}" for p in post.files)
        event.add("description", f"Folge {post.name} ({post.format or 'ohne Format'})\nDateien:\n{files}")
        cal.add_component(event)
    if hasattr(cal, "add_missing_timezones"):
        cal.add_missing_timezones()
    return bytes(cal.to_ical())


def write_ics(plan: WeekPlan, path: Path, channel_name: str = "") -> Path:
    """Write the plan as ``path`` (``week.ics``) atomically."""
    return atomic_write_bytes(path, ics_bytes(plan, channel_name))

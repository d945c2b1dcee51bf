"""The week's plan: days, cadence gaps, and week.ics (parsed back with the icalendar library)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from vidcoop.batch.manifest import load_week, resolve_episodes
from vidcoop.batch.publish import publish_week, week_plan
from vidcoop.publish.plan import PlannedPost, ics_bytes, make_plan


def _items(week):
    items = []
    for entry in week.entries:
        for ep in resolve_episodes(week, entry):
            items.append((entry, ep.name, ep))
    return items


def test_cadence_gap_is_a_warning(channel) -> None:
    at = datetime(2026, 11, 24, 17).astimezone()
    posts = [PlannedPost("a", "A", "erklaervideo", at, entry="episodes.0"),
             PlannedPost("b", "B", "stellenboerse", at, entry="jobboard"),
             PlannedPost("b2", "B2", "stellenboerse", at, entry="jobboard"),
             PlannedPost("c", "C", "erklaervideo", None, entry="episodes.1")]
    plan = make_plan("2026-W48", posts, channel)
    assert plan.warnings() == ["erklaervideo: 1 of 2 planned this week", "c: no publish time in the week manifest"]
    assert [day for day, _ in plan.by_day()] == [at.date(), None]


def test_example_week_plan_ics_and_link_page(example: Path, tmp_path: Path, monkeypatch, short_video: Path) -> None:
    from icalendar import Calendar

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    week = load_week(example / "week.yaml")
    items = _items(week)
    plan = week_plan(week, items)
    assert plan.week == "2026-W48"
    assert plan.warnings() == ["erklaervideo: 1 of 2 planned this week"]
    days = plan.by_day()
    assert [str(d) for d, _ in days] == ["2026-11-24", "2026-11-26"]

    # Stand-ins for rendered videos, then the publishing step as the batch runs it.
    for _entry, name, _ep in items:
        week.output.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(short_video, week.output / f"{name}.mp4")
    done = publish_week(week, items)
    assert not done.errors and not done.skipped
    names = {p.name for p in done.written}
    assert {"was-ist-buergergeld.post.json", "was-ist-buergergeld.post.md", "stellenboerse-kw48.post.json",
            "week.ics", "index.html", "2026-W48.html"} <= names

    cal = Calendar.from_ical((week.output / "week.ics").read_bytes())
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e.get("summary")) for e in events] == ["Posten: Was ist Bürgergeld?",
                                                       f"Posten: {items[1][2].title}"]
    start = events[0].decoded("dtstart")
    assert start.isoformat() == "2026-11-24T17:00:00+01:00" and str(start.tzinfo) == "Europe/Berlin"
    assert "was-ist-buergergeld.mp4" in str(events[0].get("description"))
    assert "was-ist-buergergeld.post.md" in str(events[0].get("description"))
    assert cal.walk("VTIMEZONE"), "the calendar carries its time zone"
    assert str(cal.get("x-wr-calname")) == "Wege zum Job \u2013 KW 48/2026"  # as on the link page and the posts


def test_ics_without_planned_posts_is_still_a_calendar() -> None:
    from icalendar import Calendar

    plan = make_plan("2026-W01", [PlannedPost("a", "A", None, None)], None)
    cal = Calendar.from_ical(ics_bytes(plan, ""))
    assert cal.walk("VEVENT") == []


# --- local times the clocks skip or repeat (issue #31, item 23) --------------------------------------


def test_a_skipped_local_time_is_refused_naming_file_and_field() -> None:
    import pytest

    from vidcoop.errors import ManifestError
    from vidcoop.publish.plan import localise

    # 2026-03-29: Europe/Berlin goes from 02:00 CET straight to 03:00 CEST.
    with pytest.raises(ManifestError) as info:
        localise(datetime(2026, 3, 29, 2, 30), "Europe/Berlin", path="week.yaml", field="episodes.0.publish")
    assert info.value.path == "week.yaml" and info.value.field == "episodes.0.publish"
    assert "2026-03-29 02:30 does not exist in Europe/Berlin" in str(info.value)
    # Either side of the gap is fine.
    assert localise(datetime(2026, 3, 29, 1, 59), "Europe/Berlin").utcoffset().total_seconds() == 3600
    assert localise(datetime(2026, 3, 29, 3, 0), "Europe/Berlin").utcoffset().total_seconds() == 7200


def test_a_repeated_local_time_is_the_first_one_on_summer_time() -> None:
    from datetime import timedelta, timezone

    from vidcoop.publish.plan import localise

    # 2026-10-25: 02:00-03:00 happens twice in Europe/Berlin (CEST, then CET). Documented: the first.
    at = localise(datetime(2026, 10, 25, 2, 30), "Europe/Berlin")
    assert at is not None and at.utcoffset() == timedelta(hours=2)
    assert at.astimezone(timezone.utc) == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)
    # The second one is written with its offset, and kept as written.
    second = datetime(2026, 10, 25, 2, 30, tzinfo=timezone(timedelta(hours=1)))
    assert localise(second, "Europe/Berlin") is second


def test_batch_check_refuses_a_skipped_publish_time_before_rendering(example: Path, tmp_path: Path,
                                                                      monkeypatch) -> None:
    from vidcoop.batch import check_week

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    week = example / "week.yaml"
    text = week.read_text(encoding="utf-8")
    text = text.replace("publish: 2026-11-24 17:00", "publish: 2026-03-29 02:30")
    week.write_text(text[: text.index("jobboard:")], encoding="utf-8")  # the explainer alone
    report = check_week(week)
    (row,) = report.episodes
    assert row.status == "failed" and row.error is not None
    assert str(week) in row.error and "[episodes.0.publish]" in row.error
    assert "does not exist in Europe/Berlin" in row.error

"""Rotation over weeks: four example job boards, three partners, slot counts within one."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vidcoop.channel.config import Channel
from vidcoop.channel.report import ReportInputs, load_reports, partner_totals, write_report
from vidcoop.cli.report import report as report_cli

from .conftest import EXAMPLE_CHANNEL, REPO

WEEKS = ("2026-W48", "2026-W49", "2026-W50", "2026-W51")
MONDAY = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)


@pytest.mark.slow  # builds and checks four job boards as rendered (about 13 s)
def test_four_example_weeks_share_the_bumper_slots(channel: Channel, tmp_path: Path) -> None:
    import vidcoop.jobboard as jobboard
    from vidcoop.jobboard.episode import probed_length
    from vidcoop.jobboard.parts import BoardOptions

    for n, week in enumerate(WEEKS):
        past = tuple(load_reports(tmp_path))
        table = jobboard.validate(REPO / "examples" / "jobs.csv", channel, week)
        options = BoardOptions(cards_dir=tmp_path / "cards", past_reports=past)
        for episode in jobboard.build_episode(table, channel, week, options=options):
            out = tmp_path / week / f"{episode.name}.mp4"
            out.parent.mkdir(exist_ok=True)
            write_report(
                out,
                episode,
                ReportInputs(durations=probed_length, channel=channel),
                created=MONDAY + timedelta(weeks=n),
            )
    reports = load_reports(tmp_path)
    assert len(reports) == 4
    totals = partner_totals(reports, channel.partners)
    slots = {pid: t.bumper_slots for pid, t in totals.items()}
    assert sum(slots.values()) >= 8 and max(slots.values()) - min(slots.values()) <= 1, slots
    assert all(t.card_seconds > 0 and t.unlabelled == 0 for t in totals.values())

    cli = CliRunner().invoke(
        report_cli,
        [
            str(tmp_path),
            "--since",
            "2026-11-23",
            "--until",
            "2026-12-20",
            "--channel",
            str(EXAMPLE_CHANNEL),
            "--next",
            "3",
            "--json",
        ],
    )
    assert cli.exit_code == 0, cli.output
    data: dict[str, Any] = json.loads(cli.output)
    rows = {r["id"]: r for r in data["partners"]}
    assert abs(sum(r["bumper_slot_share"] for r in rows.values()) - 1) < 0.01
    assert {pid: r["bumper_slots"] for pid, r in rows.items()} == slots
    assert sorted(data["next"]) == sorted(channel.partners)  # three slots: everyone once
    table_out = CliRunner().invoke(report_cli, [str(tmp_path), "--channel", str(EXAMPLE_CHANNEL)]).output
    assert "bumper slots" in table_out and "card seconds" in table_out


def test_next_evens_out_fewer_slots_than_partners(channel: Channel, tmp_path: Path) -> None:
    """Two slots a week for three partners: what --next picks keeps counts within one."""
    for n in range(4):
        cli = CliRunner().invoke(
            report_cli, [str(tmp_path), "--channel", str(EXAMPLE_CHANNEL), "--next", "2", "--json"]
        )
        picks = json.loads(cli.output)["next"]
        partners = [
            {"id": pid, "screen_time": 2.0, "appearances": [{"kind": "bumper", "source": "segment", "length": 2.0}]}
            for pid in picks
        ]
        stamp = (MONDAY + timedelta(weeks=n)).isoformat()
        (tmp_path / f"w{n}.report.json").write_text(
            json.dumps({"created": stamp, "partners": partners}), encoding="utf-8"
        )
        slots = [t.bumper_slots for t in partner_totals(load_reports(tmp_path), channel.partners).values()]
        assert max(slots) - min(slots) <= 1

"""No job row dropped silently: the example's 8 rows, 3 not shown (unknown partner, expired, invalid),
are named with partner and reason in ``vidcoop batch`` output, batch-report.json and ``vidcoop report``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.cli.batch import batch
from vidcoop.cli.report import report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOBS = EXAMPLES / "jobs.csv"
CHANNEL = EXAMPLES / "channel" / "channel.yaml"
# row -> (partner, a word of the reason): the example's three rows the board does not show
LEFT_OUT = {7: ("paritaetischer-musterstadt", "abgelaufen"), 8: ("awo-musterstadt", "unknown partner"),
            9: ("paritaetischer-musterstadt", "31.11.2026")}

pytestmark = [pytest.mark.slow,  # the job board draws its cards
              pytest.mark.skipif(not JOBS.is_file(), reason="example channel not present")]


def test_the_example_has_eight_rows_and_three_bad_ones() -> None:
    from vidcoop import jobboard

    checked = jobboard.validate(JOBS, CHANNEL, "2026-W48")
    assert checked.total_rows == 8 and len(checked.ok) == 5
    assert set(checked.invalid_rows) | {j.row for j in checked.expired} == set(LEFT_OUT)


def test_batch_output_and_report_name_every_row_not_shown(fake_render: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    week = tmp_path / "week.yaml"
    week.write_text(
        "version: 1\noutput: out\ncovers: false\n"
        f"jobboard: {{jobs: {JOBS}, channel: {CHANNEL}, week: 2026-W48, name: stellen}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(batch, [str(week), "--final", "--all", "--quiet", "--scheduler", "inline"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "job rows not shown (3)" in text
    for row, (partner, why) in LEFT_OUT.items():
        line = next(line for line in text.splitlines() if line.strip().startswith(f"row {row} "))
        assert partner in line and why in line, line
    data = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    for episode in data["episodes"]:
        rows = {r["row"]: r for r in episode["left_out"]}
        assert set(rows) == set(LEFT_OUT)
        for row, (partner, why) in LEFT_OUT.items():
            assert rows[row]["partner"] == partner and why in rows[row]["reason"]
        assert {rows[r]["status"] for r in rows} == {"expired", "invalid"}
    checked = CliRunner().invoke(batch, [str(week), "--check"])
    assert checked.exit_code == 0 and "job rows not shown (3)" in checked.output, checked.output


def test_vidcoop_report_lists_rows_not_shown(tmp_path: Path, monkeypatch) -> None:
    from vidcoop import jobboard
    from vidcoop.channel.report import ReportInputs, write_report

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    checked = jobboard.validate(JOBS, CHANNEL, "2026-W48")
    episodes = jobboard.build_episode(checked, CHANNEL, "2026-W48")
    for episode in episodes:
        write_report(tmp_path / "out" / f"{episode.name}.mp4", episode, ReportInputs())
    shown = CliRunner().invoke(report, [str(tmp_path / "out")])
    assert shown.exit_code == 0, shown.output
    assert "Job rows not shown (3)" in shown.output
    assert "awo-musterstadt" in shown.output and "abgelaufen" in shown.output
    as_json = json.loads(CliRunner().invoke(report, [str(tmp_path / "out"), "--json"]).output)
    assert {(r["row"], r["partner"]) for r in as_json["left_out"]} == {(r, p) for r, (p, _) in LEFT_OUT.items()}
    assert all(r["week"] == "2026-W48" for r in as_json["left_out"])


def test_a_board_with_no_row_left_names_every_row_and_why(tmp_path: Path) -> None:
    from vidcoop import jobboard
    from vidcoop.errors import ManifestError

    jobs = tmp_path / "jobs.csv"
    lines = JOBS.read_text(encoding="utf-8-sig").splitlines()
    jobs.write_text("\n".join([lines[0], *lines[6:]]) + "\n", encoding="utf-8")  # only the three bad rows
    checked = jobboard.validate(jobs, CHANNEL, "2026-W48")
    with pytest.raises(ManifestError) as info:
        jobboard.build_episode(checked, CHANNEL, "2026-W48")
    text = str(info.value)
    for row, (partner, _) in LEFT_OUT.items():
        assert f"row {row - 5} ({partner})" in text, text

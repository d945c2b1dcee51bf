"""Batch output says what ``status`` says (cadence gaps) and times that add up (or says why not)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.cli.batch import batch

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow  # the job board draws its cards
@pytest.mark.skipif(not (EXAMPLES / "week.yaml").is_file(), reason="example channel not present")
def test_batch_prints_the_cadence_gap_that_status_shows(fake_render: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    week = root / "week.yaml"
    gap = "warning: erklaervideo: 1 of 2 planned this week"  # the channel wants 2 explainers a week
    checked = CliRunner().invoke(batch, [str(week), "--check"])
    assert checked.exit_code == 0, checked.output
    assert gap in checked.output
    ran = CliRunner().invoke(batch, [str(week), "--final", "--all", "--quiet", "--scheduler", "inline"])
    assert ran.exit_code == 0, ran.output
    assert gap in ran.stderr
    saved = json.loads((root / "out" / "kw48" / "batch-report.json").read_text(encoding="utf-8"))
    assert "erklaervideo: 1 of 2 planned this week" in saved["warnings"]


def test_render_times_add_up_to_the_wall_time_when_one_runs_at_a_time(fake_render: Path, make_week,
                                                                        monkeypatch) -> None:
    monkeypatch.setenv("VIDCOOP_FAKE_SLEEP", "0.5")
    week = make_week(("ep1", "ep2"))
    result = CliRunner().invoke(batch, [str(week), "--final", "--all", "--quiet", "--scheduler", "inline"])
    assert result.exit_code == 0, result.output
    saved = json.loads((week.parent / "out" / "batch-report.json").read_text(encoding="utf-8"))
    per_episode = sum(e["seconds"] for e in saved["episodes"])
    assert saved["render_seconds"] == pytest.approx(per_episode, abs=0.01)
    assert 1.0 <= per_episode <= saved["seconds"]  # one at a time: the parts fit in the whole
    assert "side by side" not in result.output


def test_overlapping_render_times_are_said(capsys) -> None:
    from vidcoop.batch.report import BatchReport, EpisodeOutcome, OutputOutcome
    from vidcoop.cli.batch import _print_table

    def episode(name: str, video: float, cover: float) -> EpisodeOutcome:
        outs = (OutputOutcome("final", Path(f"{name}.mp4"), "rendered", video),
                OutputOutcome("cover", Path(f"{name}.cover.jpg"), "rendered", cover))
        return EpisodeOutcome(name, name, "rendered", video + cover, outs)

    # The numbers: a video and its cover rendered at once, 211.9 s of work in 201.7 s.
    report = BatchReport(Path("week.yaml"), (episode("ep", 200.0, 11.9),), 201.7, "local", 2)
    _print_table(report)
    out = capsys.readouterr().out
    assert "1 rendered in 201.7s (wall time; the render times above add up to 211.9s because 2 worker(s) " \
           "rendered outputs side by side)" in out
    assert report.to_dict()["render_seconds"] == 211.9

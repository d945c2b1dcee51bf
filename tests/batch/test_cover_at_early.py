"""A cover time past the episode's end fails that episode before anything renders (issue #9)."""

from __future__ import annotations

from pathlib import Path

from vidcoop.batch import BatchOptions, run_batch


def test_cover_time_past_the_end_fails_before_the_video_renders(fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "ep2"), covers=True)
    text = week.read_text(encoding="utf-8").replace(
        "  - episodes/ep2.yaml", "  - {path: episodes/ep2.yaml, cover_at: 999}"
    )
    week.write_text(text, encoding="utf-8")
    report = run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline"))
    status = {e.name: e.status for e in report.episodes}
    assert status == {"ep1": "rendered", "ep2": "failed"}
    bad = next(e for e in report.episodes if e.name == "ep2")
    assert bad.error_type == "ManifestError"
    assert "cover time 999.000s is outside the episode" in (bad.error or "")
    assert "cover_at" in (bad.error or "") and str(week) in (bad.error or "")
    renders = fake_render.read_text(encoding="utf-8").split()
    assert not any(r.startswith("ep2") for r in renders)  # nothing rendered for it

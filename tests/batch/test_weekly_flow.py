"""The weekly flow: a plain batch renders previews for the review, ``--final`` the approved episodes' finals,
``--final --all`` every episode's finals at once."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from vidcoop.batch import BatchOptions, load_week, run_batch
from vidcoop.batch.manifest import week_episodes
from vidcoop.channel.config import ChannelCache
from vidcoop.cli.batch import batch
from vidcoop.review import APPROVE, FileHasher, Review, ReviewBook, content_key


def _renders(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def _approve(week: Path, name: str) -> None:
    """Approve ``name`` for its current content, as the studio does."""
    wk = load_week(week)
    found = next(f for f in week_episodes(wk) if f.name == name)
    assert found.episode is not None
    key = content_key(found.episode, FileHasher(exclude=[wk.output]), ChannelCache(), wk.brand_kit)
    ReviewBook.for_week(week).add(Review(episode=name, reviewer="Anna", decision=APPROVE, key=key))


def test_batch_renders_previews_then_final_renders_only_the_approved_finals(fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "ep2"), profiles=("final",))
    out = week.parent / "out"

    previews = CliRunner().invoke(batch, [str(week), "--quiet", "--scheduler", "inline"])
    assert previews.exit_code == 0, previews.output
    assert sorted(p.name for p in out.glob("*.mp4")) == ["ep1.preview.mp4", "ep2.preview.mp4"]
    assert _renders(fake_render) == ["ep1:preview", "ep2:preview"]  # the week's profiles: name only the finals
    assert f"vidcoop batch {week} --final" in previews.output

    waiting = CliRunner().invoke(batch, [str(week), "--final", "--quiet", "--scheduler", "inline"])
    assert waiting.exit_code == 0, waiting.output
    assert [e["status"] for e in json.loads((out / "batch-report.json").read_text())["episodes"]] == [
        "awaiting review", "awaiting review"]
    assert not (out / "ep1.mp4").exists() and len(_renders(fake_render)) == 2

    _approve(week, "ep2")
    finals = CliRunner().invoke(batch, [str(week), "--final", "--quiet", "--scheduler", "inline"])
    assert finals.exit_code == 0, finals.output
    assert _renders(fake_render)[2:] == ["ep2:final"]
    assert (out / "ep2.mp4").is_file() and not (out / "ep1.mp4").exists()
    assert json.loads((out / "ep2.mp4").read_text())["profile"] == "final"

    again = run_batch(week, BatchOptions(scheduler="inline"))  # the previews are up to date: nothing renders
    assert [e.status for e in again.episodes] == ["skipped", "skipped"] and len(_renders(fake_render)) == 3


def test_final_all_renders_every_finals_and_approved_only_is_final(fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "ep2"), profiles=("final", "preview"))
    alias = run_batch(week, BatchOptions(scheduler="inline", approved_only=True))
    assert [e.status for e in alias.episodes] == ["awaiting review"] * 2 and _renders(fake_render) == []

    every = CliRunner().invoke(batch, [str(week), "--final", "--all", "--quiet", "--scheduler", "inline"])
    assert every.exit_code == 0, every.output
    assert sorted(_renders(fake_render)) == ["ep1:final", "ep1:preview", "ep2:final", "ep2:preview"]
    assert "--final" not in every.output  # no "next step" after the finals


def test_all_without_final_is_refused_before_any_work(fake_render: Path, make_week) -> None:
    week = make_week(("ep1",))
    result = CliRunner().invoke(batch, [str(week), "--all", "--quiet", "--scheduler", "inline"])
    assert result.exit_code == 2 and "--all goes with --final" in result.output
    assert _renders(fake_render) == [] and not (week.parent / "out").exists()

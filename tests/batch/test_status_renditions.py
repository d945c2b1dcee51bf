"""``vidcoop status`` lists each picture shape an episode is posted in (#30), with its final video and its
preview each current, stale or missing, by the batch's own record of the key each was made under.

The finals of several shapes are made by ``pipeline.render_renditions`` (one ffmpeg run); here a stand-in
writes each shape's file, so the batch records them as it does after a real run. The 9:16 preview goes
through the batch's fake render (tests/batch/batch_fakes.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vidcoop.batch import BatchOptions, run_batch
from vidcoop.cli.status import status
from vidcoop.files import atomic_write_text

SHAPES = ["9:16", "1:1", "16:9"]


@dataclass(frozen=True)
class _Made:
    output: Path
    warnings: tuple[str, ...] = ()


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """``render_renditions`` replaced: each call's shapes are recorded, each shape's file written."""
    import vidcoop.pipeline

    calls: list[tuple[str, ...]] = []

    def fake(episode: Any, outputs: dict[str, Path], **_: Any) -> list[_Made]:
        calls.append(tuple(outputs))
        for shape, path in outputs.items():
            atomic_write_text(path, json.dumps({"episode": episode.name, "shape": shape}))
        return [_Made(path) for path in outputs.values()]

    monkeypatch.setattr(vidcoop.pipeline, "render_renditions", fake)
    return calls


def _status(week: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """``vidcoop status --json``: per episode, each shape's (final, preview) state."""
    result = CliRunner().invoke(status, [str(week), "--json"])
    assert result.exit_code == 0, result.output
    return {row["name"]: {r["shape"]: (r["final"], r["preview"]) for r in row["renditions"]}
            for row in json.loads(result.output)["episodes"]}


def test_status_lists_each_rendition_current_stale_or_missing(fake_render: Path, make_week: Any,
                                                              made: list[tuple[str, ...]]) -> None:
    week = make_week(("ep1", "ep2"), profiles=("final", "preview"))
    manifest = week.parent / "episodes" / "ep1.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + f"renditions: {json.dumps(SHAPES)}\n",
                        encoding="utf-8")
    missing = ("missing", "missing")
    assert _status(week) == {"ep1": dict.fromkeys(SHAPES, missing), "ep2": {"9:16": missing}}

    run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline"))
    run_batch(week, BatchOptions(all_episodes=True, scheduler="inline"))  # the 9:16 previews
    assert made == [tuple(SHAPES)]
    # the batch's 9:16 preview counts for the episode that asks for renditions too; the others are the studio's
    assert _status(week) == {"ep1": {"9:16": ("current", "current"), "1:1": ("current", "missing"),
                                     "16:9": ("current", "missing")},
                             "ep2": {"9:16": ("current", "current")}}

    # a change to the 1:1 layout only: only the 1:1 final is stale; a deleted 16:9 file is missing
    text = manifest.read_text(encoding="utf-8")
    assert "  - source: ../clips/ep1.mp4\n" in text
    manifest.write_text(text.replace("  - source: ../clips/ep1.mp4\n",
                                     "  - source: ../clips/ep1.mp4\n"
                                     '    reframe: {mode: crop, shapes: {"1:1": {mode: fit-pad}}}\n'),
                        encoding="utf-8")
    (week.parent / "out" / "ep1.16x9.mp4").unlink()
    assert _status(week)["ep1"] == {"9:16": ("current", "current"), "1:1": ("stale", "missing"),
                                    "16:9": ("missing", "missing")}

    # a caption-free edit every shape shows: every final and the batch's preview are stale
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("title: ep1", "title: Neu"), encoding="utf-8")
    assert _status(week)["ep1"] == {"9:16": ("stale", "stale"), "1:1": ("stale", "missing"),
                                    "16:9": ("missing", "missing")}

    table = CliRunner().invoke(status, [str(week)])
    assert table.exit_code == 0, table.output
    assert "9:16: final stale, preview stale" in table.output
    assert "16:9: final missing, preview missing" in table.output
    assert "renditions" in table.output

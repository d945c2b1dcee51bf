"""A full disk during cover, report, state and video writes: an error naming the file, no half file.

Each test mounts a small tmpfs (root only; skipped with the reason elsewhere)
and checks that the final path holds either nothing or its previous content,
and that no temp file is left beside it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from vidcoop.batch.state import STATE_NAME, BatchState
from vidcoop.errors import OutputError, RenderError
from vidcoop.files import atomic_write_json
from vidcoop.timeline.model import Episode, Segment


def _fill(disk: Path) -> None:
    """Use up every free byte of ``disk``."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def _leftovers(disk: Path) -> list[str]:
    return sorted(p.name for p in disk.iterdir() if p.name != "filler")


def test_cover_on_a_full_disk_keeps_the_old_cover(small_disk: Any, landscape_clip: Path) -> None:
    from vidcoop.cover import make_cover

    disk = small_disk(32)  # a 1080x1920 JPEG does not fit
    target = disk / "ep.cover.jpg"
    target.write_bytes(b"old cover")
    with pytest.raises(OutputError, match="No space left") as info:
        make_cover(Episode([Segment(landscape_clip)]), target)
    assert info.value.path == str(target)
    assert target.read_bytes() == b"old cover"
    assert _leftovers(disk) == ["ep.cover.jpg"]


def test_report_on_a_full_disk(small_disk: Any) -> None:
    disk = small_disk(16)
    target = disk / "ep.report.json"
    atomic_write_json(target, {"old": True})
    _fill(disk)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_json(target, {"episode": "x" * 50_000})
    assert json.loads(target.read_text()) == {"old": True}
    assert _leftovers(disk) == ["ep.report.json"]


def test_batch_state_on_a_full_disk_stays_readable(small_disk: Any) -> None:
    disk = small_disk(16)
    state = BatchState.load(disk)
    state.record(disk / "ep1.mp4", "key1", "ep1", 1.0)
    _fill(disk)
    state.hashes = {"x" * 100: ["y" * 50_000]}  # the next save needs more room than is left
    with pytest.raises(OutputError):
        state.record(disk / "ep2.mp4", "key2", "ep2", 1.0)
    assert set(state.outputs) == {"ep1.mp4"}  # memory agrees with the file
    assert set(json.loads((disk / STATE_NAME).read_text())["outputs"]) == {"ep1.mp4"}
    assert _leftovers(disk) == [STATE_NAME]


@pytest.mark.slow
def test_video_on_a_full_disk(small_disk: Any, landscape_clip: Path) -> None:
    from vidcoop.engine import RenderOptions
    from vidcoop.pipeline import render

    disk = small_disk(64)
    target = disk / "ep.mp4"
    with pytest.raises(RenderError) as info:
        render(
            Episode([Segment(landscape_clip)]), target, options=RenderOptions(profile="preview", loudness=False, crf=18)
        )
    assert info.value.hint and "disk is full" in info.value.hint
    assert _leftovers(disk) == []  # no video, no report, no temp file

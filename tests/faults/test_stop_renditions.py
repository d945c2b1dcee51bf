"""Ctrl-C on a render of several picture shapes stops at once (#30): every output is a temp file that is
thrown away, so ffmpeg is killed instead of being given seconds to finish four encodes nobody keeps; no
ffmpeg is left and no file is at a final path.

The first test drives the engine with a fake ffmpeg that takes 10 s to finish its files on a signal (as a
real one flushes its encoders); the second sends a real Ctrl-C (SIGINT to the process group, as a terminal
does) to ``vidcoop render --shape 9:16,4:5,1:1,16:9`` on 1080p footage.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_runner import Interrupt, gone, slow_flush_ffmpeg
from tests.faults.test_kill_render import _all_gone, _cmdline, _env
from vidcoop.engine.api import RenderOptions
from vidcoop.media.ffmpeg import set_ffmpeg
from vidcoop.pipeline import render_renditions
from vidcoop.shapes import SHAPES, shape_output
from vidcoop.timeline.model import Episode, Segment

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="follows processes in /proc")


def test_an_interrupted_render_of_four_shapes_stops_at_once(tmp_path: Path, landscape_clip: Path) -> None:
    (tmp_path / "bin").mkdir()
    script, pids, finished = slow_flush_ffmpeg(tmp_path / "bin", flush=10)
    out_dir = tmp_path / "out"
    outputs = {shape: shape_output(out_dir / "ep.mp4", shape) for shape in SHAPES}
    set_ffmpeg(script)
    interrupt = Interrupt()  # timed from the Ctrl-C: probing and starting the fake before it do not count
    try:
        with pytest.raises(KeyboardInterrupt):
            render_renditions(Episode([Segment(landscape_clip, end=1)]), outputs, progress=interrupt,
                              options=RenderOptions(loudness=False))
        elapsed = interrupt.since()
    finally:
        set_ffmpeg(None)
    assert elapsed < 3, f"took {elapsed:.1f} s to stop"  # killed: not STOP_GRACE (5 s) of the 10 s it needs to finish
    assert pids.is_file() and gone(pids), "ffmpeg left running"
    assert not finished.exists()  # killed, not let finish
    assert list(out_dir.iterdir()) == []  # no final file, and the four temp files it wrote are gone


@pytest.fixture(scope="module")
def footage_1080p(make_media: Any) -> Path:
    """20 s of 1920x1080: four 1080p encodes hold many frames in their lookahead when stopped."""
    return make_media("stop_1080p.mp4", "testsrc2=s=1920x1080:r=25:d=20")


@pytest.mark.slow
def test_ctrl_c_on_vidcoop_render_of_four_shapes(tmp_path: Path, footage_1080p: Path, process_tree: Any) -> None:
    env = _env(tmp_path)
    manifest = tmp_path / "ep.yaml"
    manifest.write_text(f"version: 1\ntitle: Stopp\nsegments:\n  - source: {footage_1080p}\n"
                        "captions: {mode: 'off'}\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from vidcoop.cli.main import main; main()", "render", str(manifest),
         "-o", str(out_dir / "ep.mp4"), "--shape", ",".join(SHAPES), "--quiet"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        kids: set[int] = set()
        while not any(".part.mp4" in _cmdline(k) for k in kids):
            assert proc.poll() is None, f"render ended before Ctrl-C: {proc.communicate()}"
            assert time.monotonic() < deadline, "ffmpeg never started writing"
            time.sleep(0.05)
            kids = process_tree.descendants(proc.pid)
        time.sleep(1.5)  # well into the encode: every encoder holds frames
        assert proc.poll() is None, "the render ended before Ctrl-C"
        started = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals vidcoop and ffmpeg alike
        _, stderr = proc.communicate(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert elapsed < 2, f"took {elapsed:.1f} s to stop"
    assert proc.returncode == 130, stderr.decode()
    assert b"Traceback" not in stderr
    assert _all_gone(kids, process_tree, limit=0.5) == set(), "ffmpeg outlived vidcoop"
    assert not out_dir.exists() or list(out_dir.iterdir()) == []

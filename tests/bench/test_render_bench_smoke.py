"""Smoke test for benchmarks/render_bench.py: its vidcoop and hand-written paths make the same video.

Not timed: it only checks that the benchmark still runs against the current
API and that both contenders really produce the same job (size, frame count).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest


def _load_bench() -> ModuleType:
    return importlib.import_module("benchmarks.render_bench")  # the repository root is on pytest's pythonpath


@pytest.mark.slow
def test_vidcoop_and_handwritten_paths_produce_the_same_video(tmp_path: Path) -> None:
    bench = _load_bench()
    source = bench.make_source(tmp_path, 1, width=320, height=180, preset="ultrafast")
    logo = bench.make_logo(tmp_path)
    job = bench.Job(source, logo, out_width=270, out_height=480, preset="ultrafast", crf=30)

    ours, hand = tmp_path / "vidcoop.mp4", tmp_path / "hand.mp4"
    bench.run_vidcoop(job, ours)
    bench.run_handwritten(job, hand)

    assert ours.is_file() and hand.is_file()
    assert bench.count_frames(ours) == bench.count_frames(hand) == 30
    assert bench.video_size(ours) == bench.video_size(hand) == (270, 480)


def test_handwritten_command_crops_to_nine_by_sixteen_and_places_the_logo(tmp_path: Path) -> None:
    bench = _load_bench()
    source = bench.Source(tmp_path / "src.mp4", 1920, 1080, 30, 60)
    job = bench.Job(source, tmp_path / "logo.png", preset="veryfast", crf=23)

    args = bench.handwritten_args(job, tmp_path / "out.mp4")

    graph = args[args.index("-filter_complex") + 1]
    assert "crop=608:1080:656:0,scale=1080:1920" in graph
    assert "scale=200:-2" in graph and "overlay=W-w-48:48" in graph
    assert args[args.index("-preset") + 1] == "veryfast"
    assert args[args.index("-crf") + 1] == "23"

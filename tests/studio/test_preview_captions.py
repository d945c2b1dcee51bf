"""The studio's preview shows what viewers see: the kit's captions burned in, where and when the final has them.

A frame of the preview is compared with the same moment of the final (scaled to the preview's size) and of a
render with captions off: the caption region is where the preview differs from the captions-off render, and
the final carries the same caption there. The final is rendered at the final profile's size with x264
``ultrafast`` (the preset changes only compression, not where or how the caption is drawn), to keep the test
short on 2 cores.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from vidcoop.engine.api import RenderOptions
from vidcoop.engine.profiles import get_profile
from vidcoop.media.runner import run_ffmpeg
from vidcoop.pipeline import episode_cues, render
from vidcoop.studio.previews import PreviewJob, render_preview
from vidcoop.studio.week import WeekView, preview_profile
from vidcoop.timeline.model import CaptionSpec

from .conftest import EPISODE

pytestmark = pytest.mark.slow


def _frame(video: Path, at: Fraction, out: Path) -> Image.Image:
    """The frame at ``at`` as a 540x960 greyscale image."""
    run_ffmpeg(["-loglevel", "error", "-ss", f"{float(at):.3f}", "-i", str(video), "-frames:v", "1",
                "-vf", "scale=540:960,format=gray", "-y", str(out)], what="test frame")
    return Image.open(out).convert("L")


def _mask(a: Image.Image, b: Image.Image, threshold: int = 60) -> Image.Image:
    """Where two frames differ clearly (a caption's letters, not compression noise)."""
    return ImageChops.difference(a, b).point(lambda v: 255 if v > threshold else 0)


def _count(mask: Image.Image) -> int:
    return sum(1 for v in mask.getdata() if v)


def test_studio_preview_burns_the_captions_as_the_final_does(example_week: Path, tmp_path: Path) -> None:
    info = WeekView.open(example_week).get(EPISODE)
    assert info is not None and info.episode is not None and info.preview is not None
    episode = info.episode
    assert preview_profile() == get_profile("preview")  # the batch's preview profile, not a studio variant

    job = PreviewJob("running", path=info.preview)
    render_preview(job, episode, info.preview, threading.Event())
    assert job.state == "done", job.error

    quick = RenderOptions(loudness=False, sidecars=False, report=False)
    bare = render(replace(episode, captions=CaptionSpec(mode="off")), tmp_path / "bare.mp4",
                  options=replace(quick, profile=preview_profile()))
    final = render(episode, tmp_path / "final.mp4",
                   options=replace(quick, profile=get_profile("final").with_quality(preset="ultrafast")))
    assert final.plan.profile.width == 1080 and final.plan.profile.height == 1920

    cues = episode_cues(episode, profile=preview_profile())
    assert cues is not None and len(cues)
    cue = cues[1]  # the rendered timeline's second cue (the intro card comes first)
    at = (cue.start + cue.end) / 2
    shown = _frame(info.preview, at, tmp_path / "preview.png")
    plain = _frame(bare.output, at, tmp_path / "bare.png")
    big = _frame(final.output, at, tmp_path / "final.png")

    caption = _mask(shown, plain)
    area = _count(caption)
    assert area > 500, f"no burned caption in the preview at {float(at):.2f}s ({area} pixels differ)"
    in_final = _count(ImageChops.multiply(caption, _mask(big, plain)))
    assert in_final > 0.6 * area, f"the final's caption at {float(at):.2f}s is not where the preview's is"
    # and the preview matches the final there (same text, style and place), far better than the bare frame does
    same = _count(ImageChops.multiply(caption, _mask(shown, big)))
    assert same < 0.25 * area, f"preview and final differ in {same} of {area} caption pixels"


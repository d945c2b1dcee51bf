"""Any mix of stills and clips, cut or crossfaded, comes out frame-exact through real ffmpeg.

Hypothesis draws episodes of 1-5 segments (a still with or without its slow zoom, a
clip with a fixed or a moving crop) and a crossfade of 0, 3 or 7 frames; the
compiled graph runs in the bundled ffmpeg (video only, ``framemd5`` to a file) and
must give exactly the plan's frame count with frame times 0, 1, 2 ... Bounded like
the fuzz suite: a few examples a run, derandomised with ``CI=true``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidcoop.engine.graph import compile_render
from vidcoop.engine.plan import PlannedSegment, RenderPlan
from vidcoop.engine.profiles import PROFILES
from vidcoop.media.probing import probe
from vidcoop.media.runner import run_ffmpeg
from vidcoop.timeline.model import Episode, Keyframe, Reframe, Segment

pytestmark = pytest.mark.slow

PROFILE = PROFILES["preview"]
JOINS = settings(
    max_examples=int(os.environ.get("VIDCOOP_JOIN_EXAMPLES", "12")),
    deadline=timedelta(seconds=30),
    database=None,
    derandomize=os.environ.get("CI", "").lower() == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

KINDS = ("still", "still-zoom", "clip", "clip-moving")
segment_specs = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(min_value=0, max_value=20)),
                         min_size=1, max_size=5)


@pytest.fixture(scope="module")
def media(make_media) -> dict[str, Path]:
    return {
        "still": make_media("join-still.png", "testsrc2=s=360x640:r=1:d=1"),
        "clip": make_media("join-clip.mp4", "testsrc2=s=320x180:r=30:d=3"),
    }


def _plan(media: dict[str, Path], specs: list[tuple[str, int]], x: int) -> RenderPlan:
    planned, t = [], Fraction(0)
    for i, (kind, extra) in enumerate(specs):
        frames = x + 1 + extra  # longer than the crossfade, as planning guarantees (short middles chain xfade)
        if kind.startswith("still"):
            rf = Reframe(mode="fit-pad", zoom=(1.0, 1.05) if kind == "still-zoom" else None)
            seg = Segment(media["still"], duration=Fraction(frames, 30), reframe=rf)
        else:
            focus = (Keyframe(Fraction(0), 0.2), Keyframe(Fraction(1), 0.8)) if kind == "clip-moving" else 0.5
            seg = Segment(media["clip"], end=Fraction(frames, 30), reframe=Reframe(mode="crop", focus=focus))
        src = Path(seg.source)
        ps = PlannedSegment(i, seg, src, probe(src), Fraction(0), frames, t, PROFILE.fps)
        planned.append(ps)
        t = ps.timeline_end - Fraction(x, 30)
    x = x if len(specs) > 1 else 0
    return RenderPlan(Episode(tuple(s.segment for s in planned)), PROFILE, tuple(planned), (), x)


@JOINS
@given(specs=segment_specs, x=st.sampled_from([0, 3, 7]))
def test_any_join_is_frame_exact(media: dict[str, Path], tmp_path_factory, specs, x) -> None:
    plan = _plan(media, specs, x)
    args = compile_render(plan, Path("unused.mp4"))
    graph_at = args.index("-filter_complex")
    out = tmp_path_factory.mktemp("join") / "frames.txt"
    run_ffmpeg(["-loglevel", "error", *args[: graph_at + 2], "-map", "[vout0]", "-map", "[aout0]",
                "-f", "framemd5", str(out)], what="join property")
    rows = [r for r in (line.split(",") for line in out.read_text().splitlines() if line and line[0] != "#")
            if r[0].strip() == "0"]  # stream 0: the picture
    assert len(rows) == plan.total_frames
    assert [int(r[2]) for r in rows] == list(range(plan.total_frames))  # pts 0, 1, 2 ... in 1/30 s

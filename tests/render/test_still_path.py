"""The faster graph draws the same picture as the one it replaced.

Stills used to be read with ``-loop 1`` (decoded, reframed and converted again
for every frame); now they are decoded once and repeated with ``loop``.
Crossfades used to be a chain of ``xfade`` filters; now each blend sees only
its own frames (``xfade`` next to a clip, fade + overlay in 4:2:0 between two
stills) and ``concat`` joins the rest. Both old graphs are rebuilt here,
both versions are rendered to a lossless intermediate (FFV1), and they must
agree frame for frame: the same frame count and PSNR >= 45 dB.

Measured: the stills come out bit-identical (PSNR inf); the crossfaded episode has
identical luma and about 50 dB overall, the difference being chroma rounding that
the old xfade chain's format negotiation added to frames outside the transitions.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.engine.filters import GraphBuilder, flt
from vidcoop.engine.graph import _crossfade_pieces, _segment_source, _segment_video, compile_render
from vidcoop.engine.plan import PlannedSegment, RenderPlan
from vidcoop.engine.profiles import PROFILES
from vidcoop.engine.reframe import REFRAMERS
from vidcoop.engine.reframe import zoom_filter as _zoom
from vidcoop.media.probing import probe
from vidcoop.media.runner import run_ffmpeg
from vidcoop.timeline.model import Episode, Keyframe, Reframe, Segment

pytestmark = pytest.mark.slow

PROFILE = PROFILES["preview"]
MIN_PSNR = 45.0


@pytest.fixture(scope="module")
def detailed_still(make_media):
    """A 720x1280 PNG with fine detail, gradients and text (testsrc2), so scaling differences show."""
    return make_media("detailed-still.png", "testsrc2=s=720x1280:r=1:d=1")


def _plan(specs, crossfade_frames=0):
    planned, t = [], Fraction(0)
    for i, (seg, frames) in enumerate(specs):
        info = probe(seg.source)
        ps = PlannedSegment(i, seg, Path(seg.source), info, Fraction(0), frames, t, PROFILE.fps)
        planned.append(ps)
        t = ps.timeline_end - Fraction(crossfade_frames) / PROFILE.fps
    return RenderPlan(Episode(tuple(s for s, _ in specs)), PROFILE, tuple(planned), (), crossfade_frames)


def _old_still_graph(ps: PlannedSegment) -> str:
    """The graph a still got before: every frame decoded, then reframed, zoomed and converted."""
    g = GraphBuilder()
    rf = ps.segment.reframe
    head = [
        flt("setpts", "PTS-STARTPTS"),
        flt("fps", str(PROFILE.fps)),
        flt("tpad", stop_mode="clone", stop_duration=1),
        flt("trim", end_frame=ps.frames),
    ]
    body = REFRAMERS[rf.mode](g, "0:v", head, rf, PROFILE.width, PROFILE.height, ps)
    tail = [_zoom(rf.zoom, ps.frames, PROFILE.width, PROFILE.height, PROFILE.fps)] if rf.zoom else []
    g.add([body], [*tail, flt("setsar", "1"), flt("format", "yuv420p"), flt("setpts", "PTS-STARTPTS")], ["out"])
    return g.render()


def _lossless(inputs: list[str], graph: str, labels: list[str], out: Path) -> Path:
    maps = [arg for label in labels for arg in ("-map", f"[{label}]")]
    run_ffmpeg(
        [
            "-loglevel",
            "error",
            *inputs,
            "-filter_complex",
            graph,
            *maps,
            "-c:v",
            "ffv1",
            "-c:a",
            "pcm_s16le",
            "-f",
            "matroska",
            str(out),
        ],
        what="lossless test render",
    )
    return out


def _frames(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def _psnr(a: Path, b: Path) -> float:
    stderr = run_ffmpeg(
        ["-i", str(a), "-i", str(b), "-filter_complex", "[0:v][1:v]psnr", "-f", "null", "-"], what="psnr"
    )
    found = re.findall(r"PSNR .*average:(\S+)", stderr)
    assert found, stderr[-500:]
    return float(found[-1])  # "inf" for identical pictures


def _worst_frame_psnr(a: Path, b: Path, stats: Path) -> float:
    """The lowest PSNR of any single frame (an average would hide a few bad crossfade frames)."""
    assert ":" not in str(stats) and "'" not in str(stats)  # used unescaped in the graph
    run_ffmpeg(["-i", str(a), "-i", str(b), "-filter_complex", f"[0:v][1:v]psnr=stats_file={stats}",
                "-f", "null", "-"], what="psnr")
    values = [float(v) for v in re.findall(r"psnr_avg:(\S+)", stats.read_text())]
    assert values
    return min(values)


def _new_graph(plan: RenderPlan) -> tuple[list[str], str]:
    args = compile_render(plan, Path("unused.mp4"))
    return args[: args.index("-filter_complex")], args[args.index("-filter_complex") + 1]


@pytest.mark.parametrize(
    "reframe",
    [
        Reframe(mode="fit-pad", color="#0f3d3a", zoom=(1.0, 1.05)),  # a job card
        Reframe(mode="fit-blur"),
        Reframe(mode="crop", focus=(Keyframe(0, 0.2), Keyframe(1, 0.8))),  # moving crop: repeated first
    ],
    ids=["fit-pad-zoom", "fit-blur", "crop-moving"],
)
def test_still_through_loop_equals_per_frame_decoding(detailed_still, tmp_path, reframe):
    frames = 30
    plan = _plan([(Segment(detailed_still, duration=Fraction(frames, 30), reframe=reframe), frames)])
    inputs, graph = _new_graph(plan)
    assert "-loop" not in inputs and "loop=loop=29:size=1" in graph
    new = _lossless(inputs, graph, ["vout0", "aout0"], tmp_path / "new.mkv")
    old_inputs = ["-loop", "1", "-framerate", "30", "-t", "1.5", "-i", f"file:{detailed_still}"]
    old = _lossless(old_inputs, _old_still_graph(plan.segments[0]), ["out"], tmp_path / "old.mkv")
    assert _frames(new) == _frames(old) == frames
    assert _psnr(new, old) >= MIN_PSNR


def test_crossfade_pieces_equal_an_xfade_chain(make_media, detailed_still, tmp_path):
    clip = make_media("xfade-clip.mp4", "testsrc2=s=640x360:r=30:d=3")
    # still -> still (fade + overlay in 4:2:0, both zoomed), still -> clip and clip -> still (xfade)
    specs = [
        (Segment(detailed_still, duration=Fraction(1), reframe=Reframe(mode="fit-pad", zoom=(1.0, 1.04))), 30),
        (Segment(detailed_still, duration=Fraction(1), reframe=Reframe(mode="fit-pad", zoom=(1.04, 1.0))), 30),
        (Segment(clip, end=Fraction(2), reframe=Reframe(focus=0.3)), 60),
        (Segment(detailed_still, duration=Fraction(1), reframe=Reframe(mode="fit-blur")), 30),
    ]
    plan = _plan(specs, crossfade_frames=6)
    inputs, _ = _new_graph(plan)

    def graph(join):
        g = GraphBuilder()
        return g, join(g)

    g_new, out_new = graph(lambda g: _crossfade_pieces(g, plan, [_segment_source(g, plan, s) for s in plan.segments]))
    new = _lossless(inputs, g_new.render(), [out_new], tmp_path / "new.mkv")

    def chain(g):
        labels = [_segment_video(g, plan, ps) for ps in plan.segments]
        current, elapsed = labels[0], 0
        for ps, nxt in zip(plan.segments, labels[1:], strict=False):
            elapsed += ps.frames - 6
            out = g.label("vx")
            g.add(
                [current, nxt],
                [flt("xfade", transition="fade", duration="0.2", offset=str(float(Fraction(elapsed, 30))))],
                [out],
            )
            current = out
        return current

    g_old, out_old = graph(chain)
    old = _lossless(inputs, g_old.render(), [out_old], tmp_path / "old.mkv")
    assert _frames(new) == _frames(old) == plan.total_frames == 30 + 30 + 60 + 30 - 3 * 6
    assert _psnr(new, old) >= MIN_PSNR
    # Every frame, the crossfaded ones too, must match the chain's (measured: worst frame 45.5 dB).
    assert _worst_frame_psnr(new, old, tmp_path / "psnr.log") >= MIN_PSNR

"""The cover's frame plan is pure: which segment, which of its frames, which overlays (no ffmpeg)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from vidcoop.brand.geometry import Box
from vidcoop.engine.graph import compile_frame, frame_plan
from vidcoop.engine.plan import PlannedOverlay, PlannedSegment, RenderPlan
from vidcoop.engine.profiles import PROFILES
from vidcoop.media.probing import MediaInfo, VideoInfo
from vidcoop.timeline.model import Episode, Keyframe, Overlay, Reframe, Segment

PROFILE = PROFILES["preview"]


def _plan(crossfade: int = 0, overlays: tuple[PlannedOverlay, ...] = ()) -> RenderPlan:
    video = VideoInfo(1920, 1080, 0, Fraction(25), "h264", "yuv420p")
    planned, t = [], Fraction(0)
    moving = Reframe(mode="crop", focus=(Keyframe(Fraction(0), 0.2), Keyframe(Fraction(4), 0.8)), zoom=(1.0, 1.1))
    for i, name in enumerate(("a.mp4", "b.mp4")):
        seg = Segment(Path(name), start=Fraction(10 * i), reframe=moving)
        info = MediaInfo(Path(name), "mov", Fraction(60), video, (), False, 1000)
        ps = PlannedSegment(i, seg, Path(name), info, Fraction(10 * i), 4 * int(PROFILE.fps), t, PROFILE.fps)
        planned.append(ps)
        t = ps.timeline_end - Fraction(crossfade) / PROFILE.fps
    return RenderPlan(Episode(tuple(p.segment for p in planned)), PROFILE, tuple(planned), overlays, crossfade)


def test_the_frame_comes_from_the_segment_on_screen_whole_so_its_keys_and_zoom_run_as_rendered() -> None:
    fps = PROFILE.fps
    part, frame = frame_plan(_plan(), Fraction(5))
    (seg,) = part.segments
    assert seg.segment.source == Path("b.mp4") and seg.index == 0 and seg.timeline_start == 0
    assert seg.frames == 4 * fps and frame == int(fps)  # 1 s into b: the whole segment, its frame 25
    assert part.crossfade_frames == 0


def test_in_a_crossfade_the_incoming_segment_is_taken() -> None:
    part, frame = frame_plan(_plan(crossfade=10), Fraction(39, 10))  # b starts at 3.6 s
    assert part.segments[0].segment.source == Path("b.mp4") and frame == 7


def test_overlays_showing_then_keep_their_box_and_move_with_the_segment(tmp_path: Path) -> None:
    box = Box(10, 20, 100, 50)
    shown = PlannedOverlay(0, Overlay(Path("logo.png")), box, Fraction(3), Fraction(7))
    gone = PlannedOverlay(1, Overlay(Path("card.png")), box, Fraction(0), Fraction(2))
    part, _ = frame_plan(_plan(overlays=(shown, gone)), Fraction(5))
    assert [(o.overlay.image, o.box, o.start, o.end) for o in part.overlays] == [
        (Path("logo.png"), box, Fraction(0), Fraction(3))]
    args = compile_frame(part, 25, tmp_path / "f.png")
    graph = args[args.index("-filter_complex") + 1]
    assert "trim=start_frame=25:end_frame=26" in graph and "zoompan" in graph and "ass=" not in graph
    assert args.count("-i") == 2  # the segment and the one overlay showing, nothing else decoded
    tail = args[args.index("-map"):]
    assert tail[2:] == ["-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1", tail[-1]]
    assert tail[-1].endswith("f.png") and "-c:a" not in args  # one picture, no sound

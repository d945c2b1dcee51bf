"""Reframe a picture into the vertical frame: the registry of modes (:data:`REFRAMERS`, one builder per
:data:`vidcoop.timeline.model.REFRAME_MODES` name) and the slow zoom. Pure filter text; adding a mode is
one function and one registry line."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction

from vidcoop.color import ffmpeg_color
from vidcoop.engine.filters import Filter, GraphBuilder, flt, number
from vidcoop.engine.plan import PlannedSegment
from vidcoop.timeline.model import Keyframe, Reframe
from vidcoop.timing import ff_seconds


def moving(reframe: Reframe) -> bool:
    """Whether the reframe itself changes over time (a crop with moving focus)."""
    return reframe.mode == "crop" and len({k.value for k in reframe.focus}) > 1


def _focus_expr(keys: Sequence[Keyframe]) -> str:
    """A piecewise-linear expression of ``t`` through the focus keyframes."""
    keys = sorted(keys, key=lambda k: k.at)
    if len(keys) == 1:
        return number(keys[0].value)
    expr = number(keys[-1].value)
    for a, b in reversed(list(itertools.pairwise(keys))):
        span = b.at - a.at
        if span <= 0:
            continue
        ramp = f"{number(a.value)}+({number(b.value - a.value)})*(t-{ff_seconds(a.at)})/{ff_seconds(span)}"
        expr = f"if(lt(t,{ff_seconds(b.at)}),{ramp},{expr})"
    return f"if(lt(t,{ff_seconds(keys[0].at)}),{number(keys[0].value)},{expr})"


ReframeBuilder = Callable[[GraphBuilder, str, list[Filter], Reframe, int, int, PlannedSegment], str]


def _crop_chain(rf: Reframe, w: int, h: int) -> list[Filter]:
    return [
        flt("crop", w=f"trunc(min(iw,ih*{w}/{h})/2)*2", h=f"trunc(min(ih,iw*{h}/{w})/2)*2",
            x=f"(iw-ow)*({_focus_expr(rf.focus)})", y="(ih-oh)/2", exact=1),
        flt("scale", w, h, flags="bicubic"),
    ]


def _reframe_crop(g: GraphBuilder, src: str, head: list[Filter], rf: Reframe, w: int, h: int,
                  seg: PlannedSegment) -> str:
    if rf.widen:
        return _crop_widened(g, src, head, rf, w, h, seg)
    out = g.label("rf")
    g.add([src], [*head, *_crop_chain(rf, w, h)], [out])
    return out


def _crop_widened(g: GraphBuilder, src: str, head: list[Filter], rf: Reframe, w: int, h: int,
                  seg: PlannedSegment) -> str:
    """A crop that shows the whole picture (fit-blur) for moments (:attr:`Reframe.widen`).

    The segment is cut in time, on its frame grid: crop pieces between the moments, and for each
    moment a piece where the crop cross-fades (``xfade``) into the fit-blur picture and back. Every
    piece is a ``trim`` of one ``split`` of the segment, so the fit-blur picture is made for the
    moments' frames only, and ``concat`` takes the pieces in time order (no piece waits for a later
    one: nothing piles up). The crop's focus expression sees the segment's own times (``t``): each
    piece is reset to start at 0 only after its crop.
    """
    fps, frames = seg.fps, seg.frames

    def frame(t: Fraction) -> int:
        return min(frames, max(0, math.floor(t * fps + Fraction(1, 2))))

    moments: list[tuple[int, int, int, int]] = []
    for times in rf.widen:
        fa, fb, fc, fd = (frame(x) for x in times)
        if moments and fa <= moments[-1][3]:  # overlapping moments are one
            fa = moments[-1][0]
            fb = min(fb, moments[-1][1])
            moments.pop()
        if fd > fa:
            moments.append((fa, max(fa, fb), max(fb, fc), max(fc, fd)))
    if not moments:
        return _reframe_crop(g, src, head, replace(rf, widen=()), w, h, seg)
    # pieces: ("crop", start, end) and ("moment", a, b, c, d) in frames, covering 0..frames
    pieces: list[tuple[int, ...]] = []
    at = 0
    for m in moments:
        if m[0] > at:
            pieces.append((at, m[0]))
        pieces.append(m)
        at = m[3]
    if at < frames:
        pieces.append((at, frames))
    branches = sum(1 if len(p) == 2 else 1 + (p[1] > p[0]) + (p[3] > p[2]) for p in pieces)
    taps = [g.label("wsrc") for _ in range(branches)]
    g.add([src], [*head, flt("split", branches)], taps)
    tap = iter(taps)

    def piece(start: int, end: int, chain: list[Filter]) -> str:
        out = g.label("wp")
        g.add([next(tap)], [flt("trim", start_frame=start, end_frame=end), *chain,
                            flt("setpts", "PTS-STARTPTS")], [out])
        return out

    def fade(first: str, second: str, offset: int, length: int) -> str:
        out = g.label("wx")
        g.add([first, second], [flt("xfade", transition="fade", duration=ff_seconds(length / fps),
                                    offset=ff_seconds(offset / fps))], [out])
        return out

    crop = _crop_chain(replace(rf, widen=()), w, h)
    joined = []
    for p in pieces:
        if len(p) == 2:
            joined.append(piece(p[0], p[1], crop))
            continue
        fa, fb, fc, fd = p
        whole_src = g.label("wfb")
        g.add([next(tap)], [flt("trim", start_frame=fa, end_frame=fd), flt("setpts", "PTS-STARTPTS")],
              [whole_src])
        shown = _reframe_fit_blur(g, whole_src, [], rf, w, h, seg)
        if fb > fa:  # cross-fade in: the crop into fit-blur
            shown = fade(piece(fa, fb, crop), shown, 0, fb - fa)
        if fd > fc:  # and back to the crop
            shown = fade(shown, piece(fc, fd, crop), fc - fa, fd - fc)
        joined.append(shown)
    if len(joined) == 1:
        return joined[0]
    out = g.label("rf")
    g.add(joined, [flt("concat", n=len(joined), v=1, a=0)], [out])
    return out


def _reframe_fit_pad(g: GraphBuilder, src: str, head: list[Filter], rf: Reframe, w: int, h: int,
                     seg: PlannedSegment) -> str:
    out = g.label("rf")
    g.add([src], [
        *head,
        flt("scale", w, h, force_original_aspect_ratio="decrease", force_divisible_by=2, flags="bicubic"),
        flt("pad", w, h, "(ow-iw)/2", "(oh-ih)/2", color=ffmpeg_color(rf.color)),
    ], [out])
    return out


def _reframe_fit_blur(g: GraphBuilder, src: str, head: list[Filter], rf: Reframe, w: int, h: int,
                      seg: PlannedSegment) -> str:
    # The background is blurred at an eighth of the size: same look, a fraction of the work.
    bw, bh = max(2, w // 8 // 2 * 2), max(2, h // 8 // 2 * 2)
    split_bg, split_fg, bg, fg, out = g.label("bgsrc"), g.label("fgsrc"), g.label("bg"), g.label("fg"), g.label("rf")
    g.add([src], [*head, flt("split", 2)], [split_bg, split_fg])
    g.add([split_bg], [
        flt("scale", bw, bh, force_original_aspect_ratio="increase", flags="bilinear"),
        flt("crop", bw, bh),
        flt("boxblur", luma_radius=max(2, bw // 12), luma_power=2),
        flt("eq", brightness=-0.08),
        flt("scale", w, h, flags="bicubic"),
    ], [bg])
    g.add([split_fg], [
        flt("scale", w, h, force_original_aspect_ratio="decrease", force_divisible_by=2, flags="bicubic"),
    ], [fg])
    g.add([bg, fg], [flt("overlay", "(W-w)/2", "(H-h)/2")], [out])
    return out


REFRAMERS: dict[str, ReframeBuilder] = {
    "crop": _reframe_crop,
    "fit-blur": _reframe_fit_blur,
    "fit-pad": _reframe_fit_pad,
}


def zoom_filter(zoom: tuple[float, float], frames: int, w: int, h: int, fps: Fraction, first: int = 0) -> Filter:
    """The slow zoom over a segment of ``frames`` frames, for a piece that starts at frame ``first``."""
    z0, z1 = zoom
    steps = max(1, frames - 1)
    at = f"(on+{first})" if first else "on"
    return flt(
        "zoompan",
        z=f"{number(z0)}+({number(z1 - z0)})*{at}/{steps}",
        x="iw/2-(iw/zoom/2)",
        y="ih/2-(ih/zoom/2)",
        d=1,
        s=f"{w}x{h}",
        fps=str(fps),
    )

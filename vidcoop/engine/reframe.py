"""Reframe a picture into the vertical frame: the registry of modes (:data:`REFRAMERS`, one builder per
:data:`vidcoop.timeline.model.REFRAME_MODES` name) and the slow zoom. Pure filter text; adding a mode is
one function and one registry line."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
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


def _reframe_crop(g: GraphBuilder, src: str, head: list[Filter], rf: Reframe, w: int, h: int,
                  seg: PlannedSegment) -> str:
    focus = _focus_expr(rf.focus)
    out = g.label("rf")
    g.add([src], [
        *head,
        flt("crop", w=f"trunc(min(iw,ih*{w}/{h})/2)*2", h=f"trunc(min(ih,iw*{h}/{w})/2)*2",
            x=f"(iw-ow)*({focus})", y="(ih-oh)/2", exact=1),
        flt("scale", w, h, flags="bicubic"),
    ], [out])
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

"""Lower thirds keep clear of faces: where a speaker's face is on the output frame, and where a card may go.

A lower third sits at the kit's place, just above the captions. When a face on the output frame would
be under it while it shows (a talking head framed low, or a crop whose focus moves), the card moves up
to the nearest height where it covers no face, stays inside the safe zone and keeps off the other
overlays it shows with (the logo). Where no such height exists it stays and the render warns.

Everything here is pure geometry on a face analysis (:mod:`vidcoop.faces.analysis`, cached by content):
face boxes in source pixels are mapped through the segment's reframe (crop with its focus keys, or
fit) and slow zoom onto the output frame, at the times the card shows.
:func:`vidcoop.engine.faces.place_lower_thirds` runs the analysis and applies the result to the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from vidcoop.faces.model import FaceAnalysis
from vidcoop.faces.reframe import crop_width, focus_at

#: Seconds between the times a card is checked against the faces under it.
SAMPLE_STEP = 0.2
#: Face boxes grow by this share of their size on each side (CenterFace's box is brows to chin).
FACE_PAD = 0.2
#: Faces smaller than this share of the output height are passers-by, not someone a card hides.
MIN_FACE_SHARE = 0.06
#: Space kept between a moved card and a face or another overlay, in design pixels (1080 wide).
GAP = 24


@dataclass(frozen=True)
class Placement:
    """Where one lower third went, for ``OUT.report.json`` and the render's warnings.

    Attributes:
        label, field: The card ("lower third: Aylin Demir") and its manifest field.
        start, end: When it shows, on the episode timeline.
        y: Its top edge in output pixels; ``moved_from`` is the kit's place when it moved.
        clear: It covers no face (False: no free height, or faces were not checked).
        checked: Faces were analysed (False when ``vidcoop[faces]`` is not installed).
        cache_problem: Why the analysis could not be cached (a warning), or None.
    """

    label: str
    field: str | None
    start: float
    end: float
    y: int
    moved_from: int | None = None
    clear: bool = True
    checked: bool = True
    cache_problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"overlay": self.label, "field": self.field, "start": self.start, "end": self.end,
                                "y": self.y, "clear_of_faces": self.clear}
        if self.moved_from is not None:
            data["moved_from_y"] = self.moved_from
        if not self.checked:
            data["faces_checked"] = False
        return data

    def warning(self) -> str | None:
        if self.clear or not self.checked:
            return None
        return (f"{self.label} covers a face at {self.start:.1f}-{self.end:.1f}s and has no free place in the "
                "safe zone; shorten it or move it in the manifest")


def frame_faces(analysis: FaceAnalysis, reframe: Any, t: float, duration: float, out: tuple[int, int],
                ) -> list[tuple[float, float, float, float]]:
    """Face boxes ``(x0, y0, x1, y1)`` in output pixels at ``t`` seconds into a segment, as rendered.

    ``reframe`` is the segment's resolved :class:`~vidcoop.timeline.model.Reframe` (``crop`` with its
    focus keys and moments shown whole, ``fit-blur`` or ``fit-pad``); ``duration`` is the segment's
    length (the slow zoom runs over it). Boxes are padded by :data:`FACE_PAD`; faces below
    :data:`MIN_FACE_SHARE` are left out.
    """
    out_w, out_h = out
    src_w, src_h = analysis.width, analysis.height
    views = []  # (x0, y0, sx, sy, ox, oy): source window and scale of each picture shown at t
    crop = reframe.mode == "crop"
    if crop:  # as the crop filter does: the widest (and tallest) even window of the output's aspect
        cw, ch = crop_width(src_w, src_h, out_w, out_h), crop_width(src_h, src_w, out_h, out_w)
        focus = focus_at(tuple((k.at, k.value) for k in reframe.focus), t) if reframe.focus else 0.5
        views.append(((src_w - cw) * focus, (src_h - ch) / 2, out_w / cw, out_h / ch, 0.0, 0.0))
    if not crop or any(a <= t < d for a, _, _, d in getattr(reframe, "widen", ())):
        # fit (or a crop's moment shown whole): the whole frame, centred
        s = min(out_w / src_w, out_h / src_h)
        views.append((0.0, 0.0, s, s, (out_w - src_w * s) / 2, (out_h - src_h * s) / 2))
    zoom = 1.0
    if reframe.zoom:
        z0, z1 = reframe.zoom
        zoom = z0 + (z1 - z0) * (min(max(t / duration, 0.0), 1.0) if duration > 0 else 0.0)
    found = []
    for track in analysis.tracks:
        box = track.box_at(t, hold=SAMPLE_STEP, bridge=1.0)  # not across an absence
        if box is None:
            continue
        for x0, y0, sx, sy, ox, oy in views:
            if box.h * sy * zoom < MIN_FACE_SHARE * out_h:
                continue
            pad = box.padded(FACE_PAD)
            xs = [((x - x0) * sx + ox - out_w / 2) * zoom + out_w / 2 for x in (pad.x0, pad.x1)]
            ys = [((y - y0) * sy + oy - out_h / 2) * zoom + out_h / 2 for y in (pad.y0, pad.y1)]
            found.append((xs[0], ys[0], xs[1], ys[1]))
    return found


def meets(card: tuple[int, int, int, int], box: tuple[float, float, float, float]) -> bool:
    """Whether the card ``(x, y, width, height)`` overlaps the box ``(x0, y0, x1, y1)``."""
    x, y, w, h = card
    return box[0] < x + w and box[2] > x and box[1] < y + h and box[3] > y


def free_top(card: tuple[int, int, int, int], blocked: Iterable[tuple[float, float, float, float]],
             top: int, gap: int) -> int | None:
    """The top edge nearest the card's own (never lower) where it meets none of ``blocked``.

    Args:
        card: ``(x, y, width, height)`` of the card at its place, in output pixels.
        blocked: Boxes ``(x0, y0, x1, y1)`` it must not meet (faces, other overlays), any time it shows.
        top: The highest top edge allowed (the safe zone's).
        gap: Space to keep from a blocked box.

    Returns:
        ``card``'s own ``y`` when it is free there, a higher one, or None when no height is free.
    """
    x, y, w, h = card
    spans = sorted((b[1] - gap, b[3] + gap) for b in blocked if b[0] < x + w and b[2] > x)

    def free(at: float) -> bool:
        return at >= top and at <= y and all(at + h <= lo or at >= hi for lo, hi in spans)

    candidates = [y, *(int(lo - h) for lo, _ in spans), *(int(hi + 1) for _, hi in spans)]
    fits = [c for c in candidates if free(c)]
    return max(fits) if fits else None


def sample_times(start: float, end: float, step: float = SAMPLE_STEP) -> list[float]:
    """``start``, then every ``step`` seconds, and ``end`` (just inside it)."""
    if end <= start:
        return []
    n = max(1, int((end - start) / step))
    return [start + (end - start) * i / n for i in range(n)] + [end - 1e-3]


def segment_windows(segments: Sequence[Any], start: Fraction, end: Fraction) -> list[tuple[Any, float, float]]:
    """``(segment, from, to)``: the parts of ``[start, end)`` on the timeline that each segment shows,
    in seconds from that segment's own start (stills are left out: they have no faces to follow)."""
    out = []
    for ps in segments:
        a, b = max(start, ps.timeline_start), min(end, ps.timeline_end)
        if a < b and not ps.is_still:
            out.append((ps, float(a - ps.timeline_start), float(b - ps.timeline_start)))
    return out


__all__ = ["FACE_PAD", "GAP", "MIN_FACE_SHARE", "SAMPLE_STEP", "Placement", "frame_faces", "free_top", "meets",
           "sample_times", "segment_windows"]

"""``reframe: auto``: a crop path that follows the subject, shot by shot, as focus keyframes.

Per shot (the path resets at every cut, so it is never smoothed across one; a pan is not a cut):

1. **Subject: a person, not a fragment.** Tracks are whole (:mod:`vidcoop.faces.track` links a moving
   face and rejoins a face that comes back), and the subject is chosen over them for the whole shot:
   ``largest`` (default) by face area times time on screen, a little in favour of the centre;
   ``left`` / ``right`` / ``centre``: by position among the tracks on screen for at least a third of
   the longest one.
2. **Hold or follow.** If the subject's centre stays within a dead zone (it moves less than 10 % of the
   crop width), the crop holds still. Otherwise the crop follows the subject's centre, smoothed over
   about half a second forwards and backwards (the whole shot is known, so the camera does not lag
   behind a walking person and a steady walk is followed exactly).
3. **Widen when too fast.** The camera follows up to ``max_speed`` (1.2 crop widths a second: a face
   crossing a 16:9 frame in 2.5 s). Where the subject moves faster for a moment, the segment is shown
   whole (``fit-blur``; a crop cannot switch mode inside a segment) and :attr:`CropPath.reason` says
   why, for the render report.
4. **Never cut the face off.** Whenever the face box plus a margin fits in the crop, the crop is
   clamped so that it contains it; this wins over smoothness and centring.
5. **Keyframes.** The path is sampled 25 times a second and simplified (Ramer-Douglas-Peucker, 2 px),
   so the existing piecewise-linear crop expression carries it: a handful of keyframes per second at
   most, one ffmpeg graph. A cut is a jump between two keyframes a millisecond apart.

A shot without a face uses the ``fallback``: ``centre`` holds the centre; ``fit-blur`` turns the whole
segment into ``fit-blur`` when no shot of it has a face.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

from vidcoop.faces.model import Box, FaceAnalysis, Track

SUBJECTS = ("largest", "left", "right", "centre")
FALLBACKS = ("centre", "fit-blur")


@dataclass(frozen=True)
class PathOptions:
    """Tuning of the crop path (documented defaults, see the module doc).

    Attributes:
        dead_zone: Hold when the subject's centre moves less than this share of the crop width.
        margin: Room kept around the face box, as a share of the box width.
        smooth: Seconds the followed centre is averaged over (twice, forwards and backwards alike).
        max_speed: Fastest camera in crop widths per second; a faster subject widens the picture.
        fast_for: Seconds the subject must be too fast for before the picture widens.
        tolerance: Path simplification tolerance in source pixels.
        step: Seconds between the path's samples.
    """

    dead_zone: float = 0.10
    margin: float = 0.25
    smooth: float = 0.5
    max_speed: float = 1.2
    fast_for: float = 0.3
    tolerance: float = 2.0
    step: float = 0.04


@dataclass(frozen=True)
class CropPath:
    """The chosen crop: ``keys`` are ``(t, focus)`` with focus 0 = left edge, 1 = right edge.

    ``mode`` is ``crop``, or ``fit-blur`` when the fallback or a too fast subject replaced it;
    ``subjects`` maps each shot to the track it followed (None = no face, fallback used); ``reason``
    says why a followed subject was shown whole instead (None otherwise).
    """

    mode: str
    keys: tuple[tuple[Fraction, float], ...]
    crop_width: int
    subjects: tuple[int | None, ...]
    reason: str | None = None


def crop_width(width: int, height: int, out_w: int = 9, out_h: int = 16) -> int:
    """The crop width the renderer uses: the widest even width of the output's aspect."""
    return int(min(width, height * out_w / out_h) // 2 * 2)


def choose_subject(tracks: list[Track], subject: str, width: int) -> Track | None:
    """The track to follow in one shot (see the module doc)."""
    if not tracks:
        return None
    if subject == "largest":
        def score(tr: Track) -> tuple[float, int]:
            off_centre = min(1.0, abs(tr.mean_cx - width / 2) / (width / 2))
            return tr.mean_area * (tr.presence + 0.2) * (1 - 0.3 * off_centre), -tr.id

        return max(tracks, key=score)
    longest = max(tr.presence for tr in tracks)
    steady = [tr for tr in tracks if tr.presence >= longest / 3] or tracks
    if subject == "left":
        return min(steady, key=lambda tr: tr.mean_cx)
    if subject == "right":
        return max(steady, key=lambda tr: tr.mean_cx)
    return min(steady, key=lambda tr: abs(tr.mean_cx - width / 2))


def _feasible(box: Box, cw: int, width: int, margin: float) -> tuple[float, float]:
    """Crop-centre interval that keeps ``box`` (plus margin, when it fits) inside the crop and frame."""
    lo_frame, hi_frame = cw / 2, width - cw / 2
    pad = box.w * margin
    lo, hi = box.x1 + pad - cw / 2, box.x0 - pad + cw / 2
    if lo > hi:  # the margin does not fit: keep the bare box
        lo, hi = box.x1 - cw / 2, box.x0 + cw / 2
    if lo > hi:  # the face is wider than the crop: centre on it
        lo = hi = box.cx
    return max(lo_frame, min(lo, hi_frame)), max(lo_frame, min(hi, hi_frame))


def _clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _average(xs: list[float], half: int) -> list[float]:
    """A centred moving average over ``2 * half + 1`` samples, the window shrunk evenly at the ends
    (so a straight line stays straight, to its ends)."""
    sums = [0.0, *itertools.accumulate(xs)]
    n = len(xs)
    out = []
    for i in range(n):
        k = min(half, i, n - 1 - i)
        out.append((sums[i + k + 1] - sums[i - k]) / (2 * k + 1))
    return out


def _times(start: float, end: float, step: float) -> list[float]:
    times = [start + i * step for i in range(max(1, math.ceil((end - start) / step - 1e-9)))]
    if times[-1] < end - 1e-6:
        times.append(end)
    return times


def shot_path(track: Track, start: float, end: float, cw: int, width: int,
              opts: PathOptions) -> tuple[list[tuple[float, float]], float]:
    """Crop centres ``(t, x)`` for one shot following ``track``, and the subject's top speed in crop
    widths per second (sustained for ``opts.fast_for`` s)."""
    times = _times(start, end, opts.step)
    boxes = [track.box_at(t, hold=math.inf) for t in times]
    spans = [_feasible(b, cw, width, opts.margin) for b in boxes if b is not None]
    centres = [b.cx for b in boxes if b is not None]
    lo, hi = max(s[0] for s in spans), min(s[1] for s in spans)
    if max(centres) - min(centres) < opts.dead_zone * cw and lo <= hi:
        mid = sorted(centres)[len(centres) // 2]
        x = _clamp(_clamp(mid, cw / 2, width - cw / 2), lo, hi)
        return [(start, x), (end, x)], 0.0
    half = max(1, round(opts.smooth / opts.step / 2))
    smooth = _average(_average(centres, half), half)
    reach = max(1, round(opts.fast_for / opts.step))
    speed = max((abs(smooth[i + reach] - smooth[i]) / (times[i + reach] - times[i])
                 for i in range(len(smooth) - reach)), default=0.0)
    lo_frame, hi_frame = cw / 2, width - cw / 2
    path = [(t, _clamp(_clamp(x, lo_frame, hi_frame), *span))  # the face stays inside: it wins
            for t, x, span in zip(times, smooth, spans, strict=True)]
    return path, speed / cw


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker on ``(t, x)``, measuring the error in ``x`` only (no recursion: a long
    followed shot has thousands of samples)."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (t0, x0), (t1, x1) = points[a], points[b]
        worst, index = -1.0, a
        for i in range(a + 1, b):
            t, x = points[i]
            err = abs(x - (x0 + (x1 - x0) * ((t - t0) / (t1 - t0) if t1 > t0 else 0)))
            if err > worst:
                worst, index = err, i
        if worst > tolerance:
            keep.add(index)
            stack += [(a, index), (index, b)]
    return [points[i] for i in sorted(keep)]


def auto_path(analysis: FaceAnalysis, *, subject: str = "largest", fallback: str = "centre",
              options: PathOptions | None = None, out_aspect: tuple[int, int] = (9, 16)) -> CropPath:
    """The crop path for an analysed span (times from the span's start)."""
    opts = options or PathOptions()
    width, height = analysis.width, analysis.height
    cw = crop_width(width, height, *out_aspect)
    room = width - cw
    subjects: list[int | None] = []
    points: list[tuple[float, float]] = []
    too_fast: list[tuple[int, float]] = []
    for i, shot in enumerate(analysis.shots):
        track = choose_subject(analysis.tracks_in(i), subject, width)
        subjects.append(track.id if track else None)
        if track is None:
            path = [(shot.start, width / 2), (shot.end, width / 2)]
        else:
            path, speed = shot_path(track, shot.start, shot.end, cw, width, opts)
            path = _simplify(path, opts.tolerance)
            if speed > opts.max_speed and room > 0:
                too_fast.append((i, speed))
        if points:
            # A cut: hold the old position up to a millisecond before it, then jump.
            last_t, last_x = points[-1]
            if last_t >= shot.start - 0.001:
                points[-1] = (shot.start - 0.001, last_x)
            else:
                points.append((shot.start - 0.001, last_x))
        points.extend(path)
    if fallback == "fit-blur" and all(s is None for s in subjects):
        return CropPath("fit-blur", ((Fraction(0), 0.5),), cw, tuple(subjects))
    if too_fast:
        shots = ", ".join(f"shot {i + 1} at {analysis.shots[i].start:.1f}s ({v:.1f} crop widths/s)"
                          for i, v in too_fast)
        reason = (f"the subject moves faster than the crop follows ({opts.max_speed:g} crop widths/s) in {shots}: "
                  "the segment shows the whole picture (fit-blur)")
        return CropPath("fit-blur", ((Fraction(0), 0.5),), cw, tuple(subjects), reason)
    keys: list[tuple[Fraction, float]] = []
    for t, x in points:
        focus = 0.5 if room <= 0 else _clamp((x - cw / 2) / room, 0.0, 1.0)
        at = Fraction(round(t * 1000), 1000)
        if keys and at <= keys[-1][0]:
            if at == keys[-1][0]:
                keys[-1] = (at, round(focus, 4))
            continue
        keys.append((at, round(focus, 4)))
    return CropPath("crop", tuple(keys), cw, tuple(subjects))


def focus_at(keys: tuple[tuple[Fraction, float], ...], t: float) -> float:
    """The focus at ``t`` as the renderer's expression computes it (linear between keys)."""
    if t <= keys[0][0]:
        return keys[0][1]
    for (ta, a), (tb, b) in itertools.pairwise(keys):
        if t < tb:
            return a + (b - a) * (t - float(ta)) / float(tb - ta)
    return keys[-1][1]

"""``reframe: auto``: a crop path that follows the subject, shot by shot, as focus keyframes.

Per shot (the path resets at every cut, so it is never smoothed across one):

1. **Subject.** ``largest`` (default): the track with the largest face area times the time it is
   on screen; ``left`` / ``right`` / ``centre``: by position among the tracks that are on screen for
   at least a third of the longest one.
2. **Hold or follow** (AutoFlip's rule). If the subject's centre stays within a dead zone (it moves
   less than 10 % of the crop width), the crop holds still. Otherwise it follows a critically damped
   spring towards the subject, with a speed cap.
3. **Never cut the face off.** Whenever the face box plus a margin fits in the crop, the crop is
   clamped so that it contains it; this wins over smoothness and centring.
4. **Keyframes.** The path is sampled at the analysis rate and simplified (Ramer-Douglas-Peucker,
   2 px), so the existing piecewise-linear crop expression carries it: a handful of keyframes per
   second at most, one ffmpeg graph. A cut is a jump between two keyframes a millisecond apart.

A shot without a face uses the ``fallback``: ``centre`` holds the centre; ``fit-blur`` turns the whole
segment into ``fit-blur`` when no shot of it has a face (a crop cannot switch mode inside a segment).
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
        half_life: Spring response time in seconds (critically damped).
        max_speed: Speed cap in crop widths per second.
        tolerance: Path simplification tolerance in source pixels.
    """

    dead_zone: float = 0.10
    margin: float = 0.25
    half_life: float = 0.35
    max_speed: float = 1.2
    tolerance: float = 2.0


@dataclass(frozen=True)
class CropPath:
    """The chosen crop: ``keys`` are ``(t, focus)`` with focus 0 = left edge, 1 = right edge.

    ``mode`` is ``crop``, or ``fit-blur`` when the fallback replaced it; ``subjects`` maps each shot
    to the track it followed (None = no face, fallback used).
    """

    mode: str
    keys: tuple[tuple[Fraction, float], ...]
    crop_width: int
    subjects: tuple[int | None, ...]


def crop_width(width: int, height: int, out_w: int = 9, out_h: int = 16) -> int:
    """The crop width the renderer uses: the widest even width of the output's aspect."""
    return int(min(width, height * out_w / out_h) // 2 * 2)


def choose_subject(tracks: list[Track], subject: str, width: int) -> Track | None:
    """The track to follow in one shot (see the module doc)."""
    if not tracks:
        return None
    if subject == "largest":
        return max(tracks, key=lambda tr: (tr.mean_area * (tr.end - tr.start + 0.2), -tr.id))
    longest = max(tr.end - tr.start for tr in tracks)
    steady = [tr for tr in tracks if tr.end - tr.start >= longest / 3] or tracks
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


def shot_path(track: Track, start: float, end: float, step: float, cw: int, width: int,
              opts: PathOptions) -> list[tuple[float, float]]:
    """Crop centres ``(t, x)`` for one shot following ``track``."""
    times = [start + i * step for i in range(max(1, math.ceil((end - start) / step)))]
    if times[-1] < end - 1e-6:
        times.append(end)
    boxes = [track.box_at(t, hold=math.inf) for t in times]
    spans = [_feasible(b, cw, width, opts.margin) for b in boxes if b is not None]
    centres = [b.cx for b in boxes if b is not None]
    lo, hi = max(s[0] for s in spans), min(s[1] for s in spans)
    if max(centres) - min(centres) < opts.dead_zone * cw and lo <= hi:
        mid = sorted(centres)[len(centres) // 2]
        x = _clamp(_clamp(mid, cw / 2, width - cw / 2), lo, hi)
        return [(start, x), (end, x)]
    omega = math.log(2) / opts.half_life * 2  # critically damped: both roots at -omega
    vmax = opts.max_speed * cw
    x, v = _clamp(centres[0], *spans[0]), 0.0
    out: list[tuple[float, float]] = []
    prev_t = times[0]
    for t, span, target in zip(times, spans, centres, strict=True):
        dt = t - prev_t
        prev_t = t
        if dt > 0:
            a = omega * omega * (target - x) - 2 * omega * v
            v += a * dt
            v = _clamp(v, -vmax, vmax)
            x += v * dt
        x = _clamp(x, *span)  # the face stays inside: more important than smoothness
        out.append((t, x))
    return out


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker on ``(t, x)``, measuring the error in ``x`` only."""
    if len(points) <= 2:
        return points
    (t0, x0), (t1, x1) = points[0], points[-1]
    worst, index = -1.0, 0
    for i in range(1, len(points) - 1):
        t, x = points[i]
        expected = x0 + (x1 - x0) * ((t - t0) / (t1 - t0) if t1 > t0 else 0)
        err = abs(x - expected)
        if err > worst:
            worst, index = err, i
    if worst <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: index + 1], tolerance)[:-1] + _simplify(points[index:], tolerance)


def auto_path(analysis: FaceAnalysis, *, subject: str = "largest", fallback: str = "centre",
              options: PathOptions | None = None, out_aspect: tuple[int, int] = (9, 16)) -> CropPath:
    """The crop path for an analysed span (times from the span's start)."""
    opts = options or PathOptions()
    width, height = analysis.width, analysis.height
    cw = crop_width(width, height, *out_aspect)
    room = width - cw
    step = 1.0 / analysis.sample_fps
    subjects: list[int | None] = []
    points: list[tuple[float, float]] = []
    for i, shot in enumerate(analysis.shots):
        track = choose_subject(analysis.tracks_in(i), subject, width)
        subjects.append(track.id if track else None)
        if track is None:
            path = [(shot.start, width / 2), (shot.end, width / 2)]
        else:
            path = _simplify(shot_path(track, shot.start, shot.end, step, cw, width, opts), opts.tolerance)
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

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
3. **A camera with a top speed.** The crop moves at most ``max_speed`` (1.2 crop widths a second) and,
   knowing the whole shot, starts early where it must: it stays where the face plus a margin (else the
   bare face) fits in the crop, whenever a camera of that speed can.
4. **Widen for the moment only.** Where even that camera cannot keep the whole face in the crop (the
   subject is faster than the camera), that moment, and only that, shows the whole picture
   (``fit-blur``), with a short cross-fade (``fade``) at both ends; the crop follows on underneath, so
   it is where it should be when the moment ends. :attr:`CropPath.widen` lists the moments and
   :attr:`CropPath.reason` says so for the render report. Only when the moments (with their fades) fill
   most of the segment (:data:`WHOLE_SEGMENT`) is the whole segment shown as ``fit-blur``.
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
#: Moments (with their fades) covering this share of the segment or more widen the whole segment.
WHOLE_SEGMENT = 0.75


@dataclass(frozen=True)
class PathOptions:
    """Tuning of the crop path (documented defaults, see the module doc).

    Attributes:
        dead_zone: Hold when the subject's centre moves less than this share of the crop width.
        margin: Room kept around the face box, as a share of the box width.
        smooth: Seconds the followed centre is averaged over (twice, forwards and backwards alike).
        max_speed: Fastest camera in crop widths per second; where a faster subject leaves the crop, the
            picture widens for that moment.
        fade: Seconds of cross-fade into and out of a widened moment.
        tolerance: Path simplification tolerance in source pixels.
        step: Seconds between the path's samples.
    """

    dead_zone: float = 0.10
    margin: float = 0.25
    smooth: float = 0.5
    max_speed: float = 1.2
    fade: float = 0.25
    tolerance: float = 2.0
    step: float = 0.04


@dataclass(frozen=True)
class CropPath:
    """The chosen crop: ``keys`` are ``(t, focus)`` with focus 0 = left edge, 1 = right edge.

    ``mode`` is ``crop``, or ``fit-blur`` when the fallback or a too fast subject replaced it for the
    whole segment; ``subjects`` maps each shot to the track it followed (None = no face, fallback used);
    ``widen`` lists the moments ``(a, b, c, d)`` a ``crop`` shows the whole picture instead (faded in
    from ``a`` to ``b``, whole to ``c``, faded out by ``d``; :attr:`vidcoop.timeline.model.Reframe.widen`);
    ``reason`` says why the subject was shown whole, for the moments or the segment (None otherwise).
    """

    mode: str
    keys: tuple[tuple[Fraction, float], ...]
    crop_width: int
    subjects: tuple[int | None, ...]
    reason: str | None = None
    widen: tuple[tuple[Fraction, Fraction, Fraction, Fraction], ...] = ()

    def said(self, where: str) -> str | None:
        """:attr:`reason` for a report that names ``where`` (``segment 2``): ``fit-blur 0:03.2-0:04.1
        in segment 2 (subject faster than the camera)``; None when nothing widened."""
        if self.reason is None:
            return None
        if self.mode == "crop" and self.widen:
            said = ", ".join(format_moment(float(b), float(c)) for _, b, c, _ in self.widen)
            return f"fit-blur {said} in {where} (subject faster than the camera)"
        return f"{where}: {self.reason}"


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


def _follow(times: list[float], targets: list[float], tubes: list[tuple[float, float]],
            limit: float) -> list[float]:
    """Crop centres no faster than ``limit`` px/s: as near ``targets`` as the tubes (the centres that
    keep the face in) allow, and inside every tube a camera of that speed can reach.

    A backward pass finds, for each sample, the centres from which the rest of the tubes can still be
    followed (where none can, the tube alone: the face will leave the crop for a moment there); the
    forward pass then moves toward the target within them.
    """
    n = len(times)
    reach = list(tubes)
    for i in range(n - 2, -1, -1):
        d = limit * (times[i + 1] - times[i])
        lo, hi = max(tubes[i][0], reach[i + 1][0] - d), min(tubes[i][1], reach[i + 1][1] + d)
        if lo <= hi:
            reach[i] = (lo, hi)
    xs = [_clamp(targets[0], *reach[0])]
    for i in range(1, n):
        d = limit * (times[i] - times[i - 1])
        y = xs[-1]
        lo, hi = max(reach[i][0], y - d), min(reach[i][1], y + d)
        xs.append(_clamp(targets[i], lo, hi) if lo <= hi else _clamp(_clamp(targets[i], *reach[i]), y - d, y + d))
    return xs


def shot_path(track: Track, start: float, end: float, cw: int, width: int,
              opts: PathOptions) -> list[tuple[float, float]]:
    """Crop centres ``(t, x)`` for one shot following ``track`` (see the module doc, 2 and 3)."""
    times = _times(start, end, opts.step)
    boxes = [b for b in (track.box_at(t, hold=math.inf) for t in times) if b is not None]
    spans = [_feasible(b, cw, width, opts.margin) for b in boxes]
    centres = [b.cx for b in boxes]
    lo, hi = max(s[0] for s in spans), min(s[1] for s in spans)
    if max(centres) - min(centres) < opts.dead_zone * cw and lo <= hi:
        mid = sorted(centres)[len(centres) // 2]
        x = _clamp(_clamp(mid, cw / 2, width - cw / 2), lo, hi)
        return [(start, x), (end, x)]
    half = max(1, round(opts.smooth / opts.step / 2))
    lo_frame, hi_frame = cw / 2, width - cw / 2
    targets = [_clamp(x, lo_frame, hi_frame) for x in _average(_average(centres, half), half)]
    limit = opts.max_speed * cw
    best: list[float] = []
    misses = math.inf
    for margin in (opts.margin, 0.0):  # with room around the face; else the bare face, if that misses less
        xs = _follow(times, targets, [_feasible(b, cw, width, margin) for b in boxes], limit)
        missed = sum(not _holds(x, b, cw) for x, b in zip(xs, boxes, strict=True))
        if missed < misses:
            best, misses = xs, missed
        if not missed:
            break
    return list(zip(times, best, strict=True))


def _holds(x: float, box: Box, cw: float) -> bool:
    """Whether a crop centred at ``x`` holds the whole ``box`` (half a pixel of rounding allowed)."""
    return x - cw / 2 - 0.5 <= box.x0 and box.x1 <= x + cw / 2 + 0.5


def _moments(misses: list[float], step: float, fade: float, duration: float) -> list[tuple[float, float]]:
    """Times the face is outside the crop as moments ``(start, end)``, one sample wider on each side;
    moments whose fades would meet are one."""
    spans: list[list[float]] = []
    for t in misses:
        a, b = max(0.0, t - step), min(duration, t + step)
        if spans and a <= spans[-1][1] + 2 * fade:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


def format_moment(a: float, b: float) -> str:
    """``0:03.2-0:04.1`` (seconds to a tenth)."""
    def clock(t: float) -> str:
        m, sec = divmod(round(t * 10), 600)
        return f"{m}:{sec // 10:02d}.{sec % 10}"

    return f"{clock(a)}\u2013{clock(b)}"


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
    followed: list[tuple[int, Track]] = []
    for i, shot in enumerate(analysis.shots):
        track = choose_subject(analysis.tracks_in(i), subject, width)
        subjects.append(track.id if track else None)
        if track is None:
            path = [(shot.start, width / 2), (shot.end, width / 2)]
        else:
            path = _simplify(shot_path(track, shot.start, shot.end, cw, width, opts), opts.tolerance)
            followed.append((i, track))
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
    frozen = tuple(keys)
    # The face leaves the crop where the camera cannot keep up: checked on the path as rendered.
    misses = [t for i, track in followed if room > 0
              for t in _times(analysis.shots[i].start, analysis.shots[i].end, opts.step)
              if t < analysis.shots[i].end - 1e-6  # the end is the next shot's first frame
              and (box := track.box_at(t, hold=math.inf)) is not None
              and not _holds(cw / 2 + focus_at(frozen, t) * room, box, cw)]
    if not misses:
        return CropPath("crop", frozen, cw, tuple(subjects))
    moments = _moments(misses, opts.step, opts.fade, analysis.duration)
    said = ", ".join(format_moment(a, b) for a, b in moments)
    shown = sum(min(analysis.duration, b + opts.fade) - max(0.0, a - opts.fade) for a, b in moments)
    if shown >= WHOLE_SEGMENT * analysis.duration:
        reason = (f"fit-blur for the whole segment: the subject is faster than the camera ({opts.max_speed:g} "
                  f"crop widths/s) at {said}")
        return CropPath("fit-blur", ((Fraction(0), 0.5),), cw, tuple(subjects), reason)
    reason = f"fit-blur {said} (subject faster than the camera, {opts.max_speed:g} crop widths/s)"
    def ms(t: float) -> Fraction:
        return Fraction(round(t * 1000), 1000)

    widen = tuple((ms(max(0.0, a - opts.fade)), ms(a), ms(b), ms(min(analysis.duration, b + opts.fade)))
                  for a, b in moments)
    return CropPath("crop", frozen, cw, tuple(subjects), reason, widen)


def focus_at(keys: tuple[tuple[Fraction, float], ...], t: float) -> float:
    """The focus at ``t`` as the renderer's expression computes it (linear between keys)."""
    if t <= keys[0][0]:
        return keys[0][1]
    for (ta, a), (tb, b) in itertools.pairwise(keys):
        if t < tb:
            return a + (b - a) * (t - float(ta)) / float(tb - ta)
    return keys[-1][1]

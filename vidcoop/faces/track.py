"""Face tracks that expect motion: each detection joins the track whose face should be there now.

A track keeps a constant-velocity state (an alpha-beta filter: the position is the latest detection,
the velocity follows the prediction error). A detection joins the track whose predicted centre is
nearest, inside a gate that grows with the face's size, the time since the track was last seen and its
measured speed, so a face that crosses the frame stays one track even when two consecutive boxes do
not overlap at all. A new track starts with the picture's own motion (a pan, measured by
:mod:`vidcoop.faces.motion`) as its velocity and a wide gate, since the face's own speed is not known
yet. A track survives misses for ``gap`` seconds (about half a second).

When the shot is over, tracks of one person are rejoined: one that ends and one that starts later, of
about the same size, starting where the first was expected, or leading back (by its own first speed)
to where the first ended (a face that sped up faster than the filter followed), or at the frame edge
where the first left (the person walked out and came back). Tracks never cross a cut.

The same :class:`Tracker` runs while the analysis decodes (its :meth:`Tracker.unsettled` asks for
faster sampling where faces move fast or the last samples disagree) and again over all detections once
the shots are known (:func:`link_tracks`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vidcoop.faces.model import Box, Detection, Shot, Track

#: Share of the prediction error that corrects a track's velocity.
BETA = 0.5
#: Face sizes per second a face whose own speed is not measured yet may have moved (a brisk walk at
#: 1080p, a face 100 px high, crossing the frame in 2 s is about 10).
NEW_SPEED = 11.0
#: Gate radius in face sizes with no time elapsed, and how many face sizes per second it grows by
#: (acceleration, detector jitter); plus this share of the distance the measured speed covers.
GATE_SIZES, GATE_DRIFT, GATE_SPEED = 0.6, 2.0, 0.3
#: Largest change of the face height between two linked boxes.
SIZE_RATIO = 1.6
#: Longest absence (seconds) after which a returning face still continues its track.
REJOIN = 4.0
#: Face sizes from a frame edge that count as "at the edge" (where a person walks out and back in).
EDGE = 0.6
#: A face moving more face sizes per second than this is sampled faster.
FAST_SIZES = 7.5
#: Seconds of faster sampling after the samples disagreed (a face was missed, or was far from where
#: it was expected). A face that appears is not sampled faster: a still shot's faces all appear once,
#: and the next regular sample measures the speed (the new track's gate allows a brisk walk).
SETTLE = 0.6

Velocity = Callable[[float, float], tuple[float, float]]


def no_motion(t0: float, t1: float) -> tuple[float, float]:
    """The picture's velocity when it is not measured: still."""
    return 0.0, 0.0


@dataclass
class _Live:
    shot: int
    points: list[tuple[float, Box]]
    vx: float
    vy: float
    measured: bool = False  # the velocity comes from the face's own points, not the picture's motion
    predicted: list[tuple[float, float, float]] = field(default_factory=list)

    @property
    def t(self) -> float:
        return self.points[-1][0]

    @property
    def last(self) -> Box:
        return self.points[-1][1]

    @property
    def size(self) -> float:
        return max(self.last.w, self.last.h, 1.0)

    @property
    def speed(self) -> float:
        return math.hypot(self.vx, self.vy)

    def predict(self, t: float) -> tuple[float, float]:
        dt = t - self.t
        return self.last.cx + self.vx * dt, self.last.cy + self.vy * dt

    def gate(self, t: float) -> float:
        dt = t - self.t
        if not self.measured:
            return self.size * (GATE_SIZES + NEW_SPEED * dt)
        return self.size * (GATE_SIZES + GATE_DRIFT * dt) + GATE_SPEED * self.speed * dt

    def add(self, t: float, box: Box, predicted: tuple[float, float]) -> None:
        dt = t - self.t
        if self.measured:
            self.vx += BETA * (box.cx - predicted[0]) / dt
            self.vy += BETA * (box.cy - predicted[1]) / dt
        else:
            self.vx, self.vy = (box.cx - self.last.cx) / dt, (box.cy - self.last.cy) / dt
            self.measured = True
        self.points.append((t, box))
        self.predicted.append((t, predicted[0], predicted[1]))


class Tracker:
    """Links detections, sample by sample, in time order (see the module doc)."""

    def __init__(self, width: int, height: int, gap: float, motion: Velocity = no_motion) -> None:
        self._width, self._height, self._gap, self._motion = width, height, gap, motion
        self._live: list[_Live] = []
        self._done: list[_Live] = []
        self._last_t: float | None = None
        self._unsettled_until = -math.inf

    def update(self, t: float, shot: int, found: Sequence[Box]) -> None:
        """Add the faces ``found`` in the analysed frame at ``t`` (seconds), in shot ``shot``."""
        if self._last_t is not None and t <= self._last_t:
            raise ValueError(f"samples must come in time order: {t} after {self._last_t}")
        prior = self._motion(self._last_t if self._last_t is not None else t, t)
        self._last_t = t
        live: list[_Live] = []
        for tr in self._live:
            (live if tr.shot == shot and t - tr.t <= self._gap + 1e-6 else self._done).append(tr)
        self._live = live
        pairs = []
        for i, tr in enumerate(live):
            px, py = tr.predict(t)
            radius = tr.gate(t)
            for j, box in enumerate(found):
                if not 1 / SIZE_RATIO <= max(box.h, 1.0) / max(tr.last.h, 1.0) <= SIZE_RATIO:
                    continue
                d = math.hypot(box.cx - px, box.cy - py)
                if d <= radius:
                    pairs.append((d / radius, i, j, (px, py)))
        pairs.sort(key=lambda p: p[:3])
        linked: set[int] = set()
        used: set[int] = set()
        disagree = False
        for cost, i, j, predicted in pairs:
            if i in linked or j in used:
                continue
            linked.add(i)
            used.add(j)
            disagree |= live[i].measured and cost > 0.5
            live[i].add(t, found[j], predicted)
        disagree |= len(linked) < len(live)  # a face was missed
        for j, box in enumerate(found):
            if j not in used:  # a face appeared (its speed is measured at the next sample; the gate is wide)
                self._live.append(_Live(shot, [(t, box)], *prior))
        if disagree:
            self._unsettled_until = t + SETTLE

    def unsettled(self, t: float) -> bool:
        """Whether the frames after ``t`` should be sampled faster: a face moves fast, or the last
        samples disagreed."""
        if t < self._unsettled_until:
            return True
        return any(tr.measured and tr.speed > FAST_SIZES * tr.size for tr in self._live if t - tr.t <= self._gap)

    def regions(self, t: float) -> list[tuple[float, float, float]]:
        """``(cx, cy, radius)`` for each live face: where it can be at ``t`` (its predicted centre; its
        gate and its size around it), so a sample taken only to follow it need look there alone."""
        return [(*tr.predict(t), tr.gate(t) + tr.size) for tr in self._live if t - tr.t <= self._gap]

    def tracks(self) -> tuple[Track, ...]:
        """Every track so far, one person's pieces rejoined, numbered in order of appearance."""
        joined = _rejoin([*self._done, *self._live], self._width, self._height)
        joined.sort(key=lambda tr: (tr.shot, tr.points[0][0], tr.points[0][1].cx))
        return tuple(Track(i, tr.shot, tuple(tr.points),
                           tuple((t, round(x, 2), round(y, 2)) for t, x, y in tr.predicted))
                     for i, tr in enumerate(joined))


def _side(box: Box, size: float, width: int, height: int) -> str | None:
    margin = EDGE * size
    if box.x0 <= margin:
        return "left"
    if box.x1 >= width - margin:
        return "right"
    if box.y0 <= margin:
        return "top"
    if box.y1 >= height - margin:
        return "bottom"
    return None


def _before(tr: _Live, dt: float) -> tuple[float, float]:
    """Where ``tr``'s face was ``dt`` s before its first point, by the speed of its first two (a face
    that sped up faster than the filter followed: its new track leads back to where the old one ended)."""
    (t0, a), (t1, b) = tr.points[0], tr.points[1]
    if t1 - t0 > 0.5:
        return a.cx, a.cy
    return a.cx - (b.cx - a.cx) / (t1 - t0) * dt, a.cy - (b.cy - a.cy) / (t1 - t0) * dt


def _rejoin(tracks: list[_Live], width: int, height: int) -> list[_Live]:
    """Pieces of one person joined: the nearest follower in time that is plausibly the same face."""
    pairs = []
    order = sorted(range(len(tracks)), key=lambda i: tracks[i].points[0][0])
    starts = [tracks[i].points[0][0] for i in order]
    for a_i, a in enumerate(tracks):
        if len(a.points) < 2:
            continue
        # only tracks that start within REJOIN after this one ends (a long video has thousands)
        for b_i in order[bisect.bisect_right(starts, a.t):bisect.bisect_right(starts, a.t + REJOIN)]:
            b = tracks[b_i]
            away = b.points[0][0] - a.t
            if b.shot != a.shot or len(b.points) < 2 or away <= 0:
                continue
            first = b.points[0][1]
            if not 1 / SIZE_RATIO <= max(first.h, 1.0) / max(a.last.h, 1.0) <= SIZE_RATIO:
                continue
            size = max(a.size, first.w, first.h)
            ex, ey = a.predict(a.t + min(away, 1.0))
            bx, by = _before(b, min(away, 1.0))
            near = min(math.hypot(first.cx - a.last.cx, first.cy - a.last.cy),
                       math.hypot(first.cx - ex, first.cy - ey),
                       math.hypot(bx - a.last.cx, by - a.last.cy)) <= size * (1 + away)
            side = _side(a.last, size, width, height)
            if near or (side is not None and side == _side(first, size, width, height)):
                pairs.append((away, a_i, b_i))
    after: dict[int, int] = {}
    before: dict[int, int] = {}
    for _, a_i, b_i in sorted(pairs):
        if a_i not in after and b_i not in before:
            after[a_i] = b_i
            before[b_i] = a_i
    out = []
    for i, tr in enumerate(tracks):
        if i in before:
            continue
        points, predicted = list(tr.points), list(tr.predicted)
        while i in after:
            i = after[i]
            points += tracks[i].points
            predicted += tracks[i].predicted
        out.append(_Live(tr.shot, points, tr.vx, tr.vy, tr.measured, predicted))
    return out


def link_tracks(detections: Sequence[Detection], shots: Sequence[Shot], size: tuple[int, int], gap: float,
                motion: Velocity = no_motion) -> tuple[Track, ...]:
    """Detections linked into tracks within each shot (see the module doc).

    Args:
        detections: Faces found, any order.
        shots: The shots, in order, covering the span.
        size: The frame's width and height (for the edges a person leaves by).
        gap: Longest miss in seconds a track survives.
        motion: The picture's velocity in pixels per second between two times (a pan).
    """
    starts = [s.start for s in shots]
    by_time: dict[float, list[Box]] = {}
    for d in sorted(detections, key=lambda d: (d.t, -d.score)):
        by_time.setdefault(d.t, []).append(d.box)
    tracker = Tracker(size[0], size[1], gap, motion)
    for t in sorted(by_time):
        tracker.update(t, max(0, bisect.bisect_right(starts, t) - 1), by_time[t])
    return tracker.tracks()

"""Face-analysis values. Boxes are in source pixels of the displayed (rotated) frame; times in seconds
from the start of the analysed span."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

ANALYSIS_VERSION = 3  # 2: tracks linked by predicted position, predictions and pans kept; 3: a sped-up face rejoined


@dataclass(frozen=True)
class Box:
    """An axis-aligned box ``(x0, y0)``-``(x1, y1)`` in pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def area(self) -> float:
        return max(0.0, self.w) * max(0.0, self.h)

    def iou(self, other: Box) -> float:
        ix = max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))
        iy = max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0))
        inter = ix * iy
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0

    def padded(self, fraction: float) -> Box:
        """Grown by ``fraction`` of its size on every side (0.3 = 30 %)."""
        dx, dy = self.w * fraction, self.h * fraction
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def lerp(self, other: Box, a: float) -> Box:
        return Box(*(p + (q - p) * a for p, q in zip(self.tuple(), other.tuple(), strict=True)))

    def tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)


@dataclass(frozen=True)
class Detection:
    """One face found in one analysed frame."""

    t: float
    box: Box
    score: float


@dataclass(frozen=True)
class Shot:
    """A stretch between two cuts, ``[start, end)`` in seconds of the span."""

    start: float
    end: float


@dataclass(frozen=True)
class Track:
    """One person's face followed through one shot: detections linked by predicted position
    (:mod:`vidcoop.faces.track`), through short misses, and rejoined when the person comes back.

    Attributes:
        id: Unique within the analysis.
        shot: Index of its shot.
        points: ``(t, box)`` at analysed frames, in time order.
        predicted: ``(t, cx, cy)``: where the tracker expected the face centre at each linked point
            after the first (for ``vidcoop faces --plot``).
    """

    id: int
    shot: int
    points: tuple[tuple[float, Box], ...]
    predicted: tuple[tuple[float, float, float], ...] = ()

    @property
    def start(self) -> float:
        return self.points[0][0]

    @property
    def end(self) -> float:
        return self.points[-1][0]

    @property
    def mean_area(self) -> float:
        return sum(b.area for _, b in self.points) / len(self.points)

    @property
    def mean_cx(self) -> float:
        return sum(b.cx for _, b in self.points) / len(self.points)

    @property
    def presence(self) -> float:
        """Seconds on screen: the span covered, less the absences longer than a second."""
        return sum(tb - ta for (ta, _), (tb, _) in itertools.pairwise(self.points) if tb - ta <= 1.0)

    def box_at(self, t: float, hold: float = 0.0, bridge: float = math.inf) -> Box | None:
        """The box at ``t``, linear between analysed frames; held ``hold`` s past the ends; else None.

        Between two points more than ``bridge`` s apart (the person was away) the box is held ``hold`` s
        on either side and is None in between.
        """
        pts = self.points
        if t < pts[0][0] - hold or t > pts[-1][0] + hold:
            return None
        if t <= pts[0][0]:
            return pts[0][1]
        if t >= pts[-1][0]:
            return pts[-1][1]
        lo, hi = 0, len(pts) - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if pts[mid][0] <= t:
                lo = mid
            else:
                hi = mid
        (ta, a), (tb, b) = pts[lo], pts[hi]
        if tb - ta > bridge:
            return a if t - ta <= hold else b if tb - t <= hold else None
        return a.lerp(b, (t - ta) / (tb - ta)) if tb > ta else a


@dataclass(frozen=True)
class FaceAnalysis:
    """Shots and face tracks of one source span.

    Attributes:
        width, height: The displayed frame size the boxes refer to.
        duration: Length of the analysed span in seconds.
        sample_fps: Analysed frames per second for faces.
        shots: Shots in order, covering the span.
        tracks: Face tracks, each inside one shot.
        pans: ``(start, end)`` spans where the whole picture moved (a camera pan; never a cut).
        params: What produced it (model, proxy size, thresholds), part of the cache key.
        cache_problem: Why it could not be cached (the next render analyses again), or None.
    """

    width: int
    height: int
    duration: float
    sample_fps: float
    shots: tuple[Shot, ...]
    tracks: tuple[Track, ...]
    params: tuple[tuple[str, Any], ...] = ()
    pans: tuple[tuple[float, float], ...] = ()
    cache_problem: str | None = field(default=None, compare=False)

    def shot_at(self, t: float) -> int:
        for i, shot in enumerate(self.shots):
            if shot.start <= t < shot.end:
                return i
        return len(self.shots) - 1

    def tracks_in(self, shot: int) -> list[Track]:
        return [tr for tr in self.tracks if tr.shot == shot]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": ANALYSIS_VERSION,
            "width": self.width, "height": self.height, "duration": self.duration, "sample_fps": self.sample_fps,
            "shots": [[s.start, s.end] for s in self.shots],
            "tracks": [{"id": tr.id, "shot": tr.shot,
                        "points": [[t, *[round(v, 2) for v in b.tuple()]] for t, b in tr.points],
                        "predicted": [[t, round(x, 2), round(y, 2)] for t, x, y in tr.predicted]}
                       for tr in self.tracks],
            "pans": [[a, b] for a, b in self.pans],
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaceAnalysis:
        tracks = tuple(
            Track(int(tr["id"]), int(tr["shot"]), tuple((float(p[0]), Box(*map(float, p[1:5]))) for p in tr["points"]),
                  tuple((float(p[0]), float(p[1]), float(p[2])) for p in tr.get("predicted", ())))
            for tr in data["tracks"]
        )
        return cls(int(data["width"]), int(data["height"]), float(data["duration"]), float(data["sample_fps"]),
                   tuple(Shot(float(a), float(b)) for a, b in data["shots"]), tracks,
                   tuple(sorted(data.get("params", {}).items())),
                   tuple((float(a), float(b)) for a, b in data.get("pans", ())))

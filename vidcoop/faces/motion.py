"""The picture's own motion (a camera pan), measured cheaply on the shot finder's thumbnails.

Phase correlation (OpenCV) of each gray thumbnail with the one before gives the shift of the whole
picture and how well one shift explains the change (the response, 0 to 1). Measured on generated
footage at a 96 px thumbnail: a pan over texture answers 0.7 to 0.97, a hard cut about 0.1. So a cut
the content detector reports where the picture only moved is a pan, not a cut, and the shift seeds the
velocity of a face the tracker sees for the first time (a still face in a pan moves with the picture).
A pan goes on: the change counts as one only when the frame before or after moved the same way (a
hard cut between two shots of one face, pasted elsewhere, answers 0.57 on its own).

A moving face on a flat background shifts a small part of the thumbnail; only changes that move the
picture as a whole (a mean difference of :data:`CHANGE` gray levels or more) count as its motion.
About 0.2 ms a frame.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

#: Below this response one shift does not explain the change: no motion is measured.
RESPONSE = 0.3
#: Mean absolute difference (gray levels) below which the picture as a whole did not change.
CHANGE = 2.0
#: The smallest shift between two frames that a dropped cut needs, in thumbnail pixels.
CUT_SHIFT = 0.25
#: A pan moves at least this share of the picture width a second, for at least :data:`MIN_PAN` s.
PAN_SPEED = 0.04
MIN_PAN = 0.4


class GlobalMotion:
    """Frame-to-frame shift of the whole picture (see the module doc).

    Args:
        scale: Source pixels per thumbnail pixel.
    """

    def __init__(self, scale: float) -> None:
        self._scale = scale
        self._prev: Any = None
        self._window: Any = None
        self._times: list[float] = []
        self._shift: list[tuple[float, float]] = []  # from the frame before, thumbnail pixels (0 = none)

    def feed(self, t: float, bgr: Any) -> None:
        """Add the thumbnail of the frame at ``t`` (after the frame before it)."""
        import cv2
        import numpy as np

        gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
        dx = dy = 0.0
        if self._prev is not None and self._prev.shape == gray.shape:
            if self._window is None:
                self._window = cv2.createHanningWindow((gray.shape[1], gray.shape[0]), cv2.CV_32F)
            if float(np.abs(gray - self._prev).mean()) >= CHANGE:
                (dx, dy), response = cv2.phaseCorrelate(self._prev, gray, self._window)
                if response < RESPONSE:
                    dx = dy = 0.0
        self._prev = gray
        self._times.append(t)
        self._shift.append((dx, dy))

    def _at(self, t: float) -> int:
        return max(0, bisect.bisect_right(self._times, t + 1e-6) - 1)

    def _steady(self, i: int) -> bool:
        """Whether frame ``i`` shifted as a frame next to it did (a pan goes on; a cut does not)."""
        bx, by = self._shift[i]
        now = math.hypot(bx, by)
        if now < CUT_SHIFT:
            return False
        for j in (i - 1, i + 1):
            if 0 < j < len(self._shift):
                ax, ay = self._shift[j]
                if math.hypot(ax, ay) >= CUT_SHIFT and math.hypot(bx - ax, by - ay) <= max(1.0, 0.5 * now):
                    return True
        return False

    def velocity(self, t0: float, t1: float) -> tuple[float, float]:
        """The picture's mean velocity between ``t0`` and ``t1`` in source pixels per second (steady
        shifts only)."""
        if not self._times or t1 <= t0:
            return 0.0, 0.0
        a, b = self._at(t0), self._at(t1)
        span = self._times[b] - self._times[a]
        if span <= 0:
            return 0.0, 0.0
        steady = [self._shift[i] for i in range(a + 1, b + 1) if self._steady(i)]
        return (sum(x for x, _ in steady) * self._scale / span, sum(y for _, y in steady) * self._scale / span)

    def moved(self, t: float) -> bool:
        """Whether the frame at ``t`` is the one before it shifted, as a frame next to it is (a pan, not
        a cut; ask once the frame after it was fed)."""
        return bool(self._times) and self._steady(self._at(t))

    def pans(self, width: int, step: float = 0.2) -> tuple[tuple[float, float], ...]:
        """``(start, end)`` where the picture moved faster than :data:`PAN_SPEED` for :data:`MIN_PAN` s."""
        if not self._times:
            return ()
        spans: list[list[float]] = []
        t, end = self._times[0], self._times[-1]
        while t < end:
            vx, vy = self.velocity(t, t + step)
            if math.hypot(vx, vy) >= PAN_SPEED * width:
                if spans and spans[-1][1] >= t - 1e-6:
                    spans[-1][1] = min(t + step, end)
                else:
                    spans.append([t, min(t + step, end)])
            t += step
        return tuple((round(a, 4), round(b, 4)) for a, b in spans if b - a >= MIN_PAN - 1e-6)

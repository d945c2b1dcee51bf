"""Anonymisation masks: a small grayscale video (white = hide) made from face tracks and regions.

Boxes are padded (30 % of the face size on every side) and held 0.3 s past the last detection, so a
missed detection never shows a face; edges are feathered. The mask is low resolution (320 px wide,
10 fps): the render graph scales it to the source and blends a blurred copy of the picture through it
(``alphamerge`` + ``overlay``), in the same encode.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.faces.model import Box, FaceAnalysis
from vidcoop.files import atomic_path
from vidcoop.media.runner import run_ffmpeg
from vidcoop.timeline.model import Anonymize

PAD = 0.30
HOLD = 0.30
#: A track's points further apart than this (the person walked out and came back) are not blended across.
BRIDGE = 1.0
MASK_FPS = 10
MASK_WIDTH = 320
FEATHER = 3  # mask pixels


@dataclass(frozen=True)
class MaskPlan:
    """What a mask covers: the face tracks (by id) and the regions, over ``duration`` seconds."""

    width: int
    height: int
    duration: float
    tracks: tuple[int, ...]
    anonymize: Anonymize

    @property
    def size(self) -> tuple[int, int]:
        w = MASK_WIDTH
        h = max(2, round(MASK_WIDTH * self.height / self.width / 2) * 2)
        return w, h


def covered_tracks(analysis: FaceAnalysis, spec: Anonymize, subjects: tuple[int | None, ...]) -> tuple[int, ...]:
    """Track ids to hide: all of them, or all but the reframe subject of each shot."""
    if spec.faces == "none":
        return ()
    keep = {s for s in subjects if s is not None} if spec.faces == "all-but-subject" else set()
    return tuple(tr.id for tr in analysis.tracks if tr.id not in keep)


def boxes_at(analysis: FaceAnalysis, plan: MaskPlan, t: float) -> list[Box]:
    """Every box to hide at ``t`` (source pixels), padded, with held detections.

    A mask frame shows for 1/MASK_FPS s, so each face is covered where it is during that whole
    interval (the boxes half a frame before and after are added).
    """
    wanted = set(plan.tracks)
    out = []
    half = 0.5 / MASK_FPS
    for tr in analysis.tracks:
        if tr.id in wanted:
            for when in (t - half, t, t + half):
                box = tr.box_at(when, hold=HOLD, bridge=BRIDGE)
                if box is not None:
                    out.append(box.padded(PAD))
    for r in plan.anonymize.regions:
        if (r.start is None or t >= r.start) and (r.end is None or t < r.end):
            out.append(Box(r.x, r.y, r.x + r.w, r.y + r.h))
    return out


def mask_frames(analysis: FaceAnalysis, plan: MaskPlan) -> Iterator[bytes]:
    """Raw ``gray`` frames of the mask at :data:`MASK_FPS`."""
    import numpy as np

    w, h = plan.size
    sx, sy = w / plan.width, h / plan.height
    count = max(1, math.ceil(plan.duration * MASK_FPS))
    for i in range(count):
        img = np.zeros((h, w), dtype=np.float32)
        for box in boxes_at(analysis, plan, i / MASK_FPS):
            x0 = max(0, math.floor(box.x0 * sx) - FEATHER)
            y0 = max(0, math.floor(box.y0 * sy) - FEATHER)
            x1 = min(w, math.ceil(box.x1 * sx) + FEATHER)
            y1 = min(h, math.ceil(box.y1 * sy) + FEATHER)
            if x1 > x0 and y1 > y0:
                img[y0:y1, x0:x1] = 255.0
        yield _feather(img).astype(np.uint8).tobytes()


def _feather(img: Any) -> Any:
    """A box blur of radius :data:`FEATHER` (separable): the fill reaches past each box by that much first,
    so the box itself stays fully white and only the margin fades."""
    import numpy as np

    a = np.asarray(img, dtype=np.float32)
    k = 2 * FEATHER + 1
    for axis in (0, 1):
        padded = np.pad(a, [(FEATHER, FEATHER) if ax == axis else (0, 0) for ax in (0, 1)], mode="edge")
        c = np.cumsum(padded, axis=axis, dtype=np.float64)
        c = np.concatenate([np.zeros_like(c.take([0], axis=axis)), c], axis=axis)
        n = a.shape[axis]
        a = ((c.take(range(k, k + n), axis=axis) - c.take(range(0, n), axis=axis)) / k).astype(np.float32)
    return np.clip(np.round(a), 0, 255)


def write_mask(analysis: FaceAnalysis, plan: MaskPlan, target: Path) -> Path:
    """Encode the mask losslessly (FFV1, gray) through the one subprocess runner."""
    w, h = plan.size
    with atomic_path(target) as tmp:
        run_ffmpeg(["-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{w}x{h}",
                    "-r", str(MASK_FPS), "-i", "-", "-c:v", "ffv1", "-pix_fmt", "gray", "-f", "matroska", str(tmp)],
                   feed=mask_frames(analysis, plan), what="anonymisation mask", discard_on_stop=True)
    return target

"""Anonymising finds small faces (a passer-by), which the speaker-following analysis need not.

The face is scikit-image's astronaut face pasted at 130 px into 1920x1080 texture (the face itself
about 50x65 px). Ground truth is the pasted position, so both the detections and the mask that hides
them are checked against where the face really is, frame by frame.
"""

from __future__ import annotations

import pytest

from tests.faces.conftest import FACE, FACE_BOX, SMALL_FACE
from vidcoop.faces.analysis import PRIVACY_OPTIONS, AnalysisOptions, analyse
from vidcoop.faces.mask import MASK_FPS, MaskPlan, covered_tracks, mask_frames
from vidcoop.timeline.model import Anonymize

pytestmark = pytest.mark.slow

SCALE = SMALL_FACE / FACE


def _truth(footage, t: float) -> tuple[float, float, float, float]:
    x, y = footage.x(t), footage.y
    return (x + FACE_BOX[0] * SCALE, y + FACE_BOX[1] * SCALE, x + FACE_BOX[2] * SCALE, y + FACE_BOX[3] * SCALE)


def _hits(analysis, footage) -> float:
    """Share of the detector's samples in which a detection overlaps the true face."""
    samples = int(footage.duration * analysis.sample_fps)
    found = 0
    for i in range(samples):
        t = i / analysis.sample_fps
        x0, y0, x1, y1 = _truth(footage, t)
        for track in analysis.tracks:
            box = track.box_at(t)
            if box is not None and box.x0 < x1 and x0 < box.x1 and box.y0 < y1 and y0 < box.y1:
                found += 1
                break
    return found / samples


def test_anonymising_finds_the_small_face_and_its_mask_covers_it(small_face_footage) -> None:
    import numpy as np

    f = small_face_footage
    private = analyse(f.path, options=PRIVACY_OPTIONS, cache=False)
    assert _hits(private, f) >= 0.9
    # The reason there are two settings: the speaker-following proxy is too coarse for this face.
    assert _hits(analyse(f.path, options=AnalysisOptions(), cache=False), f) < _hits(private, f)

    plan = MaskPlan(
        private.width,
        private.height,
        f.duration,
        covered_tracks(private, Anonymize(faces="all"), ()),
        Anonymize(faces="all"),
    )
    w, h = plan.size
    sx, sy = w / private.width, h / private.height
    frames = list(mask_frames(private, plan))
    for i, raw in enumerate(frames[: int(f.duration * MASK_FPS)]):
        mask = np.frombuffer(raw, dtype=np.uint8).reshape(h, w)
        x0, y0, x1, y1 = _truth(f, i / MASK_FPS)
        face = mask[int(y0 * sy) : int(y1 * sy) + 1, int(x0 * sx) : int(x1 * sx) + 1]
        assert face.min() == 255, f"mask frame {i}: the face at {x0:.0f},{y0:.0f} is not fully hidden"

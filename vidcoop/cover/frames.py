"""Pick a good still for a cover: decode candidates with PyAV, score them with numpy.

Sharpness is the variance of a 3x3 Laplacian over a fixed-size grey copy of
the frame: soft (motion-blurred, out of focus) frames score low. Near-black
frames (fades, lens cap) are skipped, and so are test patterns (colour bars,
``testsrc``): several flat, saturated colour fields of different hues, which
footage of people and places does not have. A frame with a face (CenterFace,
when ``vidcoop[faces]`` is installed) beats a sharper one without.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import MediaError
from vidcoop.faces.detect import detector, model_path
from vidcoop.media.probing import file_url, start_offset

_SCORE_WIDTH = 360
# Mean luma (0..255) below which a frame counts as black.
BLACK_LEVEL = 24.0


@dataclass(frozen=True)
class Candidate:
    """One decoded frame and its scores.

    Attributes:
        time: Source time of the frame (seconds).
        image: The frame as an RGB ``PIL.Image``, rotated for display.
        sharpness: Laplacian variance of its grey copy (higher is sharper).
        brightness: Mean luma 0..255.
        pattern: It looks like a test pattern (:func:`is_test_pattern`).
        faces: Faces big enough for a cover (:func:`count_faces`), 0 when unknown.
    """

    time: Fraction
    image: Any
    sharpness: float
    brightness: float
    pattern: bool = False
    faces: int = 0

    @property
    def usable(self) -> bool:
        return self.brightness >= BLACK_LEVEL and not self.pattern


def sharpness(gray: Any) -> float:
    """Variance of the 4-neighbour Laplacian of a 2-D grey array."""
    import numpy as np

    g = np.asarray(gray, dtype=np.float32)
    if g.ndim != 2 or min(g.shape) < 3:
        return 0.0
    lap = g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:] - 4.0 * g[1:-1, 1:-1]
    return float(lap.var())


def score(image: Any, time: Fraction) -> Candidate:
    """Score a PIL image (scaled to a fixed width, so sources of any size compare fairly)."""
    import numpy as np

    width = _SCORE_WIDTH
    height = max(3, round(image.height * width / image.width))
    gray = np.asarray(image.convert("L").resize((width, height)), dtype=np.float32)
    return Candidate(time, image, sharpness(gray), float(gray.mean()), is_test_pattern(image))


#: A test pattern has flat, saturated fields of at least this many hue families (colour bars have 6 or 7,
#: ``rgbtestsrc`` 3; a gradient sky, a blue wall, a face: at most 2), each this share of the picture.
PATTERN_HUES = 3
PATTERN_SHARE = 0.02


def is_test_pattern(image: Any) -> bool:
    """Whether a picture is a test pattern: flat saturated fields in several hue families.

    Measured on ffmpeg's ``smptebars``, ``smptehdbars``, ``pal75bars``, ``testsrc``, ``testsrc2``,
    ``rgbtestsrc``, ``yuvtestsrc`` (3 to 7 families) against scikit-image's photographs, a gradient
    and the example's interview frame (0 to 2).
    """
    import numpy as np
    from PIL import Image

    small = image.convert("RGB").resize((192, max(3, round(192 * image.height / image.width))),
                                        Image.Resampling.BOX)
    gray = np.asarray(small.convert("L"), dtype=np.float32)
    flat = np.zeros(gray.shape, dtype=bool)
    flat[:-1, :-1] = (np.abs(np.diff(gray, axis=1))[:-1, :] + np.abs(np.diff(gray, axis=0))[:, :-1]) < 3
    hsv = np.asarray(small.convert("HSV"), dtype=np.int32)
    vivid = flat & (hsv[..., 1] >= 128) & (hsv[..., 2] >= 96)
    families = np.bincount(hsv[..., 0][vivid] * 12 // 256, minlength=12) / gray.size
    return int((families >= PATTERN_SHARE).sum()) >= PATTERN_HUES


#: A face counts for a cover from this share of the picture's height (a passer-by in the back does not).
COVER_FACE_SHARE = 0.06
_FACE_PROXY = 320  # detector input height (a multiple of 32)


def count_faces(image: Any) -> int | None:
    """Faces of a useful size in ``image`` (CenterFace); None when ``vidcoop[faces]`` is not installed."""
    boxes = face_boxes(image)
    return None if boxes is None else len(boxes)


def face_boxes(image: Any) -> list[tuple[int, int, int, int]] | None:
    """The faces of a useful size in ``image`` as ``(x0, y0, x1, y1)`` in its pixels (CenterFace);
    None when ``vidcoop[faces]`` is not installed."""
    import numpy as np
    from PIL import Image

    try:
        model_path()
    except MediaError:
        return None
    h = _FACE_PROXY
    w = max(32, round(image.width * h / image.height / 32) * 32)
    rgb = np.asarray(image.convert("RGB").resize((w, h), Image.Resampling.BILINEAR), dtype=np.uint8)
    sx, sy = image.width / w, image.height / h
    return [(math.floor(box.x0 * sx), math.floor(box.y0 * sy), math.ceil(box.x1 * sx), math.ceil(box.y1 * sy))
            for box, _ in detector()(rgb) if box.h >= COVER_FACE_SHARE * h]


def decode_frames(path: str | Path, times: list[Fraction]) -> list[Candidate]:
    """Decode the frame shown at each of ``times`` (source seconds) and score it.

    Raises:
        MediaError: the file cannot be opened or has no video.
    """
    import av

    p = Path(path)
    if not p.is_file():
        raise MediaError("file not found", path=p)
    try:
        container = av.open(file_url(p))
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(f"not a readable media file ({exc})", path=p) from exc
    out: list[Candidate] = []
    try:
        if not container.streams.video:
            raise MediaError("no video stream to take a cover frame from", path=p)
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for t in sorted(times):
            frame = _frame_at(container, stream, t)
            if frame is None:
                continue
            image = frame.to_image()
            rotation = int(getattr(frame, "rotation", 0) or 0) % 360
            if rotation:
                image = image.rotate(rotation, expand=True)
            out.append(score(image.convert("RGB"), t))
    except av.error.FFmpegError as exc:
        raise MediaError(f"corrupt media: cannot decode ({exc})", path=p) from exc
    finally:
        container.close()
    return out


def best(candidates: list[Candidate]) -> Candidate | None:
    """The best cover frame: one with a face before one without, then the sharpest (ties: the earlier).

    Near-black frames and test patterns are taken only when there is nothing else.
    """
    usable = ([c for c in candidates if c.usable] or [c for c in candidates if c.brightness >= BLACK_LEVEL]
              or candidates)
    if not usable:
        return None
    return max(usable, key=lambda c: (c.faces > 0, c.sharpness, -c.time))


def _frame_at(container: Any, stream: Any, t: Fraction) -> Any:
    """The last frame starting at or before ``t`` (the one on screen at ``t``)."""
    base = Fraction(stream.time_base) if stream.time_base else Fraction(1, 1_000_000)
    origin = start_offset(container)  # source times count from the file's start, as ffmpeg's -ss does
    shown = None
    # A container without an index (MPEG-TS) may seek past the keyframe it needs; then decode from the start.
    for seek_to in (t, Fraction(0)):
        container.seek(int((seek_to + origin) / base), stream=stream, backward=True, any_frame=False)
        for frame in container.decode(stream):
            if frame.time is not None and Fraction(frame.time).limit_denominator(1_000_000) - origin > t:
                return shown or frame
            shown = frame
        if shown is not None:
            break
    return shown

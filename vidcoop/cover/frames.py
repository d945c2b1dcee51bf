"""Pick a good still for a cover: decode candidates with PyAV, score sharpness with numpy.

Sharpness is the variance of a 3x3 Laplacian over a fixed-size grey copy of
the frame: soft (motion-blurred, out of focus) frames score low. Near-black
frames (fades, lens cap) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import MediaError
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
    """

    time: Fraction
    image: Any
    sharpness: float
    brightness: float

    @property
    def usable(self) -> bool:
        return self.brightness >= BLACK_LEVEL


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
    return Candidate(time, image, sharpness(gray), float(gray.mean()))


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
    """The sharpest frame that is not near-black (ties go to the earlier one)."""
    usable = [c for c in candidates if c.usable] or candidates
    if not usable:
        return None
    return max(usable, key=lambda c: (c.sharpness, -c.time))


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

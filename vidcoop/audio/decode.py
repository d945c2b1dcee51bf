"""Decode audio in-process with PyAV into numpy (no subprocess)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import MediaError


def decode_mono(
    path: str | Path,
    *,
    start: Fraction | None = None,
    end: Fraction | None = None,
    sample_rate: int = 16000,
) -> Any:
    """The first audio stream of ``path`` as mono float32 samples in -1..1.

    Args:
        path: A media file with an audio stream.
        start: Where to begin, in source seconds (None = the beginning).
        end: Where to stop (None = the end).
        sample_rate: Rate to resample to; analysis needs little.

    Returns:
        A 1-D ``numpy.ndarray`` of float32 whose index 0 is at ``start``.

    Raises:
        MediaError: the file is missing, unreadable or has no audio.
    """
    import av
    import numpy as np

    p = Path(path)
    if not p.is_file():
        raise MediaError("file not found", path=p)
    try:
        container = av.open(str(p))
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(f"not a readable media file ({exc})", path=p) from exc
    try:
        if not container.streams.audio:
            raise MediaError("no audio stream", path=p)
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        begin = start or Fraction(0)
        if begin > 0:
            container.seek(int(begin * 1_000_000), backward=True, any_frame=False)
        chunks: list[Any] = []
        first_time: Fraction | None = None
        for frame in container.decode(stream):
            if first_time is None:
                when = frame.time
                first_time = Fraction(when).limit_denominator(1_000_000) if when is not None else begin
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
            if end is not None and frame.time is not None and frame.time > float(end) + 0.5:
                break
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    except av.error.FFmpegError as exc:
        raise MediaError(f"corrupt audio: cannot decode ({exc})", path=p) from exc
    finally:
        container.close()
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    # Seeking lands on a packet boundary at or before `begin`; cut the lead-in exactly.
    skip = round(float((begin - (first_time or Fraction(0))) * sample_rate))
    if skip > 0:
        samples = samples[skip:]
    if end is not None:
        samples = samples[: max(0, round(float((end - begin) * sample_rate)))]
    return samples

"""Audio decoding in-process with PyAV: what the transcriber and the silence finder listen to.

Speech recognisers and the tightening pass both want 16 kHz mono float32;
decoding happens here (no ffmpeg subprocess), once, for both.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.errors import MediaError, brief
from vidcoop.media.probing import file_url, start_offset

if TYPE_CHECKING:
    import numpy as np

#: Samples per second of decoded speech audio (what Whisper models expect).
SAMPLE_RATE = 16_000


def decode_audio(
    path: str | Path, start: Fraction = Fraction(0), end: Fraction | None = None
) -> np.ndarray[Any, Any] | None:
    """Decode ``[start, end)`` of a file's first audio stream to 16 kHz mono float32.

    Decoding seeks near ``start`` and stops soon after ``end``, so a short span
    of a long source costs little. Time before the stream's first sample is
    filled with silence, so sample ``i`` is always at ``start + i / 16000``.

    Returns:
        The samples, or None when the file has no audio stream.

    Raises:
        MediaError: the file cannot be opened or its audio cannot be decoded.
    """
    import av
    import numpy as np

    p = Path(path)
    try:
        container = av.open(file_url(p), mode="r")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(f"cannot open media for transcription ({brief(exc)})", path=p) from exc
    try:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        time_base = Fraction(stream.time_base) if stream.time_base else Fraction(1, SAMPLE_RATE)
        origin = start_offset(container)  # times count from the file's start, as ffmpeg's -ss does
        if start > 1:
            # Seek a little early: seeking lands on a packet at or before the target.
            container.seek(int((start - 1 + origin) / time_base), stream=stream, backward=True, any_frame=False)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray[Any, Any]] = []
        first: Fraction | None = None
        count = 0
        for frame in container.decode(stream):
            if first is None:
                first = Fraction(frame.pts) * time_base - origin if frame.pts is not None else Fraction(0)
            for out in resampler.resample(frame):
                data = out.to_ndarray().reshape(-1)
                chunks.append(data)
                count += len(data)
            if end is not None and first + Fraction(count, SAMPLE_RATE) > end + Fraction(1, 2):
                break
        for out in resampler.resample(None):
            data = out.to_ndarray().reshape(-1)
            chunks.append(data)
            count += len(data)
    except av.error.FFmpegError as exc:
        raise MediaError(f"cannot decode audio ({brief(exc)})", path=p) from exc
    finally:
        container.close()
    audio = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)
    offset = round(((start - first) if first is not None else start) * SAMPLE_RATE)
    if offset < 0:
        audio = np.concatenate([np.zeros(-offset, np.float32), audio])
        offset = 0
    stop = None if end is None else offset + round((end - start) * SAMPLE_RATE)
    return np.ascontiguousarray(audio[offset:stop])

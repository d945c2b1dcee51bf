"""``tighten: true``: drop dead air from a source span.

:func:`tighten_ranges` finds the sounding parts of a span with pydub's
silence detection and returns the source ranges to keep. The renderer turns
one segment into several sub-segments from these ranges, so captions and
overlays follow the cuts. Audio is decoded in-process with PyAV (:func:`~vidcoop.media.audio.decode_audio`,
as for transcription) and handed
to pydub as raw samples, so pydub never starts a converter process.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import MediaError
from vidcoop.media.audio import decode_audio

# decode_audio's rate (the transcriber's); plenty for telling speech from silence.
_RATE = 16000


@dataclass(frozen=True)
class TightenOptions:
    """How hard to tighten.

    Attributes:
        min_silence: Pauses at least this long (seconds) are shortened.
        keep_pause: Silence kept around each cut (half on each side), so speech breathes.
        threshold_db: Level (dBFS) under which audio counts as silence.
    """

    min_silence: Fraction = Fraction(1, 2)
    keep_pause: Fraction = Fraction(1, 5)
    threshold_db: float = -40.0


def tighten_ranges(
    path: str | Path,
    start: Fraction,
    end: Fraction,
    *,
    min_silence: Fraction = TightenOptions.min_silence,
    keep_pause: Fraction = TightenOptions.keep_pause,
    threshold_db: float = TightenOptions.threshold_db,
) -> list[tuple[Fraction, Fraction]]:
    """Source ranges of ``[start, end)`` to keep, in order, with long pauses removed.

    Leading and trailing silence is dropped (keeping ``keep_pause / 2``), and a
    pause of ``min_silence`` or more inside the span shrinks to ``keep_pause``.
    Times are whole milliseconds, as exact fractions, in the source's clock.
    A span that is silent throughout yields an empty list; one without any
    long pause yields a single range. Deterministic for a given file.

    Raises:
        MediaError: the file is unreadable or has no audio.
        ValueError: the span is empty or the options are negative.
    """
    if end <= start:
        raise ValueError(f"empty span: {float(start)}..{float(end)}")
    if min_silence <= 0 or keep_pause < 0:
        raise ValueError("min_silence must be positive and keep_pause not negative")
    samples = decode_audio(path, start, end)  # 16 kHz mono float32, index 0 at `start`
    if samples is None:
        raise MediaError("no audio stream to tighten", path=path)
    span_ms = int((end - start) * 1000)
    sounding = _nonsilent_ms(samples, int(min_silence * 1000), threshold_db)
    pad = int(keep_pause * 1000) // 2
    kept: list[list[int]] = []
    for on, off in sounding:
        lo, hi = max(0, on - pad), min(span_ms, off + pad)
        if kept and lo <= kept[-1][1]:
            kept[-1][1] = max(kept[-1][1], hi)
        else:
            kept.append([lo, hi])
    return [(start + Fraction(lo, 1000), start + Fraction(hi, 1000)) for lo, hi in kept if hi > lo]


def _nonsilent_ms(samples: Any, min_silence_ms: int, threshold_db: float) -> list[tuple[int, int]]:
    import numpy as np

    with warnings.catch_warnings():
        # pydub warns at import when no ffmpeg is on PATH (we never let it convert), and
        # about the deprecated audioop module it is built on.
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        from pydub import AudioSegment
        from pydub.silence import detect_nonsilent

    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    segment = AudioSegment(data=pcm, sample_width=2, frame_rate=_RATE, channels=1)
    ranges = detect_nonsilent(
        segment, min_silence_len=max(1, min_silence_ms), silence_thresh=threshold_db, seek_step=5
    )
    return [(int(a), int(b)) for a, b in ranges]

"""What the source sounds like where it may be cut: voice activity, audio level, the quietest spot.

The source is decoded once in-process (16 kHz mono, as for transcription), voice found with
Silero VAD (bundled with faster-whisper; the same tight regions the transcriber snaps word
edges to), and the level read from a running sum of squares, so any 10 ms window costs two
look-ups. Times are the source's seconds as exact fractions.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.captions.backends import SAMPLE_RATE
from vidcoop.captions.coverage import speech_regions
from vidcoop.errors import MediaError
from vidcoop.media.audio import decode_audio

if TYPE_CHECKING:
    import numpy as np

#: The window whose level decides where a cut goes: the quietest 10 ms.
WINDOW = Fraction(1, 100)
#: Audio below this level (dBFS, over 10 ms) is silence, as for ``tighten:``.
SILENCE_DB = -40.0


@dataclass(frozen=True)
class SourceAudio:
    """A source's decoded sound, its voice regions and a running sum of squares for levels."""

    path: Path
    samples: np.ndarray[Any, Any]
    squares: np.ndarray[Any, Any]  # squares[i] = sum of samples[:i] ** 2
    voice: tuple[tuple[Fraction, Fraction], ...]

    @property
    def duration(self) -> Fraction:
        return Fraction(len(self.samples), SAMPLE_RATE)

    def level_db(self, start: Fraction, end: Fraction) -> float:
        """The RMS level of ``[start, end)`` in dBFS (-120 for digital silence or an empty range)."""
        a = min(max(0, math.floor(start * SAMPLE_RATE)), len(self.samples))
        b = min(max(a, math.ceil(end * SAMPLE_RATE)), len(self.samples))
        if b <= a:
            return -120.0
        power = float(self.squares[b] - self.squares[a]) / (b - a)
        return 10 * math.log10(power) if power > 1e-12 else -120.0

    def level_at(self, t: Fraction) -> float:
        """The level of the 10 ms centred on ``t``."""
        return self.level_db(t - WINDOW / 2, t + WINDOW / 2)

    @cached_property
    def _voice_starts(self) -> list[Fraction]:
        return [a for a, _ in self.voice]

    def voice_around(self, t: Fraction) -> tuple[Fraction, Fraction] | None:
        """The voice region (VAD) that holds ``t``, if any."""
        i = bisect.bisect_right(self._voice_starts, t)
        return self.voice[i - 1] if i > 0 and self.voice[i - 1][1] > t else None

    def has_voice(self, start: Fraction, end: Fraction) -> bool:
        """Some voice (VAD) overlaps ``[start, end)`` (the regions are sorted and apart)."""
        i = bisect.bisect_left(self._voice_starts, end)  # regions [0, i) start before `end`
        return i > 0 and self.voice[i - 1][1] > start

    def silent(self, t: Fraction, threshold_db: float = SILENCE_DB) -> bool:
        """The 10 ms at ``t`` hold no voice and are quieter than ``threshold_db``."""
        lo, hi = t - WINDOW / 2, t + WINDOW / 2
        return not self.has_voice(lo, hi) and self.level_db(lo, hi) < threshold_db


def longest_silence(audio: SourceAudio, start: Fraction, end: Fraction,
                    threshold_db: float = SILENCE_DB) -> tuple[Fraction, Fraction] | None:
    """The longest silent stretch of ``[start, end)`` (no voice, below ``threshold_db``), in 10 ms steps."""
    best: tuple[Fraction, Fraction] | None = None
    run: Fraction | None = None
    t = start
    while t + WINDOW <= end:
        if audio.silent(t + WINDOW / 2, threshold_db):
            run = t if run is None else run
            if best is None or t + WINDOW - run > best[1] - best[0]:
                best = (run, t + WINDOW)
        else:
            run = None
        t += WINDOW
    return best


def load_audio(path: str | Path) -> SourceAudio:
    """Decode ``path`` and find its voice.

    Raises:
        MediaError: the file cannot be decoded, or has no audio stream.
    """
    import numpy as np

    p = Path(path)
    samples = decode_audio(p)
    if samples is None:
        raise MediaError("no audio stream to cut by", path=p, field="source")
    squares = np.concatenate([[0.0], np.cumsum(samples.astype(np.float64) ** 2)])
    voice = tuple(speech_regions(samples)) if len(samples) else ()
    return SourceAudio(p, samples, squares, voice)

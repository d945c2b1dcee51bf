"""Synthetic sources for the pure rough-cut tests: words as tone bursts in silence, known times."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.roughcut.levels import SourceAudio
from vidcoop.roughcut.transcript import SourceTranscript, from_transcript

RATE = 16000
SOURCE = Path("/footage/interview.mp4")


def words(*items: tuple[str, float, float]) -> list[Word]:
    return [Word(text, Fraction(str(a)), Fraction(str(b)), 0.9) for text, a, b in items]


def transcript(*sentences: Sequence[Word], duration: float = 10.0) -> SourceTranscript:
    segments = tuple(TranscriptSegment(" ".join(w.text for w in s), s[0].start, s[-1].end, tuple(s))
                     for s in sentences)
    return from_transcript(SOURCE, Transcript(segments, "de", "fake", "fake", Fraction(str(duration))))


def audio(sounding: Sequence[tuple[float, float]], *, duration: float = 10.0, noise: float = 1e-4,
          louder: Sequence[tuple[float, float]] = ()) -> SourceAudio:
    """Tone bursts (amplitude 0.3) where ``sounding``, faint noise elsewhere; VAD = the bursts.

    ``louder`` adds a quieter-than-speech hum (amplitude 0.02) that VAD does not count as voice.
    """
    rng = np.random.default_rng(7)
    samples = (rng.standard_normal(int(duration * RATE)) * noise).astype(np.float32)
    t = np.arange(len(samples)) / RATE
    for a, b in sounding:
        i, j = int(a * RATE), int(b * RATE)
        samples[i:j] += (0.3 * np.sin(2 * np.pi * 220 * t[i:j])).astype(np.float32)
    for a, b in louder:
        i, j = int(a * RATE), int(b * RATE)
        samples[i:j] += (0.02 * np.sin(2 * np.pi * 50 * t[i:j])).astype(np.float32)
    squares = np.concatenate([[0.0], np.cumsum(samples.astype(np.float64) ** 2)])
    voice = tuple((Fraction(str(a)), Fraction(str(b))) for a, b in sounding)
    return SourceAudio(SOURCE, samples, squares, voice)

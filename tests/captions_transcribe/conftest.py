"""Fixtures for the transcription tests: committed speech clips, a fake backend, isolated caches."""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import pytest

from vidcoop.captions.backends import BACKENDS, SAMPLE_RATE, Transcriber
from vidcoop.captions.model import Transcript, TranscriptSegment, Word

MEDIA = Path(__file__).resolve().parents[1] / "media"


@pytest.fixture(scope="session")
def speech() -> dict[str, dict[str, str]]:
    """``speech.json``: clip file name -> reference text and language."""
    return json.loads((MEDIA / "speech.json").read_text(encoding="utf-8"))


class FakeTranscriber(Transcriber):
    """Stands in for a model: one segment with words at fixed times, and a call counter.

    Words: "Hallo" at 0.1-0.4 s, "Job" 0.5-0.7, "Center" 0.7-1.0 (for glossary
    merging), and "Ende" from 0.05 s before the audio's end to 0.2 s after it
    (its middle lies past the end, so a span must drop it).
    """

    name = "fake"
    calls: ClassVar[list[int]] = []
    plain_calls: ClassVar[list[int]] = []

    def model_identity(self) -> str:
        return f"fake:{self.options.model}"

    def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
        length = Fraction(len(audio), SAMPLE_RATE)
        if plain:  # voice its words miss is decoded again (vidcoop.captions.loops): it hears nothing more there
            type(self).plain_calls.append(len(audio))
            return Transcript(segments=(), language=self.options.language or "xx", backend="fake",
                              model="fake-model", duration=length)  # fmt: skip
        type(self).calls.append(len(audio))
        words = (
            Word("Hallo", Fraction(1, 10), Fraction(4, 10), 0.9),
            Word("Job", Fraction(5, 10), Fraction(7, 10), 0.8),
            Word("Center,", Fraction(7, 10), Fraction(1), 0.7),
            Word("Ende", length - Fraction(5, 100), length + Fraction(2, 10), 0.6),
        )
        segment = TranscriptSegment(" ".join(w.text for w in words), words[0].start, words[-1].end, words)
        return Transcript(
            segments=(segment,), language=self.options.language or "xx", backend="fake", model="fake-model",
            duration=length,
        )


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeTranscriber]]:
    """Register :class:`FakeTranscriber` as backend ``fake`` for one test."""
    FakeTranscriber.calls = []
    FakeTranscriber.plain_calls = []
    monkeypatch.setitem(BACKENDS, "fake", FakeTranscriber)
    yield FakeTranscriber

"""A looping stretch is decoded again on its own, with nothing carried in; function words inside a sentence
stay lower case (issue #23). A fake backend stands in for the model."""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from vidcoop.captions import loops
from vidcoop.captions.backends import BACKENDS, SAMPLE_RATE, Transcriber
from vidcoop.captions.backends import faster_whisper as fw
from vidcoop.captions.decoding import Decoding
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import transcribe
from vidcoop.captions.words import lower_function_words

LOOP = "Bei der Caritas gibt es Hilfe."
THRESHOLD = Decoding().compression_ratio_threshold


def seg(text: str, start: float, end: float) -> TranscriptSegment:
    """A segment whose words share its time evenly (as a backend gives them)."""
    parts = text.split()
    a, b = Fraction(start).limit_denominator(1000), Fraction(end).limit_denominator(1000)
    step = (b - a) / len(parts)
    words = tuple(Word(t, a + k * step, a + (k + 1) * step, 0.9) for k, t in enumerate(parts))
    return TranscriptSegment(text, a, b, words)


def transcript(*segments: TranscriptSegment, seconds: int = 12) -> Transcript:
    return Transcript(segments=segments, language="de", backend="fake", model="m", duration=Fraction(seconds))


class Plain:
    """``decode_plain``: records each piece's length in seconds; answers with ``answer(seconds)``."""

    def __init__(self, answer: Any) -> None:
        self.pieces: list[Fraction] = []
        self.answer = answer

    def __call__(self, audio: Any) -> Transcript:
        length = Fraction(len(audio), SAMPLE_RATE)
        self.pieces.append(length)
        return transcript(*self.answer(length), seconds=int(length))


AUDIO = np.zeros(12 * SAMPLE_RATE, np.float32)


def test_repeats_itself_on_text_as_the_model_writes_it() -> None:
    assert loops.repeats_itself(" ".join([LOOP] * 6), THRESHOLD)  # compresses far better than 2.4
    assert loops.repeats_itself("kann Wohngeld sagen, sagen, sagen, fahr", THRESHOLD)  # one word three times
    assert loops.repeats_itself("Beratungsstelle in Beratungsstelle in Beratungsstelle in", THRESHOLD)
    assert not loops.repeats_itself("Die Beratung ist kostenlos. Frag einfach nach.", THRESHOLD)
    assert not loops.repeats_itself("sagen, sagen, fahr, fahr", THRESHOLD)  # twice is speech, not a loop
    assert not loops.repeats_itself("0561 1 2 3 4 5 6", THRESHOLD)
    same = [seg(LOOP, 0, 3), seg(LOOP, 3, 6), seg("Ja.", 6, 7), seg("Ja.", 7, 8)]
    assert loops.looping(same, THRESHOLD) == [False, True, False, False]  # a short answer may be said twice


def test_a_looping_stretch_is_decoded_again_alone_from_the_last_good_word_to_the_next() -> None:
    first = transcript(seg("Das Jobcenter hilft.", 0.5, 2), seg(" ".join([LOOP] * 8), 3, 9.5),
                       seg("Frag einfach nach.", 10, 11.5))  # fmt: skip
    plain = Plain(lambda length: [seg(LOOP, 0.5, 3), seg("Die Beratung ist kostenlos.", 4, 6.5)])
    out = loops.unloop(first, AUDIO, plain, THRESHOLD)
    assert plain.pieces == [8]  # 2 s (end of the last good segment) to 10 s (start of the next)
    assert [s.text for s in out.segments] == [
        "Das Jobcenter hilft.", LOOP, "Die Beratung ist kostenlos.", "Frag einfach nach."
    ]
    assert out.segments[1].start == Fraction(5, 2) and out.segments[2].end == Fraction(17, 2)  # moved by 2 s
    assert all(0 <= w.start <= w.end <= 12 for w in out.words)
    assert out.extra["loop_retries"] == [{"start": 2.0, "end": 10.0, "looped": " ".join([LOOP] * 8)[:119] + "…",
                                          "fixed": True}]  # fmt: skip
    assert "dropped_loops" not in out.extra


def test_nothing_loops_nothing_is_decoded_again() -> None:
    first = transcript(seg("Das Jobcenter hilft.", 0.5, 2), seg("Frag einfach nach.", 10, 11.5))
    plain = Plain(lambda length: [])
    assert loops.unloop(first, AUDIO, plain, THRESHOLD) is first
    assert plain.pieces == []


def test_a_stretch_that_loops_again_is_decoded_per_voice_region(monkeypatch: pytest.MonkeyPatch) -> None:
    regions = [(Fraction(3), Fraction(5)), (Fraction(6), Fraction(9))]
    monkeypatch.setattr(loops, "_voice", lambda audio, start, end: regions)
    # The whole stretch (8 s) loops again; each region alone gives its sentence.
    def answer(length: Fraction) -> list[TranscriptSegment]:
        return [seg(" ".join([LOOP] * 5), 0, length)] if length > 4 else [seg("Hilfe gibt es.", 0.2, 1.5)]

    plain = Plain(answer)
    first = transcript(seg("Das Jobcenter hilft.", 0.5, 2), seg(" ".join([LOOP] * 8), 3, 9.5),
                       seg("Frag einfach nach.", 10, 11.5))  # fmt: skip
    out = loops.unloop(first, AUDIO, plain, THRESHOLD)
    assert plain.pieces == [8, 2, 3]
    assert [s.text for s in out.segments] == [
        "Das Jobcenter hilft.", "Hilfe gibt es.", "Hilfe gibt es.", "Frag einfach nach."
    ]
    assert [s.start for s in out.segments[1:3]] == [Fraction(16, 5), Fraction(31, 5)]
    assert out.extra["loop_retries"][0]["fixed"] is True  # type: ignore[index]


def test_a_segment_that_still_loops_is_left_out_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loops, "_voice", lambda audio, start, end: [(start, end)])
    plain = Plain(lambda length: [seg("Das ist gut.", 0.1, 0.9), seg(" ".join([LOOP] * 5), 1, length - 1)])
    first = transcript(seg("Das Jobcenter hilft.", 0.5, 2), seg(" ".join([LOOP] * 8), 3, 9.5))
    out = loops.unloop(first, AUDIO, plain, THRESHOLD)
    assert plain.pieces == [10, 10]  # alone, then (no voice found apart) once more per region
    assert [s.text for s in out.segments] == ["Das Jobcenter hilft.", "Das ist gut."]
    (lost,) = out.dropped_loops
    assert (lost["start"], lost["end"], lost["reason"]) == (3.0, 11.0, "repeated itself")
    assert out.extra["loop_retries"][0]["fixed"] is False  # type: ignore[index]


class LoopingBackend(Transcriber):
    """Loops in its normal pass; the plain pass says the two sentences. Records every call's ``plain``."""

    name = "looping"
    calls: ClassVar[list[tuple[bool, float]]] = []

    def model_identity(self) -> str:
        return "looping"

    def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
        length = len(audio) / SAMPLE_RATE
        type(self).calls.append((plain, length))
        if plain:
            return transcript(seg("Hilfe gibt es.", 0.5, 1.5), seg("Frag nach.", 2, 3), seconds=int(length))
        return transcript(seg("Das Jobcenter hilft.", 0.2, 1.5), seg(" ".join([LOOP] * 9), 2, 5), seconds=int(length))


@pytest.fixture
def looping_backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    LoopingBackend.calls = []
    monkeypatch.setitem(BACKENDS, "looping", LoopingBackend)
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(SAMPLE_RATE)
        fh.writeframes(b"\0\0" * 6 * SAMPLE_RATE)
    return path


def test_transcribe_decodes_a_loop_again_with_the_plain_pass(looping_backend: Path, tmp_path: Path) -> None:
    options = TranscribeOptions(backend="looping", cache_dir=tmp_path / "cache", vad=False)
    t = transcribe(looping_backend, options)
    assert LoopingBackend.calls == [(False, 6.0), (True, 4.5)]  # 1.5 s (last good word) to the end
    assert t.text == "Das Jobcenter hilft. Hilfe gibt es. Frag nach."
    LoopingBackend.calls = []
    off = transcribe(looping_backend, TranscribeOptions(backend="looping", cache=False, vad=False,
                                                        decoding=Decoding(loop_retry=False)))  # fmt: skip
    assert LoopingBackend.calls == [(False, 6.0)] and LOOP in off.text  # switched off: kept as it came


def test_the_plain_pass_carries_nothing_in_and_uses_no_repetition_penalty() -> None:
    seen: list[dict[str, Any]] = []

    class Model:
        def transcribe(self, audio: Any, **kwargs: Any) -> tuple[Any, Any]:
            from types import SimpleNamespace

            seen.append(kwargs)
            return iter([]), SimpleNamespace(duration=3.0, language="de", language_probability=0.9)

    from vidcoop.captions.glossary import Glossary

    options = TranscribeOptions(glossary=Glossary(terms=("Jobcenter",)), decoding=Decoding(style_prompt="Untertitel:"))
    backend = fw.FasterWhisperTranscriber(options)
    backend._model = lambda: Model()  # type: ignore[method-assign]
    backend._resolved = type("R", (), {"name": "base"})()  # type: ignore[assignment]
    backend.transcribe(np.zeros(SAMPLE_RATE, np.float32))
    backend.transcribe(np.zeros(SAMPLE_RATE, np.float32), plain=True)
    normal, plain = seen
    assert (normal["initial_prompt"], normal["hotwords"]) == ("Untertitel:", "Jobcenter.")
    assert (plain["initial_prompt"], plain["hotwords"], plain["condition_on_previous_text"]) == (None, None, False)
    assert plain["repetition_penalty"] == normal["repetition_penalty"] == 1.0
    changed = {"initial_prompt", "hotwords", "condition_on_previous_text"}
    assert {k: v for k, v in plain.items() if k not in changed} == {k: v for k, v in normal.items() if k not in changed}


# -- no capitalised function words inside a sentence --------------------------------------------------


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        # The captions, as faster-whisper returns the words (a space before each).
        ([" Wie", " spät", " ist", " Es"], "Wie spät ist es"),
        ([" Öffne", " Das", " Fenster."], "Öffne das Fenster."),
        ([" Sätze", " Putzen", " Auf", " Die", " Liste", " Haushalt"], "Sätze Putzen auf die Liste Haushalt"),
        # A sentence start keeps its capital, after a full stop, a question mark or a colon.
        ([" Das", " ist", " gut.", " Die", " Stelle", " ist", " frei.", " Und:", " Wer", " kommt?", " Es", " geht."],
         "Das ist gut. Die Stelle ist frei. Und: Wer kommt? Es geht."),
        # The polite "Sie" and "Ihr" are capitalised anywhere; nouns keep theirs; quotes and commas stay.
        # After an opening quote a quoted sentence may start, so "„Das" keeps its capital.
        ([" Haben", " Sie", " Ihren", " Ausweis,", " „Das", " Amt“", " Im", " Blick?"],
         "Haben Sie Ihren Ausweis, „Das Amt“ im Blick?"),
        ([" In", " Deiner", " Stadt", " Bei", " Der", " Caritas"], "In deiner Stadt bei der Caritas"),
        # Determiners too (the held-out long recording came out "hat Jeden Dienstag geöffnet").
        ([" Sie", " hat", " Jeden", " Dienstag", " offen,", " Alle", " Briefe", " Dieser", " Bank,", " Keinen",
          " Brief"],
         "Sie hat jeden Dienstag offen, alle Briefe dieser Bank, keinen Brief"),
    ],
)
def test_function_words_inside_a_sentence_are_lower_case(tokens: list[str], expected: str) -> None:
    words = [Word(t, Fraction(k, 2), Fraction(k + 1, 2), 0.9) for k, t in enumerate(tokens)]
    raw = type("Seg", (), {"start": 0.0, "end": len(tokens) / 2, "text": "".join(tokens), "words": [
        type("W", (), {"word": w.text, "start": float(w.start), "end": float(w.end), "probability": 0.9})()
        for w in words
    ]})()  # fmt: skip
    assert fw._segment(raw, "de").text == expected
    assert " ".join(w.text for w in lower_function_words([Word(t.strip(), Fraction(0), Fraction(0)) for t in tokens],
                                                         language="de")) == expected  # fmt: skip


def test_other_languages_are_left_as_written() -> None:
    words = [Word(t, Fraction(0), Fraction(0)) for t in ("Read", "The", "Die", "Book")]
    assert lower_function_words(words, language="en") == tuple(words)


# -- voice with no words (skipped by the model) ----------------------------------------------------


def test_voice_without_words_is_decoded_again_between_its_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    voice = [(Fraction(1, 2), Fraction(2)), (Fraction(3), Fraction(4)), (Fraction(4, 1) + Fraction(1, 2), Fraction(6)),
             (Fraction(13, 2), Fraction(68, 10)), (Fraction(8), Fraction(10))]  # fmt: skip
    monkeypatch.setattr(loops, "_voice", lambda audio, start, end, default=True: voice)
    first = transcript(seg("Das Jobcenter hilft.", 0.5, 2), seg("Frag einfach nach.", 8, 10))
    plain = Plain(lambda length: [seg("Ruf mich an.", 0.3, 1.2), seg("Wann kommt der Bus?", 1.6, 2.8)])
    out = loops.fill_gaps(first, AUDIO, plain, THRESHOLD)
    # 3-4 s and 4.5-6 s have no word between them: one stretch, from the end of "hilft." (2 s) at most 0.2 s
    # before the voice, to 0.2 s after it; 6.5-6.8 s is too short to count.
    assert plain.pieces == [Fraction(34, 10)]  # 2.8 s to 6.2 s
    assert [s.text for s in out.segments] == [
        "Das Jobcenter hilft.", "Ruf mich an.", "Wann kommt der Bus?", "Frag einfach nach."
    ]
    assert out.segments[1].start == Fraction(31, 10)
    assert out.extra["gap_retries"] == [{"start": 2.8, "end": 6.2, "words": 7}]


def test_voice_covered_by_words_is_not_decoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loops, "_voice", lambda audio, start, end, default=True: [(Fraction(1, 2), Fraction(2))])
    first = transcript(seg("Das Jobcenter hilft.", 0.5, 2))
    plain = Plain(lambda length: [])
    assert loops.fill_gaps(first, AUDIO, plain, THRESHOLD) is first and plain.pieces == []


def test_transcribe_decodes_skipped_voice_again(looping_backend: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(loops, "_voice", lambda audio, start, end, default=True: [(Fraction(5, 2), Fraction(4))])

    class Skipping(LoopingBackend):
        def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
            type(self).calls.append((plain, len(audio) / SAMPLE_RATE))
            if plain:
                return transcript(seg("Hilfe gibt es.", 0.3, 1.5), seconds=2)
            return transcript(seg("Das Jobcenter hilft.", 0.2, 1.5), seconds=6)

    monkeypatch.setitem(BACKENDS, "looping", Skipping)
    t = transcribe(looping_backend, TranscribeOptions(backend="looping", cache=False))
    assert LoopingBackend.calls == [(False, 6.0), (True, 1.9)]  # 2.3 s to 4.2 s
    assert t.text == "Das Jobcenter hilft. Hilfe gibt es."

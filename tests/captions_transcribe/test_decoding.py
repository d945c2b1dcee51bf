"""Decoding settings reach the backends; hints both ways; Whisper's word tokens joined as written."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from vidcoop.captions.backends import faster_whisper as fw
from vidcoop.captions.backends import openai_whisper as ow
from vidcoop.captions.backends.base import join_tokens
from vidcoop.captions.decoding import Decoding
from vidcoop.captions.glossary import Glossary
from vidcoop.captions.model import Word
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcript_cache import cache_key
from vidcoop.errors import TranscriptionError

GLOSSARY = Glossary(terms=("Jobcenter", "Bürgergeld", "Minijob"))


class FakeModel:
    """Records the keyword arguments faster-whisper's ``transcribe`` was given (each call's in ``calls``).

    ``ratios`` are the compression ratios of the segment returned by each call in turn (a loop is > 2.4).
    """

    def __init__(self, words: list[tuple[str, float, float]], ratios: tuple[float, ...] = (1.5,)) -> None:
        self.kwargs: dict[str, Any] = {}
        self.calls: list[dict[str, Any]] = []
        self.words = words
        self.ratios = ratios

    def transcribe(self, audio: Any, **kwargs: Any) -> tuple[Any, Any]:
        self.kwargs = kwargs
        self.calls.append(kwargs)
        ratio = self.ratios[min(len(self.calls), len(self.ratios)) - 1]
        ws = [SimpleNamespace(word=t, start=a, end=b, probability=0.9) for t, a, b in self.words]
        text = "".join(t for t, _, _ in self.words)
        seg = SimpleNamespace(start=ws[0].start, end=ws[-1].end, text=text, words=ws, compression_ratio=ratio)
        return iter([seg]), SimpleNamespace(duration=5.0, language="de", language_probability=0.99)


def run_faster(
    decoding: Decoding, words: list[tuple[str, float, float]] | None = None, ratios: tuple[float, ...] = (1.5,)
) -> tuple[FakeModel, Any]:
    model = FakeModel(words or [(" Hallo", 0.0, 0.5)], ratios)
    backend = fw.FasterWhisperTranscriber(TranscribeOptions(glossary=GLOSSARY, decoding=decoding))
    backend._model = lambda: model  # type: ignore[method-assign]
    backend._resolved = SimpleNamespace(name="base")  # type: ignore[assignment]
    return model, backend.transcribe(np.zeros(16_000 * 3, np.float32))


@pytest.mark.parametrize(
    ("hints", "hotwords", "prompt"),
    [
        ("hotwords", "Jobcenter, Bürgergeld, Minijob.", None),
        ("prompt", None, "In diesem Video geht es um Jobcenter, Bürgergeld und Minijob."),
        ("both", "Jobcenter, Bürgergeld, Minijob.", "In diesem Video geht es um Jobcenter, Bürgergeld und Minijob."),
        ("none", None, None),
    ],
)
def test_hints_reach_faster_whisper(hints: str, hotwords: str | None, prompt: str | None) -> None:
    model, _ = run_faster(Decoding(hints=hints, style_prompt=None))
    assert model.kwargs["hotwords"] == hotwords
    assert model.kwargs["initial_prompt"] == prompt


def test_decoding_values_reach_faster_whisper() -> None:
    d = Decoding(
        condition_on_previous_text=False, temperatures=(0.0, 0.4), vad_pad_ms=250, vad_min_silence_ms=800,
        no_speech_threshold=0.7, log_prob_threshold=-1.2,
    )  # fmt: skip
    model, _ = run_faster(d)
    k = model.kwargs
    assert k["condition_on_previous_text"] is False
    assert k["temperature"] == [0.0, 0.4]
    assert k["vad_parameters"] == {"speech_pad_ms": 250, "min_silence_duration_ms": 800}
    assert (k["no_speech_threshold"], k["log_prob_threshold"]) == (0.7, -1.2)
    assert k["word_timestamps"] is True and k["language"] == "de"


def test_beam_and_repetition_settings_reach_faster_whisper() -> None:
    d = Decoding(
        patience=2.0, length_penalty=0.8, repetition_penalty=1.1, no_repeat_ngram_size=3, best_of=2,
        suppress_blank=False, compression_ratio_threshold=2.0,
    )  # fmt: skip
    model, _ = run_faster(d)
    k = model.kwargs
    assert (k["patience"], k["length_penalty"], k["repetition_penalty"]) == (2.0, 0.8, 1.1)
    assert (k["no_repeat_ngram_size"], k["best_of"], k["suppress_blank"]) == (3, 2, False)
    assert k["compression_ratio_threshold"] == 2.0


def test_defaults_never_sample() -> None:
    # Sampling at temperatures above 0 gives other words on every run; the defaults decode greedily/beam only.
    assert Decoding().temperatures == (0.0,)
    model, _ = run_faster(Decoding())
    assert model.kwargs["temperature"] == [0.0] and len(model.calls) == 1


def test_the_backend_itself_decodes_once_even_when_its_text_loops() -> None:
    # The loop pass is the transcription path's (vidcoop.captions.loops, tests in test_loops.py), the same for
    # every backend: the backend no longer decodes a second time with a repetition penalty.
    model, t = run_faster(Decoding(), words=[(" Hallo", 0.0, 0.5)] * 8, ratios=(6.5, 1.8))
    assert len(model.calls) == 1 and model.calls[0]["repetition_penalty"] == 1.0
    assert "dropped_loops" not in t.extra


def test_style_prompt_comes_before_the_glossary_sentence() -> None:
    model, _ = run_faster(Decoding())
    assert model.kwargs["initial_prompt"] == "Untertitel:"  # the default, measured (decoding.py's table)
    model, _ = run_faster(Decoding(hints="prompt", style_prompt="Untertitel:"))
    assert model.kwargs["initial_prompt"] == "Untertitel: In diesem Video geht es um Jobcenter, Bürgergeld und Minijob."
    model, _ = run_faster(Decoding(hints="hotwords", style_prompt="Untertitel:"))
    assert model.kwargs["initial_prompt"] == "Untertitel:"
    model, _ = run_faster(Decoding(hints="hotwords", style_prompt=" "))
    assert model.kwargs["initial_prompt"] is None


def test_the_style_prompt_goes_only_to_passes_up_to_its_length() -> None:
    decoding = Decoding(hints="hotwords", style_prompt="Untertitel:", style_prompt_max_s=30.0)
    assert decoding.hint_texts("Jobcenter.", None, 30.0) == ("Jobcenter.", "Untertitel:")
    assert decoding.hint_texts("Jobcenter.", None, 30.5) == ("Jobcenter.", None)
    assert Decoding(style_prompt_max_s=None).hint_texts(None, None, 600.0) == (None, "Untertitel:")
    model, _ = run_faster(decoding)  # 3 s of audio
    assert model.kwargs["initial_prompt"] == "Untertitel:"


def test_openai_whisper_gets_the_hints_as_its_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class Model:
        def transcribe(self, audio: Any, **kwargs: Any) -> dict[str, Any]:
            seen.update(kwargs)
            return {"segments": [], "language": "de"}

    both = Decoding(hints="both", style_prompt=None)
    opts = TranscribeOptions(backend="openai-whisper", glossary=GLOSSARY, vad=False, decoding=both)
    backend = ow.OpenAIWhisperTranscriber(opts)
    monkeypatch.setattr(backend, "_model", lambda: Model())
    backend.transcribe(np.zeros(16_000, np.float32))
    assert seen["initial_prompt"] == (
        "Jobcenter, Bürgergeld, Minijob. In diesem Video geht es um Jobcenter, Bürgergeld und Minijob."
    )
    assert seen["logprob_threshold"] == -1.0 and seen["temperature"] == Decoding().temperatures


def test_bad_decoding_values_name_the_field() -> None:
    for kwargs, field in [
        ({"hints": "loud"}, "decoding.hints"),
        ({"temperatures": ()}, "decoding.temperatures"),
        ({"temperatures": (0.0, 2.0)}, "decoding.temperatures"),
        ({"vad_pad_ms": -1}, "decoding.vad_pad_ms"),
        ({"no_speech_threshold": 1.5}, "decoding.no_speech_threshold"),
        ({"patience": 0}, "decoding.patience"),
        ({"repetition_penalty": -1.0}, "decoding.repetition_penalty"),
        ({"no_repeat_ngram_size": -2}, "decoding.no_repeat_ngram_size"),
        ({"best_of": 0}, "decoding.best_of"),
        ({"loop_retry": 1.2}, "decoding.loop_retry"),
        ({"style_prompt": 3}, "decoding.style_prompt"),
        ({"style_prompt_max_s": -1}, "decoding.style_prompt_max_s"),
    ]:
        with pytest.raises(TranscriptionError) as info:
            Decoding(**kwargs)  # type: ignore[arg-type]
        assert info.value.field == field


def test_decoding_is_part_of_the_cache_key() -> None:
    a = cache_key(["abc"], "model", TranscribeOptions())
    assert a == cache_key(["abc"], "model", TranscribeOptions(decoding=Decoding()))
    assert a != cache_key(["abc"], "model", TranscribeOptions(decoding=Decoding(vad_pad_ms=123)))
    assert a != cache_key(["abc"], "model", TranscribeOptions(decoding=Decoding(hints="prompt")))
    assert a != cache_key(["abc"], "model", TranscribeOptions(decoding=Decoding(loop_retry=False)))
    assert a != cache_key(["abc"], "model", TranscribeOptions(decoding=Decoding(style_prompt=None)))


# -- words joined as written ----------------------------------------------------------------------


def test_faster_whisper_tokens_with_hyphen_or_apostrophe_join_the_word_before() -> None:
    # As faster-whisper returns them: a hyphen is a "prepend punctuation", so it sticks to the next word.
    words = [
        (" Das", 0.0, 0.3), (" Garage", 0.3, 0.8), (" -Tour", 0.8, 1.1), (" geht", 1.2, 1.4), ("'s", 1.4, 1.5),
        (" zum", 1.5, 1.7), (" Jobcenter", 1.7, 2.2), (" -Termin.", 2.2, 2.6), (" -", 2.6, 2.7), (" Ja", 2.7, 2.9),
        (" um", 2.9, 3.0), (" 9", 3.0, 3.2), (".30", 3.2, 3.5), (" Uhr,", 3.5, 3.8), (" .", 3.8, 3.9),
    ]  # fmt: skip
    _, t = run_faster(Decoding(), words)
    out = t.words
    assert [w.text for w in out] == [
        "Das", "Garage-Tour", "geht's", "zum", "Jobcenter-Termin.", "-", "Ja", "um", "9.30", "Uhr,", ".",
    ]  # fmt: skip
    assert (out[1].start, out[1].end) == (Fraction(3, 10), Fraction(11, 10))
    assert (out[2].start, out[2].end) == (Fraction(6, 5), Fraction(3, 2))
    assert t.text == "Das Garage-Tour geht's zum Jobcenter-Termin. - Ja um 9.30 Uhr, ."


def test_join_tokens_keeps_the_lower_probability_and_quotes_apart() -> None:
    def w(text: str, a: int, p: float = 0.9) -> Word:
        return Word(text, Fraction(a), Fraction(a + 1), p)

    out = join_tokens([w("Müller", 0, 0.8), w("-Lüdenscheidt", 1, 0.4), w("sagt:", 2), w("'Hallo'", 3)])
    assert [x.text for x in out] == ["Müller-Lüdenscheidt", "sagt:", "'Hallo'"]
    assert out[0].probability == 0.4 and out[0].end == 2
    assert join_tokens([w("-Tour", 0)]) == (w("-Tour", 0),)  # nothing before it to join


def test_openai_whisper_segment_joins_tokens() -> None:
    raw = {
        "start": 0.0, "end": 1.0, "text": " Mini -Job",
        "words": [{"word": " Mini", "start": 0.0, "end": 0.4}, {"word": " -Job", "start": 0.4, "end": 1.0}],
    }  # fmt: skip
    seg = ow._segment(raw, "de")
    assert [x.text for x in seg.words] == ["Mini-Job"] and seg.text == "Mini-Job"

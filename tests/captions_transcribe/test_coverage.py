"""Coverage check: voice without words is named (left_out), words without voice are left out (unsaid)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vidcoop.captions import coverage
from vidcoop.captions.backends import BACKENDS, SAMPLE_RATE, Transcriber
from vidcoop.captions.coverage import left_out, unsaid
from vidcoop.captions.cues import build
from vidcoop.captions.model import NOT_RECOGNISED, REPEATED_ITSELF, LeftOut, Transcript, TranscriptSegment, Word
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import AudioSpan, transcribe, transcribe_spans

from .conftest import MEDIA

f = Fraction


def w(text: str, start: float, end: float, p: float = 0.9) -> Word:
    return Word(text, f(str(start)), f(str(end)), p)


def r(a: float, b: float) -> tuple[Fraction, Fraction]:
    return f(str(a)), f(str(b))


def test_voice_with_no_word_is_left_out_with_its_time() -> None:
    regions = [r(0.5, 2.0), r(3.0, 5.0), r(6.0, 8.0)]
    words = [w("Hallo", 0.5, 1.0), w("Welt.", 1.0, 1.9), w("Danke.", 6.1, 7.9)]
    assert left_out(regions, words) == (LeftOut(f(3), f(5), NOT_RECOGNISED),)


def test_a_short_stretch_of_voice_without_words_is_not_left_out() -> None:
    # a breath or an "ähm" Whisper leaves out (0.4 s) is not a lost sentence
    assert left_out([r(0, 1), r(2.0, 2.4)], [w("Ja.", 0, 1)]) == ()


def test_pieces_of_one_lost_sentence_are_one_stretch() -> None:
    # the detector splits a sentence at 100 ms pauses: 0.3 s + 0.3 s of voice is 0.6 s lost, one entry
    regions = [r(0, 1), r(3.0, 3.3), r(3.4, 3.7)]
    assert left_out(regions, [w("Ja.", 0, 1)]) == (LeftOut(f(3), f("3.7"), NOT_RECOGNISED),)


def test_voice_between_words_inside_one_region_is_left_out() -> None:
    # continuous speech: words, then 3 s of voice the model dropped, then words again
    regions = [r(0, 10)]
    words = [w("eins", 0, 2), w("zwei", 5, 10)]
    assert left_out(regions, words) == (LeftOut(f("2.1"), f("4.9"), NOT_RECOGNISED),)


def test_word_edges_count_as_covered_within_the_pad() -> None:
    # 0.2 s of voice on either side of the words (rough word edges), never 0.5 s uncovered
    assert left_out([r(0, 3)], [w("eins", 0.2, 1.2), w("zwei", 1.6, 2.8)]) == ()


def test_a_dropped_loop_on_lost_voice_says_repeated_itself() -> None:
    regions = [r(0, 1), r(3, 5)]
    loops = [{"start": 3.2, "end": 4.5, "text": "ja ja ja"}]
    assert left_out(regions, [w("Ja.", 0, 1)], loops) == (LeftOut(f(3), f(5), REPEATED_ITSELF, "ja ja ja"),)


def test_a_dropped_loop_is_left_out_even_where_no_voice_was_heard() -> None:
    loops = [{"start": 7.0, "end": 8.0, "text": "Untertitel"}]
    assert left_out([], [], loops) == (LeftOut(f(7), f(8), REPEATED_ITSELF, "Untertitel"),)


def test_zero_length_words_and_words_after_the_last_voice_are_unsaid() -> None:
    regions = [r(0.5, 5.0)]
    spoken = [w("Die", 0.5, 0.8), w("Beratung", 0.8, 1.5), w("endet.", 4.5, 5.1)]  # runs on past the voice: kept
    squeezed = [w("Die", 3.0, 3.0), w("Schuldner", 3.0, 3.001), w("hilft", 3.0, 3.0)]  # three on one instant
    late = [w("hilft,", 5.4, 5.7), w("wer", 5.7, 5.88)]  # after the voice ended
    silent = w("Hallo", 0.1, 0.1)  # of zero length before any voice
    kept, gone = unsaid([silent, *spoken[:2], *squeezed, spoken[2], *late], regions)
    assert kept == tuple(spoken)
    assert gone == (silent, *squeezed, *late)


def test_a_lone_zero_length_word_inside_speech_is_kept() -> None:
    # faster-whisper on a 160 s German recording: "bis zu 555,50 Euro im Monat", "Euro" with no time
    words = [w("555,50", 93.0, 93.46), w("Euro", 93.46, 93.46), w("im", 93.5, 93.7)]
    kept, gone = unsaid(words, [r(89, 97)])
    assert kept == tuple(words) and gone == ()


def test_without_any_voice_only_zero_length_words_are_unsaid() -> None:
    # a piece the detector hears no voice in is not judged by the last voice (a whisper, a test tone)
    kept, gone = unsaid([w("a", 1, 2), w("b", 3, 3)], [])
    assert [x.text for x in kept] == ["a"] and [x.text for x in gone] == ["b"]


def test_check_records_both_sides_on_the_transcript() -> None:
    words = (w("Hallo", 0.5, 1.0), w("Welt.", 1.0, 1.9), w("Welt.", 9.0, 9.0))
    t = Transcript(
        (TranscriptSegment("Hallo Welt. Welt.", words[0].start, words[-1].end, words),),
        "de",
        "x",
        "y",
        extra={"dropped_loops": [{"start": 6.0, "end": 7.0, "text": "so so"}]},
    )
    out = coverage.check(t, [r(0.5, 2.0), r(3.0, 5.0)])
    assert [x.text for x in out.words] == ["Hallo", "Welt."]
    assert out.segments[0].text == "Hallo Welt."
    assert out.left_out == (LeftOut(f(3), f(5), NOT_RECOGNISED), LeftOut(f(6), f(7), REPEATED_ITSELF, "so so"))
    assert [(x.text, x.start) for x in out.unsaid] == [("Welt.", f(9))]
    assert out.extra["dropped_loops"] == t.extra["dropped_loops"]  # kept as the backend reported it


def test_cues_carry_left_out_and_unsaid_words_and_warn() -> None:
    t = coverage.check(
        Transcript(
            (TranscriptSegment("Hallo.", f(0), f(1), (w("Hallo.", 0, 1), w("Tschüss.", 9, 9))),), "de", "x", "y"
        ),
        [r(0, 1), r(3, 5)],
    )
    cues = build(t, "subtitle")
    assert [c.text for c in cues] == ["Hallo."]
    assert cues.left_out == (LeftOut(f(3), f(5), NOT_RECOGNISED),)
    data = json.loads(cues.to_string("json"))
    assert data["left_out"] == [{"start": 3.0, "end": 5.0, "reason": "not recognised"}]
    assert data["unsaid"][0]["text"] == "Tschüss."
    warnings = cues.warnings()
    assert warnings[0].startswith("captions: no captions at 3.0-5.0s: speech was heard there but no word")
    assert "left out 1 word(s)" in warnings[1] and "Tschüss." in warnings[1]


# -- with real voice: a committed clip, and a backend that loses its second sentence ---------------------


class HalfHeard(Transcriber):
    """Hears only the first sentence of ``dev_termin.opus`` (voice 0.51-4.67 s and 5.09-7.10 s), and invents
    repeated text at the very end, squeezed onto one instant, as Whisper does. Decoded again on its own
    (``plain``), it hears nothing, so the second sentence stays lost."""

    name = "half-heard"

    def model_identity(self) -> str:
        return "half-heard"

    def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
        end = Fraction(len(audio), SAMPLE_RATE)
        if plain:  # decoded again on its own (the gap pass): the lost sentence stays lost
            return Transcript((), "de", "half-heard", "m", end)
        heard = [
            w(t, 0.6 + 0.5 * i, 1.1 + 0.5 * i)
            for i, t in enumerate(["Ich", "habe", "morgen", "Termin", "beim", "Amt", "um", "neun."])
        ]
        invented = [Word(t, end - f(1, 10), end - f(1, 10)) for t in ("Ich", "habe", "morgen")]
        words = tuple(heard + invented)
        return Transcript(
            (TranscriptSegment(" ".join(x.text for x in words), words[0].start, words[-1].end, words),),
            "de",
            "half-heard",
            "m",
            end,
        )


@pytest.fixture
def half_heard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BACKENDS, "half-heard", HalfHeard)


def test_transcribe_names_the_lost_sentence_and_leaves_out_invented_words(half_heard: None, tmp_path: Path) -> None:
    t = transcribe(MEDIA / "dev_termin.opus", TranscribeOptions(backend="half-heard", cache_dir=tmp_path))
    assert t.words[-1].text == "neun."  # the invented end is gone
    [lost] = t.left_out
    assert lost.reason == NOT_RECOGNISED
    assert float(lost.start) == pytest.approx(5.09, abs=0.1) and float(lost.end) == pytest.approx(7.1, abs=0.1)
    assert [x.text for x in t.unsaid] == ["Ich", "habe", "morgen"]


def test_transcribe_spans_places_left_out_speech_on_the_episode_timeline(half_heard: None, tmp_path: Path) -> None:
    clip = MEDIA / "dev_termin.opus"
    spans = [AudioSpan(clip, f(0), f(8), f(0)), AudioSpan(clip, f(4), f(8), f(20))]
    t = transcribe_spans(spans, TranscribeOptions(backend="half-heard", cache_dir=tmp_path))
    found = [(float(x.start), float(x.end)) for x in t.left_out]
    # the fake hears only the joined pass's first 4.6 s: the first piece loses its second sentence
    # (5.09-7.10 s), the second piece (the clip from 4 s, at 20 s) all its voice
    assert found == [
        (pytest.approx(5.09, abs=0.1), pytest.approx(7.1, abs=0.1)),
        (pytest.approx(20.0, abs=0.15), pytest.approx(23.1, abs=0.1)),
    ]
    assert all(x.reason == NOT_RECOGNISED for x in t.left_out)


def test_cli_captions_warns_of_the_lost_sentence_and_writes_it_to_the_cue_json(
    half_heard: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidcoop.cli.main import main

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "termin.json"
    try:
        main(["captions", str(MEDIA / "dev_termin.opus"), "-o", str(out), "--backend", "half-heard"])
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    err = capsys.readouterr().err
    assert "warning: captions: no captions at 5." in err and "no word was recognised" in err, err
    assert "left out 3 word(s)" in err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["reason"] for d in data["left_out"]] == ["not recognised"]


def test_silence_gives_no_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Nothing(HalfHeard):
        name = "nothing"

        def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
            return Transcript((), "de", "nothing", "m", Fraction(len(audio), SAMPLE_RATE))

    monkeypatch.setitem(BACKENDS, "nothing", Nothing)
    wav = tmp_path / "quiet.wav"
    import wave

    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.random.default_rng(1).normal(0, 30, SAMPLE_RATE * 3)).astype("<i2").tobytes())
    t = transcribe(wav, TranscribeOptions(backend="nothing", cache_dir=tmp_path))
    assert t.left_out == () and t.unsaid == ()

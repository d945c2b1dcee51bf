"""The German word check: glued function words split off, glued fragments before a term dropped, both ways."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vidcoop.captions.correct import correct_words
from vidcoop.captions.model import Correction, Transcript, TranscriptSegment, Word
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.tokens import is_word
from vidcoop.captions.transcribe import _corrected
from vidcoop.captions.words import split_glued

pytest.importorskip("spellchecker")

TERMS = ("Jobcenter", "Caritas", "Beratungsstelle", "Wohngeld", "Bürgergeld")


def words(text: str) -> list[Word]:
    return [Word(t, Fraction(i), Fraction(i + 1), 0.9) for i, t in enumerate(text.split())]


def split(text: str) -> str:
    return " ".join(w.text for w in split_glued(words(text), protect=TERMS))


def test_the_word_list_knows_common_words_and_not_glued_ones() -> None:
    assert is_word("Arbeit") and is_word("sucht") and is_word("Mitarbeit")
    assert not is_word("Werarbeit") and not is_word("Micaritas")


@pytest.mark.parametrize(
    ("heard", "shown"),
    [
        ("Bürgergeld. Werarbeit versucht,", "Bürgergeld. Wer Arbeit versucht,"),  # the example's caption
        ("Hallo, wersucht Arbeit?", "Hallo, wer sucht Arbeit?"),  # lower case: the rest stays lower case
        ("Termin imjobcenter.", "Termin im Jobcenter."),  # the rest is a glossary term: its spelling
        ("Das ist Dieberatung.", "Das ist die Beratung."),  # the longest function word wins, not "Di eberatung"
    ],
)
def test_glued_function_words_are_split(heard: str, shown: str) -> None:
    assert split(heard) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Die Mitarbeit ist freiwillig.",  # a word that starts with a function word
        "Das Bürgergeld und das Wohngeld.",  # compounds and glossary terms
        "In der Götterstrasse im Familiengebiet.",  # unknown compounds without a function word in front
        "Ausmeismit und Beitrag.",  # unknown, but no function word in front; a real word
        "Die Eheberatungsstelle hilft.",
        "Ein Gespräch.",  # too short to hold two words
    ],
)
def test_words_and_compounds_stay(text: str) -> None:
    assert split(text) == text


def test_split_words_share_the_time_and_record_the_correction() -> None:
    before = Word("Werarbeit,", Fraction(3), Fraction(4), 0.7)
    first, second = split_glued([Word("Hallo.", Fraction(0), Fraction(1)), before])[1:]
    assert (first.text, second.text) == ("Wer", "Arbeit,")
    assert (first.start, first.end, second.start, second.end) == (3, Fraction(10, 3), Fraction(10, 3), 4)
    assert first.correction == second.correction == Correction("Werarbeit,", "Wer Arbeit", 1.0)
    assert first.probability == second.probability == 0.7


def test_other_languages_and_glossary_choices_pass_through() -> None:
    assert split_glued(words("Werarbeit"), language="en") == tuple(words("Werarbeit"))
    chosen = Word("Werarbeit", Fraction(0), Fraction(1), correction=Correction("x", "Werarbeit", 0.9))
    assert split_glued([chosen]) == (chosen,)


@pytest.mark.parametrize(
    ("heard", "shown", "original"),
    [
        ("Beratung, Micaritas und", "Beratung, Caritas und", "Micaritas"),  # the example's "mit Caritas"
        ("Beratung Mikaritas.", "Beratung Caritas.", "Mikaritas."),
    ],
)
def test_a_short_fragment_glued_before_a_term_is_dropped(heard: str, shown: str, original: str) -> None:
    out = correct_words(words(heard), TERMS)
    assert " ".join(w.text for w in out) == shown
    fixed = next(w for w in out if w.correction is not None)
    assert fixed.correction is not None and fixed.correction.original == original
    assert 0.85 <= fixed.correction.score < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Die Eheberatungsstelle hilft.",  # a compound ending in a term spelt right: a word of its own
        "Die Suchtberatungsstellen helfen.",
        "Die Unicaritas hilft.",  # a fragment of three letters is a part of a word, not a stray syllable
    ],
)
def test_compounds_ending_in_a_term_stay(text: str) -> None:
    assert " ".join(w.text for w in correct_words(words(text), TERMS)) == text


def test_transcripts_are_split_after_the_glossary_and_only_when_asked() -> None:
    ws = tuple(words("Hallo. Werarbeit versucht, kommt Micaritas."))
    raw = Transcript((TranscriptSegment(" ".join(w.text for w in ws), ws[0].start, ws[-1].end, ws),), "de", "x", "y",
                     Fraction(6))  # fmt: skip
    from vidcoop.captions.glossary import Glossary

    on = _corrected(raw, TranscribeOptions(glossary=Glossary(terms=TERMS)))
    assert on.text == "Hallo. Wer Arbeit versucht, kommt Caritas."
    assert [w.start for w in on.words][:3] == [0, 1, Fraction(4, 3)]
    off = _corrected(raw, TranscribeOptions(split_glued=False))
    assert off.text == raw.text

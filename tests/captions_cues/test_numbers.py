"""German numbers, dates, times and phone numbers in subtitle style; timing never changes."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest

from vidcoop.captions.cues import build
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.numbers import normalise_words, parse_cardinal, parse_ordinal


def words(text: str) -> list[Word]:
    return [Word(t, Fraction(i, 2), Fraction(i + 1, 2), 0.9) for i, t in enumerate(text.split())]


def shown(text: str) -> str:
    return " ".join(w.text for w in normalise_words(words(text)))


@pytest.mark.parametrize(
    ("word", "value"),
    [("null", 0), ("eins", 1), ("zwölf", 12), ("sechzehn", 16), ("siebzehn", 17), ("dreißig", 30), ("Dreißig", 30),
     ("einundzwanzig", 21), ("hundert", 100), ("einhundertzwei", 102), ("fünfhundertsechsundfünfzig", 556),
     ("tausend", 1000), ("zweitausendvierundzwanzig", 2024), ("und", None), ("Hundertwasser", None), ("", None)],
)  # fmt: skip
def test_cardinals(word: str, value: int | None) -> None:
    assert parse_cardinal(word) == value


@pytest.mark.parametrize(
    ("word", "value"),
    [("ersten", 1), ("erster", 1), ("zweite", 2), ("dritten", 3), ("siebten", 7), ("achten", 8),
     ("neunzehnten", 19), ("zwanzigsten", 20), ("einunddreißigsten", 31), ("gestern", None), ("Leute", None),
     ("zwanzigten", None)],
)  # fmt: skip
def test_ordinals(word: str, value: int | None) -> None:
    assert parse_ordinal(word) == value


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        # the four examples, from words and from Whisper's mixed forms
        ("Die Stelle hat dreißig Stunden pro Woche.", "Die Stelle hat 30 Stunden pro Woche."),
        ("Die Stelle hat 30 Stunden pro Woche.", "Die Stelle hat 30 Stunden pro Woche."),
        ("bis zum ersten Dezember.", "bis zum 1. Dezember."),
        ("bis zum 1 Dezember.", "bis zum 1. Dezember."),
        ("bis zum 1. Dezember.", "bis zum 1. Dezember."),
        ("um neun Uhr dreißig.", "um 9:30 Uhr."),
        ("um 9 Uhr 30.", "um 9:30 Uhr."),
        ("um 9.30 Uhr", "um 9:30 Uhr"),
        ("um 9 .30 Uhr", "um 9 .30 Uhr"),  # as Whisper splits it, before joining: never "neun"
        ("um 9:30 Uhr", "um 9:30 Uhr"),
        ("um neun Uhr. Danach", "um 9 Uhr. Danach"),
        ("Ruf an: null fünf sechs eins, eins zwei drei vier fünf sechs.", "Ruf an: 0561 123456."),
        ("Ruf an: 0561 123456.", "Ruf an: 0561 123456."),
        ("Ruf an: 05 61 12 34 56", "Ruf an: 0561 123456"),
        ("Ruf an: 030 12 34 56", "Ruf an: 030 123456"),
        # amounts and small numbers
        ("bis zu fünfhundertsechsundfünfzig Euro", "bis zu 556 Euro"),
        ("drei Euro und 3 Prozent", "3 Euro und 3 Prozent"),
        ("meistens 3 Jahre und zwei Wochen", "meistens drei Jahre und zwei Wochen"),
        ("am dritten März um vierzehn Uhr", "am 3. März um 14 Uhr"),
        ("etwa zwanzig Minuten", "etwa 20 Minuten"),
        # left alone
        ("ein Jobcenter und eine Beraterin", "ein Jobcenter und eine Beraterin"),
        ("Die erste Frage", "Die erste Frage"),
        ("Wir sind 2024 hier", "Wir sind 2024 hier"),
        ("Telefon 12 34", "Telefon 12 34"),  # digits beside digits stay digits
    ],
)
def test_reading_forms(heard: str, expected: str) -> None:
    assert shown(heard) == expected


def test_timing_never_changes() -> None:
    before = words("Termin am ersten Dezember um neun Uhr dreißig, Telefon null fünf sechs eins eins zwei drei.")
    after = normalise_words(before)
    # Every output word starts where a word started and ends where one ended; together they cover the same time.
    assert after[0].start == before[0].start and after[-1].end == before[-1].end
    starts, ends = {w.start for w in before}, {w.end for w in before}
    assert all(w.start in starts and w.end in ends for w in after)
    assert all(a.end <= b.start for a, b in pairwise(after))
    texts = [w.text for w in after]
    assert texts == ["Termin", "am", "1.", "Dezember", "um", "9:30 Uhr,", "Telefon", "0561 123."]
    nine = after[5]
    assert (nine.start, nine.end) == (before[5].start, before[7].end)


def test_subtitle_style_shows_reading_forms_and_keeps_cue_times() -> None:
    ws = tuple(words("Die Stelle hat dreißig Stunden. Start um neun Uhr dreißig."))
    t = Transcript((TranscriptSegment("", ws[0].start, ws[-1].end, ws),), "de", "fake", "fake", Fraction(10))
    cues = build(t, "subtitle")
    text = " ".join(line for cue in cues for line in cue.lines)
    assert text == "Die Stelle hat 30 Stunden. Start um 9:30 Uhr."
    assert cues.items[0].start == ws[0].start
    social = build(t, "social")  # the social style keeps the words as spoken
    assert "dreißig" in " ".join(line for cue in social for line in cue.lines)

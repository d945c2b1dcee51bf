"""Cue building rules: subtitle and social styles (pure, fast, real font metrics)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.chunking import chunks
from vidcoop.captions.cuerules import check_subtitle_rules
from vidcoop.captions.cues import BUILDERS, CueRules, build
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.style import CaptionStyle, default_style
from vidcoop.errors import CaptionError
from vidcoop.text.breaks import DANGLING_WORDS, bare
from vidcoop.text.fonts import text_width

from . import helpers as H

F = Fraction

TEXT = (
    "Heute zeigen wir euch, wie die Arbeit in einer Einrichtung der Eingliederungshilfe aussieht. "
    "Unsere Heilerziehungspflegerin Anna begleitet Menschen mit Behinderung im Alltag, und sie hilft "
    "bei der Arbeit in der Werkstatt. Wer Lust hat, kann sich bei der Grundsicherungsträgerverwaltung "
    "oder bei uns direkt bewerben, denn wir suchen dringend Verstärkung!"
)


@pytest.fixture(scope="module")
def words() -> list[Word]:
    return H.words_at(TEXT)


@pytest.fixture(scope="module")
def subtitles(words: list[Word]):  # type: ignore[no-untyped-def]
    return build(H.transcript_of(words, duration=words[-1].end + 2), "subtitle")


def _unhyphenate(lines: tuple[str, ...]) -> str:
    text = ""
    for line in lines:
        text += line[:-1] if line.endswith("-") else line + " "
    return text.strip()


def test_subtitle_keeps_every_word_in_order(subtitles, words) -> None:  # type: ignore[no-untyped-def]
    shown = " ".join(_unhyphenate(c.lines) for c in subtitles)
    assert shown == " ".join(w.text for w in words)
    assert [w for c in subtitles for w in c.words] == words


def test_subtitle_lines_obey_chars_pixels_and_count(subtitles) -> None:  # type: ignore[no-untyped-def]
    style = default_style("subtitle")
    for cue in subtitles:
        assert 1 <= len(cue.lines) <= 2
        for line in cue.lines:
            assert len(line) <= 42
            assert text_width(line, style.font_file, style.font_size) <= style.max_width


def test_subtitle_never_ends_a_line_with_article_or_preposition(subtitles) -> None:  # type: ignore[no-untyped-def]
    for cue in subtitles:
        for line in cue.lines[:-1]:
            assert bare(line.split()[-1]) not in DANGLING_WORDS, cue.lines


def test_subtitle_durations_and_reading_speed(subtitles) -> None:  # type: ignore[no-untyped-def]
    report = check_subtitle_rules(subtitles)
    assert report.cues == len(subtitles)
    assert report.violating == 0, report
    for a, b in itertools.pairwise(subtitles):
        assert a.end <= b.start


def test_subtitle_compound_is_hyphenated_at_the_linking_s(subtitles) -> None:  # type: ignore[no-untyped-def]
    lines = [line for cue in subtitles for line in cue.lines]
    assert "Grundsicherungsträgerverwaltung" not in " ".join(lines)
    assert any(line.endswith("Grundsicherungs-") for line in lines)
    assert any(line.startswith("trägerverwaltung") for line in lines)


def test_subtitle_breaks_before_conjunction_when_line_is_full() -> None:
    text = "Wir begleiten Menschen mit Behinderung jeden Tag und wir lernen dabei selbst unglaublich viel."
    cues = build(H.transcript_of(H.words_at(text)), "subtitle")
    starts = [line.split()[0] for c in cues for line in c.lines]
    assert "und" in starts, [c.lines for c in cues]
    short = "Sie hilft bei der Arbeit und lacht dabei gern"
    cue = build(H.transcript_of(H.words_at(short, per_char=F(1, 8))), "subtitle")[0]
    assert cue.lines == ("Sie hilft bei der Arbeit", "und lacht dabei gern")


def test_subtitle_extends_short_cue_into_silence_for_min_duration() -> None:
    ws = [Word("Hallo.", F(0), F(3, 10)), Word("Tschüss.", F(5), F(53, 10))]
    cues = build(H.transcript_of(ws), "subtitle")
    assert len(cues) == 2
    assert cues[0].end - cues[0].start == 1
    assert cues[0].end <= cues[1].start


def test_subtitle_reading_speed_extension_is_capped_by_next_cue() -> None:
    first = H.words_at("Das ist ein ziemlich langer Satz mit vielen Wörtern drin.", per_char=F(1, 40))
    later = H.words_at("Weiter.", start=first[-1].end + F(7, 10))
    cues = build(H.transcript_of(first, later), "subtitle")
    last_of_first = next(c for c in cues if c.words[-1] == first[-1])
    following = cues[cues.items.index(last_of_first) + 1]
    assert last_of_first.end > first[-1].end  # held into the pause for reading speed
    assert last_of_first.end <= following.start


def test_long_speech_is_split_into_cues_of_at_most_seven_seconds() -> None:
    ws = H.words_at(" ".join(["Wort"] * 80), per_char=F(1, 4))
    cues = build(H.transcript_of(ws), "subtitle")
    assert len(cues) > 1
    assert all(c.end - c.start <= 7 for c in cues)


def test_no_cue_crosses_a_cut_or_a_long_pause() -> None:
    ws = H.words_at("eins zwei drei vier fünf sechs sieben acht neun zehn", per_char=F(1, 10))
    # a 0.8 s pause after "fünf"
    ws = [*ws[:5], *(replace(w, start=w.start + F(8, 10), end=w.end + F(8, 10)) for w in ws[5:])]
    cut = ws[2].start  # a cut right where "drei" starts
    for style in BUILDERS:
        cues = build(H.transcript_of(ws), style, cuts=[cut])
        for cue in cues:
            assert not (cue.start < cut < cue.end), (style, cue)
            texts = [w.text for w in cue.words]
            assert not ("fünf" in texts and "sechs" in texts), style
            assert not ("zwei" in texts and "drei" in texts), style


def test_chunks_split_on_pause_parameter() -> None:
    ws = [Word("a", F(0), F(1, 2)), Word("b", F(9, 10), F(1)), Word("c", F(3), F(4))]
    assert [len(c) for c in chunks(ws, (), F(6, 10))] == [2, 1]
    assert [len(c) for c in chunks(ws, (), F(3, 10))] == [1, 1, 1]


def test_social_one_to_three_words_with_timing(words) -> None:  # type: ignore[no-untyped-def]
    cues = build(H.transcript_of(words), "social", cuts=[F(10)])
    style = default_style("social")
    assert [w for c in cues for w in c.words] == words
    for cue in cues:
        assert 1 <= len(cue.words) <= 3
        assert cue.start == cue.words[0].start
        assert cue.end > cue.start
        assert len(cue.lines) <= style.max_lines
        for line in cue.lines:
            assert text_width(line, style.font_file, style.min_font_size) <= style.max_width
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start
    assert sum(len(c.words) for c in cues) / len(cues) > 2  # mostly 2-3 words, not one by one


def test_social_ends_cue_at_punctuation() -> None:
    cues = build(H.transcript_of(H.words_at("Ja, klar. Wir kommen gleich")), "social")
    assert [tuple(w.text for w in c.words) for c in cues][:2] == [("Ja,",), ("klar.",)]


def test_social_uppercase_measures_capitals_and_keeps_case() -> None:
    style = replace(default_style("social"), uppercase=True)
    cues = build(H.transcript_of(H.words_at("wir suchen dich")), "social", style)
    assert cues[0].lines[0].startswith("wir")


def test_lone_word_too_wide_shrinks_or_hyphenates_never_cut() -> None:
    style = replace(default_style("social"), max_width=500)
    word = "Grundsicherungsträgerverwaltung"
    cues = build(H.transcript_of([Word(word, F(0), F(1))]), "social", style)
    assert _unhyphenate(cues[0].lines) == word
    for line in cues[0].lines:
        assert text_width(line, style.font_file, style.min_font_size) <= 500


def test_impossible_fit_raises_caption_error() -> None:
    style = replace(default_style("social"), max_width=40, min_font_size=80, max_lines=1)
    with pytest.raises(CaptionError) as info:
        build(H.transcript_of([Word("Grundsicherungsträgerverwaltung", F(0), F(1))]), "social", style)
    assert info.value.field == "cues.0"


def test_style_sources_kit_like_object_and_errors() -> None:
    class Kit:
        def caption_style(self, style: str) -> CaptionStyle:
            return replace(default_style(style), max_width=500)

    ws = H.words_at("Wir begleiten Menschen mit Behinderung im Alltag und bei der Arbeit")
    cues = build(H.transcript_of(ws), "subtitle", Kit())
    for cue in cues:
        for line in cue.lines:
            assert text_width(line, cue_style_font(), 64) <= 500
    with pytest.raises(CaptionError):
        build(H.transcript_of(ws), "karaoke")
    with pytest.raises(CaptionError):
        build(H.transcript_of(ws), "subtitle", object())


def cue_style_font() -> Path:
    return default_style("subtitle").font_file


def test_segments_without_word_times_are_spread() -> None:
    seg = TranscriptSegment("Hallo und willkommen bei uns", F(1), F(3))
    t = Transcript((seg,), language="de", backend="fake", model="fake")
    cues = build(t, "social")
    words = [w for c in cues for w in c.words]
    assert [w.text for w in words] == ["Hallo", "und", "willkommen", "bei", "uns"]
    assert words[0].start == 1 and words[-1].end == 3


def test_empty_transcript_gives_no_cues() -> None:
    t = Transcript((), language="de", backend="fake", model="fake")
    assert len(build(t, "subtitle")) == 0
    assert check_subtitle_rules(build(t, "subtitle")).share == 0.0


def test_rule_checker_counts_each_rule() -> None:
    from vidcoop.captions.model import Cue

    bad = [
        Cue(F(0), F(1, 2), ("kurz",)),  # too short
        Cue(F(1), F(9), ("viel zu lange auf dem Schirm",)),  # too long
        Cue(F(10), F(11), ("x" * 50,)),  # too many chars, too wide, too fast
        Cue(F(12), F(14), ("eins", "zwei", "drei")),  # too many lines
        Cue(F(13), F(15), ("überlappt",)),  # overlaps
        Cue(F(20), F(22), ("in Ordnung",)),
    ]
    report = check_subtitle_rules(bad)
    assert report.as_dict() == {
        "cues": 6,
        "line_chars": 1,
        "pixel_width": 1,
        "line_count": 1,
        "duration": 2,
        "reading_speed": 1,
        "overlaps": 1,
        "violating": 5,
    }
    assert check_subtitle_rules(bad).share == pytest.approx(5 / 6)
    assert check_subtitle_rules(bad, rules=CueRules(max_duration=F(10))).duration == 1

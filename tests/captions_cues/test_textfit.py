"""Pixel-width wrapping with the real caption font (pure, fast)."""

from __future__ import annotations

import pickle

import pytest

from vidcoop.captions.style import default_font_file
from vidcoop.errors import CaptionError
from vidcoop.text.breaks import DANGLING_WORDS, bare, german_break_cost
from vidcoop.text.fit import FitOptions, TextDoesNotFit, fit_lines, fit_text, wrap_tokens
from vidcoop.text.fonts import em_per_line_height, font_family, text_width
from vidcoop.text.hyphenate import hyphenation_points
from vidcoop.text.tokens import Token, split_for_hyphenation, tokens_from_words

FONT = default_font_file()


def test_width_grows_with_text_and_size() -> None:
    assert text_width("Hallo", FONT, 64) > text_width("Hal", FONT, 64) > 0
    assert text_width("Hallo", FONT, 64) == pytest.approx(2 * text_width("Hallo", FONT, 32), rel=0.03)
    # a proportional font: "W" is wider than "i"
    assert text_width("WWWW", FONT, 64) > 2 * text_width("iiii", FONT, 64)


def test_family_name_and_ass_size_ratio() -> None:
    assert font_family(FONT) == "Atkinson Hyperlegible"
    # Atkinson Hyperlegible: 1000 units per em, win ascent 950 + descent 290
    assert em_per_line_height(FONT) == pytest.approx(1000 / 1240)


def test_wrap_keeps_every_line_inside_the_width() -> None:
    text = "Wir begleiten Menschen mit Behinderung im Alltag und bei der Arbeit in der Werkstatt"
    fitted = fit_text(text, FONT, FitOptions(max_width=600, size=48, max_lines=4))
    assert " ".join(fitted.lines) == text
    assert len(fitted.lines) > 1
    for line in fitted.lines:
        assert text_width(line, FONT, fitted.size) <= 600


def test_fewest_lines_then_balance() -> None:
    fitted = fit_text("eins zwei drei", FONT, FitOptions(max_width=900, size=48, max_lines=3))
    assert fitted.lines == ("eins zwei drei",)
    two = fit_text("aaaa bbbb cccc dddd", FONT, FitOptions(max_width=300, size=48, max_lines=3))
    assert two.lines == ("aaaa bbbb", "cccc dddd")


def test_line_never_ends_with_article_or_preposition_when_avoidable() -> None:
    text = "Ich arbeite gern mit den Menschen in der Stadt"
    for width in (420, 520, 620, 720):
        fitted = fit_text(text, FONT, FitOptions(max_width=width, size=48, max_lines=3))
        for line in fitted.lines[:-1]:
            assert bare(line.split()[-1]) not in DANGLING_WORDS, fitted.lines


def test_break_cost_prefers_punctuation_then_conjunctions() -> None:
    assert german_break_cost("Alltag,", "wir") < german_break_cost("gern", "und") < german_break_cost("gern", "wir")
    assert german_break_cost("Ende.", "Neu") <= german_break_cost("Alltag,", "wir")
    assert german_break_cost("der", "Stadt") > german_break_cost("gern", "wir")


def test_break_at_comma_rather_than_balanced_middle() -> None:
    text = "Sie hilft im Alltag, und wir lernen viel von ihr"
    fitted = fit_text(text, FONT, FitOptions(max_width=700, size=48, max_lines=2, break_cost=german_break_cost))
    assert fitted.lines[0].endswith("Alltag,") or fitted.lines[1].startswith("und")


def test_max_chars_is_respected() -> None:
    text = "a b c d e f g h i j k l m n o p q r s t u v w x y z"
    fitted = fit_text(text, FONT, FitOptions(max_width=5000, size=30, max_lines=3, max_chars=20))
    assert all(len(line) <= 20 for line in fitted.lines)


@pytest.mark.parametrize("word", ["Heilerziehungspflegerin", "Grundsicherungsträgerverwaltung"])
def test_long_compound_is_hyphenated_not_cut(word: str) -> None:
    options = FitOptions(max_width=500, size=64, max_lines=3)
    assert text_width(word, FONT, 64) > 500
    fitted = fit_text(word, FONT, options)
    assert fitted.hyphenated
    assert fitted.size == 64
    joined = "".join(line[:-1] if line.endswith("-") else line for line in fitted.lines)
    assert joined == word
    assert all(line.endswith("-") for line in fitted.lines[:-1])
    assert all(text_width(line, FONT, 64) <= 500 for line in fitted.lines)


def test_compound_prefers_linking_s_boundary() -> None:
    fitted = fit_text("Grundsicherungsträgerverwaltung", FONT, FitOptions(max_width=840, size=84, max_lines=2))
    assert fitted.lines == ("Grundsicherungs-", "trägerverwaltung")


def test_shrink_prefer_keeps_word_whole() -> None:
    word = "Heilerziehungspflegerin"
    width = text_width(word, FONT, 64)
    options = FitOptions(max_width=width * 0.8, size=64, min_size=44, max_lines=1, prefer="shrink")
    fitted = fit_text(word, FONT, options)
    assert fitted.lines == (word,)
    assert 44 <= fitted.size < 64
    assert not fitted.hyphenated


def test_does_not_fit_raises_typed_picklable_error() -> None:
    options = FitOptions(max_width=200, size=64, min_size=60, max_lines=1, hyphenate=False)
    with pytest.raises(TextDoesNotFit) as info:
        fit_text("Grundsicherungsträgerverwaltung", FONT, options, field="rows.3.title", path="jobs.csv")
    err = info.value
    assert isinstance(err, CaptionError)
    assert err.field == "rows.3.title" and err.path == "jobs.csv"
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is TextDoesNotFit and again.field == "rows.3.title"


def test_hyphenation_points_keep_two_letters_and_existing_hyphens() -> None:
    points = hyphenation_points("Caritas-Verband")
    assert 8 in points  # after the existing hyphen
    for p in hyphenation_points("Heilerziehungspflegerin"):
        assert 2 <= p <= len("Heilerziehungspflegerin") - 2
    assert hyphenation_points("ab") == ()


def test_heuristic_hyphenation_without_pyphen(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from vidcoop.text import hyphenate as textfit

    real_import = builtins.__import__

    def no_pyphen(name: str, *args: object, **kwargs: object) -> object:
        if name == "pyphen":
            raise ImportError("no pyphen")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pyphen)
    points = textfit._dictionary_points("Heilerziehungspflegerin", "de")
    assert points, "the heuristic finds syllable breaks"
    word = "Heilerziehungspflegerin"
    for p in points:
        assert 2 <= p <= len(word) - 2
    assert 3 in points  # Hei-ler


def test_hyphen_pieces_join_without_hyphen_on_one_line() -> None:
    pieces = split_for_hyphenation(Token("Werkstattleitung", " ", False, "Werkstattleitung"))
    assert len(pieces) > 1
    lines = wrap_tokens(pieces, lambda s: float(len(s)), 100, 1)
    assert lines == ["Werkstattleitung"]


def test_wrap_returns_none_when_too_many_lines_needed() -> None:
    tokens = tokens_from_words(["aaaa"] * 10)
    assert wrap_tokens(tokens, lambda s: float(len(s)), 9, 2) is None
    assert wrap_tokens(tokens, lambda s: float(len(s)), 9, 5) == ["aaaa aaaa"] * 5


def test_uppercase_is_measured_as_capitals_but_text_keeps_its_case() -> None:
    text = "sie hilft im alltag"
    lower = fit_text(text, FONT, FitOptions(max_width=10_000, size=48, max_lines=1))
    upper_width = text_width(text.upper(), FONT, 48)
    fitted = fit_text(text, FONT, FitOptions(max_width=upper_width - 1, size=48, max_lines=2, uppercase=True))
    assert lower.lines == (text,)
    assert len(fitted.lines) == 2 and fitted.lines[0].islower()


def test_fit_lines_finds_size_where_given_lines_fit() -> None:
    options = FitOptions(max_width=400, size=64, min_size=30)
    size = fit_lines(["Heilerziehungspflegerin"], FONT, options)
    assert size is not None and size < 64
    assert text_width("Heilerziehungspflegerin", FONT, size) <= 400
    assert fit_lines(["x" * 200], FONT, options) is None

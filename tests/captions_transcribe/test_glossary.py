from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.glossary import Glossary, glossary_from_data, load_glossary
from vidcoop.captions.model import TranscriptSegment, Word
from vidcoop.errors import ManifestError


def w(text: str, start: float, end: float, p: float = 0.9) -> Word:
    return Word(text, Fraction(str(start)), Fraction(str(end)), p)


def test_load_yaml(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(
        "terms: [Bürgergeld, Jobcenter]\nreplace:\n  Job Center: Jobcenter\n  'bürger geld': Bürgergeld\n",
        encoding="utf-8",
    )
    g = load_glossary(path)
    assert g == Glossary(
        terms=("Bürgergeld", "Jobcenter"),
        replacements=(("Job Center", "Jobcenter"), ("bürger geld", "Bürgergeld")),
    )
    assert g.prompt() == "Bürgergeld, Jobcenter."


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("terms: Jobcenter\n", "terms"),
        ("terms: [Jobcenter, 3]\n", "terms.1"),
        ("terms: ['  ']\n", "terms.0"),
        ("replace: [a, b]\n", "replace"),
        ("replace:\n  Job Center: [x]\n", "replace.Job Center"),
        ("replace:\n  '...': x\n", "replace...."),
        ("termz: [a]\n", "termz"),
    ],
)
def test_bad_types_name_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_glossary(path)
    assert info.value.field == field
    assert info.value.path == str(path)


def test_not_a_mapping_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="mapping"):
        glossary_from_data(["a"])
    with pytest.raises(ManifestError, match="not found"):
        load_glossary(tmp_path / "nope.yaml")
    assert glossary_from_data(None).is_empty


def test_multi_word_replacement_merges_times_and_keeps_punctuation() -> None:
    g = Glossary(replacements=(("Job Center", "Jobcenter"),))
    words = [w("Das", 0, 0.3), w("job", 0.3, 0.5, 0.8), w("Center.", 0.5, 0.9, 0.6), w("Gut", 1.0, 1.2)]
    out = g.apply_words(words)
    assert [x.text for x in out] == ["Das", "Jobcenter.", "Gut"]
    merged = out[1]
    assert (merged.start, merged.end) == (Fraction(3, 10), Fraction(9, 10))
    assert merged.probability == 0.6


def test_whole_words_only_and_case_insensitive() -> None:
    g = Glossary(replacements=(("Job Center", "Jobcenter"), ("caritas", "Caritas")))
    words = [w("Job", 0, 1), w("Centers", 1, 2), w("CARITAS", 2, 3), w("Caritasverband", 3, 4)]
    assert [x.text for x in g.apply_words(words)] == ["Job", "Centers", "Caritas", "Caritasverband"]
    assert g.apply_text("Beim job  center und im Jobcentergebäude") == "Beim Jobcenter und im Jobcentergebäude"


def test_replacement_text_is_literal() -> None:
    g = Glossary(replacements=(("foo", r"{\b1}a\1$0"),))
    assert g.apply_text("a foo b") == r"a {\b1}a\1$0 b"
    assert g.apply_words([w("foo", 0, 1)])[0].text == r"{\b1}a\1$0"


def test_segment_text_follows_its_words() -> None:
    g = Glossary(replacements=(("Bürger Geld", "Bürgergeld"),))
    seg = TranscriptSegment(
        "Beim Bürger Geld", Fraction(0), Fraction(2), (w("Beim", 0, 0.5), w("Bürger", 0.5, 1), w("Geld", 1, 2))
    )
    out = g.apply_segment(seg)
    assert out.text == "Beim Bürgergeld"
    assert [x.text for x in out.words] == ["Beim", "Bürgergeld"]
    no_words = TranscriptSegment("Beim Bürger Geld", Fraction(0), Fraction(2))
    assert g.apply_segment(no_words).text == "Beim Bürgergeld"


def test_model_key_ignores_replacements() -> None:
    a = Glossary(terms=("Jobcenter",), replacements=(("a", "b"),))
    b = Glossary(terms=("Jobcenter",))
    assert a.model_key() == b.model_key()
    assert Glossary(terms=("Caritas",)).model_key() != b.model_key()

"""Property tests (Hypothesis, bounded): word alignment and the media path guard."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidcoop.captions.model import Word
from vidcoop.studio.captions import realign_words

TEXT = st.text(alphabet="abcäöüßXY.,", min_size=1, max_size=8)


@st.composite
def timed_words(draw: st.DrawFn) -> list[Word]:
    texts = draw(st.lists(TEXT, min_size=1, max_size=12))
    gaps = draw(st.lists(st.integers(0, 500), min_size=len(texts) * 2, max_size=len(texts) * 2))
    words, t = [], Fraction(0)
    for i, text in enumerate(texts):
        start = t + Fraction(gaps[2 * i], 1000)
        end = start + Fraction(gaps[2 * i + 1] + 1, 1000)
        words.append(Word(text, start, end))
        t = end
    return words


@settings(max_examples=150, deadline=None)
@given(timed_words(), st.data())
def test_replacing_one_word_keeps_all_other_times(old: list[Word], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(old) - 1))
    new_text = data.draw(TEXT.filter(lambda t: t not in {w.text for w in old}))
    new = [w.text for w in old]
    new[index] = new_text
    out = realign_words(old, new)
    assert [w.text for w in out] == new
    for i, (before, after) in enumerate(zip(old, out, strict=True)):
        if i != index:
            assert after == before
    assert (out[index].start, out[index].end) == (old[index].start, old[index].end)


@settings(max_examples=150, deadline=None)
@given(timed_words(), st.lists(TEXT, max_size=15))
def test_any_edit_gives_one_ordered_word_per_new_word(old: list[Word], new: list[str]) -> None:
    out = realign_words(old, new)
    assert [w.text for w in out] == new
    for a, b in itertools.pairwise(out):
        assert a.start <= a.end <= b.start
    assert all(old[0].start <= w.start <= w.end <= old[-1].end for w in out)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("fuzz")
    root = base / "week"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "f.txt").write_text("x", encoding="utf-8")
    (base / "secret.txt").write_text("s", encoding="utf-8")
    (root / "sub" / "out").symlink_to(base)
    return base, root


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["..", ".", "sub", "f.txt", "out", "secret.txt", "week", "", "%2e%2e", "%2f", "/"]), max_size=6
    )
)
def test_media_paths_never_leave_the_root(tree: tuple[Path, Path], parts: list[str]) -> None:
    from vidcoop.studio.views.media import safe_media_path

    _base, root = tree
    found = safe_media_path("/".join(parts), [root.resolve()])
    if found is not None:
        assert found.is_relative_to(root.resolve()) and found.is_file()

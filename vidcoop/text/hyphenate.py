"""Hyphenation points of German words: Hunspell patterns (pyphen) where a dictionary knows the word, a
syllable heuristic elsewhere."""

from __future__ import annotations

import functools
from typing import Any

from vidcoop.text.breaks import STRIP


@functools.lru_cache(maxsize=4096)
def hyphenation_points(word: str, language: str = "de") -> tuple[int, ...]:
    """Positions inside ``word`` where it may be hyphenated, best-effort.

    Existing hyphens come first (``Caritas-|Verband``). Then pyphen's
    dictionary patterns when pyphen is installed, else a syllable heuristic:
    break before a consonant that follows a vowel (``Hei-ler-zie-hung``),
    keeping German letter groups (ch, ck, sch, ph, th, qu) together. At least
    two letters stay on each side.
    """
    points: set[int] = {i + 1 for i, ch in enumerate(word[:-1]) if ch == "-" and i > 0}
    core = word.rstrip(STRIP)
    lead = len(core) - len(core.lstrip(STRIP))
    letters = core[lead:]
    if len(letters) >= 5:
        points.update(lead + p for p in _dictionary_points(letters, language))
    return tuple(sorted(p for p in points if 2 <= p <= len(word) - 2))


def _dictionary_points(letters: str, language: str) -> list[int]:
    try:
        import pyphen
    except ImportError:  # optional: fall back to the heuristic
        return _heuristic_points(letters)
    lang = {"de": "de_DE", "en": "en_US"}.get(language.split("-")[0].lower(), language)
    if lang not in pyphen.LANGUAGES:
        return _heuristic_points(letters)
    dic = _pyphen_dict(lang)
    return [int(p) for p in dic.positions(letters)]


@functools.lru_cache(maxsize=4)
def _pyphen_dict(lang: str) -> Any:
    import pyphen

    return pyphen.Pyphen(lang=lang)


_VOWELS = set("aeiouyäöüAEIOUYÄÖÜéèêáàâ")
_KEEP_TOGETHER = ("sch", "ch", "ck", "ph", "th", "qu")


def _heuristic_points(letters: str) -> list[int]:
    """Syllable-ish break points: after a vowel, before the last consonant of a cluster."""
    points: list[int] = []
    i = 1
    n = len(letters)
    while i < n - 1:
        if letters[i - 1] in _VOWELS and letters[i] not in _VOWELS:
            j = i
            while j < n and letters[j] not in _VOWELS:
                j += 1
            if j >= n:
                break
            cluster = letters[i:j].lower()
            cut = j - 1
            for group in _KEEP_TOGETHER:
                if cluster.endswith(group):
                    cut = j - len(group)
                    break
            if cut < i:
                cut = i
            points.append(cut)
            i = j
        i += 1
    return [p for p in points if 2 <= p <= n - 2]

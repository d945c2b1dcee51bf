"""Tokens: what a recognised word is made of, for glossary, correction and word splitting alike.

A leaf of :mod:`vidcoop.captions`: punctuation around a word, its letters, function words, sentence
starts, and the language's word list (loaded on first use).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from vidcoop.captions.model import Word

# Words that are never part of a split-up term: articles, pronouns, prepositions, conjunctions.
_FUNCTION_WORDS = """
    der die das den dem des ein eine einen einem einer eines kein keine
    ich du er sie es wir ihr mich dich sich uns euch mein dein sein unser
    in im ins an am ans auf aus bei beim mit nach von vom zu zum zur für über unter vor hinter
    neben zwischen durch gegen ohne um bis seit
    und oder aber denn doch sondern dass weil wenn ob als wie
    wer was wo wann warum
    ist sind war hat haben wird werden kann
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


def letters(text: str) -> str:
    """Lower-case letters and digits only (NFC): what the spelling comparison sees."""
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(c for c in text if c.isalnum())


def _is_punct(char: str) -> bool:
    # Quotes, brackets, dashes, stops: what may cling to a recognised word ("Center," or German quotes).
    return unicodedata.category(char).startswith("P")


def split_punctuation(text: str) -> tuple[str, str, str]:
    """(leading punctuation, core, trailing punctuation) of a stripped word; inner hyphens and apostrophes stay."""
    text = text.strip()
    a = 0
    while a < len(text) and _is_punct(text[a]):
        a += 1
    b = len(text)
    while b > a and _is_punct(text[b - 1]):
        b -= 1
    return text[:a], text[a:b], text[b:]


def starts_sentence(words: Sequence[Word], i: int) -> bool:
    """Whether word ``i`` begins a sentence (first of the segment, or after ``.``, ``!``, ``?``, ``:``)."""
    if i == 0:
        return True
    return split_punctuation(words[i - 1].text)[2][-1:] in {".", "!", "?", ":"}


#: Languages with a word list here.
LANGUAGES = frozenset({"de"})


@lru_cache(maxsize=2)
def _dictionary(language: str) -> Any:
    """The word list (a pyspellchecker ``WordFrequency``; loading takes about 0.4 s, once)."""
    from spellchecker import SpellChecker

    return SpellChecker(language=language, distance=1).word_frequency


def is_word(text: str, language: str = "de") -> bool:
    """Whether ``text`` (any case) is in the language's word list."""
    return _dictionary(language)[text.casefold()] > 0

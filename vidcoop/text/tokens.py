"""Tokens: the pieces of text the line breaker places (words, or parts of a hyphenated compound),
and how a line of them reads."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vidcoop.text.hyphenate import hyphenation_points


@dataclass(frozen=True)
class Token:
    """A piece of text the line breaker places.

    Attributes:
        text: What is drawn.
        glue: What joins it to the next token on the same line (a space, or
            nothing for the pieces of a hyphenated word).
        hyphen: Add a ``-`` when a line ends after this piece.
        word: The whole word this piece belongs to (for break rules).
    """

    text: str
    glue: str = " "
    hyphen: bool = False
    word: str = ""


def tokens_from_words(words: Sequence[str]) -> list[Token]:
    """One token per word, joined by spaces."""
    return [Token(w, " ", False, w) for w in words]


def split_for_hyphenation(token: Token, language: str = "de") -> list[Token]:
    """Split a token at its hyphenation points into glued pieces."""
    points = hyphenation_points(token.text, language)
    if not points:
        return [token]
    pieces: list[Token] = []
    bounds = [0, *points, len(token.text)]
    for a, b in itertools.pairwise(bounds):
        piece = token.text[a:b]
        last = b == len(token.text)
        pieces.append(
            Token(
                piece,
                token.glue if last else "",
                hyphen=not last and not piece.endswith("-"),
                word=token.word or token.text,
            )
        )
    return pieces


def split_by_letters(token: Token, measure: Callable[[str], float], max_width: float) -> list[Token]:
    """Last resort for a word wider than a line: break it wherever it has to (with a hyphen)."""
    pieces: list[Token] = []
    text = token.text
    while text:
        cut = len(text)
        while cut > 1 and measure(text[:cut] + ("-" if cut < len(text) else "")) > max_width:
            cut -= 1
        last = cut == len(text)
        pieces.append(Token(text[:cut], token.glue if last else "", hyphen=not last, word=token.word))
        text = text[cut:]
    return pieces


def line_text(tokens: Sequence[Token], final: bool) -> str:
    """The drawn text of tokens on one line; ``final`` is False when more lines follow."""
    parts: list[str] = []
    for k, tok in enumerate(tokens):
        parts.append(tok.text)
        if k < len(tokens) - 1:
            parts.append(tok.glue)
    last = tokens[-1]
    if not final and last.hyphen and last.glue == "":
        parts.append("-")
    return "".join(parts)

"""Fit card text into a box: wrap by real font metrics, shrink, else report failure.

Line breaking and hyphenation come from :mod:`vidcoop.text.fit`
(balanced lines, no article at a line end, hyphenation of long German
compounds only when a word cannot stand alone). This module adds what a
card needs on top: several paragraphs (``\\n`` in a template), a box
*height* as well as a width, and web and e-mail addresses that break only
after ``@``, ``/`` or ``-`` (never inside ``musterstadt.de``, which would read
as two words) and never get a hyphen added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.text.breaks import DANGLING_WORDS, bare, flat_break_cost, german_break_cost
from vidcoop.text.fit import FitOptions, TextDoesNotFit, fit_tokens
from vidcoop.text.fonts import load_font
from vidcoop.text.tokens import Token

_URLISH = re.compile(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$|^\S+@\S+\.\S+$", re.IGNORECASE)
_URL_BREAK = re.compile(r"(?<=[/@-])")


@dataclass(frozen=True)
class TextBlock:
    """A block of text laid out at one size.

    Attributes:
        size: Font size in pixels.
        lines: The lines, in order, exactly as they are drawn.
        line_height: Distance between baselines in pixels.
        ascent: Font ascent at this size (a line's top to its baseline).
        height: Block height in pixels (``(lines - 1) * line_height + ascent + descent``).
        font_file: The font the block was measured with (and is drawn with).
    """

    size: int
    lines: tuple[str, ...]
    line_height: int
    ascent: int
    height: int
    font_file: str = ""

    @property
    def font(self) -> Any:
        """The Pillow font to draw the lines with."""
        return load_font(self.font_file, self.size)

    def width(self) -> int:
        """Width of the widest line in pixels."""
        return max((int(self.font.getlength(line)) for line in self.lines), default=0)


def _tokens(paragraph: str) -> tuple[list[Any], bool]:
    """Tokens for the line breaker; an address breaks only after @, / or - (its own), and gets no hyphen."""
    tokens: list[Any] = []
    urlish = False
    for word in paragraph.split():
        if _URLISH.match(word):
            urlish = True
            parts = [p for p in _URL_BREAK.split(word) if p]
            tokens.extend(Token(p, "", False, word) for p in parts[:-1])
            tokens.append(Token(parts[-1], " ", False, word))
        else:
            tokens.append(Token(word, " ", False, word))
    return tokens, urlish


def _wrap_at(
    text: str, font_file: str, size: int, width: int, max_lines: int, hyphenate: bool
) -> list[str] | None:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            continue
        tokens, urlish = _tokens(paragraph)
        left = max_lines - len(lines)
        if left <= 0:
            return None
        options = FitOptions(
            max_width=width, size=size, min_size=size, max_lines=left, hyphenate=hyphenate and not urlish,
            break_cost=flat_break_cost if urlish else german_break_cost,
        )
        fitted = fit_tokens(font_file, tokens, options)
        if fitted is None:
            return None
        lines.extend(fitted.lines)
    return lines


def fit_box(
    text: str,
    font_file: str | Path,
    box: tuple[int, int],
    size: int,
    min_size: int,
    *,
    max_lines: int | None = None,
    line_spacing: float = 1.15,
    step: int = 2,
) -> TextBlock | None:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` fits ``box``.

    Args:
        text: The text, literally; ``\\n`` starts a new paragraph.
        font_file: TTF/OTF to measure with (the one that draws it).
        box: ``(width, height)`` in pixels.
        size: Preferred size.
        min_size: Smallest acceptable size (readability floor).
        max_lines: At most this many lines, if given.
        line_spacing: Baseline distance as a multiple of the size.
        step: How many pixels to shrink per try.

    Returns:
        The layout, or None when the text does not fit even at ``min_size``.
    """
    width, height = box
    sizes = list(range(size, min_size - 1, -step))
    if not sizes or sizes[-1] != min_size:
        sizes.append(min_size)
    # Shrink before hyphenating, and before leaving "für" or "der" at a line end: a
    # smaller size reads better than a broken compound or a dangling preposition.
    for hyphenate, tidy in ((False, True), (False, False), (True, False)):
        for s in sizes:
            font = load_font(str(font_file), s)
            ascent, descent = font.getmetrics()
            line_height = round(s * line_spacing)
            if height < ascent + descent:
                continue
            allowed = 1 + (height - ascent - descent) // line_height
            allowed = min(allowed, max_lines or allowed)
            lines = _wrap_at(text, str(font_file), s, width, allowed, hyphenate)
            if lines is None or (tidy and _dangling(lines)):
                continue
            block = (len(lines) - 1) * line_height + ascent + descent
            return TextBlock(s, tuple(lines), line_height, ascent, block, str(font_file))
    return None


def _dangling(lines: list[str]) -> bool:
    """True when a line (not the last) ends with an article or preposition."""
    return any(line.split() and bare(line.split()[-1]) in DANGLING_WORDS for line in lines[:-1])


_FLOOR = 8  # smallest size a card text may shrink to, only for a word that fits nowhere else
_UNBOUNDED = 1 << 20  # a box height that never limits


def fit_block(
    text: str,
    font_file: str | Path,
    *,
    size: int,
    min_size: int,
    max_width: int,
    max_lines: int,
    line_spacing: float = 1.18,
) -> TextBlock:
    """Fit ``text`` to ``max_width`` for a generated card; unlike :func:`fit_box` it always answers.

    A text that does not fit ``max_lines`` at ``min_size`` takes more lines
    (a person sees it in the preview), and a word too wide even then makes the
    size drop below ``min_size``: the text never gets wider than ``max_width``.
    """
    box = (max_width, _UNBOUNDED)
    fitted = fit_box(text, font_file, box, size, min_size, max_lines=max_lines, line_spacing=line_spacing)
    if fitted is None:
        fitted = fit_box(text, font_file, box, min_size, min(_FLOOR, min_size), line_spacing=line_spacing)
    if fitted is None:
        raise TextDoesNotFit(f"text does not fit {max_width} px even at {_FLOOR} px: {text[:60]!r}", path=font_file)
    return fitted

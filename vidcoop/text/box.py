"""Fit card text into a box: wrap by real font metrics, shrink, else report failure.

Line breaking and hyphenation come from :mod:`vidcoop.text.fit`
(balanced lines, no article at a line end, hyphenation of long German
compounds only when a word cannot stand alone). This module adds what a
card needs on top: several paragraphs (``\\n`` in a template), a box
*height* as well as a width, and web addresses that break only after ``/``,
``?``, ``&``, ``@`` or ``.`` and never get a hyphen added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

_URLISH = re.compile(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$|^\S+@\S+\.\S+$", re.IGNORECASE)
_URL_BREAK = re.compile(r"(?<=[/?&@.])")


@dataclass(frozen=True)
class FitResult:
    """A block of text laid out at one size.

    Attributes:
        size: Font size in pixels.
        lines: The lines, in order, exactly as they are drawn.
        line_height: Distance between baselines in pixels.
        ascent: Font ascent at this size (a line's top to its baseline).
        height: Block height in pixels (``(lines - 1) * line_height + ascent + descent``).
    """

    size: int
    lines: tuple[str, ...]
    line_height: int
    ascent: int
    height: int


@lru_cache(maxsize=256)
def load_font(font_file: str, size: int) -> Any:
    """A cached Pillow FreeType font."""
    from PIL import ImageFont

    return ImageFont.truetype(font_file, size)


def _tokens(paragraph: str) -> tuple[list[Any], bool]:
    """Tokens for the line breaker; a web address breaks only after / ? & @ or ., never at a hyphen."""
    from vidcoop.text.fit import Token

    tokens: list[Any] = []
    urlish = False
    for word in paragraph.split():
        if _URLISH.match(word):
            urlish = True
            parts = [p for p in _URL_BREAK.split(word) if p]
            if len(parts) > 1 and parts[0].lower() == "www.":  # "www." alone on a line reads as noise
                parts[:2] = [parts[0] + parts[1]]
            tokens.extend(Token(p, "", False, word) for p in parts[:-1])
            tokens.append(Token(parts[-1], " ", False, word))
        else:
            tokens.append(Token(word, " ", False, word))
    return tokens, urlish


def _wrap_at(
    text: str, font_file: str, size: int, width: int, max_lines: int, hyphenate: bool
) -> list[str] | None:
    from vidcoop.text.fit import FitOptions, fit_tokens, flat_break_cost, german_break_cost

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


def fit_text(
    text: str,
    font_file: str | Path,
    box: tuple[int, int],
    size: int,
    min_size: int,
    *,
    max_lines: int | None = None,
    line_spacing: float = 1.15,
    step: int = 2,
) -> FitResult | None:
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
            return FitResult(s, tuple(lines), line_height, ascent, block)
    return None


def _dangling(lines: list[str]) -> bool:
    """True when a line (not the last) ends with an article or preposition."""
    from vidcoop.text.fit import DANGLING_WORDS, bare

    return any(line.split() and bare(line.split()[-1]) in DANGLING_WORDS for line in lines[:-1])

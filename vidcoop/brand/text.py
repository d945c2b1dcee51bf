"""Fitting text into boxes with Pillow: wrap by real pixel width, shrink when a word is too long.

German compounds ("Bürgergeldempfängerinnen") do not break, so a line that
cannot fit even as a single word makes the font smaller instead of running
off the safe zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

_FLOOR = 8  # smallest size tried, only for words that fit nowhere else


@dataclass(frozen=True)
class FittedText:
    """Text broken into lines at a size that fits."""

    lines: tuple[str, ...]
    size: int
    font: Any  # PIL.ImageFont.FreeTypeFont
    line_height: int

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)

    def width(self) -> int:
        return max((int(self.font.getlength(line)) for line in self.lines), default=0)


def load_font(path: Path, size: int) -> Any:
    """A FreeType font at ``size`` pixels."""
    from PIL import ImageFont  # lazy

    return ImageFont.truetype(str(path), size)


def wrap(text: str, font: Any, max_width: int) -> list[str] | None:
    """Greedy word wrap by pixel width; None if one word alone is too wide."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}".strip()
            if font.getlength(trial) <= max_width:
                current = trial
                continue
            if font.getlength(word) > max_width:
                return None
            if current:
                lines.append(current)
            current = word
        lines.append(current)
    return lines


def balance(text: str, font: Any, max_width: int, lines: list[str]) -> list[str]:
    """The same number of lines, but as even as possible (no lone last word).

    Narrows the wrap width step by step while the line count stays the same.
    """
    best = lines
    width = max_width
    while len(best) > 1 and width > 40:
        width -= 12
        trial = wrap(text, font, width)
        if trial is None or len(trial) != len(lines):
            break
        best = trial
    return best


def fit_text(
    text: str, font_path: Path, *, size: int, max_width: int, max_lines: int, min_size: int = 24,
    line_spacing: float = 1.18,
) -> FittedText:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` fits.

    At ``min_size`` the text may take more lines than ``max_lines`` (a person
    sees it in the preview). It never gets wider than ``max_width``: a single
    word too long even at ``min_size`` makes the size drop below it.
    """
    current = size
    while True:
        font = load_font(font_path, current)
        lines = wrap(text, font, max_width)
        fits = lines is not None and len(lines) <= max_lines
        if fits or (current <= min_size and lines is not None) or current <= _FLOOR:
            lines = text.split() if lines is None else balance(text, font, max_width, lines)
            return FittedText(tuple(lines), current, font, round(current * line_spacing))
        # below the minimum only in small steps, and only until the longest word fits
        current = max(min_size, int(current * 0.92)) if current > min_size else max(_FLOOR, current - 2)

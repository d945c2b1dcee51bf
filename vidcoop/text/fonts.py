"""Fonts: the one cache of Pillow fonts, text widths in pixels, and what a font file says of itself
(family name, line height from its SFNT tables). Pillow is imported on first use only."""

from __future__ import annotations

import functools
import struct
from pathlib import Path
from typing import Any

from vidcoop.errors import CaptionError


@functools.lru_cache(maxsize=256)
def load_font(font_file: str | Path, size: int) -> Any:
    """The one cache of Pillow FreeType fonts (``PIL.ImageFont.FreeTypeFont``) at ``size`` pixels."""
    from PIL import ImageFont

    return ImageFont.truetype(str(font_file), size)


class TextMeasure:
    """Width of strings in one font at one em size (pixels).

    Widths of whole words are cached because line breaking asks for the same
    strings many times.
    """

    def __init__(self, font_file: str | Path, size: float) -> None:
        self.font_file = Path(font_file)
        self.size = size
        try:
            self._font = load_font(str(self.font_file), max(1, round(size)))
        except OSError as exc:
            raise CaptionError(f"cannot open font: {exc}", path=self.font_file, field="font_file") from exc
        self._cache: dict[str, float] = {}
        self.scale = size / max(1, round(size))

    def width(self, text: str) -> float:
        """Advance width of ``text`` in pixels."""
        cached = self._cache.get(text)
        if cached is None:
            cached = float(self._font.getlength(text)) * self.scale
            if len(self._cache) < 50_000:
                self._cache[text] = cached
        return cached

    @property
    def line_height(self) -> float:
        """Ascent plus descent in pixels (the natural line height)."""
        ascent, descent = self._font.getmetrics()
        return float(ascent + descent) * self.scale

    def family(self) -> str:
        """The font's family name, as fontconfig/libass will know it."""
        name = self._font.getname()[0]
        return name or self.font_file.stem


@functools.lru_cache(maxsize=64)
def font_measure(font_file: str | Path, size: float) -> TextMeasure:
    """A cached :class:`TextMeasure` for ``font_file`` at ``size`` pixels."""
    return TextMeasure(font_file, size)


def text_width(text: str, font_file: str | Path, size: float) -> float:
    """Pixel width of ``text`` set in ``font_file`` at ``size`` pixels (em)."""
    return font_measure(str(font_file), size).width(text)


def font_family(font_file: str | Path) -> str:
    """The family name stored in a TTF/OTF file (what libass looks fonts up by)."""
    return font_measure(str(font_file), 32).family()


@functools.lru_cache(maxsize=32)
def em_per_line_height(font_file: str | Path) -> float:
    """Em size divided by the font's line height (usWinAscent + usWinDescent).

    libass (like VSFilter) treats an ASS ``Fontsize`` as the font's whole line
    height, not its em, so an ASS size is ``em_px / em_per_line_height``.
    Reads the ``head`` and ``OS/2`` tables directly; falls back to Pillow's
    ascent and descent for fonts without them.
    """
    path = Path(font_file)
    try:
        data = path.read_bytes()
        tables = _sfnt_tables(data)
        units = struct.unpack(">H", data[tables[b"head"] + 18 : tables[b"head"] + 20])[0]
        if b"OS/2" in tables:
            offset = tables[b"OS/2"]
            win_ascent, win_descent = struct.unpack(">HH", data[offset + 74 : offset + 78])
            if win_ascent + win_descent > 0 and units > 0:
                return units / (win_ascent + win_descent)
    except (OSError, KeyError, struct.error):
        pass
    measure = font_measure(str(path), 100)
    return 100 / measure.line_height


def _sfnt_tables(data: bytes) -> dict[bytes, int]:
    """Table tag -> offset of a TrueType/OpenType font (first font of a collection)."""
    start = 0
    if data[:4] == b"ttcf":
        start = struct.unpack(">I", data[12:16])[0]
    count = struct.unpack(">H", data[start + 4 : start + 6])[0]
    tables: dict[bytes, int] = {}
    for i in range(count):
        entry = start + 12 + 16 * i
        tag, _checksum, offset, _length = struct.unpack(">4sIII", data[entry : entry + 16])
        tables[tag] = offset
    return tables

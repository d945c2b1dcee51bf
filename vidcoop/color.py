"""Colours: parsing ``#rrggbb[aa]`` and WCAG contrast.

Contrast follows WCAG 2.x: relative luminance from linearised sRGB channels
(https://www.w3.org/TR/WCAG21/#dfn-relative-luminance) and the ratio
``(L1 + 0.05) / (L2 + 0.05)``; AA asks for 4.5:1 for normal text.
"""

from __future__ import annotations

import re

RGBA = tuple[int, int, int, int]

WCAG_AA = 4.5

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


def is_color(text: object) -> bool:
    """True for ``#rgb``, ``#rrggbb`` or ``#rrggbbaa`` text."""
    return isinstance(text, str) and bool(_HEX.match(text.strip()))


def parse_color(text: str) -> RGBA:
    """``#rgb`` / ``#rrggbb`` / ``#rrggbbaa`` to an RGBA tuple (alpha 255 when absent).

    Raises:
        ValueError: when ``text`` is not such a colour.
    """
    value = text.strip() if isinstance(text, str) else text
    if not is_color(value):
        raise ValueError(f"not a colour: {text!r} (expected #rrggbb or #rrggbbaa)")
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if len(digits) == 6:
        digits += "ff"
    r, g, b, a = (int(digits[i : i + 2], 16) for i in range(0, 8, 2))
    return r, g, b, a


def ffmpeg_color(text: str) -> str:
    """A colour as ffmpeg reads it (``#rrggbb`` or ``#rrggbbaa``), from hex or a CSS colour name.

    Names go through Pillow's CSS table and come out as hex, so ffmpeg and
    Pillow never disagree about what ``teal`` is, and ``#fff`` works too.

    Raises:
        ValueError: when ``text`` is neither a hex colour nor a CSS colour name.
    """
    if is_color(text):
        r, g, b, a = parse_color(text)
    else:
        from PIL import ImageColor  # lazy

        name = text.strip().lower() if isinstance(text, str) else ""
        if name not in ImageColor.colormap:
            raise ValueError(f"not a colour: {text!r} (expected #rrggbb, #rrggbbaa or a CSS name like black)")
        r, g, b = ImageColor.getrgb(name)[:3]
        a = 255
    return f"#{r:02x}{g:02x}{b:02x}" + (f"{a:02x}" if a != 255 else "")


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str | RGBA) -> float:
    """WCAG relative luminance of an opaque colour, 0 (black) .. 1 (white)."""
    r, g, b, _ = parse_color(color) if isinstance(color, str) else color
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(foreground: str | RGBA, background: str | RGBA) -> float:
    """WCAG contrast ratio of two colours, 1.0 .. 21.0 (order does not matter)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)

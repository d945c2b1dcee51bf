"""Draw a cover: the frame filled to 1080x1920, the title on a panel inside the safe zone.

Text is wrapped by the font's real advance widths (Pillow), never by
character counts, and shrinks until it fits; words longer than a line are
broken between letters. Text is drawn literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH


@dataclass(frozen=True)
class CoverStyle:
    """How a cover looks (usually from a brand kit, :meth:`from_kit`).

    Attributes:
        font: A TTF/OTF file for the title.
        text_color, panel_color, accent_color: ``#rrggbb`` or ``#rrggbbaa``.
        safe: The visible area ``(left, top, right, bottom)`` in design pixels.
        max_size, min_size: Font size range (px); the title shrinks to fit.
        max_lines: Most lines the title may take.
        anchor: Vertical centre of the panel as a share of the safe height (0 top .. 1 bottom).
        padding: Space inside the panel around the text.
        focus: Horizontal focus of the crop, 0 left .. 1 right.
    """

    font: Path
    text_color: str = "#ffffff"
    panel_color: str = "#1d2433d9"
    accent_color: str = "#ffd166"
    safe: tuple[int, int, int, int] = (60, 130, DESIGN_WIDTH - 140, DESIGN_HEIGHT - 420)
    max_size: int = 104
    min_size: int = 56
    max_lines: int = 4
    anchor: float = 0.42
    padding: int = 36
    focus: float = 0.5

    @classmethod
    def from_kit(cls, kit: Any) -> CoverStyle:
        """The kit's bold font, colours and safe zone (at least TikTok's cover margins)."""
        box = kit.safe_zone.box
        safe = (max(60, box.x), max(130, box.y), min(DESIGN_WIDTH - 140, box.right),
                min(DESIGN_HEIGHT - 420, box.bottom))
        return cls(
            font=Path(kit.fonts.bold),
            text_color=kit.colors.text,
            panel_color=_with_alpha(kit.colors.background, 0xD9),
            accent_color=kit.colors.accent,
            safe=safe,
        )


@dataclass(frozen=True)
class TitleLayout:
    """Where the title went: font size, lines and the panel box ``(x0, y0, x1, y1)``."""

    size: int
    lines: tuple[str, ...]
    panel: tuple[int, int, int, int]


def fill_frame(image: Any, focus: float = 0.5, size: tuple[int, int] = (DESIGN_WIDTH, DESIGN_HEIGHT)) -> Any:
    """Scale and crop ``image`` to fill ``size`` (vertical), keeping ``focus`` in view."""
    from PIL import Image

    w, h = size
    scale = max(w / image.width, h / image.height)
    scaled = image.convert("RGB").resize(
        (max(w, round(image.width * scale)), max(h, round(image.height * scale))), Image.Resampling.LANCZOS
    )
    x = round((scaled.width - w) * min(1.0, max(0.0, focus)))
    y = (scaled.height - h) // 2
    return scaled.crop((x, y, x + w, y + h))


def wrap_lines(text: str, font: Any, width: float) -> list[str]:
    """Greedy word wrap by measured width; over-long words are split between letters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            for piece in _pieces(word, font, width):
                trial = f"{current} {piece}" if current else piece
                if font.getlength(trial) <= width:
                    current = trial
                else:
                    if current:
                        lines.append(current)
                    current = piece
        if current:
            lines.append(current)
    return lines


def layout_title(title: str, style: CoverStyle) -> TitleLayout | None:
    """Find the largest font size at which the title fits the safe zone's panel."""
    from PIL import ImageFont

    text = " ".join(title.split()) if "\n" not in title else title.strip()
    if not text:
        return None
    left, _, right, _ = style.safe
    inner = right - left - 2 * style.padding - 12  # 12: the accent bar
    for size in range(style.max_size, style.min_size - 1, -4):
        font = ImageFont.truetype(str(style.font), size)
        lines = wrap_lines(text, font, inner)
        if len(lines) <= style.max_lines and all(font.getlength(line) <= inner for line in lines):
            return _place(lines, size, font, style)
    font = ImageFont.truetype(str(style.font), style.min_size)
    lines = wrap_lines(text, font, inner)
    if len(lines) > style.max_lines:
        lines = [*lines[: style.max_lines - 1], _ellipsize(" ".join(lines[style.max_lines - 1 :]), font, inner)]
    return _place(lines, style.min_size, font, style)


def compose_cover(frame: Any, title: str, style: CoverStyle) -> tuple[Any, TitleLayout | None]:
    """The finished 1080x1920 RGB cover and where its title sits."""
    from PIL import Image, ImageDraw, ImageFont

    base = fill_frame(frame, style.focus).convert("RGBA")
    layout = layout_title(title, style)
    if layout is None:
        return base.convert("RGB"), None
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    x0, y0, x1, y1 = layout.panel
    draw.rounded_rectangle((x0, y0, x1, y1), radius=24, fill=_rgba(style.panel_color))
    draw.rectangle((x0, y0 + 24, x0 + 12, y1 - 24), fill=_rgba(style.accent_color))
    font = ImageFont.truetype(str(style.font), layout.size)
    line_height = _line_height(font)
    y = y0 + style.padding
    for line in layout.lines:
        draw.text((x0 + 12 + style.padding, y), line, font=font, fill=_rgba(style.text_color))
        y += line_height
    return Image.alpha_composite(base, overlay).convert("RGB"), layout


def _place(lines: list[str], size: int, font: Any, style: CoverStyle) -> TitleLayout:
    left, top, right, bottom = style.safe
    height = len(lines) * _line_height(font) + 2 * style.padding
    width = round(max(font.getlength(line) for line in lines)) + 2 * style.padding + 12
    centre = top + round((bottom - top) * style.anchor)
    y0 = min(max(top, centre - height // 2), bottom - height)
    return TitleLayout(size, tuple(lines), (left, y0, min(right, left + width), y0 + height))


def _line_height(font: Any) -> int:
    ascent, descent = font.getmetrics()
    return int((ascent + descent) * 1.08)


def _pieces(word: str, font: Any, width: float) -> list[str]:
    if font.getlength(word) <= width:
        return [word]
    pieces, current = [], ""
    for ch in word:
        if current and font.getlength(current + ch) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return [*pieces, current] if current else pieces


def _ellipsize(text: str, font: Any, width: float) -> str:
    while text and font.getlength(text + "…") > width:
        text = text[:-1].rstrip()
    return text + "…"


def _with_alpha(color: str, alpha: int) -> str:
    return color[:7] + f"{alpha:02x}"


def _rgba(color: str) -> tuple[int, int, int, int]:
    text = color.lstrip("#")
    if len(text) not in (6, 8):
        raise ValueError(f"not a #rrggbb or #rrggbbaa colour: {color!r}")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    a = int(text[6:8], 16) if len(text) == 8 else 255
    return r, g, b, a

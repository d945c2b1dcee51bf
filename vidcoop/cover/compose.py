"""Draw a cover: the frame filled to 1080x1920, the title on a panel inside the safe zone.

Text is wrapped by the font's real advance widths (the card text fitter
shared with the job board), shrinks until it fits, and is drawn literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.text.box import fit_box
from vidcoop.text.fonts import load_font
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH

_BAR = 12  # the accent bar at the panel's left edge
_LINE_SPACING = 1.12


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
        size: The cover's size: 1080x1920, or another picture shape's frame.
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
    size: tuple[int, int] = (DESIGN_WIDTH, DESIGN_HEIGHT)

    @classmethod
    def from_kit(cls, kit: Any, shape: str | None = None) -> CoverStyle:
        """The kit's bold font, colours and safe zone (at least TikTok's cover margins); for another
        picture shape than 9:16, that shape's frame and safe zone."""
        zone = kit.safe_zone_for(shape)
        box = zone.box
        if zone is kit.safe_zone:
            safe = (max(60, box.x), max(130, box.y), min(DESIGN_WIDTH - 140, box.right),
                    min(DESIGN_HEIGHT - 420, box.bottom))
        else:
            safe = (box.x, box.y, box.right, box.bottom)
        return cls(
            font=Path(kit.fonts.bold),
            text_color=kit.colors.text,
            panel_color=_with_alpha(kit.colors.background, 0xD9),
            accent_color=kit.colors.accent,
            safe=safe,
            size=(zone.frame_width, zone.frame_height),
        )


@dataclass(frozen=True)
class TitleLayout:
    """Where the title went: font size, lines, the panel box ``(x0, y0, x1, y1)``, baseline distance."""

    size: int
    lines: tuple[str, ...]
    panel: tuple[int, int, int, int]
    line_height: int


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


#: A rectangle ``(x0, y0, x1, y1)`` in the cover's pixels that the title panel keeps clear of.
Clear = tuple[int, int, int, int]

#: Space kept between the title panel and a lower third or card it moves away from.
_CLEAR_GAP = 24


def layout_title(title: str, style: CoverStyle, avoid: Sequence[Clear] = (), rather: Sequence[Clear] = (),
                 also: Sequence[Clear] = ()) -> TitleLayout | None:
    """The largest font size at which the title fits the panel inside the safe zone.

    Line breaking is the card text fitter's (:func:`vidcoop.text.box.fit_box`:
    real font metrics, balanced lines, German hyphenation only when needed). A
    title too long even at ``min_size`` loses words at the end, marked with ``…``.
    """
    words = title.split()
    if not words:
        return None
    left, top, right, bottom = style.safe
    box = (right - left - 2 * style.padding - _BAR, bottom - top - 2 * style.padding)
    for keep in range(len(words), 0, -1):
        text = " ".join(words[:keep]) + ("" if keep == len(words) else " …")
        fit = fit_box(text, style.font, box, style.max_size, style.min_size, max_lines=style.max_lines,
                       line_spacing=_LINE_SPACING)
        if fit is not None:
            return _place(fit, style, (avoid, rather, also))
    return None


def compose_cover(frame: Any, title: str, style: CoverStyle, avoid: Sequence[Clear] = (),
                  rather: Sequence[Clear] = (), also: Sequence[Clear] = ()) -> tuple[Any, TitleLayout | None]:
    """The finished 1080x1920 RGB cover (``style.size``) and where its title sits: clear of ``avoid``
    (a lower third or card the frame shows) where the safe zone has room above or below it, clear of
    ``rather`` (the faces) too where there is room for both, and of ``also`` (the logo) where there is
    room for all three."""
    from PIL import Image, ImageDraw

    base = fill_frame(frame, style.focus, style.size).convert("RGBA")
    layout = layout_title(title, style, avoid, rather, also)
    if layout is None:
        return base.convert("RGB"), None
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    x0, y0, x1, y1 = layout.panel
    draw.rounded_rectangle((x0, y0, x1, y1), radius=24, fill=_rgba(style.panel_color))
    draw.rectangle((x0, y0 + 24, x0 + _BAR, y1 - 24), fill=_rgba(style.accent_color))
    font = load_font(str(style.font), layout.size)
    y = y0 + style.padding
    for line in layout.lines:
        draw.text((x0 + _BAR + style.padding, y), line, font=font, fill=_rgba(style.text_color))
        y += layout.line_height
    return Image.alpha_composite(base, overlay).convert("RGB"), layout


def _place(fit: Any, style: CoverStyle, keep_clear: Sequence[Sequence[Clear]] = ()) -> TitleLayout:
    """The panel at the style's anchor, moved to the nearest place clear of the most ``keep_clear``
    tiers (first tier first: all of them, else all but the last, ... else where it was)."""
    left, top, right, bottom = style.safe
    font = load_font(str(style.font), fit.size)
    height = fit.height + 2 * style.padding
    width = round(max(font.getlength(line) for line in fit.lines)) + 2 * style.padding + _BAR
    x1 = min(right, left + width)
    centre = top + round((bottom - top) * style.anchor)
    y0 = min(max(top, centre - height // 2), bottom - height)
    for n in range(len(keep_clear), 0, -1):
        clear = _clear_y(y0, height, (left, x1), (top, bottom), [box for tier in keep_clear[:n] for box in tier])
        if clear is not None:
            y0 = clear
            break
    return TitleLayout(fit.size, fit.lines, (left, y0, x1, y0 + height), fit.line_height)


def _clear_y(y0: int, height: int, xs: tuple[int, int], ys: tuple[int, int],
             avoid: Sequence[Clear]) -> int | None:
    """The panel's top nearest ``y0`` (within ``ys``) at which it covers none of ``avoid``, or None when
    the safe zone has no such room (the automatic cover pick prefers frames without them anyway)."""
    hits = [a for a in avoid if a[0] < xs[1] and xs[0] < a[2]]  # only what shares the panel's columns

    def clear(y: int) -> bool:
        return ys[0] <= y and y + height <= ys[1] and all(y + height + _CLEAR_GAP <= a[1] or a[3] + _CLEAR_GAP <= y
                                                          for a in hits)

    # the nearest clear places touch an edge of a box (above or below it, with the gap) or of the safe zone
    tries = [y0, *(y for a in hits for y in (a[1] - _CLEAR_GAP - height, a[3] + _CLEAR_GAP)), ys[0], ys[1] - height]
    fits = [y for y in tries if clear(y)]
    return min(fits, key=lambda y: abs(y - y0)) if fits else None


def _with_alpha(color: str, alpha: int) -> str:
    return color[:7] + f"{alpha:02x}"


def _rgba(color: str) -> tuple[int, int, int, int]:
    text = color.lstrip("#")
    if len(text) not in (6, 8):
        raise ValueError(f"not a #rrggbb or #rrggbbaa colour: {color!r}")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    a = int(text[6:8], 16) if len(text) == 8 else 255
    return r, g, b, a

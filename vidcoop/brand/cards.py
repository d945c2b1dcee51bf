"""Generated stills: title card, end card, lower third, partner bumper, kit preview.

All are drawn with Pillow at the 1080x1920 design size (title and end cards at another picture
shape's frame when given one: ``shape="16:9"`` draws 1920x1080 inside that shape's safe zone) and
written atomically as PNG. Text and logos stay inside the kit's safe zone (each
function returns the boxes it drew so tests and ``brand check`` can prove
it); the renderer turns the still cards into motion with a slow zoom/fade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidcoop.brand.geometry import Box, overlay_box, shaped_box
from vidcoop.brand.kit import BrandKit
from vidcoop.brand.legibility import PLATE_PADDING, LogoLegibility, ink, kit_plate, on_plate, placed_legibility
from vidcoop.color import parse_color
from vidcoop.files import atomic_save_image
from vidcoop.text.box import TextBlock, fit_block
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH

FRAME = (DESIGN_WIDTH, DESIGN_HEIGHT)
_INSET = 48  # extra room inside the safe zone for card content


@dataclass(frozen=True)
class CardImage:
    """A written card and the boxes of what it shows (design pixels)."""

    path: Path
    boxes: dict[str, Box] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class LowerThird:
    """A lower-third PNG (alpha) and where it goes on the frame."""

    path: Path
    box: Box


def save_png(img: Any, path: str | Path, *, optimize: bool = False) -> Path:
    """Write a PIL image as PNG atomically.

    Cards are render inputs that ffmpeg decodes once, so by default they are
    written with light compression (quick to write); ``optimize`` is for files
    people keep, such as the brand preview sheet.
    """
    if optimize:
        return atomic_save_image(img, path, "PNG", optimize=True)
    return atomic_save_image(img, path, "PNG", compress_level=1)


def _content_box(kit: BrandKit, shape: str | None = None) -> Box:
    zone = kit.safe_zone_for(shape).box
    return Box(zone.x + _INSET, zone.y + _INSET, zone.width - 2 * _INSET, zone.height - 2 * _INSET)


def card_frame(kit: BrandKit, shape: str | None = None) -> tuple[int, int]:
    """The card's size in design pixels: 1080x1920, or the frame of ``shape``."""
    zone = kit.safe_zone_for(shape)
    return zone.frame_width, zone.frame_height


def _background(kit: BrandKit, shape: str | None = None) -> Any:
    """The neutral frame: the kit background with a soft band in the primary colour (placed relative to it)."""
    from PIL import Image, ImageDraw

    w, h = card_frame(kit, shape)
    img = Image.new("RGBA", (w, h), parse_color(kit.colors.background))
    band = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(band)
    r, g, b, _ = parse_color(kit.colors.primary)
    share = [(0, 1180), (DESIGN_WIDTH, 860), (DESIGN_WIDTH, 1320), (0, 1640)]  # on the 1080x1920 frame
    draw.polygon([(x * w // DESIGN_WIDTH, y * h // DESIGN_HEIGHT) for x, y in share], fill=(r, g, b, 120))
    return Image.alpha_composite(img, band)


def _logo(path: Path, max_width: int, max_height: int) -> Any:
    """The logo scaled to fit ``max_width`` x ``max_height`` (wide wordmarks and square icons alike)."""
    from PIL import Image

    with Image.open(path) as src:
        logo = src.convert("RGBA")
    scale = min(max_width / logo.width, max_height / logo.height)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS)


def _draw_lines(draw: Any, fitted: TextBlock, top: int, fill: Any, centre_x: int = DESIGN_WIDTH // 2) -> Box:
    """Draw centred lines from ``top``; return the ink box."""
    left, right, y = 2 * centre_x, 0, top
    for line in fitted.lines:
        width = fitted.font.getlength(line)
        x = round(centre_x - width / 2)
        draw.text((x, y), line, font=fitted.font, fill=fill)
        left, right = min(left, x), max(right, round(x + width))
        y += fitted.line_height
    return Box(left, top, max(0, right - left), fitted.height)


def _stack(kit: BrandKit, parts: list[tuple[str, Any]], gap: int = 56, shape: str | None = None,
           ) -> tuple[Any, dict[str, Box]]:
    """Centre a vertical stack of parts (logo images or fitted text) in the content box.

    Each part is ``(name, PIL image)`` or ``(name, (TextBlock, colour))``.
    """
    from PIL import ImageDraw

    img = _background(kit, shape)
    content = _content_box(kit, shape)
    centre = content.x + content.width // 2
    heights = [p.height if not isinstance(p, tuple) else p[0].height for _, p in parts]
    total = sum(heights) + gap * (len(parts) - 1)
    y = content.y + max(0, (content.height - total) // 2)
    draw = ImageDraw.Draw(img)
    boxes: dict[str, Box] = {}
    for (name, part), height in zip(parts, heights, strict=True):
        if isinstance(part, tuple):
            fitted, colour = part
            boxes[name] = _draw_lines(draw, fitted, y, parse_color(colour), centre)
        else:
            x = centre - part.width // 2
            img.alpha_composite(part, (x, y))
            boxes[name] = Box(x, y, part.width, part.height)
        y += height + gap
    return img, boxes


def render_title_card(kit: BrandKit, title: str, subtitle: str | None, path: str | Path,
                      shape: str | None = None) -> CardImage:
    """The intro/outro title card: logo, channel or episode title, subtitle; 1080x1920 PNG.

    Args:
        kit: The brand kit (colours, fonts, logo, safe zone).
        title: Big text, e.g. the channel name; wraps and shrinks to fit.
        subtitle: Smaller line under it, or None.
        path: Where to write the PNG.
        shape: Draw it for this picture shape's frame and safe zone (None: 9:16).
    """
    img, boxes = title_card_image(kit, title, subtitle, shape)
    return CardImage(save_png(img.convert("RGB"), path), boxes)


def _logo_height(content: Box, most: int) -> int:
    """A card's logo height: ``most`` on a tall card, a quarter of the content's height on a low one."""
    return min(most, content.height // 4)


def title_card_image(kit: BrandKit, title: str, subtitle: str | None, shape: str | None = None,
                     ) -> tuple[Any, dict[str, Box]]:
    """The title card as a PIL image and its content boxes (no file)."""
    content = _content_box(kit, shape)
    parts: list[tuple[str, Any]] = [("logo", _logo(kit.logo.file, 640, _logo_height(content, 340)))]
    parts.append(("title", (fit_block(title, kit.fonts.bold, size=108, min_size=56, max_width=content.width,
                                     max_lines=3), kit.colors.text)))
    if subtitle:
        parts.append(("subtitle", (fit_block(subtitle, kit.fonts.regular, size=56, min_size=36,
                                            max_width=content.width, max_lines=3), kit.colors.accent)))
    return _stack(kit, parts, shape=shape)


def render_end_card(kit: BrandKit, cta: str, path: str | Path, subline: str | None = None,
                    shape: str | None = None) -> CardImage:
    """The end card: the call to action large, the logo, an optional subline; 1080x1920 PNG (or ``shape``'s frame)."""
    img, boxes = end_card_image(kit, cta, subline, shape)
    return CardImage(save_png(img.convert("RGB"), path), boxes)


def end_card_image(kit: BrandKit, cta: str, subline: str | None = None, shape: str | None = None,
                   ) -> tuple[Any, dict[str, Box]]:
    """The end card as a PIL image and its content boxes (no file)."""
    from PIL import ImageDraw

    content = _content_box(kit, shape)
    cta_text = fit_block(cta, kit.fonts.bold, size=96, min_size=56, max_width=content.width, max_lines=4)
    parts: list[tuple[str, Any]] = [("cta", (cta_text, kit.colors.text))]
    if subline:
        parts.append(("subline", (fit_block(subline, kit.fonts.regular, size=52, min_size=36,
                                           max_width=content.width, max_lines=3), kit.colors.accent)))
    parts.append(("logo", _logo(kit.logo.file, 480, _logo_height(content, 240))))
    img, boxes = _stack(kit, parts, shape=shape)
    # an accent rule under the call to action ties the card to the kit
    cta_box = boxes["cta"]
    rule = Box(content.x + content.width // 2 - 90, cta_box.bottom + 14, 180, 10)
    ImageDraw.Draw(img).rectangle((rule.x, rule.y, rule.right, rule.bottom), fill=parse_color(kit.colors.accent))
    boxes["rule"] = rule
    return img, boxes


def render_partner_bumper(kit: BrandKit, logo: Path, path: str | Path, name: str | None = None,
                          shape: str | None = None) -> CardImage:
    """A partner's generated bumper still: its logo on the channel's neutral frame.

    A logo below WCAG's 3:1 non-text contrast against the frame gets the kit's plate behind it
    (:mod:`vidcoop.brand.legibility`); the boxes then hold ``plate`` too.

    Args:
        kit: The channel's kit (background, fonts, safe zone).
        logo: The partner's logo (PNG with alpha).
        path: Where to write the PNG.
        name: The partner's display name, shown under the logo when given.
        shape: Draw it for this picture shape's frame and safe zone (None: 9:16).
    """
    img, boxes, _ = partner_bumper_image(kit, logo, name, shape)
    return CardImage(save_png(img.convert("RGB"), path), boxes)


def partner_bumper_image(kit: BrandKit, logo: Path, name: str | None = None, shape: str | None = None,
                         ) -> tuple[Any, dict[str, Box], LogoLegibility]:
    """The generated bumper as a PIL image, its boxes, and the logo's legibility on it (no file).

    In a low frame (``shape`` 1:1 or 16:9) the logo gets the height the name leaves in the safe zone, so the
    whole stack, and with it the whole logo, stays inside that shape's safe zone.
    """
    from PIL import Image

    content = _content_box(kit, shape)
    text: list[tuple[str, Any]] = []
    if name:
        text.append(("name", (fit_block(name, kit.fonts.bold, size=64, min_size=40, max_width=content.width,
                                        max_lines=2), kit.colors.text)))
    gap = 64
    left = content.height - sum(part[0].height + gap for _, part in text)
    width, height = min(720, content.width), max(1, min(560, left))
    mark = _logo(logo, width, height)
    img, boxes = _stack(kit, [("logo", mark), *text], gap=gap, shape=shape)
    box = boxes["logo"]
    behind = _background(kit, shape).crop((box.x, box.y, box.right, box.bottom))
    legible = placed_legibility("bumper", mark, behind, kit_plate(kit))
    if legible.plate is None:
        return img, boxes, legible
    with Image.open(logo) as src:
        trimmed = ink(src.convert("RGBA"))
    inner = (width - 2 * PLATE_PADDING, height - 2 * PLATE_PADDING)
    scale = min(inner[0] / trimmed.width, inner[1] / trimmed.height)
    mark = trimmed.resize((max(1, round(trimmed.width * scale)), max(1, round(trimmed.height * scale))),
                          Image.Resampling.LANCZOS)
    img, boxes = _stack(kit, [("logo", on_plate(mark, legible.plate)), *text], gap=gap, shape=shape)
    plate = boxes["logo"]
    boxes["plate"] = plate
    boxes["logo"] = Box(plate.x + PLATE_PADDING, plate.y + PLATE_PADDING, mark.width, mark.height)
    return img, boxes, legible


def lower_third_image(kit: BrandKit, name: str, role: str | None) -> tuple[Any, Box]:
    """The lower third as a PIL RGBA image and its box on the frame (no file)."""
    from PIL import Image, ImageDraw

    style = kit.lower_third
    zone = kit.safe_zone.box
    bar = 14
    pad = style.padding
    max_width = min(style.max_width, zone.width - 2 * 24)
    inner = max_width - 2 * pad - bar
    # one line each if a slightly smaller size allows it; very long names and roles wrap
    name_text = fit_block(name, style.name_font, size=style.name_size, min_size=max(24, style.name_size * 3 // 4),
                         max_width=inner, max_lines=1)
    role_text = (
        fit_block(role, style.role_font, size=style.role_size, min_size=max(20, style.role_size * 3 // 4),
                 max_width=inner, max_lines=1)
        if role else None
    )
    text_w = max(name_text.width(), role_text.width() if role_text else 0)
    width = min(max_width, text_w + 2 * pad + bar)
    gap = 8 if role_text else 0
    height = 2 * pad + name_text.height + gap + (role_text.height if role_text else 0)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=18, fill=parse_color(style.box_color))
    draw.rounded_rectangle((0, 0, bar + 6, height - 1), radius=18, fill=parse_color(style.accent_color))
    draw.rectangle((bar, 0, bar + 6, height - 1), fill=parse_color(style.box_color))
    x = bar + pad
    y = pad
    for line in name_text.lines:
        draw.text((x, y), line, font=name_text.font, fill=parse_color(style.text_color))
        y += name_text.line_height
    if role_text:
        y += gap
        for line in role_text.lines:
            draw.text((x, y), line, font=role_text.font, fill=parse_color(style.role_color))
            y += role_text.line_height
    box = Box(zone.x + 24, DESIGN_HEIGHT - style.margin_bottom - height, width, height)
    return img, box


def render_lower_third(kit: BrandKit, name: str, role: str | None, path: str | Path) -> LowerThird:
    """A speaker's name and role as a PNG with alpha, and the box where it belongs."""
    img, box = lower_third_image(kit, name, role)
    return LowerThird(save_png(img, path), box)


def logo_box(kit: BrandKit, shape: str | None = None) -> Box:
    """Where the kit's logo lands on every episode (design pixels of ``shape``'s frame; None: 9:16)."""
    from PIL import Image

    with Image.open(kit.logo.file) as img:
        size = img.size
    spec = kit.logo_for(shape)
    if shape is not None:
        return shaped_box(size, anchor=spec.anchor, margin=spec.margin, width=spec.width, x=spec.x, y=spec.y,
                          shape=shape)
    return overlay_box(size, anchor=spec.anchor, margin=spec.margin, width=spec.width, x=spec.x, y=spec.y)

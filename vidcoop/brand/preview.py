"""``vidcoop brand preview``: one still that shows a kit as viewers will see it.

Two frames side by side, one per caption style (social, subtitle). Each has
a stand-in background, the logo where the kit puts it, a lower third, a
caption sample with umlauts drawn like the burn-in (outline or box,
highlighted word for ``social``), and the safe zone: the areas the platform
covers are tinted red and the visible area is outlined.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidcoop.brand.cards import FRAME, card_frame, logo_box, lower_third_image, save_png
from vidcoop.brand.geometry import Box, shaped_box
from vidcoop.brand.kit import BrandKit
from vidcoop.color import parse_color
from vidcoop.outputs import check_outputs, kit_inputs
from vidcoop.text.box import TextBlock, fit_block
from vidcoop.text.fonts import load_font
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH

#: Caption samples with every German special letter, so missing glyphs show at once.
SAMPLES: dict[str, tuple[str, int | None]] = {
    "social": ("Größter Ärger mit Bürgergeld?", 2),
    "subtitle": ("Übrigens: Das Jobcenter in der Hauptstraße öffnet früher.", None),
}
SPEAKER = ("Alexandra Müller", "Beraterin im Jobcenter Musterstadt")
_LABEL_H = 110
_GAP = 40


def _footage(kit: BrandKit, frame: tuple[int, int] = FRAME) -> Any:
    """A stand-in for footage: a vertical gradient with soft light spots, busier than a flat card."""
    from PIL import Image, ImageDraw, ImageFilter

    top = parse_color(kit.colors.primary)
    bottom = parse_color(kit.colors.background)
    grad = Image.new("RGBA", (1, 256))
    for y in range(256):
        t = y / 255
        r, g, b = (round(a + (c - a) * t) for a, c in zip(top[:3], bottom[:3], strict=True))
        grad.putpixel((0, y), (r, g, b, 255))
    img = grad.resize(frame)
    # soft spots drawn and blurred at a quarter size (fast), then scaled up
    q = 4
    spots = Image.new("RGBA", (frame[0] // q, frame[1] // q), (0, 0, 0, 0))
    draw = ImageDraw.Draw(spots)
    for cx, cy, r in ((260, 520, 220), (820, 900, 300), (400, 1500, 260)):
        cx, cy = cx * frame[0] // DESIGN_WIDTH, cy * frame[1] // DESIGN_HEIGHT
        draw.ellipse(((cx - r) // q, (cy - r) // q, (cx + r) // q, (cy + r) // q), fill=(255, 255, 255, 46))
    spots = spots.filter(ImageFilter.GaussianBlur(60 // q)).resize(frame, Image.Resampling.BILINEAR)
    return Image.alpha_composite(img, spots)


def _caption_text(kit: BrandKit, style_name: str, text: str, shape: str | None = None) -> tuple[Any, TextBlock]:
    style = kit.caption_style(style_name, shape)
    if style.uppercase:
        text = text.upper()
    spacing = 1.12 + style.line_spacing / style.font_size
    fitted = fit_block(text, style.font_file, size=style.font_size, min_size=style.min_font_size,
                      max_width=style.max_width, max_lines=style.max_lines, line_spacing=spacing)
    return style, fitted


def draw_captions(img: Any, kit: BrandKit, style_name: str, text: str, highlight: int | None = None,
                  shape: str | None = None) -> Box:
    """Draw a caption block onto ``img`` as the burn-in styles it; return the block's box.

    Args:
        img: A 1080x1920 RGBA image, changed in place.
        kit: The kit whose caption style is used.
        style_name: ``social`` or ``subtitle``.
        text: The caption text (wrapped by pixel width like the cue builder does).
        highlight: Index of the word drawn in the highlight colour (social style).
        shape: The picture shape ``img`` is of (None: 9:16); the style is laid out for it.
    """
    from PIL import Image, ImageDraw

    style, fitted = _caption_text(kit, style_name, text, shape)
    frame_w, frame_h = img.size
    top = frame_h - style.margin_bottom - fitted.height
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    stroke = 0 if style.box else round(style.outline)
    word_index = 0
    left, right = frame_w, 0
    for n, line in enumerate(fitted.lines):
        width = fitted.font.getlength(line)
        x = frame_w / 2 - width / 2
        y = top + n * fitted.line_height
        left, right = min(left, int(x) - stroke), max(right, round(x + width) + stroke)
        if style.box:
            pad = 14
            draw.rectangle((x - pad, y, x + width + pad, y + fitted.line_height), fill=parse_color(style.back_color))
        for word in line.split(" "):
            colour = style.highlight_color if highlight is not None and word_index == highlight else style.text_color
            draw.text((x, y), word, font=fitted.font, fill=parse_color(colour), stroke_width=stroke,
                      stroke_fill=parse_color(style.outline_color))
            x += fitted.font.getlength(word + " ")
            word_index += 1
    img.alpha_composite(layer)
    return Box(left, top, right - left, fitted.height)


def draw_safe_zone(img: Any, kit: BrandKit, shape: str | None = None) -> None:
    """Tint what the platform covers red and outline the visible area."""
    from PIL import Image, ImageDraw

    zone = kit.safe_zone_for(shape).box
    tint = Image.new("RGBA", img.size, (230, 40, 40, 80))
    ImageDraw.Draw(tint).rectangle((zone.x, zone.y, zone.right - 1, zone.bottom - 1), fill=(0, 0, 0, 0))
    img.alpha_composite(tint)
    ImageDraw.Draw(img).rectangle((zone.x, zone.y, zone.right - 1, zone.bottom - 1), outline=(255, 70, 70, 255),
                                  width=4)


def preview_frame(kit: BrandKit, style_name: str, shape: str | None = None) -> tuple[Any, dict[str, Box]]:
    """One 1080x1920 preview frame (or ``shape``'s frame) for a caption style, and the boxes drawn on it."""
    from PIL import Image

    img = _footage(kit, card_frame(kit, shape))
    boxes: dict[str, Box] = {}
    logo = logo_box(kit, shape)
    with Image.open(kit.logo.file) as src:
        mark = src.convert("RGBA").resize((logo.width, logo.height), Image.Resampling.LANCZOS)
    opacity = kit.logo_for(shape).opacity
    if opacity < 1:
        alpha = mark.getchannel("A").point(lambda v: round(v * opacity))
        mark.putalpha(alpha)
    img.alpha_composite(mark, (logo.x, logo.y))
    boxes["logo"] = logo
    lt_img, lt_box = lower_third_image(kit, *SPEAKER)
    if shape is not None:  # placed as the renderer places it in that shape
        lt_box = shaped_box(lt_img.size, x=lt_box.x, y=lt_box.y, shape=shape)
        lt_img = lt_img.resize((lt_box.width, lt_box.height), Image.Resampling.LANCZOS)
    img.alpha_composite(lt_img, (lt_box.x, lt_box.y))
    boxes["lower_third"] = lt_box
    text, highlight = SAMPLES[style_name]
    boxes["captions"] = draw_captions(img, kit, style_name, text, highlight, shape)
    draw_safe_zone(img, kit, shape)
    return img, boxes


def render_preview(kit: BrandKit, path: str | Path, *, scale: float = 0.5, shape: str | None = None) -> Path:
    """Write the kit preview PNG: both caption styles side by side with labels.

    Args:
        kit: The kit to show.
        path: The PNG to write.
        scale: Size of each frame relative to its design size (0.5 = 540x960 for 9:16).
        shape: Draw the frames in this picture shape (None: 9:16).

    Raises:
        OutputError: ``path`` is a kit file, a folder, or cannot be written.
    """
    from PIL import Image, ImageDraw

    check_outputs([("output", Path(path))], kit_inputs(kit))

    frame_w, frame_h = card_frame(kit, shape)
    fw, fh = round(frame_w * scale), round(frame_h * scale)
    sheet = Image.new("RGB", (2 * fw + 3 * _GAP, fh + _LABEL_H + _GAP), (245, 245, 245))
    draw = ImageDraw.Draw(sheet)
    title_font = load_font(kit.fonts.bold, 34)
    small = load_font(kit.fonts.regular, 24)
    for i, style_name in enumerate(("social", "subtitle")):
        frame, _ = preview_frame(kit, style_name, shape)
        x = _GAP + i * (fw + _GAP)
        sheet.paste(frame.convert("RGB").resize((fw, fh), Image.Resampling.LANCZOS), (x, _LABEL_H))
        draw.text((x, 22), f"{kit.name}: {style_name}" + (f" {shape}" if shape else ""), font=title_font,
                  fill=(20, 20, 20))
        draw.text((x, 66), f"red = kept clear ({kit.safe_zone_for(shape).name})", font=small, fill=(90, 90, 90))
    return save_png(sheet, path, optimize=True)

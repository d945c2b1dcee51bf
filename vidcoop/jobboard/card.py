"""Job cards as still PNGs (Pillow): text fitted to boxes, the partner's logo, a QR code.

:func:`layout_card` is the measuring half (used by validation, so a title
that is too long fails *before* anything renders); :func:`draw_card` is the
drawing half. Each text box is drawn onto its own full-frame mask, so the
returned :class:`CardImage` carries the *measured* ink box of every field,
which tests compare with the template's box.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.errors import ManifestError
from vidcoop.jobboard.board import BoardChannel, PartnerInfo
from vidcoop.jobboard.templates import Box, CardTemplate, TextBox
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.text.box import TextBlock, fit_box
from vidcoop.text.fonts import load_font

# QR error-correction levels to try, most robust first (H survives 30 % damage).
QR_LEVELS = ("H", "Q", "M")
QR_BORDER = 4  # modules of quiet zone, as the QR standard asks


@dataclass(frozen=True)
class FieldLayout:
    """One text box laid out: the text, the chosen size and lines."""

    box: TextBox
    text: str
    fit: TextBlock
    font_file: Path


@dataclass(frozen=True)
class FitProblem:
    """A text box whose text does not fit even at its minimum size."""

    box: TextBox
    text: str


@dataclass(frozen=True)
class QrPlan:
    """How the QR code will be drawn: level, modules and pixels per module."""

    target: str
    level: str
    modules: int  # including the quiet zone
    module_px: int

    @property
    def symbol_px(self) -> int:
        """Size of the symbol itself, without the quiet zone."""
        return (self.modules - 2 * QR_BORDER) * self.module_px


@dataclass(frozen=True)
class CardImage:
    """A drawn card and what was measured while drawing it.

    Attributes:
        image: The Pillow RGB image (1080x1920).
        ink: Measured bounding box of the drawn pixels per text box name.
        layouts: The layout of each text box.
        qr_box: Where the QR code (with its white quiet zone) was drawn.
        qr: The QR plan.
        logo_box: Where the logo was pasted (None when the partner has none).
    """

    image: Any
    ink: dict[str, Box]
    layouts: dict[str, FieldLayout]
    qr_box: Box
    qr: QrPlan
    logo_box: Box | None


def layout_card(
    values: dict[str, str], channel: BoardChannel
) -> tuple[dict[str, FieldLayout], list[FitProblem]]:
    """Fit every text box of the channel's template for one job's field values."""
    template = channel.template
    layouts: dict[str, FieldLayout] = {}
    problems: list[FitProblem] = []
    for box in template.texts:
        text = box.render_text(values)
        if not text.strip():
            continue
        font_file = channel.font_file(box.font)
        left, top, right, bottom = box.box
        fit = fit_box(text, font_file, (right - left, bottom - top), box.size, box.min_size,
                       max_lines=box.max_lines, line_spacing=template.line_spacing)
        if fit is None:
            problems.append(FitProblem(box, text))
        else:
            layouts[box.name] = FieldLayout(box, text, fit, font_file)
    return layouts, problems


def plan_qr(target: str, template: CardTemplate) -> QrPlan | None:
    """The most robust QR level whose symbol is at least ``min_qr_px`` in the QR box, or None."""
    side = template.qr[2] - template.qr[0]
    for level in QR_LEVELS:
        matrix = _qr_matrix(target, level)
        if matrix is None:  # data too long for any version at this level
            continue
        modules = len(matrix)  # the quiet zone included
        module_px = side // modules
        plan = QrPlan(target, level, modules, module_px)
        if module_px >= 1 and plan.symbol_px >= template.min_qr_px:
            return plan
    return None


@functools.lru_cache(maxsize=256)
def _qr_matrix(target: str, level: str) -> tuple[tuple[bool, ...], ...] | None:
    """The QR symbol's modules (quiet zone included) for ``target`` at ``level``; None if it does not fit.

    Remembered: validation, planning and drawing ask for the same symbol, and
    choosing its mask pattern is most of the cost of making one.
    """
    import qrcode
    from qrcode import constants

    qr = qrcode.QRCode(error_correction=getattr(constants, f"ERROR_CORRECT_{level}"), border=QR_BORDER, box_size=1)
    qr.add_data(target)
    try:
        qr.make(fit=True)
    except ValueError:
        return None
    return tuple(tuple(bool(cell) for cell in row) for row in qr.get_matrix())


def _qr_image(plan: QrPlan) -> Any:
    from PIL import Image

    matrix = _qr_matrix(plan.target, plan.level)
    assert matrix is not None and len(matrix) == plan.modules  # the plan was made from this symbol
    small = Image.new("L", (plan.modules, plan.modules), 255)
    small.putdata([0 if cell else 255 for row in matrix for cell in row])
    side = plan.modules * plan.module_px
    return small.resize((side, side), Image.Resampling.NEAREST)


def _rgb(color: str) -> tuple[int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


def _draw_text(canvas: Any, layout: FieldLayout, color: str) -> Box | None:
    """Draw a laid-out box on its own full-frame mask, composite it, return the ink box."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", canvas.size, 0)
    draw = ImageDraw.Draw(mask)
    font = load_font(str(layout.font_file), layout.fit.size)
    left, top, right, _ = layout.box.box
    for i, line in enumerate(layout.fit.lines):
        y = top + i * layout.fit.line_height
        width = font.getlength(line)
        x = {"left": left, "center": left + (right - left - width) / 2, "right": right - width}[
            layout.box.align
        ]
        draw.text((x, y), line, font=font, fill=255, anchor="la")
    canvas.paste(Image.new("RGB", canvas.size, _rgb(color)), (0, 0), mask)
    bbox = mask.getbbox()
    return tuple(bbox) if bbox else None  # type: ignore[return-value]


def _paste_logo(canvas: Any, partner: PartnerInfo, template: CardTemplate, channel: BoardChannel) -> Box:
    """A plate in the logo box with the partner's logo (or name) fitted inside."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = template.logo
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((left, top, right - 1, bottom - 1), radius=18, fill=_rgb(template.logo_plate))
    pad = 12
    inner = (left + pad, top + pad, right - pad, bottom - pad)
    if partner.logo is None:
        # No logo file: the partner's name, literally, in the plate.
        box = TextBox("logo", "", inner, font="bold", size=48, min_size=24, max_lines=2, align="center")
        font_file = channel.font_file("bold")
        fit = fit_box(partner.name, font_file, (inner[2] - inner[0], inner[3] - inner[1]), box.size,
                       box.min_size, max_lines=box.max_lines, line_spacing=template.line_spacing)
        if fit is None:
            raise ManifestError("partner name does not fit the logo box", field=f"partners.{partner.id}.name")
        _draw_text(canvas, FieldLayout(box, partner.name, fit, font_file), "#14213d")
        return (left, top, right, bottom)
    try:
        with Image.open(partner.logo) as raw:
            logo = raw.convert("RGBA")
    except OSError as exc:
        raise ManifestError(f"cannot read the partner logo: {exc}", path=partner.logo,
                            field=f"partners.{partner.id}.logo") from None
    ink = logo.getchannel("A").point(lambda a: 255 if a > 16 else 0).getbbox()
    if ink:  # transparent margins would only make the logo smaller on its plate
        logo = logo.crop(ink)
    w, h = inner[2] - inner[0], inner[3] - inner[1]
    scale = min(w / logo.width, h / logo.height)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    logo = logo.resize(size, Image.Resampling.LANCZOS)
    x = inner[0] + (w - size[0]) // 2
    y = inner[1] + (h - size[1]) // 2
    canvas.paste(logo, (x, y), logo)
    return (x, y, x + size[0], y + size[1])


def draw_card(values: dict[str, str], partner: PartnerInfo, channel: BoardChannel) -> CardImage:
    """Draw one job card from its field values (see :meth:`Job.fields`).

    Raises:
        ManifestError: when a text or the QR code does not fit; validation
            catches this earlier, so it only happens for unvalidated data.
    """
    from PIL import Image, ImageDraw

    template = channel.template
    layouts, problems = layout_card(values, channel)
    if problems:
        p = problems[0]
        raise ManifestError(f"text does not fit its box even at {p.box.min_size}px", field=p.box.blame)
    plan = plan_qr(values["apply_target"], template)
    if plan is None:
        raise ManifestError("the apply target is too long for a scannable QR code", field="apply")

    canvas = Image.new("RGB", template.size, _rgb(template.background))
    logo_box = _paste_logo(canvas, partner, template, channel)
    rule_y = template.logo[3] + 18
    ImageDraw.Draw(canvas).rectangle((template.logo[0], rule_y, template.texts[0].box[2] - 1, rule_y + 5),
                                     fill=_rgb(template.accent))
    ink: dict[str, Box] = {}
    for name, layout in layouts.items():
        bbox = _draw_text(canvas, layout, layout.box.color)
        if bbox is not None:
            ink[name] = bbox

    left, top, right, bottom = template.qr
    ImageDraw.Draw(canvas).rectangle((left, top, right - 1, bottom - 1), fill=(255, 255, 255))
    qr_img = _qr_image(plan)
    offset = (left + (right - left - qr_img.width) // 2, top + (bottom - top - qr_img.height) // 2)
    canvas.paste(qr_img.convert("RGB"), offset)
    return CardImage(canvas, ink, layouts, template.qr, plan, logo_box if partner.logo else None)


def in_frame(boxes: tuple[Box, ...], channel: BoardChannel) -> tuple[Box, ...]:
    """Boxes of a 9:16 design moved as one block to the middle of the board's safe zone in another picture
    shape (shrunk only when the zone is smaller than the block); in 9:16 they stay where they are.

    Sizes stay the design's, so fonts keep their sizes and a logo its size in every shape.
    """
    if channel.template.shape == DEFAULT_SHAPE:
        return boxes
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    sl, st, sr, sb = channel.safe_box
    scale = min(1.0, (sr - sl) / (right - left), (sb - st) / (bottom - top))
    dx, dy = (sl + sr) / 2 - (left + right) / 2 * scale, (st + sb) / 2 - (top + bottom) / 2 * scale

    def moved(b: Box) -> Box:
        return (round(dx + b[0] * scale), round(dy + b[1] * scale), round(dx + b[2] * scale),
                round(dy + b[3] * scale))

    return tuple(moved(b) for b in boxes)


def title_boxes(accent: str, channel: BoardChannel | None = None) -> tuple[TextBox, ...]:
    """Boxes of the generated title card (and generated intro/outro): heading, date range, part; in the middle of
    the safe zone of ``channel``'s picture shape (:func:`in_frame`)."""
    heading, subtitle, part = (80, 560, 940, 900), (80, 920, 940, 1060), (80, 1090, 940, 1180)
    if channel is not None:
        heading, subtitle, part = in_frame((heading, subtitle, part), channel)
    return (
        TextBox("heading", "{heading}", heading, font="bold", size=112, min_size=64, max_lines=3, align="center"),
        TextBox("subtitle", "{subtitle}", subtitle, size=58, min_size=40, max_lines=2, align="center", color=accent),
        TextBox("part", "{part}", part, font="bold", size=56, min_size=40, max_lines=1, align="center"),
    )


def draw_text_card(values: dict[str, str], channel: BoardChannel) -> Any:
    """A still with a heading, a subtitle and a part label (title card, generated intro/outro), laid out for the
    picture shape of ``channel``'s template (:meth:`BoardChannel.for_shape`).

    Raises:
        ManifestError: a heading too long for the card even at the minimum size.
    """
    from dataclasses import replace

    from PIL import Image

    template = channel.template
    boxes = title_boxes(template.accent, channel)
    panel = replace(channel, template=replace(template, texts=boxes))
    layouts, problems = layout_card({"heading": "", "subtitle": "", "part": "", **values}, panel)
    if problems:
        raise ManifestError(f"{problems[0].text!r} does not fit the title card", field=problems[0].box.name)
    canvas = Image.new("RGB", template.size, _rgb(template.background))
    for layout in layouts.values():
        _draw_text(canvas, layout, layout.box.color)
    return canvas


def draw_bumper(partner: PartnerInfo, channel: BoardChannel) -> Any:
    """A generated partner bumper: "Stellen von", the logo large on its plate, the partner's name; laid out for
    the picture shape of ``channel``'s template, the whole logo inside that shape's safe zone (:func:`in_frame`)."""
    from dataclasses import replace

    from PIL import Image

    template = channel.template
    lead, logo, name = in_frame(((80, 520, 940, 620), (190, 650, 890, 980), (80, 1010, 940, 1160)), channel)
    boxes = (
        TextBox("lead", "Stellen von", lead, size=56, min_size=40, max_lines=1, align="center",
                color=template.accent),
        TextBox("name", "{name}", name, font="bold", size=64, min_size=40, max_lines=2, align="center"),
    )
    panel = replace(channel, template=replace(template, texts=boxes, logo=logo))
    layouts, problems = layout_card({"name": partner.name}, panel)
    if problems:
        raise ManifestError("partner name does not fit the bumper", field=f"partners.{partner.id}.name")
    canvas = Image.new("RGB", template.size, _rgb(template.background))
    _paste_logo(canvas, partner, panel.template, panel)
    for layout in layouts.values():
        _draw_text(canvas, layout, layout.box.color)
    return canvas

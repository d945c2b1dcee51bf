"""``vidcoop brand check``: is a kit complete, readable and inside the safe zone?

Collects every problem instead of stopping at the first, so a designer can
fix a kit in one pass: schema errors, missing files, colours that are not
colours, text/background contrast below WCAG AA (4.5:1), fonts without the
German glyphs (äöüß ÄÖÜ), logos without transparency, and generated cards or
overlays that leave the safe zone. Given a channel's partner logos, it also measures each
on every background it is placed on (bumper, card, link page) against WCAG's 3:1 non-text
contrast (:mod:`vidcoop.brand.legibility`): a logo that gets the kit's plate on the bumper is
noted, one that stays below 3:1 even on its plate is a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.brand.cards import end_card_image, logo_box, lower_third_image, title_card_image
from vidcoop.brand.kit import parse_kit, resolve_kit_path
from vidcoop.brand.partner_logos import PartnerLogo, partner_logo_legibility
from vidcoop.brand.safezone import check_boxes
from vidcoop.brand.schema import Kit
from vidcoop.color import WCAG_AA, contrast_ratio, parse_color
from vidcoop.datafiles import describe_error, dotted_path, load_yaml_mapping
from vidcoop.errors import ManifestError
from vidcoop.text.fonts import load_font

#: Glyphs every caption font must have (German).
REQUIRED_GLYPHS = "äöüßÄÖÜ"
# Plane-16 private use: no text font maps it, so it renders as .notdef.
_ABSENT = "\U0010fffd"


@dataclass(frozen=True)
class KitProblem:
    """One thing wrong with a kit."""

    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass(frozen=True)
class KitCheck:
    """The outcome of :func:`check_kit`.

    Attributes:
        path: The kit's ``kit.yaml``.
        problems: Everything that must be fixed (empty = the kit is fine).
        notes: What was checked and held, with numbers (contrast ratios).
    """

    path: Path
    problems: tuple[KitProblem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def zero_has_a_mark(font_file: Path) -> bool:
    """Whether the font draws its zero slashed or dotted (ink in the middle of the ``0``): on a job card
    "2026" then reads as "2θ26" (issue #25). Measured on the glyph drawn at 200 px."""
    from PIL import Image, ImageDraw

    font = load_font(str(font_file), 200)
    img = Image.new("L", (300, 300), 0)
    ImageDraw.Draw(img).text((50, 20), "0", font=font, fill=255)
    box = img.getbbox()
    if box is None:
        return False
    cx, cy = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
    return max(img.crop((cx - 8, cy - 8, cx + 8, cy + 8)).getdata()) > 0


def missing_glyphs(font_file: Path, chars: str = REQUIRED_GLYPHS) -> list[str]:
    """Characters of ``chars`` that ``font_file`` has no glyph for.

    Pillow exposes no cmap, so a character counts as missing when it renders
    exactly like a code point no font maps (the .notdef glyph).
    """
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_file), 48)

    def shape(text: str) -> tuple[Any, bytes]:
        mask = font.getmask(text)
        return mask.size, bytes(mask)

    notdef = shape(_ABSENT)
    return [ch for ch in chars if shape(ch) == notdef]


def has_alpha(image_file: Path) -> bool:
    """True when the image has an alpha channel with at least one non-opaque pixel."""
    from PIL import Image

    with Image.open(image_file) as img:
        if img.mode not in ("RGBA", "LA", "PA") and "transparency" not in img.info:
            return False
        alpha = img.convert("RGBA").getchannel("A")
        low, _ = alpha.getextrema()
        return bool(low < 255)


def _flatten(color: str, under: str) -> tuple[int, int, int, int]:
    """``color`` (maybe translucent) composited over the opaque ``under``."""
    r, g, b, a = parse_color(color)
    ur, ug, ub, _ = parse_color(under)
    k = a / 255
    return round(r * k + ur * (1 - k)), round(g * k + ug * (1 - k)), round(b * k + ub * (1 - k)), 255


def _schema_problems(data: dict[str, Any]) -> list[KitProblem]:
    from pydantic import ValidationError

    try:
        Kit.model_validate(data)
    except ValidationError as exc:
        return [KitProblem(dotted_path(e["loc"]) or None, describe_error(dict(e))) for e in exc.errors()]
    return []


def _file_problems(data: dict[str, Any], root: Path) -> list[KitProblem]:
    wanted = [("fonts.regular", data["fonts"]["regular"]), ("fonts.bold", data["fonts"]["bold"]),
              ("fonts.license", data["fonts"]["license"]), ("logo.file", data["logo"]["file"])]
    for part in ("intro", "outro"):
        if data[part].get("video"):
            wanted.append((f"{part}.video", data[part]["video"]))
    return [KitProblem(name, f"file not found: {rel}") for name, rel in wanted if not (root / rel).is_file()]


def _contrast_pairs(kit: Any) -> list[tuple[str, str, Any, Any]]:
    bg = kit.colors.background
    lt = kit.lower_third
    box = _flatten(lt.box_color, bg)
    pairs = [
        ("colors.text", "text on background", kit.colors.text, bg),
        ("lower_third.text_color", "lower-third name on its box", lt.text_color, box),
        ("lower_third.role_color", "lower-third role on its box", lt.role_color, box),
    ]
    for style_name, style in sorted(kit.captions.items()):
        behind = _flatten(style.back_color, "#000000") if style.box else _flatten(style.outline_color, "#000000")
        what = "box" if style.box else "outline"
        pairs.append((f"captions.{style_name}.text_color", f"{style_name} captions on their {what}",
                      style.text_color, behind))
        if style_name == "social":
            pairs.append((f"captions.{style_name}.highlight_color", f"{style_name} highlight on its {what}",
                          style.highlight_color, behind))
    return pairs


def _design_problems(kit: Any, notes: list[str]) -> list[KitProblem]:
    problems: list[KitProblem] = []
    for field_name, label, fg, bg in _contrast_pairs(kit):
        ratio = contrast_ratio(fg, bg)
        if ratio < WCAG_AA:
            problems.append(KitProblem(field_name, f"{label}: contrast {ratio:.2f}:1 is below WCAG AA ({WCAG_AA}:1)"))
        else:
            notes.append(f"{label}: contrast {ratio:.1f}:1")
    for role in ("regular", "bold"):
        font_file = kit.fonts.get(role)
        try:
            missing = missing_glyphs(font_file, REQUIRED_GLYPHS)
        except OSError as exc:
            problems.append(KitProblem(f"fonts.{role}", f"not a readable font file: {exc}"))
            continue
        if missing:
            problems.append(KitProblem(f"fonts.{role}", f"{font_file.name} has no glyphs for {' '.join(missing)}"))
        else:
            notes.append(f"{font_file.name}: has {REQUIRED_GLYPHS}")
        if zero_has_a_mark(font_file):
            problems.append(KitProblem(f"fonts.{role}", f"{font_file.name} draws its zero slashed or dotted: "
                                       "dates on cards read \"2θ26\"; use a font with a plain zero "
                                       "(brand_kits/make_fonts.py shows how one was changed)"))
        else:
            notes.append(f"{font_file.name}: plain zero")
    license_text = kit.fonts.license.read_text(encoding="utf-8", errors="replace")
    if "Open Font License" not in license_text and "OFL" not in license_text:
        problems.append(KitProblem("fonts.license", "does not look like the SIL Open Font License"))
    try:
        alpha = has_alpha(kit.logo.file)
    except OSError as exc:
        problems.append(KitProblem("logo.file", f"not a readable image: {exc}"))
    else:
        if alpha:
            notes.append("logo has a transparent background")
        else:
            problems.append(KitProblem("logo.file", "logo has no transparency (use a PNG with an alpha channel)"))
            return problems
    problems += _zone_problems(kit, notes)
    return problems


def _zone_problems(kit: Any, notes: list[str]) -> list[KitProblem]:
    boxes = [("logo", "logo", logo_box(kit))]
    _, lt_box = lower_third_image(kit, "Alexandra Müller-Lüdenscheidt", "Beraterin im Jobcenter")
    boxes.append(("lower_third", "lower third", lt_box))
    _, title_boxes = title_card_image(kit, kit.intro.title or kit.name, kit.intro.subtitle)
    _, end_boxes = end_card_image(kit, kit.end_card.cta, kit.end_card.subline)
    boxes += [("intro", f"intro card {name}", box) for name, box in title_boxes.items()]
    boxes += [("end_card", f"end card {name}", box) for name, box in end_boxes.items()]
    problems = []
    for field_name, label, box in boxes:
        for issue in check_boxes([(label, box)], kit.safe_zone):
            problems.append(KitProblem(field_name, issue.message))
    for style_name in sorted(kit.captions):
        area = kit.caption_area(style_name)
        if area.intersects(lt_box):
            problems.append(KitProblem(
                "lower_third.margin_bottom",
                f"the lower third (y {lt_box.y}..{lt_box.bottom}) overlaps the {style_name} caption area "
                f"(y {area.y}..{area.bottom}); raise margin_bottom",
            ))
    if not problems:
        notes.append(f"logo, lower third and cards lie inside the {kit.safe_zone.describe()}")
    return problems


def _partner_logo_problems(kit: Any, partners: Sequence[PartnerLogo], notes: list[str]) -> list[KitProblem]:
    problems = []
    for partner in partners:
        where = f"partners.{partner.id}.logo"
        try:
            measured = partner_logo_legibility(kit, partner.path, name=partner.name, bumper=partner.generated_bumper)
        except OSError as exc:
            problems.append(KitProblem(where, f"not a readable image: {exc}"))
            continue
        for item in measured:
            line = f"logo of partner {partner.id!r} {item.describe()}"
            if item.ok:
                notes.append(line)
            else:
                problems.append(KitProblem(where, line))
    return problems


def check_kit(kit: str | Path, *, safe_zone: str | None = None, partners: Sequence[PartnerLogo] = ()) -> KitCheck:
    """Check a kit (folder, ``kit.yaml`` or shipped name) and collect every problem.

    Args:
        kit: The kit.
        safe_zone: Check against this shipped profile instead of the kit's own.
        partners: A channel's partner logos, measured on every background they are placed on.
    """
    try:
        path = resolve_kit_path(kit)
        data = load_yaml_mapping(path, what="brand kit")
    except ManifestError as exc:
        return KitCheck(Path(exc.path or str(kit)), (KitProblem(exc.field, exc.message),))
    problems = _schema_problems(data)
    if problems:
        return KitCheck(path, tuple(problems))
    problems = _file_problems(data, path.parent)
    if problems:
        return KitCheck(path, tuple(problems))
    try:
        loaded = parse_kit(data, path)
    except ManifestError as exc:  # e.g. a logo too large to decode
        return KitCheck(path, (KitProblem(exc.field, exc.message),))
    if safe_zone is not None:
        from dataclasses import replace

        from vidcoop.brand.safezone import get_safe_zone

        loaded = replace(loaded, safe_zone=get_safe_zone(safe_zone))
    notes: list[str] = []
    problems = _design_problems(loaded, notes)
    problems += _partner_logo_problems(loaded, partners, notes)
    return KitCheck(path, tuple(problems), tuple(notes))

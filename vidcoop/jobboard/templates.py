"""Card templates: where each piece of a job card goes, in design pixels.

A template is data: text boxes (a format string over the job's fields, a
box, a font role, a size range, alignment) plus a logo box and a QR box. The
shipped ``standard`` template lives in :data:`TEMPLATES`; a brand kit or a
channel format may declare its own under ``jobboard.card`` / ``card_template``
(same keys as :func:`template_from_dict` reads). Every box must sit inside the
TikTok safe zone; a template that does not is rejected when it is loaded.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vidcoop.datafiles import load_yaml
from vidcoop.errors import ManifestError
from vidcoop.registry import lookup
from vidcoop.shapes import DEFAULT_SHAPE, get_shape
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH

Box = tuple[int, int, int, int]  # left, top, right, bottom (right/bottom exclusive)

ALIGNS = ("left", "center", "right")
FONT_ROLES = ("bold", "regular")

# Fallback safe zone of a 1080x1920 frame (the brand package's TikTok profile
# is used when present): keep clear of the top 160 px (tabs), bottom 480 px
# (description, sound line) and right 120 px (action rail); 60 px left.
FALLBACK_SAFE_BOX: Box = (60, 160, 960, 1440)


def default_safe_box() -> Box:
    """The brand package's default safe zone as ``(left, top, right, bottom)``, or the fallback."""
    try:
        from vidcoop.brand.safezone import DEFAULT_SAFE_ZONE, get_safe_zone
    except ImportError:  # pragma: no cover - the brand package ships with vidcoop
        return FALLBACK_SAFE_BOX
    b = get_safe_zone(DEFAULT_SAFE_ZONE).box
    return (b.x, b.y, b.right, b.bottom)


_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


OPTIONAL_FIELDS = ("number",)  # values a caller may leave out; they read as empty


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        if key in OPTIONAL_FIELDS:
            return ""
        raise KeyError(key)


@dataclass(frozen=True)
class TextBox:
    """One text field of a card.

    Attributes:
        name: Identifier of the box (``title``); errors and measurements use it.
        text: Format string over job fields, e.g. ``"{location}\\n{hours} · {start}"``.
        box: Where it may draw.
        font: Font role, ``bold`` or ``regular``.
        size: Preferred size in pixels.
        min_size: Smallest size before the job fails validation.
        max_lines: Most lines allowed (None = as many as the box holds).
        align: ``left``, ``center`` or ``right``.
        color: Text colour ``#rrggbb``.
        field: The job field blamed when the text does not fit (default: first placeholder).
    """

    name: str
    text: str
    box: Box
    font: str = "regular"
    size: int = 44
    min_size: int = 30
    max_lines: int | None = None
    align: str = "left"
    color: str = "#ffffff"
    field: str | None = None

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.text) if name)

    @property
    def blame(self) -> str:
        """The job field a fitting failure is reported against."""
        if self.field:
            return self.field
        return self.placeholders[0] if self.placeholders else self.name

    def render_text(self, values: dict[str, str]) -> str:
        """Fill the placeholders; separators around empty values are dropped."""
        text = self.text.format_map(_Values(values))
        lines = []
        for line in text.split("\n"):
            parts = [p.strip() for p in line.split(" · ")]
            lines.append(" · ".join(p for p in parts if p))
        return "\n".join(lines).strip("\n")


@dataclass(frozen=True)
class CardTemplate:
    """The layout of a job card (1080x1920 design pixels).

    Attributes:
        name: Registry name.
        texts: Text boxes, drawn in order.
        logo: Box for the partner's logo (fitted inside, keeping its aspect).
        qr: Square box for the QR code of the apply target, quiet zone included.
        background: Card background colour.
        accent: Colour of the thin accent rule under the header.
        logo_plate: Colour of the plate behind the logo (logos are made for white).
        line_spacing: Baseline distance as a multiple of the font size.
        min_qr_px: Smallest size of the QR symbol itself (without quiet zone).
        size: Frame size.
        shape: The picture shape it is laid out for (:data:`vidcoop.shapes.SHAPES`); see :func:`shaped_template`.
    """

    name: str
    texts: tuple[TextBox, ...]
    logo: Box
    qr: Box
    background: str = "#14213d"
    accent: str = "#ffd400"
    logo_plate: str = "#ffffff"
    line_spacing: float = 1.15
    min_qr_px: int = 300
    size: tuple[int, int] = (DESIGN_WIDTH, DESIGN_HEIGHT)
    shape: str = DEFAULT_SHAPE

    def boxes(self) -> dict[str, Box]:
        """Every box by name, for safe-zone checks and tests."""
        out = {t.name: t.box for t in self.texts}
        out["logo"] = self.logo
        out["qr"] = self.qr
        return out

    def key(self) -> dict[str, Any]:
        """Plain data that identifies the template's look, for cache keys."""
        from dataclasses import asdict

        data = asdict(self)
        if self.shape == DEFAULT_SHAPE:  # a 9:16 card keeps the key it had before shapes (sign-offs name it)
            del data["shape"]
        return data


def _standard() -> CardTemplate:
    muted = "#e8ecf4"
    texts = (
        TextBox("kicker", "Stellenbörse\n{number}", (500, 190, 940, 330), font="bold", size=46, min_size=36,
                max_lines=2, align="right", color="#ffd400", field="title"),
        TextBox("title", "{title}", (80, 372, 940, 622), font="bold", size=80, min_size=52, max_lines=3),
        TextBox("meta", "{location}\n{hours} · {start}", (80, 632, 940, 780), size=46, min_size=34,
                max_lines=3, color=muted, field="location"),
        TextBox("description", "{description}", (80, 790, 940, 965), size=40, min_size=32, max_lines=4,
                color=muted),
        TextBox("apply", "Jetzt bewerben:\n{apply}", (540, 990, 940, 1320), font="bold", size=38,
                min_size=26, max_lines=6),
        TextBox("expires", "bis {expires}", (540, 1330, 940, 1410), size=36, min_size=30, max_lines=1,
                color=muted),
    )
    return CardTemplate(name="standard", texts=texts, logo=(80, 190, 480, 330), qr=(80, 980, 510, 1410))


def content_bounds(template: CardTemplate) -> Box:
    """The box around every box of the template."""
    boxes = list(template.boxes().values())
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def safe_zoom(template: CardTemplate, safe: Box) -> float:
    """The largest centred zoom that keeps every box of the card inside ``safe``."""
    w, h = template.size
    cx, cy = w / 2, h / 2
    left, top, right, bottom = content_bounds(template)
    limits = [
        (cx - safe[0]) / (cx - left) if left < cx else 10.0,
        (safe[2] - cx) / (right - cx) if right > cx else 10.0,
        (cy - safe[1]) / (cy - top) if top < cy else 10.0,
        (safe[3] - cy) / (bottom - cy) if bottom > cy else 10.0,
    ]
    return max(1.0, min(limits))


def shape_safe_box(shape: str) -> Box:
    """The safe zone of ``shape``'s frame as ``(left, top, right, bottom)`` (:mod:`vidcoop.shapes`)."""
    sh = get_shape(shape)
    return (sh.left, sh.top, sh.width - sh.right, sh.height - sh.bottom)


_INSET = 20  # card content keeps this far inside the shape's safe zone
# Boxes a shaped layout places itself; any other box keeps its share of the safe zone.
_PLACED = ("kicker", "title", "meta", "description", "apply", "expires")


def shaped_template(template: CardTemplate, shape: str, safe: Box | None = None) -> CardTemplate:
    """``template`` laid out for ``shape``'s frame, inside its safe zone (``safe``; default the shape's own).

    9:16 is the template itself. 16:9 puts the logo and the QR code in a column on the left and the text
    on the right; 4:5 and 1:1 keep the 9:16 order (logo and kicker, title, meta, description, then the QR
    code beside how to apply) compressed to the lower frame. Fonts, sizes, minimum sizes, colours and
    line limits stay the template's: only the boxes move, so the text is fitted by its real width in the
    new boxes exactly as in 9:16. A box the layout does not know keeps its share of the safe zone.
    """
    if shape == template.shape:
        return template
    if shape == DEFAULT_SHAPE:
        raise ValueError("a card template is laid out for other shapes from its 9:16 form")
    sh = get_shape(shape)
    old = default_safe_box() if template.shape == DEFAULT_SHAPE else shape_safe_box(template.shape)
    zone = safe or shape_safe_box(shape)
    left, top, right, bottom = zone[0] + _INSET, zone[1] + _INSET, zone[2] - _INSET, zone[3] - _INSET
    width, height = right - left, bottom - top
    boxes: dict[str, Box]
    if sh.width > sh.height:  # landscape: logo and QR on the left, text on the right
        column = min(width * 2 // 7, height * 5 // 9)
        head = min(140, height // 6)
        qr = min(column, height - head - 40)
        x = left + column + 60
        boxes = {
            "logo": (left, top, left + column, top + head),
            "qr": (left, bottom - qr, left + qr, bottom),
            "kicker": (max(x, right - 440), top, right, top + head),
        }
        rows = _rows(top + head + 40, bottom, (("title", 26), ("meta", 15), ("description", 18), ("apply", 13)))
        boxes.update({name: (x, t, right, b) for name, (t, b) in rows.items()})
        a = boxes["apply"]
        boxes["apply"] = (a[0], a[1], right - 420, a[3])
        boxes["expires"] = (right - 400, a[1], right, min(a[3], a[1] + 80))
    else:  # portrait or square: the 9:16 order, compressed
        head = min(140, height // 8)
        # the QR symbol keeps its 9:16 size where the frame allows it (a long address needs ~410 px with its
        # quiet zone for a 300 px symbol), so the text rows take what is left
        qr = min(template.qr[2] - template.qr[0], max(template.min_qr_px + 110, height * 2 // 5))
        boxes = {
            "logo": (left, top, left + width * 9 // 20, top + head),
            "kicker": (left + width // 2, top, right, top + head),
            "qr": (left, bottom - qr, left + qr, bottom),
        }
        # beside the QR code: how to apply (and, in a square frame, where and when too: its rows are few)
        beside = (("meta", 35), ("apply", 45), ("expires", 20)) if sh.width == sh.height else (("apply", 80),
                                                                                               ("expires", 20))
        rows = _rows(bottom - qr, bottom, beside)
        boxes.update({name: (left + qr + 30, t, right, b) for name, (t, b) in rows.items()})
        middle = (("title", 64), ("description", 36)) if "meta" in rows else (
            ("title", 44), ("meta", 25), ("description", 31))
        rows = _rows(top + head + 40, bottom - qr - 20, middle)
        boxes.update({name: (left, t, right, b) for name, (t, b) in rows.items()})

    def share(box: Box) -> Box:  # a box the layout does not place: the same share of the new safe zone
        sx, sy = width / (old[2] - old[0]), height / (old[3] - old[1])
        return (round(left + (box[0] - old[0]) * sx), round(top + (box[1] - old[1]) * sy),
                round(left + (box[2] - old[0]) * sx), round(top + (box[3] - old[1]) * sy))

    texts = tuple(replace(t, box=boxes[t.name] if t.name in _PLACED else share(t.box)) for t in template.texts)
    return replace(template, texts=texts, logo=boxes["logo"], qr=boxes["qr"], size=(sh.width, sh.height),
                   shape=shape)


def _rows(top: int, bottom: int, weights: tuple[tuple[str, int], ...], gap: int = 10) -> dict[str, tuple[int, int]]:
    """Split ``top..bottom`` into rows by weight, ``gap`` pixels apart."""
    total = sum(w for _, w in weights)
    space = bottom - top - gap * (len(weights) - 1)
    out: dict[str, tuple[int, int]] = {}
    y = top
    for name, weight in weights:
        h = space * weight // total
        out[name] = (y, y + h)
        y += h + gap
    return out


TEMPLATES: dict[str, CardTemplate] = {"standard": _standard()}


def get_template(name: str = "standard") -> CardTemplate:
    """A shipped template by name."""
    return lookup(TEMPLATES, name, ManifestError, what="card template", field="card_template")


def check_template(template: CardTemplate, safe: Box | None = None, *, path: str | Path | None = None,
                   field_prefix: str = "card") -> CardTemplate:
    """Reject templates whose boxes leave the safe zone or whose values are nonsense."""
    safe = safe or default_safe_box()
    sl, st, sr, sb = safe
    for name, (left, top, right, bottom) in template.boxes().items():
        where = f"{field_prefix}.{name}.box"
        if not (left < right and top < bottom):
            raise ManifestError("box must have left < right and top < bottom", path=path, field=where)
        if left < sl or top < st or right > sr or bottom > sb:
            raise ManifestError(
                f"box {left, top, right, bottom} leaves the safe zone {safe}", path=path, field=where,
                hint="keep clear of the top, bottom and right edges where the app draws its buttons",
            )
    for t in template.texts:
        where = f"{field_prefix}.{t.name}"
        if t.align not in ALIGNS:
            raise ManifestError(f"align must be one of {ALIGNS}", path=path, field=f"{where}.align")
        if t.font not in FONT_ROLES:
            raise ManifestError(f"unknown font role {t.font!r}", path=path, field=f"{where}.font")
        if not 8 <= t.min_size <= t.size:
            raise ManifestError("need 8 <= min_size <= size", path=path, field=f"{where}.min_size")
        if not _HEX.match(t.color):
            raise ManifestError("colour must be #rrggbb", path=path, field=f"{where}.color")
    q = template.qr
    if q[2] - q[0] != q[3] - q[1]:
        raise ManifestError("the QR box must be square", path=path, field=f"{field_prefix}.qr.box")
    if q[2] - q[0] < template.min_qr_px:
        raise ManifestError(f"the QR box must be at least {template.min_qr_px} px", path=path,
                            field=f"{field_prefix}.qr.box")
    return template


def _box(value: Any, path: str | Path | None, where: str) -> Box:
    if not (isinstance(value, (list, tuple)) and len(value) == 4 and all(isinstance(v, int) for v in value)):
        raise ManifestError("box must be [left, top, right, bottom] in whole pixels", path=path, field=where)
    return (value[0], value[1], value[2], value[3])


_TEXT_KEYS = {"name", "text", "box", "font", "size", "min_size", "max_lines", "align", "color", "field"}
_CARD_KEYS = {"name", "base", "texts", "logo", "qr", "background", "accent", "logo_plate", "line_spacing",
              "min_qr_px"}


def load_template(path: str | Path, *, safe: Box | None = None, base: CardTemplate | None = None) -> CardTemplate:
    """Read a card template from YAML (``version: 1`` and ``card:``, or the card mapping itself)."""
    p = Path(path)
    data = load_yaml(p, what="card template")
    if isinstance(data, dict) and "card" in data:
        if data.get("version", 1) != 1:
            raise ManifestError(f"unsupported version {data.get('version')!r}", path=p, field="version")
        data = data["card"]
    return template_from_dict(data, path=p, safe=safe, base=base)


def template_from_dict(data: object, *, path: str | Path | None = None,
                       field_prefix: str = "card", safe: Box | None = None,
                       base: CardTemplate | None = None) -> CardTemplate:
    """Build a template from YAML data; unspecified keys come from ``base`` (``standard``).

    ``texts`` is a list of text boxes; an entry whose ``name`` matches a box of
    the base template changes only the keys it gives, a new name adds a box.
    """
    if not isinstance(data, dict):
        raise ManifestError("card template must be a mapping", path=path, field=field_prefix)
    unknown = set(data) - _CARD_KEYS
    if unknown:
        raise ManifestError(f"unknown key {sorted(unknown)[0]!r}", path=path,
                            field=f"{field_prefix}.{sorted(unknown)[0]}", hint=f"known: {sorted(_CARD_KEYS)}")
    if base is None or "base" in data:
        base = get_template(str(data.get("base", "standard")))
    texts = {t.name: t for t in base.texts}
    for i, entry in enumerate(data.get("texts") or []):
        where = f"{field_prefix}.texts.{i}"
        if not isinstance(entry, dict) or "name" not in entry:
            raise ManifestError("each text box needs a name", path=path, field=where)
        bad = set(entry) - _TEXT_KEYS
        if bad:
            first = sorted(bad)[0]
            raise ManifestError(f"unknown key {first!r}", path=path, field=f"{where}.{first}")
        values = dict(entry)
        if "box" in values:
            values["box"] = _box(values["box"], path, f"{where}.box")
        name = str(values["name"])
        if name in texts:
            texts[name] = replace(texts[name], **values)
        else:
            if "text" not in values or "box" not in values:
                raise ManifestError("a new text box needs text and box", path=path, field=where)
            texts[name] = TextBox(**values)
    kwargs: dict[str, Any] = {"name": str(data.get("name", f"{base.name}*")), "texts": tuple(texts.values())}
    for key in ("logo", "qr"):
        if key in data:
            kwargs[key] = _box(data[key], path, f"{field_prefix}.{key}")
    for key in ("background", "accent", "logo_plate"):
        if key in data:
            if not isinstance(data[key], str) or not _HEX.match(data[key]):
                raise ManifestError("colour must be #rrggbb", path=path, field=f"{field_prefix}.{key}")
            kwargs[key] = data[key]
    for key, kind in (("line_spacing", float), ("min_qr_px", int)):
        if key in data:
            kwargs[key] = kind(data[key])
    return check_template(replace(base, **kwargs), safe, path=path, field_prefix=field_prefix)

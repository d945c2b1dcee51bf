"""Brand kits: ``brand_kits/<name>/kit.yaml`` plus fonts, licence and logo.

A kit is loaded once into a frozen :class:`BrandKit`; relative paths in the
YAML are resolved against the kit's folder. :meth:`BrandKit.caption_style`
is the contract with the caption builder: it yields a
:class:`~vidcoop.captions.style.CaptionStyle` for ``social`` or ``subtitle``,
kept inside the kit's safe zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.brand.geometry import Box
from vidcoop.brand.safezone import SAFE_ZONES, SafeZone, shape_zone
from vidcoop.brand.schema import Kit
from vidcoop.captions.style import CaptionStyle
from vidcoop.datafiles import load_yaml_mapping, pydantic_error
from vidcoop.errors import CaptionError, ManifestError
from vidcoop.media.image import checked_image
from vidcoop.resources import kit_dir
from vidcoop.timeline.model import Overlay

#: Optional, beside kit.yaml: the kit's own job-card layout (read by the job board).
CARD_TEMPLATE_FILE = "jobcard.yaml"

if TYPE_CHECKING:
    from vidcoop.captions.style import CaptionStyle

KIT_FILE = "kit.yaml"
FONT_ROLES = ("regular", "bold")


@dataclass(frozen=True)
class KitColors:
    """The kit's palette, ``#rrggbb``."""

    primary: str
    accent: str
    text: str
    background: str


@dataclass(frozen=True)
class KitFonts:
    """OFL font files shipped inside the kit, with their licence text."""

    regular: Path
    bold: Path
    license: Path

    def get(self, role: str) -> Path:
        """The file for ``regular`` or ``bold``."""
        if role not in FONT_ROLES:
            raise KeyError(f"unknown font role {role!r} (expected regular or bold)")
        path: Path = getattr(self, role)
        return path


@dataclass(frozen=True)
class LogoSpec:
    """The channel logo (PNG with alpha) and where it sits on every episode.

    ``x``/``y`` (design pixels, top-left corner) override the anchor on their
    axis, e.g. to keep a corner logo below TikTok's top bar but near the edge.
    """

    file: Path
    anchor: str = "top-left"
    width: int = 200
    opacity: float = 0.9
    margin: int = 64
    x: int | None = None
    y: int | None = None


@dataclass(frozen=True)
class LowerThirdStyle:
    """The speaker's name and role box.

    Attributes:
        margin_bottom: Distance of the box's bottom edge from the frame bottom
            (keeps it above the caption area).
        max_width: Widest the box may be, in design pixels.

    The defaults are the kit schema's (:class:`vidcoop.brand.schema.LowerThird`): a kit is where they are stated.
    """

    name_font: Path
    role_font: Path
    name_size: int
    role_size: int
    text_color: str
    role_color: str
    box_color: str
    accent_color: str
    padding: int
    margin_bottom: int
    max_width: int


@dataclass(frozen=True)
class Bumper:
    """An intro or outro: a video file, or a title card generated from the kit."""

    duration: Fraction
    video: Path | None = None
    title: str | None = None
    subtitle: str | None = None

    @property
    def generated(self) -> bool:
        return self.video is None


@dataclass(frozen=True)
class EndCardSpec:
    """The end card's call to action and how long it shows."""

    cta: str
    duration: Fraction
    subline: str | None = None


@dataclass(frozen=True)
class ShapeStyle:
    """What a kit changes in one other picture shape (``shapes:`` in kit.yaml).

    Attributes:
        logo: The logo's place there (the kit's ``logo:`` merged with the shape's entry), or None.
        captions: Per caption style, the :class:`CaptionStyle` fields that differ there.
    """

    logo: LogoSpec | None = None
    captions: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class BrandKit:
    """A loaded, validated brand kit. Paths are absolute.

    Use :func:`load_kit` to make one; :func:`vidcoop.brand.check.check_kit`
    adds the design checks (contrast, glyphs, logo alpha).
    """

    name: str
    root: Path
    colors: KitColors
    fonts: KitFonts
    logo: LogoSpec
    lower_third: LowerThirdStyle
    intro: Bumper
    outro: Bumper
    end_card: EndCardSpec
    safe_zone: SafeZone
    captions: dict[str, CaptionStyle] = field(default_factory=dict, hash=False, compare=False)
    #: Per other picture shape (``shapes:`` in kit.yaml): its own logo place and caption sizes.
    shapes: dict[str, ShapeStyle] = field(default_factory=dict, hash=False, compare=False)

    @property
    def path(self) -> Path:
        return self.root / KIT_FILE

    @property
    def card_logo_plate(self) -> str:
        """The job card's plate colour behind partner logos: ``logo_plate`` of the kit's
        :data:`CARD_TEMPLATE_FILE` when it names one, else white (the standard card's)."""
        declared = self.root / CARD_TEMPLATE_FILE
        if declared.is_file():
            plate = load_yaml_mapping(declared, what="job-card template").get("logo_plate")
            if isinstance(plate, str) and plate.strip():
                return plate.strip()
        return "#ffffff"

    def logo_for(self, shape: str | None = None) -> LogoSpec:
        """The logo as placed in ``shape`` (None: 9:16): the kit's ``logo:``, with the shape's override."""
        own = self.shapes.get(shape) if shape is not None else None
        return own.logo if own is not None and own.logo is not None else self.logo

    def safe_zone_for(self, shape: str | None = None) -> SafeZone:
        """The safe zone of a picture shape: the kit's own for 9:16 (None), the shape's elsewhere."""
        return self.safe_zone if shape is None else shape_zone(shape, self.safe_zone)

    def caption_style(self, style_name: str, shape: str | None = None) -> CaptionStyle:
        """The kit's :class:`CaptionStyle` for ``social`` or ``subtitle``, laid out for ``shape``.

        The block is kept inside the shape's safe zone: ``margin_bottom`` is at least the zone's
        bottom edge and ``max_width`` fits the zone, centred. In another shape than 9:16 the block
        keeps its distance above the zone's bottom edge (a kit's ``margin_bottom`` beyond its 9:16 zone);
        fonts, colours and line rules are the same in every shape.

        Raises:
            CaptionError: for a style the kit does not define.
        """
        try:
            style = self.captions[style_name]
        except KeyError:
            raise CaptionError(
                f"unknown caption style {style_name!r} (expected one of {', '.join(self.captions)})",
                path=self.path, field="captions",
            ) from None
        own = self.shapes.get(shape) if shape is not None else None
        if own is not None and style_name in own.captions:
            style = replace(style, **own.captions[style_name])
        zone = self.safe_zone_for(shape)
        box = zone.box
        centre = zone.frame_width // 2
        # the ink reaches past the text by the outline (or the box's padding): it stays inside too
        border = max(style.outline, style.font_size * 0.15) if style.box else style.outline
        widest = 2 * min(centre - box.x, box.right - centre) - 2 * math.ceil(border)
        bottom = max(style.margin_bottom, self.safe_zone.bottom)
        if zone is not self.safe_zone:
            bottom = zone.bottom + bottom - self.safe_zone.bottom
        return replace(style, margin_bottom=bottom, max_width=min(style.max_width, widest))

    def caption_area(self, style_name: str, shape: str | None = None) -> Box:
        """The tallest caption block of a style: ``max_lines`` lines at full size, full width.

        Overlays and the lower third should stay out of it.
        """
        style = self.caption_style(style_name, shape)
        zone = self.safe_zone_for(shape)
        height = style.max_lines * round(style.font_size * 1.12 + style.line_spacing) + 2 * round(style.outline)
        left = (zone.frame_width - style.max_width) // 2
        return Box(left, zone.frame_height - style.margin_bottom - height, style.max_width, height)

    def logo_overlay(self, start: Fraction = Fraction(0), end: Fraction | None = None,
                     shape: str | None = None) -> Overlay:
        """The channel logo as an :class:`Overlay` for the renderer (kind ``logo``, no partner), placed as
        the kit places it in ``shape`` (None: 9:16)."""
        spec = self.logo_for(shape)
        return Overlay(image=spec.file, anchor=spec.anchor, margin=spec.margin, x=spec.x, y=spec.y,
                       width=spec.width, opacity=spec.opacity, start=start, end=end, kind="logo",
                       label=f"{self.name} logo")


def resolve_kit_path(kit: str | Path) -> Path:
    """The ``kit.yaml`` for a kit folder, a kit file, or a shipped kit's name."""
    candidate = Path(kit)
    if candidate.is_dir():
        return candidate / KIT_FILE
    if candidate.is_file():
        return candidate
    if isinstance(kit, str) and "/" not in kit and "\\" not in kit and kit_dir(kit).is_dir():
        return kit_dir(kit) / KIT_FILE
    raise ManifestError("brand kit not found (give a kit folder, its kit.yaml, or a shipped kit's name)",
                        path=candidate)


def _file(root: Path, rel: str, kit_path: Path, field_name: str) -> Path:
    path = (root / rel).resolve()
    if not path.is_file():
        raise ManifestError(f"file not found: {rel}", path=kit_path, field=field_name)
    return path


def _bumper(model: Any, root: Path, kit_path: Path, field_name: str) -> Bumper:
    video = _file(root, model.video, kit_path, f"{field_name}.video") if model.video else None
    return Bumper(duration=Fraction(str(model.duration)), video=video, title=model.title, subtitle=model.subtitle)


def parse_kit(data: dict[str, Any], kit_path: Path) -> BrandKit:
    """Validate kit data (from ``kit_path``) into a :class:`BrandKit`.

    Raises:
        ManifestError: naming the file, the dotted field and what was expected.
    """
    from pydantic import ValidationError

    try:
        model = Kit.model_validate(data)
    except ValidationError as exc:
        raise pydantic_error(exc, kit_path) from None
    root = kit_path.parent.resolve()
    fonts = KitFonts(
        regular=_file(root, model.fonts.regular, kit_path, "fonts.regular"),
        bold=_file(root, model.fonts.bold, kit_path, "fonts.bold"),
        license=_file(root, model.fonts.license, kit_path, "fonts.license"),
    )
    captions = {}
    for style_name, caption in model.captions.items():
        spec = caption.model_dump()
        font_role = spec.pop("font")
        captions[style_name] = CaptionStyle(font_file=fonts.get(font_role), **spec)
    lt = model.lower_third.model_dump()
    lower_third = LowerThirdStyle(
        **{**lt, "name_font": fonts.get(lt["name_font"]), "role_font": fonts.get(lt["role_font"])}
    )
    zone_model = model.safe_zone
    edges = {k: v for k, v in zone_model.model_dump().items() if k != "profile" and v is not None}
    try:
        zone = SAFE_ZONES[zone_model.profile].overrides(**edges) if edges else SAFE_ZONES[zone_model.profile]
    except ValueError as exc:
        raise ManifestError(str(exc), path=kit_path, field="safe_zone") from None
    logo = model.logo
    base_logo = LogoSpec(file=checked_image(_file(root, logo.file, kit_path, "logo.file"), kit_path, "logo.file"),
                         anchor=logo.anchor, width=logo.width, opacity=logo.opacity, margin=logo.margin,
                         x=logo.x, y=logo.y)
    shapes = {}
    for shape, own in model.shapes.items():
        placed = None
        if own.logo is not None:
            changes = own.logo.model_dump(exclude_none=True)
            if "anchor" in changes:  # the anchor places it: the 9:16 logo's x/y do not carry over
                changes = {"x": None, "y": None, **changes}
            placed = replace(base_logo, **changes)
        shapes[shape] = ShapeStyle(placed, {name: c.model_dump(exclude_none=True) for name, c in own.captions.items()})
    return BrandKit(
        name=model.name,
        root=root,
        colors=KitColors(**model.colors.model_dump()),
        fonts=fonts,
        logo=base_logo,
        lower_third=lower_third,
        intro=_bumper(model.intro, root, kit_path, "intro"),
        outro=_bumper(model.outro, root, kit_path, "outro"),
        end_card=EndCardSpec(cta=model.end_card.cta, subline=model.end_card.subline,
                             duration=Fraction(str(model.end_card.duration))),
        safe_zone=zone,
        captions=captions,
        shapes=shapes,
    )


def load_kit(kit: str | Path = "neutral") -> BrandKit:
    """Load a brand kit by folder, ``kit.yaml`` path or shipped name (``neutral``).

    Raises:
        ManifestError: for a missing kit, bad YAML, a schema problem or a missing file.
    """
    kit_path = resolve_kit_path(kit)
    return parse_kit(load_yaml_mapping(kit_path, what="brand kit"), kit_path)

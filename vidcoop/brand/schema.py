"""The brand kit's YAML schema (pydantic), at module level like the timeline's.

:mod:`vidcoop.brand.kit` imports this module only when it loads a kit, so
importing :mod:`vidcoop.brand` does not load pydantic. Caption styles and
safe-zone profiles are the names of their registries
(:data:`vidcoop.captions.cues.BUILDERS`, :data:`vidcoop.brand.safezone.SAFE_ZONES`).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from vidcoop.brand.safezone import SAFE_ZONES
from vidcoop.captions.style import CaptionStyle
from vidcoop.color import is_color
from vidcoop.registry import registered
from vidcoop.shapes import DEFAULT_SHAPE, SHAPES
from vidcoop.timeline.model import ANCHORS, CAPTION_STYLES, DESIGN_HEIGHT, DESIGN_WIDTH

CaptionStyleName = Annotated[str, AfterValidator(registered(CAPTION_STYLES))]
SafeZoneName = Annotated[str, AfterValidator(registered(SAFE_ZONES))]
FontRole = Literal["regular", "bold"]


def _color(value: str) -> str:
    if not is_color(value):
        raise ValueError("a colour like #1a2b3c or #1a2b3cff")
    return value.strip()


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Colors(Strict):
    primary: str
    accent: str
    text: str
    background: str
    _check = field_validator("primary", "accent", "text", "background")(_color)


class Fonts(Strict):
    regular: str
    bold: str
    license: str


class Logo(Strict):
    file: str
    anchor: Annotated[str, AfterValidator(registered(ANCHORS))] = "top-left"
    width: int = Field(200, gt=0, le=DESIGN_WIDTH)
    opacity: float = Field(0.9, ge=0, le=1)
    margin: int = Field(64, ge=0)
    x: int | None = Field(None, ge=0, le=DESIGN_WIDTH)
    y: int | None = Field(None, ge=0, le=DESIGN_HEIGHT)


# A kit's caption keys default to CaptionStyle's own defaults: one statement of them.
_CAPTION = {f.name: f.default for f in dataclasses.fields(CaptionStyle) if f.default is not dataclasses.MISSING}


class Caption(Strict):
    font: FontRole = "bold"
    font_size: int = Field(_CAPTION["font_size"], gt=0)
    min_font_size: int = Field(_CAPTION["min_font_size"], gt=0)
    text_color: str = _CAPTION["text_color"]
    outline_color: str = _CAPTION["outline_color"]
    back_color: str = _CAPTION["back_color"]
    highlight_color: str = _CAPTION["highlight_color"]
    outline: float = Field(_CAPTION["outline"], ge=0)
    shadow: float = Field(_CAPTION["shadow"], ge=0)
    box: bool = _CAPTION["box"]
    max_width: int = Field(_CAPTION["max_width"], gt=0)
    margin_bottom: int = Field(_CAPTION["margin_bottom"], ge=0)
    max_lines: int = Field(_CAPTION["max_lines"], ge=1)
    line_spacing: int = Field(_CAPTION["line_spacing"], ge=0)
    uppercase: bool = _CAPTION["uppercase"]
    _check = field_validator("text_color", "outline_color", "back_color", "highlight_color")(_color)


class LowerThird(Strict):
    name_font: FontRole = "bold"
    role_font: FontRole = "regular"
    name_size: int = Field(56, gt=0)
    role_size: int = Field(40, gt=0)
    text_color: str = "#ffffff"
    role_color: str = "#ffffff"
    box_color: str = "#000000d0"
    accent_color: str = "#ffd400"
    padding: int = Field(28, ge=0)
    margin_bottom: int = Field(760, ge=0)
    max_width: int = Field(820, gt=0, le=DESIGN_WIDTH)
    _check = field_validator("text_color", "role_color", "box_color", "accent_color")(_color)


class BumperModel(Strict):
    video: str | None = None
    title: str | None = None
    subtitle: str | None = None
    duration: float = Field(2.5, gt=0, le=10)

    @model_validator(mode="after")
    def _one_kind(self) -> BumperModel:
        if (self.video is None) == (self.title is None):
            raise ValueError("exactly one of video: (a file) or title: (a generated card)")
        return self


class EndCard(Strict):
    cta: str = Field(min_length=1)
    subline: str | None = None
    duration: float = Field(3.0, gt=0, le=10)


class Zone(Strict):
    profile: SafeZoneName = "tiktok"
    top: int | None = Field(None, ge=0)
    bottom: int | None = Field(None, ge=0)
    left: int | None = Field(None, ge=0)
    right: int | None = Field(None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"profile": data} if isinstance(data, str) else data


class LogoInShape(Strict):
    """The logo's place in one other picture shape: only what differs from ``logo:``. Giving an ``anchor``
    drops ``logo:``'s ``x``/``y`` (the anchor places it); ``x``/``y`` are design pixels as everywhere."""

    anchor: Annotated[str, AfterValidator(registered(ANCHORS))] | None = None
    width: int | None = Field(None, gt=0, le=DESIGN_WIDTH)
    opacity: float | None = Field(None, ge=0, le=1)
    margin: int | None = Field(None, ge=0)
    x: int | None = Field(None, ge=0, le=DESIGN_WIDTH)
    y: int | None = Field(None, ge=0, le=DESIGN_HEIGHT)


class CaptionInShape(Strict):
    """A caption style's size and room in one other picture shape: only what differs (fonts, colours
    and line rules stay the kit's in every shape)."""

    font_size: int | None = Field(None, gt=0)
    min_font_size: int | None = Field(None, gt=0)
    max_width: int | None = Field(None, gt=0)
    margin_bottom: int | None = Field(None, ge=0)
    max_lines: int | None = Field(None, ge=1)
    line_spacing: int | None = Field(None, ge=0)


def _other_shape(name: str) -> str:
    registered(SHAPES)(name)
    if name == DEFAULT_SHAPE:
        raise ValueError(f"{DEFAULT_SHAPE} is the kit itself: its settings go in logo: and captions:")
    return name


class InShape(Strict):
    logo: LogoInShape | None = None
    captions: dict[CaptionStyleName, CaptionInShape] = Field(default_factory=dict)


class Kit(Strict):
    version: Literal[1]
    name: str = Field(min_length=1)
    colors: Colors
    fonts: Fonts
    logo: Logo
    captions: dict[CaptionStyleName, Caption]
    lower_third: LowerThird = Field(default_factory=lambda: LowerThird.model_validate({}))
    intro: BumperModel
    outro: BumperModel
    end_card: EndCard
    safe_zone: Zone = Field(default_factory=lambda: Zone.model_validate("tiktok"))
    shapes: dict[Annotated[str, AfterValidator(_other_shape)], InShape] = Field(default_factory=dict)

    @field_validator("captions")
    @classmethod
    def _every_style(cls, captions: dict[str, Caption]) -> dict[str, Caption]:
        missing = [name for name in CAPTION_STYLES if name not in captions]
        if missing:
            raise ValueError(f"a style for every caption style; missing: {', '.join(missing)}")
        return captions

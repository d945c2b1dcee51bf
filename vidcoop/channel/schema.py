"""The channel's YAML schema (pydantic), at module level like the timeline's.

It names the channel's ids, slot positions and caption styles; :mod:`vidcoop.channel.config` turns a
validated model into frozen values.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from vidcoop.brand.schema import CaptionStyleName, Strict
from vidcoop.registry import registered

SLOT_POSITIONS = ("after-intro", "between-items", "before-outro")
#: Texts where a format may name partners although it has no partner slots
#: (``allow_partner_names: [lower_thirds]``: a speaker's organisation under their name).
PARTNER_NAME_PLACES = ("lower_thirds",)
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


class Slot(Strict):
    position: Annotated[str, AfterValidator(registered(SLOT_POSITIONS))]
    max_bumper_length: float = Field(gt=0, le=30)
    count: int = Field(1, ge=1, le=10)


class Structure(Strict):
    intro: bool = True
    end_card: bool = False
    outro: bool = True


class FormatModel(Strict):
    title: str | None = None
    structure: Structure = Field(default_factory=Structure)
    caption_style: CaptionStyleName = "subtitle"
    max_length: float = Field(gt=0, le=600)
    partner_slots: list[Slot] = Field(default_factory=list)
    allow_partner_names: list[Annotated[str, AfterValidator(registered(PARTNER_NAME_PLACES))]] = Field(
        default_factory=list)

    @model_validator(mode="after")
    def _slots_fit_structure(self) -> FormatModel:
        if not self.structure.intro and any(s.position == "after-intro" for s in self.partner_slots):
            raise ValueError("structure.intro: true for a format with an after-intro partner slot")
        return self


class Bumper(Strict):
    video: str | None = None
    image: str | None = None
    # the still drawn for other picture shapes ({"1:1": file}); checked in vidcoop.channel.config
    images: dict[str, str] = Field(default_factory=dict)
    duration: float | None = Field(None, gt=0, le=30)

    @model_validator(mode="after")
    def _kind(self) -> Bumper:
        if self.video is not None and self.image is not None:
            raise ValueError("either video: or image: (or neither, to generate it from the logo), not both")
        if self.video is not None and self.duration is not None:
            raise ValueError("no duration: for a video bumper (its length comes from the file)")
        return self


class PartnerModel(Strict):
    name: str = Field(min_length=1)
    # short forms that count as the partner's name in texts, e.g. [Caritas] (vidcoop.channel.names)
    aliases: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)
    logo: str
    bumper: Bumper = Field(default_factory=lambda: Bumper.model_validate({}))


class Privacy(Strict):
    anonymize_unknown_faces: bool = False


class Review(Strict):
    approvals: int = Field(1, ge=1, le=10)


def _studio_url(value: str | None) -> str | None:
    """Where partners reach the studio: ``http(s)://host[:port][/path]``, no query or fragment."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or parts.username or parts.password:
        raise ValueError("expected an address like https://studio.example.org (http or https, a host, no ?query)")
    return value.strip().rstrip("/")


class ChannelModel(Strict):
    version: Literal[1]
    name: str = Field(min_length=1)
    brand_kit: str = "neutral"
    language: str = Field("de", min_length=2)
    glossary: str | None = None
    formats: dict[Id, FormatModel] = Field(min_length=1)
    partners: dict[Id, PartnerModel] = Field(default_factory=dict)
    privacy: Privacy = Field(default_factory=Privacy)
    review: Review = Field(default_factory=lambda: Review.model_validate({}))
    # where partners' personal links point (vidcoop partners invite); default: the local studio
    studio_url: Annotated[str | None, AfterValidator(_studio_url)] = Field(None, max_length=300)

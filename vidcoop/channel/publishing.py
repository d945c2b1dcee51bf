"""A channel's publishing settings: platforms, post templates per format, cadence, time zone.

In ``channel.yaml``::

    platforms: [tiktok, instagram, youtube]
    timezone: Europe/Berlin
    cadence: {erklaervideo: 2, stellenboerse: 1}     # posts per week
    link_page_url: wegezumjob.example/jobs           # the job link page, as published (optional)
    renditions:                                    # picture shapes per platform (optional; default:
      instagram: ["9:16", "4:5"]                   #   each platform's usual shape, 9:16)
      youtube: ["9:16", "16:9"]
    posts:
      default:                                     # for every format without its own entry
        title: "{title}"
        description: "{title}. Mehr auf {channel}."
        hashtags: [WegeZumJob]
      stellenboerse:
        title: "Stellenbörse {week}"
        description: "Neue Stellen diese Woche:\\n{jobs}\\n\\nAlle Stellen: {link}"
        hashtags: [Jobs, Ausbildung]
        platforms:                                 # optional per-platform texts
          youtube: {title: "Stellenbörse {week} - {channel}"}

Templates fill ``{name}`` placeholders (:data:`PLACEHOLDERS`) with the episode's values, taken
literally; ``{{`` and ``}}`` write a brace. An unknown placeholder is an error when the channel loads.

``link_page_url`` is where the job link page is published. Every post text then names it, in the
words true to its platform (:func:`link_text`), and the job board's closing card shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from vidcoop.channel.platforms import DEFAULT_PLATFORMS, PLATFORMS
from vidcoop.registry import registered
from vidcoop.shapes import SHAPES

PLACEHOLDERS: dict[str, str] = {
    "title": "the episode's title",
    "channel": "the channel's name",
    "format": "the format's title",
    "week": "the calendar week of the job board, or of the planned publishing date (KW 48/2026)",
    "date": "the planned publishing date (24.11.2026), empty when none is planned",
    "partners": "the partners shown, in the video's order (job board only; empty elsewhere)",
    "jobs": "one line per job: 'Nr. 3 - title - partner' (job board only; empty elsewhere)",
    "duration": "the video's length in seconds as people say it (30 for 29.96 s; see spoken_seconds)",
    "link": "where the link page is, as the platform needs it: the address and the profile link "
            "('wegezumjob.example/jobs (Link in Bio)'), or only 'Link in Bio' without link_page_url",
}

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders literally (values are never re-read as templates)."""

    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return values.get(m.group(1), "")

    return _FIELD.sub(sub, template)


def unknown_placeholders(template: str) -> list[str]:
    """Placeholders in ``template`` that :func:`fill` does not know."""
    return [m.group(1) for m in _FIELD.finditer(template) if m.group(1) is not None
            and m.group(1) not in PLACEHOLDERS]


def _checked(value: str) -> str:
    bad = unknown_placeholders(value)
    if bad:
        raise ValueError(f"unknown placeholder {{{bad[0]}}} (known: {', '.join(sorted(PLACEHOLDERS))})")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlatformTextModel(_Strict):
    title: str | None = Field(None, max_length=10_000)
    description: str | None = Field(None, max_length=20_000)

    _templates = field_validator("title", "description")(lambda v: v if v is None else _checked(v))


class PostTemplateModel(_Strict):
    title: str = Field("{title}", max_length=10_000)
    description: str = Field("{title}", max_length=20_000)
    hashtags: list[str] = Field(default_factory=list, max_length=100)
    platforms: dict[str, PlatformTextModel] = Field(default_factory=dict)

    _templates = field_validator("title", "description")(lambda v: _checked(v))

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not re.fullmatch(r"#?[\w]{1,100}", tag):
                raise ValueError(f"a hashtag is letters, digits or '_' (got {tag!r})")
        return [t.lstrip("#") for t in tags]

    @field_validator("platforms")
    @classmethod
    def _known(cls, value: dict[str, PlatformTextModel]) -> dict[str, PlatformTextModel]:
        for name in value:
            if name not in PLATFORMS:
                raise ValueError(f"unknown platform {name!r} (known: {', '.join(sorted(PLATFORMS))})")
        return value


_LINK = re.compile(r"^(https?://)?[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(/\S*)?$", re.IGNORECASE)


class PublishModel(_Strict):
    """The publishing keys of channel.yaml (validated with the rest of the channel)."""

    platforms: list[str] = Field(default_factory=lambda: list(DEFAULT_PLATFORMS), min_length=1)
    timezone: str = "Europe/Berlin"
    cadence: dict[str, int] = Field(default_factory=dict)
    posts: dict[str, PostTemplateModel] = Field(default_factory=dict)
    link_page_url: str | None = Field(None, max_length=300)
    renditions: dict[str, list[Annotated[str, AfterValidator(registered(SHAPES))]]] = Field(default_factory=dict)

    @field_validator("renditions")
    @classmethod
    def _renditions(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for platform, shapes in value.items():
            if platform not in PLATFORMS:
                raise ValueError(f"unknown platform {platform!r} (known: {', '.join(sorted(PLATFORMS))})")
            if not shapes:
                raise ValueError(f"{platform}: name at least one picture shape")
            takes = PLATFORMS[platform].shapes
            for shape in shapes:
                if shape not in takes:
                    raise ValueError(f"{platform}: {PLATFORMS[platform].title} takes no {shape} video "
                                     f"(it takes: {', '.join(takes)})")
            if len(set(shapes)) != len(shapes):
                raise ValueError(f"{platform}: a picture shape is listed twice")
        return value

    @model_validator(mode="after")
    def _renditions_of_platforms(self) -> PublishModel:
        extra = [p for p in self.renditions if p not in self.platforms]
        if extra:
            raise ValueError(f"renditions: for {', '.join(extra)}, which is not in platforms: "
                             f"{', '.join(self.platforms)}")
        return self

    @field_validator("link_page_url")
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        if value is not None and not _LINK.match(value.strip()):
            raise ValueError(f"not a web address: {value!r} (e.g. https://wegezumjob.example/jobs)")
        return value.strip() if value is not None else None

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in PLATFORMS:
                raise ValueError(f"unknown platform {name!r} (known: {', '.join(sorted(PLATFORMS))})")
        if len(set(value)) != len(value):
            raise ValueError("a platform is listed twice")
        return value

    @field_validator("cadence")
    @classmethod
    def _cadence(cls, value: dict[str, int]) -> dict[str, int]:
        for name, count in value.items():
            if not 0 <= count <= 50:
                raise ValueError(f"cadence.{name}: 0 to 50 posts a week")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except Exception:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Berlin)") from None
        return value


@dataclass(frozen=True)
class PostTemplate:
    """Texts for one format's posts; ``platforms`` overrides title/description per platform."""

    title: str = "{title}"
    description: str = "{title}"
    hashtags: tuple[str, ...] = ()
    platforms: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)

    def text(self, platform: str, key: str) -> str:
        """The ``title`` or ``description`` template for ``platform``."""
        override = self.platforms.get(platform, {}).get(key)
        return override if override is not None else str(getattr(self, key))


@dataclass(frozen=True)
class PublishSettings:
    """Where and how often a channel posts, and the texts it posts with."""

    platforms: tuple[str, ...] = DEFAULT_PLATFORMS
    timezone: str = "Europe/Berlin"
    cadence: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    posts: dict[str, PostTemplate] = field(default_factory=dict, hash=False, compare=False)
    link_page_url: str | None = None
    renditions: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)

    def shapes_for(self, platform: str) -> tuple[str, ...]:
        """The picture shapes posted to ``platform``: its ``renditions:``, else its usual shape."""
        return self.renditions.get(platform) or PLATFORMS[platform].shapes[:1]

    @property
    def shapes(self) -> tuple[str, ...]:
        """Every shape the channel's platforms ask for, each once, in registry order."""
        wanted = {s for p in self.platforms for s in self.shapes_for(p)}
        return tuple(s for s in SHAPES if s in wanted)

    @property
    def link_display(self) -> str | None:
        """The link page's address as people read it: no ``https://``, no trailing slash."""
        if self.link_page_url is None:
            return None
        return re.sub(r"^https?://", "", self.link_page_url, flags=re.IGNORECASE).rstrip("/")

    def link_text(self, platform: str) -> str:
        """Where the link page is, in words true to ``platform`` (see :data:`PLACEHOLDERS` ``link``).

        Where a web address in the text can be tapped, the address itself (with ``https://``);
        elsewhere the address to read and the platform's profile link ("Link in Bio" on TikTok and
        Instagram, the channel profile on YouTube Shorts).
        """
        where = PLATFORMS[platform]
        url, shown = self.link_page_url, self.link_display
        if url is None or shown is None:
            return where.profile_link
        if where.links_clickable:
            return url if re.match(r"^https?://", url, re.IGNORECASE) else f"https://{shown}"
        return f"{shown} ({where.profile_link})"

    def template(self, format_name: str | None) -> PostTemplate:
        """The format's template, else ``default``, else the built-in one (title as text)."""
        if format_name and format_name in self.posts:
            return self.posts[format_name]
        return self.posts.get("default", PostTemplate())


def publish_settings(model: PublishModel) -> PublishSettings:
    """Turn the validated model into the frozen value the channel carries."""
    posts = {
        name: PostTemplate(
            title=pm.title, description=pm.description, hashtags=tuple(pm.hashtags),
            platforms={p: {k: v for k, v in t.model_dump().items() if v is not None} for p, t in pm.platforms.items()},
        )
        for name, pm in model.posts.items()
    }
    return PublishSettings(tuple(model.platforms), model.timezone, dict(model.cadence), posts, model.link_page_url,
                           {p: tuple(s) for p, s in model.renditions.items()})


def split_publish_keys(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split channel data into (the rest, the publishing keys), so each part has its own schema."""
    keys = set(PublishModel.model_fields)
    return ({k: v for k, v in data.items() if k not in keys}, {k: v for k, v in data.items() if k in keys})


def spoken_seconds(seconds: float) -> int:
    """A video's length as people say it: whole seconds, rounded (a 29.96 s video is "30 Sekunden")."""
    return int(Decimal(str(seconds)).quantize(Decimal(1), rounding=ROUND_HALF_UP))

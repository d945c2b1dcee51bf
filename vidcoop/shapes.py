"""Picture shapes: the frames one edit is rendered into (``9:16``, ``4:5``, ``1:1``, ``16:9``).

One registry (:data:`SHAPES`); adding a shape is one :class:`Shape` and one line. The platform registry
(:mod:`vidcoop.channel.platforms`) names the shapes each platform takes; the manifest, the kit, the
channel schema and the CLI read the names from here. Like the post limits, each size and safe zone
names its source, because platforms change them and a reviewer must be able to check them again
(read 2026-12).

Sizes: every shape's short side is 1080 px, so a design pixel is an output pixel at the final profile
and captions, logos and cards keep their size in every shape (a 16:9 frame is 1920 design pixels wide).

A leaf: the timeline's manifest validates shape names against it, below brand and engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

#: The shape every render had before renditions; its safe zone is the brand kit's own (per platform).
DEFAULT_SHAPE = "9:16"
#: Every shape's short side, in design pixels.
SHORT_SIDE = 1080


@dataclass(frozen=True)
class Shape:
    """One picture shape and the part of it that stays clear of platform UI.

    Attributes:
        name: Registry id as people write it (``4:5``).
        width, height: The frame in design pixels (the final profile's output pixels).
        top, bottom, left, right: Margins that platform UI (or a player's controls, or a grid's crop)
            may cover: captions, logos, lower thirds and card text stay inside.
        sources: Where size and margins come from.
    """

    name: str
    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.left + self.right >= self.width or self.top + self.bottom >= self.height:
            raise ValueError(f"shape {self.name!r}: its safe zone leaves no visible area")

    @property
    def slug(self) -> str:
        """The name as it may stand in a file name (``4x5``)."""
        return self.name.replace(":", "x")

    @property
    def aspect(self) -> Fraction:
        return Fraction(self.width, self.height)

    def size(self, short_side: int) -> tuple[int, int]:
        """The frame for a profile whose short side is ``short_side`` pixels (even, for 4:2:0)."""

        def even(v: int) -> int:
            return max(2, round(Fraction(v * short_side, SHORT_SIDE) / 2) * 2)

        return even(self.width), even(self.height)


SHAPES: dict[str, Shape] = {
    "9:16": Shape(
        "9:16", 1080, 1920, top=160, bottom=480, left=60, right=120,
        sources=("TikTok, Instagram Reels, YouTube Shorts: 1080x1920 vertical video (each platform's upload help)",
                 "margins: the brand kit's safe-zone profile (vidcoop.brand.safezone) replaces these"),
    ),
    "4:5": Shape(
        "4:5", 1080, 1350, top=60, bottom=60, left=60, right=60,
        sources=("Instagram Help Center 'Sizes for feed posts': portrait 4:5, 1080x1350",
                 "Instagram @creators (Jan 2025): the profile grid shows posts at 3:4, cutting about 34 px "
                 "off each side of a 4:5 post; 60 px kept clear on every edge",
                 "Facebook and LinkedIn feeds: 4:5 video shown whole, no controls drawn over it at rest"),
    ),
    "1:1": Shape(
        "1:1", 1080, 1080, top=54, bottom=96, left=54, right=54,
        sources=("LinkedIn Help 'Video specifications': 1:1 up to 1080x1080; Facebook feed: 1:1 or 4:5",
                 "EBU R 95: graphics-safe area 5 % of the frame inside each edge (54 px)",
                 "the bottom keeps 96 px for the feed player's progress bar and mute button while it plays"),
    ),
    "16:9": Shape(
        "16:9", 1920, 1080, top=54, bottom=108, left=96, right=96,
        sources=("YouTube Help 'Recommended upload encoding settings': 16:9, 1920x1080 for 1080p; PeerTube and "
                 "Mastodon play 16:9 as uploaded",
                 "EBU R 95: graphics-safe area 5 % of width and height inside each edge",
                 "the bottom keeps 10 % for the YouTube player's control bar over a paused or hovered video"),
    ),
}


def get_shape(name: str) -> Shape:
    """A shape by name.

    Raises:
        KeyError: naming the known shapes (callers turn it into an error naming their file and field).
    """
    try:
        return SHAPES[name]
    except KeyError:
        raise KeyError(f"unknown picture shape {name!r} (known: {', '.join(SHAPES)})") from None


def parse_shapes(values: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Shape names from ``"9:16,1:1"`` or a list of such texts: known, each once, in the order given.

    Raises:
        ValueError: an unknown shape (the message lists the known ones).
    """
    texts = [values] if isinstance(values, str) else list(values)
    names: list[str] = []
    for text in texts:
        for part in text.split(","):
            name = part.strip()
            if not name:
                continue
            if name not in SHAPES:
                raise ValueError(f"unknown picture shape {name!r} (known: {', '.join(SHAPES)})")
            if name not in names:
                names.append(name)
    return tuple(names)


def shape_output(base: Path, shape: str, suffix: str = "") -> Path:
    """Where a shape's output goes beside the 9:16 one: ``ep.mp4`` -> ``ep.4x5.mp4`` (9:16 keeps ``base``).

    A profile ``suffix`` the name ends with stays last (``ep.preview.mp4`` -> ``ep.4x5.preview.mp4``).
    """
    if shape == DEFAULT_SHAPE:
        return base
    slug = get_shape(shape).slug
    tail = f"{suffix}{base.suffix}"
    stem = base.name[: -len(tail)] if suffix and base.name.endswith(tail) else base.stem
    return base.with_name(f"{stem}.{slug}{tail if suffix and base.name.endswith(tail) else base.suffix}")

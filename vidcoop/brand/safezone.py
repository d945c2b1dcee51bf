"""Safe zones: the part of a 1080x1920 frame that the platform's UI leaves visible.

Each platform draws its own buttons and text over a vertical video: TikTok's
action rail (profile, like, comment, share) runs down the right edge and the
account name, description and sound line cover the bottom; its For You /
Following tabs sit at the top. Reels and Shorts do the same with other sizes.
Captions, logos, lower thirds and cards belong inside the profile's box.

Where the numbers come from (published creator/advertiser guidance, read
2026; platforms change their UI, so a kit may override any edge):

* TikTok (the default): the right-side action column and the bottom 20-25 %
  (description and sound) are covered, and the tabs cover the top centre
  (webbannerexperts.com "TikTok ... The Safe Zone Map"; jnrt.online "TikTok
  cover ... the safe zone"; houseofmarketers.com "Stay Within Safe Zones":
  "avoid right-side buttons and lower 20 % where captions appear"). We keep
  160 px top, 480 px (25 %) bottom, 60 px left and 120 px right clear.
* Instagram Reels: Meta's guidance as summarised by houseofmarketers.com
  ("keep clear of top 14 %, bottom 35 %, sides 6 %"): 269 px top, 672 px
  bottom, 65 px each side.
* YouTube Shorts: the bottom ~25 % (about 480 px) holds title, channel name
  and the subscribe button, and like/dislike/comment/share form a column at
  the bottom right (youraithumbnailgenerator.com "YouTube Shorts Safe Zones:
  The Complete Guide"; webbannerexperts.com "YouTube Shorts Dimensions").
  We keep 120 px top, 480 px bottom, 48 px left and 144 px right clear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from vidcoop.brand.geometry import Box
from vidcoop.shapes import DEFAULT_SHAPE, get_shape
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH


@dataclass(frozen=True)
class SafeZone:
    """A safe-zone profile: how many design pixels each edge keeps clear.

    Attributes:
        name: Profile name (``tiktok``, ``instagram-reels``, ``youtube-shorts``).
        top, bottom, left, right: Clear margins in design pixels.
        source: Where the numbers come from, for people reading a report.
    """

    name: str
    top: int
    bottom: int
    left: int
    right: int
    source: str = ""
    frame_width: int = DESIGN_WIDTH
    frame_height: int = DESIGN_HEIGHT

    def __post_init__(self) -> None:
        for side in ("top", "bottom", "left", "right"):
            if getattr(self, side) < 0:
                raise ValueError(f"safe zone {self.name!r}: {side} must not be negative")
        if self.left + self.right >= self.frame_width or self.top + self.bottom >= self.frame_height:
            raise ValueError(f"safe zone {self.name!r} leaves no visible area")

    @property
    def box(self) -> Box:
        """The visible area as a box in design pixels."""
        return Box(
            self.left,
            self.top,
            self.frame_width - self.left - self.right,
            self.frame_height - self.top - self.bottom,
        )

    def contains(self, box: Box) -> bool:
        """True when ``box`` lies wholly inside the visible area."""
        return self.box.contains(box)

    def overrides(self, **edges: int) -> SafeZone:
        """A copy with some edges changed (a kit's own numbers)."""
        sides = {side: edges.get(side, getattr(self, side)) for side in ("top", "bottom", "left", "right")}
        unknown = set(edges) - set(sides)
        if unknown:
            raise ValueError(f"unknown safe-zone edge(s): {', '.join(sorted(unknown))}")
        return replace(self, top=sides["top"], bottom=sides["bottom"], left=sides["left"], right=sides["right"])

    def describe(self) -> str:
        b = self.box
        return f"{self.name} safe zone (x {b.x}..{b.right}, y {b.y}..{b.bottom})"


SAFE_ZONES: dict[str, SafeZone] = {
    "tiktok": SafeZone("tiktok", top=160, bottom=480, left=60, right=120,
                       source="TikTok UI: tabs top, action rail right, description bottom 25 %"),
    "instagram-reels": SafeZone("instagram-reels", top=269, bottom=672, left=65, right=65,
                                source="Meta Reels guidance: top 14 %, bottom 35 %, sides 6 %"),
    "youtube-shorts": SafeZone("youtube-shorts", top=120, bottom=480, left=48, right=144,
                               source="YouTube Shorts UI: title/subscribe bottom 25 %, button column right"),
}

DEFAULT_SAFE_ZONE = "tiktok"


@dataclass(frozen=True)
class SafeZoneIssue:
    """An overlay box that pokes out of the safe zone."""

    name: str
    box: Box
    message: str


def _overhang(zone: Box, box: Box) -> list[str]:
    sides = []
    if box.y < zone.y:
        sides.append(f"top by {zone.y - box.y} px")
    if box.bottom > zone.bottom:
        sides.append(f"bottom by {box.bottom - zone.bottom} px")
    if box.x < zone.x:
        sides.append(f"left by {zone.x - box.x} px")
    if box.right > zone.right:
        sides.append(f"right by {box.right - zone.right} px")
    return sides


def check_boxes(boxes: Mapping[str, Box] | Iterable[tuple[str, Box]], zone: SafeZone) -> list[SafeZoneIssue]:
    """Check named overlay boxes against ``zone``; one issue per box that leaves it.

    Args:
        boxes: ``name -> Box`` (or pairs), e.g. ``{"logo": ..., "captions": ...}``.
        zone: The profile to check against.
    """
    items = boxes.items() if isinstance(boxes, Mapping) else boxes
    issues = []
    for name, box in items:
        sides = _overhang(zone.box, box)
        if sides:
            message = (
                f"{name} at x={box.x} y={box.y} ({box.width}x{box.height}) leaves the "
                f"{zone.describe()}: {', '.join(sides)}"
            )
            issues.append(SafeZoneIssue(name, box, message))
    return issues


def shape_zone(shape: str, vertical: SafeZone) -> SafeZone:
    """The safe zone of a picture shape: ``vertical`` (the kit's own, per platform) for 9:16, else the
    shape's margins from :data:`vidcoop.shapes.SHAPES`, on that shape's frame.

    Raises:
        KeyError: an unknown shape.
    """
    if shape == DEFAULT_SHAPE:
        return vertical
    sh = get_shape(shape)
    return SafeZone(sh.name, top=sh.top, bottom=sh.bottom, left=sh.left, right=sh.right,
                    source="; ".join(sh.sources), frame_width=sh.width, frame_height=sh.height)


def get_safe_zone(name: str) -> SafeZone:
    """A shipped profile by name.

    Raises:
        KeyError: for an unknown name (the message lists the known ones).
    """
    try:
        return SAFE_ZONES[name]
    except KeyError:
        raise KeyError(f"unknown safe-zone profile {name!r} (known: {', '.join(sorted(SAFE_ZONES))})") from None

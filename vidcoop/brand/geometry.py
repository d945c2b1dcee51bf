"""Overlay geometry in design pixels (1080x1920).

One pure function decides where an overlay lands, so the policy check, the
brand preview and the renderer agree on the same box.
"""

from __future__ import annotations

from dataclasses import dataclass

from vidcoop.shapes import DEFAULT_SHAPE, get_shape
from vidcoop.timeline.model import ANCHORS, DESIGN_HEIGHT, DESIGN_WIDTH


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in design pixels; ``x, y`` is the top-left corner."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def contains(self, other: Box) -> bool:
        """True when ``other`` lies wholly inside this box (edges may touch)."""
        return (
            other.x >= self.x
            and other.y >= self.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def intersects(self, other: Box) -> bool:
        """True when the two boxes share area (touching edges do not count)."""
        return other.x < self.right and self.x < other.right and other.y < self.bottom and self.y < other.bottom

    def as_dict(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


# anchor -> (horizontal, vertical) alignment: 0 = start edge, 1 = centre, 2 = end edge
_ANCHOR_ALIGN: dict[str, tuple[int, int]] = {
    "top-left": (0, 0),
    "top": (1, 0),
    "top-right": (2, 0),
    "left": (0, 1),
    "center": (1, 1),
    "right": (2, 1),
    "bottom-left": (0, 2),
    "bottom": (1, 2),
    "bottom-right": (2, 2),
}
assert set(_ANCHOR_ALIGN) == set(ANCHORS)


def _place(align: int, size: int, frame: int, margin: int) -> int:
    if align == 0:
        return margin
    if align == 1:
        return (frame - size) // 2
    return frame - margin - size


def overlay_size(width: int | None, image_size: tuple[int, int]) -> tuple[int, int]:
    """The drawn size: ``width`` wide with the image's aspect, or the native size.

    Heights round to the nearest whole pixel, as the renderer's scale filter does.
    """
    img_w, img_h = image_size
    if img_w <= 0 or img_h <= 0:
        raise ValueError(f"image size must be positive, got {img_w}x{img_h}")
    if width is None:
        return img_w, img_h
    return width, max(1, round(width * img_h / img_w))


def overlay_box(
    image_size: tuple[int, int],
    *,
    anchor: str = "top-right",
    margin: int = 48,
    width: int | None = None,
    x: int | None = None,
    y: int | None = None,
    frame: tuple[int, int] = (DESIGN_WIDTH, DESIGN_HEIGHT),
) -> Box:
    """Where an overlay of ``image_size`` (pixels of its file) is drawn, in design pixels.

    Explicit ``x``/``y`` win over the anchor on their own axis; otherwise the
    anchor places the image ``margin`` pixels off the frame edges it touches
    (centred on an axis the anchor does not pin).
    """
    if anchor not in _ANCHOR_ALIGN:
        raise ValueError(f"unknown anchor {anchor!r} (expected one of {', '.join(ANCHORS)})")
    w, h = overlay_size(width, image_size)
    ax, ay = _ANCHOR_ALIGN[anchor]
    left = x if x is not None else _place(ax, w, frame[0], margin)
    top = y if y is not None else _place(ay, h, frame[1], margin)
    return Box(left, top, w, h)


def fit_into(box: Box, zone: Box) -> Box:
    """``box`` moved (and, if it is larger, shrunk with its aspect) to lie inside ``zone``."""
    scale = min(1.0, zone.width / box.width, zone.height / box.height)
    w, h = max(1, int(box.width * scale)), max(1, int(box.height * scale))
    x = min(max(box.x, zone.x), zone.right - w)
    y = min(max(box.y, zone.y), zone.bottom - h)
    return Box(x, y, w, h)


def shaped_box(
    image_size: tuple[int, int],
    *,
    anchor: str = "top-right",
    margin: int = 48,
    width: int | None = None,
    x: int | None = None,
    y: int | None = None,
    shape: str = DEFAULT_SHAPE,
) -> Box:
    """:func:`overlay_box` in design pixels of ``shape``'s frame.

    Positions are relative to the frame: an anchor and its margin place the image on the shape's own
    edges; an explicit ``x`` keeps its share of the width, and an explicit ``y`` (written for the
    1080x1920 design frame) keeps its distance from the nearer safe-zone edge (a lower third stays as
    far above the zone's bottom as in 9:16, so it keeps clear of the captions, which do the same). In a
    shape other than 9:16 the box is then moved (and shrunk where it is larger) into that shape's safe
    zone (:data:`vidcoop.shapes.SHAPES`).
    """
    if shape == DEFAULT_SHAPE:
        return overlay_box(image_size, anchor=anchor, margin=margin, width=width, x=x, y=y)
    sh, tall = get_shape(shape), get_shape(DEFAULT_SHAPE)
    sx = None if x is None else round(x * sh.width / DESIGN_WIDTH)
    sy = None
    if y is not None:
        h = overlay_size(width, image_size)[1]
        above_bottom = (DESIGN_HEIGHT - tall.bottom) - (y + h)
        below_top = y - tall.top
        sy = sh.height - sh.bottom - above_bottom - h if above_bottom < below_top else sh.top + below_top
    box = overlay_box(image_size, anchor=anchor, margin=margin, width=width, x=sx, y=sy, frame=(sh.width, sh.height))
    return fit_into(box, Box(sh.left, sh.top, sh.width - sh.left - sh.right, sh.height - sh.top - sh.bottom))

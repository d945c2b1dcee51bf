"""Are partner logos legible where they are placed? WCAG's non-text contrast, measured on the pixels.

A partner logo is a graphic, so WCAG 2.1's non-text contrast applies: at least 3:1
(success criterion 1.4.11) against what is behind it. Logos come as PNGs with
transparency, so what is behind them is the place they land on:

* ``bumper``: the generated partner bumper, the kit's neutral frame (background and band);
* ``card``: the job card's logo plate (:data:`CARD_PLATE`, the job-card template's default);
* ``link page``: the job link page's logo plate (:data:`LINK_PAGE_PLATE`, in its stylesheet).

How it is measured (:func:`logo_contrast`): every visible pixel of the logo (alpha at least
50 %) is composited over the pixel behind it, and the WCAG contrast ratio between the two
is taken; the logo's contrast is the median over its visible pixels, so it is the contrast
of the logo's dominant colour, not of a stray edge pixel or a thin outline. A logo that
brings its own background (a plate drawn in, or a picture without transparency:
:func:`own_plate`) is read against that background instead, wherever it is placed.

Below 3:1 on the bumper, the kit's plate (:func:`plate_color`: white, or the kit's own
colour when it is light enough) goes behind the logo with :data:`PLATE_PADDING` around its
ink; cards and the link page have a plate already. A logo that stays below 3:1 even on its
plate (a white logo on a white plate) is a problem the kit or partner must solve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vidcoop.color import parse_color, relative_luminance

#: WCAG 2.1 SC 1.4.11 (non-text contrast): graphics need 3:1 against adjacent colours.
NON_TEXT_CONTRAST = 3.0
#: A pixel of the logo counts when its alpha is at least this (of 255).
VISIBLE_ALPHA = 128
#: Room around the logo's ink on a plate, and the plate's corner radius (design pixels).
PLATE_PADDING = 36
PLATE_RADIUS = 28
#: The plate behind logos on job cards (the job-card template's ``logo_plate`` default) and the link page.
CARD_PLATE = "#ffffff"
LINK_PAGE_PLATE = "#ffffff"
#: A logo's own plate: its outline is one colour (this share within this tolerance per channel, 0..255)
#: and that colour covers at least PLATE_AREA of the logo.
PLATE_SHARE = 0.9
PLATE_TOLERANCE = 24
PLATE_AREA = 0.4
#: ... and the logo fills this much of its bounding box (a card or badge; a circle fills 79 %), and
#: at least MIN_CONTENT of it is something else (what is on the plate).
PLATE_SOLID = 0.75
MIN_CONTENT = 0.02
#: A kit colour at least this light (WCAG relative luminance) may be the plate instead of white.
LIGHT_ENOUGH = 0.7


@dataclass(frozen=True)
class LogoLegibility:
    """A logo's contrast at one place.

    Attributes:
        place: ``bumper``, ``card`` or ``link page``.
        ratio: The measured contrast against what is behind it there (1..21).
        plate: The plate colour put behind it because ``ratio`` is below 3:1 (None: no plate
            added; cards and the link page have their plate already, so it is in ``ratio``).
        plated_ratio: The contrast on that plate.
    """

    place: str
    ratio: float
    plate: str | None = None
    plated_ratio: float | None = None

    @property
    def ok(self) -> bool:
        """3:1 or more as placed, with the plate where one goes."""
        final = self.plated_ratio if self.plate is not None and self.plated_ratio is not None else self.ratio
        return final >= NON_TEXT_CONTRAST

    def describe(self) -> str:
        text = f"on the {self.place}: contrast {self.ratio:.1f}:1"
        if self.plate is not None:
            text += (f" is below {NON_TEXT_CONTRAST:g}:1 (WCAG non-text), so a {self.plate} plate goes behind it "
                     f"({self.plated_ratio or 0:.1f}:1)")
        elif not self.ok:
            text += f" is below {NON_TEXT_CONTRAST:g}:1 (WCAG non-text)"
        return text


def _luminance(rgb: Any) -> Any:
    """WCAG relative luminance of an ``(..., 3)`` array of 0..255 values."""
    import numpy as np

    c = np.asarray(rgb, dtype=np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def own_plate(logo: Any) -> tuple[int, int, int] | None:
    """The background a logo brings itself (an opaque plate drawn in, or no transparency), else None.

    Such a logo is a solid shape (its visible pixels fill :data:`PLATE_SOLID` of their bounding
    box), its visible outline (visible pixels next to transparent ones or the image edge) is
    nearly one colour (:data:`PLATE_SHARE` of it within :data:`PLATE_TOLERANCE`), and that colour
    covers at least :data:`PLATE_AREA` of the visible pixels, with something else on it.
    """
    import numpy as np

    rgba = np.asarray(logo.convert("RGBA"), dtype=np.int16)
    visible = rgba[..., 3] >= VISIBLE_ALPHA
    if not visible.any():
        return None
    rows, cols = np.nonzero(visible)
    solid = visible.sum() / ((rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1))
    if solid < PLATE_SOLID:
        return None  # a plate is a solid shape (a card, a badge), not a mark with holes and gaps
    padded = np.pad(visible, 1, constant_values=False)
    inner = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    ring = rgba[visible & ~inner][:, :3]
    colour = np.median(ring, axis=0)
    if (np.abs(ring - colour).max(axis=1) <= PLATE_TOLERANCE).mean() < PLATE_SHARE:
        return None
    share = (np.abs(rgba[visible][:, :3] - colour).max(axis=1) <= PLATE_TOLERANCE).mean()
    if share < PLATE_AREA or share > 1 - MIN_CONTENT:
        return None  # too little of it to be a background, or nothing on it: a one-colour logo
    r, g, b = (int(v) for v in colour)
    return r, g, b


def logo_contrast(logo: Any, background: Any) -> float | None:
    """The median WCAG contrast of the logo's visible pixels against what is behind each of them.

    A logo that brings its own plate (:func:`own_plate`) is read against that plate: its
    pixels that are not the plate, against the plate's colour, wherever it is placed.

    Args:
        logo: The logo as placed (a Pillow image; its alpha says what is visible).
        background: What is behind it: a Pillow image of the same size, or a colour (``#rrggbb``).

    Returns:
        The ratio (1..21), or None for a logo without a visible pixel.
    """
    import numpy as np
    from PIL import Image

    rgba = np.asarray(logo.convert("RGBA"), dtype=np.float64)
    visible = rgba[..., 3] >= VISIBLE_ALPHA
    if not visible.any():
        return None
    plate = own_plate(logo)
    if plate is not None:
        content = visible & (np.abs(rgba[..., :3] - np.array(plate)).max(axis=-1) > PLATE_TOLERANCE)
        if not content.any():
            return 1.0  # a plate with nothing on it
        fg, bg = _luminance(rgba[content][:, :3]), _luminance(np.array(plate, dtype=np.float64))
    else:
        if isinstance(background, str):
            behind = np.broadcast_to(np.array(parse_color(background)[:3], dtype=np.float64), (*rgba.shape[:2], 3))
        else:
            under = background.convert("RGB")
            if under.size != logo.size:
                under = under.resize(logo.size, Image.Resampling.NEAREST)
            behind = np.asarray(under, dtype=np.float64)
        alpha = rgba[..., 3:4] / 255.0
        shown = rgba[..., :3] * alpha + behind * (1 - alpha)
        fg, bg = _luminance(shown[visible]), _luminance(behind[visible])
    ratios = (np.maximum(fg, bg) + 0.05) / (np.minimum(fg, bg) + 0.05)
    return float(np.median(ratios))


def plate_color(colors: Iterable[str]) -> str:
    """The plate behind a logo: the lightest of the kit's colours when it is light enough, else white."""
    light = [c for c in colors if relative_luminance(c) >= LIGHT_ENOUGH]
    if not light:
        return "#ffffff"
    best = max(light, key=lambda c: relative_luminance(c))
    r, g, b, _ = parse_color(best)
    return f"#{r:02x}{g:02x}{b:02x}"


def kit_plate(kit: Any) -> str:
    """:func:`plate_color` for a brand kit's colours."""
    c = kit.colors
    return plate_color((c.text, c.background, c.primary, c.accent))


def ink(logo: Any) -> Any:
    """The logo cropped to its visible pixels (transparent margins would only make it smaller)."""
    box = logo.getchannel("A").point(lambda a: 255 if a >= 16 else 0).getbbox()
    return logo.crop(box) if box else logo


def on_plate(logo: Any, color: str, padding: int = PLATE_PADDING, radius: int = PLATE_RADIUS) -> Any:
    """The logo (RGBA) centred on a rounded plate of ``color`` with ``padding`` around it."""
    from PIL import Image, ImageDraw

    plate = Image.new("RGBA", (logo.width + 2 * padding, logo.height + 2 * padding), (0, 0, 0, 0))
    ImageDraw.Draw(plate).rounded_rectangle((0, 0, plate.width - 1, plate.height - 1), radius=radius,
                                            fill=parse_color(color))
    plate.alpha_composite(logo.convert("RGBA"), (padding, padding))
    return plate


def placed_legibility(place: str, logo: Any, behind: Any, plate: str | None = None) -> LogoLegibility:
    """The logo's legibility at ``place``; with ``plate``, one goes behind it when the contrast is too low."""
    ratio = logo_contrast(logo, behind)
    ratio = 21.0 if ratio is None else ratio  # nothing visible: nothing to read (brand check flags empty logos)
    if plate is None or ratio >= NON_TEXT_CONTRAST:
        return LogoLegibility(place, ratio)
    return LogoLegibility(place, ratio, plate, logo_contrast(logo, plate) or 21.0)

"""Each partner logo's contrast on every background vidcoop places it on (bumper, card, link page).

Used by ``vidcoop brand check --channel`` and by the channel policy (``vidcoop check``);
the method is in :mod:`vidcoop.brand.legibility`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.brand.cards import partner_bumper_image
from vidcoop.brand.legibility import CARD_PLATE, LINK_PAGE_PLATE, LogoLegibility, placed_legibility


@dataclass(frozen=True)
class PartnerLogo:
    """A partner's logo as a kit check needs it (the channel knows its partners; the kit does not).

    Attributes:
        id: The partner's id (``partners.ID.logo`` in messages).
        name: Its name, as the generated bumper shows it under the logo.
        path: The logo file.
        generated_bumper: vidcoop draws the partner's bumper from the logo (no own image or video).
    """

    id: str
    name: str
    path: Path
    generated_bumper: bool = True


def partner_logo_legibility(kit: Any, logo: Path, *, name: str | None = None, bumper: bool = True,
                            card_plate: str | None = None, page_plate: str = LINK_PAGE_PLATE,
                            ) -> tuple[LogoLegibility, ...]:
    """A partner logo's contrast on every background it is placed on.

    Args:
        kit: The channel's brand kit (the bumper's frame, the plate colour).
        logo: The partner's logo file.
        name: The partner's name as the generated bumper shows it under the logo (it moves the logo).
        bumper: Measure the generated bumper (False when the partner brings its own bumper).
        card_plate: The job card's logo plate colour (default: the kit's, :attr:`BrandKit.card_logo_plate`).
        page_plate: The link page's logo plate colour.

    Raises:
        OSError: the logo cannot be read.
    """
    from PIL import Image

    with Image.open(logo) as src:
        image = src.convert("RGBA")
    found = []
    if bumper:
        found.append(partner_bumper_image(kit, logo, name)[2])
    plate = card_plate or getattr(kit, "card_logo_plate", CARD_PLATE)
    found.append(placed_legibility("card", image, plate))
    found.append(placed_legibility("link page", image, page_plate))
    return tuple(found)

"""Brand kits, safe zones and generated cards.

A kit (``brand_kits/<name>/kit.yaml`` plus fonts and a logo) says how a
channel looks: colours, fonts, logo placement, both caption styles, the
lower third, intro/outro bumpers, the end card and the safe-zone profile.
Cards are drawn with Pillow as 1080x1920 stills; the renderer animates them.
"""

from vidcoop.brand.cards import (
    CardImage,
    LowerThird,
    render_end_card,
    render_lower_third,
    render_partner_bumper,
    render_title_card,
)
from vidcoop.brand.check import KitCheck, KitProblem, check_kit
from vidcoop.brand.geometry import Box, overlay_box
from vidcoop.brand.kit import BrandKit, load_kit
from vidcoop.brand.preview import render_preview
from vidcoop.brand.safezone import SAFE_ZONES, SafeZone, SafeZoneIssue, check_boxes, get_safe_zone

__all__ = [
    "SAFE_ZONES",
    "Box",
    "BrandKit",
    "CardImage",
    "KitCheck",
    "KitProblem",
    "LowerThird",
    "SafeZone",
    "SafeZoneIssue",
    "check_boxes",
    "check_kit",
    "get_safe_zone",
    "load_kit",
    "overlay_box",
    "render_end_card",
    "render_lower_third",
    "render_partner_bumper",
    "render_preview",
    "render_title_card",
]

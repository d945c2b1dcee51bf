"""Brand kits, safe zones and generated cards.

A kit (``brand_kits/<name>/kit.yaml`` plus fonts and a logo) says how a
channel looks: colours, fonts, logo placement, both caption styles, the
lower third, intro/outro bumpers, the end card and the safe-zone profile.
Cards are drawn with Pillow as 1080x1920 stills; the renderer animates them.
"""

from vidcoop.brand.geometry import Box, overlay_box
from vidcoop.brand.kit import BrandKit, load_kit
from vidcoop.brand.safezone import SAFE_ZONES, SafeZone, SafeZoneIssue, check_boxes

__all__ = ["SAFE_ZONES", "Box", "BrandKit", "SafeZone", "SafeZoneIssue", "check_boxes", "load_kit", "overlay_box"]

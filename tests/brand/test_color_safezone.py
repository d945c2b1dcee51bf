"""Colours, WCAG contrast and safe-zone geometry."""

from __future__ import annotations

import pytest

from vidcoop.brand.geometry import Box
from vidcoop.brand.safezone import SAFE_ZONES, SafeZone, check_boxes, get_safe_zone
from vidcoop.color import contrast_ratio, is_color, parse_color, relative_luminance


def test_parse_color_forms() -> None:
    assert parse_color("#fff") == (255, 255, 255, 255)
    assert parse_color("#1d2433") == (29, 36, 51, 255)
    assert parse_color("#000000b0") == (0, 0, 0, 176)
    for bad in ("white", "#12345", "1d2433", "#gggggg", ""):
        assert not is_color(bad)
        with pytest.raises(ValueError, match="not a colour"):
            parse_color(bad)


def test_wcag_reference_values() -> None:
    # WCAG: black/white is 21:1; #777777 on white is just under AA (4.48:1); #767676 just passes (4.54:1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)
    # the linear segment of the sRGB curve (channel <= 0.04045)
    assert relative_luminance("#0a0a0a") == pytest.approx((10 / 255) / 12.92)


def test_shipped_profiles() -> None:
    assert set(SAFE_ZONES) == {"tiktok", "instagram-reels", "youtube-shorts"}
    tiktok = get_safe_zone("tiktok")
    assert tiktok.box == Box(60, 160, 900, 1280)
    for zone in SAFE_ZONES.values():
        assert zone.source  # every profile says where its numbers come from
    with pytest.raises(KeyError, match="unknown safe-zone profile 'vine'"):
        get_safe_zone("vine")


def test_contains_and_overrides() -> None:
    zone = SAFE_ZONES["tiktok"]
    assert zone.contains(Box(60, 160, 900, 1280))  # edges may touch
    assert not zone.contains(Box(59, 160, 10, 10))
    assert not zone.contains(Box(900, 500, 61, 10))
    lower = zone.overrides(bottom=600)
    assert lower.box.bottom == 1320 and lower.top == zone.top
    with pytest.raises(ValueError, match="unknown safe-zone edge"):
        zone.overrides(middle=3)
    with pytest.raises(ValueError, match="leaves no visible area"):
        SafeZone("bad", top=1000, bottom=1000, left=0, right=0)


def test_check_boxes_names_each_overhang() -> None:
    zone = SAFE_ZONES["youtube-shorts"]
    issues = check_boxes({"logo": Box(900, 40, 120, 60), "captions": Box(120, 1200, 800, 200)}, zone)
    assert [i.name for i in issues] == ["logo"]
    assert issues[0].message == (
        "logo at x=900 y=40 (120x60) leaves the youtube-shorts safe zone (x 48..936, y 120..1440): "
        "top by 80 px, right by 84 px"
    )
    assert check_boxes([("caption", Box(100, 1400, 800, 100))], zone)[0].message.endswith("bottom by 60 px")

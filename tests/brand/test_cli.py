"""``vidcoop brand preview|check`` in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from vidcoop.cli.brand import brand
from vidcoop.resources import kit_dir


def test_preview_writes_a_sheet(tmp_path: Path) -> None:
    out = tmp_path / "preview.png"
    result = CliRunner().invoke(brand, ["preview", "neutral", "-o", str(out), "--scale", "0.25"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    with Image.open(out) as img:
        assert img.size == (2 * 270 + 3 * 40, 480 + 110 + 40)
        # the safe-zone outline (red) is drawn on the first frame at the zone's top edge (y 160 -> 40 at 1/4)
        r, g, b = img.convert("RGB").getpixel((40 + 135, 110 + 40))
        assert r > 200 and g < 120 and b < 120


def test_check_ok_and_failing_kit(tmp_path: Path) -> None:
    ok = CliRunner().invoke(brand, ["check", "wege-zum-job"])
    assert ok.exit_code == 0 and "kit is fine" in ok.output
    bad = tmp_path / "kit"
    shutil.copytree(kit_dir("neutral"), bad)
    Image.new("RGB", (32, 32), "white").save(bad / "logo.png")
    result = CliRunner().invoke(brand, ["check", str(bad)])
    assert result.exit_code == 1
    assert "logo.file: logo has no transparency" in result.output
    assert "1 problem(s)" in result.output


def test_check_against_another_platform() -> None:
    # the neutral kit's captions sit 620 px up: fine for TikTok; for Reels caption_style lifts them,
    # but the lower third (bottom 880 px up) then overlaps the lifted social captions
    result = CliRunner().invoke(brand, ["check", "neutral", "--safe-zone", "instagram-reels"])
    assert result.exit_code == 1
    assert "overlaps the social caption area" in result.output
    assert "logo: logo at x=72 y=184 (150x150) leaves the instagram-reels safe zone" in result.output

"""``check_kit``: every kind of problem is found and named; the shipped kits are clean."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

import vidcoop.brand.check as check_module
from vidcoop.brand.check import check_kit, has_alpha, missing_glyphs
from vidcoop.resources import kit_dir


@pytest.mark.parametrize("name", ["neutral", "wege-zum-job"])
def test_shipped_kits_pass(name: str) -> None:
    result = check_kit(name)
    assert result.ok, result.problems
    assert any("text on background: contrast" in n for n in result.notes)


def _kit(tmp_path: Path, **changes: Any) -> Path:
    target = tmp_path / "kit"
    shutil.copytree(kit_dir("neutral"), target)
    path = target / "kit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for p in parents:
            node = node[p]
        node[last] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return [str(p) for p in check_kit(path).problems]


def test_low_contrast_is_reported_with_the_ratio(tmp_path: Path) -> None:
    path = _kit(tmp_path, colors__text="#777777", colors__background="#ffffff")
    problems = _problems(path)
    assert "colors.text: text on background: contrast 4.48:1 is below WCAG AA (4.5:1)" in problems


def test_caption_contrast_against_outline(tmp_path: Path) -> None:
    path = _kit(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["captions"]["social"]["outline_color"] = "#eeeeee"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = _problems(path)
    assert any(p.startswith("captions.social.text_color: social captions on their outline: contrast 1.") for p in
               problems)


def test_all_schema_problems_are_collected(tmp_path: Path) -> None:
    path = _kit(tmp_path, colors__accent="gelb", colors__primary="#12", version=3)
    problems = _problems(path)
    assert problems == [
        "version: Input should be 1 (got 3)",
        "colors.primary: a colour like #1a2b3c or #1a2b3cff (got '#12')",
        "colors.accent: a colour like #1a2b3c or #1a2b3cff (got 'gelb')",
    ]


def test_missing_files_are_collected(tmp_path: Path) -> None:
    path = _kit(tmp_path, logo__file="nope.png")
    (path.parent / "fonts" / "OFL-AtkinsonHyperlegible.txt").unlink()
    assert _problems(path) == [
        "fonts.license: file not found: fonts/OFL-AtkinsonHyperlegible.txt",
        "logo.file: file not found: nope.png",
    ]


def test_logo_without_alpha(tmp_path: Path) -> None:
    path = _kit(tmp_path)
    Image.new("RGB", (64, 64), (200, 0, 0)).save(path.parent / "logo.png")
    assert not has_alpha(path.parent / "logo.png")
    assert "logo.file: logo has no transparency (use a PNG with an alpha channel)" in _problems(path)
    # an RGBA image that is fully opaque has no real transparency either
    Image.new("RGBA", (64, 64), (200, 0, 0, 255)).save(path.parent / "logo.png")
    assert not has_alpha(path.parent / "logo.png")


def test_missing_glyphs_detects_absent_characters() -> None:
    font = kit_dir("neutral") / "fonts" / "AtkinsonHyperlegible-Bold.ttf"
    assert missing_glyphs(font) == []
    # Atkinson Hyperlegible is Latin only: Cyrillic and CJK fall back to .notdef
    assert missing_glyphs(font, "äжß漢") == ["ж", "漢"]


def test_font_without_required_glyphs_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no OFL font without umlauts is at hand, so ask the shipped font for a letter it lacks
    monkeypatch.setattr(check_module, "REQUIRED_GLYPHS", "äöüßж")
    problems = _problems(_kit(tmp_path))
    assert "fonts.bold: AtkinsonHyperlegible-Bold.ttf has no glyphs for ж" in problems


def test_logo_outside_safe_zone_and_lower_third_over_captions(tmp_path: Path) -> None:
    path = _kit(tmp_path, logo__y=40, lower_third__margin_bottom=640)
    problems = _problems(path)
    assert "logo: logo at x=72 y=40 (150x150) leaves the tiktok safe zone (x 60..960, y 160..1440): top by 120 px" \
        in problems
    assert any(p.startswith("lower_third.margin_bottom: the lower third (y ") and "overlaps the social caption area"
               in p for p in problems)


def test_not_a_kit(tmp_path: Path) -> None:
    result = check_kit(tmp_path / "nothing")
    assert not result.ok and "brand kit not found" in str(result.problems[0])

"""Loading brand kits: shipped kits, caption styles, and readable errors."""

from __future__ import annotations

import dataclasses
import math
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageDraw, ImageFont

from vidcoop.brand.kit import load_kit
from vidcoop.captions.style import CaptionStyle
from vidcoop.errors import CaptionError, ManifestError
from vidcoop.resources import kit_dir


@pytest.mark.parametrize("name", ["neutral", "wege-zum-job"])
def test_shipped_kits_load(name: str) -> None:
    kit = load_kit(name)
    assert kit.root == kit_dir(name).resolve()
    assert kit.fonts.bold.name == "AtkinsonHyperlegible-Bold.ttf" and kit.fonts.license.is_file()
    assert kit.logo.file.is_file()
    assert kit.intro.generated and kit.intro.duration > 0
    assert kit.end_card.cta
    for style in ("social", "subtitle"):
        assert isinstance(kit.caption_style(style), CaptionStyle)


def test_caption_styles_map_onto_caption_style() -> None:
    kit = load_kit("wege-zum-job")
    social = kit.caption_style("social")
    assert (social.font_size, social.highlight_color, social.outline, social.margin_bottom) == (88, "#ffc857", 8.0, 640)
    assert social.font_file == kit.fonts.bold
    subtitle = kit.caption_style("subtitle")
    assert subtitle.box and subtitle.back_color == "#0f3d3ad0"
    with pytest.raises(CaptionError, match="unknown caption style 'karaoke'"):
        kit.caption_style("karaoke")


def test_caption_style_is_kept_inside_the_safe_zone(tmp_path: Path) -> None:
    kit_path = _copy_kit(tmp_path)
    data = yaml.safe_load(kit_path.read_text(encoding="utf-8"))
    data["captions"]["subtitle"].update(max_width=1000, margin_bottom=100)
    data["safe_zone"] = {"profile": "instagram-reels"}
    kit_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    style = load_kit(kit_path).caption_style("subtitle")
    assert style.margin_bottom == 672  # Reels covers the bottom 35 %
    border = max(style.outline, style.font_size * 0.15) if style.box else style.outline
    assert style.max_width == 950 - 2 * math.ceil(border)  # 1080 - 2 * 65, centred, less the outline's ink


def test_safe_zone_override_and_logo_overlay() -> None:
    kit = load_kit("wege-zum-job")
    assert (kit.safe_zone.name, kit.safe_zone.bottom, kit.safe_zone.top) == ("tiktok", 500, 160)
    ov = kit.logo_overlay(end=Fraction(5))
    assert (ov.kind, ov.partner, ov.x, ov.y, ov.width, ov.end) == ("logo", None, 72, 184, 240, Fraction(5))


def _copy_kit(tmp_path: Path, name: str = "neutral") -> Path:
    target = tmp_path / name
    shutil.copytree(kit_dir(name), target)
    return target / "kit.yaml"


def _broken(tmp_path: Path, change: dict[str, object]) -> ManifestError:
    kit_path = _copy_kit(tmp_path)
    data = yaml.safe_load(kit_path.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, last = dotted.split(".")
        node = data
        for p in parents:
            node = node[p]
        if value is None:
            del node[last]
        else:
            node[last] = value
    kit_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_kit(kit_path)
    assert info.value.path == str(kit_path)
    return info.value


def test_bad_colour_names_field(tmp_path: Path) -> None:
    err = _broken(tmp_path, {"colors.accent": "yellowish"})
    assert err.field == "colors.accent"
    assert err.message == "a colour like #1a2b3c or #1a2b3cff (got 'yellowish')"


def test_missing_font_file(tmp_path: Path) -> None:
    err = _broken(tmp_path, {"fonts.bold": "fonts/Missing.ttf"})
    assert (err.field, err.message) == ("fonts.bold", "file not found: fonts/Missing.ttf")


def test_bumper_needs_video_or_title(tmp_path: Path) -> None:
    err = _broken(tmp_path, {"intro.title": None})
    assert err.field == "intro"
    assert err.message == "exactly one of video: (a file) or title: (a generated card)"


def test_unknown_kit_name() -> None:
    with pytest.raises(ManifestError, match="brand kit not found"):
        load_kit("no-such-kit")


@pytest.mark.parametrize("name", ["neutral", "wege-zum-job"])
@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_shipped_fonts_draw_a_plain_zero(name: str, weight: str) -> None:
    """A slashed zero makes "2026" read as "2θ26" on cards (#25): the middle of the 0 is empty."""
    kit = load_kit(name)
    font = ImageFont.truetype(str(getattr(kit.fonts, weight)), 200)
    img = Image.new("L", (300, 300), 0)
    ImageDraw.Draw(img).text((50, 20), "0", font=font, fill=255)
    left, top, right, bottom = img.getbbox() or (0, 0, 0, 0)
    cx, cy = (left + right) // 2, (top + bottom) // 2
    middle = img.crop((cx - 8, cy - 8, cx + 8, cy + 8))
    assert max(middle.getdata()) == 0, "the zero has a stroke through its middle"
    assert img.getpixel((left + 2, cy)) == 255, "the zero's outer stroke is drawn"


def _kit_with_shapes(tmp_path: Path, shapes: object) -> Path:
    kit_path = _copy_kit(tmp_path)
    data = yaml.safe_load(kit_path.read_text(encoding="utf-8"))
    data["shapes"] = shapes
    kit_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return kit_path


def test_a_shape_of_its_own_overrides_logo_and_caption_sizes_there_only(tmp_path: Path) -> None:
    """``shapes: {"1:1": ...}`` in kit.yaml: the 1:1 logo sits top right, smaller, and 1:1 subtitles are smaller
    with three lines; 9:16 and 4:5 keep the kit's own settings, and every brand surface agrees."""
    from vidcoop.brand.cards import logo_box
    from vidcoop.channel.assemble import with_logo
    from vidcoop.timeline.model import Episode, Segment

    kit = load_kit(_kit_with_shapes(tmp_path, {"1:1": {"logo": {"anchor": "top-right", "width": 150},
                                                       "captions": {"subtitle": {"font_size": 50, "max_lines": 3}}}}))
    base = load_kit(_copy_kit(tmp_path / "base"))
    assert kit.logo_for(None) == kit.logo == kit.logo_for("4:5")
    square = kit.logo_for("1:1")
    assert (square.anchor, square.width, square.x, square.y, square.file) == ("top-right", 150, None, None,
                                                                               kit.logo.file)
    assert (kit.caption_style("subtitle", "1:1").font_size, kit.caption_style("subtitle", "1:1").max_lines) == (50, 3)
    assert kit.caption_style("subtitle").font_size == base.caption_style("subtitle").font_size
    for style, shape in (("subtitle", "4:5"), ("social", "1:1")):  # the same but for the copy's font path
        theirs = base.caption_style(style, shape)
        assert dataclasses.replace(kit.caption_style(style, shape), font_file=theirs.font_file) == theirs
    box = logo_box(kit, "1:1")
    assert box.x > 1080 // 2 and box.width == 150  # the preview and the check place it where the render does
    episode = Episode(segments=(Segment(Path("x.mp4")),), logo=True)
    (overlay,) = with_logo(episode, kit, (Fraction(0), Fraction(5)), "1:1").overlays
    assert (overlay.anchor, overlay.width) == ("top-right", 150)
    (overlay,) = with_logo(episode, kit, (Fraction(0), Fraction(5)), "9:16").overlays
    assert (overlay.anchor, overlay.width) == (kit.logo.anchor, kit.logo.width)


@pytest.mark.parametrize(("shapes", "field"), [
    ({"9:16": {"logo": {"width": 100}}}, "shapes.9:16"),
    ({"2:1": {"logo": {"width": 100}}}, "shapes.2:1"),
    ({"1:1": {"logo": {"file": "other.png"}}}, "shapes.1:1.logo.file"),
    ({"1:1": {"captions": {"subtitle": {"font_size": 0}}}}, "shapes.1:1.captions.subtitle.font_size"),
])
def test_a_bad_shape_override_names_its_field(tmp_path: Path, shapes: object, field: str) -> None:
    kit_path = _kit_with_shapes(tmp_path, shapes)
    with pytest.raises(ManifestError) as info:
        load_kit(kit_path)
    assert info.value.path == str(kit_path) and info.value.field is not None
    assert info.value.field.startswith(field), info.value.field


def _font_with_a_slashed_zero(tmp_path: Path) -> Path:
    """A font that draws its zero slashed or dotted: Debian's DejaVu Sans Mono, else the shipped Atkinson font
    as it was before ``make_fonts.py`` (from this repository's history)."""
    import subprocess

    mono = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    if mono.is_file():
        return mono
    root = Path(__file__).resolve().parents[2]
    old = subprocess.run(["git", "show", "39c43d1:brand_kits/neutral/fonts/AtkinsonHyperlegible-Bold.ttf"],
                         cwd=root, capture_output=True, check=False)
    if old.returncode != 0:
        pytest.skip("no font with a slashed zero here (no DejaVu Sans Mono, no git history)")
    (tmp_path / "slashed.ttf").write_bytes(old.stdout)
    return tmp_path / "slashed.ttf"


def test_brand_check_refuses_a_font_whose_zero_is_slashed(tmp_path: Path) -> None:
    """On a job card "2026" must not read "2θ26": brand check names the font field and says why."""
    from vidcoop.brand.check import check_kit, zero_has_a_mark

    slashed = _font_with_a_slashed_zero(tmp_path)
    assert zero_has_a_mark(slashed)
    kit_path = _copy_kit(tmp_path)
    shutil.copy(slashed, kit_path.parent / "fonts" / "Slashed.ttf")
    data = yaml.safe_load(kit_path.read_text(encoding="utf-8"))
    data["fonts"]["bold"] = "fonts/Slashed.ttf"
    kit_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_kit(kit_path)
    zero = [p for p in result.problems if "zero" in p.message]
    assert [p.field for p in zero] == ["fonts.bold"] and "2θ26" in zero[0].message
    assert check_kit("neutral").ok  # the shipped fonts' zero is plain

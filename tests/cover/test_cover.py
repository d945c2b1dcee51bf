"""Covers: sharpness scoring, frame picking, title layout in the safe zone, time mapping, CLI."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.cli.cover import cover
from vidcoop.cover import (
    CoverOptions,
    CoverStyle,
    best,
    compose_cover,
    decode_frames,
    layout_title,
    make_cover,
    sharpness,
)
from vidcoop.errors import ManifestError
from vidcoop.resources import kit_dir
from vidcoop.timeline.model import Episode, Segment

FONT = kit_dir("neutral") / "fonts" / "AtkinsonHyperlegible-Bold.ttf"


@pytest.fixture(scope="module")
def black_blur_sharp(make_media) -> Path:
    """1 s black, 1 s blurred picture, 1 s sharp picture (320x180, 10 fps; not a test pattern)."""
    return make_media(
        "black_blur_sharp.mp4",
        "color=c=black:s=320x180:r=10:d=1[b];mandelbrot=s=320x180:r=10,trim=duration=1,boxblur=6[s];"
        "mandelbrot=s=320x180:r=10,trim=duration=1[c];[b][s][c]concat=n=3[out0]",
    )


def test_sharpness_orders_noise_blur_and_flat() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    noise = rng.integers(0, 255, (90, 160)).astype(np.float32)
    blurred = (noise[:-2, :-2] + noise[1:-1, 1:-1] + noise[2:, 2:]) / 3
    assert sharpness(noise) > sharpness(blurred) > 0
    assert sharpness(np.full((90, 160), 128.0)) == 0.0


def test_auto_pick_prefers_sharp_and_skips_black(black_blur_sharp: Path) -> None:
    times = [Fraction(i, 4) + Fraction(1, 8) for i in range(12)]
    candidates = decode_frames(black_blur_sharp, times)
    assert len(candidates) == 12
    assert not candidates[0].usable  # black
    pick = best(candidates)
    assert pick is not None and Fraction(2) <= pick.time < Fraction(3)


def test_lines_fit_the_panel_by_font_metrics() -> None:
    from PIL import ImageFont

    style = CoverStyle(font=FONT)
    layout = layout_title("Donaudampfschifffahrtsgesellschaftskapitän erklärt das Bürgergeld", style)
    assert layout is not None
    font = ImageFont.truetype(str(FONT), layout.size)
    x0, _, x1, _ = layout.panel
    assert all(x0 + font.getlength(line) <= x1 for line in layout.lines)
    assert len(layout.lines) <= style.max_lines


def test_overlong_title_is_cut_at_a_word_with_an_ellipsis() -> None:
    style = CoverStyle(font=FONT, max_lines=2)
    layout = layout_title(" ".join(["Wohngeld"] * 30), style)
    assert layout is not None and len(layout.lines) <= 2
    assert layout.lines[-1].endswith("…")
    kept = " ".join(layout.lines).removesuffix(" …").split()
    assert 0 < len(kept) < 30 and set(kept) == {"Wohngeld"}  # whole words, cut at the end


def test_title_stays_inside_the_safe_zone_and_shrinks() -> None:
    style = CoverStyle(font=FONT)
    left, top, right, bottom = style.safe
    short = layout_title("Was ist Bürgergeld?", style)
    long = layout_title("Wie beantrage ich Wohngeld, wenn ich schon Bürgergeld bekomme und umziehen will?", style)
    assert short is not None and long is not None
    assert long.size < short.size
    for layout in (short, long):
        x0, y0, x1, y1 = layout.panel
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom
    assert layout_title("   ", style) is None


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_title_keeps_clear_of_a_lower_third_then_faces_then_the_logo() -> None:
    """A lower third is never covered where the safe zone has room; a face not where there is room for both;
    the logo only where there is room for all three. Nothing moves when nothing is in the way."""
    style = CoverStyle(font=FONT)
    plain = layout_title("Was ist Bürgergeld?", style)
    assert plain is not None
    x0, y0, _x1, y1 = plain.panel
    lower_third = (x0 + 20, y0 + 40, x0 + 700, y0 + 220)  # right where the panel would be
    moved = layout_title("Was ist Bürgergeld?", style, [lower_third])
    assert moved is not None and not _overlaps(moved.panel, lower_third)
    assert layout_title("Was ist Bürgergeld?", style, [(0, 1700, 1080, 1900)]) == plain  # not in the way
    top, bottom = style.safe[1], style.safe[3]
    height = y1 - y0
    face_below = (300, lower_third[3] + 30, 700, bottom)  # below the lower third to the zone's bottom
    layout = layout_title("Was ist Bürgergeld?", style, [lower_third], [face_below])
    assert layout is not None and layout.panel[3] <= lower_third[1]  # above both
    logo = (60, top, 260, lower_third[1] - 40)  # and a logo filling the room above: it gives way
    layout = layout_title("Was ist Bürgergeld?", style, [lower_third], [face_below], [logo])
    assert layout is not None and not _overlaps(layout.panel, lower_third) and not _overlaps(layout.panel, face_below)
    everywhere = (0, top, 1080, bottom)  # a card over the whole zone: nowhere is clear, the panel stays
    assert layout_title("Was ist Bürgergeld?", style, [everywhere]) == plain
    assert height == plain.panel[3] - plain.panel[1]


def test_compose_keeps_text_literal_and_size(tmp_path: Path) -> None:
    from PIL import Image

    frame = Image.new("RGB", (640, 360), (0, 128, 0))
    image, layout = compose_cover(frame, r"{\b1}Kein ASS-Tag: 100 %", CoverStyle(font=FONT))
    assert image.size == (1080, 1920) and image.mode == "RGB"
    assert layout is not None and " ".join(layout.lines) == r"{\b1}Kein ASS-Tag: 100 %"
    assert image.getpixel((540, 1850))[1] > 100  # the frame shows outside the panel


def test_cover_at_time_maps_to_the_segment_source(tmp_path: Path, still_png: Path, black_blur_sharp: Path) -> None:
    from PIL import Image

    episode = Episode(
        segments=(Segment(still_png, duration=Fraction(2)), Segment(black_blur_sharp, start=Fraction(1, 2))),
        title="Teilhabe",
        name="ep",
    )
    out = tmp_path / "covers" / "ep.cover.jpg"
    on_still = make_cover(episode, out, CoverOptions(at=Fraction(1)))
    assert on_still.segment == 0
    with Image.open(out) as img:
        assert img.size == (1080, 1920) and img.format == "JPEG"
        r, g, b = img.getpixel((540, 1850))
        assert g > 100 and r < 80 and b < 80  # the green still
    on_clip = make_cover(episode, out, CoverOptions(at=Fraction(4)))
    assert on_clip.segment == 1
    assert on_clip.source_time == Fraction(5, 2)  # 4 s - 2 s of still + 0.5 s in-point
    auto = make_cover(episode, out)
    assert auto.segment == 1 and Fraction(2) <= auto.source_time < Fraction(3)
    assert not list(out.parent.glob(".*part*"))
    with pytest.raises(ManifestError, match="outside the episode"):
        make_cover(episode, out, CoverOptions(at=Fraction(30)))


def test_cli_cover(tmp_path: Path, black_blur_sharp: Path) -> None:
    manifest = tmp_path / "ep.yaml"
    manifest.write_text(f"version: 1\ntitle: Hallo\nsegments:\n  - source: {black_blur_sharp}\n", encoding="utf-8")
    result = CliRunner().invoke(cover, [str(manifest), "--at", "00:00:02.5"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ep.cover.jpg").is_file()
    assert "00:00:02.500" in result.output
    bad = CliRunner().invoke(cover, [str(manifest), "--at", "soon"])
    assert bad.exit_code != 0


def test_auto_pick_never_takes_a_partner_and_uses_the_title_card_of_a_still_episode(
    tmp_path: Path, make_media, still_png: Path, black_blur_sharp: Path
) -> None:
    busy = make_media("partner_card.png", "testsrc2=s=640x360:d=1")  # much sharper than anything else
    stills = Episode(
        segments=(
            Segment(busy, duration=Fraction(2), kind="bumper", partner="caritas"),
            Segment(still_png, duration=Fraction(2), kind="title"),
            Segment(busy, duration=Fraction(3), kind="card", partner="caritas"),
        ),
        title="Stellenbörse",
    )
    result = make_cover(stills, tmp_path / "board.jpg")
    assert result.segment == 1 and result.layout is None  # the title card shows the title itself
    with_video = Episode(
        segments=(Segment(busy, duration=Fraction(2), kind="bumper", partner="caritas"), Segment(black_blur_sharp)),
        title="Mit Video",
    )
    picked = make_cover(with_video, tmp_path / "video.jpg")
    assert picked.segment == 1 and picked.layout is not None

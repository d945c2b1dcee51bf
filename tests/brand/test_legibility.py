"""Partner logos legible everywhere (issue #25): WCAG non-text contrast, and a plate on the bumper when needed.

A partner logo made as the channel README says (a PNG with transparency), dark on the kit's dark
frame, used to be almost invisible on its bumper. Now it is measured on every background it is
placed on; below 3:1 the kit's plate goes behind it on the bumper, and the rendered frame proves it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from vidcoop.brand.cards import partner_bumper_image
from vidcoop.brand.kit import load_kit
from vidcoop.brand.legibility import NON_TEXT_CONTRAST, logo_contrast, own_plate, plate_color
from vidcoop.brand.partner_logos import partner_logo_legibility
from vidcoop.cli.brand import brand
from vidcoop.resources import kit_dir

REPO = Path(__file__).resolve().parents[2]
DARK_TEAL = "#0f3d3a"  # the wege-zum-job kit's background


def dark_logo(path: Path, colour: tuple[int, int, int] = (60, 20, 90)) -> Path:
    """A transparent logo in one dark colour: a ring and a bar (what a partner sends for a white page)."""
    img = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((10, 10, 190, 190), fill=(*colour, 255))
    d.ellipse((60, 60, 140, 140), fill=(0, 0, 0, 0))
    d.rounded_rectangle((210, 40, 390, 160), radius=20, fill=(*colour, 255))
    img.save(path)
    return path


def test_contrast_is_measured_on_the_logos_pixels(tmp_path: Path) -> None:
    with Image.open(dark_logo(tmp_path / "l.png")) as logo:
        assert logo_contrast(logo, DARK_TEAL) < NON_TEXT_CONTRAST  # about 1.3:1
        assert logo_contrast(logo, "#ffffff") > 10
        assert own_plate(logo) is None
    # a logo with a white plate drawn in is read against that plate, wherever it goes
    carded = Image.new("RGBA", (400, 200), (255, 255, 255, 255))
    ImageDraw.Draw(carded).rectangle((40, 40, 200, 160), fill=(60, 20, 90, 255))
    assert own_plate(carded) == (255, 255, 255)
    assert logo_contrast(carded, DARK_TEAL) == logo_contrast(carded, "#ffffff") > 10
    assert logo_contrast(Image.new("RGBA", (8, 8)), "#000000") is None  # nothing visible


def test_plate_is_white_or_the_kits_light_colour() -> None:
    assert plate_color(["#0f3d3a", "#00695c"]) == "#ffffff"
    assert plate_color(["#0f3d3a", "#fdf6e3", "#ffc857"]) == "#fdf6e3"


def test_a_dark_transparent_logo_gets_a_plate_on_the_dark_bumper(tmp_path: Path) -> None:
    kit = load_kit(kit_dir("wege-zum-job"))
    img, boxes, legible = partner_bumper_image(kit, dark_logo(tmp_path / "l.png"), "Diakonie Musterstadt")
    assert legible.place == "bumper" and legible.ratio < NON_TEXT_CONTRAST
    assert legible.plate == "#ffffff" and legible.plated_ratio is not None and legible.plated_ratio > 10
    plate, logo = boxes["plate"], boxes["logo"]
    assert plate.x < logo.x and logo.right < plate.right and plate.y < logo.y and logo.bottom < plate.bottom
    assert img.getpixel((plate.x + 30, plate.y + 30))[:3] == (255, 255, 255)
    # a light logo needs none
    light = dark_logo(tmp_path / "light.png", (255, 200, 87))
    _, boxes, legible = partner_bumper_image(kit, light, "Diakonie Musterstadt")
    assert legible.plate is None and "plate" not in boxes and legible.ratio >= NON_TEXT_CONTRAST


def _channel_with(tmp_path: Path, logo: Path) -> Path:
    """A copy of the example channel whose Diakonie logo is ``logo`` and whose bumper is generated from it."""
    root = tmp_path / "examples"
    shutil.copytree(REPO / "examples" / "channel", root / "channel")
    shutil.copytree(REPO / "brand_kits", tmp_path / "brand_kits")
    shutil.copyfile(logo, root / "channel" / "partners" / "diakonie-musterstadt.png")
    yaml = root / "channel" / "channel.yaml"
    text = re.sub(r"    bumper:\n(      .*\n)+", "    bumper: {duration: 2}\n", yaml.read_text(encoding="utf-8"))
    assert "diakonie-musterstadt-bumper" not in text
    yaml.write_text(text, encoding="utf-8")
    return yaml


def test_brand_check_measures_partner_logos(tmp_path: Path) -> None:
    yaml = _channel_with(tmp_path, dark_logo(tmp_path / "dark.png"))
    ok = CliRunner().invoke(brand, ["check", "--channel", str(yaml), "-v"])
    assert ok.exit_code == 0, ok.output
    assert re.search(r"logo of partner 'diakonie-musterstadt' on the bumper: contrast 1\.\d:1 is below 3:1", ok.output)
    assert "a #ffffff plate goes behind it" in ok.output
    # a white logo is invisible on the white plates of cards and the link page: a problem, named
    dark_logo(tmp_path / "white.png", (255, 255, 255))
    shutil.copyfile(tmp_path / "white.png", yaml.parent / "partners" / "diakonie-musterstadt.png")
    bad = CliRunner().invoke(brand, ["check", "--channel", str(yaml)])
    assert bad.exit_code == 1
    assert "partners.diakonie-musterstadt.logo: logo of partner 'diakonie-musterstadt' on the card: contrast " \
           "1.0:1 is below 3:1" in bad.output
    assert "on the link page" in bad.output


def test_vidcoop_check_notes_the_plate(tmp_path: Path, monkeypatch) -> None:
    from vidcoop.channel.config import load_channel
    from vidcoop.channel.policy import check_episode
    from vidcoop.timeline.model import Episode, Segment

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    channel = load_channel(_channel_with(tmp_path, dark_logo(tmp_path / "dark.png")))
    ep = Episode((Segment("intro.png", duration=2, kind="intro"),
                  Segment("b.png", duration=2, kind="bumper", partner="diakonie-musterstadt"),
                  Segment("job.png", duration=4, kind="card", partner="diakonie-musterstadt"),
                  Segment("outro.png", duration=2, kind="outro")), format="stellenboerse", name="kw")
    report = check_episode(ep, channel, image_sizes={})
    assert "partner-logo-contrast" in report.passed
    (note,) = report.notes
    assert re.match(r"logo of partner 'diakonie-musterstadt' on the bumper: contrast 1\.\d:1 is below 3:1", note)
    assert report.to_dict()["notes"] == [note]


def _luminance(rgb):  # WCAG relative luminance of an (..., 3) uint8 array
    import numpy as np

    c = rgb.astype(float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def _ratio(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


@pytest.mark.slow
def test_the_rendered_bumper_shows_the_logo_at_3_to_1(tmp_path: Path, monkeypatch) -> None:
    """Render the generated bumper with the preview profile and measure the frame where the logo is."""
    import av
    import numpy as np

    import vidcoop
    from vidcoop.brand.legibility import PLATE_RADIUS, ink
    from vidcoop.channel.bumpers import partner_bumper
    from vidcoop.channel.config import load_channel
    from vidcoop.timeline.model import Episode, Reframe, Segment

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    logo_file = dark_logo(tmp_path / "dark.png")
    channel = load_channel(_channel_with(tmp_path, logo_file))
    bumper = partner_bumper(channel, "diakonie-musterstadt", tmp_path / "bumpers")
    _, boxes, legible = partner_bumper_image(channel.kit(), logo_file, "Diakonie Musterstadt")
    assert legible.plate is not None
    out = tmp_path / "bumper.mp4"
    vidcoop.render(Episode((Segment(bumper.source, duration=1, reframe=Reframe(mode="fit-pad")),)), out,
                   profile="preview")
    with av.open(str(out)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
    scale = frame.shape[1] / 1080
    lum = _luminance(frame)

    def region(box, inset: float = 0) -> tuple[slice, slice]:
        return (slice(round((box.y + inset) * scale), round((box.bottom - inset) * scale)),
                slice(round((box.x + inset) * scale), round((box.right - inset) * scale)))

    # the logo's own pixels: its alpha where fully opaque, drawn at the logo box and scaled to the frame
    logo_box, plate_box = boxes["logo"], boxes["plate"]
    with Image.open(logo_file) as src:
        mark = ink(src.convert("RGBA")).resize((logo_box.width, logo_box.height))
    rows, cols = region(logo_box)
    alpha = np.asarray(mark.getchannel("A").resize((cols.stop - cols.start, rows.stop - rows.start)))
    solid = alpha >= 250
    solid = solid[1:-1, 1:-1] & solid[:-2, 1:-1] & solid[2:, 1:-1] & solid[1:-1, :-2] & solid[1:-1, 2:]  # erode
    logo_lum = float(np.median(lum[rows, cols][1:-1, 1:-1][solid]))
    # the plate above and below it (its padding, clear of the rounded corners)
    bands = [(plate_box.y + 6, logo_box.y - 6), (logo_box.bottom + 6, plate_box.bottom - 6)]
    x0, x1 = round((plate_box.x + PLATE_RADIUS) * scale), round((plate_box.right - PLATE_RADIUS) * scale)
    plate_px = np.concatenate([lum[round(a * scale): round(b * scale), x0:x1].ravel() for a, b in bands])
    assert plate_px.size > 1000
    plate_lum = float(np.median(plate_px))
    # the frame just left and right of the plate: what the logo would have been on
    y0, y1 = round(plate_box.y * scale), round(plate_box.bottom * scale)
    x0, x1 = round(plate_box.x * scale), round(plate_box.right * scale)
    around = np.concatenate([lum[y0:y1, x0 - 16: x0 - 6].ravel(), lum[y0:y1, x1 + 6: x1 + 16].ravel()])
    frame_lum = float(np.median(around))
    print(f"rendered frame: logo on its plate {_ratio(logo_lum, plate_lum):.1f}:1, "
          f"on the bare frame {_ratio(logo_lum, frame_lum):.1f}:1")
    assert _ratio(logo_lum, plate_lum) >= NON_TEXT_CONTRAST, (logo_lum, plate_lum)
    assert _ratio(logo_lum, frame_lum) < NON_TEXT_CONTRAST, (logo_lum, frame_lum)  # without the plate: illegible


def test_the_card_is_measured_on_the_kits_own_plate(tmp_path: Path) -> None:
    """A kit whose job card puts logos on a dark plate: a dark logo is flagged on the card, not passed as on white."""
    kit_root = tmp_path / "kit"
    shutil.copytree(kit_dir("wege-zum-job"), kit_root)
    logo = dark_logo(tmp_path / "dark.png")
    on_white = {m.place: m for m in partner_logo_legibility(load_kit(kit_root), logo, bumper=False)}
    assert on_white["card"].ok
    (kit_root / "jobcard.yaml").write_text('logo_plate: "#203040"\n', encoding="utf-8")
    kit = load_kit(kit_root)
    assert kit.card_logo_plate == "#203040"
    on_dark = {m.place: m for m in partner_logo_legibility(kit, logo, bumper=False)}
    assert not on_dark["card"].ok and on_dark["card"].ratio < NON_TEXT_CONTRAST
    assert on_dark["link page"].ok  # the link page keeps its white plate

"""Partner pictures are recognised by content; the thresholds, tested both ways."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from vidcoop.channel.config import Channel
from vidcoop.channel.fingerprint import MAX_DISTANCE, Fingerprint, fingerprint
from vidcoop.channel.partner_media import PartnerMedia, file_prints, partner_media

from .conftest import REPO

PARTNERS = REPO / "examples" / "channel" / "partners"
FOOTAGE = REPO / "examples" / "footage"


def _jpeg70(img):  # type: ignore[no-untyped-def]
    from PIL import Image

    flat = Image.new("RGB", img.size, (255, 255, 255))
    flat.paste(img, mask=img.getchannel("A") if img.mode == "RGBA" else None)
    data = io.BytesIO()
    flat.save(data, "JPEG", quality=70)
    return Image.open(io.BytesIO(data.getvalue()))


def _resize(img, factor: float):  # type: ignore[no-untyped-def]
    from PIL import Image

    return img.resize((round(img.width * factor), round(img.height * factor)), Image.Resampling.LANCZOS)


def _crop5(img):  # type: ignore[no-untyped-def]
    """5 % of width and height cut away, from the left and top edges."""
    dx, dy = round(img.width * 0.05), round(img.height * 0.05)
    return img.crop((dx, dy, img.width, img.height))


COPIES = {
    "copy": lambda img: img.copy(),
    "jpeg-q70": _jpeg70,
    "resize-60": lambda img: _resize(img, 0.6),
    "resize-180": lambda img: _resize(img, 1.8),
    "crop-5": _crop5,
    "crop-5-all-edges": lambda img: img.crop(
        (
            round(img.width * 0.025),
            round(img.height * 0.025),
            img.width - round(img.width * 0.025),
            img.height - round(img.height * 0.025),
        )
    ),
    "jpeg-resize-crop": lambda img: _crop5(_jpeg70(_resize(img, 0.6))),
}


@pytest.fixture(scope="module")
def media(channel: Channel) -> PartnerMedia:
    return partner_media(channel)


def _assets(media: PartnerMedia) -> list[tuple[str, Path]]:
    return [(f"{a.partner} {a.role}", a.path) for a in media.assets]


def test_index_holds_every_partner_asset(media: PartnerMedia) -> None:
    roles = {(a.partner, a.role) for a in media.assets}
    assert roles == {
        ("caritas-musterstadt", "logo"),
        ("caritas-musterstadt", "generated bumper"),
        ("diakonie-musterstadt", "logo"),
        ("diakonie-musterstadt", "bumper image"),
        ("diakonie-musterstadt", "bumper image (4:5)"),
        ("diakonie-musterstadt", "bumper image (1:1)"),
        ("diakonie-musterstadt", "bumper image (16:9)"),
        ("paritaetischer-musterstadt", "logo"),
        ("paritaetischer-musterstadt", "generated bumper"),
    }
    assert all(a.prints and len(a.sha256) == 64 for a in media.assets)


@pytest.mark.parametrize("change", sorted(COPIES))
def test_changed_copies_of_every_asset_are_recognised(media: PartnerMedia, change: str) -> None:
    from PIL import Image

    for asset in media.assets:
        with Image.open(asset.path) as img:
            copy = COPIES[change](img)
        found = media.match_prints([fingerprint(copy)])
        assert found is not None, f"{change} of {asset.partner} {asset.role} not recognised"
        assert found.partner == asset.partner
        assert found.distance <= MAX_DISTANCE * 2 // 3, f"{change} of {asset.path.name}: {found.distance}"


def _other_logos() -> list[object]:
    """Logos of other organisations with the same badge layout as the partners' (the hard case)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(REPO / "brand_kits/neutral/fonts/AtkinsonHyperlegible-Bold.ttf"), 60)
    logos = []
    for text, colour in (
        ("Stadtwerke", (200, 30, 30)),
        ("AWO Musterstadt", (230, 0, 0)),
        ("Rotes Kreuz", (200, 0, 0)),
        ("Jobcenter", (0, 80, 160)),
    ):
        img = Image.new("RGBA", (640, 240), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.rounded_rectangle((0, 0, 639, 239), radius=40, fill=(255, 255, 255, 255))
        draw.rounded_rectangle((10, 10, 629, 229), radius=34, fill=colour)
        draw.text((40, 80), text, font=font, fill=(255, 255, 255, 255))
        logos.append(img)
    return logos


def test_other_pictures_are_not_recognised(media: PartnerMedia, channel: Channel) -> None:
    from PIL import Image

    others = [Image.open(REPO / "brand_kits/wege-zum-job/logo.png"), Image.open(REPO / "brand_kits/neutral/logo.png")]
    others += _other_logos()
    for other in others:
        assert media.match_prints([fingerprint(other)]) is None
    for video in ("interview.mp4", "phone.mp4"):
        _, prints = file_prints(FOOTAGE / video)
        assert len(prints) == 4
        assert media.match_prints(prints) is None, video
    # nor one partner's logo for another's
    by_partner: dict[str, list[Fingerprint]] = {}
    for asset in media.assets:
        by_partner.setdefault(asset.partner, []).extend(asset.prints)
    for pid, prints in by_partner.items():
        for other, refs in by_partner.items():
            if other != pid:
                assert min(p.distance(r) for p in prints for r in refs) > MAX_DISTANCE * 3 // 2


def test_the_kits_own_cards_are_not_recognised(media: PartnerMedia, channel: Channel, tmp_path: Path) -> None:
    from vidcoop.brand.cards import render_end_card, render_lower_third, render_title_card

    kit = channel.kit()
    cards = [
        render_title_card(kit, "Wege zum Job", "Was ist Bürgergeld?", tmp_path / "intro.png").path,
        render_title_card(kit, "Stellenbörse", "KW 48", tmp_path / "sb.png").path,
        render_end_card(kit, kit.end_card.cta, tmp_path / "end.png", subline=kit.end_card.subline).path,
        render_lower_third(kit, "Aylin Demir", "Beraterin", tmp_path / "lt.png").path,
    ]
    for card in cards:
        assert media.match_file(card) is None, card.name


def test_exact_bytes_match_at_once_and_fingerprints_are_cached(media: PartnerMedia, tmp_path: Path) -> None:
    copy = tmp_path / "team-logo.png"
    copy.write_bytes((PARTNERS / "caritas-musterstadt.png").read_bytes())
    found = media.match_file(copy)
    assert found is not None and found.exact and found.partner == "caritas-musterstadt"
    assert "is the logo of partner 'caritas-musterstadt'" in found.describe()
    assert file_prints(copy) is file_prints(copy)  # memoised for an unchanged file


def test_fingerprint_round_trips_as_hex() -> None:
    from PIL import Image

    fp = fingerprint(Image.open(PARTNERS / "diakonie-musterstadt-bumper.png"))
    assert Fingerprint.from_hex(fp.to_hex()) == fp and len(fp.to_hex()) == 128

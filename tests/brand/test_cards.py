"""Generated stills: size, alpha, text inside the safe zone, umlauts drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from vidcoop.brand.cards import (
    logo_box,
    render_end_card,
    render_lower_third,
    render_partner_bumper,
    render_title_card,
)
from vidcoop.brand.kit import BrandKit, load_kit
from vidcoop.text.box import fit_block

PARTNER_LOGO = Path(__file__).resolve().parents[2] / "examples" / "channel" / "partners" / "caritas-musterstadt.png"


@pytest.fixture(scope="module", params=["neutral", "wege-zum-job"])
def kit(request: pytest.FixtureRequest) -> BrandKit:
    return load_kit(request.param)


def test_title_card(kit: BrandKit, tmp_path: Path) -> None:
    card = render_title_card(kit, "Bürgergeld für Schülerinnen und Schüler: Größere Änderungen", "Ab März",
                             tmp_path / "title.png")
    with Image.open(card.path) as img:
        assert img.size == (1080, 1920)
    assert set(card.boxes) == {"logo", "title", "subtitle"}
    for box in card.boxes.values():
        assert kit.safe_zone.contains(box), box
    assert card.boxes["logo"].bottom < card.boxes["title"].y < card.boxes["subtitle"].y


def test_end_card(kit: BrandKit, tmp_path: Path) -> None:
    card = render_end_card(kit, "Folg uns für mehr Tipps rund um Ausbildung!", tmp_path / "end.png",
                           subline="Jede Woche neu")
    assert {"cta", "subline", "logo", "rule"} <= set(card.boxes)
    assert all(kit.safe_zone.contains(b) for b in card.boxes.values())


def test_partner_bumper(kit: BrandKit, tmp_path: Path) -> None:
    card = render_partner_bumper(kit, PARTNER_LOGO, tmp_path / "bumper.png", name="Caritas Musterstadt")
    assert kit.safe_zone.contains(card.boxes["logo"]) and kit.safe_zone.contains(card.boxes["name"])
    with Image.open(card.path) as img:
        # the background is the kit's colour at a corner (the frame is neutral, not the partner's)
        assert img.convert("RGB").getpixel((5, 5)) == tuple(int(kit.colors.background[i:i + 2], 16) for i in (1, 3, 5))


def test_lower_third_has_alpha_and_sits_in_the_zone(kit: BrandKit, tmp_path: Path) -> None:
    lt = render_lower_third(kit, "Jörg Weiß", "Sozialberater", tmp_path / "lt.png")
    with Image.open(lt.path) as img:
        assert img.mode == "RGBA"
        assert img.getpixel((0, 0))[3] == 0  # rounded corner is transparent
        assert (img.width, img.height) == (lt.box.width, lt.box.height)
    assert kit.safe_zone.contains(lt.box)
    assert lt.box.bottom == 1920 - kit.lower_third.margin_bottom


def test_logo_box_is_in_the_zone(kit: BrandKit) -> None:
    assert kit.safe_zone.contains(logo_box(kit))


def test_umlauts_are_drawn_not_boxes(kit: BrandKit) -> None:
    # 'Ä' must differ from 'A' and from the .notdef box: compare rendered masks
    from vidcoop.text.fonts import load_font

    font = load_font(kit.fonts.bold, 64)
    masks = {ch: bytes(font.getmask(ch)) for ch in ("A", "Ä", "\U0010fffd")}
    assert masks["Ä"] != masks["A"] and masks["Ä"] != masks["\U0010fffd"]


def test_fit_block_shrinks_long_compounds_and_balances(kit: BrandKit) -> None:
    long_word = fit_block("Grundsicherungsberechtigungsnachweis", kit.fonts.bold, size=120, min_size=40,
                         max_width=840, max_lines=2)
    assert long_word.size < 120 and long_word.width() <= 840 and len(long_word.lines) == 1
    balanced = fit_block("Folg uns für mehr!", kit.fonts.bold, size=96, min_size=96, max_width=700, max_lines=3)
    assert balanced.lines == ("Folg uns", "für mehr!")


def test_a_word_too_long_even_at_min_size_still_stays_inside(kit: BrandKit) -> None:
    word = "Grundsicherungsberechtigungsnachweisformular"
    fitted = fit_block(f"{word} {word}", kit.fonts.bold, size=108, min_size=56, max_width=600, max_lines=3)
    assert fitted.size < 56 and fitted.width() <= 600 and fitted.lines == (word, word)


def test_card_text_never_ends_a_line_on_an_article_or_preposition(kit: BrandKit) -> None:
    # the card fitter is the job board's and the captions' (vidcoop.text): greedy wrapping
    # gave "Alles über das / Bürgergeld für / ..."
    from vidcoop.text.breaks import DANGLING_WORDS, bare

    fitted = fit_block("Alles über das Bürgergeld für Familien mit Kindern", kit.fonts.bold, size=96, min_size=56,
                       max_width=800, max_lines=3)
    assert len(fitted.lines) <= 3 and fitted.width() <= 800
    assert not [line for line in fitted.lines[:-1] if bare(line.split()[-1]) in DANGLING_WORDS]

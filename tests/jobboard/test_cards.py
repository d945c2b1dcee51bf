"""Real cards: text inside its boxes, a QR code that decodes, each partner's own logo, the cache."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.card import draw_card
from vidcoop.jobboard.model import Job
from vidcoop.jobboard.reader import loads_csv
from vidcoop.jobboard.validation import validate

from .conftest import GREEN, RED

ROWS = [
    "Heilerziehungspflegerin (m/w/d);rot;Köln-Mülheim;Teilzeit, 30 Std./Woche;01.12.2026;"
    "Du begleitest Menschen mit Behinderung im Alltag \u2013 in einem herzlichen Team mit Supervision.;"
    "https://www.rot.example.de/karriere/stellen/heilerziehungspflege-12345?quelle=tiktok;31.12.2026",
    "Fachkraft für Arbeitsmarktintegration;gruen;Düsseldorf;Vollzeit;ab sofort;Beratung & Begleitung;"
    "bewerbung@gruen-duesseldorf.example.de;2026-12-15",
    "Pfleger:in;gruen;Größenwahn an der Übach;Minijob;;;+49 561 123456-0;2026-12-15",
]


def jobs(board: BoardChannel) -> list[Job]:
    text = "title;partner;location;hours;start;description;apply;expires\n" + "\n".join(ROWS)
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    assert not report.invalid
    return list(report.ok)


def _blank(values: dict[str, str], name: str) -> dict[str, str]:
    return {**values, name: ""}


def test_text_stays_inside_its_box(board: BoardChannel) -> None:
    from PIL import ImageChops

    template = board.template
    boxes = {t.name: t.box for t in template.texts}
    for job in jobs(board):
        card = draw_card(job.fields(), board.partners[job.partner], board)
        assert card.image.size == (1080, 1920)
        for name, (l0, t0, r0, b0) in card.ink.items():
            left, top, right, bottom = boxes[name]
            assert left <= l0 and top <= t0 and r0 <= right and b0 <= bottom, (job.row, name, card.ink[name])
        # Independently of the renderer's own measurement: the pixels a field changes lie in its box.
        for field, box_name in (("title", "title"), ("description", "description")):
            values = job.fields()
            if not values[field]:
                continue
            without = draw_card(_blank(values, field), board.partners[job.partner], board).image
            diff = ImageChops.difference(card.image, without).getbbox()
            assert diff is not None
            left, top, right, bottom = boxes[box_name]
            assert left <= diff[0] and top <= diff[1] and diff[2] <= right and diff[3] <= bottom, (field, diff)


def test_everything_is_inside_the_safe_zone(board: BoardChannel) -> None:
    sl, st, sr, sb = board.safe_box
    for job in jobs(board):
        card = draw_card(job.fields(), board.partners[job.partner], board)
        for l0, t0, r0, b0 in [*card.ink.values(), card.qr_box]:
            assert sl <= l0 and st <= t0 and r0 <= sr and b0 <= sb


def test_qr_code_decodes_to_the_apply_target_and_is_big_enough(board: BoardChannel) -> None:
    import zxingcpp

    for job in jobs(board):
        card = draw_card(job.fields(), board.partners[job.partner], board)
        assert card.qr.symbol_px >= 300
        assert card.qr.level in ("H", "Q", "M")
        found = zxingcpp.read_barcodes(card.image)
        assert [r.text for r in found] == [job.apply.target]
        # also from a phone-ish downscaled frame (540x960)
        small = card.image.resize((540, 960))
        assert [r.text for r in zxingcpp.read_barcodes(small)] == [job.apply.target]


def _colour_share(image, box, colour) -> float:  # type: ignore[no-untyped-def]
    import numpy as np

    region = np.asarray(image.crop(box).convert("RGB"), dtype=np.int16)
    near = (np.abs(region - np.array(colour, dtype=np.int16)) < 30).all(axis=-1)
    return float(near.mean())


def test_each_card_shows_only_its_own_partners_logo(board: BoardChannel) -> None:
    cards = {job.partner: draw_card(job.fields(), board.partners[job.partner], board) for job in jobs(board)}
    logo_box = board.template.logo
    red_card, green_card = cards["rot"].image, cards["gruen"].image
    assert _colour_share(red_card, logo_box, RED) > 0.3
    assert _colour_share(red_card, (0, 0, 1080, 1920), GREEN) == 0
    assert _colour_share(green_card, logo_box, GREEN) > 0.3
    assert _colour_share(green_card, (0, 0, 1080, 1920), RED) == 0


def test_cache_redraws_only_the_changed_card(board: BoardChannel, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import vidcoop.jobboard.card as card_module
    from vidcoop.jobboard import cache as cache_module
    from vidcoop.jobboard.cache import render_cards

    calls: list[str] = []
    real = card_module.draw_card

    def counting(values, partner, channel):  # type: ignore[no-untyped-def]
        calls.append(values["title"])
        return real(values, partner, channel)

    monkeypatch.setattr(cache_module, "draw_card", counting)  # where render_cards looks it up
    first = jobs(board)
    files = render_cards(first, board, tmp_path)
    assert len(calls) == 3 and all(f.rendered for f in files)
    again = render_cards(first, board, tmp_path)
    assert len(calls) == 3 and not any(f.rendered for f in again)
    changed = [first[0], replace(first[1], location="Duisburg"), first[2]]
    third = render_cards(changed, board, tmp_path)
    assert calls[3:] == [first[1].title]
    assert [f.rendered for f in third] == [False, True, False]
    assert len(list(tmp_path.glob("card-*.png"))) == 4
    # a different template changes every key
    other = replace(board, template=replace(board.template, accent="#00ffff"))
    assert all(f.rendered for f in render_cards(first, other, tmp_path))

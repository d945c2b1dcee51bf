"""Card templates from YAML, the safe zone, and text fitting rules."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from vidcoop.errors import ManifestError
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.card import draw_card
from vidcoop.jobboard.templates import get_template, load_template, safe_zoom, template_from_dict
from vidcoop.resources import kit_dir
from vidcoop.text.box import fit_box

BOLD = kit_dir("neutral") / "fonts" / "AtkinsonHyperlegible-Bold.ttf"


def test_yaml_template_changes_a_box_and_the_card_follows_it(tmp_path: Path, board: BoardChannel) -> None:
    path = tmp_path / "jobcard.yaml"
    path.write_text(
        "version: 1\ncard:\n  background: '#222222'\n  texts:\n"
        "    - {name: title, box: [80, 400, 700, 600], size: 60, min_size: 40, align: center}\n",
        encoding="utf-8",
    )
    template = load_template(path, safe=board.safe_box)
    title = next(t for t in template.texts if t.name == "title")
    assert title.box == (80, 400, 700, 600) and title.font == "bold" and title.align == "center"
    card = draw_card(
        {"title": "Heilerziehungspflegerin (m/w/d)", "location": "Köln", "hours": "Vollzeit", "start": "",
         "description": "", "apply": "rot.example.de", "apply_target": "https://rot.example.de",
         "expires": "31.12.2026", "partner": "rot"},
        board.partners["rot"], replace(board, template=template),
    )
    left, top, right, bottom = card.ink["title"]
    assert left >= 80 and top >= 400 and right <= 700 and bottom <= 600
    assert card.image.getpixel((1070, 1910)) == (0x22, 0x22, 0x22)


@pytest.mark.parametrize(("data", "field"), [
    ({"texts": [{"name": "title", "box": [80, 100, 900, 300]}]}, "card.title.box"),   # above the safe zone
    ({"qr": [80, 1100, 520, 1540]}, "card.qr.box"),                                    # into the bottom UI
    ({"qr": [80, 1000, 300, 1220]}, "card.qr.box"),                                    # too small to scan
    ({"colour": "#fff"}, "card.colour"),
    ({"texts": [{"name": "title", "align": "justify"}]}, "card.title.align"),
])
def test_bad_templates_name_the_field(data: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ManifestError) as exc:
        template_from_dict(data, path="kit/jobcard.yaml")
    assert exc.value.field == field and exc.value.path == "kit/jobcard.yaml"
    assert pickle.loads(pickle.dumps(exc.value)).field == field


def test_zoom_is_clamped_to_the_safe_zone() -> None:
    zoom = safe_zoom(get_template(), (60, 160, 960, 1440))
    assert 1.0 < zoom < 1.05


def test_long_compound_shrinks_before_it_is_hyphenated() -> None:
    fit = fit_box("Heilerziehungspflegerin (m/w/d)", BOLD, (860, 270), 80, 52, max_lines=3)
    assert fit is not None and fit.lines[0] == "Heilerziehungspflegerin" and fit.size < 80


def test_web_address_breaks_only_at_its_own_separators() -> None:
    url = "www.caritas-musterstadt.de/karriere/stellen/heilerziehungspflege-12345"
    fit = fit_box(f"Jetzt bewerben:\n{url}", BOLD, (400, 330), 38, 26, max_lines=6)
    assert fit is not None
    assert "".join(fit.lines[1:]) == url  # nothing added, nothing lost
    assert all(line.endswith(("/", "-", "@")) for line in fit.lines[1:-1])


@pytest.mark.parametrize("address", ["bewerbung@diakonie-musterstadt.de",
                                     "www.paritaet-musterstadt.de/jobs/erzieherin-kita-sonnenblume"])
@pytest.mark.parametrize("width", [260, 300, 340, 400, 480])
def test_addresses_break_only_after_at_slash_or_hyphen(address: str, width: int) -> None:
    fit = fit_box(f"Bewerben:\n{address}", BOLD, (width, 400), 38, 24, max_lines=6)
    assert fit is not None
    assert "".join(fit.lines[1:]) == address
    for line in fit.lines[1:-1]:  # never "diakonie-musterstadt." / "de"
        assert line.endswith(("@", "/", "-")), fit.lines


def test_text_that_cannot_fit_returns_none() -> None:
    assert fit_box("Donaudampfschifffahrtsgesellschaftskapitänsmütze " * 6, BOLD, (400, 100), 40, 30) is None

"""channel.yaml loading: the example loads; every kind of mistake names file, field and expectation."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from vidcoop.channel.bumpers import partner_bumper
from vidcoop.channel.config import Channel, load_channel
from vidcoop.errors import ManifestError

from .conftest import EXAMPLE_CHANNEL


def test_example_channel_loads(channel: Channel) -> None:
    assert channel.name == "Wege zum Job"
    assert channel.language == "de"
    assert channel.glossary == EXAMPLE_CHANNEL.parent / "glossary.yaml"
    assert channel.kit_path.parent.name == "wege-zum-job"
    explainer = channel.format("erklaervideo")
    assert explainer.partner_slots == () and explainer.slot_capacity == 0
    assert explainer.structure.end_card and explainer.caption_style == "subtitle"
    board = channel.format("stellenboerse")
    assert board.slot_capacity == 4
    assert [s.position for s in board.partner_slots] == ["after-intro", "between-items", "before-outro"]
    assert board.slots_at("between-items")[0].max_bumper_length == Fraction(2)
    assert board.max_length == Fraction(120)
    assert set(channel.partners) == {"caritas-musterstadt", "diakonie-musterstadt", "paritaetischer-musterstadt"}
    assert channel.partner("paritaetischer-musterstadt").name == "Paritätischer Musterstadt"
    assert channel.kit().name == "Wege zum Job"


def test_example_glossary_has_the_terms() -> None:
    data = yaml.safe_load((EXAMPLE_CHANNEL.parent / "glossary.yaml").read_text(encoding="utf-8"))
    assert {"Jobcenter", "Bürgergeld", "Caritas", "Diakonie", "SGB II", "Paritätische"} <= set(data["terms"])
    assert data["replace"] == {"Job Center": "Jobcenter"}


def test_unknown_format_and_partner_lookups_name_the_known_ones(channel: Channel) -> None:
    with pytest.raises(ManifestError, match=r"unknown format 'quiz' \(known: erklaervideo, stellenboerse\)"):
        channel.format("quiz")
    with pytest.raises(ManifestError, match="unknown partner 'awo'"):
        channel.partner("awo")


def test_partner_bumper_kinds(channel: Channel, tmp_path: Path) -> None:
    still = partner_bumper(channel, "diakonie-musterstadt")
    assert still.source.name == "diakonie-musterstadt-bumper.png" and still.duration == Fraction(2)
    generated = partner_bumper(channel, "caritas-musterstadt", tmp_path)
    assert generated.source.parent == tmp_path and generated.duration == Fraction(5, 2)
    from PIL import Image

    with Image.open(generated.source) as img:
        assert img.size == (1080, 1920)
    again = partner_bumper(channel, "caritas-musterstadt", tmp_path)
    assert again.source == generated.source  # cached by content


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    (tmp_path / "logo.png").write_bytes((EXAMPLE_CHANNEL.parent / "partners" / "caritas-musterstadt.png").read_bytes())
    path = tmp_path / "channel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _base() -> dict[str, Any]:
    return {
        "version": 1,
        "name": "Test",
        "brand_kit": "neutral",
        "formats": {"erklaervideo": {"max_length": 60}},
        "partners": {"caritas": {"name": "Caritas", "logo": "logo.png"}},
    }


def _error(tmp_path: Path, data: dict[str, Any]) -> ManifestError:
    path = _write(tmp_path, data)
    with pytest.raises(ManifestError) as info:
        load_channel(path)
    assert info.value.path == str(path.resolve()) or info.value.path == str(path)
    return info.value


def test_minimal_channel_resolves_relative_paths(tmp_path: Path) -> None:
    ch = load_channel(_write(tmp_path, _base()))
    assert ch.partners["caritas"].logo == (tmp_path / "logo.png").resolve()
    assert ch.partners["caritas"].bumper.kind == "generated"
    assert ch.kit_path.parent.name == "neutral"
    assert ch.format("erklaervideo").structure.intro


def test_version_must_be_1(tmp_path: Path) -> None:
    err = _error(tmp_path, {**_base(), "version": 2})
    assert err.field == "version"
    assert err.message == "Input should be 1 (got 2)"


def test_extra_field_is_refused(tmp_path: Path) -> None:
    data = _base()
    data["formats"]["erklaervideo"]["slots"] = 1
    err = _error(tmp_path, data)
    assert err.field == "formats.erklaervideo.slots"
    assert err.message == "unknown key 'slots' in formats.erklaervideo"


def test_missing_field(tmp_path: Path) -> None:
    data = _base()
    del data["formats"]["erklaervideo"]["max_length"]
    err = _error(tmp_path, data)
    assert (err.field, err.message) == ("formats.erklaervideo.max_length", "missing required key 'max_length'")


def test_bad_slot_values_name_the_dotted_path(tmp_path: Path) -> None:
    data = _base()
    data["formats"]["stellenboerse"] = {
        "max_length": 60,
        "partner_slots": [{"position": "after-intro", "max_bumper_length": 3},
                          {"position": "middle", "max_bumper_length": 2, "count": 0}],
    }
    err = _error(tmp_path, data)
    assert err.field == "formats.stellenboerse.partner_slots.1.position"
    assert err.message == "Input should be 'after-intro', 'between-items' or 'before-outro' (got 'middle')"
    assert err.hint == "1 more problem: formats.stellenboerse.partner_slots.1.count: Input should be " \
                       "greater than or equal to 1 (got 0)"


def test_bumper_video_with_duration_is_refused(tmp_path: Path) -> None:
    data = _base()
    (tmp_path / "b.mp4").write_bytes(b"")
    data["partners"]["caritas"]["bumper"] = {"video": "b.mp4", "duration": 2}
    err = _error(tmp_path, data)
    assert err.field == "partners.caritas.bumper"
    assert err.message == "no duration: for a video bumper (its length comes from the file)"


def test_missing_partner_logo(tmp_path: Path) -> None:
    data = _base()
    data["partners"]["caritas"]["logo"] = "nope.png"
    err = _error(tmp_path, data)
    assert (err.field, err.message) == ("partners.caritas.logo", "file not found: nope.png")


def test_bad_partner_id(tmp_path: Path) -> None:
    data = _base()
    data["partners"]["Caritas Musterstadt"] = data["partners"].pop("caritas")
    err = _error(tmp_path, data)
    assert err.field == "partners.Caritas Musterstadt"


def test_unknown_kit(tmp_path: Path) -> None:
    err = _error(tmp_path, {**_base(), "brand_kit": "no-such-kit"})
    assert err.field == "brand_kit"
    assert "brand kit 'no-such-kit' not found" in err.message


def test_not_a_mapping_and_bad_yaml(tmp_path: Path) -> None:
    path = tmp_path / "channel.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="must be a YAML mapping"):
        load_channel(path)
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid YAML at line"):
        load_channel(path)
    with pytest.raises(ManifestError, match="channel config not found"):
        load_channel(tmp_path / "missing.yaml")


def test_after_intro_slot_needs_an_intro(tmp_path: Path) -> None:
    data = _base()
    data["formats"]["stellenboerse"] = {
        "max_length": 60, "structure": {"intro": False},
        "partner_slots": [{"position": "after-intro", "max_bumper_length": 3}],
    }
    err = _error(tmp_path, data)
    assert err.field == "formats.stellenboerse"
    assert err.message == "structure.intro: true for a format with an after-intro partner slot"

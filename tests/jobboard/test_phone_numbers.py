"""Phone numbers for the QR code go through libphonenumber, Germany the default region (issue #31, 13)."""

from __future__ import annotations

import pytest

from vidcoop.jobboard import validate
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.reader import loads_csv
from vidcoop.jobboard.validation import parse_contact

HEADER = "title;partner;location;hours;start;description;apply;expires"


@pytest.mark.parametrize(("text", "target"), [
    ("+49 (0) 561 / 12 34 56", "tel:+49561123456"),  # the trunk 0 in brackets is not dialled after +49
    ("+49 (0)561-123456", "tel:+49561123456"),
    ("+49 0561 123456", "tel:+49561123456"),
    ("(0561) 12 34 56", "tel:+49561123456"),
    ("0561/123456", "tel:+49561123456"),
    ("0049 561 123456", "tel:+49561123456"),
    ("0171 1234567", "tel:+491711234567"),
    ("tel:0561 123456", "tel:+49561123456"),
    ("+43 1 234567", "tel:+431234567"),
])
def test_the_qr_code_dials_the_number_in_international_form(text: str, target: str) -> None:
    contact = parse_contact(text)
    assert (contact.kind, contact.target) == ("phone", target)


def test_the_card_shows_the_number_as_written() -> None:
    assert parse_contact("+49 (0) 561 / 12 34 56").display == "+49 (0) 561 / 12 34 56"


@pytest.mark.parametrize(("text", "words"), [
    ("123456", "not a valid phone number"),  # no area code: a phone cannot dial it
    ("+999 561 123456", "unknown country code"),
    ("0" * 40, "too long"),
    ("+49 1", "too short"),
])
def test_what_libphonenumber_cannot_dial_is_refused(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_contact(text)


def test_a_number_that_cannot_be_dialled_makes_its_row_invalid_naming_the_field(board: BoardChannel) -> None:
    rows = ["Koch (m/w/d);rot;Köln;Vollzeit;;;+49 (0) 561 / 12 34 56;31.12.2026",
            "Köchin (m/w/d);rot;Köln;Vollzeit;;;12 34 56;31.12.2026"]
    report = validate(loads_csv("\n".join([HEADER, *rows]).encode()), board, "2026-W48")
    assert [(j.row, j.apply.target) for j in report.ok] == [(2, "tel:+49561123456")]
    assert [(i.row, i.field, i.value) for i in report.invalid] == [(3, "apply", "12 34 56")]
    assert "not a valid phone number" in report.invalid[0].message

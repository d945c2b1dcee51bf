"""The job board's validation messages reach the partner's form in German, every one of them."""

from __future__ import annotations

import pytest

from tests.partners.conftest import CARITAS, WEEK, job
from vidcoop.partners import ListingInvalid, PartnerStore
from vidcoop.partners.messages import german

CASES = [
    ("Bewerbung", "ftp://caritas.example", "Webadressen beginnen mit http:// oder https://"),
    ("Bewerbung", "https://caritas", "keinen gültigen Servernamen"),
    ("Bewerbung", "https://anna:geheim@caritas.example", "keinen Benutzernamen"),
    ("Bewerbung", "https://caritas.example:99999", "ungültigen Port"),
    ("Bewerbung", "bewerbung@caritas", "keine gültige E-Mail-Adresse"),
    ("Bewerbung", "www.caritas.example", "Webadressen beginnen mit https://"),
    ("Bewerbung", "bei Frau Müller", "bitte eine Webadresse"),
    ("Bewerbung", "0561 12", "Telefonnummer"),
    ("Gültig bis", "Ende Januar", "bitte ein Datum wie 01.12.2026"),
    ("Gültig bis", "01.01.2300", "bitte ein Jahr zwischen 2000 und 2199"),
    ("Gültig bis", "31.02.2027", "diesen Tag gibt es im Kalender nicht"),
    ("Beginn", "bald", "(oder „ab sofort“)"),
    ("Titel", "x" * 301, "zu lang: 301 Zeichen, höchstens 300 sind erlaubt"),
    ("Ort", "", "Pflichtfeld"),
    ("Titel", "Pflege 看护", "hat kein Zeichen für"),
    ("Beschreibung", "Sehr viel Text. " * 100, "zu lang für die Karte"),
]


@pytest.mark.parametrize(("column", "value", "words"), CASES)
def test_message_in_german(store: PartnerStore, column: str, value: str, words: str) -> None:
    with pytest.raises(ListingInvalid) as info:
        store.save_listing(CARITAS, WEEK, job(**{column: value}))
    problems = info.value.problems
    assert list(problems) == [column]
    assert words in problems[column]
    assert problems[column] != info.value.problems_en[column]  # translated, not passed through


def test_unknown_message_is_kept_not_dropped() -> None:
    assert german("a message nobody translated") == "a message nobody translated"

"""Why a job row is not shown, in the words of each language: one catalogue, keyed, at the source.

Validation records a key and its values on every :class:`~vidcoop.jobboard.model.JobRowIssue`;
the English text (the CLI, reports, ``batch-report.json``) and the German one (the studio's
default, the teams' language) are both made from it here, so no reason is translated by
matching English sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "de")

REASONS: dict[str, dict[str, str]] = {
    "extra_cells": {"en": "more cells than columns (a stray delimiter?)",
                    "de": "mehr Zellen als Spalten (ein Trennzeichen zu viel?)"},
    "too_long": {"en": "too long: {length} characters, at most {limit} are accepted",
                 "de": "zu lang: {length} Zeichen, höchstens {limit} sind erlaubt"},
    "required": {"en": "required field is empty", "de": "Pflichtfeld ist leer"},
    "unknown_partner": {"en": "unknown partner id (known: {known})", "de": "unbekannte Partner-ID (bekannt: {known})"},
    "date_format": {"en": "expected a date like 2026-12-01 or 01.12.2026",
                    "de": "Datum erwartet, etwa 2026-12-01 oder 01.12.2026"},
    "date_year": {"en": "expected a year between {low} and {high}", "de": "Jahr zwischen {low} und {high} erwartet"},
    "date_day": {"en": "no such day in the calendar", "de": "diesen Tag gibt es im Kalender nicht"},
    "url_scheme": {"en": "web addresses must start with http:// or https://",
                   "de": "Webadressen müssen mit http:// oder https:// beginnen"},
    "url_host": {"en": "the web address has no valid host name", "de": "die Webadresse hat keinen gültigen Hostnamen"},
    "url_userinfo": {"en": "the web address must not contain a user name or password",
                     "de": "die Webadresse darf keinen Benutzernamen und kein Passwort enthalten"},
    "url_port": {"en": "the web address has an invalid port", "de": "die Webadresse hat einen ungültigen Port"},
    "email": {"en": "not a valid e-mail address", "de": "keine gültige E-Mail-Adresse"},
    "url_www": {"en": "web addresses must start with https:// (or http://)",
                "de": "Webadressen müssen mit https:// (oder http://) beginnen"},
    "contact": {"en": "expected a web address, an e-mail address or a phone number",
                "de": "Webadresse, E-Mail-Adresse oder Telefonnummer erwartet"},
    "phone_country": {"en": "the phone number has an unknown country code",
                      "de": "die Telefonnummer hat eine unbekannte Ländervorwahl"},
    "phone_short": {"en": "the phone number is too short", "de": "die Telefonnummer ist zu kurz"},
    "phone_long": {"en": "the phone number is too long", "de": "die Telefonnummer ist zu lang"},
    "phone_not": {"en": "not a phone number", "de": "keine Telefonnummer"},
    "phone_invalid": {"en": "not a valid phone number (with the area code, e.g. 0561 123456 or +49 561 123456)",
                      "de": "keine gültige Telefonnummer (mit Vorwahl, z. B. 0561 123456 oder +49 561 123456)"},
    # A start date that does not parse: the date's own reason ({inner}, a key here), and the words instead.
    "start": {"en": "{inner} (or 'ab sofort')", "de": "{inner} (oder „ab sofort“)"},
    "no_glyph": {"en": "the card font has no glyph for {chars} (drawn as empty boxes)",
                 "de": "der Kartenschrift fehlen die Zeichen {chars} (sie erschienen als leere Kästchen)"},
    "box_overflow": {"en": "too long for the card's {box} box even at {size}px",
                     "de": "zu lang für das Feld „{box}“ der Karte, auch bei {size} px"},
    "qr_too_long": {"en": "too long for a QR code that phones can scan from the screen",
                    "de": "zu lang für einen QR-Code, den Handys vom Bildschirm lesen können"},
    "duplicate": {"en": "the same job as row {first}", "de": "dieselbe Stelle wie Zeile {first}"},
    "expired": {"en": "expired on {date}", "de": "abgelaufen am {date}"},
}

#: The columns of the jobs file as the studio names them (English keeps the column names).
FIELD_NAMES: dict[str, dict[str, str]] = {
    "de": {"title": "Titel", "partner": "Partner", "location": "Ort", "hours": "Arbeitszeit", "start": "Beginn",
           "description": "Beschreibung", "apply": "Bewerbung", "expires": "Ablaufdatum", "row": "Zeile"},
    "en": {},
}


def reason_text(key: str, params: Mapping[str, str], lang: str = "en") -> str:
    """The reason ``key`` with its values, in ``lang`` (English for a language it does not know)."""
    texts = REASONS[key]
    values = dict(params)
    inner = values.pop("inner", None)
    if inner is not None:
        values["inner"] = reason_text(inner, values, lang) if inner in REASONS else inner
    return texts.get(lang, texts["en"]).format(**values)


def field_name(field: str, lang: str = "en") -> str:
    """A jobs-file column as ``lang`` names it."""
    return FIELD_NAMES.get(lang, {}).get(field, field)


def row_reasons(row: Mapping[str, Any], lang: str = "en") -> str:
    """Why a left-out job row is not shown (an entry of ``left_out_rows``), in ``lang``:
    "Partner: unbekannte Partner-ID (bekannt: ...): 'awo-musterstadt'". Entries without keyed
    reasons (older reports) give their stored text."""
    parts = []
    for reason in row.get("reasons") or ():
        key = reason.get("key") or ""
        params = reason.get("params") or {}
        text = reason_text(key, params, lang) if key in REASONS else str(reason.get("message") or "")
        value = f": {reason['value']!r}" if reason.get("value") else ""
        parts.append(f"{field_name(str(reason.get('field') or ''), lang)}: {text}{value}")
    return "; ".join(parts) or str(row.get("reason") or "")


class ReasonError(ValueError):
    """A value that does not parse, with its reason's key (its text is the English reason)."""

    def __init__(self, key: str, **params: str) -> None:
        self.key = key
        self.params = params
        super().__init__(reason_text(key, params))

    def __reduce__(self) -> tuple[object, ...]:  # keyword values do not survive pickle's default
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: dict[str, str]) -> ReasonError:
    return ReasonError(key, **params)

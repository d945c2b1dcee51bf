"""The job board's validation messages in German, for the partner's form.

The job board (:mod:`vidcoop.jobboard.validation`) reports in English for the editor's terminal;
partners read German. Each pattern here matches one of its messages; a message no pattern knows
is shown as it is, never dropped (:func:`german`).
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), g) for p, g in (
    (r"^required field is empty$", "Pflichtfeld: bitte ausfüllen"),
    (r"^too long: (\d+) characters, at most (\d+) are accepted$", r"zu lang: \1 Zeichen, höchstens \2 sind erlaubt"),
    (r"^unknown partner id \(known: .*\)$", "unbekannter Partner"),
    (r"^expected a date like .*$", "bitte ein Datum wie 01.12.2026 (oder 2026-12-01)"),
    (r"^expected a year between (\d+) and (\d+)$", r"bitte ein Jahr zwischen \1 und \2"),
    (r"^no such day in the calendar$", "diesen Tag gibt es im Kalender nicht"),
    (r"^web addresses must start with http:// or https://$", "Webadressen beginnen mit http:// oder https://"),
    (r"^web addresses must start with https:// \(or http://\)$",
     "Webadressen beginnen mit https:// (oder http://)"),
    (r"^the web address has no valid host name$", "die Webadresse hat keinen gültigen Servernamen"),
    (r"^the web address must not contain a user name or password$",
     "die Webadresse darf keinen Benutzernamen und kein Passwort enthalten"),
    (r"^the web address has an invalid port$", "die Webadresse hat einen ungültigen Port"),
    (r"^not a valid e-mail address$", "keine gültige E-Mail-Adresse"),
    (r"^expected a web address, an e-mail address or a phone number$",
     "bitte eine Webadresse (https://…), eine E-Mail-Adresse oder eine Telefonnummer"),
    (r"^the phone number has an unknown country code$", "die Telefonnummer hat eine unbekannte Ländervorwahl"),
    (r"^the phone number is too short$", "die Telefonnummer ist zu kurz"),
    (r"^the phone number is too long$", "die Telefonnummer ist zu lang"),
    (r"^not a phone number$", "keine Telefonnummer"),
    (r"^not a valid phone number .*$",
     "keine gültige Telefonnummer (mit Vorwahl, z. B. 0561 123456 oder +49 561 123456)"),
    (r"^the card font has no glyph for (.*) \(drawn as empty boxes\)$",
     r"die Schrift der Karte hat kein Zeichen für \1 (es erschiene als leeres Kästchen)"),
    (r"^too long for the card's .* box even at (\d+)px$",
     r"zu lang für die Karte, auch in der kleinsten Schriftgröße (\1 px)"),
    (r"^too long for a QR code that phones can scan from the screen$",
     "zu lang für einen QR-Code, den ein Handy vom Bildschirm lesen kann"),
    (r"^more cells than columns.*$", "mehr Zellen als Spalten"),
    (r"^the same job as row (\d+)$", r"dieselbe Stelle wie Zeile \1"),
))
_START_SUFFIX = " (or 'ab sofort')"


def german(message: str) -> str:
    """``message`` (one of the job board's) in German; unknown ones are returned unchanged."""
    suffix = ""
    if message.endswith(_START_SUFFIX):  # the start date's message carries its alternative
        message, suffix = message[: -len(_START_SUFFIX)], " (oder „ab sofort“)"
    for pattern, text in _RULES:
        if pattern.match(message):
            return pattern.sub(text, message) + suffix
    return message + suffix


def expired_message(monday: str) -> str:
    """German: the listing ends before its week starts, so the board would not show it."""
    return f"liegt vor dem Beginn der Woche ({monday}): die Stelle würde nicht gezeigt"


def past_week_message(week: str) -> str:
    """German: a listing cannot be meant for a week that is over."""
    return f"die Woche {week} ist vorbei; bitte diese oder eine kommende Woche wählen"

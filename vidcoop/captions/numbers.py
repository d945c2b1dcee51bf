"""German numbers, dates, times and phone numbers as a reader expects them in subtitles.

Whisper mixes words and digits ("dreißig Stunden", "30 Stunden", "neun Uhr
dreißig", "ersten Dezember", "0 5 6 1"). Job ads are full of them, so the
``subtitle`` style shows one form:

====================================  ======================
recognised                            shown
====================================  ======================
dreißig Stunden / 30 Stunden          30 Stunden
fünfhundertsechsundfünfzig Euro       556 Euro
drei Jahre / 3 Jahre                  drei Jahre (1-12 stay words, except before a unit)
neun Uhr / 9 Uhr                      9 Uhr
neun Uhr dreißig / 9 Uhr 30 / 9.30    9:30 Uhr
ersten Dezember / 1 Dezember          1. Dezember
null fünf sechs eins, eins zwei ...   0561 123456
====================================  ======================

Timing is never changed: a word keeps its start and end, and words that
become one ("neun Uhr dreißig" → "9:30 Uhr") become one word from the first
word's start to the last word's end, so cue times stay the same. Words are
never reordered.

Phone numbers: a run of at least six digits that starts with 0 becomes an
area code and a number. The area code ends where the speaker paused (a
comma) or where the recogniser started a new group after 3-5 digits;
without either, after 4 digits (the common length of German area codes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from vidcoop.captions.model import Word

_UNITS = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
}  # fmt: skip
_TEENS = {
    "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16,
    "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}  # fmt: skip
_TENS = {
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
    "neunzig": 90,
}  # fmt: skip
_SMALL_WORDS = {
    1: "eins", 2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben", 8: "acht", 9: "neun",
    10: "zehn", 11: "elf", 12: "zwölf",
}  # fmt: skip
_ORDINAL_IRREGULAR = {"erste": 1, "dritte": 3, "siebte": 7, "siebente": 7, "achte": 8}
MONTHS = frozenset(
    [
        "Januar",
        "Jänner",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ]
)
# After these a number is written in digits even when it is small.
# (Not before "Jahre", "Wochen", "Kinder": "drei Jahre" reads better than "3 Jahre".)
UNITS = frozenset(
    [
        "Uhr",
        "Euro",
        "€",
        "Prozent",
        "%",
        "Cent",
        "Stunden",
        "Stunde",
        "Minuten",
        "Minute",
        "Sekunden",
        "Kilometer",
        "km",
        "Meter",
        "Grad",
    ]
)
_TRAIL = re.compile(r"[.,;:!?]+$")


def parse_cardinal(word: str) -> int | None:
    """The value of a German cardinal written as one word ("fünfhundertsechsundfünfzig" → 556), or None."""
    w = word.lower()  # not casefold: that turns "ß" into "ss"
    if not w:
        return None
    if "tausend" in w:
        head, _, tail = w.partition("tausend")
        thousands = 1 if head in ("", "ein") else _below_thousand(head)
        rest = 0 if tail == "" else _below_thousand(tail)
        if thousands is None or rest is None or thousands == 0:
            return None
        return thousands * 1000 + rest
    return _below_thousand(w)


def _below_thousand(w: str) -> int | None:
    if "hundert" in w:
        head, _, tail = w.partition("hundert")
        hundreds = 1 if head in ("", "ein") else _UNITS.get(head)
        rest = 0 if tail == "" else _below_hundred(tail.removeprefix("und"))
        if hundreds is None or rest is None or hundreds == 0:
            return None
        return hundreds * 100 + rest
    return _below_hundred(w)


def _below_hundred(w: str) -> int | None:
    if w in _UNITS:
        return _UNITS[w]
    if w in _TEENS:
        return _TEENS[w]
    if w in _TENS:
        return _TENS[w]
    unit, sep, tens = w.partition("und")
    if sep and tens in _TENS:
        value = {"ein": 1}.get(unit, _UNITS.get(unit))
        if value is not None and value > 0:
            return _TENS[tens] + value
    return None


def parse_ordinal(word: str) -> int | None:
    """The value of a German ordinal word in any ending ("ersten" → 1, "dritte" → 3, "zwanzigsten" → 20)."""
    w = word.lower()
    for ending in ("", "n", "r", "s", "m"):
        if not w.endswith(ending):
            continue
        base = w[: len(w) - len(ending)] if ending else w
        if base in _ORDINAL_IRREGULAR:
            return _ORDINAL_IRREGULAR[base]
        # 2-19 take "-te" (zweite, neunzehnte), 20 and above "-ste" (zwanzigste).
        for suffix, small in (("ste", False), ("te", True)):
            if base.endswith(suffix):
                value = parse_cardinal(base[: -len(suffix)])
                if value is not None and value >= 2 and (value < 20) == small:
                    return value
    return None


def _number(core: str) -> int | None:
    """A word as a cardinal: digits or a number word."""
    if core.isdigit():
        return int(core)
    return parse_cardinal(core)


def _split(text: str) -> tuple[str, str]:
    """(core, trailing punctuation)."""
    m = _TRAIL.search(text)
    return (text[: m.start()], m.group()) if m else (text, "")


def _merge(words: Sequence[Word], text: str) -> Word:
    return replace(words[0], text=text, end=words[-1].end, probability=min(w.probability for w in words))


def normalise_words(words: Sequence[Word]) -> tuple[Word, ...]:
    """German numbers, dates, times and phone numbers in reading form; times kept (see module doc)."""
    out: list[Word] = []
    i = 0
    words = [w for w in words if w.text.strip()]
    while i < len(words):
        for rule in (_phone, _time, _date, _cardinal):
            found = rule(words, i)
            if found is not None:
                n, word = found
                out.append(word)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def _core(w: Word) -> str:
    return _split(w.text.strip())[0]


def _trail(w: Word) -> str:
    return _split(w.text.strip())[1]


def _digit_group(w: Word) -> str | None:
    """A word as a group of phone digits: "0561", "null", "fünf" (single digits only as words)."""
    core = _core(w)
    if core.isdigit():
        return core
    value = _UNITS.get(core.casefold())
    if value is not None and core.casefold() not in ("ein", "eine", "einen"):
        return str(value)
    return None


def _phone(words: Sequence[Word], i: int) -> tuple[int, Word] | None:
    groups: list[tuple[str, bool]] = []  # (digits, pause after)
    j = i
    while j < len(words):
        g = _digit_group(words[j])
        if g is None:
            break
        groups.append((g, _trail(words[j]) == ","))
        j += 1
        if _trail(words[j - 1]) and _trail(words[j - 1]) != ",":
            break
    digits = "".join(g for g, _ in groups)
    if len(groups) < 2 or len(digits) < 6 or not digits.startswith("0"):
        return None
    # The area code: up to the first pause, else the first group of 3-5 digits, else 4 digits.
    area = None
    at = 0
    for g, pause in groups:
        at += len(g)
        if pause and 3 <= at <= 5:
            area = at
            break
    if area is None and 3 <= len(groups[0][0]) <= 5:
        area = len(groups[0][0])
    if area is None:
        area = 4
    trail = _trail(words[j - 1])
    trail = "" if trail == "," else trail
    return j - i, _merge(words[i:j], f"{digits[:area]} {digits[area:]}{trail}")


def _hour(w: Word) -> int | None:
    core = _core(w)
    value = _number(core)
    return value if value is not None and 0 <= value <= 24 and not _trail(w) else None


def _time(words: Sequence[Word], i: int) -> tuple[int, Word] | None:
    core = _core(words[i])
    m = re.fullmatch(r"(\d{1,2})[.:](\d{2})", core)
    if m and i + 1 < len(words) and _core(words[i + 1]) == "Uhr" and int(m.group(1)) <= 24 and int(m.group(2)) < 60:
        return 2, _merge(words[i : i + 2], f"{int(m.group(1))}:{m.group(2)} Uhr{_trail(words[i + 1])}")
    hour = _hour(words[i])
    if hour is None or i + 1 >= len(words) or _core(words[i + 1]) != "Uhr":
        return None
    if not _trail(words[i + 1]) and i + 2 < len(words):
        minutes = _number(_core(words[i + 2]))
        if minutes is not None and 0 < minutes < 60:
            return 3, _merge(words[i : i + 3], f"{hour}:{minutes:02d} Uhr{_trail(words[i + 2])}")
    if _core(words[i]) == str(hour):
        return None
    return 1, replace(words[i], text=str(hour))


def _date(words: Sequence[Word], i: int) -> tuple[int, Word] | None:
    if i + 1 >= len(words) or _trail(words[i]) not in ("", ".") or _core(words[i + 1]) not in MONTHS:
        return None
    core = _core(words[i])
    day = int(core) if core.isdigit() else parse_ordinal(core)
    if day is None or not 1 <= day <= 31:
        return None
    text = f"{day}."
    if text == words[i].text.strip():
        return None
    return 1, replace(words[i], text=text)


def _cardinal(words: Sequence[Word], i: int) -> tuple[int, Word] | None:
    core, trail = _split(words[i].text.strip())
    value = _number(core)
    if value is None or core.casefold() in ("ein", "eine", "einen", "eins", "null"):
        return None
    after = _core(words[i + 1]) if i + 1 < len(words) and not trail else ""
    if value >= 13 or after in UNITS:
        text = f"{value}{trail}"
    elif 2 <= value <= 12:
        near = (words[k].text for k in (i - 1, i + 1) if 0 <= k < len(words))
        if core.isdigit() and any(any(c.isdigit() for c in t) for t in near):
            return None  # part of a longer figure ("12 34")
        text = f"{_SMALL_WORDS[value]}{trail}"
        if core.isdigit():
            text = core + trail if after in UNITS else text
    else:
        return None
    if text == words[i].text.strip():
        return None
    return 1, replace(words[i], text=text)


__all__ = ["MONTHS", "UNITS", "normalise_words", "parse_cardinal", "parse_ordinal"]

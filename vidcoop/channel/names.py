"""Partner names in text: one normal form and one matcher for every text a viewer reads.

The partner rule covers text as it covers pictures: a format without partner slots
names no partner in its title, lower thirds, overlay labels, kit cards or post texts
(:mod:`vidcoop.channel.policy`, :mod:`vidcoop.publish.post`). Both places call
:func:`find_partner`, so a form that slips past one slips past neither.

What counts as a partner's name: its display ``name`` (all of it), its id, and any
``aliases:`` the channel lists for it (``aliases: [Caritas]``). A part of a name alone
does not count: for "Diakonie Musterstadt", "Diakonie" (the church's social work in
general) and "Musterstadt" (a town) are ordinary words; a channel that wants a short
form refused lists it as an alias.

Text and names go through the same :func:`normalise` before matching:

1. NFKC (full-width and styled letters become plain ones), invisible characters removed
   (format characters, category Cf, and Unicode's other default-ignorable code points:
   soft hyphen, zero-width space and joiner, variation selectors, ...), NFKC again;
2. CamelCase split (``#CaritasMusterstadt`` reads as two words), casefold;
3. German transliteration (``ä`` → ``ae``, ``ö`` → ``oe``, ``ü`` → ``ue``, ``ß`` → ``ss``), so
   "Paritätischer" and "Paritaetischer" are the same word; other accents are dropped;
4. confusable skeletons from Unicode's confusables table (the maintained data of the
   ``confusable_homoglyphs`` package): a Cyrillic Es (U+0421) is a Latin "c";
5. every run of characters that are not letters or digits (spaces of any kind, line breaks,
   ``-``, ``_``, ``#``, punctuation) becomes one space.

A name then matches as whole words, with or without spaces between its words and letters
(``caritasmusterstadt``, ``C a r i t a s``), each word with a German inflection ending (-s, -es, -n, -en, -e,
-er, -ern, -em; "des Paritätischen Musterstadts"). A word merely containing a name's letters
("Caritative", "paritätisch gesehen") is another word and passes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vidcoop.channel.config import Channel

#: German inflection endings a name's words may carry in running text.
ENDINGS = ("s", "es", "n", "en", "e", "er", "ern", "em")
#: Endings of a name's own words that are taken off before the endings are added
#: ("Paritätischer" → "Paritätischen"); only where at least :data:`MIN_STEM` letters remain.
STEM_ENDINGS = ("er", "en", "em", "es", "e")
MIN_STEM = 4

#: Default_Ignorable_Code_Point ranges (Unicode DerivedCoreProperties) beyond category Cf: invisible in text.
IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Bidi marks that the confusables data keeps around right-to-left characters.
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f")
# Passes of the pipeline until a text stops changing (a skeleton may uncover another mapping).
_MAX_PASSES = 6


def _invisible(ch: str) -> bool:
    if unicodedata.category(ch) == "Cf":
        return True
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in IGNORABLE)


@cache
def skeletons() -> dict[str, str]:
    """Each confusable character → the one character (or string) standing for its group.

    ``confusable_homoglyphs`` stores Unicode's confusables.txt both ways (source ↔ prototype).
    Every source there has exactly one prototype, so the pairs form stars around the
    prototypes; the busiest member of each group (a multi-character prototype such as "rn"
    first) stands for it, the same for text and names.
    """
    table = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data = json.loads(table.read_text(encoding="utf-8"))
    links: dict[str, set[str]] = {}
    for key, entries in data.items():
        a = key.translate(_BIDI_MARKS)
        for entry in entries:
            b = str(entry["c"]).translate(_BIDI_MARKS)
            if a and b and a != b:
                links.setdefault(a, set()).add(b)
                links.setdefault(b, set()).add(a)
    mapping: dict[str, str] = {}
    seen: set[str] = set()
    for start in sorted(links):
        if start in seen:
            continue
        group, todo = [], [start]
        seen.add(start)
        while todo:
            node = todo.pop()
            group.append(node)
            for other in links[node]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        rep = min(group, key=lambda n: (-(len(n) > 1), -len(links[n]), not n.isascii(), n))
        for node in group:
            if len(node) == 1 and node != rep:
                mapping[node] = rep
    return mapping


def _camel_split(text: str) -> str:
    """``CaritasMusterstadt`` → ``Caritas Musterstadt``; ``ABCDef`` → ``ABC Def``."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if i and ch.isupper():
            prev = text[i - 1]
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if prev.islower() or (prev.isupper() and nxt.islower()):
                out.append(" ")
        out.append(ch)
    return "".join(out)


def _one_pass(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not _invisible(ch))
    text = unicodedata.normalize("NFKC", text)
    text = _camel_split(text).casefold().translate(_GERMAN)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) not in ("Mn", "Me"))
    skeleton = skeletons()
    text = "".join(skeleton.get(ch, ch) for ch in text).casefold()
    text = unicodedata.normalize("NFKC", text)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def normalise(text: str) -> str:
    """The form text and names are compared in: words of letters and digits, one space apart.

    Idempotent: ``normalise(normalise(t)) == normalise(t)``.
    """
    for _ in range(_MAX_PASSES):
        done = _one_pass(text)
        if done == text:
            break
        text = done
    return text


@dataclass(frozen=True)
class PartnerMention:
    """A partner named in a text.

    Attributes:
        partner: The partner's id.
        name: Its display name.
        term: The form of the name that matched (the name, the id or an alias), as configured.
        found: The matching words in the normalised text.
    """

    partner: str
    name: str
    term: str
    found: str


def _spaced(letters: str) -> str:
    # a space may stand between any two letters: a CamelCase split inside a word ("CARitas"
    # reads "CA Ritas") or letters spaced out on purpose ("C a r i t a s") do not hide a name
    return " ?".join(re.escape(ch) for ch in letters)


def _word_pattern(word: str) -> str:
    stems = {word}
    stems.update(word[: -len(e)] for e in _norm_endings(STEM_ENDINGS)
                 if word.endswith(e) and len(word) - len(e) >= MIN_STEM)
    endings = "|".join(_spaced(e) for e in sorted(set(_norm_endings(ENDINGS)), key=len, reverse=True))
    alternatives = "|".join(_spaced(s) for s in sorted(stems, key=len, reverse=True))
    return f"(?:{alternatives})(?: ?(?:{endings}))?"


@cache
def _norm_endings(endings: tuple[str, ...]) -> tuple[str, ...]:
    # the endings pass through the same skeleton as the text ("em" reads like "ern")
    return tuple(normalise(e) for e in endings)


@lru_cache(maxsize=256)
def term_pattern(term: str) -> re.Pattern[str] | None:
    """The pattern that finds ``term`` in normalised text (None for a term without letters or digits)."""
    words = normalise(term).split()
    if not words:
        return None
    body = " ?".join(_word_pattern(w) for w in words)
    return re.compile(rf"(?<!\S){body}(?!\S)")


def partner_terms(channel: Channel) -> dict[str, tuple[str, tuple[str, ...]]]:
    """``{id: (name, terms)}``: what counts as each partner's name in ``channel``."""
    return {pid: (p.name, (p.name, pid, *p.aliases)) for pid, p in channel.partners.items()}


def mentions(text: str, partners: Mapping[str, tuple[str, Iterable[str]]]) -> list[PartnerMention]:
    """Every partner ``text`` names (at most one mention per partner, in partner order).

    Args:
        text: Any text, as typed.
        partners: ``{id: (display name, terms)}``, e.g. from :func:`partner_terms`.
    """
    normal = normalise(text)
    if not normal:
        return []
    found = []
    for pid, (name, terms) in partners.items():
        for term in terms:
            pattern = term_pattern(term)
            hit = pattern.search(normal) if pattern is not None else None
            if hit:
                found.append(PartnerMention(pid, name, term, hit.group(0)))
                break
    return found


def find_partner(text: str, channel: Channel) -> PartnerMention | None:
    """The first partner of ``channel`` that ``text`` names, or None."""
    hits = mentions(text, partner_terms(channel))
    return hits[0] if hits else None

"""Every card's text as caption cues, for screen readers and sound-off viewers.

Card text is drawn into the picture, which a screen reader cannot read; the
same words therefore go into a sidecar SRT/VTT. A card's text is split into
short cues (title; place, hours and start; description; how to apply), each
at most two lines of 42 characters, timed across the card's time on screen in
proportion to their length. Text stays exactly as written.

Cues end only between jobs or at a phrase's end (a sentence, a dash, a comma,
the `` · `` between hours and start, a line of the card): never inside a date
("1. Februar 2027"), never after "ab" or "bis", and no cue shows for less than
:data:`MIN_CUE` (cues are merged rather than flashed).
"""

from __future__ import annotations

import re
import textwrap
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.formats import Cues
from vidcoop.captions.model import Cue
from vidcoop.jobboard.model import Job

LINE_CHARS = 42
CUE_LINES = 2
#: The shortest a cue may show: a shorter one is merged with its neighbour.
MIN_CUE = Fraction(1)

_GLUE = "\ue000"  # a private-use character: holds words together while wrapping, a space again afterwards
_MONTHS = ("Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
           "Jan\\.|Feb\\.|Mär\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sep\\.|Sept\\.|Okt\\.|Nov\\.|Dez\\.")
# Word groups a cue or line never splits: a preposition of time with what follows, a date, a number with its unit.
_UNITS = [
    re.compile(r"\b(?:ab|bis|seit|am|zum|vom|von|spätestens|befristet)\s+(?:\d[\d./–-]*|sofort|[A-ZÄÖÜ]\w*)"),  # noqa: RUF001
    re.compile(rf"\b\d{{1,2}}\.\s+(?:{_MONTHS})(?:\s+\d{{4}})?"),
    re.compile(rf"\b(?:{_MONTHS})\s+\d{{4}}"),
    re.compile(r"\b\d{1,2}\.\s*\d{1,2}\.\s*\d{2,4}\b"),
    re.compile(r"Bewerben:\s+\S+"),  # how to apply, with the address or number it gives
    re.compile(r"\b\d+(?:[–-]\d+)?\s+(?:Std\.?|Stunden|Jahre|Monate|Wochen|Tage|€|Euro|%)"),  # noqa: RUF001
]
# A phrase ends after a sentence mark (not after an abbreviation), a dash, a comma, a semicolon or " · ".
_PHRASE_END = re.compile(r"(?<=[^\W\d]{4}[.!?])\s+|(?<=[!?;,])\s+|(?<=\s[–—])\s+|(?<=\s·)\s+")  # noqa: RUF001


def _glued(text: str) -> str:
    for pattern in _UNITS:
        text = pattern.sub(lambda m: re.sub(r"\s+", _GLUE, m.group(0)), text)
    return text


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, LINE_CHARS, break_long_words=False, break_on_hyphens=False)


def _phrases(text: str) -> list[tuple[str, bool]]:
    """``(phrase, starts a line)``: each line of the card starts a line, its phrases may share one."""
    out: list[tuple[str, bool]] = []
    for paragraph in text.split("\n"):
        if paragraph.strip():
            parts = [p for p in _PHRASE_END.split(_glued(paragraph.strip())) if p]
            out += [(p, i == 0) for i, p in enumerate(parts)]
    return out


def _split_long(lines: list[str]) -> list[list[str]]:
    """A phrase longer than a cue, in cues of at most two lines, the last not a lone short line."""
    count = -(-len(lines) // CUE_LINES)
    sizes = [len(lines) // count + (1 if i < len(lines) % count else 0) for i in range(count)]
    out, at = [], 0
    for size in sizes:
        out.append(lines[at : at + size])
        at += size
    return out


def _chunks(text: str) -> list[tuple[str, ...]]:
    """The text as cues of at most two lines, broken only at phrase ends where a phrase fits a cue."""
    cues: list[list[str]] = []
    current: list[str] = []
    for phrase, new_line in _phrases(text):
        if current and not new_line:
            candidate = current[:-1] + _wrap(f"{current[-1]} {phrase}")
        else:
            candidate = current + _wrap(phrase)
        if len(candidate) <= CUE_LINES:
            current = candidate
            continue
        if current:
            cues.append(current)
        lines = _wrap(phrase)
        if not lines:
            current = []
            continue
        pieces = _split_long(lines)
        cues += pieces[:-1]
        current = pieces[-1]
    if current:
        cues.append(current)
    return [tuple(line.replace(_GLUE, " ") for line in cue) for cue in cues]


def card_texts(job: Job) -> list[str]:
    """The card's text in reading order, one entry per caption block."""
    place = " · ".join(p for p in (job.hours, job.start_text) if p)
    texts = [job.title, f"{job.location}\n{place}" if place else job.location]
    if job.description:
        texts.append(job.description)
    texts.append(f"Bewerben: {job.apply.display}\nbis {job.expires:%d.%m.%Y}")
    return texts


def timed_cues(texts: list[str], start: Fraction, end: Fraction) -> list[Cue]:
    """Split ``texts`` into cues laid end to end over ``[start, end]``, timed by length.

    No cue is shorter than :data:`MIN_CUE`: short ones get that much, the rest share the remaining
    time by length; where even that does not fit, neighbouring cues are merged (the shortest pair
    first), so a cue may then have more than two lines but never flashes by.
    """
    blocks = [chunk for text in texts for chunk in _chunks(text)]
    if not blocks:
        return []
    span = end - start
    while len(blocks) > 1 and span < MIN_CUE * len(blocks):
        k = min(range(len(blocks) - 1), key=lambda i: _weight(blocks[i]) + _weight(blocks[i + 1]))
        blocks[k : k + 2] = [blocks[k] + blocks[k + 1]]
    lengths = _lengths([_weight(b) for b in blocks], span)
    cues: list[Cue] = []
    t = start
    for block, length in zip(blocks, lengths, strict=True):
        cues.append(Cue(t, t + length, block))
        t += length
    return cues


def _weight(block: tuple[str, ...]) -> Fraction:
    return Fraction(sum(len(line) for line in block) + 10)


def _lengths(weights: list[Fraction], span: Fraction) -> list[Fraction]:
    """``span`` shared by ``weights``, each share at least :data:`MIN_CUE` when ``span`` allows."""
    floor = min(MIN_CUE, span / len(weights))
    fixed: set[int] = set()
    while True:
        free = span - floor * len(fixed)
        rest = sum(w for i, w in enumerate(weights) if i not in fixed)
        short = {i for i, w in enumerate(weights) if i not in fixed and free * w / rest < floor}
        if not short:
            return [floor if i in fixed else free * w / rest for i, w in enumerate(weights)]
        fixed |= short


def card_cues(job: Job, start: Fraction, end: Fraction) -> list[Cue]:
    """Cues that say what the job card shows, while it shows."""
    return timed_cues(card_texts(job), start, end)


def write_cues(cues: list[Cue], base: Path) -> tuple[Path, Path]:
    """Write ``base.srt`` and ``base.vtt`` atomically (via :mod:`vidcoop.captions.formats`)."""
    track = Cues(tuple(cues), style="subtitle", language="de")
    return track.save(base.with_suffix(".srt")), track.save(base.with_suffix(".vtt"))

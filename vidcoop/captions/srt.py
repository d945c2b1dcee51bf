"""SRT and WebVTT read line by line, strictly: every cue block becomes a cue or an error naming its line,
so no cue is ever dropped (pysubs2 writes them; this reads them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.model import Cue
from vidcoop.errors import CaptionError
from vidcoop.timing import MAX_TIME


def text_lines(text: str) -> tuple[str, ...]:
    """Cue text to lines: trailing spaces dropped, empty lines removed."""
    return tuple(line.strip() for line in text.split("\n") if line.strip())


@dataclass(frozen=True)
class Block:
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Dialect:
    """What SRT and WebVTT cue blocks differ in; both are read by :func:`cue_blocks`."""

    timing: re.Pattern[str]
    example: str
    header: str | None = None  # the first line must start with it
    any_id: bool = False  # a cue identifier may be any text (WebVTT) or only a number (SRT)
    skip: tuple[str, ...] = ()  # blocks that are not cues (NOTE, STYLE, REGION)


def timing(stamp: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{stamp}\s*-->\s*{stamp}(?:\s+.*)?$")


# Both give five groups per time: sign, hours, minutes, seconds, milliseconds.
SRT = Dialect(timing(r"(-?)(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"), "00:00:01,000 --> 00:00:02,500")
VTT = Dialect(timing(r"(-?)(?:(\d{1,3}):)?(\d{2}):(\d{2})\.(\d{3})"), "00:00:01.000 --> 00:00:02.500",
                header="WEBVTT", any_id=True, skip=("NOTE", "STYLE", "REGION"))


def stamp_ms(groups: tuple[str | None, ...], number: int, path: str | Path | None) -> int:
    sign, hours, minutes, seconds, millis = groups
    if sign:
        raise CaptionError("a negative time", path=path, field=f"line {number}")
    if int(minutes or 0) >= 60 or int(seconds or 0) >= 60:
        raise CaptionError("minutes and seconds must be below 60", path=path, field=f"line {number}")
    whole_seconds = (int(hours or 0) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)
    ms = whole_seconds * 1000 + int((millis or "0").ljust(3, "0"))
    if ms > MAX_TIME * 1000:
        raise CaptionError("a time past 24 hours", path=path, field=f"line {number}")
    return ms


def cue_blocks(text: str, dialect: Dialect, path: str | Path | None) -> list[Block]:
    """Cue blocks: [identifier], a timing line, text lines up to a blank line. Errors name the line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    i = 0
    if dialect.header is not None:
        if not lines[0].startswith(dialect.header) or lines[0][len(dialect.header) :][:1] not in ("", " ", "\t"):
            raise CaptionError(f"the first line must be {dialect.header}", path=path, field="line 1")
        while i < len(lines) and lines[i].strip():  # the header block
            i += 1
    blocks: list[Block] = []
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        if lines[i].split(maxsplit=1)[0] in dialect.skip and "-->" not in lines[i]:
            while i < len(lines) and lines[i].strip():
                i += 1
            continue
        is_id = dialect.any_id or lines[i].strip().isdigit()
        if is_id and "-->" not in lines[i] and i + 1 < len(lines) and "-->" in lines[i + 1]:
            i += 1
        number = i + 1
        match = dialect.timing.match(lines[i])
        if match is None:
            what = "not a complete timing line" if "-->" in lines[i] else "expected a cue number or a timing line"
            raise CaptionError(f"{what}: {clip(lines[i])}", path=path, field=f"line {number}",
                               hint=f"like {dialect.example}")
        groups = match.groups()
        start, end = stamp_ms(groups[:5], number, path), stamp_ms(groups[5:], number, path)
        if end < start:
            raise CaptionError(f"line {number}: the cue ends before it starts", path=path,
                               field=f"cues.{len(blocks)}.end")
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip():
            if dialect.timing.match(lines[i]):
                raise CaptionError("a timing line inside a cue's text", path=path,
                                   field=f"line {i + 1}", hint="is a blank line missing before it?")
            body.append(lines[i])
            i += 1
        blocks.append(Block(start, end, tuple(body)))
    return blocks


def clip(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def cue_from_text(start_ms: int, end_ms: int, text: str) -> Cue | None:
    lines = text_lines(text)
    if not lines:
        return None
    return Cue(Fraction(start_ms, 1000), Fraction(end_ms, 1000), lines)

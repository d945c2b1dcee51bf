"""Caption files: a small :class:`Cues` container and a format registry.

I/O is layered: a path becomes text (:meth:`Cues.save` / :meth:`Cues.load`),
and each format only turns text into cues and back, so every format is
tested as strings. ASS is read and written by pysubs2; SRT and WebVTT are
written by it and read here line by line (so no cue is ever dropped: a
malformed one is refused with its line number); the code here decides what is
*literal text*:

* **Literal:** everything a person typed, including ``{``, ``}``, ``\\``,
  ``\\N``, ``{\\b1}``, ``%``, quotes, colons, emoji and umlauts. Line breaks in
  a cue are kept.
* **SRT:** HTML formatting tags (``<i> <b> <u> <s> <font ...>`` and their
  closing tags) are formatting, not text: they are dropped on load, because
  vidcoop captions have no italics. Any other ``<...>`` stays literal. On
  write, a WORD JOINER follows every ``{`` and ``<`` so players never style
  typed text like ``{\\fs200}`` or ``<b>``; it is removed again on load.
* **WebVTT:** ``<...>`` is always markup (WebVTT writes a literal ``<`` as
  ``&lt;``): tags are dropped and entities decoded on load, and ``& < >`` are
  written as entities.
* **ASS:** text is escaped so libass shows it literally (see
  :func:`ass_escape`); on load, override blocks ``{...}`` are dropped and the
  escapes undone. ASS keeps time in centiseconds.
* **JSON:** vidcoop's own transcript-like format, with per-word times, exact
  (times are stored as fractions), and each corrected word's ``correction``
  (what recognition wrote, the glossary term, the score), plus what a person
  must look at: ``left_out`` speech, ``flagged`` cues and ``unsaid`` words.

Adding a format is one :class:`CaptionFormat` subclass plus one line in
:data:`FORMATS`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

from vidcoop.captions.model import Correction, Cue, CueFlag, LeftOut, Word, caption_warnings
from vidcoop.errors import CaptionError
from vidcoop.files import atomic_write_text
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH
from vidcoop.timing import MAX_TIME, parse_time, to_ms

ZWSP = "\u200b"

_SRT_FORMATTING = re.compile(r"<\s*/?\s*(?:i|b|u|s|font)(?:\s[^>]*)?>", re.IGNORECASE)
_VTT_TAG = re.compile(r"<[^>\n]*>")
# Where SRT players start markup ("{\\fs200}", "<b>"), and the invisible WORD JOINER that defuses it.
_SRT_MARKUP_START = re.compile(r"[{<]")
_JOINER = "\u2060"
# One ASS text token: our escapes, line breaks, an override block, or a plain character.
_ASS_TOKEN = re.compile(r"\\" + ZWSP + r"|\\[{}Nnh]|\{[^}]*\}|.", re.DOTALL)

JSON_SCHEMA = "vidcoop.cues"
JSON_VERSION = 1


def ass_escape(text: str) -> str:
    """Escape user text so libass draws it literally.

    libass treats ``{`` as the start of an override block and ``\\N``,
    ``\\n``, ``\\h`` as line break / space; it draws ``\\{`` and ``\\}`` as
    braces. A backslash is followed by a zero-width space, so it can never
    combine with the next character (checked by burning in the tests).
    """
    text = text.replace("\\", "\\" + ZWSP)
    return text.replace("{", "\\{").replace("}", "\\}")


def ass_unescape(text: str) -> str:
    """ASS event text back to literal text: drop override blocks, undo escapes.

    ``\\N`` and ``\\n`` become line breaks, ``\\h`` a no-break space.
    """
    out: list[str] = []
    for token in _ASS_TOKEN.findall(text):
        if token == "\\" + ZWSP:
            out.append("\\")
        elif token in ("\\{", "\\}"):
            out.append(token[1])
        elif token in ("\\N", "\\n"):
            out.append("\n")
        elif token == "\\h":
            out.append("\u00a0")
        elif len(token) > 1 and token.startswith("{"):
            continue  # an override block: formatting, not text
        else:
            out.append(token)
    return "".join(out)


def _lines(text: str) -> tuple[str, ...]:
    """Cue text to lines: trailing spaces dropped, empty lines removed."""
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def _sentinel(text: str) -> str:
    """A private-use character that does not occur in ``text``."""
    for code in range(0xE000, 0xF8FF):
        if chr(code) not in text:
            return chr(code)
    raise CaptionError("text uses every private-use character; cannot protect backslashes")


@dataclass(frozen=True)
class Cues:
    """Caption cues in time order, ready to save or burn in.

    Attributes:
        items: The cues.
        style: The caption style they were built for (``social``, ``subtitle``).
        language: Language code, if known.
        left_out: Speech with no cue (from the transcript's coverage check).
        flagged: Cues a person should check before they are published.
        unsaid: Words left out of the cues because nobody said them.
    """

    items: tuple[Cue, ...] = ()
    style: str = "subtitle"
    language: str = ""
    left_out: tuple[LeftOut, ...] = ()
    flagged: tuple[CueFlag, ...] = ()
    unsaid: tuple[Word, ...] = ()

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Cue:
        return self.items[index]

    @property
    def unsure(self) -> tuple[Word, ...]:
        """The shown words worth a look (:attr:`Word.unsure`), in order."""
        return tuple(w for cue in self.items for w in cue.words if w.unsure)

    def warnings(self) -> list[str]:
        """One line per thing a person must look at (speech without cues, unsaid words, flagged cues)."""
        return caption_warnings(self.left_out, self.flagged, self.unsaid, self.unsure)

    def to_string(self, format: str) -> str:
        """The cues as the text of a caption file in ``format`` (srt, vtt, ass, json)."""
        return format_class(format).dumps(self)

    @classmethod
    def from_string(cls, text: str, format: str, *, style: str = "subtitle", path: str | Path | None = None) -> Cues:
        """Read cues from caption-file text in ``format``."""
        return format_class(format, path=path).loads(text, style=style, path=path)

    def save(self, path: str | Path, format: str | None = None) -> Path:
        """Write the cues atomically; the format comes from ``format`` or the file extension."""
        path = Path(path)
        name = format or format_for_path(path)
        return atomic_write_text(path, self.to_string(name))

    @classmethod
    def load(cls, path: str | Path, format: str | None = None, *, style: str = "subtitle") -> Cues:
        """Read a caption file (format from ``format`` or the extension).

        Raises:
            CaptionError: the file is missing, not UTF-8, or malformed.
        """
        path = Path(path)
        name = format or format_for_path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CaptionError(f"cannot read caption file: {exc.strerror or exc}", path=path) from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CaptionError(
                f"caption file is not UTF-8 (byte {exc.start})", path=path, hint="save it as UTF-8"
            ) from exc
        return cls.from_string(text, name, style=style, path=path)


class CaptionFormat:
    """Base of a caption file format: text <-> :class:`Cues`.

    Subclasses set ``name`` and ``extensions`` and implement :meth:`dumps`
    and :meth:`loads`. Both must keep user text literal.
    """

    name: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def dumps(cls, cues: Cues) -> str:
        """The file text for ``cues``."""
        raise NotImplementedError

    @classmethod
    def loads(cls, text: str, *, style: str = "subtitle", path: str | Path | None = None) -> Cues:
        """Cues from file text; raise CaptionError naming ``path`` when malformed."""
        raise NotImplementedError


def _pysubs2_events(cues: Cues, encode: Any) -> Any:
    import pysubs2

    subs = pysubs2.SSAFile()
    for cue in cues:
        if cue.end > MAX_TIME:
            raise CaptionError(f"a cue ends past 24 hours ({float(cue.end):.0f}s)", field="cues")
        text = "\\N".join(encode(line) for line in cue.lines)
        subs.append(pysubs2.SSAEvent(start=to_ms(cue.start), end=to_ms(cue.end), text=text))
    return subs


@dataclass(frozen=True)
class _Block:
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class _Dialect:
    """What SRT and WebVTT cue blocks differ in; both are read by :func:`_cue_blocks`."""

    timing: re.Pattern[str]
    example: str
    header: str | None = None  # the first line must start with it
    any_id: bool = False  # a cue identifier may be any text (WebVTT) or only a number (SRT)
    skip: tuple[str, ...] = ()  # blocks that are not cues (NOTE, STYLE, REGION)


def _timing(stamp: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{stamp}\s*-->\s*{stamp}(?:\s+.*)?$")


# Both give five groups per time: sign, hours, minutes, seconds, milliseconds.
_SRT = _Dialect(_timing(r"(-?)(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"), "00:00:01,000 --> 00:00:02,500")
_VTT = _Dialect(_timing(r"(-?)(?:(\d{1,3}):)?(\d{2}):(\d{2})\.(\d{3})"), "00:00:01.000 --> 00:00:02.500",
                header="WEBVTT", any_id=True, skip=("NOTE", "STYLE", "REGION"))


def _stamp_ms(groups: tuple[str | None, ...], number: int, path: str | Path | None) -> int:
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


def _cue_blocks(text: str, dialect: _Dialect, path: str | Path | None) -> list[_Block]:
    """Cue blocks: [identifier], a timing line, text lines up to a blank line. Errors name the line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    i = 0
    if dialect.header is not None:
        if not lines[0].startswith(dialect.header) or lines[0][len(dialect.header) :][:1] not in ("", " ", "\t"):
            raise CaptionError(f"the first line must be {dialect.header}", path=path, field="line 1")
        while i < len(lines) and lines[i].strip():  # the header block
            i += 1
    blocks: list[_Block] = []
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
            raise CaptionError(f"{what}: {_clip(lines[i])}", path=path, field=f"line {number}",
                               hint=f"like {dialect.example}")
        groups = match.groups()
        start, end = _stamp_ms(groups[:5], number, path), _stamp_ms(groups[5:], number, path)
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
        blocks.append(_Block(start, end, tuple(body)))
    return blocks


def _clip(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _cue_from_text(start_ms: int, end_ms: int, text: str) -> Cue | None:
    lines = _lines(text)
    if not lines:
        return None
    return Cue(Fraction(start_ms, 1000), Fraction(end_ms, 1000), lines)


class SubripFormat(CaptionFormat):
    """SubRip (``.srt``): written by pysubs2 (backslashes protected from its ``\\N``), read line by line."""

    name = "srt"
    extensions = (".srt",)
    pysubs2_format = "srt"
    dialect: ClassVar[_Dialect] = _SRT

    @classmethod
    def encode_line(cls, line: str) -> str:
        # SRT has no escapes, and players style "{\\b1}" and "<b>": a word joiner after
        # "{" or "<" keeps such text literal on screen (and is taken out again on load).
        return _SRT_MARKUP_START.sub(lambda m: m[0] + _JOINER, line)

    @classmethod
    def decode_text(cls, text: str) -> str:
        return _SRT_FORMATTING.sub("", text).replace("{" + _JOINER, "{").replace("<" + _JOINER, "<")

    @classmethod
    def dumps(cls, cues: Cues) -> str:
        # pysubs2 turns "\N", "\n" and "\h" into whitespace; hide backslashes behind a
        # private-use character while it writes, and put them back after.
        guard = _sentinel("".join(c.text for c in cues))
        subs = _pysubs2_events(cues, lambda line: cls.encode_line(line).replace("\\", guard))
        text = subs.to_string(cls.pysubs2_format, keep_ssa_tags=True)
        return str(text).replace(guard, "\\")

    @classmethod
    def loads(cls, text: str, *, style: str = "subtitle", path: str | Path | None = None) -> Cues:
        # Read by hand, line by line: every cue is kept exactly, or the file is refused
        # naming the line (a half-written timing line, a negative time, a timing line
        # inside a cue's text), never a cue lost silently.
        items: list[Cue] = []
        for block in _cue_blocks(text, cls.dialect, path):
            cue = _cue_from_text(block.start_ms, block.end_ms, cls.decode_text("\n".join(block.lines)))
            if cue is not None:
                items.append(cue)
        if not items and text.strip():
            raise CaptionError(f"no {cls.name} cues found", path=path, hint="is this the right format?")
        return Cues(tuple(items), style=style)


class WebVTTFormat(SubripFormat):
    """WebVTT (``.vtt``): ``& < >`` are entities, ``<...>`` is markup; NOTE, STYLE and REGION blocks are skipped."""

    name = "vtt"
    extensions = (".vtt",)
    pysubs2_format = "vtt"
    dialect: ClassVar[_Dialect] = _VTT

    @classmethod
    def encode_line(cls, line: str) -> str:
        return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    @classmethod
    def decode_text(cls, text: str) -> str:
        return html.unescape(_VTT_TAG.sub("", text))


class SubStationFormat(CaptionFormat):
    """Advanced SubStation Alpha (``.ass``) through pysubs2, text escaped for libass.

    This is the editable caption file (one event per cue, default style); the
    styled file for burning in comes from :mod:`vidcoop.captions.burn`.
    """

    name = "ass"
    extensions = (".ass", ".ssa")

    @classmethod
    def dumps(cls, cues: Cues) -> str:
        subs = _pysubs2_events(cues, ass_escape)
        subs.info["PlayResX"] = str(DESIGN_WIDTH)
        subs.info["PlayResY"] = str(DESIGN_HEIGHT)
        subs.info["WrapStyle"] = "2"
        return str(subs.to_string("ass"))

    @classmethod
    def loads(cls, text: str, *, style: str = "subtitle", path: str | Path | None = None) -> Cues:
        import pysubs2

        try:
            subs = pysubs2.SSAFile.from_string(text, format_="ass")
        except Exception as exc:
            raise CaptionError(f"not a valid ASS file: {exc}", path=path) from exc
        items: list[Cue] = []
        for event in sorted((e for e in subs.events if not e.is_comment), key=lambda e: e.start):
            cue = _cue_from_text(event.start, event.end, ass_unescape(event.text))
            if cue is not None:
                items.append(cue)
        return Cues(tuple(items), style=style)


class JsonFormat(CaptionFormat):
    """vidcoop's JSON: cues with lines and timed words, times as exact fractions.

    Times are written as strings like ``"21/10"`` (exact) next to float
    seconds for people and other tools; the strings win on load.
    """

    name = "json"
    extensions = (".json",)

    @classmethod
    def dumps(cls, cues: Cues) -> str:
        data = {
            "schema": JSON_SCHEMA,
            "version": JSON_VERSION,
            "style": cues.style,
            "language": cues.language,
            "cues": [
                {
                    "start": str(cue.start),
                    "end": str(cue.end),
                    "start_s": float(cue.start),
                    "end_s": float(cue.end),
                    "lines": list(cue.lines),
                    "words": [_json_word(w) for w in cue.words],
                }
                for cue in cues
            ],
        }
        if cues.left_out:
            data["left_out"] = [item.as_dict() for item in cues.left_out]
        if cues.flagged:
            data["flagged"] = [flag.as_dict() for flag in cues.flagged]
        if cues.unsaid:
            data["unsaid"] = [_json_word(w) for w in cues.unsaid]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def loads(cls, text: str, *, style: str = "subtitle", path: str | Path | None = None) -> Cues:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CaptionError(f"not valid JSON: {exc.msg} (line {exc.lineno})", path=path) from exc
        except RecursionError:
            raise CaptionError("not a vidcoop cues file (nested too deeply)", path=path) from None
        if not isinstance(data, dict) or data.get("schema") != JSON_SCHEMA:
            raise CaptionError(f"not a vidcoop cues file (schema must be {JSON_SCHEMA!r})", path=path, field="schema")
        if data.get("version") != JSON_VERSION:
            raise CaptionError(f"unsupported version {data.get('version')!r}", path=path, field="version")
        raw_cues = data.get("cues")
        if not isinstance(raw_cues, list):
            raise CaptionError("'cues' must be a list", path=path, field="cues")
        items = [_json_cue(raw, f"cues.{i}", path) for i, raw in enumerate(raw_cues)]
        return Cues(tuple(items), style=str(data.get("style") or style), language=str(data.get("language") or ""),
                    left_out=tuple(_json_notes(data, "left_out", LeftOut.from_dict, path)),
                    flagged=tuple(_json_notes(data, "flagged", CueFlag.from_dict, path)),
                    unsaid=tuple(_json_words(data.get("unsaid") or [], "unsaid", path)))


def _json_word(w: Word) -> dict[str, Any]:
    data: dict[str, Any] = {"text": w.text, "start": str(w.start), "end": str(w.end), "probability": w.probability}
    if w.correction is not None:  # what recognition wrote before correction; the studio marks these words
        data["correction"] = w.correction.as_dict()
    return data


def _json_notes(data: dict[str, Any], key: str, read: Any, path: str | Path | None) -> list[Any]:
    """The ``left_out`` or ``flagged`` entries, each refused with its field when malformed."""
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise CaptionError(f"'{key}' must be a list", path=path, field=key)
    out = []
    for i, item in enumerate(raw):
        try:
            out.append(read(item))
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            raise CaptionError(f"malformed entry ({type(exc).__name__}: {exc})", path=path,
                               field=f"{key}.{i}") from None
    return out


def _json_correction(raw: Any, where: str, path: str | Path | None) -> Correction | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CaptionError("'correction' must be an object", path=path, field=where)
    for key in ("original", "term"):
        if not isinstance(raw.get(key), str):
            raise CaptionError(f"'{key}' must be a string", path=path, field=f"{where}.{key}")
    score = raw.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise CaptionError("'score' must be a number", path=path, field=f"{where}.score")
    lost = {k: raw[k] for k in ("lost_before", "lost_after") if k in raw}
    for key, value in lost.items():
        if not isinstance(value, str):
            raise CaptionError(f"'{key}' must be a string", path=path, field=f"{where}.{key}")
    return Correction(raw["original"], raw["term"], float(score), **lost)


def _json_time(raw: dict[str, Any], key: str, where: str, path: str | Path | None) -> Fraction:
    value = raw.get(key)
    try:
        if isinstance(value, bool) or value is None:
            raise ValueError(value)
        return parse_time(value)
    except (ValueError, TypeError) as exc:
        raise CaptionError(str(exc), path=path, field=f"{where}.{key}") from None


def _json_cue(raw: Any, where: str, path: str | Path | None) -> Cue:
    if not isinstance(raw, dict):
        raise CaptionError("a cue must be an object", path=path, field=where)
    start = _json_time(raw, "start", where, path)
    end = _json_time(raw, "end", where, path)
    if end < start:
        raise CaptionError("cue ends before it starts", path=path, field=f"{where}.end")
    lines = raw.get("lines")
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise CaptionError("'lines' must be a list of strings", path=path, field=f"{where}.lines")
    return Cue(start, end, tuple(lines), tuple(_json_words(raw.get("words") or [], f"{where}.words", path)))


def _json_words(raw: Any, where: str, path: str | Path | None) -> list[Word]:
    if not isinstance(raw, list):
        raise CaptionError("must be a list of words", path=path, field=where)
    words: list[Word] = []
    for k, w in enumerate(raw):
        wwhere = f"{where}.{k}"
        if not isinstance(w, dict) or not isinstance(w.get("text"), str):
            raise CaptionError("a word needs a 'text' string", path=path, field=wwhere)
        probability = w.get("probability", 1.0)
        if not isinstance(probability, (int, float)) or isinstance(probability, bool):
            raise CaptionError("'probability' must be a number", path=path, field=f"{wwhere}.probability")
        words.append(
            Word(
                w["text"],
                _json_time(w, "start", wwhere, path),
                _json_time(w, "end", wwhere, path),
                float(probability),
                correction=_json_correction(w.get("correction"), f"{wwhere}.correction", path),
            )
        )
    return words


#: format name -> class. Adding a format is one class and one line here.
FORMATS: dict[str, type[CaptionFormat]] = {
    "srt": SubripFormat,
    "vtt": WebVTTFormat,
    "ass": SubStationFormat,
    "json": JsonFormat,
}


def format_class(name: str, *, path: str | Path | None = None) -> type[CaptionFormat]:
    """The registered format called ``name``; CaptionError for unknown names."""
    try:
        return FORMATS[name.lower().lstrip(".")]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise CaptionError(f"unknown caption format {name!r} (known: {known})", path=path, field="format") from None


def format_for_path(path: str | Path) -> str:
    """The format name for a file's extension (``.srt`` -> ``srt``)."""
    suffix = Path(path).suffix.lower()
    for name, cls in FORMATS.items():
        if suffix in cls.extensions:
            return name
    known = ", ".join(sorted(FORMATS))
    raise CaptionError(
        f"cannot tell the caption format from the extension {suffix or '(none)'!r}",
        path=path,
        field="format",
        hint=f"use one of: {known}",
    )


def cues_from_lines(items: Sequence[tuple[Fraction, Fraction, str]], *, style: str = "subtitle") -> Cues:
    """Cues from ``(start, end, text)`` triples; text may contain line breaks."""
    return Cues(tuple(Cue(s, e, _lines(t)) for s, e, t in items), style=style)

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

from vidcoop.captions.cuejson import json_cue, json_notes, json_word, json_words
from vidcoop.captions.model import Cue, CueFlag, LeftOut, Word, caption_warnings
from vidcoop.captions.srt import SRT, VTT, Dialect, cue_blocks, cue_from_text, text_lines
from vidcoop.errors import CaptionError
from vidcoop.files import atomic_write_text
from vidcoop.timeline.model import DESIGN_HEIGHT, DESIGN_WIDTH
from vidcoop.timing import MAX_TIME, to_ms

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


class SubripFormat(CaptionFormat):
    """SubRip (``.srt``): written by pysubs2 (backslashes protected from its ``\\N``), read line by line."""

    name = "srt"
    extensions = (".srt",)
    pysubs2_format = "srt"
    dialect: ClassVar[Dialect] = SRT

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
        for block in cue_blocks(text, cls.dialect, path):
            cue = cue_from_text(block.start_ms, block.end_ms, cls.decode_text("\n".join(block.lines)))
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
    dialect: ClassVar[Dialect] = VTT

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
            cue = cue_from_text(event.start, event.end, ass_unescape(event.text))
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
                    "words": [json_word(w) for w in cue.words],
                }
                for cue in cues
            ],
        }
        if cues.left_out:
            data["left_out"] = [item.as_dict() for item in cues.left_out]
        if cues.flagged:
            data["flagged"] = [flag.as_dict() for flag in cues.flagged]
        if cues.unsaid:
            data["unsaid"] = [json_word(w) for w in cues.unsaid]
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
        items = [json_cue(raw, f"cues.{i}", path) for i, raw in enumerate(raw_cues)]
        return Cues(tuple(items), style=str(data.get("style") or style), language=str(data.get("language") or ""),
                    left_out=tuple(json_notes(data, "left_out", LeftOut.from_dict, path)),
                    flagged=tuple(json_notes(data, "flagged", CueFlag.from_dict, path)),
                    unsaid=tuple(json_words(data.get("unsaid") or [], "unsaid", path)))


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
    return Cues(tuple(Cue(s, e, text_lines(t)) for s, e, t in items), style=style)

"""Decode a job file's bytes strictly, or say which line breaks the encoding.

Spreadsheet programs save job lists in several encodings: "CSV UTF-8" (with a
BOM), plain UTF-8, "Unicode Text" (UTF-16 with a BOM, tab-separated) and, in
older Excel on Windows, Windows-1252. A guess made for the whole file from one
bad byte puts "KÃ¶chin" on cards, the link page and posts, so nothing is
guessed:

* a BOM names the encoding (UTF-8, UTF-16 or UTF-32), and the whole file must
  decode with it;
* without a BOM the file must be UTF-8 throughout;
* Windows-1252 is taken only when the file holds no UTF-8 character at all
  (so it is not a UTF-8 file with one stray byte) and reads as text in it;
* anything else is one :class:`~vidcoop.errors.ManifestError` naming the file,
  the problem and the line (``field="line N"``).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from vidcoop.errors import ManifestError

# Longest first: UTF-32-LE's BOM starts with UTF-16-LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# One well-formed UTF-8 character of two to four bytes (RFC 3629: no overlongs, no surrogates).
_UTF8_CHAR = re.compile(
    rb"[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}"
    rb"|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2}"
)
# Control bytes no text file holds (tab, line ends, form feed, the DOS end-of-file mark and NUL aside).
_BINARY = re.compile(rb"[\x01-\x08\x0B\x0E-\x19\x1B-\x1F]")
SAVE_AS = 'save it as "CSV UTF-8", in Excel: Speichern unter > CSV UTF-8'


def decode_text(data: bytes, path: Path | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read in (``utf-8``, ``utf-16-le``, ``cp1252``, ...).

    A BOM is removed from the text.

    Raises:
        ManifestError: the bytes are not consistently one of the encodings above;
            ``field`` is ``line N`` for the first line that shows it.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec), codec
            except UnicodeDecodeError as exc:
                line = body[: exc.start].decode(codec, errors="replace").count("\n") + 1
                raise _error(f"the file starts with a {name} mark, but line {line} is not valid {name} "
                             "(a cut-off or mixed-in character)", path, line) from None
    if data.startswith(b"PK\x03\x04"):
        raise ManifestError("not a text file but a spreadsheet or archive (.xlsx, .ods)", path=path,
                            field="line 1", hint=SAVE_AS)
    if len(data) >= 4 and data.count(0) * 10 > len(data):
        raise ManifestError("not a text file: UTF-16 without the byte-order mark that names it, or binary data",
                            path=path, field="line 1", hint=SAVE_AS)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
    binary = _BINARY.search(data)
    if binary is not None:
        line = _line_at(data, binary.start())
        raise _error(f"not a text file: line {line} holds the control byte 0x{data[binary.start()]:02X}",
                     path, line)
    utf8 = _UTF8_CHAR.search(data)
    if utf8 is not None:
        line = _line_at(data, bad)
        char = utf8.group().decode("utf-8")
        raise _error(f"mixed text encodings: line {line} has the byte 0x{data[bad]:02X}, which is not UTF-8, "
                     f"but line {_line_at(data, utf8.start())} is UTF-8 ({char!r})", path, line)
    try:
        # Older Excel on Windows saves "CSV (Trennzeichen-getrennt)" as cp1252.
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        raise _error(f"neither UTF-8 nor Windows-1252 text: line {line} has the byte 0x{data[exc.start]:02X}",
                     path, line) from None


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _error(message: str, path: Path | None, line: int) -> ManifestError:
    return ManifestError(message, path=path, field=f"line {line}", hint=SAVE_AS)

"""Read job listings from CSV (comma, Excel's semicolon or tab; UTF-8, UTF-16 or cp1252), YAML or JSON.

Loading only reads and names columns; it does not judge values (that is
:func:`vidcoop.jobboard.validate`), so a half-filled row still reaches the
report with its row number. A broken *file* (unreadable, no header, a column
nobody knows) raises :class:`~vidcoop.errors.ManifestError` right away.

Column names may be English or German (``titel``, ``ort``, ``arbeitszeit``,
``beginn``, ``beschreibung``, ``bewerbung``, ``gültig bis``, ...); case,
spaces, hyphens and umlaut spellings do not matter.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from vidcoop.datafiles import parse_json, parse_yaml
from vidcoop.errors import ManifestError
from vidcoop.jobboard.decode import decode_text
from vidcoop.jobboard.model import FIELDS

ALIASES: dict[str, str] = {
    **{name: name for name in FIELDS},
    "titel": "title", "stelle": "title", "stellenbezeichnung": "title", "job": "title", "jobtitel": "title",
    "partner_id": "partner", "partnerid": "partner", "traeger": "partner", "organisation": "partner",
    "ort": "location", "arbeitsort": "location", "standort": "location", "einsatzort": "location",
    "arbeitszeit": "hours", "umfang": "hours", "vertragsart": "hours", "stellenumfang": "hours",
    "working_hours": "hours", "contract": "hours", "contract_type": "hours",
    "beginn": "start", "start_date": "start", "startdatum": "start", "eintritt": "start", "ab": "start",
    "beschreibung": "description", "kurzbeschreibung": "description", "text": "description",
    "bewerbung": "apply", "apply_url": "apply", "url": "apply", "link": "apply", "kontakt": "apply",
    "contact": "apply", "bewerbungslink": "apply",
    "expiry": "expires", "expires_on": "expires", "expiry_date": "expires", "ablauf": "expires",
    "ablaufdatum": "expires", "gueltig_bis": "expires", "bis": "expires", "online_bis": "expires",
}


def column_key(name: str) -> str:
    """Normalise a header: lower case, umlauts spelled out, spaces/hyphens as ``_``."""
    key = name.strip().strip("\ufeff").lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        key = key.replace(a, b)
    return "_".join(key.replace("-", " ").replace("/", " ").split())


@dataclass(frozen=True)
class RawRow:
    """One row as read: canonical field -> text (stripped), plus the row number.

    Attributes:
        row: Row number as the file shows it (spreadsheet row; header is row 1).
        values: Field values as text; missing fields are absent or empty.
        extra_cells: Non-empty cells beyond the header (a stray delimiter).
    """

    row: int
    values: dict[str, str] = field(hash=False)
    extra_cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobTable:
    """A loaded file: its rows in order and how it was read (``dialect``; ``encoding``, empty for text)."""

    source: Path | None
    rows: tuple[RawRow, ...]
    dialect: str
    blank_rows: tuple[int, ...] = ()
    encoding: str = "utf-8"


def load(path: str | Path) -> JobTable:
    """Read a job file; the suffix picks the reader (``.csv``/``.txt``, ``.yaml``/``.yml``, ``.json``)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot read job listings: {exc.strerror or exc}", path=p) from None
    suffix = p.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise ManifestError(
            f"unknown job file type {suffix!r}", path=p, hint=f"use one of {sorted(_READERS)}"
        )
    return reader(data, p)


def loads_csv(data: bytes | str, path: Path | None = None) -> JobTable:
    """Read CSV text (bytes: see :func:`~vidcoop.jobboard.decode.decode_text`), delimiter ``;``, ``,`` or tab.

    Excel's "Unicode Text" export (UTF-16 with a BOM, tab-separated) reads like any other CSV.
    """
    text, encoding = (data, "") if isinstance(data, str) else _decode(data, path)
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise ManifestError("the file is empty; expected a header row", path=path, field="header")
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"a cell is longer than {csv.field_size_limit()} characters"
        raise ManifestError(f"not readable as CSV: {message}", path=path, field=f"line {reader.line_num}") from None
    header_index = next((i for i, rec in enumerate(records) if any(c.strip() for c in rec)), None)
    if header_index is None:
        raise ManifestError("no header row: every cell is empty", path=path, field="header",
                            hint=f"name the columns, e.g. {', '.join(FIELDS)}")
    header = records[header_index]
    columns = _map_columns(header, path, "columns")
    rows: list[RawRow] = []
    blanks: list[int] = []
    for offset, rec in enumerate(records[header_index + 1 :], start=header_index + 2):
        if not any(c.strip() for c in rec):
            blanks.append(offset)
            continue
        values = {col: rec[i].strip() for i, col in enumerate(columns[: len(rec)]) if col}
        extra = tuple(c for c in rec[len(header) :] if c.strip())
        rows.append(RawRow(offset, values, extra))
    name = {";": "semicolon", ",": "comma", "\t": "tab"}[delimiter]
    return JobTable(path, tuple(rows), f"csv-{name}", tuple(blanks), encoding)


def loads_mapping(data: Any, path: Path | None = None, kind: str = "yaml") -> JobTable:
    """Build a table from parsed YAML/JSON: a list of jobs or ``{version: 1, jobs: [...]}``."""
    prefix = "jobs"
    if isinstance(data, dict):
        unknown = set(data) - {"version", "jobs"}
        if unknown:
            raise ManifestError(f"unknown key {sorted(unknown)[0]!r}", path=path, field=sorted(unknown)[0],
                                hint="expected 'version' and 'jobs'")
        if data.get("version", 1) != 1:
            raise ManifestError(f"unsupported version {data.get('version')!r}", path=path, field="version")
        data = data.get("jobs")
    if not isinstance(data, list):
        raise ManifestError("expected a list of jobs", path=path, field=prefix)
    rows = []
    for i, entry in enumerate(data, start=1):
        where = f"{prefix}.{i}"
        if not isinstance(entry, dict):
            raise ManifestError("each job must be a mapping of field: value", path=path, field=where)
        keys = list(entry)
        columns = _map_columns([str(k) for k in keys], path, where)
        values = {col: _as_text(entry[k]) for k, col in zip(keys, columns, strict=True) if col}
        rows.append(RawRow(i, values))
    return JobTable(path, tuple(rows), kind)


def _read_csv(data: bytes, path: Path) -> JobTable:
    return loads_csv(data, path)


def _read_yaml(data: bytes, path: Path) -> JobTable:
    return loads_mapping(parse_yaml(_decode(data, path)[0], path=path), path, "yaml")


def _read_json(data: bytes, path: Path) -> JobTable:
    return loads_mapping(parse_json(_decode(data, path)[0].lstrip("\ufeff"), path=path), path, "json")


_READERS = {
    ".csv": _read_csv, ".txt": _read_csv, ".yaml": _read_yaml, ".yml": _read_yaml, ".json": _read_json,
}


def _decode(data: bytes, path: Path | None) -> tuple[str, str]:
    text, encoding = decode_text(data, path)
    return text.replace("\x00", ""), encoding  # NUL is never job text; a card would draw it as an empty box


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _map_columns(header: list[str], path: Path | None, where: str) -> list[str | None]:
    """Canonical field per column (None for an empty trailing header cell)."""
    out: list[str | None] = []
    seen: dict[str, str] = {}
    for raw in header:
        if not raw.strip():
            out.append(None)
            continue
        canonical = ALIASES.get(column_key(raw))
        if canonical is None:
            if not any(ALIASES.get(column_key(h)) for h in header if h.strip()):
                raise ManifestError(
                    "no header row found (no known column names in the first row)", path=path, field="header",
                    hint=f"name the columns, e.g. {', '.join(FIELDS)}",
                )
            raise ManifestError(
                f"unknown column {raw.strip()!r}", path=path, field=f"{where}.{raw.strip()}",
                hint=f"known columns: {', '.join(FIELDS)} (or German names such as titel, ort, arbeitszeit)",
            )
        if canonical in seen:
            raise ManifestError(
                f"columns {seen[canonical]!r} and {raw.strip()!r} both mean {canonical!r}",
                path=path, field=f"{where}.{raw.strip()}",
            )
        seen[canonical] = raw.strip()
        out.append(canonical)
    return out


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\x00", "").strip()

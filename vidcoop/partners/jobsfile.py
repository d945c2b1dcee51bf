"""Write accepted listings into the job list the job board reads, keeping every hand-typed row.

The file stays what ``vidcoop jobboard`` and ``batch`` already read: a header row, ``;`` (or the file's
own delimiter), UTF-8 with a BOM, quoting where a cell needs it. It has no column for a listing's id,
so the rows the store wrote are recognised by content: :func:`rebuild` removes every row equal to one
the store wrote before or is about to write (spacing aside) and appends the accepted listings once.
Running it twice gives the same file, which is what makes a crash between the database and the file
harmless: the store replays the write on its next start.

A row the store wrote and someone then changed by hand is no longer recognised and stays as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from vidcoop.errors import ManifestError
from vidcoop.files import atomic_write_bytes
from vidcoop.jobboard.decode import decode_text
from vidcoop.jobboard.model import FIELDS
from vidcoop.jobboard.reader import ALIASES, column_key, loads_csv
from vidcoop.partners.model import HEADERS

_DELIMITERS = {"csv-semicolon": ";", "csv-comma": ",", "csv-tab": "\t"}


def identity(values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A row's canonical values with spacing collapsed and empty cells left out: how rows are recognised."""
    return tuple(sorted((k, " ".join(v.split())) for k, v in values.items() if v.strip()))


def rebuild(path: Path, rows: Sequence[Mapping[str, str]], ours: Iterable[Mapping[str, str]]) -> bytes:
    """The job list at ``path`` with ``rows`` (canonical field -> text) as its store-written rows.

    Every existing row equal to one of ``rows`` or ``ours`` (rows the store wrote before) is removed,
    the rest kept in order, and ``rows`` appended in order. A new file gets the German header of
    ``examples/jobs.csv``. Returns the bytes written (atomically).

    Raises:
        ManifestError: the existing file is not a readable CSV job list.
    """
    header, records, delimiter, newline = _existing(path)
    columns = [ALIASES.get(column_key(h)) for h in header]
    for name in FIELDS:  # a column the listings need but the file lacks is added, never left out
        if name not in columns and any(r.get(name, "").strip() for r in rows):
            header.append(HEADERS[name])
            columns.append(name)
    drop = {identity(r) for r in [*rows, *ours]}
    kept = [rec for rec in records if identity(_values(rec, columns)) not in drop]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for rec in kept:
        writer.writerow(rec + [""] * (len(header) - len(rec)))
    for row in rows:
        writer.writerow([row.get(c, "") if c else "" for c in columns])
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    atomic_write_bytes(path, data)
    return data


def _values(record: list[str], columns: list[str | None]) -> dict[str, str]:
    return {c: record[i] for i, c in enumerate(columns[: len(record)]) if c}


def _existing(path: Path) -> tuple[list[str], list[list[str]], str, str]:
    """The file's header, its non-blank rows, delimiter and line ending (a missing file: the German header)."""
    if path.suffix.lower() not in (".csv", ".txt"):
        raise ManifestError("partner listings go into a CSV job list", path=path, field="jobs",
                            hint="use a .csv file for the week's jobs")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return list(HEADERS.values()), [], ";", "\r\n"
    except OSError as exc:
        raise ManifestError(f"cannot read the job list: {exc.strerror or exc}", path=path) from None
    if not data.strip():
        return list(HEADERS.values()), [], ";", "\r\n"
    table = loads_csv(data, path)  # a broken file (no header, unknown column) stops here, named
    delimiter = _DELIMITERS[table.dialect]
    text = decode_text(data, path)[0].lstrip("\ufeff").replace("\x00", "")
    records = [rec for rec in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
               if any(c.strip() for c in rec)]
    newline = "\r\n" if "\r\n" in text else "\n"
    return records[0], records[1:], delimiter, newline

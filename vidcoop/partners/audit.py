"""The audit log: every partner and editor action, append-only, each row chained to the one before.

A row says who (``partner:ID`` or ``editor:NAME``), what (``action``, ``subject``, a short ``detail``),
when (UTC) and the SHA-256 of the content concerned (``content_hash``: the canonical JSON of a listing,
a sign-off, the written job list). Each row also carries ``prev_hash``, the row hash of the row before it
(64 zeros for the first), and its own::

    row_hash = sha256(prev_hash + canonical_json(row without row_hash))

``canonical_json`` is JSON with sorted keys, no spaces, UTF-8 (``ensure_ascii=False``). Changing,
inserting or deleting a row by hand breaks the chain at that row, and :meth:`AuditLog.verify` names it.
SQLite triggers refuse UPDATE and DELETE on the table; someone who drops them still cannot rewrite
history unnoticed, unless they also recompute every later hash, which the monthly exports
(:meth:`AuditLog.export`, kept by the coalition) reveal: their hashes no longer match
(:func:`verify_export` with ``against``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from vidcoop.errors import ManifestError
from vidcoop.files import atomic_write_text

GENESIS = "0" * 64
COLUMNS = ("seq", "when", "actor", "partner", "action", "subject", "detail", "content_hash", "prev_hash", "row_hash")
EXPORT_FORMAT = "vidcoop-audit-export"
TRIGGERS = ("audit_no_delete", "audit_no_update")  # made with the schema (vidcoop.partners.db)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces, UTF-8 as is: the same text for the same content, everywhere."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(value: Any) -> str:
    """SHA-256 (hex) of ``value``'s canonical JSON."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditRow:
    """One row of the log (``detail`` is canonical JSON of a small mapping: status, version, comment)."""

    seq: int
    when: str
    actor: str
    partner: str
    action: str
    subject: str
    detail: str
    content_hash: str
    prev_hash: str
    row_hash: str

    def body(self) -> dict[str, Any]:
        """Everything the row hash covers: all columns but ``row_hash``."""
        data = asdict(self)
        del data["row_hash"]
        return data

    def expected_hash(self) -> str:
        """The row hash its content and ``prev_hash`` call for."""
        return row_hash(self.prev_hash, self.body())

    def details(self) -> dict[str, Any]:
        """``detail`` parsed (empty when it is not a JSON object)."""
        try:
            value = json.loads(self.detail)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def row_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    """``sha256(prev_hash + canonical_json(body))``, hex."""
    return hashlib.sha256((prev_hash + canonical_json(dict(body))).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of checking a chain: ``ok``, how many rows, and the first broken row with what differs."""

    ok: bool
    rows: int
    broken_seq: int | None = None
    problem: str = ""

    def text(self) -> str:
        if self.ok:
            return f"ok, {self.rows} rows"
        return f"row {self.broken_seq}: {self.problem}" if self.broken_seq is not None else self.problem


def append(conn: sqlite3.Connection, *, when: datetime, actor: str, action: str, subject: str,
           partner: str = "", detail: Mapping[str, Any] | None = None, content: Any = None) -> AuditRow:
    """Add one row inside the caller's write transaction (so the action and its row commit together)."""
    last = conn.execute("SELECT seq, row_hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    stamp, text = when.isoformat(timespec="microseconds"), canonical_json(dict(detail or {}))
    digest = content_hash(content)
    body = {"seq": seq, "when": stamp, "actor": actor, "partner": partner, "action": action, "subject": subject,
            "detail": text, "content_hash": digest, "prev_hash": prev}
    row = AuditRow(seq, stamp, actor, partner, action, subject, text, digest, prev, row_hash(prev, body))
    conn.execute(f"INSERT INTO audit ({', '.join(_QUOTED)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                 tuple(getattr(row, c) for c in COLUMNS))
    return row


_QUOTED = tuple(f'"{c}"' for c in COLUMNS)


def check_chain(rows: Iterable[AuditRow], *, first_seq: int | None = 1, first_prev: str | None = GENESIS) -> AuditCheck:
    """The first row whose sequence, link or own hash is wrong; ``first_*`` None: taken from the first row."""
    count = 0
    expected_seq, expected_prev = first_seq, first_prev
    for row in rows:
        if expected_seq is not None and row.seq != expected_seq:
            missing = "removed" if row.seq > expected_seq else "repeated or out of order"
            return AuditCheck(False, count, expected_seq,
                              f"missing: the log jumps from row {expected_seq - 1} to row {row.seq} (rows {missing})")
        if expected_prev is not None and row.prev_hash != expected_prev:
            return AuditCheck(False, count, row.seq,
                              f"prev_hash {row.prev_hash[:12]}… is not row {row.seq - 1}'s hash "
                              f"{expected_prev[:12]}… (a row before it was changed, inserted or removed)")
        if row.row_hash != row.expected_hash():
            return AuditCheck(False, count, row.seq,
                              f"its content does not match its row_hash (changed after it was written: "
                              f"{row.action} {row.subject} by {row.actor} at {row.when})")
        count += 1
        expected_seq, expected_prev = row.seq + 1, row.row_hash
    return AuditCheck(True, count)


class AuditLog:
    """Reading, checking and exporting a channel's log (rows are added only by the store's actions)."""

    def __init__(self, connect: Callable[[], AbstractContextManager[sqlite3.Connection]], path: Path) -> None:
        self._connect = connect
        self.path = path

    def rows(self, partner: str | None = None, month: str | None = None) -> list[AuditRow]:
        """Rows in order, optionally only those about one partner and/or of one month (``2026-12``, UTC)."""
        where, args = [], []
        if partner is not None:
            where.append("partner = ?")
            args.append(partner)
        if month is not None:
            where.append('substr("when", 1, 7) = ?')
            args.append(check_month(month))
        sql = f"SELECT {', '.join(_QUOTED)} FROM audit" + (f" WHERE {' AND '.join(where)}" if where else "")
        with self._connect() as conn:
            return [_row(r) for r in conn.execute(sql + " ORDER BY seq", args)]

    def verify(self) -> AuditCheck:
        """Check the whole chain from its first row, and that the table still refuses UPDATE and DELETE.

        Triggers that are gone fail the check even when every row is intact: someone changed the
        database by hand, and the rows they could have touched are checked only as far as the chain goes.
        """
        with self._connect() as conn:
            triggers = {str(r[0]) for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")}
        result = check_chain(self.rows())
        missing = sorted(set(TRIGGERS) - triggers)
        if result.ok and missing:
            return AuditCheck(False, result.rows, None,
                              f"the append-only trigger(s) {', '.join(missing)} were removed by hand")
        return result

    def export(self, month: str, path: str | Path) -> Path:
        """Write one month's rows (JSON lines; CSV when ``path`` ends in ``.csv``) atomically, hashes included.

        The export verifies on its own (:func:`verify_export`): its first row's ``prev_hash`` is the last
        hash of the month before, and a JSON-lines export starts with a header line saying so.
        """
        rows = self.rows(month=check_month(month))
        target = Path(path)
        if target.suffix.lower() == ".csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";")
            writer.writerow(COLUMNS)
            writer.writerows([getattr(r, c) for c in COLUMNS] for r in rows)
            text = "\ufeff" + buffer.getvalue()
        else:
            first = rows[0] if rows else None
            header = {"format": EXPORT_FORMAT, "version": 1, "month": month, "rows": len(rows),
                      "first_seq": first.seq if first else None, "first_prev_hash": first.prev_hash if first else None,
                      "last_row_hash": rows[-1].row_hash if rows else None,
                      "hash": "row_hash = sha256(prev_hash + canonical JSON of the row without row_hash)"}
            text = "".join(canonical_json(x) + "\n" for x in [header, *(asdict(r) for r in rows)])
        return atomic_write_text(target, text)


def verify_export(path: str | Path, against: Iterable[AuditRow] | None = None) -> AuditCheck:
    """Check an export's chain on its own; with ``against`` (the live log's rows), also that it still matches.

    Raises:
        ManifestError: the file is not an audit export.
    """
    rows = read_export(path)
    result = check_chain(rows, first_seq=None, first_prev=None)
    if not result.ok or against is None:
        return result
    live = {r.seq: r for r in against}
    for row in rows:
        now = live.get(row.seq)
        if now is None:
            return AuditCheck(False, result.rows, row.seq, "in the export but no longer in the log (removed)")
        if now.row_hash != row.row_hash:
            return AuditCheck(False, result.rows, row.seq, "the log's row differs from the exported one (rewritten)")
    return result


def read_export(path: str | Path) -> list[AuditRow]:
    """The rows of an export made by :meth:`AuditLog.export` (JSON lines or CSV)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read the audit export: {exc}", path=p) from None
    try:
        if p.suffix.lower() == ".csv":
            records: Iterator[dict[str, Any]] = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
            return [_row({**r, "seq": int(r["seq"])}) for r in records]
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        if not lines or lines[0].get("format") != EXPORT_FORMAT:
            raise ManifestError("not a vidcoop audit export (no header line)", path=p, field="line 1")
        return [_row(x) for x in lines[1:]]
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"not a vidcoop audit export: {exc}", path=p) from None


def check_month(month: str) -> str:
    """``2026-12`` as given, or ManifestError naming ``--month``."""
    try:
        datetime.strptime(month, "%Y-%m")
    except (TypeError, ValueError):
        raise ManifestError(f"not a month: {month!r}", field="--month", hint="e.g. 2026-12") from None
    if len(month) != 7:
        raise ManifestError(f"not a month: {month!r}", field="--month", hint="e.g. 2026-12")
    return month


def _row(r: Mapping[str, Any]) -> AuditRow:
    return AuditRow(int(r["seq"]), *(str(r[c]) for c in COLUMNS[1:]))

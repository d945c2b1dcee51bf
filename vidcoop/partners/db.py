"""The partner database: one SQLite file beside ``channel.yaml``, WAL mode, a versioned schema.

Each call opens its own connection (the studio serves requests from several threads, and two partners
save at once); writes are short ``BEGIN IMMEDIATE`` transactions, so a writer waits for the one before it
(``busy_timeout``) instead of failing with "database is locked".
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from vidcoop.errors import brief
from vidcoop.partners.model import STATUSES, PartnerError

# Hidden, like every file vidcoop keeps beside a user's inputs: the channel's folder is an input of every
# episode's content key (vidcoop.review.keys ignores hidden files), so a partner saving a listing must not
# make every approval of the week stale.
DB_NAME = ".vidcoop-partners.sqlite"
SCHEMA_VERSION = 1
BUSY_MS = 60_000  # a writer waits this long for the one before it; writes take milliseconds

_STATUS_CHECK = ", ".join(f"'{s}'" for s in STATUSES)

# Version 1. A later version adds an entry to _MIGRATIONS (from-version -> statements) and raises SCHEMA_VERSION.
_SCHEMA = f"""
CREATE TABLE invitations (
    partner_id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    revoked TEXT,
    last_used TEXT,
    created_by TEXT NOT NULL
);
CREATE TABLE sessions (
    session_hash TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES invitations(partner_id) ON DELETE CASCADE,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE listings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id TEXT NOT NULL,
    week TEXT NOT NULL,
    fields TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({_STATUS_CHECK})),
    comment TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    version INTEGER NOT NULL,
    jobs_csv TEXT,
    editor TEXT
);
CREATE INDEX listings_by_partner ON listings(partner_id, week);
CREATE INDEX listings_by_status ON listings(status);
CREATE TABLE signoffs (
    partner_id TEXT NOT NULL,
    week TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('approved', 'changes_requested')),
    comment TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    signed TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (partner_id, week)
);
CREATE TABLE csv_pending (
    jobs_csv TEXT PRIMARY KEY,
    since TEXT NOT NULL,
    generation INTEGER NOT NULL
);
CREATE TABLE csv_written (
    jobs_csv TEXT NOT NULL,
    listing_id INTEGER NOT NULL,
    cells TEXT NOT NULL,
    PRIMARY KEY (jobs_csv, listing_id)
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    "when" TEXT NOT NULL,
    actor TEXT NOT NULL,
    partner TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL
);
CREATE INDEX audit_by_partner ON audit(partner);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
_MIGRATIONS: dict[int, str] = {}


_ENTRY: dict[Path, threading.Lock] = {}
_ENTRY_GUARD = threading.Lock()


def _entry(path: Path) -> threading.Lock:
    """One thread per file and process at a time waits for SQLite's write lock (see :meth:`Database.write`)."""
    with _ENTRY_GUARD:
        return _ENTRY.setdefault(path, threading.Lock())


def db_path(channel_yaml: str | Path) -> Path:
    """Where a channel's partner database lives: ``.vidcoop-partners.sqlite`` beside ``channel.yaml``."""
    return Path(channel_yaml).absolute().parent / DB_NAME


class Database:
    """Connections to one partner database file; :meth:`setup` once, then :meth:`read` / :meth:`write`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL + NORMAL: a commit survives a killed process at once and a power cut from the next checkpoint
            # on; the database stays consistent either way. Writes a file depends on are durable (write()).
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise self.error(exc) from None
        conn.row_factory = sqlite3.Row
        return conn

    def error(self, exc: sqlite3.Error) -> PartnerError:
        """A database failure as one line naming the file."""
        if "not a database" in str(exc):
            return PartnerError(f"not a partner database: {brief(exc)}", path=self.path,
                                hint="move the file away; vidcoop makes a new one")
        return PartnerError(f"partner database: {brief(exc)}", path=self.path,
                            hint="is the file readable and the disk not full?")

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading (one consistent snapshot per statement; use :meth:`write` for more)."""
        conn = self._connect()
        try:
            yield conn
        except sqlite3.Error as exc:
            raise self.error(exc) from None
        finally:
            conn.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every statement inside sees the same state."""
        with self.read() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One short write transaction (``BEGIN IMMEDIATE``): committed on success, rolled back on any error.

        ``durable``: on disk when the commit returns, power cut included (fsync), for a transaction that a
        file written next relies on (the job list's pending mark) and for the editor's rarer actions.
        Writers wait for each other through SQLite's ``busy_timeout``. Inside one process only one thread at a
        time waits there, the others queue on a lock until it has begun: SQLite's busy handler polls with
        growing sleeps and let some of 20 writers wait 5 s while others went first again (partners_store_bench:
        p95 257 ms, max 5.3 s before; 148 ms and 0.5 s after). The lock is not held for the transaction
        itself, which would queue every commit behind the GIL (ten times slower).
        """
        with self.read() as conn:
            if durable:
                conn.execute("PRAGMA synchronous = FULL")
            with _entry(self.path):
                conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def setup(self) -> None:
        """Create the file (owner-only: it holds hashes of partner links) or bring its schema up to date.

        Raises:
            PartnerError: the file is not a partner database, or a newer vidcoop made it.
        """
        if not self.path.exists():
            try:
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except OSError as exc:
                raise PartnerError(f"cannot create the partner database: {exc.strerror or exc}", path=self.path,
                                   hint="the channel's folder must be writable") from None
        with self.read() as conn:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.DatabaseError as exc:
                raise PartnerError(f"not a partner database: {brief(exc)}", path=self.path) from None
        with self.write() as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise PartnerError(f"made by a newer vidcoop (schema version {version}, this one knows "
                                   f"{SCHEMA_VERSION})", path=self.path, hint="update vidcoop")
            if version == 0:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise PartnerError("not a partner database (it has other tables)", path=self.path)
                _script(conn, _SCHEMA)
            for step in range(max(version, 1), SCHEMA_VERSION):
                _script(conn, _MIGRATIONS[step])
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction (``executescript`` would commit it)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""

"""The partner store: invitations, sessions, job listings, sign-offs and the audit log of one channel.

    store = PartnerStore.open(Path("channel/channel.yaml"))     # .vidcoop-partners.sqlite beside it
    token = store.invite("caritas-musterstadt", by="Anna")      # the link's secret, shown once
    partner = store.redeem(token)                               # -> "caritas-musterstadt"
    listing = store.save_listing(partner, "2026-W49", {"Titel": "...", ...})
    store.submit(partner, listing.id)
    store.accept(listing.id, editor="Anna", jobs_csv=Path("jobs.csv"))

Every action and its audit row commit in one transaction. Tokens and session ids are stored only as
SHA-256 hashes. A partner reaches only its own listings: any other id, existing or not, raises the same
:class:`NotYours`. Accepting (and withdrawing an accepted listing) rewrites the week's job list; the
database first records that the file is due ("csv pending"), so a crash between the two is repaired
on the next :meth:`PartnerStore.open` (:meth:`PartnerStore.recover`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from vidcoop.channel.config import Channel, load_channel
from vidcoop.errors import ManifestError
from vidcoop.files import file_lock
from vidcoop.jobboard.board import BoardChannel, board_channel
from vidcoop.jobboard.week import parse_week
from vidcoop.partners import audit as auditlog
from vidcoop.partners import jobsfile
from vidcoop.partners.db import Database, db_path
from vidcoop.partners.form import check_listing
from vidcoop.partners.model import (
    ACCEPTED,
    APPROVED,
    CHANGES_REQUESTED,
    DRAFT,
    HEADERS,
    REJECTED,
    SUBMITTED,
    WITHDRAWN,
    Invitation,
    Listing,
    OtherWeek,
    PartnerError,
    SignOff,
)
from vidcoop.partners.rows import (
    any_row,
    check_status,
    check_version,
    db_time,
    invitation_of,
    listing_of,
    own_row,
    parse_time,
    signoff_of,
)
from vidcoop.review.book import clean_name

MAX_DAYS = 365
SESSION_HOURS = 12
MAX_TOKEN_CHARS = 200  # longer is never one of ours; not even hashed
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Change:
    """What one listing action did, for the audit row and the job list."""

    listing: Listing
    csv_due: str | None = None


class PartnerStore:
    """The partner database of one channel. Cheap to keep; every call opens its own connection."""

    def __init__(self, channel: Channel, database: Database, *, clock: Clock = _utc_now) -> None:
        self.channel = channel
        self.db = database
        self.clock = clock
        self._board: BoardChannel | None = None

    @classmethod
    def open(cls, channel_yaml: Path, *, clock: Clock | None = None, recover: bool = True) -> PartnerStore:
        """Load ``channel_yaml``, create or update ``.vidcoop-partners.sqlite`` beside it, replay pending writes.

        Raises:
            ManifestError: the channel file is missing or invalid.
            PartnerError: the database cannot be opened.
        """
        channel = load_channel(channel_yaml)
        database = Database(db_path(channel.path))
        database.setup()
        store = cls(channel, database, clock=clock or _utc_now)
        if recover:
            store.recover()
        return store

    @property
    def path(self) -> Path:
        """The database file."""
        return self.db.path

    def today(self) -> date:
        """Today where the channel publishes (its ``publish.timezone``): the day listings expire by and
        the week "this week" is, for the store and the studio's partner pages alike."""
        return self.clock().astimezone(ZoneInfo(self.channel.publish.timezone)).date()

    def board(self) -> BoardChannel:
        """The job board's view of the channel (partners, card template), made once."""
        if self._board is None:
            self._board = board_channel(self.channel)
        return self._board

    def audit(self) -> auditlog.AuditLog:
        """The channel's audit log."""
        return auditlog.AuditLog(self.db.read, self.db.path)

    # --- invitations and sessions -------------------------------------------------------------------

    def invite(self, partner_id: str, *, days: int = 30, by: str) -> str:
        """A new personal link secret for ``partner_id`` (returned once, stored hashed); replaces an older one.

        Raises:
            ManifestError: the channel has no such partner.
            PartnerError: ``days`` is not 1..365, or ``by`` is empty.
        """
        self._known(partner_id)
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
            raise PartnerError(f"an invitation lasts 1 to {MAX_DAYS} days, not {days!r}", field="days")
        editor = self._editor(by)
        token = secrets.token_urlsafe(32)
        now = self.clock()
        expires = now + timedelta(days=days)
        with self.db.write(durable=True) as conn:
            conn.execute(
                "INSERT INTO invitations (partner_id, token_hash, created, expires, revoked, last_used, created_by)"
                " VALUES (?, ?, ?, ?, NULL, NULL, ?) ON CONFLICT(partner_id) DO UPDATE SET"
                " token_hash = excluded.token_hash, created = excluded.created, expires = excluded.expires,"
                " revoked = NULL, last_used = NULL, created_by = excluded.created_by",
                (partner_id, _hash(token), db_time(now), db_time(expires), editor))
            conn.execute("DELETE FROM sessions WHERE partner_id = ?", (partner_id,))
            auditlog.append(conn, when=now, actor=f"editor:{editor}", action="invite", partner=partner_id,
                            subject=f"partner:{partner_id}", detail={"expires": db_time(expires), "days": days},
                            content={"partner": partner_id, "expires": db_time(expires)})
        return token

    def invitations(self) -> list[Invitation]:
        """Every partner's invitation (never the token), by partner id."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM invitations ORDER BY partner_id").fetchall()
        return [invitation_of(r) for r in rows]

    def revoke(self, partner_id: str, *, by: str) -> None:
        """Make the partner's link and its open sessions stop working at once.

        Raises:
            PartnerError: the partner was never invited.
        """
        editor = self._editor(by)
        now = self.clock()
        with self.db.write(durable=True) as conn:
            done = conn.execute("UPDATE invitations SET revoked = coalesce(revoked, ?) WHERE partner_id = ?",
                                (db_time(now), partner_id)).rowcount
            if not done:
                raise PartnerError(f"{partner_id!r} has no invitation to revoke", field="partner",
                                   hint="vidcoop partners list shows who is invited")
            conn.execute("DELETE FROM sessions WHERE partner_id = ?", (partner_id,))
            auditlog.append(conn, when=now, actor=f"editor:{editor}", action="revoke", partner=partner_id,
                            subject=f"partner:{partner_id}", content={"partner": partner_id})

    def redeem(self, token: str) -> str | None:
        """The partner whose valid link ``token`` is (noting its use), or None; either way one audit row."""
        now = self.clock()
        wanted = _hash(token) if isinstance(token, str) and len(token) <= MAX_TOKEN_CHARS else None
        with self.db.write() as conn:
            row = conn.execute("SELECT * FROM invitations WHERE token_hash = ?", (wanted,)).fetchone() \
                if wanted else None
            reason = "unknown"
            if row is not None and hmac.compare_digest(str(row["token_hash"]), str(wanted)):
                reason = _refusal(invitation_of(row), now, known=row["partner_id"] in self.channel.partners)
            else:
                row = None
            partner = str(row["partner_id"]) if row is not None else ""
            if reason:
                auditlog.append(conn, when=now, actor="anonymous", action="redeem-failed", partner=partner,
                                subject=f"partner:{partner}" if partner else "link", detail={"reason": reason})
                return None
            conn.execute("UPDATE invitations SET last_used = ? WHERE partner_id = ?", (db_time(now), partner))
            auditlog.append(conn, when=now, actor=f"partner:{partner}", action="redeem", partner=partner,
                            subject=f"partner:{partner}")
        return partner

    def start_session(self, partner_id: str) -> str:
        """A new session id for a partner with a working link (stored hashed; lasts SESSION_HOURS)."""
        self._known(partner_id)
        session = secrets.token_urlsafe(32)
        now = self.clock()
        with self.db.write() as conn:
            row = conn.execute("SELECT * FROM invitations WHERE partner_id = ?", (partner_id,)).fetchone()
            if row is None or _refusal(invitation_of(row), now, known=True):
                raise PartnerError(f"{partner_id!r} has no working invitation", field="partner")
            conn.execute("DELETE FROM sessions WHERE expires <= ?", (db_time(now),))
            conn.execute("INSERT INTO sessions (session_hash, partner_id, created, expires) VALUES (?, ?, ?, ?)",
                         (_hash(session), partner_id, db_time(now), db_time(now + timedelta(hours=SESSION_HOURS))))
        return session

    def session_partner(self, session_id: str) -> str | None:
        """The partner of a live session (not expired, its link not revoked or expired), or None."""
        if not isinstance(session_id, str) or not session_id or len(session_id) > MAX_TOKEN_CHARS:
            return None
        now = self.clock()
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT s.session_hash, s.expires AS session_expires, i.* FROM sessions s"
                " JOIN invitations i ON i.partner_id = s.partner_id WHERE s.session_hash = ?",
                (_hash(session_id),)).fetchone()
        if row is None or not hmac.compare_digest(str(row["session_hash"]), _hash(session_id)):
            return None
        if parse_time(row["session_expires"]) <= now or _refusal(  # type: ignore[operator]
                invitation_of(row), now, known=row["partner_id"] in self.channel.partners):
            return None
        return str(row["partner_id"])

    def end_session(self, session_id: str) -> None:
        """Forget a session (logging out); an unknown id is fine."""
        if isinstance(session_id, str) and len(session_id) <= MAX_TOKEN_CHARS:
            with self.db.write() as conn:
                conn.execute("DELETE FROM sessions WHERE session_hash = ?", (_hash(session_id),))

    # --- listings ------------------------------------------------------------------------------------

    def listings(self, partner_id: str, *, weeks: Sequence[str] | None = None) -> list[Listing]:
        """A partner's listings (all, or of ``weeks``), by week and id."""
        sql, args = "SELECT * FROM listings WHERE partner_id = ?", [partner_id]
        if weeks is not None:
            labels = [parse_week(w).label for w in weeks]
            sql += f" AND week IN ({', '.join('?' * len(labels))})"
            args += labels
        with self.db.read() as conn:
            return [listing_of(r) for r in conn.execute(sql + " ORDER BY week, id", args)]

    def listing(self, partner_id: str, listing_id: int) -> Listing:
        """One of the partner's own listings.

        Raises:
            NotYours: it belongs to another partner or does not exist (the same error for both).
        """
        with self.db.read() as conn:
            return listing_of(own_row(conn, partner_id, listing_id))

    def save_listing(self, partner_id: str, week: str, fields: Mapping[str, str], *,
                     listing_id: int | None = None, expected_version: int | None = None) -> Listing:
        """Add a listing (a draft), or change one of the partner's own (it becomes a draft again).

        The ``Partner`` column is always the owner. The job board's own validation decides what is valid.

        Raises:
            ListingInvalid: per-column German messages; nothing saved.
            StaleListing: ``expected_version`` is not the stored version; nothing saved.
            NotYours: ``listing_id`` is not one of the partner's listings.
        """
        self._known(partner_id)
        label, values = check_listing(self.board(), partner_id, week, fields, today=self.today())
        now = self.clock()
        stored = {HEADERS[name]: values.get(name, "") for name in HEADERS}
        with self.db.write(durable=listing_id is not None) as conn:  # an edit may take a row off the job list
            if listing_id is None:
                cursor = conn.execute(
                    "INSERT INTO listings (partner_id, week, fields, status, comment, updated, version)"
                    " VALUES (?, ?, ?, ?, '', ?, 1)", (partner_id, label, json.dumps(stored), DRAFT, db_time(now)))
                new_id = int(cursor.lastrowid or 0)
                change = _Change(listing_of(own_row(conn, partner_id, new_id)))
            else:
                row = own_row(conn, partner_id, listing_id)
                check_version(row, expected_version)
                change = self._update(conn, row, now, status=DRAFT, week=label, fields=stored,
                                      comment=row["comment"])
            self._log(conn, now, f"partner:{partner_id}", "save", change)
        return self._finish(change)

    def submit(self, partner_id: str, listing_id: int) -> Listing:
        """Send a draft (or a rejected or withdrawn listing) to the editor's queue."""
        now = self.clock()
        with self.db.write() as conn:
            row = own_row(conn, partner_id, listing_id)
            check_status(row, "submit", (DRAFT, REJECTED, WITHDRAWN))
            change = self._update(conn, row, now, status=SUBMITTED, comment="")
            self._log(conn, now, f"partner:{partner_id}", "submit", change)
        return change.listing

    def withdraw(self, partner_id: str, listing_id: int) -> Listing:
        """Take a listing back; an accepted one leaves the job list too."""
        now = self.clock()
        with self.db.write(durable=True) as conn:
            row = own_row(conn, partner_id, listing_id)
            check_status(row, "withdraw", (DRAFT, SUBMITTED, ACCEPTED, REJECTED))
            change = self._update(conn, row, now, status=WITHDRAWN)
            self._log(conn, now, f"partner:{partner_id}", "withdraw", change)
        return self._finish(change)

    # --- the editor's side ---------------------------------------------------------------------------

    def queue(self) -> list[Listing]:
        """Submitted listings, oldest first, for the editor."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM listings WHERE status = ? ORDER BY updated, id", (SUBMITTED,))
            return [listing_of(r) for r in rows]

    def editor_listing(self, listing_id: int) -> Listing:
        """Any partner's listing by id, for the editor's side (partners use :meth:`listing`).

        Raises:
            NotYours: there is no such listing.
        """
        with self.db.read() as conn:
            return listing_of(any_row(conn, listing_id))

    def accept(self, listing_id: int, *, editor: str, jobs_csv: Path, week: str | None = None) -> Listing:
        """Accept a submitted listing into ``jobs_csv`` (written atomically; its other rows kept).

        ``week`` is the week whose job board reads ``jobs_csv``: a listing entered for another week
        is refused (it would show on this board, early or late), and stays submitted for that week's.

        Raises:
            ListingState: the listing is not submitted.
            OtherWeek: the listing is for another week than ``week``.
            ManifestError: ``jobs_csv`` is not a CSV job list.
        """
        name = self._editor(editor)
        target = str(Path(jobs_csv).absolute())
        if Path(target).suffix.lower() not in (".csv", ".txt"):
            raise ManifestError("partner listings go into a CSV job list", path=target, field="jobs")
        now = self.clock()
        with self.db.write(durable=True) as conn:
            row = any_row(conn, listing_id)
            check_status(row, "accept", (SUBMITTED,))
            if week is not None and row["week"] != (board := parse_week(week).label):
                raise OtherWeek(f"listing {row['id']} is for {row['week']}, not {board}: "
                                "accept it with that week's job board", week=str(row["week"]), board=board)
            change = self._update(conn, row, now, status=ACCEPTED, comment="", jobs_csv=target, editor=name)
            self._log(conn, now, f"editor:{name}", "accept", change, extra={"jobs_csv": target})
        return self._finish(change)

    def reject(self, listing_id: int, *, editor: str, comment: str) -> Listing:
        """Send a submitted listing back to its partner with the editor's reason."""
        name = self._editor(editor)
        if not isinstance(comment, str) or not comment.strip():
            raise PartnerError("say why the listing is rejected (a comment for the partner)", field="comment")
        now = self.clock()
        with self.db.write() as conn:
            row = any_row(conn, listing_id)
            check_status(row, "reject", (SUBMITTED,))
            change = self._update(conn, row, now, status=REJECTED, comment=comment)
            self._log(conn, now, f"editor:{name}", "reject", change, extra={"comment": comment})
        return change.listing

    # --- sign-offs -----------------------------------------------------------------------------------

    def sign_off(self, partner_id: str, week: str, *, approved: bool, comment: str, by: str,
                 content_hash: str) -> SignOff:
        """Record the partner's word on its cards of ``week`` as shown (``content_hash``); replaces an older one.

        Raises:
            PartnerError: unknown partner, bad hash, or changes requested without a comment.
        """
        self._known(partner_id)
        label = parse_week(week).label
        if not isinstance(content_hash, str) or not _HEX64.match(content_hash):
            raise PartnerError("content_hash must be 64 hex digits (sha256)", field="content_hash")
        if not approved and not (isinstance(comment, str) and comment.strip()):
            raise PartnerError("say which change is needed (a comment for the editors)", field="comment")
        name = clean_name(by) if isinstance(by, str) else ""
        if not name:
            raise PartnerError("who signs off? (a name)", field="by")
        now = self.clock()
        signoff = SignOff(partner_id, label, APPROVED if approved else CHANGES_REQUESTED, comment, name, now,
                          content_hash)
        with self.db.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO signoffs (partner_id, week, state, comment, signed_by, signed, content_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (partner_id, label, signoff.state, comment, name, db_time(now), content_hash))
            auditlog.append(conn, when=now, actor=f"partner:{partner_id}", action="sign-off", partner=partner_id,
                            subject=f"sign-off:{label}",
                            detail={"state": signoff.state, "comment": comment, "by": name,
                                    "content_hash": content_hash},
                            content={"partner": partner_id, "week": label, "state": signoff.state,
                                     "content_hash": content_hash})
        return signoff

    def sign_offs(self, week: str) -> dict[str, SignOff]:
        """The latest sign-off of each partner for ``week``."""
        label = parse_week(week).label
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM signoffs WHERE week = ? ORDER BY partner_id", (label,)).fetchall()
        return {str(r["partner_id"]): signoff_of(r) for r in rows}

    def signoff_current(self, week: str, partner_id: str, content_hash: str) -> bool:
        """Whether the partner approved exactly ``content_hash`` (a re-render with other content: no)."""
        found = self.sign_offs(week).get(partner_id)
        return found is not None and found.current_for(content_hash)

    # --- the job list --------------------------------------------------------------------------------

    def recover(self) -> list[Path]:
        """Write every job list a crash left due (idempotent); the files written."""
        with self.db.read() as conn:
            due = [str(r[0]) for r in conn.execute("SELECT jobs_csv FROM csv_pending ORDER BY jobs_csv")]
        for target in due:
            self._write_jobs(target)
        return [Path(t) for t in due]

    def _write_jobs(self, target: str) -> None:
        """Rebuild one job list from the accepted listings, then clear its pending mark (if no newer one)."""
        path = Path(target)
        with file_lock(path.with_name(f".{path.name}.lock")):
            with self.db.snapshot() as conn:
                pending = conn.execute("SELECT generation FROM csv_pending WHERE jobs_csv = ?", (target,)).fetchone()
                accepted = [listing_of(r) for r in conn.execute(
                    "SELECT * FROM listings WHERE status = ? AND jobs_csv = ? ORDER BY id", (ACCEPTED, target))]
                ours = [json.loads(r[0]) for r in conn.execute(
                    "SELECT cells FROM csv_written WHERE jobs_csv = ?", (target,))]
            rows = [item.canonical() for item in accepted]
            data = jobsfile.rebuild(path, rows, ours)
            now = self.clock()
            with self.db.write() as conn:
                conn.execute("DELETE FROM csv_written WHERE jobs_csv = ?", (target,))
                conn.executemany("INSERT INTO csv_written (jobs_csv, listing_id, cells) VALUES (?, ?, ?)",
                                 [(target, item.id, json.dumps(row)) for item, row in zip(accepted, rows, strict=True)])
                if pending is not None:
                    conn.execute("DELETE FROM csv_pending WHERE jobs_csv = ? AND generation = ?",
                                 (target, pending[0]))
                auditlog.append(conn, when=now, actor="vidcoop", action="csv-write", subject=f"file:{target}",
                                detail={"listings": [item.id for item in accepted]},
                                content={"sha256": hashlib.sha256(data).hexdigest()})

    # --- helpers -------------------------------------------------------------------------------------

    def _known(self, partner_id: str) -> None:
        if not isinstance(partner_id, str) or partner_id not in self.channel.partners:
            self.channel.partner(str(partner_id))  # raises: unknown partner, naming the known ones

    def _editor(self, by: str) -> str:
        name = clean_name(by) if isinstance(by, str) else ""
        if not name:
            raise PartnerError("name the editor (who does this)", field="by")
        return name

    def _update(self, conn: sqlite3.Connection, row: sqlite3.Row, now: datetime, *, status: str,
                **changes: Any) -> _Change:
        """Set a listing's status and columns, raise its version; mark its job list due when it leaves or joins."""
        sets = {"status": status, "updated": db_time(now), **changes}
        if "fields" in sets:
            sets["fields"] = json.dumps(sets["fields"])
        assignments = ", ".join(f"{k} = ?" for k in sets)
        conn.execute(f"UPDATE listings SET {assignments}, version = version + 1 WHERE id = ?",
                     (*sets.values(), row["id"]))
        due = None
        if ACCEPTED in (row["status"], status):
            due = str(changes.get("jobs_csv") or row["jobs_csv"])
            conn.execute("INSERT INTO csv_pending (jobs_csv, since, generation) VALUES (?, ?, 1)"
                         " ON CONFLICT(jobs_csv) DO UPDATE SET generation = generation + 1", (due, db_time(now)))
        return _Change(listing_of(any_row(conn, int(row["id"]))), due)

    def _log(self, conn: sqlite3.Connection, now: datetime, actor: str, action: str, change: _Change,
             extra: Mapping[str, Any] | None = None) -> None:
        item = change.listing
        auditlog.append(conn, when=now, actor=actor, action=action, partner=item.partner_id,
                        subject=f"listing:{item.id}",
                        detail={"status": item.status, "version": item.version, "week": item.week, **(extra or {})},
                        content={"id": item.id, "partner": item.partner_id, "week": item.week,
                                 "fields": dict(item.fields), "status": item.status, "version": item.version})

    def _finish(self, change: _Change) -> Listing:
        if change.csv_due is not None:
            self._write_jobs(change.csv_due)
        return change.listing


def recover_job_lists(channel_yaml: Path) -> list[Path]:
    """Write the job lists a crash left due for the channel's partner database (none: nothing to do, nothing made).

    For readers of a jobs file (``batch``, ``status``): an accepted listing is in the file before they read it.
    """
    path = db_path(channel_yaml)
    if not path.is_file():
        return []
    with Database(path).read() as conn:
        try:
            due = conn.execute("SELECT count(*) FROM csv_pending").fetchone()[0]
        except sqlite3.OperationalError:  # a database without the table: an older or foreign file; open() says so
            due = 1
    return PartnerStore.open(channel_yaml).recover() if due else []


def _refusal(invitation: Invitation, now: datetime, *, known: bool) -> str:
    """Why a link does not open (``revoked``, ``expired``, ``unknown-partner``), or ``""``."""
    if invitation.revoked is not None:
        return "revoked"
    if now >= invitation.expires:
        return "expired"
    return "" if known else "unknown-partner"

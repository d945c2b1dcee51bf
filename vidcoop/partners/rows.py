"""Rows of the partner database as the store's values, and the checks on a listing's row."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timezone

from vidcoop.partners.model import Invitation, Listing, ListingState, NotYours, SignOff, StaleListing


def db_time(value: datetime) -> str:
    """A time as the database keeps it: UTC, ISO 8601, microseconds."""
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None



def own_row(conn: sqlite3.Connection, partner_id: str, listing_id: int) -> sqlite3.Row:
    """The row of one of ``partner_id``'s listings; NotYours for any other id (existing or not)."""
    if not isinstance(listing_id, int) or isinstance(listing_id, bool):
        raise NotYours(listing_id=None)
    row = conn.execute("SELECT * FROM listings WHERE id = ? AND partner_id = ?", (listing_id, partner_id)).fetchone()
    if row is None:
        raise NotYours(listing_id=listing_id)
    return row  # type: ignore[no-any-return]


def any_row(conn: sqlite3.Connection, listing_id: int) -> sqlite3.Row:
    """A listing's row by id, for the editor; NotYours when there is none."""
    row = conn.execute("SELECT * FROM listings WHERE id = ?", (listing_id,)).fetchone() \
        if isinstance(listing_id, int) and not isinstance(listing_id, bool) else None
    if row is None:
        raise NotYours(listing_id=listing_id if isinstance(listing_id, int) else None)
    return row  # type: ignore[no-any-return]


def check_version(row: sqlite3.Row, expected: int | None) -> None:
    if expected is not None and int(row["version"]) != expected:
        raise StaleListing(f"listing {row['id']} changed meanwhile (version {row['version']}, the form had "
                           f"{expected}); reload it", listing_id=int(row["id"]), expected=expected,
                           current=int(row["version"]))


def check_status(row: sqlite3.Row, step: str, allowed: Sequence[str]) -> None:
    if row["status"] not in allowed:
        raise ListingState(f"cannot {step} listing {row['id']}: it is {row['status']}", field="status")


def invitation_of(row: sqlite3.Row) -> Invitation:
    return Invitation(str(row["partner_id"]), datetime.fromisoformat(row["created"]),
                      datetime.fromisoformat(row["expires"]), parse_time(row["revoked"]),
                      parse_time(row["last_used"]))


def listing_of(row: sqlite3.Row) -> Listing:
    return Listing(int(row["id"]), str(row["partner_id"]), str(row["week"]),
                   dict(json.loads(row["fields"])), str(row["status"]), str(row["comment"]),
                   datetime.fromisoformat(row["updated"]),
                   int(row["version"]))


def signoff_of(row: sqlite3.Row) -> SignOff:
    return SignOff(str(row["partner_id"]), str(row["week"]), str(row["state"]), str(row["comment"]),
                   str(row["signed_by"]), datetime.fromisoformat(row["signed"]), str(row["content_hash"]))

"""The partner store's API: invitations, sessions, listings and their isolation, the editor's side."""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from tests.partners.conftest import CARITAS, DIAKONIE, WEEK, Clock, job
from vidcoop.errors import ManifestError, VidcoopError
from vidcoop.partners import ListingInvalid, ListingState, NotYours, PartnerError, PartnerStore, StaleListing
from vidcoop.partners.db import DB_NAME, SCHEMA_VERSION


def test_database_beside_channel_in_wal_mode_with_schema_version(store: PartnerStore, channel_yaml: Path) -> None:
    assert store.path == channel_yaml.parent / DB_NAME
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert (store.path.stat().st_mode & 0o077) == 0  # hashes of partner links: owner only


def test_commits_are_durable_where_a_file_depends_on_them(store: PartnerStore) -> None:
    with store.db.write() as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: safe in WAL, no fsync per save
    with store.db.write(durable=True) as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: on disk before the job list changes


def test_newer_schema_is_refused_in_one_line(channel_yaml: Path) -> None:
    PartnerStore.open(channel_yaml)
    conn = sqlite3.connect(channel_yaml.parent / DB_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(PartnerError, match="newer vidcoop"):
        PartnerStore.open(channel_yaml)


def test_a_file_that_is_no_partner_database_is_one_line(channel_yaml: Path) -> None:
    (channel_yaml.parent / DB_NAME).write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(PartnerError, match="not a partner database") as info:
        PartnerStore.open(channel_yaml)
    assert info.value.path == str(channel_yaml.parent / DB_NAME)
    (channel_yaml.parent / DB_NAME).unlink()
    other = sqlite3.connect(channel_yaml.parent / DB_NAME)
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    with pytest.raises(PartnerError, match="it has other tables"):
        PartnerStore.open(channel_yaml)


def test_an_unwritable_channel_folder_is_one_line(channel_yaml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)  # root ignores file modes: the refusal is simulated
    with pytest.raises(PartnerError, match="cannot create the partner database: Permission denied"):
        PartnerStore.open(channel_yaml)


def test_invite_redeem_and_last_use(store: PartnerStore, clock: Clock) -> None:
    token = store.invite(CARITAS, by="Anna")
    assert len(token) >= 40
    clock.advance(hours=1)
    assert store.redeem(token) == CARITAS
    (inv,) = store.invitations()
    assert inv.partner_id == CARITAS and inv.last_used == clock.now and inv.revoked is None
    assert store.redeem(token + "x") is None
    assert store.redeem("") is None


def test_unknown_partner_cannot_be_invited(store: PartnerStore) -> None:
    with pytest.raises(ManifestError, match="unknown partner 'nobody'") as info:
        store.invite("nobody", by="Anna")
    assert info.value.field == "partners" and info.value.path and info.value.path.endswith("channel.yaml")


@pytest.mark.parametrize("days", [0, -1, 366, True])
def test_bad_days(store: PartnerStore, days: int) -> None:
    with pytest.raises(PartnerError, match="1 to 365 days"):
        store.invite(CARITAS, days=days, by="Anna")


def test_link_expires(store: PartnerStore, clock: Clock) -> None:
    token = store.invite(CARITAS, days=2, by="Anna")
    clock.advance(days=2, seconds=-1)
    assert store.redeem(token) == CARITAS
    clock.advance(seconds=1)
    assert store.redeem(token) is None
    assert store.audit().rows()[-1].details() == {"reason": "expired"}


def test_revoke_stops_link_and_sessions(store: PartnerStore) -> None:
    token = store.invite(CARITAS, by="Anna")
    session = store.start_session(store.redeem(token) or "")
    assert store.session_partner(session) == CARITAS
    store.revoke(CARITAS, by="Anna")
    assert store.redeem(token) is None
    assert store.session_partner(session) is None
    assert store.invitations()[0].revoked is not None
    with pytest.raises(PartnerError, match="no invitation"):
        store.revoke(DIAKONIE, by="Anna")


def test_reinvite_replaces_the_old_token(store: PartnerStore) -> None:
    old = store.invite(CARITAS, by="Anna")
    store.revoke(CARITAS, by="Anna")
    new = store.invite(CARITAS, by="Anna")
    assert store.redeem(old) is None
    assert store.redeem(new) == CARITAS
    assert len(store.invitations()) == 1


def test_tokens_and_sessions_stored_only_hashed(store: PartnerStore) -> None:
    token = store.invite(CARITAS, by="Anna")
    session = store.start_session(CARITAS)
    store.redeem(token)
    store.redeem("wrong-" + token[:20])
    files = [p for p in store.path.parent.iterdir() if p.name.startswith(DB_NAME)]
    data = b"".join(p.read_bytes() for p in files)
    assert data  # the test reads the database and its WAL
    for secret in (token, session, token[:20]):
        assert secret.encode() not in data


def test_session_expires(store: PartnerStore, clock: Clock) -> None:
    store.invite(CARITAS, by="Anna")
    session = store.start_session(CARITAS)
    clock.advance(hours=11)
    assert store.session_partner(session) == CARITAS
    clock.advance(hours=1)
    assert store.session_partner(session) is None
    assert store.session_partner("") is None
    other = store.start_session(CARITAS)
    store.end_session(other)
    assert store.session_partner(other) is None


def test_save_forces_owner_and_keeps_text_literal(store: PartnerStore) -> None:
    evil = "'); DROP TABLE listings; --"
    fields = job(Titel="Pfleger:in <script>alert(1)</script>", Beschreibung=evil, Partner=DIAKONIE)
    listing = store.save_listing(CARITAS, WEEK, fields)
    assert listing.fields["Partner"] == CARITAS
    assert listing.fields["Beschreibung"] == evil
    assert listing.fields["Titel"] == "Pfleger:in <script>alert(1)</script>"
    assert listing.status == "draft" and listing.version == 1 and listing.week == WEEK
    assert store.listing(CARITAS, listing.id) == listing
    assert store.listings(CARITAS, weeks=["2026W50"]) == [listing]
    assert dataclasses.asdict(listing)["fields"]["Beschreibung"] == evil  # the pages' JSON twins
    assert pickle.loads(pickle.dumps(listing)) == listing
    assert store.redeem("' OR '1'='1") is None
    assert store.session_partner("' OR 1=1 --") is None
    with pytest.raises(NotYours):
        store.listing(CARITAS, "1 OR 1=1")  # type: ignore[arg-type]


def test_invalid_listing_has_german_messages_per_field(store: PartnerStore) -> None:
    with pytest.raises(ListingInvalid) as info:
        store.save_listing(CARITAS, WEEK, job(Titel="", Bewerbung="www.caritas.de", **{"Gültig bis": "31.02.2027"}))
    problems = info.value.problems
    assert problems["Titel"] == "Pflichtfeld: bitte ausfüllen"
    assert problems["Bewerbung"] == "Webadressen beginnen mit https:// (oder http://)"
    assert problems["Gültig bis"] == "diesen Tag gibt es im Kalender nicht"
    assert set(problems) == set(info.value.problems_en)
    assert store.listings(CARITAS) == []
    assert pickle.loads(pickle.dumps(info.value)).problems == problems


def test_expired_past_week_and_unknown_field(store: PartnerStore) -> None:
    with pytest.raises(ListingInvalid) as info:
        store.save_listing(CARITAS, "2026-W48", job(**{"Gültig bis": "01.11.2026", "Gehalt": "viel"}))
    assert "vorbei" in info.value.problems["Woche"]
    assert "vor dem Beginn der Woche" in info.value.problems["Gültig bis"]
    assert info.value.problems["Gehalt"] == "unbekanntes Feld"
    with pytest.raises(ListingInvalid, match="week"):
        store.save_listing(CARITAS, "nächste Woche", job())
    with pytest.raises(ListingInvalid) as info:
        store.save_listing(CARITAS, WEEK, {**job(), "title": "Zweiter Titel"})
    assert info.value.problems == {"Titel": "doppelt angegeben"}


def test_today_is_the_channels_day_not_utcs(store: PartnerStore, clock: Clock) -> None:
    """Sunday 23:30 UTC is Monday 00:30 in Berlin (the channel's timezone): week 50 has begun, week 49 is past."""
    clock.now = datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc)
    assert store.today() == date(2026, 12, 7)
    with pytest.raises(ListingInvalid) as info:
        store.save_listing(CARITAS, "2026-W49", job())
    assert "vorbei" in info.value.problems["Woche"]
    store.save_listing(CARITAS, WEEK, job())


def test_edit_with_version_check(store: PartnerStore) -> None:
    first = store.save_listing(CARITAS, WEEK, job())
    second = store.save_listing(CARITAS, WEEK, job(Ort="Nordstadt"), listing_id=first.id, expected_version=1)
    assert second.version == 2 and second.fields["Ort"] == "Nordstadt"
    with pytest.raises(StaleListing) as info:
        store.save_listing(CARITAS, WEEK, job(Ort="Südstadt"), listing_id=first.id, expected_version=1)
    assert (info.value.expected, info.value.current) == (1, 2)
    assert store.listing(CARITAS, first.id).fields["Ort"] == "Nordstadt"


def test_partner_cannot_touch_another_partners_listing(store: PartnerStore) -> None:
    theirs = store.save_listing(DIAKONIE, WEEK, job())
    missing = theirs.id + 100
    for listing_id in (theirs.id, missing):
        for attempt in (
            lambda i: store.listing(CARITAS, i),
            lambda i: store.save_listing(CARITAS, WEEK, job(Ort="gekapert"), listing_id=i),
            lambda i: store.submit(CARITAS, i),
            lambda i: store.withdraw(CARITAS, i),
        ):
            with pytest.raises(NotYours) as info:
                attempt(listing_id)
            assert str(info.value) == "no such listing"  # the same words whether it exists or not
    assert store.listings(CARITAS) == []
    assert store.listing(DIAKONIE, theirs.id) == theirs
    assert store.editor_listing(theirs.id) == theirs  # the editor's side sees every partner's
    with pytest.raises(NotYours):
        store.editor_listing(missing)
    with pytest.raises(NotYours):
        store.listing(CARITAS, "1")  # type: ignore[arg-type]


def test_submit_withdraw_reject_flow(store: PartnerStore) -> None:
    listing = store.save_listing(CARITAS, WEEK, job())
    submitted = store.submit(CARITAS, listing.id)
    assert submitted.status == "submitted" and store.queue() == [submitted]
    with pytest.raises(ListingState):
        store.submit(CARITAS, listing.id)
    with pytest.raises(PartnerError, match="say why"):
        store.reject(listing.id, editor="Anna", comment="  ")
    rejected = store.reject(listing.id, editor="Anna", comment="Bitte Ort genauer")
    assert rejected.status == "rejected" and rejected.comment == "Bitte Ort genauer" and store.queue() == []
    again = store.save_listing(CARITAS, WEEK, job(Ort="Musterstadt, Hauptstr. 1"), listing_id=listing.id)
    assert again.status == "draft"
    store.submit(CARITAS, listing.id)
    withdrawn = store.withdraw(CARITAS, listing.id)
    assert withdrawn.status == "withdrawn" and store.queue() == []
    with pytest.raises(ListingState):
        store.accept(listing.id, editor="Anna", jobs_csv=store.path.parent / "jobs.csv")


def test_sign_off_and_staleness(store: PartnerStore) -> None:
    seen, later = "a" * 64, "b" * 64
    with pytest.raises(PartnerError, match="which change"):
        store.sign_off(CARITAS, WEEK, approved=False, comment="", by="Petra", content_hash=seen)
    with pytest.raises(PartnerError, match="64 hex"):
        store.sign_off(CARITAS, WEEK, approved=True, comment="", by="Petra", content_hash="abc")
    done = store.sign_off(CARITAS, WEEK, approved=True, comment="", by="Petra", content_hash=seen)
    assert store.sign_offs(WEEK) == {CARITAS: done}
    assert store.signoff_current(WEEK, CARITAS, seen)
    assert not store.signoff_current(WEEK, CARITAS, later)  # re-rendered with other content
    assert not store.signoff_current(WEEK, DIAKONIE, seen)
    store.sign_off(CARITAS, WEEK, approved=False, comment="Telefonnummer fehlt", by="Petra", content_hash=seen)
    assert not store.signoff_current(WEEK, CARITAS, seen)


def test_errors_are_vidcoop_errors() -> None:
    for cls in (NotYours, StaleListing, ListingInvalid, ListingState, PartnerError):
        assert issubclass(cls, VidcoopError)

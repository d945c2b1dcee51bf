"""The audit log: one row per action in the same transaction, a hash chain that names the first changed row."""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

import pytest

from tests.partners.conftest import CARITAS, DIAKONIE, WEEK, Clock, job
from vidcoop.errors import ManifestError
from vidcoop.partners import PartnerStore, verify_export
from vidcoop.partners.audit import GENESIS, check_month, read_export, row_hash


def _actions(store: PartnerStore) -> None:
    token = store.invite(CARITAS, by="Anna")
    store.redeem(token)
    store.redeem("falsch")
    listing = store.save_listing(CARITAS, WEEK, job())
    store.submit(CARITAS, listing.id)
    store.reject(listing.id, editor="Anna", comment="Ort fehlt")
    store.sign_off(CARITAS, WEEK, approved=True, comment="", by="Petra", content_hash="c" * 64)
    store.revoke(CARITAS, by="Anna")


def test_every_action_is_logged_with_who_and_a_chain(store: PartnerStore) -> None:
    _actions(store)
    rows = store.audit().rows()
    assert [(r.actor, r.action) for r in rows] == [
        ("editor:Anna", "invite"), (f"partner:{CARITAS}", "redeem"), ("anonymous", "redeem-failed"),
        (f"partner:{CARITAS}", "save"), (f"partner:{CARITAS}", "submit"), ("editor:Anna", "reject"),
        (f"partner:{CARITAS}", "sign-off"), ("editor:Anna", "revoke"),
    ]
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(rows))
    assert all(r.row_hash == row_hash(r.prev_hash, r.body()) for r in rows)
    assert rows[5].details()["comment"] == "Ort fehlt"
    check = store.audit().verify()
    assert check.ok and check.rows == 8 and check.text() == "ok, 8 rows"
    assert [r.action for r in store.audit().rows(partner=DIAKONIE)] == []
    assert len(store.audit().rows(partner=CARITAS)) == 7  # the failed redeem names no partner


def test_a_refused_action_leaves_no_row(store: PartnerStore) -> None:
    with pytest.raises(Exception, match="not valid"):
        store.save_listing(CARITAS, WEEK, job(Titel=""))
    with pytest.raises(Exception, match="no such listing"):
        store.submit(CARITAS, 99)
    assert store.audit().rows() == []


def test_triggers_refuse_update_and_delete(store: PartnerStore) -> None:
    _actions(store)
    conn = sqlite3.connect(store.path)
    for sql in ("UPDATE audit SET actor = 'editor:Eve' WHERE seq = 2", "DELETE FROM audit WHERE seq = 2"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    assert store.audit().verify().ok


def _tamper(store: PartnerStore, *sql: str, restore: bool = False) -> None:
    conn = sqlite3.connect(store.path)
    triggers = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for statement in sql:
        conn.execute(statement)
    for statement in triggers if restore else []:  # a careful forger puts them back
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_removed_triggers_fail_even_with_intact_rows(store: PartnerStore) -> None:
    _actions(store)
    _tamper(store)
    check = store.audit().verify()
    assert (check.ok, check.broken_seq, check.rows) == (False, None, 8)
    assert check.text() == "the append-only trigger(s) audit_no_delete, audit_no_update were removed by hand"


def test_a_hand_edited_row_is_named(store: PartnerStore) -> None:
    _actions(store)
    _tamper(store, "UPDATE audit SET detail = '{\"comment\":\"alles gut\"}' WHERE seq = 6")
    check = store.audit().verify()
    assert not check.ok and check.broken_seq == 6 and check.rows == 5
    assert check.text().startswith("row 6: its content does not match its row_hash")


def test_an_edit_with_its_own_hash_recomputed_breaks_the_next_link(store: PartnerStore) -> None:
    _actions(store)
    row = store.audit().rows()[3]
    forged = {**row.body(), "actor": "editor:Eve"}
    _tamper(store, f"UPDATE audit SET actor = 'editor:Eve', row_hash = '{row_hash(row.prev_hash, forged)}' "
                   f"WHERE seq = {row.seq}")
    check = store.audit().verify()
    assert (check.ok, check.broken_seq) == (False, row.seq + 1)
    assert "prev_hash" in check.problem


def test_a_deleted_row_is_named(store: PartnerStore) -> None:
    _actions(store)
    _tamper(store, "DELETE FROM audit WHERE seq = 3")
    check = store.audit().verify()
    assert (check.ok, check.broken_seq) == (False, 3)
    assert "missing" in check.problem


def test_export_round_trip_and_month(store: PartnerStore, clock: Clock, tmp_path: Path) -> None:
    _actions(store)  # December 2026
    clock.advance(days=30)  # January 2027
    store.invite(DIAKONIE, by="Anna")
    december = store.audit().export("2026-12", tmp_path / "audit-2026-12.jsonl")
    january = store.audit().export("2027-01", tmp_path / "audit-2027-01.csv")
    lines = december.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["rows"] == 8 and len(lines) == 9
    assert verify_export(december).ok and verify_export(january).ok
    rows = read_export(january)
    assert [r.seq for r in rows] == [9] and rows[0].prev_hash == json.loads(lines[-1])["row_hash"]
    assert verify_export(december, against=store.audit().rows()).ok
    assert january.read_bytes().startswith(b"\xef\xbb\xbfseq;when;actor;")


def test_a_tampered_export_fails(store: PartnerStore, tmp_path: Path) -> None:
    _actions(store)
    export = store.audit().export("2026-12", tmp_path / "a.jsonl")
    export.write_text(export.read_text(encoding="utf-8").replace("Ort fehlt", "Ort ok"), encoding="utf-8")
    check = verify_export(export)
    assert (check.ok, check.broken_seq) == (False, 6)


def test_a_rewritten_history_fails_against_an_earlier_export(store: PartnerStore, tmp_path: Path) -> None:
    """Someone rewrites a row and recomputes every hash after it: the chain holds, the coalition's export does not."""
    _actions(store)
    export = store.audit().export("2026-12", tmp_path / "a.jsonl")
    rows = store.audit().rows()
    statements, prev = [], rows[4].row_hash
    for row in rows[5:]:
        body = {**row.body(), "prev_hash": prev}
        if row.seq == 6:
            body["detail"] = '{"comment":"alles gut"}'
        prev = row_hash(prev, body)
        statements.append(f"UPDATE audit SET detail = '{body['detail']}', prev_hash = '{body['prev_hash']}', "
                          f"row_hash = '{prev}' WHERE seq = {row.seq}")
    _tamper(store, *statements, restore=True)
    assert store.audit().verify().ok  # undetectable from the database alone
    check = verify_export(export, against=store.audit().rows())
    assert (check.ok, check.broken_seq) == (False, 6)


@pytest.mark.parametrize("month", ["2026-13", "12-2026", "2026-1", "", "2026-12-01"])
def test_bad_month(month: str) -> None:
    with pytest.raises(ManifestError, match="not a month") as info:
        check_month(month)
    assert info.value.field == "--month"


def test_not_an_export(tmp_path: Path) -> None:
    other = tmp_path / "x.jsonl"
    other.write_text('{"a": 1}\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="not a vidcoop audit export"):
        verify_export(other)

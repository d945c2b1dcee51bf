"""Accepted listings in the job list the job board reads: format kept, hand-typed rows kept, crash-safe."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.partners.conftest import CARITAS, DIAKONIE, START, WEEK, Clock, job
from vidcoop.errors import OutputError
from vidcoop.jobboard import load, validate
from vidcoop.partners import PartnerStore, jobsfile
from vidcoop.partners import audit as auditlog
from vidcoop.resources import example_dir


@pytest.fixture
def jobs_csv(channel_yaml: Path) -> Path:
    target = channel_yaml.parent.parent / "jobs.csv"
    shutil.copy(example_dir() / "jobs.csv", target)
    return target


def _submitted(store: PartnerStore, partner: str = CARITAS, **changes: str) -> int:
    listing = store.save_listing(partner, WEEK, job(**changes))
    return store.submit(partner, listing.id).id


def _rows(path: Path) -> list[dict[str, str]]:
    return [dict(r.values) for r in load(path).rows]


def test_accept_appends_one_row_and_keeps_the_hand_typed_ones(store: PartnerStore, jobs_csv: Path) -> None:
    before = _rows(jobs_csv)
    listing_id = _submitted(store, Beschreibung='Sagt "Hallo"; und tschüss')
    accepted = store.accept(listing_id, editor="Anna", jobs_csv=jobs_csv)
    assert accepted.status == "accepted"
    data = jobs_csv.read_bytes()
    header = "Titel;Partner;Ort;Arbeitszeit;Beginn;Beschreibung;Bewerbung;Gültig bis\r\n"
    assert data.startswith(b"\xef\xbb\xbf" + header.encode())
    assert b'"Sagt ""Hallo""; und tsch\xc3\xbcss"' in data  # quoted as Excel does
    after = _rows(jobs_csv)
    assert after[: len(before)] == before
    assert after[len(before):] == [accepted.canonical()]
    report = validate(jobs_csv, store.channel, WEEK)
    assert any(j.title == "Heilerziehungspfleger*in (m/w/d)" and j.partner == CARITAS for j in report.ok)
    assert store.audit().rows()[-1].action == "csv-write"


def test_new_file_gets_the_german_header(store: PartnerStore, tmp_path: Path) -> None:
    target = tmp_path / "week50" / "jobs.csv"
    store.accept(_submitted(store), editor="Anna", jobs_csv=target)
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == \
        "Titel;Partner;Ort;Arbeitszeit;Beginn;Beschreibung;Bewerbung;Gültig bis"
    assert len(_rows(target)) == 1


def test_withdraw_and_edit_take_an_accepted_listing_off_the_list(store: PartnerStore, jobs_csv: Path) -> None:
    before = _rows(jobs_csv)
    first = _submitted(store)
    second = _submitted(store, DIAKONIE, Titel="Koch/Köchin (m/w/d)", Bewerbung="0561 123456")
    store.accept(first, editor="Anna", jobs_csv=jobs_csv)
    store.accept(second, editor="Anna", jobs_csv=jobs_csv)
    assert len(_rows(jobs_csv)) == len(before) + 2
    store.withdraw(CARITAS, first)
    assert [r["title"] for r in _rows(jobs_csv)[len(before):]] == ["Koch/Köchin (m/w/d)"]
    edited = store.save_listing(DIAKONIE, WEEK, job(Titel="Koch (m/w/d)"), listing_id=second)
    assert edited.status == "draft"  # changed text goes back through the editor
    assert _rows(jobs_csv) == before


def test_accept_refuses_a_non_csv_list(store: PartnerStore, tmp_path: Path) -> None:
    listing_id = _submitted(store)
    with pytest.raises(Exception, match="CSV job list"):
        store.accept(listing_id, editor="Anna", jobs_csv=tmp_path / "jobs.yaml")
    assert store.queue()[0].id == listing_id


def test_crash_before_the_csv_write_is_replayed_once(channel_yaml: Path, jobs_csv: Path, clock: Clock,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    store = PartnerStore.open(channel_yaml, clock=clock)
    before = _rows(jobs_csv)
    listing_id = _submitted(store)

    def crash(*args: object, **kwargs: object) -> bytes:
        raise OutputError("power cut", path=jobs_csv)

    monkeypatch.setattr(jobsfile, "rebuild", crash)
    with pytest.raises(OutputError):
        store.accept(listing_id, editor="Anna", jobs_csv=jobs_csv)
    assert _rows(jobs_csv) == before  # the database says accepted, the file does not have it yet
    monkeypatch.undo()
    reopened = PartnerStore.open(channel_yaml, clock=clock)
    assert _rows(jobs_csv)[len(before):] == [reopened.listing(CARITAS, listing_id).canonical()]
    assert reopened.recover() == []  # nothing due any more
    PartnerStore.open(channel_yaml, clock=clock)
    assert len(_rows(jobs_csv)) == len(before) + 1
    assert reopened.audit().verify().ok


def test_crash_after_the_csv_write_is_not_duplicated(channel_yaml: Path, jobs_csv: Path, clock: Clock,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    store = PartnerStore.open(channel_yaml, clock=clock)
    before = _rows(jobs_csv)
    listing_id = _submitted(store)
    real = auditlog.append

    def crash_on_csv_write(conn: object, **kwargs: object) -> object:
        if kwargs["action"] == "csv-write":
            raise KeyboardInterrupt  # killed after the file, before the database noted it
        return real(conn, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(auditlog, "append", crash_on_csv_write)
    with pytest.raises(KeyboardInterrupt):
        store.accept(listing_id, editor="Anna", jobs_csv=jobs_csv)
    monkeypatch.undo()
    assert len(_rows(jobs_csv)) == len(before) + 1
    PartnerStore.open(channel_yaml, clock=clock)
    PartnerStore.open(channel_yaml, clock=clock)
    assert len(_rows(jobs_csv)) == len(before) + 1


def test_killed_process_between_database_and_csv(channel_yaml: Path, jobs_csv: Path) -> None:
    """A real process dies (os._exit, no cleanup) right after the database commit; the next open repairs it."""
    before = _rows(jobs_csv)
    script = textwrap.dedent(f"""
        import datetime
        import os
        from pathlib import Path
        from vidcoop.partners import PartnerStore, jobsfile
        now = datetime.datetime.fromisoformat({START.isoformat()!r})  # the tests' day: WEEK is never over
        store = PartnerStore.open(Path({str(channel_yaml)!r}), clock=lambda: now)
        fields = {job()!r}
        listing = store.save_listing({CARITAS!r}, {WEEK!r}, fields)
        store.submit({CARITAS!r}, listing.id)
        jobsfile.rebuild = lambda *a, **k: os._exit(9)
        store.accept(listing.id, editor="Anna", jobs_csv=Path({str(jobs_csv)!r}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 9, done.stderr
    assert _rows(jobs_csv) == before
    store = PartnerStore.open(channel_yaml)
    (listing,) = store.listings(CARITAS)
    assert listing.status == "accepted"
    assert _rows(jobs_csv) == [*before, listing.canonical()]
    assert not list(jobs_csv.parent.glob(".jobs.*.part*"))

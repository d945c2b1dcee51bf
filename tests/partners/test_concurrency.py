"""Two partners saving at once: no lost write, no "database is locked", one unbroken audit chain."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from tests.partners.conftest import CARITAS, DIAKONIE, WEEK, Clock, job
from vidcoop.partners import PartnerStore, StaleListing

PARTNERS = (CARITAS, DIAKONIE, "paritaetischer-musterstadt")


def _work(channel_yaml: Path, partner: str, worker: int, count: int) -> None:
    store = PartnerStore.open(channel_yaml, clock=Clock())  # the tests' day: WEEK is never over
    for i in range(count):
        listing = store.save_listing(partner, WEEK, job(Titel=f"Stelle {worker}-{i}"))
        store.submit(partner, listing.id)


def test_threads_save_and_submit_at_once(store: PartnerStore, channel_yaml: Path) -> None:
    errors: list[BaseException] = []

    def run(worker: int) -> None:
        try:
            _work(channel_yaml, PARTNERS[worker % 3], worker, 6)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    titles = sorted(item.fields["Titel"] for p in PARTNERS for item in store.listings(p))
    assert titles == sorted(f"Stelle {w}-{i}" for w in range(8) for i in range(6))
    assert len(store.queue()) == 48
    check = store.audit().verify()
    assert check.ok and check.rows == 96


@pytest.mark.slow
def test_processes_save_at_once(store: PartnerStore, channel_yaml: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_work, args=(channel_yaml, PARTNERS[w % 3], w, 5)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert len(store.queue()) == 15
    assert store.audit().verify().rows == 30


def test_same_listing_edited_twice_at_once_keeps_one_and_refuses_the_other(store: PartnerStore) -> None:
    listing = store.save_listing(CARITAS, WEEK, job())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(place: str) -> None:
        barrier.wait()
        try:
            store.save_listing(CARITAS, WEEK, job(Ort=place), listing_id=listing.id, expected_version=1)
            outcomes.append(place)
        except StaleListing:
            outcomes.append("stale")

    threads = [threading.Thread(target=edit, args=(p,)) for p in ("Nord", "Süd")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[1] == "stale" and outcomes.count("stale") == 1
    saved = store.listing(CARITAS, listing.id)
    assert saved.version == 2 and saved.fields["Ort"] == next(o for o in outcomes if o != "stale")

"""Two studio processes on one week (#31.1): the version check and the write happen under a file lock.

Two editors (two laptops on a shared folder, or two terminals) load the same version and
save at once: one save lands, the other gets 409. Approvals from two processes at once all
reach the reviews file.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")

from vidcoop.review import book as rv

from .conftest import EPISODE

ROUNDS = 4
APPROVALS = 60


def _editor(week: str, label: str, barrier: Any, results: Any) -> None:
    """One studio process: each round, load the episode, wait for the other, save an edit."""
    from starlette.testclient import TestClient

    from vidcoop.studio.app import create_app

    client = TestClient(create_app(week), base_url="http://127.0.0.1:8765")
    found = re.search(r'name="csrf-token" content="([^"]+)"', client.get(f"/episodes/{EPISODE}").text)
    assert found
    headers = {"X-CSRF-Token": found.group(1), "Content-Type": "application/json"}
    for i in range(ROUNDS):
        barrier.wait(timeout=120)
        data = client.get(f"/api/episodes/{EPISODE}").json()  # both load version V
        cues = data["cues"]
        cues[0]["text"] = f"{label} {i}"
        barrier.wait(timeout=120)
        r = client.post(f"/api/episodes/{EPISODE}/captions", headers=headers,
                        content=json.dumps({"version": data["version"], "cues": cues}))
        results.put((i, label, r.status_code))


def _approver(week: str, who: str, barrier: Any) -> None:
    barrier.wait(timeout=120)
    book = rv.ReviewBook.for_week(week)
    for i in range(APPROVALS):
        book.add(rv.Review(episode=EPISODE, reviewer=f"{who}{i}", decision=rv.APPROVE, key="k"))


def _run(target: Any, args: list[tuple[Any, ...]], barrier: Any) -> None:
    processes = [multiprocessing.get_context("spawn").Process(target=target, args=a) for a in args]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * len(processes)


def test_two_studios_saving_the_same_version_one_wins_the_other_gets_409(example_week: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    _run(_editor, [(str(example_week), label, barrier, results) for label in ("anna", "ben")], barrier)
    by_round: dict[int, dict[str, int]] = {}
    for _ in range(2 * ROUNDS):
        i, label, status = results.get(timeout=10)
        by_round.setdefault(i, {})[label] = status
    for i, statuses in sorted(by_round.items()):
        assert sorted(statuses.values()) == [200, 409], (i, statuses)  # never both 200
    last = by_round[ROUNDS - 1]
    winner = next(label for label, status in last.items() if status == 200)
    saved = (example_week.parent / "episodes" / f"{EPISODE}.captions.srt").read_text(encoding="utf-8")
    assert f"{winner} {ROUNDS - 1}" in saved


def test_approvals_from_two_processes_all_reach_the_reviews_file(example_week: Path) -> None:
    barrier = multiprocessing.get_context("spawn").Barrier(2)
    _run(_approver, [(str(example_week), who, barrier) for who in ("a", "b")], barrier)
    book = rv.ReviewBook.for_week(example_week)
    assert len(book.reviews) == 2 * APPROVALS
    assert len({r.reviewer for r in book.reviews}) == 2 * APPROVALS

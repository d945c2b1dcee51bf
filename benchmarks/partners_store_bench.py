"""Partner self-service under load, the store's part: 20 partners saving and submitting listings at once.

    /work/venv/bin/python benchmarks/partners_store_bench.py [--workers 20] [--seconds 60]

A temp copy of the example channel gets ``--workers`` partners (the example's logo for each); each
worker thread is one partner and, until the time is up, saves a new listing and submits it through
:class:`vidcoop.partners.PartnerStore` (every call opens its own connection, as the studio's request
threads do). Each save+submit is one timed operation. It prints operations, errors, p50/p95/max
latency, and checks that nothing was lost: every operation that returned left exactly one submitted
listing, and the audit chain verifies with two rows per operation (target: no error, nothing lost,
p95 under 300 ms).

:func:`run_load` takes any ``action(worker, i)``, so the HTTP variant (``benchmarks/partners_bench.py``,
the studio's partner pages on 127.0.0.1) can time its requests with the same loop and report
(``from benchmarks.partners_store_bench import run_load``). This file has its own name so that the two
branches that wrote them merge without a conflict.
"""

from __future__ import annotations

import argparse
import math
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
Action = Callable[[int, int], None]


@dataclass(frozen=True)
class LoadResult:
    """What a load run did: timed operations, their errors, the wall time."""

    workers: int
    seconds: float
    latencies: tuple[float, ...]
    errors: tuple[str, ...] = field(default=())

    @property
    def operations(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile (nearest rank) of the latencies, in seconds (0 without operations)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def text(self) -> str:
        ms = 1000
        return (f"{self.workers} workers, {self.seconds:.0f} s: {self.operations} operations "
                f"({self.operations / self.seconds:.1f}/s), {len(self.errors)} errors; latency p50 "
                f"{self.percentile(50) * ms:.0f} ms, p95 {self.percentile(95) * ms:.0f} ms, "
                f"max {max(self.latencies, default=0) * ms:.0f} ms")


def run_load(action: Action, *, workers: int = 20, seconds: float = 60.0) -> LoadResult:
    """Call ``action(worker, i)`` from ``workers`` threads, each as often as it can for ``seconds``.

    Every call is timed; an exception counts as an error (its first line kept) and the worker goes on.
    """
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(workers + 1)
    deadline = [0.0]

    def worker(number: int) -> None:
        start.wait()
        i = 0
        while time.monotonic() < deadline[0]:
            began = time.perf_counter()
            try:
                action(number, i)
            except Exception as exc:  # a benchmark reports every failure and keeps going
                first = str(exc).splitlines()[0] if str(exc) else ""
                with lock:
                    errors.append(f"worker {number}: {type(exc).__name__}: {first}")
                    if len(errors) == 1:
                        traceback.print_exc()
            else:
                with lock:
                    latencies.append(time.perf_counter() - began)
            i += 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(workers)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for t in threads:
        t.join()
    return LoadResult(workers, time.monotonic() - began, tuple(latencies), tuple(errors))


def partner_ids(count: int) -> list[str]:
    return [f"partner-{n:02d}" for n in range(count)]


def make_channel(root: Path, partners: int) -> Path:
    """A copy of the example channel with ``partners`` partners (ids ``partner-00``...); its channel.yaml."""
    folder = root / "channel"
    shutil.copytree(ROOT / "examples" / "channel", folder)
    text = (folder / "channel.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\npartners:\n")
    tail = rest[rest.index("\n# Publishing"):]  # the example's partners end where publishing starts
    entries = "".join(f"  {pid}:\n    name: Träger {pid}\n    logo: partners/caritas-musterstadt.png\n"
                      for pid in partner_ids(partners))
    (folder / "channel.yaml").write_text(f"{head}\npartners:\n{entries}{tail}", encoding="utf-8")
    return folder / "channel.yaml"


def listing_fields(worker: int, i: int) -> dict[str, str]:
    return {"Titel": f"Pflegefachkraft (m/w/d) {worker}-{i}", "Ort": "Musterstadt", "Arbeitszeit": "Vollzeit",
            "Beginn": "ab sofort", "Beschreibung": "Ein gutes Team.", "Bewerbung": "https://example.org/jobs",
            "Gültig bis": "31.12.2099"}


def store_action(channel_yaml: Path, week: str) -> Action:
    """Save a new listing and submit it, as partner ``worker``, through the library (no HTTP)."""
    from vidcoop.partners import PartnerStore

    store = PartnerStore.open(channel_yaml)
    store.board()  # the card template and fonts, once (the studio keeps its store for the whole run)
    ids = partner_ids(len(store.channel.partners))

    def action(worker: int, i: int) -> None:
        listing = store.save_listing(ids[worker], week, listing_fields(worker, i))
        store.submit(ids[worker], listing.id)

    return action


def check_nothing_lost(channel_yaml: Path, result: LoadResult) -> list[str]:
    """Problems: operations that returned but left no submitted listing, or a broken audit chain."""
    from vidcoop.partners import PartnerStore

    store = PartnerStore.open(channel_yaml)
    submitted = len(store.queue())
    check = store.audit().verify()
    problems = []
    if submitted < result.operations:
        problems.append(f"{result.operations - submitted} saved+submitted listings missing")
    if not check.ok:
        problems.append(f"audit chain broken: {check.text()}")
    elif check.rows < 2 * result.operations:
        problems.append(f"audit rows missing: {check.rows} for {result.operations} operations")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--week", default=None, help="ISO week of the listings (default: next week)")
    args = parser.parse_args()
    from datetime import date, timedelta

    week = args.week or "{}-W{:02d}".format(*(date.today() + timedelta(days=7)).isocalendar()[:2])
    with tempfile.TemporaryDirectory(prefix="partners-bench-") as tmp:
        channel_yaml = make_channel(Path(tmp), args.workers)
        result = run_load(store_action(channel_yaml, week), workers=args.workers, seconds=args.seconds)
        print(f"store (library, no HTTP): {result.text()}")
        for line in result.errors[:5]:
            print(f"  error: {line}")
        problems = check_nothing_lost(channel_yaml, result)
        print("nothing lost" if not problems else "LOST: " + "; ".join(problems))


if __name__ == "__main__":
    main()

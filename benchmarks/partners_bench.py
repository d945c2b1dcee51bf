"""Partner self-service benchmark, over HTTP on 127.0.0.1 (the studio served by uvicorn in its own process).

    python benchmarks/partners_bench.py [--runs 10] [--partners 20] [--seconds 60]

1. **Listing -> card preview.** One partner saves a new listing and asks for its card preview
   (the job board's validation and card drawing, PNG); the time from sending the save until the
   PNG has arrived. Target: under 2 s, card render included.
2. **20 partners at once.** A copy of the example channel with ``--partners`` partners, each with its
   own link and session, saving and submitting listings as fast as the server answers for
   ``--seconds``. Reported: requests, errors, listings lost (acknowledged by the server but not in the
   store afterwards), p50/p95/max latency. Target: no error, nothing lost, p95 under 300 ms.

The machine this runs on may be shared: the numbers are wall time under whatever load there is.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_week(root: Path, partners: int) -> tuple[Path, Path, list[str]]:
    """A copy of examples/ whose board is this week's and whose channel has ``partners`` partners."""
    import yaml

    from vidcoop.jobboard.week import parse_week

    shutil.copytree(REPO / "examples", root / "examples", ignore=shutil.ignore_patterns("*.py", "out"))
    shutil.copytree(REPO / "brand_kits", root / "brand_kits", ignore=shutil.ignore_patterns("*.py"))
    week = root / "examples" / "week.yaml"
    week.write_text(week.read_text(encoding="utf-8").replace("week: 2026-W48", f"week: {parse_week(None).label}"),
                    encoding="utf-8")
    channel = root / "examples" / "channel" / "channel.yaml"
    data = yaml.safe_load(channel.read_text(encoding="utf-8"))
    ids = list(data["partners"])
    for n in range(len(ids), partners):
        pid = f"traeger-{n:02d}"
        data["partners"][pid] = {"name": f"Träger {n:02d} Musterstadt", "logo": "partners/caritas-musterstadt.png",
                                 "bumper": {"duration": 2}}
        ids.append(pid)
    channel.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return week, channel, ids[:partners]


def _serve(week: str, port: int) -> None:
    import uvicorn

    from vidcoop.studio.app import create_app

    uvicorn.run(create_app(week), host="127.0.0.1", port=port, log_level="warning")


def job(n: int, who: str) -> dict[str, str]:
    return {"Titel": f"Fachkraft {n} (m/w/d)", "Ort": "Musterstadt", "Arbeitszeit": "Teilzeit, 30 Std.",
            "Beginn": "ab sofort", "Beschreibung": f"Stelle {n} von {who}.",
            "Bewerbung": f"https://{who}.example/jobs/{n}", "Gültig bis": "31.12.2099"}


class Session:
    def __init__(self, base: str, token: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=base, timeout=30)
        assert self.http.get(f"/p/{token}").status_code == 303  # the session cookie, then /partner
        match = re.search(r'name="csrf-token" content="([^"]+)"', self.http.get("/partner").text)
        assert match is not None
        self.csrf = match.group(1)

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self.http.post(url, json=body, headers={"X-CSRF-Token": self.csrf})


def bench_preview(base: str, token: str, week: str, runs: int) -> list[float]:
    session = Session(base, token)
    times = []
    for n in range(runs):
        start = time.perf_counter()
        saved = session.post("/api/partner/listings", {"week": week, "fields": job(1000 + n, "caritas")})
        drawn = session.post("/api/partner/preview", {"week": week, "fields": job(1000 + n, "caritas")})
        times.append(time.perf_counter() - start)
        assert saved.status_code == 200 and drawn.headers["content-type"] == "image/png", (saved.text, drawn.text)
    return times


def bench_concurrent(base: str, tokens: dict[str, str], week: str, seconds: float) -> dict[str, Any]:
    sessions = {pid: Session(base, token) for pid, token in tokens.items()}
    latencies: list[float] = []
    errors: list[str] = []
    saved: dict[str, list[int]] = {pid: [] for pid in tokens}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(pid: str) -> None:
        session = sessions[pid]
        n = 0
        while time.monotonic() < stop:
            n += 1
            start = time.perf_counter()
            answer = session.post("/api/partner/listings", {"week": week, "fields": job(n, pid)})
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if answer.status_code != 200:
                    errors.append(f"{pid} save {answer.status_code}")
                    continue
                saved[pid].append(answer.json()["id"])
            listing = answer.json()["id"]
            start = time.perf_counter()
            answer = session.post(f"/api/partner/listings/{listing}/submit", {})
            with lock:
                latencies.append(time.perf_counter() - start)
                if answer.status_code != 200:
                    errors.append(f"{pid} submit {answer.status_code}")

    threads = [threading.Thread(target=work, args=(pid,)) for pid in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "errors": errors, "saved": saved}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="listing + preview rounds (part 1)")
    parser.add_argument("--partners", type=int, default=20, help="partners at once (part 2)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they work (part 2)")
    args = parser.parse_args()

    from vidcoop.jobboard.week import parse_week
    from vidcoop.partners import PartnerStore

    with tempfile.TemporaryDirectory(prefix="vidcoop-partners-bench-") as tmp:
        week_file, channel, ids = make_week(Path(tmp), args.partners)
        store = PartnerStore.open(channel)
        tokens = {pid: store.invite(pid, by="Benchmark") for pid in ids}
        week = parse_week(None).label
        port = _free_port()
        server = multiprocessing.get_context("spawn").Process(target=_serve, args=(str(week_file), port), daemon=True)
        server.start()
        base = f"http://127.0.0.1:{port}"
        try:
            import httpx

            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{base}/partner", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            times = bench_preview(base, tokens[ids[0]], week, args.runs)
            print(f"1. listing saved -> card preview PNG received ({args.runs} runs): median "
                  f"{statistics.median(times):.3f} s, max {max(times):.3f} s (target < 2 s; machine under load)")
            result = bench_concurrent(base, {pid: tokens[pid] for pid in ids}, week, args.seconds)
        finally:
            server.terminate()
            server.join(10)
        lat = sorted(result["latencies"])
        lost = 0
        for pid, acknowledged in result["saved"].items():
            stored = {x.id for x in store.listings(pid)}
            lost += len(set(acknowledged) - stored)
        p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
        print(f"2. {len(tokens)} partners for {args.seconds:.0f} s: {len(lat)} requests "
              f"({len(lat) / args.seconds:.1f}/s), {len(result['errors'])} errors, {lost} listings lost; "
              f"latency p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {lat[-1] * 1000:.0f} ms (target: 0 errors, 0 lost, p95 < 300 ms; machine under load)")
        if result["errors"]:
            print("   first errors:", result["errors"][:5])
        check = store.audit().verify()
        print(f"   audit chain: {'ok' if check.ok else 'BROKEN'} ({check.rows} rows)")


if __name__ == "__main__":
    main()

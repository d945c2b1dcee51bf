"""What the partner-media rule adds to checking the example week.

    /work/venv/bin/python benchmarks/partner_bench.py [--runs 3]

The example week (``examples/week.yaml``: the explainer and the job board) is
assembled as rendered once (:func:`vidcoop.channel.assemble.as_rendered`);
then the channel's rules run on every episode side by side, alternating in
one process:

* ``without``: :func:`check_episode` with an empty partner index (the rule has nothing to match);
* ``cold``: with the channel's index, every fingerprint cache emptied first
  (a fresh cache folder and no in-process memo: the first check on a new machine);
* ``warm``: with the index, caches kept (every later check).

It prints the median of each and the time the rule adds (target: under 1 s for
the week, warm and cold). Timings are wall time, so run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def assembled_week(work: Path) -> list[object]:
    """Every episode of the example week, as rendered (the job board built from the jobs file)."""
    import vidcoop.jobboard as jobboard
    from vidcoop.batch.manifest import load_week, resolve_episodes
    from vidcoop.channel.assemble import as_rendered

    week = load_week(ROOT / "examples" / "week.yaml")
    episodes = []
    for entry in week.entries:
        episodes += resolve_episodes(week, entry)
    if not any(e.format == "stellenboerse" for e in episodes):
        channel = ROOT / "examples" / "channel" / "channel.yaml"
        table = jobboard.validate(ROOT / "examples" / "jobs.csv", channel, "2026-W48")
        episodes += jobboard.build_episode(table, channel, "2026-W48")
    return [as_rendered(ep, work, loudness=False) for ep in episodes]


def check_all(rendered: list[object], media: object) -> None:
    from vidcoop.channel.policy import check_episode

    for r in rendered:
        check_episode(r.episode, r.channel, durations=r.lengths(), media=media)  # type: ignore[attr-defined]


def timed(fn: object) -> tuple[float, float]:
    """Wall and CPU seconds of ``fn()`` (CPU time suffers less from other load on the machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from vidcoop.channel import partner_media as pm

    with tempfile.TemporaryDirectory(prefix="vidcoop-partner-bench-") as tmp:
        work = Path(tmp)
        os.environ["VIDCOOP_CACHE_DIR"] = str(work / "cache-setup")
        rendered = assembled_week(work)
        channel = rendered[0].channel  # type: ignore[attr-defined]
        empty = pm.PartnerMedia(())
        times: dict[str, list[tuple[float, float]]] = {"without": [], "cold": [], "warm": []}
        for run in range(args.runs):
            times["without"].append(timed(lambda: check_all(rendered, empty)))
            os.environ["VIDCOOP_CACHE_DIR"] = str(work / f"cache-{run}")
            pm._MEMO.clear()
            pm._INDEXES.clear()
            times["cold"].append(timed(lambda: check_all(rendered, pm.partner_media(channel))))
            times["warm"].append(timed(lambda: check_all(rendered, pm.partner_media(channel))))
    names = [getattr(r.episode, "name", "?") for r in rendered]  # type: ignore[attr-defined]
    print(f"example week: {len(rendered)} episodes ({', '.join(map(str, names))}), {args.runs} runs, medians")
    base_wall = statistics.median(t[0] for t in times["without"])
    base_cpu = statistics.median(t[1] for t in times["without"])
    for label in ("without", "cold", "warm"):
        wall = statistics.median(t[0] for t in times[label])
        cpu = statistics.median(t[1] for t in times[label])
        added = (
            ""
            if label == "without"
            else (f"   adds {wall - base_wall:6.3f} s wall, {cpu - base_cpu:6.3f} s CPU (target < 1 s)")
        )
        print(f"  {label:8s} {wall:6.3f} s wall {cpu:6.3f} s CPU{added}")


if __name__ == "__main__":
    main()

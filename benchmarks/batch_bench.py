"""Batch throughput: a week of short episodes with -j 1 against -j 2, and an unchanged re-run.

    /work/venv/bin/python benchmarks/batch_bench.py [--episodes 6] [--seconds 3] [--profile final] [--repeat 2]
    /work/venv/bin/python benchmarks/batch_bench.py --scheduler tcp://HOST:8786   # a running Dask cluster

Footage is generated with ffmpeg's lavfi sources (one clip per episode, so
every episode has its own source), episodes and the week manifest are
written to a temp folder (``--keep DIR`` keeps them), and the real render
facade runs through ``vidcoop.batch.run_batch``. Reports episodes per
minute for each worker count (best of ``--repeat`` interleaved rounds) and
how long an unchanged re-run takes compared with a full -j 2 run (target:
under 5 %).

With ``--scheduler tcp://...`` the same week goes to a running Dask cluster,
first kept on one of its workers, then on two (the cluster needs at least two,
and they must see this machine's temp folder at the same path: use ``--keep``
on shared storage for several machines).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from vidcoop.batch import BatchOptions, DaskExecutor, run_batch
from vidcoop.media.runner import run_ffmpeg

_PATTERNS = ("testsrc2", "testsrc", "smptebars", "rgbtestsrc", "pal100bars", "yuvtestsrc")


def make_week(root: Path, episodes: int, seconds: float, profile: str, covers: bool) -> Path:
    """Footage, one episode manifest per clip, and week.yaml."""
    clips = root / "clips"
    clips.mkdir(parents=True, exist_ok=True)
    (root / "episodes").mkdir(exist_ok=True)
    names = []
    for i in range(episodes):
        name = f"ep{i + 1}"
        clip = clips / f"{name}.mp4"
        pattern = _PATTERNS[i % len(_PATTERNS)]
        run_ffmpeg([
            "-loglevel", "error",
            "-f", "lavfi", "-i", f"{pattern}=s=1280x720:r=30:d={seconds + 1}",
            "-f", "lavfi", "-i", f"sine=f={220 + 110 * i}:r=48000:d={seconds + 1}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(clip),
        ], what=f"bench footage {name}")  # fmt: skip
        (root / "episodes" / f"{name}.yaml").write_text(
            f"version: 1\ntitle: Folge {i + 1}\nsegments:\n"
            f"  - source: ../clips/{name}.mp4\n    in: 0.5\n    out: {0.5 + seconds}\n"
            f"    reframe: fit-blur\n",
            encoding="utf-8",
        )
        names.append(name)
    lines = ["version: 1", "output: out", f"profiles: [{profile}]", f"covers: {str(covers).lower()}",
             "episodes:", *[f"  - episodes/{n}.yaml" for n in names]]
    week = root / "week.yaml"
    week.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return week


def timed(week: Path, options: BatchOptions, scheduler: str | None = None) -> tuple[float, dict[str, int]]:
    """One batch run; with a scheduler, on ``options.jobs`` of the cluster's workers."""
    executor = DaskExecutor(scheduler, only=options.jobs) if scheduler else None
    if executor is not None and executor.workers < options.jobs:
        executor.close()
        raise SystemExit(f"the cluster at {scheduler} has fewer than {options.jobs} workers")
    started = time.perf_counter()
    try:
        report = run_batch(week, options, executor=executor)
    finally:
        if executor is not None:
            executor.close()
    elapsed = time.perf_counter() - started
    if not report.ok:
        raise SystemExit("batch failed: " + "; ".join(f"{e.name}: {e.error}" for e in report.failed))
    return elapsed, report.counts()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each episode")
    parser.add_argument("--profile", default="final")
    parser.add_argument("--no-covers", action="store_true", help="leave the cover step out")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=2, help="interleaved rounds of -j 1 and -j 2 (best counts)")
    parser.add_argument("--scheduler", default=None, help="tcp://HOST:PORT of a running Dask cluster")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="vidcoop-bench-") as tmp:
        root = args.keep or Path(tmp)
        week = make_week(root, args.episodes, args.seconds, args.profile, not args.no_covers)
        print(f"{args.episodes} episodes x {args.seconds:g}s, profile {args.profile}, {os.cpu_count()} cores")
        results: dict[int, float] = {}
        # Interleaved rounds, best of each: on a shared machine the load changes from minute to minute.
        if args.scheduler:
            print(f"Dask cluster at {args.scheduler}")
        for round_no in range(args.repeat):
            for jobs in (1, 2):
                finals = BatchOptions(jobs=jobs, force=True, final=True, all_episodes=True)
                elapsed, counts = timed(week, finals, args.scheduler)
                results[jobs] = min(elapsed, results.get(jobs, elapsed))
                rate = args.episodes / elapsed * 60
                print(f"round {round_no + 1} -j {jobs}: {elapsed:6.2f}s  {rate:5.2f} episodes/min  {counts}")
        for jobs, best in results.items():
            print(f"best -j {jobs}: {best:6.2f}s  {args.episodes / best * 60:5.2f} episodes/min")
        again, counts = timed(week, BatchOptions(jobs=2, final=True, all_episodes=True), args.scheduler)
        print(f"unchanged re-run: {again:6.3f}s  {counts}")
        print(f"speed-up -j 2 / -j 1: {results[1] / results[2]:.2f}x")
        print(f"unchanged re-run / full -j 2 run: {again / results[2] * 100:.2f} % (target < 5 %)")


if __name__ == "__main__":
    main()

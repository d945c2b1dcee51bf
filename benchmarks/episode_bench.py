"""Episode overhead: what vidcoop costs on top of the encode that any tool must pay.

For each example episode of the shipped channel:

* **explainer**: ``examples/episodes/was-ist-buergergeld.yaml`` with its captions
  taken from a fixed SRT (written by this script), so no speech recognition runs;
* **job board**: ``vidcoop jobboard examples/jobs.csv`` for week 2026-W48 (cards are
  drawn afresh every round, as they are each week).

each round runs, side by side:

* **vidcoop**: the real CLI in a fresh Python process (start-up, imports, planning,
  cards, loudness passes and the render), measured as CPU seconds of that process
  and everything it started (``RUSAGE_CHILDREN``), and wall time;
* **encode floor**: ffmpeg re-encoding vidcoop's own output with the same x264 and
  AAC settings (the profile's preset and CRF, AAC bitrate, ``+faststart``), run
  through :func:`vidcoop.media.runner.run_ffmpeg`, so the very same binary is used.

The ratio vidcoop / floor is what the targets are about (explainer <= 1.25,
job board <= 1.15), on CPU seconds: the machine is shared and CPU seconds
suffer far less from other load than wall time, which is printed too. The
vidcoop process's own peak memory (VmHWM; target < 300 MiB) and ffmpeg's peak
RSS (the largest child, for information) are printed as well.

With ``--shapes 9:16,4:5,1:1,16:9`` the explainer is rendered in those picture shapes instead: all of
them in one ``vidcoop render --shape ...`` (one ffmpeg run), against the sum of each shape's encode
floor (target <= 1.15) and against one ``vidcoop render --shape S`` per shape (the ratio is reported).
A preview render goes first, untimed, as in the weekly order: the face analysis (cached by content, the
same for every shape) is then warm for the one run and the separate renders alike. ``--footage camera``
swaps the example's light clips (720p at 0.13 Mbit/s) for camera-like 1080p ones at phone bit rates, so
decoding costs what it costs on real footage (the work one run shares and separate renders repeat).

Run from the repository root::

    /work/venv/bin/python benchmarks/episode_bench.py --runs 2
    /work/venv/bin/python benchmarks/episode_bench.py --runs 1 --only jobboard --json result.json
    /work/venv/bin/python benchmarks/episode_bench.py --runs 1 --shapes 9:16,4:5,1:1,16:9
    /work/venv/bin/python benchmarks/episode_bench.py --runs 1 --shapes 9:16,4:5,1:1,16:9 --footage camera
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vidcoop.engine import get_profile  # noqa: E402
from vidcoop.media.runner import run_ffmpeg  # noqa: E402

TARGETS = {"explainer": 1.25, "jobboard": 1.15}
TARGET_SHAPES = 1.15  # all shapes in one run vs the sum of their encode floors
TARGET_MEMORY_MIB = 300.0
EXAMPLES = ROOT / "examples"

# Fixed captions for the explainer body (the words of the example footage do not matter here).
FIXED_SRT = """\
1
00:00:02,600 --> 00:00:05,200
Was ist eigentlich Bürgergeld?

2
00:00:05,300 --> 00:00:08,400
Aylin Demir erklärt es
in zwei Minuten.

3
00:00:08,600 --> 00:00:12,000
Bürgergeld sichert das Minimum,
das man zum Leben braucht.

4
00:00:12,200 --> 00:00:16,500
Wer arbeiten kann, bekommt Hilfe
bei der Suche nach einer Stelle.
"""

# The child: run the CLI, then report its own peak RSS and its largest child's (ffmpeg).
_CHILD = textwrap.dedent("""\
    import json, resource, sys
    from vidcoop.cli.main import main
    code = 0
    try:
        main(sys.argv[2:])
    except SystemExit as exc:
        code = exc.code or 0
    hwm = next((int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")), 0)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(sys.argv[1], "w") as f:
        json.dump({"vmhwm_kib": hwm, "children_maxrss_kib": kids, "code": code}, f)
    sys.exit(code)
""")


@dataclass(frozen=True)
class Measure:
    """CPU (user + sys) and wall seconds of one run."""

    cpu: float
    wall: float


@dataclass(frozen=True)
class Round:
    """One side-by-side round of one episode."""

    episode: str
    vidcoop: Measure
    floor: Measure
    python_peak_mib: float
    ffmpeg_peak_mib: float

    @property
    def ratio(self) -> float:
        return self.vidcoop.cpu / self.floor.cpu


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(work: Callable[[], None]) -> Measure:
    """CPU seconds of the processes ``work`` starts (and waits for), and wall seconds."""
    cpu, wall = _children_cpu(), time.perf_counter()
    work()
    return Measure(_children_cpu() - cpu, time.perf_counter() - wall)


#: Stand-ins for what a phone or camera records (the example footage is 720p at 0.13 Mbit/s, far lighter to
#: decode): 1080p at the bit rates phones use, with sensor-like noise so the encoder does not get it for free.
CAMERA_FOOTAGE = {
    "interview.mp4": ("1920x1080", 13, "12M"),
    "phone.mp4": ("1080x1920", 4, "15M"),
}


def camera_footage(folder: Path) -> dict[str, Path]:
    """Write the camera-like clips once into ``folder`` (untimed) and return them by the example's file name."""
    made = {}
    for name, (size, seconds, rate) in CAMERA_FOOTAGE.items():
        path = folder / f"camera-{name}"
        if not path.is_file():
            run_ffmpeg([
                "-nostats", "-loglevel", "error",
                "-f", "lavfi", "-i", f"testsrc2=s={size}:r=30:d={seconds},noise=alls=14:allf=t+u",
                "-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=48000:duration={seconds}",
                "-c:v", "libx264", "-preset", "veryfast", "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest", str(path),
            ], what="camera footage")  # fmt: skip
        made[name] = path
    return made


def explainer_manifest(folder: Path, footage: str = "example") -> Path:
    """The example explainer with absolute paths and captions from the fixed SRT.

    ``footage="camera"`` swaps the example clips for :data:`CAMERA_FOOTAGE` (same lengths and shapes).
    """
    import yaml

    source = EXAMPLES / "episodes" / "was-ist-buergergeld.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    base = source.parent
    camera = camera_footage(folder) if footage == "camera" else {}
    for seg in data["segments"]:
        for key in ("source", "image"):
            if key in seg:
                seg[key] = str(camera.get(Path(seg[key]).name) or (base / seg[key]).resolve())
    data["channel"] = str((base / data["channel"]).resolve())
    srt = folder / "fixed.srt"
    srt.write_text(FIXED_SRT, encoding="utf-8")
    data["captions"] = str(srt)
    path = folder / "explainer.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def cli_args(episode: str, folder: Path, manifest: Path | None) -> tuple[list[str], Path]:
    """The vidcoop command line for one episode, and the video it writes."""
    if episode == "explainer":
        assert manifest is not None
        out = folder / "explainer.mp4"
        return ["render", str(manifest), "-o", str(out), "--quiet"], out
    out_dir = folder / "board"
    args = [
        "jobboard",
        str(EXAMPLES / "jobs.csv"),
        "--channel",
        str(EXAMPLES / "channel" / "channel.yaml"),
        "--week",
        "2026-W48",
        "-o",
        str(out_dir),
    ]
    return args, out_dir


def run_vidcoop(args: list[str], folder: Path) -> tuple[Measure, float, float]:
    """Run the CLI in a fresh Python; return its measure and peak RSS (own, largest child) in MiB."""
    stats = folder / "child.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def work() -> None:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(stats), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if proc.returncode:
            raise SystemExit(f"vidcoop {' '.join(args[:2])} failed:\n{proc.stderr[-2000:]}")

    measure = timed(work)
    data = json.loads(stats.read_text())
    return measure, data["vmhwm_kib"] / 1024, data["children_maxrss_kib"] / 1024


def floor_args(video: Path, out: Path, profile: str = "final") -> list[str]:
    """Re-encode ``video`` with the render's own x264/AAC settings (what any tool must pay)."""
    prof = get_profile(profile)
    return [
        "-nostats", "-loglevel", "error", "-i", str(video),
        "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-preset", prof.preset, "-crf", str(prof.crf), "-r", str(prof.fps),
        "-c:a", "aac", "-b:a", prof.audio_bitrate, "-ar", str(prof.audio_rate), "-ac", "2",
        "-movflags", "+faststart", "-f", "mp4", str(out),
    ]  # fmt: skip


def one_round(episode: str, folder: Path, manifest: Path | None) -> Round:
    work = Path(tempfile.mkdtemp(prefix=f"{episode}-", dir=folder))
    args, out = cli_args(episode, work, manifest)
    measure, py_peak, ff_peak = run_vidcoop(args, work)
    video = out if out.suffix == ".mp4" else next(out.glob("*.mp4"))
    floor = timed(lambda: run_ffmpeg(floor_args(video, work / "floor.mp4"), what="encode floor"))
    return Round(episode, measure, floor, py_peak, ff_peak)


@dataclass(frozen=True)
class ShapesRound:
    """All shapes in one run, each shape's encode floor, and one render per shape."""

    shapes: tuple[str, ...]
    together: Measure
    floors: tuple[Measure, ...]
    separate: tuple[Measure, ...]

    @property
    def ratio_floor(self) -> float:
        return self.together.cpu / sum(m.cpu for m in self.floors)

    @property
    def ratio_separate(self) -> float:
        return self.together.cpu / sum(m.cpu for m in self.separate)


def shapes_round(shapes: tuple[str, ...], folder: Path, manifest: Path) -> ShapesRound:
    from vidcoop.shapes import shape_output

    work = Path(tempfile.mkdtemp(prefix="shapes-", dir=folder))
    out = work / "explainer.mp4"
    # The weekly order: the preview came first, so the face analysis (cached by content, the same for every
    # shape) is warm for the finals; untimed, so the one run and the separate renders start alike.
    run_vidcoop(["render", str(manifest), "-o", str(work / "preview.mp4"), "--profile", "preview", "--quiet"], work)
    together, _, _ = run_vidcoop(["render", str(manifest), "-o", str(out), "--shape", ",".join(shapes), "--quiet"],
                                 work)
    videos = [shape_output(out, s) if len(shapes) > 1 else out for s in shapes]
    def floor(video: Path) -> Measure:
        def work_() -> None:
            run_ffmpeg(floor_args(video, work / f"floor-{video.name}"), what="encode floor")

        return timed(work_)

    floors = tuple(floor(v) for v in videos)
    separate = []
    for shape in shapes:
        alone = work / f"alone-{shape.replace(':', 'x')}.mp4"
        measure, _, _ = run_vidcoop(["render", str(manifest), "-o", str(alone), "--shape", shape, "--quiet"], work)
        separate.append(measure)
    return ShapesRound(shapes, together, floors, tuple(separate))


def shapes_main(shapes: tuple[str, ...], runs: int, folder: Path, manifest: Path, json_out: Path | None) -> int:
    rounds = []
    for n in range(runs):
        r = shapes_round(shapes, folder, manifest)
        rounds.append(r)
        print(f"round {n + 1} {','.join(shapes)}: one run {r.together.cpu:.2f} CPU-s {r.together.wall:.2f} s wall; "
              f"floors {' + '.join(f'{m.cpu:.2f}' for m in r.floors)} CPU-s; separate renders "
              f"{' + '.join(f'{m.cpu:.2f}' for m in r.separate)} CPU-s; vs floors {r.ratio_floor:.3f}, "
              f"vs separate {r.ratio_separate:.3f}", flush=True)
    vs_floor = statistics.median(r.ratio_floor for r in rounds)
    vs_separate = statistics.median(r.ratio_separate for r in rounds)
    met = vs_floor <= TARGET_SHAPES
    print(f"\nshapes {','.join(shapes)}: one run / sum of encode floors {vs_floor:.3f} (target {TARGET_SHAPES}) "
          f"{'ok' if met else 'MISSED'}; one run / separate renders {vs_separate:.3f}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; outputs in {folder}")
    if json_out:
        json_out.write_text(json.dumps({"vs_floor": vs_floor, "vs_separate": vs_separate,
                                        "rounds": [asdict(r) for r in rounds]}, indent=2))
    return 0 if met else 1


def summarise(rounds: list[Round]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for episode in dict.fromkeys(r.episode for r in rounds):
        mine = [r for r in rounds if r.episode == episode]
        vid_cpu = statistics.median(r.vidcoop.cpu for r in mine)
        floor_cpu = statistics.median(r.floor.cpu for r in mine)
        out[episode] = {
            "vidcoop_cpu_s": round(vid_cpu, 2),
            "vidcoop_wall_s": round(statistics.median(r.vidcoop.wall for r in mine), 2),
            "floor_cpu_s": round(floor_cpu, 2),
            "floor_wall_s": round(statistics.median(r.floor.wall for r in mine), 2),
            "ratio_cpu": round(vid_cpu / floor_cpu, 3),
            "ratio_wall": round(
                statistics.median(r.vidcoop.wall for r in mine) / statistics.median(r.floor.wall for r in mine), 3
            ),
            "python_peak_mib": round(max(r.python_peak_mib for r in mine), 1),
            "ffmpeg_peak_mib": round(max(r.ffmpeg_peak_mib for r in mine), 1),
            "target": TARGETS[episode],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="rounds per episode (medians are reported)")
    parser.add_argument("--only", choices=sorted(TARGETS), action="append", help="one episode (repeatable)")
    parser.add_argument("--keep", type=Path, default=None, help="keep outputs in this folder")
    parser.add_argument("--json", type=Path, default=None, help="also write the summary as JSON")
    parser.add_argument("--shapes", default=None,
                        help="render the explainer in these picture shapes (9:16,4:5,1:1,16:9): one run against "
                             "the encode floors and against one render per shape")
    parser.add_argument("--footage", choices=("example", "camera"), default="example",
                        help="the explainer's clips: the example's light ones, or camera-like 1080p at phone bit "
                             "rates (generated once)")
    ns = parser.parse_args(argv)
    episodes = ns.only or list(TARGETS)
    folder = ns.keep or Path(tempfile.mkdtemp(prefix="vidcoop-episode-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    manifest = explainer_manifest(folder, ns.footage)
    if ns.shapes:
        from vidcoop.shapes import parse_shapes

        return shapes_main(parse_shapes(ns.shapes), ns.runs, folder, manifest, ns.json)
    rounds: list[Round] = []
    for n in range(ns.runs):
        for episode in episodes if n % 2 == 0 else episodes[::-1]:
            r = one_round(episode, folder, manifest)
            rounds.append(r)
            print(
                f"round {n + 1} {episode:9}  vidcoop {r.vidcoop.cpu:6.2f} CPU-s {r.vidcoop.wall:6.2f} s wall  "
                f"floor {r.floor.cpu:6.2f} CPU-s {r.floor.wall:6.2f} s wall  ratio {r.ratio:.3f}",
                flush=True,
            )
    summary = summarise(rounds)
    print()
    print(
        f"{'episode':10} {'vidcoop CPU-s':>13} {'wall s':>7} {'floor CPU-s':>11} {'wall s':>7} "
        f"{'ratio CPU':>9} {'ratio wall':>10} {'target':>6} {'py MiB':>7} {'ffmpeg MiB':>10}"
    )
    ok = True
    for episode, s in summary.items():
        met = s["ratio_cpu"] <= s["target"] and s["python_peak_mib"] < TARGET_MEMORY_MIB
        ok = ok and met
        print(
            f"{episode:10} {s['vidcoop_cpu_s']:13.2f} {s['vidcoop_wall_s']:7.2f} {s['floor_cpu_s']:11.2f} "
            f"{s['floor_wall_s']:7.2f} {s['ratio_cpu']:9.3f} {s['ratio_wall']:10.3f} {s['target']:6.2f} "
            f"{s['python_peak_mib']:7.1f} {s['ffmpeg_peak_mib']:10.1f}  {'ok' if met else 'MISSED'}"
        )
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; outputs in {folder}")
    if ns.json:
        ns.json.write_text(json.dumps({"summary": summary, "rounds": [asdict(r) for r in rounds]}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

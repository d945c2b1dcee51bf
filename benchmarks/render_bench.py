"""Render benchmark: vidcoop against a hand-written ffmpeg command and moviepy.

The job: a ``--seconds`` long 1920x1080 30 fps source with audio becomes a
1080x1920 vertical video, centre-cropped, with a logo top right. Three ways:

* **vidcoop**: ``render()`` of an Episode with one crop Segment and one Overlay;
* **hand-written**: the single ffmpeg command a person would type for the same
  job (crop, scale, overlay, x264 with the same preset and CRF, AAC), run with
  :func:`vidcoop.media.runner.run_ffmpeg` so the very same binary is used;
* **moviepy**: a ``CompositeVideoClip`` pipeline (moviepy 2.x), the way
  moviepy-based short-video tools do it: frames pass through Python.

Runs alternate between the three in one process (the order rotates each
round), and only ratios of medians are reported, because the machine is shared
and absolute times are noisy. Targets: vidcoop / hand-written <= 1.10 and
moviepy / vidcoop >= 6.

CPU seconds (user + sys of this process and its finished children, i.e.
ffmpeg) are printed too: they suffer less from other load than wall time,
but they are not what the targets are about.

Memory (measured first, while this process is still small): a fresh child
Python process renders a ``--memory-minutes`` long source with vidcoop and
reports its own peak RSS: VmHWM from ``/proc/self/status``, plus
``ru_maxrss`` of RUSAGE_SELF, which on Linux also carries the parent's RSS
at fork time over the exec. ffmpeg is the child's child and is reported
separately. Target: under 300 MiB, i.e. no frames held in Python. To keep that part quick
it uses a 640x360 source and the 540x960 ``preview`` profile with x264
``ultrafast``; the Python side does not depend on the picture size.

Sources are generated once from lavfi (testsrc2 + sine) into a cache folder.

Run from the repository root::

    /work/venv/bin/python benchmarks/render_bench.py --seconds 60 --runs 2
    /work/venv/bin/python benchmarks/render_bench.py --seconds 20 --skip-moviepy --memory-minutes 0
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vidcoop import Episode, Overlay, Reframe, Segment  # noqa: E402
from vidcoop.engine import Profile, RenderOptions, get_profile  # noqa: E402
from vidcoop.files import atomic_path  # noqa: E402
from vidcoop.media.runner import run_ffmpeg  # noqa: E402
from vidcoop.pipeline import render  # noqa: E402

TARGET_VS_HAND = 1.10
TARGET_MOVIEPY_VS_VIDCOOP = 6.0
TARGET_MEMORY_MIB = 300.0
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "vidcoop-render-bench"
DESIGN_WIDTH = 1080  # overlay sizes are given in pixels of a 1080-wide frame


@dataclass(frozen=True)
class Source:
    """A generated test source and its known geometry."""

    path: Path
    width: int
    height: int
    fps: int
    seconds: int


@dataclass(frozen=True)
class Job:
    """What all three contenders must produce, with the same encoder settings.

    Attributes:
        source: The landscape input.
        logo: An RGBA PNG.
        out_width, out_height: The vertical output frame.
        logo_width, margin: Logo width and distance from the top-right corner, in design pixels.
        preset, crf: libx264 speed and quality (identical for all contenders).
        audio_bitrate: AAC bitrate (vidcoop's profile default, used by the others too).
    """

    source: Source
    logo: Path
    out_width: int = 1080
    out_height: int = 1920
    logo_width: int = 200
    margin: int = 48
    preset: str = "veryfast"
    crf: int = 23
    audio_bitrate: str = "192k"

    @property
    def scale(self) -> float:
        return self.out_width / DESIGN_WIDTH

    @property
    def logo_px(self) -> int:
        """Logo width in output pixels (even, as vidcoop makes it)."""
        return max(2, int(self.logo_width * self.scale) // 2 * 2)

    @property
    def margin_px(self) -> int:
        return int(self.margin * self.scale)

    def crop_box(self) -> tuple[int, int, int, int]:
        """Centre crop of the source to the output's aspect: (w, h, x, y)."""
        src = self.source
        w = min(src.width, round(src.height * self.out_width / self.out_height))
        h = min(src.height, round(src.width * self.out_height / self.out_width))
        return w, h, (src.width - w) // 2, (src.height - h) // 2


# --- inputs ----------------------------------------------------------------------------------------


def make_source(cache: Path, seconds: int, width: int = 1920, height: int = 1080, fps: int = 30,
                preset: str = "veryfast") -> Source:
    """A testsrc2 + sine MP4 (H.264 / AAC stereo 48 kHz), generated once and cached."""
    path = cache / f"src-{width}x{height}-{fps}fps-{seconds}s.mp4"
    if not path.is_file():
        with atomic_path(path) as tmp:
            run_ffmpeg([
                "-loglevel", "error",
                "-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r={fps}:d={seconds}",
                "-f", "lavfi", "-i", f"sine=f=440:beep_factor=4:r=48000:d={seconds}",
                "-c:v", "libx264", "-preset", preset, "-crf", "20", "-pix_fmt", "yuv420p", "-g", str(2 * fps),
                "-c:a", "aac", "-ac", "2", "-b:a", "128k", "-shortest",
                "-f", "mp4", str(tmp),
            ], what=f"making bench source {path.name}")
    return Source(path, width, height, fps, seconds)


def make_logo(cache: Path) -> Path:
    """A 400x160 RGBA PNG: a white rounded box with a transparent surround."""
    from PIL import Image, ImageDraw

    path = cache / "logo.png"
    if not path.is_file():
        im = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
        draw = ImageDraw.Draw(im)
        draw.rounded_rectangle((8, 8, 392, 152), radius=32, fill=(255, 255, 255, 220), outline=(20, 90, 160, 255),
                               width=10)
        draw.ellipse((40, 40, 120, 120), fill=(20, 90, 160, 255))
        with atomic_path(path) as tmp:
            im.save(tmp, format="PNG")
    return path


# --- the three contenders --------------------------------------------------------------------------


def bench_profile(job: Job) -> Profile:
    """The ``final`` profile with the job's size and quality."""
    return replace(get_profile("final"), name="bench", width=job.out_width, height=job.out_height,
                   fps=Fraction(job.source.fps), crf=job.crf, preset=job.preset,
                   audio_bitrate=job.audio_bitrate)


def run_vidcoop(job: Job, out: Path) -> None:
    """The public API, as a user script would call it."""
    episode = Episode(
        [Segment(job.source.path, reframe=Reframe(mode="crop", focus=0.5))],
        overlays=[Overlay(job.logo, anchor="top-right", width=job.logo_width, margin=job.margin)],
    )
    render(episode, out, options=RenderOptions(profile=bench_profile(job), preset=job.preset, crf=job.crf))


def handwritten_args(job: Job, out: Path) -> list[str]:
    """The one ffmpeg command a person would write for this job."""
    cw, ch, cx, cy = job.crop_box()
    graph = (
        f"[0:v]crop={cw}:{ch}:{cx}:{cy},scale={job.out_width}:{job.out_height},setsar=1[v];"
        f"[1:v]scale={job.logo_px}:-2[l];"
        f"[v][l]overlay=W-w-{job.margin_px}:{job.margin_px},format=yuv420p[out]"
    )
    return [
        "-loglevel", "error",
        "-i", str(job.source.path), "-i", str(job.logo),
        "-filter_complex", graph, "-map", "[out]", "-map", "0:a",
        "-c:v", "libx264", "-preset", job.preset, "-crf", str(job.crf), "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", job.audio_bitrate, "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]


def run_handwritten(job: Job, out: Path) -> None:
    run_ffmpeg(handwritten_args(job, out), what="hand-written ffmpeg command")


def run_moviepy(job: Job, out: Path) -> None:
    """moviepy 2.x: decode to numpy, crop/resize/composite in Python, pipe raw frames to ffmpeg."""
    from moviepy import CompositeVideoClip, ImageClip, VideoFileClip

    cw, ch, cx, cy = job.crop_box()
    video = VideoFileClip(str(job.source.path))
    try:
        base = video.cropped(x1=cx, y1=cy, width=cw, height=ch).resized((job.out_width, job.out_height))
        logo = (
            ImageClip(str(job.logo))
            .resized(width=job.logo_px)
            .with_duration(base.duration)
            .with_position((job.out_width - job.logo_px - job.margin_px, job.margin_px))
        )
        comp = CompositeVideoClip([base, logo], size=(job.out_width, job.out_height))
        comp.write_videofile(
            str(out), fps=job.source.fps, codec="libx264", preset=job.preset,
            ffmpeg_params=["-crf", str(job.crf)], audio_codec="aac", audio_bitrate=job.audio_bitrate,
            temp_audiofile=str(out.with_suffix(".temp-audio.m4a")), logger=None,
        )
    finally:
        video.close()


CONTENDERS: dict[str, Callable[[Job, Path], None]] = {
    "vidcoop": run_vidcoop,
    "hand-written": run_handwritten,
    "moviepy": run_moviepy,
}


# --- checks and timing -----------------------------------------------------------------------------


def count_frames(path: Path) -> int:
    """Video packets in a file (one per frame for H.264 without B-frame tricks; no decoding needed)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sum(1 for packet in container.demux(stream) if packet.size)


def video_size(path: Path) -> tuple[int, int]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return stream.codec_context.width, stream.codec_context.height


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (ffmpeg)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass(frozen=True)
class Timing:
    """One timed run."""

    wall: float
    cpu: float


def run_alternating(job: Job, names: Sequence[str], runs: int, workdir: Path,
                    report: Callable[[str], None] = print) -> dict[str, list[Timing]]:
    """Time each contender ``runs`` times, interleaved; the order rotates every round."""
    times: dict[str, list[Timing]] = {name: [] for name in names}
    for round_no in range(runs):
        shift = round_no % len(names)
        for name in [*names[shift:], *names[:shift]]:
            out = workdir / f"{name}-{round_no}.mp4"
            cpu0, started = cpu_seconds(), time.perf_counter()
            CONTENDERS[name](job, out)
            timing = Timing(time.perf_counter() - started, cpu_seconds() - cpu0)
            times[name].append(timing)
            frames = count_frames(out)
            w, h = video_size(out)
            report(f"  round {round_no + 1} {name:<12} {timing.wall:8.2f} s wall {timing.cpu:8.2f} s CPU  "
                   f"{w}x{h} {frames} frames")
            out.unlink()
    return times


# --- memory ----------------------------------------------------------------------------------------

_MEMORY_CHILD = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, sys.argv[1])

    def vm_hwm_kib():
        # Peak RSS of this process image only. ru_maxrss is not enough on its own:
        # Linux carries the parent's high-water mark over fork + exec.
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    from vidcoop import Episode, Overlay, Reframe, Segment
    from vidcoop.engine import RenderOptions
    from vidcoop.pipeline import render
    after_import = vm_hwm_kib()
    started = time.perf_counter()
    result = render(
        Episode([Segment(sys.argv[2], reframe=Reframe(mode="crop", focus=0.5))],
                overlays=[Overlay(sys.argv[3], anchor="top-right", width=200)]),
        sys.argv[4],
        options=RenderOptions(profile="preview", preset="ultrafast"),
    )
    print(json.dumps({
        "hwm_kib": vm_hwm_kib(),
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "after_import_kib": after_import,
        "ffmpeg_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "frames": result.frames,
        "seconds": time.perf_counter() - started,
    }))
""")


@dataclass(frozen=True)
class MemoryResult:
    """What the memory child reported (MiB)."""

    python_peak: float
    after_import: float | None
    ru_maxrss: float
    ffmpeg_peak: float
    frames: int
    seconds: float


def measure_memory(source: Source, logo: Path, workdir: Path) -> MemoryResult:
    """Peak RSS of a fresh Python process that renders ``source`` with vidcoop (MiB).

    ``python_peak`` is the child's VmHWM (Linux), falling back to its
    ``ru_maxrss``; ``ru_maxrss`` is reported as well, but it includes this
    (parent) process's RSS at the moment of the fork, so it is measured before
    the timing runs while the parent is still small.
    """
    out = workdir / "memory.mp4"
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(ROOT), str(source.path), str(logo), str(out)],
        check=True, capture_output=True, text=True,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])

    peak = data["hwm_kib"] if data["hwm_kib"] is not None else data["maxrss_kib"]
    after = data["after_import_kib"]
    return MemoryResult(
        python_peak=peak / 1024,
        after_import=None if after is None else after / 1024,
        ru_maxrss=data["maxrss_kib"] / 1024,
        ffmpeg_peak=data["ffmpeg_kib"] / 1024,
        frames=data["frames"],
        seconds=data["seconds"],
    )


# --- main ------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the 1920x1080 source (default 60)")
    parser.add_argument("--runs", type=int, default=2, help="alternating rounds (default 2)")
    parser.add_argument("--preset", default="veryfast", help="x264 preset for all contenders (default veryfast)")
    parser.add_argument("--crf", type=int, default=23, help="x264 CRF for all contenders (default 23)")
    parser.add_argument("--skip-moviepy", action="store_true", help="leave out the moviepy pipeline")
    parser.add_argument("--memory-minutes", type=int, default=10,
                        help="length of the memory-test source in minutes (0 skips it; default 10)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="where generated sources are kept")
    args = parser.parse_args(argv)

    cache = args.cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    print(f"sources in {cache}")
    t0 = time.perf_counter()
    source = make_source(cache, args.seconds)
    logo = make_logo(cache)
    print(f"source {source.path.name} ready ({time.perf_counter() - t0:.1f} s)")
    with tempfile.TemporaryDirectory(prefix="vidcoop-bench-") as tmp:
        workdir = Path(tmp)
        if args.memory_minutes > 0:
            t0 = time.perf_counter()
            long_source = make_source(cache, args.memory_minutes * 60, width=640, height=360, preset="ultrafast")
            print(f"memory: {args.memory_minutes} min 640x360 30 fps source ready ({time.perf_counter() - t0:.1f} s); "
                  "rendering it with vidcoop (preview profile 540x960, ultrafast) in a fresh Python process")
            mem = measure_memory(long_source, logo, workdir)
            print(f"  vidcoop Python process peak RSS (VmHWM) = {mem.python_peak:.1f} MiB "
                  f"(target < {TARGET_MEMORY_MIB:.0f} MiB: {_verdict(mem.python_peak < TARGET_MEMORY_MIB)})")
            after = "n/a" if mem.after_import is None else f"{mem.after_import:.1f}"
            print(f"  after imports {after} MiB; ru_maxrss {mem.ru_maxrss:.1f} MiB; ffmpeg child peak "
                  f"(not counted) {mem.ffmpeg_peak:.1f} MiB; {mem.frames} frames in {mem.seconds:.1f} s\n")

        job = Job(source, logo, preset=args.preset, crf=args.crf)
        names = [n for n in CONTENDERS if not (args.skip_moviepy and n == "moviepy")]
        print(f"{args.runs} alternating round(s), preset {job.preset}, crf {job.crf}, output "
              f"{job.out_width}x{job.out_height}, contenders: {', '.join(names)}")
        times = run_alternating(job, names, args.runs, workdir)

    wall = {name: statistics.median(t.wall for t in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(t.cpu for t in runs) for name, runs in times.items()}
    print("\nmedian over rounds")
    for name in times:
        print(f"  {name:<12} {wall[name]:8.2f} s wall  {cpu[name]:8.2f} s CPU  "
              f"(wall runs: {', '.join(f'{t.wall:.2f}' for t in times[name])})")
    ratio = wall["vidcoop"] / wall["hand-written"]
    print(f"\nvidcoop / hand-written = {ratio:.3f} wall  (target <= {TARGET_VS_HAND}: "
          f"{_verdict(ratio <= TARGET_VS_HAND)});  CPU ratio {cpu['vidcoop'] / cpu['hand-written']:.3f}")
    if "moviepy" in wall:
        mp_ratio = wall["moviepy"] / wall["vidcoop"]
        print(f"moviepy / vidcoop      = {mp_ratio:.2f} wall  (target >= {TARGET_MOVIEPY_VS_VIDCOOP}: "
              f"{_verdict(mp_ratio >= TARGET_MOVIEPY_VS_VIDCOOP)});  CPU ratio {cpu['moviepy'] / cpu['vidcoop']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

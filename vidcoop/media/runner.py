"""The one place where vidcoop starts ffmpeg.

ffmpeg's stderr is always captured; its last lines go onto the
:class:`~vidcoop.errors.RenderError`, with a hint when the cause is
recognisable. Progress comes from ``-progress pipe:1``, parsed line by line.
Interrupting (Ctrl-C, a killed batch worker) terminates ffmpeg rather than
leaving it running; on Linux ffmpeg also dies with its parent when that is
killed outright (``kill -9``), via ``PR_SET_PDEATHSIG`` (:func:`die_with_parent`).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from vidcoop.errors import RenderError
from vidcoop.media.ffmpeg import ffmpeg_exe

_TAIL_LINES = 25

# (text in ffmpeg's stderr, hint for a person)
_HINTS: tuple[tuple[str, str], ...] = (
    ("No space left on device", "the disk is full: free some space"),
    ("No such filter", "this ffmpeg lacks a filter vidcoop needs; use the imageio-ffmpeg binary"),
    ("Unknown encoder", "this ffmpeg lacks an encoder (libx264?); use the imageio-ffmpeg binary"),
    ("Encoder not found", "this ffmpeg lacks an encoder (libx264?); use the imageio-ffmpeg binary"),
    ("matches no streams", "a source has no stream of the kind asked for (no audio track?)"),
    ("fontselect", "a caption font could not be found; check the brand kit's font file"),
    ("Error opening font", "a caption font could not be opened; check the brand kit's font file"),
    ("Invalid data found when processing input", "a source file is corrupt or not media"),
    ("Permission denied", "a file cannot be read or written: check permissions"),
)


@dataclass(frozen=True)
class Progress:
    """How far an ffmpeg run is, as reported by ``-progress``.

    Attributes:
        seconds: Output time written so far.
        total: The expected output duration, if known.
        speed: Encoding speed relative to real time, if reported.
        done: True once ffmpeg reports the end.
    """

    seconds: Fraction
    total: Fraction | None
    speed: float | None = None
    done: bool = False

    @property
    def fraction(self) -> float | None:
        """Share done, 0..1, or None when the total is unknown."""
        if self.done:
            return 1.0
        if not self.total:
            return None
        return float(min(Fraction(1), self.seconds / self.total))


ProgressCallback = Callable[[Progress], None]


def hint_for(stderr: str) -> str | None:
    """A hint for a person when ffmpeg's stderr shows a known cause."""
    for needle, hint in _HINTS:
        if needle in stderr:
            return hint
    return None


def run_ffmpeg(
    args: Sequence[str],
    *,
    total: Fraction | None = None,
    progress: ProgressCallback | None = None,
    feed: Iterable[bytes] | None = None,
    what: str = "ffmpeg",
) -> str:
    """Run ffmpeg with ``args`` (without the binary) and return its stderr text.

    Args:
        args: Arguments after the program name.
        total: Expected output duration, so progress can report a fraction.
        progress: Called with a :class:`Progress` as ffmpeg reports it.
        feed: Bytes to write to ffmpeg's stdin (e.g. raw frames), if any.
        what: A short name of the job for error messages.

    Raises:
        RenderError: ffmpeg exited non-zero; carries the command and stderr tail.
    """
    command = [ffmpeg_exe(), "-hide_banner", "-y"]
    if feed is None:
        command.append("-nostdin")
    if progress is not None:
        command += ["-progress", "pipe:1", "-nostats"]
    command += list(args)
    tail: collections.deque[str] = collections.deque(maxlen=400)
    feed_errors: list[BaseException] = []
    threads: list[threading.Thread] = []
    proc: subprocess.Popen[bytes] | None = None
    try:
        with _signals_held():  # Ctrl-C or SIGTERM only once `proc` exists, so ffmpeg is always stopped
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE if feed is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE if progress is not None else subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_child_dies_with_us(),  # one prepared libc call between fork and exec
            )
        threads.append(threading.Thread(target=_drain, args=(proc.stderr, tail.append), daemon=True))
        if feed is not None:
            threads.append(threading.Thread(target=_write_feed, args=(proc, feed, feed_errors), daemon=True))
        for thread in threads:
            thread.start()
        # Progress is read on the caller's thread, so an exception in the
        # callback (or Ctrl-C) stops ffmpeg instead of vanishing in a thread.
        if progress is not None:
            _read_progress(proc.stdout, total, progress)
        returncode = proc.wait()
    except BaseException:
        if proc is not None:
            _stop(proc)
        raise
    finally:
        for thread in threads:
            thread.join(timeout=5)
    if feed_errors:
        raise feed_errors[0]
    stderr = "\n".join(tail)
    if returncode != 0:
        lines = [line for line in tail if line.strip()][-_TAIL_LINES:]
        last = lines[-1].strip() if lines else "no output"
        raise RenderError(
            f"{what} failed (exit {returncode}): {last}",
            command=command,
            stderr_tail="\n".join(lines),
            returncode=returncode,
            hint=hint_for(stderr),
        )
    return stderr


PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl``, or None where there is none (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        fn = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


def die_with_parent(signum: int = signal.SIGKILL, parent: int | None = None) -> None:
    """Have Linux send ``signum`` to this process when its parent dies; a no-op elsewhere.

    Batch pool workers call it at start (with SIGINT, so they clean up as on
    Ctrl-C); ffmpeg gets SIGKILL through :func:`run_ffmpeg`. ``parent`` is the
    pid that started us: if it died before this call, the signal comes at once.
    """
    prctl = _prctl()
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signum)


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Defer Ctrl-C and SIGTERM while ffmpeg is started (main thread only).

    An interrupt inside ``Popen`` would lose the process object while ffmpeg
    starts anyway, and ffmpeg could create the output after the temp file was
    cleaned up. The Python handlers are swapped for ones that only note the
    signal; the noted signals are raised again as soon as ``Popen`` returned.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous: dict[int, Any] = {}
    for sig in _HELD:
        handler = signal.getsignal(sig)
        if callable(handler):  # Python handlers only; SIG_DFL/SIG_IGN act in C and need no care
            previous[sig] = signal.signal(sig, lambda signum, _frame: noted.append(signum))
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for signum in dict.fromkeys(noted):
            signal.raise_signal(signum)


def _child_dies_with_us() -> Callable[[], None] | None:
    """A ``preexec_fn`` that ties the child's life to this process (Linux only).

    It runs in the forked child before exec, so it only makes one prepared
    libc call: nothing is imported or looked up there.
    """
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()
    kill, getpid, getppid, sigkill = os.kill, os.getpid, os.getppid, int(signal.SIGKILL)

    def setup() -> None:
        prctl(PR_SET_PDEATHSIG, sigkill, 0, 0, 0)
        if getppid() != parent:  # the parent died between fork and prctl
            kill(getpid(), sigkill)

    return setup


def _write_feed(proc: subprocess.Popen[bytes], feed: Iterable[bytes], errors: list[BaseException]) -> None:
    assert proc.stdin is not None
    try:
        for chunk in feed:
            proc.stdin.write(chunk)
    except BrokenPipeError:
        pass  # ffmpeg stopped reading; its exit code and stderr say why
    except Exception as exc:  # the producer failed: ffmpeg gets EOF, the caller gets the error
        errors.append(exc)
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _drain(stream: object, sink: Callable[[str], None]) -> None:
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        sink(raw.decode("utf-8", "replace").rstrip("\r\n"))


def _read_progress(stream: object, total: Fraction | None, callback: ProgressCallback) -> None:
    block: dict[str, str] = {}
    reached = Fraction(0)
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
        if not key:
            continue
        block[key] = value
        if key == "progress":
            report = parse_progress_block(block, total)
            # A block may say out_time=N/A (read as 0) after real times: progress never goes back.
            reached = max(reached, report.seconds)
            callback(replace(report, seconds=reached))
            block = {}


def parse_progress_block(block: dict[str, str], total: Fraction | None) -> Progress:
    """Turn one ``-progress`` block (key=value lines up to ``progress=``) into a Progress."""
    micros = block.get("out_time_us") or block.get("out_time_ms") or "0"
    try:
        seconds = Fraction(max(0, int(micros)), 1_000_000)
    except ValueError:  # "N/A" before the first frame
        seconds = Fraction(0)
    speed_text = block.get("speed", "").rstrip("x").strip()
    try:
        speed = float(speed_text) if speed_text and speed_text != "N/A" else None
    except ValueError:
        speed = None
    return Progress(seconds=seconds, total=total, speed=speed, done=block.get("progress") == "end")

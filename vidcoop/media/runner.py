"""The one place where vidcoop starts ffmpeg.

ffmpeg's stderr is always captured; its last lines go onto the
:class:`~vidcoop.errors.RenderError`, with a hint when the cause is
recognisable. Progress comes from ``-progress pipe:1``, parsed line by line.
Interrupting (Ctrl-C, a killed batch worker) stops ffmpeg rather than
leaving it running; on Linux ffmpeg also dies with its parent when that is
killed outright (``kill -9``), via ``PR_SET_PDEATHSIG`` (:func:`die_with_parent`).
A run whose files are thrown away when it stops (``discard_on_stop``: temp files of
:func:`vidcoop.files.atomic_path`, or none) is killed at once; any other is asked to
finish its files first (SIGTERM), for up to :data:`STOP_GRACE` seconds.

Nothing waits forever on ffmpeg. The binary answers ``-version`` once per
process, within :data:`VERSION_TIMEOUT` seconds, before its first run (so a
``VIDCOOP_FFMPEG`` that names ``sleep`` or ``/bin/true`` is one clear line, not a
hang or a puzzling loudness error), and a watchdog stops a run that writes no
progress for :data:`STALL_SECONDS` (``VIDCOOP_FFMPEG_STALL_SECONDS`` overrides it).
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
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from vidcoop.errors import RenderError
from vidcoop.media.ffmpeg import ffmpeg_exe, ffmpeg_hint, ffmpeg_setting

_TAIL_LINES = 25

#: Seconds ``ffmpeg -version`` may take before the binary counts as not ffmpeg (it takes
#: about 0.05 s; a loaded machine and a cold disk are allowed for).
VERSION_TIMEOUT = 20.0

#: Seconds an ffmpeg run may go without a line of ``-progress`` output (ffmpeg writes one about
#: every 0.5 s while it works, also before the first frame) or, when it is fed, without taking a
#: chunk, before it counts as stuck and is stopped. Generous, for a cold font cache and slow shares.
STALL_SECONDS = 180.0
STALL_ENV = "VIDCOOP_FFMPEG_STALL_SECONDS"

#: Seconds a stopped ffmpeg whose files are kept may take to finish them (on SIGTERM it flushes every
#: encoder and writes each file's index: seconds for four 1080p encoders), before it is killed.
STOP_GRACE = 5.0

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
    discard_on_stop: bool = False,
) -> str:
    """Run ffmpeg with ``args`` (without the binary) and return its stderr text.

    Args:
        args: Arguments after the program name.
        total: Expected output duration, so progress can report a fraction.
        progress: Called with a :class:`Progress` as ffmpeg reports it.
        feed: Bytes to write to ffmpeg's stdin (e.g. raw frames), if any.
        what: A short name of the job for error messages.
        discard_on_stop: Every file the run writes is a temp file its caller removes when the run does not
            finish (:func:`vidcoop.files.atomic_path`), or it writes none (``-f null``): a stop (Ctrl-C, a
            callback that raises, the watchdog) kills ffmpeg at once, as there is nothing to finish. Else it
            gets SIGTERM and :data:`STOP_GRACE` seconds to finish its files.

    Raises:
        RenderError: ffmpeg exited non-zero, or wrote no progress for :data:`STALL_SECONDS` and was
            stopped; carries the command and stderr tail. Also when the binary is not ffmpeg.
    """
    stall = stall_seconds()
    # Progress is always asked for: the watchdog needs it, even when nobody shows it.
    command = [checked_ffmpeg(), "-hide_banner", "-y"]
    if feed is None:
        command.append("-nostdin")
    command += ["-progress", "pipe:1", "-nostats", *args]
    tail: collections.deque[str] = collections.deque(maxlen=400)
    feed_errors: list[BaseException] = []
    threads: list[threading.Thread] = []
    proc: subprocess.Popen[bytes] | None = None
    watchdog: _Watchdog | None = None
    grace = 0.0 if discard_on_stop else STOP_GRACE
    try:
        with _signals_held():  # Ctrl-C or SIGTERM only once `proc` exists, so ffmpeg is always stopped
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE if feed is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                preexec_fn=_child_dies_with_us(),  # one prepared libc call between fork and exec
            )
        watchdog = _Watchdog(proc, stall, grace)
        threads.append(threading.Thread(target=_drain, args=(proc.stderr, tail.append), daemon=True))
        if feed is not None:
            threads.append(threading.Thread(target=_write_feed, args=(proc, feed, feed_errors, watchdog.alive),
                                            daemon=True))
        for thread in threads:
            thread.start()
        watchdog.start()
        # Progress is read on the caller's thread, so an exception in the
        # callback (or Ctrl-C) stops ffmpeg instead of vanishing in a thread.
        _read_progress(proc.stdout, total, progress, alive=watchdog.alive)
        returncode = proc.wait()
    except BaseException:
        if proc is not None:
            _stop(proc, grace)
        raise
    finally:
        if watchdog is not None:
            watchdog.finish()
        for thread in threads:
            thread.join(timeout=5)
    if watchdog.stalled:
        lines = [line for line in tail if line.strip()][-_TAIL_LINES:]
        raise RenderError(
            f"{what} stopped: ffmpeg wrote no progress for {stall:g} s",
            command=command,
            stderr_tail="\n".join(lines),
            returncode=returncode,
            hint=f"it was stuck (a hung network share, a full pipe?); {STALL_ENV} sets the limit",
        )
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


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity where the OS says, else all of them)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def stall_seconds() -> float:
    """The watchdog's limit: ``VIDCOOP_FFMPEG_STALL_SECONDS`` if set, else :data:`STALL_SECONDS`."""
    text = os.environ.get(STALL_ENV, "").strip()
    if not text:
        return STALL_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise RenderError(f"{STALL_ENV}={text}: not a number of seconds above 0", hint="e.g. 300, or unset it")
    return value


class _Watchdog:
    """Stops ffmpeg when nothing moved (no progress line, no chunk fed) for ``limit`` seconds."""

    def __init__(self, proc: subprocess.Popen[bytes], limit: float, grace: float = STOP_GRACE) -> None:
        self.proc = proc
        self.limit = limit
        self.grace = grace
        self.stalled = False
        self._last = time.monotonic()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="vidcoop-ffmpeg-watchdog", daemon=True)

    def alive(self) -> None:
        """Note that ffmpeg moved."""
        self._last = time.monotonic()

    def start(self) -> None:
        self._thread.start()

    def finish(self) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _watch(self) -> None:
        while not self._done.wait(min(1.0, self.limit / 4)):
            if time.monotonic() - self._last > self.limit and self.proc.poll() is None:
                self.stalled = True
                _stop(self.proc, self.grace)  # its pipes close: the caller's read ends, and the error says why
                return


@functools.cache
def _version_checked(exe: str, size: int, mtime_ns: int) -> str:
    """``exe -version``'s first line; raises when it does not answer as ffmpeg does (cached per file version)."""
    who = ffmpeg_setting()
    if exe not in who:
        who += f" ({exe})"
    try:
        proc = subprocess.Popen([exe, "-version"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True,  # its own group, to kill it all
                                preexec_fn=_child_dies_with_us())
    except OSError as exc:
        raise RenderError(f"{who} cannot be run: {exc.strerror or exc}", hint=ffmpeg_hint()) from None
    try:
        out, _ = proc.communicate(timeout=VERSION_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise RenderError(f"{who} did not answer '-version' within {VERSION_TIMEOUT:g} s, so it is not ffmpeg",
                          hint=ffmpeg_hint()) from None
    except BaseException:
        _kill_group(proc)
        raise
    first = out.decode("utf-8", "replace").strip().splitlines()[0] if out.strip() else ""
    if proc.returncode != 0 or not first.startswith("ffmpeg version"):
        said = f"printed {first[:60]!r}" if first else "printed nothing"
        raise RenderError(f"{who} is not ffmpeg: '-version' {said} (exit {proc.returncode})", hint=ffmpeg_hint())
    return first


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill a ``-version`` check and whatever it started (a script's ``sleep``), then reap it."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):  # a grandchild in a session of its own keeps the pipe
        proc.communicate(timeout=5)
    proc.wait()


def checked_ffmpeg() -> str:
    """:func:`~vidcoop.media.ffmpeg.ffmpeg_exe`, once checked to answer ``-version`` as ffmpeg.

    Raises:
        RenderError: one line naming where the binary came from (``VIDCOOP_FFMPEG=...``) and why it is
            not ffmpeg: it cannot be run, hangs, or answers something else.
    """
    exe = ffmpeg_exe()
    try:
        st = os.stat(exe)
    except OSError as exc:
        raise RenderError(f"{ffmpeg_setting()}: {exc.strerror or exc}", hint=ffmpeg_hint()) from None
    _version_checked(exe, st.st_size, st.st_mtime_ns)
    return exe


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


def _write_feed(proc: subprocess.Popen[bytes], feed: Iterable[bytes], errors: list[BaseException],
                alive: Callable[[], None]) -> None:
    assert proc.stdin is not None
    try:
        for chunk in feed:
            proc.stdin.write(chunk)
            alive()
    except BrokenPipeError:
        pass  # ffmpeg stopped reading; its exit code and stderr say why
    except Exception as exc:  # the producer failed: ffmpeg gets EOF, the caller gets the error
        errors.append(exc)
    finally:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()


def _stop(proc: subprocess.Popen[bytes], grace: float = STOP_GRACE) -> None:
    """Stop ffmpeg and wait until it is gone: SIGTERM and up to ``grace`` seconds to finish its files, then
    SIGKILL; with no grace (its files are thrown away) SIGKILL at once."""
    if proc.poll() is not None:
        return
    if grace > 0:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            pass
    proc.kill()
    proc.wait()


def _drain(stream: object, sink: Callable[[str], None]) -> None:
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        sink(raw.decode("utf-8", "replace").rstrip("\r\n"))


def _read_progress(stream: object, total: Fraction | None, callback: ProgressCallback | None,
                   alive: Callable[[], None] | None = None) -> None:
    block: dict[str, str] = {}
    reached = Fraction(0)
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        if alive is not None:
            alive()
        key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
        if not key:
            continue
        block[key] = value
        if key == "progress":
            report = parse_progress_block(block, total)
            # A block may say out_time=N/A (read as 0) after real times: progress never goes back.
            reached = max(reached, report.seconds)
            if callback is not None:
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

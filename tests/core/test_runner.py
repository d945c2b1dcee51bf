"""The one subprocess runner: progress parsing (pure) and run_ffmpeg against small fake ffmpegs."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.errors import RenderError
from vidcoop.media.ffmpeg import set_ffmpeg
from vidcoop.media.runner import Progress, _read_progress, hint_for, parse_progress_block, run_ffmpeg

F = Fraction

# A fake ffmpeg answers the one "-version" check run_ffmpeg makes of a binary, as ffmpeg does.
ANSWERS_VERSION = '[ "$1" = -version ] && { echo "ffmpeg version fake"; exit 0; }\n'


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"out_time_us": "1500000", "speed": "2.5x", "progress": "continue"}, Progress(F(3, 2), F(3), 2.5)),
        ({"out_time_ms": "500000", "speed": " 1x", "progress": "continue"}, Progress(F(1, 2), F(3), 1.0)),
        ({"out_time_us": "N/A", "speed": "N/A", "progress": "continue"}, Progress(F(0), F(3), None)),
        ({"out_time_us": "-23000", "speed": "fast", "progress": "continue"}, Progress(F(0), F(3), None)),
        ({"out_time_us": "3000000", "progress": "end"}, Progress(F(3), F(3), None, done=True)),
    ],
)
def test_parse_progress_block(block: dict[str, str], expected: Progress) -> None:
    assert parse_progress_block(block, F(3)) == expected


def test_progress_fraction() -> None:
    assert Progress(F(1), F(4)).fraction == 0.25
    assert Progress(F(5), F(4)).fraction == 1.0  # never more than done
    assert Progress(F(1), None).fraction is None
    assert Progress(F(1), None, done=True).fraction == 1.0


def test_read_progress_reports_one_value_per_block() -> None:
    stream = io.BytesIO(
        b"frame=10\nout_time_us=1000000\nspeed=1.2x\nprogress=continue\n\nframe=30\nout_time_us=2000000\nprogress=end\n"
    )
    seen: list[Progress] = []
    _read_progress(stream, F(2), seen.append)
    assert seen == [Progress(F(1), F(2), 1.2), Progress(F(2), F(2), None, done=True)]


def test_read_progress_never_goes_back() -> None:
    # seen under load in a real render: a block with out_time_us=N/A after real times
    stream = io.BytesIO(b"out_time_us=1500000\nprogress=continue\nout_time_us=N/A\nprogress=continue\nprogress=end\n")
    seen: list[Progress] = []
    _read_progress(stream, F(2), seen.append)
    assert [p.seconds for p in seen] == [F(3, 2), F(3, 2), F(3, 2)] and seen[-1].done


def test_hints_name_known_causes() -> None:
    assert hint_for("[libx264] Unknown encoder 'libx264'") and "encoder" in str(hint_for("Unknown encoder"))
    assert hint_for("all fine") is None


@pytest.fixture
def fake_ffmpeg(tmp_path: Path) -> Iterator[object]:
    def make(body: str) -> Path:
        script = tmp_path / "fake-ffmpeg"
        script.write_text("#!/bin/sh\n" + ANSWERS_VERSION + body)
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        set_ffmpeg(script)
        return script

    yield make
    set_ffmpeg(None)


def test_success_returns_stderr_and_reports_progress(fake_ffmpeg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    args_file = tmp_path / "args"
    fake_ffmpeg(
        f'echo "$@" > {args_file}\n'
        'echo "encoding" >&2\n'
        'printf "out_time_us=500000\\nprogress=continue\\nout_time_us=1000000\\nprogress=end\\n"\n'
    )
    seen: list[Progress] = []
    stderr = run_ffmpeg(["-i", "in.mp4", "out.mp4"], total=F(1), progress=seen.append)
    assert stderr == "encoding"
    assert [p.fraction for p in seen] == [0.5, 1.0]
    assert args_file.read_text().split() == [
        "-hide_banner", "-y", "-nostdin", "-progress", "pipe:1", "-nostats", "-i", "in.mp4", "out.mp4",
    ]  # fmt: skip


def test_failure_carries_command_tail_code_and_hint(fake_ffmpeg) -> None:  # type: ignore[no-untyped-def]
    script = fake_ffmpeg('i=0; while [ $i -lt 40 ]; do echo "line $i" >&2; i=$((i+1)); done\n'
                         'echo "Unknown encoder libx264" >&2\nexit 3\n')  # fmt: skip
    with pytest.raises(RenderError) as exc:
        run_ffmpeg(["out.mp4"], what="test job")
    err = exc.value
    assert err.returncode == 3 and err.command[0] == str(script) and err.command[-1] == "out.mp4"
    lines = err.stderr_tail.splitlines()
    assert len(lines) == 25 and lines[-1] == "Unknown encoder libx264" and lines[0] == "line 16"
    assert "test job failed (exit 3): Unknown encoder libx264" in str(err)
    assert err.hint and "encoder" in err.hint


def test_feed_reaches_stdin(fake_ffmpeg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    got = tmp_path / "stdin"
    fake_ffmpeg(f"cat > {got}\n")
    run_ffmpeg(["-i", "pipe:0"], feed=iter([b"abc", b"def"]))
    assert got.read_bytes() == b"abcdef"


def test_a_failing_feed_raises_its_own_error(fake_ffmpeg) -> None:  # type: ignore[no-untyped-def]
    fake_ffmpeg("cat > /dev/null\n")

    def frames() -> Iterator[bytes]:
        yield b"x"
        raise ValueError("frame source broke")

    with pytest.raises(ValueError, match="frame source broke"):
        run_ffmpeg(["-i", "pipe:0"], feed=frames())


def test_a_failing_progress_callback_stops_ffmpeg(fake_ffmpeg) -> None:  # type: ignore[no-untyped-def]
    fake_ffmpeg('printf "out_time_us=1\\nprogress=continue\\n"; exec sleep 30\n')

    def stop(progress: Progress) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_ffmpeg(["out.mp4"], progress=stop)


# --- a binary that is not ffmpeg, and an ffmpeg that is stuck (issue #31, item 11) -------------------


@pytest.fixture
def env_ffmpeg(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Point VIDCOOP_FFMPEG at a path for one test; the default comes back afterwards."""

    def point(path: Path | str) -> None:
        monkeypatch.setenv("VIDCOOP_FFMPEG", str(path))
        set_ffmpeg(None)  # clears the cached lookup

    yield point
    monkeypatch.delenv("VIDCOOP_FFMPEG", raising=False)
    set_ffmpeg(None)


def test_a_program_that_is_not_ffmpeg_is_one_line_naming_the_setting(env_ffmpeg) -> None:  # type: ignore[no-untyped-def]
    env_ffmpeg("/bin/true")
    with pytest.raises(RenderError) as info:
        run_ffmpeg(["-f", "null", "-"], what="loudness analysis")
    text = str(info.value)
    assert "VIDCOOP_FFMPEG=/bin/true is not ffmpeg" in text and "printed nothing" in text and "\n" not in text
    assert "loudness" not in text


def test_a_file_that_cannot_run_is_one_line_naming_the_setting(env_ffmpeg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "ffmpeg.txt"
    plain.write_text("not a program\n")
    env_ffmpeg(plain)
    with pytest.raises(RenderError, match=f"VIDCOOP_FFMPEG={plain}: the file is not executable"):
        run_ffmpeg(["-version"])
    plain.chmod(0o755)  # executable, but no program: the kernel refuses it (ENOEXEC)
    env_ffmpeg(plain)
    with pytest.raises(RenderError, match=f"VIDCOOP_FFMPEG={plain} (cannot be run|is not ffmpeg)"):
        run_ffmpeg(["-version"])


def test_a_program_that_hangs_is_stopped_after_the_version_timeout(  # type: ignore[no-untyped-def]
    env_ffmpeg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from vidcoop.media import runner

    sleeper = tmp_path / "sleeper"
    pid_file = tmp_path / "sleep.pid"
    sleeper.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pid_file}\nwait\n")
    sleeper.chmod(0o755)
    env_ffmpeg(sleeper)
    monkeypatch.setattr(runner, "VERSION_TIMEOUT", 1.0)
    started = time.monotonic()
    with pytest.raises(RenderError, match=f"VIDCOOP_FFMPEG={sleeper} did not answer '-version' within 1 s"):
        run_ffmpeg(["-version"])
    assert time.monotonic() - started < 10
    # The script's own child is gone too. SIGKILL to the group is delivered at once, but on a loaded machine
    # the grandchild may take a moment to die and be reaped by init: wait for it a little.
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def _running(pid: int) -> bool:
    """True while ``pid`` lives (a zombie waiting for init to reap it counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_version_check_runs_once_per_binary(tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    script = tmp_path / "fake-ffmpeg"
    script.write_text(f'#!/bin/sh\necho "$1" >> {calls}\n' + ANSWERS_VERSION + "exit 0\n")
    script.chmod(0o755)
    set_ffmpeg(script)
    try:
        for _ in range(3):
            run_ffmpeg(["out.mp4"])
    finally:
        set_ffmpeg(None)
    assert calls.read_text().split() == ["-version", "-hide_banner", "-hide_banner", "-hide_banner"]


def test_a_stuck_ffmpeg_is_stopped_by_the_watchdog(fake_ffmpeg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import time

    monkeypatch.setenv("VIDCOOP_FFMPEG_STALL_SECONDS", "1")
    fake_ffmpeg('printf "out_time_us=1\\nprogress=continue\\n"; echo "opening the share" >&2; exec sleep 60\n')
    for progress in (None, lambda p: None):  # watched also when nobody shows the progress
        started = time.monotonic()
        with pytest.raises(RenderError) as info:
            run_ffmpeg(["out.mp4"], progress=progress, what="render of x.mp4")
        assert time.monotonic() - started < 10
        assert "render of x.mp4 stopped: ffmpeg wrote no progress for 1 s" in str(info.value)
        assert "VIDCOOP_FFMPEG_STALL_SECONDS" in str(info.value) and "opening the share" in info.value.stderr_tail


def test_a_fed_ffmpeg_taking_chunks_is_not_stuck(fake_ffmpeg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import time

    monkeypatch.setenv("VIDCOOP_FFMPEG_STALL_SECONDS", "1")
    got = tmp_path / "stdin"
    fake_ffmpeg(f"cat > {got}\n")  # no progress at all, but it takes every chunk

    def slow() -> Iterator[bytes]:
        for _ in range(4):
            time.sleep(0.5)
            yield b"x"

    run_ffmpeg(["-i", "pipe:0"], feed=slow())
    assert got.read_bytes() == b"xxxx"


@pytest.mark.parametrize("value", ["soon", "0", "-5", "inf"])
def test_a_bad_stall_limit_is_named(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDCOOP_FFMPEG_STALL_SECONDS", value)
    with pytest.raises(RenderError, match=f"VIDCOOP_FFMPEG_STALL_SECONDS={value}: not a number"):
        run_ffmpeg(["-version"])


# --- a stop: at once when the outputs are thrown away, with time to finish them when they are kept (#30) ---


def slow_flush_ffmpeg(folder: Path, flush: float) -> tuple[Path, Path, Path]:
    """A fake ffmpeg (Python, one process) that writes a few bytes to each atomic temp file it is given
    (``.part.``), reports progress and runs on; on SIGTERM or SIGINT it takes ``flush`` seconds to finish its
    files, as a real ffmpeg flushes its encoders and writes each file's index. Returns the script, the file
    its pid is written to and the file it marks ``finished`` in when it finished its files."""
    import sys

    script, pids, finished = folder / "fake-ffmpeg", folder / "ffmpeg.pids", folder / "ffmpeg.finished"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, signal, sys, time\n"
        'if sys.argv[1:2] == ["-version"]:\n    print("ffmpeg version fake")\n    sys.exit(0)\n'
        'for out in [a.removeprefix("file:") for a in sys.argv[1:] if ".part." in a]:\n'
        '    open(out, "wb").write(b"half")\n'
        "def finish(signum, frame):\n"
        f"    time.sleep({flush})\n"
        f'    open({str(finished)!r}, "a").write("finished\\n")\n'
        "    sys.exit(255)\n"
        "signal.signal(signal.SIGTERM, finish)\n"
        "signal.signal(signal.SIGINT, finish)\n"
        f'open({str(pids)!r}, "a").write(f"{{os.getpid()}}\\n")\n'
        'print("out_time_us=1000\\nprogress=continue", flush=True)\n'
        "time.sleep(60)\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, pids, finished


def gone(pids: Path) -> bool:
    """Every process whose pid the fake wrote to ``pids`` has ended (and was waited for: no zombie)."""
    return all(not Path(f"/proc/{pid}").exists() for pid in pids.read_text(encoding="utf-8").split())


def _interrupt(progress: Progress) -> None:
    raise KeyboardInterrupt


class Interrupt:
    """A progress callback that stops the run (as Ctrl-C does) and notes when: a stop's time is measured from
    there, not from the start, so starting the (Python) fake ffmpeg on a loaded machine does not count."""

    def __init__(self) -> None:
        self.at: float | None = None

    def __call__(self, progress: Progress) -> None:
        import time

        self.at = time.monotonic()
        raise KeyboardInterrupt

    def since(self) -> float:
        import time

        assert self.at is not None, "the run was never interrupted"
        return time.monotonic() - self.at


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="follows the fake ffmpeg in /proc")
def test_a_stop_kills_ffmpeg_at_once_when_its_outputs_are_thrown_away(tmp_path: Path) -> None:
    script, pids, finished = slow_flush_ffmpeg(tmp_path, flush=10)
    part = tmp_path / ".ep.abcdefgh.part.mp4"
    set_ffmpeg(script)
    interrupt = Interrupt()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_ffmpeg(["-f", "mp4", f"file:{part}"], progress=interrupt, discard_on_stop=True)
        stopped = interrupt.since()
        assert stopped < 3, f"took {stopped:.1f} s to stop"  # killed: not STOP_GRACE (5 s) of the 10 s to finish
    finally:
        set_ffmpeg(None)
    assert gone(pids) and not finished.exists()


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="follows the fake ffmpeg in /proc")
def test_a_stop_lets_ffmpeg_finish_a_file_that_is_kept(tmp_path: Path) -> None:
    import time

    script, pids, finished = slow_flush_ffmpeg(tmp_path, flush=1)
    set_ffmpeg(script)
    try:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            run_ffmpeg(["-f", "mp4", f"file:{tmp_path / 'kept.mp4'}"], progress=_interrupt)
        assert time.monotonic() - started >= 1
    finally:
        set_ffmpeg(None)
    assert gone(pids) and finished.read_text(encoding="utf-8") == "finished\n"

"""The one subprocess runner: progress parsing (pure) and run_ffmpeg against small fake ffmpegs."""

from __future__ import annotations

import io
import stat
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.errors import RenderError
from vidcoop.media.ffmpeg import set_ffmpeg
from vidcoop.media.runner import Progress, _read_progress, hint_for, parse_progress_block, run_ffmpeg

F = Fraction


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
        script.write_text("#!/bin/sh\n" + body)
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

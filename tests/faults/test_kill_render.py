"""``vidcoop render`` killed mid-encode: no ffmpeg left running, no file under the final name, rerun OK.

These run the real CLI in a subprocess, wait until ffmpeg writes the temp
file, then send a real SIGKILL or SIGTERM to the vidcoop process only (by pid).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only"),
]


@pytest.fixture(scope="module")
def long_clip(make_media: Any) -> Path:
    """60 s of tiny video: the render runs long enough to be killed half way."""
    return make_media("fault_long.mp4", "testsrc2=s=160x90:r=10:d=60")


def _write_episode(folder: Path, clip: Path, out: str | None = None) -> Path:
    manifest = folder / "ep.yaml"
    cut = f"\n    out: {out}" if out else ""
    manifest.write_text(f"version: 1\ntitle: Kill\nsegments:\n  - source: {clip}{cut}\n", encoding="utf-8")
    return manifest


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _start(manifest: Path, out: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from vidcoop.cli.main import main; main()",
            "render",
            str(manifest),
            "-o",
            str(out),
            "--profile",
            "preview",
            "--quiet",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for_encode(proc: subprocess.Popen[bytes], tree: Any, limit: float = 60.0) -> set[int]:
    """Wait until the main ffmpeg writes the temp file; return vidcoop's descendants then."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        kids = tree.descendants(proc.pid)
        if any(".part.mp4" in _cmdline(k) for k in kids):
            return kids
        if proc.poll() is not None:
            raise AssertionError(f"render ended before it could be killed: {proc.communicate()}")
        time.sleep(0.05)
    raise AssertionError("ffmpeg never started writing")


def _all_gone(pids: set[int], tree: Any, limit: float = 10.0) -> set[int]:
    deadline = time.monotonic() + limit
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {p for p in alive if tree.running(p)}
        time.sleep(0.05)
    return alive


def _env(tmp_path: Path) -> dict[str, str]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    return dict(os.environ, TMPDIR=str(temp))


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_killed_render_leaves_nothing_running_and_no_file(
    tmp_path: Path, long_clip: Path, process_tree: Any, sig: signal.Signals
) -> None:
    env = _env(tmp_path)
    out_dir = tmp_path / "out"
    out = out_dir / "ep.mp4"
    manifest = _write_episode(tmp_path, long_clip)
    proc = _start(manifest, out, env)
    try:
        kids = _wait_for_encode(proc, process_tree)
        assert kids, "ffmpeg should run below vidcoop"
        os.kill(proc.pid, sig)  # only the vidcoop process itself
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    assert _all_gone(kids, process_tree) == set(), "ffmpeg outlived vidcoop"
    assert not out.exists()
    work = Path(env["TMPDIR"])
    if sig == signal.SIGTERM:  # the same cleanup as Ctrl-C
        assert proc.returncode == 143
        assert b"Traceback" not in stderr and b"terminated" in stderr
        assert not list(out_dir.glob(".*.part*"))
        assert not list(work.glob("vidcoop-*"))
    else:  # a kill -9 cannot clean up; the next run does
        assert proc.returncode == -signal.SIGKILL

    _write_episode(tmp_path, long_clip, out="1")  # the rerun: one second, the same output
    again = _start(manifest, out, env)
    _, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr.decode()
    assert out.is_file() and out.stat().st_size > 0
    assert not list(out_dir.glob(".*.part*"))  # the killed run's temp file is gone
    assert not list(work.glob(f"vidcoop-*-{proc.pid}-*"))  # and so is its work folder

"""A batch killed half way finishes the rest when started again, redoing nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vidcoop.batch import BatchOptions, run_batch
from vidcoop.batch.state import STATE_NAME


def _recorded(state: Path) -> set[str]:
    try:
        return set(json.loads(state.read_text(encoding="utf-8"))["outputs"])
    except (OSError, ValueError, KeyError):
        return set()


def _wait_for(condition, what: str, limit: float = 90.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_kill_during_second_episode_then_resume(fake_render: Path, make_week, monkeypatch) -> None:
    week = make_week(("ep1", "ep2", "ep3"))
    out = week.parent / "out"
    state = out / STATE_NAME
    env = dict(os.environ, VIDCOOP_FAKE_SLEEP="3")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from vidcoop.cli.main import main; main()", "batch", str(week), "--final", "--all",
         "-j", "1", "--quiet"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: "ep1.mp4" in _recorded(state), "the first episode to be recorded")
        _wait_for(lambda: any(out.glob(".ep2.*.part.mp4")), "the second episode to start writing")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator, its manager and its worker
        proc.wait()
    assert (out / "ep1.mp4").is_file()
    assert not (out / "ep2.mp4").exists() and not (out / "ep3.mp4").exists()  # nothing half under a final name
    assert _recorded(state) == {"ep1.mp4"}
    first_pid = json.loads((out / "ep1.mp4").read_text(encoding="utf-8"))["pid"]

    monkeypatch.setenv("VIDCOOP_FAKE_SLEEP", "0")
    report = run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline"))
    assert [(e.name, e.status) for e in report.episodes] == [
        ("ep1", "skipped"), ("ep2", "rendered"), ("ep3", "rendered")
    ]
    for name in ("ep1", "ep2", "ep3"):
        body = json.loads((out / f"{name}.mp4").read_text(encoding="utf-8"))  # complete, valid files
        assert body["episode"] == name
    assert json.loads((out / "ep1.mp4").read_text(encoding="utf-8"))["pid"] == first_pid  # not redone
    assert not list(out.glob(".*.part*"))  # the killed run's temp file was cleared
    assert _recorded(state) == {"ep1.mp4", "ep2.mp4", "ep3.mp4"}


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_renders_and_starts_no_queued_one(fake_render: Path, make_week, sig: int, code: int) -> None:
    """Ctrl-C in a terminal, or ``kill -TERM -PGID`` (a service manager, ``timeout``), reaches every
    process of the batch: the pool workers stop their renders and remove their temp files (issue 31, item 4)."""
    week = make_week(("ep1", "ep2", "ep3"))
    out = week.parent / "out"
    env = dict(os.environ, VIDCOOP_FAKE_SLEEP="20")  # long: both renders surely overlap, even on a busy machine
    proc = subprocess.Popen(
        [sys.executable, "-c", "from vidcoop.cli.main import main; main()", "batch", str(week), "--final", "--all",
         "-j", "2", "--quiet"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        _wait_for(lambda: len(list(out.glob(".*.part.mp4"))) == 2, "two renders to be running")
        os.killpg(proc.pid, sig)  # what Ctrl-C in a terminal does: the whole process group
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == code
    assert b"Traceback" not in stderr, stderr.decode()
    assert not list(out.glob("*.mp4"))  # the two running renders stopped, the queued third never started
    assert not list(out.glob(".*.part*"))  # and their temp files are gone
    assert _recorded(out / STATE_NAME) == set()

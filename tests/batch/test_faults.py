"""The ``vidcoop batch`` parent killed (kill -9 or SIGTERM): workers, the manager and ffmpeg die with it.

The fake render runs a real ffmpeg for a while (VIDCOOP_FAKE_FFMPEG), so the
tree below the batch is coordinator -> manager + pool workers -> ffmpeg. Only
the coordinator is signalled, by pid; every process found below it before the
signal must be gone shortly after.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from vidcoop.batch import BatchOptions, run_batch
from vidcoop.batch.state import STATE_NAME

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _recorded(state: Path) -> set[str]:
    try:
        return set(json.loads(state.read_text(encoding="utf-8"))["outputs"])
    except (OSError, ValueError, KeyError):
        return set()


def _wait(condition: Any, what: str, limit: float = 90.0) -> Any:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_killed_batch_leaves_no_worker_no_ffmpeg_no_file(
    fake_render: Path, make_week: Any, process_tree: Any, monkeypatch: pytest.MonkeyPatch, sig: signal.Signals
) -> None:
    week = make_week(("ep1", "ep2", "ep3"))
    out = week.parent / "out"
    env = dict(os.environ, VIDCOOP_FAKE_SLEEP="30", VIDCOOP_FAKE_FFMPEG="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from vidcoop.cli.main import main; main()", "batch", str(week), "--final", "--all",
         "-j", "2", "--quiet"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:

        def two_ffmpegs() -> set[int]:
            kids = process_tree.descendants(proc.pid)
            return kids if sum("color=s=16x16" in _cmdline(k) for k in kids) == 2 else set()

        kids = _wait(two_ffmpegs, "two renders with their ffmpeg")
        os.kill(proc.pid, sig)  # the coordinator only, not its process group
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    survivors = _wait(lambda: not any(process_tree.running(k) for k in kids) or None, "the tree to die", 20.0)
    assert survivors, {k: _cmdline(k) for k in kids if process_tree.running(k)}
    assert not list(out.glob("*.mp4"))  # nothing under a final name
    # The workers got SIGINT from the kernel when their parent died, and cleaned up as on Ctrl-C.
    assert not list(out.glob(".*.part*"))
    assert _recorded(out / STATE_NAME) == set()
    assert b"Traceback" not in stderr, stderr.decode()  # from the coordinator or from its orphaned workers
    if sig == signal.SIGTERM:
        assert proc.returncode == 143

    monkeypatch.setenv("VIDCOOP_FAKE_SLEEP", "0")
    report = run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline"))
    assert [e.status for e in report.episodes] == ["rendered"] * 3
    assert _recorded(out / STATE_NAME) == {"ep1.mp4", "ep2.mp4", "ep3.mp4"}


# A pool worker that cannot take the kernel's SIGINT (blocked here, as at an unlucky moment between tasks).
_WORKER = """
import signal, sys, time
from vidcoop.batch import executors
executors.ORPHAN_GRACE = 0.5
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
executors._quiet_interrupt(int(sys.argv[1]))
print("ready", flush=True)
while True:
    time.sleep(1)
"""
_COORDINATOR = """
import os, subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid())], stdout=subprocess.PIPE)
assert worker.stdout.readline() == b"ready\\n"
print(worker.pid, flush=True)
time.sleep(120)
"""


def test_an_orphaned_pool_worker_ends_itself_when_the_kernel_signal_does_not(process_tree: Any) -> None:
    coordinator = subprocess.Popen([sys.executable, "-c", _COORDINATOR, _WORKER], stdout=subprocess.PIPE,
                                   start_new_session=True)
    try:
        assert coordinator.stdout is not None
        worker = int(coordinator.stdout.readline())
        os.kill(coordinator.pid, signal.SIGKILL)
        coordinator.wait()
        _wait(lambda: not process_tree.running(worker), "the orphaned worker to end", 10.0)
    finally:
        if coordinator.poll() is None:
            coordinator.kill()
            coordinator.wait()


def test_full_disk_during_the_batch_fails_that_episode_only(
    fake_render: Path,
    make_week: Any,
    small_disk: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from vidcoop.cli.main import main

    week = make_week(("ep1", "ep2", "ep3"))
    disk = small_disk(64)
    monkeypatch.setenv("VIDCOOP_FAKE_PAD", "40000")  # the first output fits, the second does not
    with pytest.raises(SystemExit) as info:
        main(["batch", str(week), "--final", "--all", "-o", str(disk), "--scheduler", "inline", "--quiet"])
    err = capsys.readouterr().err
    assert info.value.code == 1 and "Traceback" not in err
    assert _recorded(disk / STATE_NAME) == {"ep1.mp4"}  # the state file is whole and tells the truth
    report = json.loads((disk / "batch-report.json").read_text(encoding="utf-8"))
    status = {e["episode"]: (e["status"], e["error"] or "") for e in report["episodes"]}
    assert status["ep1"] == ("rendered", "")
    assert status["ep2"][0] == "failed" and "No space left" in status["ep2"][1]
    assert sorted(p.name for p in disk.glob("*.mp4")) == ["ep1.mp4"]
    assert not list(disk.glob(".*.part*"))


def test_an_output_that_is_a_source_fails_that_episode_before_any_render(fake_render: Path, make_week: Any) -> None:
    week = make_week(("ep1", "ep2"))
    clips = week.parent / "clips"
    week.write_text(week.read_text(encoding="utf-8").replace("output: out", "output: clips"), encoding="utf-8")
    (week.parent / "episodes" / "ep2.yaml").write_text(  # ep2 is made from ep1's clip: its output is free
        "version: 1\ntitle: ep2\nsegments:\n  - source: ../clips/ep1.mp4\n", encoding="utf-8"
    )
    (clips / "ep2.mp4").unlink()
    before = (clips / "ep1.mp4").read_bytes()
    report = run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline"))
    status = {e.name: (e.status, e.error or "") for e in report.episodes}
    assert status["ep1"][0] == "failed" and "never overwrites an input" in status["ep1"][1]
    assert status["ep2"] == ("rendered", "")
    assert (clips / "ep1.mp4").read_bytes() == before
    assert fake_render.read_text(encoding="utf-8").splitlines() == ["ep2:final"]  # ep1 never rendered


def test_a_lock_whose_holder_died_is_free_and_a_live_one_is_named(fake_render: Path, make_week: Any) -> None:
    from vidcoop.errors import VidcoopError

    week = make_week(("ep1",))
    out = week.parent / "out"
    code = (
        "import sys, time; from pathlib import Path; from vidcoop.batch.state import folder_lock\n"
        "with folder_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        with pytest.raises(VidcoopError, match=f"another vidcoop batch \\(pid {holder.pid}\\)"):
            run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline"))
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    # the dead holder's lock is gone with it
    assert run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline")).ok


def test_week_files_that_cannot_be_written_are_reported_not_raised(
    fake_render: Path, make_week: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vidcoop.batch import runner
    from vidcoop.errors import OutputError

    def full(*_args: Any) -> None:
        raise OutputError("cannot write: No space left on device", path="out/week.ics")

    monkeypatch.setattr(runner, "_publish", full)
    report = run_batch(make_week(("ep1",)), BatchOptions(final=True, all_episodes=True, scheduler="inline"))
    assert [e.status for e in report.episodes] == ["rendered"]
    assert not report.ok and "week.ics" in (report.report_error or "")
    assert report.report_path is not None and report.report_path.is_file()


def test_a_folder_in_place_of_the_lock_file_is_named_in_one_line(
    fake_render: Path, make_week: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidcoop.batch.state import LOCK_NAME
    from vidcoop.cli.main import main

    week = make_week(("ep1",))
    (week.parent / "out" / LOCK_NAME).mkdir(parents=True)
    with pytest.raises(SystemExit) as info:
        main(["batch", str(week), "--final", "--all", "--scheduler", "inline", "--quiet"])
    err = capsys.readouterr().err
    assert info.value.code == 1, err
    assert err.count("\n") == 1 and "internal error" not in err
    assert LOCK_NAME in err and "is a folder" in err
    assert not (week.parent / "out" / "ep1.mp4").exists()


def test_temp_files_a_killed_run_left_go_on_the_next_run_live_ones_stay(fake_render: Path, make_week: Any) -> None:
    """Leftovers of outputs the next run does not redo (up to date, or no longer in the week) are removed
    once no process holds them; a temp file a live writer holds is kept (issue 31, item 4)."""
    import fcntl

    week = make_week(("ep1", "ep2"))
    assert run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline")).ok
    out = week.parent / "out"
    stale = [out / ".ep1.k3_9x0qa.part.mp4", out / ".ep1.report.a1b2c3d4.part.json",
             out / ".ep1.preview.zz9y8x7w.part.mp4", out / ".vidcoop-batch.q1w2e3r4.part.json"]
    for path in stale:
        path.write_bytes(b"half")
    live = out / ".ep2.l1v3l0ck.part.mp4"
    keep = [out / ".ep1.mp4.notes", out / "ep1.part.mp4"]  # not names a vidcoop temp file has
    for path in keep:
        path.write_bytes(b"mine")
    fd = os.open(live, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as atomic_path holds its temp file
        again = run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="inline"))
        assert [e.status for e in again.episodes] == ["skipped", "skipped"]
        assert [p.name for p in stale if p.exists()] == []
        assert live.exists() and all(p.exists() for p in keep)
    finally:
        os.close(fd)

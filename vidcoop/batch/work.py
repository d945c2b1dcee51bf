"""The unit of work a batch sends to a worker: render one output of one episode.

Everything here must pickle (workers are other processes or other machines),
so the render function travels as an import path (``module:attribute``),
not as a function object. The worker raises the same typed vidcoop errors
that a local render would; executors bring them back unchanged.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.cover import CoverOptions, make_cover
from vidcoop.engine.api import RenderOptions
from vidcoop.errors import ManifestError
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.timeline.model import Episode

DEFAULT_RENDER = "vidcoop.pipeline:render"
RENDER_ENV = "VIDCOOP_BATCH_RENDER"


@dataclass(frozen=True)
class RenderTask:
    """One output to produce.

    Attributes:
        task_id: Stable identifier within the batch (``<episode>:<profile>``).
        episode: The loaded episode (its name is the output's stem).
        profile: Output profile name.
        output: The final output path.
        threads: ffmpeg threads this worker may use.
        render: Import path of the render function (``module:attribute``).
        kind: ``video`` (render the episode) or ``cover`` (its cover JPEG).
        cover_at: Episode time of the cover frame (covers only); None = pick the sharpest.
        kit: Brand kit for covers (name, folder or kit.yaml); None = the channel's or neutral.
        renditions: ``(shape, output)`` pairs rendered together in one ffmpeg run (the picture shapes the
            channel's platforms ask for); ``output`` is the first of them. Empty: ``output`` alone, 9:16.
        shape: The picture shape of a cover (covers only; each shape's cover is its own task).
    """

    task_id: str
    episode: Episode
    profile: str
    output: Path
    threads: int | None
    render: str = DEFAULT_RENDER
    kind: str = "video"
    cover_at: Fraction | None = None
    kit: str | None = None
    renditions: tuple[tuple[str, Path], ...] = ()
    shape: str = DEFAULT_SHAPE


@dataclass(frozen=True)
class TaskDone:
    """A finished output, as reported back by a worker."""

    task_id: str
    output: Path
    seconds: float
    warnings: tuple[str, ...] = ()  # what a person must look at (speech left without captions)


def render_function_path(explicit: str | None = None) -> str:
    """The render function to use: an explicit path, ``VIDCOOP_BATCH_RENDER``, or vidcoop's own."""
    return explicit or os.environ.get(RENDER_ENV) or DEFAULT_RENDER


def resolve_render(path: str) -> Callable[..., Any]:
    """Import ``module:attribute``.

    Raises:
        ManifestError: the path does not name a callable.
    """
    module, _, attr = path.partition(":")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ManifestError(f"cannot import render function {path!r}: {exc}", field=RENDER_ENV) from None
    if not callable(fn):
        raise ManifestError(f"render function {path!r} is not callable", field=RENDER_ENV)
    return fn  # type: ignore[no-any-return]


def run_task(task: RenderTask, progress_queue: Any = None, stop: Callable[[], None] | None = None) -> TaskDone:
    """Produce one output (in a worker). Raises the render's own typed errors.

    Args:
        task: What to render.
        progress_queue: A queue-like object (``put``) for ``(task_id, fraction)``
            progress messages, or None.
        stop: Called at every progress step; it raises to abandon the render (ffmpeg is
            stopped and the temp file removed, as on Ctrl-C).
    """
    started = time.monotonic()
    callback = None
    if progress_queue is not None or stop is not None:
        callback = _progress_callback(task.task_id, progress_queue, stop)
    made = TASK_KINDS[task.kind](task, callback)
    warnings = tuple(str(w) for w in getattr(made, "warnings", ()) or ())
    return TaskDone(task.task_id, task.output, time.monotonic() - started, warnings)


def _render_video(task: RenderTask, progress: Callable[[Any], None] | None) -> Any:
    import dataclasses

    render = resolve_render(task.render)
    settings: dict[str, Any] = {"profile": task.profile, "threads": task.threads}
    if task.threads and "transcribe" in {f.name for f in dataclasses.fields(RenderOptions)}:
        # Whisper shares the worker's cores with ffmpeg, like ffmpeg's own threads.
        settings["transcribe"] = {"cpu_threads": task.threads}
    if task.renditions:
        from vidcoop.pipeline import render_renditions

        made = render_renditions(task.episode, dict(task.renditions), progress=progress,
                                 options=RenderOptions(**settings))
        return dataclasses.replace(made[0], warnings=tuple(dict.fromkeys(w for r in made for w in r.warnings)))
    return render(task.episode, task.output, progress=progress, options=RenderOptions(**settings))


def _render_cover(task: RenderTask, progress: Callable[[Any], None] | None) -> None:
    make_cover(task.episode, task.output, CoverOptions(at=task.cover_at, kit=task.kit, shape=task.shape))
    if progress is not None:
        from vidcoop.media.runner import Progress

        progress(Progress(Fraction(1), Fraction(1), done=True))


# What a task produces, by kind.
TASK_KINDS: dict[str, Callable[[RenderTask, Callable[[Any], None] | None], Any]] = {
    "video": _render_video,
    "cover": _render_cover,
}


def _progress_callback(task_id: str, queue: Any, stop: Callable[[], None] | None = None) -> Callable[[Any], None]:
    last = [-1.0]

    def report(progress: Any) -> None:
        if stop is not None:
            stop()
        fraction = progress.fraction
        if fraction is None or queue is None:
            return
        # A few dozen messages per output is plenty for a progress bar.
        if fraction >= 1.0 or fraction - last[0] >= 0.02:
            last[0] = fraction
            # Progress must never fail a render (a closed manager, a lost connection).
            with contextlib.suppress(Exception):
                queue.put((task_id, float(fraction)))

    return report

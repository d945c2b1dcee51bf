"""Preview renders: one at a time in a worker thread, keyed by content and picture shape, stopped with the server.

Each shape the episode is posted in has its own preview (the ``preview`` profile at that shape: 540 px on the
short side) and its own job, so a change that touches one shape re-renders only that shape's preview.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.engine.api import RenderOptions
from vidcoop.errors import brief
from vidcoop.media.runner import Progress
from vidcoop.pipeline import render
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.studio.week import EpisodeInfo, preview_profile
from vidcoop.timeline.model import Episode


@dataclass
class PreviewJob:
    """One preview render's state, as the page polls it."""

    state: str = "idle"  # idle, running, done, error
    fraction: float = 0.0
    error: str = ""
    path: Path | None = None


class PreviewCancelled(Exception):
    """The server is stopping; raised from the progress callback, which makes ffmpeg stop."""


class Previews:
    """The preview jobs of one studio (one render at a time)."""

    def __init__(self) -> None:
        self.jobs: dict[str, PreviewJob] = {}  # by episode name (9:16) or ``name@shape``
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="preview")
        self.stopping = threading.Event()

    def state(self, info: EpisodeInfo, shape: str = DEFAULT_SHAPE) -> dict[str, Any]:
        """What the page shows of ``shape``'s preview: done (with the file's address), idle, running with
        progress, or the error. ``shape`` is one of ``info.shapes``."""
        job = self.jobs.get(job_name(info.name, shape))
        preview = info.preview_of(shape)
        if preview is not None and preview.is_file() and (job is None or job.path == preview):
            # versioned by the preview file itself (its name, or its time for the batch's OUT/<name>.preview.mp4):
            # the page swaps the video exactly when that file changes
            query = "" if shape == DEFAULT_SHAPE else f"shape={shape}&"
            url = f"/episodes/{info.name}/preview.mp4?{query}v={preview.stem[:12]}-{preview.stat().st_mtime_ns}"
            return {"state": "done", "fraction": 1.0, "url": url, "shape": shape}
        if job is None or job.path != preview:
            return {"state": "idle", "fraction": 0.0, "shape": shape}
        return {"state": job.state, "fraction": round(job.fraction, 3), "error": job.error, "shape": shape}

    def start(self, info: EpisodeInfo, shape: str = DEFAULT_SHAPE) -> None:
        """Render ``shape``'s preview unless it exists or is being rendered."""
        preview = info.preview_of(shape)
        if info.episode is None or preview is None or preview.is_file():
            return
        with self.lock:
            job = self.jobs.get(job_name(info.name, shape))
            if job is not None and job.path == preview and job.state == "running":
                return
            job = PreviewJob("running", 0.0, "", preview)
            self.jobs[job_name(info.name, shape)] = job
        self.pool.submit(render_preview, job, info.episode, preview, self.stopping, shape)

    def rendering(self, name: str, shape: str, preview: Path) -> bool:
        """Whether this studio is rendering episode ``name``'s ``shape`` preview to ``preview`` now."""
        job = self.jobs.get(job_name(name, shape))
        return job is not None and job.path == preview and job.state == "running"

    def shutdown(self) -> None:
        """Stop a running render (ffmpeg terminated, no file left) and wait for the worker."""
        self.stopping.set()
        self.pool.shutdown(wait=True, cancel_futures=True)


def job_name(name: str, shape: str) -> str:
    """A preview job's key: the episode's name for 9:16 (as before shapes), ``name@shape`` for another shape."""
    return name if shape == DEFAULT_SHAPE else f"{name}@{shape}"


def render_preview(job: PreviewJob, episode: Episode, out: Path, stopping: threading.Event,
                   shape: str = DEFAULT_SHAPE) -> None:
    """Render ``episode`` at the batch's preview profile in picture shape ``shape`` (laid out for that frame),
    captions burned in as the kit styles them, updating ``job`` (no loudness pass, sidecars or report: the
    review looks at the picture and the captions)."""

    def progress(p: Progress) -> None:
        if stopping.is_set():
            raise PreviewCancelled
        job.fraction = float(p.fraction or 0.0)

    options = RenderOptions(profile=preview_profile().for_shape(shape), loudness=False, sidecars=False, report=False)
    try:
        render(episode, out, progress=progress, options=options)
        job.state, job.fraction = "done", 1.0
    except Exception as exc:  # shown on the page; the server keeps running
        job.state, job.error = "error", brief(exc)

"""Preview renders: one at a time in a worker thread, keyed by content, stopped with the server."""

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
        self.jobs: dict[str, PreviewJob] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="preview")
        self.stopping = threading.Event()

    def state(self, info: EpisodeInfo) -> dict[str, Any]:
        """What the page shows: done (with the file's address), idle, running with progress, or the error."""
        job = self.jobs.get(info.name)
        preview = info.preview
        if preview is not None and preview.is_file() and (job is None or job.path == preview):
            # versioned by the preview file itself (its name, or its time for the batch's OUT/<name>.preview.mp4):
            # the page swaps the video exactly when that file changes
            url = f"/episodes/{info.name}/preview.mp4?v={preview.stem[:12]}-{preview.stat().st_mtime_ns}"
            return {"state": "done", "fraction": 1.0, "url": url}
        if job is None or job.path != info.preview:
            return {"state": "idle", "fraction": 0.0}
        return {"state": job.state, "fraction": round(job.fraction, 3), "error": job.error}

    def start(self, info: EpisodeInfo) -> None:
        """Render the preview unless it exists or is being rendered."""
        if info.episode is None or info.preview is None or info.preview.is_file():
            return
        with self.lock:
            job = self.jobs.get(info.name)
            if job is not None and job.path == info.preview and job.state == "running":
                return
            job = PreviewJob("running", 0.0, "", info.preview)
            self.jobs[info.name] = job
        self.pool.submit(render_preview, job, info.episode, info.preview, self.stopping)

    def shutdown(self) -> None:
        """Stop a running render (ffmpeg terminated, no file left) and wait for the worker."""
        self.stopping.set()
        self.pool.shutdown(wait=True, cancel_futures=True)


def render_preview(job: PreviewJob, episode: Episode, out: Path, stopping: threading.Event) -> None:
    """Render ``episode`` at the batch's preview profile, captions burned in as the kit styles them, updating
    ``job`` (no loudness pass, sidecars or report: the review looks at the picture and the captions)."""

    def progress(p: Progress) -> None:
        if stopping.is_set():
            raise PreviewCancelled
        job.fraction = float(p.fraction or 0.0)

    options = RenderOptions(profile=preview_profile(), loudness=False, sidecars=False, report=False)
    try:
        render(episode, out, progress=progress, options=options)
        job.state, job.fraction = "done", 1.0
    except Exception as exc:  # shown on the page; the server keeps running
        job.state, job.error = "error", brief(exc)

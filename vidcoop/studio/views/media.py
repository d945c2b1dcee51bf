"""Media under ``/media/``: only the files the week uses, by type, never hidden ones.

A file is served when it is a picture, video, audio or caption file that one of the
week's episodes is made of (its sources, overlays, music, caption file), that lies
in the week's output folder, or that is footage the Rohschnitt view may cut from
(:func:`vidcoop.studio.roughcut.footage_files`). ``..``, absolute paths, symlinks leading out, dotfiles
and anything inside hidden folders are refused (404), so a week kept in a home folder
does not expose ``.ssh/`` or anything else that happens to sit beside it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from vidcoop.outputs import episode_inputs
from vidcoop.studio.roughcut import footage_files
from vidcoop.studio.state import Studio
from vidcoop.studio.views.base import studio_of

MEDIA_SUFFIXES = frozenset(
    {".mp4", ".mov", ".m4v", ".webm", ".mkv",  # video
     ".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus",  # audio
     ".png", ".jpg", ".jpeg", ".webp",  # pictures
     ".srt", ".vtt"}  # captions
)


async def media(request: Request) -> Response:
    studio = studio_of(request)
    path = await run_in_threadpool(week_media_path, studio, request.path_params["path"])
    if path is None:
        return PlainTextResponse("not found", status_code=404)
    if request.query_params.get("play") == "copy":  # footage the Rohschnitt view plays from its playback copy
        job = studio.sources.get(path)
        if job is None or job.play is None or job.play == path:
            return PlainTextResponse("no playback copy", status_code=404)
        return FileResponse(job.play, media_type="video/webm")
    return FileResponse(path)


def week_media_path(studio: Studio, raw: str) -> Path | None:
    """The media file ``raw`` names, if the week uses it (see the module's docstring), else None."""
    if any(part.startswith(".") for part in PurePosixPath(raw).parts):
        return None
    roots = studio.roots()
    path = safe_media_path(raw, roots)
    if path is None or path.suffix.lower() not in MEDIA_SUFFIXES or _hidden(path, roots):
        return None
    output = roots[-1]
    if path.is_relative_to(output) or path in _inputs(studio):
        return path
    return path if any(f.path == path for f in footage_files(studio.week(fresh=False))) else None  # Rohschnitt


def _inputs(studio: Studio) -> set[Path]:
    view = studio.week(fresh=False)
    found: set[Path] = set()
    for info in view.items:
        if info.episode is not None:
            found.update(item.path.resolve() for item in episode_inputs(info.episode))
    return found


def _hidden(path: Path, roots: list[Path]) -> bool:
    """True when ``path`` (resolved) is a dotfile or lies in a hidden folder below its root."""
    for root in roots:
        if path.is_relative_to(root):
            return any(part.startswith(".") for part in path.relative_to(root).parts)
    return True


def safe_media_path(raw: str, roots: list[Path]) -> Path | None:
    """The file ``raw`` names inside one of ``roots``, or None (traversal, absolute, symlink out, missing)."""
    if not raw or "\\" in raw or "\x00" in raw or raw.startswith("/"):
        return None
    parts = PurePosixPath(raw).parts
    if any(p in ("..", ".", "") for p in parts) or "%" in raw:
        return None
    for root in roots:
        candidate = root.joinpath(*parts)
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    return None

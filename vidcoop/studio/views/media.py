"""Media under ``/media/``: only from the week's folder tree and its output folder.

``..``, absolute paths and symlinks leading out are refused (404).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from vidcoop.studio.views.base import studio_of


async def media(request: Request) -> Response:
    path = safe_media_path(request.path_params["path"], studio_of(request).roots())
    if path is None:
        return PlainTextResponse("not found", status_code=404)
    return FileResponse(path)


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

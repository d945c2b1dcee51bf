"""Find the ffmpeg binary, lazily.

Order: an explicit path given to :func:`set_ffmpeg`, then ``VIDCOOP_FFMPEG``,
then the static binary that imageio-ffmpeg ships. A system ffmpeg is never
required. The binary is looked up on first use, never at import time.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from vidcoop.errors import RenderError

_override: str | None = None


def set_ffmpeg(path: str | os.PathLike[str] | None) -> None:
    """Point vidcoop at a specific ffmpeg binary (``None`` restores the default)."""
    global _override
    _override = os.fspath(path) if path is not None else None
    ffmpeg_exe.cache_clear()


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The absolute path of the ffmpeg binary vidcoop runs."""
    chosen = _override or os.environ.get("VIDCOOP_FFMPEG")
    if chosen:
        resolved = shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
        if not resolved:
            raise RenderError(
                f"ffmpeg not found at {chosen!r}",
                hint="VIDCOOP_FFMPEG must name an executable ffmpeg binary",
            )
        return resolved
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise RenderError("imageio-ffmpeg is not installed", hint="pip install imageio-ffmpeg") from exc
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise RenderError(f"imageio-ffmpeg has no ffmpeg binary: {exc}", hint="set VIDCOOP_FFMPEG") from exc

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
    """The absolute path of the ffmpeg binary vidcoop runs.

    Raises:
        RenderError: the chosen binary does not exist or cannot be executed (naming ``VIDCOOP_FFMPEG``).
    """
    chosen = _override or os.environ.get("VIDCOOP_FFMPEG")
    if chosen:
        resolved = shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
        if not resolved:
            raise RenderError(f"{ffmpeg_setting()}: no such program", hint=ffmpeg_hint())
        if not os.access(resolved, os.X_OK):
            raise RenderError(f"{ffmpeg_setting()}: the file is not executable", hint=ffmpeg_hint())
        return resolved
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise RenderError("imageio-ffmpeg is not installed", hint="pip install imageio-ffmpeg") from exc
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise RenderError(f"imageio-ffmpeg has no ffmpeg binary: {exc}", hint="set VIDCOOP_FFMPEG") from exc


def ffmpeg_setting() -> str:
    """Where the ffmpeg binary comes from, for messages: ``VIDCOOP_FFMPEG=/usr/bin/x`` and the like."""
    if _override:
        return f"the ffmpeg given to set_ffmpeg() ({_override})"
    chosen = os.environ.get("VIDCOOP_FFMPEG")
    if chosen:
        return f"VIDCOOP_FFMPEG={chosen}"
    return "imageio-ffmpeg's ffmpeg"


def ffmpeg_hint() -> str:
    """What to do when the chosen ffmpeg is not a working ffmpeg."""
    if _override:
        return "give set_ffmpeg() an ffmpeg binary, or None for the one imageio-ffmpeg ships"
    if os.environ.get("VIDCOOP_FFMPEG"):
        return "VIDCOOP_FFMPEG must name an ffmpeg binary; unset it to use the one imageio-ffmpeg ships"
    return "reinstall imageio-ffmpeg, or set VIDCOOP_FFMPEG to an ffmpeg binary"

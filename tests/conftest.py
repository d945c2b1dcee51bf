"""Shared fixtures: test media generated with ffmpeg's lavfi sources.

Nothing big is committed: clips are made once per test session in a temp
folder, at small sizes and lengths so the suite stays fast on 2 cores.
Speech clips (made with espeak-ng) are the exception; they live in
``tests/media/`` with the script that made them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from vidcoop.media.runner import run_ffmpeg

MEDIA_DIR = Path(__file__).parent / "media"

MakeMedia = Callable[..., Path]


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def make_media(media_dir: Path) -> MakeMedia:
    """Build a clip from lavfi sources once per session and return its path.

    Args (of the returned function):
        name: File name inside the session media folder (its suffix picks the container).
        video: A lavfi video source, e.g. ``testsrc2=s=640x360:r=30:d=3``; None for audio-only.
        audio: A lavfi audio source, e.g. ``sine=f=440:r=44100:d=3``; None for no audio.
        extra: More output arguments (codecs, metadata).
    """
    made: dict[str, Path] = {}

    def _make(name: str, video: str | None = None, audio: str | None = None, extra: tuple[str, ...] = ()) -> Path:
        if name in made:
            return made[name]
        out = media_dir / name
        args: list[str] = []
        if video:
            args += ["-f", "lavfi", "-i", video]
        if audio:
            args += ["-f", "lavfi", "-i", audio]
        if out.suffix.lower() in (".mp4", ".mov", ".mkv") and video:
            args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        if audio and out.suffix.lower() in (".mp4", ".mov"):
            args += ["-c:a", "aac"]
        if video and audio:
            args += ["-shortest"]
        if out.suffix.lower() in (".png", ".jpg", ".jpeg"):
            args += ["-frames:v", "1", "-update", "1"]
        args += [*extra, str(out)]
        run_ffmpeg(["-loglevel", "error", *args], what=f"making test media {name}")
        made[name] = out
        return out

    return _make


@pytest.fixture(scope="session")
def landscape_clip(make_media: MakeMedia) -> Path:
    """3 s of 640x360 at 30 fps with a 440 Hz tone."""
    return make_media("landscape.mp4", "testsrc2=s=640x360:r=30:d=3", "sine=f=440:r=44100:d=3")


@pytest.fixture(scope="session")
def red_blue_clip(make_media: MakeMedia) -> Path:
    """2 s of 640x360 whose left half is pure red and right half pure blue, no audio."""
    return make_media(
        "redblue.mp4",
        "color=c=red:s=320x360:r=30:d=2[l];color=c=blue:s=320x360:r=30:d=2[r];[l][r]hstack[out0]",
    )


@pytest.fixture(scope="session")
def still_png(make_media: MakeMedia) -> Path:
    """A 400x400 PNG still (green)."""
    return make_media("still.png", "color=c=green:s=400x400:d=1")

"""Shared fixtures: test media generated with ffmpeg's lavfi sources.

Nothing big is committed: clips are made once per test session in a temp
folder, at small sizes and lengths so the suite stays fast on 2 cores.
Speech clips (made with espeak-ng) are the exception; they live in
``tests/media/`` with the script that made them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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


@pytest.fixture
def no_ffmpeg(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if ffmpeg starts, guarded where it would start (vidcoop.media.runner)."""
    import vidcoop.media.runner as runner

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"ffmpeg must not start here: {args[0] if args else ''}")

    monkeypatch.setattr(runner.subprocess, "Popen", boom)


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


# --- fault tests: process trees and small disks ---------------------------------------------------


@pytest.fixture(scope="session")
def model_cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One vidcoop cache root per session (captions and rough-cut tests share it), so the offline model is
    assembled and a source transcribed once, not per test."""
    return tmp_path_factory.mktemp("vidcoop-cache")


@pytest.fixture
def isolated_cache(monkeypatch: pytest.MonkeyPatch, model_cache_root: Path) -> Path:
    """Point vidcoop's user cache at the session's temp folder; no network for the hub."""
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(model_cache_root))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("VIDCOOP_ALLOW_DOWNLOAD", raising=False)
    return model_cache_root


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, read from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants_of(pid: int) -> set[int]:
    """Every process below ``pid`` right now (Linux /proc)."""
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def process_tree() -> Any:
    """Helpers for kill tests: ``descendants(pid)`` and ``running(pid)`` (skips where there is no /proc)."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs Linux /proc to follow child processes")
    import types

    return types.SimpleNamespace(descendants=descendants_of, running=running)


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    """A factory for a small tmpfs (``small_disk(kib, read_only=False)``); unmounted after the test.

    Skips with the reason when the test does not run as root or the mount fails.
    """
    import os
    import subprocess

    mounted: list[Path] = []

    def mount(kib: int, *, read_only: bool = False) -> Path:
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("a full or read-only disk needs a tmpfs mount, which needs root")
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        options = f"size={kib}k" + (",ro" if read_only else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)

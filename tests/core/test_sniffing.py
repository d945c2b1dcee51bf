"""A file is what its content says, and a name that lies is refused in the check (issue #31, 15)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from vidcoop.errors import MediaError
from vidcoop.media.image import image_size
from vidcoop.timeline.model import Episode, Segment


def _plan(episode: Episode) -> None:
    from vidcoop.engine.plan import plan_episode

    plan_episode(episode, "preview")


def _webp(path: Path, frames: int) -> Path:
    from PIL import Image

    pictures = [Image.new("RGB", (320, 320), colour) for colour in ("red", "green", "blue")[:frames]]
    pictures[0].save(path, save_all=frames > 1, append_images=pictures[1:], duration=200, loop=0)
    return path


def test_a_video_named_png_is_refused_as_a_picture(tmp_path: Path, landscape_clip: Path) -> None:
    lies = shutil.copyfile(landscape_clip, tmp_path / "lies.png")
    with pytest.raises(MediaError, match=r"named \.png but holds video \(mov, h264\)") as info:
        _plan(Episode([Segment(lies, duration=2, field="segments.0")]))
    assert info.value.field == "segments.0.source" and info.value.path == str(lies)
    assert "corrupt" not in info.value.message


def test_sound_named_jpg_is_refused_as_a_picture(tmp_path: Path, make_media: Callable[..., Path]) -> None:
    tone = shutil.copyfile(make_media("tone.wav", audio="sine=f=440:r=16000:d=1"), tmp_path / "tone.jpg")
    with pytest.raises(MediaError, match=r"named \.jpg but holds audio"):
        _plan(Episode([Segment(tone, duration=1, field="segments.0")]))


def test_animated_webp_is_refused_by_name_not_as_corrupt_media(tmp_path: Path) -> None:
    animated = _webp(tmp_path / "moving.webp", frames=3)
    with pytest.raises(MediaError, match="animated WebP is not supported") as info:
        _plan(Episode([Segment(animated, duration=1, field="segments.0")]))
    assert info.value.field == "segments.0.source" and "corrupt" not in str(info.value)
    with pytest.raises(MediaError, match="animated WebP is not supported") as overlay:
        image_size(animated, "overlays.0.image")
    assert overlay.value.field == "overlays.0.image"


def test_honest_pictures_and_clips_still_pass(tmp_path: Path, landscape_clip: Path, still_png: Path) -> None:
    still_webp = _webp(tmp_path / "still.webp", frames=1)
    assert image_size(still_webp) == (320, 320)
    _plan(Episode([Segment(still_webp, duration=1), Segment(still_png, duration=1),
                   Segment(landscape_clip, end=2)]))

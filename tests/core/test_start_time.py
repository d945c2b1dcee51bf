"""Sources whose timestamps start at 10 s (MPEG-TS): PyAV reads agree with ffmpeg's -ss (issue #9)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from vidcoop.media.probing import probe


@pytest.fixture(scope="module")
def ts_clip(make_media) -> Path:
    """3 s: red until 1.5 s then blue; a tone only between 1 s and 2 s; timestamps start at 10 s."""
    return make_media(
        "start10.ts",
        "color=c=red:s=64x64:r=25:d=3,drawbox=x=0:y=0:w=64:h=64:color=blue:t=fill:enable='gte(t,1.5)'",
        "aevalsrc=0.5*sin(2*PI*440*t)*between(t\\,1\\,2):s=48000:d=3",
        extra=(
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-output_ts_offset",
            "10",
        ),
    )


def test_the_clip_really_starts_at_10s(ts_clip: Path) -> None:
    import av

    with av.open(str(ts_clip)) as container:
        assert container.start_time / 1_000_000 >= 10  # the muxer adds its own delay on top


def test_audio_decode_counts_from_the_file_start(ts_clip: Path) -> None:
    from vidcoop.media.audio import decode_audio

    def rms(a: Fraction, b: Fraction) -> float:
        samples = decode_audio(ts_clip, a, b)
        assert samples is not None and len(samples) == pytest.approx(float(b - a) * 16000, abs=2)
        return float(np.sqrt(np.mean(samples**2)))

    assert rms(Fraction(11, 10), Fraction(19, 10)) > 0.2  # the tone
    assert rms(Fraction(0), Fraction(9, 10)) < 0.02
    assert rms(Fraction(21, 10), Fraction(29, 10)) < 0.02


def test_probe_and_cover_frames_agree_with_ffmpeg_ss(ts_clip: Path, tmp_path: Path) -> None:
    from vidcoop.cover.frames import decode_frames
    from vidcoop.media.runner import run_ffmpeg

    info = probe(ts_clip, check_until=Fraction(29, 10))  # no "truncated" for a time inside the file
    assert info.duration is not None and info.duration == pytest.approx(3, abs=0.2)
    early, late = decode_frames(ts_clip, [Fraction(1), Fraction(2)])
    assert early.image.getpixel((32, 32))[0] > 150  # red
    assert late.image.getpixel((32, 32))[2] > 150  # blue
    frame = tmp_path / "f.png"
    run_ffmpeg(["-loglevel", "error", "-ss", "2", "-i", str(ts_clip), "-frames:v", "1", str(frame)])
    from PIL import Image

    with Image.open(frame) as img:
        assert img.convert("RGB").getpixel((32, 32))[2] > 150  # ffmpeg's -ss 2 shows blue as well

"""moviepy interop: a user's clip becomes a cached, lossless source file.

moviepy is not on the render path: its per-frame Python loop is several times
slower than one ffmpeg graph. But a producer may build a custom animation in
moviepy; such a clip is rendered once to FFV1 + PCM in Matroska, keyed by its
content (size, rate, duration, sampled frames and its audio), and then used
like any other source. A second render of an unchanged clip reuses the file.
"""

from __future__ import annotations

import hashlib
import wave
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.engine.options import AUDIO_RATE
from vidcoop.engine.profiles import Profile
from vidcoop.errors import MediaError
from vidcoop.files import atomic_path, cache_dir
from vidcoop.media.runner import run_ffmpeg
from vidcoop.timeline.model import ClipSource

_SAMPLES = 24


def clip_key(clip: Any, fps: Fraction) -> str:
    """A content hash of a moviepy clip: geometry, length, sampled frames and audio."""
    import numpy as np

    duration = float(clip.duration or 0)
    digest = hashlib.sha256()
    digest.update(repr((tuple(clip.size), str(fps), round(duration, 6))).encode())
    for k in range(_SAMPLES):
        t = duration * k / _SAMPLES
        digest.update(np.ascontiguousarray(clip.get_frame(t), dtype=np.uint8).tobytes())
    if clip.audio is not None:
        sound = clip.audio.to_soundarray(fps=8000)
        digest.update(np.round(np.asarray(sound, dtype=np.float32), 4).tobytes())
    return digest.hexdigest()[:32]


def materialise_clip(source: ClipSource, profile: Profile) -> Path:
    """Render a moviepy clip to a lossless intermediate once; return its path."""
    clip: Any = source.clip  # moviepy has no types
    if not hasattr(clip, "get_frame") or not getattr(clip, "duration", None):
        raise MediaError("a moviepy clip source needs a finite duration", path=source.name)
    fps = Fraction(clip.fps).limit_denominator(1001) if getattr(clip, "fps", None) else profile.fps
    key = clip_key(clip, fps)
    target = cache_dir("clips") / f"{key}.mkv"
    if target.is_file():
        return target
    width, height = (int(v) for v in clip.size)
    with atomic_path(target) as tmp:
        args = ["-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
                "-r", str(fps), "-i", "pipe:0"]
        wav = None
        if clip.audio is not None:
            wav = tmp.with_suffix(".wav")
            _write_wav(clip.audio, wav, float(clip.duration))
            args += ["-i", str(wav)]
        args += ["-c:v", "ffv1", "-pix_fmt", "yuv444p"]
        args += ["-c:a", "pcm_s16le"] if wav else []
        args += ["-t", str(float(clip.duration)), "-f", "matroska", str(tmp)]
        try:
            run_ffmpeg(args, feed=_frames(clip, fps), what=f"rendering moviepy clip {source.name}",
                       discard_on_stop=True)
        finally:
            if wav is not None:
                wav.unlink(missing_ok=True)
    return target


def _frames(clip: Any, fps: Fraction) -> Iterator[bytes]:
    import numpy as np

    for frame in clip.iter_frames(fps=float(fps), dtype="uint8"):
        yield np.ascontiguousarray(frame[:, :, :3]).tobytes()


def _write_wav(audio: Any, path: Path, duration: float) -> None:
    import numpy as np

    sound = np.asarray(audio.to_soundarray(fps=AUDIO_RATE), dtype=np.float64)
    if sound.ndim == 1:
        sound = sound[:, None]
    if sound.shape[1] == 1:
        sound = np.repeat(sound, 2, axis=1)
    pcm = (np.clip(sound[:, :2], -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(AUDIO_RATE)
        out.writeframes(pcm.tobytes())

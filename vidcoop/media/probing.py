"""Probe media files with PyAV (the bundled ffmpeg has no ffprobe).

:func:`probe` opens a file, reads its streams, and decodes the first video
frame, which both finds the display rotation (phone footage) and proves the
file can be decoded. ``check_until`` additionally decodes near a given time,
so a truncated file is caught before a long render starts rather than in it.

The content decides what a file is, and a name that says otherwise is refused:
a video named ``.png`` would pass as a clip here and fail where a picture is
expected. Animated WebP (which ffmpeg cannot decode) is named as such before
anything tries to decode it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import MediaError, brief

_STILL_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "gif"}
_STILL_CODECS = {"png", "mjpeg", "webp", "bmp", "tiff", "gif"}
_STILL_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


@dataclass(frozen=True)
class VideoInfo:
    """The first video stream: stored size, rotation and frame rate."""

    width: int
    height: int
    rotation: int
    fps: Fraction | None
    codec: str
    pix_fmt: str | None
    variable_frame_rate: bool = False

    @property
    def display_width(self) -> int:
        """Width as shown, after the rotation in the file's display matrix."""
        return self.height if self.rotation % 180 else self.width

    @property
    def display_height(self) -> int:
        """Height as shown, after rotation."""
        return self.width if self.rotation % 180 else self.height


@dataclass(frozen=True)
class AudioInfo:
    """One audio stream."""

    sample_rate: int
    channels: int
    codec: str


@dataclass(frozen=True)
class MediaInfo:
    """What vidcoop needs to know about a source before compiling a graph."""

    path: Path
    format_name: str
    duration: Fraction | None
    video: VideoInfo | None
    audio: tuple[AudioInfo, ...]
    is_still: bool
    size_bytes: int

    @property
    def has_audio(self) -> bool:
        return bool(self.audio)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``vidcoop probe --json``."""
        video = None
        if self.video:
            v = self.video
            video = {
                "width": v.width,
                "height": v.height,
                "display_width": v.display_width,
                "display_height": v.display_height,
                "rotation": v.rotation,
                "fps": float(v.fps) if v.fps else None,
                "fps_exact": str(v.fps) if v.fps else None,
                "variable_frame_rate": v.variable_frame_rate,
                "codec": v.codec,
                "pix_fmt": v.pix_fmt,
            }
        return {
            "path": str(self.path),
            "format": self.format_name,
            "duration": float(self.duration) if self.duration is not None else None,
            "is_still": self.is_still,
            "size_bytes": self.size_bytes,
            "video": video,
            "audio": [{"sample_rate": a.sample_rate, "channels": a.channels, "codec": a.codec} for a in self.audio],
        }


# (path, modification time, size) -> (info, the time it was proved to decode to): one render probes
# a source several times (planning, level matching, tighten, the kit logo), a batch many episodes
# from the same sources; a changed file has a new key.
_PROBED: dict[tuple[str, int, int], tuple[MediaInfo, Fraction | None]] = {}
_PROBED_MAX = 512


def file_url(path: str | os.PathLike[str]) -> str:
    """A file name ffmpeg and PyAV cannot mistake for a protocol (``c:o:l.mp4``, ``http:x.mp4``)."""
    return "file:" + str(Path(path).absolute())


def start_offset(container: Any) -> Fraction:
    """Where a container's time 0 lies in its timestamps (MPEG-TS and camcorder files rarely start at 0).

    ffmpeg's input ``-ss`` counts from this point, so every seek and frame
    time vidcoop reads through PyAV is taken relative to it, too.
    """
    start = getattr(container, "start_time", None)
    return Fraction(start, 1_000_000) if start else Fraction(0)  # AV_TIME_BASE


def probe(path: str | os.PathLike[str], *, check_until: Fraction | None = None) -> MediaInfo:
    """Read a media file's streams and prove it decodes (once per file version and process).

    Args:
        path: The file.
        check_until: If given, also decode a frame shortly before this time,
            so a file cut short is reported now rather than mid-render.

    Raises:
        MediaError: the file is missing, not media, corrupt or truncated.
    """
    import av  # lazy: PyAV loads ffmpeg's libraries

    p = Path(path)
    if not p.exists():
        raise MediaError("file not found", path=p)
    if not p.is_file():
        raise MediaError("not a file", path=p)
    stat = p.stat()
    size = stat.st_size
    if size == 0:
        raise MediaError("file is empty", path=p)
    if _animated_webp(p):
        raise MediaError("animated WebP is not supported", path=p,
                         hint="convert it to PNG for a picture, or to MP4 for a clip")
    key = (str(p.absolute()), stat.st_mtime_ns, size)
    known = _PROBED.get(key)
    if known is not None and (check_until is None or (known[1] is not None and known[1] >= check_until)):
        return known[0] if known[0].path == p else replace(known[0], path=p)
    try:
        container = av.open(file_url(p), mode="r", options={"probesize": "20000000"})
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(f"not a readable media file ({brief(exc)})", path=p) from exc
    try:
        info = _read(container, p, size, check_until)
    except av.error.FFmpegError as exc:
        raise MediaError(f"corrupt media: cannot decode ({brief(exc)})", path=p) from exc
    finally:
        container.close()
    if len(_PROBED) >= _PROBED_MAX:
        _PROBED.pop(next(iter(_PROBED)))
    _PROBED[key] = (info, check_until)
    return info


def _read(container: Any, p: Path, size: int, check_until: Fraction | None) -> MediaInfo:
    fmt = container.format.name.split(",")[0]
    duration = Fraction(container.duration, 1_000_000) if container.duration else None
    audio = tuple(
        AudioInfo(
            sample_rate=int(s.codec_context.sample_rate or 0),
            channels=int(s.codec_context.channels or 0),
            codec=s.codec_context.name,
        )
        for s in container.streams.audio
    )
    video = None
    is_still = False
    if container.streams.video:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        is_still = fmt in _STILL_FORMATS or (codec in _STILL_CODECS and p.suffix.lower() in _STILL_SUFFIXES)
        first = _first_frame(container, stream, p)
        rate = stream.average_rate or stream.guessed_rate
        base = stream.base_rate
        fps = Fraction(rate) if rate else None
        vfr = bool(fps and base and abs(Fraction(base) - fps) > Fraction(1, 100))
        video = VideoInfo(
            width=int(first.width),
            height=int(first.height),
            rotation=int(getattr(first, "rotation", 0) or 0) % 360,
            fps=None if is_still else fps,
            codec=codec,
            pix_fmt=stream.codec_context.pix_fmt,
            variable_frame_rate=vfr and not is_still,
        )
        # Past the container's duration is the caller's error to name; inside it, the data must be there.
        if check_until is not None and not is_still and (duration is None or check_until <= duration):
            _check_decodes_at(container, stream, p, check_until)
    elif not audio:
        raise MediaError("no video or audio streams", path=p)
    if not is_still and p.suffix.lower() in _STILL_SUFFIXES | {".gif"}:
        what = f"video ({fmt}, {video.codec})" if video else f"audio ({fmt})"
        raise MediaError(f"named {p.suffix} but holds {what}, not a picture", path=p,
                         hint="give it the right extension (.mp4, .mov, ...) and use it as source:")
    if is_still:
        duration = None
    return MediaInfo(
        path=p, format_name=fmt, duration=duration, video=video, audio=audio, is_still=is_still, size_bytes=size
    )


def _animated_webp(p: Path) -> bool:
    """True for a WebP whose extended header sets the animation flag (RIFF....WEBPVP8X, flags bit 1)."""
    try:
        with p.open("rb") as f:
            head = f.read(21)
    except OSError:
        return False  # av.open names the problem
    return len(head) == 21 and head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8X" and bool(head[20] & 0x02)


def _first_frame(container: Any, stream: Any, p: Path) -> Any:
    for frame in container.decode(stream):
        return frame
    raise MediaError("corrupt media: the video stream has no decodable frame", path=p)


def _check_decodes_at(container: Any, stream: Any, p: Path, t: Fraction) -> None:
    """Seek a little before ``t`` and decode up to it; fail if the data stops early."""
    target = max(Fraction(0), t - Fraction(1, 2))
    if stream.time_base is None:  # pragma: no cover - streams always have one in practice
        return
    origin = start_offset(container)
    reached = None
    # Some containers (MPEG-TS without an index) can land past the last keyframe before the target;
    # then decode from the start instead, which always finds the data if it is there.
    for seek_to in (target, Fraction(0)):
        container.seek(int((seek_to + origin) / Fraction(stream.time_base)), stream=stream, backward=True,
                       any_frame=False)
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            reached = Fraction(frame.time).limit_denominator(1_000_000) - origin
            if reached >= target:
                return
        if reached is not None:
            break
    if reached is None:
        raise MediaError(f"truncated media: no video data found near {float(t):.2f}s", path=p)
    raise MediaError(f"truncated media: video data ends near {float(reached):.2f}s, before {float(t):.2f}s", path=p)


"""A copy of footage the browser can play, for the studio's ``<video>`` (the Rohschnitt view).

Chromium plays H.264, VP8, VP9 and AV1 video with AAC, MP3, Opus, Vorbis or FLAC sound in MP4, MOV
or WebM. Phones record HEVC ("High Efficiency" on an iPhone), cameras ProRes or DNxHD: such a file
would leave the player black, and the editor with a transcript it cannot hear or see. For those the
studio plays a playback copy instead: VP9 in WebM with the short side at most 540 px, a keyframe every
half second (so a click on a word seeks at once), Opus sound, the same length and times. VP9 and Opus,
not H.264 and AAC, because every browser plays them, Debian's chromium too (it has no H.264 decoder).
It is made once per file content, in vidcoop's cache, and only ever played: renders read the original.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from vidcoop.files import atomic_path, cache_root, remembered_sha256
from vidcoop.media.probing import MediaInfo, probe
from vidcoop.media.runner import run_ffmpeg

PLAYABLE_VIDEO = frozenset({"h264", "vp8", "vp9", "av1"})
PLAYABLE_AUDIO = frozenset({"aac", "mp3", "opus", "vorbis", "flac"})
PLAYABLE_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm"})
#: The playback copy's short side, at most (px).
SHORT_SIDE = 540
#: Version of how copies are made: a change makes new ones.
_VERSION = 1


def browser_plays(info: MediaInfo) -> bool:
    """Whether the studio's browser plays the file as it is (see the module notes)."""
    if info.video is None or info.is_still:
        return True  # nothing to show; sound alone is read from the original
    return (info.path.suffix.lower() in PLAYABLE_SUFFIXES and info.video.codec in PLAYABLE_VIDEO
            and all(a.codec in PLAYABLE_AUDIO for a in info.audio)
            and (info.video.pix_fmt or "yuv420p") in ("yuv420p", "yuvj420p"))


def playback_path(path: Path) -> Path:
    """Where the playback copy of ``path`` is kept (by content), whether or not it is made yet."""
    return cache_root() / "playback" / f"{remembered_sha256(path)}-v{_VERSION}.webm"


def playable(path: Path) -> Path:
    """``path`` when the browser plays it, else its playback copy (made now when missing).

    Raises:
        MediaError: the file cannot be read as media.
        RenderError: ffmpeg could not make the copy.
    """
    info = probe(path)
    if browser_plays(info):
        return path
    target = playback_path(path)
    if target.is_file():
        return target
    assert info.video is not None
    w, h = info.video.display_width, info.video.display_height
    scale = min(1.0, SHORT_SIDE / min(w, h))
    size = f"{max(2, round(w * scale / 2) * 2)}:{max(2, round(h * scale / 2) * 2)}"
    fps = info.video.fps or Fraction(25)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        run_ffmpeg(["-i", str(path), "-map", "0:v:0", "-map", "0:a:0?", "-vf", f"scale={size},format=yuv420p",
                    "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1",
                    "-b:v", "0", "-crf", "36", "-g", str(max(1, round(fps / 2))),
                    "-c:a", "libopus", "-b:a", "96k", str(tmp)],
                   total=info.duration, what=f"playback copy of {path.name}", discard_on_stop=True)
    return target

"""Every partner asset of a channel, known by content: the index the partner rule matches against.

When a channel is checked, each partner's logo, bumper image or video (a few
sampled frames) and generated bumper card is indexed by its exact content
hash (SHA-256) and its perceptual :class:`~vidcoop.channel.fingerprint.Fingerprint`.
Every picture an episode uses is then looked up: the same bytes match at once;
otherwise a picture matches when it *looks like* an asset within
:data:`~vidcoop.channel.fingerprint.MAX_DISTANCE` bits.

Fingerprints are cached by file content: in memory for the process (keyed by
path, size and modification time, so an unchanged file is not read again) and
on disk under vidcoop's cache folder (keyed by the file's SHA-256), so checking
a week twice costs almost nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.channel.bumpers import partner_bumper
from vidcoop.channel.fingerprint import (
    DARK_BACKGROUND,
    MAX_DISTANCE,
    Fingerprint,
    fingerprint,
    fingerprint_array,
    has_alpha,
)
from vidcoop.files import cache_dir, file_sha256

#: Bump when the fingerprint changes, so old cache entries are not used.
FINGERPRINT_VERSION = 3
#: Frames sampled from a video, at these fractions of its length.
VIDEO_SAMPLES = (0.1, 0.35, 0.6, 0.85)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff")


@dataclass(frozen=True)
class PartnerAsset:
    """One indexed partner picture.

    Attributes:
        partner: The partner's id.
        role: ``logo``, ``bumper image`` (``bumper image (1:1)`` for another shape's), ``bumper video`` or
            ``generated bumper``.
        path: The file.
        sha256: Its content hash.
        prints: Its fingerprints (one for an image, a few sampled frames for a video).
    """

    partner: str
    role: str
    path: Path
    sha256: str
    prints: tuple[Fingerprint, ...]


@dataclass(frozen=True)
class MediaMatch:
    """A picture that shows a partner's asset.

    Attributes:
        partner: The partner it belongs to.
        asset: The asset it matched.
        distance: 0 for the same bytes or the same look; higher = less alike.
        exact: The file's bytes are the asset's bytes.
    """

    partner: str
    asset: PartnerAsset
    distance: int
    exact: bool

    def describe(self) -> str:
        how = "is" if self.exact else "looks like"
        return f"{how} the {self.asset.role} of partner {self.partner!r} ({self.asset.path.name})"


@dataclass(frozen=True)
class PartnerMedia:
    """The index of a channel's partner assets."""

    assets: tuple[PartnerAsset, ...]
    max_distance: int = MAX_DISTANCE

    def match_prints(self, prints: Iterable[Fingerprint], sha256: str | None = None) -> MediaMatch | None:
        """The closest asset within the threshold, or None."""
        if sha256 is not None:
            for asset in self.assets:
                if asset.sha256 == sha256:
                    return MediaMatch(asset.partner, asset, 0, True)
        best: MediaMatch | None = None
        for fp in prints:
            for asset in self.assets:
                for ref in asset.prints:
                    d = fp.distance(ref)
                    if d <= self.max_distance and (best is None or d < best.distance):
                        best = MediaMatch(asset.partner, asset, d, False)
        return best

    def match_file(self, path: str | Path, window: tuple[Fraction, Fraction] | None = None) -> MediaMatch | None:
        """Does this image or video show a partner asset? (A file that cannot be read: None.)

        Args:
            path: The file.
            window: For a video, the part in use (``in``, ``out`` in seconds); frames are sampled there.
        """
        sha, prints = file_prints(path, window)
        return self.match_prints(prints, sha)

    def match_clip(self, clip: Any) -> MediaMatch | None:
        """Does a moviepy clip show a partner asset? A few frames are sampled."""
        return self.match_prints(clip_prints(clip))


# ---- fingerprints of files, cached by content ----------------------------------------------------

_MEMO: dict[tuple[str, int, int, Any], tuple[str, tuple[Fingerprint, ...]]] = {}


def file_prints(
    path: str | Path, window: tuple[Fraction, Fraction] | None = None
) -> tuple[str, tuple[Fingerprint, ...]]:
    """``(sha256, fingerprints)`` of an image (one) or a video (sampled frames); ``("", ())`` if unreadable."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return "", ()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns, window)
    if key not in _MEMO:
        _MEMO[key] = _file_prints(p, window)
    return _MEMO[key]


def _file_prints(path: Path, window: tuple[Fraction, Fraction] | None) -> tuple[str, tuple[Fingerprint, ...]]:
    try:
        sha = file_sha256(path)
    except OSError:
        return "", ()
    tag = "" if window is None else f"-{float(window[0]):.3f}-{float(window[1]):.3f}"
    cached = cache_dir("fingerprints") / f"v{FINGERPRINT_VERSION}-{sha}{tag}.json"
    try:
        return sha, tuple(Fingerprint.from_hex(h) for h in json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    prints = _read_prints(path, window)
    if prints:
        from vidcoop.files import atomic_write_text

        atomic_write_text(cached, json.dumps([fp.to_hex() for fp in prints]))
    return sha, prints


def _read_prints(path: Path, window: tuple[Fraction, Fraction] | None) -> tuple[Fingerprint, ...]:
    from PIL import Image, UnidentifiedImageError

    if path.suffix.lower() in IMAGE_SUFFIXES:
        try:
            with Image.open(path) as img:
                if has_alpha(img):  # a transparent picture may end up over white or over black
                    return fingerprint(img), fingerprint(img, DARK_BACKGROUND)
                return (fingerprint(img),)
        except (OSError, UnidentifiedImageError, ValueError):
            return ()
    return _video_prints(path, window)


def _video_prints(path: Path, window: tuple[Fraction, Fraction] | None) -> tuple[Fingerprint, ...]:
    """Fingerprints of a few frames of a video, decoded in-process with PyAV."""
    import av

    prints: list[Fingerprint] = []
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return ()
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            if window is not None:
                start, end = float(window[0]), float(window[1])
            else:
                length = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else None
                if length is None and container.duration:
                    length = container.duration / 1_000_000
                start, end = 0.0, length or 0.0
            for fraction in VIDEO_SAMPLES:
                frame = _frame_at(container, stream, start + (end - start) * fraction)
                if frame is not None:
                    # scaled down while converting: the hashes need 64x64, trimming a few hundred pixels
                    scale = min(1.0, 384 / max(frame.width, frame.height))
                    small = frame.reformat(
                        width=max(1, round(frame.width * scale)),
                        height=max(1, round(frame.height * scale)),
                        format="rgb24",
                    )
                    prints.append(fingerprint(small.to_image()))
    except (av.error.FFmpegError, OSError, ValueError):
        return tuple(prints)
    return tuple(prints)


#: At most this many frames are decoded after a seek to reach a sample time (long GOPs stay cheap).
MAX_DECODE = 8


def _frame_at(container: Any, stream: Any, seconds: float) -> Any:
    if stream.time_base is not None:
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True, any_frame=False)
    frame = None
    for n, frame in enumerate(container.decode(stream)):
        if frame.time is None or frame.time >= seconds - 0.02 or n >= MAX_DECODE:
            return frame
    return frame


def clip_prints(clip: Any) -> tuple[Fingerprint, ...]:
    """Fingerprints of a few frames of a moviepy clip (``get_frame``; its mask, if any, as alpha)."""
    import numpy as np

    duration = float(getattr(clip, "duration", 0) or 0)
    mask = getattr(clip, "mask", None)
    prints = []
    for f in VIDEO_SAMPLES:
        frame = np.asarray(clip.get_frame(duration * f))
        if mask is not None and frame.ndim == 3 and frame.shape[2] == 3:
            alpha = np.clip(np.asarray(mask.get_frame(duration * f), dtype=np.float64) * 255, 0, 255)
            frame = np.dstack([frame.astype(np.uint8), alpha.astype(np.uint8)])
        prints.append(fingerprint_array(frame))
    return tuple(prints)


# ---- the channel's index -------------------------------------------------------------------------

_INDEXES: dict[Any, PartnerMedia] = {}


def partner_media(channel: Any) -> PartnerMedia:
    """The index of ``channel``'s partner assets (logos, bumpers, generated bumper cards).

    Built once per process for an unchanged channel (its file, its kit and every
    partner file unchanged); each file's fingerprints are cached by content.
    """
    files = [channel.path, channel.kit_path]
    for partner in channel.partners.values():
        files += [p for p in (partner.logo, partner.bumper.video, partner.bumper.image) if p is not None]
        files += [p for _, p in partner.bumper.images]
    key = tuple((str(f), *_stat(f)) for f in files)
    if key not in _INDEXES:
        _INDEXES[key] = _build_index(channel)
    return _INDEXES[key]


def _build_index(channel: Any) -> PartnerMedia:
    built = []
    for pid, partner in sorted(channel.partners.items()):
        assets: list[tuple[str, Path]] = [("logo", partner.logo)]
        bumper = partner.bumper
        if bumper.video is not None:
            assets.append(("bumper video", bumper.video))
        elif bumper.image is not None:
            assets.append(("bumper image", bumper.image))
            assets += [(f"bumper image ({shape})", p) for shape, p in bumper.images]
        else:
            assets.append(("generated bumper", partner_bumper(channel, pid).source))
        for role, path in assets:
            sha, prints = file_prints(path)
            built.append(PartnerAsset(pid, role, Path(path), sha, prints))
    return PartnerMedia(tuple(built))


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = Path(path).stat()
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns

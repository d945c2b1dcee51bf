"""The platforms a channel publishes on, and the limits a post must keep there.

One registry (:data:`PLATFORMS`); adding a platform is one :class:`Platform` and one line. Each limit
names its source, because platforms change them and a reviewer must be able to check them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Platform:
    """What one platform accepts.

    Attributes:
        name: Registry id (``tiktok``), as ``platforms:`` in channel.yaml names it.
        title: Human name.
        title_max: Longest title in characters; None when the platform has no separate title
            (TikTok and Instagram show the description only).
        description_max: Longest description (caption text), hashtags included: characters, or UTF-8 bytes
            where ``description_bytes`` is set (YouTube counts bytes).
        hashtags_max: Most hashtags in one post; None = no documented maximum.
        video_max: Longest video the platform takes for this kind of post, in seconds.
        sources: Where the limits come from (checked 2026-11).
    """

    name: str
    title: str
    title_max: int | None
    description_max: int
    hashtags_max: int | None
    video_max: Fraction
    sources: tuple[str, ...]
    description_bytes: bool = False


PLATFORMS: dict[str, Platform] = {
    "tiktok": Platform(
        "tiktok", "TikTok", title_max=None, description_max=4000, hashtags_max=None, video_max=Fraction(600),
        sources=("TikTok newsroom: captions up to 4,000 characters (2023)",
                 "TikTok Help Center 'Uploading videos': up to 10 minutes in the app"),
    ),
    "instagram": Platform(
        "instagram", "Instagram Reels", title_max=None, description_max=2200, hashtags_max=30,
        video_max=Fraction(180),
        sources=("Instagram Help Center: captions up to 2,200 characters and 30 hashtags",
                 "Instagram @creators (2025): Reels up to 3 minutes"),
    ),
    "youtube": Platform(
        "youtube", "YouTube Shorts", title_max=100, description_max=5000, hashtags_max=None,
        video_max=Fraction(180),
        sources=("YouTube Data API videos resource: snippet.title at most 100 characters, "
                 "snippet.description at most 5,000 bytes",
                 "YouTube Help 'Upload YouTube Shorts': up to 3 minutes (since 15 Oct 2024)"),
        description_bytes=True,
    ),
}

DEFAULT_PLATFORMS = ("tiktok", "instagram", "youtube")


def get_platform(name: str) -> Platform:
    """A platform by id.

    Raises:
        KeyError: naming the known platforms (callers turn it into a ManifestError with their field).
    """
    try:
        return PLATFORMS[name]
    except KeyError:
        raise KeyError(f"unknown platform {name!r} (known: {', '.join(sorted(PLATFORMS))})") from None

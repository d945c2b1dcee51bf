"""The platforms a channel publishes on, and the limits a post must keep there.

One registry (:data:`PLATFORMS`); adding a platform is one :class:`Platform` and one line. Each limit
names its source, because platforms change them and a reviewer must be able to check them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from vidcoop.shapes import DEFAULT_SHAPE, SHAPES


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
        video_max: Longest video the platform takes for this kind of post, in seconds; None where the
            platform sets none (PeerTube and Mastodon leave it to each server, which limits the file).
        file_max: Largest video file in bytes, where the platform limits the file rather than the length
            (Mastodon: each server sets its own; the value is ``file_max_where``'s). A bigger file is said
            in the post package, not refused: another server may take it.
        file_max_where: Whose limit ``file_max`` is (``mastodon.social``).
        video_max_shapes: Another longest video for a picture shape posted as another kind of post
            (YouTube: a 16:9 video is a regular video, not a Short): ``(shape, seconds)`` pairs.
        sources: Where the limits come from (TikTok, Instagram, YouTube checked 2026-11; LinkedIn, Facebook,
            PeerTube and Mastodon 2026-12, from stored copies of their pages).
        links_clickable: A web address in the description is a link people can tap. On all three
            platforms here it is not (YouTube stopped it for Shorts descriptions on 31 Aug 2023), so
            posts name the address and point to the profile's link, in the platform's own words.
        profile_link: Where the platform's one clickable link is, as a post says it (German).
        shapes: The picture shapes (:data:`vidcoop.shapes.SHAPES`) the platform takes, its usual one
            first: ``renditions:`` in channel.yaml picks among them, and without it the first is rendered.
    """

    name: str
    title: str
    title_max: int | None
    description_max: int
    hashtags_max: int | None
    video_max: Fraction | None
    sources: tuple[str, ...]
    description_bytes: bool = False
    links_clickable: bool = False
    profile_link: str = "Link in Bio"
    shapes: tuple[str, ...] = (DEFAULT_SHAPE,)
    video_max_shapes: tuple[tuple[str, Fraction], ...] = ()
    file_max: int | None = None
    file_max_where: str = ""

    def video_max_for(self, shape: str) -> Fraction | None:
        """The longest video of picture shape ``shape`` the platform takes."""
        return dict(self.video_max_shapes).get(shape, self.video_max)

    def __post_init__(self) -> None:
        unknown = [s for s in (*self.shapes, *dict(self.video_max_shapes)) if s not in SHAPES]
        if unknown or not self.shapes:
            raise ValueError(f"platform {self.name!r}: unknown or no picture shapes {unknown}")


PLATFORMS: dict[str, Platform] = {
    "tiktok": Platform(
        "tiktok", "TikTok", title_max=None, description_max=4000, hashtags_max=None, video_max=Fraction(600),
        sources=("TikTok newsroom: captions up to 4,000 characters (2023)",
                 "TikTok Help Center 'Uploading videos': up to 10 minutes in the app",
                 "TikTok Help Center 'Adding a link to your bio': the profile's website link"),
    ),
    "instagram": Platform(
        "instagram", "Instagram Reels", title_max=None, description_max=2200, hashtags_max=30,
        video_max=Fraction(180),
        sources=("Instagram Help Center: captions up to 2,200 characters and 30 hashtags",
                 "Instagram @creators (2025): Reels up to 3 minutes",
                 "Instagram Help Center: links in captions are not clickable; links go in the bio",
                 "Instagram Help Center 'Sizes for feed posts': the feed takes 4:5 (1080x1350) and 1:1 "
                 "(1080x1080) video beside 9:16 Reels"),
        shapes=("9:16", "4:5", "1:1"),
    ),
    "youtube": Platform(
        "youtube", "YouTube Shorts", title_max=100, description_max=5000, hashtags_max=None,
        video_max=Fraction(180),
        sources=("YouTube Data API videos resource: snippet.title at most 100 characters, "
                 "snippet.description at most 5,000 bytes",
                 "YouTube Help 'Upload YouTube Shorts': up to 3 minutes (since 15 Oct 2024)",
                 "YouTube Help 'External links policy' (Aug 2023): links in Shorts descriptions and comments "
                 "are not clickable; clickable links sit on the channel profile",
                 "YouTube Help 'Recommended upload encoding settings': 16:9 for a regular (long-form) video; "
                 "a vertical video is a Short only up to 3 minutes",
                 "YouTube Help 'Upload videos longer than 15 minutes': a regular video may run 15 minutes, "
                 "longer (up to 12 hours) only from a verified account; 15 minutes is kept for any account"),
        description_bytes=True, profile_link="Link im Kanalprofil", shapes=("9:16", "16:9"),
        video_max_shapes=(("16:9", Fraction(15 * 60)),),
    ),
    "linkedin": Platform(
        "linkedin", "LinkedIn", title_max=None, description_max=3000, hashtags_max=None, video_max=Fraction(600),
        sources=("LinkedIn Help 'Share videos on LinkedIn': a post's text up to 3,000 characters; video 3 s to "
                 "10 minutes, up to 5 GB, aspect ratios from 1:2.4 to 2.4:1",
                 "LinkedIn Help: web addresses in a post are links people can click"),
        links_clickable=True, shapes=("1:1", "4:5", "16:9", "9:16"),
    ),
    "facebook": Platform(
        "facebook", "Facebook", title_max=None, description_max=63206, hashtags_max=None,
        video_max=Fraction(240 * 60),
        sources=("Facebook Help: a post's text up to 63,206 characters",
                 "Meta Business Help Center 'Facebook Feed video specs': 4:5 and 1:1 recommended (16:9 and "
                 "9:16 taken), up to 240 minutes",
                 "Facebook Help: web addresses in a feed post are links people can click"),
        links_clickable=True, shapes=("4:5", "1:1", "16:9", "9:16"),
    ),
    "peertube": Platform(
        "peertube", "PeerTube", title_max=120, description_max=10000, hashtags_max=5, video_max=None,
        sources=("PeerTube REST API 'VideoUploadRequestCommon': name 3 to 120 characters, at most 5 tags",
                 "PeerTube server: 'Video description cannot be more than 10000 characters long'",
                 "PeerTube admin docs: each server sets its users' video quota; the length is not limited",
                 "PeerTube renders the description as Markdown: web addresses are links"),
        links_clickable=True, shapes=("16:9", "9:16"),
    ),
    "mastodon": Platform(
        "mastodon", "Mastodon", title_max=None, description_max=500, hashtags_max=None, video_max=None,
        sources=("Mastodon server configuration (GET /api/v2/instance, configuration.statuses.max_characters): "
                 "500 characters on mastodon.social and by default; other servers set their own",
                 "mastodon.social GET /api/v2/instance, configuration.media_attachments.video_size_limit: "
                 "103,809,024 bytes (99 MiB); the length is not limited",
                 "Mastodon shows any picture shape in the timeline; web addresses in a post are links"),
        links_clickable=True, shapes=("4:5", "9:16", "1:1", "16:9"), file_max=103_809_024,
        file_max_where="mastodon.social",
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

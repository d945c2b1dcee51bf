"""Partner bumpers as the renderer needs them: a file and, for stills, a duration."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from vidcoop.channel.config import Channel
from vidcoop.files import cache_dir, stable_hash


@dataclass(frozen=True)
class BumperMedia:
    """What to put in a partner's bumper segment.

    Attributes:
        source: A video file, or a still image (1080x1920).
        duration: The still's length; None for a video (its own length, or in/out points).
        partner: The partner's id.
    """

    source: Path
    duration: Fraction | None
    partner: str

    @property
    def is_still(self) -> bool:
        return self.duration is not None


def partner_bumper(channel: Channel, partner_id: str, out_dir: str | Path | None = None) -> BumperMedia:
    """The partner's bumper: its video, its still, or a still generated from its logo.

    Generated stills (the logo on the channel kit's neutral frame) are cached
    by content in ``out_dir`` (default: vidcoop's cache folder), so the same
    logo and kit are drawn once.

    Raises:
        ManifestError: for an unknown partner id.
    """
    partner = channel.partner(partner_id)
    bumper = partner.bumper
    if bumper.video is not None:
        return BumperMedia(bumper.video, None, partner_id)
    assert bumper.duration is not None  # the schema gives stills a duration
    if bumper.image is not None:
        return BumperMedia(bumper.image, bumper.duration, partner_id)
    from vidcoop.brand.cards import render_partner_bumper
    from vidcoop.files import file_sha256

    kit = channel.kit()
    key = stable_hash("partner-bumper", 1, file_sha256(partner.logo), file_sha256(kit.path), partner.name)[:16]
    folder = Path(out_dir) if out_dir is not None else cache_dir("bumpers")
    target = folder / f"{partner_id}-{key}.png"
    if not target.is_file():
        render_partner_bumper(kit, partner.logo, target, name=partner.name)
    return BumperMedia(target, bumper.duration, partner_id)

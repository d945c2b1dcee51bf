"""Partner bumpers as the renderer needs them: a file and, for stills, a duration."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from vidcoop.brand.cards import render_partner_bumper
from vidcoop.brand.legibility import LogoLegibility
from vidcoop.brand.partner_logos import partner_logo_legibility
from vidcoop.channel.config import Channel
from vidcoop.files import cache_dir, file_sha256, stable_hash
from vidcoop.shapes import DEFAULT_SHAPE, get_shape
from vidcoop.timeline.model import SHAPE_STILLS, Episode


@dataclass(frozen=True)
class BumperMedia:
    """What to put in a partner's bumper segment.

    Attributes:
        source: A video file, or a still image (1080x1920, or the frame of the shape it was drawn for).
        duration: The still's length; None for a video (its own length, or in/out points).
        partner: The partner's id.
    """

    source: Path
    duration: Fraction | None
    partner: str

    @property
    def is_still(self) -> bool:
        return self.duration is not None


def partner_bumper(channel: Channel, partner_id: str, out_dir: str | Path | None = None,
                   shape: str | None = None) -> BumperMedia:
    """The partner's bumper: its video, its still, or a still generated from its logo.

    Generated stills (the logo on the channel kit's neutral frame, on the kit's plate when it
    would be below WCAG's 3:1 non-text contrast there) are cached
    by content in ``out_dir`` (default: vidcoop's cache folder), so the same
    logo and kit are drawn once; with ``shape`` (not 9:16) the generated still is drawn for that
    picture shape's frame and safe zone (its own file). A partner's own still is its ``images:`` file for
    ``shape`` where it has one (laid out for that frame by the partner), else its 9:16 ``image:``; its own
    video is the same in every shape.

    Raises:
        ManifestError: for an unknown partner id.
    """
    partner = channel.partner(partner_id)
    bumper = partner.bumper
    if bumper.video is not None:
        return BumperMedia(bumper.video, None, partner_id)
    assert bumper.duration is not None  # the schema gives stills a duration
    if bumper.image is not None:
        return BumperMedia(bumper.image_for(shape) or bumper.image, bumper.duration, partner_id)

    kit = channel.kit()
    # 2: a logo below 3:1 against the frame gets the kit's plate (vidcoop.brand.legibility)
    own = shape if shape is not None and shape != DEFAULT_SHAPE else None
    key = stable_hash("partner-bumper", 2, file_sha256(partner.logo), file_sha256(kit.path), partner.name,
                      *([own] if own else []))[:16]
    folder = Path(out_dir) if out_dir is not None else cache_dir("bumpers")
    target = folder / (f"{partner_id}-{key}.{get_shape(own).slug}.png" if own else f"{partner_id}-{key}.png")
    if not target.is_file():
        render_partner_bumper(kit, partner.logo, target, name=partner.name, shape=own)
    return BumperMedia(target, bumper.duration, partner_id)


def with_partner_stills(episode: Episode, channel: Channel) -> Episode:
    """The episode with each partner's own still for other shapes (``bumper.images``) recorded as the shape's
    still (``SHAPE_STILLS``) of every bumper segment that shows that partner's ``image:``, so a hand-written
    manifest shows it as the job board does; a segment's own ``images:`` in the manifest stay first."""
    found = episode.extra.get(SHAPE_STILLS)
    stills: dict[str, dict[str, str]] = {k: dict(v) for k, v in found.items()} if isinstance(found, dict) else {}
    changed = False
    for seg in episode.segments:
        partner = channel.partners.get(seg.partner or "") if seg.kind == "bumper" else None
        if partner is None or not partner.bumper.images or not isinstance(seg.source, Path):
            continue
        if seg.source.resolve() != partner.bumper.image:
            continue
        own = stills.setdefault(str(seg.source), {})
        for shape, path in partner.bumper.images:
            if shape not in own:
                own[shape] = str(path)
                changed = True
    return replace(episode, extra={**episode.extra, SHAPE_STILLS: stills}) if changed else episode


def logo_legibility(channel: Channel, partner_id: str) -> tuple[LogoLegibility, ...]:
    """The partner's logo measured on every background vidcoop places it on (bumper, card, link page).

    The bumper is measured only when vidcoop generates it from the logo. Measured once per
    process for an unchanged logo and kit.

    Raises:
        ManifestError: for an unknown partner id.
    """
    partner = channel.partner(partner_id)
    generated = partner.bumper.kind == "generated"
    key = (file_sha256(partner.logo), file_sha256(channel.kit_path), partner.name, generated)
    if key not in _LEGIBILITY:
        _LEGIBILITY[key] = partner_logo_legibility(channel.kit(), partner.logo, name=partner.name, bumper=generated)
    return _LEGIBILITY[key]


_LEGIBILITY: dict[tuple[str, str, str, bool], tuple[LogoLegibility, ...]] = {}


"""The partner-slot rule, checked before anything is rendered.

The channel is neutral: a partner organisation may appear only in a format
with partner slots, only as often, as long and where those slots allow, and
a partner's logo only while that partner's own bumper or job card is on
screen. Partner pictures are recognised by content, not only by their labels
(:mod:`vidcoop.channel.partner_media`). :func:`check_episode` starts no
ffmpeg and probes nothing (it reads pictures to fingerprint them): the caller
passes probed source lengths as ``durations`` when a bumper is a video
without in/out points. It raises :class:`~vidcoop.errors.PolicyError` with a
stable ``rule`` id at the first broken rule, or returns a
:class:`PolicyReport` listing the checks that passed and the warnings.

Rules (ids as in ``PolicyError.rule``):

==========================  =====================================================
``unknown-format``          the episode names a format the channel lacks
``unknown-partner``         a segment or overlay names a partner not in the registry
``unlabelled-partner-media`` a picture shows a partner's logo or bumper (found by content,
                            :mod:`vidcoop.channel.partner_media`) outside a slot format, or
                            in a slot format without that partner's label
``no-partner-slots``        partner content in a format without partner slots
``partner-in-text``         a text on screen (title, lower third, overlay or segment label, kit
                            card) names a partner in a format without partner slots
                            (:mod:`vidcoop.channel.names`; ``allow_partner_names: [lower_thirds]``
                            lets a format name a speaker's organisation in lower thirds)
``partner-in-post-text``    the format's post texts (templates filled with the title, hashtags)
                            name a partner in a format without partner slots
``bumper-without-partner``  a bumper segment names no partner
``partner-segment-kind``    a partner on a segment that is not a bumper or card
``too-many-bumpers``        more bumpers than the format has slots
``slot-position``           a bumper where the format has no slot
``slot-full``               more bumpers at one slot position than it takes
``bumper-too-long``         a bumper longer than its slot allows
``partner-logo-outside-slot`` a partner overlay outside that partner's bumper/card
``safe-zone``               an overlay leaves the safe zone (error only when strict)
``caption-area``            an overlay covers the caption area (a warning only)
``too-long``                the episode runs longer than the format allows
``partner-logo-contrast``   a partner logo the episode shows stays below WCAG's 3:1 non-text
                            contrast on a background it is placed on, even on its plate (a
                            warning; below 3:1 on the bumper the kit's plate goes behind it, noted)
``partner-bumper-shape``    a partner's own still bumper has no still of its own (``bumper.images``)
                            for a picture shape the episode is rendered in: its 9:16 still is
                            fitted there and its logo shown smaller (a warning, with the scale)
``unknown-length``          a needed length is unknown (pass ``durations``)
==========================  =====================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from vidcoop.brand.safezone import SafeZone
from vidcoop.channel.checks import Check, ImageSizes, PolicyWarning
from vidcoop.channel.config import Channel, Format, FormatStructure
from vidcoop.channel.partner_media import PartnerMedia
from vidcoop.channel.rules import (
    overlay_boxes,
    rule_bumper_count,
    rule_bumper_length,
    rule_bumper_shapes,
    rule_caption_area,
    rule_known_partners,
    rule_max_length,
    rule_partner_logos,
    rule_partner_media,
    rule_partner_overlays,
    rule_partner_slots,
    rule_partner_texts,
    rule_safe_zone,
    rule_segment_kinds,
    rule_slot_positions,
    rule_structure,
)
from vidcoop.channel.spans import Durations
from vidcoop.errors import PolicyError
from vidcoop.timeline.model import Episode


@dataclass(frozen=True)
class PolicyReport:
    """The outcome of a passed policy check, for the audit report.

    Attributes:
        episode: The episode's name or manifest path.
        format: The format it was checked against.
        passed: Ids of the rules that were checked and held.
        warnings: Things that held only loosely (safe zone when not strict, ...).
        notes: What vidcoop did so a rule holds (a plate behind a partner logo, ...).
    """

    episode: str | None
    format: str | None
    strict: bool
    passed: tuple[str, ...]
    warnings: tuple[PolicyWarning, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "episode": self.episode,
            "format": self.format,
            "strict": self.strict,
            "passed": list(self.passed),
            "warnings": [{"rule": w.rule, "message": w.message, "field": w.field} for w in self.warnings],
            "notes": list(self.notes),
        }



_NO_FORMAT = Format(name="", title="(no format)", structure=FormatStructure(intro=False, outro=False),
                    caption_style="subtitle", max_length=Fraction(600))


def check_episode(
    episode: Episode,
    channel: Channel,
    *,
    strict: bool = False,
    durations: Durations | None = None,
    image_sizes: ImageSizes | None = None,
    safe_zone: SafeZone | None = None,
    media: PartnerMedia | None = None,
) -> PolicyReport:
    """Check ``episode`` against the channel's rules; raise at the first broken one.

    Args:
        episode: The episode to check (nothing is rendered or probed).
        channel: The loaded channel config.
        strict: Treat overlays outside the safe zone as errors, not warnings.
        durations: Probed source lengths (``{path: seconds}`` or ``segment -> seconds``)
            for video segments without in/out points.
        image_sizes: Overlay image sizes (``{path: (w, h)}`` or a callable);
            default reads each image's header.
        safe_zone: A :class:`~vidcoop.brand.safezone.SafeZone`; default: the
            channel kit's profile.
        media: The channel's :class:`~vidcoop.channel.partner_media.PartnerMedia`
            index; default: built from the channel (cached by content). Every
            image, video and clip of the episode is matched against it.

    Raises:
        PolicyError: with ``episode``, ``format``, ``rule`` and the segment/overlay ``field``.
    """
    if episode.format is None:
        fmt = _NO_FORMAT
    elif episode.format in channel.formats:
        fmt = channel.formats[episode.format]
    else:
        known = ", ".join(sorted(channel.formats))
        raise PolicyError(
            f"format {episode.format!r} is not defined in channel {channel.name!r} (known: {known})",
            episode=episode.name or (str(episode.manifest) if episode.manifest else None),
            format=episode.format, rule="unknown-format", path=episode.manifest, field="format",
        )
    c = Check(episode, channel, fmt, strict, durations, image_sizes, media)
    if episode.format is None:
        c.warn("unknown-format", "episode names no format; checked as a format without partner slots", "format")
    else:
        c.passed.append("format-known")
    rule_known_partners(c)
    rule_partner_slots(c)
    rule_partner_media(c)
    rule_segment_kinds(c)
    rule_bumper_count(c)
    placed = rule_slot_positions(c)
    rule_bumper_length(c, placed)
    rule_partner_overlays(c)
    kit = channel.kit()
    rule_partner_texts(c, kit)
    rule_partner_logos(c)
    rule_bumper_shapes(c)
    boxes = overlay_boxes(c)
    rule_safe_zone(c, safe_zone if safe_zone is not None else kit.safe_zone, boxes)
    rule_caption_area(c, kit, boxes)
    rule_max_length(c)
    rule_structure(c)
    return PolicyReport(c.name, fmt.name or None, strict, tuple(c.passed), tuple(c.warnings), tuple(c.notes))

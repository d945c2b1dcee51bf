"""Channel config, formats, partners, the partner-slot policy, audit reports and rotation.

Data flows: ``load_channel`` → ``check_episode`` (before rendering) →
``write_report`` (after rendering) → ``rotation`` / ``sum_reports`` (weekly).
"""

from vidcoop.channel.bumpers import BumperMedia, partner_bumper
from vidcoop.channel.checks import PolicyWarning
from vidcoop.channel.config import (
    Channel,
    ChannelCache,
    Format,
    FormatStructure,
    Partner,
    PartnerBumper,
    PartnerSlot,
    load_channel,
)
from vidcoop.channel.policy import PolicyReport, check_episode
from vidcoop.channel.report import (
    CaptionSource,
    PartnerTotal,
    ReportInputs,
    build_report,
    load_reports,
    partner_totals,
    write_report,
)
from vidcoop.channel.rotation import rotation
from vidcoop.channel.schema import SLOT_POSITIONS
from vidcoop.channel.spans import Span, segment_length, segment_spans

__all__ = [
    "SLOT_POSITIONS",
    "BumperMedia",
    "CaptionSource",
    "Channel",
    "ChannelCache",
    "Format",
    "FormatStructure",
    "Partner",
    "PartnerBumper",
    "PartnerSlot",
    "PartnerTotal",
    "PolicyReport",
    "PolicyWarning",
    "ReportInputs",
    "Span",
    "build_report",
    "check_episode",
    "load_channel",
    "load_reports",
    "partner_bumper",
    "partner_totals",
    "rotation",
    "segment_length",
    "segment_spans",
    "write_report",
]

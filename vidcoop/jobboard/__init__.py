"""The partner job board: job listings in, validated jobs, cards and episodes out.

    table = vidcoop.jobboard.load("jobs.csv")                  # CSV / YAML / JSON
    report = vidcoop.jobboard.validate(table, "channel.yaml", "2026-W48")
    print(report.text())                                         # every row accounted for
    parts = vidcoop.jobboard.build_episode(report, "channel.yaml", "2026-W48")

Heavy libraries (Pillow, qrcode) load only when a card is measured or drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidcoop._lazy import lazy_exports

if TYPE_CHECKING:  # real types for mypy and pyright; at run time the names load lazily
    from vidcoop.jobboard.board import BoardChannel as BoardChannel
    from vidcoop.jobboard.board import Opener as Opener
    from vidcoop.jobboard.board import PartnerInfo as PartnerInfo
    from vidcoop.jobboard.board import Slot as Slot
    from vidcoop.jobboard.board import board_channel as board_channel
    from vidcoop.jobboard.cache import CardFile as CardFile
    from vidcoop.jobboard.cache import render_cards as render_cards
    from vidcoop.jobboard.card import draw_card as draw_card
    from vidcoop.jobboard.cues import card_cues as card_cues
    from vidcoop.jobboard.cues import write_cues as write_cues
    from vidcoop.jobboard.episode import build_episode as build_episode
    from vidcoop.jobboard.model import Contact as Contact
    from vidcoop.jobboard.model import Job as Job
    from vidcoop.jobboard.model import JobRowIssue as JobRowIssue
    from vidcoop.jobboard.model import ValidationReport as ValidationReport
    from vidcoop.jobboard.parts import BoardOptions as BoardOptions
    from vidcoop.jobboard.reader import JobTable as JobTable
    from vidcoop.jobboard.reader import RawRow as RawRow
    from vidcoop.jobboard.reader import load as load
    from vidcoop.jobboard.templates import TEMPLATES as TEMPLATES
    from vidcoop.jobboard.templates import CardTemplate as CardTemplate
    from vidcoop.jobboard.templates import TextBox as TextBox
    from vidcoop.jobboard.templates import get_template as get_template
    from vidcoop.jobboard.templates import template_from_dict as template_from_dict
    from vidcoop.jobboard.validation import validate as validate
    from vidcoop.jobboard.week import Week as Week
    from vidcoop.jobboard.week import parse_week as parse_week


_EXPORTS: dict[str, str] = {
    "load": "vidcoop.jobboard.reader",
    "JobTable": "vidcoop.jobboard.reader",
    "RawRow": "vidcoop.jobboard.reader",
    "validate": "vidcoop.jobboard.validation",
    "Job": "vidcoop.jobboard.model",
    "Contact": "vidcoop.jobboard.model",
    "JobRowIssue": "vidcoop.jobboard.model",
    "ValidationReport": "vidcoop.jobboard.model",
    "BoardChannel": "vidcoop.jobboard.board",
    "PartnerInfo": "vidcoop.jobboard.board",
    "Slot": "vidcoop.jobboard.board",
    "Opener": "vidcoop.jobboard.board",
    "board_channel": "vidcoop.jobboard.board",
    "CardTemplate": "vidcoop.jobboard.templates",
    "TextBox": "vidcoop.jobboard.templates",
    "TEMPLATES": "vidcoop.jobboard.templates",
    "get_template": "vidcoop.jobboard.templates",
    "template_from_dict": "vidcoop.jobboard.templates",
    "draw_card": "vidcoop.jobboard.card",
    "render_cards": "vidcoop.jobboard.cache",
    "CardFile": "vidcoop.jobboard.cache",
    "BoardOptions": "vidcoop.jobboard.parts",
    "build_episode": "vidcoop.jobboard.episode",
    "card_cues": "vidcoop.jobboard.cues",
    "write_cues": "vidcoop.jobboard.cues",
    "Week": "vidcoop.jobboard.week",
    "parse_week": "vidcoop.jobboard.week",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

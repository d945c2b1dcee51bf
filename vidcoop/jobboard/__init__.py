"""The partner job board: job listings in, validated jobs, cards and episodes out.

    table = vidcoop.jobboard.load("jobs.csv")                  # CSV / YAML / JSON
    report = vidcoop.jobboard.validate(table, "channel.yaml", "2026-W48")
    print(report.text())                                         # every row accounted for
    parts = vidcoop.jobboard.build_episode(report, "channel.yaml", "2026-W48")

Heavy libraries (Pillow, qrcode) load only when a card is measured or drawn.
"""

from __future__ import annotations

from vidcoop._lazy import lazy_exports

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
    "BoardOptions": "vidcoop.jobboard.episode",
    "build_episode": "vidcoop.jobboard.episode",
    "card_cues": "vidcoop.jobboard.cues",
    "write_cues": "vidcoop.jobboard.cues",
    "Week": "vidcoop.jobboard.week",
    "parse_week": "vidcoop.jobboard.week",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

"""How captions look: the contract between brand kits and the caption builder.

A brand kit produces a :class:`CaptionStyle` for each caption style
(``social``, ``subtitle``); the cue builder wraps text by the real pixel width
of ``font_file`` so that no line leaves ``max_width``, and the ASS writer
turns the style into an ASS ``[V4+ Styles]`` line. All sizes are design
pixels of a 1080x1920 frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vidcoop.resources import kit_dir


def default_font_file() -> Path:
    """The neutral kit's bold caption font (Atkinson Hyperlegible, OFL)."""
    return kit_dir("neutral") / "fonts" / "AtkinsonHyperlegible-Bold.ttf"


@dataclass(frozen=True)
class CaptionStyle:
    """Visual caption settings, in design pixels (1080x1920).

    Attributes:
        font_file: TTF/OTF file; its family name is what libass is asked for.
        font_size: Nominal size in pixels.
        min_font_size: Smallest size the builder may shrink to for long compounds.
        text_color, outline_color, back_color, highlight_color: ``#rrggbb`` or ``#rrggbbaa``.
        outline: Outline thickness in pixels.
        shadow: Shadow distance in pixels.
        box: Draw an opaque box behind the text (ASS BorderStyle 3) instead of an outline.
        max_width: Widest a line may be, in pixels (the safe zone's width less margins).
        margin_bottom: Distance of the caption block's bottom edge from the frame bottom.
        max_lines: Lines per cue.
        line_spacing: Extra pixels between lines.
        uppercase: Show the social style in capitals.
    """

    font_file: Path
    font_size: int = 64
    min_font_size: int = 44
    text_color: str = "#ffffff"
    outline_color: str = "#000000"
    back_color: str = "#000000b0"
    highlight_color: str = "#ffd400"
    outline: float = 5.0
    shadow: float = 0.0
    box: bool = False
    max_width: int = 840
    margin_bottom: int = 480
    max_lines: int = 2
    line_spacing: int = 8
    uppercase: bool = False


def default_style(style: str = "subtitle") -> CaptionStyle:
    """The neutral default for ``social`` or ``subtitle`` captions."""
    if style == "social":
        return CaptionStyle(font_file=default_font_file(), font_size=84, min_font_size=56, max_lines=2,
                            outline=7.0, margin_bottom=620)
    return CaptionStyle(font_file=default_font_file())

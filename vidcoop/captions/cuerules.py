"""The subtitle rules checked on finished cues (an edited file, or what the builder made): each cue's
violations, for the studio's marks and the audit report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from vidcoop.captions.cues import CueRules
from vidcoop.captions.formats import Cues
from vidcoop.captions.model import Cue
from vidcoop.captions.style import CaptionStyle, default_style
from vidcoop.text.fonts import font_measure


@dataclass(frozen=True)
class RuleReport:
    """How many cues break each caption rule.

    Attributes:
        cues: Number of cues checked.
        line_chars: Cues with a line longer than the character limit.
        pixel_width: Cues with a line wider than ``max_width`` at the smallest allowed size.
        line_count: Cues with more lines than allowed.
        duration: Cues shown shorter than the minimum or longer than the maximum.
        reading_speed: Cues faster than the reading-speed limit.
        overlaps: Cues starting before the previous one ended.
        violating: Cues breaking at least one of these rules.
    """

    cues: int
    line_chars: int = 0
    pixel_width: int = 0
    line_count: int = 0
    duration: int = 0
    reading_speed: int = 0
    overlaps: int = 0
    violating: int = 0

    @property
    def share(self) -> float:
        """Share (0..1) of cues breaking at least one rule."""
        return self.violating / self.cues if self.cues else 0.0

    def as_dict(self) -> dict[str, int]:
        return {
            "cues": self.cues,
            "line_chars": self.line_chars,
            "pixel_width": self.pixel_width,
            "line_count": self.line_count,
            "duration": self.duration,
            "reading_speed": self.reading_speed,
            "overlaps": self.overlaps,
            "violating": self.violating,
        }


def _cue_violations(cue: Cue, prev_end: Fraction | None, style: CaptionStyle, rules: CueRules) -> set[str]:
    broken: set[str] = set()
    shown = [line.upper() if style.uppercase else line for line in cue.lines]
    if any(len(line) > rules.max_chars_per_line for line in cue.lines):
        broken.add("line_chars")
    measure = font_measure(str(style.font_file), style.min_font_size)
    if any(measure.width(line) > style.max_width + 1e-6 for line in shown):
        broken.add("pixel_width")
    if len(cue.lines) > style.max_lines:
        broken.add("line_count")
    length = cue.end - cue.start
    if length < rules.min_duration or length > rules.max_duration:
        broken.add("duration")
    chars = sum(len(line) for line in cue.lines)
    if length <= 0 or Fraction(chars) / length > Fraction(rules.max_cps).limit_denominator(1000):
        broken.add("reading_speed")
    if prev_end is not None and cue.start < prev_end:
        broken.add("overlaps")
    return broken


def check_subtitle_rules(
    cues: Cues | Sequence[Cue],
    style: CaptionStyle | None = None,
    rules: CueRules | None = None,
) -> RuleReport:
    """Count cues that break the subtitle rules (chars, pixels, lines, 1-7 s, 20 cps, overlaps)."""
    style = style or default_style("subtitle")
    rules = rules or CueRules()
    counts = dict.fromkeys(("line_chars", "pixel_width", "line_count", "duration", "reading_speed", "overlaps"), 0)
    items = list(cues)
    prev_end: Fraction | None = None
    violating = 0
    for cue in items:
        broken = _cue_violations(cue, prev_end, style, rules)
        for rule in broken:
            counts[rule] += 1
        violating += bool(broken)
        prev_end = cue.end
    return RuleReport(cues=len(items), violating=violating, **counts)

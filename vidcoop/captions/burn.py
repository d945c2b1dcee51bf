"""The styled ASS file that libass burns into the video.

The renderer adds ``ass=filename=<file>:fontsdir=<fonts_dir_for(style)>`` to
its filter graph. This module writes that file:

* ``PlayResX``/``PlayResY`` are the output size, and every design pixel
  (1080x1920) is scaled by ``width / 1080``.
* The style comes from :class:`~vidcoop.captions.style.CaptionStyle`: the
  family name is read from the font file (so libass finds it in
  ``fontsdir``), colours become ``&HAABBGGRR``, the outline or an opaque box
  (``BorderStyle 3``), bottom-centre alignment with ``MarginV`` from
  ``margin_bottom``. libass wraps nothing (``WrapStyle 2``): the lines are the
  cue's lines.
* ASS ``Fontsize`` is a font's whole line height (as in VSFilter), not its
  em; sizes are converted with :func:`~vidcoop.text.fit.em_per_line_height`
  so the drawn text is as wide as Pillow measured it.
* A cue whose lines are too wide at the nominal size (an edited file, a long
  compound) gets a smaller ``\\fs`` of its own, down to ``min_font_size``;
  below that it is re-wrapped. Text is never cut off.
* Social cues with timed words become one event per word, the spoken word in
  ``highlight_color``.
* ASS has no line spacing: with ``line_spacing`` > 0 each line is its own
  event placed with ``\\an2\\pos`` (libass's line pitch is the ASS font
  size, so the gap is exact; checked by rendering).
* User text is always escaped (:func:`~vidcoop.captions.formats.ass_escape`);
  the only override tags in the file are ours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.captions.cues import StyleSource, resolve_style
from vidcoop.captions.formats import Cues, ass_escape
from vidcoop.captions.model import Cue, Word
from vidcoop.captions.style import CaptionStyle
from vidcoop.color import parse_color
from vidcoop.errors import CaptionError
from vidcoop.files import atomic_write_text
from vidcoop.text.fit import FitOptions, TextDoesNotFit, fit_lines, fit_text
from vidcoop.text.fonts import em_per_line_height, font_family
from vidcoop.timeline.model import DESIGN_WIDTH
from vidcoop.timing import to_ms

STYLE_NAME = "Caption"
_EXTRA_LINES = 4  # lines a too-long edited cue may grow by before it is an error


def fonts_dir_for(style: StyleSource, style_name: str = "subtitle") -> Path:
    """The folder to give libass as ``fontsdir`` for ``style`` (the font file's folder).

    ``style`` may also be a brand kit; then ``style_name``'s caption style is used.
    """
    style = resolve_style(style_name, style)
    folder = Path(style.font_file).parent
    if not Path(style.font_file).is_file():
        raise CaptionError("caption font file not found", path=style.font_file, field="font_file")
    return folder


@dataclass(frozen=True)
class Rgba:
    """A colour as 8-bit red, green, blue and CSS-style opacity (255 = opaque)."""

    r: int
    g: int
    b: int
    a: int = 255

    @classmethod
    def parse(cls, text: str, field: str = "color") -> Rgba:
        """``#rgb``, ``#rrggbb`` or ``#rrggbbaa`` (``aa`` = opacity), read by the one colour parser."""
        try:
            return cls(*parse_color(text))
        except ValueError as exc:
            raise CaptionError(str(exc), field=field) from None

    @property
    def ass_alpha(self) -> int:
        """ASS alpha: 0 is opaque, 255 invisible."""
        return 255 - self.a

    def ass_tag_color(self) -> str:
        """``&HBBGGRR&`` for ``\\1c`` tags."""
        return f"&H{self.b:02X}{self.g:02X}{self.r:02X}&"

    def pysubs2(self) -> Any:
        import pysubs2

        return pysubs2.Color(self.r, self.g, self.b, self.ass_alpha)


def design_scale(width: int, height: int) -> float:
    """Output pixels per design pixel: the short side of every picture shape is ``DESIGN_WIDTH`` (1080)
    design pixels, so a 1920x1080 frame draws captions as large as a 1080x1920 one."""
    return min(width, height) / DESIGN_WIDTH


def ass_font_size(font_file: str | Path, em_px: float) -> float:
    """ASS ``Fontsize`` that draws ``font_file`` with an em of ``em_px`` pixels in libass."""
    return round(em_px / em_per_line_height(font_file), 2)


def _bold(font_file: str | Path) -> bool:
    from PIL import ImageFont

    try:
        face = ImageFont.truetype(str(font_file), 16).getname()[1] or ""
    except OSError as exc:
        raise CaptionError(f"cannot open font: {exc}", path=font_file, field="font_file") from exc
    return "bold" in face.lower() or "black" in face.lower() or "heavy" in face.lower()


def _ass_style(style: CaptionStyle, scale: float, width: int) -> Any:
    import pysubs2

    text = Rgba.parse(style.text_color, "text_color")
    outline = Rgba.parse(style.outline_color, "outline_color")
    back = Rgba.parse(style.back_color, "back_color")
    side = max(0, round((width - style.max_width * scale) / 2))
    if style.box:
        # libass fills an opaque box (BorderStyle 3) with the outline colour; Outline is its padding.
        border_style, border_color, shadow_color = 3, back, back
        border = max(style.outline, style.font_size * 0.15) * scale
    else:
        border_style, border_color, shadow_color = 1, outline, back
        border = style.outline * scale
    return pysubs2.SSAStyle(
        fontname=font_family(style.font_file),
        fontsize=ass_font_size(style.font_file, style.font_size * scale),
        primarycolor=text.pysubs2(),
        secondarycolor=text.pysubs2(),
        outlinecolor=border_color.pysubs2(),
        backcolor=shadow_color.pysubs2(),
        bold=_bold(style.font_file),
        italic=False,
        underline=False,
        strikeout=False,
        scalex=100.0,
        scaley=100.0,
        spacing=0.0,
        angle=0.0,
        borderstyle=border_style,
        outline=round(border, 2),
        shadow=round(style.shadow * scale, 2),
        alignment=pysubs2.Alignment.BOTTOM_CENTER,
        marginl=side,
        marginr=side,
        marginv=round(style.margin_bottom * scale),
        encoding=1,
    )


def _fit_options(style: CaptionStyle) -> FitOptions:
    return FitOptions(
        max_width=style.max_width,
        size=style.font_size,
        min_size=style.min_font_size,
        max_lines=style.max_lines,
        uppercase=style.uppercase,
    )


def _layout(cue: Cue, style: CaptionStyle, index: int) -> tuple[tuple[str, ...], float]:
    """The lines to draw and their design em size: the cue's own lines if they fit."""
    options = _fit_options(style)
    size = fit_lines(cue.lines, style.font_file, options)
    if size is not None:
        return cue.lines, size
    # Too wide even at the minimum size: re-wrap, allowing more lines rather than cutting text.
    first = max(style.max_lines, len(cue.lines))
    for lines_allowed in range(first, first + _EXTRA_LINES + 1):
        try:
            fitted = fit_text(
                " ".join(cue.lines),
                style.font_file,
                replace(options, max_lines=lines_allowed),
                field=f"cues.{index}",
            )
        except TextDoesNotFit:
            if lines_allowed == first + _EXTRA_LINES:
                raise
            continue
        return fitted.lines, fitted.size
    raise AssertionError("unreachable")  # pragma: no cover


def word_spans(lines: Sequence[str], words: Sequence[Word]) -> list[list[tuple[str, int | None]]] | None:
    """Split each line into runs of text tagged with the index of the word they belong to.

    Spaces are untagged; a hyphen added at a line break belongs to its word.
    Returns None when the lines do not spell the words (an edited cue), so
    the caller can fall back to drawing the cue without a highlight.
    """
    out: list[list[tuple[str, int | None]]] = [[] for _ in lines]
    line_no, pos = 0, 0

    def emit(text: str, owner: int | None) -> None:
        runs = out[line_no]
        if runs and runs[-1][1] == owner:
            runs[-1] = (runs[-1][0] + text, owner)
        else:
            runs.append((text, owner))

    for k, word in enumerate(words):
        for ch in word.text:
            while True:
                if line_no >= len(lines):
                    return None
                line = lines[line_no]
                if pos >= len(line):
                    line_no, pos = line_no + 1, 0
                    continue
                if line[pos] == ch:
                    emit(ch, k)
                    pos += 1
                    break
                if line[pos] == " ":
                    emit(" ", None)
                    pos += 1
                    continue
                if line[pos] == "-" and pos == len(line) - 1:
                    emit("-", k)  # hyphen added where the word was broken
                    pos += 1
                    continue
                return None
    rest = "".join(lines[line_no][pos:] if line_no < len(lines) else "") + "".join(lines[line_no + 1 :])
    if rest.strip():
        return None
    return out


def _run_text(text: str, style: CaptionStyle) -> str:
    return ass_escape(text.upper() if style.uppercase else text)


def _plain_lines(lines: Sequence[str], style: CaptionStyle) -> list[str]:
    return [_run_text(line, style) for line in lines]


def _highlight_lines(spans: list[list[tuple[str, int | None]]], active: int, style: CaptionStyle) -> list[str]:
    hi = Rgba.parse(style.highlight_color, "highlight_color").ass_tag_color()
    rendered: list[str] = []
    for runs in spans:
        parts: list[str] = []
        for text, owner in runs:
            if owner == active:
                parts.append("{\\1c" + hi + "}" + _run_text(text, style) + "{\\1c}")
            else:
                parts.append(_run_text(text, style))
        rendered.append("".join(parts))
    return rendered


@dataclass(frozen=True)
class _Frame:
    """Output geometry shared by all events."""

    style: CaptionStyle
    width: int
    height: int

    @property
    def scale(self) -> float:
        return design_scale(self.width, self.height)

    def texts(self, rendered: Sequence[str], size: float) -> list[str]:
        """Event texts for one cue's rendered lines at design em ``size``.

        Without extra line spacing the lines form one event (``\\N``); with
        ``line_spacing`` each line is its own event placed with ``\\pos``, as
        ASS has no line-spacing setting.
        """
        ass_size = ass_font_size(self.style.font_file, size * self.scale)
        size_tag = ""
        if abs(size - self.style.font_size) > 1e-6:
            size_tag = "{\\fs" + f"{ass_size:g}" + "}"
        if self.style.line_spacing <= 0 or len(rendered) < 2:
            return [size_tag + "\\N".join(rendered)]
        pitch = ass_size + self.style.line_spacing * self.scale
        bottom = self.height - self.style.margin_bottom * self.scale
        x = self.width / 2
        out = []
        for i, line in enumerate(rendered):
            y = bottom - (len(rendered) - 1 - i) * pitch
            out.append("{\\an2\\pos(" + f"{x:.2f},{y:.2f}" + ")}" + size_tag + line)
        return out


def burn_ass_text(
    cues: Cues | Sequence[Cue],
    caption_style: StyleSource,
    *,
    width: int,
    height: int,
    highlight: bool | None = None,
) -> str:
    """The ASS file text for burning ``cues`` into a ``width`` x ``height`` video.

    Args:
        cues: The cues (a :class:`Cues` knows its style name).
        caption_style: A CaptionStyle, or a brand kit (``.caption_style(name)``)
            asked for the cues' style.
        width, height: Output video size in pixels.
        highlight: Draw the spoken word in the highlight colour; None means
            "for social cues".

    Raises:
        CaptionError: a bad colour or font in the style, or a cue whose text
            cannot fit even at ``min_font_size`` (``field`` names the cue).
    """
    import pysubs2

    if width <= 0 or height <= 0:
        raise CaptionError(f"output size must be positive, got {width}x{height}", field="size")
    style_name = cues.style if isinstance(cues, Cues) else "subtitle"
    style = resolve_style(style_name, caption_style)
    scale = design_scale(width, height)
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"] = str(width)
    subs.info["PlayResY"] = str(height)
    subs.info["WrapStyle"] = "2"
    subs.info["ScaledBorderAndShadow"] = "yes"
    subs.info["YCbCr Matrix"] = "TV.709"
    subs.styles = {STYLE_NAME: _ass_style(style, scale, width)}
    if highlight is None:
        highlight = style_name == "social"
    frame = _Frame(style, width, height)

    def add(start: Fraction, end: Fraction, rendered: Sequence[str], size: float) -> None:
        for text in frame.texts(rendered, size):
            subs.append(pysubs2.SSAEvent(start=to_ms(start), end=to_ms(end), style=STYLE_NAME, text=text))

    for index, cue in enumerate(cues):
        if cue.end <= cue.start or not any(line.strip() for line in cue.lines):
            continue
        lines, size = _layout(cue, style, index)
        spans = word_spans(lines, cue.words) if highlight and cue.words else None
        if spans is None:
            add(cue.start, cue.end, _plain_lines(lines, style), size)
            continue
        for k, word in enumerate(cue.words):
            start = cue.start if k == 0 else max(cue.start, word.start)
            end = cue.end if k == len(cue.words) - 1 else min(cue.end, cue.words[k + 1].start)
            if to_ms(end) > to_ms(start):
                add(start, end, _highlight_lines(spans, k, style), size)
    return str(subs.to_string("ass", header_notice="Burn-in captions written by vidcoop"))


def write_burn_ass(
    cues: Cues | Sequence[Cue],
    caption_style: StyleSource,
    *,
    width: int,
    height: int,
    path: str | Path,
    highlight: bool | None = None,
) -> Path:
    """Write the burn-in ASS file atomically and return its path (see :func:`burn_ass_text`)."""
    text = burn_ass_text(cues, caption_style, width=width, height=height, highlight=highlight)
    return atomic_write_text(path, text)

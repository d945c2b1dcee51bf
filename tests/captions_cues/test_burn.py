"""Burn-in ASS: pure checks of the file, and real libass renders checked by pixels."""

from __future__ import annotations

import shutil
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.burn import (
    Rgba,
    ass_font_size,
    burn_ass_text,
    fonts_dir_for,
    word_spans,
    write_burn_ass,
)
from vidcoop.captions.formats import Cues, cues_from_lines
from vidcoop.captions.model import Cue, Word
from vidcoop.captions.style import default_style
from vidcoop.errors import CaptionError
from vidcoop.text.fonts import text_width

F = Fraction
W, H = 320, 568  # a small 9:16 frame
SCALE = W / 1080
BG = (0x33, 0x66, 0x99)


def _events(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Dialogue:")]


def test_header_scales_design_pixels_to_output() -> None:
    style = default_style("subtitle")
    text = burn_ass_text(cues_from_lines([(F(0), F(1), "Hallo")]), style, width=540, height=960)
    assert "PlayResX: 540" in text and "PlayResY: 960" in text
    assert "WrapStyle: 2" in text
    style_line = next(line for line in text.splitlines() if line.startswith("Style: Caption,"))
    fields = style_line.split(",")
    assert fields[1] == "Atkinson Hyperlegible"
    assert float(fields[2]) == pytest.approx(ass_font_size(style.font_file, 32))
    assert fields[7] == "-1"  # bold face
    assert fields[18] == "2"  # bottom centre
    assert int(fields[21]) == style.margin_bottom // 2  # MarginV
    assert int(fields[19]) == int(fields[20]) == round((540 - style.max_width / 2) / 2)


def test_colours_and_box() -> None:
    assert Rgba.parse("#ff8000").ass_tag_color() == "&H0080FF&"
    assert Rgba.parse("#000000b0").ass_alpha == 0x4F
    with pytest.raises(CaptionError):
        Rgba.parse("red")
    style = replace(default_style("subtitle"), box=True, back_color="#102030cc")
    text = burn_ass_text(cues_from_lines([(F(0), F(1), "x")]), style, width=1080, height=1920)
    fields = next(line for line in text.splitlines() if line.startswith("Style:")).split(",")
    assert fields[15] == "3"  # BorderStyle: opaque box
    assert fields[5] == "&H33302010"  # box colour (outline colour in ASS) with alpha


def test_user_text_cannot_become_tags_or_breaks() -> None:
    cues = cues_from_lines([(F(0), F(1), "{\\c&H0000FF&}rot \\N {\\b1}\\h")])
    event = _events(burn_ass_text(cues, default_style("subtitle"), width=W, height=H))[0]
    text = event.split(",", 9)[9]
    if text.startswith("{\\fs"):
        text = text[text.index("}") + 1 :]  # our own size tag for a too-wide line
    assert "{" not in text.replace("\\{", "")  # no override block at all
    assert "\\N" not in text and "\\h" not in text


def test_social_cue_becomes_one_event_per_word_with_highlight() -> None:
    words = (Word("Wir", F(0), F(1, 4)), Word("suchen", F(3, 10), F(6, 10)), Word("dich", F(7, 10), F(1)))
    cues = Cues((Cue(F(0), F(13, 10), ("Wir suchen dich",), words),), style="social")
    events = _events(burn_ass_text(cues, default_style("social"), width=W, height=H))
    assert len(events) == 3
    assert events[0].startswith("Dialogue: 0,0:00:00.00,0:00:00.30")
    assert events[2].startswith("Dialogue: 0,0:00:00.70,0:00:01.30")
    assert "{\\1c&H00D4FF&}suchen{\\1c}" in events[1]


def test_word_spans_follow_hyphenated_lines_and_reject_edits() -> None:
    words = [Word("die", F(0), F(1)), Word("Heilerziehungspflegerin", F(1), F(2))]
    spans = word_spans(["die Heilerziehungs-", "pflegerin"], words)
    assert spans == [[("die", 0), (" ", None), ("Heilerziehungs-", 1)], [("pflegerin", 1)]]
    assert word_spans(["die Pflegerin"], words) is None


def test_too_wide_edited_line_gets_smaller_size_or_rewrap() -> None:
    style = default_style("subtitle")
    wide = "Grundsicherungsträgerverwaltung"
    assert text_width(wide, style.font_file, style.font_size) > style.max_width
    events = _events(burn_ass_text(cues_from_lines([(F(0), F(2), wide)]), style, width=1080, height=1920))
    assert "\\fs" in events[0]
    very = " ".join([wide] * 3)
    events = _events(burn_ass_text(cues_from_lines([(F(0), F(2), very)]), style, width=1080, height=1920))
    assert len(events) >= 3  # re-wrapped into more lines (one event per line), nothing cut off
    lines = [e.split(",", 9)[9].split("}")[-1] for e in events]
    assert "".join(line.rstrip("-") for line in lines).count("Grundsicherungsträgerverwaltung") == 3


def test_line_spacing_places_one_event_per_line() -> None:
    style = replace(default_style("subtitle"), line_spacing=20)
    cues = cues_from_lines([(F(0), F(1), "eins\nzwei")])
    events = _events(burn_ass_text(cues, style, width=1080, height=1920))
    assert len(events) == 2
    pitch = ass_font_size(style.font_file, style.font_size) + 20
    bottom = 1920 - style.margin_bottom
    assert f"\\pos(540.00,{bottom - pitch:.2f})}}eins" in events[0]
    assert f"\\pos(540.00,{bottom:.2f})}}zwei" in events[1]
    tight = _events(burn_ass_text(cues, replace(style, line_spacing=0), width=1080, height=1920))
    assert len(tight) == 1 and tight[0].endswith("eins\\Nzwei")


def test_empty_and_zero_length_cues_are_skipped(tmp_path: Path) -> None:
    cues = Cues((Cue(F(1), F(1), ("x",)), Cue(F(0), F(1), ("   ",))))
    path = write_burn_ass(cues, default_style("subtitle"), width=W, height=H, path=tmp_path / "e.ass")
    assert _events(path.read_text(encoding="utf-8")) == []


def test_fonts_dir_for_and_missing_font(tmp_path: Path) -> None:
    style = default_style("subtitle")
    assert fonts_dir_for(style) == style.font_file.parent
    with pytest.raises(CaptionError) as info:
        fonts_dir_for(replace(style, font_file=tmp_path / "nope.ttf"))
    assert info.value.field == "font_file"


# --------------------------------------------------------------------------- real renders


def _render(tmp_path: Path, cues: Cues, style, at: float, name: str = "frame"):  # type: ignore[no-untyped-def]
    """Burn ``cues`` onto a flat background with ffmpeg+libass and return the frame at ``at`` s as RGB array."""
    import numpy as np
    from PIL import Image

    from vidcoop.media.runner import run_ffmpeg

    work = tmp_path / "burn"
    fonts = work / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for font in fonts_dir_for(style).glob("*.ttf"):
        shutil.copy(font, fonts / font.name)
    ass = write_burn_ass(cues, style, width=W, height=H, path=work / f"{name}.ass")
    png = work / f"{name}.png"
    stderr = run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"color=c=0x336699:s={W}x{H}:r=10:d=3",
            "-vf", f"ass=filename={ass}:fontsdir={fonts}",
            "-ss", f"{at}", "-frames:v", "1", "-update", "1", str(png),
        ],
        what="burning test captions",
    )  # fmt: skip
    assert "Glyph" not in stderr, stderr  # no missing glyphs
    return np.asarray(Image.open(png).convert("RGB")).astype(int)


def _ink(frame):  # type: ignore[no-untyped-def]
    """Mask of pixels that differ clearly from the background."""
    import numpy as np

    return np.abs(frame - np.array(BG)).sum(axis=2) > 60


def _white(frame):  # type: ignore[no-untyped-def]
    return (frame > 200).all(axis=2)


def _box(mask):  # type: ignore[no-untyped-def]
    import numpy as np

    rows = np.where(mask.any(axis=1))[0]
    cols = np.where(mask.any(axis=0))[0]
    return rows.min(), rows.max(), cols.min(), cols.max()


@pytest.mark.slow
def test_burned_text_sits_in_the_bottom_area_inside_max_width(tmp_path: Path) -> None:
    style = default_style("subtitle")
    text = "Grüße aus Köln, ÄÖÜ ß!"
    frame = _render(tmp_path, cues_from_lines([(F(0), F(2), text)]), style, 1.0)
    assert _white(frame).sum() > 100
    top, bottom, left, right = _box(_ink(frame))
    assert bottom <= H - style.margin_bottom * SCALE + 3
    assert top > H / 2
    inner_left = (W - style.max_width * SCALE) / 2
    assert left >= inner_left - style.outline * SCALE - 2 and right <= W - inner_left + style.outline * SCALE + 2
    # the drawn text is as wide as Pillow measured it (the ASS size conversion is right)
    wl, wr = _box(_white(frame))[2:]
    expected = text_width(text, style.font_file, style.font_size * SCALE)
    assert wr - wl == pytest.approx(expected, rel=0.08)


@pytest.mark.slow
def test_nothing_is_drawn_without_cues(tmp_path: Path) -> None:
    frame = _render(tmp_path, Cues(), default_style("subtitle"), 1.0)
    assert not _ink(frame).any()


@pytest.mark.slow
def test_tag_looking_text_is_drawn_literally_in_white(tmp_path: Path) -> None:
    style = default_style("subtitle")
    frame = _render(tmp_path, cues_from_lines([(F(0), F(2), "{\\c&H0000FF&}rot")]), style, 1.0)
    ink = _ink(frame)
    red = (frame[..., 0] > 150) & (frame[..., 1] < 90) & (frame[..., 2] < 90)
    assert _white(frame).sum() > 100
    assert red.sum() == 0
    # the braces and tag letters are drawn too: much wider than the word "rot" alone
    left, right = _box(ink)[2:]
    assert right - left > 4 * text_width("rot", style.font_file, style.font_size * SCALE)


@pytest.mark.slow
def test_backslash_n_does_not_break_the_line(tmp_path: Path) -> None:
    style = default_style("subtitle")
    one = _render(tmp_path, cues_from_lines([(F(0), F(2), "a\\Nb")]), style, 1.0, "one")
    ref = _render(tmp_path, cues_from_lines([(F(0), F(2), "aNb")]), style, 1.0, "ref")
    two = _render(tmp_path, cues_from_lines([(F(0), F(2), "a\nb")]), style, 1.0, "two")
    height = lambda f: _box(_white(f))[1] - _box(_white(f))[0]  # noqa: E731
    assert abs(height(one) - height(ref)) <= 2
    assert height(two) > 1.6 * height(ref)
    width = lambda f: _box(_white(f))[3] - _box(_white(f))[2]  # noqa: E731
    assert width(one) > width(ref)  # the backslash is drawn


@pytest.mark.slow
def test_line_spacing_adds_exactly_the_gap_between_lines(tmp_path: Path) -> None:
    cues = cues_from_lines([(F(0), F(2), "Hallo\nHallo")])
    base = default_style("subtitle")
    tight = _box(_white(_render(tmp_path, cues, replace(base, line_spacing=0), 1.0, "tight")))
    loose = _box(_white(_render(tmp_path, cues, replace(base, line_spacing=60), 1.0, "loose")))
    assert abs(tight[1] - loose[1]) <= 1  # the bottom line stays where margin_bottom puts it
    grown = (loose[1] - loose[0]) - (tight[1] - tight[0])
    assert grown == pytest.approx(60 * SCALE, abs=2)


@pytest.mark.slow
def test_social_highlight_moves_with_the_spoken_word(tmp_path: Path) -> None:
    import numpy as np

    style = default_style("social")
    words = (Word("Wir", F(0), F(1, 2)), Word("suchen", F(6, 10), F(1)), Word("dich", F(11, 10), F(3, 2)))
    cues = Cues((Cue(F(0), F(2), ("Wir suchen dich",), words),), style="social")
    centres = []
    for k, at in enumerate((0.2, 0.8, 1.3)):
        frame = _render(tmp_path, cues, style, at, f"w{k}")
        yellow = (frame[..., 0] > 200) & (frame[..., 1] > 170) & (frame[..., 2] < 90)
        assert yellow.sum() > 30, at
        centres.append(np.where(yellow)[1].mean())
    assert centres[0] < centres[1] < centres[2]


def test_kit_like_style_source_and_highlight_switch() -> None:
    class Kit:
        def caption_style(self, name: str):  # type: ignore[no-untyped-def]
            return replace(default_style(name), highlight_color="#00ff00")

    words = (Word("Wir", F(0), F(1, 2)), Word("hier", F(1, 2), F(1)))
    cues = Cues((Cue(F(0), F(1), ("Wir hier",), words),), style="social")
    events = _events(burn_ass_text(cues, Kit(), width=W, height=H))
    assert len(events) == 2 and "&H00FF00&" in events[0]
    plain = _events(burn_ass_text(cues, Kit(), width=W, height=H, highlight=False))
    assert len(plain) == 1 and "\\1c" not in plain[0]
    assert fonts_dir_for(Kit(), "social") == default_style("social").font_file.parent

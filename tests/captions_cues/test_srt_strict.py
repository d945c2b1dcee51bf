"""SRT import keeps every cue or names the line; SRT export keeps markup-like text literal (issue #9)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vidcoop.captions.formats import Cues, cues_from_lines
from vidcoop.errors import CaptionError


def test_text_that_contains_timestamps_is_kept() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nTermin 10:00:00,000 --> 11:00:00,000 ok\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nzwei\n"
    )
    cues = Cues.from_string(text, "srt")
    assert [c.lines for c in cues] == [("Termin 10:00:00,000 --> 11:00:00,000 ok",), ("zwei",)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("1\n00:00:01,000 --> 00:00:0\n\n2\n00:00:03,000 --> 00:00:04,000\nzwei\n", 2, "not a complete timing line"),
        ("1\n-00:00:01,000 --> 00:00:02,000\nnegativ\n", 2, "negative"),
        ("1\n00:00:01,000 --> 00:00:02,000\neins\n2\n00:00:03,000 --> 00:00:04,000\nzwei\n", 5, "inside a cue's text"),
        ("1\n00:00:01,000 --> 00:00:02,000\neins\n\nhallo\n", 5, "expected a cue number or a timing line"),
        ("1\n00:61:01,000 --> 00:62:02,000\neins\n", 2, "below 60"),
        ("1\n99:00:01,000 --> 99:00:02,000\neins\n", 2, "past 24 hours"),
    ],
)
def test_a_cue_is_never_dropped_silently(text: str, line: int, words: str) -> None:
    with pytest.raises(CaptionError, match=words) as info:
        Cues.from_string(text, "srt", path="edited.srt")
    assert info.value.field == f"line {line}" and info.value.path == "edited.srt"


def test_markup_in_user_text_is_not_styled_by_srt_players() -> None:
    cues = cues_from_lines([(Fraction(0), Fraction(1), "{\\fs200}Erzieher <b>Kita</b> & <3")])
    srt = cues.to_string("srt")
    assert "{\\fs" not in srt and "<b>" not in srt and "</b>" not in srt
    assert Cues.from_string(srt, "srt").items[0].lines == ("{\\fs200}Erzieher <b>Kita</b> & <3",)
    vtt = cues.to_string("vtt")
    assert "&lt;b&gt;" in vtt and Cues.from_string(vtt, "vtt").items[0].lines == cues.items[0].lines


def test_cues_past_24_hours_are_refused_on_write_without_warnings(recwarn: pytest.WarningsRecorder) -> None:
    cues = cues_from_lines([(Fraction(100 * 3600), Fraction(100 * 3600 + 1), "spät")])
    with pytest.raises(CaptionError, match="past 24 hours"):
        cues.to_string("srt")
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_cues_json_times_are_bounded() -> None:
    text = '{"schema": "vidcoop.cues", "version": 1, "cues": [{"start": "1e999999999", "end": "2", "lines": ["x"]}]}'
    with pytest.raises(CaptionError, match="not a timecode") as info:
        Cues.from_string(text, "json")
    assert info.value.field == "cues.0.start"


def test_webvtt_is_read_line_by_line_too() -> None:
    text = (
        "WEBVTT - Stellenbörse\n\nSTYLE\n::cue { color: red }\n\nNOTE edited by hand\n\n"
        "intro\n00:01.000 --> 00:02.500 align:start\n<v Aylin>Hallo &amp; willkommen</v>\n\n"
        "00:00:03.000 --> 00:00:04.000\nzwei\nZeilen\n"
    )
    cues = Cues.from_string(text, "vtt")
    assert [(c.start, c.end, c.lines) for c in cues] == [
        (Fraction(1), Fraction(5, 2), ("Hallo & willkommen",)),
        (Fraction(3), Fraction(4), ("zwei", "Zeilen")),
    ]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("00:01.000 --> 00:02.000\nkein Kopf\n", 1, "first line must be WEBVTT"),
        ("WEBVTT\n\n00:01.000 --> 00:02\nhalb\n", 3, "not a complete timing line"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\neins\n00:03.000 --> 00:04.000\nzwei\n", 5, "inside a cue's text"),
    ],
)
def test_webvtt_problems_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(CaptionError, match=words) as info:
        Cues.from_string(text, "vtt", path="edited.vtt")
    assert info.value.field == f"line {line}"

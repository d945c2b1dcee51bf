from fractions import Fraction

import pytest

from vidcoop.timing import ff_seconds, format_timecode, parse_rate, parse_time, snap, to_frames


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:01:02.500", Fraction(125, 2)),
        ("1:02.5", Fraction(125, 2)),
        ("62.5", Fraction(125, 2)),
        ("00:00:00,040", Fraction(1, 25)),
        (3, Fraction(3)),
        (0.1, Fraction(1, 10)),
        ("01:00:00", Fraction(3600)),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("bad", ["", "abc", "1:2:3:4", "00:61:00", "-1", "1:75", float("nan"), True, None])
def test_parse_time_rejects(bad):
    with pytest.raises(ValueError):
        parse_time(bad)


def test_rates_are_exact():
    assert parse_rate("29.97") == Fraction(30000, 1001)
    assert parse_rate("30000/1001") == Fraction(30000, 1001)
    assert parse_rate(25) == 25


def test_frames_snap_to_output_rate():
    fps = Fraction(30)
    assert to_frames(Fraction(1, 2), fps) == 15
    assert to_frames(Fraction(1, 60), fps) == 1  # half a frame rounds up
    assert snap(Fraction(1001, 1000), fps) == 1
    assert to_frames(Fraction(10), Fraction(30000, 1001)) == 300


def test_formatting():
    assert format_timecode(Fraction(125, 2)) == "00:01:02.500"
    assert ff_seconds(Fraction(1, 3)) == "0.333333"
    assert ff_seconds(Fraction(0)) == "0"

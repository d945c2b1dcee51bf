"""Segment spans on the episode timeline and overlay geometry."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.brand.geometry import Box, overlay_box
from vidcoop.channel.spans import UnknownLength, segment_length, segment_spans
from vidcoop.timeline.model import Episode, Segment


def test_lengths_from_in_out_duration_and_probe() -> None:
    assert segment_length(Segment("a.mp4", start=1, end=Fraction(7, 2))) == Fraction(5, 2)
    assert segment_length(Segment("a.png", duration=3)) == 3
    assert segment_length(Segment("a.mp4", start=2)) is None
    assert segment_length(Segment("a.mp4", start=2), {Path("a.mp4"): Fraction(10)}) == 8
    assert segment_length(Segment("a.mp4", start=1), lambda seg: Fraction(4)) == 4  # the segment's own length
    # the plan's length wins over in/out (it is frame-snapped); None falls back to in/out
    assert segment_length(Segment("a.mp4", start=0, end=3), lambda seg: Fraction(2999, 1000)) == Fraction(2999, 1000)
    assert segment_length(Segment("a.mp4", start=0, end=3), lambda seg: None) == 3


def test_spans_are_sequential_minus_crossfades() -> None:
    ep = Episode(segments=[Segment("i.png", duration=2, kind="intro"),
                           Segment("b.png", duration=3, kind="bumper", partner="p"),
                           Segment("v.mp4", start=0, end=10)],
                 crossfade=Fraction(1, 2))
    spans = segment_spans(ep)
    assert [(s.start, s.end) for s in spans] == [(0, 2), (Fraction(3, 2), Fraction(9, 2)), (4, 14)]
    assert spans[1].partner == "p" and spans[1].kind == "bumper" and spans[1].field == "segments.1"
    assert spans[1].length == 3


def test_unknown_length_raises() -> None:
    with pytest.raises(UnknownLength) as info:
        segment_spans(Episode(segments=[Segment("v.mp4")]))
    assert info.value.index == 0


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ("top-left", Box(48, 48, 200, 100)),
        ("top", Box(440, 48, 200, 100)),
        ("top-right", Box(832, 48, 200, 100)),
        ("center", Box(440, 910, 200, 100)),
        ("bottom-right", Box(832, 1772, 200, 100)),
        ("left", Box(48, 910, 200, 100)),
    ],
)
def test_overlay_box_anchors(anchor: str, expected: Box) -> None:
    assert overlay_box((400, 200), anchor=anchor, margin=48, width=200) == expected


def test_overlay_box_native_size_and_explicit_position() -> None:
    assert overlay_box((300, 90), anchor="bottom", margin=0) == Box(390, 1830, 300, 90)
    assert overlay_box((300, 90), x=10, anchor="bottom", margin=0) == Box(10, 1830, 300, 90)
    with pytest.raises(ValueError, match="unknown anchor"):
        overlay_box((1, 1), anchor="middle")

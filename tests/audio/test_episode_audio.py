"""Episode-level audio: tightened segments become sub-segments; loud bumpers are turned down."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.audio import TightenOptions, measure_span
from vidcoop.channel.audio import level_match_episode, tighten_episode
from vidcoop.timeline.model import Episode, Segment


@pytest.fixture(scope="module")
def tone_gap_tone(make_media) -> Path:
    source = "aevalsrc='(1-between(t,1,2.5))*0.5*sin(2*PI*440*t)':s=16000:d=3.5"
    return make_media("ep_tone_gap_tone.wav", audio=source)


def test_tighten_episode_splits_only_tightened_segments(tone_gap_tone: Path, make_media) -> None:
    other = make_media("ep_plain.wav", audio="sine=f=300:r=16000:d=1")
    episode = Episode(
        segments=(
            Segment(tone_gap_tone, tighten=True, label="Interview", field="segments.0"),
            Segment(other, field="segments.1"),
        ),
        name="t",
    )
    out = tighten_episode(episode, TightenOptions(min_silence=Fraction(1, 2), keep_pause=Fraction(1, 5)))
    assert len(out.segments) == 3
    first, second, untouched = out.segments
    assert untouched == episode.segments[1]
    assert (first.label, second.label) == ("Interview (1/2)", "Interview (2/2)")
    assert first.field == second.field == "segments.0"
    assert not first.tighten and not second.tighten
    assert abs(float(first.start or 0) - 0.0) < 0.02 and abs(float(first.end or 0) - 1.1) < 0.02
    assert abs(float(second.start or 0) - 2.4) < 0.02 and abs(float(second.end or 0) - 3.5) < 0.02
    assert tighten_episode(episode.__class__(segments=(episode.segments[1],))).segments == (episode.segments[1],)


def test_level_match_turns_a_loud_bumper_down_to_the_body(make_media) -> None:
    body = make_media("ep_body.wav", audio="sine=f=440:r=48000:d=3,volume=-20dB")
    bumper = make_media("ep_bumper.wav", audio="sine=f=660:r=48000:d=2,volume=-2dB")
    quiet_card = make_media("ep_card.wav", audio="sine=f=660:r=48000:d=2,volume=-30dB")
    episode = Episode(
        segments=(Segment(bumper, kind="bumper", partner="caritas"), Segment(body),
                  Segment(quiet_card, kind="card")),
    )  # fmt: skip
    matched = level_match_episode(episode, headroom=1.0)
    bumper_seg, body_seg, card_seg = matched.segments
    assert body_seg == episode.segments[1] and card_seg.volume == 1.0  # never turned up
    body_lufs = measure_span(body).integrated
    bumper_lufs = measure_span(bumper).integrated
    after = bumper_lufs + 20 * __import__("math").log10(bumper_seg.volume)
    assert after == pytest.approx(body_lufs - 1.0, abs=0.1)

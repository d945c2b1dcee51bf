"""When a board episode shows what: times on its timeline, for tests that look at rendered frames."""

from __future__ import annotations

from fractions import Fraction

from vidcoop.timeline.model import Episode


def last_card_middle(episode: Episode) -> Fraction:
    """The middle of the episode's last job card, in seconds (segments overlap by the crossfade)."""
    t, middle = Fraction(0), None
    for seg in episode.segments:
        assert seg.duration is not None
        if seg.kind == "card":
            middle = t + seg.duration / 2
        t += seg.duration - episode.crossfade
    assert middle is not None, "no card in the episode"
    return middle

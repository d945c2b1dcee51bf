"""Hypothesis fuzzing of the partner-name text rule (issue #31, "Done when"; rule of issue #25).

Random Unicode through :mod:`vidcoop.channel.names` and the policy's text check:

* never an exception other than the rule's own ``PolicyError``;
* the normal form is idempotent (``normalise(normalise(t)) == normalise(t)``);
* a partner's name with random invisible characters, case, separators and confusable
  letters (taken from Unicode's confusables table, as the rule uses it), inside random
  text, is always found.

Bounded like ``test_fuzz_inputs.py``: a few dozen examples per test, a deadline per
example, derandomized with ``CI=true``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidcoop.channel.config import Channel, load_channel
from vidcoop.channel.names import IGNORABLE, mentions, normalise, partner_terms, skeletons
from vidcoop.channel.policy import check_episode
from vidcoop.errors import PolicyError
from vidcoop.timeline.model import Episode, LowerThird, Segment

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CHANNEL = REPO / "examples" / "channel" / "channel.yaml"

FUZZ = settings(
    max_examples=int(os.environ.get("VIDCOOP_FUZZ_EXAMPLES", "60")),
    deadline=timedelta(seconds=2),
    database=None,
    derandomize=os.environ.get("CI", "").lower() == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Invisible characters: every default-ignorable code point the rule removes, and a few format characters.
INVISIBLE = sorted({chr(lo) for lo, _ in IGNORABLE} | {chr(hi) for _, hi in IGNORABLE}
                   | set("\u00ad\u200b\u200c\u200d\u2060\ufeff\u2062\u180e\U000e0041"))
SEPARATORS = [" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2009", "\u202f", "\u3000", "-", "_", "", ".", " / "]
# Text around a name ends and starts with a separator, so the name stays a word of its own.
OUTER = [" ", "\n", "\u00a0", " #", ", ", ": ", " (", ") "]


@pytest.fixture(scope="module")
def channel() -> Channel:
    _by_normal_form()  # built here, before the examples: it is not what the deadline bounds
    return load_channel(EXAMPLE_CHANNEL)


@cache
def _by_normal_form() -> dict[str, frozenset[str]]:
    """Every single character of the confusables table, grouped by its normal form (built once: normalising
    the 6,000 characters takes a second or two on a loaded machine)."""
    groups: dict[str, set[str]] = {}
    for ch in skeletons():
        if len(ch) == 1:
            groups.setdefault(normalise(ch), set()).add(ch)
    return {form: frozenset(chars) for form, chars in groups.items()}


@cache
def _look_alikes(letter: str) -> tuple[str, ...]:
    """Characters the confusables table treats as ``letter`` (after casefolding), the letter first."""
    found = _by_normal_form().get(normalise(letter), frozenset())
    return (letter, *sorted(found - {letter}))


@st.composite
def disguised(draw: st.DrawFn, name: str) -> str:
    """``name`` with random case, confusable letters, invisible characters and separators between its words."""
    out = []
    for i, word in enumerate(name.split()):
        if i:
            out.append(draw(st.sampled_from(SEPARATORS)))
        for ch in word:
            if ch.isalpha():
                ch = draw(st.sampled_from(_look_alikes(ch)))
                if draw(st.booleans()):
                    ch = ch.upper() if draw(st.booleans()) else ch.lower()
            out.append(ch)
            if draw(st.integers(0, 3)) == 0:
                out.append(draw(st.sampled_from(INVISIBLE)))
    return "".join(out)


any_text = st.text(max_size=80)
unicode_text = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=80)


@FUZZ
@given(st.one_of(any_text, unicode_text))
def test_normalise_never_fails_and_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == " ".join(once.split())


@FUZZ
@given(st.one_of(any_text, unicode_text))
def test_random_text_through_the_rule_and_the_policy(channel: Channel, text: str) -> None:
    found = mentions(text, partner_terms(channel))
    assert all(m.partner in channel.partners for m in found)
    ep = Episode((Segment("talk.mp4", start=0, end=5),), title=text, format="erklaervideo", name="fuzz",
                 lower_thirds=(LowerThird(text or "x", text or None, 0, 1),))
    try:
        report = check_episode(ep, channel, image_sizes={})
    except PolicyError as exc:
        assert found or exc.rule != "partner-in-text" or exc.field != "title"
    else:
        assert not found and "partner-texts" in report.passed


@FUZZ
@given(data=st.data(), partner=st.sampled_from(["caritas-musterstadt", "diakonie-musterstadt",
                                                 "paritaetischer-musterstadt"]))
def test_a_disguised_name_in_random_text_is_always_found(channel: Channel, data: st.DataObject,
                                                         partner: str) -> None:
    name = channel.partners[partner].name
    text = (data.draw(any_text) + data.draw(st.sampled_from(OUTER)) + data.draw(disguised(name))
            + data.draw(st.sampled_from(OUTER)) + data.draw(any_text))
    found = {m.partner for m in mentions(text, partner_terms(channel))}
    assert partner in found, (text, normalise(text))
    ep = Episode((Segment("talk.mp4", start=0, end=5),), title=text, format="erklaervideo", name="fuzz")
    with pytest.raises(PolicyError) as info:
        check_episode(ep, channel, image_sizes={})
    assert info.value.rule == "partner-in-text" and info.value.field == "title"

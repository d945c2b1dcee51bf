"""The job-row reasons catalogue: every reason in English and German, with the same values."""

from __future__ import annotations

import pickle
import string

import pytest

from vidcoop.jobboard.model import JobRowIssue
from vidcoop.jobboard.reasons import REASONS, ReasonError, reason_text
from vidcoop.jobboard.validation import parse_contact, parse_date


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(REASONS))
def test_every_reason_is_said_in_both_languages_with_the_same_values(key: str) -> None:
    texts = REASONS[key]
    assert set(texts) == {"en", "de"}
    assert _names(texts["en"]) == _names(texts["de"])


def test_a_reason_keeps_its_key_from_the_parser_to_the_page() -> None:
    with pytest.raises(ReasonError) as info:
        parse_date("31.11.2026")
    assert str(info.value) == "no such day in the calendar"  # the CLI's text, as before
    issue = JobRowIssue.of(9, "start", "start", "31.11.2026", inner=info.value.key, **info.value.params)
    assert issue.message == "no such day in the calendar (or 'ab sofort')"
    assert issue.text("de") == "diesen Tag gibt es im Kalender nicht (oder „ab sofort“)"
    with pytest.raises(ValueError, match=r"^web addresses must start with https://"):  # still a ValueError
        parse_contact("www.example.de")
    with pytest.raises(ReasonError) as year:
        parse_date("01.01.1900")
    again = pickle.loads(pickle.dumps(year.value))
    assert (again.key, again.params, str(again)) == ("date_year", {"low": "2000", "high": "2199"}, str(year.value))
    assert reason_text("date_year", again.params, "de") == "Jahr zwischen 2000 und 2199 erwartet"

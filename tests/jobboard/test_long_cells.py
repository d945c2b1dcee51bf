"""Long job-board cells are refused by a named limit before any layout, and the layout search gives up at
once on text far longer than its box (issue #31, 10: a 3,000-character title took 21 s, 10,600 over 120 s).

The time bound is generous for a loaded machine; without the fixes these cases take 20 s to minutes.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from vidcoop.jobboard import validate
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.model import FIELDS
from vidcoop.jobboard.reader import loads_csv
from vidcoop.jobboard.validation import MAX_CHARS
from vidcoop.text.box import fit_box
from vidcoop.text.fit import FitOptions, TextDoesNotFit, fit_text

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the time bound uses SIGALRM")

HEADER = "title;partner;location;hours;start;description;apply;expires"
BOUND = 5.0  # seconds
WORDS = "Heilerziehungspflegerin für die Kita Sonnenschein "


class TookTooLong(Exception):
    pass


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail the test (by an exception inside the slow code) once ``seconds`` of wall time have passed."""

    def stop(signum: int, frame: object) -> None:
        raise TookTooLong(f"took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _row(title: str = "Koch (m/w/d)", description: str = "") -> str:
    return f"{title};rot;Köln;Vollzeit;;{description};https://rot.example.de;31.12.2026"


@pytest.fixture
def warm(board: BoardChannel) -> BoardChannel:
    """Fonts and the hyphenation dictionary loaded, so the bound times the layout alone."""
    validate(loads_csv(f"{HEADER}\n{_row('Heilerziehungspflegefachkräfteausbildung' * 3)}\n".encode()), board,
             "2026-W48")
    return board


def test_overlong_cells_are_refused_by_their_limit_before_any_layout(warm: BoardChannel) -> None:
    rows = [_row(title=(WORDS * 100)[:3000]), _row(title="x" * 10_600), _row(description=(WORDS * 300)[:10_000])]
    with within(BOUND):
        report = validate(loads_csv("\n".join([HEADER, *rows]).encode()), warm, "2026-W48")
    assert [(i.row, i.field) for i in report.invalid] == [(2, "title"), (3, "title"), (4, "description")]
    assert "too long: 2999 characters, at most 300" in report.invalid[0].message
    assert "at most 2000" in report.invalid[2].message
    assert all(len(i.value) <= 60 for i in report.invalid)  # the table shows a shortened value


def test_cells_at_the_limits_are_measured_in_bounded_time(warm: BoardChannel) -> None:
    rows = [_row(title="x" * MAX_CHARS["title"], description="y" * MAX_CHARS["description"]),
            _row(title=(WORDS * 10)[: MAX_CHARS["title"]], description=(WORDS * 50)[: MAX_CHARS["description"]])]
    with within(BOUND):
        report = validate(loads_csv("\n".join([HEADER, *rows]).encode()), warm, "2026-W48")
    assert {(i.row, i.field) for i in report.invalid} == {(2, "title"), (2, "description"), (3, "title"),
                                                          (3, "description")}
    assert all("too long for the card" in i.message for i in report.invalid)


@pytest.mark.parametrize("text", [(WORDS * 300)[:10_600], "x" * 10_600], ids=["words", "one-word"])
def test_the_layout_search_gives_up_at_once_on_huge_text(warm: BoardChannel, text: str) -> None:
    font = warm.font_file("bold")
    with within(BOUND):
        assert fit_box(text, font, (860, 250), 80, 52, max_lines=3) is None
        with pytest.raises(TextDoesNotFit):
            fit_text(text, font, FitOptions(max_width=860, size=80, min_size=52, max_lines=3))


def test_the_limits_are_far_beyond_a_real_listing() -> None:
    assert MAX_CHARS["title"] >= 200 and MAX_CHARS["description"] >= 1000
    assert set(MAX_CHARS) == set(FIELDS)

"""Job-board cues break only between jobs or at phrase ends: never inside a date, never after "ab"
or "bis", an e-mail address or web address whole on its line, and no cue under a second."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.jobboard.conftest import csv_text
from vidcoop.jobboard import build_episode, validate
from vidcoop.jobboard.cues import timed_cues
from vidcoop.jobboard.parts import BoardOptions
from vidcoop.jobboard.reader import loads_csv

ROWS = (
    "Heilerziehungspfleger*in;rot;Musterstadt-Süd;Vollzeit, befristet bis 12/2027;01.02.2027;"
    "Du begleitest Menschen mit Behinderung in ihrem Alltag \u2013 in einem herzlichen Team mit Supervision.;"
    "bewerbung@diakonie-musterstadt.de;31.12.2026",
    "Fachkraft für Arbeitsmarktintegration (m/w/d);gruen;Musterstadt, Jobcenter-Projekt „Neustart“;"
    "Teilzeit, 25\u201330 Std./Woche;15.03.2027;Beginn nach Absprache, Einarbeitung ab dem 1. März 2027 im Team "
    "mit vier Kolleg:innen, Übernahme nach einem Jahr.;https://paritaet-musterstadt.de/jobs/erzieherin-kita;"
    "15.01.2027",
)
DATES = ("01.02.2027", "12/2027", "15.03.2027", "1. März 2027", "31.12.2026", "15.01.2027")
ADDRESSES = ("bewerbung@diakonie-musterstadt.de", "paritaet-musterstadt.de/jobs/erzieherin-kita")


def _cues(board, tmp_path: Path):
    report = validate(loads_csv(csv_text(*ROWS).encode()), board, "2026-W48")
    assert len(report.ok) == 2, report.text()
    (episode,) = build_episode(report, board, "2026-W48", options=BoardOptions(cards_dir=tmp_path))
    return episode.extra["jobboard"].cues


def test_no_cue_breaks_a_date_an_address_or_after_ab(board, tmp_path: Path) -> None:
    cues = _cues(board, tmp_path)
    lines = [line for cue in cues for line in cue.lines]
    for cue in cues:
        assert not re.search(r"(?<!\w)(ab|bis|am|seit)$", cue.lines[-1]), cue.lines  # the "· ab"
        for line in cue.lines:
            assert not re.search(r"(?<!\w)(ab|bis)$", line), cue.lines
    for needle in (*DATES, *ADDRESSES):
        assert any(needle in line for line in lines), (needle, lines)  # whole on one line
    assert not any(line == "mit Supervision." for line in lines)  # the orphan the example had


def test_no_cue_is_shorter_than_a_second(board, tmp_path: Path) -> None:
    cues = _cues(board, tmp_path)
    assert all(c.end - c.start >= 1 for c in cues), [(float(c.end - c.start), c.lines) for c in cues]


def test_short_cues_get_a_second_and_a_crowded_card_merges_cues() -> None:
    texts = ["Koch/Köchin", "Musterstadt\nVollzeit · ab sofort", "x " * 60, "Bewerben: a@b.de\nbis 31.12.2026"]
    roomy = timed_cues(texts, Fraction(0), Fraction(8))
    assert all(c.end - c.start >= 1 for c in roomy) and roomy[-1].end == 8
    crowded = timed_cues(texts, Fraction(0), Fraction(3))
    assert len(crowded) <= 3 and all(c.end - c.start >= 1 for c in crowded) and crowded[-1].end == 3
    words = " ".join(" ".join(c.lines) for c in crowded).split()
    assert words == " ".join(t.replace("\n", " ") for t in texts).split()  # nothing lost in merging


_WORDS = ["ab", "bis", "01.02.2027", "1.", "März", "2027", "\u2013", "\u00b7", "Team,", "mit", "Supervision.",
          "Donaudampfschifffahrtsgesellschaft", "bewerbung@diakonie-musterstadt.de", "30", "Std.", "\n", "Ende!"]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join), min_size=1, max_size=5),
       st.integers(1, 120))
def test_cues_keep_every_word_fill_the_span_and_last_a_second(texts: list[str], tenths: int) -> None:
    span = Fraction(tenths, 10)
    cues = timed_cues(texts, Fraction(0), span)
    assert " ".join(" ".join(c.lines) for c in cues).split() == " ".join(texts).split()  # nothing lost or added
    if cues:
        assert cues[0].start == 0 and cues[-1].end == span
        assert all(a.end == b.start for a, b in itertools.pairwise(cues))
        if span >= len(cues):
            assert all(c.end - c.start >= 1 for c in cues)

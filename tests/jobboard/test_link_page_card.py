"""The job board's closing card names the link page (``link_page_url`` in channel.yaml)."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

pytestmark = pytest.mark.skipif(not (EXAMPLES / "jobs.csv").is_file(), reason="example channel not present")


@pytest.fixture
def example_channel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(EXAMPLES / "channel", tmp_path / "channel")
    return tmp_path / "channel" / "channel.yaml"


def _board(channel: Path):
    from vidcoop import jobboard

    checked = jobboard.validate(EXAMPLES / "jobs.csv", channel, "2026-W48")
    return jobboard.build_episode(checked, channel, "2026-W48")[-1]


def test_the_outro_shows_where_all_jobs_are(example_channel: Path) -> None:
    episode = _board(example_channel)
    outro = episode.segments[-1]
    assert outro.kind == "outro" and outro.duration is not None and outro.duration >= 3  # time to read it
    last = episode.extra["jobboard"].cues[-1]
    assert last.lines == ("Alle Stellen: wegezumjob.example/jobs",)
    assert episode.extra["jobboard"].cues[-1].end <= sum(
        (s.duration or Fraction(0) for s in episode.segments), Fraction(0))


def test_a_format_with_an_end_card_shows_the_link_there(example_channel: Path) -> None:
    text = example_channel.read_text(encoding="utf-8")
    example_channel.write_text(text.replace("structure: {intro: true, end_card: false, outro: true}",
                                            "structure: {intro: true, end_card: true, outro: true}"),
                               encoding="utf-8")
    episode = _board(example_channel)
    kinds = [s.kind for s in episode.segments]
    assert kinds[-2:] == ["endcard", "outro"]
    cues = [" ".join(c.lines) for c in episode.extra["jobboard"].cues]
    assert "Alle Stellen: wegezumjob.example/jobs" in cues
    assert not any("Alle Stellen" in t for t in cues[-1:])  # the outro keeps the kit's own words


def test_without_a_link_page_url_the_outro_is_the_kits(example_channel: Path) -> None:
    text = example_channel.read_text(encoding="utf-8")
    example_channel.write_text("\n".join(line for line in text.splitlines() if not line.startswith("link_page_url")),
                               encoding="utf-8")
    episode = _board(example_channel)
    last = episode.extra["jobboard"].cues[-1]
    assert "Bis nächste Woche!" in last.lines and not any("Alle Stellen" in line for line in last.lines)

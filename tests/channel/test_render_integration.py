"""The policy and the audit report inside a real render (small, preview profile)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.errors import PolicyError
from vidcoop.timeline.model import Episode, Overlay, Segment

from .conftest import EXAMPLE_CHANNEL

PARTNERS = EXAMPLE_CHANNEL.parent / "partners"
DIAKONIE = "diakonie-musterstadt"


def _episode(fmt: str, job_card: Path) -> Episode:
    return Episode(
        segments=[Segment(PARTNERS / "diakonie-musterstadt-bumper.png", duration=2, kind="bumper", partner=DIAKONIE),
                  Segment(job_card, duration=2, kind="card", partner=DIAKONIE)],
        overlays=[Overlay(PARTNERS / "diakonie-musterstadt.png", anchor="bottom", margin=560, width=400,
                          start=Fraction(5, 2), end=Fraction(13, 2), partner=DIAKONIE, kind="logo")],
        format=fmt, channel=EXAMPLE_CHANNEL, name=f"it-{fmt}", profile="preview",
    )


@pytest.fixture()
def job_card(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "job.png"
    Image.new("RGB", (540, 960), (40, 80, 120)).save(path)
    return path


def test_partner_in_explainer_renders_nothing(tmp_path: Path, job_card: Path) -> None:
    from vidcoop.pipeline import render

    out = tmp_path / "explainer.mp4"
    with pytest.raises(PolicyError) as info:
        render(_episode("erklaervideo", job_card), out)
    assert info.value.rule == "no-partner-slots"
    assert list(tmp_path.iterdir()) == [job_card]  # no video, no report, no temp file


@pytest.mark.slow
def test_job_board_render_writes_the_audit_report(tmp_path: Path, job_card: Path) -> None:
    from vidcoop.pipeline import render

    out = tmp_path / "board.mp4"
    result = render(_episode("stellenboerse", job_card), out)
    assert result.report == tmp_path / "board.report.json"
    data = json.loads(result.report.read_text(encoding="utf-8"))
    assert (data["format"], data["brand_kit"], data["channel"]) == ("stellenboerse", "wege-zum-job", "Wege zum Job")
    [partner] = data["partners"]
    assert partner["id"] == DIAKONIE
    # the kit's intro (2.5 s) comes first, so the bumper starts at 2.5 s and the card at 4.5 s
    assert [(a["kind"], a["start"], a["length"]) for a in partner["appearances"]] == [
        ("bumper", 2.5, 2.0), ("logo", 2.5, 4.0), ("card", 4.5, 2.0)]
    assert partner["screen_time"] == 4.0
    assert "partner-logo-in-slot" in data["checks"]["passed"]
    assert result.policy is not None and "partner-media" in result.policy.passed
    assert all(a["labelled"] for a in partner["appearances"])
    assert data["episode"]["duration"] == pytest.approx(float(result.duration), abs=0.04)


def test_unlabelled_partner_logo_renders_nothing(tmp_path: Path, job_card: Path) -> None:
    import vidcoop

    copy = tmp_path / "team-logo.png"
    copy.write_bytes((PARTNERS / "diakonie-musterstadt.png").read_bytes())
    episode = Episode([Segment(job_card, duration=2)], overlays=[Overlay(copy, width=200)], format="erklaervideo",
                      channel=EXAMPLE_CHANNEL, profile="preview")
    with pytest.raises(PolicyError) as info:
        vidcoop.render(episode, tmp_path / "out.mp4")
    assert info.value.rule == "unlabelled-partner-media" and info.value.field == "overlays.0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.png", "team-logo.png"]

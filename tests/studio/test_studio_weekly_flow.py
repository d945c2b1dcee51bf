"""The weekly flow as the studio sees it: the week page says the order (previews, review, ``batch --final``),
and a preview the batch rendered is the one the studio shows while it fits the episode's content."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from vidcoop.batch import BatchOptions, load_week, run_batch
from vidcoop.studio.app import create_app
from vidcoop.studio.week import WeekView

from .conftest import EPISODE, TRANSCRIPT

BATCH_FAKES = Path(__file__).resolve().parents[1] / "batch"


def test_week_page_names_the_final_step_with_this_weeks_file(example_week: Path) -> None:
    german = TestClient(create_app(example_week), base_url="http://127.0.0.1:8765").get("/")
    assert german.status_code == 200
    assert "Vorschau ansehen, Untertitel korrigieren, freigeben" in german.text
    assert "„vidcoop batch week.yaml --final“ die Endfassungen der freigegebenen Videos" in german.text
    english = TestClient(create_app(example_week, lang="en"), base_url="http://127.0.0.1:8765").get("/")
    assert "vidcoop batch week.yaml --final&#34; renders the finals of the approved videos" in english.text \
        or 'vidcoop batch week.yaml --final" renders the finals of the approved videos' in english.text


def test_the_studio_shows_the_batchs_preview_while_it_fits_the_content(
    example_week: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BATCH_FAKES))
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "batch_fakes:fake_render")
    before = WeekView.open(example_week).get(EPISODE)
    assert before is not None and before.preview is not None and before.preview.name.endswith(".mp4")
    report = run_batch(example_week, BatchOptions(scheduler="inline"))
    assert report.ok, [e.line for e in report.episodes]
    out = load_week(example_week).output
    info = WeekView.open(example_week).get(EPISODE)
    assert info is not None and info.preview == out / f"{EPISODE}.preview.mp4"  # one file for batch and studio
    assert info.status == "preview ready"
    # a caption fix changes the content: the batch's file no longer fits, the studio renders its own
    srt = example_week.parent / "episodes" / TRANSCRIPT
    srt.write_text(srt.read_text(encoding="utf-8").replace("Bürgergeld", "Buergergeld", 1), encoding="utf-8")
    fixed = WeekView.open(example_week).get(EPISODE)
    assert fixed is not None and fixed.preview is not None and fixed.preview.parent != out
    assert fixed.preview != before.preview

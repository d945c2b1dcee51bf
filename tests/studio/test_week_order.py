"""The week page says the weekly order: previews, review, then ``batch --final`` for the approved finals."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from vidcoop.studio.app import create_app


def test_week_page_names_the_final_step_with_this_weeks_file(example_week: Path) -> None:
    german = TestClient(create_app(example_week), base_url="http://127.0.0.1:8765").get("/")
    assert german.status_code == 200
    assert "Vorschau ansehen, Untertitel korrigieren, freigeben" in german.text
    assert "„vidcoop batch week.yaml --final“ die Endfassungen der freigegebenen Videos" in german.text
    english = TestClient(create_app(example_week, lang="en"), base_url="http://127.0.0.1:8765").get("/")
    assert "vidcoop batch week.yaml --final&#34; renders the finals of the approved videos" in english.text \
        or 'vidcoop batch week.yaml --final" renders the finals of the approved videos' in english.text

"""The week page shows each picture shape an episode is posted in (#30): per shape a link that opens the
episode with that shape's preview (``?shape=``), its preview's state and its final video's state (up to date,
out of date, missing), in German like the rest of the studio.

The channel's platforms ask for 4:5 and 16:9 (``renditions:`` in channel.yaml). The finals are recorded as the
batch records them (its state file, under the key it renders each shape with); the previews are faked (the
``rendered`` fixture).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from vidcoop.batch.state import BatchState
from vidcoop.channel.config import ChannelCache
from vidcoop.files import atomic_write_bytes
from vidcoop.review import FileHasher, input_dirs
from vidcoop.review.keys import rendition_key
from vidcoop.studio.app import create_app
from vidcoop.studio.previews import PreviewJob, job_name
from vidcoop.studio.week import WeekView

from .conftest import EPISODE, channel_renditions, preview_samples
from .serving import chromium_or_skip, chromium_page, csrf_token, screenshot_dir, serve

SHAPES = ["9:16", "4:5", "16:9"]


@pytest.fixture
def shaped_week(example_week: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example week whose channel posts 4:5 on Instagram and 16:9 on YouTube, with a cache of its own
    (no preview another test made), and the explainer's finals as a batch left them: 9:16 up to date, 4:5
    made from older content, 16:9 not made."""
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    channel_renditions(example_week, '{instagram: ["9:16", "4:5"], youtube: ["16:9"]}')
    view = WeekView.open(example_week)
    info = view.get(EPISODE)
    assert view.week is not None and info is not None and info.episode is not None
    assert info.shapes == tuple(SHAPES)
    state = BatchState.load(view.week.output)
    dirs = input_dirs(info.episode, ChannelCache(), view.week.brand_kit)
    hasher = FileHasher(exclude=[view.week.output])
    finals = {r.shape: r.final for r in info.renditions}
    for shape, key in (("9:16", rendition_key(info.episode, "final", "9:16", hasher=hasher, kit_dirs=dirs)),
                       ("4:5", "made-before-the-last-edit")):
        atomic_write_bytes(finals[shape], b"final " + shape.encode())
        state.record(finals[shape], key, EPISODE, 1.0)
    return example_week


def _states(html: str, episode: str = EPISODE) -> dict[str, tuple[str, str]]:
    """Each shape's (preview, final) state in ``episode``'s row of the week page."""
    import re

    row = html.split(f'<tr data-episode="{episode}">', 1)[1].split("</tr>", 1)[0]
    return {shape: (preview, final) for shape, preview, final in re.findall(
        r'<li data-shape="([^"]+)">.*?data-preview="([^"]+)".*?data-final="([^"]+)"', row, flags=re.S)}


def test_week_page_and_json_list_each_shape_with_its_states(shaped_week: Path, rendered: list[Any]) -> None:
    with TestClient(create_app(shaped_week), base_url="http://127.0.0.1:8765") as client:
        html = client.get("/").text
        assert ">Bildformate<" in html
        assert _states(html) == {"9:16": ("missing", "current"), "4:5": ("missing", "stale"),
                                 "16:9": ("missing", "missing")}
        assert 'href="/episodes/was-ist-buergergeld?shape=4%3A5"' in html
        assert 'aria-label="4:5 (Feed) öffnen"' in html
        for words in ("Endfassung aktuell", "Endfassung veraltet", "keine Endfassung", "keine Vorschau"):
            assert words in html
        rows = {r["name"]: r for r in client.get("/api/week").json()["episodes"]}
        assert [(r["shape"], r["preview"], r["final"], r["final_file"]) for r in rows[EPISODE]["renditions"]] == [
            ("9:16", "missing", "current", f"{EPISODE}.mp4"), ("4:5", "missing", "stale", f"{EPISODE}.4x5.mp4"),
            ("16:9", "missing", "missing", f"{EPISODE}.16x9.mp4")]

        # the 16:9 preview made (as the episode page asks for it): up to date on the week page, the others not
        csrf = csrf_token(client, f"/episodes/{EPISODE}")
        r = client.post(f"/api/episodes/{EPISODE}/preview?shape=16:9", content="{}",
                        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
        assert r.status_code == 200
        deadline = time.monotonic() + 20
        while client.get(f"/api/episodes/{EPISODE}/preview?shape=16:9").json()["state"] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert _states(client.get("/").text)["16:9"] == ("current", "missing")
        assert [s for s, _, _ in rendered] == ["16:9"]

        # a preview this studio is rendering now says so
        studio = client.app.state.studio  # type: ignore[attr-defined]
        info = studio.week().get(EPISODE)
        studio.previews.jobs[job_name(EPISODE, "4:5")] = PreviewJob("running", 0.3, "", info.preview_of("4:5"))
        html = client.get("/").text
        assert _states(html)["4:5"] == ("rendering", "stale") and "Vorschau wird erstellt" in html


@pytest.mark.slow
def test_a_shape_link_opens_the_episode_with_that_shape_in_chromium(
        shaped_week: Path, rendered: list[Any], tmp_path: Path, make_media: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    """German UI: the week page's cells per shape; the 4:5 link opens the episode with the 4:5 preview asked
    for and shown; back on the week page the 4:5 preview is up to date."""
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    preview_samples(tmp_path, make_media)
    shots = screenshot_dir()
    with capsys.disabled():
        print(f"\nstudio screenshots: {shots}")
    errors: list[str] = []
    asked: list[str] = []
    with serve(create_app(shaped_week)) as url, sync_playwright() as p:
        page = chromium_page(p, chromium, errors)
        page.on("request", lambda r: asked.append(f"{r.method} {unquote(r.url.removeprefix(url))}"))
        page.goto(url)
        row = page.locator(f'tr[data-episode="{EPISODE}"]')
        expect(page.get_by_role("columnheader", name="Bildformate")).to_be_visible()
        cells = {shape: row.locator(f'li[data-shape="{shape}"]') for shape in SHAPES}
        expected = {"9:16": ("keine Vorschau", "Endfassung aktuell"),
                    "4:5": ("keine Vorschau", "Endfassung veraltet"),
                    "16:9": ("keine Vorschau", "keine Endfassung")}
        for shape, (preview, final) in expected.items():
            expect(cells[shape].locator("[data-preview]")).to_have_text(preview)
            expect(cells[shape].locator("[data-final]")).to_have_text(final)
        page.screenshot(path=str(shots / "week-shapes-de.png"), full_page=True)

        asked.clear()
        row.get_by_role("link", name="4:5 (Feed) öffnen").click()
        page.wait_for_url(f"{url}/episodes/{EPISODE}?shape=4%3A5")
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        switcher = page.get_by_role("group", name="Bildformat")
        expect(switcher.get_by_role("button", name="4:5")).to_have_attribute("aria-pressed", "true")
        video = page.locator("#video")
        expect(video).to_have_attribute("data-shape", "4:5")
        expect(video).to_have_attribute("data-ready", "true")
        page.wait_for_function("document.getElementById('video').videoWidth === 540")
        assert page.evaluate("[document.getElementById('video').videoWidth, "
                             "document.getElementById('video').videoHeight]") == [540, 676]
        assert f"POST /api/episodes/{EPISODE}/preview?shape=4:5" in asked, asked
        assert [(s, size) for s, size, _ in rendered] == [("4:5", (540, 676))]

        # switching shape on the page changes the address; a reload keeps the shape
        switcher.get_by_role("button", name="16:9").click()
        page.wait_for_url(f"{url}/episodes/{EPISODE}?shape=16%3A9")
        expect(video).to_have_attribute("data-ready", "true")
        page.reload()
        expect(page.locator("#video")).to_have_attribute("data-shape", "16:9")

        page.get_by_role("link", name="Zur Woche").click()
        page.wait_for_url(f"{url}/")
        for shape, (preview, final) in {**expected, "4:5": ("Vorschau aktuell", "Endfassung veraltet"),
                                        "16:9": ("Vorschau aktuell", "keine Endfassung")}.items():
            expect(cells[shape].locator("[data-preview]")).to_have_text(preview)
            expect(cells[shape].locator("[data-final]")).to_have_text(final)
        page.screenshot(path=str(shots / "week-shapes-after-de.png"), full_page=True)
        page.context.browser.close()
    assert errors == []

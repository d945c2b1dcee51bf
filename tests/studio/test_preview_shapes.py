"""The studio previews each picture shape the episode is posted in (#30): a switcher beside the preview, one
preview per shape (the ``preview`` profile at that shape), each keyed by that shape's own content.

The renders are faked (the real preview render is covered by test_preview_captions.py and the engine's shape
tests): the ``rendered`` fixture (conftest.py) records the profile each was given and writes a small file where
the preview goes.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from vidcoop.studio.app import create_app

from .conftest import EPISODE, channel_renditions, preview_samples
from .serving import CHROMIUM_ARGS, chromium_or_skip, csrf_token, screenshot_dir, serve

PAGE = f"/episodes/{EPISODE}"  # where the tests read the editor's CSRF token

SHAPES = ["1:1", "16:9"]


def _with_shapes(example_week: Path, shapes: list[str] = SHAPES) -> Path:
    """The explainer asks for ``shapes`` besides 9:16 (``renditions:`` in its manifest)."""
    manifest = example_week.parent / "episodes" / f"{EPISODE}.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + f"renditions: {json.dumps(shapes)}\n", encoding="utf-8")
    return manifest


def _client(week: Path) -> TestClient:
    return TestClient(create_app(week), base_url="http://127.0.0.1:8765")


def _done(client: TestClient, query: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        state: dict[str, Any] = client.get(f"/api/episodes/{EPISODE}/preview{query}").json()
        if state["state"] != "running" or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def test_preview_per_shape_keyed_by_that_shape(example_week: Path, rendered: list[Any]) -> None:
    manifest = _with_shapes(example_week)
    with _client(example_week) as client:
        html = client.get(f"/episodes/{EPISODE}").text
        assert re.findall(r'data-shape="([^"]+)" aria-pressed', html) == ["9:16", *SHAPES]  # only what it is posted in
        assert "Bildformat" in html and "Quadrat" in html
        csrf = csrf_token(client, PAGE)
        post = {"headers": {"X-CSRF-Token": csrf, "Content-Type": "application/json"}, "content": "{}"}
        # an unknown shape, and a known one the episode is not posted in: one clear line each, nothing rendered
        r = client.post(f"/api/episodes/{EPISODE}/preview?shape=2:1", **post)
        assert r.status_code == 400
        assert r.json() == {"field": "shape",
                            "error": "shape: unknown picture shape '2:1' (known: 9:16, 4:5, 1:1, 16:9)"}
        r = client.post(f"/api/episodes/{EPISODE}/preview?shape=4:5", **post)
        assert r.status_code == 400
        assert r.json()["error"] == f"shape: episode '{EPISODE}' is not posted in 4:5 (its shapes: 9:16, 1:1, 16:9)"
        assert client.get(f"/episodes/{EPISODE}/preview.mp4?shape=nope").status_code == 400
        assert rendered == []

        # 1:1 renders at the preview profile's 540 px short side, to its own file
        assert client.post(f"/api/episodes/{EPISODE}/preview?shape=1:1", **post).status_code == 200
        state = _done(client, "?shape=1:1")
        assert state["state"] == "done" and state["shape"] == "1:1", state
        assert "shape=1:1&v=" in state["url"]
        assert [(s, size) for s, size, _ in rendered] == [("1:1", (540, 540))]
        square = rendered[0][2]
        assert client.get(state["url"]).content == square.read_bytes()
        # the 9:16 and 16:9 previews are other files, not made by that
        assert client.get(f"/api/episodes/{EPISODE}/preview").json()["state"] == "idle"
        assert client.get(f"/api/episodes/{EPISODE}/preview?shape=16:9").json()["state"] == "idle"
        client.post(f"/api/episodes/{EPISODE}/preview?shape=16:9", **post)
        assert _done(client, "?shape=16:9")["state"] == "done"
        client.post(f"/api/episodes/{EPISODE}/preview", **post)
        assert _done(client, "")["state"] == "done"
        assert [(s, size) for s, size, _ in rendered] == [("1:1", (540, 540)), ("16:9", (960, 540)),
                                                          ("9:16", (540, 960))]
        assert len({p for _, _, p in rendered}) == 3
        # asking again renders nothing: each shape's preview is there
        for query in ("?shape=1:1", "?shape=16:9", ""):
            assert client.post(f"/api/episodes/{EPISODE}/preview{query}", **post).json()["state"] == "done"
        assert len(rendered) == 3

        # a change to the 1:1 layout only: only the 1:1 preview is stale and renders again
        text = manifest.read_text(encoding="utf-8")
        assert "    reframe: fit-blur\n" in text
        manifest.write_text(text.replace("    reframe: fit-blur\n",
                                         '    reframe: {mode: fit-blur, shapes: {"1:1": {mode: fit-pad}}}\n'),
                            encoding="utf-8")
        states = {q: client.post(f"/api/episodes/{EPISODE}/preview{q}", **post).json()["state"]
                  for q in ("", "?shape=16:9", "?shape=1:1")}
        assert states["?shape=16:9"] == "done" and states[""] == "done"
        assert _done(client, "?shape=1:1")["state"] == "done"
        assert [s for s, _, _ in rendered] == ["1:1", "16:9", "9:16", "1:1"]
        assert rendered[3][2] != square


def test_one_shape_shows_no_switcher(example_week: Path) -> None:
    """The example channel posts 9:16 only: no switcher, and ``?shape=1:1`` is refused."""
    with _client(example_week) as client:
        assert 'id="shapes"' not in client.get(f"/episodes/{EPISODE}").text
        r = client.get(f"/api/episodes/{EPISODE}/preview?shape=1:1")
        assert r.status_code == 400 and "is not posted in 1:1 (its shapes: 9:16)" in r.json()["error"]


@pytest.mark.slow
def test_switching_to_1x1_in_chromium(example_week: Path, rendered: list[Any], tmp_path: Path, make_media: Any,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """German UI: choose 1:1, the video's box turns square and the 1:1 preview is asked for and played;
    the choice is kept across a reload."""
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    preview_samples(tmp_path, make_media)
    _with_shapes(example_week)
    shots = screenshot_dir()
    with capsys.disabled():
        print(f"\nstudio screenshots: {shots}")
    errors: list[str] = []
    asked: list[str] = []
    with serve(create_app(example_week)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", lambda r: asked.append(f"{r.method} {unquote(r.url.removeprefix(url))}"))
        page.set_default_timeout(30_000)
        page.goto(f"{url}/episodes/{EPISODE}")
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        video = page.locator("#video")
        expect(video).to_have_attribute("data-ready", "true")
        switcher = page.get_by_role("group", name="Bildformat")
        expect(switcher.get_by_role("button")).to_have_count(3)
        expect(switcher.get_by_role("button", name="9:16")).to_have_attribute("aria-pressed", "true")
        box = video.bounding_box()
        assert box is not None and (round(box["width"]), round(box["height"])) == (360, 640), box

        asked.clear()
        switcher.get_by_role("button", name="1:1").click()
        expect(switcher.get_by_role("button", name="1:1")).to_have_attribute("aria-pressed", "true")
        expect(switcher.get_by_role("button", name="9:16")).to_have_attribute("aria-pressed", "false")
        expect(video).to_have_attribute("data-ready", "true")
        page.wait_for_function("document.getElementById('video').videoWidth > 0")
        box = video.bounding_box()
        assert box is not None and (round(box["width"]), round(box["height"])) == (360, 360), box
        # the element has the video's own shape: nothing letterboxed
        assert page.evaluate("[document.getElementById('video').videoWidth, "
                             "document.getElementById('video').videoHeight]") == [540, 540]
        assert f"POST /api/episodes/{EPISODE}/preview?shape=1:1" in asked, asked
        assert any(a.startswith(f"GET /episodes/{EPISODE}/preview.mp4?shape=1:1&v=") for a in asked), asked
        assert not any("preview.mp4?v=" in a for a in asked), asked  # the 9:16 file is not fetched again
        assert [s for s, _, _ in rendered] == ["9:16", "1:1"]
        page.screenshot(path=str(shots / "preview-shapes-1x1-de.png"), full_page=True)

        # kept across a reload (the other studio state is kept the same way)
        page.reload()
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        expect(video).to_have_attribute("data-shape", "1:1")
        expect(video).to_have_attribute("data-ready", "true")
        expect(page.get_by_role("group", name="Bildformat").get_by_role("button", name="1:1")
               ).to_have_attribute("aria-pressed", "true")

        page.get_by_role("group", name="Bildformat").get_by_role("button", name="16:9").click()
        expect(video).to_have_attribute("data-ready", "true")
        page.wait_for_function("document.getElementById('video').videoWidth === 960")
        box = video.bounding_box()
        assert box is not None and (round(box["width"]), round(box["height"])) == (360, 202), box
        page.screenshot(path=str(shots / "preview-shapes-16x9-de.png"), full_page=True)
        browser.close()
    assert errors == []


def test_channel_renditions_name_the_shapes_in_english_too(example_week: Path, rendered: list[Any]) -> None:
    """The channel's platforms ask for shapes (``renditions:`` in channel.yaml): the switcher offers those, in
    registry order after 9:16, with English words under --lang en; the 4:5 preview renders at 540x676."""
    channel_renditions(example_week, '{youtube: ["16:9"], instagram: ["9:16", "4:5"]}')
    with TestClient(create_app(example_week, lang="en"), base_url="http://127.0.0.1:8765") as client:
        html = client.get(f"/episodes/{EPISODE}").text
        assert re.findall(r'data-shape="([^"]+)" aria-pressed', html) == ["9:16", "4:5", "16:9"]
        assert ">Picture shape:<" in html and ">landscape<" in html and "Bildformat" not in html
        headers = {"X-CSRF-Token": csrf_token(client, PAGE), "Content-Type": "application/json"}
        post = {"headers": headers, "content": "{}"}
        client.post(f"/api/episodes/{EPISODE}/preview?shape=4:5", **post)
        assert _done(client, "?shape=4:5")["state"] == "done"
        assert [(s, size) for s, size, _ in rendered] == [("4:5", (540, 676))]

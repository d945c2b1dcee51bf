"""The studio in a real browser: Playwright driving Debian's chromium against a real uvicorn server.

One walk through the issue's flow on a copy of the example week (its explainer reads
``transcript.srt`` instead of transcribing): open the week, play the preview, correct cue 1
and save, see the edit in the VTT track, approve, change a source byte, and let
``vidcoop batch --approved-only`` skip what is not approved. Screenshots of every page go
to a temp folder (printed), for CI artefacts and for people to look at.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from .conftest import EPISODE, TRANSCRIPT
from .serving import CHROMIUM_ARGS, chromium_or_skip, screenshot_dir, serve

BOARD = "stellenboerse-kw48"
BATCH_FAKES = Path(__file__).resolve().parents[1] / "batch"

pytestmark = pytest.mark.slow  # renders the example explainer's preview


def test_review_flow_in_chromium(
    example_week: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    from vidcoop.studio.app import create_app

    shots = screenshot_dir()
    with capsys.disabled():
        print(f"\nstudio screenshots: {shots}")
    episodes = example_week.parent / "episodes"
    errors: list[str] = []
    with serve(create_app(example_week)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.set_default_timeout(60_000)

        # the week
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text("KW 48")
        board_title = "Stellenbörse der Woche 23.\u201329. November 2026"  # the board's title, not its slug
        expect(page.get_by_role("link", name=board_title, exact=True)).to_be_visible()
        page.screenshot(path=str(shots / "1-week.png"), full_page=True)

        # an episode: the preview renders with live progress, then plays
        page.get_by_role("link", name="Was ist Bürgergeld?", exact=True).click()
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        video = page.get_by_role("region", name="Vorschau").locator("video")
        expect(video).to_have_attribute("data-ready", "true", timeout=300_000)
        page.evaluate("""async () => { const v = document.querySelector('video'); v.muted = true;
                         await v.play(); }""")
        page.wait_for_function("document.querySelector('video').currentTime > 0.5")
        page.evaluate("document.querySelector('video').pause()")
        assert page.evaluate("document.querySelector('video').videoWidth") == 540

        # the cue being spoken is highlighted; clicking a cue seeks there
        page.locator(".cue .time").nth(3).click()
        page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 9.0) < 0.1")
        expect(page.locator(".cue").nth(3)).to_have_attribute("aria-current", "true")
        expect(page.locator(".cue").nth(2)).to_contain_text("kürzer als 1 s")  # a rule breach, with its reason

        # correct cue 1: the track shows it at once, the save writes the file and the manifest
        cue1 = page.get_by_label("Untertitel 1", exact=True)
        cue1.fill("Was ist das Bürgergeld?")
        assert page.evaluate("document.querySelector('video').textTracks[0].cues[0].text") == "Was ist das Bürgergeld?"
        page.screenshot(path=str(shots / "2-episode-edit.png"), full_page=True)
        src, at = page.evaluate("[document.querySelector('video').src, document.querySelector('video').currentTime]")
        with page.expect_response(lambda r: r.url.endswith("/preview") and r.request.method == "POST"):
            page.get_by_role("button", name="Untertitel speichern").click()  # the save asks for the preview again
        expect(page.get_by_role("status")).to_have_text("Gespeichert")
        # the preview does not depend on the captions (the track shows them): the video is not reloaded
        assert page.evaluate("document.querySelector('video').src") == src
        assert page.evaluate("document.querySelector('video').currentTime") == pytest.approx(at, abs=0.05)
        manifest = (episodes / f"{EPISODE}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(manifest)["captions"]["file"] == f"{EPISODE}.captions.srt"
        assert "# An explainer" in manifest and "# the kit's logo over the body" in manifest
        assert "Was ist eigentlich Bürgergeld?" in (episodes / TRANSCRIPT).read_text(encoding="utf-8")
        page.reload()
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        page.wait_for_function("document.querySelector('video').textTracks[0].cues?.length > 0")
        assert (
            page.evaluate("document.querySelector('video').textTracks[0].cues[0].text") == "Was ist das Bürgergeld?"
        )  # the track as served after the save

        # approve
        page.get_by_label("Name", exact=True).fill("Anna Becker")
        page.get_by_label("Organisation").fill("Caritas Musterstadt")
        page.get_by_label("Kommentar").fill("Passt so.")
        page.get_by_role("button", name="Freigeben", exact=True).click()
        # three cues break rules: the page asks first
        expect(page.get_by_role("alertdialog")).to_contain_text("3 Untertitel verletzen Regeln: trotzdem freigeben?")
        page.get_by_role("button", name="Trotzdem freigeben").click()
        expect(page.get_by_role("status")).to_have_text("Freigegeben")
        expect(page.locator("#review-status")).to_have_attribute("data-status", "approved")
        expect(page.locator("#history")).to_contain_text("Anna Becker (Caritas Musterstadt)")
        page.locator(".cue .time").nth(3).click()  # the track draws cue 4 over the picture
        page.wait_for_function("document.querySelector('video').textTracks[0].activeCues?.length > 0")
        page.screenshot(path=str(shots / "3-episode-approved.png"), full_page=True)

        # the job board: cards by partner; one row gets a change request, then the board is approved
        page.goto(f"{url}/episodes/{BOARD}")
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        cards = page.locator(".card")
        total = cards.count()
        assert total >= 3
        page.get_by_label("Partner").select_option("diakonie-musterstadt")
        visible = page.locator(".card:visible")
        assert 0 < visible.count() < total
        assert all(c.get_attribute("data-partner") == "diakonie-musterstadt" for c in visible.all())
        page.screenshot(path=str(shots / "4-jobboard.png"), full_page=True)
        page.get_by_label("Name", exact=True).fill("Diakonie Redaktion")
        visible.first.get_by_role("button", name="Änderungen anfordern: Zeile", exact=False).click()
        expect(page.get_by_role("status")).to_have_text("Gemeldet")
        page.get_by_role("button", name="Freigeben", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Freigegeben")

        # a source byte changes: the explainer's approval no longer holds
        source = example_week.parent / "footage" / "phone.mp4"
        data = bytearray(source.read_bytes())
        data[len(data) // 2] ^= 0xFF
        source.write_bytes(bytes(data))
        page.goto(url)
        row = page.locator(f'tr[data-episode="{EPISODE}"] .status')
        expect(row).to_have_attribute("data-status", "changed since approval")
        expect(row).to_have_text("seit Freigabe geändert")
        page.screenshot(path=str(shots / "5-week-changed.png"), full_page=True)
        browser.close()
    assert errors == []

    # batch --approved-only: the approved job board renders (a stand-in render), the explainer waits
    from click.testing import CliRunner

    from vidcoop.cli.main import cli

    monkeypatch.syspath_prepend(str(BATCH_FAKES))
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "batch_fakes:fake_render")
    result = CliRunner().invoke(
        cli, ["batch", str(example_week), "--approved-only", "--scheduler", "inline", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "awaiting review" in result.output
    import json

    from vidcoop.batch.manifest import load_week

    report = json.loads((load_week(example_week).output / "batch-report.json").read_text("utf-8"))
    status = {e["episode"]: e["status"] for e in report["episodes"]}
    assert status == {EPISODE: "awaiting review", BOARD: "rendered"}
    assert "batch_fakes" in sys.modules

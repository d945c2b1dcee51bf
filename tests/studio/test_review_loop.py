"""The review loop as editors live it (issue 24, the studio half), in Debian's chromium with the German UI.

Nothing typed is lost (delete and undo, a draft after a reload or a crash, a warning before leaving,
a failed save that keeps every edit and names the cue as the screen does); an approval with open
points asks first and the answer is recorded; the preview at phone size, cards that open large, a
cue list in the page's height and a "Nächstes Problem" button.

These tests need no preview render: the page's request to start one is answered "idle" by the
browser (``page.route``), so they run in seconds on a shared machine.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vidcoop.review import reviews_path

from .conftest import EPISODE, TRANSCRIPT
from .serving import CHROMIUM_ARGS, chromium_or_skip, csrf_token, screenshot_dir, serve

BOARD = "stellenboerse-kw48"
EDITED = f"{EPISODE}.captions.srt"

pytestmark = pytest.mark.slow  # a real browser and server per test


def _long_transcript(week: Path, count: int = 12) -> None:
    """Give the explainer ``count`` cues of 1.2 s (the example transcript has 5): room for 8 edits and a 10th."""
    lines = []
    for i in range(count):
        start, end = 2000 + i * 1500, 3200 + i * 1500
        lines.append(f"{i + 1}\n{_ts(start)} --> {_ts(end)}\nSatz Nummer {i + 1} hier.\n")
    (week.parent / "episodes" / TRANSCRIPT).write_text("\n".join(lines), encoding="utf-8")


def _ts(ms: int) -> str:
    return f"00:00:{ms // 1000:02d},{ms % 1000:03d}"


@contextlib.contextmanager
def studio(week: Path, viewport: dict[str, int] | None = None) -> Iterator[tuple[Any, Any, str, list[str]]]:
    """A served studio and a chromium page on it: (context, page, url, errors seen by the page)."""
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    from vidcoop.studio.app import create_app

    errors: list[str] = []
    with serve(create_app(week)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        context.set_default_timeout(30_000)

        def no_render(route: Any) -> None:  # no preview render in these tests
            if route.request.method == "POST":
                route.fulfill(status=200, content_type="application/json", body='{"state": "idle", "fraction": 0}')
            else:
                route.continue_()

        context.route(re.compile(r".*/api/episodes/[^/]+/preview$"), no_render)
        page = context.new_page()
        watch(page, errors)
        try:
            yield context, page, url, errors
        finally:
            browser.close()


def watch(page: Any, errors: list[str]) -> None:
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)


def open_episode(page: Any, url: str, name: str = EPISODE) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/episodes/{name}")
    expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")


def cue_texts(page: Any) -> list[str]:
    return page.locator(".cue textarea").evaluate_all("(els) => els.map((e) => e.value)")


def saved_texts(week: Path) -> list[str]:
    """The cue texts of the saved caption file (one string per cue)."""
    import pysubs2

    subs = pysubs2.load(str(week.parent / "episodes" / EDITED), encoding="utf-8")
    return [line.plaintext for line in subs]


def shot(page: Any, name: str, full_page: bool = False) -> None:
    """What the editor sees (the viewport: the preview and the cue bar stay in view as the page scrolls)."""
    page.screenshot(path=str(screenshot_dir() / name), full_page=full_page)


# --- nothing typed is lost -----------------------------------------------------------------------


def test_delete_a_cue_undo_several_steps_then_save(example_week: Path) -> None:
    from playwright.sync_api import expect

    with studio(example_week) as (_, page, url, errors):
        open_episode(page, url)
        original = cue_texts(page)
        assert len(original) == 5
        page.get_by_label("Untertitel 1", exact=True).fill("Was ist das Bürgergeld?")  # step 1
        page.locator(".cue").nth(2).get_by_role("button", name="Untertitel löschen").click()  # step 2: "Kurz."
        expect(page.get_by_role("status")).to_have_text("Untertitel 3 gelöscht")
        assert cue_texts(page) == ["Was ist das Bürgergeld?", original[1], original[3], original[4]]
        page.locator(".cue").nth(3).get_by_role("button", name="Untertitel löschen").click()  # step 3
        assert len(cue_texts(page)) == 3
        assert page.evaluate("document.querySelector('video').textTracks[0].cues.length") == 3  # the track too

        page.keyboard.press("Control+z")  # Ctrl+Z, outside any field: the last deletion comes back
        assert cue_texts(page) == ["Was ist das Bürgergeld?", original[1], original[3], original[4]]
        page.get_by_role("button", name="Rückgängig").click()  # and the button: "Kurz." comes back
        assert cue_texts(page) == ["Was ist das Bürgergeld?", *original[1:]]
        page.get_by_label("Untertitel 2", exact=True).focus()
        page.keyboard.press("Control+z")  # Ctrl+Z inside a cue: the typing in cue 1 is undone too
        assert cue_texts(page) == original
        expect(page.get_by_role("button", name="Rückgängig")).to_be_disabled()
        expect(page.get_by_role("status")).to_have_text("Rückgängig gemacht")  # back to the saved state

        page.locator(".cue").nth(2).get_by_role("button", name="Untertitel löschen").click()
        page.get_by_role("button", name="Untertitel speichern").click()
        expect(page.get_by_role("status")).to_have_text("Gespeichert")
        assert saved_texts(example_week) == [t for t in original if t != "Kurz."]
    assert errors == []


def test_a_failed_save_keeps_every_edit_and_names_the_cue_as_the_screen_does(example_week: Path) -> None:
    from playwright.sync_api import expect

    _long_transcript(example_week)
    with studio(example_week) as (_, page, url, errors):
        open_episode(page, url)
        for n in range(1, 9):  # 8 corrections
            page.get_by_label(f"Untertitel {n}", exact=True).fill(f"Korrektur {n}")
        page.get_by_label("Untertitel 10", exact=True).fill("")  # the 10th emptied
        page.get_by_role("button", name="Untertitel speichern").click()
        status = page.get_by_role("status")
        expect(status).to_contain_text("Untertitel 10 hat keinen Text")  # German, counted as the screen counts
        expect(status).to_contain_text("alle Änderungen sind noch da")
        assert "[cues." not in status.text_content() and "a cue has no text" not in status.text_content()
        fault = page.locator(".cue").nth(9)
        expect(fault).to_have_class(re.compile(r"\bfault\b"))
        expect(fault.locator(".rules")).to_contain_text("Untertitel 10 hat keinen Text")  # beside the cue too
        expect(page.get_by_label("Untertitel 10", exact=True)).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Untertitel 10", exact=True)).to_be_focused()
        assert cue_texts(page)[:8] == [f"Korrektur {n}" for n in range(1, 9)]  # nothing lost
        assert not (example_week.parent / "episodes" / EDITED).exists()  # and nothing half-saved
        shot(page, "review-loop-failed-save.png")

        fault.get_by_role("button", name="Untertitel löschen").click()  # the fix: delete the empty cue
        expect(fault).not_to_have_class(re.compile(r"\bfault\b"))
        page.get_by_role("button", name="Untertitel speichern").click()
        expect(status).to_have_text("Gespeichert")
        saved = saved_texts(example_week)
        assert saved[:8] == [f"Korrektur {n}" for n in range(1, 9)] and len(saved) == 11
    assert [e for e in errors if "status of 422" not in e] == []  # the refused save (and check) only


def test_the_server_names_the_cue_in_the_page_language(example_week: Path) -> None:
    """The save endpoint's own message (as any client gets it): "Untertitel 2", not "[cues.1.text]"."""
    from starlette.testclient import TestClient

    from vidcoop.studio.app import create_app

    for lang, says in (("de", "Untertitel 2 hat keinen Text"), ("en", "Cue 2 has no text")):
        client = TestClient(create_app(example_week, lang=lang), base_url="http://127.0.0.1:8765")
        csrf = csrf_token(client)
        data = client.get(f"/api/episodes/{EPISODE}").json()
        cues = data["cues"]
        cues[1]["text"] = " \n "
        r = client.post(f"/api/episodes/{EPISODE}/captions", content=json.dumps({"version": data["version"],
                        "cues": cues}), headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["cue"] == 2 and says in r.json()["error"], r.text
        assert "cues.1" not in r.json()["error"]
        cues[1]["text"] = "x" * 2001  # refused by the body's schema: still named by its number
        r = client.post(f"/api/episodes/{EPISODE}/captions", content=json.dumps({"version": data["version"],
                        "cues": cues}), headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["cue"] == 2, r.text


def test_reload_and_crash_offer_the_draft_back(example_week: Path) -> None:
    from playwright.sync_api import expect

    with studio(example_week) as (context, page, url, errors):
        open_episode(page, url)
        original = cue_texts(page)
        page.get_by_label("Untertitel 1", exact=True).fill("Was ist das Bürgergeld?")
        page.locator(".cue").nth(2).get_by_role("button", name="Untertitel löschen").click()
        dialogs: list[str] = []

        def on_dialog(d: Any) -> None:
            dialogs.append(d.type)
            d.accept()

        page.on("dialog", on_dialog)
        page.reload()  # the browser asks first (beforeunload); leaving anyway keeps the draft
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        assert dialogs == ["beforeunload"]
        assert cue_texts(page) == original  # the saved state, and the offer
        offer = page.get_by_role("region", name=re.compile("Ungespeicherte Änderungen vom"))
        expect(offer).to_be_visible()
        shot(page, "review-loop-draft-offer.png")
        page.get_by_role("button", name="Entwurf wiederherstellen").click()
        expect(offer).to_be_hidden()
        assert cue_texts(page) == ["Was ist das Bürgergeld?", original[1], original[3], original[4]]
        expect(page.get_by_role("status")).to_contain_text("Entwurf wiederhergestellt")

        page.close(run_before_unload=False)  # a crash: no warning, no save
        again = context.new_page()
        watch(again, errors)
        open_episode(again, url)
        again.get_by_role("button", name="Entwurf wiederherstellen").click()
        assert cue_texts(again) == ["Was ist das Bürgergeld?", original[1], original[3], original[4]]
        again.get_by_role("button", name="Untertitel speichern").click()
        expect(again.get_by_role("status")).to_have_text("Gespeichert")
        assert saved_texts(example_week)[0] == "Was ist das Bürgergeld?" and len(saved_texts(example_week)) == 4
        again.reload()  # saved: no draft to offer any more, and no warning
        expect(again.locator("#episode")).to_have_attribute("data-loaded", "true")
        expect(again.locator("#draft-offer")).to_be_hidden()
    assert errors == []


def test_zur_woche_warns_in_the_page_before_unsaved_edits_go(example_week: Path) -> None:
    from playwright.sync_api import expect

    with studio(example_week) as (_, page, url, errors):
        open_episode(page, url)
        page.get_by_role("link", name="Zur Woche").click()  # nothing changed: it just goes
        expect(page.get_by_role("heading", level=1)).to_have_text("KW 48")
        open_episode(page, url)
        page.get_by_label("Untertitel 2", exact=True).fill("Geändert")
        expect(page.locator(".cue").nth(1).locator(".rules")).to_have_text("")  # checked again while typing
        page.get_by_role("link", name="Zur Woche").click()
        ask = page.get_by_role("alertdialog")
        expect(ask).to_contain_text("ohne Speichern zur Woche?")
        expect(page.get_by_role("button", name="Hierbleiben")).to_be_focused()
        shot(page, "review-loop-leave.png")
        page.get_by_role("button", name="Hierbleiben").click()
        expect(ask).to_be_hidden()
        assert cue_texts(page)[1] == "Geändert"
        page.get_by_role("link", name="Zur Woche").click()
        page.get_by_role("button", name="Trotzdem verlassen").click()  # no second, native question
        expect(page.get_by_role("heading", level=1)).to_have_text("KW 48")
        open_episode(page, url)  # the draft is still in this browser
        expect(page.get_by_role("button", name="Entwurf wiederherstellen")).to_be_visible()
    assert errors == []


# --- approval with open points -------------------------------------------------------------------


def test_approval_with_open_points_asks_first_and_the_answer_is_recorded(example_week: Path) -> None:
    from playwright.sync_api import expect

    with studio(example_week) as (_, page, url, errors):
        # unsure words as the recogniser marks them (the example's transcript file has no word times)
        def unsure(route: Any) -> None:
            data = route.fetch().json()
            data["cues"][1]["unsure"] = [{"text": w, "probability": 0.3}
                                         for w in data["cues"][1]["text"].split()[:3]]
            # "Wir helfen Ihnen dabei, Schritt für Schritt.": words as the transcript has them, punctuation and all
            data["cues"][4]["unsure"] = [{"text": w, "probability": 0.3} for w in ("dabei,", "Schritt", "Schritt.")]
            route.fulfill(json=data)

        page.route(f"{url}/api/episodes/{EPISODE}", unsure)
        open_episode(page, url)
        expect(page.locator(".cue").nth(1).locator(".unsure")).to_contain_text(
            "Bitte prüfen, unsicher erkannt: Bürgergeld, sichert, das")
        expect(page.locator(".cue").nth(4).locator(".unsure")).to_contain_text(
            "Bitte prüfen, unsicher erkannt: dabei, Schritt Passt so")  # clean words, not "dabei,, Schritt"
        page.get_by_label("Name", exact=True).fill("Anna Becker")
        page.get_by_label("Kommentar").fill("Cue 3 ist Absicht.")
        page.reload()  # the review form's fields are kept in the browser too
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        expect(page.get_by_label("Name", exact=True)).to_have_value("Anna Becker")
        expect(page.get_by_label("Kommentar")).to_have_value("Cue 3 ist Absicht.")
        page.get_by_role("button", name="Freigeben", exact=True).click()
        ask = page.get_by_role("alertdialog")
        expect(ask).to_contain_text(
            "3 Untertitel verletzen Regeln, 6 unsichere Wörter nicht geprüft: trotzdem freigeben?")
        expect(page.get_by_role("button", name="Trotzdem freigeben")).to_be_focused()
        assert not reviews_path(example_week).exists()  # asked, nothing recorded yet
        shot(page, "review-loop-approve-ask.png")
        page.get_by_role("button", name="Abbrechen").click()
        expect(ask).to_be_hidden()
        assert not reviews_path(example_week).exists()
        page.get_by_role("button", name="Freigeben", exact=True).click()
        page.keyboard.press("Escape")  # Escape says no as well
        expect(ask).to_be_hidden()
        expect(page.get_by_role("button", name="Freigeben", exact=True)).to_be_focused()
        assert not reviews_path(example_week).exists()

        page.get_by_role("button", name="Freigeben", exact=True).click()
        page.get_by_role("button", name="Trotzdem freigeben").click()
        expect(page.get_by_role("status")).to_have_text("Freigegeben")
        expect(page.locator("#review-status")).to_have_attribute("data-status", "approved")
        # the server counts what was saved: 3 cues break rules; these unsure marks exist only in the page
        entry = json.loads(reviews_path(example_week).read_text("utf-8"))["reviews"][0]
        assert entry["decision"] == "approve" and entry["open_rules"] == 3 and entry["open_words"] == 0
        history = page.locator("#history li").first
        expect(history).to_contain_text(
            "Anna Becker: freigegeben trotz 3 Untertitel verletzen Regeln \u2013 Cue 3 ist Absicht.")
        assert re.match(r"(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. \S+, \d\d:\d\d · ", history.text_content() or "")
        page.reload()  # as the page renders it too
        expect(page.locator("#history li").first).to_have_text(history.text_content() or "")
        expect(page.get_by_label("Kommentar")).to_have_value("")  # sent: no longer kept
        expect(page.get_by_label("Name", exact=True)).to_have_value("Anna Becker")  # remembered

        # an edit saved after the approval makes new captions: the approval no longer counts, at once
        expect(page.locator("#approvals")).to_have_text("1 von 1 Freigaben")
        page.get_by_label("Untertitel 1", exact=True).fill("Was ist das Bürgergeld genau?")
        page.get_by_role("button", name="Untertitel speichern").click()
        expect(page.get_by_role("status")).to_have_text("Gespeichert")
        expect(page.locator("#approvals")).to_have_text("0 von 1 Freigaben")
        expect(page.locator("#review-status")).not_to_have_attribute("data-status", "approved")
    assert errors == []


def test_the_server_asks_too_when_the_page_did_not(example_week: Path) -> None:
    """An approval without confirm_open is answered 428 with the question; nothing is recorded."""
    from starlette.testclient import TestClient

    from vidcoop.studio.app import create_app

    client = TestClient(create_app(example_week), base_url="http://127.0.0.1:8765")
    key = client.get(f"/api/episodes/{EPISODE}").json()["key"]
    headers = {"X-CSRF-Token": csrf_token(client), "Content-Type": "application/json"}
    body = {"reviewer": "Anna", "decision": "approve", "key": key}
    r = client.post(f"/api/episodes/{EPISODE}/review", content=json.dumps(body), headers=headers)
    assert r.status_code == 428, r.text
    assert r.json()["question"] == "3 Untertitel verletzen Regeln: trotzdem freigeben?"
    assert r.json()["open"] == {"rules": 3, "words": 0, "speech": 0}
    assert not reviews_path(example_week).exists()
    body["decision"] = "changes"  # asking for changes needs no confirmation
    assert client.post(f"/api/episodes/{EPISODE}/review", content=json.dumps(body), headers=headers).status_code == 200
    board = client.get(f"/api/episodes/{BOARD}").json()["key"]  # the job board has no open points
    r = client.post(f"/api/episodes/{BOARD}/review", content=json.dumps({**body, "decision": "approve", "key": board}),
                    headers=headers)
    assert r.status_code == 200, r.text


# --- see what viewers see ------------------------------------------------------------------------


def test_phone_sized_preview_full_height_cue_list_and_next_problem(example_week: Path) -> None:
    from playwright.sync_api import expect

    _long_transcript(example_week, count=12)
    srt = example_week.parent / "episodes" / TRANSCRIPT
    text = srt.read_text("utf-8").replace("Satz Nummer 9 hier.", "Ein viel zu langer Satz, der über zweiundvierzig "
                                          "Zeichen hinausgeht, ohne Umbruch.")
    srt.write_text(text, encoding="utf-8")
    with studio(example_week) as (_, page, url, errors):
        open_episode(page, url)
        box = page.get_by_role("region", name="Vorschau").locator("video").bounding_box()
        assert box is not None and box["width"] >= 360 and box["height"] >= 640
        page.get_by_role("button", name="Größer").click()
        large = page.locator("video").bounding_box()
        assert large is not None and large["height"] > box["height"] and large["width"] > box["width"]
        expect(page.get_by_role("button", name="Kleiner")).to_have_attribute("aria-pressed", "true")
        page.get_by_role("button", name="Kleiner").click()
        # the cue list is no inner scroll box: all 12 cues in the page's own height
        assert page.evaluate("(() => { const l = document.getElementById('cue-list');"
                             " return l.scrollHeight <= l.clientHeight + 1; })()")
        page.get_by_role("button", name="Nächstes Problem").click()
        expect(page.get_by_label("Untertitel 9", exact=True)).to_be_focused()
        expect(page.get_by_role("status")).to_contain_text(re.compile(r"^Untertitel 9: .*Zeile länger als 42 Zeichen"))
        expect(page.locator(".preview video")).to_be_in_viewport()  # the preview stays in view
        shot(page, "review-loop-episode.png")
        page.get_by_role("button", name="Nächstes Problem").click()  # round the end: the only one again
        expect(page.get_by_label("Untertitel 9", exact=True)).to_be_focused()
        page.locator(".cue").nth(8).get_by_role("button", name="Untertitel löschen").click()
        page.get_by_role("button", name="Nächstes Problem").click()
        expect(page.get_by_role("status")).to_have_text("Keine offenen Probleme")
        expect(page.locator(".cue").nth(0).get_by_role("button", name="Aufteilen")).to_be_visible()
    assert errors == []


def test_job_cards_open_large_on_click(example_week: Path) -> None:
    from playwright.sync_api import expect

    with studio(example_week) as (_, page, url, errors):
        open_episode(page, url, BOARD)
        first = page.locator(".card").first
        first.get_by_role("button", name=re.compile("^Karte groß zeigen")).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        img = dialog.get_by_role("img")
        assert (img.get_attribute("src") or "").endswith(first.locator("img").get_attribute("src") or "?")
        box = img.bounding_box()
        assert box is not None and box["height"] >= 640
        page.wait_for_function("document.getElementById('card-large').complete")
        shot(page, "review-loop-card.png")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        first.get_by_role("button", name=re.compile("^Karte groß zeigen")).click()
        dialog.get_by_role("button", name="Schließen").click()
        expect(dialog).to_be_hidden()

        # the rows of jobs.csv the board does not show are on the page too, each with partner and reason (#25)
        expect(page.locator(".card")).to_have_count(5)
        left_out = page.get_by_role("region", name="Nicht gezeigte Zeilen (3)")
        left_out.scroll_into_view_if_needed()
        expect(left_out).to_be_visible()
        rows = left_out.locator("li")
        expect(rows).to_have_count(3)
        expect(rows.nth(0)).to_contain_text("Zeile 7")
        expect(rows.nth(0)).to_contain_text("abgelaufen am 15.11.2026")
        expect(rows.nth(1)).to_contain_text("unbekannte Partner-ID")
        expect(rows.nth(2)).to_contain_text("Webadressen müssen mit https://")
        shot(page, "review-loop-left-out.png")
    assert errors == []


def test_week_page_speaks_german(example_week: Path) -> None:
    from playwright.sync_api import expect

    with studio(example_week) as (_, page, url, errors):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text("KW 48")
        row = page.locator(f'tr[data-episode="{EPISODE}"]')
        link = row.get_by_role("link", name="Was ist Bürgergeld?", exact=True)
        expect(link).to_have_text("Was ist Bürgergeld?")
        expect(row.get_by_role("link", name="Rohschnitt: Was ist Bürgergeld?")).to_have_text("Rohschnitt")
        expect(row).to_contain_text("Erklärvideo")
        expect(page.locator(f'tr[data-episode="{BOARD}"]')).to_contain_text("Stellenbörse")
        shot(page, "review-loop-week.png", full_page=True)
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Was ist Bürgergeld?")
        expect(page.locator(".meta")).to_contain_text(f"Erklärvideo · Untertitel-Quelle: Datei {TRANSCRIPT}")
    assert errors == []

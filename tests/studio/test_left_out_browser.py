"""Speech without captions, marked in the studio (#23): in the cue list at its place and on the timeline,
with a button that inserts an empty cue there; flagged cues marked; German by default, English with --lang en.

The example explainer's captions become a cue JSON file with one stretch ``left_out`` (the transcript's
fourth cue taken out, 9.0-12.5 s) and the 0.4 s cue "Kurz." flagged as too short, as the caption module
writes them after recognition.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from vidcoop.captions.formats import Cues
from vidcoop.captions.model import Correction, Cue, CueFlag, LeftOut, Word
from vidcoop.review import reviews_path
from vidcoop.studio.app import create_app
from vidcoop.studio.captions import edited_cues, save_captions
from vidcoop.studio.cues import left_out_dicts
from vidcoop.studio.previews import Previews

from .conftest import EPISODE, TRANSCRIPT
from .serving import CHROMIUM_ARGS, chromium_or_skip, csrf_token, screenshot_dir, serve

CUES_FILE = f"{EPISODE}.cues.json"
GAP = LeftOut(Fraction(9), Fraction(25, 2))


def _with_left_out(example_week: Path) -> Path:
    """Point the explainer at a cue JSON with the stretch left out and the short cue flagged."""
    episodes = example_week.parent / "episodes"
    cues = Cues.load(episodes / TRANSCRIPT)
    items = tuple(c for c in cues if c.start != 9)
    assert len(items) == len(cues.items) - 1
    # The last cue as the glossary correction leaves it: "Micaritas" heard, "Caritas" kept, "Mi" maybe "mit".
    last = items[-1]
    texts = ("Beratung", "Caritas", "ist", "kostenlos.")
    step = (last.end - last.start) / len(texts)
    lost = Correction("Micaritas", "Caritas", 0.9, lost_before="mi")
    words = tuple(Word(t, last.start + k * step, last.start + (k + 1) * step, 0.95,
                       correction=lost if t == "Caritas" else None) for k, t in enumerate(texts))
    items = (*items[:-1], Cue(last.start, last.end, (" ".join(texts),), words))
    short = next(c for c in items if c.text == "Kurz.")
    Cues(items, style="subtitle", language="de", left_out=(GAP,),
         flagged=(CueFlag(short.start, short.end, short.text, "short"),)).save(episodes / CUES_FILE)
    manifest = episodes / f"{EPISODE}.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(f"file: {TRANSCRIPT}", f"file: {CUES_FILE}"),
                        encoding="utf-8")
    return manifest


def test_left_out_speech_stays_marked_until_a_cue_covers_it(example_week: Path) -> None:
    """An edit elsewhere keeps the stretch in the saved file (cue JSON: SRT could not keep it); a cue there ends it."""
    from vidcoop.studio.captions import CueEdit

    manifest = _with_left_out(example_week)
    original = Cues.load(manifest.parent / CUES_FILE)
    edits = [CueEdit(int(c.start * 1000), int(c.end * 1000), c.text.replace("Was ist", "Was ist das"))
             for c in original]
    kept = edited_cues(original, edits)
    assert kept.left_out == (GAP,) and [f.reason for f in kept.flagged] == ["short"]
    saved = save_captions(manifest, kept)
    assert saved is not None and saved.suffix == ".json"
    assert Cues.load(saved).left_out == (GAP,)
    assert left_out_dicts(Cues.load(saved)) == [
        {"start_ms": 9000, "end_ms": 12500, "reason": "not recognised", "repeated": ""}
    ]
    # A cue at the stretch (even shorter than it) captions it; the short cue's text changed: its flag is answered.
    filled = [*edits, CueEdit(9200, 12000, "Den Antrag stellen Sie beim Jobcenter.")]
    filled = [e if e.text != "Kurz." else CueEdit(e.start_ms, e.end_ms, "Kurz und gut.") for e in filled]
    done = edited_cues(original, sorted(filled, key=lambda e: e.start_ms))
    assert done.left_out == () and done.flagged == ()
    saved = save_captions(manifest, done)
    assert saved is not None and saved.suffix == ".srt"


def test_the_server_counts_speech_without_captions_before_an_approval(example_week: Path) -> None:
    """Not only the page asks: an approval while speech has no caption is answered 428, and one given anyway
    records how many stretches were open."""
    _with_left_out(example_week)
    client = TestClient(create_app(example_week), base_url="http://127.0.0.1:8765")
    key = client.get(f"/api/episodes/{EPISODE}").json()["key"]
    headers = {"X-CSRF-Token": csrf_token(client), "Content-Type": "application/json"}
    body = {"reviewer": "Anna", "decision": "approve", "key": key}
    r = client.post(f"/api/episodes/{EPISODE}/review", content=json.dumps(body), headers=headers)
    assert r.status_code == 428, r.text
    assert r.json()["open"]["speech"] == 1
    assert "1 Stelle mit Sprache ohne Untertitel" in r.json()["question"]
    assert not reviews_path(example_week).exists()
    r = client.post(f"/api/episodes/{EPISODE}/review", content=json.dumps({**body, "confirm_open": True}),
                    headers=headers)
    assert r.status_code == 200, r.text
    entry = json.loads(reviews_path(example_week).read_text("utf-8"))["reviews"][0]
    assert entry["open_speech"] == 1
    assert "1 Stelle mit Sprache ohne Untertitel" in r.json()["reviews"][0]["anyway"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["de", "en"])
def test_left_out_marker_and_empty_cue_in_chromium(
    example_week: Path, monkeypatch: pytest.MonkeyPatch, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    from vidcoop.studio.app import create_app

    # The page asks for a preview render; this test is about the cue list, so none is made.
    monkeypatch.setattr(Previews, "start", lambda self, info: None)
    _with_left_out(example_week)
    words = {
        "de": ("Hier wurde Sprache erkannt, aber kein Text: 0:09\u20130:13 (nicht erkannt)",
               "Leeren Untertitel einfügen", "Prüfen: zu kurz zum Lesen", "Untertitel", "Untertitel speichern",
               "Gespeichert", "hat keinen Text"),
        "en": ("Speech was heard here but there is no text: 0:09\u20130:13 (not recognised)", "Insert an empty cue",
               "Check: too short to read", "Cue", "Save captions", "Saved", "has no text"),
    }[lang]
    marker_text, insert, flag_text, cue_word, save, saved, empty = words
    speech_point = {"de": "1 Stelle mit Sprache ohne Untertitel", "en": "1 place with speech but no captions"}[lang]
    lost_text = {"de": "Vor \u201eCaritas\u201c fehlt vielleicht etwas (gehört: \u201eMicaritas\u201c)",
                 "en": "Something may be missing before \u201cCaritas\u201d (heard: \u201cMicaritas\u201d)"}[lang]
    shots = screenshot_dir()
    with capsys.disabled():
        print(f"\nstudio screenshots: {shots}")
    errors: list[str] = []
    with serve(create_app(example_week, lang=lang)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(30_000)
        page.goto(f"{url}/episodes/{EPISODE}")
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")

        # the marker, at its place: after the cue ending at 8.0 s, before the one from 12.6 s
        marker = page.locator("#cue-list > li.left-out")
        expect(marker).to_have_count(1)
        expect(marker).to_contain_text(marker_text)
        order = page.evaluate("""Array.from(document.querySelectorAll('#cue-list > li')).map(li =>
            li.classList.contains('left-out') ? 'gap' : li.querySelector('.time').textContent)""")
        dash = " \u2013 "
        assert order == [f"0:02.0{dash}0:04.2", f"0:04.3{dash}0:07.4", f"0:07.6{dash}0:08.0", "gap",
                         f"0:12.6{dash}0:16.0"], order
        # on the timeline, and the flagged cue marked in both places
        expect(page.locator("#timeline .tl-left-out")).to_have_attribute("aria-label", marker_text)
        expect(page.locator("#timeline .tl-flagged")).to_have_count(1)
        expect(page.locator(".cue").nth(2).locator(".flags")).to_have_text(flag_text)
        # a correction that dropped a piece of the heard word is marked for the editor
        expect(page.locator(".cue").nth(3).locator(".unsure")).to_contain_text(lost_text)
        page.screenshot(path=str(shots / f"left-out-{lang}.png"), full_page=True)
        # "next problem" from the short cue goes to the speech without cues, then on to the next cue
        page.get_by_label(f"{cue_word} 3", exact=True).focus()
        page.locator("#next-problem").click()
        expect(marker.locator(".left-out-text")).to_be_focused()
        expect(page.get_by_role("status")).to_have_text(marker_text)

        # an approval while speech has no captions asks first, naming it
        page.locator("#reviewer").fill("Aylin")
        page.locator("#approve").click()
        expect(page.locator("#approve-question")).to_contain_text(speech_point)
        page.locator("#approve-cancel").click()

        # the button inserts an empty cue exactly there, in focus; the marker goes
        marker.get_by_role("button", name=insert).click()
        expect(page.locator("#cue-list > li.left-out")).to_have_count(0)
        expect(page.locator("#timeline .tl-left-out")).to_have_count(0)
        new = page.get_by_label(f"{cue_word} 4", exact=True)
        expect(new).to_be_focused()
        expect(new).to_have_value("")
        expect(page.locator(".cue").nth(3).locator(".time")).to_have_text("0:09.0 \u2013 0:12.5")

        # saving it empty is refused by name, and nothing typed is lost; filled, it saves
        page.get_by_role("button", name=save).click()
        expect(page.get_by_role("status")).to_contain_text(empty)
        expect(page.locator(".cue")).to_have_count(5)
        new.fill("Den Antrag stellen Sie beim Jobcenter.")
        page.screenshot(path=str(shots / f"left-out-{lang}-filled.png"), full_page=True)
        page.get_by_role("button", name=save).click()
        expect(page.get_by_role("status")).to_have_text(saved)

        # after a reload the cue is there, at its time, and the stretch is no longer marked
        page.reload()
        expect(page.locator("#episode")).to_have_attribute("data-loaded", "true")
        expect(page.get_by_label(f"{cue_word} 4", exact=True)).to_have_value("Den Antrag stellen Sie beim Jobcenter.")
        expect(page.locator(".cue").nth(3).locator(".time")).to_have_text("0:09.0 \u2013 0:12.5")
        expect(page.locator("#cue-list > li.left-out")).to_have_count(0)
        browser.close()
    assert errors == []

"""The Rohschnitt view: in-process (footage, 409, media ranges) and in Debian's chromium (German UI).

The footage is tone bursts where words are said; :class:`~tests.studio.roughcut_week.KnownWords`
"hears" those words, so these tests need no speech model. The flow on real speech (Whisper on
generated German) and a real render is ``test_roughcut_flow_on_speech`` in ``test_roughcut_speech.py``.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from vidcoop.captions.backends import BACKENDS
from vidcoop.captions.options import TranscribeOptions
from vidcoop.roughcut import WordRange, plan_cut, read_source, suggest
from vidcoop.roughcut.cut import CutOptions
from vidcoop.roughcut.suggest import SuggestOptions
from vidcoop.studio.app import create_app
from vidcoop.timeline.manifest import load_episode

from .roughcut_week import FOOTAGE, SENTENCES, KnownWords, build_footage, make_week
from .serving import chromium_or_skip, chromium_page, csrf_token, serve

REPO = Path(__file__).resolve().parents[2]
PAGE = "/episodes/folge/roughcut"  # where the tests read the editor's CSRF token

OPTIONS = TranscribeOptions(backend="known-words")
FPS = Fraction(30)


@pytest.fixture(scope="session")
def tone_footage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_footage(tmp_path_factory.mktemp("rc-footage") / FOOTAGE)


@pytest.fixture
def rc_week(tmp_path: Path, tone_footage: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(BACKENDS, "known-words", KnownWords)
    return make_week(tmp_path / "week", tone_footage)


def _app(week: Path, lang: str = "de") -> Any:
    app = create_app(week, lang=lang)
    app.state.studio.sources.options = OPTIONS
    return app


def _post(client: TestClient, url: str, body: object, csrf: str) -> Any:
    return client.post(url, content=json.dumps(body), headers={"X-CSRF-Token": csrf,
                                                               "Content-Type": "application/json"})


def _finished(client: TestClient, ref: str, limit: float = 60.0) -> dict[str, Any]:
    """Poll a source's transcription as the page does until it is no longer running (or ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    while True:
        state: dict[str, Any] = client.get("/api/roughcut/source", params={"source": ref}).json()
        if state["state"] != "running" or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def _library_cut(week: Path, keep: list[WordRange], accept_kinds: set[str]) -> Any:
    """What the library makes of the same keep and suggestions: the page must save exactly this."""
    st, audio = read_source(week.parent / "footage" / FOOTAGE, OPTIONS)
    found = [s for s in suggest(st, audio, SuggestOptions()) if s.kind in accept_kinds]
    return plan_cut(st, audio, keep, found, CutOptions(fps=FPS))


def _segments(manifest: Path) -> list[tuple[str, Fraction, Fraction]]:
    episode = load_episode(manifest)
    return [(Path(str(s.source)).name, s.start or Fraction(0), s.end or Fraction(0)) for s in episode.segments]


def _close(a: Fraction, b: Fraction) -> bool:
    return abs(a - b) <= Fraction(1, 1_000_000)  # the manifest keeps seconds to the microsecond


# -- in-process --------------------------------------------------------------------------------


def test_footage_is_listed_served_with_ranges_and_transcribed_once(rc_week: Path) -> None:
    KnownWords.calls = 0
    with TestClient(_app(rc_week), base_url="http://127.0.0.1:8765") as client:
        data = client.get("/api/episodes/folge/roughcut").json()
        assert data["editable"] and data["fps"] == [30, 1]
        assert [f["source"] for f in data["footage"]] == [f"footage/{FOOTAGE}"]
        part = client.get(f"/media/footage/{FOOTAGE}", headers={"Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.content) == 100  # the <video> seeks by ranges
        csrf = csrf_token(client, PAGE)
        state = _post(client, "/api/roughcut/transcribe", {"source": f"footage/{FOOTAGE}"}, csrf).json()
        assert state["state"] in ("running", "done")
        state = _finished(client, f"footage/{FOOTAGE}")
        assert state["state"] == "done", state
        texts = [w["text"] for p in state["transcript"]["paragraphs"] for s in p["sentences"] for w in s["words"]]
        assert texts == [t for s in SENTENCES for t, _, _ in s]
        assert {"filler", "pause"} <= {s["kind"] for s in state["suggestions"]}
        _post(client, "/api/roughcut/transcribe", {"source": f"footage/{FOOTAGE}"}, csrf)
        assert KnownWords.calls == 1  # once per source, then the job (and the render's cache) answers
        # only footage of the week: nothing else is read or transcribed
        outside = _post(client, "/api/roughcut/transcribe", {"source": "../week.yaml"}, csrf)
        assert outside.status_code == 404


def test_footage_the_browser_cannot_play_is_played_from_a_playback_copy(rc_week: Path) -> None:
    """A phone's HEVC or a camera's ProRes leaves a browser's player black: once transcribed, the same address
    plays a VP9 copy of the same length (cached by content); the original is never touched."""
    from vidcoop.media.playback import browser_plays, playback_path
    from vidcoop.media.probing import probe
    from vidcoop.media.runner import run_ffmpeg

    footage = rc_week.parent / "footage"
    original = footage / "kamera.mkv"  # MPEG-4 Part 2 video and PCM sound in Matroska: no browser plays it
    run_ffmpeg(["-i", str(footage / FOOTAGE), "-c:v", "mpeg4", "-q:v", "5", "-c:a", "pcm_s16le", str(original)])
    before = original.read_bytes()
    assert not browser_plays(probe(original)) and browser_plays(probe(footage / FOOTAGE))
    ref = "footage/kamera.mkv"
    with TestClient(_app(rc_week), base_url="http://127.0.0.1:8765") as client:
        csrf = csrf_token(client, PAGE)
        _post(client, "/api/roughcut/transcribe", {"source": ref}, csrf)
        state = _finished(client, ref)
        assert state["state"] == "done" and state["playback_copy"] is True and "play_error" not in state
        served = client.get(f"/media/{ref}?play=copy")
        assert served.status_code == 200 and served.headers["content-type"] == "video/webm"
        assert client.get(f"/media/{ref}").content == before  # the file itself stays what it is
        part = client.get(f"/media/{ref}?play=copy", headers={"Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.content) == 100  # it seeks by ranges like the original
        plain = _post(client, "/api/roughcut/transcribe", {"source": f"footage/{FOOTAGE}"}, csrf)
        assert plain.status_code == 200 and _finished(client, f"footage/{FOOTAGE}")["playback_copy"] is False
        assert client.get(f"/media/footage/{FOOTAGE}?play=copy").status_code == 404  # it plays as it is
    copy = playback_path(original)
    info, source = probe(copy), probe(original)
    assert info.video is not None and info.video.codec == "vp9" and [a.codec for a in info.audio] == ["opus"]
    assert min(info.video.width, info.video.height) <= 540
    assert info.duration is not None and source.duration is not None
    assert abs(float(info.duration - source.duration)) < 0.1  # the same times: a word clicked is the word heard
    assert original.read_bytes() == before


def test_the_words_are_spelt_as_the_week_channels_glossary_says(rc_week: Path) -> None:
    """The words the view shows become the captions: the channel's fixed spellings apply, as in its renders."""
    folder = rc_week.parent
    shutil.copytree(REPO / "examples" / "channel", folder / "channel")
    (folder / "channel" / "glossary.yaml").write_text("replace:\n  Wohngeld: Wohngeld-Plus\n", encoding="utf-8")
    manifest = folder / "episodes" / "folge.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "channel: ../channel/channel.yaml\n", encoding="utf-8")
    with TestClient(_app(rc_week), base_url="http://127.0.0.1:8765") as client:
        csrf = csrf_token(client, PAGE)
        _post(client, "/api/roughcut/transcribe", {"source": f"footage/{FOOTAGE}"}, csrf)
        state = _finished(client, f"footage/{FOOTAGE}")
        assert state["state"] == "done", state
        texts = [w["text"] for p in state["transcript"]["paragraphs"] for s in p["sentences"] for w in s["words"]]
        assert "Wohngeld-Plus." in texts and "Wohngeld." not in texts
        assert texts.count("Hallo") == 1  # the rest as heard


def test_a_stale_save_is_409_in_german_and_writes_nothing(rc_week: Path) -> None:
    manifest = rc_week.parent / "episodes" / "folge.yaml"
    with TestClient(_app(rc_week), base_url="http://127.0.0.1:8765") as client:
        csrf = csrf_token(client, PAGE)
        version = client.get("/api/episodes/folge/roughcut").json()["version"]
        _post(client, "/api/roughcut/transcribe", {"source": f"footage/{FOOTAGE}"}, csrf)
        plan = _post(client, "/api/roughcut/plan", {"source": f"footage/{FOOTAGE}", "ranges": [[0, 1]]}, csrf).json()
        edited = manifest.read_text(encoding="utf-8") + "# edited elsewhere\n"
        manifest.write_text(edited, encoding="utf-8")
        pieces = [{k: p[k] for k in ("source", "start_frame", "end_frame")} for p in plan["pieces"]]
        answer = _post(client, "/api/episodes/folge/roughcut", {"version": version, "pieces": pieces}, csrf)
        assert answer.status_code == 409
        assert "anderswo geändert" in answer.json()["error"] and "nichts wurde überschrieben" in \
            answer.json()["error"].lower()
        assert manifest.read_text(encoding="utf-8") == edited
        assert not (manifest.parent / "folge.captions.json").exists()


# -- in the browser ----------------------------------------------------------------------------


@pytest.fixture
def browser_page(rc_week: Path) -> Iterator[tuple[Any, str, list[str]]]:
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with serve(_app(rc_week)) as url, sync_playwright() as p:
        page = chromium_page(p, chromium, errors)
        yield page, url, errors
        page.context.browser.close()


def _open(page: Any, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    page.get_by_role("link", name="Rohschnitt").first.click()
    expect(page.locator("#roughcut")).to_have_attribute("data-loaded", "true")
    page.get_by_role("button", name=FOOTAGE).click()
    expect(page.locator(".w")).to_have_count(sum(len(s) for s in SENTENCES), timeout=120_000)  # a loaded machine


def _word(page: Any, text: str) -> Any:
    return page.locator(".w", has_text=re.compile(f"^{re.escape(text)}$")).first


def _segment_frames(page: Any) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in page.evaluate(
        "[...document.querySelectorAll('.segment .time')].map(b => [b.dataset.startFrame, b.dataset.endFrame])")]


def test_footage_chromium_cannot_decode_plays_from_its_copy_and_seeks_by_word(browser_page: Any,
                                                                              rc_week: Path) -> None:
    from playwright.sync_api import expect

    from vidcoop.media.runner import run_ffmpeg

    footage = rc_week.parent / "footage"
    run_ffmpeg(["-i", str(footage / FOOTAGE), "-c:v", "mpeg4", "-q:v", "5", "-c:a", "pcm_s16le",
                str(footage / "kamera.mkv")])
    page, url, errors = browser_page
    page.goto(url)
    page.get_by_role("link", name="Rohschnitt").first.click()
    expect(page.locator("#roughcut")).to_have_attribute("data-loaded", "true")
    page.get_by_role("button", name="kamera.mkv").click()
    expect(page.locator(".w")).to_have_count(sum(len(s) for s in SENTENCES), timeout=120_000)
    page.wait_for_function("document.querySelector('#source-video').videoWidth > 0", timeout=30_000)
    assert page.evaluate("document.querySelector('#source-video').src").endswith("/media/footage/kamera.mkv?play=copy")
    _word(page, "Wohngeld.").click()
    page.wait_for_function("Math.abs(document.querySelector('#source-video').currentTime - 3.85) < 0.05")
    assert errors == []


def test_keep_three_sentences_strike_a_filler_reorder_and_save(browser_page: Any, rc_week: Path) -> None:
    from playwright.sync_api import expect

    page, url, errors = browser_page
    _open(page, url)
    page.get_by_text("Wort anklicken: Video springt dorthin.").wait_for()
    # clicking a word seeks the source video there
    _word(page, "Wohngeld.").click()
    page.wait_for_function("Math.abs(document.querySelector('#source-video').currentTime - 3.85) < 0.05")
    # keep sentences 1-3: click the first word, shift-click the last, Enter
    _word(page, "Hallo").click()
    _word(page, "wichtig.").click(modifiers=["Shift"])
    page.keyboard.press("Enter")
    expect(page.locator(".segment")).to_have_count(1)
    # the filler is suggested, never applied silently: struck only when accepted
    filler = page.locator(".suggestion[data-kind=filler]")
    expect(filler).to_contain_text("Füllwort „Äh“")
    expect(_word(page, "Äh")).not_to_have_class(re.compile("struck"))
    filler.get_by_role("button", name="Übernehmen").click()
    expect(_word(page, "Äh")).to_have_class(re.compile("struck"))
    expect(page.locator(".segment")).to_have_count(2)
    # reorder: the second segment first
    page.get_by_role("listitem", name="Segment 2").get_by_role("button", name="Nach oben").click()
    expect(page.locator(".segment").first).to_contain_text("das ist wichtig.")
    # a word retyped in the transcript (double-click) carries over into the captions
    _word(page, "zusammen.").dblclick()
    page.get_by_label("Wort korrigieren: zusammen.").fill("zusammen!")
    page.keyboard.press("Enter")
    expect(_word(page, "zusammen!")).to_have_class(re.compile("corrected"))
    page.get_by_role("button", name="Schnitt speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Gespeichert: 2 Segmente")
    assert not errors, errors

    manifest = rc_week.parent / "episodes" / "folge.yaml"
    text = manifest.read_text(encoding="utf-8")
    for comment in ("# schema", "# the episode's title", "# Reframe and lower thirds stay", "# filled by"):
        assert comment in text
    assert "{name: Aylin Demir, role: Beraterin, start: 1, end: 3}" in text
    cut = _library_cut(rc_week, [WordRange(0, 10)], {"filler"})
    expected = [(FOOTAGE, p.start, p.end) for p in cut.moved([1, 0]).pieces]
    saved = _segments(manifest)
    assert [s[0] for s in saved] == [e[0] for e in expected]
    assert all(_close(a[1], b[1]) and _close(a[2], b[2]) for a, b in zip(saved, expected, strict=True)), saved
    # the captions are exactly the kept words, in the cut's order (what render() burns)
    from vidcoop.pipeline import episode_cues

    cues = episode_cues(load_episode(manifest))
    words = [w.text for c in cues for w in c.words]
    assert words == ["das", "ist", "wichtig.", "Hallo", "zusammen!", "Heute", "geht", "es", "um", "Wohngeld."]


def test_frame_nudge_moves_an_edge_by_exactly_one_frame(browser_page: Any, rc_week: Path) -> None:
    from playwright.sync_api import expect

    page, url, errors = browser_page
    _open(page, url)
    _word(page, "Heute").click()
    for _ in range(4):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator(".segment")).to_have_count(1)
    (start, end), = _segment_frames(page)
    segment = page.get_by_role("listitem", name="Segment 1")
    segment.get_by_role("button", name="Anfang 1 Bild früher").click()
    segment.get_by_role("button", name="Ende 1 Bild später").click()
    segment.get_by_role("button", name="Ende 1 Bild später").click()
    assert _segment_frames(page) == [(start - 1, end + 2)]
    page.get_by_role("button", name="Schnitt speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Gespeichert: 1 Segmente")
    (planned,) = _library_cut(rc_week, [WordRange(2, 6)], set()).pieces
    assert (planned.start * FPS, planned.end * FPS) == (start, end)  # the library's edges, as frames
    ((_, saved_in, saved_out),) = _segments(rc_week.parent / "episodes" / "folge.yaml")
    assert _close(saved_in, planned.start - Fraction(1, 30)) and _close(saved_out, planned.end + Fraction(2, 30))
    assert not errors, errors


def test_a_reload_restores_the_unsaved_cut_and_a_stale_save_keeps_it(browser_page: Any, rc_week: Path) -> None:
    from playwright.sync_api import expect

    page, url, errors = browser_page
    _open(page, url)
    _word(page, "Hallo").click()
    _word(page, "zusammen.").click(modifiers=["Shift"])
    page.keyboard.press("Enter")
    _word(page, "Tschüss").click()
    _word(page, "bald.").click(modifiers=["Shift"])
    page.keyboard.press("Enter")
    expect(page.locator(".segment")).to_have_count(2)
    page.get_by_role("listitem", name="Segment 2").get_by_role("button", name="Nach oben").click()
    page.get_by_role("listitem", name="Segment 1").get_by_role("button", name="Ende 1 Bild früher").click()
    before = _segment_frames(page)
    texts = page.locator(".segment .seg-text").all_inner_texts()
    page.reload()
    expect(page.get_by_role("status")).to_have_text("Ungespeicherter Schnitt wiederhergestellt")
    expect(page.locator(".segment")).to_have_count(2)
    assert _segment_frames(page) == before
    assert page.locator(".segment .seg-text").all_inner_texts() == texts
    expect(_word(page, "Tschüss")).to_have_class(re.compile("kept"))
    # someone else saves the episode meanwhile: the save is refused, nothing is lost
    manifest = rc_week.parent / "episodes" / "folge.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# edited elsewhere\n", encoding="utf-8")
    page.get_by_role("button", name="Schnitt speichern").click()
    expect(page.get_by_role("status")).to_contain_text("anderswo geändert")
    assert manifest.read_text(encoding="utf-8").endswith("# edited elsewhere\n")
    page.reload()  # the cut is offered again, saying the episode changed meanwhile
    expect(page.get_by_role("status")).to_contain_text("inzwischen anderswo geändert")
    expect(page.locator(".segment")).to_have_count(2)
    assert _segment_frames(page) == before
    assert [e for e in errors if "409 (Conflict)" not in e] == []


def test_keyboard_strike_and_the_english_ui(rc_week: Path) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with serve(_app(rc_week, lang="en")) as url, sync_playwright() as p:
        page = chromium_page(p, chromium, [])
        browser = page.context.browser
        page.goto(f"{url}/episodes/folge/roughcut")
        page.get_by_role("button", name=FOOTAGE).click()
        _word(page, "Heute").click()
        for _ in range(4):
            page.keyboard.press("Shift+ArrowRight")
        page.keyboard.press("Enter")
        expect(page.locator(".segment")).to_have_count(1)
        _word(page, "es").click()
        page.keyboard.press("Shift+ArrowRight")
        page.keyboard.press("Delete")  # strikes "es um": the kept run splits in two
        expect(page.locator(".segment")).to_have_count(2)
        expect(page.get_by_role("button", name="Save cut")).to_be_visible()
        expect(_word(page, "um")).to_have_class(re.compile("struck"))
        page.locator(".sn", has_text=re.compile("^4$")).click()  # a sentence's number marks the sentence
        page.get_by_role("button", name="Keep", exact=True).click()
        expect(page.locator(".segment")).to_have_count(3)
        expect(page.locator(".segment").last).to_contain_text("Tschüss und bis bald.")
        # a mouse drag over words marks them; a segment dragged onto another takes its place
        _word(page, "Hallo").hover()
        page.mouse.down()
        _word(page, "zusammen.").hover()
        page.mouse.up()
        expect(page.locator("#selection-info")).to_have_text("2 words marked")
        page.keyboard.press("Enter")  # next to the kept "Heute geht": one run, one segment
        expect(page.locator(".segment").first).to_contain_text("Hallo zusammen. Heute geht")
        expect(page.locator(".segment")).to_have_count(3)
        page.locator(".segment").last.drag_to(page.locator(".segment").first)
        expect(page.locator(".segment").first).to_contain_text("Tschüss und bis bald.")
        expect(page.locator(".segment").nth(1)).to_contain_text("Hallo zusammen.")
        page.keyboard.press("Control+z")  # each change to the cut is one undo step
        expect(page.locator(".segment").first).to_contain_text("Hallo zusammen. Heute geht")
        page.get_by_role("button", name="Undo").click()
        expect(page.locator(".segment").first).to_contain_text("Heute geht")
        expect(_word(page, "Hallo")).not_to_have_class(re.compile("kept"))
        browser.close()


def test_a_segment_of_another_file_goes_between_and_the_cut_plays_across_files(browser_page: Any,
                                                                              rc_week: Path) -> None:
    from playwright.sync_api import expect

    page, url, errors = browser_page
    shutil.copyfile(rc_week.parent / "footage" / FOOTAGE, rc_week.parent / "footage" / "zweite.mp4")
    _open(page, url)
    for first, last in (("Hallo", "zusammen."), ("Tschüss", "bald.")):
        _word(page, first).click()
        _word(page, last).click(modifiers=["Shift"])
        page.keyboard.press("Enter")
    page.get_by_role("button", name="zweite.mp4").click()
    expect(page.locator("#rc-source-name")).to_have_text("footage/zweite.mp4")
    expect(page.locator(".w")).to_have_count(sum(len(s) for s in SENTENCES), timeout=120_000)
    _word(page, "Heute").click()
    _word(page, "Wohngeld.").click(modifiers=["Shift"])
    page.keyboard.press("Enter")
    expect(page.locator(".segment")).to_have_count(3)
    page.get_by_role("listitem", name="Segment 3").get_by_role("button", name="Nach oben").click()
    expect(page.locator(".segment").nth(1)).to_contain_text("zweite.mp4")
    # played back to back by seeking, across the two files, without a render
    page.evaluate("document.querySelector('#source-video').muted = true")
    page.get_by_role("button", name="Schnitt abspielen").click()
    page.wait_for_function("window.rcPreviewStart !== undefined")
    page.wait_for_function("document.querySelectorAll('.segment')[1].classList.contains('playing')")
    assert page.evaluate("document.querySelector('#source-video').src").endswith("/media/footage/zweite.mp4")
    page.wait_for_function("document.querySelectorAll('.segment')[2].classList.contains('playing')", timeout=60_000)
    assert page.evaluate("document.querySelector('#source-video').src").endswith(f"/media/footage/{FOOTAGE}")
    page.get_by_role("button", name="Anhalten").click()
    page.get_by_role("button", name="Schnitt speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Gespeichert: 3 Segmente")
    assert [s[0] for s in _segments(rc_week.parent / "episodes" / "folge.yaml")] == [FOOTAGE, "zweite.mp4", FOOTAGE]
    assert not errors, errors


def test_the_english_catalogue_has_english_rohschnitt_strings() -> None:
    """Each language its own words (a German string in the English UI was a bug of this view)."""
    from vidcoop.studio.i18n import CATALOGUES

    same = {"js.rc.segment"}  # "Segment {n}" in both
    for key, text in CATALOGUES["en"].items():
        if key.startswith(("roughcut.", "js.rc.")) and key not in same:
            assert text != CATALOGUES["de"][key], key
            assert not set(text) & set("äöüßÄÖÜ„“"), (key, text)

"""``captions: auto`` in the studio: cues built as render() builds them, and corrections keep word times.

A stand-in transcription backend (registered for the test) returns fixed words, so no model is needed;
everything else (span mapping, social cue building, the app's save endpoint, the JSON file) is real.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from vidcoop.captions.backends import BACKENDS, Transcriber
from vidcoop.captions.formats import Cues
from vidcoop.captions.model import Correction, Transcript, TranscriptSegment, Word

WORDS = [
    ("Das", "0.1", "0.3"),
    ("Bürgergeld", "0.3", "0.8"),
    ("kommt", "0.9", "1.1"),
    ("vom", "1.2", "1.3"),
    ("Jobkenter", "1.3", "1.7"),
    ("direkt.", "1.7", "1.9"),
]


class _Fixed(Transcriber):
    name = "studio-fixed"

    def model_identity(self) -> str:
        return "studio-fixed:1"

    def word(self, word: Word) -> Word:
        """What the recogniser makes of each of ``WORDS`` (subclasses change it)."""
        return word

    def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
        words = tuple(self.word(Word(t, Fraction(s), Fraction(e))) for t, s, e in WORDS)
        text = " ".join(w.text for w in words)
        return Transcript(
            (TranscriptSegment(text, words[0].start, words[-1].end, words),), "de", self.name, "fixed", Fraction(2)
        )


@pytest.fixture
def auto_week(tmp_path: Path, make_media: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(BACKENDS, _Fixed.name, _Fixed)
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    clip = make_media("studio_speech.mp4", "testsrc2=s=320x180:r=25:d=2", "sine=f=300:r=16000:d=2")
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "a.mp4").write_bytes(clip.read_bytes())
    (tmp_path / "ep.yaml").write_text(
        "# kurz\nversion: 1\nname: kurz\nsegments:\n  - source: clips/a.mp4\n"
        f"captions: {{mode: auto, style: social, language: de, backend: {_Fixed.name}}}  # Whisper\n",
        encoding="utf-8",
    )
    week = tmp_path / "week.yaml"
    week.write_text("version: 1\noutput: out\nepisodes: [ep.yaml]\n", encoding="utf-8")
    return week


def _studio(week: Path) -> tuple[Any, str]:
    """An in-process client of the studio for ``week``, and the page's CSRF token."""
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from vidcoop.studio.app import create_app

    client = TestClient(create_app(week), base_url="http://127.0.0.1")
    page = client.get("/episodes/kurz").text
    return client, page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def _use(backend: type[_Fixed], week: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Episode ``kurz`` transcribed by ``backend`` (registered for the test)."""
    monkeypatch.setitem(BACKENDS, backend.name, backend)
    manifest = week.parent / "ep.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(_Fixed.name, backend.name), encoding="utf-8")


@contextmanager
def _episode_page(week: Path) -> Iterator[Any]:
    """Episode ``kurz`` of ``week`` open in Chromium (the studio served for real); no script errors."""
    from .serving import CHROMIUM_ARGS, chromium_or_skip, serve

    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    from vidcoop.studio.app import create_app

    errors: list[str] = []
    with serve(create_app(week)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{url}/episodes/kurz")
        yield page
        browser.close()
    assert errors == []


def _save(client: Any, csrf: str, version: str, cues: list[dict[str, Any]]) -> None:
    r = client.post(
        "/api/episodes/kurz/captions",
        content=json.dumps({"version": version, "cues": cues}),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text


def test_auto_cues_and_a_correction_that_keeps_every_other_word_time(auto_week: Path) -> None:
    client, csrf = _studio(auto_week)
    data = client.get("/api/episodes/kurz").json()
    texts = [c["text"] for c in data["cues"]]
    assert " ".join(texts).split() == [w[0] for w in WORDS]  # social: 1-3 words a cue
    cues = data["cues"]
    index = next(i for i, c in enumerate(cues) if "Jobkenter" in c["text"])
    cues[index]["text"] = cues[index]["text"].replace("Jobkenter", "Jobcenter")
    _save(client, csrf, data["version"], cues)
    saved = Cues.load(auto_week.parent / "ep.captions.json", style="social")
    words = [w for c in saved for w in c.words]
    assert [w.text for w in words] == [w[0] for w in WORDS[:4]] + ["Jobcenter", "direkt."]
    for (text, start, end), word in zip(WORDS, words, strict=True):
        assert (word.start, word.end) == (Fraction(start), Fraction(end)), text
    manifest = (auto_week.parent / "ep.yaml").read_text(encoding="utf-8")
    assert "# kurz" in manifest and "# Whisper" in manifest
    assert "mode: file" in manifest and "file: ep.captions.json" in manifest and "style: social" in manifest
    assert "backend" not in manifest  # transcription settings no longer apply to a file
    again = client.get("/api/episodes/kurz").json()
    assert [c["text"] for c in again["cues"]] == [c["text"] for c in cues]


class _Corrected(_Fixed):
    """Words as the glossary correction leaves them: "Jobkenter" became "Jobcenter", recorded."""

    name = "studio-corrected"

    def word(self, word: Word) -> Word:
        if word.text != "Jobkenter":
            return word
        return Word("Jobcenter", word.start, word.end, correction=Correction("Jobkenter", "Jobcenter", 0.86))


def test_corrected_words_reach_the_page_and_the_saved_file(
    auto_week: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(_Corrected, auto_week, monkeypatch)
    client, csrf = _studio(auto_week)
    data = client.get("/api/episodes/kurz").json()
    marked = [k for c in data["cues"] for k in c["corrections"]]
    assert marked == [{"text": "Jobcenter", "original": "Jobkenter", "term": "Jobcenter", "score": 0.86}]
    assert all(c["corrections"] == [] for c in data["cues"] if "Jobcenter" not in c["text"])
    cues = data["cues"]  # sent back as they came (corrections included); one other word edited
    cues[0]["text"] = cues[0]["text"].replace("Das", "Dies")
    _save(client, csrf, data["version"], cues)
    saved = json.loads((auto_week.parent / "ep.captions.json").read_text(encoding="utf-8"))
    words = {w["text"]: w for c in saved["cues"] for w in c["words"]}
    assert words["Jobcenter"]["correction"] == {"original": "Jobkenter", "term": "Jobcenter", "score": 0.86}
    assert "correction" not in words["Dies"]
    again = client.get("/api/episodes/kurz").json()  # the edited file still marks the corrected word
    assert [k["original"] for c in again["cues"] for k in c["corrections"]] == ["Jobkenter"]


def test_a_split_word_is_marked_once() -> None:
    from vidcoop.captions.formats import Cues
    from vidcoop.captions.model import Cue
    from vidcoop.studio.cues import cue_dicts as _cue_dicts

    glued = Correction("Werarbeit", "Wer Arbeit", 1.0)
    words = (
        Word("Wer", Fraction(0), Fraction(1, 3), correction=glued),
        Word("Arbeit", Fraction(1, 3), Fraction(1), correction=Correction("Werarbeit", "Wer Arbeit", 1.0)),
        Word("sucht", Fraction(1), Fraction(2)),
    )
    (cue,) = _cue_dicts(Cues((Cue(Fraction(0), Fraction(2), ("Wer Arbeit sucht",), words),)))
    assert cue["corrections"] == [{"text": "Wer Arbeit", "original": "Werarbeit", "term": "Wer Arbeit", "score": 1.0}]


@pytest.mark.slow
def test_the_page_marks_corrected_words_in_chromium(auto_week: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import expect

    from .serving import screenshot_dir

    _use(_Corrected, auto_week, monkeypatch)
    with _episode_page(auto_week) as page:
        note = page.locator(".cue .corrections:visible")
        expect(note).to_have_count(1)
        expect(note).to_have_text("Korrigiert: Jobkenter → Jobcenter")
        page.screenshot(path=str(screenshot_dir() / "episode-corrections.png"), full_page=True)
        cue = page.locator(".cue").filter(has=page.locator(".corrections:visible")).locator("textarea")
        cue.fill(cue.input_value().replace("Jobcenter", "Amt"))  # the word is gone: so is its mark
        expect(page.locator(".cue .corrections:visible")).to_have_count(0)


class _Unsure(_Fixed):
    """Words as Whisper gives them, with its confidence: unsure of "Jobkenter" and "direkt."."""

    name = "studio-unsure"

    def word(self, word: Word) -> Word:
        return replace(word, probability={"Jobkenter": 0.31, "direkt.": 0.42}.get(word.text, 0.93))


def test_unsure_words_are_marked_until_an_editor_checks_them(
    auto_week: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(_Unsure, auto_week, monkeypatch)
    client, csrf = _studio(auto_week)
    data = client.get("/api/episodes/kurz").json()
    marked = [k for c in data["cues"] for k in c["unsure"]]
    assert marked == [{"text": "Jobkenter", "probability": 0.31}, {"text": "direkt.", "probability": 0.42}]
    cues = data["cues"]  # sent back as they came; the editor kept "Jobkenter" (checked), not "direkt."
    at = next(i for i, c in enumerate(cues) if "Jobkenter" in c["text"])
    cues[at]["checked"] = ["Jobkenter"]
    _save(client, csrf, data["version"], cues)
    saved = json.loads((auto_week.parent / "ep.captions.json").read_text(encoding="utf-8"))
    words = {w["text"]: w for c in saved["cues"] for w in c["words"]}
    assert (words["Jobkenter"]["probability"], words["direkt."]["probability"], words["Das"]["probability"]) == (
        1.0, 0.42, 0.93,
    )  # fmt: skip
    again = client.get("/api/episodes/kurz").json()  # the saved file marks only the unchecked word
    assert [k["text"] for c in again["cues"] for k in c["unsure"]] == ["direkt."]


def test_a_checked_word_that_is_not_unsure_is_left_as_it_is() -> None:
    from vidcoop.captions.model import Cue
    from vidcoop.studio.captions import CueEdit, edited_cues

    words = (Word("ja", Fraction(0), Fraction(1), 0.2), Word("nein", Fraction(1), Fraction(2), 0.7))
    (cue,) = edited_cues(Cues((Cue(Fraction(0), Fraction(2), ("ja nein",), words),)),
                         [CueEdit(0, 2000, "ja nein", ("ja", "nein", "vielleicht"))])  # fmt: skip
    assert [(w.text, w.probability) for w in cue.words] == [("ja", 1.0), ("nein", 0.7)]


@pytest.mark.slow
def test_the_page_asks_to_check_unsure_words_in_chromium(auto_week: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import expect

    from .serving import screenshot_dir

    _use(_Unsure, auto_week, monkeypatch)
    with _episode_page(auto_week) as page:
        note = page.locator(".cue .unsure:visible")  # social cues: "vom Jobkenter direkt." is one cue
        expect(note).to_have_count(1)
        expect(note).to_contain_text("Bitte prüfen, unsicher erkannt: Jobkenter, direkt Passt so")  # clean words
        expect(note.locator("span")).to_have_attribute("title", "Jobkenter: 31 % sicher\ndirekt: 42 % sicher")
        expect(page.locator("#unsure-count")).to_have_text(
            "2 Wörter unsicher erkannt: bitte in den markierten Untertiteln prüfen."
        )
        page.screenshot(path=str(screenshot_dir() / "episode-unsure.png"), full_page=True)
        cue = page.locator(".cue").filter(has=page.locator(".unsure:visible")).locator("textarea")
        cue.fill(cue.input_value().replace("direkt.", "sofort."))  # retyped: no longer the model's word
        expect(note).to_contain_text("unsicher erkannt: Jobkenter")
        expect(note).not_to_contain_text("direkt")
        one = "1 Wort unsicher erkannt: bitte im markierten Untertitel prüfen."
        expect(page.locator("#unsure-count")).to_have_text(one)
        note.get_by_role("button", name="Passt so").click()  # the editor keeps "Jobkenter"
        expect(page.locator(".cue .unsure:visible")).to_have_count(0)
        expect(page.locator("#unsure-count")).to_be_hidden()
        page.locator("#save").click()
        expect(page.locator("#message")).to_have_text("Gespeichert")
    saved = json.loads((auto_week.parent / "ep.captions.json").read_text(encoding="utf-8"))
    words = {w["text"]: w["probability"] for c in saved["cues"] for w in c["words"]}
    assert (words["Jobkenter"], words["sofort."]) == (1.0, 1.0) and "direkt." not in words


def test_a_nudged_word_keeps_its_correction_and_confidence() -> None:
    from vidcoop.captions.model import Cue
    from vidcoop.studio.captions import CueEdit, edited_cues

    fixed = Correction("Jobkenter", "Jobcenter", 0.86)
    words = (Word("Jobcenter", Fraction(0), Fraction(1), 0.4, fixed), Word("hilft", Fraction(1), Fraction(2), 0.2))
    (cue,) = edited_cues(Cues((Cue(Fraction(0), Fraction(2), ("Jobcenter hilft",), words),)),
                         [CueEdit(500, 2000, "Jobcenter hilft")])  # fmt: skip
    assert cue.words[0] == Word("Jobcenter", Fraction(1, 2), Fraction(1), 0.4, fixed)  # moved into the cue
    assert cue.words[1] == words[1]

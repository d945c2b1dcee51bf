"""``captions: auto`` in the studio: cues built as render() builds them, and corrections keep word times.

A stand-in transcription backend (registered for the test) returns fixed words, so no model is needed;
everything else (span mapping, social cue building, the app's save endpoint, the JSON file) is real.
"""

from __future__ import annotations

import json
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

    def transcribe(self, audio: Any) -> Transcript:
        words = tuple(Word(t, Fraction(s), Fraction(e)) for t, s, e in WORDS)
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


def test_auto_cues_and_a_correction_that_keeps_every_other_word_time(auto_week: Path) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from vidcoop.studio.app import create_app

    client = TestClient(create_app(auto_week), base_url="http://127.0.0.1")
    page = client.get("/episodes/kurz").text
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    data = client.get("/api/episodes/kurz").json()
    texts = [c["text"] for c in data["cues"]]
    assert " ".join(texts).split() == [w[0] for w in WORDS]  # social: 1-3 words a cue
    cues = data["cues"]
    index = next(i for i, c in enumerate(cues) if "Jobkenter" in c["text"])
    cues[index]["text"] = cues[index]["text"].replace("Jobkenter", "Jobcenter")
    r = client.post(
        "/api/episodes/kurz/captions",
        content=json.dumps({"version": data["version"], "cues": cues}),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text
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

    def transcribe(self, audio: Any) -> Transcript:
        raw = super().transcribe(audio)
        words = tuple(
            Word("Jobcenter", w.start, w.end, correction=Correction("Jobkenter", "Jobcenter", 0.86))
            if w.text == "Jobkenter"
            else w
            for w in raw.words
        )
        seg = TranscriptSegment(" ".join(w.text for w in words), words[0].start, words[-1].end, words)
        return Transcript((seg,), "de", self.name, "fixed", Fraction(2))


def test_corrected_words_reach_the_page_and_the_saved_file(
    auto_week: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from vidcoop.studio.app import create_app

    monkeypatch.setitem(BACKENDS, _Corrected.name, _Corrected)
    manifest = auto_week.parent / "ep.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(_Fixed.name, _Corrected.name), encoding="utf-8")
    client = TestClient(create_app(auto_week), base_url="http://127.0.0.1")
    page = client.get("/episodes/kurz").text
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    data = client.get("/api/episodes/kurz").json()
    marked = [k for c in data["cues"] for k in c["corrections"]]
    assert marked == [{"text": "Jobcenter", "original": "Jobkenter", "term": "Jobcenter", "score": 0.86}]
    assert all(c["corrections"] == [] for c in data["cues"] if "Jobcenter" not in c["text"])
    cues = data["cues"]  # sent back as they came (corrections included); one other word edited
    cues[0]["text"] = cues[0]["text"].replace("Das", "Dies")
    r = client.post(
        "/api/episodes/kurz/captions",
        content=json.dumps({"version": data["version"], "cues": cues}),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text
    saved = json.loads((auto_week.parent / "ep.captions.json").read_text(encoding="utf-8"))
    words = {w["text"]: w for c in saved["cues"] for w in c["words"]}
    assert words["Jobcenter"]["correction"] == {"original": "Jobkenter", "term": "Jobcenter", "score": 0.86}
    assert "correction" not in words["Dies"]
    again = client.get("/api/episodes/kurz").json()  # the edited file still marks the corrected word
    assert [k["original"] for c in again["cues"] for k in c["corrections"]] == ["Jobkenter"]


def test_a_split_word_is_marked_once() -> None:
    from vidcoop.captions.formats import Cues
    from vidcoop.captions.model import Cue
    from vidcoop.studio.app import _cue_dicts

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
    from .serving import CHROMIUM_ARGS, chromium_or_skip, screenshot_dir, serve

    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    from vidcoop.studio.app import create_app

    monkeypatch.setitem(BACKENDS, _Corrected.name, _Corrected)
    manifest = auto_week.parent / "ep.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(_Fixed.name, _Corrected.name), encoding="utf-8")
    errors: list[str] = []
    with serve(create_app(auto_week)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{url}/episodes/kurz")
        note = page.locator(".cue .corrections:visible")
        expect(note).to_have_count(1)
        expect(note).to_have_text("Korrigiert: Jobkenter → Jobcenter")
        page.screenshot(path=str(screenshot_dir() / "episode-corrections.png"), full_page=True)
        cue = page.locator(".cue").filter(has=page.locator(".corrections:visible")).locator("textarea")
        cue.fill(cue.input_value().replace("Jobcenter", "Amt"))  # the word is gone: so is its mark
        expect(page.locator(".cue .corrections:visible")).to_have_count(0)
        browser.close()
    assert errors == []

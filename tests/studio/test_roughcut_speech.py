"""The Rohschnitt view on real speech (slow): Whisper transcribes generated German in the studio's worker,
an editor keeps three sentences, strikes a filler, reorders and saves, and the render burns exactly the kept words.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from tests.roughcut.conftest import needs_model
from tests.roughcut.interview import FIRST_TAKE_END, build_interview
from vidcoop.engine.api import RenderOptions
from vidcoop.pipeline import render
from vidcoop.roughcut import WordRange, plan_cut, read_source, suggest
from vidcoop.roughcut.cut import CutOptions
from vidcoop.studio.app import create_app
from vidcoop.timeline.manifest import load_episode

from .roughcut_week import make_week
from .serving import chromium_or_skip, chromium_page, serve

pytestmark = [pytest.mark.slow, pytest.mark.whisper, needs_model]

#: About 40 s: two sentences, "ähm", a sentence, an aborted take and the take again, two sentences.
SHORT = ("dev_buergergeld", "rc_aehm", "dev_wohngeld", ("head", "de_jobcenter", FIRST_TAKE_END), "de_jobcenter",
         "dev_termin")


def test_roughcut_flow_on_speech(tmp_path: Path, isolated_cache: Path) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    interview = build_interview(tmp_path / "interview.mp4", SHORT)
    week = make_week(tmp_path / "week", interview.path)
    footage = week.parent / "footage" / "interview.mp4"
    manifest = week.parent / "episodes" / "folge.yaml"
    errors: list[str] = []
    with serve(create_app(week)) as url, sync_playwright() as p:
        page = chromium_page(p, chromium, errors)
        browser = page.context.browser
        page.goto(f"{url}/episodes/folge/roughcut")
        page.get_by_role("button", name="interview.mp4").click()
        expect(page.locator("#transcript")).to_contain_text("wird transkribiert", timeout=10_000)  # never blocks
        page.locator(".w").first.wait_for(timeout=600_000)
        st, audio = read_source(footage)  # the render's cache answers: the studio transcribed it
        filler_end = interview.fillers[0][1]
        last = next(s for s in st.sentences if s.start > filler_end)  # sentences 1, 2, (ähm), 3
        first_word, last_word = st.sentences[0].first, last.last
        page.locator(f".w[data-i='{first_word}']").click()
        page.locator(f".w[data-i='{last_word}']").click(modifiers=["Shift"])
        page.keyboard.press("Enter")
        expect(page.locator(".segment")).to_have_count(1)
        # the filler is listed, as a filler word or as sound no word covers; accepted here, it is cut out
        item = page.locator(".suggestion[data-kind=filler], .suggestion[data-kind=voice]").first
        key = item.get_attribute("data-key")
        item.get_by_role("button", name="Übernehmen").click()
        expect(page.locator(".segment")).to_have_count(2)
        page.get_by_role("listitem", name="Segment 2").get_by_role("button", name="Nach oben").click()
        page.get_by_role("button", name="Schnitt speichern").click()
        expect(page.get_by_role("status")).to_contain_text("Gespeichert: 2 Segmente")
        browser.close()
    assert not errors, errors

    text = manifest.read_text(encoding="utf-8")
    for comment in ("# schema", "# the episode's title", "# Reframe and lower thirds stay", "# filled by"):
        assert comment in text
    assert "source: ../footage/interview.mp4" in text
    accepted = [s for s in suggest(st, audio) if s.key == key]
    cut = plan_cut(st, audio, [WordRange(first_word, last_word)], accepted, CutOptions(fps=Fraction(30))).moved([1, 0])
    episode = load_episode(manifest)
    assert len(episode.segments) == len(cut.pieces)
    for seg, piece in zip(episode.segments, cut.pieces, strict=True):  # seconds to the microsecond
        assert abs((seg.start or 0) - piece.start) <= Fraction(1, 10**6) and abs((seg.end or 0) - piece.end) <= \
            Fraction(1, 10**6)
    kept = [w.text for w in cut.words]
    assert not any(re.fullmatch(r"(?i)ä+h+m*[.,…]*", w) for w in kept)
    out = tmp_path / "out" / "folge.mp4"
    render(episode, out, options=RenderOptions(profile="preview", loudness=False))
    srt = out.with_suffix(".srt").read_text(encoding="utf-8")
    burned = [w for block in srt.strip().split("\n\n") for line in block.splitlines()[2:] for w in line.split()]
    assert burned == kept  # exactly the kept words, in the cut's order, with no second transcription

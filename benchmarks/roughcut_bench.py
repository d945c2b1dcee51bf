"""Rough-cut benchmark: the library (transcript, suggestions, cut, save) and the studio's Rohschnitt view.

The source is the generated interview of the rough-cut tests (:mod:`tests.roughcut.interview`):
about 3.4 minutes of espeak-ng German with a second of silence between clips, two fillers
("ähm", "äh") and one repeated take. It is cut to about 45 s: the sentences spoken from 9 s to
about 65 s, pauses tightened to 0.4 s, fillers dropped, the last take kept.

Printed, each as the median of ``--runs``: the first transcription (cold cache, once), the
transcript read again (the render's cache answers), decoding with voice activity and word
fitting, the suggestions, the cut, and the save (manifest round trip plus caption file).
The machine is shared: absolute times move with its load.

Then the same cut in the studio's Rohschnitt view (``--ui``, on by default), driven by Playwright in
Debian's chromium: open the footage, click the first word, shift-click the last, Enter, "Alle
übernehmen", move a segment down and up again, nudge an edge by a frame, play the cut, save.
Printed: the UI actions it took (target at most 15) and the cut's length (about 45 s), the median
UI response (input event to DOM update, measured in the page with ``performance.now``; target
under 100 ms), the start of the instant preview (click to first frame playing; target under 1 s),
and whether the saved episode renders (preview profile) with captions that are exactly the kept
words (``--no-render`` skips the render).

Run from the repository root::

    /work/main/.venv/bin/python benchmarks/roughcut_bench.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.roughcut.interview import build_interview

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def median_of(runs: int, fn: Callable[[], T]) -> tuple[T, float]:
    times = []
    result = None
    for _ in range(runs):
        result, seconds = timed(fn)
        times.append(seconds)
    assert result is not None
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each warm step (median printed)")
    parser.add_argument("--no-ui", dest="ui", action="store_false", help="skip the studio's Rohschnitt view")
    parser.add_argument("--no-render", dest="render", action="store_false", help="skip rendering the saved cut")
    parser.add_argument("--screenshot", type=Path, default=None, help="save a screenshot of the view here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["VIDCOOP_CACHE_DIR"] = str(folder / "cache")  # a cold transcript cache, this run's own
        from vidcoop.roughcut import plan_cut, read_source, save_cut, source_transcript, suggest
        from vidcoop.roughcut.api import accepted_kinds
        from vidcoop.roughcut.cut import CutOptions
        from vidcoop.roughcut.suggest import SuggestOptions

        interview, built = timed(lambda: build_interview(folder / "interview.mp4"))
        print(f"source: {float(interview.duration):.1f} s generated interview, built in {built:.1f} s")
        st, cold = timed(lambda: source_transcript(interview.path))
        print(f"transcribe (cold cache, Whisper base int8): {cold:.1f} s "
              f"({float(interview.duration) / cold:.1f}x real time)")
        _, warm = median_of(args.runs, lambda: source_transcript(interview.path))
        print(f"transcript again (render's cache):          {warm * 1000:.0f} ms")
        (st, audio), read = median_of(args.runs, lambda: read_source(interview.path))
        print(f"read source (cache + decode + VAD + fit):   {read * 1000:.0f} ms; "
              f"{len(st.sentences)} sentences, {len(st.paragraphs)} paragraphs, {len(st.words)} words")
        options = SuggestOptions(pause=Fraction(2, 5))
        found, took = median_of(args.runs, lambda: suggest(st, audio, options))
        kinds = Counter(s.kind for s in found)
        print(f"suggestions:                                {took * 1000:.0f} ms; "
              + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
        first = next(s.number for s in st.sentences if s.start >= Fraction(9))
        last = max(s.number for s in st.sentences if s.start < interview.first_take[1] + 25)
        wanted = accepted_kinds(tighten_pauses=True, drop_fillers=True, last_take=True)
        accept = [s for s in found if s.kind in wanted]
        cut_options = CutOptions(keep_pause=Fraction(2, 5))
        cut, took = median_of(args.runs, lambda: plan_cut(st, audio, range(first, last + 1), accept, cut_options))
        length = sum(p.duration for p in cut.pieces)
        print(f"cut (sentences {first}-{last}):                  {took * 1000:.0f} ms; "
              f"{len(cut.pieces)} segments, {float(length):.1f} s")
        manifest = folder / "folge.yaml"
        saved, took = median_of(args.runs, lambda: save_cut(manifest, cut, style="social"))
        print(f"save (manifest round trip + captions):      {took * 1000:.0f} ms; {saved.captions.name}")
        if args.ui:
            ui_bench(interview.path, folder / "ui", first, last, render=args.render, screenshot=args.screenshot)


def ui_bench(source: Path, folder: Path, first: int, last: int, *, render: bool, screenshot: Path | None) -> None:
    """The same cut by hand in the Rohschnitt view: count the actions, time the page's responses."""
    import shutil

    from playwright.sync_api import expect, sync_playwright

    from tests.studio.roughcut_week import make_week
    from tests.studio.serving import CHROMIUM, CHROMIUM_ARGS, serve
    from vidcoop.pipeline import episode_cues
    from vidcoop.studio.app import create_app
    from vidcoop.timeline.manifest import load_episode

    week = make_week(folder, source)
    manifest = folder / "episodes" / "folge.yaml"
    actions = 0

    def act(fn: Callable[[], object]) -> None:
        nonlocal actions
        actions += 1
        fn()

    with serve(create_app(week)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(600_000)
        page.goto(f"{url}/episodes/folge/roughcut")
        act(lambda: page.get_by_role("button", name=source.name).click())
        page.locator(".w").first.wait_for()
        sentence = page.locator(".para .sn")
        print(f"UI: transcript shown ({page.locator('.w').count()} words, {sentence.count()} sentences)")

        def word_of(number: int, last_word: bool) -> object:
            # the words of sentence `number` stand between its number and the next one
            return page.evaluate("""([n, last]) => {
                const marks = [...document.querySelectorAll('.para .sn')];
                const mark = marks.find(m => m.textContent === String(n));
                let el = mark.nextElementSibling, found = el;
                while (el && el.classList.contains('w')) { found = el; if (!last) break; el = el.nextElementSibling; }
                return Number(found.dataset.i); }""", [number, last_word])

        a, b = word_of(first, False), word_of(last, True)
        act(lambda: page.locator(f".w[data-i='{a}']").click())
        act(lambda: page.locator(f".w[data-i='{b}']").click(modifiers=["Shift"]))
        act(lambda: page.keyboard.press("Enter"))
        expect(page.locator(".segment").first).to_be_visible()
        act(lambda: page.get_by_role("button", name="Alle übernehmen").click())
        page.wait_for_function("window.rcMetrics.some(m => m.action === 'accept-all')")
        act(lambda: page.get_by_role("listitem", name="Segment 1").get_by_role("button", name="Nach unten").click())
        act(lambda: page.get_by_role("listitem", name="Segment 2").get_by_role("button", name="Nach oben").click())
        act(lambda: page.get_by_role("listitem", name="Segment 1").get_by_role("button",
                                                                             name="Ende 1 Bild später").click())
        act(lambda: page.get_by_role("button", name="Schnitt abspielen").click())
        page.wait_for_function("window.rcPreviewStart !== undefined", timeout=30_000)
        preview_ms = page.evaluate("window.rcPreviewStart")
        page.wait_for_timeout(1500)
        if screenshot is not None:
            page.get_by_role("button", name="Anhalten").click()
            page.screenshot(path=str(screenshot))
            print(f"UI: screenshot {screenshot}")
        act(lambda: page.get_by_role("button", name="Schnitt speichern").click())
        expect(page.get_by_role("status")).to_contain_text("Gespeichert")
        metrics = page.evaluate("window.rcMetrics")
        length = page.evaluate("""() => [...document.querySelectorAll('.segment .time')]
            .reduce((s, b) => s + (b.dataset.endFrame - b.dataset.startFrame), 0)""") / 30
        browser.close()
    times = [m["ms"] for m in metrics]
    each = ", ".join(f"{m['action']} {m['ms']:.0f}" for m in metrics)
    print(f"UI: {actions} actions (target <= 15) cut it to {length:.1f} s in "
          f"{len(load_episode(manifest).segments)} segments")
    print(f"UI response, input to DOM update: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
          f"over {len(times)} ({each}); target < 100 ms")
    print(f"instant preview start (click to first frame playing): {preview_ms:.0f} ms; target < 1000 ms")
    episode = load_episode(manifest)
    kept = [w.text for c in episode_cues(episode) for w in c.words]
    print(f"captions: {len(kept)} words, the kept transcript words with no second transcription")
    if render:
        from vidcoop.engine.api import RenderOptions
        from vidcoop.pipeline import render as render_episode

        out = folder / "out" / "folge.preview.mp4"
        out.parent.mkdir(exist_ok=True)
        _, took = timed(lambda: render_episode(episode, out, options=RenderOptions(profile="preview", loudness=False)))
        srt = out.with_suffix(".srt")
        words = [w for line in srt.read_text(encoding="utf-8").splitlines()
                 if line and not line[0].isdigit() for w in line.split()] if srt.exists() else []
        same = words == [w for t in kept for w in t.split()]
        print(f"render (preview 540x960): {took:.1f} s; captions in {srt.name}: "
              f"{'exactly the kept words' if same else 'DIFFER from the kept words'} ({len(words)} words)")
    shutil.rmtree(folder / "footage", ignore_errors=True)


if __name__ == "__main__":
    main()

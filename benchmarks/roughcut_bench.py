"""Rough-cut benchmark, the parts without a browser: transcript, suggestions, cut and save.

The source is the generated interview of the rough-cut tests (:mod:`tests.roughcut.interview`):
about 3.4 minutes of espeak-ng German with a second of silence between clips, two fillers
("ähm", "äh") and one repeated take. It is cut to about 45 s: the sentences spoken from 9 s to
about 65 s, pauses tightened to 0.4 s, fillers dropped, the last take kept.

Printed, each as the median of ``--runs``: the first transcription (cold cache, once), the
transcript read again (the render's cache answers), decoding with voice activity and word
fitting, the suggestions, the cut, and the save (manifest round trip plus caption file).
The machine is shared: absolute times move with its load.

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


if __name__ == "__main__":
    main()

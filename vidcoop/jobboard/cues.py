"""Every card's text as caption cues, for screen readers and sound-off viewers.

Card text is drawn into the picture, which a screen reader cannot read; the
same words therefore go into a sidecar SRT/VTT. A card's text is split into
short cues (title; place, hours and start; description; how to apply), each
at most two lines of 42 characters, timed across the card's time on screen in
proportion to their length. Text stays exactly as written.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.model import Cue
from vidcoop.jobboard.model import Job

LINE_CHARS = 42
CUE_LINES = 2


def _chunks(text: str) -> list[tuple[str, ...]]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if paragraph.strip():
            lines.extend(textwrap.wrap(paragraph, LINE_CHARS, break_long_words=False, break_on_hyphens=False))
    return [tuple(lines[i : i + CUE_LINES]) for i in range(0, len(lines), CUE_LINES)]


def card_texts(job: Job) -> list[str]:
    """The card's text in reading order, one entry per caption block."""
    place = " · ".join(p for p in (job.hours, job.start_text) if p)
    texts = [job.title, f"{job.location}\n{place}" if place else job.location]
    if job.description:
        texts.append(job.description)
    texts.append(f"Bewerben: {job.apply.display}\nbis {job.expires:%d.%m.%Y}")
    return texts


def timed_cues(texts: list[str], start: Fraction, end: Fraction) -> list[Cue]:
    """Split ``texts`` into cues laid end to end over ``[start, end]``, timed by length."""
    blocks = [chunk for text in texts for chunk in _chunks(text)]
    if not blocks:
        return []
    weights = [Fraction(sum(len(line) for line in block) + 10) for block in blocks]
    total = sum(weights)
    cues: list[Cue] = []
    t = start
    for block, weight in zip(blocks, weights, strict=True):
        stop = t + (end - start) * weight / total
        cues.append(Cue(t, stop, block))
        t = stop
    return cues


def card_cues(job: Job, start: Fraction, end: Fraction) -> list[Cue]:
    """Cues that say what the job card shows, while it shows."""
    return timed_cues(card_texts(job), start, end)


def write_cues(cues: list[Cue], base: Path) -> tuple[Path, Path]:
    """Write ``base.srt`` and ``base.vtt`` atomically (via :mod:`vidcoop.captions.formats`)."""
    from vidcoop.captions.formats import Cues

    track = Cues(tuple(cues), style="subtitle", language="de")
    return track.save(base.with_suffix(".srt")), track.save(base.with_suffix(".vtt"))

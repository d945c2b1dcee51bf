"""Words before cues: the transcript's words in order, and the runs between cuts and long pauses that
cue building fits one by one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from vidcoop.captions.model import Transcript, Word

CLOSERS = "\"'»«“”)"  # what may follow a sentence's last mark

def transcript_words(transcript: Transcript) -> list[Word]:
    """The transcript's words, cleaned, in time order.

    Segments without word timing (some backends) get their words spread over
    the segment by character count, so every style still works.
    """
    words: list[Word] = []
    for segment in transcript.segments:
        if segment.words:
            words.extend(replace(w, text=w.text.strip()) for w in segment.words if w.text.strip())
        else:
            words.extend(spread(segment.text, segment.start, segment.end))
    words.sort(key=lambda w: (w.start, w.end))
    return words


def spread(text: str, start: Fraction, end: Fraction) -> list[Word]:
    parts = text.split()
    if not parts:
        return []
    total = sum(len(p) + 1 for p in parts)
    span = max(Fraction(0), end - start)
    out: list[Word] = []
    at = start
    for part in parts:
        length = span * (len(part) + 1) / total
        out.append(Word(part, at, at + length))
        at += length
    return out


def chunks(words: Sequence[Word], cuts: Sequence[Fraction], pause: Fraction) -> list[list[Word]]:
    """Split words into runs that no cue may cross: at long pauses and at cuts.

    A cut at time ``c`` separates the words that start before ``c`` from the
    words that start at or after it.
    """
    ordered_cuts = sorted(Fraction(c) for c in cuts)
    runs: list[list[Word]] = []
    for word in words:
        if runs:
            prev = runs[-1][-1]
            crosses = any(prev.start < c <= word.start for c in ordered_cuts)
            if crosses or word.start - prev.end >= pause:
                runs.append([word])
                continue
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def ends(word: str, marks: tuple[str, ...]) -> bool:
    return word.rstrip(CLOSERS).endswith(marks)


def next_cut(t: Fraction, cuts: Sequence[Fraction]) -> Fraction | None:
    later = [c for c in cuts if c > t]
    return min(later) if later else None



"""Fake transcripts for cue-building tests: words at a steady speaking pace."""

from __future__ import annotations

from fractions import Fraction

from vidcoop.captions.model import Transcript, TranscriptSegment, Word


def words_at(text: str, start: Fraction = Fraction(0), per_char: Fraction = Fraction(1, 15),
             gap: Fraction = Fraction(1, 20)) -> list[Word]:
    """Words of ``text`` spoken one after another: each lasts ``per_char`` per character."""
    out: list[Word] = []
    at = Fraction(start)
    for token in text.split():
        end = at + per_char * len(token)
        out.append(Word(token, at, end))
        at = end + gap
    return out


def transcript_of(*segments: list[Word], language: str = "de", duration: Fraction = Fraction(0)) -> Transcript:
    """A Transcript with one segment per list of words."""
    segs = tuple(
        TranscriptSegment(" ".join(w.text for w in ws), ws[0].start, ws[-1].end, tuple(ws)) for ws in segments if ws
    )
    return Transcript(segs, language=language, backend="fake", model="fake", duration=duration)


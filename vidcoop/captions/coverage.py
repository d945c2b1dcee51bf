"""Coverage check after recognition: no speech goes unseen, and nothing unsaid is shown.

The voice detector (Silero VAD, bundled with faster-whisper) and the
recogniser are independent witnesses. Comparing them catches two failures a
viewer would otherwise meet without warning:

* **Speech without words** (:func:`left_out`): the recogniser lost a sentence,
  or the backend dropped a window where the model only repeated itself. Every
  stretch of voice of at least :data:`MIN_LEFT_OUT` that no word covers becomes
  a :class:`~vidcoop.captions.model.LeftOut`, "repeated itself" where a dropped
  loop lies on it, else "not recognised". A dropped loop is always left out,
  heard or not.
* **Words without speech** (:func:`unsaid`): a word that starts more than
  :data:`AFTER_VOICE` after the last voice, and a word of (near) zero length
  (under :data:`MIN_WORD`; Whisper's timestamps step in 20 ms) outside the
  voice or in a run of :data:`SQUEEZED` or more: text squeezed onto one
  instant, typically invented and repeated at the end of a clip. They are left
  out of the captions and recorded (``extra["unsaid"]``), never dropped
  silently. A lone zero-length word inside speech stays: on a 160 s German
  recording Whisper gave "Euro" in "555,50 Euro" no time at all.

Chosen on the committed dev clips (``tests/media``, base model): real speech
gave no word under 20 ms and no word after the last voice (joined into one
160 s recording, one real word of zero length, inside speech); words leave up to
0.48 s of voice uncovered between them (word edges are rough), so each word
counts as covering :data:`WORD_PAD` either side and a gap needs 0.5 s of
uncovered voice to be reported: a lost word of about 0.7 s or more, any lost
sentence.

A piece of audio in which the detector hears no voice at all is not judged
(a whisper, or a synthetic tone the detector does not take for speech): with
its VAD filter on, Whisper gives no words there anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from vidcoop.captions.backends import SAMPLE_RATE
from vidcoop.captions.model import NOT_RECOGNISED, REPEATED_ITSELF, LeftOut, Transcript, TranscriptSegment, Word
from vidcoop.timing import merge_spans

if TYPE_CHECKING:
    import numpy as np

Region = tuple[Fraction, Fraction]

#: Shortest stretch of voice with no word that is reported as left out.
MIN_LEFT_OUT = Fraction(1, 2)
#: How far beside its own span a word counts as covering voice (word edges are rough).
WORD_PAD = Fraction(1, 10)
#: Stretches of uncovered voice closer than this, with no word between, are one stretch.
JOIN = Fraction(1)
#: A word shorter than this was not said (Whisper's timestamps step in 20 ms).
MIN_WORD = Fraction(20, 1000)
#: A word starting later than this after the last voice was not said.
AFTER_VOICE = Fraction(1, 4)
#: This many words of (near) zero length in a row were squeezed onto one instant: not said.
SQUEEZED = 3
#: Voice detector settings: tight padding, pauses from 100 ms on (also used to snap word edges).
VAD_OPTIONS = {"speech_pad_ms": 30, "min_silence_duration_ms": 100}


def speech_regions(audio: np.ndarray[Any, Any]) -> list[Region]:
    """Where ``audio`` (16 kHz mono float32) has voice (Silero VAD, bundled with faster-whisper), tightly padded."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(audio, VadOptions(**VAD_OPTIONS))
    return [(Fraction(s["start"], SAMPLE_RATE), Fraction(s["end"], SAMPLE_RATE)) for s in spans]


def unsaid(words: Sequence[Word], regions: Sequence[Region]) -> tuple[tuple[Word, ...], tuple[Word, ...]]:
    """(kept, left out): words nobody said, see the module notes.

    Left out: a word starting more than :data:`AFTER_VOICE` after the last voice, and a
    word of (near) zero length that lies outside the voice or among :data:`SQUEEZED` or
    more such words in a row (text squeezed onto one instant). A lone zero-length word
    inside speech is kept: Whisper sometimes gives a real word no time ("555,50 Euro").
    ``words`` are in order; without any voice in ``regions`` no word starts after it.
    """
    last = max((b for _, b in regions), default=None)
    zero = [w.end - w.start < MIN_WORD for w in words]
    squeezed = [False] * len(words)
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and zero[j]:
            j += 1
        if j - i >= SQUEEZED:
            squeezed[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    kept: list[Word] = []
    dropped: list[Word] = []
    for k, w in enumerate(words):
        after = last is not None and w.start > last + AFTER_VOICE
        voiced = any(a - AFTER_VOICE <= w.start <= b + AFTER_VOICE for a, b in regions)
        (dropped if after or (zero[k] and (squeezed[k] or not voiced)) else kept).append(w)
    return tuple(kept), tuple(dropped)


def left_out(
    regions: Sequence[Region], words: Sequence[Word], loops: Sequence[dict[str, Any]] = ()
) -> tuple[LeftOut, ...]:
    """Stretches of voice that no word covers, and the loops a backend dropped, in time order.

    Args:
        regions: Voice, as :func:`speech_regions` gives it.
        words: The recognised words (any order).
        loops: Text the backend left out because the model only repeated itself
            (``start``, ``end`` in seconds, ``text``: :attr:`Transcript.dropped_loops`).
    """
    covered = merge_spans([(w.start - WORD_PAD, w.end + WORD_PAD) for w in words])
    pieces = [p for a, b in sorted(regions) for p in _minus((a, b), covered)]
    groups: list[list[Region]] = []
    for piece in pieces:
        if groups and piece[0] - groups[-1][-1][1] < JOIN and not _any_inside(covered, groups[-1][-1][1], piece[0]):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    heard = [(g[0][0], g[-1][1]) for g in groups if sum((b - a for a, b in g), Fraction(0)) >= MIN_LEFT_OUT]
    found: list[LeftOut] = []
    spans = [(Fraction(str(d["start"])), Fraction(str(d["end"])), str(d.get("text", ""))) for d in loops]
    used: set[int] = set()
    for a, b in heard:
        mine = [k for k, (la, lb, _) in enumerate(spans) if la < b and lb > a]
        if mine:
            used.update(mine)
            start, end = min([a, *(spans[k][0] for k in mine)]), max([b, *(spans[k][1] for k in mine)])
            text = " / ".join(dict.fromkeys(spans[k][2] for k in mine))
            found.append(LeftOut(_ms(start), _ms(end), REPEATED_ITSELF, text))
        else:
            found.append(LeftOut(_ms(a), _ms(b), NOT_RECOGNISED))
    found += [LeftOut(_ms(a), _ms(b), REPEATED_ITSELF, text) for k, (a, b, text) in enumerate(spans) if k not in used]
    return tuple(sorted(found, key=lambda item: (item.start, item.end)))


def check(transcript: Transcript, regions: Sequence[Region]) -> Transcript:
    """The transcript without unsaid words, with what was left out on either side in ``extra``.

    ``extra["unsaid"]`` lists the words taken out (``start``, ``end``, ``text``,
    ``probability``), ``extra["left_out"]`` the speech without words
    (:meth:`LeftOut.as_dict`); both in the transcript's own seconds.
    """
    gone: list[Word] = []
    segments: list[TranscriptSegment] = []
    for seg in transcript.segments:
        if not seg.words:
            segments.append(seg)
            continue
        kept, dropped = unsaid(seg.words, regions)
        gone.extend(dropped)
        if kept == seg.words:
            segments.append(seg)
        elif kept:
            segments.append(TranscriptSegment(" ".join(w.text.strip() for w in kept), kept[0].start, kept[-1].end,
                                              kept))
    extra = dict(transcript.extra)
    missing = left_out(regions, [w for s in segments for w in s.words], transcript.dropped_loops)
    extra["left_out"] = [item.as_dict() for item in missing]
    if gone:
        extra["unsaid"] = [{"start": round(float(w.start), 3), "end": round(float(w.end), 3), "text": w.text,
                            "probability": w.probability} for w in gone]
    return replace(transcript, segments=tuple(segments), extra=extra)


def shifted(items: Any, shift: Fraction, length: Fraction) -> list[dict[str, Any]]:
    """``extra`` entries (``start``/``end`` seconds) of a piece clipped to it and moved by ``shift``
    (onto the episode timeline); entries wholly outside the piece are dropped."""
    out: list[dict[str, Any]] = []
    for d in items if isinstance(items, list) else []:
        start, end = Fraction(str(d["start"])), Fraction(str(d["end"]))
        if end < 0 or start > length:
            continue
        out.append({**d, "start": round(float(max(start, Fraction(0)) + shift), 3),
                    "end": round(float(min(end, length) + shift), 3)})
    return out


def _minus(region: Region, covered: Sequence[Region]) -> list[Region]:
    """The parts of ``region`` outside every span of ``covered`` (sorted, not overlapping)."""
    a, b = region
    out: list[Region] = []
    for ca, cb in covered:
        if cb <= a or ca >= b:
            continue
        if ca > a:
            out.append((a, ca))
        a = max(a, cb)
    if a < b:
        out.append((a, b))
    return out


def _any_inside(covered: Sequence[Region], a: Fraction, b: Fraction) -> bool:
    return any(ca < b and cb > a for ca, cb in covered)


def _ms(t: Fraction) -> Fraction:
    return Fraction(round(t * 1000), 1000)


__all__ = [
    "AFTER_VOICE",
    "JOIN",
    "MIN_LEFT_OUT",
    "MIN_WORD",
    "SQUEEZED",
    "WORD_PAD",
    "check",
    "left_out",
    "shifted",
    "speech_regions",
    "unsaid",
]

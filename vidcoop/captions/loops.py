"""A stretch the model decoded into a repetition loop, or skipped, is decoded again on its own.

Whisper sometimes falls into a loop on long audio: one sentence again and
again ("Bei der Caritas gibt es ... Bei der Caritas gibt es ..."), while the
speech after it is never written. What it carries from window to window (the
initial prompt and, with ``condition_on_previous_text``, its own last text) is
what keeps it there, so Whisper's usual way out is to decode the window again
with that context reset. Here the stretch of a looping segment (from the end
of the last good segment to the start of the next one) is cut out of the
audio and decoded alone with no prompt, no glossary hints and no previous
text (the backend's ``plain`` pass); where that still loops, each stretch of
voice inside it is decoded alone. No repetition penalty is used: it makes the
model avoid tokens it already wrote, so "die" became "Die" and full stops
went missing (issue #23).

A segment that still loops after both is left out of the transcript and
listed in ``extra["dropped_loops"]`` with its time and the reason
``"repeated itself"``, so the speech under it is named, never lost
silently. Every retried stretch is listed in ``extra["loop_retries"]``.

Whisper also skips speech without a trace: on a long recording a window
that went wrong is passed over as silence, and whole sentences are missing
(issue #23: 3 of 23). :func:`fill_gaps` finds stretches of voice (Silero
VAD) of at least :data:`MIN_GAP_S` with no recognised word in them and
decodes each once more the same plain way; what comes out is kept (and
listed in ``extra["gap_retries"]``), and what still has no words is left for
the coverage check to name.

The check needs only the text, so it is the same for every backend: a
segment loops when its text compresses better than the decoding's
``compression_ratio_threshold`` (Whisper's own gzip test), when a run of one
to four words comes three times in a row, or when it says word for word what
the segment before it said.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from vidcoop.captions.model import Transcript, TranscriptSegment
from vidcoop.media.audio import SAMPLE_RATE

if TYPE_CHECKING:
    import numpy as np

#: Why a stretch of speech has no words in the transcript (the coverage check's wording).
REPEATED_ITSELF = "repeated itself"
#: Voice without words for at least this long is decoded again (shorter is a breath or a click).
MIN_GAP_S = Fraction(1, 2)
#: A run of this many words or fewer, said this many times in a row, is a loop.
_MAX_RUN_WORDS, _RUN_TIMES = 4, 3
#: A repeated segment is a loop only if it has at least this many words (not "Ja. Ja.").
_MIN_REPEATED_WORDS = 3
#: Voice regions for the second retry: pauses from this long split the stretch.
_REGION_MIN_SILENCE_MS = 300
_REGION_PAD_MS = 200

Decode = Callable[["np.ndarray[Any, Any]"], Transcript]


def compression_ratio(text: str) -> float:
    """Whisper's loop test: UTF-8 length over zlib-compressed length (a loop compresses well)."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def repeats_itself(text: str, threshold: float) -> bool:
    """Whether ``text`` is a loop: it compresses better than ``threshold``, or 1-4 words come 3 times in a row."""
    if compression_ratio(text) > threshold:
        return True
    words = _tokens(text)
    for n in range(1, _MAX_RUN_WORDS + 1):
        for i in range(len(words) - n * _RUN_TIMES + 1):
            run = words[i : i + n]
            if all(words[i + k * n : i + (k + 1) * n] == run for k in range(1, _RUN_TIMES)):
                return True
    return False


def looping(segments: Sequence[TranscriptSegment], threshold: float) -> list[bool]:
    """Per segment: does it loop (:func:`repeats_itself`, or the same words as the segment before)?"""
    flags = [repeats_itself(s.text, threshold) for s in segments]
    for i in range(1, len(segments)):
        words = _tokens(segments[i].text)
        if len(words) >= _MIN_REPEATED_WORDS and words == _tokens(segments[i - 1].text):
            flags[i] = True
    return flags


def unloop(transcript: Transcript, audio: np.ndarray[Any, Any], decode_plain: Decode, threshold: float) -> Transcript:
    """``transcript`` with every looping stretch decoded again on its own (see the module's docstring).

    ``decode_plain`` recognises a piece of audio with no prompt, no hints and
    no previous text; its times start at the piece's start.
    """
    segments = list(transcript.segments)
    flags = looping(segments, threshold)
    if not any(flags):
        return transcript
    duration = Fraction(len(audio), SAMPLE_RATE)
    out: list[TranscriptSegment] = []
    retries: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = [d for d in transcript.dropped_loops]
    i = 0
    while i < len(segments):
        if not flags[i]:
            out.append(segments[i])
            i += 1
            continue
        j = i
        while j < len(segments) and flags[j]:
            j += 1
        start = segments[i - 1].end if i > 0 else Fraction(0)
        end = segments[j].start if j < len(segments) else duration
        start, end = min(start, segments[i].start), max(end, start)
        fresh, lost = _decode_again(audio, start, end, decode_plain, threshold)
        out.extend(fresh)
        dropped.extend(lost)
        retries.append({"start": float(start), "end": float(end), "looped": _snippet(segments[i].text),
                        "fixed": not lost})  # fmt: skip
        i = j
    extra = {k: v for k, v in transcript.extra.items() if k not in ("dropped_loops", "loop_retries")}
    extra["loop_retries"] = transcript.extra.get("loop_retries", []) + retries  # type: ignore[operator]
    if dropped:
        extra["dropped_loops"] = dropped
    out.sort(key=lambda s: (s.start, s.end))
    return replace(transcript, segments=tuple(out), extra=extra)


def fill_gaps(
    transcript: Transcript, audio: np.ndarray[Any, Any], decode_plain: Decode, threshold: float
) -> Transcript:
    """``transcript`` with every stretch of voice that has no word decoded again on its own (module docstring).

    A stretch runs from the end of the last word before it to the start of
    the next word after it (at most :data:`_REGION_PAD_MS` beyond its voice), so nothing
    recognised is decoded twice. Segments of the new pass that loop are left out and listed.
    """
    duration = Fraction(len(audio), SAMPLE_RATE)
    words = transcript.words
    middles = sorted((w.start + w.end) / 2 for w in words)
    gaps = [(a, b) for a, b in _voice(audio, Fraction(0), duration, default=False)
            if b - a >= MIN_GAP_S and not any(a <= m <= b for m in middles)]  # fmt: skip
    if not gaps:
        return transcript
    pad = Fraction(_REGION_PAD_MS, 1000)
    stretches: list[list[Fraction]] = []
    for a, b in gaps:  # voice regions with no word between them are decoded together
        if stretches and not any(stretches[-1][1] <= m <= a for m in middles):
            stretches[-1][1] = b
        else:
            stretches.append([a, b])
    added: list[TranscriptSegment] = []
    retries: list[dict[str, Any]] = []
    lost: list[dict[str, Any]] = []
    for a, b in stretches:
        start = max([a - pad, Fraction(0), *(w.end for w in words if (w.start + w.end) / 2 < a)])
        end = min([b + pad, duration, *(w.start for w in words if (w.start + w.end) / 2 > b)])
        part = _plain(audio, start, end, decode_plain)
        flags = looping(part, threshold)
        added.extend(s for s, bad in zip(part, flags, strict=True) if not bad)
        lost.extend({"start": float(s.start), "end": float(s.end), "text": _snippet(s.text), "reason": REPEATED_ITSELF}
                    for s, bad in zip(part, flags, strict=True) if bad)  # fmt: skip
        retries.append({"start": float(start), "end": float(end),
                        "words": sum(len(s.words) for s, bad in zip(part, flags, strict=True) if not bad)})
    extra = dict(transcript.extra)
    extra["gap_retries"] = retries
    if lost:
        extra["dropped_loops"] = [*transcript.dropped_loops, *lost]
    segments = sorted([*transcript.segments, *added], key=lambda s: (s.start, s.end))
    return replace(transcript, segments=tuple(segments), extra=extra)


def _decode_again(
    audio: np.ndarray[Any, Any], start: Fraction, end: Fraction, decode_plain: Decode, threshold: float
) -> tuple[list[TranscriptSegment], list[dict[str, Any]]]:
    """The stretch decoded alone; where that loops, each voice region in it alone. (segments, dropped loops)."""
    segments = _plain(audio, start, end, decode_plain)
    if not any(looping(segments, threshold)):
        return segments, []
    kept: list[TranscriptSegment] = []
    lost: list[dict[str, Any]] = []
    for a, b in _voice(audio, start, end):
        part = _plain(audio, a, b, decode_plain)
        flags = looping(part, threshold)
        kept.extend(s for s, bad in zip(part, flags, strict=True) if not bad)
        lost.extend({"start": float(s.start), "end": float(s.end), "text": _snippet(s.text), "reason": REPEATED_ITSELF}
                    for s, bad in zip(part, flags, strict=True) if bad)  # fmt: skip
    return kept, lost


def _plain(
    audio: np.ndarray[Any, Any], start: Fraction, end: Fraction, decode_plain: Decode
) -> list[TranscriptSegment]:
    """Segments of ``audio[start:end]`` decoded alone, moved to ``audio``'s time; words clipped to the piece."""
    a, b = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
    if b - a < SAMPLE_RATE // 10:
        return []
    piece = decode_plain(audio[a:b])
    shift, length = Fraction(a, SAMPLE_RATE), Fraction(b - a, SAMPLE_RATE)

    def at(t: Fraction) -> Fraction:
        return min(max(t, Fraction(0)), length) + shift

    out = []
    for seg in piece.segments:
        if seg.words:
            words = tuple(replace(w, start=at(w.start), end=at(w.end)) for w in seg.words
                          if 0 <= (w.start + w.end) / 2 < length)  # fmt: skip
            if words:
                text = seg.text if len(words) == len(seg.words) else " ".join(w.text for w in words)
                out.append(TranscriptSegment(text, words[0].start, words[-1].end, words))
        elif seg.start < length and seg.text.strip():
            out.append(TranscriptSegment(seg.text, at(seg.start), at(seg.end)))
    return out


def _voice(
    audio: np.ndarray[Any, Any], start: Fraction, end: Fraction, *, default: bool = True
) -> list[tuple[Fraction, Fraction]]:
    """Voice regions inside ``[start, end]`` (Silero VAD, bundled with faster-whisper), padded.

    With none found: the whole stretch when ``default``, else nothing.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    a, b = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
    spans = get_speech_timestamps(
        audio[a:b], VadOptions(min_silence_duration_ms=_REGION_MIN_SILENCE_MS, speech_pad_ms=_REGION_PAD_MS)
    )
    regions = [(start + Fraction(s["start"], SAMPLE_RATE), start + Fraction(s["end"], SAMPLE_RATE)) for s in spans]
    return regions or ([(start, end)] if default else [])


def _snippet(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["MIN_GAP_S", "REPEATED_ITSELF", "compression_ratio", "fill_gaps", "looping", "repeats_itself", "unloop"]

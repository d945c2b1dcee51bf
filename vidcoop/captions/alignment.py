"""Times of recognised words: a joined pass split back into its pieces, and word edges snapped to the
speech the voice detector heard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.transcript_io import seconds

if TYPE_CHECKING:
    pass


def split_transcript(transcript: Transcript, bounds: Sequence[tuple[Fraction, Fraction]]) -> list[Transcript]:
    """Cut a transcript of joined pieces back into one transcript per piece.

    A word belongs to the piece its middle lies in (words in the gaps are
    dropped), keeps its place inside the piece, and is clipped to it. A
    segment whose words fall into two pieces becomes one segment in each.
    """
    buckets: list[list[TranscriptSegment]] = [[] for _ in bounds]

    def piece_of(t: Fraction) -> int | None:
        return next((k for k, (a, b) in enumerate(bounds) if a <= t < b), None)

    def local(t: Fraction, k: int) -> Fraction:
        a, b = bounds[k]
        return min(max(t, a), b) - a

    loops: list[list[dict[str, Any]]] = [[] for _ in bounds]
    for loop in transcript.dropped_loops:  # each to the piece it lies in (nearest, if in a gap), in its time
        start, end = seconds(loop["start"]), seconds(loop["end"])
        mid = (start + end) / 2
        k = piece_of(mid)
        if k is None:
            k = min(range(len(bounds)), key=lambda i: min(abs(mid - bounds[i][0]), abs(mid - bounds[i][1])))
        loops[k].append({**loop, "start": float(local(start, k)), "end": float(local(end, k))})
    for seg in transcript.segments:
        if not seg.words:
            k = piece_of((seg.start + seg.end) / 2)
            if k is not None:
                buckets[k].append(TranscriptSegment(seg.text, local(seg.start, k), local(seg.end, k)))
            continue
        groups: dict[int, list[Word]] = {}
        for w in seg.words:
            k = piece_of((w.start + w.end) / 2)
            if k is not None:
                groups.setdefault(k, []).append(replace(w, start=local(w.start, k), end=local(w.end, k)))
        for k, words in groups.items():
            text = seg.text if len(words) == len(seg.words) else " ".join(w.text for w in words)
            buckets[k].append(TranscriptSegment(text, words[0].start, words[-1].end, tuple(words)))
    return [
        Transcript(
            segments=tuple(bucket),
            language=transcript.language,
            backend=transcript.backend,
            model=transcript.model,
            duration=b - a,
            # (the passes' own times, loop_retries and gap_retries, belong to the joined pass, not a piece)
            extra={**{k: v for k, v in transcript.extra.items()
                      if k not in ("dropped_loops", "loop_retries", "gap_retries")},
                   **({"dropped_loops": mine} if mine else {})},
        )
        for bucket, (a, b), mine in zip(buckets, bounds, loops, strict=True)
    ]


def snap_to_speech(transcript: Transcript, regions: Sequence[tuple[Fraction, Fraction]]) -> Transcript:
    """Pull word edges that lie in silence onto the nearest speech inside the word.

    Whisper's word alignment gives the first word after a pause the pause as
    well (it starts up to half a second early, at the start of the padded
    VAD chunk), and lets last words run on into silence. A highlighted word
    that lights up before it is spoken looks wrong, so a start in silence
    moves to the next speech onset, and an end in silence to the last speech
    offset, as long as that stays inside the word. Words with no speech under
    them are left alone.
    """
    if not regions:
        return transcript

    def inside(t: Fraction) -> bool:
        return any(a <= t <= b for a, b in regions)

    def fix(w: Word) -> Word:
        start, end = w.start, w.end
        if not inside(start):
            onset = next((a for a, _ in regions if a > start), None)
            if onset is not None and onset < end:
                start = ms(onset)
        if not inside(end):
            offset = next((b for _, b in reversed(regions) if b < end), None)
            if offset is not None and offset > start:
                end = ms(offset)
        return w if (start, end) == (w.start, w.end) else replace(w, start=start, end=end)

    segments = []
    for seg in transcript.segments:
        words = tuple(fix(w) for w in seg.words)
        start, end = (words[0].start, words[-1].end) if words else (seg.start, seg.end)
        segments.append(TranscriptSegment(text=seg.text, start=start, end=end, words=words))
    return Transcript(
        segments=tuple(segments),
        language=transcript.language,
        backend=transcript.backend,
        model=transcript.model,
        duration=transcript.duration,
        extra=transcript.extra,
    )


def ms(t: Fraction) -> Fraction:
    return Fraction(round(t * 1000), 1000)

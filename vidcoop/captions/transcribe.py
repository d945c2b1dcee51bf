"""Speech to timed words, for a file or for the parts of sources an episode uses.

The renderer hands over :class:`AudioSpan` s (only the ranges an episode
keeps); :func:`transcribe_spans` decodes exactly those ranges in-process with
PyAV (16 kHz mono float32, no ffmpeg subprocess), recognises them in one
joined pass with the chosen backend, and maps every word onto the episode
timeline. A pass is cached as JSON keyed by the content hashes of all its
pieces plus everything that changes the model's output (backend, exact
weights, language, glossary terms, decoding options), so rendering an
episode again transcribes nothing when its audio has not changed.

The channel glossary's replacements and corrections, and the German word
check (:mod:`vidcoop.captions.words`), are applied after the cache, so
changing them never costs a transcription. Then the coverage check
(:mod:`vidcoop.captions.coverage`) holds the words against the voice of each
piece: speech without words is named (``left_out``), words nobody said are
left out (``unsaid``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.captions import coverage
from vidcoop.captions.alignment import snap_to_speech, split_transcript
from vidcoop.captions.backends import SAMPLE_RATE, Transcriber, get_backend
from vidcoop.captions.coverage import speech_regions
from vidcoop.captions.loops import fill_gaps, unloop
from vidcoop.captions.model import Transcript, TranscriptSegment
from vidcoop.captions.offline import DEFAULT_MODEL
from vidcoop.captions.options import CHANNEL_LANGUAGE, TranscribeOptions
from vidcoop.captions.tokens import LANGUAGES
from vidcoop.captions.transcript_cache import audio_hash, cache_key, read_cache
from vidcoop.captions.transcript_io import (
    load_transcript,
    save_transcript,
    seconds,
    transcript_from_dict,
    transcript_to_dict,
)
from vidcoop.captions.words import split_glued
from vidcoop.errors import ManifestError, MediaError, TranscriptionError
from vidcoop.files import cache_dir
from vidcoop.media.audio import decode_audio
from vidcoop.timing import parse_time

if TYPE_CHECKING:
    import numpy as np

# Silence between spans transcribed in one pass: long enough that no word straddles two spans.
_JOIN_GAP = Fraction(1)


@dataclass(frozen=True)
class AudioSpan:
    """A range of a source's audio and where it lands on the episode timeline.

    Attributes:
        source: The media file.
        source_start, source_end: The range of the source used, in its own seconds.
        timeline_start: Where ``source_start`` plays in the episode.
    """

    source: Path
    source_start: Fraction
    source_end: Fraction
    timeline_start: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", Path(self.source))
        for name in ("source_start", "source_end", "timeline_start"):
            try:
                object.__setattr__(self, name, parse_time(getattr(self, name)))
            except ValueError as exc:
                raise ManifestError(f"bad time: {exc}", path=self.source, field=name) from exc
        if self.source_end <= self.source_start:
            raise ManifestError("source_end must be after source_start", path=self.source, field="source_end")

    @property
    def duration(self) -> Fraction:
        return self.source_end - self.source_start


# -- public API ---------------------------------------------------------------------------------


def transcribe(path: str | Path, options: TranscribeOptions | None = None) -> Transcript:
    """Transcribe a whole media file; times are the file's own seconds.

    A file without an audio stream gives an empty transcript.

    Raises:
        MediaError: the file is missing or cannot be decoded.
        TranscriptionError: the backend or model is not available.
    """
    options = options or TranscribeOptions()
    p = Path(path)
    _check_source(p, field="path")
    backend = get_backend(options.backend)(options)
    identity = backend.model_identity()  # resolve the model before decoding anything
    audio = decode_audio(p)
    if audio is None or len(audio) == 0:
        return _empty(options, Fraction(0))
    raw = _transcribe_cached(audio, backend, identity, options)
    return coverage.check(_corrected(raw, options), speech_regions(audio))


def transcribe_spans(spans: Sequence[AudioSpan], options: TranscribeOptions | None = None) -> Transcript:
    """Transcribe the used ranges of an episode's sources, on the episode timeline.

    Only the spans' audio is decoded. The spans are transcribed together in
    one pass, joined with a second of silence between them, and split apart
    again: Whisper always encodes 30 s windows, so transcribing a dozen 3 s
    cuts one by one would cost ten times as much. The pass is cached as a
    unit, keyed by the decoded samples of all its spans in order, because
    what the model hears in one span depends on its neighbours.
    A word is kept when its middle lies inside its span, clipped to the span,
    and moved to ``timeline_start + (t - source_start)``. Sources without
    audio contribute nothing. With ``language=None`` the transcript's language
    is the one detected for most of the speech.

    Raises:
        ManifestError: a span is not an :class:`AudioSpan`.
        MediaError: a source is missing or cannot be decoded.
        TranscriptionError: the backend or model is not available.
    """
    options = options or TranscribeOptions()
    spans = list(spans)
    for i, span in enumerate(spans):
        if not isinstance(span, AudioSpan):
            raise ManifestError(f"expected an AudioSpan, got {type(span).__name__}", field=f"spans.{i}")
        _check_source(span.source, field=f"spans.{i}.source")
    duration = max((s.timeline_start + s.duration for s in spans), default=Fraction(0))
    if not spans:
        return _empty(options, duration)
    backend = get_backend(options.backend)(options)
    identity = backend.model_identity()
    used: list[tuple[AudioSpan, np.ndarray[Any, Any]]] = []
    for i, span in enumerate(spans):
        try:
            audio = decode_audio(span.source, span.source_start, span.source_end)
        except MediaError as exc:
            exc.field = f"spans.{i}.source"
            raise
        if audio is not None and len(audio):
            used.append((span, audio))
    raws = _transcribe_pieces([audio for _, audio in used], backend, identity, options)
    segments: list[TranscriptSegment] = []
    detected: Counter[str] = Counter()
    model_name: str | None = None
    checked: list[tuple[AudioSpan, Transcript]] = []
    for (span, audio), raw in zip(used, raws, strict=True):
        raw = coverage.check(_corrected(raw, options), speech_regions(audio))
        checked.append((span, raw))
        model_name = raw.model
        placed = [s for s in (_place(seg, span) for seg in raw.segments) if s is not None]
        detected[raw.language] += sum(len(s.words) or 1 for s in placed)
        segments.extend(placed)
    segments.sort(key=lambda s: (s.start, s.end))
    language = options.language or (detected.most_common(1)[0][0] if detected else "und")
    # Text the backend left out as a loop is named, not lost, at its place on the episode timeline.
    dropped = [
        {**loop, "start": float(span.timeline_start + seconds(loop["start"])),
         "end": float(span.timeline_start + seconds(loop["end"]))}
        for (span, _), raw in zip(used, raws, strict=True) for loop in raw.dropped_loops
    ]
    # So are speech without words and words nobody said (coverage check, per span).
    extra: dict[str, object] = {"dropped_loops": dropped} if dropped else {}
    for key in ("left_out", "unsaid"):
        found = [d for span, raw in checked for d in coverage.shifted(raw.extra.get(key), span.timeline_start,
                                                                      span.duration)]
        if found or key == "left_out":
            extra[key] = sorted(found, key=lambda d: (d["start"], d["end"]))
    return Transcript(
        segments=tuple(segments),
        language=language,
        backend=options.backend,
        model=model_name or _model_label(options),
        duration=duration,
        extra=extra,
    )


def _check_source(path: Path, *, field: str) -> None:
    if not path.exists():
        raise MediaError("file not found", path=path, field=field)
    if not path.is_file():
        raise MediaError("not a file", path=path, field=field)


def _model_label(options: TranscribeOptions) -> str:
    return options.model or DEFAULT_MODEL


def _empty(options: TranscribeOptions, duration: Fraction) -> Transcript:
    return Transcript(
        segments=(),
        language=options.language or "und",
        backend=options.backend,
        model=_model_label(options),
        duration=duration,
    )


def _transcribe_cached(
    audio: np.ndarray[Any, Any], backend: Transcriber, identity: str, options: TranscribeOptions
) -> Transcript:
    """The backend's raw transcript of ``audio``, from the cache when it is there."""
    return _transcribe_pieces([audio], backend, identity, options)[0]


def _transcribe_pieces(
    pieces: Sequence[np.ndarray[Any, Any]], backend: Transcriber, identity: str, options: TranscribeOptions
) -> list[Transcript]:
    """Raw transcripts of several pieces of audio, recognised in one pass or read from that pass's cache.

    The cache entry is the whole pass (one file per piece under the pass's
    key), so a cached piece is exactly what the same pass would give again.
    """
    digests = [audio_hash(audio) for audio in pieces]
    firsts: dict[str, int] = {}  # the same sound used twice (a repeated cut) is recognised once
    for i, digest in enumerate(digests):
        firsts.setdefault(digest, i)
    unique = list(firsts)
    folder = (options.cache_dir or cache_dir("transcripts")) if options.cache else None
    stem = cache_key(unique, identity, options)
    targets = [Path(folder) / f"{stem}-{k}.json" for k in range(len(unique))] if folder else []
    cached = [read_cache(target) for target in targets]
    if targets and all(t is not None for t in cached):
        results = [t for t in cached if t is not None]
    else:
        results = _recognise_joined([pieces[firsts[d]] for d in unique], backend, options)
        for transcript, target in zip(results, targets, strict=False):
            save_transcript(transcript, target)
    by_digest = dict(zip(unique, results, strict=True))
    return [by_digest[digest] for digest in digests]


def _recognise(audio: np.ndarray[Any, Any], backend: Transcriber, options: TranscribeOptions) -> Transcript:
    transcript = backend.transcribe(audio)
    if not isinstance(transcript, Transcript):
        raise TranscriptionError(f"backend {options.backend!r} returned {type(transcript).__name__}")
    if options.decoding.loop_retry:  # loops and skipped speech: decoded again alone (vidcoop.captions.loops)
        def plain(piece: np.ndarray[Any, Any]) -> Transcript:
            return backend.transcribe(piece, plain=True)

        threshold = options.decoding.compression_ratio_threshold
        transcript = unloop(transcript, audio, plain, threshold)
        if options.vad:
            transcript = fill_gaps(transcript, audio, plain, threshold)
    if options.vad:
        transcript = snap_to_speech(transcript, speech_regions(audio))
    return transcript


def _recognise_joined(
    pieces: Sequence[np.ndarray[Any, Any]], backend: Transcriber, options: TranscribeOptions
) -> list[Transcript]:
    """Recognise pieces as one stretch of audio with silence between, then split the result."""
    import numpy as np

    if len(pieces) == 1:
        return [_recognise(pieces[0], backend, options)]
    gap = np.zeros(int(_JOIN_GAP * SAMPLE_RATE), np.float32)
    parts: list[np.ndarray[Any, Any]] = []
    bounds: list[tuple[Fraction, Fraction]] = []
    at = 0
    for audio in pieces:
        if parts:
            parts.append(gap)
            at += len(gap)
        parts.append(audio)
        bounds.append((Fraction(at, SAMPLE_RATE), Fraction(at + len(audio), SAMPLE_RATE)))
        at += len(audio)
    return split_transcript(_recognise(np.concatenate(parts), backend, options), bounds)


def _corrected(transcript: Transcript, options: TranscribeOptions) -> Transcript:
    """The glossary's replacements and corrections, then the word check; word times kept."""
    glossary = options.glossary
    use_glossary = glossary is not None and not glossary.is_empty
    language = options.language or transcript.language
    split = options.split_glued and language in LANGUAGES
    if not use_glossary and not split:
        return transcript
    segments = []
    for seg in transcript.segments:
        if glossary is not None and use_glossary:
            seg = glossary.apply_segment(seg)
        if split and seg.words:
            words = split_glued(seg.words, language=language, protect=glossary.terms if glossary else ())
            if words != seg.words:
                seg = TranscriptSegment(" ".join(w.text for w in words), seg.start, seg.end, words)
        segments.append(seg)
    return replace(transcript, segments=tuple(segments))


def _place(segment: TranscriptSegment, span: AudioSpan) -> TranscriptSegment | None:
    """Move a segment from span time (0 = ``source_start``) onto the timeline, or drop it."""
    length = span.duration
    shift = span.timeline_start

    def clip(t: Fraction) -> Fraction:
        return min(max(t, Fraction(0)), length)

    if segment.words:
        kept = tuple(
            replace(w, start=clip(w.start) + shift, end=clip(w.end) + shift)
            for w in segment.words
            if 0 <= (w.start + w.end) / 2 < length
        )
        if not kept:
            return None
        text = segment.text if len(kept) == len(segment.words) else " ".join(w.text for w in kept)
        return TranscriptSegment(text=text, start=kept[0].start, end=kept[-1].end, words=kept)
    if segment.end <= 0 or segment.start >= length:
        return None
    return TranscriptSegment(
        text=segment.text, start=clip(segment.start) + shift, end=clip(segment.end) + shift, words=()
    )


__all__ = [
    "CHANNEL_LANGUAGE",
    "AudioSpan",
    "TranscribeOptions",
    "load_transcript",
    "save_transcript",
    "transcribe",
    "transcribe_spans",
    "transcript_from_dict",
    "transcript_to_dict",
]

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

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.captions import coverage
from vidcoop.captions.backends import SAMPLE_RATE, Transcriber, get_backend
from vidcoop.captions.coverage import speech_regions
from vidcoop.captions.loops import fill_gaps, unloop
from vidcoop.captions.model import Correction, Transcript, TranscriptSegment, Word
from vidcoop.captions.options import CHANNEL_LANGUAGE, TranscribeOptions
from vidcoop.captions.tokens import LANGUAGES
from vidcoop.captions.words import split_glued
from vidcoop.errors import ManifestError, MediaError, TranscriptionError, brief
from vidcoop.files import atomic_write_text, cache_dir, stable_hash
from vidcoop.media.audio import decode_audio
from vidcoop.timing import parse_time

if TYPE_CHECKING:
    import numpy as np

TRANSCRIPT_SCHEMA = "vidcoop.transcript"
TRANSCRIPT_VERSION = 1
# Bump when backends change what they return for the same audio, to retire old cache entries.
_CACHE_GENERATION = 5  # 4: a joined pass is cached as a unit; 5: loops decoded again, function words lower case
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
        {**loop, "start": float(span.timeline_start + _seconds(loop["start"])),
         "end": float(span.timeline_start + _seconds(loop["end"]))}
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


def _seconds(value: Any) -> Fraction:
    return Fraction(str(value))


# -- JSON ---------------------------------------------------------------------------------------


def transcript_to_dict(transcript: Transcript) -> dict[str, Any]:
    """Plain, JSON-ready data; times are exact fractions written as ``"num/den"`` text."""
    return {
        "schema": TRANSCRIPT_SCHEMA,
        "version": TRANSCRIPT_VERSION,
        "language": transcript.language,
        "backend": transcript.backend,
        "model": transcript.model,
        "duration": str(transcript.duration),
        "segments": [
            {
                "text": s.text,
                "start": str(s.start),
                "end": str(s.end),
                "words": [_word_to_dict(w) for w in s.words],
            }
            for s in transcript.segments
        ],
        "extra": dict(transcript.extra),
    }


def transcript_from_dict(data: Any, *, path: str | Path | None = None) -> Transcript:
    """The inverse of :func:`transcript_to_dict`.

    Raises:
        ManifestError: the data is not a vidcoop transcript, naming the bad field.
    """
    if not isinstance(data, dict) or data.get("schema") != TRANSCRIPT_SCHEMA:
        raise ManifestError("not a vidcoop transcript", path=path, field="schema")
    if data.get("version") != TRANSCRIPT_VERSION:
        raise ManifestError(f"unsupported transcript version {data.get('version')!r}", path=path, field="version")
    reader = _Reader(path)
    segments = []
    for i, raw in enumerate(reader.list(data, "segments", "segments")):
        at = f"segments.{i}"
        words = tuple(
            Word(
                text=reader.text(w, "text", f"{at}.words.{j}.text"),
                start=reader.time(w, "start", f"{at}.words.{j}.start"),
                end=reader.time(w, "end", f"{at}.words.{j}.end"),
                probability=reader.number(w, "probability", f"{at}.words.{j}.probability"),
                correction=reader.correction(w, f"{at}.words.{j}.correction"),
            )
            for j, w in enumerate(reader.list(raw, "words", f"{at}.words"))
        )
        segments.append(
            TranscriptSegment(
                text=reader.text(raw, "text", f"{at}.text"),
                start=reader.time(raw, "start", f"{at}.start"),
                end=reader.time(raw, "end", f"{at}.end"),
                words=words,
            )
        )
    extra = data.get("extra") or {}
    if not isinstance(extra, dict):
        raise ManifestError("'extra' must be a mapping", path=path, field="extra")
    return Transcript(
        segments=tuple(segments),
        language=reader.text(data, "language", "language"),
        backend=reader.text(data, "backend", "backend"),
        model=reader.text(data, "model", "model"),
        duration=reader.time(data, "duration", "duration"),
        extra=extra,
    )


def _word_to_dict(w: Word) -> dict[str, Any]:
    data: dict[str, Any] = {"text": w.text, "start": str(w.start), "end": str(w.end), "probability": w.probability}
    if w.correction is not None:
        data["correction"] = w.correction.as_dict()
    return data


def save_transcript(transcript: Transcript, path: str | Path) -> Path:
    """Write a transcript as JSON, atomically."""
    text = json.dumps(transcript_to_dict(transcript), indent=1, ensure_ascii=False, default=str)
    return atomic_write_text(path, text + "\n")


def load_transcript(path: str | Path) -> Transcript:
    """Read a transcript JSON file written by :func:`save_transcript`.

    Raises:
        ManifestError: the file is missing or not a vidcoop transcript.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError("transcript file not found", path=p) from exc
    except (OSError, ValueError, RecursionError) as exc:
        raise ManifestError(f"transcript is not readable JSON ({brief(exc)})", path=p) from exc
    return transcript_from_dict(data, path=p)


class _Reader:
    """Typed field access with errors that name the dotted field."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = path

    def _get(self, obj: Any, key: str, at: str) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            raise ManifestError(f"missing {key!r}", path=self.path, field=at)
        return obj[key]

    def list(self, obj: Any, key: str, at: str) -> list[Any]:
        value = self._get(obj, key, at)
        if not isinstance(value, list):
            raise ManifestError("must be a list", path=self.path, field=at)
        return value

    def text(self, obj: Any, key: str, at: str) -> str:
        value = self._get(obj, key, at)
        if not isinstance(value, str):
            raise ManifestError("must be text", path=self.path, field=at)
        return value

    def number(self, obj: Any, key: str, at: str) -> float:
        value = self._get(obj, key, at)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ManifestError("must be a number", path=self.path, field=at)
        return float(value)

    def correction(self, obj: Any, at: str) -> Correction | None:
        """A word's optional ``correction`` (absent in transcripts without corrections)."""
        if not isinstance(obj, dict) or obj.get("correction") is None:
            return None
        raw = obj["correction"]
        if not isinstance(raw, dict):
            raise ManifestError("must be a mapping", path=self.path, field=at)
        return Correction(
            original=self.text(raw, "original", f"{at}.original"),
            term=self.text(raw, "term", f"{at}.term"),
            score=self.number(raw, "score", f"{at}.score"),
            **{key: self.text(raw, key, f"{at}.{key}") for key in ("lost_before", "lost_after") if key in raw},
        )

    def time(self, obj: Any, key: str, at: str) -> Fraction:
        value = self._get(obj, key, at)
        try:
            return parse_time(value)
        except (ValueError, TypeError) as exc:
            raise ManifestError(str(exc), path=self.path, field=at) from None


# -- internals ----------------------------------------------------------------------------------


def _check_source(path: Path, *, field: str) -> None:
    if not path.exists():
        raise MediaError("file not found", path=path, field=field)
    if not path.is_file():
        raise MediaError("not a file", path=path, field=field)


def _model_label(options: TranscribeOptions) -> str:
    from vidcoop.captions.offline import DEFAULT_MODEL

    return options.model or DEFAULT_MODEL


def _empty(options: TranscribeOptions, duration: Fraction) -> Transcript:
    return Transcript(
        segments=(),
        language=options.language or "und",
        backend=options.backend,
        model=_model_label(options),
        duration=duration,
    )


def audio_hash(audio: np.ndarray[Any, Any]) -> str:
    """SHA-256 of decoded samples: the same sound hashes the same in any container."""
    digest = hashlib.sha256(f"f32le/{SAMPLE_RATE}/mono:".encode())
    digest.update(audio.astype("<f4", copy=False).tobytes())
    return digest.hexdigest()


def cache_key(audio_digests: Sequence[str], identity: str, options: TranscribeOptions) -> str:
    """Everything that changes the raw recognition of pieces of audio recognised together in one pass.

    The pass is the unit: Whisper reads the pieces as one stretch of audio, so
    what it hears in one piece depends on its neighbours and their order.
    """
    return stable_hash(
        "transcript",
        _CACHE_GENERATION,
        list(audio_digests),
        options.backend,
        identity,
        options.language,
        options.glossary.model_key() if options.glossary else [],
        options.beam_size,
        options.vad,
        options.batch_size,
        options.device,
        options.compute_type,
        options.decoding.key(),
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
    cached = [_read_cache(target) for target in targets]
    if targets and all(t is not None for t in cached):
        results = [t for t in cached if t is not None]
    else:
        results = _recognise_joined([pieces[firsts[d]] for d in unique], backend, options)
        for transcript, target in zip(results, targets, strict=False):
            save_transcript(transcript, target)
    by_digest = dict(zip(unique, results, strict=True))
    return [by_digest[digest] for digest in digests]


def _read_cache(target: Path | None) -> Transcript | None:
    if target is None or not target.is_file():
        return None
    try:
        return load_transcript(target)
    except ManifestError:
        return None  # a damaged cache entry is simply made again


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
        start, end = _seconds(loop["start"]), _seconds(loop["end"])
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
                start = _ms(onset)
        if not inside(end):
            offset = next((b for _, b in reversed(regions) if b < end), None)
            if offset is not None and offset > start:
                end = _ms(offset)
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


def _ms(t: Fraction) -> Fraction:
    return Fraction(round(t * 1000), 1000)


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

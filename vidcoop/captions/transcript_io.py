"""Transcripts as JSON: the versioned schema, written and read back exactly (times as fractions), each
reading error naming the file and the field."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.captions.model import Correction, Transcript, TranscriptSegment, Word
from vidcoop.errors import ManifestError, brief
from vidcoop.files import atomic_write_text
from vidcoop.timing import parse_time

if TYPE_CHECKING:
    pass

TRANSCRIPT_SCHEMA = "vidcoop.transcript"
TRANSCRIPT_VERSION = 1

def seconds(value: Any) -> Fraction:
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
                "words": [word_to_dict(w) for w in s.words],
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
    reader = Reader(path)
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


def word_to_dict(w: Word) -> dict[str, Any]:
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


class Reader:
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

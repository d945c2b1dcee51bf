"""vidcoop's cue JSON, piece by piece: words with exact times and corrections, and the notes a person
must look at (``left_out``, ``flagged``, ``unsaid``), each read with a field path in its errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.captions.model import Correction, Cue, Word
from vidcoop.errors import CaptionError
from vidcoop.timing import parse_time


def json_word(w: Word) -> dict[str, Any]:
    data: dict[str, Any] = {"text": w.text, "start": str(w.start), "end": str(w.end), "probability": w.probability}
    if w.correction is not None:  # what recognition wrote before correction; the studio marks these words
        data["correction"] = w.correction.as_dict()
    return data


def json_notes(data: dict[str, Any], key: str, read: Any, path: str | Path | None) -> list[Any]:
    """The ``left_out`` or ``flagged`` entries, each refused with its field when malformed."""
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise CaptionError(f"'{key}' must be a list", path=path, field=key)
    out = []
    for i, item in enumerate(raw):
        try:
            out.append(read(item))
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            raise CaptionError(f"malformed entry ({type(exc).__name__}: {exc})", path=path,
                               field=f"{key}.{i}") from None
    return out


def json_correction(raw: Any, where: str, path: str | Path | None) -> Correction | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CaptionError("'correction' must be an object", path=path, field=where)
    for key in ("original", "term"):
        if not isinstance(raw.get(key), str):
            raise CaptionError(f"'{key}' must be a string", path=path, field=f"{where}.{key}")
    score = raw.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise CaptionError("'score' must be a number", path=path, field=f"{where}.score")
    lost = {k: raw[k] for k in ("lost_before", "lost_after") if k in raw}
    for key, value in lost.items():
        if not isinstance(value, str):
            raise CaptionError(f"'{key}' must be a string", path=path, field=f"{where}.{key}")
    return Correction(raw["original"], raw["term"], float(score), **lost)


def json_time(raw: dict[str, Any], key: str, where: str, path: str | Path | None) -> Fraction:
    value = raw.get(key)
    try:
        if isinstance(value, bool) or value is None:
            raise ValueError(value)
        return parse_time(value)
    except (ValueError, TypeError) as exc:
        raise CaptionError(str(exc), path=path, field=f"{where}.{key}") from None


def json_cue(raw: Any, where: str, path: str | Path | None) -> Cue:
    if not isinstance(raw, dict):
        raise CaptionError("a cue must be an object", path=path, field=where)
    start = json_time(raw, "start", where, path)
    end = json_time(raw, "end", where, path)
    if end < start:
        raise CaptionError("cue ends before it starts", path=path, field=f"{where}.end")
    lines = raw.get("lines")
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise CaptionError("'lines' must be a list of strings", path=path, field=f"{where}.lines")
    return Cue(start, end, tuple(lines), tuple(json_words(raw.get("words") or [], f"{where}.words", path)))


def json_words(raw: Any, where: str, path: str | Path | None) -> list[Word]:
    if not isinstance(raw, list):
        raise CaptionError("must be a list of words", path=path, field=where)
    words: list[Word] = []
    for k, w in enumerate(raw):
        wwhere = f"{where}.{k}"
        if not isinstance(w, dict) or not isinstance(w.get("text"), str):
            raise CaptionError("a word needs a 'text' string", path=path, field=wwhere)
        probability = w.get("probability", 1.0)
        if not isinstance(probability, (int, float)) or isinstance(probability, bool):
            raise CaptionError("'probability' must be a number", path=path, field=f"{wwhere}.probability")
        words.append(
            Word(
                w["text"],
                json_time(w, "start", wwhere, path),
                json_time(w, "end", wwhere, path),
                float(probability),
                correction=json_correction(w.get("correction"), f"{wwhere}.correction", path),
            )
        )
    return words

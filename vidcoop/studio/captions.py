"""Corrected captions: edited cue text keeps its word timings; saved beside the manifest.

* :func:`realign_words` aligns the edited words to the transcript's words
  (difflib's sequence matcher): unchanged words keep their exact times,
  changed and inserted words are spread over the gap between their neighbours.
* :func:`save_captions` writes the corrected file beside the episode manifest
  (never over the auto transcript, which lives in the cache) and points the
  manifest's ``captions:`` at it with a round-trip YAML edit (:mod:`vidcoop.timeline.edit`), so comments,
  key order and the caption style and language survive.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.captions.formats import Cues
from vidcoop.captions.model import Cue, CueFlag, LeftOut, Word
from vidcoop.errors import CaptionError, ManifestError
from vidcoop.files import file_sha256, stable_hash
from vidcoop.timeline.edit import edited_path, point_manifest_at
from vidcoop.timeline.manifest import load_episode


@dataclass(frozen=True)
class CueEdit:
    """One cue as the page sends it: times in milliseconds and its text (lines split by ``\\n``)."""

    start_ms: int
    end_ms: int
    text: str
    checked: tuple[str, ...] = ()  # unsure words the editor checked and kept: saved as confirmed


def realign_words(old: Sequence[Word], new: Sequence[str]) -> list[Word]:
    """Timed words for the edited word list ``new``, aligned to the original timed words ``old``.

    Words the edit left alone keep their times exactly; a run of changed or
    inserted words shares the time between the kept words around it.
    """
    a, b = [w.text for w in old], list(new)
    # Common ends first: with repeated words ("ja, ja") the matcher alone may pair a kept word
    # with its twin; words outside the edited stretch keep their own times.
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(a=a[head : len(a) - tail], b=b[head : len(b) - tail], autojunk=False)
    out: list[Word] = list(old[:head])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag == "equal":
            out.extend(old[i1:i2])
            continue
        if j1 == j2:  # deleted words leave no trace
            continue
        if i2 > i1:  # replaced: the new words take the old words' span
            start, end = old[i1].start, old[i2 - 1].end
        else:  # inserted: the gap between the neighbours
            start = old[i1 - 1].end if i1 > 0 else (old[0].start if old else Fraction(0))
            end = old[i1].start if i1 < len(old) else (old[-1].end if old else start)
        out.extend(spread(new[j1:j2], start, max(start, end)))
    out.extend(old[len(old) - tail :])
    return out


def spread(texts: Sequence[str], start: Fraction, end: Fraction) -> list[Word]:
    """Words sharing ``start..end`` in proportion to their length."""
    total = sum(len(t) for t in texts) or 1
    words, t = [], start
    for text in texts:
        step = (end - start) * Fraction(len(text) or 1, total)
        words.append(Word(text, t, t + step))
        t += step
    return words


def edited_cues(original: Cues, edits: Sequence[CueEdit]) -> Cues:
    """The cues after an edit (text, split, merge, nudge), word timings carried over by alignment."""
    items: list[tuple[Fraction, Fraction, tuple[str, ...]]] = []
    for index, edit in enumerate(edits):
        start, end = Fraction(edit.start_ms, 1000), Fraction(edit.end_ms, 1000)
        if end <= start:
            raise CaptionError("a cue must end after it starts", field=f"cues.{index}.end")
        lines = tuple(line.strip() for line in edit.text.replace("\r", "").split("\n") if line.strip())
        if not lines:
            raise CaptionError(
                "a cue has no text (delete it by merging it into a neighbour)", field=f"cues.{index}.text"
            )
        items.append((start, end, lines))
    old_words = [w for cue in original for w in cue.words]
    cues: list[Cue] = []
    if old_words:
        new_texts = [[word for line in lines for word in line.split()] for _, _, lines in items]
        flat = realign_words(old_words, [w for ws in new_texts for w in ws])
        at = 0
        for (start, end, lines), texts, edit in zip(items, new_texts, edits, strict=True):
            words = tuple(_inside(w, start, end) for w in flat[at : at + len(texts)])
            if edit.checked:  # a person confirmed these: no longer the model's guess
                words = tuple(replace(w, probability=1.0) if w.unsure and w.text in edit.checked else w for w in words)
            at += len(texts)
            cues.append(Cue(start, end, lines, words))
    else:
        cues = [Cue(start, end, lines) for start, end, lines in items]
    return Cues(tuple(cues), style=original.style, language=original.language,
                left_out=still_left_out(original.left_out, cues), flagged=still_flagged(original.flagged, cues),
                unsaid=original.unsaid)


def still_left_out(left_out: Sequence[LeftOut], cues: Sequence[Cue]) -> tuple[LeftOut, ...]:
    """The stretches of speech no cue covers yet: one the editor captioned (a cue overlaps it) is done,
    the others stay in the saved file and on the page."""
    return tuple(item for item in left_out if not any(c.start < item.end and c.end > item.start for c in cues))


def still_flagged(flagged: Sequence[CueFlag], cues: Sequence[Cue]) -> tuple[CueFlag, ...]:
    """The flags whose text the cues at their time still show: an edited or deleted cue's flag is done."""
    kept = []
    for flag in flagged:
        shown = " ".join(c.text for c in cues if c.start < flag.end and c.end > flag.start)
        if " ".join(flag.text.split()) and " ".join(flag.text.split()) in " ".join(shown.split()):
            kept.append(flag)
    return tuple(kept)


def _inside(word: Word, start: Fraction, end: Fraction) -> Word:
    """A word moved into its cue only when a nudge left it outside (by more than a millisecond)."""
    slack = Fraction(1, 1000)
    if word.start >= start - slack and word.end <= end + slack:
        return word
    s = min(max(word.start, start), end)
    return replace(word, start=s, end=min(max(word.end, s), end))


def captions_version(manifest: Path) -> str:
    """What a save is based on: the manifest's bytes and its caption file's bytes."""
    parts: list[Any] = [_bytes_hash(manifest)]
    try:
        spec = load_episode(manifest).captions
    except ManifestError:
        spec = None
    if spec is not None and spec.mode == "file" and spec.path is not None:
        parts.append(_bytes_hash(spec.path))
    return stable_hash(*parts)[:16]


def _bytes_hash(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return "missing"


def save_captions(manifest: Path, cues: Cues | None) -> Path | None:
    """Write ``cues`` beside the manifest and point its ``captions:`` at them (style, language kept).

    ``None`` is the editor's explicit "no captions": the manifest says ``mode: off`` and no file is
    written. A symlinked manifest is edited where it points (the shared original), and the caption
    file lands beside that original. Both writes are atomic; the caption file lands first, so the
    manifest never names a file that does not exist. Hold :func:`manifest_lock` around the version
    check and this call.
    """
    if cues is None:
        point_manifest_at(manifest, None)
        return None
    target = edited_path(manifest.resolve(), cues.style)
    if cues.left_out or cues.flagged:  # SRT cannot keep them: speech still uncaptioned stays marked (cue JSON)
        target = target.with_suffix(".json")
    cues.save(target)
    point_manifest_at(manifest, target)
    return target

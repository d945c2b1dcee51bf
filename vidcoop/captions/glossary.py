"""A channel's glossary: words the recogniser should know, and fixed spellings.

Speech models do not know a channel's vocabulary ("Bürgergeld", a partner's
name) and split compounds the German way nobody writes them ("Job Center").
A :class:`Glossary` carries both remedies:

* ``terms`` are handed to the model as hints (``hotwords`` for faster-whisper,
  ``initial_prompt`` for openai-whisper), so it prefers those spellings;
* ``replacements`` are applied to the recognised words afterwards: a pattern
  of one or more words matches whole words, case-insensitively, and the
  matched words become one word with the replacement text, spanning the time
  from the first word's start to the last word's end;
* then, unless ``fuzzy: false``, words and runs of up to three words that are
  close to a term in spelling and in German sound become the term
  ("Jobkenter" → "Jobcenter"; see :mod:`vidcoop.captions.correct` for the
  thresholds).

Every changed word records a :class:`~vidcoop.captions.model.Correction`.

Replacement text is user text: it appears literally, nothing in it is
interpreted (no regex groups, no ASS tags).

YAML form::

    terms: [Bürgergeld, Jobcenter, Caritas]
    replace:
      "Tile Zeit": Teilzeit
    fuzzy: true        # the default
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidcoop.captions.correct import correct_words
from vidcoop.captions.model import Correction, TranscriptSegment, Word
from vidcoop.captions.tokens import split_punctuation
from vidcoop.datafiles import load_yaml
from vidcoop.errors import ManifestError

_KNOWN_KEYS = ("terms", "replace", "fuzzy")


@dataclass(frozen=True)
class Glossary:
    """Vocabulary hints and literal replacements for one channel.

    Attributes:
        terms: Words and names the model should prefer, in the channel's spelling.
        replacements: ``(pattern, replacement)`` pairs, applied in order. A
            pattern is plain text of one or more words, matched as whole
            words, ignoring case and surrounding punctuation.
        fuzzy: Also correct words that are close to a term (after the replacements).
    """

    terms: tuple[str, ...] = ()
    replacements: tuple[tuple[str, str], ...] = ()
    fuzzy: bool = True

    def __post_init__(self) -> None:
        for i, term in enumerate(self.terms):
            if not isinstance(term, str) or not term.strip():
                raise ManifestError("a glossary term must be non-empty text", field=f"terms.{i}")
        for pattern, replacement in self.replacements:
            if not isinstance(pattern, str) or not _tokens(pattern):
                raise ManifestError("a replacement pattern must contain a word", field=f"replace.{pattern}")
            if not isinstance(replacement, str) or not replacement.strip():
                raise ManifestError("a replacement must be non-empty text", field=f"replace.{pattern}")

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.replacements

    def prompt(self) -> str | None:
        """The terms as one hint text for the model (``hotwords``), or None without terms."""
        if not self.terms:
            return None
        return ", ".join(t.strip() for t in self.terms) + "."

    def sentence(self) -> str | None:
        """The terms in a short natural German sentence (``initial_prompt``), or None without terms.

        Whisper continues the style of its prompt: a sentence with capitals
        and punctuation asks for the same, where a bare list may invite lists.
        """
        terms = [t.strip() for t in self.terms]
        if not terms:
            return None
        listed = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " und " + terms[-1]
        return f"In diesem Video geht es um {listed}."

    def model_key(self) -> list[str]:
        """What about this glossary changes the model's output (for cache keys).

        Replacements are applied after recognition, also to cached results,
        so editing them never requires transcribing again.
        """
        return [t.strip() for t in self.terms]

    def apply_words(self, words: Sequence[Word]) -> tuple[Word, ...]:
        """Apply the replacements to a run of words, merging matched words' times."""
        result = tuple(words)
        for pattern, replacement in self.replacements:
            result = _replace_words(result, _tokens(pattern), replacement)
        return result

    def apply_text(self, text: str) -> str:
        """Apply the replacements to plain text (segments without word times)."""
        for pattern, replacement in self.replacements:
            regex = re.compile(
                r"(?<!\w)" + r"\s+".join(re.escape(t) for t in pattern.split()) + r"(?!\w)",
                re.IGNORECASE,
            )
            # A function, not a template: backslashes in user text stay literal.
            text = regex.sub(_literal(replacement), text)
        return text

    def correct_words(self, words: Sequence[Word]) -> tuple[Word, ...]:
        """Replacements, then (with ``fuzzy``) corrections towards the terms; times kept."""
        result = self.apply_words(words)
        if self.fuzzy and self.terms:
            result = correct_words(result, self.terms)
        return result

    def apply_segment(self, segment: TranscriptSegment) -> TranscriptSegment:
        """A segment with replacements and corrections applied to its words and text."""
        if not self.replacements and not (self.fuzzy and self.terms):
            return segment
        if not segment.words:
            text = self.apply_text(segment.text)
            if self.fuzzy and self.terms:
                        # No times to keep: correct the words of the text on their own.
                zero = segment.start
                pseudo = [Word(t, zero, zero) for t in text.split()]
                text = " ".join(w.text for w in correct_words(pseudo, self.terms))
            return TranscriptSegment(text=text, start=segment.start, end=segment.end, words=())
        words = self.correct_words(segment.words)
        if words == tuple(segment.words):
            return segment
        return TranscriptSegment(
            text=" ".join(w.text for w in words), start=segment.start, end=segment.end, words=words
        )


def _literal(replacement: str) -> Callable[[re.Match[str]], str]:
    def sub(_match: re.Match[str]) -> str:
        return replacement

    return sub


def _normal(text: str) -> str:
    return split_punctuation(text)[1].casefold()


def _tokens(pattern: str) -> tuple[str, ...]:
    return tuple(t for t in (_normal(p) for p in pattern.split()) if t)


def _edges(text: str) -> tuple[str, str]:
    """Leading and trailing punctuation of a word, kept around a replacement."""
    lead, _, trail = split_punctuation(text)
    return lead, trail


def _replace_words(words: tuple[Word, ...], tokens: tuple[str, ...], replacement: str) -> tuple[Word, ...]:
    n = len(tokens)
    out: list[Word] = []
    i = 0
    while i < len(words):
        window = words[i : i + n]
        if len(window) == n and all(_normal(w.text) == t for w, t in zip(window, tokens, strict=True)):
            lead, _ = _edges(window[0].text)
            _, trail = _edges(window[-1].text)
            out.append(
                Word(
                    text=f"{lead}{replacement}{trail}",
                    start=window[0].start,
                    end=window[-1].end,
                    probability=min(w.probability for w in window),
                    correction=Correction(" ".join(w.text for w in window), replacement, 1.0),
                )
            )
            i += n
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def glossary_from_data(data: Any, *, path: str | Path | None = None) -> Glossary:
    """Build a glossary from parsed YAML/JSON, with errors naming the field.

    Raises:
        ManifestError: unknown keys, or values of the wrong type.
    """
    if data is None:
        return Glossary()
    if not isinstance(data, Mapping):
        raise ManifestError("a glossary must be a mapping with 'terms' and/or 'replace'", path=path)
    for key in data:
        if key not in _KNOWN_KEYS:
            raise ManifestError(
                f"unknown glossary key {key!r} (expected one of: {', '.join(_KNOWN_KEYS)})", path=path, field=str(key)
            )
    raw_terms = data.get("terms") or []
    if not isinstance(raw_terms, list):
        raise ManifestError("'terms' must be a list of words", path=path, field="terms")
    terms: list[str] = []
    for i, term in enumerate(raw_terms):
        if not isinstance(term, str) or not term.strip():
            raise ManifestError("a glossary term must be non-empty text", path=path, field=f"terms.{i}")
        terms.append(term.strip())
    raw_replace = data.get("replace") or {}
    if not isinstance(raw_replace, Mapping):
        raise ManifestError("'replace' must map spoken text to its spelling", path=path, field="replace")
    replacements: list[tuple[str, str]] = []
    for pattern, replacement in raw_replace.items():
        field = f"replace.{pattern}"
        if not isinstance(pattern, str) or not _tokens(pattern):
            raise ManifestError("a replacement pattern must be text with a word in it", path=path, field=field)
        if not isinstance(replacement, str) or not replacement.strip():
            raise ManifestError("a replacement must be non-empty text", path=path, field=field)
        replacements.append((pattern, replacement.strip()))
    fuzzy = data.get("fuzzy", True)
    if not isinstance(fuzzy, bool):
        raise ManifestError("'fuzzy' must be true or false", path=path, field="fuzzy")
    return Glossary(terms=tuple(terms), replacements=tuple(replacements), fuzzy=fuzzy)


def load_glossary(path: str | Path) -> Glossary:
    """Read a glossary YAML file.

    Raises:
        ManifestError: the file is missing, not YAML, or malformed.
    """
    p = Path(path)
    return glossary_from_data(load_yaml(p, what="glossary file"), path=p)

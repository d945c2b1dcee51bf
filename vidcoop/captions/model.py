"""Caption data: what speech recognition returns, and what is shown on screen.

Times are seconds as :class:`~fractions.Fraction` on the timeline the object
belongs to: a :class:`Transcript` of a source file uses that file's time; the
episode's transcript (after mapping across cuts) uses episode time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import shorten


@dataclass(frozen=True)
class Correction:
    """Why a word's text is not what the recogniser wrote.

    Attributes:
        original: The recognised text it replaced (one or more words, space-joined).
        term: The glossary term it was corrected to.
        score: How close the original was (1.0 = same letters, e.g. a split
            compound or a literal replacement; see :mod:`vidcoop.captions.correct`).
    """

    original: str
    term: str
    score: float

    def as_dict(self) -> dict[str, str | float]:
        """JSON-ready (transcript and cue files write the same three keys)."""
        return {"original": self.original, "term": self.term, "score": self.score}


#: A recognised word whose probability is below this is shown to editors as unsure ("check this word").
#: Chosen on the German dev set; ``benchmarks/caption_bench.py --section accuracy`` prints the figures.
#: Whisper base's word probability tells right from wrong words only roughly: with the channel
#: glossary, 0.5 marks 44 of the dev set's 134 shown words and 19 of its 31 wrong ones; on the
#: held-out clips 10 of 43 and 3 of 4 (without the glossary 8 of 42, and 8 of the 10 wrong ones).
#: 0.6 caught 81 % of dev's wrong words but marked half of all words; 0.4 marked 22 % and caught 35 %.
#: (Synthetic voices make the model unsure everywhere; on real speech far fewer words fall below.)
UNSURE_BELOW = 0.5


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span and the model's confidence.

    ``probability`` is the recogniser's confidence in the word, 1.0 for a word
    a person typed or confirmed (and for words read from files without it).
    ``correction`` is set when the glossary changed the word after
    recognition, so editors and the studio can show what was changed.
    """

    text: str
    start: Fraction
    end: Fraction
    probability: float = 1.0
    correction: Correction | None = None

    @property
    def unsure(self) -> bool:
        """The recogniser was unsure of this word (and correction did not replace it): worth a look."""
        return self.probability < UNSURE_BELOW and self.correction is None


@dataclass(frozen=True)
class TranscriptSegment:
    """A stretch of speech as the recogniser grouped it (roughly a sentence)."""

    text: str
    start: Fraction
    end: Fraction
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Transcript:
    """The result of transcription, independent of the backend.

    Attributes:
        segments: Speech segments in time order, each with its words.
        language: The language spoken (given or detected), e.g. ``de``.
        backend: Registry name of the backend that produced it.
        model: The model name or folder it used.
        duration: Length of the audio that was transcribed.
    """

    segments: tuple[TranscriptSegment, ...]
    language: str
    backend: str
    model: str
    duration: Fraction = Fraction(0)
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def corrections(self) -> tuple[Word, ...]:
        """The words the glossary changed after recognition, in order."""
        return tuple(w for w in self.words if w.correction is not None)

    @property
    def dropped_loops(self) -> list[dict[str, Any]]:
        """Speech the backend left out because the model only repeated itself there
        (``extra["dropped_loops"]``: ``start``, ``end`` in seconds and the repeated ``text``)."""
        loops = self.extra.get("dropped_loops")
        return [loop for loop in loops if isinstance(loop, dict)] if isinstance(loops, list) else []


@dataclass(frozen=True)
class Cue:
    """One caption event on screen.

    Attributes:
        start, end: When it shows.
        lines: The text, already broken into lines, exactly as it must appear.
        words: The timed words, for the social style's highlight (may be empty
            for cues read from an edited file).
    """

    start: Fraction
    end: Fraction
    lines: tuple[str, ...]
    words: tuple[Word, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class CaptionSource:
    """Where the burnt-in captions came from.

    Attributes:
        kind: ``transcribed``, ``file`` (an edited SRT/VTT/ASS) or ``off``.
        backend, model: The transcription backend and model, for ``transcribed``.
        path: The caption file, for ``file``.
        language: The spoken language.
        style: ``social`` or ``subtitle``.
        left_out: Speech with no captions because the model only repeated itself there:
            ``(start, end, text)`` on the episode timeline, the text being what it repeated.
            A person must caption these by hand (``vidcoop studio`` or an edited SRT).
        unsure: Shown words the recogniser was unsure of (:attr:`Word.unsure`):
            ``(start, end, text, probability)`` on the episode timeline, for review
            (the studio marks them too).
    """

    kind: str = "off"
    backend: str | None = None
    model: str | None = None
    path: Path | None = None
    language: str | None = None
    style: str | None = None
    left_out: tuple[tuple[float, float, str], ...] = ()
    unsure: tuple[tuple[float, float, str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        for name in ("backend", "model", "language", "style"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.path is not None:
            data["path"] = str(self.path)
        if self.left_out:
            data["left_out"] = [{"start": a, "end": b, "repeated": text} for a, b, text in self.left_out]
        if self.unsure:
            data["unsure"] = [{"start": a, "end": b, "text": text, "probability": p} for a, b, text, p in self.unsure]
        return data

    def warnings(self) -> list[str]:
        """One line per stretch of speech left without captions, for the person rendering."""
        return [f"captions: no captions at {a:.1f}-{b:.1f}s: the speech model only repeated {shorten(text, 40)!r} "
                "there; caption it by hand (vidcoop studio, or an edited SRT)" for a, b, text in self.left_out]


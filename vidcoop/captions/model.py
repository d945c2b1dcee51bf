"""Caption data: what speech recognition returns, and what is shown on screen.

Times are seconds as :class:`~fractions.Fraction` on the timeline the object
belongs to: a :class:`Transcript` of a source file uses that file's time; the
episode's transcript (after mapping across cuts) uses episode time.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        lost_before, lost_after: Letters of the heard word the correction left out
            before or after the term ("mi" of "Micaritas" → "Caritas"): they may have
            been a word of their own ("mit", "bei"), so the word is marked for a look.
    """

    original: str
    term: str
    score: float
    lost_before: str = ""
    lost_after: str = ""

    @property
    def lost(self) -> bool:
        """The correction dropped a piece of what was heard."""
        return bool(self.lost_before or self.lost_after)

    def as_dict(self) -> dict[str, str | float]:
        """JSON-ready (transcript and cue files write the same keys; the lost pieces only when there are some)."""
        data: dict[str, str | float] = {"original": self.original, "term": self.term, "score": self.score}
        if self.lost_before:
            data["lost_before"] = self.lost_before
        if self.lost_after:
            data["lost_after"] = self.lost_after
        return data


#: A recognised word whose probability is below this is shown to editors as unsure ("check this word").
#: Chosen on the German dev set; ``benchmarks/caption_bench.py --section accuracy`` prints the figures.
#: Whisper base's word probability tells right from wrong words only roughly: with the channel
#: glossary, 0.5 marks 44 of the dev set's 134 shown words and 19 of its 31 wrong ones; on the
#: held-out clips 10 of 43 and 3 of 4 (without the glossary 8 of 42, and 8 of the 10 wrong ones).
#: 0.6 caught 81 % of dev's wrong words but marked half of all words; 0.4 marked 22 % and caught 35 %.
#: (Synthetic voices make the model unsure everywhere; on real speech far fewer words fall below.)
UNSURE_BELOW = 0.5

#: Why an editor should look at a word whose correction dropped a piece of what was heard.
LOST_BEFORE = "vor diesem Wort fehlt vielleicht etwas"
LOST_AFTER = "nach diesem Wort fehlt vielleicht etwas"


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
        """Worth a look: the recogniser was unsure of it (and correction did not replace it), or a
        correction dropped a piece of what was heard (until a person confirms it: probability 1.0)."""
        if self.correction is not None:
            return self.correction.lost and self.probability < 1.0
        return self.probability < UNSURE_BELOW

    @property
    def doubt(self) -> str | None:
        """Why the word is :attr:`unsure` when that is not the recogniser's confidence, else None."""
        if not self.unsure or self.correction is None:
            return None
        return LOST_BEFORE if self.correction.lost_before else LOST_AFTER


#: Why speech has no captions (:class:`LeftOut`).
NOT_RECOGNISED = "not recognised"
REPEATED_ITSELF = "repeated itself"


@dataclass(frozen=True)
class LeftOut:
    """A stretch of speech with no captions: a voice was heard there, no word was recognised.

    Attributes:
        start, end: Where it is, on the timeline of the transcript or cues it belongs to.
        reason: :data:`NOT_RECOGNISED`, or :data:`REPEATED_ITSELF` where the model only
            repeated itself and the backend left the loop out.
        text: What the model repeated there (for :data:`REPEATED_ITSELF`).
    """

    start: Fraction
    end: Fraction
    reason: str = NOT_RECOGNISED
    text: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times in seconds (ms), the reason, and what was repeated."""
        data: dict[str, Any] = {"start": round(float(self.start), 3), "end": round(float(self.end), 3),
                                "reason": self.reason}
        if self.text:
            data["repeated"] = self.text
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeftOut:
        """The inverse of :meth:`as_dict` (``text`` may also be given as ``text``, as backends do)."""
        return cls(Fraction(str(data["start"])), Fraction(str(data["end"])), str(data.get("reason") or NOT_RECOGNISED),
                   str(data.get("repeated", data.get("text", "")) or ""))

    def warning(self) -> str:
        where = f"{float(self.start):.1f}-{float(self.end):.1f}s"
        why = (f"the speech model only repeated {shorten(self.text, 40)!r} there" if self.reason == REPEATED_ITSELF
               else "speech was heard there but no word was recognised")
        return f"captions: no captions at {where}: {why}; caption it by hand (vidcoop studio, or an edited SRT)"


#: Why a cue is flagged (:class:`CueFlag`): its words are mostly unsure, it repeats an earlier
#: cue word for word, it looks like a web address nobody spelled out, or it is too short to read.
FLAG_REASONS = {
    "unsure": "is made mostly of words the speech model was unsure of",
    "repeat": "repeats an earlier cue word for word",
    "url": "looks like a web address the speaker did not spell out",
    "short": "is on screen shorter than the subtitle rules allow",
}


@dataclass(frozen=True)
class CueFlag:
    """A cue (or a run of neighbouring cues) a person should look at before it is published.

    Attributes:
        start, end: Where it shows.
        text: Its text (the cues' text joined, for a run).
        reason: A key of :data:`FLAG_REASONS`.
    """

    start: Fraction
    end: Fraction
    text: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": round(float(self.start), 3), "end": round(float(self.end), 3), "text": self.text,
                "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CueFlag:
        return cls(Fraction(str(data["start"])), Fraction(str(data["end"])), str(data["text"]), str(data["reason"]))

    def warning(self) -> str:
        why = FLAG_REASONS.get(self.reason, self.reason)
        return (f"captions: check the cue at {float(self.start):.1f}-{float(self.end):.1f}s "
                f"{shorten(' '.join(self.text.split()), 50)!r}: it {why}")


def caption_warnings(left_out: Sequence[LeftOut], flagged: Sequence[CueFlag], unsaid: Sequence[Word],
                     unsure: Sequence[Word] = ()) -> list[str]:
    """The lines a person rendering or captioning must read: speech without captions, words
    left out because nobody said them, flagged cues, and corrections that may have dropped a word."""
    lines = [item.warning() for item in left_out]
    if unsaid:
        first = unsaid[0]
        lines.append(f"captions: left out {len(unsaid)} word(s) the speech model placed where nobody spoke "
                     f"(from {float(first.start):.1f}s: {shorten(' '.join(w.text for w in unsaid), 50)!r})")
    lines += [flag.warning() for flag in flagged]
    lines += [f"captions: check {w.text!r} at {float(w.start):.1f}s (heard {w.correction.original!r}): {w.doubt}"
              for w in unsure if w.doubt is not None and w.correction is not None]
    return lines


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

    @property
    def left_out(self) -> tuple[LeftOut, ...]:
        """Speech with no words (``extra["left_out"]``, from the coverage check in
        :mod:`vidcoop.captions.coverage`); without that check, the dropped loops."""
        found = self.extra.get("left_out")
        if isinstance(found, list):
            return tuple(LeftOut.from_dict(d) for d in found if isinstance(d, dict))
        return tuple(LeftOut.from_dict({**d, "reason": REPEATED_ITSELF}) for d in self.dropped_loops)

    @property
    def unsaid(self) -> tuple[Word, ...]:
        """Words the coverage check left out because nobody said them (``extra["unsaid"]``):
        of (near) zero length, or after the last voice."""
        found = self.extra.get("unsaid")
        if not isinstance(found, list):
            return ()
        return tuple(Word(str(d.get("text", "")), Fraction(str(d["start"])), Fraction(str(d["end"])),
                          float(d.get("probability", 1.0))) for d in found if isinstance(d, dict))


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
        left_out: Speech with no captions (not recognised, or the model only repeated
            itself there), on the episode timeline. A person must caption these by hand
            (``vidcoop studio`` or an edited SRT).
        unsure: Shown words worth a look (:attr:`Word.unsure`), on the episode timeline
            (the studio marks them too).
        flagged: Cues a person should check (:class:`CueFlag`).
        unsaid: Words left out because nobody said them (:attr:`Transcript.unsaid`).
    """

    kind: str = "off"
    backend: str | None = None
    model: str | None = None
    path: Path | None = None
    language: str | None = None
    style: str | None = None
    left_out: tuple[LeftOut, ...] = ()
    unsure: tuple[Word, ...] = ()
    flagged: tuple[CueFlag, ...] = ()
    unsaid: tuple[Word, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        for name in ("backend", "model", "language", "style"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.path is not None:
            data["path"] = str(self.path)
        if self.left_out:
            data["left_out"] = [item.as_dict() for item in self.left_out]
        if self.unsure:
            data["unsure"] = [_unsure_dict(w) for w in self.unsure]
        if self.flagged:
            data["flagged"] = [flag.as_dict() for flag in self.flagged]
        if self.unsaid:
            data["unsaid"] = [{"start": round(float(w.start), 3), "end": round(float(w.end), 3), "text": w.text}
                              for w in self.unsaid]
        return data

    def warnings(self) -> list[str]:
        """What the person rendering must look at: speech without captions, words left out, flagged cues."""
        return caption_warnings(self.left_out, self.flagged, self.unsaid, self.unsure)


def _unsure_dict(w: Word) -> dict[str, Any]:
    data: dict[str, Any] = {"start": round(float(w.start), 3), "end": round(float(w.end), 3), "text": w.text,
                            "probability": w.probability}
    if w.doubt is not None and w.correction is not None:
        data["heard"] = w.correction.original
        data["reason"] = w.doubt
    return data


"""Suggestions for a rough cut: long pauses, fillers, voice no word covers, repeated takes.

Suggestions are shown, never applied silently: :func:`suggest` only lists them, and a cut
takes the ones the editor accepted (:func:`vidcoop.roughcut.cut.plan_cut`'s ``accept``).

* ``pause``: a silence (no voice by VAD *and* quieter than :data:`~vidcoop.roughcut.levels.SILENCE_DB`)
  between two words, longer than the threshold; accepting it shortens it
  (to :attr:`vidcoop.roughcut.cut.CutOptions.keep_pause`).
* ``filler``: a German hesitation word ("äh", "ähm", "öh", "öhm", "hm"). Never "um" or "er":
  those are German words ("um neun Uhr", "er kommt").
* ``voice``: voice between two words that no word covers. Whisper usually leaves fillers out
  of the text, so this is where most of them are.
* ``retake``: a sentence started again: the sentence after it begins with nearly the same words.
  The earlier take is marked; the later one is kept.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import cologne_phonetics

from vidcoop.captions.model import Word
from vidcoop.roughcut.levels import SILENCE_DB, SourceAudio, longest_silence
from vidcoop.roughcut.transcript import Sentence, SourceTranscript

SUGGESTION_KINDS = ("pause", "filler", "voice", "retake")

#: Hesitation sounds, however long they are held ("ähhm", "hmm"; Whisper also writes a held "äh" as
#: "Eeeh": two or more e, so the word "eh" stays a word); matched on the whole word.
FILLER_PATTERN = re.compile(r"(?:ä+h+m*|ö+h+m*|e{2,}h+m*|h+m+|m+h+m+)")
FILLERS = ("äh", "ähm", "öh", "öhm", "hm")


@dataclass(frozen=True)
class SuggestOptions:
    """What counts as worth a suggestion.

    Attributes:
        pause: A silence longer than this (seconds) is a ``pause`` suggestion.
        threshold_db: Audio below this level (and without voice) is silence.
        min_voice: Uncovered voice at least this long is a ``voice`` suggestion.
        edge_slack: Voice this close to a word's edge belongs to the word (word times are approximate).
        similarity: A sentence this similar (0..1) to the start of the next one is a retake.
    """

    pause: Fraction = Fraction(6, 10)
    threshold_db: float = SILENCE_DB
    min_voice: Fraction = Fraction(15, 100)
    edge_slack: Fraction = Fraction(8, 100)
    similarity: float = 0.75

    def __post_init__(self) -> None:
        if not 0 < self.pause <= 60:
            raise ValueError("pause must be positive (seconds)")


@dataclass(frozen=True)
class Suggestion:
    """One suggested change, with what it would remove.

    Attributes:
        kind: One of :data:`SUGGESTION_KINDS`.
        start, end: The stretch of the source it is about (a pause's silence, a filler word,
            uncovered voice, the earlier take).
        after: Index (among all words) of the word before it (-1 for none); ``before`` the word after.
        sentence: The number of the sentence it lies in (for ``retake``, the earlier take).
        text: The filler word, or the earlier take's text.
    """

    kind: str
    start: Fraction
    end: Fraction
    after: int
    before: int
    sentence: int
    text: str = ""

    @property
    def key(self) -> str:
        """A stable name for the page and the CLI: kind and where it starts, in milliseconds."""
        return f"{self.kind}@{round(self.start * 1000)}"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, for a page (seconds as floats)."""
        return {"key": self.key, "kind": self.kind, "start": float(self.start), "end": float(self.end),
                "after": self.after, "before": self.before, "sentence": self.sentence, "text": self.text}


def is_filler(text: str) -> bool:
    """A German hesitation word ("Äh," counts; "um" and "er" are words, never fillers)."""
    bare = "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalpha())
    return bool(bare) and FILLER_PATTERN.fullmatch(bare) is not None


def suggest(st: SourceTranscript, audio: SourceAudio, options: SuggestOptions | None = None) -> list[Suggestion]:
    """Every suggestion for ``st``, in source order (retakes after the rest)."""
    opts = options or SuggestOptions()
    words = st.words
    sentence_of = [s.number for s in st.sentences for _ in s.words]
    found: list[Suggestion] = []
    for i, word in enumerate(words):
        if is_filler(word.text):
            found.append(Suggestion("filler", word.start, word.end, i - 1, i + 1, sentence_of[i], word.text))
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        if b.start - a.end <= 0:
            continue
        voice = _uncovered_voice(audio, a, b, opts)
        found += [Suggestion("voice", lo, hi, i, i + 1, sentence_of[i]) for lo, hi in voice]
        silence = longest_silence(audio, a.end, b.start, opts.threshold_db)
        if silence is not None and silence[1] - silence[0] > opts.pause:
            found.append(Suggestion("pause", silence[0], silence[1], i, i + 1, sentence_of[i]))
    found.sort(key=lambda s: (s.start, s.kind))
    return found + retakes(st, opts.similarity)


def retakes(st: SourceTranscript, similarity: float = SuggestOptions.similarity) -> list[Suggestion]:
    """Sentences the speaker started again, and starts said again inside one sentence.

    A sentence is an earlier take when one of the next sentences opens with nearly the same words; a
    short sentence between them ("Äh, nochmal.", at most :data:`BETWEEN_WORDS` words) does not hide
    it. Inside one sentence, an opening of :data:`RESTART_WORDS` words or more said again ("Wer Arbeit
    sucht, wer Arbeit sucht, bekommt ...") makes the words before the second start the earlier take.
    """
    found = []
    sentences = st.sentences
    for k, earlier in enumerate(sentences):
        a = _tokens(earlier.words)
        for later in sentences[k + 1:]:
            b = _tokens(later.words)
            if len(a) >= 2 and _alike(a, b[: len(a) + 1], similarity):
                found.append(Suggestion("retake", earlier.start, earlier.end, earlier.first - 1, earlier.last + 1,
                                        earlier.number, earlier.text))
                break
            if len(b) > BETWEEN_WORDS:
                break
        else:
            found.extend(_restart(earlier))
    return found


#: A sentence this short (words, fillers not counted) between two takes does not hide the retake.
BETWEEN_WORDS = 2
#: A start said again inside one sentence counts from this many words.
RESTART_WORDS = 3


def _alike(a: Sequence[str], b: Sequence[str], similarity: float) -> bool:
    """Compared letter by letter, not word by word, and by how the words sound (Cologne phonetics): a take
    said again is often heard a little differently ("Jobkenter" / "Joppkenta"), and one misheard word must
    not hide it."""
    if not a or not b:
        return False
    spelt = difflib.SequenceMatcher(a=" ".join(a), b=" ".join(b), autojunk=False).ratio()
    sound = difflib.SequenceMatcher(a=_sound(a), b=_sound(b), autojunk=False).ratio()
    return max(spelt, sound) >= similarity


def _sound(tokens: Sequence[str]) -> str:
    return " ".join(code for token in tokens for _, code in cologne_phonetics.encode(token) if token)


def _restart(sentence: Sentence) -> list[Suggestion]:
    """The earlier take inside one sentence: its opening said again further on (see :func:`retakes`)."""
    kept = [(i, t) for i, w in enumerate(sentence.words) if not is_filler(w.text) and (t := _token(w.text))]
    tokens = [t for _, t in kept]
    n = RESTART_WORDS
    for j in range(n, len(tokens) - n + 1):
        if tokens[j : j + n] == tokens[:n] or (
                difflib.SequenceMatcher(a=" ".join(tokens[:n]), b=" ".join(tokens[j : j + n]),
                                        autojunk=False).ratio() >= 0.9):
            cut = kept[j][0]  # the word the sentence starts again with
            words = sentence.words[:cut]
            return [Suggestion("retake", words[0].start, words[-1].end, sentence.first - 1, sentence.first + cut,
                               sentence.number, " ".join(w.text for w in words))]
    return []


def _tokens(words: Sequence[Word]) -> list[str]:
    return [_token(w.text) for w in words if not is_filler(w.text)]


def _token(text: str) -> str:
    """A word as takes are compared: lower case, letters and digits only."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _uncovered_voice(audio: SourceAudio, a: Word, b: Word, opts: SuggestOptions) -> list[tuple[Fraction, Fraction]]:
    """Bursts of voice (VAD, louder than silence) lying wholly between ``a`` and ``b``.

    Voice running on from a word is that word's tail or onset (Whisper's word edges are
    approximate), so only a burst with silence on both sides counts.
    """
    lo, hi = a.end + opts.edge_slack, b.start - opts.edge_slack
    return [(v0, v1) for v0, v1 in audio.voice
            if lo <= v0 and v1 <= hi and v1 - v0 >= opts.min_voice and audio.level_db(v0, v1) >= opts.threshold_db]

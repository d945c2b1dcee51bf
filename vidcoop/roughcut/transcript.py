"""A source's transcript as an editor reads it: numbered sentences, one paragraph per pause.

The words come from :func:`vidcoop.captions.transcribe.transcribe`, so a source is
transcribed once and the render's cache answers every later look (same key: the
decoded samples, the model and the options). Times are the source's own seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import transcribe
from vidcoop.errors import CaptionError
from vidcoop.roughcut.levels import SourceAudio, longest_silence

_SENTENCE_END = (".", "!", "?", "…")
_CLOSERS = "\"'»«“”)"

#: A silence between two sentences at least this long starts a new paragraph.
PARAGRAPH_PAUSE = Fraction(6, 10)
#: A silence this long at a word's edge is not part of the word (see :func:`fit_words`).
_EDGE_SILENCE = Fraction(3, 10)
_NEAR_EDGE = Fraction(15, 100)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the source.

    Attributes:
        number: 1-based, in transcript order (what ``vidcoop cut`` prints and ``--keep`` names).
        words: Its timed words, in the source's seconds.
        first: The index of its first word among all the transcript's words.
    """

    number: int
    words: tuple[Word, ...]
    first: int

    @property
    def start(self) -> Fraction:
        return self.words[0].start

    @property
    def end(self) -> Fraction:
        return self.words[-1].end

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def last(self) -> int:
        """The index of its last word among all the transcript's words."""
        return self.first + len(self.words) - 1


@dataclass(frozen=True)
class Paragraph:
    """Sentences spoken without a pause of :data:`PARAGRAPH_PAUSE` or more between them."""

    sentences: tuple[Sentence, ...]

    @property
    def start(self) -> Fraction:
        return self.sentences[0].start

    @property
    def end(self) -> Fraction:
        return self.sentences[-1].end


@dataclass(frozen=True)
class SourceTranscript:
    """A source file's words, sentences and paragraphs (times in the source's seconds)."""

    source: Path
    transcript: Transcript
    sentences: tuple[Sentence, ...]
    paragraphs: tuple[Paragraph, ...]

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.sentences for w in s.words)

    @property
    def duration(self) -> Fraction:
        return self.transcript.duration

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, for a page: paragraphs of sentences of words, each word with its index among
        all words (what :class:`vidcoop.roughcut.cut.WordRange` counts), seconds as floats (the edge)."""
        return {
            "source": str(self.source),
            "language": self.transcript.language,
            "duration": float(self.duration),
            "paragraphs": [
                {"sentences": [
                    {"number": s.number, "start": float(s.start), "end": float(s.end), "text": s.text,
                     "words": [{"index": s.first + k, "text": w.text, "start": float(w.start), "end": float(w.end),
                                "unsure": w.unsure} for k, w in enumerate(s.words)]}
                    for s in p.sentences]}
                for p in self.paragraphs
            ],
        }


def source_transcript(source: str | Path, options: TranscribeOptions | None = None, *,
                      paragraph_pause: Fraction = PARAGRAPH_PAUSE) -> SourceTranscript:
    """Transcribe ``source`` (through the render's cache) and split it into sentences and paragraphs.

    Raises:
        MediaError: the file is missing or cannot be decoded.
        TranscriptionError: the backend or model is not available.
    """
    path = Path(source)
    return from_transcript(path, transcribe(path, options), paragraph_pause=paragraph_pause)


def from_transcript(source: Path, transcript: Transcript, *,
                    paragraph_pause: Fraction = PARAGRAPH_PAUSE) -> SourceTranscript:
    """Sentences (split after ``. ! ? …`` and at the recogniser's segment ends) and paragraphs of a transcript."""
    groups: list[list[Word]] = []
    for segment in transcript.segments:
        current: list[Word] = []
        for word in segment.words:
            current.append(word)
            if word.text.rstrip(_CLOSERS).endswith(_SENTENCE_END):
                groups.append(current)
                current = []
        if current:
            groups.append(current)
    sentences: list[Sentence] = []
    first = 0
    for number, words in enumerate(groups, start=1):
        sentences.append(Sentence(number, tuple(words), first))
        first += len(words)
    paragraphs: list[list[Sentence]] = []
    for sentence in sentences:
        if paragraphs and sentence.start - paragraphs[-1][-1].end < paragraph_pause:
            paragraphs[-1].append(sentence)
        else:
            paragraphs.append([sentence])
    return SourceTranscript(Path(source), transcript, tuple(sentences), tuple(Paragraph(tuple(p)) for p in paragraphs))


def fit_words(st: SourceTranscript, audio: SourceAudio) -> SourceTranscript:
    """Word edges pulled off long silences the recogniser gave them, by the source's sound.

    Whisper gives the first word after a pause the pause as well, and lets a last word run on
    into silence; a cut before such a word would keep seconds of silence. A word with a silence
    of 0.3 s or more starting (or ending) within 150 ms of its edge starts after (ends before) it.
    """
    fitted = [tuple(_fit(w, audio) for w in seg.words) for seg in st.transcript.segments]
    flat = _stranded(tuple(w for words in fitted for w in words), audio)  # across segments too
    segments, k = [], 0
    for seg, words in zip(st.transcript.segments, fitted, strict=True):
        words, k = flat[k : k + len(words)], k + len(words)
        start, end = (words[0].start, words[-1].end) if words else (seg.start, seg.end)
        segments.append(TranscriptSegment(seg.text, start, end, words))
    return from_transcript(st.source, replace(st.transcript, segments=tuple(segments)))


def _stranded(words: tuple[Word, ...], audio: SourceAudio) -> tuple[Word, ...]:
    """A sentence's first word timed at the end of the voice before it, a silence away from the rest of its
    sentence ("Als" of a take said again), joins its sentence: it moves to the start of the voice that
    holds the next word. A cut before that sentence then leaves the earlier voice out whole."""
    out = list(words)
    for i in range(len(out) - 1):
        w, nxt = out[i], out[i + 1]
        voice = audio.voice_around(nxt.start)
        if (i == 0 or out[i - 1].text.rstrip()[-1:] in ".!?") and voice is not None and voice[0] > w.end \
                and voice[0] - w.end >= _EDGE_SILENCE and nxt.start > voice[0]:
            out[i] = replace(w, start=voice[0], end=min(voice[0] + (w.end - w.start), nxt.start))
    return tuple(out)


def _fit(word: Word, audio: SourceAudio) -> Word:
    start, end = word.start, word.end
    silence = longest_silence(audio, start, end)
    if silence is not None and silence[1] - silence[0] >= _EDGE_SILENCE:
        if silence[0] - start <= _NEAR_EDGE:
            start = silence[1]
        elif end - silence[1] <= _NEAR_EDGE:
            end = silence[0]
    return word if (start, end) == (word.start, word.end) or end <= start else replace(word, start=start, end=end)


def corrected(st: SourceTranscript, texts: Mapping[int, str]) -> SourceTranscript:
    """The transcript with the words at the given indices retyped by a person (times kept).

    A corrected word is what a person typed, so it is no longer the model's guess
    (probability 1.0); the captions of a cut carry the correction.

    Raises:
        CaptionError: an index is not a word of the transcript, or a text is empty (field ``words.N``).
    """
    total = len(st.words)
    for index, text in texts.items():
        if not 0 <= index < total:
            raise CaptionError(f"there is no word {index} (the transcript has {total})", path=st.source,
                               field=f"words.{index}")
        if not text.strip():
            raise CaptionError("a word cannot be empty (leave it out of the cut instead)", path=st.source,
                               field=f"words.{index}")
    at = 0
    segments = []
    for seg in st.transcript.segments:
        words = []
        for w in seg.words:
            new = texts.get(at)
            words.append(w if new is None else replace(w, text=new.strip(), probability=1.0, correction=None))
            at += 1
        segments.append(TranscriptSegment(" ".join(w.text for w in words) if words else seg.text, seg.start, seg.end,
                                          tuple(words)))
    return from_transcript(st.source, replace(st.transcript, segments=tuple(segments)))

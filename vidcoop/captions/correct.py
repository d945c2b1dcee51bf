"""Fuzzy glossary correction: recognised words that are near a channel term become the term.

Whisper does not know a channel's vocabulary. Even with the terms as hints it
writes "Jobkenter", "Job Center" or "Bürger Geld", and a misspelt institution
name in a burned-in caption is seen by every viewer. This pass runs after
recognition (and after the cache, so changing it never costs a transcription):
it compares each word, and each run of up to :data:`MAX_RUN` words, with the
glossary's terms by two measures and replaces the run by the term when both
say it is close:

* **spelling**: normalised Indel similarity of the lower-cased letters
  (``rapidfuzz.fuzz.ratio`` / 100; hyphens and spaces removed, so
  "Job Center" and "Job-Center" spell "jobcenter");
* **sound**: the same similarity of the two words' Kölner Phonetik codes
  (package ``cologne-phonetics``), which forgives spellings of the same
  German sound ("Karitas"/"Caritas", "Bürgergelt"/"Bürgergeld") and rejects
  words that are spelt alike but sound different.

Thresholds (chosen on the dev set and on the pairs in
``tests/captions_transcribe/test_correct.py``, which test both sides):

==========================  =======  ============================================
check                       value    why
==========================  =======  ============================================
spelling and sound, each    >= 0.75  "Jobbörse"/"Jobcenter" (0.47, 0.40) stays
mean of the two             >= 0.85  "Jobkenter"/"Jobcenter" (0.89, 0.83) → 0.86
a run of 2-3 words: mean    >= 0.92  a split the model heard right ("Schuldner
  and sound                 >= 0.95  Beratung", "Tile Zeit") sounds the same;
                                     "Beratung stellt" (0.90, 0.94) must stay
shortest term fuzzed        6        short terms ("SGB II") only exact or joined
length of word / term       0.8-1.25 "SGB" never grows into "SGB II"
==========================  =======  ============================================

Rules that keep it from doing harm:

* Inflection is kept: the word may end in a German ending (``s``, ``es``,
  ``n``, ``en``, ``e``, ``er``, ``ern``, ``ns``, ``em``) that the term lacks;
  the ending stays ("Jobkenters" → "Jobcenters"), and a correctly spelt
  inflected form ("Jobcenters", the umlaut plural "Pflegefachkräfte") is
  left alone.
* Case: the term's spelling wins (nouns stay capitalised); a lower-case term
  at a sentence start is capitalised; a word in capitals stays in capitals.
* A run never crosses punctuation inside it (a sentence or clause boundary),
  never includes an article, pronoun or preposition ("das Job Center" keeps
  "das"), and never crosses a segment.
* Punctuation around the run is kept ("Center," → "Jobcenter,").
* A fragment of at most :data:`MAX_GLUED` letters glued before a term
  ("Micaritas" for "mit Caritas") is dropped, when the word as written is
  not German (:func:`vidcoop.captions.tokens.is_word`) and the rest is the
  term at spelling >= 0.85 and sound >= 0.95 ("Mikaritas": 0.86, 1.0); the
  recorded score takes the whole word's spelling ("Micaritas"/"Caritas":
  0.88, sound 1.0).
* A compound whose last part is a term spelt right ("Eheberatungsstelle",
  "Suchtberatungsstellen") is a word of its own and stays.
* Corrected words keep their times: one word keeps its start and end, a run
  spans its first word's start to its last word's end.
* A correction that drops :data:`MIN_LOST` or more letters before or after the
  term ("Micaritas" → "Caritas" lost "mi", which was "bei" or "mit") records
  them (:attr:`Correction.lost_before`, ``lost_after``), and the word is marked
  for the editor ("vor diesem Wort fehlt vielleicht etwas"): a spelling fix
  ("Karitas" → "Caritas") drops nothing and is not marked.

Every change is recorded on the word as a :class:`~vidcoop.captions.model.Correction`
(original text, term, score), so the transcript JSON, the cues and the
studio can show which words were corrected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from vidcoop.captions.model import Correction, Word
from vidcoop.captions.tokens import FUNCTION_WORDS, is_word, letters, split_punctuation, starts_sentence

MAX_RUN = 3
MIN_SPELLING = 0.75
MIN_SOUND = 0.75
MIN_SCORE = 0.85
MIN_RUN_SCORE = 0.92
MIN_RUN_SOUND = 0.95
MIN_FUZZY_LENGTH = 6
MIN_LENGTH_RATIO = 0.8
MAX_GLUED = 2
MIN_GLUED_SPELLING = 0.85
MIN_GLUED_SOUND = 0.95
#: Letters a correction must drop before or after the term to be marked ("mi" of "Micaritas").
MIN_LOST = 2

# German inflection endings a recognised word may carry beyond the term (longest first).
ENDINGS = ("ern", "es", "en", "er", "ns", "em", "s", "n", "e", "")



_UMLAUTS = str.maketrans("äöü", "aou")


@dataclass(frozen=True)
class _Term:
    text: str
    key: str  # lower-case letters and digits only
    sound: str


@dataclass(frozen=True)
class Match:
    """How close a piece of text is to a term."""

    term: str
    ending: str
    spelling: float
    sound: float

    @property
    def score(self) -> float:
        return round((self.spelling + self.sound) / 2, 4)


@lru_cache(maxsize=4096)
def sound_code(text: str) -> str:
    """The Kölner Phonetik code of ``text`` read as one word ("Job Center" = "Jobcenter")."""
    import cologne_phonetics  # lazy: nothing at import time

    word = letters(text)
    if not word:
        return ""
    return str(cologne_phonetics.encode(word, concat=True)[0][1])


def similarity(a: str, b: str) -> float:
    """Normalised Indel similarity in [0, 1] (rapidfuzz)."""
    from rapidfuzz import fuzz

    if not a and not b:
        return 1.0
    return float(fuzz.ratio(a, b)) / 100.0


def match(text: str, term: str) -> Match | None:
    """The best reading of ``text`` as ``term`` plus an inflection ending, or None if not close.

    ``text`` may be several words ("Job Center"); spaces and hyphens are ignored.
    """
    t = _term(term)
    return _best(letters(text), t)


def _term(term: str) -> _Term:
    return _Term(term, letters(term), sound_code(term))


def _best(key: str, term: _Term) -> Match | None:
    best: Match | None = None
    for ending in ENDINGS:
        if ending and (not key.endswith(ending) or term.key.endswith(ending)):
            continue
        stem = key[: len(key) - len(ending)] if ending else key
        if not stem:
            continue
        if stem == term.key:
            return Match(term.text, ending, 1.0, 1.0)
        if stem.endswith(term.key):
            return None  # a compound with the term as its last part ("Eheberatungsstelle"): a word of its own
        if ending and stem.translate(_UMLAUTS) == term.key.translate(_UMLAUTS):
            return None  # a plural with umlaut ("Fachkräfte" of "Fachkraft"), spelt right
        if (
            len(term.key) < MIN_FUZZY_LENGTH
            or not MIN_LENGTH_RATIO <= len(stem) / len(term.key) <= 1 / MIN_LENGTH_RATIO
        ):
            continue
        spelling = similarity(stem, term.key)
        if spelling < MIN_SPELLING:
            continue
        sound = similarity(sound_code(stem), term.sound)
        candidate = Match(term.text, ending, round(spelling, 4), round(sound, 4))
        if sound >= MIN_SOUND and (best is None or candidate.score > best.score):
            best = candidate
    return best


def correct_words(words: Sequence[Word], terms: Sequence[str]) -> tuple[Word, ...]:
    """Replace words and runs of up to :data:`MAX_RUN` words that are near a term.

    ``words`` are one segment's words in order. Words already spelt as a term
    (in any inflection) are left alone, except for their case.
    """
    prepared = [_term(t) for t in dict.fromkeys(t.strip() for t in terms) if letters(t)]
    if not prepared or not words:
        return tuple(words)
    out: list[Word] = []
    i = 0
    while i < len(words):
        found = _at(words, i, prepared)
        if found is None:
            out.append(words[i])
            i += 1
            continue
        n, m = found
        out.append(_replaced(words[i : i + n], m, sentence_start=starts_sentence(words, i)))
        i += n
    return tuple(out)


def _at(words: Sequence[Word], i: int, terms: Sequence[_Term]) -> tuple[int, Match] | None:
    """The best (run length, match) starting at word ``i``, if any passes its threshold."""
    best: tuple[int, Match] | None = None
    for n in range(1, MAX_RUN + 1):
        run = words[i : i + n]
        if len(run) < n or not _joinable(run):
            break
        key = letters("".join(_core(w.text) for w in run))
        if not key:
            break
        for term in terms:
            m = _best(key, term)
            if m is None:
                continue
            if n > 1 and (m.score < MIN_RUN_SCORE or m.sound < MIN_RUN_SOUND):
                continue
            if n == 1 and m.score < MIN_SCORE:
                continue
            if best is None or m.score > best[1].score:
                best = (n, m)
    if best is None:
        best = _glued(words[i], terms)
    if best is None:
        return None
    n, m = best
    run = words[i : i + n]
    if _render(run, m, sentence_start=starts_sentence(words, i)) == " ".join(w.text.strip() for w in run):
        return None  # already spelt as the term (in some inflection)
    return best


def _glued(word: Word, terms: Sequence[_Term]) -> tuple[int, Match] | None:
    """A term with a fragment of up to :data:`MAX_GLUED` letters glued before it, in a non-word."""
    key = letters(_core(word.text))
    if len(key) <= MIN_FUZZY_LENGTH or not key.isalpha():
        return None
    best: Match | None = None
    for k in range(1, MAX_GLUED + 1):
        for term in terms:
            m = _best(key[k:], term)
            if m is None or m.spelling < MIN_GLUED_SPELLING or m.sound < MIN_GLUED_SOUND:
                continue
            whole = Match(m.term, m.ending, round(similarity(key, term.key), 4), m.sound)
            if best is None or whole.score > best.score:
                best = whole
    if best is None:
        return None
    return None if is_word(_core(word.text)) else (1, best)


def _joinable(run: Sequence[Word]) -> bool:
    """A run of words may be one term: no punctuation inside it, no function words."""
    if len(run) == 1:
        return True
    for k, w in enumerate(run):
        lead, core, trail = split_punctuation(w.text)
        if not core or core.casefold() in FUNCTION_WORDS:
            return False
        if (k > 0 and lead) or (k < len(run) - 1 and trail):
            return False
    return True


def _render(run: Sequence[Word], m: Match, *, sentence_start: bool) -> str:
    """The run's text with the term in it, keeping the outer punctuation."""
    lead, _, _ = split_punctuation(run[0].text)
    _, _, trail = split_punctuation(run[-1].text)
    core = "".join(_core(w.text) for w in run)
    return f"{lead}{_cased(m, core, sentence_start=sentence_start)}{trail}"


def _replaced(run: Sequence[Word], m: Match, *, sentence_start: bool) -> Word:
    original = " ".join(w.text.strip() for w in run)
    text = _render(run, m, sentence_start=sentence_start)
    before, after = lost_pieces(original, text)
    return replace(
        run[0],
        text=text,
        end=run[-1].end,
        probability=min(w.probability for w in run),
        correction=Correction(original=original, term=m.term, score=m.score, lost_before=before, lost_after=after),
    )


def lost_pieces(heard: str, shown: str) -> tuple[str, str]:
    """The letters of ``heard`` that ``shown`` leaves out before and after it, when at least
    :data:`MIN_LOST` ("Micaritas" → "Caritas": ``("mi", "")``); a spelling fix loses nothing
    ("Karitas" → "Caritas": ``("", "")``)."""
    a, b = letters(heard), letters(shown)
    blocks = [blk for blk in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if blk.size]
    if not blocks:
        return "", ""
    first, last = blocks[0], blocks[-1]
    head = first.a - first.b
    tail = (len(a) - last.a - last.size) - (len(b) - last.b - last.size)
    return (a[:head] if head >= MIN_LOST else "", a[len(a) - tail :] if tail >= MIN_LOST else "")


def _cased(m: Match, core: str, *, sentence_start: bool) -> str:
    text = m.term + _ending_as_written(core, m.ending)
    if len(core) > 1 and core.isupper() and not m.term.isupper():
        return text.upper()
    if sentence_start and text[:1].islower():
        return text[:1].upper() + text[1:]
    return text


def _ending_as_written(core: str, ending: str) -> str:
    return core[len(core) - len(ending) :] if ending else ""


def _core(text: str) -> str:
    return split_punctuation(text)[1]


__all__ = [
    "ENDINGS",
    "MAX_GLUED",
    "MAX_RUN",
    "MIN_LOST",
    "MIN_RUN_SCORE",
    "MIN_RUN_SOUND",
    "MIN_SCORE",
    "Match",
    "correct_words",
    "lost_pieces",
    "match",
    "sound_code",
]

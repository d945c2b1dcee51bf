"""German word checks after recognition: a function word glued to the next word is split off again,
and a function word is never capitalised mid-sentence (:func:`lower_function_words`).

Whisper base sometimes writes two spoken words as one: "Wer Arbeit sucht"
became "Werarbeit versucht", "mit Caritas" became "Micaritas". A glued
form is not a German word, and a viewer stumbles over it. This pass splits
such a word when all of these hold (checked against the German word list
of ``pyspellchecker``, 339,000 words with frequencies from subtitles,
shipped in the package, so nothing is fetched):

* the word as written is not in the list, and it is not a glossary term
  (in any inflection);
* it starts with a function word (article, pronoun, preposition,
  conjunction: :data:`vidcoop.captions.correct.FUNCTION_WORDS`) of at
  least :data:`MIN_HEAD` letters;
* the rest, at least :data:`MIN_REST` letters, is in the list or is a
  glossary term (any inflection: "imjobcenter" → "im Jobcenter").

German writes compounds as one word ("Bürgergeld", "Beratungsstelle",
"Mitarbeit"); those are in the list, or do not start with a function word,
so they stay. When more than one split passes, the longest function word
wins ("Dieberatung" → "Die Beratung", not "Di eberatung").

Case: Whisper writes a glued form as it would a compound, and a German
compound takes the case of its last part, so the rest of a capitalised
glued form is capitalised ("Werarbeit" → "Wer Arbeit") and the rest of a
lower-case one is not ("wersucht" → "wer sucht"); the function word keeps
a capital only at a sentence start.

The two words share the glued word's time in proportion to their letters,
so the first starts where the glued word started and the second ends where
it ended. Both carry a :class:`~vidcoop.captions.model.Correction` with the
glued original, the split text as the term and a score of 1.0 (no letter
changed), like the glossary correction's records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from vidcoop.captions.correct import match
from vidcoop.captions.model import Correction, Word
from vidcoop.captions.tokens import FUNCTION_WORDS, LANGUAGES, is_word, letters, split_punctuation, starts_sentence

#: Shortest function word split off ("im", "am" and "zu" are 2 letters).
MIN_HEAD = 2
#: Shortest rest that may stand alone after a split (no stray endings like "en").
MIN_REST = 4
def split_glued(words: Sequence[Word], *, language: str = "de", protect: Iterable[str] = ()) -> tuple[Word, ...]:
    """``words`` with glued "function word + word" forms split in two; other words untouched.

    ``protect`` are terms never split (the glossary's: a channel's own names
    need not be in any word list). Languages without a word list pass through.
    """
    if language not in LANGUAGES or not words:
        return tuple(words)
    terms = [t for t in protect if letters(t)]
    out: list[Word] = []
    for i, word in enumerate(words):
        split = _split(word, terms, language, sentence_start=starts_sentence(words, i))
        out.extend(split or (word,))
    return tuple(out)


def _split(word: Word, terms: Sequence[str], language: str, *, sentence_start: bool) -> tuple[Word, Word] | None:
    if word.correction is not None:
        return None  # the glossary already chose this word
    lead, core, trail = split_punctuation(word.text)
    if not core.isalpha() or len(core) < MIN_HEAD + MIN_REST or is_word(core, language):
        return None
    if _is_term(core, terms):
        return None
    folded = core.casefold()
    for k in range(len(core) - MIN_REST, MIN_HEAD - 1, -1):  # the longest function word first
        head, rest = core[:k], core[k:]
        if folded[:k] in FUNCTION_WORDS and (is_word(rest, language) or _is_term(rest, terms)):
            return _two(word, lead, head, _as_term(rest, terms), trail, sentence_start=sentence_start)
    return None


def _is_term(text: str, terms: Sequence[str]) -> bool:
    """``text`` spells a term exactly, in any inflection (case aside)."""
    return any((m := match(text, t)) is not None and m.spelling == 1.0 for t in terms)


def _as_term(text: str, terms: Sequence[str]) -> str:
    """``text`` with a term's own spelling when it is that term ("jobcenter" → "Jobcenter")."""
    for t in terms:
        m = match(text, t)
        if m is not None and m.spelling == 1.0:
            return m.term + (text[len(text) - len(m.ending) :] if m.ending else "")
    return text


def _two(word: Word, lead: str, head: str, rest: str, trail: str, *, sentence_start: bool) -> tuple[Word, Word]:
    first = head[:1].upper() + head[1:].lower() if sentence_start else head.lower()
    second = rest[:1].upper() + rest[1:] if head[:1].isupper() else rest  # a term keeps its own case
    correction = Correction(original=word.text, term=f"{first} {second}", score=1.0)
    at = word.start + (word.end - word.start) * Fraction(len(head), len(head) + len(rest))
    return (
        replace(word, text=f"{lead}{first}", end=at, correction=correction),
        replace(word, text=f"{second}{trail}", start=at, correction=correction),
    )


#: Function words that stay capitalised mid-sentence: the polite "Sie", "Ihnen", "Ihr".
_POLITE = frozenset({"sie", "ihr"})
# The function words, with the possessives' inflected forms (Whisper writes "Deine" mid-sentence too) and the
# determiners "jeden", "alle", "dieser", "keinen" (the held-out long recording: "hat Jeden Dienstag geöffnet").
_LOWERABLE = FUNCTION_WORDS | frozenset({"deine", "deinen", "deinem", "deiner", "deines",
                                         "meine", "meinen", "meinem", "meiner", "meines",
                                         "jede", "jeden", "jedem", "jeder", "jedes", "alle", "allen", "aller",
                                         "diese", "diesen", "diesem", "dieser", "dieses",
                                         "keinen", "keinem", "keiner", "keines"})
#: After these a capitalised function word is a noun ("das Aus", "ohne Wenn und Aber").
_NOUN_BEFORE = frozenset({"das", "dem", "des", "ein", "ohne", "im", "vom", "zum", "beim"})


def lower_function_words(
    words: Sequence[Word], *, language: str | None = "de", pause: Fraction | None = None,
    cuts: Sequence[Fraction] = (),
) -> tuple[Word, ...]:
    """``words`` (in order) with capitalised German function words mid-sentence in lower case.

    When Whisper avoids a token it already used (a repetition penalty), it
    picks the capitalised twin: "Wie spät ist Es", "Öffne Das Fenster".
    German writes an article, pronoun, preposition or conjunction with a
    capital only at a sentence start (first word, or after ``.``, ``!``,
    ``?``, ``:``), so any other capitalised one is lowered; its time,
    probability and punctuation are kept. Left alone: the polite "Sie" and
    "Ihr", a word in capitals ("ES"), a word the glossary chose (it has a
    correction), and a noun made of one after an article ("das Aus").
    A word after a silence of at least ``pause`` or after one of ``cuts``
    may start a sentence Whisper did not end with a stop, so it is left
    alone too. Languages other than German pass through.
    """
    if language not in LANGUAGES:
        return tuple(words)
    out: list[Word] = []
    for i, word in enumerate(words):
        lead, core, _ = split_punctuation(word.text)
        folded = core.casefold()
        before = split_punctuation(words[i - 1].text)[1].casefold() if i else ""
        if (
            core[:1].isupper()
            and not core.isupper()
            and folded in _LOWERABLE
            and folded not in _POLITE
            and before not in _NOUN_BEFORE
            and word.correction is None
            and not starts_sentence(words, i)
            and not _after_break(words, i, pause, cuts)
            and not lead  # an opening quote or bracket starts a quotation
        ):
            at = word.text.index(core)  # the text as the model wrote it, leading space and punctuation kept
            word = replace(word, text=f"{word.text[:at]}{core[:1].lower()}{word.text[at + 1 :]}")
        out.append(word)
    return tuple(out)


def _after_break(words: Sequence[Word], i: int, pause: Fraction | None, cuts: Sequence[Fraction]) -> bool:
    """Word ``i`` follows a silence of at least ``pause`` or a cut."""
    before, word = words[i - 1], words[i]
    return (pause is not None and word.start - before.end >= pause) or any(
        before.start < c <= word.start for c in cuts
    )


__all__ = ["LANGUAGES", "MIN_HEAD", "MIN_REST", "is_word", "lower_function_words", "split_glued"]

"""Where a line may break: German rules that never leave an article or preposition at a line end and
prefer breaks at punctuation and before conjunctions (subtitle style), as costs for the line breaker."""

from __future__ import annotations

import math
import re
from collections.abc import Callable


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Articles and prepositions that must not end a line (German and English).
DANGLING_WORDS: frozenset[str] = _word_set(
    "der die das den dem des ein eine einen einem einer eines zum zur im am vom beim ins ans "
    "in an auf aus bei mit nach von zu für über unter vor hinter neben zwischen durch gegen ohne um "
    "seit bis ab "
    "the a an of to in on at for with from by into onto"
)

#: Conjunctions that a line (or cue) may start with: a good place to break before.
CONJUNCTIONS: frozenset[str] = _word_set(
    "und oder aber denn sondern weil dass daß wenn ob als damit obwohl während bevor nachdem "
    "sodass falls sobald solange indem wie doch jedoch also "
    "and or but because so although while when if that"
)

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»«“”)]*$")
_DASHES = "\u2013\u2014"  # en and em dash
_CLAUSE_END = re.compile(r"[,;:" + _DASHES + r"]+[\"'»«“”)]*$")
STRIP = "\"'»«“”„()[]{}.,;:!?…-" + _DASHES

#: Cost of a line ending with an article or preposition: far worse than any other break.
DANGLING_PENALTY = 8.0

#: Cost of each line after the first: fewer lines win unless they need a bad break.
EXTRA_LINE_COST = 3.0

BreakCost = Callable[[str, str], float]
"""``cost(last_word_of_line, first_word_of_next_line)``: 0 is a perfect break, ``inf`` forbidden."""


def bare(word: str) -> str:
    """The word in lower case without surrounding quotes and punctuation."""
    return word.strip(STRIP).lower()


def german_break_cost(left: str, right: str) -> float:
    """Cost of breaking a line between ``left`` and ``right`` (subtitle rules).

    Sentence ends are best, then clause punctuation, then a break before a
    conjunction; a line that ends with an article or preposition costs
    :data:`DANGLING_PENALTY`, so it happens only when nothing else fits
    (return ``math.inf`` from your own rule to forbid a break outright).
    """
    if _SENTENCE_END.search(left):
        return 0.0
    if _CLAUSE_END.search(left):
        return 0.1
    if bare(left) in DANGLING_WORDS:
        return DANGLING_PENALTY
    if bare(right) in CONJUNCTIONS:
        return 0.2
    return 0.5


def strict_german_break_cost(left: str, right: str) -> float:
    """:func:`german_break_cost`, but an article or preposition may never end a line."""
    cost = german_break_cost(left, right)
    return math.inf if cost >= DANGLING_PENALTY else cost


def flat_break_cost(left: str, right: str) -> float:
    """Every word boundary is equally good: pure balance decides."""
    return 0.5

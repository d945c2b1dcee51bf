"""Cues a person must check before they are published: nothing unsaid is burned in quietly.

A cue is flagged (:class:`~vidcoop.captions.model.CueFlag`) when

* ``unsure``: more than half of its words are :attr:`~vidcoop.captions.model.Word.unsure`
  ("www .mengeld .com", every word under 0.5);
* ``repeat``: it repeats an earlier cue word for word (at least :data:`MIN_REPEAT_WORDS`
  words, case and punctuation aside): the model looping over what it already wrote;
* ``url``: it looks like a web address ("www", a dot before a top-level domain, ``http``)
  that is not one of the channel's glossary terms: Whisper writes addresses nobody spelled out;
* ``short``: a subtitle cue shows shorter than :attr:`~vidcoop.captions.cues.CueRules.min_duration`
  even after joining a neighbour or starting earlier (see :func:`vidcoop.captions.cues.build_subtitle`).

Neighbouring cues flagged for the same reason are one flag (one warning line, one report entry).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fractions import Fraction

from vidcoop.captions.correct import letters
from vidcoop.captions.model import Cue, CueFlag

#: A cue must have at least this many words to count as a word-for-word repeat.
MIN_REPEAT_WORDS = 3
#: Web-address-like text: "www", a scheme, or a dot before a common top-level domain.
URL = re.compile(
    r"\bwww\b|\bhttps?\b|\.\s*(?:com|de|org|net|eu|info|at|ch|io)\b",
    re.IGNORECASE,
)


def flag_cues(
    cues: Sequence[Cue], *, min_duration: Fraction | None = None, terms: Iterable[str] = ()
) -> tuple[CueFlag, ...]:
    """The flags for ``cues`` in time order (see the module notes).

    Args:
        cues: The cues as they will be shown.
        min_duration: Flag cues shorter than this (the subtitle rules; None for styles without one).
        terms: The channel's glossary terms: a web address among them was meant.
    """
    known = {letters(t) for t in terms if looks_like_url(t) and letters(t)}
    seen: set[tuple[str, ...]] = set()
    flags: list[CueFlag] = []
    for cue in cues:
        for reason in _reasons(cue, seen, known, min_duration):
            last = flags[-1] if flags else None
            if last is not None and last.reason == reason and _neighbours(cues, last, cue):
                flags[-1] = CueFlag(last.start, cue.end, f"{last.text} / {_one_line(cue)}", reason)
            else:
                flags.append(CueFlag(cue.start, cue.end, _one_line(cue), reason))
        key = _key(cue)
        if len(key) >= MIN_REPEAT_WORDS:
            seen.add(key)
    return tuple(flags)


def _reasons(cue: Cue, seen: set[tuple[str, ...]], known: set[str], min_duration: Fraction | None) -> list[str]:
    """Why ``cue`` needs a look; ``known`` are the letters of the glossary's web addresses."""
    reasons = []
    if cue.words and sum(w.unsure for w in cue.words) * 2 > len(cue.words):
        reasons.append("unsure")
    if _key(cue) in seen:
        reasons.append("repeat")
    if looks_like_url(cue.text) and not any(url in letters(cue.text) for url in known):
        reasons.append("url")
    if min_duration is not None and cue.end - cue.start < min_duration:
        reasons.append("short")
    return reasons


def looks_like_url(text: str) -> bool:
    """Whether ``text`` reads like a web address ("www .mengeld .com", "caritas.de", "https")."""
    return URL.search(text) is not None


def _key(cue: Cue) -> tuple[str, ...]:
    return tuple(k for k in (letters(w) for w in cue.text.split()) if k)


def _one_line(cue: Cue) -> str:
    return " ".join(cue.text.split())


def _neighbours(cues: Sequence[Cue], flag: CueFlag, cue: Cue) -> bool:
    """No cue shows between the end of ``flag`` and ``cue``."""
    return not any(flag.end <= other.start < cue.start for other in cues)


__all__ = ["MIN_REPEAT_WORDS", "URL", "flag_cues", "looks_like_url"]

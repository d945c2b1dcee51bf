"""Cues a person must check before they are published: nothing unsaid is burned in quietly.

A cue is flagged (:class:`~vidcoop.captions.model.CueFlag`) when

* ``unsure``: more than half of its words are :attr:`~vidcoop.captions.model.Word.unsure`
  ("www .mengeld .com", every word under 0.5);
* ``repeat``: it repeats an earlier cue word for word, or holds one (an earlier cue of at
  least :data:`MIN_REPEAT_WORDS` words, case and punctuation aside), or it holds part of a
  run of :data:`REPEAT_RUN` words said before: the model looping over what it already wrote;
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

#: A cue that is (or holds) an earlier cue of at least this many words repeats it.
MIN_REPEAT_WORDS = 4
#: A run of this many words said again word for word is a repeat, however the cues cut it
#: (a loop in 1-3 word social cues; natural speech rarely repeats six words in a row).
REPEAT_RUN = 6
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
    latest: dict[str, int] = {}  # reason -> index of its last flag
    looped = _in_repeated_runs(cues)
    for index, cue in enumerate(cues):
        reasons = _reasons(cue, seen, known, min_duration)
        if index in looped and "repeat" not in reasons:
            reasons.insert(1 if "unsure" in reasons else 0, "repeat")
        for reason in reasons:
            k = latest.get(reason)
            if k is not None and _neighbours(cues, flags[k], cue):
                last = flags[k]
                flags[k] = CueFlag(last.start, cue.end, f"{last.text} / {_one_line(cue)}", reason)
            else:
                latest[reason] = len(flags)
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
    key = _key(cue)
    if any(_contains(key, earlier) for earlier in seen):
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


def _in_repeated_runs(cues: Sequence[Cue]) -> set[int]:
    """Indexes of the cues holding a word of a run of :data:`REPEAT_RUN` words said before."""
    keys = [(k, i) for i, cue in enumerate(cues) for k in _key(cue)]
    first: dict[tuple[str, ...], int] = {}
    found: set[int] = set()
    for at in range(len(keys) - REPEAT_RUN + 1):
        run = tuple(k for k, _ in keys[at : at + REPEAT_RUN])
        if first.setdefault(run, at) < at:
            found.update(i for _, i in keys[at : at + REPEAT_RUN])
    return found


def _contains(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    """``run`` appears in ``words`` word for word (a cue that is an earlier one, or holds it)."""
    n = len(run)
    return any(words[i : i + n] == run for i in range(len(words) - n + 1))


def _one_line(cue: Cue) -> str:
    return " ".join(cue.text.split())


def _neighbours(cues: Sequence[Cue], flag: CueFlag, cue: Cue) -> bool:
    """No cue shows between the end of ``flag`` and ``cue``."""
    return not any(flag.end <= other.start < cue.start for other in cues)


__all__ = ["MIN_REPEAT_WORDS", "REPEAT_RUN", "URL", "flag_cues", "looks_like_url"]

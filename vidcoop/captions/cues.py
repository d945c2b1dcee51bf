"""Cue building: a transcript becomes on-screen caption cues.

Two styles, chosen from :data:`BUILDERS`:

* ``social``: 1 to 3 words per cue in large type, each cue keeping its timed
  words so the burn-in can highlight the word being spoken.
* ``subtitle``: broadcast-style cues of at most two lines of at most 42
  characters, shown 1 to 7 seconds at no more than about 20 characters per
  second, lines broken at punctuation and before conjunctions and never
  after an article or preposition.

Both wrap by the real pixel width of the style's font (see
:mod:`vidcoop.text.fit`), never let a cue cross a cut or a long
pause, and hyphenate (or, for a lone word, shrink) long German compounds
rather than cut text off. The font size a cue needs is a pure function of
its lines and the style (:func:`vidcoop.text.fit.fit_lines`), so the
burn-in recomputes it; edited files get the same treatment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Protocol

from vidcoop.captions.chunking import chunks, ends, next_cut, transcript_words
from vidcoop.captions.flags import flag_cues
from vidcoop.captions.formats import Cues
from vidcoop.captions.model import Cue, Transcript, Word
from vidcoop.captions.style import CaptionStyle, default_style
from vidcoop.captions.words import lower_function_words
from vidcoop.errors import CaptionError
from vidcoop.text.breaks import DANGLING_PENALTY, german_break_cost, strict_german_break_cost
from vidcoop.text.fit import FitOptions, FittedText, fit_tokens
from vidcoop.text.tokens import tokens_from_words

_SENTENCE_END = (".", "!", "?", "…")
_CLAUSE_END = (",", ";", ":", "\u2013", "\u2014")
#: Longest time a subtitle too short to read may show before its first word is spoken.
MAX_LEAD_IN = Fraction(1, 2)


@dataclass(frozen=True)
class CueRules:
    """Rules for cutting speech into cues (broadcast defaults).

    Attributes:
        max_chars_per_line: Subtitle line length limit in characters.
        min_duration: Shortest time a subtitle cue stays on screen.
        max_duration: Longest time a cue stays on screen.
        max_cps: Reading speed limit in characters per second.
        pause: A silence at least this long ends a cue (both styles).
        social_max_words: Most words per social cue.
        social_hold: How long a social cue may stay after its last word ends.
        language: Language for hyphenation.
    """

    max_chars_per_line: int = 42
    min_duration: Fraction = Fraction(1)
    max_duration: Fraction = Fraction(7)
    max_cps: float = 20.0
    pause: Fraction = Fraction(6, 10)
    social_max_words: int = 3
    social_hold: Fraction = Fraction(1, 2)
    language: str = "de"


class HasCaptionStyle(Protocol):
    """Anything that can give a :class:`CaptionStyle` per style name (a brand kit)."""

    def caption_style(self, style: str) -> CaptionStyle: ...


StyleSource = CaptionStyle | HasCaptionStyle | None


def resolve_style(style: str, source: StyleSource = None) -> CaptionStyle:
    """The CaptionStyle for ``style`` from a CaptionStyle, a kit-like object, or the default."""
    if source is None:
        return default_style(style)
    if isinstance(source, CaptionStyle):
        return source
    getter = getattr(source, "caption_style", None)
    if callable(getter):
        result = getter(style)
        if isinstance(result, CaptionStyle):
            return result
    raise CaptionError(
        f"not a caption style or brand kit: {type(source).__name__}",
        field="caption_style",
        hint="pass a CaptionStyle or an object with .caption_style(style)",
    )


# --------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class _Layout:
    """How a style wants its text laid out."""

    style: CaptionStyle
    max_chars: int | None
    language: str

    def options(self, *, shrink: bool) -> FitOptions:
        s = self.style
        return FitOptions(
            max_width=s.max_width,
            size=s.font_size,
            min_size=s.min_font_size if shrink else s.font_size,
            max_lines=s.max_lines,
            max_chars=self.max_chars,
            language=self.language,
            uppercase=s.uppercase,
            break_cost=german_break_cost,
        )

    def fit(self, words: Sequence[Word], *, shrink: bool) -> FittedText | None:
        tokens = tokens_from_words([w.text for w in words])
        # Lines keep the text's own case; with style.uppercase they are measured as capitals.
        fitted = fit_tokens(self.style.font_file, tokens, self.options(shrink=shrink))
        if fitted is not None and fitted.cost >= DANGLING_PENALTY and self.style.min_font_size < fitted.size:
            # An article or preposition would end a line: a smaller size without that is better.
            strict = replace(self.options(shrink=True), break_cost=strict_german_break_cost)
            smaller = fit_tokens(self.style.font_file, tokens, strict)
            if smaller is not None:
                return smaller
        return fitted

    def fit_or_fail(self, words: Sequence[Word], index: int) -> FittedText:
        fitted = self.fit(words, shrink=True)
        if fitted is None:
            text = " ".join(w.text for w in words)
            raise CaptionError(
                f"caption text does not fit {self.style.max_lines} line(s) of {self.style.max_width} px "
                f"even at {self.style.min_font_size} px: {text[:60]!r}",
                field=f"cues.{index}",
                hint="lower min_font_size or widen max_width in the caption style",
            )
        return fitted


# --------------------------------------------------------------------------- subtitle


def build_subtitle(
    words: Sequence[Word],
    style: CaptionStyle,
    rules: CueRules,
    cuts: Sequence[Fraction],
    end_limit: Fraction | None,
) -> list[Cue]:
    """Broadcast subtitles: cue ranges chosen by dynamic programming per run of speech."""
    if rules.language.startswith("de"):
        from vidcoop.captions.numbers import normalise_words

        words = normalise_words(words)  # "dreißig Stunden" -> "30 Stunden"; times kept
    layout = _Layout(style, rules.max_chars_per_line, rules.language)
    runs = chunks(words, cuts, rules.pause)
    ranges: list[tuple[list[Word], FittedText]] = []
    for run in runs:
        ranges.extend(_subtitle_run(run, layout, rules))
    while True:  # a cue too short to read joins a neighbour where they fit together (each pass removes one)
        cues = _subtitle_timed(ranges, rules, cuts, end_limit)
        joined = next((j for k, cue in enumerate(cues) if cue.end - cue.start < rules.min_duration
                       for j in (_joined(ranges, k - 1, layout, rules, cuts), _joined(ranges, k, layout, rules, cuts))
                       if j is not None), None)
        if joined is None:
            return _lead_in(cues, rules, cuts)
        ranges = joined


def _joined(
    ranges: list[tuple[list[Word], FittedText]], k: int, layout: _Layout, rules: CueRules, cuts: Sequence[Fraction]
) -> list[tuple[list[Word], FittedText]] | None:
    """``ranges`` with range ``k`` and the next one as one cue, or None when they may not join:
    a cut or a long pause between them, too long together, or they do not fit the lines."""
    if k < 0 or k + 1 >= len(ranges):
        return None
    first, second = ranges[k][0], ranges[k + 1][0]
    if second[0].start - first[-1].end >= rules.pause or any(first[0].start < c <= second[0].start for c in cuts):
        return None
    words = first + second
    if words[-1].end - words[0].start > rules.max_duration:
        return None
    fitted = layout.fit(words, shrink=False)
    return None if fitted is None else [*ranges[:k], (words, fitted), *ranges[k + 2 :]]


def _lead_in(cues: list[Cue], rules: CueRules, cuts: Sequence[Fraction]) -> list[Cue]:
    """A cue still too short starts earlier, into the free time before it (never before the
    previous cue ends or across a cut), as far as it needs; what stays short is flagged later."""
    out: list[Cue] = []
    for cue in cues:
        missing = min(rules.min_duration - (cue.end - cue.start), MAX_LEAD_IN)
        if missing > 0:
            floor = max([out[-1].end if out else Fraction(0), *(c for c in cuts if c <= cue.start)])
            cue = replace(cue, start=max(min(floor, cue.start), cue.start - missing))
        out.append(cue)
    return out


def _subtitle_timed(
    ranges: list[tuple[list[Word], FittedText]], rules: CueRules, cuts: Sequence[Fraction], end_limit: Fraction | None
) -> list[Cue]:
    """Cues from ranges: each stays for its reading time, at least the minimum, until the next cue or cut."""
    starts = [r[0][0].start for r in ranges]
    cues: list[Cue] = []
    for k, (cue_words, fitted) in enumerate(ranges):
        next_start = starts[k + 1] if k + 1 < len(ranges) else end_limit
        start = cue_words[0].start
        natural = cue_words[-1].end
        limits = [start + rules.max_duration]
        if next_start is not None:
            limits.append(next_start)
        cut = next_cut(start, cuts)
        if cut is not None:
            limits.append(cut)
        limit = min(limits)
        chars = sum(len(line) for line in fitted.lines)
        wanted = max(rules.min_duration, Fraction(chars) / Fraction(rules.max_cps).limit_denominator(1000))
        end = min(max(natural, start + wanted), limit)
        if end <= start:
            end = start + Fraction(1, 1000)
        cues.append(Cue(start, end, fitted.lines, tuple(cue_words)))
    return cues


def _subtitle_run(run: list[Word], layout: _Layout, rules: CueRules) -> list[tuple[list[Word], FittedText]]:
    def too_long(group: list[Word]) -> bool:
        return len(group) > 1 and group[-1].end - group[0].start > rules.max_duration

    return _best_groups(run, layout, 40, too_long,
                        lambda i, j, fitted: _subtitle_cost(run, i, j, fitted, rules, layout.style.font_size))


def _best_groups(
    run: list[Word],
    layout: _Layout,
    max_words: int,
    stop: Callable[[list[Word]], bool],
    cost_of: Callable[[int, int, FittedText], float],
) -> list[tuple[list[Word], FittedText]]:
    """Split ``run`` into cues of at most ``max_words`` by dynamic programming (lowest total cost).

    A group stops growing when ``stop(group)`` says so or when it no longer fits
    the layout; a single word that fits nowhere raises through ``fit_or_fail``.
    """
    n = len(run)
    best: list[float] = [math.inf] * (n + 1)
    back: list[tuple[int, FittedText] | None] = [None] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] == math.inf:
            continue
        for j in range(i + 1, min(n, i + max_words) + 1):
            group = run[i:j]
            if stop(group):
                break
            single = j - i == 1
            fitted = layout.fit(group, shrink=single)
            if fitted is None:
                if not single:
                    break
                fitted = layout.fit_or_fail(group, i)
            cost = best[i] + cost_of(i, j, fitted)
            if cost < best[j]:
                best[j] = cost
                back[j] = (i, fitted)
    return _trace(run, back)


def _subtitle_cost(
    run: list[Word], i: int, j: int, fitted: FittedText, rules: CueRules, nominal_size: float
) -> float:
    """Cost of showing run[i:j] as one cue: fewer, fuller, readable cues that end at good places."""
    cost = 1.0 + 0.3 * fitted.cost  # every cue costs: prefer fewer, fuller, well-broken cues
    chars = sum(len(line) for line in fitted.lines)
    # Time it can stay: until the next word (or, at a run end, up to the max duration).
    start = run[i].start
    available = run[j].start - start if j < len(run) else rules.max_duration
    available = min(max(available, run[j - 1].end - start), rules.max_duration)
    seconds = max(float(available), 0.001)
    cps = chars / seconds
    if cps > rules.max_cps:
        cost += 0.5 * (cps - rules.max_cps)
    if available < rules.min_duration:
        cost += 2.0  # it could not stay on screen for the minimum time
    if j < len(run):
        penalty = german_break_cost(run[j - 1].text, run[j].text)
        cost += 2.0 * min(penalty, DANGLING_PENALTY)
    # A sentence ending inside a cue (not at its end) reads worse than a cue per sentence.
    cost += 1.5 * sum(1 for w in run[i : j - 1] if ends(w.text, _SENTENCE_END))
    if fitted.size < nominal_size:
        cost += 0.5
    if fitted.hyphenated:
        cost += 0.3
    return cost


# --------------------------------------------------------------------------- social


def build_social(
    words: Sequence[Word],
    style: CaptionStyle,
    rules: CueRules,
    cuts: Sequence[Fraction],
    end_limit: Fraction | None,
) -> list[Cue]:
    """Short punchy cues: 1 to ``social_max_words`` words, keeping word timing for the highlight."""
    layout = _Layout(style, None, rules.language)
    groups: list[tuple[list[Word], FittedText]] = []
    for run in chunks(words, cuts, rules.pause):
        groups.extend(_social_run(run, layout, rules))
    cues: list[Cue] = []
    for k, (group, fitted) in enumerate(groups):
        start = group[0].start
        limits = [group[-1].end + rules.social_hold, start + rules.max_duration]
        if k + 1 < len(groups):
            limits.append(groups[k + 1][0][0].start)
        elif end_limit is not None:
            limits.append(end_limit)
        cut = next_cut(start, cuts)
        if cut is not None:
            limits.append(cut)
        end = min(limits)
        if end <= start:
            end = start + Fraction(1, 1000)
        cues.append(Cue(start, end, fitted.lines, tuple(group)))
    return cues


def _social_run(run: list[Word], layout: _Layout, rules: CueRules) -> list[tuple[list[Word], FittedText]]:
    """Group a run into cues of 1..N words by dynamic programming.

    A word ending a clause or sentence always ends its cue; otherwise fuller,
    balanced groups that end at good break points win, and a cue ends on an
    article or preposition only if nothing else fits.
    """

    def clause_inside(group: list[Word]) -> bool:
        return any(ends(w.text, _SENTENCE_END + _CLAUSE_END) for w in group[:-1])

    return _best_groups(run, layout, rules.social_max_words, clause_inside,
                        lambda i, j, fitted: _social_cost(run, i, j, fitted, rules, layout.style.font_size))


def _social_cost(
    run: list[Word], i: int, j: int, fitted: FittedText, rules: CueRules, nominal_size: float
) -> float:
    cost = 1.0 + 0.2 * fitted.cost
    if j - i == 1:
        cost += 0.8  # lone words flicker by; two or three read better
    if j < len(run):
        penalty = german_break_cost(run[j - 1].text, run[j].text)
        cost += 1.5 * min(penalty, DANGLING_PENALTY)
    if fitted.size < nominal_size:
        cost += 0.5
    if fitted.hyphenated:
        cost += 0.3
    return cost


def _trace(run: list[Word], back: Sequence[tuple[int, FittedText] | None]) -> list[tuple[list[Word], FittedText]]:
    out: list[tuple[list[Word], FittedText]] = []
    j = len(run)
    while j > 0:
        step = back[j]
        assert step is not None
        i, fitted = step
        out.append((run[i:j], fitted))
        j = i
    return out[::-1]


# --------------------------------------------------------------------------- registry and facade

Builder = Callable[[Sequence[Word], CaptionStyle, CueRules, Sequence[Fraction], Fraction | None], list[Cue]]

#: caption style name -> cue builder. Adding a style is one function and one line here.
BUILDERS: dict[str, Builder] = {
    "social": build_social,
    "subtitle": build_subtitle,
}


def build(
    transcript: Transcript,
    style: str = "subtitle",
    caption_style: StyleSource = None,
    *,
    cuts: Sequence[Fraction] = (),
    rules: CueRules | None = None,
    terms: Sequence[str] = (),
) -> Cues:
    """Turn a transcript into caption cues for ``style`` (``social`` or ``subtitle``).

    Args:
        transcript: Words with times, on the timeline the cues are for.
        style: A name in :data:`BUILDERS`.
        caption_style: A :class:`CaptionStyle`, a brand kit (anything with
            ``.caption_style(style)``), or None for the neutral default.
        cuts: Times of cuts on that timeline; no cue crosses one.
        rules: Timing and length rules; broadcast defaults if None.
        terms: The channel's glossary terms (a web address among them is not flagged).

    The cues carry what a person must look at (:meth:`Cues.warnings`): the
    transcript's speech without words and unsaid words, and the cues
    :func:`vidcoop.captions.flags.flag_cues` flags.

    Raises:
        CaptionError: unknown style, or a word that cannot fit even at the
            style's minimum font size.
    """
    builder = BUILDERS.get(style)
    if builder is None:
        known = ", ".join(sorted(BUILDERS))
        raise CaptionError(f"unknown caption style {style!r} (known: {known})", field="style")
    resolved = resolve_style(style, caption_style)
    opts = rules or CueRules(language=(transcript.language or "de"))
    end_limit = transcript.duration if transcript.duration > 0 else None
    # a function word is never capitalised mid-sentence ("Wie spät ist Es" → "es")
    words = lower_function_words(transcript_words(transcript), language=opts.language, pause=opts.pause, cuts=cuts)
    cues = builder(words, resolved, opts, tuple(cuts), end_limit)
    flagged = flag_cues(cues, min_duration=opts.min_duration if style == "subtitle" else None, terms=terms)
    return Cues(tuple(cues), style=style, language=transcript.language, left_out=transcript.left_out,
                flagged=flagged, unsaid=transcript.unsaid)

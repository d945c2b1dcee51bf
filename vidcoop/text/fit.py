"""Fit text into a box by the real pixel width of a font.

Captions, job-board cards and brand cards all need the same thing: break a
text into at most N lines that never leave a given width, measured with the
font that will draw it, shrinking the font down to a minimum and hyphenating
long German compounds before giving up. Giving up is an error
(:class:`TextDoesNotFit`), never a cut-off line.

The main entry points:

* :func:`fit_text` - text, font, :class:`FitOptions` -> :class:`FittedText`
  (lines and the size they fit at), or :class:`TextDoesNotFit`.
* :func:`wrap_tokens` - the line breaker on its own (one size, no shrinking).

Its neighbours: :mod:`vidcoop.text.fonts` (widths in pixels, from Pillow),
:mod:`vidcoop.text.hyphenate` (where a compound may break) and
:mod:`vidcoop.text.breaks` (break costs: :func:`~vidcoop.text.breaks.german_break_cost`
never leaves an article or preposition at a line end).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vidcoop.errors import CaptionError
from vidcoop.text.breaks import EXTRA_LINE_COST, BreakCost, flat_break_cost, german_break_cost
from vidcoop.text.fonts import font_measure
from vidcoop.text.tokens import Token, line_text, split_by_letters, split_for_hyphenation, tokens_from_words

# --------------------------------------------------------------------------- wrapping


def _break_penalty(left: Token, right: Token, break_cost: BreakCost) -> float:
    if left.glue == "":  # inside a word: worse than any ordinary word break
        # German compounds join at a linking "s" (Heilerziehungs-pflegerin): a better place.
        return 0.9 if left.text.endswith("s") and len(left.text) >= 3 else 1.5
    return break_cost(left.word or left.text, right.word or right.text)


def wrap_tokens(
    tokens: Sequence[Token],
    measure: Callable[[str], float],
    max_width: float,
    max_lines: int,
    *,
    max_chars: int | None = None,
    break_cost: BreakCost = flat_break_cost,
    balance: float = 4.0,
) -> list[str] | None:
    """Break tokens into the fewest lines that fit, balanced, honouring break costs.

    Every line must be at most ``max_width`` pixels (and ``max_chars``
    characters). The layout with the lowest cost wins: the sum of break costs,
    ``balance`` times the squared deviation of each line from the mean width
    (as a share of ``max_width``), and :data:`EXTRA_LINE_COST` per line after
    the first, so fewer lines win unless they need a bad break (an article at a
    line end). Returns None when the tokens do not fit into ``max_lines`` lines.
    """
    laid = _wrap(tokens, measure, max_width, max_lines, max_chars, break_cost, balance)
    return None if laid is None else laid[0]


def _wrap(
    tokens: Sequence[Token],
    measure: Callable[[str], float],
    max_width: float,
    max_lines: int,
    max_chars: int | None,
    break_cost: BreakCost,
    balance: float = 4.0,
) -> tuple[list[str], float] | None:
    """:func:`wrap_tokens`, also returning the layout's cost."""
    n = len(tokens)
    if n == 0:
        return [], 0.0
    fewest = fewest_lines(tokens, measure, max_width, max_chars)
    if fewest > max_lines:
        return None  # early exit: longer than all the lines together
    line_cache: dict[tuple[int, int], tuple[str, float] | None] = {}

    def line(i: int, j: int) -> tuple[str, float] | None:
        key = (i, j)
        if key not in line_cache:
            text = line_text(tokens[i:j], final=j == n)
            width = measure(text)
            fits = width <= max_width + 1e-6 and (max_chars is None or len(text) <= max_chars)
            line_cache[key] = (text, width) if fits else None
        return line_cache[key]

    chosen: tuple[list[str], float] | None = None
    for count in range(fewest, min(max_lines, n) + 1):
        result = _best_layout(n, count, tokens, line, measure, max_width, break_cost, balance)
        if result is None:
            continue
        total = result[1] + EXTRA_LINE_COST * (count - 1)
        if chosen is None or total < chosen[1]:
            chosen = (result[0], total)
        if chosen[1] <= EXTRA_LINE_COST * count:
            break  # more lines cannot do better
    return chosen


#: A line of pieces measured apart is at least this share of their summed widths (kerning at the joins).
_JOIN_SLACK = 0.75


def fewest_lines(
    tokens: Sequence[Token], measure: Callable[[str], float], max_width: float, max_chars: int | None = None
) -> int:
    """A lower bound on the lines ``tokens`` need: their widths (and characters) added up, spaces left out.

    Each word is measured once (and cached, as the line breaker measures it anyway), so a text many
    times longer than its box is given up on at once instead of searched line by line (#31: a
    10,000-character title took minutes).
    """
    width = sum(measure(t.text) for t in tokens) * _JOIN_SLACK
    lines = math.ceil(width / max_width) if max_width > 0 else (len(tokens) if width > 0 else 1)
    if max_chars:
        lines = max(lines, math.ceil(sum(len(t.text) for t in tokens) / max_chars))
    return max(1, lines)


def _widest_line(n: int, line: Callable[[int, int], tuple[str, float] | None]) -> int:
    """At least the most tokens one line can hold: a line that starts later never ends earlier.

    One token is added for a line that ends in a hyphen being wider than one that goes on with a
    letter narrower than the hyphen ("…pflegeri-" vs. "…pflegerin").
    """
    most, j = 1, 1
    for i in range(n):
        j = max(j, i + 1)
        while j < n and line(i, j + 1) is not None:
            j += 1
        most = max(most, j - i)
    return most + 1


def _best_layout(
    n: int,
    count: int,
    tokens: Sequence[Token],
    line: Callable[[int, int], tuple[str, float] | None],
    measure: Callable[[str], float],
    max_width: float,
    break_cost: BreakCost,
    balance: float,
) -> tuple[list[str], float] | None:
    if count == 1:
        single = line(0, n)
        return ([single[0]], 0.0) if single else None
    target = measure(line_text(tokens, final=True)) / count
    inf = math.inf
    # best[k][j]: cost of laying tokens[:j] in k lines; back[k][j]: where line k starts.
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[-1] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    # A break's penalty depends only on where it is: rate each place once, not once per line and start.
    penalties = [_break_penalty(tokens[j - 1], tokens[j], break_cost) for j in range(1, n)]
    widest = _widest_line(n, line)
    first = last = 0  # line k can start only where best[k - 1] is finite: between first and last
    for k in range(1, count + 1):
        # Line k must end where the lines after it can still hold the rest.
        ends = [n] if k == count else range(max(first + 1, n - (count - k) * widest), n + 1)
        reached: list[int] = []
        for j in ends:
            if j > last and line(last, j) is None and (j == n or line(last, j + 1) is None):
                break  # early exit: no start reaches j, nor any later end (lines only get wider)
            for i in range(j - 1, k - 2, -1):
                laid = line(i, j)
                if laid is None:
                    break  # a line only gets wider as it starts earlier: no start before i fits either
                if best[k - 1][i] == inf:
                    continue
                cost = best[k - 1][i] + balance * ((laid[1] - target) / max_width) ** 2
                if j < n:
                    penalty = penalties[j - 1]
                    if penalty == inf:
                        continue
                    cost += penalty
                if cost < best[k][j]:
                    best[k][j] = cost
                    back[k][j] = i
            if best[k][j] < inf:
                reached.append(j)
        if not reached:
            return None
        first, last = reached[0], reached[-1]
    if best[count][n] == inf:
        return None
    lines: list[str] = []
    j = n
    for k in range(count, 0, -1):
        i = back[k][j]
        laid = line(i, j)
        assert laid is not None
        lines.append(laid[0])
        j = i
    return lines[::-1], best[count][n]


# --------------------------------------------------------------------------- fitting


class TextDoesNotFit(CaptionError):
    """Text does not fit the box even at the smallest size with hyphenation."""


@dataclass(frozen=True)
class FitOptions:
    """Where text must fit, and how far the fitter may go to make it fit.

    Attributes:
        max_width: Widest a line may be, in pixels.
        size: Preferred em size in pixels.
        min_size: Smallest em size allowed (defaults to ``size``: no shrinking).
        max_lines: Most lines allowed.
        size_step: How many pixels to shrink per attempt.
        max_chars: Most characters per line, if limited (subtitles: 42).
        hyphenate: Split long words at hyphenation points when needed.
        language: Language for hyphenation (``de``, ``en``).
        prefer: ``hyphenate`` keeps the size and hyphenates first (better for
            readability); ``shrink`` tries every size before hyphenating.
        uppercase: Measure the text as capitals (lines keep their own case; the
            renderer draws them in capitals).
        break_cost: Rule for where lines may break (see :func:`german_break_cost`).
    """

    max_width: float
    size: float
    min_size: float | None = None
    max_lines: int = 2
    size_step: float = 2
    max_chars: int | None = None
    hyphenate: bool = True
    language: str = "de"
    prefer: Literal["hyphenate", "shrink"] = "hyphenate"
    uppercase: bool = False
    break_cost: BreakCost = field(default=german_break_cost, compare=False)

    def sizes(self) -> list[float]:
        """Sizes to try, largest first."""
        low = self.size if self.min_size is None else min(self.min_size, self.size)
        out: list[float] = []
        current = self.size
        while current > low + 1e-9:
            out.append(current)
            current -= max(self.size_step, 0.5)
        out.append(low)
        return out


@dataclass(frozen=True)
class FittedText:
    """Text broken into lines at the size where it fits.

    Attributes:
        lines: The lines, exactly as to draw them.
        size: The em size in pixels they fit at.
        widths: Pixel width of each line at that size.
        hyphenated: True if a word had to be hyphenated.
        cost: The line breaker's cost of this layout (0 for one line; higher is worse).
    """

    lines: tuple[str, ...]
    size: float
    widths: tuple[float, ...]
    hyphenated: bool = False
    cost: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def fit_tokens(
    font_file: str | Path,
    tokens: Sequence[Token],
    options: FitOptions,
    *,
    max_lines: int | None = None,
) -> FittedText | None:
    """Fit prepared tokens; None if they do not fit (see :func:`fit_text`)."""
    lines_allowed = options.max_lines if max_lines is None else max_lines
    sizes = options.sizes()
    attempts: list[tuple[float, bool]]
    if not options.hyphenate:
        attempts = [(s, False) for s in sizes]
    elif options.prefer == "shrink":
        attempts = [(s, False) for s in sizes] + [(s, True) for s in sizes]
    else:
        attempts = [(s, h) for s in sizes for h in (False, True)]
    for size, hyphenate in attempts:
        measure = _measure_for(font_file, size, options.uppercase)
        laid = list(tokens)
        if fewest_lines(laid, measure, options.max_width, options.max_chars) > lines_allowed:
            continue  # early exit: hyphenation only adds width, so no split can make this fit
        if hyphenate:
            if not any(_overlong(t.text, measure, options) for t in laid):
                continue  # only words that cannot stand alone are hyphenated
            laid = _hyphenated(laid, measure, options)
        wrapped = _wrap(laid, measure, options.max_width, lines_allowed, options.max_chars, options.break_cost)
        if wrapped is not None:
            lines, cost = wrapped
            return FittedText(tuple(lines), size, tuple(measure(x) for x in lines), hyphenate, cost)
    return None


def _hyphenated(tokens: list[Token], measure: Callable[[str], float], options: FitOptions) -> list[Token]:
    out: list[Token] = []
    for tok in tokens:
        if not _overlong(tok.text, measure, options):
            out.append(tok)
            continue
        pieces = split_for_hyphenation(tok, options.language)
        for piece in pieces:
            too_wide = measure(piece.text + ("-" if piece.hyphen else "")) > options.max_width
            too_long = options.max_chars is not None and len(piece.text) + 1 > options.max_chars
            if too_wide or too_long:
                limited = _char_limited(measure, options.max_chars)
                out.extend(split_by_letters(piece, limited, options.max_width))
            else:
                out.append(piece)
    return out


def _measure_for(font_file: str | Path, size: float, uppercase: bool) -> Callable[[str], float]:
    """Width function at ``size``; with ``uppercase`` it measures the text as capitals."""
    width = font_measure(str(font_file), size).width
    if not uppercase:
        return width
    return lambda text: width(text.upper())


def _overlong(text: str, measure: Callable[[str], float], options: FitOptions) -> bool:
    """True for a word that cannot stand on a line of its own."""
    too_long = options.max_chars is not None and len(text) > options.max_chars
    return too_long or measure(text) > options.max_width


def _char_limited(measure: Callable[[str], float], max_chars: int | None) -> Callable[[str], float]:
    if max_chars is None:
        return measure

    def limited(text: str) -> float:
        return math.inf if len(text) > max_chars else measure(text)

    return limited


def fit_text(
    text: str,
    font_file: str | Path,
    options: FitOptions,
    *,
    field: str | None = None,
    path: str | Path | None = None,
) -> FittedText:
    """Break ``text`` into lines that fit ``options.max_width`` with the real font.

    Tries the preferred size first, then hyphenation and smaller sizes down to
    ``options.min_size`` (order set by ``options.prefer``). Existing line
    breaks in ``text`` are treated as spaces: the fitter decides the lines.

    Raises:
        TextDoesNotFit: the text cannot fit, even at the minimum size with
            hyphenation. ``field``/``path`` are put on the error so callers can
            name the offending data row.
    """
    words = text.split()
    if not words:
        return FittedText((), options.size, (), False)
    fitted = fit_tokens(font_file, tokens_from_words(words), options)
    if fitted is None:
        raise TextDoesNotFit(
            f"text does not fit into {options.max_lines} line(s) of {options.max_width:g} px "
            f"even at {options.sizes()[-1]:g} px: {text[:60]!r}",
            field=field,
            path=path,
            hint="shorten the text or allow more lines / a smaller minimum size",
        )
    return fitted


def fit_lines(lines: Sequence[str], font_file: str | Path, options: FitOptions) -> float | None:
    """Largest size (down to ``min_size``) at which every given line fits as it is."""
    for size in options.sizes():
        measure = font_measure(str(font_file), size)
        shown = [x.upper() if options.uppercase else x for x in lines]
        if all(measure.width(x) <= options.max_width + 1e-6 for x in shown):
            return size
    return None

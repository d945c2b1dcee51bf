"""Kept sentences become segments, with clean edges.

A cut never falls inside a kept word. Each edge looks for the quietest 10 ms within
:attr:`CutOptions.reach` (120 ms) of the word boundary, on the frame grid of the output rate
(so every segment is whole frames and its start a frame boundary), never into a stretch a
suggestion cuts out, and into a dropped neighbour word only where the sound says the
recogniser timed it wrong. Each segment carries a short audio fade (:attr:`CutOptions.fade`, 8 ms) on both sides,
which the render compiles as ``afade`` (``Segment.fade``). Suggestions change the cut only
when accepted: an accepted filler or uncovered voice is cut out, an accepted pause shortened,
an accepted retake drops the earlier take.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.errors import ManifestError
from vidcoop.roughcut.levels import SourceAudio
from vidcoop.roughcut.suggest import Suggestion
from vidcoop.roughcut.transcript import SourceTranscript
from vidcoop.timeline.model import Segment
from vidcoop.timing import frames_to_time, snap, to_frames

#: How much louder a cut point inside a (dropped) word counts than the same level outside words.
_IN_WORD_DB = 12.0
#: Below this level (dBFS) every spot is as quiet as any other: room noise, not speech.
_QUIET_DB = -55.0
_RANGE = re.compile(r"^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$")


@dataclass(frozen=True)
class CutOptions:
    """Where edges go.

    Attributes:
        fps: The output frame rate; every cut lands on its grid (29.97 is ``Fraction(30000, 1001)``).
        fade: The audio fade on both sides of every cut (5 to 10 ms against clicks).
        reach: How far from the word boundary an edge may move to find quiet.
        keep_pause: What an accepted ``pause`` suggestion is shortened to.
    """

    fps: Fraction = Fraction(30)
    fade: Fraction = Fraction(8, 1000)
    reach: Fraction = Fraction(12, 100)
    keep_pause: Fraction = Fraction(3, 10)

    def __post_init__(self) -> None:
        if self.fps <= 0:
            raise ValueError("fps must be positive")


@dataclass(frozen=True)
class Piece:
    """A kept range of the source and the words spoken in it (source seconds)."""

    source: Path
    start: Fraction
    end: Fraction
    words: tuple[Word, ...]

    @property
    def duration(self) -> Fraction:
        return self.end - self.start


@dataclass(frozen=True)
class RoughCut:
    """The result of a rough cut: pieces in order, ready to become segments and captions."""

    source: Path
    pieces: tuple[Piece, ...]
    options: CutOptions = CutOptions()
    language: str = "de"

    @property
    def sources(self) -> tuple[Path, ...]:
        """Every source the pieces come from, once each, in order of first use."""
        return tuple(dict.fromkeys(p.source for p in self.pieces)) or (self.source,)

    def moved(self, order: Sequence[int]) -> RoughCut:
        """The pieces in a new order (``order`` lists piece indices; pieces left out are dropped)."""
        return replace(self, pieces=tuple(self.pieces[i] for i in order))

    def nudged(self, index: int, edge: str, frames: int) -> RoughCut:
        """Piece ``index`` with its ``"start"`` or ``"end"`` moved by whole frames (the studio's one-frame nudge).

        Raises:
            ValueError: the edge is neither, or the piece would end before it starts.
        """
        piece = self.pieces[index]
        step = frames_to_time(frames, self.options.fps)
        if edge not in ("start", "end"):
            raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
        start = max(Fraction(0), piece.start + step) if edge == "start" else piece.start
        end = piece.end + step if edge == "end" else piece.end
        if end <= start:
            raise ValueError("a piece must end after it starts")
        pieces = list(self.pieces)
        pieces[index] = replace(piece, start=start, end=end,
                                words=tuple(w for w in piece.words if start <= (w.start + w.end) / 2 < end))
        return replace(self, pieces=tuple(pieces))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, for a page's instant preview (play each range of its source by seeking)."""
        return {
            "fps": str(self.options.fps),
            "fade": float(self.options.fade),
            "pieces": [{"source": str(p.source), "start": float(p.start), "end": float(p.end),
                        "start_exact": str(p.start), "end_exact": str(p.end),
                        "text": " ".join(w.text for w in p.words)} for p in self.pieces],
        }

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(Segment(p.source, start=p.start, end=p.end, fade=self.options.fade) for p in self.pieces)

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for p in self.pieces for w in p.words)

    def timeline_starts(self, crossfade: Fraction = Fraction(0), offset: Fraction = Fraction(0)) -> list[Fraction]:
        """Where each piece starts on the episode timeline, as the render's plan places them."""
        fps = self.options.fps
        overlap = frames_to_time(to_frames(crossfade, fps), fps)
        starts, t = [], offset
        for piece in self.pieces:
            starts.append(t)
            t += frames_to_time(to_frames(piece.duration, fps), fps) - overlap
        return starts

    def transcript(self, starts: Sequence[Fraction] | None = None) -> Transcript:
        """The kept words on the episode timeline (no second transcription): one segment per piece."""
        starts = list(starts) if starts is not None else self.timeline_starts()
        segments = []
        for piece, at in zip(self.pieces, starts, strict=True):
            def moved(t: Fraction, piece: Piece = piece, at: Fraction = at) -> Fraction:
                return at + min(max(t, piece.start), piece.end) - piece.start

            words = tuple(replace(w, start=moved(w.start), end=moved(w.end)) for w in piece.words)
            if words:
                segments.append(TranscriptSegment(" ".join(w.text for w in words), words[0].start,
                                                  words[-1].end, words))
        end = max((at + p.duration for p, at in zip(self.pieces, starts, strict=True)), default=Fraction(0))
        return Transcript(tuple(segments), self.language, "rough-cut", "transcript", end)


def parse_keep(text: str, count: int | None = None, *, path: Path | None = None) -> list[int]:
    """``"1-3,5,8"`` as sentence numbers in the order given (each once), checked against ``count``.

    With ``count=None`` only the form is checked (before a source is transcribed).

    Raises:
        ManifestError: naming the ``keep`` field: not a list of numbers and ranges, or a number
            outside 1..count.
    """
    numbers: list[int] = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise ManifestError(f"keep: {part.strip()!r} is not a sentence number or a range like 1-3",
                                path=path, field="keep")
        a = int(match[1])
        b = int(match[2]) if match[2] else a
        if b < a or a < 1:
            raise ManifestError(f"keep: range {a}-{b} runs backwards" if b < a else "keep: sentences count from 1",
                                path=path, field="keep")
        for n in range(a, b + 1):
            if count is not None and n > count:
                raise ManifestError(f"keep: there is no sentence {n} (the transcript has {count})",
                                    path=path, field="keep")
            if n not in numbers:
                numbers.append(n)
    return numbers


@dataclass(frozen=True)
class WordRange:
    """Words ``first`` to ``last`` (inclusive; indices among all the transcript's words): a selection
    that need not follow sentence ends."""

    first: int
    last: int


def plan_cut(st: SourceTranscript, audio: SourceAudio, keep: Iterable[int | WordRange],
             accept: Iterable[Suggestion] = (), options: CutOptions | None = None) -> RoughCut:
    """The pieces for the kept sentences or word ranges ``keep`` (in the order given), with ``accept`` applied.

    ``keep`` holds sentence numbers (1-based) and :class:`WordRange` s. What is kept in transcript
    order without a gap forms one run; a run is split where an accepted suggestion removes
    something inside it (an accepted retake removes the earlier take's words).

    Raises:
        ManifestError: a sentence number or word outside the transcript (field ``keep``).
    """
    opts = options or CutOptions()
    accepted = list(accept)
    takes = {i for s in accepted if s.kind == "retake" for i in range(s.after + 1, s.before)}
    fillers = {s.before - 1 for s in accepted if s.kind == "filler"}
    gaps: dict[int, Suggestion] = {}
    for s in accepted:  # uncovered voice wins over a pause in the same gap: cutting it removes the pause too
        if s.kind == "voice" or (s.kind == "pause" and s.after not in gaps):
            gaps[s.after] = s
    edges = _Edges(st, audio, opts)
    words = st.words
    pieces: list[Piece] = []
    for first, last in _runs(st, keep, takes):
        kept = [i for i in range(first, last + 1) if i not in fillers]
        if not kept:
            continue
        start, inside = edges.cut_in(kept[0]), [kept[0]]
        for a, b in itertools.pairwise(kept):
            cut = edges.between(a, b, gaps.get(a) if b == a + 1 else None)
            if cut is not None:
                out, nxt = cut
                pieces.append(Piece(st.source, start, out, tuple(words[i] for i in inside)))
                start, inside = nxt, []
            inside.append(b)
        pieces.append(Piece(st.source, start, edges.cut_out(kept[-1]), tuple(words[i] for i in inside)))
    return RoughCut(st.source, tuple(p for p in pieces if p.end > p.start), opts,
                    st.transcript.language or "de")


def _runs(st: SourceTranscript, keep: Iterable[int | WordRange], takes: set[int]) -> list[tuple[int, int]]:
    """Word index ranges kept: neighbours kept in order join into one run; dropped takes split runs."""
    count, total = len(st.sentences), len(st.words)
    runs: list[tuple[int, int]] = []
    seen: set[int] = set()
    for item in keep:
        if isinstance(item, WordRange):
            if not 0 <= item.first <= item.last < total:
                raise ManifestError(f"keep: words {item.first}-{item.last} are not in the transcript "
                                    f"({total} words)", path=st.source, field="keep")
            first, last = item.first, item.last
        else:
            if not 1 <= item <= count:
                raise ManifestError(f"keep: there is no sentence {item} (the transcript has {count})",
                                    path=st.source, field="keep")
            first, last = st.sentences[item - 1].first, st.sentences[item - 1].last
        for i in range(first, last + 1):
            if i in seen or i in takes:
                continue
            seen.add(i)
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
    return runs


class _Edges:
    """Edge placement on one source: the quietest 10 ms on the frame grid near a word boundary."""

    def __init__(self, st: SourceTranscript, audio: SourceAudio, opts: CutOptions) -> None:
        self.words = st.words
        self.audio = audio
        self.opts = opts
        self.end = max(audio.duration, st.duration, self.words[-1].end if self.words else Fraction(0))
        self.starts = [w.start for w in self.words]

    def cut_in(self, i: int, bound: Fraction | None = None) -> Fraction:
        """An in-point before word ``i``: not after its start, nor before ``bound`` (a stretch cut out)."""
        w = self.words[i]
        # A word timed late (its voice began earlier) widens the window to its voice's start.
        voice = self.audio.voice_around(w.start)
        head = min(w.start, voice[0]) if voice is not None else w.start
        prev = self.words[i - 1].end if i > 0 else Fraction(0)
        lo = max(bound if bound is not None else Fraction(0), min(w.start - self.opts.reach,
                                                                  max(head - self.opts.reach, prev)), Fraction(0))
        return self._quietest(lo, w.start, fallback=self._floor(w.start), prefer=lo)

    def cut_out(self, i: int, bound: Fraction | None = None) -> Fraction:
        """An out-point after word ``i``: not before its end, nor after ``bound`` (a stretch cut out)."""
        w = self.words[i]
        # A word timed early (its voice goes on, as a last word's often does) widens the window to its
        # voice's end, never into the next word.
        voice = self.audio.voice_around(w.end)
        tail = max(w.end, voice[1]) if voice is not None else w.end
        nxt = self.starts[i + 1] if i + 1 < len(self.starts) else self.end
        hi = min(bound if bound is not None else self.end, max(w.end + self.opts.reach,
                                                               min(tail + self.opts.reach, nxt)), self.end)
        return self._quietest(w.end, hi, fallback=self._ceil(w.end), prefer=hi)

    def between(self, a: int, b: int, gap: Suggestion | None) -> tuple[Fraction, Fraction] | None:
        """(out, in) for a cut between kept words ``a`` and ``b``, or None when they stay joined."""
        if b > a + 1:  # fillers cut out between them: the cut stays off them
            out, nxt = self.cut_out(a, self.words[a + 1].start), self.cut_in(b, self.words[b - 1].end)
        elif gap is not None and gap.kind == "voice":
            out, nxt = self.cut_out(a, gap.start), self.cut_in(b, gap.end)
        elif gap is not None and gap.kind == "pause":
            half = self.opts.keep_pause / 2
            out, nxt = self._ceil(gap.start + half), self._floor(gap.end - half)
        else:
            return None
        return (out, nxt) if nxt > out else None

    def _floor(self, t: Fraction) -> Fraction:
        return frames_to_time(math.floor(t * self.opts.fps), self.opts.fps)

    def _ceil(self, t: Fraction) -> Fraction:
        return frames_to_time(math.ceil(t * self.opts.fps), self.opts.fps)

    def _quietest(self, lo: Fraction, hi: Fraction, *, fallback: Fraction, prefer: Fraction) -> Fraction:
        """The frame boundary in ``[lo, hi]`` whose 10 ms are quietest.

        Levels under :data:`_QUIET_DB` count as equal. Of spots within 1 dB of the quietest, the one
        nearest ``prefer`` (the far end of the window from the kept word) wins: in even silence, a join
        keeps up to ``reach`` of pause on each side rather than butting the words together.

        The window may reach past a dropped neighbour word's edge as the recogniser timed it (a word
        after a pause often starts early, a last word ends early): a spot inside a word counts as
        :data:`_IN_WORD_DB` louder, so the sound decides only where the word times are doubtful.
        """
        fps = self.opts.fps
        candidates = [frames_to_time(k, fps) for k in range(math.ceil(lo * fps), math.floor(hi * fps) + 1)]
        if not candidates:
            return fallback
        levels = [max(self.audio.level_at(t), _QUIET_DB) + (_IN_WORD_DB if self._in_word(t) else 0.0)
                  for t in candidates]
        quiet = min(levels) + 1.0  # within 1 dB counts as as quiet
        return min((t for t, level in zip(candidates, levels, strict=True) if level <= quiet),
                   key=lambda t: abs(t - prefer))

    def _in_word(self, t: Fraction) -> bool:
        i = bisect.bisect_left(self.starts, t)  # words [0, i) start before t
        return i > 0 and self.words[i - 1].end > t


def join_cuts(*cuts: RoughCut) -> RoughCut:
    """Several rough cuts (of one source or several) played one after the other.

    Raises:
        ValueError: no cut, or cuts for different frame rates.
    """
    if not cuts:
        raise ValueError("join_cuts needs at least one cut")
    if len({c.options.fps for c in cuts}) > 1:
        raise ValueError("the cuts are on different frame grids")
    return replace(cuts[0], pieces=tuple(p for c in cuts for p in c.pieces))


def cut_from_ranges(transcripts: Mapping[Path, SourceTranscript], ranges: Sequence[tuple[Path, Fraction, Fraction]],
                    options: CutOptions | None = None) -> RoughCut:
    """A cut from explicit ``(source, start, end)`` ranges, as a page sends them back after nudges and moves.

    Each edge goes to the nearest frame of the output rate; a piece holds the words whose middle
    lies inside it (from that source's transcript).

    Raises:
        ManifestError: no range, a source without a transcript, or a range that ends before it starts
            (field ``ranges.N``).
    """
    opts = options or CutOptions()
    if not ranges:
        raise ManifestError("a rough cut needs at least one kept range", field="ranges")
    pieces = []
    for i, (source, start, end) in enumerate(ranges):
        st = transcripts.get(Path(source))
        if st is None:
            raise ManifestError("no transcript for this source", path=source, field=f"ranges.{i}.source")
        a, b = snap(Fraction(start), opts.fps), snap(Fraction(end), opts.fps)
        if b <= a:
            raise ManifestError("a range must end at least one frame after it starts", path=source,
                                field=f"ranges.{i}")
        pieces.append(Piece(Path(source), a, b, tuple(w for w in st.words if a <= (w.start + w.end) / 2 < b)))
    first = transcripts[Path(ranges[0][0])]
    return RoughCut(first.source, tuple(pieces), opts, first.transcript.language or "de")

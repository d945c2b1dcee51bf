"""Where each segment sits on the episode timeline (pure, no file access).

Segments play one after another; with ``Episode.crossfade`` every two
neighbours overlap by that much, so segment ``i`` starts at the sum of the
earlier lengths minus ``i`` crossfades. A segment's length is ``end - start``
when both are known, ``duration`` for stills, and otherwise needs the source
file's probed length. Callers pass lengths in as ``durations`` so this stays
pure: a mapping ``{source path: file length}`` (what a probe gives), or a
callable ``segment -> segment length | None`` (what a render plan knows,
after trimming and frame snapping; it wins over in/out points).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from vidcoop.media.probing import probe
from vidcoop.timeline.model import ClipSource, Episode, Segment

#: ``{source path: file length}`` or ``segment -> the segment's own length | None``.
Durations = Mapping[Path, Fraction] | Callable[[Segment], "Fraction | None"]


@dataclass(frozen=True)
class Span:
    """A segment's place on the episode timeline.

    Attributes:
        index: Position in ``Episode.segments``.
        start, end: Episode time (seconds) where it begins and ends.
        kind, partner: Copied from the segment, for policy checks and reports.
        field: Manifest field of the segment (``segments.3``).
    """

    index: int
    start: Fraction
    end: Fraction
    kind: str
    partner: str | None = None
    field: str | None = None

    @property
    def length(self) -> Fraction:
        return self.end - self.start

    def covers(self, start: Fraction, end: Fraction) -> bool:
        """True when ``[start, end]`` lies within this span."""
        return self.start <= start and end <= self.end


def _source_length(segment: Segment, durations: Mapping[Path, Fraction] | None) -> Fraction | None:
    if durations is None or isinstance(segment.source, ClipSource):
        return None
    for key in (segment.source, Path(segment.source).resolve()):
        if key in durations:
            return Fraction(durations[key])
    return None


def segment_length(segment: Segment, durations: Durations | None = None) -> Fraction | None:
    """How long ``segment`` runs, or None when that needs a probe nobody passed.

    A callable ``durations`` answers first (the plan's exact length); then
    ``end - start`` when ``end`` is set; a still's ``duration``; else the
    source file's length (from a ``durations`` mapping) minus ``start``.
    """
    if callable(durations):
        value = durations(segment)
        if value is not None:
            return Fraction(value)
        durations = None
    start = segment.start or Fraction(0)
    if segment.end is not None:
        return segment.end - start
    if segment.duration is not None:
        return segment.duration
    total = _source_length(segment, durations)
    return None if total is None else total - start


class UnknownLength(ValueError):
    """A segment's length needs a probed source duration that was not given."""

    def __init__(self, index: int, segment: Segment) -> None:
        self.index = index
        self.segment = segment
        super().__init__(f"length of segment {index} ({segment.source}) needs its probed source duration")


def segment_spans(episode: Episode, durations: Durations | None = None) -> tuple[Span, ...]:
    """Every segment's span on the episode timeline, crossfade overlaps taken off.

    Raises:
        UnknownLength: when a segment's length cannot be known without a probe.
    """
    spans = []
    cursor = Fraction(0)
    fade = episode.crossfade
    for i, seg in enumerate(episode.segments):
        length = segment_length(seg, durations)
        if length is None:
            raise UnknownLength(i, seg)
        start = cursor if i == 0 else cursor - fade
        spans.append(Span(i, start, start + length, seg.kind, seg.partner, seg.field or f"segments.{i}"))
        cursor = start + length
    return tuple(spans)


def episode_length(spans: tuple[Span, ...]) -> Fraction:
    """Total running time of the timeline."""
    return spans[-1].end if spans else Fraction(0)


def probed_durations(episode: Episode) -> dict[Path, Fraction]:
    """Probe (PyAV) only the sources whose segments need a file length; for CLI checks.

    Raises:
        MediaError: for a source that cannot be opened.
    """
    found: dict[Path, Fraction] = {}
    for seg in episode.segments:
        if isinstance(seg.source, ClipSource) or segment_length(seg) is not None or seg.source in found:
            continue
        info = probe(seg.source)
        if info.duration is not None:
            found[Path(seg.source)] = info.duration
    return found

"""Episode-level audio steps the renderer runs before planning.

* :func:`tighten_episode`: every ``tighten: true`` segment becomes several
  sub-segments holding only its sounding parts (see :func:`tighten_ranges`);
  because later stages see ordinary segments, captions and the timeline
  follow the cuts.
* :func:`level_match_episode`: bumpers, intros, outros and cards that are
  louder than the episode body are turned down (``Segment.volume``) so no
  partner bumper ever jumps out; the final loudnorm then lifts the mix.

Both return a new :class:`~vidcoop.timeline.model.Episode`; nothing is
changed in place.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from vidcoop.audio.loudness import LoudnessStats, level_match_gains, measure_span
from vidcoop.audio.tighten import TightenOptions, tighten_ranges
from vidcoop.media.probing import probe
from vidcoop.timeline.model import Episode, Segment

#: Segment kinds that are matched down to the body's loudness.
MATCHED_KINDS = ("bumper", "intro", "outro", "card", "endcard", "title")
# A cut piece shorter than this is merged into its neighbour (one word is longer).
_MIN_PIECE = Fraction(1, 4)


def tighten_episode(episode: Episode, options: TightenOptions | None = None) -> Episode:
    """Replace each ``tighten`` segment by its sounding parts.

    A segment without audio, or one that is silent throughout, is kept as it
    is (there is nothing to tell speech from pauses). Sub-segments keep the
    segment's field (``segments.2``) for error messages and get labels
    ``<label> (1/3)``.

    Raises:
        MediaError: a source cannot be decoded.
    """
    if not any(seg.tighten for seg in episode.segments):
        return episode
    opts = options or TightenOptions()
    out: list[Segment] = []
    for seg in episode.segments:
        out.extend(_tighten_segment(seg, opts, episode.crossfade) if seg.tighten else [seg])
    return replace(episode, segments=tuple(out))


def level_match_episode(
    episode: Episode, *, kinds: tuple[str, ...] = MATCHED_KINDS, headroom: float = 1.0
) -> Episode:
    """Turn down matched segments that are louder than the body (minus ``headroom`` LU).

    The reference is the duration-weighted energy mean of the body segments'
    loudness; without body audio nothing is changed.

    Raises:
        MediaError, RenderError: a source cannot be measured.
    """
    body: list[tuple[LoudnessStats, Fraction]] = []
    matched: dict[int, LoudnessStats] = {}
    with_audio = [isinstance(seg.source, Path) and _has_audio(seg.source) for seg in episode.segments]
    if not any(has and seg.kind in kinds for seg, has in zip(episode.segments, with_audio, strict=True)):
        return episode  # nothing to turn down: measuring the body would be wasted ffmpeg runs
    for i, seg in enumerate(episode.segments):
        if not with_audio[i]:
            continue
        assert isinstance(seg.source, Path)
        if seg.kind == "body":
            stats = measure_span(seg.source, seg.start, seg.end)
            if not stats.is_silent:
                body.append((stats, _length(seg)))
        elif seg.kind in kinds:
            matched[i] = measure_span(seg.source, seg.start, seg.end)
    if not body or not matched:
        return episode
    reference = _energy_mean(body)
    gains = level_match_gains(matched, reference, headroom=headroom)
    segments = list(episode.segments)
    for index in matched:
        if gains[index] < 0:
            seg = segments[index]
            segments[index] = replace(seg, volume=seg.volume * 10 ** (gains[index] / 20))
    return replace(episode, segments=tuple(segments))


def _tighten_segment(seg: Segment, options: TightenOptions, crossfade: Fraction) -> list[Segment]:
    if not isinstance(seg.source, Path) or not _has_audio(seg.source):
        return [seg]
    start = seg.start or Fraction(0)
    end = seg.end if seg.end is not None else _source_end(seg.source)
    if end is None or end <= start:
        return [seg]
    ranges = tighten_ranges(seg.source, start, end, min_silence=options.min_silence,
                            keep_pause=options.keep_pause, threshold_db=options.threshold_db)
    shortest = max(_MIN_PIECE, 2 * crossfade)
    merged: list[list[Fraction]] = []
    for a, b in ranges:
        if merged and (b - a < shortest or merged[-1][1] - merged[-1][0] < shortest):
            merged[-1][1] = b
        else:
            merged.append([a, b])
    if not merged:
        return [seg]
    label = seg.label or seg.source.name
    n = len(merged)
    return [
        replace(seg, start=a, end=b, tighten=False, label=f"{label} ({i + 1}/{n})" if n > 1 else seg.label)
        for i, (a, b) in enumerate(merged)
    ]


def _has_audio(path: Path) -> bool:
    return probe(path).has_audio


def _source_end(path: Path) -> Fraction | None:
    return probe(path).duration


def _length(seg: Segment) -> Fraction:
    if seg.end is not None:
        return seg.end - (seg.start or Fraction(0))
    if seg.duration is not None:
        return seg.duration
    end = _source_end(seg.source) if isinstance(seg.source, Path) else None
    return (end - (seg.start or Fraction(0))) if end is not None else Fraction(1)


def _energy_mean(items: list[tuple[LoudnessStats, Fraction]]) -> float:
    total = sum(float(d) for _, d in items) or 1.0
    energy = sum(float(d) * 10 ** (s.integrated / 10) for s, d in items) / total
    return 10 * math.log10(energy)

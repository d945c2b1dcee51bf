"""Make an episode's cover: pick (or take) a frame on the episode timeline, add the title.

A time on the episode timeline (as rendered: the format's intro and outro
from the kit included) is mapped to the segment playing then and the
matching source time (crossfades included, via
:func:`vidcoop.channel.spans.segment_spans`). Without a time, candidate
frames spread over the episode's body segments are scored and the sharpest
non-black one wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.cover.compose import CoverStyle, TitleLayout, compose_cover
from vidcoop.cover.frames import Candidate, best, decode_frames, score
from vidcoop.errors import ManifestError, MediaError
from vidcoop.files import atomic_save_image, work_dir
from vidcoop.timeline.model import ClipSource, Episode, Segment

_STILL_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}
DEFAULT_CANDIDATES = 12


@dataclass(frozen=True)
class CoverOptions:
    """Choices for one cover.

    Attributes:
        at: Time on the episode timeline to take the frame from; None = pick automatically.
        title: Text on the cover; None = the episode's title.
        kit: Brand kit (name, folder or kit.yaml) for font, colours and safe zone;
            None = the episode channel's kit, else the neutral kit.
        candidates: How many frames the automatic pick decodes and scores.
        quality: JPEG quality.
    """

    at: Fraction | None = None
    title: str | None = None
    kit: str | Path | None = None
    candidates: int = DEFAULT_CANDIDATES
    quality: int = 90


@dataclass(frozen=True)
class CoverResult:
    """What a cover was made from."""

    output: Path
    segment: int
    source: Path
    source_time: Fraction
    episode_time: Fraction
    sharpness: float
    layout: TitleLayout | None


@dataclass(frozen=True)
class _Placed:
    index: int
    segment: Segment
    start: Fraction
    end: Fraction


def make_cover(episode: Episode, output: str | Path, options: CoverOptions | None = None) -> CoverResult:
    """Write a 1080x1920 JPEG cover for ``episode`` to ``output`` (atomically).

    Raises:
        ManifestError: ``at`` lies outside the episode, or the kit is invalid.
        PolicyError: the episode breaks its channel's rules (a cover is not made for it).
        MediaError: a source cannot be decoded.
        OutputError: ``output`` is an input, a folder, or cannot be written (before any decoding).
    """
    from vidcoop.channel.assemble import episode_channel
    from vidcoop.outputs import check_outputs, episode_inputs

    opts = options or CoverOptions()
    out = Path(output)
    channel = episode_channel(episode)
    if channel is not None:  # a cover shows the episode's pictures: the partner rule holds for it too
        from vidcoop.channel.assemble import check_render

        check_render(episode, channel=channel)
    kit = _cover_kit(channel, opts.kit)
    check_outputs([("cover", out)], episode_inputs(episode, channel=channel, kit=kit))
    style = CoverStyle.from_kit(kit)
    with work_dir("cover") as work:
        full, placed = _rendered_timeline(episode, channel, kit, work)
        picked = (
            _frame_at_time(placed, opts.at, full) if opts.at is not None else _auto_pick(placed, opts.candidates)
        )
    seg_index, cand, episode_time = picked
    seg = placed[seg_index].segment
    focus = seg.reframe.focus[0].value if seg.reframe.mode == "crop" and seg.reframe.focus else 0.5
    # A title card picked automatically already shows the title; it is the cover as it is.
    shows_title = opts.at is None and seg.kind == "title"
    title = (episode.title if not shows_title else "") if opts.title is None else opts.title
    image, layout = compose_cover(cand.image, title, _with_focus(style, focus))
    atomic_save_image(image, out, "JPEG", quality=opts.quality, optimize=True, progressive=True)
    source = seg.source if isinstance(seg.source, Path) else Path(str(seg.source))
    return CoverResult(out, seg_index, source, cand.time, episode_time, cand.sharpness, layout)


def check_cover_time(episode: Episode, at: Fraction, kit: str | Path | None = None) -> None:
    """Refuse a cover time outside the rendered episode now, before anything renders.

    Raises:
        ManifestError: ``at`` lies outside the episode (with intro and outro).
    """
    from vidcoop.channel.assemble import episode_channel

    channel = episode_channel(episode)
    with work_dir("cover") as work:
        _, placed = _rendered_timeline(episode, channel, _cover_kit(channel, kit), work)
    _check_at(placed, at, episode)


def _cover_kit(channel: Any, kit: str | Path | None) -> Any:
    from vidcoop.brand.kit import load_kit

    return load_kit(kit or "neutral") if kit is not None or channel is None else channel.kit()


def _rendered_timeline(episode: Episode, channel: Any, kit: Any, work: Path) -> tuple[Episode, list[_Placed]]:
    """The timeline of the rendered video: the format's intro/outro from the kit included."""
    from vidcoop.channel.assemble import assemble

    full = assemble(episode, channel, kit, work)
    return full, place_segments(full)


def _check_at(placed: list[_Placed], at: Fraction, episode: Episode) -> None:
    total = placed[-1].end if placed else Fraction(0)
    if not 0 <= at < total:
        raise ManifestError(f"cover time {float(at):.3f}s is outside the episode (0..{float(total):.3f}s)",
                            path=episode.manifest, field="cover.at")


def place_segments(episode: Episode) -> list[_Placed]:
    """Each segment's span on the episode timeline (sources probed for their lengths)."""
    from vidcoop.channel.spans import UnknownLength, probed_durations, segment_spans

    try:
        spans = segment_spans(episode, durations=probed_durations(episode))
    except UnknownLength as exc:
        seg = episode.segments[exc.index]
        raise ManifestError("cannot tell how long this segment runs (a still needs 'duration')",
                            path=episode.manifest, field=seg.field or f"segments.{exc.index}") from None
    return [_Placed(s.index, episode.segments[s.index], s.start, s.end) for s in spans]


def source_time(placed: _Placed, t: Fraction) -> Fraction:
    """The source time shown at episode time ``t`` within ``placed``."""
    return (placed.segment.start or Fraction(0)) + (t - placed.start)


def _frame_at_time(placed: list[_Placed], at: Fraction, episode: Episode) -> tuple[int, Candidate, Fraction]:
    _check_at(placed, at, episode)
    # In a crossfade both segments show; the incoming one is what stays on screen.
    hit = [p for p in placed if p.start <= at < p.end][-1]
    cand = _decode(hit, [source_time(hit, at)])
    if not cand:
        raise MediaError(f"no frame at {float(at):.3f}s", path=_path(hit.segment))
    return placed.index(hit), cand[0], at


def _cover_pool(placed: list[_Placed]) -> list[_Placed]:
    """Where an automatic cover may come from, best first.

    Video of the body; else the episode's title card (a job board is all
    stills); else any still without a partner. A partner's bumper or card is
    never picked on its own: the cover is the channel's, not one partner's.
    """
    neutral = [p for p in placed if p.segment.partner is None]
    video = [p for p in neutral if p.segment.kind == "body" and not _is_still(p.segment)]
    titles = [p for p in neutral if p.segment.kind == "title"]
    return video or titles[:1] or [p for p in neutral if p.segment.kind == "body"] or neutral or placed


def _auto_pick(placed: list[_Placed], count: int) -> tuple[int, Candidate, Fraction]:
    pool = _cover_pool(placed)
    total = sum((p.end - p.start for p in pool), Fraction(0))
    scored: list[tuple[int, Candidate, Fraction]] = []
    for p in pool:
        share = max(1, round(count * (p.end - p.start) / total)) if total else 1
        length = p.end - p.start
        # Even spacing, clear of the segment's first and last tenth (fades, cuts).
        times = [p.start + length * Fraction(1, 10) + length * Fraction(8, 10) * Fraction(2 * i + 1, 2 * share)
                 for i in range(share)]
        by_source = {source_time(p, t): t for t in times}
        for cand in _decode(p, list(by_source)):
            scored.append((placed.index(p), cand, by_source.get(cand.time, p.start)))
    pick = best([c for _, c, _ in scored])
    if pick is None:
        raise MediaError("no decodable frame for a cover", path=_path(pool[0].segment) if pool else None)
    return next(item for item in scored if item[1] is pick)


def _is_still(seg: Segment) -> bool:
    return isinstance(seg.source, Path) and seg.source.suffix.lower() in _STILL_SUFFIXES


def _decode(p: _Placed, times: list[Fraction]) -> list[Candidate]:
    seg = p.segment
    if isinstance(seg.source, ClipSource):
        raise MediaError("covers from moviepy clip segments are not supported; pass --at on a file segment",
                         field=seg.field)
    if _is_still(seg):
        from PIL import Image

        try:
            with Image.open(seg.source) as img:
                image = img.convert("RGB")
        except OSError as exc:
            raise MediaError(f"cannot read image ({exc})", path=seg.source) from exc
        return [score(image, t) for t in times[:1]]
    return decode_frames(seg.source, times)


def _path(seg: Segment) -> Path | None:
    return seg.source if isinstance(seg.source, Path) else None


def _with_focus(style: CoverStyle, focus: float) -> CoverStyle:
    from dataclasses import replace

    return replace(style, focus=focus)


def cover_path(video: Path) -> Path:
    """``out/ep.mp4`` -> ``out/ep.cover.jpg``."""
    return video.with_name(video.stem + ".cover.jpg")


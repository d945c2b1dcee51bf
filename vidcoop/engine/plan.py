"""Plan a render: probe every source, validate, and fix exact frame counts.

Everything that can be wrong with the input is found here, before ffmpeg
starts: missing or corrupt files, ``in >= out``, ``out`` past the end,
unknown reframe modes, stills without a duration, overlays that are not
images. The result is a :class:`RenderPlan` whose numbers are exact
(frames of the output rate), which the pure compiler turns into arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from vidcoop.brand.geometry import Box, shaped_box
from vidcoop.brand.geometry import overlay_box as design_overlay_box
from vidcoop.color import ffmpeg_color
from vidcoop.engine.profiles import Profile, get_profile
from vidcoop.errors import ManifestError, MediaError
from vidcoop.media.image import image_size
from vidcoop.media.probing import MediaInfo, probe
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.timeline.model import (
    ANCHORS,
    AUTO_REFRAME,
    DESIGN_HEIGHT,
    DESIGN_WIDTH,
    MAX_ZOOM,
    REFRAME_MODES,
    ClipSource,
    Episode,
    Overlay,
    Segment,
    episode_for_shape,
)
from vidcoop.timing import frames_to_time, to_frames

# Tolerance when checking ``out`` against a container's duration: containers
# round, and the last frame's end is the duration.
_END_SLACK = Fraction(1, 20)


@dataclass(frozen=True)
class PlannedSegment:
    """A segment with its source resolved and its length fixed in frames.

    Attributes:
        index: Position in the episode.
        segment: The segment as given.
        path: The file ffmpeg reads (a cached intermediate for moviepy clips).
        info: What probing found.
        source_start: The ``in`` point in the source.
        frames: Output frames this segment contributes before crossfades.
        timeline_start: Where the segment starts on the episode timeline.
    """

    index: int
    segment: Segment
    path: Path
    info: MediaInfo
    source_start: Fraction
    frames: int
    timeline_start: Fraction
    fps: Fraction

    @property
    def duration(self) -> Fraction:
        return frames_to_time(self.frames, self.fps)

    @property
    def source_end(self) -> Fraction:
        return self.source_start + self.duration

    @property
    def timeline_end(self) -> Fraction:
        return self.timeline_start + self.duration

    @property
    def is_still(self) -> bool:
        return self.info.is_still

    @property
    def has_audio(self) -> bool:
        return self.info.has_audio and not self.info.is_still


@dataclass(frozen=True)
class PlannedOverlay:
    """An overlay with its image size known and its box in output pixels."""

    index: int
    overlay: Overlay
    box: Box
    start: Fraction
    end: Fraction


@dataclass(frozen=True)
class RenderPlan:
    """Everything the compiler needs, with exact numbers."""

    episode: Episode
    profile: Profile
    segments: tuple[PlannedSegment, ...]
    overlays: tuple[PlannedOverlay, ...]
    crossfade_frames: int

    @property
    def total_frames(self) -> int:
        body = sum(s.frames for s in self.segments)
        return body - self.crossfade_frames * max(0, len(self.segments) - 1)

    @property
    def duration(self) -> Fraction:
        return frames_to_time(self.total_frames, self.profile.fps)

    @property
    def cuts(self) -> tuple[Fraction, ...]:
        """Times on the timeline where one segment gives way to the next."""
        return tuple(s.timeline_start for s in self.segments[1:])

    @property
    def sources(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys(s.path for s in self.segments))


ClipMaterialiser = Callable[[ClipSource, Profile], Path]


def plan_episode(
    episode: Episode,
    profile: Profile | str | None = None,
    *,
    materialise_clip: ClipMaterialiser | None = None,
) -> RenderPlan:
    """Probe and validate an episode; fix every length in output frames.

    Args:
        episode: What to render.
        profile: Output profile (default: the episode's own).
        materialise_clip: Turns a moviepy ClipSource into a file; defaults to
            the content-cached lossless intermediate in :mod:`vidcoop.engine.clips`.

    Raises:
        ManifestError: the episode itself is inconsistent (no segments, bad mode, in >= out).
        MediaError: a source is missing, corrupt, or shorter than asked for.
    """
    prof = get_profile(profile or episode.profile)
    episode = episode_for_shape(episode, prof.shape)
    where = episode.manifest
    if not episode.segments:
        raise ManifestError("an episode needs at least one segment", path=where, field="segments")
    fps = prof.fps
    crossfade_frames = to_frames(episode.crossfade, fps)
    planned: list[PlannedSegment] = []
    timeline = Fraction(0)
    for index, seg in enumerate(episode.segments):
        field = seg.field or f"segments.{index}"
        path = _resolve_source(seg, prof, materialise_clip)
        ps = _plan_segment(index, seg, path, field, where, fps, timeline)
        if crossfade_frames and len(episode.segments) > 1 and ps.frames <= crossfade_frames:
            raise ManifestError(
                f"segment is {float(ps.duration):.3f}s, not longer than the crossfade "
                f"({float(episode.crossfade):.3f}s)",
                path=where, field=field,
            )
        planned.append(ps)
        timeline = ps.timeline_end - frames_to_time(crossfade_frames, fps)
        if timeline > MAX_EPISODE_LENGTH:
            raise ManifestError(
                f"the episode would run past {float(MAX_EPISODE_LENGTH) / 60:g} minutes here "
                f"({float(timeline):.0f}s); short videos are shorter", path=where, field=field,
            )
    plan_without_overlays = RenderPlan(episode, prof, tuple(planned), (), crossfade_frames)
    overlays = tuple(
        _plan_overlay(i, ov, prof, plan_without_overlays.duration, where) for i, ov in enumerate(episode.overlays)
    )
    return RenderPlan(episode, prof, tuple(planned), overlays, crossfade_frames)


#: Smaller pictures cannot be reframed to 9:16 (a 1x1 source crops to width 0).
MIN_SOURCE_SIDE = 16
#: Segment gain above this is a typo (x100 is +40 dB).
MAX_VOLUME = 100.0
#: Overlays may hang off the frame, but not by more than this many frames' width or height.
MAX_OFFSCREEN = 1
#: Without a channel format's max_length, an episode may run at most this long (seconds).
MAX_EPISODE_LENGTH = Fraction(3600)


def _resolve_source(seg: Segment, prof: Profile, materialise: ClipMaterialiser | None) -> Path:
    if isinstance(seg.source, ClipSource):
        if materialise is not None:
            return materialise(seg.source, prof)
        from vidcoop.engine.clips import materialise_clip

        return materialise_clip(seg.source, prof)
    return Path(seg.source)


def _plan_segment(
    index: int,
    seg: Segment,
    path: Path,
    field: str,
    where: Path | None,
    fps: Fraction,
    timeline: Fraction,
) -> PlannedSegment:
    modes = (*REFRAME_MODES, AUTO_REFRAME)  # auto: resolved by vidcoop.engine.faces before compiling
    if seg.reframe.mode not in modes:
        raise ManifestError(
            f"unknown reframe mode {seg.reframe.mode!r}; expected one of: {', '.join(modes)}",
            path=where, field=f"{field}.reframe.mode",
        )
    for k, key in enumerate(seg.reframe.focus):
        if not 0.0 <= key.value <= 1.0:
            raise ManifestError(f"focus must be between 0 and 1, got {key.value}", path=where,
                                field=f"{field}.reframe.focus.{k}")
    if seg.reframe.zoom is not None and not all(1.0 <= z <= MAX_ZOOM for z in seg.reframe.zoom):
        raise ManifestError(f"zoom factors must be between 1 and {MAX_ZOOM:g}", path=where,
                            field=f"{field}.reframe.zoom")
    try:
        ffmpeg_color(seg.reframe.color)
    except ValueError as exc:
        raise ManifestError(str(exc), path=where, field=f"{field}.reframe.color") from None
    if not 0 <= seg.volume <= MAX_VOLUME:
        raise ManifestError(f"volume must be between 0 and {MAX_VOLUME}", path=where, field=f"{field}.volume")
    if seg.start is not None and seg.end is not None and seg.start >= seg.end:
        raise ManifestError(
            f"in ({float(seg.start):.3f}s) must be before out ({float(seg.end):.3f}s)",
            path=where, field=f"{field}.in",
        )
    try:
        info = probe(path, check_until=seg.end)
    except MediaError as exc:
        # Name the manifest field as well as the file.
        raise MediaError(exc.message, path=exc.path, field=f"{field}.source", hint=exc.hint) from exc
    if info.video is None:
        raise MediaError("has no video stream (audio-only sources are not segments)", path=path, field=field)
    if min(info.video.width, info.video.height) < MIN_SOURCE_SIDE:
        raise MediaError(f"picture is only {info.video.width}x{info.video.height} pixels "
                         f"(at least {MIN_SOURCE_SIDE} on each side)", path=path, field=f"{field}.source")
    if info.is_still and info.format_name == "gif":
        raise MediaError("GIF is not supported as a still image", path=path, field=f"{field}.image",
                         hint="convert it to PNG")
    start = seg.start or Fraction(0)
    if info.is_still:
        length = seg.duration if seg.duration is not None else (
            seg.end - start if seg.end is not None else None)
        if length is None or length <= 0:
            raise ManifestError("a still image needs a positive duration", path=where, field=f"{field}.duration")
        start = Fraction(0)
    else:
        available = info.duration
        if available is not None and start >= available:
            raise MediaError(
                f"in ({float(start):.3f}s) is at or past the end of the source ({float(available):.3f}s)",
                path=path, field=f"{field}.in",
            )
        if seg.end is not None:
            if available is not None and seg.end > available + _END_SLACK:
                raise MediaError(
                    f"out ({float(seg.end):.3f}s) is beyond the source's duration ({float(available):.3f}s)",
                    path=path, field=f"{field}.out",
                )
            length = seg.end - start
        elif seg.duration is not None:
            length = seg.duration
            if available is not None and start + length > available + _END_SLACK:
                raise MediaError(
                    f"in + duration ({float(start + length):.3f}s) is beyond the source's duration "
                    f"({float(available):.3f}s)",
                    path=path, field=f"{field}.duration",
                )
        else:
            if available is None:
                raise MediaError("source has no known duration; give out or duration", path=path, field=field)
            length = available - start
    frames = to_frames(length, fps)
    if frames < 1:
        raise ManifestError(f"segment is shorter than one frame ({float(length):.4f}s)", path=where, field=field)
    return PlannedSegment(index, seg, path, info, start, frames, timeline, fps)


def _plan_overlay(index: int, ov: Overlay, prof: Profile, duration: Fraction, where: Path | None) -> PlannedOverlay:
    field = ov.field or f"overlays.{index}"
    if ov.anchor not in ANCHORS:
        raise ManifestError(f"unknown anchor {ov.anchor!r}; expected one of: {', '.join(ANCHORS)}",
                            path=where, field=f"{field}.position")
    if not 0.0 <= ov.opacity <= 1.0:
        raise ManifestError("opacity must be between 0 and 1", path=where, field=f"{field}.opacity")
    size = image_size(ov.image, f"{field}.image")
    design = design_overlay_box(size, anchor=ov.anchor, margin=ov.margin, width=ov.width, x=ov.x, y=ov.y)
    limit = Box(-MAX_OFFSCREEN * DESIGN_WIDTH, -MAX_OFFSCREEN * DESIGN_HEIGHT,
                (2 * MAX_OFFSCREEN + 1) * DESIGN_WIDTH, (2 * MAX_OFFSCREEN + 1) * DESIGN_HEIGHT)
    if not limit.contains(design):
        too_big = design.width > limit.width or design.height > limit.height
        raise ManifestError(
            f"overlay box {design.width}x{design.height} at ({design.x}, {design.y}) is far outside the "
            f"{DESIGN_WIDTH}x{DESIGN_HEIGHT} frame", path=where, field=f"{field}.{'width' if too_big else 'position'}",
        )
    box = overlay_box(ov, size, prof)
    end = duration if ov.end is None else min(ov.end, duration)
    if ov.start >= end:
        raise ManifestError(
            f"overlay starts at {float(ov.start):.3f}s, not before its end ({float(end):.3f}s)",
            path=where, field=f"{field}.start",
        )
    return PlannedOverlay(index, ov, box, ov.start, end)


def overlay_box(ov: Overlay, image_px: tuple[int, int], prof: Profile) -> Box:
    """Where an overlay lands, in output pixels (even sizes, for yuv420p).

    The design-pixel box comes from :func:`vidcoop.brand.geometry.overlay_box`, the
    same function the policy check and the brand preview use (:func:`shaped_overlay_box`
    for another picture shape than 9:16), then it is scaled.
    """
    design = shaped_overlay_box(ov, image_px, prof.shape)
    scale = prof.scale

    def even(v: int) -> int:
        return max(2, round(v * scale) // 2 * 2)

    return Box(round(design.x * scale), round(design.y * scale), even(design.width), even(design.height))


def shaped_overlay_box(ov: Overlay, image_px: tuple[int, int], shape: str = DEFAULT_SHAPE) -> Box:
    """An overlay's box in design pixels of ``shape``'s frame (:func:`vidcoop.brand.geometry.shaped_box`)."""
    return shaped_box(image_px, anchor=ov.anchor, margin=ov.margin, width=ov.width, x=ov.x, y=ov.y, shape=shape)

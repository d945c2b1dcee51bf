"""``render()``: assemble, check, encode, report, the whole way for one episode.

Data flows one way: the episode and its channel are assembled into the
episode as rendered (:func:`vidcoop.channel.assemble.as_rendered`), the
channel's rules check exactly that (:mod:`vidcoop.channel.policy`, partner
media by content included), the engine encodes it (:func:`vidcoop.engine.api.encode`,
one ffmpeg graph), and the audit report records it (``OUT.report.json``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.brand.kit import BrandKit
from vidcoop.captions.formats import Cues
from vidcoop.channel.assemble import (
    AsRendered,
    as_rendered,
    check_as_rendered,
    default_kit,
    episode_channel,
    plan_spans,
)
from vidcoop.channel.config import Channel
from vidcoop.channel.policy import PolicyReport
from vidcoop.channel.report import ReportInputs, report_path, write_report
from vidcoop.engine.api import Encoded, RenderOptions, TranscribeOverrides, caption_cues, encode, encode_renditions
from vidcoop.engine.plan import RenderPlan
from vidcoop.engine.profiles import Profile, get_profile
from vidcoop.errors import ManifestError
from vidcoop.files import work_dir
from vidcoop.media.runner import ProgressCallback
from vidcoop.outputs import Input, check_outputs, episode_inputs, sidecar_plan
from vidcoop.timeline.model import SHAPE_STILLS, Episode


@dataclass(frozen=True)
class RenderResult:
    """What a render produced."""

    output: Path
    plan: RenderPlan
    command: tuple[str, ...]
    seconds: float
    report: Path | None = None
    captions: tuple[Path, ...] = ()
    policy: PolicyReport | None = None  # the channel's rules as checked; None without a channel
    warnings: tuple[str, ...] = ()  # what a person must look at: speech without captions, flagged cues

    @property
    def duration(self) -> Fraction:
        return self.plan.duration

    @property
    def frames(self) -> int:
        return self.plan.total_frames


def render(
    episode: Episode,
    output: str | Path,
    *,
    progress: ProgressCallback | None = None,
    options: RenderOptions | None = None,
    profile: str | Profile | None = None,
    channel: Channel | None = None,
) -> RenderResult:
    """Render an episode to a vertical MP4 in one ffmpeg encode.

    Args:
        episode: What to render (from a manifest or built in Python).
        output: The MP4 to write. Written atomically.
        progress: Called with :class:`~vidcoop.media.runner.Progress` while ffmpeg encodes.
        options: Profile, threads, quality, strictness and which extras to write.
        profile: Shortcut for ``options.profile``.
        channel: A loaded channel (default: the one the episode names).

    Raises:
        ManifestError, MediaError: before ffmpeg starts, for bad input (a format without its channel too).
        PolicyError: the episode breaks a channel rule; nothing is rendered.
        TranscriptionError, CaptionError: captions cannot be made.
        RenderError: ffmpeg failed; carries the command and stderr tail.
    """
    opts = options or RenderOptions()
    started = time.monotonic()
    out = Path(output)
    channel = episode_channel(episode, channel)
    kit = channel.kit() if channel is not None else default_kit()
    sidecar_files, kept = check_render_outputs(episode, out, opts, channel=channel, kit=kit)
    with work_dir("render") as work:
        rendered = as_rendered(
            episode,
            work,
            channel=channel,
            profile=profile or opts.profile,
            loudness=opts.loudness,
            crf=opts.crf,
            preset=opts.preset,
        )
        policy = check_as_rendered(rendered, strict=opts.strict)
        encoded = encode(
            rendered.engine_input(), out, work, progress=progress, options=opts, sidecars=sidecar_files, kept=kept
        )
        report = None
        if opts.report:  # while generated cards still exist, so their hashes are recorded too
            report = _write_report(rendered, encoded, policy, time.monotonic() - started)
    return RenderResult(
        out, encoded.plan, encoded.command, time.monotonic() - started, report, encoded.sidecars, policy,
        _warnings(encoded),
    )


def render_renditions(
    episode: Episode,
    outputs: Mapping[str, str | Path],
    *,
    progress: ProgressCallback | None = None,
    options: RenderOptions | None = None,
    profile: str | Profile | None = None,
    channel: Channel | None = None,
    keys: Mapping[str, str] | None = None,
) -> list[RenderResult]:
    """Render the picture shapes of one episode (``{"9:16": OUT, "1:1": OUT2}``) in ONE ffmpeg run.

    The episode is assembled and planned at each shape (each laid out for its frame: reframe, captions,
    overlays, cards), the channel's rules are checked once, captions transcribed once, and every output
    is written atomically with its own report (``shape`` in it, and ``keys[shape]`` as ``content_key``
    when given, the skip key the caller decides on).

    Raises:
        ManifestError: an unknown shape (before any work); as :func:`render` otherwise.
    """
    opts = options or RenderOptions()
    started = time.monotonic()
    if not outputs:
        raise ManifestError("no picture shape to render", field="shape")
    base = get_profile(profile or opts.profile or episode.profile)
    profiles = {shape: base.for_shape(shape) for shape in outputs}
    channel = episode_channel(episode, channel)
    kit = channel.kit() if channel is not None else default_kit()
    outs = {shape: Path(out) for shape, out in outputs.items()}
    files = {shape: check_render_outputs(episode, out, opts, channel=channel, kit=kit) for shape, out in outs.items()}
    check_outputs([(f"{shape} output", out) for shape, out in outs.items()], ())  # two shapes, one file?
    with work_dir("render") as work:
        rendered: dict[str, AsRendered] = {}
        for shape, prof in profiles.items():
            folder = work / f"shape-{prof.shape.replace(':', 'x')}"
            folder.mkdir()
            # the sound is the first shape's (one mix for every output): only it is level-matched
            rendered[shape] = as_rendered(episode, folder, channel=channel, profile=prof,
                                          loudness=opts.loudness and not rendered, crf=opts.crf, preset=opts.preset)
        policy = check_as_rendered(next(iter(rendered.values())), strict=opts.strict)
        jobs = [(rendered[shape].engine_input(), outs[shape], *files[shape]) for shape in outs]
        encoded = encode_renditions(jobs, work, progress=progress, options=opts)
        reports: dict[str, Path | None] = dict.fromkeys(outs)
        if opts.report:
            seconds = time.monotonic() - started
            for shape, enc in zip(outs, encoded, strict=True):
                key = (keys or {}).get(shape)
                reports[shape] = _write_report(rendered[shape], enc, policy, seconds,
                                               {"content_key": key} if key else {})
    seconds = time.monotonic() - started
    return [RenderResult(enc.output, enc.plan, enc.command, seconds, reports[shape], enc.sidecars, policy,
                         _warnings(enc)) for shape, enc in zip(outs, encoded, strict=True)]


def _warnings(encoded: Encoded) -> tuple[str, ...]:
    """What a person must look at after a render: speech without captions, flagged cues, moved lower thirds."""
    warnings = tuple(encoded.captions.warnings()) if encoded.captions is not None else ()
    warnings += tuple(w for w in (placed.warning() for placed in encoded.lower_thirds) if w)
    warnings += tuple(f.widened for f in encoded.faces if f.widened)  # the picture widened: worth a look
    # A face analysis that could not be cached still rendered: once, however many segments it hit.
    uncached = (r.cache_problem for r in (*encoded.faces, *encoded.lower_thirds) if r.cache_problem)
    return warnings + tuple(dict.fromkeys(uncached))


def check_render_outputs(
    episode: Episode, out: Path, opts: RenderOptions, *, channel: Channel | None = None, kit: BrandKit | None = None
) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Refuse, before any work, outputs that would replace an input or cannot be written.

    Returns:
        The caption sidecars to write, and the ones that are the episode's own
        caption file (kept untouched: see :func:`vidcoop.outputs.sidecar_plan`).

    Raises:
        OutputError: naming the output and which input or folder is in the way.
    """
    write: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = ()
    if opts.sidecars and opts.captions and episode.captions.mode != "off":
        write, kept = sidecar_plan(out, episode)
    outputs = [("output", out), *(("sidecar", p) for p in write)]
    if opts.report:
        outputs.append(("report", report_path(out)))
    check_outputs(outputs, episode_inputs(episode, channel=channel, kit=kit) + _shape_still_inputs(episode))
    return write, kept


def _shape_still_inputs(episode: Episode) -> list[Input]:
    """The stills the episode shows in other picture shapes (``images:``, :data:`SHAPE_STILLS`): inputs too."""
    stills = episode.extra.get(SHAPE_STILLS)
    if not isinstance(stills, dict):
        return []
    return [Input(Path(own), f"the {shape} still of {Path(still).name}")
            for still, shapes in stills.items() for shape, own in shapes.items()]


def episode_cues(
    episode: Episode, *, profile: str | Profile | None = None, transcribe: TranscribeOverrides | None = None
) -> Cues | None:
    """The caption cues :func:`render` would burn, on the rendered timeline; None when captions are off.

    The episode is assembled exactly as render() assembles it (the format's parts from the kit,
    tightened pauses), so cue times match a render of it, with or without burned captions.
    """
    with work_dir("cues") as work:
        rendered = as_rendered(episode, work, profile=profile, loudness=False)
        made = caption_cues(rendered.engine_input(), transcribe=transcribe)
    return None if made is None else made[0]


def planned_duration(episode: Episode, *, profile: str | Profile | None = None) -> Fraction:
    """The length :func:`render` would produce (the format's parts included), without rendering."""
    with work_dir("plan") as work:
        return as_rendered(episode, work, profile=profile, loudness=False).plan.duration


def _write_report(rendered: AsRendered, encoded: Encoded, policy: PolicyReport | None, seconds: float,
                  more: Mapping[str, Any] | None = None) -> Path:
    plan = encoded.plan
    prof = plan.profile
    extra: dict[str, Any] = {
        "profile": prof.name,
        "shape": prof.shape,
        "size": f"{prof.width}x{prof.height}",
        "fps": str(prof.fps),
        "frames": plan.total_frames,
        "render_seconds": round(seconds, 2),
        "host": os.uname().nodename if hasattr(os, "uname") else None,
        **(more or {}),
    }
    if encoded.faces:
        extra["faces"] = [report.to_dict() for report in encoded.faces]
    if encoded.lower_thirds:
        extra["lower_thirds"] = [placed.to_dict() for placed in encoded.lower_thirds]
    kit_name = None if rendered.channel is not None else getattr(rendered.kit, "name", None)
    inputs = ReportInputs(
        spans=plan_spans(plan),
        policy=policy,
        captions=encoded.captions,
        channel=rendered.channel,
        brand_kit=kit_name,
        extra=extra,
    )
    return write_report(encoded.output, plan.episode, inputs)

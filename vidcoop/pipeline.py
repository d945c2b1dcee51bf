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
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

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
from vidcoop.engine.api import Encoded, RenderOptions, TranscribeOverrides, caption_cues, encode
from vidcoop.engine.plan import RenderPlan
from vidcoop.engine.profiles import Profile
from vidcoop.files import work_dir
from vidcoop.media.runner import ProgressCallback
from vidcoop.outputs import check_outputs, episode_inputs, sidecar_plan
from vidcoop.timeline.model import Episode


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
    warnings = tuple(encoded.captions.warnings()) if encoded.captions is not None else ()
    warnings += tuple(w for w in (placed.warning() for placed in encoded.lower_thirds) if w)
    # A face analysis that could not be cached still rendered: once, however many segments it hit.
    uncached = (r.cache_problem for r in (*encoded.faces, *encoded.lower_thirds) if r.cache_problem)
    warnings += tuple(dict.fromkeys(uncached))
    return RenderResult(
        out, encoded.plan, encoded.command, time.monotonic() - started, report, encoded.sidecars, policy, warnings
    )


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
    check_outputs(outputs, episode_inputs(episode, channel=channel, kit=kit))
    return write, kept


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


def _write_report(rendered: AsRendered, encoded: Encoded, policy: PolicyReport | None, seconds: float) -> Path:
    plan = encoded.plan
    prof = plan.profile
    extra = {
        "profile": prof.name,
        "size": f"{prof.width}x{prof.height}",
        "fps": str(prof.fps),
        "frames": plan.total_frames,
        "render_seconds": round(seconds, 2),
        "host": os.uname().nodename if hasattr(os, "uname") else None,
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

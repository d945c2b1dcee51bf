"""The ``render()`` facade: plan, check, prepare, compile, run, report.

One episode becomes one ffmpeg encode. Before it, in order:

1. **plan**: probe and validate every source (typed errors, nothing started);
2. **policy**: the channel's partner-slot rule and the safe zone (:mod:`vidcoop.channel.policy`);
3. **captions**: transcribe the parts of the sources the episode uses (cached), or read
   an edited caption file, and write the ASS file that libass burns in;
4. **loudness**: an audio-only analysis pass of the episode's mix, so the main
   graph can apply a linear loudnorm correction (the video is still encoded once).

The output appears under its final name only when ffmpeg has finished; a
failure or an interrupt leaves no file there. Captions are also written beside
it as ``OUT.srt`` / ``OUT.vtt``, and the audit report as ``OUT.report.json``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import ManifestError
from vidcoop.files import atomic_path, work_dir
from vidcoop.media.runner import ProgressCallback, run_ffmpeg
from vidcoop.render.filters import RawFilter
from vidcoop.render.graph import BurnIn, CompileOptions, Music, compile_audio_only, compile_render
from vidcoop.render.plan import RenderPlan, plan_episode
from vidcoop.render.profiles import Profile
from vidcoop.timeline.model import Episode


@dataclass(frozen=True)
class RenderOptions:
    """Choices about one render that are not part of the episode.

    Attributes:
        profile: Output profile name or object (default: the episode's).
        threads: ffmpeg threads (batch workers divide the machine's cores).
        crf, preset: Override the profile's x264 quality and speed.
        strict: Overlays outside the safe zone are errors, not warnings.
        loudness: Normalise the mix (two-pass loudnorm) to the target.
        captions: Burn captions as the episode says (False skips them, e.g. for a draft).
        sidecars: Write ``OUT.srt`` and ``OUT.vtt`` beside the video when there are captions.
        report: Write ``OUT.report.json``.
        transcribe: Extra :class:`~vidcoop.captions.transcribe.TranscribeOptions` fields
            (``cpu_threads``, ``beam_size`` ...), as a mapping.
    """

    profile: str | Profile | None = None
    threads: int | None = None
    crf: int | None = None
    preset: str | None = None
    strict: bool = False
    loudness: bool = True
    captions: bool = True
    sidecars: bool = True
    report: bool = True
    transcribe: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class RenderResult:
    """What a render produced."""

    output: Path
    plan: RenderPlan
    command: tuple[str, ...]
    seconds: float
    report: Path | None = None
    captions: tuple[Path, ...] = ()
    policy: Any = None

    @property
    def duration(self) -> Fraction:
        return self.plan.duration

    @property
    def frames(self) -> int:
        return self.plan.total_frames


@dataclass(frozen=True)
class _Context:
    """What the stages share: the plan, the channel and kit, and a work folder."""

    plan: RenderPlan
    channel: Any
    kit: Any
    work: Path
    options: RenderOptions
    faces: tuple[Any, ...] = ()


def render(
    episode: Episode,
    output: str | Path,
    *,
    progress: ProgressCallback | None = None,
    options: RenderOptions | None = None,
    profile: str | Profile | None = None,
) -> RenderResult:
    """Render an episode to a vertical MP4 in one ffmpeg encode.

    Args:
        episode: What to render (from a manifest or built in Python).
        output: The MP4 to write. Written atomically.
        progress: Called with :class:`~vidcoop.media.runner.Progress` while ffmpeg encodes.
        options: Profile, threads, quality, strictness and which extras to write.
        profile: Shortcut for ``options.profile``.

    Raises:
        ManifestError, MediaError: before ffmpeg starts, for bad input.
        PolicyError: the episode breaks a channel rule; nothing is rendered.
        TranscriptionError, CaptionError: captions cannot be made.
        RenderError: ffmpeg failed; carries the command and stderr tail.
    """
    opts = options or RenderOptions()
    started = time.monotonic()
    out = Path(output)
    channel = load_episode_channel(episode)
    kit = channel.kit() if channel is not None else default_kit()
    sidecar_files, kept = check_render_outputs(episode, out, opts, channel=channel, kit=kit)
    with work_dir("render") as work:
        plan = _plan(episode, channel, kit, work, profile or opts.profile, opts)
        policy = check_policy(plan, channel, strict=opts.strict)
        plan, faces = _faces(plan, channel, work)
        ctx = _Context(plan, channel, kit, work, opts, faces)
        cues, burn, caption_source = _prepare_captions(ctx)
        music = _music(ctx)
        audio_post = _loudness(ctx, music)
        compile_options = CompileOptions(burn=burn, audio_post=audio_post, music=music, threads=opts.threads)
        with atomic_path(out) as tmp:
            args = compile_render(plan, tmp, compile_options)
            run_ffmpeg(args, total=plan.duration, progress=progress, what=f"render of {out.name}")
        sidecars: tuple[Path, ...] = ()
        if cues is not None and opts.sidecars:
            sidecars = tuple(cues.save(path) for path in sidecar_files) + kept
        report = None
        if opts.report:  # while generated cards still exist, so their hashes are recorded too
            report = _write_report(ctx, out, policy, caption_source, time.monotonic() - started)
    return RenderResult(out, plan, tuple(args), time.monotonic() - started, report, sidecars, policy)


def check_render_outputs(episode: Episode, out: Path, opts: RenderOptions, *, channel: Any = None,
                         kit: Any = None) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Refuse, before any work, outputs that would replace an input or cannot be written.

    Returns:
        The caption sidecars to write, and the ones that are the episode's own
        caption file (kept untouched: see :func:`vidcoop.outputs.sidecar_plan`).

    Raises:
        OutputError: naming the output and which input or folder is in the way.
    """
    from vidcoop.channel.report import report_path
    from vidcoop.outputs import check_outputs, episode_inputs, sidecar_plan

    write: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = ()
    if opts.sidecars and opts.captions and episode.captions.mode != "off":
        write, kept = sidecar_plan(out, episode)
    outputs = [("output", out), *(("sidecar", p) for p in write)]
    if opts.report:
        outputs.append(("report", report_path(out)))
    check_outputs(outputs, episode_inputs(episode, channel=channel, kit=kit))
    return write, kept


# --- channel, structure and policy ---------------------------------------------------------------


def check_render(episode: Episode, *, profile: str | Profile | None = None, strict: bool = False,
                 channel: Any = None) -> Any:
    """Plan an episode exactly as :func:`render` would, and run the channel's rules; render nothing.

    Sources are probed and the format's parts come from the kit; loudness is
    not measured. Returns the policy report (None without a channel).

    Raises:
        ManifestError, MediaError, PolicyError: as render() would, before ffmpeg.
    """
    channel = channel if channel is not None else load_episode_channel(episode)
    kit = channel.kit() if channel is not None else default_kit()
    with work_dir("check") as work:
        plan = _plan(episode, channel, kit, work, profile, RenderOptions(loudness=False))
        return check_policy(plan, channel, strict=strict)


def _plan(episode: Episode, channel: Any, kit: Any, work: Path, profile: str | Profile | None,
          opts: RenderOptions) -> RenderPlan:
    """Plan the episode: tightened pauses, the format's parts from the kit, level matching, the kit logo."""
    from vidcoop.audio.episode import level_match_episode, tighten_episode
    from vidcoop.channel.assemble import assemble, body_range, with_logo, with_lower_thirds

    episode = with_lower_thirds(assemble(episode, channel, kit, work), kit, work)
    plan = plan_episode(episode, profile)  # every input error is raised here, before any ffmpeg run
    changed = tighten_episode(episode)
    if opts.loudness:
        changed = level_match_episode(changed)  # no bumper or card louder than the body
    if changed != episode:
        if _cuts(changed) != _cuts(episode) and changed.overlays:
            # Overlays move with the cuts, like the captions do: map their times onto the tightened timeline.
            moved = follow_cuts(plan, plan_episode(replace(changed, overlays=()), profile))
            changed = replace(changed, overlays=tuple(
                replace(ov, start=moved(ov.start), end=None if ov.end is None else moved(ov.end))
                for ov in changed.overlays))
        episode, plan = changed, plan_episode(changed, profile)
    if episode.extra.get("logo"):
        # The logo covers the body only, so its times come from the first plan.
        plan = plan_episode(with_logo(episode, kit, body_range(plan_spans(plan))), profile)
    if opts.crf is not None or opts.preset is not None:
        plan = replace(plan, profile=plan.profile.with_quality(crf=opts.crf, preset=opts.preset))
    return plan


def _faces(plan: RenderPlan, channel: Any, work: Path) -> tuple[RenderPlan, tuple[Any, ...]]:
    """Resolve ``reframe: auto`` and ``anonymize`` (face analysis, cached) into plain crop keys and masks."""
    from vidcoop.faces.apply import apply_faces, needs_faces
    from vidcoop.timeline.model import Anonymize

    privacy = Anonymize(faces="all-but-subject") if getattr(channel, "anonymize_unknown_faces", False) else None
    if not needs_faces(plan) and privacy is None:
        return plan, ()
    return apply_faces(plan, work, privacy_default=privacy)


def load_episode_channel(episode: Episode) -> Any:
    """The episode's channel config, or None when it names none."""
    if episode.channel is None:
        return None
    from vidcoop.channel.config import load_channel

    return load_channel(episode.channel)


def default_kit() -> Any:
    """The shipped neutral brand kit."""
    from vidcoop.brand.kit import load_kit
    from vidcoop.resources import kit_dir

    return load_kit(kit_dir("neutral"))


def _cuts(episode: Episode) -> list[tuple[Any, Any, Any]]:
    """What places material on the timeline (level matching changes volumes only)."""
    return [(str(s.source), s.start, s.end) for s in episode.segments]


def follow_cuts(before: RenderPlan, after: RenderPlan) -> Callable[[Fraction], Fraction]:
    """Map a time on ``before``'s timeline to ``after``'s, where segments were cut into pieces.

    A segment that ``tighten`` split keeps its source and manifest field in every piece;
    a time inside a removed pause moves to the start of the next piece.
    """

    def key(seg: Any) -> Any:
        return seg.field, str(seg.source)

    pieces: dict[Any, list[Any]] = {}
    for ps in after.segments:
        pieces.setdefault(key(ps.segment), []).append(ps)

    def moved(t: Fraction) -> Fraction:
        old = next((ps for ps in before.segments if t < ps.timeline_end), before.segments[-1])
        source_t = old.source_start + (t - old.timeline_start)
        candidates = pieces.get(key(old.segment), [])
        for piece in candidates:
            if source_t < piece.source_start:
                return piece.timeline_start  # inside a removed pause
            if source_t <= piece.source_end:
                return piece.timeline_start + (source_t - piece.source_start)
        return candidates[-1].timeline_end if candidates else min(t, after.duration)

    return moved


def check_policy(plan: RenderPlan, channel: Any, *, strict: bool = False) -> Any:
    """Run the channel's rules with the plan's exact lengths; None without a channel.

    Raises:
        PolicyError: a broken rule; the caller renders nothing.
    """
    if channel is None:
        return None
    from vidcoop.channel.policy import check_episode

    lengths = {ps.segment: ps.duration for ps in plan.segments}
    return check_episode(plan.episode, channel, strict=strict, durations=lengths.get)


def plan_spans(plan: RenderPlan) -> tuple[Any, ...]:
    """The plan's segments as :class:`vidcoop.channel.spans.Span` (exact, after crossfades)."""
    from vidcoop.channel.spans import Span

    return tuple(
        Span(ps.index, ps.timeline_start, ps.timeline_end, ps.segment.kind, ps.segment.partner,
             ps.segment.field or f"segments.{ps.index}")
        for ps in plan.segments
    )


# --- captions -------------------------------------------------------------------------------------


def caption_style_name(episode: Episode, channel: Any) -> str:
    """The episode's caption style, else its format's, else ``subtitle``."""
    if episode.captions.style:
        return episode.captions.style
    if channel is not None and episode.format in channel.formats:
        return str(channel.formats[episode.format].caption_style)
    return "subtitle"


def caption_language(episode: Episode, channel: Any) -> str | None:
    """The spoken language: the episode's, else the channel's, else German; ``auto`` detects."""
    lang = episode.captions.language or (channel.language if channel is not None else None) or "de"
    return None if lang == "auto" else lang


def episode_transcript(plan: RenderPlan, channel: Any, extra: dict[str, Any] | None = None) -> Any:
    """Transcribe only the parts of the sources the episode uses, on the episode timeline."""
    from vidcoop.captions.transcribe import AudioSpan, TranscribeOptions, transcribe_spans

    episode = plan.episode
    glossary = None
    if channel is not None and channel.glossary is not None:
        from vidcoop.captions.glossary import load_glossary

        glossary = load_glossary(channel.glossary)
    spec = episode.captions
    settings: dict[str, Any] = {"language": caption_language(episode, channel), "glossary": glossary}
    if spec.model:
        settings["model"] = spec.model
    if spec.backend:
        settings["backend"] = spec.backend
    settings.update(extra or {})
    spans = [
        AudioSpan(ps.path, ps.source_start, ps.source_end, ps.timeline_start)
        for ps in plan.segments
        if ps.has_audio
    ]
    return transcribe_spans(spans, TranscribeOptions(**settings))


def episode_cues(episode: Episode, *, profile: str | Profile | None = None,
                 transcribe: dict[str, Any] | None = None) -> Any:
    """The caption cues :func:`render` would burn, on the rendered timeline; None when captions are off.

    The episode is planned exactly as render() plans it (the format's parts from the kit,
    tightened pauses), so cue times match a render of it, with or without burned captions.
    """
    channel = load_episode_channel(episode)
    kit = channel.kit() if channel is not None else default_kit()
    opts = RenderOptions(loudness=False, transcribe=dict(transcribe or {}))
    with work_dir("cues") as work:
        ctx = _Context(_plan(episode, channel, kit, work, profile, opts), channel, kit, work, opts)
        made = _caption_cues(ctx)
    return None if made is None else made[0]


def _caption_cues(ctx: _Context) -> tuple[Any, Any, str] | None:
    """(cues, caption source, style name), or None when the episode has no captions."""
    from vidcoop.channel.report import CaptionSource

    episode = ctx.plan.episode
    spec = episode.captions
    if spec.mode == "off" or not ctx.options.captions:
        return None
    from vidcoop.captions.formats import Cues
    from vidcoop.captions.segment import build

    style_name = caption_style_name(episode, ctx.channel)
    if spec.mode == "file":
        if spec.path is None:
            raise ManifestError("captions mode 'file' needs a file", path=episode.manifest, field="captions.file")
        cues = Cues.load(spec.path, style=style_name)
        source = CaptionSource(kind="file", path=spec.path, style=style_name)
    else:
        transcript = episode_transcript(ctx.plan, ctx.channel, ctx.options.transcribe)
        cues = build(transcript, style_name, ctx.kit.caption_style(style_name), cuts=ctx.plan.cuts)
        source = CaptionSource(kind="transcribed", backend=transcript.backend, model=transcript.model,
                               language=transcript.language, style=style_name)
    return cues, source, style_name


def _prepare_captions(ctx: _Context) -> tuple[Any, BurnIn | None, Any]:
    from vidcoop.channel.report import CaptionSource

    made = _caption_cues(ctx)
    if made is None:
        return None, None, CaptionSource()
    from vidcoop.captions.burn import fonts_dir_for, write_burn_ass

    cues, source, style_name = made
    style = ctx.kit.caption_style(style_name)
    prof = ctx.plan.profile
    # The filter graph only ever sees paths inside our own temp folder, with plain names.
    fonts = ctx.work / "fonts"
    fonts.mkdir()
    for font in fonts_dir_for(style).iterdir():
        if font.suffix.lower() in (".ttf", ".otf", ".ttc"):
            shutil.copy2(font, fonts / font.name)
    ass = write_burn_ass(cues, style, width=prof.width, height=prof.height, path=ctx.work / "captions.ass")
    return cues, BurnIn(ass, fonts), source


# --- audio ----------------------------------------------------------------------------------------


def _audio_settings(ctx: _Context) -> dict[str, Any]:
    data = ctx.plan.episode.extra.get("audio") or {}
    return dict(data) if isinstance(data, dict) else {}


def _music(ctx: _Context) -> Music | None:
    settings = _audio_settings(ctx)
    music = settings.get("music")
    if not music:
        return None
    from vidcoop.audio.music import MusicBed

    spec = music if isinstance(music, dict) else {"file": music}
    path = Path(str(spec.get("file", "")))
    if not path.is_absolute() and ctx.plan.episode.manifest is not None:
        path = ctx.plan.episode.manifest.parent / path
    if not path.is_file():
        raise ManifestError("music file not found", path=path, field="audio.music")
    try:
        bed = MusicBed.from_mapping(spec)
    except (TypeError, ValueError) as exc:
        raise ManifestError(str(exc), path=ctx.plan.episode.manifest, field="audio.music") from exc
    return Music(path, bed)


def _loudness(ctx: _Context, music: Music | None) -> tuple[RawFilter, ...]:
    settings = _audio_settings(ctx)
    if not ctx.options.loudness or settings.get("normalize") is False:
        return ()
    if music is None and not any(ps.has_audio for ps in ctx.plan.segments):
        return ()  # only generated silence: nothing to measure or normalise (a job board of cards)
    from vidcoop.audio.loudness import LoudnessTarget, analysis_filter, loudnorm_filter, parse_loudnorm_output

    try:
        target = LoudnessTarget.from_mapping(settings.get("loudness"))
    except (TypeError, ValueError) as exc:
        raise ManifestError(str(exc), path=ctx.plan.episode.manifest, field="audio.loudness") from exc
    args = compile_audio_only(ctx.plan, CompileOptions(music=music), analysis=[RawFilter(analysis_filter(target))])
    stderr = run_ffmpeg(["-nostats", *args], what="loudness analysis")
    stats = parse_loudnorm_output(stderr)
    return (RawFilter(loudnorm_filter(stats, target)),)


# --- report ---------------------------------------------------------------------------------------


def _write_report(ctx: _Context, out: Path, policy: Any, captions: Any, seconds: float) -> Path:
    from vidcoop.channel.report import ReportInputs, write_report

    prof = ctx.plan.profile
    extra = {
        "profile": prof.name,
        "size": f"{prof.width}x{prof.height}",
        "fps": str(prof.fps),
        "frames": ctx.plan.total_frames,
        "render_seconds": round(seconds, 2),
        "host": os.uname().nodename if hasattr(os, "uname") else None,
    }
    if ctx.faces:
        extra["faces"] = [report.to_dict() for report in ctx.faces]
    kit_name = None if ctx.channel is not None else getattr(ctx.kit, "name", None)
    inputs = ReportInputs(spans=plan_spans(ctx.plan), policy=policy, captions=captions, channel=ctx.channel,
                          brand_kit=kit_name, extra=extra)
    return write_report(out, ctx.plan.episode, inputs)


def planned_duration(episode: Episode, *, profile: str | Profile | None = None) -> Fraction:
    """The length :func:`render` would produce (the format's parts included), without rendering."""
    channel = load_episode_channel(episode)
    kit = channel.kit() if channel is not None else default_kit()
    with work_dir("plan") as work:
        return _plan(episode, channel, kit, work, profile, RenderOptions(loudness=False)).duration

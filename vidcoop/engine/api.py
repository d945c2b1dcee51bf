"""The engine's entry: :func:`encode` turns an assembled plan into one MP4.

It renders what it is given and knows nothing of channels or partners: the
public ``render()`` (:mod:`vidcoop.pipeline`) assembles the episode and checks
the channel's rules first (:func:`vidcoop.channel.assemble.as_rendered`).
After the plan, in order:

1. **faces**: ``reframe: auto`` and ``anonymize`` resolved into crop keys and masks (cached analysis);
2. **captions**: transcribe the parts of the sources the episode uses (cached), or read
   an edited caption file, and write the ASS file that libass burns in;
3. **loudness**: an audio-only analysis pass of the episode's mix, so the main
   graph can apply a linear loudnorm correction (the video is still encoded once).

The output appears under its final name only when ffmpeg has finished; a
failure or an interrupt leaves no file there. Captions are also written beside
it as ``OUT.srt`` / ``OUT.vtt``.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.audio.loudness import DEFAULT_TARGET, analysis_filter, loudnorm_filter, parse_loudnorm_output
from vidcoop.captions.burn import fonts_dir_for, write_burn_ass
from vidcoop.captions.cues import build
from vidcoop.captions.formats import Cues
from vidcoop.captions.glossary import load_glossary
from vidcoop.captions.model import CaptionSource
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import AudioSpan, transcribe_spans
from vidcoop.engine.faces import SharedFaces, apply_faces, needs_faces, place_lower_thirds
from vidcoop.engine.filters import RawFilter
from vidcoop.engine.graph import Rendition, compile_audio_only, compile_frame, compile_renditions, frame_plan
from vidcoop.engine.options import BurnIn, CompileOptions, Music, encoder_threads
from vidcoop.engine.plan import RenderPlan
from vidcoop.engine.profiles import Profile
from vidcoop.errors import CaptionError, ManifestError
from vidcoop.files import atomic_path
from vidcoop.media.runner import ProgressCallback, run_ffmpeg, usable_cores

#: ffmpeg threads a render may ask for (more only adds overhead, and 100000 would hang the machine).
MAX_THREADS = 64

if TYPE_CHECKING:
    from vidcoop.brand.kit import BrandKit
    from vidcoop.captions.formats import Cues
    from vidcoop.captions.glossary import Glossary
    from vidcoop.captions.model import CaptionSource, Transcript
    from vidcoop.timeline.model import Anonymize

#: Extra :class:`~vidcoop.captions.options.TranscribeOptions` fields by name (``cpu_threads``, ``beam_size`` ...).
TranscribeOverrides = Mapping[str, object]


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
    transcribe: TranscribeOverrides = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if self.threads is not None and not 1 <= self.threads <= MAX_THREADS:
            raise ManifestError(f"threads must be 1..{MAX_THREADS}, not {self.threads}", field="threads")


@dataclass(frozen=True)
class Assembled:
    """What the engine encodes: an assembled, planned episode and the settings around it.

    The channel layer (:func:`vidcoop.channel.assemble.as_rendered`) decides
    all of it; the engine knows nothing of channels, formats or partners.

    Attributes:
        plan: The probed, validated plan of the assembled episode.
        kit: The brand kit (caption styles and fonts).
        caption_style: ``social`` or ``subtitle``.
        language: The spoken language for transcription (None = detect).
        glossary: A caption glossary YAML, if any.
        privacy: An :class:`~vidcoop.timeline.model.Anonymize` applied to segments that name none
            (a channel that hides unknown faces), or None.
    """

    plan: RenderPlan
    kit: BrandKit
    caption_style: str = "subtitle"
    language: str | None = "de"
    glossary: Path | None = None
    privacy: Anonymize | None = None


@dataclass(frozen=True)
class Encoded:
    """What :func:`encode` produced: the plan it encoded, the command, the cues and where they came from."""

    output: Path
    plan: RenderPlan
    command: tuple[str, ...]
    cues: Cues | None
    captions: Any
    sidecars: tuple[Path, ...] = ()
    faces: tuple[Any, ...] = ()
    lower_thirds: tuple[Any, ...] = ()  # where each lower third went (moved off faces), for the report


@dataclass(frozen=True)
class _Context:
    """What the stages share: the assembled input (with faces resolved), a work folder and the options."""

    job: Assembled
    work: Path
    options: RenderOptions
    faces: tuple[Any, ...] = ()

    @property
    def plan(self) -> RenderPlan:
        return self.job.plan


def encode(job: Assembled, output: str | Path, work: Path, *, progress: ProgressCallback | None = None,
           options: RenderOptions | None = None, sidecars: tuple[Path, ...] = (),
           kept: tuple[Path, ...] = ()) -> Encoded:
    """Encode an assembled episode in one ffmpeg run: faces, captions, loudness, then the graph.

    Args:
        job: The assembled plan (from :func:`vidcoop.channel.assemble.as_rendered`).
        output: The MP4 to write, atomically.
        work: A temporary folder (fonts, the ASS file, face masks).
        progress: Called with :class:`~vidcoop.media.runner.Progress` while ffmpeg encodes.
        options: Threads, quality, which extras to write.
        sidecars: Caption files to write beside the video (already checked by the caller).
        kept: The episode's own caption files, listed but left untouched.

    Raises:
        TranscriptionError, CaptionError: captions cannot be made.
        RenderError: ffmpeg failed; carries the command and stderr tail.
    """
    return encode_renditions([(job, Path(output), sidecars, kept)], work, progress=progress, options=options)[0]


#: One output of :func:`encode_renditions`: the job at its shape, the MP4, its caption sidecars and kept files.
RenditionJob = tuple[Assembled, Path, tuple[Path, ...], tuple[Path, ...]]


def encode_renditions(jobs: list[RenditionJob], work: Path, *, progress: ProgressCallback | None = None,
                      options: RenderOptions | None = None) -> list[Encoded]:
    """Encode the picture shapes of one edit in ONE ffmpeg run (:func:`vidcoop.engine.graph.compile_renditions`).

    Each job is the same assembled episode planned at another shape. Faces are resolved per shape on one
    analysis of each span, and each anonymisation mask is made once (:class:`~vidcoop.engine.faces.SharedFaces`:
    the blur runs before the shapes split); captions are transcribed once and laid out per shape; the
    loudness is measured once. Every output appears under its final name only when ffmpeg has finished
    all of them; a failure or an interrupt leaves none.

    Raises:
        TranscriptionError, CaptionError: captions cannot be made.
        RenderError: ffmpeg failed; carries the command and stderr tail.
    """
    from dataclasses import replace

    opts = options or RenderOptions()
    contexts: list[_Context] = []
    placements: list[tuple[Any, ...]] = []
    shared = SharedFaces()  # each span analysed once, each mask made once: the blur runs before the split
    for job, _out, _, _ in jobs:
        folder = work if len(jobs) == 1 else work / f"shape-{job.plan.profile.shape.replace(':', 'x')}"
        folder.mkdir(exist_ok=True)
        plan, faces, placed = resolve_faces(job, folder, shared)
        contexts.append(_Context(replace(job, plan=plan), folder, opts, faces))
        placements.append(placed)
    transcript = None
    if opts.captions and jobs[0][0].plan.episode.captions.mode not in ("off", "file"):
        transcript = episode_transcript(contexts[0].job, opts.transcribe)  # once, for every shape
    captions = [_prepare_captions(ctx, transcript) for ctx in contexts]
    music = _music(contexts[0])
    audio_post = _loudness(contexts[0], music)
    # Several encoders run side by side: each gets its share of the cores (one output: ffmpeg's choice).
    per_encoder = encoder_threads(opts.threads or usable_cores(), len(jobs)) if len(jobs) > 1 else None
    renditions = [
        Rendition(ctx.plan, CompileOptions(burn=burn, audio_post=audio_post, music=music, threads=opts.threads,
                                           encoder_threads=per_encoder), out)
        for ctx, (_, burn, _), (_, out, _, _) in zip(contexts, captions, jobs, strict=True)
    ]
    names = ", ".join(job[1].name for job in jobs)
    with contextlib.ExitStack() as stack:
        temps = [stack.enter_context(atomic_path(r.output)) for r in renditions]
        args = compile_renditions([replace(r, output=tmp) for r, tmp in zip(renditions, temps, strict=True)])
        run_ffmpeg(args, total=renditions[0].plan.duration, progress=progress, what=f"render of {names}",
                   discard_on_stop=True)  # every output a temp file: nothing to finish on Ctrl-C
    results = []
    for ctx, (cues, _, source), (_, out, sidecars, kept), placed in zip(contexts, captions, jobs, placements,
                                                                         strict=True):
        written: tuple[Path, ...] = ()
        if cues is not None and opts.sidecars:
            written = tuple(cues.save(path) for path in sidecars) + kept
        results.append(Encoded(out, ctx.plan, tuple(args), cues, source, written, ctx.faces, placed))
    return results


def resolve_faces(job: Assembled, work: Path, shared: SharedFaces | None = None,
                  ) -> tuple[RenderPlan, tuple[Any, ...], tuple[Any, ...]]:
    """Resolve ``reframe: auto`` and ``anonymize`` (face analysis, cached) into plain crop keys and masks,
    then move lower thirds off faces: (plan, face reports, lower-third placements).

    A render and a cover of it both start here, so they show the same crop. ``shared``: the face work of
    the edit's other shapes (one render of several shapes), reused and added to.
    """
    plan = job.plan
    faces: tuple[Any, ...] = ()
    if needs_faces(plan) or job.privacy is not None:
        plan, faces = apply_faces(plan, work, privacy_default=job.privacy, shared=shared)
    plan, placed = place_lower_thirds(plan, job.kit.safe_zone_for(plan.profile.shape).box.y)
    return plan, faces, placed


def render_frame(plan: RenderPlan, at: Fraction, output: Path) -> Path:
    """Write the picture the render shows at ``at`` (episode seconds) as a PNG, without captions.

    ``plan`` has its faces resolved (:func:`resolve_faces`); the frame comes from the render's own
    graph (:func:`vidcoop.engine.graph.compile_frame`), cut to the one segment on screen then.
    """
    part, frame = frame_plan(plan, at)
    with atomic_path(output) as tmp:
        run_ffmpeg(compile_frame(part, frame, tmp), what=f"frame at {float(at):.2f}s", discard_on_stop=True)
    return output


# --- captions -------------------------------------------------------------------------------------


def episode_transcript(job: Assembled, extra: TranscribeOverrides | None = None) -> Transcript:
    """Transcribe only the parts of the sources the episode uses, on the episode timeline."""
    plan = job.plan
    spec = plan.episode.captions
    settings: dict[str, Any] = {"language": job.language, "glossary": _glossary(job)}
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


def _glossary(job: Assembled) -> Glossary | None:
    """The job's caption glossary, loaded, or None."""
    if job.glossary is None:
        return None

    return load_glossary(job.glossary)


def caption_cues(job: Assembled, *, captions: bool = True, transcribe: TranscribeOverrides | None = None,
                 transcript: Transcript | None = None) -> tuple[Cues, CaptionSource, str] | None:
    """(cues, caption source, style name) the engine would burn, or None when the episode has no captions.

    The cues are laid out for the plan's picture shape (line width from its safe zone); ``transcript``
    is the episode's, when it was made already (one transcription for every shape).
    """
    episode = job.plan.episode
    spec = episode.captions
    if spec.mode == "off" or not captions:
        return None

    style_name = job.caption_style
    if spec.mode == "file":
        if spec.path is None:
            raise ManifestError("captions mode 'file' needs a file", path=episode.manifest, field="captions.file")
        cues = Cues.load(spec.path, style=style_name)
        check_file_timing(cues, job.plan, spec.path)
        # A cue JSON keeps what a person must still look at (the studio saves it so): warned and reported too.
        source = CaptionSource(kind="file", path=spec.path, style=style_name, unsure=cues.unsure,
                               left_out=cues.left_out, flagged=cues.flagged, unsaid=cues.unsaid)
    else:
        if transcript is None:
            transcript = episode_transcript(job, transcribe)
        glossary = _glossary(job)
        shape = job.plan.profile.shape
        with _naming(episode.manifest):
            cues = build(transcript, style_name, job.kit.caption_style(style_name, shape), cuts=job.plan.cuts,
                         terms=glossary.terms if glossary is not None else ())
        # what a person must look at: speech without captions, unsaid words, flagged cues, unsure words
        source = CaptionSource(kind="transcribed", backend=transcript.backend, model=transcript.model,
                               language=transcript.language, style=style_name, left_out=cues.left_out,
                               unsure=cues.unsure, flagged=cues.flagged, unsaid=cues.unsaid)
    return cues, source, style_name


def check_file_timing(cues: Any, plan: RenderPlan, path: Path) -> None:
    """Refuse a caption file whose timing cannot belong to the episode (before any long work).

    An episode's caption file is timed to the finished video (``vidcoop captions EPISODE.yaml`` writes it so).
    A file timed to a raw clip shows cues over the intro card and stays shifted; cues past the video's end
    would never show. Both are refused, naming the first such cue by its number in the file.

    Raises:
        CaptionError: a cue ends before the intro card is over, or after the episode's end.
    """
    fix = "make the episode's captions with: vidcoop captions EPISODE.yaml -o FILE.srt"
    end = plan.duration
    intro = next((ps for ps in plan.segments if ps.segment.kind == "intro"), None)
    for number, cue in enumerate(cues, 1):
        if cue.end > end + Fraction(1, 10):
            raise CaptionError(
                f"cue {number} ends at {float(cue.end):.1f}s, after the episode's end ({float(end):.1f}s): "
                "the file is not timed to this episode", path=path, field="captions.file", hint=fix)
        if intro is not None and cue.end <= intro.timeline_end:
            raise CaptionError(
                f"cue {number} ({float(cue.start):.1f}-{float(cue.end):.1f}s) shows over the intro card "
                f"({float(intro.timeline_start):.1f}-{float(intro.timeline_end):.1f}s): the file is timed to a "
                "clip, not to this episode", path=path, field="captions.file", hint=fix)


def _prepare_captions(ctx: _Context, transcript: Transcript | None = None) -> tuple[Any, BurnIn | None, Any]:
    made = caption_cues(ctx.job, captions=ctx.options.captions, transcribe=ctx.options.transcribe,
                        transcript=transcript)
    if made is None:
        return None, None, CaptionSource()

    cues, source, style_name = made
    style = ctx.job.kit.caption_style(style_name, ctx.plan.profile.shape)
    prof = ctx.plan.profile
    # The filter graph only ever sees paths inside our own temp folder, with plain names.
    fonts = ctx.work / "fonts"
    fonts.mkdir()
    for font in fonts_dir_for(style).iterdir():
        if font.suffix.lower() in (".ttf", ".otf", ".ttc"):
            shutil.copy2(font, fonts / font.name)
    spec, manifest = ctx.plan.episode.captions, ctx.plan.episode.manifest
    with _naming(spec.path if spec.mode == "file" else manifest):
        ass = write_burn_ass(cues, style, width=prof.width, height=prof.height, path=ctx.work / "captions.ass")
    return cues, BurnIn(ass, fonts), source


@contextlib.contextmanager
def _naming(where: Path | None) -> Iterator[None]:
    """Caption layout errors name the file the cues came from (the edited captions, else the manifest)."""
    try:
        yield
    except CaptionError as exc:
        if exc.path is not None or where is None:
            raise
        raise CaptionError(exc.message, path=where, field=exc.field, hint=exc.hint) from None


# --- audio ----------------------------------------------------------------------------------------


def _music(ctx: _Context) -> Music | None:
    spec = ctx.plan.episode.audio.music
    return None if spec is None else Music(spec.file, spec.bed)


def _loudness(ctx: _Context, music: Music | None) -> tuple[RawFilter, ...]:
    if not ctx.options.loudness or not ctx.plan.episode.audio.normalize:
        return ()
    if music is None and not any(ps.has_audio for ps in ctx.plan.segments):
        return ()  # only generated silence: nothing to measure or normalise (a job board of cards)

    target = ctx.plan.episode.audio.loudness or DEFAULT_TARGET
    args = compile_audio_only(ctx.plan, CompileOptions(music=music), analysis=[RawFilter(analysis_filter(target))])
    stderr = run_ffmpeg(["-nostats", *args], what="loudness analysis", discard_on_stop=True)
    stats = parse_loudnorm_output(stderr)
    return (RawFilter(loudnorm_filter(stats, target)),)

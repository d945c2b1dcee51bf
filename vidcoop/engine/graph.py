"""Compile a :class:`~vidcoop.engine.plan.RenderPlan` into ffmpeg arguments.

Pure functions only: no files are read and nothing is run, so tests compare
exact argument lists. The whole episode becomes one ``-filter_complex``:

    each clip:     seek -> fps -> exact frame count -> reframe (crop / fit-blur / fit-pad) -> zoom
    each still:    decode once -> reframe -> yuv420p -> loop (exact frame count) -> zoom
    join:          concat; crossfades blend only the overlapping frames (acrossfade for audio)
    on top:        overlays (logos, cards) with time ranges, then captions (libass)
    audio:         resample, pad or silence, exact sample count, per-segment gain, post filters

Reframe modes live in a registry (:data:`vidcoop.engine.reframe.REFRAMERS`), the sound's part of the
graph in :mod:`vidcoop.engine.audiograph`, the options in :mod:`vidcoop.engine.options`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from vidcoop.engine.audiograph import audio_graph
from vidcoop.engine.filters import AnyFilter, Filter, GraphBuilder, flt, number
from vidcoop.engine.options import AUDIO_RATE, CompileOptions
from vidcoop.engine.plan import PlannedOverlay, PlannedSegment, RenderPlan
from vidcoop.engine.reframe import REFRAMERS, moving, zoom_filter
from vidcoop.media.probing import file_url
from vidcoop.timing import ff_seconds, frames_to_time

# Read a little past each segment's end so the exact trim never runs short.
_READ_MARGIN = Fraction(1, 2)


def input_args(plan: RenderPlan) -> list[str]:
    """``-i`` arguments: one input per segment, then one per overlay image, then music."""
    args: list[str] = []
    for seg in plan.segments:
        # A still is read once (no -loop): the graph repeats its one decoded picture.
        if not seg.is_still:
            args += _span_args(seg)
        args += ["-i", file_url(seg.path)]
    for ov in plan.overlays:
        args += ["-i", file_url(ov.overlay.image)]
    return args


def _span_args(seg: PlannedSegment) -> list[str]:
    """Input options that read a clip's span (from its in point, a little past its end)."""
    start = ["-ss", ff_seconds(seg.source_start)] if seg.source_start else []
    return [*start, "-t", ff_seconds(seg.duration + _READ_MARGIN)]


def _own_audio_inputs(plan: RenderPlan, opts: CompileOptions, first: int) -> dict[int, int]:
    """Input numbers of separate sound inputs for the clips, when the final audio is held back.

    loudnorm's dynamic mode looks 3 s ahead, so the mix is asked for sound 3 s
    beyond the picture being encoded. A file read once for both is demuxed in
    order, so its pictures for those 3 s are decoded too and wait in the graph:
    about 500 MB at 1080x1920 (measured on the example explainer: ffmpeg's peak
    1.31 GB, 0.85 GB with the encode left out, 0.42 GB without loudnorm). Read
    apart (``-vn``), the sound runs ahead alone; the pictures are decoded once.
    """
    if not any(f.render().startswith("loudnorm") for f in opts.audio_post):
        return {}
    clips = [seg for seg in plan.segments if seg.has_audio and not seg.is_still]
    return {seg.index: first + k for k, seg in enumerate(clips)}


def compile_render(plan: RenderPlan, output: Path, options: CompileOptions | None = None) -> list[str]:
    """The full argument list (without the ffmpeg binary) for one render."""
    opts = options or CompileOptions()
    g = GraphBuilder()
    first_mask = len(plan.segments) + len(plan.overlays) + (1 if opts.music else 0)
    masks = {seg.index: first_mask + k for k, seg in enumerate(mask_segments(plan))}
    video = _video_graph(g, plan, opts, masks)
    music_index = len(plan.segments) + len(plan.overlays) if opts.music else None
    own_audio = _own_audio_inputs(plan, opts, first_mask + len(masks))
    audio = audio_graph(g, plan, opts, music_index, own_audio)
    args = input_args(plan)
    if opts.music:
        args += ["-i", file_url(opts.music.path)]
    for seg in mask_segments(plan):  # anonymisation masks, timed from the segment's in point
        assert seg.segment.mask is not None
        args += ["-t", ff_seconds(seg.duration + _READ_MARGIN), "-i", file_url(seg.segment.mask)]
    for seg in plan.segments:  # the clips' sound, read apart from their pictures (see _own_audio_inputs)
        if seg.index in own_audio:
            args += [*_span_args(seg), "-vn", "-i", file_url(seg.path)]
    if opts.threads:
        args += ["-filter_complex_threads", str(opts.threads)]
    args += ["-filter_complex", g.render(), *_output_args(plan, opts, video, audio, output)]
    return args


def _output_args(plan: RenderPlan, opts: CompileOptions, video: str, audio: str, output: Path) -> list[str]:
    """Maps, encoder settings and the file of one output (ffmpeg reads them per output)."""
    prof = plan.profile
    args = ["-map", f"[{video}]", "-map", f"[{audio}]"]
    args += [
        "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-preset", prof.preset, "-crf", str(prof.crf),
        "-r", str(prof.fps), "-frames:v", str(plan.total_frames),
        "-c:a", "aac", "-b:a", prof.audio_bitrate, "-ar", str(AUDIO_RATE), "-ac", "2",
        "-t", ff_seconds(plan.duration),
        "-movflags", "+faststart",
    ]
    threads = opts.encoder_threads or opts.threads
    if threads:
        args += ["-threads", str(threads)]
    title = opts.title if opts.title is not None else plan.episode.title
    if title:
        args += ["-metadata", f"title={title}"]
    for key, value in opts.extra_metadata:
        args += ["-metadata", f"{key}={value}"]
    args += ["-f", "mp4", file_url(output)]
    return args


@dataclass(frozen=True)
class Rendition:
    """One output of a several-shape render: the plan at its shape, its options (captions), its file."""

    plan: RenderPlan
    options: CompileOptions
    output: Path


def compile_renditions(renditions: Sequence[Rendition]) -> list[str]:
    """One argument list that writes every rendition of one edit: the picture shapes of one episode.

    The sources are decoded once; each segment's shared work (seek, rate, exact frame count,
    anonymisation) runs once and is ``split`` to the shapes; each shape reframes, joins, overlays and
    burns its own captions, and is encoded once. The sound is mixed (and loudness-corrected) once and
    ``asplit`` to the outputs. Every plan must be the same edit (same segments and frames) at another
    shape; the first one's sound settings (music, loudness) apply to all.

    Raises:
        ValueError: the plans are not one edit.
    """
    if not renditions:
        raise ValueError("no renditions to compile")
    base, opts = renditions[0].plan, renditions[0].options
    if len(renditions) == 1:
        return compile_render(base, renditions[0].output, opts)
    if not all(_same_edit(base, r.plan) for r in renditions[1:]):
        raise ValueError("renditions of one render must be the same edit at other shapes")
    n = len(renditions)
    g = GraphBuilder()
    first_overlay = []
    index = len(base.segments)
    for r in renditions:
        first_overlay.append(index)
        index += len(r.plan.overlays)
    music_index = index if opts.music else None
    first_mask = index + (1 if opts.music else 0)
    masks = {seg.index: first_mask + k for k, seg in enumerate(mask_segments(base))}
    own_audio = _own_audio_inputs(base, opts, first_mask + len(masks))
    # A still drawn for each shape (a title or end card laid out for its frame) is that shape's own input.
    index = first_mask + len(masks) + len(own_audio)
    own_stills: list[tuple[int, Path]] = []
    shared: list[dict[int, str]] = [{} for _ in renditions]
    for seg in base.segments:
        paths = [r.plan.segments[seg.index].path for r in renditions]
        if len(set(paths)) == 1:
            for k, label in enumerate(_shared_source(g, base, seg, masks.get(seg.index), n)):
                shared[k][seg.index] = label
            continue
        shared[0][seg.index] = f"{seg.index}:v"  # the first shape's card is the segment's own input
        for k, path in enumerate(paths[1:], 1):
            own_stills.append((index, path))
            shared[k][seg.index] = f"{index}:v"
            index += 1
    videos = [_video_graph(g, r.plan, r.options, masks, shared[k], first_overlay[k])
              for k, r in enumerate(renditions)]
    mixed = audio_graph(g, base, opts, music_index, own_audio)
    audios = [g.label("aout") for _ in renditions]
    g.add([mixed], [flt("asplit", n)], audios)
    args: list[str] = []
    for seg in base.segments:
        if not seg.is_still:
            args += _span_args(seg)
        args += ["-i", file_url(seg.path)]
    for r in renditions:
        for ov in r.plan.overlays:
            args += ["-i", file_url(ov.overlay.image)]
    if opts.music:
        args += ["-i", file_url(opts.music.path)]
    for seg in mask_segments(base):
        assert seg.segment.mask is not None
        args += ["-t", ff_seconds(seg.duration + _READ_MARGIN), "-i", file_url(seg.segment.mask)]
    for seg in base.segments:
        if seg.index in own_audio:
            args += [*_span_args(seg), "-vn", "-i", file_url(seg.path)]
    for _, path in own_stills:
        args += ["-i", file_url(path)]
    if opts.threads:
        args += ["-filter_complex_threads", str(opts.threads)]
    args += ["-filter_complex", g.render()]
    for r, video, audio in zip(renditions, videos, audios, strict=True):
        args += _output_args(r.plan, r.options, video, audio, r.output)
    return args


def _same_edit(a: RenderPlan, b: RenderPlan) -> bool:
    """The same segments, frames and rate; only stills (cards drawn per shape) may be other files."""
    if a.profile.fps != b.profile.fps or len(a.segments) != len(b.segments):
        return False
    return all((x.source_start, x.frames, x.is_still) == (y.source_start, y.frames, y.is_still)
               and (x.path == y.path or x.is_still) for x, y in zip(a.segments, b.segments, strict=True))


def _shared_source(g: GraphBuilder, plan: RenderPlan, seg: PlannedSegment, mask_input: int | None, n: int,
                   ) -> list[str]:
    """A segment's picture after the work every shape shares (decode, rate, exact frames, masks), split ``n`` ways.

    A still is its one decoded picture: each shape reframes it once and loops it (or, where its crop
    moves in that shape, repeats it first).
    """
    src = f"{seg.index}:v"
    head: list[Filter] = []
    if not seg.is_still:
        head = _timed(plan.profile.fps, seg.frames)
        if mask_input is not None:
            src = _anonymized(g, src, head, seg, mask_input, plan.profile.fps)
            head = []
    outs = [g.label("sh") for _ in range(n)]
    g.add([src], [*head, flt("split", n)], outs)
    return outs


def compile_frame(plan: RenderPlan, frame: int, output: Path) -> list[str]:
    """Arguments that write frame number ``frame`` of the plan's picture as a PNG (no captions, no sound).

    The picture is the render's own graph (reframe, zoom, masks, overlays), so a cover shows what the
    video shows; the graph stops after that frame. Cut the plan first (:func:`frame_plan`), so only
    one segment is decoded.
    """
    g = GraphBuilder()
    first_mask = len(plan.segments) + len(plan.overlays)
    masks = {seg.index: first_mask + k for k, seg in enumerate(mask_segments(plan))}
    video = _video_graph(g, plan, CompileOptions(), masks)
    out = g.label("frame")
    g.add([video], [flt("trim", start_frame=frame, end_frame=frame + 1), flt("format", "rgb24")], [out])
    args = input_args(plan)
    for seg in mask_segments(plan):
        assert seg.segment.mask is not None
        args += ["-t", ff_seconds(seg.duration + _READ_MARGIN), "-i", file_url(seg.segment.mask)]
    args += ["-filter_complex", g.render(), "-map", f"[{out}]", "-frames:v", "1", "-c:v", "png",
             "-f", "image2", "-update", "1", file_url(output)]
    return args


def frame_plan(plan: RenderPlan, at: Fraction) -> tuple[RenderPlan, int]:
    """The plan cut to the segment on screen at ``at`` (episode seconds), and that frame's number in it.

    In a crossfade the incoming segment is taken (it is what stays on screen). The segment keeps its
    whole length, so its focus keys and zoom run as in the render; overlays showing at ``at`` keep their
    boxes and move with the segment's start.
    """
    fps = plan.profile.fps
    n = math.floor(at * fps)
    hit = [ps for ps in plan.segments if ps.timeline_start * fps <= n][-1]
    local = min(max(0, n - round(hit.timeline_start * fps)), hit.frames - 1)
    shift = hit.timeline_start
    seg = replace(hit, index=0, timeline_start=Fraction(0))
    overlays = tuple(replace(po, start=max(Fraction(0), po.start - shift), end=po.end - shift)
                     for po in plan.overlays if po.start <= at <= po.end)
    return replace(plan, segments=(seg,), overlays=overlays, crossfade_frames=0), local


def compile_audio_only(plan: RenderPlan, options: CompileOptions | None = None,
                       analysis: Sequence[AnyFilter] = ()) -> list[str]:
    """Arguments that mix only the episode's audio into ``-f null`` (for loudness analysis)."""
    opts = options or CompileOptions()
    g = GraphBuilder()
    music_index = len(plan.segments) + len(plan.overlays) if opts.music else None
    audio = audio_graph(g, plan, CompileOptions(music=opts.music), music_index)
    if analysis:
        out = g.label("an")
        g.add([audio], analysis, [out])
        audio = out
    args = input_args(plan)
    if opts.music:
        args += ["-i", file_url(opts.music.path)]
    args += ["-filter_complex", g.render(), "-map", f"[{audio}]", "-vn", "-f", "null", "-"]
    return args


# --- video -----------------------------------------------------------------------------------------


def mask_segments(plan: RenderPlan) -> list[PlannedSegment]:
    """Segments with an anonymisation mask (made by :mod:`vidcoop.faces`), in order."""
    return [seg for seg in plan.segments if seg.segment.mask is not None and not seg.is_still]


def _video_graph(g: GraphBuilder, plan: RenderPlan, opts: CompileOptions, masks: dict[int, int] | None = None,
                 shared: dict[int, str] | None = None, first_overlay: int | None = None) -> str:
    """The picture of one output; ``shared`` gives each segment's source label after the shared work
    (:func:`_shared_source`), ``first_overlay`` the input number of this output's first overlay image."""
    masks = masks or {}
    shared = shared or {}
    sources = [_segment_source(g, plan, seg, masks.get(seg.index), shared.get(seg.index)) for seg in plan.segments]
    current = _join_video(g, plan, sources)
    first = len(plan.segments) if first_overlay is None else first_overlay
    for k, pov in enumerate(plan.overlays):
        current = _overlay(g, plan, current, first + k, pov)
    tail: list[Filter] = []
    if opts.burn is not None:
        tail.append(flt("ass", filename=str(opts.burn.ass_file),
                        fontsdir=str(opts.burn.fonts_dir) if opts.burn.fonts_dir else None))
    tail += [flt("format", "yuv420p")]
    out = g.label("vout")
    g.add([current], tail, [out])
    return out


def _timed(fps: Fraction, frames: int) -> list[Filter]:
    """Restart time, set the output rate and cut to exactly ``frames`` (cloning the last frame if short)."""
    return [
        flt("setpts", "PTS-STARTPTS"),
        flt("fps", str(fps)),
        flt("tpad", stop_mode="clone", stop_duration=1),
        flt("trim", end_frame=frames),
    ]


@dataclass(frozen=True)
class _Source:
    """A segment's picture before the join: all its frames, or (a still) its one reframed picture."""

    label: str
    still: bool = False


def _segment_source(g: GraphBuilder, plan: RenderPlan, seg: PlannedSegment, mask_input: int | None = None,
                    shared: str | None = None) -> _Source:
    if seg.is_still and not moving(seg.segment.reframe):
        return _Source(_still_picture(g, plan, seg, shared), still=True)
    return _Source(_segment_video(g, plan, seg, mask_input, shared))


def _still_picture(g: GraphBuilder, plan: RenderPlan, seg: PlannedSegment, shared: str | None = None) -> str:
    """A still decoded and reframed once: one 4:2:0 picture, which the loop filter repeats."""
    prof = plan.profile
    body = REFRAMERS[seg.segment.reframe.mode](g, shared or f"{seg.index}:v", [], seg.segment.reframe, prof.width,
                                               prof.height, seg)
    out = g.label("pic")
    g.add([body], [flt("setsar", "1"), flt("format", "yuv420p")], [out])
    return out


def _still_frames(g: GraphBuilder, plan: RenderPlan, seg: PlannedSegment, picture: str, first: int, end: int,
                  name: str = "v") -> str:
    """Frames ``first`` to ``end - 1`` of a still segment (the slow zoom where it is then), from its picture."""
    prof = plan.profile
    zoom = seg.segment.reframe.zoom
    filters = _repeat_still(end - first, prof.fps)
    if zoom:
        filters.append(zoom_filter(zoom, seg.frames, prof.width, prof.height, prof.fps, first=first))
    out = g.label(name)
    g.add([picture], filters, [out])
    return out


def _segment_video(g: GraphBuilder, plan: RenderPlan, seg: PlannedSegment, mask_input: int | None = None,
                   shared: str | None = None) -> str:
    reframe = seg.segment.reframe
    if seg.is_still and not moving(reframe):
        return _still_frames(g, plan, seg, _still_picture(g, plan, seg, shared), 0, seg.frames)
    prof = plan.profile
    fps = prof.fps
    src = f"{seg.index}:v"
    out = g.label("v")
    builder = REFRAMERS[reframe.mode]
    # A still whose crop moves is repeated first, then reframed every frame.
    head = _repeat_still(seg.frames, fps) if seg.is_still else _timed(fps, seg.frames)
    if shared is not None:  # seek, rate, frame count and masks were done once for every shape
        src, head = shared, (head if seg.is_still else [])
    elif mask_input is not None:
        src = _anonymized(g, src, head, seg, mask_input, fps)
        head = []
    body = builder(g, src, head, reframe, prof.width, prof.height, seg)
    tail = []
    if reframe.zoom:
        tail.append(zoom_filter(reframe.zoom, seg.frames, prof.width, prof.height, fps))
    tail += [flt("setsar", "1"), flt("format", "yuv420p"), flt("setpts", "PTS-STARTPTS")]
    g.add([body], tail, [out])
    return out


def _anonymized(g: GraphBuilder, src: str, head: list[Filter], seg: PlannedSegment, mask_input: int,
                fps: Fraction) -> str:
    """Blend a blurred (or pixelated) copy of the source through the mask: white hides, black shows."""
    video = seg.info.video
    assert video is not None and seg.segment.anonymize is not None
    w, h = video.display_width, video.display_height
    orig, soft, hidden, mask, masked, out = (g.label("ao"), g.label("as"), g.label("ab"), g.label("am"),
                                             g.label("aa"), g.label("an"))
    g.add([src], [*head, flt("split", 2)], [orig, soft])
    if seg.segment.anonymize.method == "pixelate":
        pw, ph = max(2, w // 40 // 2 * 2), max(2, h // 40 // 2 * 2)
        chain = [flt("scale", pw, ph, flags="area"), flt("scale", w, h, flags="neighbor")]
    else:
        bw, bh = max(2, w // 12 // 2 * 2), max(2, h // 12 // 2 * 2)
        chain = [flt("scale", bw, bh, flags="area"), flt("boxblur", luma_radius=3, luma_power=3),
                 flt("scale", w, h, flags="bilinear")]
    g.add([soft], chain, [hidden])
    g.add([f"{mask_input}:v"], [*_timed(fps, seg.frames), flt("scale", w, h, flags="bilinear"),
                                flt("format", "gray")], [mask])
    g.add([hidden, mask], [flt("alphamerge")], [masked])
    g.add([orig, masked], [flt("overlay", 0, 0)], [out])
    return out


def _repeat_still(frames: int, fps: Fraction) -> list[Filter]:
    """One decoded picture as exactly ``frames`` frames at ``fps``, timestamps 0, 1, 2 ... in 1/fps.

    ``loop`` holds the single frame and sends references to it, so nothing is
    decoded, scaled or converted again; ``fps`` only marks the rate (xfade needs it).
    """
    return [
        flt("loop", loop=frames - 1, size=1),
        flt("settb", str(1 / fps)),
        flt("setpts", "N"),
        flt("fps", str(fps)),
    ]


def _join_video(g: GraphBuilder, plan: RenderPlan, sources: list[_Source]) -> str:
    x = plan.crossfade_frames
    if len(sources) > 1 and x and all(seg.frames > 2 * x for seg in plan.segments[1:-1]):
        return _crossfade_pieces(g, plan, sources)
    labels = [_still_frames(g, plan, seg, src.label, 0, seg.frames) if src.still else src.label
              for seg, src in zip(plan.segments, sources, strict=True)]
    if len(labels) == 1:
        return labels[0]
    if not x:
        out = g.label("vcat")
        g.add(labels, [flt("concat", n=len(labels), v=1, a=0), *_renumber(plan.profile.fps)], [out])
        return out
    # A middle segment too short to hold two whole crossfades: transitions overlap, so chain xfade.
    fps = plan.profile.fps
    xf = frames_to_time(x, fps)
    current = labels[0]
    elapsed = 0
    for seg, nxt in zip(plan.segments, labels[1:], strict=False):
        elapsed += seg.frames - x
        out = g.label("vx")
        offset = frames_to_time(elapsed, fps)
        g.add([current, nxt], [flt("xfade", transition="fade", duration=ff_seconds(xf),
                                   offset=ff_seconds(offset))], [out])
        current = out
    return current


def _crossfade_pieces(g: GraphBuilder, plan: RenderPlan, sources: list[_Source]) -> str:
    """Crossfades as ``concat`` of untouched middles and short blends of the overlapping ends.

    The picture is the same as a chain of xfades, but xfade copies every frame
    it passes on, and in a chain every frame passes every later xfade; here each
    blend sees only its own crossfade frames.

    A clip is split into its head, middle and tail with ``split`` + ``trim``. A
    still's pieces are looped from its one picture, each on its own. The cheaper
    4:2:0 blend (:func:`_blend`) pulls its inputs eagerly: on a clip's tail that
    would hold the clip's whole middle in memory (it is produced first), on a
    clip's head at most one frame. So a crossfade out of a still blends in 4:2:0,
    one out of a clip uses ``xfade``, which pulls only when asked.
    """
    x = plan.crossfade_frames
    n = len(sources)
    xf = ff_seconds(frames_to_time(x, plan.profile.fps))
    heads: list[str | None] = []
    tails: list[str | None] = []
    middles: list[str] = []
    for i, (seg, src) in enumerate(zip(plan.segments, sources, strict=True)):
        has_head, has_tail = i > 0, i < n - 1
        first = x if has_head else 0
        last = seg.frames - x if has_tail else seg.frames
        if src.still:
            pieces = [("head", 0, x)] if has_head else []
            pieces.append(("mid", first, last))
            if has_tail:
                pieces.append(("tail", last, seg.frames))
            pictures = [g.label(f"{name}pic") for name, _, _ in pieces]  # two or three: n > 1 here
            g.add([src.label], [flt("split", len(pieces))], pictures)
            made = {name: _still_frames(g, plan, seg, pic, a, b, name)
                    for (name, a, b), pic in zip(pieces, pictures, strict=True)}
            heads.append(made.get("head"))
            middles.append(made["mid"])
            tails.append(made.get("tail"))
            continue
        head = g.label("head") if has_head else None
        middle = g.label("mid")
        tail = g.label("tail") if has_tail else None
        outs = [p for p in (head, middle, tail) if p is not None]
        g.add([src.label], [flt("split", len(outs))], [f"{o}s" for o in outs])
        if head is not None:
            g.add([f"{head}s"], [flt("trim", end_frame=x)], [head])
        g.add([f"{middle}s"], [flt("trim", start_frame=first or None, end_frame=last),
                               flt("setpts", "PTS-STARTPTS")], [middle])
        if tail is not None:
            g.add([f"{tail}s"], [flt("trim", start_frame=last), flt("setpts", "PTS-STARTPTS")], [tail])
        heads.append(head)
        middles.append(middle)
        tails.append(tail)
    joined: list[str] = []
    for i in range(n):
        joined.append(middles[i])
        tail, head = tails[i], heads[i + 1] if i + 1 < n else None
        if tail is not None and head is not None:
            if sources[i].still:  # the tail waits on nothing (a clip's head holds at most x frames)
                joined.append(_blend(g, tail, head, x))
            else:
                out = g.label("vx")
                g.add([tail, head], [flt("xfade", transition="fade", duration=xf, offset=0)], [out])
                joined.append(out)
    out = g.label("vcat")
    g.add(joined, [flt("concat", n=len(joined), v=1, a=0), *_renumber(plan.profile.fps)], [out])
    return out


def _renumber(fps: Fraction) -> list[Filter]:
    """Frame times 0, 1, 2 ... in 1/fps after a ``concat``.

    concat hands out microsecond timestamps; the xfade chain's 1/fps is what libass and the
    overlays' enable ranges saw before (a cue at 3.200 s starts on the same frame). And concat
    cannot tell how long a piece of one lone frame lasts: the next piece then starts at that
    frame's own time and the output drops a frame. Every piece is whole frames at ``fps``, so
    numbering the frames gives each its exact time.
    """
    return [flt("settb", str(1 / fps)), flt("setpts", "N")]


def _blend(g: GraphBuilder, tail: str, head: str, frames: int) -> str:
    """``head`` faded in over ``tail`` across their ``frames`` shared frames: xfade's ``fade``, cheaper.

    Frame k shows ``tail * (1 - k/frames) + head * k/frames`` as ``xfade=transition=fade``
    does; but xfade works only in 4:4:4 with plain C loops, so each crossfade frame was
    converted up, mixed and converted back (about 11 ms a 1080x1920 frame), where ``fade``
    on an alpha plane and ``overlay`` blend 4:2:0 directly (about 2 ms). Only for inputs
    that do not wait on anything else (see :func:`_crossfade_pieces`).
    """
    faded, out = g.label("fadein"), g.label("vx")
    g.add([head], [flt("format", "yuva420p"), flt("fade", t="in", start_frame=0, nb_frames=frames, alpha=1)],
          [faded])
    g.add([tail, faded], [flt("overlay", 0, 0, format="yuv420", shortest=1)], [out])
    return out


def _overlay(g: GraphBuilder, plan: RenderPlan, base: str, input_index: int, pov: PlannedOverlay) -> str:
    img, out = g.label("ov"), g.label("vo")
    filters = [flt("scale", pov.box.width, pov.box.height, flags="bicubic"), flt("format", "rgba")]
    if pov.overlay.opacity < 1:
        filters.append(flt("colorchannelmixer", aa=number(pov.overlay.opacity)))
    g.add([f"{input_index}:v"], filters, [img])
    enable = f"between(t,{ff_seconds(pov.start)},{ff_seconds(pov.end)})"
    g.add([base, img], [flt("overlay", x=pov.box.x, y=pov.box.y, enable=enable, eof_action="repeat")], [out])
    return out

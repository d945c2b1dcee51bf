"""The episode's sound in the one graph: each segment resampled to an exact sample count with its gain
and its edge fade (a few milliseconds against clicks at jump cuts), joined with crossfades, the ducked
music bed mixed under it. Pure filter text."""

from __future__ import annotations

from vidcoop.audio.music import MusicBed, music_bed_filter
from vidcoop.engine.filters import Filter, GraphBuilder, flt, number
from vidcoop.engine.options import AUDIO_RATE, CompileOptions, Music
from vidcoop.engine.plan import PlannedSegment, RenderPlan
from vidcoop.timing import frames_to_time


def segment_samples(seg: PlannedSegment) -> int:
    """Exact audio samples of a segment: its frames at the output rate, in 48 kHz samples."""
    return round(frames_to_time(seg.frames, seg.fps) * AUDIO_RATE)


def edge_fade(seg: PlannedSegment, samples: int) -> list[Filter]:
    """The segment's short fade in at its first sample and out at its last, sample-exact (none when 0)."""
    fade = min(round(seg.segment.fade * AUDIO_RATE), samples // 2)
    if fade <= 0:
        return []
    return [flt("afade", t="in", ss=0, ns=fade), flt("afade", t="out", ss=samples - fade, ns=fade)]


def audio_graph(g: GraphBuilder, plan: RenderPlan, opts: CompileOptions, music_index: int | None,
                 own_audio: dict[int, int] | None = None) -> str:
    own_audio = own_audio or {}
    labels = []
    for seg in plan.segments:
        samples = segment_samples(seg)
        out = g.label("a")
        norm = [flt("aformat", sample_fmts="fltp", sample_rates=AUDIO_RATE, channel_layouts="stereo")]
        if seg.has_audio:
            chain = [flt("aresample", AUDIO_RATE, async_=1, first_pts=0), *norm,
                     flt("apad"), flt("atrim", end_sample=samples), flt("asetpts", "PTS-STARTPTS")]
            src = [f"{own_audio.get(seg.index, seg.index)}:a"]
        else:
            chain = [flt("anullsrc", r=AUDIO_RATE, cl="stereo"), flt("atrim", end_sample=samples), *norm]
            src = []
        if seg.segment.volume != 1.0:
            chain.append(flt("volume", number(seg.segment.volume)))
        chain += edge_fade(seg, samples)
        g.add(src, chain, [out])
        labels.append(out)
    current = _join_audio(g, plan, labels)
    if opts.music is not None and music_index is not None:
        current = _mix_music(g, plan, current, music_index, opts.music)
    if opts.audio_post:
        out = g.label("apost")
        g.add([current], opts.audio_post, [out])
        current = out
    final = g.label("aout")
    g.add([current], [flt("aformat", sample_fmts="fltp", sample_rates=AUDIO_RATE, channel_layouts="stereo")],
          [final])
    return final


def _join_audio(g: GraphBuilder, plan: RenderPlan, labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    if not plan.crossfade_frames:
        out = g.label("acat")
        g.add(labels, [flt("concat", n=len(labels), v=0, a=1)], [out])
        return out
    samples = round(frames_to_time(plan.crossfade_frames, plan.profile.fps) * AUDIO_RATE)
    current = labels[0]
    for nxt in labels[1:]:
        out = g.label("ax")
        g.add([current, nxt], [flt("acrossfade", ns=samples, c1="tri", c2="tri")], [out])
        current = out
    return current


def _mix_music(g: GraphBuilder, plan: RenderPlan, voice: str, music_index: int, music: Music) -> str:
    out = g.label("mix")
    g.add_fragment(music_bed_filter(f"{music_index}:a", voice, out, duration=plan.duration,
                                    bed=music.bed or MusicBed(), prefix=g.label("bed")))
    return out

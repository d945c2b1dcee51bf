"""The compiler is pure: these tests compare exact argument lists, no ffmpeg involved."""

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.media.probe import AudioInfo, MediaInfo, VideoInfo
from vidcoop.render.filters import escape_graph, escape_option, flt
from vidcoop.render.graph import BurnIn, CompileOptions, compile_audio_only, compile_render, input_args
from vidcoop.render.plan import Box, PlannedOverlay, PlannedSegment, RenderPlan
from vidcoop.render.profiles import PROFILES
from vidcoop.timeline.model import Episode, Keyframe, Overlay, Reframe, Segment


def _info(path, *, audio=True, still=False):
    video = VideoInfo(1920, 1080, 0, None if still else Fraction(25), "h264", "yuv420p")
    return MediaInfo(Path(path), "mov", None if still else Fraction(10), video,
                     (AudioInfo(44100, 2, "aac"),) if audio else (), still, 1000)


def _plan(segments, *, crossfade_frames=0, overlays=(), profile="preview"):
    prof = PROFILES[profile]
    planned, t = [], Fraction(0)
    for i, (seg, frames, info) in enumerate(segments):
        ps = PlannedSegment(i, seg, Path(seg.source), info, seg.start or Fraction(0), frames, t, prof.fps)
        planned.append(ps)
        t = ps.timeline_end - Fraction(crossfade_frames) / prof.fps
    ep = Episode(tuple(s for s, _, _ in segments), title="T")
    return RenderPlan(ep, prof, tuple(planned), tuple(overlays), crossfade_frames)


def test_escaping_levels():
    assert escape_option("a:b'c\\d") == "a\\:b\\'c\\\\d"
    assert escape_graph("x=[a],b;c'") == "x=\\[a\\]\\,b\\;c\\'"
    # A path with every special character survives both levels.
    rendered = flt("ass", filename="/tmp/it's [odd]: a,b;c.ass").render()
    assert rendered == "ass=filename=/tmp/it\\\\\\'s \\[odd\\]\\\\: a\\,b\\;c.ass"


def test_single_segment_crop_exact_args():
    seg = Segment("/m/a.mp4", start=Fraction(1), end=Fraction(3), reframe=Reframe(focus=0.25))
    plan = _plan([(seg, 60, _info("/m/a.mp4"))])
    args = compile_render(plan, Path("/out/x.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert args[:6] == ["-ss", "1", "-t", "2.5", "-i", "file:/m/a.mp4"]
    assert graph == (
        "[0:v]setpts=PTS-STARTPTS,fps=30,tpad=stop_mode=clone:stop_duration=1,trim=end_frame=60,"
        "crop=w=trunc(min(iw\\,ih*540/960)/2)*2:h=trunc(min(ih\\,iw*960/540)/2)*2:x=(iw-ow)*(0.25):y=(ih-oh)/2:"
        "exact=1,"
        "scale=540:960:flags=bicubic[rf0];"
        "[rf0]setsar=1,format=yuv420p,setpts=PTS-STARTPTS[v0];"
        "[v0]format=yuv420p[vout0];"
        "[0:a]aresample=48000:async=1:first_pts=0,"
        "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,"
        "apad,atrim=end_sample=96000,asetpts=PTS-STARTPTS[a0];"
        "[a0]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout0]"
    )
    tail = args[args.index("-map"):]
    assert tail == [
        "-map", "[vout0]", "-map", "[aout0]",
        "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "28",
        "-r", "30", "-frames:v", "60", "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
        "-t", "2", "-movflags", "+faststart", "-metadata", "title=T", "-f", "mp4", "file:/out/x.mp4",
    ]


def test_keyframed_focus_is_piecewise_linear_in_t():
    rf = Reframe(focus=(Keyframe(0, 0.0), Keyframe(2, 1.0), Keyframe(4, 0.5)))
    seg = Segment("/m/a.mp4", end=Fraction(5), reframe=rf)
    graph = compile_render(_plan([(seg, 150, _info("/m/a.mp4"))]), Path("/o.mp4"))
    crop = next(part for part in graph if "crop=" in part)
    assert ("x=(iw-ow)*(if(lt(t\\,0)\\,0\\,if(lt(t\\,2)\\,0+(1)*(t-0)/2\\,"
            "if(lt(t\\,4)\\,1+(-0.5)*(t-2)/2\\,0.5))))") in crop


def test_still_without_audio_gets_silence_and_loop():
    seg = Segment("/m/card.png", duration=Fraction(2), reframe=Reframe(mode="fit-pad", color="#112233"))
    plan = _plan([(seg, 60, _info("/m/card.png", audio=False, still=True))])
    args = compile_render(plan, Path("/o.mp4"))
    assert args[:8] == ["-loop", "1", "-framerate", "30", "-t", "2.5", "-i", "file:/m/card.png"]
    graph = args[args.index("-filter_complex") + 1]
    assert "pad=540:960:(ow-iw)/2:(oh-ih)/2:color=#112233" in graph
    assert "anullsrc=r=48000:cl=stereo,atrim=end_sample=96000" in graph
    assert "[0:a]" not in graph


def test_crossfades_chain_with_frame_exact_offsets():
    segs = [(Segment(f"/m/{n}.mp4"), 45, _info(f"/m/{n}.mp4")) for n in "abc"]
    plan = _plan(segs, crossfade_frames=9)
    assert plan.total_frames == 45 * 3 - 2 * 9
    graph = compile_render(plan, Path("/o.mp4"))[compile_render(plan, Path("/o.mp4")).index("-filter_complex") + 1]
    assert "[v0][v1]xfade=transition=fade:duration=0.3:offset=1.2[vx0]" in graph
    assert "[vx0][v2]xfade=transition=fade:duration=0.3:offset=2.4[vx1]" in graph
    assert "[a0][a1]acrossfade=ns=14400:c1=tri:c2=tri[ax0]" in graph


def test_hard_cuts_use_concat():
    segs = [(Segment(f"/m/{n}.mp4"), 30, _info(f"/m/{n}.mp4")) for n in "ab"]
    graph = compile_render(_plan(segs), Path("/o.mp4"))
    text = graph[graph.index("-filter_complex") + 1]
    assert "[v0][v1]concat=n=2:v=1:a=0[vcat0]" in text
    assert "[a0][a1]concat=n=2:v=0:a=1[acat0]" in text


def test_overlay_time_range_opacity_and_captions_last():
    seg = Segment("/m/a.mp4", end=Fraction(4))
    ov = PlannedOverlay(0, Overlay("/k/logo.png", opacity=0.5), Box(400, 24, 100, 50), Fraction(1), Fraction(3))
    plan = _plan([(seg, 120, _info("/m/a.mp4"))], overlays=[ov])
    args = compile_render(plan, Path("/o.mp4"), CompileOptions(burn=BurnIn(Path("/t/c.ass"), Path("/t/fonts")),
                                                               threads=1, title="Ä: 'x'"))
    assert args[args.index("file:/k/logo.png") - 1] == "-i"
    graph = args[args.index("-filter_complex") + 1]
    assert "[1:v]scale=100:50:flags=bicubic,format=rgba,colorchannelmixer=aa=0.5[ov0]" in graph
    assert "[v0][ov0]overlay=x=400:y=24:enable=between(t\\,1\\,3):eof_action=repeat[vo0]" in graph
    assert graph.endswith("[aout0]")
    assert "[vo0]ass=filename=/t/c.ass:fontsdir=/t/fonts,format=yuv420p[vout0]" in graph
    assert args[args.index("-filter_complex_threads") + 1] == "1"
    assert args[args.index("-threads") + 1] == "1"
    assert "title=Ä: 'x'" in args  # metadata is argv, not graph: no escaping needed


def test_zoom_uses_zoompan_over_segment_frames():
    seg = Segment("/m/card.png", duration=Fraction(2), reframe=Reframe(mode="fit-pad", zoom=(1.0, 1.05)))
    args = compile_render(_plan([(seg, 60, _info("/m/card.png", audio=False, still=True))]), Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert "zoompan=z=1+(0.05)*on/59:x=iw/2-(iw/zoom/2):y=ih/2-(ih/zoom/2):d=1:s=540x960:fps=30" in graph


def test_audio_only_analysis_graph():
    seg = Segment("/m/a.mp4", end=Fraction(1))
    args = compile_audio_only(_plan([(seg, 30, _info("/m/a.mp4"))]), analysis=[flt("ebur128")])
    assert args[-6:] == ["-map", "[an0]", "-vn", "-f", "null", "-"]
    assert "[aout0]ebur128[an0]" in args[args.index("-filter_complex") + 1]
    assert "[0:v]" not in args[args.index("-filter_complex") + 1]


def test_input_urls_cannot_be_mistaken_for_protocols():
    seg = Segment("/m/a:b [1].mp4")
    assert "file:/m/a:b [1].mp4" in input_args(_plan([(seg, 30, _info("/m/a:b [1].mp4"))]))


@pytest.mark.parametrize("mode", ["crop", "fit-blur", "fit-pad"])
def test_every_reframe_mode_ends_at_profile_size(mode):
    seg = Segment("/m/a.mp4", reframe=Reframe(mode=mode))
    args = compile_render(_plan([(seg, 30, _info("/m/a.mp4"))], profile="final"), Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert "1080:1920" in graph

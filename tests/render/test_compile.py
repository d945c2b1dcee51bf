"""The compiler is pure: these tests compare exact argument lists, no ffmpeg involved."""

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.engine.filters import escape_graph, escape_option, flt
from vidcoop.engine.graph import compile_audio_only, compile_render, input_args
from vidcoop.engine.options import BurnIn, CompileOptions
from vidcoop.engine.plan import Box, PlannedOverlay, PlannedSegment, RenderPlan
from vidcoop.engine.profiles import PROFILES
from vidcoop.media.probing import AudioInfo, MediaInfo, VideoInfo
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


def test_still_is_decoded_once_and_repeated_with_loop():
    # Intent: a still is read once (no -loop on the input), reframed and converted to yuv420p once,
    # and only then repeated: exactly 60 frames with timestamps 0..59 in 1/30 s.
    seg = Segment("/m/card.png", duration=Fraction(2), reframe=Reframe(mode="fit-pad", color="#112233"))
    plan = _plan([(seg, 60, _info("/m/card.png", audio=False, still=True))])
    args = compile_render(plan, Path("/o.mp4"))
    assert args[:2] == ["-i", "file:/m/card.png"]
    graph = args[args.index("-filter_complex") + 1]
    assert graph.startswith(
        "[0:v]scale=540:960:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic,"
        "pad=540:960:(ow-iw)/2:(oh-ih)/2:color=#112233[rf0];"
        "[rf0]setsar=1,format=yuv420p[pic0];"
        "[pic0]loop=loop=59:size=1,settb=1/30,setpts=N,fps=30[v0];"
    )
    assert "anullsrc=r=48000:cl=stereo,atrim=end_sample=96000" in graph
    assert "[0:a]" not in graph


def test_still_with_moving_crop_repeats_before_the_crop():
    # Intent: a crop whose focus moves must be evaluated every frame, so the picture is repeated first.
    rf = Reframe(focus=(Keyframe(0, 0.2), Keyframe(2, 0.8)))
    seg = Segment("/m/card.png", duration=Fraction(2), reframe=rf)
    args = compile_render(_plan([(seg, 60, _info("/m/card.png", audio=False, still=True))]), Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert graph.startswith("[0:v]loop=loop=59:size=1,settb=1/30,setpts=N,fps=30,crop=")
    assert "tpad" not in graph


def test_crossfades_xfade_only_the_overlapping_frames():
    # Intent: xfade copies every frame it passes on, so each one sees only its 9 crossfade frames;
    # the untouched middles and the blends are joined by concat, frame-exactly (36 + 9 + 27 + 9 + 36).
    segs = [(Segment(f"/m/{n}.mp4"), 45, _info(f"/m/{n}.mp4")) for n in "abc"]
    plan = _plan(segs, crossfade_frames=9)
    assert plan.total_frames == 45 * 3 - 2 * 9
    args = compile_render(plan, Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    join = graph[graph.index("[v0]split"):graph.index("[vcat0]") + len("[vcat0]")]
    assert join == (
        "[v0]split=2[mid0s][tail0s];"
        "[mid0s]trim=end_frame=36,setpts=PTS-STARTPTS[mid0];"
        "[tail0s]trim=start_frame=36,setpts=PTS-STARTPTS[tail0];"
        "[v1]split=3[head0s][mid1s][tail1s];"
        "[head0s]trim=end_frame=9[head0];"
        "[mid1s]trim=start_frame=9:end_frame=36,setpts=PTS-STARTPTS[mid1];"
        "[tail1s]trim=start_frame=36,setpts=PTS-STARTPTS[tail1];"
        "[v2]split=2[head1s][mid2s];"
        "[head1s]trim=end_frame=9[head1];"
        "[mid2s]trim=start_frame=9:end_frame=45,setpts=PTS-STARTPTS[mid2];"
        "[tail0][head0]xfade=transition=fade:duration=0.3:offset=0[vx0];"
        "[tail1][head1]xfade=transition=fade:duration=0.3:offset=0[vx1];"
        "[mid0][vx0][mid1][vx1][mid2]concat=n=5:v=1:a=0,settb=1/30,setpts=N[vcat0]"
    )
    assert "[a0][a1]acrossfade=ns=14400:c1=tri:c2=tri[ax0]" in graph


def test_short_middle_segment_falls_back_to_an_xfade_chain():
    # Intent: a middle segment shorter than two crossfades has overlapping transitions: chain xfade.
    segs = [(Segment("/m/a.mp4"), 45, _info("/m/a.mp4")), (Segment("/m/b.mp4"), 15, _info("/m/b.mp4")),
            (Segment("/m/c.mp4"), 45, _info("/m/c.mp4"))]
    args = compile_render(_plan(segs, crossfade_frames=9), Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert "[v0][v1]xfade=transition=fade:duration=0.3:offset=1.2[vx0]" in graph
    assert "[vx0][v2]xfade=transition=fade:duration=0.3:offset=1.4[vx1]" in graph
    assert "concat" not in graph.split("[a0]")[0]


def test_hard_cuts_use_concat():
    segs = [(Segment(f"/m/{n}.mp4"), 30, _info(f"/m/{n}.mp4")) for n in "ab"]
    graph = compile_render(_plan(segs), Path("/o.mp4"))
    text = graph[graph.index("-filter_complex") + 1]
    assert "[v0][v1]concat=n=2:v=1:a=0,settb=1/30,setpts=N[vcat0]" in text
    assert "[a0][a1]concat=n=2:v=0:a=1[acat0]" in text


def test_edge_fade_is_a_sample_exact_afade_on_both_sides_of_the_cut():
    # Intent: a rough cut's segments fade their sound in and out over 8 ms (384 samples at 48 kHz),
    # after the gain, so a jump cut inside speech does not click; a segment without it is unchanged.
    segs = [(Segment("/m/a.mp4", start=1, end=3, fade=Fraction(8, 1000), volume=0.5), 60, _info("/m/a.mp4")),
            (Segment("/m/b.mp4", end=2), 60, _info("/m/b.mp4"))]
    args = compile_render(_plan(segs), Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert ("apad,atrim=end_sample=96000,asetpts=PTS-STARTPTS,volume=0.5,"
            "afade=t=in:ss=0:ns=384,afade=t=out:ss=95616:ns=384[a0];") in graph
    assert "[1:a]aresample=48000:async=1:first_pts=0," in graph
    assert graph.count("afade") == 2


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
    # Intent: the zoom stays per frame, on the repeated yuv420p picture (no conversion per frame).
    assert ("format=yuv420p[pic0];[pic0]loop=loop=59:size=1,settb=1/30,setpts=N,fps=30,"
            "zoompan=z=1+(0.05)*on/59:x=iw/2-(iw/zoom/2):y=ih/2-(ih/zoom/2):d=1:s=540x960:fps=30[v0]") in graph


def test_crossfaded_stills_are_looped_in_pieces_and_blended_in_420():
    # Intent: between two stills nothing is split after the loop: each piece (head, middle, tail) loops
    # the one picture on its own, the zoom continues where the piece starts (on+first), and the
    # crossfade is fade (alpha) + overlay in 4:2:0, not xfade (4:4:4 both ways) -- see _crossfade_pieces.
    zoom = Reframe(mode="fit-pad", zoom=(1.0, 1.05))
    segs = [(Segment(f"/m/{n}.png", duration=Fraction(2), reframe=zoom), 60,
             _info(f"/m/{n}.png", audio=False, still=True)) for n in "ab"]
    plan = _plan(segs, crossfade_frames=9)
    args = compile_render(plan, Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    video = graph[: graph.index("[vout0]")]
    assert "xfade=" not in video and "trim=" not in video
    assert "[pic0]split=2[midpic0][tailpic0];" in graph
    assert "[tailpic0]loop=loop=8:size=1,settb=1/30,setpts=N,fps=30,zoompan=z=1+(0.05)*(on+51)/59:" in graph
    assert "[headpic0]loop=loop=8:size=1,settb=1/30,setpts=N,fps=30,zoompan=z=1+(0.05)*on/59:" in graph
    assert "[midpic1]loop=loop=50:size=1,settb=1/30,setpts=N,fps=30,zoompan=z=1+(0.05)*(on+9)/59:" in graph
    assert ("[head0]format=yuva420p,fade=t=in:start_frame=0:nb_frames=9:alpha=1[fadein0];"
            "[tail0][fadein0]overlay=0:0:format=yuv420:shortest=1[vx0];") in graph
    assert "[mid0][vx0][mid1]concat=n=3:v=1:a=0,settb=1/30,setpts=N[vcat0]" in graph


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


def test_clips_sound_is_read_apart_when_loudnorm_looks_ahead():
    # Intent: dynamic loudnorm asks for sound 3 s beyond the picture; a file read once for both would
    # decode those 3 s of pictures too and hold them (~400 MB at 1080x1920). So each clip's sound gets
    # its own input (-vn, the same span), after all others; a plain gain (volume) needs none.
    from vidcoop.engine.filters import RawFilter

    segs = [
        (Segment("/m/a.mp4", start=Fraction(2), end=Fraction(3)), 30, _info("/m/a.mp4")),
        (Segment("/m/card.png", duration=Fraction(1)), 30, _info("/m/card.png", audio=False, still=True)),
        (Segment("/m/b.mp4", end=Fraction(1)), 30, _info("/m/b.mp4")),
    ]
    plan = _plan(segs)
    dynamic = CompileOptions(audio_post=(RawFilter("loudnorm=I=-14:TP=-1:linear=true,aresample=48000"),))
    args = compile_render(plan, Path("/o.mp4"), dynamic)
    assert args[: args.index("-filter_complex")] == [
        "-ss", "2", "-t", "1.5", "-i", "file:/m/a.mp4", "-i", "file:/m/card.png", "-t", "1.5", "-i", "file:/m/b.mp4",
        "-ss", "2", "-t", "1.5", "-vn", "-i", "file:/m/a.mp4", "-t", "1.5", "-vn", "-i", "file:/m/b.mp4",
    ]  # fmt: skip
    graph = args[args.index("-filter_complex") + 1]
    assert "[3:a]aresample" in graph and "[4:a]aresample" in graph and "[0:a]" not in graph
    assert "[0:v]" in graph and "[2:v]" in graph  # the pictures still come from the first inputs
    plain = compile_render(plan, Path("/o.mp4"), CompileOptions(audio_post=(RawFilter("volume=2dB"),)))
    assert "-vn" not in plain and "[0:a]aresample" in plain[plain.index("-filter_complex") + 1]

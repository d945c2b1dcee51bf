"""Issue #29, widening for the moment: where the subject is faster than the camera, a ``crop`` shows the
whole picture (fit-blur) for that moment only, cross-faded in and out, in the one filter graph.

The compile test checks the graph's pieces without ffmpeg; the render test makes the generated ``dash``
(a face standing, then running across the frame, then standing) and measures the output's frames: the
whole face is in the picture, and outside the moment every frame is the full-height crop.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from tests.render.test_compile import _info, _plan
from vidcoop.engine.graph import compile_render
from vidcoop.timeline.model import Keyframe, Reframe, Segment

FPS = 30  # the preview profile's rate


def test_a_crop_with_a_moment_is_cut_in_pieces_and_cross_faded_in_one_graph() -> None:
    rf = Reframe(focus=(Keyframe(Fraction(0), 0.0), Keyframe(Fraction(4), 1.0)),
                 widen=((Fraction(1), Fraction(5, 4), Fraction(2), Fraction(9, 4)),))
    seg = Segment("/m/a.mp4", end=Fraction(4), reframe=rf)
    args = compile_render(_plan([(seg, 120, _info("/m/a.mp4"))]), Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert args.count("-i") == 1 and "split=5[wsrc0][wsrc1][wsrc2][wsrc3][wsrc4]" in graph
    # crop 0-1 s, the moment 1-2.25 s (fit-blur made for its 38 frames only), crop 2.25-4 s
    trims = re.findall(r"\[(wsrc\d)\]trim=start_frame=(\d+):end_frame=(\d+),(crop|setpts)", graph)
    assert trims == [("wsrc0", "0", "30", "crop"), ("wsrc1", "30", "68", "setpts"), ("wsrc2", "30", "38", "crop"),
                     ("wsrc3", "60", "68", "crop"), ("wsrc4", "68", "120", "crop")]
    assert "[wp1][rf0]xfade=transition=fade:duration=0.266667:offset=0[wx0]" in graph  # fade in
    assert "[wx0][wp2]xfade=transition=fade:duration=0.266667:offset=1[wx1]" in graph  # and out, 30 frames on
    assert "[wp0][wx1][wp3]concat=n=3:v=1:a=0[rf1]" in graph
    # each crop piece sees the segment's own time (the focus expression), and starts at 0 after its crop
    assert graph.count("if(lt(t\\,4)\\,0+(1)*(t-0)/4\\,1)") == 4
    assert graph.count("scale=540:960:flags=bicubic,setpts=PTS-STARTPTS") == 4


def test_a_moment_at_the_start_has_no_fade_in() -> None:
    rf = Reframe(focus=0.5, widen=((Fraction(0), Fraction(0), Fraction(1), Fraction(5, 4)),))
    seg = Segment("/m/a.mp4", end=Fraction(2), reframe=rf)
    args = compile_render(_plan([(seg, 60, _info("/m/a.mp4"))]), Path("/o.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    assert graph.count("xfade=") == 1 and "[rf0][wp0]xfade=transition=fade:duration=0.266667:offset=1[wx0]" in graph


@pytest.mark.slow  # makes the footage, runs CenterFace, renders, decodes the output
@pytest.mark.parametrize("name", ["dash", "cross-2-textured"])
def test_only_the_moment_is_widened_and_every_other_frame_is_the_crop(motion_footage, tmp_path: Path,
                                                                      name: str) -> None:
    """The dash (standing, running across in 1.6 s, standing) widens for one moment; the crossing in
    2 s, which the camera keeps up with by setting off early, for none."""
    import json

    import av
    import numpy as np

    from vidcoop import render
    from vidcoop.engine.api import RenderOptions
    from vidcoop.faces.analysis import analyse
    from vidcoop.faces.reframe import auto_path, focus_at
    from vidcoop.timeline.model import Episode

    scene = motion_footage(name)
    out = tmp_path / f"{name}.mp4"
    ep = Episode([Segment(scene.path, reframe=Reframe(mode="auto"))], title=name)
    result = render(ep, out, options=RenderOptions(profile="preview", loudness=False, captions=False))
    report = json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))
    (entry,) = report["extra"]["faces"]
    assert entry["reframe"] == "crop"  # not the whole segment
    path = auto_path(analyse(scene.path))  # the path the render used (the analysis is cached)
    if name == "dash":
        said = entry["reframe_widened"]
        assert re.fullmatch(r"fit-blur 0:0\d\.\d\u20130:0\d\.\d in segment 1 \(subject faster than the camera\)",
                            said)
        assert said in result.warnings
        ((a, b, c, d),) = path.widen
    else:
        assert "reframe_widened" not in entry and path.widen == ()
        a = b = c = d = scene.duration + 1  # no moment: every frame is the crop
    analysis = analyse(scene.path)
    room = analysis.width - path.crop_width
    # The textured background is sharp in the crop over the full height; in fit-blur the top and bottom
    # are the blurred copy: the mean step between neighbouring pixels in the top tenth tells them apart.
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="gray").astype(np.int16) for f in container.decode(video=0)]
    assert len(frames) == round(scene.duration * FPS)
    sharp = [float(np.abs(np.diff(g[: g.shape[0] // 10], axis=1)).mean()) for g in frames]
    crop_level = np.median([s for i, s in enumerate(sharp) if i / FPS < a - 0.1 or i / FPS >= d + 0.1])
    inside = seen = 0
    for i, level in enumerate(sharp):
        t = i / FPS
        shown_whole = b <= t < c
        if t < a or t >= d:  # outside the moment and its fades: the full-height crop
            assert level > 0.7 * crop_level, (t, level, crop_level)
        elif shown_whole:  # fit-blur: the blurred band
            assert level < 0.3 * crop_level, (t, level, crop_level)
        box = scene.visible(0, t)
        if box is None:
            continue
        seen += 1
        x0 = focus_at(path.keys, t) * room
        in_crop = x0 - 0.5 <= box[0] and box[2] <= x0 + path.crop_width + 0.5
        inside += in_crop or a <= t < d  # the whole picture is (cross-faded) in, the face with it
        if not in_crop:
            assert a <= t < d, t  # the face leaves the crop only inside the moment
    assert inside >= 0.98 * seen, (inside, seen)
    assert c - b < 2.0 or name != "dash"

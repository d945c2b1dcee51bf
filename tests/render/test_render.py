"""Integration: render generated lavfi media and check the output with PyAV and pixels."""

from __future__ import annotations

import os
import stat
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from vidcoop import ClipSource, Episode, Keyframe, Overlay, Reframe, Segment
from vidcoop.engine import RenderOptions
from vidcoop.errors import ManifestError, MediaError, RenderError
from vidcoop.media import probe
from vidcoop.media.ffmpeg import set_ffmpeg
from vidcoop.media.runner import run_ffmpeg
from vidcoop.pipeline import render

pytestmark = pytest.mark.slow

PREVIEW_FRAME = Fraction(1, 30)


def frame_at(path: Path, t: float) -> np.ndarray:
    """The decoded RGB frame shown at time t."""
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            if frame.time is not None and frame.time + 1e-6 >= t:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t}")


def count_frames(path: Path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(video=0))


def mean_rgb(img: np.ndarray) -> np.ndarray:
    return img.reshape(-1, 3).mean(axis=0)


def test_output_format_is_what_platforms_want(landscape_clip, tmp_path):
    out = tmp_path / "out.mp4"
    ep = Episode([Segment(landscape_clip, start=Fraction(1, 2), end=Fraction(5, 2))], title="Wege zum Job: Folge 1")
    result = render(ep, out, profile="preview")
    info = probe(out)
    assert (info.video.width, info.video.height) == (540, 960)
    assert info.video.fps == 30
    assert abs(info.duration - 2) <= PREVIEW_FRAME
    assert count_frames(out) == 60 == result.frames
    assert info.audio and info.audio[0].sample_rate == 48000 and info.audio[0].codec == "aac"
    with av.open(str(out)) as c:
        stream = c.streams.video[0]
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert stream.codec_context.profile == "High"
        assert c.metadata.get("title") == "Wege zum Job: Folge 1"
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart


@pytest.mark.parametrize(("focus", "colour"), [(0.0, "red"), (1.0, "blue")])
def test_crop_focus_picks_the_side(red_blue_clip, tmp_path, focus, colour):
    out = tmp_path / f"crop{focus}.mp4"
    render(Episode([Segment(red_blue_clip, end=1, reframe=Reframe(focus=focus))]), out, profile="preview")
    r, _, b = mean_rgb(frame_at(out, 0.5))
    assert (r > 200 and b < 40) if colour == "red" else (b > 200 and r < 40)


def test_keyframed_focus_follows_the_subject(red_blue_clip, tmp_path):
    out = tmp_path / "pan.mp4"
    rf = Reframe(focus=(Keyframe(0, 0.0), Keyframe(Fraction(3, 2), 1.0)))
    render(Episode([Segment(red_blue_clip, end=2, reframe=rf)]), out, profile="preview")
    start, end = mean_rgb(frame_at(out, 0.0)), mean_rgb(frame_at(out, 1.8))
    assert start[0] > 200 and start[2] < 40
    assert end[2] > 200 and end[0] < 40


def test_fit_pad_and_fit_blur_keep_the_whole_frame(red_blue_clip, tmp_path):
    pad = tmp_path / "pad.mp4"
    render(Episode([Segment(red_blue_clip, end=1, reframe=Reframe(mode="fit-pad", color="#00ff00"))]), pad,
           profile="preview")
    img = frame_at(pad, 0.5)
    assert mean_rgb(img[:100])[1] > 200  # green bar above
    middle = img[480]
    assert middle[10][0] > 200 and middle[-10][2] > 200  # red left, blue right: whole width shown
    blur = tmp_path / "blur.mp4"
    render(Episode([Segment(red_blue_clip, end=1, reframe=Reframe(mode="fit-blur"))]), blur, profile="preview")
    img = frame_at(blur, 0.5)
    top = mean_rgb(img[:100])
    assert top[0] > 40 and top[2] > 40 and top[1] < 60  # blurred red+blue, not a flat colour pad
    assert img[480][10][0] > 200 and img[480][-10][2] > 200


def test_rotated_phone_footage_is_turned_upright(make_media, tmp_path):
    # Stored landscape, red left / blue right, with a 90° display matrix: shown portrait, colours stacked.
    stored = make_media(
        "to-rotate.mp4", "color=c=red:s=320x180:r=30:d=1[l];color=c=blue:s=320x180:r=30:d=1[r];[l][r]hstack[out0]"
    )
    src = tmp_path / "rotated.mp4"
    run_ffmpeg(["-loglevel", "error", "-display_rotation", "90", "-i", str(stored), "-c", "copy", str(src)])
    assert probe(src).video.rotation in (90, 270)
    assert (probe(src).video.display_width, probe(src).video.display_height) == (180, 640)
    out = tmp_path / "upright.mp4"
    render(Episode([Segment(src, reframe=Reframe(mode="fit-pad"))]), out, profile="preview")
    img = frame_at(out, 0.5)
    top, bottom = mean_rgb(img[100:400]), mean_rgb(img[560:860])
    # Upright portrait: one colour on top, the other below (not side by side).
    assert {int(np.argmax(top)), int(np.argmax(bottom))} == {0, 2}


def test_mixed_rates_stills_and_missing_audio(make_media, still_png, tmp_path):
    clips = [
        make_media("pal.mp4", "testsrc2=s=320x240:r=25:d=2", "sine=f=300:r=44100:d=2"),
        make_media("ntsc.mp4", "testsrc2=s=320x240:r=30000/1001:d=2", "sine=f=500:r=22050:d=2"),
        make_media("hfr.mp4", "testsrc2=s=320x180:r=60:d=2"),  # no audio track
        make_media("vfr.mkv", "testsrc2=s=240x240:r=30:d=2,setpts='PTS+0.02*sin(N)/TB'",
                   "sine=f=700:r=32000:d=2", extra=("-fps_mode", "vfr", "-c:v", "libx264", "-c:a", "aac")),
        make_media("photo.jpg", "color=c=orange:s=300x500"),
    ]
    segs = [Segment(c, start=Fraction(1, 3), end=Fraction(4, 3)) for c in clips[:4]]
    segs += [Segment(clips[4], duration=Fraction(1)), Segment(still_png, duration=Fraction(1, 2))]
    out = tmp_path / "mixed.mp4"
    result = render(Episode(segs), out, profile="preview")
    assert result.frames == 4 * 30 + 30 + 15
    assert count_frames(out) == result.frames
    info = probe(out)
    assert abs(info.duration - Fraction(result.frames, 30)) <= PREVIEW_FRAME
    assert info.audio[0].sample_rate == 48000


def test_crossfade_shortens_by_exact_frames_and_blends(red_blue_clip, make_media, tmp_path):
    green = make_media("green.mp4", "color=c=green:s=320x240:r=30:d=2", "sine=f=200:d=2")
    out = tmp_path / "xfade.mp4"
    ep = Episode([Segment(red_blue_clip, end=1, reframe=Reframe(focus=0.0)), Segment(green, end=1)],
                 crossfade=Fraction(1, 3))
    result = render(ep, out, profile="preview")
    assert result.frames == 60 - 10
    assert count_frames(out) == 50
    mid = mean_rgb(frame_at(out, 0.84))  # halfway through the fade: red and green mixed
    assert mid[0] > 60 and mid[1] > 40


def test_overlay_logo_position_time_and_opacity(landscape_clip, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo with space's [x].png"
    Image.new("RGBA", (200, 100), (255, 0, 255, 255)).save(logo)
    out = tmp_path / "logo.mp4"
    ov = Overlay(logo, anchor="top-right", width=200, margin=40, start=1, end=2)
    render(Episode([Segment(landscape_clip, end=3)], overlays=[ov]), out, profile="preview")
    # Design box 200x100 at top-right with margin 40 -> preview (x0.5): x 420..520, y 20..70.
    inside = lambda img: mean_rgb(img[30:60, 440:510])  # noqa: E731
    assert inside(frame_at(out, 1.5))[1] < 40 and inside(frame_at(out, 1.5))[0] > 200
    assert not (inside(frame_at(out, 0.5))[0] > 200 and inside(frame_at(out, 0.5))[1] < 40)
    half = tmp_path / "half.mp4"
    render(Episode([Segment(landscape_clip, end=1)], overlays=[Overlay(logo, opacity=0.5)]), half,
           profile="preview")
    assert 60 < mean_rgb(frame_at(half, 0.5)[30:60, 440:510])[0] < 235


def test_paths_with_spaces_quotes_colons_and_brackets(landscape_clip, tmp_path):
    odd = tmp_path / "it's: a [test], really; 100%"
    odd.mkdir()
    src = odd / "clip 'a': [1].mp4"
    src.write_bytes(landscape_clip.read_bytes())
    out = odd / "out: 'final' [v2].mp4"
    render(Episode([Segment(src, end=1)]), out, profile="preview")
    assert probe(out).duration


def test_progress_reports_up_to_done(landscape_clip, tmp_path):
    seen = []
    render(Episode([Segment(landscape_clip)]), tmp_path / "p.mp4", profile="preview", progress=seen.append)
    assert seen and seen[-1].done and seen[-1].fraction == 1.0
    fractions = [p.fraction for p in seen if p.fraction is not None]
    assert fractions == sorted(fractions)


def test_moviepy_clip_is_rendered_once_and_cached(tmp_path, monkeypatch):
    from moviepy import ColorClip

    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    clip = ColorClip((160, 90), color=(0, 0, 255), duration=1).with_fps(24)
    ep = Episode([Segment(ClipSource(clip, "blue"), reframe=Reframe(mode="fit-pad"))])
    render(ep, tmp_path / "a.mp4", profile="preview")
    cached = list((tmp_path / "cache" / "clips").iterdir())
    assert len(cached) == 1
    first_mtime = cached[0].stat().st_mtime_ns
    render(ep, tmp_path / "b.mp4", profile="preview")
    assert cached[0].stat().st_mtime_ns == first_mtime
    assert mean_rgb(frame_at(tmp_path / "b.mp4", 0.5)[400:560])[2] > 200


# --- bad input: typed errors before ffmpeg starts ------------------------------------------------


@pytest.fixture(scope="session")
def long_clip(make_media):
    return make_media("long.mp4", "testsrc2=s=320x240:r=30:d=4", "sine=d=4", extra=("-movflags", "+faststart"))


def test_missing_file(no_ffmpeg, tmp_path):
    with pytest.raises(MediaError) as exc:
        render(Episode([Segment(tmp_path / "gone.mp4")]), tmp_path / "o.mp4")
    assert exc.value.path.endswith("gone.mp4") and exc.value.field == "segments.0.source"


def test_not_media(no_ffmpeg, tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video")
    with pytest.raises(MediaError, match="not a readable media file"):
        render(Episode([Segment(fake)]), tmp_path / "o.mp4")


def test_truncated_file(no_ffmpeg, long_clip, tmp_path):
    whole = long_clip
    cut = tmp_path / "cut.mp4"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(MediaError, match=r"truncated|corrupt"):
        render(Episode([Segment(cut, end=Fraction(7, 2))]), tmp_path / "o.mp4")


def test_out_beyond_duration(no_ffmpeg, landscape_clip, tmp_path):
    with pytest.raises(MediaError, match="beyond the source's duration") as exc:
        render(Episode([Segment(landscape_clip, start=1, end=9)]), tmp_path / "o.mp4")
    assert exc.value.field == "segments.0.out"


def test_in_not_before_out(no_ffmpeg, landscape_clip, tmp_path):
    with pytest.raises(ManifestError) as exc:
        render(Episode([Segment(landscape_clip, start=2, end=1)]), tmp_path / "o.mp4")
    assert exc.value.field == "segments.0.in"


def test_unknown_reframe_mode(no_ffmpeg, landscape_clip, tmp_path):
    with pytest.raises(ManifestError, match="unknown reframe mode 'zoom-in'") as exc:
        render(Episode([Segment(landscape_clip, reframe=Reframe(mode="zoom-in"))]), tmp_path / "o.mp4")
    assert exc.value.field == "segments.0.reframe.mode"


# --- failures leave nothing under the final name --------------------------------------------------


# A fake ffmpeg answers the one "-version" check run_ffmpeg makes of a binary, as ffmpeg does.
ANSWERS_VERSION = '[ "$1" = -version ] && { echo "ffmpeg version fake"; exit 0; }\n'


def _fake_ffmpeg(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-ffmpeg"
    script.write_text("#!/bin/sh\n" + ANSWERS_VERSION + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_ffmpeg_failure_carries_command_and_stderr_and_leaves_no_file(landscape_clip, tmp_path):
    # Writes half a file to its output, complains, and fails.
    script = _fake_ffmpeg(tmp_path, 'for a; do last="$a"; done\nprintf half > "${last#file:}"\n'
                                    'echo "Error while filtering: Cannot allocate memory" >&2\nexit 1\n')
    set_ffmpeg(script)
    try:
        out = tmp_path / "final.mp4"
        with pytest.raises(RenderError) as exc:
            render(Episode([Segment(landscape_clip, end=1)]), out, profile="preview",
                   options=RenderOptions(loudness=False))
    finally:
        set_ffmpeg(None)
    assert "Cannot allocate memory" in exc.value.stderr_tail
    assert exc.value.command[0] == str(script) and "-filter_complex" in exc.value.command
    assert exc.value.returncode == 1
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".final")]


def test_interrupt_stops_ffmpeg_and_cleans_up(landscape_clip, tmp_path):
    def interrupt(progress):
        raise KeyboardInterrupt

    out = tmp_path / "stopped.mp4"
    script = _fake_ffmpeg(tmp_path, 'for a; do last="$a"; done\nprintf x > "${last#file:}"\n'
                                    'echo "out_time_us=1000"; echo "progress=continue"; sleep 30\n')
    set_ffmpeg(script)
    try:
        with pytest.raises(KeyboardInterrupt):
            render(Episode([Segment(landscape_clip, end=1)]), out, profile="preview", progress=interrupt,
                   options=RenderOptions(loudness=False))
    finally:
        set_ffmpeg(None)
    assert not out.exists()
    assert os.listdir(tmp_path) == ["fake-ffmpeg"]

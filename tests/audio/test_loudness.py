"""Loudness: pure filter text, and the two-pass correction measured independently."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.audio import (
    LoudnessStats,
    LoudnessTarget,
    analysis_args,
    level_match_gains,
    loudnorm_filter,
    measure_loudness,
    measure_span,
    parse_loudnorm_output,
    volume_filter,
)
from vidcoop.errors import RenderError
from vidcoop.media.runner import run_ffmpeg

STDERR = """[Parsed_loudnorm_0 @ 0x5583] 
{
	"input_i" : "-30.02",
	"input_tp" : "-26.30",
	"input_lra" : "0.00",
	"input_thresh" : "-40.02",
	"output_i" : "-14.10",
	"output_tp" : "-10.38",
	"output_lra" : "0.00",
	"output_thresh" : "-24.10",
	"normalization_type" : "linear",
	"target_offset" : "0.10"
}
[out#0/null @ 0x5583] video:0KiB audio:752KiB"""


def test_parse_loudnorm_json_from_stderr() -> None:
    stats = parse_loudnorm_output(STDERR)
    assert stats == LoudnessStats(
        integrated=-30.02, true_peak=-26.3, lra=0.0, threshold=-40.02, target_offset=0.1
    )
    assert not stats.is_silent


def test_parse_without_json_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="no measurement"):
        parse_loudnorm_output("[out#0/null] nothing here")


def test_silence_parses_as_minus_infinity() -> None:
    text = STDERR.replace('"-30.02"', '"-inf"').replace('"-26.30"', '"-inf"')
    stats = parse_loudnorm_output(text)
    assert math.isinf(stats.integrated) and stats.is_silent
    assert loudnorm_filter(stats) == "aresample=48000"


def test_analysis_args_append_loudnorm_to_the_final_label() -> None:
    args = analysis_args(
        ["-i", "a.mp4", "-i", "b.mp4"],
        graph="[0:a][1:a]concat=n=2:v=0:a=1[aout];",
        label="[aout]",
        target=LoudnessTarget(integrated=-16, true_peak=-1.5, lra=9),
    )
    assert args == [
        "-nostats",
        "-i", "a.mp4", "-i", "b.mp4",
        "-filter_complex",
        "[0:a][1:a]concat=n=2:v=0:a=1[aout];"
        "[aout]loudnorm=I=-16:TP=-1.5:LRA=9:print_format=json[vc_loudness]",
        "-map", "[vc_loudness]",
        "-vn", "-sn", "-f", "null", "-",
    ]  # fmt: skip


def test_analysis_args_without_graph_measure_first_audio_stream() -> None:
    assert analysis_args(["-i", "x.wav"]) == [
        "-nostats", "-i", "x.wav", "-map", "0:a:0",
        "-af", "loudnorm=I=-14:TP=-1:LRA=11:print_format=json",
        "-vn", "-sn", "-f", "null", "-",
    ]  # fmt: skip


def test_loudnorm_filter_second_pass_text() -> None:
    stats = parse_loudnorm_output(STDERR)
    assert loudnorm_filter(stats) == (
        "loudnorm=I=-14:TP=-1:LRA=11:measured_I=-30.02:measured_TP=-26.3:measured_LRA=0:"
        "measured_thresh=-40.02:offset=0.1:linear=true,aresample=48000"
    )


def test_loudnorm_filter_widens_lra_to_stay_linear() -> None:
    # Intent: the target range is widened to the measured 15.5 LU, so the correction stays linear; a linear
    # correction is loudnorm's plain gain, applied as `volume` without loudnorm's 192 kHz round trip.
    stats = LoudnessStats(integrated=-20, true_peak=-8, lra=15.5, threshold=-30, target_offset=0)
    assert loudnorm_filter(stats, LoudnessTarget()) == "volume=6dB"


def test_loudnorm_stays_when_the_gain_would_break_the_true_peak_ceiling() -> None:
    stats = LoudnessStats(integrated=-20, true_peak=-4, lra=5, threshold=-30, target_offset=0.2)
    assert loudnorm_filter(stats).startswith("loudnorm=I=-14:TP=-1:LRA=11:measured_I=-20:measured_TP=-4:")


def test_target_validation() -> None:
    with pytest.raises(ValueError, match="true peak"):
        LoudnessTarget(true_peak=2)


def test_level_match_only_turns_down() -> None:
    loud = LoudnessStats(-8.0, -0.5, 4, -18, 0)
    quiet = LoudnessStats(-30.0, -20, 4, -40, 0)
    silent = LoudnessStats(float("-inf"), float("-inf"), 0, -70, 0)
    gains = level_match_gains({"bumper": loud, "clip": quiet, "gap": silent}, reference=-18.0, headroom=1)
    assert gains == {"bumper": -11.0, "clip": 0.0, "gap": 0.0}
    assert volume_filter(-11.0) == "volume=-11dB"


def _decode_stereo(path: Path) -> tuple[object, int]:
    import av
    import numpy as np

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="fltp", layout=stream.layout.name, rate=rate)
        frames = [o.to_ndarray() for f in container.decode(stream) for o in resampler.resample(f)]
    data = np.concatenate(frames, axis=1).T.astype("float64")
    return data, rate


def test_two_pass_reaches_target_measured_with_pyloudnorm(tmp_path: Path, make_media) -> None:
    pyln = pytest.importorskip("pyloudnorm")
    # A 1 kHz tone at roughly -30 LUFS with a slow tremolo, so it is not a flat line.
    quiet = make_media(
        "quiet_tone.wav", audio="aevalsrc='0.045*(0.8+0.2*sin(2*PI*0.5*t))*sin(2*PI*1000*t)':s=48000:d=6"
    )
    stats = measure_loudness(["-i", str(quiet)])
    assert -33 < stats.integrated < -27
    out = tmp_path / "normalised.wav"
    run_ffmpeg(["-loglevel", "error", "-i", str(quiet), "-af", loudnorm_filter(stats), str(out)])
    data, rate = _decode_stereo(out)
    assert rate == 48000
    measured = pyln.Meter(rate).integrated_loudness(data)
    assert abs(measured - (-14.0)) <= 1.0


def test_measure_a_graph_label_and_a_span(make_media) -> None:
    tone = make_media("two_levels.wav", audio="aevalsrc='if(lt(t,2),0.05,0.5)*sin(2*PI*440*t)':s=48000:d=4")
    whole = measure_loudness(
        ["-i", str(tone)], graph="[0:a]volume=-6dB[mix]", label="mix", total=Fraction(4)
    )
    quiet_part = measure_span(tone, Fraction(0), Fraction(2))
    loud_part = measure_span(tone, Fraction(2), Fraction(4))
    assert loud_part.integrated - quiet_part.integrated == pytest.approx(20, abs=1.0)
    assert whole.integrated < loud_part.integrated

"""Loudness: measure an episode's mix, then correct it inside the render graph.

Two passes, one video encode. :func:`measure_loudness` runs ffmpeg's
``loudnorm`` filter in analysis mode on an audio-only version of the episode
graph (``-f null``, no video is encoded) and parses the JSON it prints on
stderr. :func:`loudnorm_filter` turns those numbers into the second-pass
filter that the renderer appends to the final audio label, so the correction
is linear (a plain gain) whenever the true-peak ceiling allows it.

Level matching (:func:`level_match_gains`) keeps a partner bumper or a loud
clip from standing out: each segment's source span is measured on its own
(:func:`measure_span`) and turned down to the loudness of the episode body
before the mix, and the mix is normalised afterwards.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from vidcoop.errors import RenderError
from vidcoop.media.runner import run_ffmpeg
from vidcoop.timing import ff_seconds

K = TypeVar("K", bound=Hashable)

_ANALYSIS_LABEL = "vc_loudness"
# loudnorm's second pass works at 192 kHz internally; bring it back to a delivery rate.
DEFAULT_SAMPLE_RATE = 48000
_JSON_BLOCK = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}", re.S)
# ffmpeg's option ranges for the measured_* values (outside them the filter refuses to start).
_RANGES = {
    "I": (-99.0, 0.0),
    "TP": (-99.0, 99.0),
    "LRA": (0.0, 99.0),
    "thresh": (-99.0, 0.0),
    "offset": (-99.0, 99.0),
}


@dataclass(frozen=True)
class LoudnessTarget:
    """Where the mix should land.

    Attributes:
        integrated: Integrated loudness in LUFS (TikTok/Reels practice: -14).
        true_peak: Ceiling for true peaks in dBTP.
        lra: Loudness range target in LU; raised to the measured range when
            that is wider, so a linear correction stays possible.
    """

    integrated: float = -14.0
    true_peak: float = -1.0
    lra: float = 11.0

    def __post_init__(self) -> None:
        if not -70.0 <= self.integrated <= -5.0:
            raise ValueError(f"integrated loudness target must be in -70..-5 LUFS, not {self.integrated}")
        if not -9.0 <= self.true_peak <= 0.0:
            raise ValueError(f"true peak target must be in -9..0 dBTP, not {self.true_peak}")
        if not 1.0 <= self.lra <= 50.0:
            raise ValueError(f"loudness range target must be in 1..50 LU, not {self.lra}")


DEFAULT_TARGET = LoudnessTarget()


@dataclass(frozen=True)
class LoudnessStats:
    """What loudnorm's analysis pass measured.

    Attributes:
        integrated: Integrated loudness (LUFS); ``-inf`` for silence.
        true_peak: True peak (dBTP).
        lra: Loudness range (LU).
        threshold: The gating threshold loudnorm found (LUFS).
        target_offset: loudnorm's suggested offset gain for the second pass.
    """

    integrated: float
    true_peak: float
    lra: float
    threshold: float
    target_offset: float

    @property
    def is_silent(self) -> bool:
        """True when there is nothing to normalise (silence or no gated blocks)."""
        return not math.isfinite(self.integrated) or self.integrated <= -70.0

    @classmethod
    def from_loudnorm_json(cls, data: Mapping[str, str]) -> LoudnessStats:
        """Read loudnorm's ``print_format=json`` block (values are strings)."""
        return cls(
            integrated=_num(data["input_i"]),
            true_peak=_num(data["input_tp"]),
            lra=_num(data["input_lra"]),
            threshold=_num(data["input_thresh"]),
            target_offset=_num(data.get("target_offset", "0")),
        )


def parse_loudnorm_output(stderr: str) -> LoudnessStats:
    """Find loudnorm's JSON block in ffmpeg's stderr and read it.

    Raises:
        RenderError: stderr holds no loudnorm JSON (the filter did not run).
    """
    blocks = _JSON_BLOCK.findall(stderr)
    if not blocks:
        raise RenderError(
            "loudness analysis printed no measurement",
            stderr_tail="\n".join(stderr.splitlines()[-25:]),
            hint="the graph must end in the audio label given to measure_loudness",
        )
    return LoudnessStats.from_loudnorm_json(json.loads(blocks[-1]))


def analysis_args(
    input_args: Sequence[str],
    *,
    graph: str | None = None,
    label: str | None = None,
    target: LoudnessTarget = DEFAULT_TARGET,
) -> list[str]:
    """The ffmpeg arguments of an analysis pass (pure, so it is tested without ffmpeg).

    Args:
        input_args: Input options and ``-i`` arguments (``["-i", "a.mp4"]``).
        graph: The episode's audio filter graph; its final audio comes out at ``label``.
            Without a graph the first input's first audio stream is measured.
        label: The graph's final audio label, with or without brackets.
        target: The target; loudnorm's suggested offset depends on it.
    """
    analyse = analysis_filter(target)
    args = ["-nostats", *input_args]
    if graph is not None:
        if not label:
            raise ValueError("a graph needs the label of its final audio")
        name = label.strip("[]")
        args += [
            "-filter_complex",
            f"{graph.rstrip().rstrip(';')};[{name}]{analyse}[{_ANALYSIS_LABEL}]",
            "-map",
            f"[{_ANALYSIS_LABEL}]",
        ]
    else:
        args += ["-map", "0:a:0", "-af", analyse]
    return [*args, "-vn", "-sn", "-f", "null", "-"]


def measure_loudness(
    input_args: Sequence[str],
    *,
    graph: str | None = None,
    label: str | None = None,
    target: LoudnessTarget = DEFAULT_TARGET,
    total: Fraction | None = None,
    what: str = "loudness analysis",
) -> LoudnessStats:
    """Measure the loudness of an audio graph (first pass of two).

    The renderer passes the episode's inputs and its audio-only graph, so the
    measurement hears exactly the mix that will be encoded.

    Raises:
        RenderError: ffmpeg failed or printed no measurement.
    """
    args = analysis_args(input_args, graph=graph, label=label, target=target)
    stderr = run_ffmpeg(args, total=total, what=what, discard_on_stop=True)  # -f null: writes nothing
    return parse_loudnorm_output(stderr)


def measure_span(
    path: str | Path, start: Fraction | None = None, end: Fraction | None = None
) -> LoudnessStats:
    """Measure one source span (a bumper, a clip) for level matching."""
    input_args: list[str] = []
    if start:
        input_args += ["-ss", ff_seconds(start)]
    if end is not None:
        input_args += ["-t", ff_seconds(end - (start or Fraction(0)))]
    input_args += ["-i", str(path)]
    return measure_loudness(input_args, what=f"loudness of {Path(path).name}")


def loudnorm_filter(
    stats: LoudnessStats,
    target: LoudnessTarget = DEFAULT_TARGET,
    *,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
) -> str:
    """The second-pass filter that brings the measured mix to ``target``.

    With ``linear=true`` loudnorm applies one gain when the true-peak ceiling
    allows it and falls back to its dynamic mode (with a limiter) when not.
    loudnorm upsamples to 192 kHz, so an ``aresample`` follows it. Silence
    yields a pass-through (``anull`` with the resample), because there is
    nothing to normalise.
    """
    if stats.is_silent:
        return f"aresample={sample_rate}"
    lra = min(50.0, max(target.lra, stats.lra))
    gain = linear_gain(stats, target, lra)
    if gain is not None:
        # What loudnorm would do in linear mode, without its round trip through 192 kHz.
        return volume_filter(gain)
    parts = [
        f"I={_fmt(target.integrated)}",
        f"TP={_fmt(target.true_peak)}",
        f"LRA={_fmt(lra)}",
        f"measured_I={_fmt(_clamp('I', stats.integrated))}",
        f"measured_TP={_fmt(_clamp('TP', stats.true_peak))}",
        f"measured_LRA={_fmt(_clamp('LRA', stats.lra))}",
        f"measured_thresh={_fmt(_clamp('thresh', stats.threshold))}",
        f"offset={_fmt(_clamp('offset', stats.target_offset))}",
        "linear=true",
    ]
    return "loudnorm=" + ":".join(parts) + f",aresample={sample_rate}"


def linear_gain(stats: LoudnessStats, target: LoudnessTarget, lra: float) -> float | None:
    """The gain (dB) of loudnorm's linear mode for these measurements, or None when it would go dynamic.

    The same rule as ffmpeg's loudnorm applies to the values as they would be
    passed to it (rounded to hundredths): every measurement present, the peak
    after the gain at or under the ceiling, and the range within the target.
    """
    measured_i = float(_fmt(_clamp("I", stats.integrated)))
    measured_tp = float(_fmt(_clamp("TP", stats.true_peak)))
    measured_lra = float(_fmt(_clamp("LRA", stats.lra)))
    measured_thresh = float(_fmt(_clamp("thresh", stats.threshold)))
    if measured_tp == 99 or measured_thresh == -70 or measured_lra == 0 or measured_i == 0:
        return None
    gain = float(_fmt(target.integrated)) - measured_i
    if measured_tp + gain <= float(_fmt(target.true_peak)) and measured_lra <= float(_fmt(lra)):
        return round(gain, 2)
    return None


def volume_filter(gain_db: float) -> str:
    """A plain gain, for level matching a segment before the mix."""
    return f"volume={_fmt(gain_db)}dB"


def level_match_gains(
    measured: Mapping[K, LoudnessStats],
    reference: float,
    *,
    headroom: float = 0.0,
) -> dict[K, float]:
    """Gains (dB, never positive) so that no segment is louder than ``reference``.

    Args:
        measured: Loudness of each bumper or clip, by any key (segment index).
        reference: The loudness of the episode body (LUFS), e.g. the body
            segments measured together, or the target when there is no body.
        headroom: Keep matched segments this many LU below the reference.

    Only turning down, never up: a quiet bumper stays quiet rather than
    having its noise floor raised; the final loudnorm lifts the whole mix.
    """
    gains: dict[K, float] = {}
    for key, stats in measured.items():
        if stats.is_silent:
            gains[key] = 0.0
            continue
        gains[key] = round(min(0.0, reference - headroom - stats.integrated), 2)
    return gains


def analysis_filter(target: LoudnessTarget = DEFAULT_TARGET) -> str:
    """loudnorm in analysis mode: measures and prints JSON (the first pass)."""
    return (
        f"loudnorm=I={_fmt(target.integrated)}:TP={_fmt(target.true_peak)}:"
        f"LRA={_fmt(target.lra)}:print_format=json"
    )


def _num(text: str | float) -> float:
    # loudnorm prints "-inf" for silence; float() reads it.
    return float(str(text).strip())


def _clamp(name: str, value: float) -> float:
    low, high = _RANGES[name]
    if math.isnan(value):
        return low
    return min(high, max(low, value))


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text

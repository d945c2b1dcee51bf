"""A real render's output lands within 1 LU of the loudness target (measured with pyloudnorm)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from vidcoop.timeline.model import Episode, Segment

pytestmark = pytest.mark.slow


def _integrated_lufs(path: Path) -> float:
    import av
    import numpy as np
    import pyloudnorm

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=rate)
        chunks = [o.to_ndarray() for f in container.decode(stream) for o in resampler.resample(f)]
    data = np.concatenate(chunks, axis=1).T.astype("float64")
    return float(pyloudnorm.Meter(rate).integrated_loudness(data))


def test_rendered_episode_is_normalised_to_minus_14(tmp_path: Path, make_media) -> None:
    from vidcoop.engine import RenderOptions
    from vidcoop.pipeline import render

    if "loudness" not in {f.name for f in dataclasses.fields(RenderOptions)}:
        pytest.skip("this render facade does not normalise loudness yet")
    quiet = make_media(
        "quiet_talk.mp4", "testsrc2=s=320x180:r=30:d=4",
        "aevalsrc='0.04*(0.6+0.4*sin(2*PI*1.5*t))*sin(2*PI*300*t)':s=48000:d=4",
    )  # fmt: skip
    out = tmp_path / "loud.mp4"
    render(Episode(segments=(Segment(quiet),), name="loud"), out,
           options=RenderOptions(profile="preview", report=False, sidecars=False))  # fmt: skip
    assert _integrated_lufs(quiet) < -24  # the source is far too quiet
    assert abs(_integrated_lufs(out) - (-14.0)) <= 1.0

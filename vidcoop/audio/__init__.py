"""Audio mastering building blocks: filter text for the render graph, and measurements.

Everything here either returns ffmpeg filter text (pure, tested as strings)
or measures audio (through :func:`vidcoop.media.runner.run_ffmpeg`, or
in-process with PyAV). The renderer puts the pieces into its one graph.
"""

from vidcoop.audio.loudness import (
    DEFAULT_TARGET,
    LoudnessStats,
    LoudnessTarget,
    analysis_args,
    analysis_filter,
    level_match_gains,
    loudnorm_filter,
    measure_loudness,
    measure_span,
    parse_loudnorm_output,
    volume_filter,
)
from vidcoop.audio.music import MusicBed, music_bed_filter
from vidcoop.audio.tighten import TightenOptions, tighten_ranges

__all__ = [
    "DEFAULT_TARGET",
    "LoudnessStats",
    "LoudnessTarget",
    "MusicBed",
    "TightenOptions",
    "analysis_args",
    "analysis_filter",
    "level_match_gains",
    "loudnorm_filter",
    "measure_loudness",
    "measure_span",
    "music_bed_filter",
    "parse_loudnorm_output",
    "tighten_ranges",
    "volume_filter",
]

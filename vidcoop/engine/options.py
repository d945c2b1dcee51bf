"""What shapes an ffmpeg command beyond the plan: captions to burn, the music bed, filters on the mix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidcoop.engine.filters import AnyFilter

AUDIO_RATE = 48000


@dataclass(frozen=True)
class BurnIn:
    """An ASS file to burn in with libass, and the folder of its fonts."""

    ass_file: Path
    fonts_dir: Path | None = None


@dataclass(frozen=True)
class Music:
    """A music file under the whole episode, looped, faded and ducked under speech.

    ``bed`` is a :class:`vidcoop.audio.music.MusicBed` (level, fades, ducking).
    """

    path: Path
    bed: Any = None


@dataclass(frozen=True)
class CompileOptions:
    """Everything beyond the plan that shapes the command.

    Attributes:
        burn: Captions to burn into the picture.
        audio_post: Filters on the final mix (e.g. loudnorm with measured values).
        music: An optional music bed.
        threads: ffmpeg threads for filters and encoder (None = ffmpeg's choice).
        encoder_threads: Threads of this output's video encoder when it differs from ``threads``
            (several outputs of one run share the cores: :func:`encoder_threads`).
        title: MP4 title metadata (default: the episode's title).
        extra_metadata: More ``key=value`` metadata.
    """

    burn: BurnIn | None = None
    audio_post: tuple[AnyFilter, ...] = ()
    music: Music | None = None
    threads: int | None = None
    encoder_threads: int | None = None
    title: str | None = None
    extra_metadata: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def encoder_threads(cores: int, outputs: int) -> int:
    """Threads for each of ``outputs`` video encoders that run side by side on ``cores`` cores.

    x264 left to itself takes 1.5 threads per core, so four encoders in one run would start
    four times that on a machine they share: dividing the cores keeps the CPU cost near one
    encode each (and the wall time, as every core stays busy).
    """
    return max(1, cores // max(1, outputs))

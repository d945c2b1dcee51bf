"""A music bed under the episode, ducked under speech.

:func:`music_bed_filter` returns a filter-graph fragment for the renderer:
the music is looped (or trimmed) to the episode length, faded in and out,
set to its bed level, and pressed down by ``sidechaincompress`` whenever the
speech track is active, then mixed with the speech. Labels are the
renderer's; this module only writes text.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from vidcoop.timing import ff_seconds, parse_time

# aloop buffers the whole music stream and repeats it from the start at its end.
_LOOP_FOREVER = "aloop=loop=-1:size=2147483647"


@dataclass(frozen=True)
class MusicBed:
    """How the music sits under the episode.

    Attributes:
        level_db: Gain of the music against its file (beds sit well under speech).
        fade_in: Seconds of fade-in at the episode start.
        fade_out: Seconds of fade-out before the episode end.
        duck_threshold: Sidechain level (linear, 0..1) above which speech ducks the music.
        duck_ratio: Compression ratio while ducking; with speech ~20 dB over the
            threshold, ratio 20 gives ~19 dB of reduction (we promise >= 8 dB).
        attack_ms: How fast the music drops when speech starts.
        release_ms: How slowly it comes back; long enough to bridge pauses between words.
        sample_rate: The rate the bed is resampled to before mixing.
    """

    level_db: float = -12.0
    fade_in: Fraction = Fraction(1)
    fade_out: Fraction = Fraction(2)
    duck_threshold: float = 0.02
    duck_ratio: float = 20.0
    attack_ms: float = 20.0
    release_ms: float = 400.0
    sample_rate: int = 48000

    def __post_init__(self) -> None:
        object.__setattr__(self, "fade_in", parse_time(self.fade_in))
        object.__setattr__(self, "fade_out", parse_time(self.fade_out))
        if not -60.0 <= self.level_db <= 12.0:
            raise ValueError(f"level_db must be in -60..12 dB, not {self.level_db}")
        if not 0.0 < self.attack_ms <= 2000.0 or not 0.0 < self.release_ms <= 9000.0:
            raise ValueError(f"attack_ms must be in (0, 2000] and release_ms in (0, 9000], not "
                             f"{self.attack_ms} and {self.release_ms}")
        if not 0.0 < self.duck_threshold <= 1.0:
            raise ValueError(f"duck_threshold must be in (0, 1], not {self.duck_threshold}")
        if not 1.0 <= self.duck_ratio <= 20.0:
            raise ValueError(f"duck_ratio must be in 1..20, not {self.duck_ratio}")


def music_bed_filter(
    music: str,
    speech: str,
    out: str,
    *,
    duration: Fraction,
    bed: MusicBed = MusicBed(),
    prefix: str = "bed",
) -> str:
    """A graph fragment: ``[music]`` looped, faded and ducked under ``[speech]``, mixed to ``[out]``.

    Args:
        music: Label of the music input (``1:a`` or a graph label), brackets optional.
        speech: Label of the episode's speech/program audio.
        out: Label for the mixed result.
        duration: Episode length; the bed is looped or trimmed to exactly this.
        bed: Level, fades and ducking settings.
        prefix: Prefix for the fragment's internal labels, unique within the graph.

    The speech is split: one copy drives the compressor's sidechain, the other
    goes to the mix, so speech itself is never compressed.
    """
    m, s, o = (_bare(x) for x in (music, speech, out))
    if duration <= 0:
        raise ValueError("a music bed needs a positive episode duration")
    fade_in = min(bed.fade_in, duration / 2)
    fade_out = min(bed.fade_out, duration / 2)
    rate = bed.sample_rate
    shape = f"aresample={rate},aformat=sample_fmts=fltp:sample_rates={rate}:channel_layouts=stereo"
    chain = [
        _LOOP_FOREVER,
        f"atrim=duration={ff_seconds(duration)}",
        "asetpts=N/SR/TB",
        shape,
        f"volume={bed.level_db:g}dB",
    ]
    if fade_in > 0:
        chain.append(f"afade=t=in:st=0:d={ff_seconds(fade_in)}")
    if fade_out > 0:
        chain.append(f"afade=t=out:st={ff_seconds(duration - fade_out)}:d={ff_seconds(fade_out)}")
    duck = (
        f"sidechaincompress=threshold={bed.duck_threshold:g}:ratio={bed.duck_ratio:g}:"
        f"attack={bed.attack_ms:g}:release={bed.release_ms:g}:makeup=1"
    )
    return ";".join(
        [
            f"[{m}]{','.join(chain)}[{prefix}_music]",
            f"[{s}]{shape},asplit=2[{prefix}_speech][{prefix}_key]",
            f"[{prefix}_music][{prefix}_key]{duck}[{prefix}_ducked]",
            f"[{prefix}_speech][{prefix}_ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[{o}]",
        ]
    )


def _bare(label: str) -> str:
    name = label.strip().strip("[]")
    if not name or any(c in name for c in "[];,=' "):
        raise ValueError(f"not a filter label: {label!r}")
    return name

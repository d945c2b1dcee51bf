"""The generated interview the rough-cut tests and ``benchmarks/roughcut_bench.py`` share.

More than three minutes: the committed espeak-ng clips joined with pauses, built with ffmpeg
through the project's runner (a grey picture, the joined speech as AAC). Between the clips: a
second of silence (a pause to tighten), two fillers ("ähm", "äh") and one repeated take (the
first sentence of ``de_jobcenter`` spoken, then the whole clip again).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

MEDIA = Path(__file__).resolve().parents[1] / "media"
RATE = 16000
PAUSE = 1.0
#: Where the first sentence of de_jobcenter ends ("Bürgergeld." ends at 2.61 s, the next word starts
#: at 3.05 s; voice stops at 2.72 s): the first take is cut here.
FIRST_TAKE_END = 2.88

# The clips in order; ("head", name, seconds) is the start of a clip, the aborted first take.
ORDER: tuple[str | tuple[str, str, float], ...] = (
    "dev_buergergeld", "de_umlaute", "rc_aehm", "dev_wohngeld", "dev2_caritas",
    ("head", "de_jobcenter", FIRST_TAKE_END), "de_jobcenter", "dev_ausbildung", "held_maerz", "rc_aeh",
    "dev_termin", "de_stellen", "dev2_wohngeld", "held_beraterin", "dev_minijob", "dev2_termin", "held_schule",
    "dev_schulden", "dev2_minijob", "dev2_arbeit", "dev_buergergeld", "held_maerz", "de_umlaute", "dev_wohngeld",
    "dev2_caritas", "dev_ausbildung",
)

@dataclass(frozen=True)
class Interview:
    path: Path
    duration: Fraction
    fillers: tuple[tuple[Fraction, Fraction], ...]  # where the filler clips sound, in the source
    first_take: tuple[Fraction, Fraction]


def build_interview(target: Path, order: tuple[str | tuple[str, str, float], ...] = ORDER) -> Interview:
    """Join the clips (16 kHz mono) with :data:`PAUSE` of silence between them, over a grey picture."""
    import numpy as np

    from vidcoop.media.audio import decode_audio
    from vidcoop.media.runner import run_ffmpeg

    pieces: list[np.ndarray] = []
    at = 0
    fillers: list[tuple[Fraction, Fraction]] = []
    first_take = (Fraction(0), Fraction(0))
    gap = np.zeros(int(PAUSE * RATE), np.float32)
    for item in order:
        if isinstance(item, tuple):
            _, name, seconds = item
            audio = decode_audio(MEDIA / f"{name}.opus", Fraction(0), Fraction(str(seconds)))
        else:
            name = item
            audio = decode_audio(MEDIA / f"{name}.opus")
        assert audio is not None
        if name.startswith("rc_"):
            loud = np.flatnonzero(np.abs(audio) > 0.01)
            fillers.append((Fraction(at + int(loud[0]), RATE), Fraction(at + int(loud[-1]), RATE)))
        if isinstance(item, tuple):
            first_take = (Fraction(at, RATE), Fraction(at + len(audio), RATE))
        pieces += [audio, gap]
        at += len(audio) + len(gap)
    samples = np.concatenate(pieces)
    raw = target.with_suffix(".f32")
    raw.write_bytes(samples.astype("<f4").tobytes())
    duration = Fraction(len(samples), RATE)
    run_ffmpeg(["-loglevel", "error", "-y", "-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", f"file:{raw}",
                "-f", "lavfi", "-i", "color=c=gray:s=320x180:r=30",
                "-map", "1:v", "-map", "0:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ar", "48000", "-b:a", "128k", "-t", f"{float(duration):.3f}",
                f"file:{target}"], what="building the interview")
    raw.unlink()
    return Interview(target, duration, tuple(fillers), first_take)

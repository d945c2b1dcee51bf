"""A week to cut in the Rohschnitt view: one episode with ``segments: []`` and footage whose words are known.

The footage is tone bursts (one per word) over a grey picture, built with ffmpeg through the
project's runner; :class:`KnownWords` is a transcription backend that "hears" exactly those
words, so the fast browser tests need no speech model (the slow one uses Whisper on real speech).
"""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

from vidcoop.captions.backends import SAMPLE_RATE, Transcriber
from vidcoop.captions.model import Transcript, TranscriptSegment, Word

#: The sentences of the footage: (text, start, end) per word, in seconds.
SENTENCES: tuple[tuple[tuple[str, float, float], ...], ...] = (
    (("Hallo", 0.5, 0.9), ("zusammen.", 0.95, 1.5)),
    (("Heute", 2.5, 2.9), ("geht", 2.95, 3.3), ("es", 3.35, 3.5), ("um", 3.55, 3.8), ("Wohngeld.", 3.85, 4.6)),
    (("Äh", 5.4, 5.7), ("das", 6.0, 6.3), ("ist", 6.35, 6.6), ("wichtig.", 6.65, 7.3)),
    (("Tschüss", 8.3, 8.8), ("und", 8.85, 9.1), ("bis", 9.15, 9.4), ("bald.", 9.45, 10.0)),
)
DURATION = 11.0
FOOTAGE = "rede.mp4"

WEEK = """\
version: 1
name: kw50
output: out
episodes:
  - path: episodes/folge.yaml   # the one to cut
"""

MANIFEST = """\
version: 1   # schema
title: Wohngeld kurz erklärt   # the episode's title
# Reframe and lower thirds stay as they are.
lower_thirds:
  - {name: Aylin Demir, role: Beraterin, start: 1, end: 3}
segments: []   # filled by the rough cut
captions: {mode: auto, style: social}
"""


class KnownWords(Transcriber):
    """Hears the words of :data:`SENTENCES` (one segment per sentence), nothing when asked to decode plainly."""

    name = "known-words"
    calls: ClassVar[int] = 0

    def model_identity(self) -> str:
        return "known-words:1"

    def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
        length = Fraction(len(audio), SAMPLE_RATE)
        segments = []
        if not plain:
            type(self).calls += 1
            for sentence in SENTENCES:
                words = tuple(Word(t, Fraction(str(a)), Fraction(str(b)), 0.95) for t, a, b in sentence)
                segments.append(TranscriptSegment(" ".join(w.text for w in words), words[0].start, words[-1].end,
                                                  words))
        return Transcript(tuple(segments), "de", "known-words", "known-words", length)


def build_footage(target: Path) -> Path:
    """A tone burst where each word is said, over a grey 320x180 picture at 30 fps (AAC, H.264)."""
    from vidcoop.media.runner import run_ffmpeg

    bursts = "+".join(f"between(t\\,{a}\\,{b})" for s in SENTENCES for _, a, b in s)  # commas escaped for lavfi
    run_ffmpeg(["-loglevel", "error", "-y", "-f", "lavfi", "-i",
                f"aevalsrc=0.3*sin(2*PI*220*t)*({bursts})+0.0003*(random(0)-0.5):s=48000:d={DURATION}",
                "-f", "lavfi", "-i", f"color=c=gray:s=320x180:r=30:d={DURATION}",
                "-map", "1:v", "-map", "0:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-g", "15", "-c:a", "aac", "-b:a", "96k", "-t", str(DURATION), f"file:{target}"],
               what="building the rough-cut footage")
    return target


def make_week(folder: Path, footage: Path, manifest: str = MANIFEST) -> Path:
    """``folder/week.yaml`` with ``episodes/folge.yaml`` and ``footage/`` holding a copy of ``footage``."""
    (folder / "episodes").mkdir(parents=True)
    (folder / "footage").mkdir()
    shutil.copyfile(footage, folder / "footage" / footage.name)
    (folder / "episodes" / "folge.yaml").write_text(manifest, encoding="utf-8")
    (folder / "week.yaml").write_text(WEEK, encoding="utf-8")
    return folder / "week.yaml"

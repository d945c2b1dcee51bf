"""Make the example footage: run once, commit the output (needs espeak-ng for the voice).

The footage is synthetic on purpose (no rights to clear): a landscape
"interview" shot with a moving subject -- the astronaut portrait that
scikit-image ships as sample data (public domain, NASA), so ``reframe: auto``
has a face to follow -- and a German voice made by espeak-ng from a known
text, and a short phone clip stored with a 90° display rotation, as phones do.
Usage: python examples/make_footage.py (needs scikit-image and espeak-ng)
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from vidcoop.media.runner import run_ffmpeg

HERE = Path(__file__).parent / "footage"

VOICE = (
    "Hallo! Heute geht es um das Bürgergeld. "
    "Wer Arbeit sucht, bekommt Hilfe vom Jobcenter. "
    "Die Beratung bei Caritas und Diakonie ist kostenlos. "
    "Fragen kostet nichts."
)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    from PIL import Image
    from skimage import data

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "voice.wav"
        subprocess.run(["espeak-ng", "-v", "de", "-s", "150", "-w", str(wav), VOICE], check=True)
        face = Path(tmp) / "face.png"
        Image.fromarray(data.astronaut()[0:260, 120:380]).resize((240, 240)).save(face)
        # A "speaker" (the sample portrait) drifting right over a slow gradient, 1280x720 at 25 fps.
        run_ffmpeg([
            "-loglevel", "error",
            "-f", "lavfi", "-i", "gradients=s=1280x720:r=25:c0=0x1d3557:c1=0x457b9d:speed=0.01:d=14",
            "-loop", "1", "-framerate", "25", "-t", "14", "-i", str(face),
            "-i", str(wav),
            "-filter_complex", "[0:v][1:v]overlay=x='300+40*t':y=240:shortest=1[v];[2:a]apad[a]",
            "-map", "[v]", "-map", "[a]", "-t", "13",
            "-c:v", "libx264", "-preset", "slow", "-crf", "32", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "48k", "-ar", "44100", "-ac", "1", "-movflags", "+faststart",
            str(HERE / "interview.mp4"),
        ])
        # A phone clip: a portrait picture stored sideways (640x360) with a display rotation of 90°,
        # as phones store it; players (and vidcoop) turn it upright.
        stored = Path(tmp) / "phone.mp4"
        run_ffmpeg([
            "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=360x640:r=30:d=4,transpose=1",
            "-f", "lavfi", "-i", "anoisesrc=a=0.02:d=4:r=48000",
            "-c:v", "libx264", "-preset", "slow", "-crf", "34", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "32k", str(stored),
        ])
        run_ffmpeg(["-loglevel", "error", "-display_rotation", "90", "-i", str(stored), "-c", "copy",
                    str(HERE / "phone.mp4")])


if __name__ == "__main__":
    main()

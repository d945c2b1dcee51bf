"""Make the committed speech clips: espeak-ng voices, encoded as small mono Opus.

Run from the repository root (needs ``espeak-ng``: ``apt-get install espeak-ng``)::

    /work/venv/bin/python tests/media/make_speech.py

It writes ``tests/media/*.opus`` and ``tests/media/speech.json`` (file ->
reference text and language), which the transcription tests and
``benchmarks/caption_bench.py`` read. Each clip starts with half a second of
silence so word times are not trivially zero. The clips are tiny (tens of KB);
the script is kept so they can be made again, not run by the tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from vidcoop.media.runner import run_ffmpeg  # noqa: E402

# file stem -> (espeak-ng voice, language, text)
CLIPS: dict[str, tuple[str, str, str]] = {
    "de_jobcenter": (
        "de",
        "de",
        "Das Jobcenter hilft beim Bürgergeld. Der Antrag ist kostenlos und dauert nur wenige Minuten.",
    ),
    "de_umlaute": (
        "de",
        "de",
        "Die Beratungsstelle in der Goethestraße öffnet um neun Uhr. Für Familien gibt es günstige Kurse.",
    ),
    "de_stellen": (
        "de",
        "de",
        "Wir suchen eine Pflegefachkraft in Teilzeit. Bewirb dich jetzt bei der Diakonie in deiner Stadt.",
    ),
    "en_captions": (
        "en-us",
        "en",
        "Captions help people who watch videos without sound. Every word should be easy to read.",
    ),
}

SPEED_WPM = "150"
LEAD_SILENCE_MS = 500


def make(stem: str, voice: str, text: str, work: Path) -> Path:
    """Speak ``text`` to WAV with espeak-ng, then encode mono Opus at 20 kbit/s."""
    wav = work / f"{stem}.wav"
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng not found: apt-get install espeak-ng")
    subprocess.run([espeak, "-v", voice, "-s", SPEED_WPM, "-w", str(wav), text], check=True)
    out = HERE / f"{stem}.opus"
    run_ffmpeg(
        [
            "-loglevel", "error", "-y", "-i", str(wav),
            "-af", f"adelay={LEAD_SILENCE_MS}:all=1,apad=pad_dur=0.3",
            "-ac", "1", "-ar", "24000", "-c:a", "libopus", "-b:a", "20k", "-application", "voip",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
            str(out),
        ],
        what=f"encoding {stem}",
    )
    return out


def main() -> None:
    listing = {}
    with tempfile.TemporaryDirectory() as tmp:
        for stem, (voice, language, text) in CLIPS.items():
            out = make(stem, voice, text, Path(tmp))
            listing[out.name] = {"text": text, "language": language, "voice": f"espeak-ng {voice}"}
            print(f"{out.name}: {out.stat().st_size // 1024} KB")
    (HERE / "speech.json").write_text(json.dumps(listing, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

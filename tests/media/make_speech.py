"""Make the committed speech clips: espeak-ng voices, encoded as small mono Opus.

Run from the repository root (needs ``espeak-ng``: ``apt-get install espeak-ng``)::

    /work/venv/bin/python tests/media/make_speech.py            # every clip
    /work/venv/bin/python tests/media/make_speech.py --missing  # only clips without a file yet

It writes ``tests/media/*.opus`` and ``tests/media/speech.json`` (file ->
reference text, language, voice, speed and set), which the transcription tests
and ``benchmarks/caption_bench.py`` read.

The German clips form two sets for ``caption_bench``: ``dev`` (decoding and
correction thresholds were tuned on these) and ``heldout`` (never used for
tuning; other voices, speeds and sentences, to see whether the tuning
generalises). ``dev2`` was added later (2026-11-27) with ``--missing``, so the
first sets' files stayed byte for byte: more voices and speeds, sentences
with the domain's words and the short function words Whisper base tends to
glue to the next word; ``caption_bench`` reports it separately.
``text`` is what a caption should show (digits, dates and
times as a German reader expects); ``spoken`` is what espeak-ng says, where
the two differ (espeak reads "0561" as a number, not digit by digit). Each clip starts with half a second of
silence so word times are not trivially zero. The clips are tiny (tens of KB);
the script is kept so they can be made again, not run by the tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from vidcoop.media.runner import run_ffmpeg  # noqa: E402


@dataclass(frozen=True)
class Spec:
    """One clip: who speaks, how fast, what is said, and what the caption should read."""

    voice: str
    language: str
    text: str
    spoken: str | None = None
    speed: int = 150
    set: str = "dev"


# file stem -> clip. The first four are the original clips (voice "de"/"en-us", 150 wpm).
CLIPS: dict[str, Spec] = {
    "de_jobcenter": Spec(
        "de", "de", "Das Jobcenter hilft beim Bürgergeld. Der Antrag ist kostenlos und dauert nur wenige Minuten."
    ),
    "de_umlaute": Spec(
        "de",
        "de",
        "Die Beratungsstelle in der Goethestraße öffnet um 9 Uhr. Für Familien gibt es günstige Kurse.",
        spoken="Die Beratungsstelle in der Goethestraße öffnet um neun Uhr. Für Familien gibt es günstige Kurse.",
    ),
    "de_stellen": Spec(
        "de", "de", "Wir suchen eine Pflegefachkraft in Teilzeit. Bewirb dich jetzt bei der Diakonie in deiner Stadt."
    ),
    "en_captions": Spec(
        "en-us", "en", "Captions help people who watch videos without sound. Every word should be easy to read.", set=""
    ),
    # The German dev set: the channel's domain words and numbers, five voices, 130-165 words a minute.
    # Only male variants: Whisper base cannot follow espeak-ng's female variants at all (f1-f5 gave
    # WER 0.7-1.8 on a sentence that m1/m2/m4/m7 get at 0.15-0.3), an artefact of the synthesiser.
    "dev_buergergeld": Spec(
        "de+m3",
        "de",
        "Wer Bürgergeld bekommt, meldet sich beim Jobcenter. Das Jobcenter zahlt auch die Miete und die Heizung.",
        speed=150,
    ),
    "dev_ausbildung": Spec(
        "de+m2",
        "de",
        "Eine Ausbildung dauert meistens drei Jahre. Schick deine Bewerbung bis zum 1. Dezember.",
        spoken="Eine Ausbildung dauert meistens drei Jahre. Schick deine Bewerbung bis zum ersten Dezember.",
        speed=140,
    ),
    "dev_wohngeld": Spec(
        "de", "de", "Wohngeld gibt es für Menschen mit wenig Einkommen. Der Antrag beim Amt kostet nichts.", speed=130
    ),
    "dev_schulden": Spec(
        "de+m4",
        "de",
        "Die Schuldnerberatung der Caritas hilft kostenlos. Ruf einfach an unter 0561 123456.",
        spoken="Die Schuldnerberatung der Caritas hilft kostenlos. Ruf einfach an unter "
        "null fünf sechs eins, eins zwei drei vier fünf sechs.",
        speed=145,
    ),
    "dev_minijob": Spec(
        "de+m3",
        "de",
        "Mit einem Minijob verdienst du bis zu 556 Euro im Monat. Die Stelle hat 30 Stunden pro Woche.",
        spoken="Mit einem Minijob verdienst du bis zu fünfhundertsechsundfünfzig Euro im Monat. "
        "Die Stelle hat dreißig Stunden pro Woche.",
        speed=165,
    ),
    "dev_termin": Spec(
        "de+m1",
        "de",
        "Dein Termin im Jobcenter ist am Montag um 9:30 Uhr. Bring bitte deinen Ausweis mit.",
        spoken="Dein Termin im Jobcenter ist am Montag um neun Uhr dreißig. Bring bitte deinen Ausweis mit.",
        speed=135,
    ),
    # Held out: never used to tune anything. Other voices (de+m6, de+m7) and sentences.
    "held_beraterin": Spec(
        "de+m6",
        "de",
        "Im Jobcenter bekommst du einen Termin bei deiner Beraterin. Die Schuldnerberatung ist im selben Haus.",
        speed=150,
        set="heldout",
    ),
    "held_schule": Spec(
        "de+m7",
        "de",
        "Viele Schüler haben einen Minijob. Wer eine Ausbildung beginnt, kann Wohngeld oder Bürgergeld bekommen.",
        speed=140,
        set="heldout",
    ),
    "held_maerz": Spec(
        "de+m6",
        "de",
        "Die Beratung öffnet am 3. März um 14 Uhr. Sie dauert etwa 20 Minuten.",
        spoken="Die Beratung öffnet am dritten März um vierzehn Uhr. Sie dauert etwa zwanzig Minuten.",
        speed=160,
        set="heldout",
    ),
}

# Added later: a second dev set (tuned on like dev, reported apart from it). Voices m5 and m8 and
# the variant "de" at other speeds, 125-170 words a minute.
CLIPS.update(
    {
        "dev2_arbeit": Spec(
            "de+m5", "de", "Wer Arbeit sucht, bekommt Hilfe vom Jobcenter. Die Beratung ist kostenlos.", speed=150,
            set="dev2",
        ),
        "dev2_caritas": Spec(
            "de+m8", "de", "Bei der Caritas gibt es eine Beratungsstelle für Familien mit wenig Geld.", speed=135,
            set="dev2",
        ),
        "dev2_minijob": Spec(
            "de", "de", "Mit einem Minijob darf man im Monat bis zu 556 Euro verdienen.",
            spoken="Mit einem Minijob darf man im Monat bis zu fünfhundertsechsundfünfzig Euro verdienen.",
            speed=170, set="dev2",
        ),
        "dev2_termin": Spec(
            "de+m2", "de", "Am 15. Januar um 10 Uhr ist dein Termin bei der Diakonie.",
            spoken="Am fünfzehnten Januar um zehn Uhr ist dein Termin bei der Diakonie.",
            speed=125, set="dev2",
        ),
        "dev2_wohngeld": Spec(
            "de+m5", "de", "Wer wenig verdient, kann Wohngeld oder Bürgergeld beantragen. Frag einfach nach.",
            speed=160, set="dev2",
        ),
    }
)  # fmt: skip

LEAD_SILENCE_MS = 500


def make(stem: str, spec: Spec, work: Path) -> Path:
    """Speak the clip to WAV with espeak-ng, then encode mono Opus at 20 kbit/s."""
    wav = work / f"{stem}.wav"
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng not found: apt-get install espeak-ng")
    said = spec.spoken or spec.text
    subprocess.run([espeak, "-v", spec.voice, "-s", str(spec.speed), "-w", str(wav), said], check=True)
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
    missing_only = "--missing" in sys.argv[1:]
    listing = {}
    with tempfile.TemporaryDirectory() as tmp:
        for stem, spec in CLIPS.items():
            out = HERE / f"{stem}.opus"
            if not (missing_only and out.exists()):
                out = make(stem, spec, Path(tmp))
            entry: dict[str, object] = {"text": spec.text, "language": spec.language}
            entry["voice"] = f"espeak-ng {spec.voice}"
            if spec.spoken:
                entry["spoken"] = spec.spoken
            entry["speed_wpm"] = spec.speed
            if spec.set:
                entry["set"] = spec.set
            listing[out.name] = entry
            print(f"{out.name}: {out.stat().st_size // 1024} KB")
    (HERE / "speech.json").write_text(json.dumps(listing, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

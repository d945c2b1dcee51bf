"""Make the long-form German dev set: the dev sentences as episodes of 1-3 minutes, as small mono Opus.

Run from the repository root (needs ``espeak-ng``: ``apt-get install espeak-ng``)::

    /work/main/.venv/bin/python tests/media/make_longform.py

The short dev clips (``set: dev`` and ``dev2`` in ``speech.json``, made by
``make_speech.py``) never loop: Whisper sees one or two sentences in one
30 s window. Real episodes are 30 s to 3 min of speech with pauses, and that
is where decoding loops and drops sentences (issue #23). These files say the
same sentences as the short clips, each in its clip's voice and speed, so
``benchmarks/caption_bench.py --section longform`` can put a file's WER beside
the short-clip WER of the same sentences:

* ``long_pausen``: every sentence on its own, pauses of 1.5-2.5 s (the
  case of the issue: many short sentences with about 2 s between them);
* ``long_gemischt``: the clips in another order, pauses of 0.3-3 s, runs of
  clips spoken back to back (continuous speech, 0.2-0.3 s between voices),
  and a music bed (generated chords, about 20 dB under the speech) under the
  middle of the file.

* ``long_kurz``: 23 very short sentences (2-5 words, the kind of the issue's
  recording: "Wie spät ist es?"), about 2 s apart, six voices, 78 s. They
  have no short clips of their own: the benchmark cuts each sentence out of
  this file and transcribes it alone for the comparison.

* ``long_neu``: **held out**, never used for tuning (``"set": "heldout"``;
  ``caption_bench --section longform`` leaves it out unless asked with
  ``--file long_neu.opus``). New sentences nobody tuned on, in voices and
  speeds no other file uses (de+f2, de+f4, de+f5, de+klatt3; 120-185 wpm),
  pauses shorter and longer than the dev files' (0.4-3.5 s), a slow stretch
  of continuous speech, and a louder music bed (16 dB under the speech).
  Made alone with ``--held-out`` (the dev files stay as they are).

All have several voices (de, de+m1 to de+m5, de+m8). ``longform.json`` lists
for every file its sentences (caption text as ``speech.json`` writes it),
where each utterance starts and ends, and the short clips it was made from.
Random choices use a fixed seed, so the script makes the same files again.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from vidcoop.media.runner import run_ffmpeg  # noqa: E402

RATE = 22_050  # espeak-ng's own rate
LEAD_S = 0.5
TAIL_S = 0.5
MUSIC_DB = -20.0  # music bed RMS relative to the speech RMS
# A sentence ends at ., ! or ? after a letter (not "1. Dezember").
_SENTENCE_END = re.compile(r"(?<=[^\W\d_][.!?])\s+")


@dataclass(frozen=True)
class Utterance:
    """One espeak-ng call: the sentences it says and the caption text of each."""

    clip: str
    voice: str
    speed: int
    spoken: str
    sentences: tuple[str, ...]


# long_kurz: short everyday sentences in the channel's domain.
KURZ = (
    "Wie spät ist es?", "Öffne das Fenster.", "Wo ist das Jobcenter?", "Ich brauche Hilfe.",
    "Der Termin ist morgen.", "Hast du den Antrag?", "Die Miete ist zu hoch.", "Ruf mich bitte an.",
    "Wann kommt der Bus?", "Das Formular ist weg.", "Ich habe keine Arbeit.", "Wir helfen dir gern.",
    "Die Beratung ist offen.", "Bring den Ausweis mit.", "Das kostet nichts.", "Wo muss ich hin?",
    "Es ist schon spät.", "Die Kinder sind krank.", "Ich komme um drei.", "Danke für die Hilfe.",
    "Schreib uns eine Nachricht.", "Das Amt ist zu.", "Die Post ist da.",
)
KURZ_VOICES = ("de", "de+m1", "de+m2", "de+m3", "de+m4", "de+m5")


# long_neu (held out): sentences written after the decoding was chosen, never used for tuning.
NEU_EINZELN = (
    "Die Schuldnerberatung hat jeden Dienstag geöffnet.",
    "Bitte bringen Sie alle Briefe von der Bank mit.",
    "Wir schauen gemeinsam, welche Rechnungen zuerst bezahlt werden.",
    "Niemand muss sich für Schulden schämen.",
    "Die Beratung ist vertraulich.",
    "Sie können auch anonym anrufen.",
    "Viele Familien haben Anspruch auf den Kinderzuschlag.",
    "Den Antrag stellen Sie bei der Familienkasse.",
)
NEU_AM_STUECK = (
    "Im Sprachcafé treffen sich Menschen aus vielen Ländern. Man übt Deutsch beim Kaffee und lernt neue Leute "
    "kennen. Eine Anmeldung ist nicht nötig. Kommen Sie einfach vorbei, wir freuen uns auf Sie."
)
NEU_MIT_MUSIK = (
    "Die Tafel verteilt Lebensmittel an Menschen mit wenig Geld.",
    "Jeden Donnerstag um 10 Uhr beginnt die Ausgabe.",
    "Sie brauchen einen Nachweis über Ihr Einkommen.",
    "Ehrenamtliche Helferinnen packen die Tüten.",
    "Wer nicht kommen kann, schickt eine Nachbarin.",
    "Frisches Obst gibt es meistens am Anfang der Woche.",
)
NEU_FRAGEN = (
    "Haben Sie noch Fragen?",
    "Wo finde ich die Pflegeberatung?",
    "Wer hilft bei der Wohnungssuche?",
    "Darf ich meine Tochter mitbringen?",
)
NEU_MUSIC_DB = -16.0


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def clip_utterances(clip: str, info: dict[str, object], *, whole: bool) -> list[Utterance]:
    """A clip's sentences one by one, or (``whole``) the clip in one call as its short clip says it."""
    voice = str(info["voice"]).removeprefix("espeak-ng ")
    speed = int(info["speed_wpm"])  # type: ignore[call-overload]
    text = str(info["text"])
    spoken = str(info.get("spoken") or text)
    shown, said = sentences(text), sentences(spoken)
    assert len(shown) == len(said), (clip, shown, said)
    if whole:
        return [Utterance(clip, voice, speed, spoken, tuple(shown))]
    return [Utterance(clip, voice, speed, s, (t,)) for s, t in zip(said, shown, strict=True)]


def speak(u: Utterance, work: Path) -> np.ndarray:
    """espeak-ng's samples (float32), with its own silence at both ends cut off."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng not found: apt-get install espeak-ng")
    wav = work / "u.wav"
    subprocess.run([espeak, "-v", u.voice, "-s", str(u.speed), "-w", str(wav), u.spoken], check=True)
    with wave.open(str(wav), "rb") as fh:
        assert fh.getframerate() == RATE and fh.getnchannels() == 1
        audio = np.frombuffer(fh.readframes(fh.getnframes()), "<i2").astype(np.float32) / 32768
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[loud[0] : loud[-1] + 1] if len(loud) else audio


def music(seconds: float, rng: random.Random) -> np.ndarray:
    """A soft chord progression (triads with a bass, a new chord every 2 s, fading in and out per chord)."""
    t = np.arange(int(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    roots = [220.0, 174.6, 196.0, 261.6]  # A F G C
    chord_s = 2.0
    for k in range(int(np.ceil(seconds / chord_s))):
        root = roots[(k + rng.randrange(2)) % len(roots)]
        a, b = int(k * chord_s * RATE), min(len(t), int((k + 1) * chord_s * RATE))
        tt = t[a:b] - t[a]
        envelope = np.minimum(1, tt / 0.3) * np.minimum(1, (chord_s - tt) / 0.3)
        tone = sum(np.sin(2 * np.pi * root * r * tt) for r in (1.0, 1.26, 1.5)) + 0.6 * np.sin(np.pi * root * tt)
        out[a:b] = envelope * tone
    fade = np.minimum(1, np.minimum(t, t[-1] - t) / 1.0)
    return (out * fade).astype(np.float32)


def build(name: str, plan: list[tuple[Utterance, float]], music_part: tuple[float, float] | None,
          work: Path, rng: random.Random, music_db: float = MUSIC_DB) -> dict[str, object]:
    """Join the utterances with their pauses after them, lay music under a share of the file, encode Opus."""
    pieces: list[np.ndarray] = [np.zeros(int(LEAD_S * RATE), np.float32)]
    at = int(LEAD_S * RATE)
    entries = []
    for u, pause in plan:
        audio = speak(u, work)
        entries.append({"clip": u.clip, "voice": f"espeak-ng {u.voice}", "speed_wpm": u.speed,
                        "start": round(at / RATE, 3), "end": round((at + len(audio)) / RATE, 3),
                        "sentences": list(u.sentences)})
        pieces += [audio, np.zeros(int(pause * RATE), np.float32)]
        at += len(audio) + int(pause * RATE)
    pieces.append(np.zeros(int(TAIL_S * RATE), np.float32))
    speech = np.concatenate(pieces)
    info: dict[str, object] = {"duration": round(len(speech) / RATE, 3)}
    if music_part is not None:
        a, b = (int(f * len(speech)) for f in music_part)
        voiced = speech[np.abs(speech) > 0.01]
        bed = music((b - a) / RATE, rng)
        gain = float(np.sqrt(np.mean(voiced**2)) / np.sqrt(np.mean(bed**2))) * 10 ** (music_db / 20)
        speech[a:b] += gain * bed[: b - a]
        info["music"] = [round(a / RATE, 3), round(b / RATE, 3)]
        info["music_db"] = music_db
    pcm = (np.clip(speech, -1, 1) * 32767).astype("<i2")
    wav = work / f"{name}.wav"
    with wave.open(str(wav), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(RATE)
        fh.writeframes(pcm.tobytes())
    out = HERE / f"{name}.opus"
    run_ffmpeg(
        [
            "-loglevel", "error", "-y", "-i", str(wav),
            "-ac", "1", "-ar", "24000", "-c:a", "libopus", "-b:a", "16k", "-application", "voip",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
            str(out),
        ],
        what=f"encoding {name}",
    )  # fmt: skip
    clips = sorted({u.clip for u, _ in plan if u.clip}, key=[u.clip for u, _ in plan].index)
    return {**info, "language": "de", "clips": clips, "utterances": entries}


def held_out(work: Path) -> dict[str, object]:
    """``long_neu``: new sentences, new voices and speeds, pauses outside the dev files' range, louder music."""
    rng = random.Random(2512)

    def one(text: str, voice: str, speed: int) -> Utterance:
        return Utterance("", voice, speed, text, (text,))

    plan = [(one(t, "de+f2", 175), round(rng.uniform(0.4, 1.2), 2)) for t in NEU_EINZELN]
    plan.append((Utterance("", "de+f4", 120, NEU_AM_STUECK, tuple(sentences(NEU_AM_STUECK))), 2.0))
    plan += [(one(t, "de+klatt3", 160), round(rng.uniform(2.0, 3.5), 2)) for t in NEU_MIT_MUSIK]
    plan += [(one(t, "de+f5", 185), round(rng.uniform(0.8, 1.4), 2)) for t in NEU_FRAGEN]
    info = build("long_neu", plan, (0.5, 0.8), work, rng, music_db=NEU_MUSIC_DB)
    return {**info, "set": "heldout"}


def main() -> None:
    listing = json.loads((HERE / "speech.json").read_text(encoding="utf-8"))
    if "--held-out" in sys.argv[1:]:  # only the held-out file; the dev files and their entries stay as they are
        known = json.loads((HERE / "longform.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            known["long_neu.opus"] = held_out(Path(tmp))
        size = (HERE / "long_neu.opus").stat().st_size // 1024
        print(f"long_neu.opus: {size} KB, {known['long_neu.opus']['duration']} s")
        (HERE / "longform.json").write_text(json.dumps(known, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    dev = [name for name, info in listing.items() if info.get("set") in ("dev", "dev2")]
    rng = random.Random(23)
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # The case: short sentences, one at a time, about 2 s apart.
        plan = [(u, round(rng.uniform(1.5, 2.5), 2)) for name in dev
                for u in clip_utterances(name, listing[name], whole=False)]
        out["long_pausen.opus"] = build("long_pausen", plan, None, work, rng)
        # Another order; pauses of 0.3-3 s; every third clip starts a run of two clips spoken back to back.
        order = dev[:]
        rng.shuffle(order)
        plan = []
        for k, name in enumerate(order):
            run = k % 3 != 2
            for u in clip_utterances(name, listing[name], whole=run):
                plan.append((u, round(rng.uniform(0.2, 0.3), 2) if run else round(rng.uniform(0.3, 3.0), 2)))
            if run and k % 3 == 1:
                plan[-1] = (plan[-1][0], round(rng.uniform(1.0, 3.0), 2))
        out["long_gemischt.opus"] = build("long_gemischt", plan, (0.3, 0.75), work, rng)
        # The recording: 23 short sentences about 2 s apart (its own seed: the files above stay as they were).
        rng = random.Random(78)
        plan = [(Utterance("", KURZ_VOICES[k % len(KURZ_VOICES)], rng.choice((140, 150, 160)), text, (text,)),
                 round(rng.uniform(1.6, 2.4), 2)) for k, text in enumerate(KURZ)]
        out["long_kurz.opus"] = build("long_kurz", plan, None, work, rng)
        out["long_neu.opus"] = held_out(work)
    for name in out:
        print(f"{name}: {(HERE / name).stat().st_size // 1024} KB, {out[name]['duration']} s")  # type: ignore[index]
    (HERE / "longform.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

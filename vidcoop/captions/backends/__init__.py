"""Transcription backends, by registry name.

Adding a backend is one :class:`~vidcoop.captions.backends.base.Transcriber`
subclass and one line in :data:`BACKENDS`. The backend modules import their
heavy libraries only when they transcribe, so this registry is cheap to load.
"""

from __future__ import annotations

from vidcoop.captions.backends.base import Transcriber
from vidcoop.captions.backends.faster_whisper import FasterWhisperTranscriber
from vidcoop.captions.backends.openai_whisper import OpenAIWhisperTranscriber
from vidcoop.captions.options import DEFAULT_BACKEND
from vidcoop.errors import TranscriptionError
from vidcoop.media.audio import SAMPLE_RATE
from vidcoop.registry import lookup

BACKENDS: dict[str, type[Transcriber]] = {
    "faster-whisper": FasterWhisperTranscriber,
    "openai-whisper": OpenAIWhisperTranscriber,
}



def get_backend(name: str) -> type[Transcriber]:
    """The backend class registered as ``name``.

    Raises:
        TranscriptionError: no backend has that name.
    """
    return lookup(BACKENDS, name, TranscriptionError, what="transcription backend", field="backend")


__all__ = ["BACKENDS", "DEFAULT_BACKEND", "SAMPLE_RATE", "Transcriber", "get_backend"]

"""The transcript cache: a pass is keyed by its audio's content and everything that changes the model's
output, so rendering an episode again transcribes nothing when its audio has not changed."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.captions.backends import SAMPLE_RATE
from vidcoop.captions.model import Transcript
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcript_io import load_transcript
from vidcoop.errors import ManifestError
from vidcoop.files import stable_hash

if TYPE_CHECKING:
    import numpy as np

# Bump when backends change what they return for the same audio, to retire old cache entries.
CACHE_GENERATION = 5  # 4: a joined pass is cached as a unit; 5: loops decoded again, function words lower case

def audio_hash(audio: np.ndarray[Any, Any]) -> str:
    """SHA-256 of decoded samples: the same sound hashes the same in any container."""
    digest = hashlib.sha256(f"f32le/{SAMPLE_RATE}/mono:".encode())
    digest.update(audio.astype("<f4", copy=False).tobytes())
    return digest.hexdigest()


def cache_key(audio_digests: Sequence[str], identity: str, options: TranscribeOptions) -> str:
    """Everything that changes the raw recognition of pieces of audio recognised together in one pass.

    The pass is the unit: Whisper reads the pieces as one stretch of audio, so
    what it hears in one piece depends on its neighbours and their order.
    """
    return stable_hash(
        "transcript",
        CACHE_GENERATION,
        list(audio_digests),
        options.backend,
        identity,
        options.language,
        options.glossary.model_key() if options.glossary else [],
        options.beam_size,
        options.vad,
        options.batch_size,
        options.device,
        options.compute_type,
        options.decoding.key(),
    )


def read_cache(target: Path | None) -> Transcript | None:
    if target is None or not target.is_file():
        return None
    try:
        return load_transcript(target)
    except ManifestError:
        return None  # a damaged cache entry is simply made again

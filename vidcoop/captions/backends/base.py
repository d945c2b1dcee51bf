"""What every transcription backend provides.

A backend turns 16 kHz mono float32 samples into a :class:`Transcript` whose
times are seconds from the first sample. Decoding, caching, glossary
replacements and mapping onto an episode timeline happen outside, once for
all backends (:mod:`vidcoop.captions.transcribe`).
"""

from __future__ import annotations

import abc
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from vidcoop.captions.model import TranscriptSegment, Word

if TYPE_CHECKING:
    import numpy as np

    from vidcoop.captions.model import Transcript
    from vidcoop.captions.options import TranscribeOptions

# Loaded models, kept for the life of the process: loading base takes about a second,
# and a batch transcribes many spans with the same one.
_LOADED: dict[tuple[Any, ...], Any] = {}
_LOCK = threading.Lock()


def loaded_model(key: tuple[Any, ...], load: Callable[[], Any]) -> Any:
    """The model under ``key``, loaded once per process: loading Whisper weights takes seconds.

    ``key`` starts with the backend's name and holds everything the loaded
    object depends on (weights, device, compute type, threads).
    """
    with _LOCK:
        model = _LOADED.get(key)
        if model is None:
            model = _LOADED[key] = load()
    return model


class Transcriber(abc.ABC):
    """A speech recogniser behind the registry in :mod:`vidcoop.captions.backends`.

    Constructing one must be cheap and must not load a model: a run whose
    results all come from the cache never loads one. ``model_identity`` may
    resolve (and validate) the model name, so a wrong name fails before any
    audio is decoded.
    """

    name: ClassVar[str]

    def __init__(self, options: TranscribeOptions) -> None:
        self.options = options

    @abc.abstractmethod
    def model_identity(self) -> str:
        """Stable text naming the exact weights, for cache keys.

        Raises:
            TranscriptionError: the model cannot be found or the backend is not installed.
        """

    @abc.abstractmethod
    def transcribe(self, audio: np.ndarray[Any, Any], *, plain: bool = False) -> Transcript:
        """Recognise speech in ``audio`` (16 kHz mono float32); times from its start.

        ``plain`` decodes with nothing carried into the model: no initial or
        style prompt, no glossary hints, no previous text. It is the way out
        of a repetition loop (:mod:`vidcoop.captions.loops`).

        Raises:
            TranscriptionError: the backend failed.
        """


def seconds(value: float) -> Fraction:
    """A backend's float seconds as exact milliseconds (what the models resolve)."""
    return Fraction(round(float(value) * 1000), 1000)


# A word that continues the previous one as written: "-Termin" (of "Jobcenter-Termin"), "'s" (of "geht's").
_CONTINUES = re.compile(r"-[^\W_]|['\u2019][^\W\d_]{1,3}(?![^\W_])")
# The rest of a number after a digit: ".30" of "9.30", ",5" of "1,5".
_DECIMALS = re.compile(r"[.,:]\d")


def join_tokens(words: Sequence[Word]) -> tuple[Word, ...]:
    """Join a word that starts with a hyphen or an apostrophe to the word before it.

    Whisper attaches a hyphen to the following token ("Garage", "-Tour";
    "Jobcenter", "-Termin"), a short apostrophe form comes as its own word
    ("geht", "'s"), and so may the rest of a number ("9", ".30"). On
    screen they are one word, as written: the joined
    word spans both words' times and keeps the lower confidence. A lone
    dash stays a word of its own.
    """
    out: list[Word] = []
    for w in words:
        text = w.text.strip()
        if out and (_CONTINUES.match(text) or (_DECIMALS.match(text) and out[-1].text.strip()[-1:].isdigit())):
            prev = out[-1]
            probability = min(prev.probability, w.probability)
            out[-1] = replace(prev, text=prev.text + text, end=max(prev.end, w.end), probability=probability)
        else:
            out.append(w)
    return tuple(out)


def tidy(segments: Iterable[TranscriptSegment], duration: Fraction) -> tuple[TranscriptSegment, ...]:
    """Keep a backend's output inside the audio and in time order.

    Whisper decodes 30 s windows and may put timestamps in the padding past
    the audio's end, or emit empty segments; neither belongs in a transcript.
    """
    kept = []
    for seg in segments:
        words = tuple(
            Word(w.text, min(w.start, duration), min(w.end, duration), w.probability)
            for w in seg.words
            if w.start < duration
        )
        if seg.start >= duration or not (seg.text.strip() or words):
            continue
        start = min([seg.start, *(w.start for w in words[:1])])
        end = max([min(seg.end, duration), *(w.end for w in words[-1:])])
        kept.append(TranscriptSegment(text=seg.text, start=start, end=end, words=words))
    kept.sort(key=lambda s: (s.start, s.end))
    return tuple(kept)

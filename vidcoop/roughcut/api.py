"""``vidcoop.rough_cut``: kept sentences of a source as segments, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.options import TranscribeOptions
from vidcoop.errors import ManifestError, MediaError
from vidcoop.roughcut.cut import CutOptions, RoughCut, parse_keep, plan_cut
from vidcoop.roughcut.levels import SourceAudio, load_audio
from vidcoop.roughcut.suggest import Suggestion, SuggestOptions, suggest
from vidcoop.roughcut.transcript import SourceTranscript, fit_words, source_transcript
from vidcoop.timeline.model import Segment
from vidcoop.timing import TimeLike, parse_time


def rough_cut(
    source: str | Path,
    keep: str | Sequence[int],
    *,
    tighten_pauses: TimeLike | None = None,
    drop_fillers: bool = False,
    last_take: bool = False,
    fps: TimeLike = 30,
    transcribe: TranscribeOptions | None = None,
) -> tuple[Segment, ...]:
    """The kept sentences of ``source`` as segments with clean edges (see :func:`cut_source`)."""
    return cut_source(source, keep, tighten_pauses=tighten_pauses, drop_fillers=drop_fillers,
                      last_take=last_take, fps=fps, transcribe=transcribe).segments


def cut_source(
    source: str | Path,
    keep: str | Sequence[int],
    *,
    tighten_pauses: TimeLike | None = None,
    drop_fillers: bool = False,
    last_take: bool = False,
    fps: TimeLike = 30,
    transcribe: TranscribeOptions | None = None,
    transcript: SourceTranscript | None = None,
) -> RoughCut:
    """Transcribe ``source`` (cached), keep the sentences ``keep`` and accept the named suggestions.

    Args:
        source: The footage.
        keep: Sentence numbers (1-based, as ``vidcoop cut SOURCE`` prints them) or text like ``"1-3,5,8"``.
        tighten_pauses: Accept every pause longer than this many seconds, shortened to 0.3 s
            (or to this, when it is shorter). None leaves pauses as spoken.
        drop_fillers: Accept every filler word and every stretch of voice no word covers.
        last_take: Accept every repeated take: the earlier take goes.
        fps: The output frame rate; every cut lands on its grid.
        transcribe: Transcription settings (the render's defaults: German, offline base model).
        transcript: An already made transcript of ``source`` (skips transcribing).

    Raises:
        ManifestError: ``keep`` or ``tighten_pauses`` is malformed (field ``keep`` / ``tighten_pauses``).
        MediaError: the source is missing, unreadable or has no sound.
        TranscriptionError: the model is not available.
    """
    path = Path(source)
    pause = _pause(tighten_pauses, path)
    rate = Fraction(parse_time(fps))
    if isinstance(keep, str):
        parse_keep(keep, path=path)  # its form, before the long work
    if transcript is None and not path.is_file():
        raise MediaError("file not found" if not path.exists() else "not a file", path=path, field="source")
    st, audio = read_source(path, transcribe, transcript=transcript)
    numbers = parse_keep(keep, len(st.sentences), path=path) if isinstance(keep, str) else list(keep)
    options = SuggestOptions(pause=pause) if pause is not None else SuggestOptions()
    found = suggest(st, audio, options)
    kinds = accepted_kinds(tighten_pauses=pause is not None, drop_fillers=drop_fillers, last_take=last_take)
    cut_options = CutOptions(fps=rate, keep_pause=min(CutOptions.keep_pause, pause or CutOptions.keep_pause))
    return plan_cut(st, audio, numbers, [s for s in found if s.kind in kinds], cut_options)


def read_source(source: str | Path, transcribe: TranscribeOptions | None = None, *,
                transcript: SourceTranscript | None = None) -> tuple[SourceTranscript, SourceAudio]:
    """A source's sentences (transcribed through the render's cache, word edges fitted to its sound) and sound.

    Raises:
        MediaError: the source is missing, unreadable or has no sound.
        TranscriptionError: the model is not available.
    """
    path = Path(source)
    st = transcript or source_transcript(path, transcribe)
    audio = load_audio(path)
    return fit_words(st, audio), audio


def accepted_kinds(*, tighten_pauses: bool, drop_fillers: bool, last_take: bool) -> frozenset[str]:
    """The suggestion kinds the CLI's and the API's flags accept all at once."""
    kinds = set()
    if tighten_pauses:
        kinds.add("pause")
    if drop_fillers:
        kinds |= {"filler", "voice"}
    if last_take:
        kinds.add("retake")
    return frozenset(kinds)


def _pause(value: TimeLike | None, path: Path) -> Fraction | None:
    if value is None:
        return None
    try:
        pause = parse_time(value)
    except ValueError as exc:
        raise ManifestError(f"tighten_pauses: {exc}", path=path, field="tighten_pauses") from None
    if not 0 < pause <= 60:
        raise ManifestError("tighten_pauses must be more than 0 and at most 60 seconds", path=path,
                            field="tighten_pauses")
    return pause


__all__ = ["Suggestion", "accepted_kinds", "cut_source", "read_source", "rough_cut"]

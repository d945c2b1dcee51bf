"""Rough cut from the transcript: an editor keeps sentences instead of typing timecodes.

Layers inside, low to high: :mod:`~vidcoop.roughcut.transcript` (sentences and paragraphs of a
source, through the render's transcription cache), :mod:`~vidcoop.roughcut.levels` (voice and
level of the source), :mod:`~vidcoop.roughcut.suggest` (pauses, fillers, uncovered voice, retakes:
listed, never applied silently), :mod:`~vidcoop.roughcut.cut` (kept sentences → pieces with clean,
frame-exact edges and edge fades), :mod:`~vidcoop.roughcut.save` (``segments:`` and captions into the
manifest), :mod:`~vidcoop.roughcut.api` (``rough_cut`` in one call). It knows no channel, batch or studio.
"""

from __future__ import annotations

from vidcoop.roughcut.api import accepted_kinds, cut_source, read_source, rough_cut
from vidcoop.roughcut.cut import (
    CutOptions,
    Piece,
    RoughCut,
    WordRange,
    cut_from_ranges,
    join_cuts,
    parse_keep,
    plan_cut,
)
from vidcoop.roughcut.levels import SourceAudio, load_audio
from vidcoop.roughcut.save import SavedCut, save_cut
from vidcoop.roughcut.suggest import FILLERS, Suggestion, SuggestOptions, is_filler, suggest
from vidcoop.roughcut.transcript import (
    Paragraph,
    Sentence,
    SourceTranscript,
    corrected,
    fit_words,
    source_transcript,
)

__all__ = [
    "FILLERS",
    "CutOptions",
    "Paragraph",
    "Piece",
    "RoughCut",
    "SavedCut",
    "Sentence",
    "SourceAudio",
    "SourceTranscript",
    "SuggestOptions",
    "Suggestion",
    "WordRange",
    "accepted_kinds",
    "corrected",
    "cut_from_ranges",
    "cut_source",
    "fit_words",
    "is_filler",
    "join_cuts",
    "load_audio",
    "parse_keep",
    "plan_cut",
    "read_source",
    "rough_cut",
    "save_cut",
    "source_transcript",
    "suggest",
]

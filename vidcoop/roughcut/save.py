"""Saving a rough cut: ``segments:`` into the episode manifest, the kept words as its captions.

The manifest is created or filled with the round-trip edit of :mod:`vidcoop.timeline.edit`
(comments and every other key kept). The captions are the transcript's own words on the
episode timeline (no second transcription), built into cues in the episode's caption style
and written beside the manifest as ``NAME.captions.json`` (the name the studio's caption editor
uses; JSON in every style, so word times and unsure words survive), so the render burns them
and the studio's caption editor opens them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.cues import StyleSource, build
from vidcoop.outputs import Input, check_outputs
from vidcoop.roughcut.cut import RoughCut
from vidcoop.timeline.edit import EDITED_SUFFIX, SegmentEntry, manifest_lock, point_manifest_at, set_segments
from vidcoop.timeline.manifest import load_episode


@dataclass(frozen=True)
class SavedCut:
    """What a save wrote: the manifest and its caption file."""

    manifest: Path
    captions: Path


def save_cut(manifest: str | Path, cut: RoughCut, *, style: str | None = None,
             caption_style: StyleSource = None, offset: Fraction = Fraction(0)) -> SavedCut:
    """Write ``cut`` into ``manifest`` (created when missing) and its words as the episode's captions.

    Args:
        manifest: The episode manifest; a new one gets ``version: 1`` and the segments.
        cut: The rough cut.
        style: The caption style; None = the manifest's ``captions.style``, else ``subtitle``
            (a format's style is the caller's to pass: the rough cut knows no channel).
        caption_style: A brand kit or CaptionStyle the cues are laid out for (None: the neutral default).
        offset: Where the first kept piece plays on the rendered timeline (a format's intro).

    Raises:
        ManifestError: the manifest cannot be read or edited, or the cut is empty.
        OutputError: the manifest or caption file would replace the source, or cannot be written.
    """
    path = Path(manifest)
    entries = [SegmentEntry(p.source, p.start, p.end, cut.options.fade) for p in cut.pieces]
    inputs = [Input(source, "source footage") for source in cut.sources]
    check_outputs([("manifest", path)], inputs)
    with manifest_lock(path):
        set_segments(path, entries)
        episode = load_episode(path)
        name = style or episode.captions.style or "subtitle"
        starts = cut.timeline_starts(episode.crossfade, offset)
        # JSON in every style: it keeps each word's time and the recogniser's confidence, so unsure
        # words stay flagged in the render's report and the studio (an SRT would drop both).
        real = path.resolve()
        target = real.with_name(f"{real.stem}{EDITED_SUFFIX}.json")
        check_outputs([("captions", target)], inputs)
        cues = build(cut.transcript(starts), name, caption_style, cuts=starts[1:])
        cues.save(target)
        point_manifest_at(path, target)
    return SavedCut(path, target)

"""A job-board episode as the version-1 manifest ``vidcoop jobboard`` writes (``NAME.episode.json``).

``vidcoop render NAME.episode.json`` reads it back (:func:`vidcoop.timeline.manifest.load_episode`) and
renders what the board showed, in each picture shape it was built for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidcoop.timeline.model import SHAPE_STILLS, Episode, Reframe, episode_shapes


def _written(path: Path, folder: Path | None) -> str:
    """A path as the manifest in ``folder`` names it: relative when the file lies in that folder, else absolute
    (None: as it is)."""
    if folder is None:
        return str(path)
    where, home = path.absolute(), folder.absolute()
    return where.relative_to(home).as_posix() if where.is_relative_to(home) else str(where)


def _reframe(rf: Reframe) -> dict[str, Any]:
    """A card's or clip's reframe as the manifest writes it (``reframe:``)."""
    out: dict[str, Any] = {"mode": rf.mode, "color": rf.color}
    if rf.zoom:
        out["zoom"] = list(rf.zoom)
    return out


def episode_manifest(episode: Episode, folder: Path | None = None) -> dict[str, Any]:
    """The episode as a version-1 manifest (``vidcoop render`` reads it back).

    Cards are stills (``image:``), clips are ``source:``; captions are off in
    the picture because the cards already show the text, and the same text
    is written as sidecar SRT/VTT. A board built for several picture shapes keeps them: ``renditions:``,
    each card's own still per shape (``images:``) and each segment's reframe per shape (``reframe.shapes``),
    so ``vidcoop render MANIFEST --shape 4:5`` shows the cards laid out for 4:5.

    Args:
        episode: A job-board episode (:func:`build_episode`).
        folder: Where the manifest is written: paths inside it are written relative to it (as the manifest
            reads them), others absolute; None writes paths as they are.
    """
    stills = {".png", ".jpg", ".jpeg", ".webp"}
    shaped = episode.extra.get(SHAPE_STILLS)
    drawn: dict[str, dict[str, str]] = shaped if isinstance(shaped, dict) else {}
    segments = []
    for seg in episode.segments:
        assert isinstance(seg.source, Path)
        still = seg.source.suffix.lower() in stills
        item: dict[str, Any] = {("image" if still else "source"): _written(seg.source, folder)}
        if still and drawn.get(str(seg.source)):
            item["images"] = {shape: _written(Path(own), folder) for shape, own in drawn[str(seg.source)].items()}
        if seg.duration is not None:
            item["duration"] = float(seg.duration)
        item["kind"] = seg.kind
        if seg.partner:
            item["partner"] = seg.partner
        if seg.label:
            item["label"] = seg.label
        item["reframe"] = _reframe(seg.reframe)
        if seg.reframe.shapes:
            item["reframe"]["shapes"] = {shape: _reframe(rf) for shape, rf in seg.reframe.shapes}
        segments.append(item)
    data: dict[str, Any] = {
        "version": 1, "title": episode.title, "name": episode.name, "profile": episode.profile,
        "format": episode.format, "crossfade": float(episode.crossfade), "segments": segments,
        "captions": {"mode": "off"},
    }
    if len(episode_shapes(episode)) > 1:
        data["renditions"] = list(episode_shapes(episode))
    if episode.channel is not None:
        data["channel"] = _written(episode.channel, folder)
    if episode.audio.music is not None:
        data["audio"] = {"music": _written(episode.audio.music.file, folder)}
    return data

"""Saving a rough cut into an episode of a channel: the format's caption style and where its body plays.

:func:`vidcoop.roughcut.save_cut` knows no channel; the CLI (``vidcoop cut``) and the studio's
Rohschnitt view both save through :func:`save_episode_cut`, so a format's intro moves the captions
to where the body plays and the format's caption style is used, the same way for both.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from vidcoop.channel.assemble import as_rendered, caption_style_name
from vidcoop.channel.config import load_channel
from vidcoop.datafiles import load_yaml
from vidcoop.files import work_dir
from vidcoop.roughcut import RoughCut, SavedCut, save_cut
from vidcoop.timeline.manifest import load_episode
from vidcoop.timeline.model import CaptionSpec, Episode


def save_episode_cut(manifest: Path, cut: RoughCut, *, style: str | None = None) -> SavedCut:
    """:func:`~vidcoop.roughcut.save_cut` with the format's caption style and the captions moved past its intro.

    Raises:
        ManifestError: the manifest cannot be read or edited, or the cut is empty.
        OutputError: the manifest or caption file would replace the source, or cannot be written.
    """
    style = style or format_style(manifest)
    saved = save_cut(manifest, cut, style=style)
    offset = body_offset(manifest)
    if offset:  # the format puts an intro first: the captions start where the body does
        saved = save_cut(manifest, cut, style=style, offset=offset)
    return saved


def format_style(manifest: Path) -> str | None:
    """The caption style of the manifest, else of its format (when it names a channel and a format), else None."""
    if not manifest.exists():
        return None
    data = load_yaml(manifest, what="manifest file")
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("captions"), dict) and data["captions"].get("style"):
        return str(data["captions"]["style"])
    if not data.get("channel") or not data.get("format"):
        return None
    channel = load_channel(manifest.parent / str(data["channel"]))
    return caption_style_name(Episode((), format=str(data["format"]), captions=CaptionSpec()), channel)


def body_offset(manifest: Path) -> Fraction:
    """Where the episode's first body segment plays once its format's parts are in (0 without a format)."""
    episode = load_episode(manifest)
    if not episode.format:
        return Fraction(0)
    with work_dir("cut") as work:
        plan = as_rendered(episode, work, loudness=False).plan
    return next((ps.timeline_start for ps in plan.segments if ps.segment.kind == "body"), Fraction(0))

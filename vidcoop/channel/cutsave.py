"""Saving a rough cut into an episode of a channel: the format's caption style and where its body plays.

:func:`vidcoop.roughcut.save_cut` knows no channel; the CLI (``vidcoop cut``) and the studio's
Rohschnitt view both save through :func:`save_episode_cut`, so a format's intro moves the captions
to where the body plays and the format's caption style is used, the same way for both.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from vidcoop.captions.glossary import Glossary, load_glossary
from vidcoop.captions.options import TranscribeOptions
from vidcoop.channel.assemble import as_rendered, caption_style_name
from vidcoop.channel.config import load_channel
from vidcoop.datafiles import load_yaml
from vidcoop.files import atomic_write_text, work_dir
from vidcoop.outputs import Input, check_outputs
from vidcoop.roughcut import RoughCut, SavedCut, save_cut
from vidcoop.timeline.edit import manifest_lock
from vidcoop.timeline.manifest import load_episode
from vidcoop.timeline.model import CaptionSpec, Episode

#: A channel's spoken language and caption glossary: what its renders transcribe with.
Speech = tuple[str | None, Glossary | None]


def save_episode_cut(manifest: Path, cut: RoughCut, *, style: str | None = None,
                     channel: Path | None = None) -> SavedCut:
    """:func:`~vidcoop.roughcut.save_cut` with the format's caption style and the captions moved past its intro.

    A new manifest names ``channel`` (when given), so it renders with the channel it was cut for;
    an existing one keeps the channel it names.

    Raises:
        ManifestError: the manifest cannot be read or edited, or the cut is empty.
        OutputError: the manifest or caption file would replace the source, or cannot be written.
    """
    with manifest_lock(manifest):
        if channel is not None and not manifest.exists():
            check_outputs([("manifest", manifest)], [Input(channel, "channel file")])
            name = os.path.relpath(channel.resolve(), manifest.resolve().parent)
            atomic_write_text(manifest, f"version: 1\nchannel: {json.dumps(name)}\nsegments: []\n")
        return _save(manifest, cut, style)


def _save(manifest: Path, cut: RoughCut, style: str | None) -> SavedCut:
    style = style or format_style(manifest)
    saved = save_cut(manifest, cut, style=style)
    offset = body_offset(manifest)
    if offset:  # the format puts an intro first: the captions start where the body does
        saved = save_cut(manifest, cut, style=style, offset=offset)
    return saved


def channel_speech(channel_file: Path) -> Speech:
    """The language and caption glossary the channel's renders transcribe with.

    A rough cut's sentences become the episode's captions, so they are transcribed as its channel's
    renders transcribe: its language, its terms, its fixed spellings.

    Raises:
        ManifestError: the channel or its glossary cannot be read.
    """
    channel = load_channel(channel_file)
    return channel.language, load_glossary(channel.glossary) if channel.glossary is not None else None


def speech_options(speech: Speech | None, base: TranscribeOptions | None = None) -> TranscribeOptions:
    """``base`` (the defaults without one) with a channel's language and glossary, when there is a channel."""
    options = base or TranscribeOptions()
    if speech is None:
        return options
    language, glossary = speech
    return replace(options, language=language, glossary=glossary)


def manifest_channel(manifest: Path) -> Path | None:
    """The channel file an episode manifest names (None when it does not exist yet or names none).

    Read from the YAML as written, so it works before the manifest has its first segment.

    Raises:
        ManifestError: the manifest exists but is not YAML.
    """
    if not manifest.exists():
        return None
    return _named_channel(manifest, load_yaml(manifest, what="manifest file"))


def _named_channel(manifest: Path, data: object) -> Path | None:
    """The channel file the manifest's YAML ``data`` names, relative to the manifest."""
    name = data.get("channel") if isinstance(data, dict) else None
    return (manifest.parent / name).resolve() if isinstance(name, str) and name else None


def format_style(manifest: Path) -> str | None:
    """The caption style of the manifest, else of its format (when it names a channel and a format), else None."""
    if not manifest.exists():
        return None
    data = load_yaml(manifest, what="manifest file")
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("captions"), dict) and data["captions"].get("style"):
        return str(data["captions"]["style"])
    channel_file = _named_channel(manifest, data)
    if channel_file is None or not data.get("format"):
        return None
    channel = load_channel(channel_file)
    return caption_style_name(Episode((), format=str(data["format"]), captions=CaptionSpec()), channel)


def body_offset(manifest: Path) -> Fraction:
    """Where the episode's first body segment plays once its format's parts are in (0 without a format)."""
    episode = load_episode(manifest)
    if not episode.format:
        return Fraction(0)
    with work_dir("cut") as work:
        plan = as_rendered(episode, work, loudness=False).plan
    return next((ps.timeline_start for ps in plan.segments if ps.segment.kind == "body"), Fraction(0))

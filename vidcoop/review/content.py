"""Content keys: what an approval records, and how many approvals an episode needs.

An episode's content key is the batch's skip key for its final render
(:func:`vidcoop.review.keys.output_key`) plus the caption file's bytes: when any
input changes, the key changes and an earlier approval no longer counts. The
studio, ``vidcoop status`` and ``vidcoop batch --approved-only`` all compute it
here, so they agree on what "approved" means.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from vidcoop.channel.config import Channel
from vidcoop.resources import kit_dir
from vidcoop.review.keys import FileHasher, output_key
from vidcoop.timeline.model import Episode


class Channels(Protocol):
    """Where loaded channel configs come from (the batch's policy checker keeps them once per run)."""

    def channel(self, path: Path) -> Channel: ...


def input_dirs(episode: Episode, channels: Channels, brand_kit: Path | None = None) -> list[Path]:
    """Folders whose files shape an output: the channel's folder and kit, else the week's kit (``brand_kit``)."""
    if episode.channel is not None:
        channel = channels.channel(Path(episode.channel))
        return [channel.root, channel.kit_path.parent]
    if brand_kit is not None:
        return [brand_kit]
    neutral = kit_dir("neutral")
    return [neutral] if neutral.is_dir() else []


def content_key(episode: Episode, hasher: FileHasher, channels: Channels, brand_kit: Path | None = None) -> str:
    """What an approval records: the input hashes of the final render, plus the caption file."""
    dirs = input_dirs(episode, channels, brand_kit)
    spec = episode.captions
    caption = hasher.digest(spec.path) if spec.mode == "file" and spec.path is not None else spec.mode
    return output_key(episode, "final", hasher=hasher, kit_dirs=dirs, settings={"captions": caption})


def required_approvals(episode: Episode, channels: Channels) -> int:
    """``review: {approvals: N}`` of the episode's channel; one without a channel."""
    if episode.channel is None:
        return 1
    return int(channels.channel(Path(episode.channel)).approvals)

"""``vidcoop cut SOURCE`` (the transcript as numbered sentences) and ``vidcoop cut EPISODE.yaml --source ...``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from vidcoop.cli._choices import RegistryChoice
from vidcoop.cli._echo import say

if TYPE_CHECKING:
    from vidcoop.captions.options import TranscribeOptions

_MANIFEST_SUFFIXES = (".yaml", ".yml")


@click.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--source", type=click.Path(path_type=Path), help="The footage to cut (with EPISODE.yaml).")
@click.option("--channel", "channel_file", type=click.Path(path_type=Path), default=None,
              help="Transcribe with this channel's language and caption glossary (default with EPISODE.yaml: "
                   "the channel it names). Give the same to `vidcoop cut SOURCE`, so the numbers match.")
@click.option("--keep", help="Sentences to keep, as `vidcoop cut SOURCE` numbers them: 1-3,5,8.")
@click.option("--tighten-pauses", type=float, default=None, metavar="SECONDS",
              help="Shorten every pause longer than SECONDS (to 0.3 s, or SECONDS when shorter).")
@click.option("--drop-fillers", is_flag=True, help="Cut out äh/ähm/öh/öhm/hm and voice no word covers.")
@click.option("--last-take", is_flag=True, help="Where a sentence is started again, keep only the last take.")
@click.option("--style", type=RegistryChoice("vidcoop.captions.cues", "BUILDERS"), default=None,
              help="Caption style (default: the manifest's, else its format's, else subtitle).")
@click.option("--profile", default=None, help="Output profile whose frame rate the cuts snap to (default: final).")
@click.option("--suggestions", "show_suggestions", is_flag=True,
              help="With SOURCE: list the suggestions (pauses, fillers, uncovered voice, retakes) instead.")
def cut(target: Path, source: Path | None, channel_file: Path | None, keep: str | None,
        tighten_pauses: float | None, drop_fillers: bool,
        last_take: bool, style: str | None, profile: str | None, show_suggestions: bool) -> None:
    """Rough cut from the transcript: print SOURCE's sentences, or write the kept ones into EPISODE.yaml.

    `vidcoop cut SOURCE` prints one numbered sentence per line with its times. `vidcoop cut
    EPISODE.yaml --source SOURCE --keep 1-3,5` creates the manifest (or fills its segments) and
    writes the kept words as its captions. Suggestions are applied only when a flag asks.
    """
    from vidcoop.channel.cutsave import channel_speech, manifest_channel, speech_options
    from vidcoop.errors import ManifestError

    if target.suffix.lower() not in _MANIFEST_SUFFIXES:
        if source is not None or keep is not None:
            raise ManifestError("give an episode manifest (.yaml) to write --source/--keep into", path=target,
                                field="target")
        speech = channel_speech(channel_file) if channel_file is not None else None
        _print_transcript(target, show_suggestions, speech_options(speech))
        return
    if source is None:
        raise ManifestError("--source is needed to cut into an episode", path=target, field="source")
    if keep is None:
        raise ManifestError("--keep is needed: sentence numbers from `vidcoop cut SOURCE`, e.g. 1-3,5",
                            path=target, field="keep")
    channel_file = channel_file or manifest_channel(target)
    speech = channel_speech(channel_file) if channel_file is not None else None
    _write_episode(target, source, keep, tighten_pauses, drop_fillers, last_take, style, profile,
                   speech_options(speech), channel_file)


def _print_transcript(source: Path, show_suggestions: bool, options: TranscribeOptions) -> None:
    from vidcoop.roughcut import read_source, suggest
    from vidcoop.timing import format_timecode

    st, audio = read_source(source, options)
    if show_suggestions:
        for s in suggest(st, audio):
            text = f" {s.text}" if s.text else ""
            say(f"{s.sentence} {s.kind} {format_timecode(s.start)}-{format_timecode(s.end)}{text}")
        return
    for sentence in st.sentences:
        say(f"{sentence.number} {format_timecode(sentence.start)}-{format_timecode(sentence.end)} {sentence.text}")


def _write_episode(manifest: Path, source: Path, keep: str, tighten_pauses: float | None, drop_fillers: bool,
                   last_take: bool, style: str | None, profile: str | None, options: TranscribeOptions,
                   channel: Path | None) -> None:
    from vidcoop.channel.cutsave import save_episode_cut
    from vidcoop.engine.profiles import get_profile
    from vidcoop.roughcut import cut_source

    fps = get_profile(profile or "final").fps
    made = cut_source(source, keep, tighten_pauses=tighten_pauses, drop_fillers=drop_fillers,
                      last_take=last_take, fps=fps, transcribe=options)
    saved = save_episode_cut(manifest, made, style=style, channel=channel)
    length = sum(p.duration for p in made.pieces)
    say(f"wrote {saved.manifest}: {len(made.pieces)} segments, {float(length):.2f}s; captions {saved.captions}")

"""``vidcoop cover EPISODE.yaml``: a 1080x1920 JPEG cover with the title in the brand style."""

from __future__ import annotations

from pathlib import Path

import click

from vidcoop.cli._choices import RegistryChoice
from vidcoop.cli._echo import say


@click.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option("--at", "at", default=None, metavar="TIME",
              help="Episode time of the frame (00:00:03 or 3.5); default: the sharpest frame.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Output JPEG (default: <episode>.cover.jpg beside the manifest).")
@click.option("--title", default=None, help="Text on the cover (default: the episode's title).")
@click.option("--kit", default=None,
              help="Brand kit: shipped name, folder or kit.yaml (default: the channel's kit, else neutral).")
@click.option("--shape", type=RegistryChoice("vidcoop.shapes", "SHAPES"), default="9:16", show_default=True,
              help="Picture shape of the cover (default name then <episode>.cover.4x5.jpg).")
def cover(episode: Path, at: str | None, output: Path | None, title: str | None, kit: str | None,
          shape: str) -> None:
    """Make an episode's cover image from one of its frames."""
    from vidcoop.cover import CoverOptions, make_cover
    from vidcoop.timeline.manifest import load_episode
    from vidcoop.timing import format_timecode, parse_time

    try:
        when = parse_time(at) if at is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from None
    ep = load_episode(episode)
    from vidcoop.shapes import shape_output

    out = output or shape_output(episode.with_name(episode.stem + ".cover.jpg"), shape)
    result = make_cover(ep, out, CoverOptions(at=when, title=title, kit=kit, shape=shape))
    say(f"wrote {result.output} (frame at {format_timecode(result.episode_time)} from "
        f"{result.source.name} @ {format_timecode(result.source_time)})")

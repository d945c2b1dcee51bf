"""``vidcoop init DIR``: a new channel folder from the shipped example."""

from __future__ import annotations

from pathlib import Path

import click

from vidcoop.cli._echo import say


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="The channel's name (default: the example's, 'Wege zum Job').")
def init(folder: Path, name: str | None) -> None:
    """Write a working channel skeleton: channel.yaml, an explainer, jobs.csv, week.yaml, a README."""
    from vidcoop.channel.skeleton import init_channel

    written = init_channel(folder, name=name)
    say(f"wrote {len(written)} files into {folder}")
    say(f"next: cd {folder} && vidcoop render episodes/was-ist-buergergeld.yaml --profile preview")

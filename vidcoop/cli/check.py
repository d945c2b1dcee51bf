"""``vidcoop check EPISODE.yaml``: the channel's policy check, before anything is rendered."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vidcoop.cli._choices import RegistryChoice
from vidcoop.cli._echo import say


@click.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option("--channel", "channel_path", type=click.Path(path_type=Path), default=None,
              help="channel.yaml (default: the manifest's channel:).")
@click.option("--strict", is_flag=True, help="Overlays outside the safe zone are errors, not warnings.")
@click.option("--safe-zone", "zone", type=RegistryChoice("vidcoop.brand.safezone", "SAFE_ZONES"),
              default=None, help="Check overlays against this platform instead of the kit's safe zone.")
@click.option("--json", "as_json", is_flag=True, help="Print the policy report as JSON.")
def check(episode: Path, channel_path: Path | None, strict: bool, zone: str | None, as_json: bool) -> None:
    """Check an episode against its channel's partner-slot and safe-zone rules.

    The episode is assembled exactly as it renders (intro, end card, outro,
    kit logo, lower thirds, tightened pauses) and every picture is matched
    against the partners' logos and bumpers. Exits non-zero with the broken
    rule when the episode may not be rendered.
    """
    from vidcoop.channel.assemble import check_render
    from vidcoop.channel.config import load_channel
    from vidcoop.timeline.manifest import load_episode

    ep = load_episode(episode)
    source = channel_path or ep.channel
    if source is None:
        raise click.UsageError("the episode names no channel; pass --channel channel.yaml")
    channel = load_channel(source)
    safe_zone = None
    if zone is not None:
        from vidcoop.brand.safezone import get_safe_zone

        safe_zone = get_safe_zone(zone)
    report = check_render(ep, channel=channel, strict=strict, safe_zone=safe_zone)
    assert report is not None  # a channel was given, so its rules ran
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    say(f"{episode}: format {report.format or '(none)'} of channel {channel.name!r}")
    for rule in report.passed:
        say(f"  ok    {rule}")
    for warning in report.warnings:
        say(f"  warn  {warning.rule}: {warning.message}")
    for note in report.notes:
        say(f"  note  {note}")
    click.echo("passed" + (f" with {len(report.warnings)} warning(s)" if report.warnings else ""))

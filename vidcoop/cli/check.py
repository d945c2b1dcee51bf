"""``vidcoop check EPISODE.yaml``: the channel's policy check, before anything is rendered."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import click


@click.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option("--channel", "channel_path", type=click.Path(path_type=Path), default=None,
              help="channel.yaml (default: the manifest's channel:).")
@click.option("--strict", is_flag=True, help="Overlays outside the safe zone are errors, not warnings.")
@click.option("--no-probe", is_flag=True, help="Do not open video files to learn their length.")
@click.option("--safe-zone", "zone", type=click.Choice(("tiktok", "instagram-reels", "youtube-shorts")),
              default=None, help="Check overlays against this platform instead of the kit's safe zone.")
@click.option("--json", "as_json", is_flag=True, help="Print the policy report as JSON.")
def check(episode: Path, channel_path: Path | None, strict: bool, no_probe: bool, zone: str | None,
          as_json: bool) -> None:
    """Check an episode against its channel's partner-slot and safe-zone rules.

    Exits non-zero with the broken rule when the episode may not be rendered.
    """
    from vidcoop.channel.config import load_channel
    from vidcoop.channel.policy import check_episode
    from vidcoop.channel.spans import probed_durations
    from vidcoop.files import work_dir
    from vidcoop.timeline.manifest import load_episode

    ep = load_episode(episode)
    source = channel_path or ep.channel
    if source is None:
        raise click.UsageError("the episode names no channel; pass --channel channel.yaml")
    channel = load_channel(source)
    durations = None if no_probe else probed_durations(ep)
    with work_dir("check") as work:
        # check what render() would render: the format's intro/end card/outro and the kit logo added
        full = _assembled(ep, channel, work, durations)
        safe_zone = None
        if zone is not None:
            from vidcoop.brand.safezone import get_safe_zone

            safe_zone = get_safe_zone(zone)
        report = check_episode(full, channel, strict=strict, durations=durations, safe_zone=safe_zone)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{episode}: format {report.format or '(none)'} of channel {channel.name!r}")
    for rule in report.passed:
        click.echo(f"  ok    {rule}")
    for warning in report.warnings:
        click.echo(f"  warn  {warning.rule}: {warning.message}")
    click.echo("passed" + (f" with {len(report.warnings)} warning(s)" if report.warnings else ""))


def _assembled(ep: Any, channel: Any, work: Path, durations: Any) -> Any:
    """The episode as render() plans it: format parts from the kit, and the kit logo over the body."""
    from vidcoop.channel.assemble import assemble, body_range, with_logo
    from vidcoop.channel.spans import UnknownLength, segment_spans

    kit = channel.kit()
    full = assemble(ep, channel, kit, work)
    if full.extra.get("logo"):
        # with an unknown length the logo is left out; the policy check reports the length itself
        with contextlib.suppress(UnknownLength):
            full = with_logo(full, kit, body_range(segment_spans(full, durations)))
    return full

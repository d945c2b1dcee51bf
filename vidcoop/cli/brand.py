"""``vidcoop brand preview|check KIT``: see a brand kit, and check it before using it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from vidcoop.cli._choices import RegistryChoice
from vidcoop.cli._echo import say

ZONES = RegistryChoice("vidcoop.brand.safezone", "SAFE_ZONES")
SHAPES = RegistryChoice("vidcoop.shapes", "SHAPES")


def _load(kit: str, zone: str | None) -> Any:
    from dataclasses import replace

    from vidcoop.brand.kit import load_kit
    from vidcoop.brand.safezone import get_safe_zone

    loaded = load_kit(kit)
    return replace(loaded, safe_zone=get_safe_zone(zone)) if zone else loaded


@click.group()
def brand() -> None:
    """Brand kits: preview and check."""


@brand.command()
@click.argument("kit")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("preview.png"), show_default=True,
              help="PNG to write.")
@click.option("--scale", type=click.FloatRange(0.1, 1.0), default=0.5, show_default=True,
              help="Size of each 1080x1920 frame in the sheet.")
@click.option("--safe-zone", "zone", type=ZONES, default=None,
              help="Show another platform's safe zone instead of the kit's.")
@click.option("--shape", type=SHAPES, default=None, help="Draw the frames in this picture shape (default 9:16).")
def preview(kit: str, output: Path, scale: float, zone: str | None, shape: str | None) -> None:
    """Render a still of KIT (folder, kit.yaml or shipped name): captions, logo, lower third, safe zone."""
    from vidcoop.brand.preview import render_preview

    path = render_preview(_load(kit, zone), output, scale=scale, shape=shape)
    say(f"wrote {path}")


@brand.command(name="check")
@click.argument("kit", required=False)
@click.option("-v", "--verbose", is_flag=True, help="Also list what was checked and held.")
@click.option("--safe-zone", "zone", type=ZONES, default=None,
              help="Check against another platform's safe zone instead of the kit's.")
@click.option("--channel", "channel_path", type=click.Path(path_type=Path), default=None,
              help="channel.yaml: also measure its partner logos on the bumper, card and link page "
                   "(KIT defaults to the channel's kit).")
def check_cmd(kit: str | None, verbose: bool, zone: str | None, channel_path: Path | None) -> None:
    """Check KIT: files, colours, WCAG AA contrast, äöüß glyphs, logo alpha, safe zone, partner logos."""
    from vidcoop.brand.check import check_kit
    from vidcoop.brand.partner_logos import PartnerLogo

    partners: list[PartnerLogo] = []
    if channel_path is not None:
        from vidcoop.channel.config import load_channel

        channel = load_channel(channel_path)
        kit = kit or str(channel.kit_path)
        partners = [PartnerLogo(pid, p.name, p.logo, p.bumper.kind == "generated")
                    for pid, p in channel.partners.items()]
    if kit is None:
        raise click.UsageError("name a KIT, or pass --channel channel.yaml")
    result = check_kit(kit, safe_zone=zone, partners=partners)
    if verbose or result.ok:
        for note in result.notes:
            say(f"  ok    {note}")
    for problem in result.problems:
        say(f"  error {problem}", err=True)
    if result.ok:
        say(f"{result.path}: kit is fine")
        return
    say(f"{result.path}: {len(result.problems)} problem(s)", err=True)
    raise click.exceptions.Exit(1)

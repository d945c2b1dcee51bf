"""``vidcoop brand preview|check KIT``: see a brand kit, and check it before using it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from vidcoop.cli._choices import RegistryChoice
from vidcoop.cli._echo import say

ZONES = RegistryChoice("vidcoop.brand.safezone", "SAFE_ZONES")


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
def preview(kit: str, output: Path, scale: float, zone: str | None) -> None:
    """Render a still of KIT (folder, kit.yaml or shipped name): captions, logo, lower third, safe zone."""
    from vidcoop.brand.preview import render_preview

    path = render_preview(_load(kit, zone), output, scale=scale)
    say(f"wrote {path}")


@brand.command(name="check")
@click.argument("kit")
@click.option("-v", "--verbose", is_flag=True, help="Also list what was checked and held.")
@click.option("--safe-zone", "zone", type=ZONES, default=None,
              help="Check against another platform's safe zone instead of the kit's.")
def check_cmd(kit: str, verbose: bool, zone: str | None) -> None:
    """Check KIT: files, colours, WCAG AA contrast, äöüß glyphs, logo alpha, safe zone."""
    from vidcoop.brand.check import check_kit

    result = check_kit(kit, safe_zone=zone)
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

"""``vidcoop probe FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def probe(file: Path, as_json: bool) -> None:
    """Show a media file's duration, size, rotation, frame rate and audio."""
    from vidcoop.media.probing import probe as do_probe

    info = do_probe(file).to_dict()
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=str(file), show_header=False)
    table.add_row("format", info["format"])
    table.add_row("duration", "-" if info["duration"] is None else f"{info['duration']:.3f} s")
    table.add_row("kind", "still image" if info["is_still"] else "video" if info["video"] else "audio")
    v = info["video"]
    if v:
        table.add_row("stored size", f"{v['width']}x{v['height']}")
        table.add_row("display size", f"{v['display_width']}x{v['display_height']} (rotation {v['rotation']}°)")
        if v["fps"]:
            vfr = " (variable)" if v["variable_frame_rate"] else ""
            table.add_row("frame rate", f"{v['fps']:.3f} fps = {v['fps_exact']}{vfr}")
        table.add_row("video codec", f"{v['codec']} {v['pix_fmt'] or ''}")
    for i, a in enumerate(info["audio"]):
        table.add_row(f"audio {i}", f"{a['codec']} {a['sample_rate']} Hz, {a['channels']} ch")
    if not info["audio"]:
        table.add_row("audio", "none")
    Console().print(table)

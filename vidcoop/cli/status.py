"""``vidcoop status WEEK.yaml``: each episode's review status as a table (the studio's week page)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("week", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def status(week: Path, as_json: bool) -> None:
    """Duration, format, caption source and review status of every episode of the week."""
    from vidcoop.studio.week import WeekView, duration_of, status_row

    view = WeekView.open(week)
    rows = [status_row(info, duration_of(info)) for info in view.items]
    if as_json:
        import json

        click.echo(json.dumps({"week": str(week), "episodes": rows}, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    assert view.week is not None
    table = Table(title=f"{escape(view.week.name)}: review status")
    for col, justify in (
        ("episode", "left"),
        ("duration", "right"),
        ("format", "left"),
        ("captions", "left"),
        ("status", "left"),
        ("approvals", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    colours = {
        "approved": "green",
        "changes requested": "red",
        "changed since approval": "red",
        "failed": "red",
        "in review": "yellow",
    }
    for row in rows:
        st = "failed" if row["error"] else row["status"]
        text = f"[{colours.get(st, 'white')}]{escape(st)}[/]"
        if row["error"]:
            text += f" {escape(row['error'])}"
        dur = "-" if row["duration"] is None else f"{row['duration']:.1f}s"
        table.add_row(
            escape(row["name"]),
            dur,
            escape(row["format"] or "-"),
            escape(row["captions"] or "-"),
            text,
            f"{row['approvals']}/{row['required']}",
        )
    Console(soft_wrap=False, width=120).print(table)

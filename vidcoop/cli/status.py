"""``vidcoop status WEEK.yaml``: each episode's review status as a table (the studio's week page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from vidcoop.cli._echo import cell, say, warn


@click.command()
@click.argument("week", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def status(week: Path, as_json: bool) -> None:
    """Duration, format, caption source and review status of every episode; the plan by day and cadence gaps."""
    from vidcoop.studio.week import WeekView, duration_of, status_row

    view = WeekView.open(week)
    rows = [status_row(info, duration_of(info)) for info in view.items]
    plan = _plan(view)
    signoffs = _signoffs(view)
    if as_json:
        import json

        days = [
            {
                "day": None if day is None else day.isoformat(),
                "posts": [
                    {"episode": p.name, "format": p.format, "at": p.at.isoformat() if p.at else None} for p in posts
                ],
            }
            for day, posts in (plan.by_day() if plan is not None else [])
        ]
        warnings = plan.warnings() if plan is not None else []
        click.echo(
            json.dumps(
                {"week": str(week), "episodes": rows, "plan": days, "warnings": warnings,
                 "partner_signoffs": [_signoff_json(s) for s in signoffs]}, ensure_ascii=False, indent=2
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    assert view.week is not None
    table = Table(title=f"{cell(view.week.name)}: review status")
    for col, justify in (
        ("episode", "left"),
        ("duration", "right"),
        ("format", "left"),
        ("captions", "left"),
        ("status", "left"),
        ("approvals", "right"),
        ("renditions", "left"),
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
        text = f"[{colours.get(st, 'white')}]{cell(st)}[/]"
        if row["error"]:
            text += f" {cell(row['error'])}"
        dur = "-" if row["duration"] is None else f"{row['duration']:.1f}s"
        table.add_row(
            cell(row["name"]),
            dur,
            cell(row["format"] or "-"),
            cell(row["captions"] or "-"),
            text,
            f"{row['approvals']}/{row['required']}",
            _renditions(row["renditions"]),
        )
    Console(soft_wrap=False, width=120).print(table)
    _print_signoffs(signoffs)
    if plan is not None:
        _print_plan(plan, {row["name"]: row["status"] for row in rows})


_FILE_COLOURS = {"current": "green", "stale": "yellow", "missing": "dim"}


def _renditions(renditions: list[dict[str, str]]) -> str:
    """Each picture shape the episode is posted in, one line each: its final video and preview, each
    current, stale (made from other content) or missing."""
    def state(what: str, value: str) -> str:
        return f"{what} [{_FILE_COLOURS.get(value, 'white')}]{cell(value)}[/]"

    lines = [f"{cell(r['shape'])}: {state('final', r['final'])}, {state('preview', r['preview'])}"
             for r in renditions]
    return "\n".join(lines) or "-"


def _plan(view: Any) -> Any:
    """The week's posting plan (days, cadence gaps) from the publish module; None without episodes."""
    from vidcoop.batch.publish import week_plan

    wk = view.week
    entries = {e.field: e for e in wk.entries}
    items = [(entries[i.field], i.name, i.episode) for i in view.items if i.episode is not None]
    return week_plan(wk, items) if items else None


def _signoffs(view: Any) -> list[Any]:
    """Each partner on the week's job board and its sign-off of its cards (vidcoop.partners)."""
    from vidcoop.partners.signoff import board_signoffs

    wk = view.week
    board = [i.episode for i in view.items if i.kind == "jobboard" and i.episode is not None]
    return board_signoffs(board, wk.jobboard.channel) if wk is not None and wk.jobboard is not None else []


def _signoff_json(item: Any) -> dict[str, Any]:
    s = item.signoff
    return {"partner": item.partner_id, "state": item.state, "current": item.current,
            "by": s.by if s else None, "when": s.when.isoformat() if s else None, "comment": s.comment if s else None}


def _print_signoffs(signoffs: list[Any]) -> None:
    if signoffs:
        click.echo("partner sign-offs (job board):")
    for item in signoffs:
        s = item.signoff
        who = f" by {s.by}, {s.when:%Y-%m-%d %H:%M} UTC" if s is not None else ""
        note = f": {s.comment}" if s is not None and s.comment and item.state != "approved" else ""
        say(f"  {item.partner_id}  {item.state}{who}{note}")


def _print_plan(plan: Any, statuses: dict[str, str]) -> None:
    click.echo("plan:")
    for day, posts in plan.by_day():
        label = day.strftime("%a %Y-%m-%d") if day is not None else "not planned"
        for post in posts:
            at = post.at.strftime("%H:%M") if post.at is not None else "--:--"
            say(f"  {label}  {at}  {post.name} ({statuses.get(post.name, '')})")
    for line in plan.warnings():
        warn(line, err=False)

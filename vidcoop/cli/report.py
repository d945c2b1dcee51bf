"""``vidcoop report DIR``: partner screen time summed from the audit reports under DIR."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from vidcoop.cli._echo import say
from vidcoop.errors import printable


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="First day (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Last day (YYYY-MM-DD).")
@click.option("--channel", "channel_path", type=click.Path(path_type=Path), default=None,
              help="channel.yaml: also list partners that were not shown.")
@click.option("--next", "next_slots", type=click.IntRange(min=1), default=None,
              help="Also say which partners should fill the next N slots (least exposed first; needs --channel).")
@click.option("--json", "as_json", is_flag=True, help="Print the totals as JSON instead of a table.")
def report(folder: Path, since: datetime | None, until: datetime | None, channel_path: Path | None,
           next_slots: int | None, as_json: bool) -> None:
    """Sum each partner's screen time, bumper slots and card seconds over a week or month.

    Reads every *.report.json under FOLDER. Appearances found by content
    without a label are counted too (column "unlabelled"). Job rows a job
    board did not show (invalid, expired) are listed with partner and reason.
    """
    from rich.console import Console
    from rich.table import Table

    from vidcoop.channel.report import left_out_jobs, load_reports, partner_totals

    reports = load_reports(folder, since=since.date() if since else None, until=until.date() if until else None)
    known: list[str] = []
    names: dict[str, str] = {}
    if channel_path is not None:
        from vidcoop.channel.config import load_channel

        channel = load_channel(channel_path)
        known = sorted(channel.partners)
        names = {pid: p.name for pid, p in channel.partners.items()}
    totals = partner_totals(reports, known)
    left_out = left_out_jobs(reports)
    picks: list[str] = []
    if next_slots is not None:
        if channel_path is None:
            raise click.UsageError("--next needs --channel (the partners taking part)")
        from vidcoop.channel.rotation import rotation

        picks = rotation(known, reports, next_slots)
    if as_json:
        slots_all = sum(t.bumper_slots for t in totals.values()) or 1
        cards_all = sum(t.card_seconds for t in totals.values()) or 1.0
        rows = [{"id": t.id, "name": names.get(t.id, t.name), "episodes": t.episodes,
                 "appearances": t.appearances, "seconds": t.seconds, "bumper_slots": t.bumper_slots,
                 "bumper_slot_share": round(t.bumper_slots / slots_all, 4), "card_seconds": t.card_seconds,
                 "card_share": round(t.card_seconds / cards_all, 4), "unlabelled": t.unlabelled}
                for t in totals.values()]
        click.echo(json.dumps({"reports": len(reports), "partners": rows, "next": picks, "left_out": left_out},
                              indent=2, ensure_ascii=False))
        return
    span = f"{since.date() if since else 'start'} to {until.date() if until else 'now'}"
    table = Table(title=f"Partner screen time, {len(reports)} episode(s), {span}")
    table.add_column("partner")
    table.add_column("episodes", justify="right")
    table.add_column("appearances", justify="right")
    table.add_column("screen time", justify="right")
    table.add_column("share", justify="right")
    table.add_column("bumper slots", justify="right")
    table.add_column("card seconds", justify="right")
    table.add_column("unlabelled", justify="right")
    whole = sum(t.seconds for t in totals.values()) or 1.0
    slots = sum(t.bumper_slots for t in totals.values()) or 1
    cards = sum(t.card_seconds for t in totals.values()) or 1.0
    for total in sorted(totals.values(), key=lambda t: (-t.seconds, t.id)):
        table.add_row(printable(names.get(total.id, total.name)), str(total.episodes), str(total.appearances),
                      f"{total.seconds:.1f} s", f"{100 * total.seconds / whole:.0f} %",
                      f"{total.bumper_slots} ({100 * total.bumper_slots / slots:.0f} %)",
                      f"{total.card_seconds:.1f} s ({100 * total.card_seconds / cards:.0f} %)",
                      str(total.unlabelled))
    console = Console(width=140)
    console.print(table, markup=False, highlight=False)
    if left_out:
        rows_table = Table(title=f"Job rows not shown ({len(left_out)})")
        for column in ("week", "row", "partner", "title", "status", "why"):
            rows_table.add_column(column)
        for row in left_out:
            rows_table.add_row(str(row.get("week") or ""), str(row.get("row")),
                               names.get(row.get("partner") or "", row.get("partner") or ""),
                               str(row.get("title") or ""), str(row.get("status")), str(row.get("reason")))
        console.print(rows_table, markup=False, highlight=False)
    if picks:
        say("next slots: " + ", ".join(names.get(pid, pid) for pid in picks))

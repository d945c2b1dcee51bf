"""``vidcoop audit``: check, show and export a channel's audit log of partner and editor actions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from vidcoop.cli._echo import say

_CHANNEL = click.option("--channel", "channel_yaml", required=True, type=click.Path(path_type=Path),
                        help="The channel's channel.yaml (the partner database lies beside it).")


@click.group()
def audit() -> None:
    """The channel's audit log: who did what, when, chained by hashes."""


@audit.command()
@_CHANNEL
@click.option("--export", "exports", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Also check an earlier export (audit export -o FILE) against the log: rows rewritten since "
                   "then show up here even when every hash was recomputed. May be repeated.")
def verify(channel_yaml: Path, exports: tuple[Path, ...]) -> None:
    """Check the hash chain; exit 1 naming the first changed, inserted or removed row."""
    from vidcoop.partners import PartnerStore, verify_export

    store = PartnerStore.open(channel_yaml, recover=False)
    log = store.audit()
    check = log.verify()
    if not check.ok:
        _broken(store.path, check)
    rows = log.rows() if exports else []
    for export in exports:
        against = verify_export(export, against=rows)
        if not against.ok:
            _broken(export, against)
        say(f"{export}: ok, its {against.rows} rows match the log")
    say(f"ok, {check.rows} rows ({store.path.name})")


def _broken(path: Path, check: Any) -> None:
    where = f" [audit row {check.broken_seq}]" if check.broken_seq is not None else ""
    say(f"vidcoop: error: {path}{where}: the audit log was changed: {check.problem}", err=True)
    sys.exit(1)


@audit.command()
@_CHANNEL
@click.option("--partner", default=None, metavar="ID", help="Only rows about this partner.")
@click.option("--month", default=None, metavar="YYYY-MM", help="Only rows of this month (UTC).")
def show(channel_yaml: Path, partner: str | None, month: str | None) -> None:
    """Print the log, oldest first: row, time (UTC), who, what, about what, details."""
    from vidcoop.partners import PartnerStore

    store = PartnerStore.open(channel_yaml, recover=False)
    if partner is not None:
        store.channel.partner(partner)  # an unknown id: one line naming the known ones
    for row in store.audit().rows(partner=partner, month=month):
        detail = "" if row.detail == "{}" else f"  {row.detail}"
        say(f"{row.seq:>5}  {row.when[:19].replace('T', ' ')}  {row.actor}  {row.action}  {row.subject}{detail}")


@audit.command()
@_CHANNEL
@click.option("--month", required=True, metavar="YYYY-MM", help="The month to export (UTC), e.g. 2026-12.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The file to write: JSON lines, or CSV when it ends in .csv.")
def export(channel_yaml: Path, month: str, output: Path) -> None:
    """Write one month's rows with their hashes, for the coalition's own records."""
    from vidcoop.outputs import Input, check_outputs
    from vidcoop.partners import PartnerStore
    from vidcoop.partners.audit import check_month

    check_month(month)
    store = PartnerStore.open(channel_yaml, recover=False)
    check_outputs([("-o", output)], [Input(store.path, "partner database"), Input(store.channel.path, "channel")])
    log = store.audit()
    written = log.export(month, output)
    say(f"{len(log.rows(month=month))} rows of {month} written to {written}")

"""``vidcoop models`` (what is here, what can be fetched) and ``vidcoop models fetch NAME``."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

import click

from vidcoop.cli._echo import cell, say


def _megabytes(size: int | None) -> str:
    if size is None:
        return "-"
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.0f} MB"


@click.group(invoke_without_command=True)
@click.pass_context
def models(ctx: click.Context) -> None:
    """Speech models: installed ones, and the bigger ones `vidcoop models fetch NAME` downloads.

    Nothing is downloaded unless you run fetch. A fetched model then works offline with
    `captions: {model: NAME}` or `vidcoop captions --model NAME`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    from vidcoop.captions.catalog import model_rows

    table = Table(show_header=True, header_style="bold")
    for column in ("model", "status", "size", "where"):
        table.add_column(column)
    for row in model_rows():
        table.add_row(cell(row.name), cell(row.status), _megabytes(row.size), cell(row.where or "-"))
    Console(width=max(120, Console().width)).print(table)
    say("Fetch one with: vidcoop models fetch NAME   (then captions: {model: NAME} works offline)")


@contextlib.contextmanager
def _progress(name: str, total_hint: int) -> Iterator[Any]:
    """A byte progress bar on a terminal; elsewhere one line per tenth, so logs show it too."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                      TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(cell(f"fetching {name}"), total=total_hint)

            def update(p: Any) -> None:
                bar.update(task, completed=p.done, total=p.total)

            yield update
        return
    shown = [-1]

    def lines(p: Any) -> None:
        tenth = int(p.fraction * 10)
        if tenth > shown[0]:
            shown[0] = tenth
            say(f"fetching {name}: {tenth * 10:3d} % of {_megabytes(p.total)} ({p.file})", err=True)

    yield lines


@models.command()
@click.argument("name")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds any one network wait may take (default 30, or VIDCOOP_FETCH_TIMEOUT).")
def fetch(name: str, timeout: float | None) -> None:
    """Download NAME (small, medium, large-v3-turbo) from the Hugging Face hub, verify it and store it.

    HF_ENDPOINT points at another hub (a mirror). The files are checked against the hub's sizes and
    checksums and stored only when all of them match; an interrupted download stores nothing.
    """
    from vidcoop.captions.fetch import FETCHABLE, fetch_model
    from vidcoop.errors import TranscriptionError
    from vidcoop.registry import lookup

    spec = lookup(FETCHABLE, name, TranscriptionError, what="model to fetch", field="model")
    with _progress(name, spec.approx_bytes) as progress:
        found = fetch_model(name, progress=progress, timeout=timeout)
    say(f"stored {name} ({_megabytes(found.size)}, {found.repo} at {found.commit[:12]}) in {found.path}")
    say(f"use it offline with captions: {{model: {name}}} or vidcoop captions --model {name}")

"""``vidcoop batch WEEK.yaml``: render a week's previews for the review, or (``--final``) its approved finals."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from vidcoop.cli._echo import cell, say, warn


@click.command()
@click.argument("week", type=click.Path(path_type=Path))
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Episodes rendered at once (default: number of cores, at most 4).")
@click.option("--force", is_flag=True, help="Re-render outputs even when their inputs did not change.")
@click.option("--check", "check_only", is_flag=True,
              help="Validate every episode (manifest, media, channel policy) without rendering.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler (tcp://host:8786), or 'local' for a Dask LocalCluster "
                   "(needs vidcoop[distributed]). Default: a local process pool.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Output folder instead of the week's output: (which must stay inside the week's folder).")
@click.option("--final", is_flag=True,
              help="Render the finals (the week's profiles:) of the episodes approved in the studio for their "
                   "current content; list the rest as 'awaiting review'.")
@click.option("--all", "all_episodes", is_flag=True,
              help="With --final: render every episode's finals, approved or not (finals at once, no review).")
@click.option("--approved-only", is_flag=True,
              help="--final, and the job board also needs the current sign-off of its cards from every partner "
                   "with partner access (vidcoop partners; the rest is listed as 'awaiting review' naming "
                   "the partners).")
@click.option("--quiet", is_flag=True, help="No live progress display.")
def batch(week: Path, jobs: int | None, force: bool, check_only: bool, scheduler: str | None,
          output: Path | None, quiet: bool, final: bool, all_episodes: bool, approved_only: bool) -> None:
    """Render a week in the review's order; skip what is up to date; report each episode.

    \b
    1. vidcoop batch WEEK.yaml           previews (fast, captions burned in), caption files, covers
    2. vidcoop studio WEEK.yaml          the team reviews, fixes captions, approves
    3. vidcoop batch WEEK.yaml --final   the finals of the approved episodes
    (vidcoop batch WEEK.yaml --final --all renders every episode's finals at once, without review.)

    Exits non-zero when any episode failed; the table and OUTPUT/batch-report.json say why.
    """

    from vidcoop.batch import BatchOptions, check_week, run_batch

    if all_episodes and not (final or approved_only):
        raise click.UsageError("--all goes with --final (vidcoop batch WEEK.yaml --final --all)")
    if check_only:
        report = check_week(week, output=output)
        _print_table(report)
        if not report.ok:
            sys.exit(1)
        return
    workers = jobs or max(1, min(4, os.cpu_count() or 1))
    options = BatchOptions(jobs=workers, force=force, scheduler=scheduler, output=output,
                           final=final or approved_only, all_episodes=all_episodes, partner_signoffs=approved_only)
    with _live_display(enabled=not quiet) as on_event:
        report = run_batch(week, options, on_event=on_event)
    _print_table(report)
    if report.report_path is not None:
        say(f"report: {os.path.normpath(report.report_path)}")
    if report.report_error is not None:
        say(f"vidcoop: error: {report.report_error}", err=True)
    _print_next_step(week, options)
    if not report.ok:
        sys.exit(1)


def _print_table(report: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    title = "check" if report.checked_only else f"batch ({report.executor}, {report.workers} worker(s))"
    table = Table(title=_escape(f"{report.week.name}: {title}"))
    table.add_column("episode")
    table.add_column("status")
    table.add_column("render time", justify="right")
    table.add_column("output / error", overflow="fold")
    colours = {"rendered": "green", "skipped": "cyan", "ok": "green", "failed": "red", "awaiting review": "yellow"}
    for ep in report.episodes:
        status = f"[{colours.get(ep.status, 'white')}]{ep.status}[/]"
        took = "-" if report.checked_only or ep.status in ("skipped", "awaiting review") else f"{ep.seconds:.1f}s"
        table.add_row(_escape(ep.name), status, took, _escape(ep.line))
    counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts().items()))
    Console(soft_wrap=False, width=max(100, _width())).print(table)
    click.echo(f"{counts} in {report.seconds:.1f}s" + _overlap(report))
    _print_left_out(report)
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    for ep in report.episodes:
        for out in ep.outputs:
            for line in out.warnings:
                warn(f"{ep.name} ({out.output.name}): {line}")


def _print_next_step(week: Path, options: Any) -> None:
    """After the previews, what the review does next."""
    if not options.finals:
        say(f"previews for the review; next: vidcoop studio {week} (approve), then vidcoop batch {week} --final")


def _overlap(report: Any) -> str:
    """Say so when outputs rendered side by side: their times then add up to more than the wall time."""
    rendered = sum(ep.seconds for ep in report.episodes)
    if report.checked_only or rendered <= report.seconds:
        return ""
    return (f" (wall time; the render times above add up to {rendered:.1f}s because "
            f"{report.workers} worker(s) rendered outputs side by side)")


def _print_left_out(report: Any) -> None:
    """Every job row a job board leaves out, with its partner and why (once, however many parts)."""
    rows: dict[tuple[Any, Any], dict[str, Any]] = {}
    for ep in report.episodes:
        for row in ep.left_out:
            rows.setdefault((row.get("file"), row.get("row")), row)
    if not rows:
        return
    click.echo(f"job rows not shown ({len(rows)}):")
    for row in rows.values():
        click.echo(f"  row {row['row']} ({row['partner'] or 'no partner'}: {row['title'] or 'no title'}): "
                   f"{row['status']}: {row['reason']}")


def _escape(text: str) -> str:
    return cell(text)


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((120, 20)).columns


class _Display:
    """Feeds BatchEvents into a rich Progress: one bar per output plus the total."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.rows: dict[str, Any] = {}
        self.total = progress.add_task("[bold]total", total=0)

    def __call__(self, event: Any) -> None:
        p = self.progress
        row = event.task_id or event.episode
        if event.kind == "queued":
            self._add(row, 0.0, _escape(row))
        elif event.kind == "progress" and row in self.rows:
            p.update(self.rows[row], completed=event.fraction)
        elif event.kind == "skipped":
            self._add(row, 1.0, f"{_escape(row)} [cyan]skipped[/]")
            p.advance(self.total)
        elif event.kind in ("done", "failed"):
            if row not in self.rows:  # failed before it was queued (manifest, policy)
                self._add(row, 0.0, _escape(row))
            mark = "[green]done[/]" if event.kind == "done" else "[red]failed[/]"
            p.update(self.rows[row], completed=1.0, description=f"{_escape(row)} {mark}")
            p.advance(self.total)

    def _add(self, row: str, completed: float, description: str) -> None:
        self.rows[row] = self.progress.add_task(description, total=1.0, completed=completed)
        self.progress.update(self.total, total=len(self.rows))


class _NoDisplay:
    def __enter__(self) -> Any:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _live_display(*, enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return _NoDisplay()
    import contextlib

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    @contextlib.contextmanager
    def live() -> Any:
        with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True)) as progress:
            yield _Display(progress)

    return live()

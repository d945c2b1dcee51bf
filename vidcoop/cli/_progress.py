"""A rich progress bar that speaks vidcoop's Progress callback."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from vidcoop.cli._echo import cell


@contextlib.contextmanager
def progress_bar(description: str, *, enabled: bool = True) -> Iterator[Any]:
    """Yield a progress callback drawing a bar on stderr (or a no-op when disabled/not a TTY)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(cell(description), total=1.0)  # file names are literal, never rich markup

        def update(p: Any) -> None:
            if p.fraction is not None:
                bar.update(task, completed=p.fraction)

        yield update

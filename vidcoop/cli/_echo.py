"""Where the CLI prints messages: every one passes :func:`vidcoop.errors.printable` here, once.

User text reaches messages (titles, partner names, file names); a control character in it
(ESC, CR, BEL, a bidi override) would act on the terminal instead of being shown.
"""

from __future__ import annotations

import click

from vidcoop.errors import printable


def say(text: str, *, err: bool = False) -> None:
    """Print one message line with its control characters escaped."""
    click.echo(printable(text), err=err)


def warn(text: str, *, err: bool = True) -> None:
    """Print ``warning: text`` (on stderr unless ``err=False``)."""
    say(f"warning: {text}", err=err)


def cell(text: str) -> str:
    """``text`` for a rich table cell: control characters escaped, brackets literal (never markup)."""
    from rich.markup import escape

    return escape(printable(text))

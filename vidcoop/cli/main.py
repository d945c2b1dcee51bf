"""``vidcoop`` entry point.

Commands are imported only when used, so ``vidcoop --help`` stays instant.
Each :class:`~vidcoop.errors.VidcoopError` becomes one line on stderr and a
non-zero exit; ``VIDCOOP_DEBUG=1`` shows the full traceback instead. SIGTERM
is handled like Ctrl-C (ffmpeg and workers stopped, temp files removed), with
exit code 143.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import traceback
from typing import Any

import click

# name -> "module:attribute". Adding a command is one line here.
_COMMANDS: dict[str, str] = {
    "render": "vidcoop.cli.render:render",
    "probe": "vidcoop.cli.probe:probe",
    "batch": "vidcoop.cli.batch:batch",
    "cover": "vidcoop.cli.cover:cover",
    "jobboard": "vidcoop.cli.jobboard:jobboard",
    "brand": "vidcoop.cli.brand:brand",
    "check": "vidcoop.cli.check:check",
    "report": "vidcoop.cli.report:report",
    "captions": "vidcoop.cli.captions:captions",
    "faces": "vidcoop.cli.faces:faces",
    "studio": "vidcoop.cli.studio:studio",
    "status": "vidcoop.cli.status:status",
    "init": "vidcoop.cli.init:init",
    "cut": "vidcoop.cli.cut:cut",
    "models": "vidcoop.cli.models:models",
    "partners": "vidcoop.cli.partners:partners",
    "audit": "vidcoop.cli.audit:audit",
}

EXIT_ERROR = 1
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwind exactly as Ctrl-C does, so every cleanup path runs."""


_terminating = False


def _on_sigterm(_signum: int, _frame: Any) -> None:
    global _terminating
    if _terminating:  # one is enough; let the cleanup finish
        return
    _terminating = True
    raise Terminated()


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vidcoop")
def cli() -> None:
    """Vertical short videos for shared social-video channels.

    Set VIDCOOP_DEBUG=1 to see full tracebacks, VIDCOOP_FFMPEG to use another ffmpeg.
    """


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI, mapping vidcoop errors to one line and an exit code."""
    from vidcoop.cli._echo import say
    from vidcoop.errors import VidcoopError, first_line

    debug = os.environ.get("VIDCOOP_DEBUG", "") not in ("", "0")
    previous = _handle_sigterm()
    try:
        return cli.main(args=argv, prog_name="vidcoop", standalone_mode=False)
    except click.exceptions.Abort as exc:  # click wraps KeyboardInterrupt (and Terminated) in Abort
        _interrupted(isinstance(exc.__cause__, Terminated) or isinstance(exc.__context__, Terminated))
    except click.ClickException as exc:
        exc.show()  # click quotes what was typed with repr(): control characters come out escaped
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except VidcoopError as exc:
        if debug:
            traceback.print_exc()
        say(f"vidcoop: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt as exc:
        _interrupted(isinstance(exc, Terminated))
    except Exception as exc:  # a bug: still one line, and the traceback on request
        if debug:
            traceback.print_exc()
        text = first_line(exc, 200) if str(exc).strip() else ""
        say(f"vidcoop: internal error: {type(exc).__name__}: {text} "
            "(please report it; VIDCOOP_DEBUG=1 shows the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _handle_sigterm() -> Any:
    """Install the SIGTERM handler (main thread, default disposition only); return what it replaced."""
    try:
        if signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
            return None
        return signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _interrupted(terminated: bool) -> None:
    click.echo("vidcoop: terminated" if terminated else "vidcoop: interrupted", err=True)
    sys.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)

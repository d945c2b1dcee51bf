"""``vidcoop studio WEEK.yaml``: the local review web app (needs ``vidcoop[studio]``)."""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path
from typing import Any

import click

from vidcoop.cli._echo import say
from vidcoop.errors import VidcoopError


@click.command()
@click.argument("week", type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine needs the printed access token.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--no-open", is_flag=True, help="Do not open the browser.")
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of the pages.")
@click.option("--ssl-certfile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Serve HTTPS with this certificate (PEM); partners' session cookies are then Secure.")
@click.option("--ssl-keyfile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The private key of --ssl-certfile (PEM).")
@click.option("--forwarded-allow-ips", default=None,
              help="Behind a TLS reverse proxy: the proxy's address(es) whose X-Forwarded-* headers count "
                   "(default 127.0.0.1).")
def studio(week: Path, host: str, port: int, no_open: bool, lang: str, ssl_certfile: Path | None,
           ssl_keyfile: Path | None, forwarded_allow_ips: str | None) -> None:
    """Review, correct and approve the week's videos in the browser."""
    try:
        from vidcoop.studio.app import create_app, is_loopback, run_server
    except ImportError as exc:
        raise click.ClickException(
            f"the studio needs its extra: pip install 'vidcoop[studio]' ({exc.name} is missing)"
        ) from None
    import secrets

    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    app = create_app(week, lang=lang, token=token)
    # Bound before anything is printed or opened: the address shown is the real one (--port 0),
    # and a port another program holds never sends the browser to that program's page.
    sock = bind(host, port)
    try:
        port = int(sock.getsockname()[1])
        shown = f"[{host}]" if ":" in host else host
        scheme = "https" if ssl_certfile else "http"
        url = f"{scheme}://{shown}:{port}/" + (f"?token={token}" if token else "")
        say(f"vidcoop studio: {url}")
        if token:
            click.echo("  access token required (open the address above once; it sets a cookie)")
        if not no_open:
            import webbrowser

            webbrowser.open(url)
        serving: dict[str, Any] = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile,
                                   "forwarded_allow_ips": forwarded_allow_ips}
        run_server(app, host, port, sock=sock, **{k: v for k, v in serving.items() if v is not None})
    finally:
        sock.close()


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (0: a free port), IPv4 first when a name has both.

    Raises:
        VidcoopError: one line when the port is taken, not allowed, or the address is not this machine's.
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise VidcoopError(f"cannot listen on {host!r}: {exc.strerror}", field="--host") from None
    family, kind, proto, _, address = sorted(found, key=lambda info: info[0] != socket.AF_INET)[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":  # a restart need not wait for old connections; Windows would share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen()  # connections wait in the queue until uvicorn takes over: the browser can open at once
    except OSError as exc:
        sock.close()
        reason, option, hint = _BIND_PROBLEMS.get(exc.errno or 0, (exc.strerror or str(exc), "--port", None))
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        raise VidcoopError(f"cannot listen on {where}: {reason}", field=option, hint=hint) from None
    return sock


# errno -> (reason, the option to change, what to do)
_BIND_PROBLEMS: dict[int, tuple[str, str, str | None]] = {
    errno.EADDRINUSE: ("another program uses this port", "--port",
                       "choose another with --port, or --port 0 for a free one"),
    errno.EACCES: ("not allowed", "--port", "ports below 1024 need administrator rights; choose another with --port"),
    errno.EADDRNOTAVAIL: ("this machine has no such address", "--host", None),
}

"""``vidcoop studio WEEK.yaml``: the local review web app (needs ``vidcoop[studio]``)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("week", type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine needs the printed access token.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--no-open", is_flag=True, help="Do not open the browser.")
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of the pages.")
def studio(week: Path, host: str, port: int, no_open: bool, lang: str) -> None:
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
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"vidcoop studio: {url}")
    if token:
        click.echo("  access token required (open the address above once; it sets a cookie)")
    if not no_open:
        import webbrowser

        webbrowser.open(url)
    run_server(app, host, port)

"""The studio's ASGI app (Starlette): the guard, the pages and endpoints, the server.

Safety is in :mod:`vidcoop.studio.security` (host, token, CSRF) and
:mod:`vidcoop.studio.views.base` (bodies); pages in :mod:`vidcoop.studio.views`;
preview renders in :mod:`vidcoop.studio.previews`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware

from vidcoop.errors import VidcoopError
from vidcoop.studio.i18n import LANGUAGES
from vidcoop.studio.partner_access import redact_access_log
from vidcoop.studio.security import Guard, is_loopback
from vidcoop.studio.state import Studio
from vidcoop.studio.views import routes
from vidcoop.studio.views.base import BodyError, on_error

__all__ = ["create_app", "is_loopback", "run_server"]


def create_app(week: str | Path, *, lang: str = "de", token: str | None = None) -> Starlette:
    """The studio for one week manifest.

    Args:
        week: The week manifest.
        lang: ``de`` (default) or ``en``.
        token: Required access token (when serving beyond 127.0.0.1); None = no token.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    studio = Studio(Path(week).absolute(), lang, token)
    studio.week()  # a broken week manifest fails here, before the server starts
    redact_access_log()  # partner links carry a token in the path: never into uvicorn's access log
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(Guard, studio=studio)],
        exception_handlers={BodyError: on_error, VidcoopError: on_error},
        lifespan=_lifespan,
    )
    app.state.studio = studio
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    yield
    studio: Studio = app.state.studio
    studio.previews.shutdown()  # a running preview render stops (ffmpeg terminated, no file left)
    studio.sources.shutdown()  # transcriptions not started yet are dropped (the cache keeps finished ones)


def run_server(app: Starlette, host: str, port: int, sock: socket.socket | None = None, *,
               ssl_certfile: Path | None = None, ssl_keyfile: Path | None = None,
               forwarded_allow_ips: str | None = None) -> None:
    """Serve until Ctrl-C (uvicorn), on ``sock`` when given (bound by the caller, who then knows the
    real address before it prints it); saved files are already complete, so stopping loses nothing.

    ``ssl_certfile``/``ssl_keyfile`` serve HTTPS directly; behind a TLS proxy, ``forwarded_allow_ips``
    names the proxy whose ``X-Forwarded-Proto``/``-For`` are trusted (uvicorn: 127.0.0.1 by default).
    """
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                            ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
                            ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
                            proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips)
    server = uvicorn.Server(config)
    asyncio.run(server.serve(sockets=[sock] if sock is not None else None))

"""The studio's guard (ASGI middleware), in the order a request meets it.

1. **Access token** (only when the server listens beyond this machine): the
   ``?token=`` the command printed, then a cookie; anything else is 401. Without a
   token (127.0.0.1), only requests for ``127.0.0.1``/``localhost`` are answered, so a
   web page cannot reach the studio through DNS rebinding.
2. **POST**: the page's CSRF token in ``X-CSRF-Token`` (the body limits and
   validation are in :mod:`vidcoop.studio.views.base`).

The partners' pages (:func:`~vidcoop.studio.partner_access.is_partner_path`) are reached
without the editor's token and from any host name (partners come through a TLS proxy):
their session cookie is their key, checked by the page; here a POST needs the same
origin and the session's own CSRF token. A session opens nothing else.
"""

from __future__ import annotations

import ipaddress
import secrets

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vidcoop.studio.partner_access import PARTNER_HEADERS, SESSION_COOKIE, csrf_ok, is_partner_path, same_origin
from vidcoop.studio.state import Studio

TOKEN_COOKIE = "vidcoop_studio"
CSRF_HEADER = "x-csrf-token"


class Guard:
    """ASGI middleware: the host check or the access token, and the CSRF token on every POST."""

    def __init__(self, app: ASGIApp, studio: Studio) -> None:
        self.app = app
        self.studio = studio

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if is_partner_path(request.url.path):
            await self.partner(request, receive, send)
            return
        refusal = self.refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def partner(self, request: Request, receive: Receive, send: Send) -> None:
        """A partner page: POSTs from this origin with the session's CSRF token; never a Referer."""

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *PARTNER_HEADERS]
            await send(message)

        refusal: Response | None = None
        if request.method not in ("GET", "HEAD"):
            if not same_origin(request):
                refusal = PlainTextResponse("403: Anfrage von einer fremden Seite abgelehnt", status_code=403)
            elif not csrf_ok(self.studio.partner_key, request.cookies.get(SESSION_COOKIE),
                             request.headers.get(CSRF_HEADER)):
                refusal = PlainTextResponse("403: CSRF-Token fehlt oder ist falsch. Bitte die Seite neu laden.",
                                            status_code=403)
        await (refusal or self.app)(request.scope, receive, with_headers)

    def refusal(self, request: Request) -> Response | None:
        """The answer to a request that may not pass, or None."""
        token = self.studio.token
        if token is None and not is_loopback(_host_name(request.headers.get("host", ""))):
            # Served on this machine only: a page elsewhere that points its own domain name at
            # 127.0.0.1 (DNS rebinding) must not read the week, nor fetch the CSRF token.
            return PlainTextResponse("421: this studio answers to 127.0.0.1 and localhost only", status_code=421)
        if token is not None and not _same(request.cookies.get(TOKEN_COOKIE), token):
            if _same(request.query_params.get("token"), token):
                response = RedirectResponse(request.url.path, status_code=303)  # the token leaves the address bar
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                return response
            return PlainTextResponse("401: open the address with the token that `vidcoop studio` printed",
                                     status_code=401)
        if request.method not in ("GET", "HEAD") and not _same(request.headers.get(CSRF_HEADER), self.studio.csrf):
            return PlainTextResponse("403: missing or wrong CSRF token", status_code=403)
        return None


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1): only this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """``example.org:8765`` -> ``example.org``; ``[::1]:8765`` -> ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same(given: str | None, expected: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())

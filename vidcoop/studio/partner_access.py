"""How partners get in, and what keeps them to their own pages.

A partner never holds the editor's token: its personal link (``/p/<token>``, from
``vidcoop partners invite``) is swapped once for a session cookie
(:data:`SESSION_COOKIE`: HttpOnly, SameSite=Strict, Secure under TLS) and the browser
is sent on to ``/partner``, an address without the token. The partner pages are the
only ones a session opens; the editor's pages keep their own guard
(:mod:`vidcoop.studio.security`).

Here: which paths are the partners', the per-session CSRF token, the same-origin check
on POSTs, the limit on failed token attempts per client address, and the filter that
keeps tokens out of uvicorn's access log.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

SESSION_COOKIE = "vidcoop_partner"
TOKEN_PREFIX = "/p/"
#: Headers on every partner response: no address (a token) leaves in a Referer; nothing is cached.
PARTNER_HEADERS = ((b"referrer-policy", b"no-referrer"), (b"cache-control", b"no-store"),
                   (b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"))
MAX_FAILURES = 5  # failed token attempts per client address ...
WINDOW = 60.0  # ... within this many seconds; more are answered 429


def is_partner_path(path: str) -> bool:
    """The partner's addresses: the link, its pages and their JSON (nothing of the editor's)."""
    return (path.startswith(TOKEN_PREFIX) or path in ("/partner", "/api/partner")
            or path.startswith(("/partner/", "/api/partner/")))


def csrf_of(key: bytes, session: str) -> str:
    """The CSRF token of one session: an HMAC of its id, so a new login is a new token."""
    return hmac.new(key, b"csrf:" + session.encode(), hashlib.sha256).hexdigest()[:40]


def csrf_ok(key: bytes, session: str | None, given: str | None) -> bool:
    return bool(session) and given is not None and hmac.compare_digest(
        given.encode(), csrf_of(key, session or "").encode())


def same_origin(request: Request) -> bool:
    """A POST from a page of this server: ``Sec-Fetch-Site`` (when the browser sends it) is
    ``same-origin``, and ``Origin`` (when sent) names this host."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site request: those carry Origin on POST
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def is_https(scope: MutableMapping[str, Any]) -> bool:
    """True under TLS: uvicorn's own, or a proxy's ``X-Forwarded-Proto`` that uvicorn trusted."""
    return scope.get("scheme") == "https"


@dataclass
class FailureLimit:
    """At most ``limit`` failed attempts per key within ``window`` seconds (a sliding window).

    The clock is a parameter so tests need not wait a minute.
    """

    limit: int = MAX_FAILURES
    window: float = WINDOW
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key)) >= self.limit

    def fail(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())
            if len(self._seen) > 10_000:  # forget quiet addresses, so a flood cannot grow this without end
                for k in [k for k, q in self._seen.items() if not q]:
                    del self._seen[k]

    def _recent(self, key: str) -> deque[float]:
        times = self._seen.setdefault(key, deque())
        now = self.clock()
        while times and now - times[0] >= self.window:
            times.popleft()
        return times


_TOKEN_IN_PATH = re.compile(r"/p/[^\s?\"/]*")


def redact(text: str) -> str:
    """``GET /p/abc… HTTP/1.1`` -> ``GET /p/[token] HTTP/1.1``."""
    return _TOKEN_IN_PATH.sub("/p/[token]", text)


class RedactTokens(logging.Filter):
    """A filter for ``uvicorn.access``: a partner link's token never reaches the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact_access_log() -> None:
    """Add :class:`RedactTokens` to uvicorn's access logger (once, however many apps are made)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())

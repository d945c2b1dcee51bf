"""A Dask scheduler's address: checked before a batch starts, and reached within seconds.

``distributed.Client(address, timeout=...)`` bounds only the TCP connect: its
first read (the handshake) has no time limit, so a peer that accepts and never
answers keeps it waiting for ever, a refused port is retried with back-off until
the timeout, and bytes that are not the Dask protocol (a web server) are read as
a frame length of exabytes (``MemoryError``). So before any client is made the
address is parsed (:func:`parse_scheduler`) and the peer is asked who it is
(:func:`reach_scheduler`): a plain TCP connect, then distributed's own handshake
and an ``identity`` request, all under one deadline.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from vidcoop.errors import VidcoopError, brief, shorten

#: Seconds to connect to a scheduler and hear its handshake.
REACH_TIMEOUT = 5.0
FIELD = "--scheduler"
_USAGE = "give tcp://HOST:PORT of a running 'dask scheduler' (its port is usually 8786), or 'local'"
_HOST_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$")


@dataclass(frozen=True)
class SchedulerAddress:
    """A Dask scheduler's TCP address."""

    host: str
    port: int

    @property
    def url(self) -> str:
        """``tcp://host:port``, an IPv6 host in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp://{host}:{self.port}"


def _refuse(value: str, why: str) -> VidcoopError:
    return VidcoopError(f"{shorten(value)!r} is not a scheduler address: {why}", field=FIELD, hint=_USAGE)


def parse_scheduler(value: str) -> SchedulerAddress:
    """Parse ``tcp://HOST:PORT`` (or ``HOST:PORT``); IPv6 hosts in brackets.

    Raises:
        VidcoopError: naming ``--scheduler`` and the value, with what is wrong with it.
    """
    text = value.strip()
    scheme, sep, _rest = text.partition("://")
    if not sep:
        scheme, text = "tcp", f"tcp://{text}"
    if scheme.lower() != "tcp":
        name = shorten(scheme, 20)
        raise _refuse(value, f"only tcp:// is supported, not {name}://"
                             + (" (vidcoop sets up no TLS certificates)" if name.lower() == "tls" else ""))
    try:
        parts = urlsplit(text)
    except ValueError:  # "tcp://[::1": urllib's only complaint is an unclosed IPv6 bracket
        raise _refuse(value, "not a valid IPv6 host in brackets (like tcp://[::1]:8786)") from None
    try:
        port = parts.port
    except ValueError:
        raise _refuse(value, "the port must be a number from 1 to 65535") from None
    host = parts.hostname or ""
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment \
            or parts.path not in ("", "/"):
        raise _refuse(value, "only a host and a port, no user, path or query")
    if not host:
        raise _refuse(value, "no host")
    if port is None:
        raise _refuse(value, "no port")
    if port == 0:
        raise _refuse(value, "the port must be a number from 1 to 65535")
    if ":" in host:
        try:
            ipaddress.IPv6Address(host.split("%")[0])
        except ValueError:  # pragma: no cover - urllib refuses these first
            raise _refuse(value, f"{shorten(host, 40)!r} is not an IPv6 address") from None
    elif not _HOST_NAME.match(host):
        raise _refuse(value, f"{shorten(host, 40)!r} is not a host name")
    return SchedulerAddress(host, port)


def unreachable(address: SchedulerAddress, why: str, hint: str | None = None) -> VidcoopError:
    """The one line for a scheduler that cannot be used: its address and why."""
    return VidcoopError(f"cannot reach the dask scheduler at {address.url}: {why}", field=FIELD,
                        hint=hint or "start it with 'dask scheduler' and check the address")


def reach_scheduler(address: SchedulerAddress, timeout: float = REACH_TIMEOUT) -> None:
    """Connect to ``address`` and make sure a Dask scheduler answers there, within ``timeout`` seconds.

    Raises:
        VidcoopError: nothing listens there, the host is unknown or silent, or the peer is not a Dask
            scheduler (another service, or a Dask worker); one line naming the address.
    """
    deadline = time.monotonic() + timeout
    try:
        # A plain connect first: a refused port is an answer at once (distributed retries it until its timeout).
        socket.create_connection((address.host, address.port), timeout=timeout).close()
    except socket.gaierror as exc:
        raise unreachable(address, f"unknown host ({exc.strerror or exc})") from None
    except ConnectionRefusedError:
        raise unreachable(address, "nothing listens there (connection refused)") from None
    except TimeoutError:
        raise unreachable(address, f"no connection within {timeout:g} s") from None
    except OSError as exc:
        raise unreachable(address, exc.strerror or brief(exc)) from None
    left = max(0.5, deadline - time.monotonic())
    outcome: list[Any] = []
    # In a thread of its own: the caller may already run an event loop (a notebook), and Ctrl-C
    # must not wait for the handshake.
    thread = threading.Thread(target=lambda: outcome.append(_identity(address.url, left)),
                              name="vidcoop-scheduler-check", daemon=True)
    thread.start()
    thread.join(left + 1.0)
    if not outcome:  # pragma: no cover - asyncio.wait_for below ends first
        raise unreachable(address, f"no answer within {timeout:g} s", _NOT_DASK)
    kind = outcome[0]
    if isinstance(kind, BaseException):
        if isinstance(kind, TimeoutError):
            raise unreachable(address, f"it accepted the connection but said nothing within {timeout:g} s",
                               _NOT_DASK)
        raise unreachable(address, "the service there does not speak Dask's protocol", _NOT_DASK)
    if "Scheduler" not in str(kind):
        raise unreachable(address, f"that is a dask {shorten(str(kind), 30)}, not the scheduler",
                           "give the address 'dask scheduler' printed (Scheduler at: tcp://...)")


_NOT_DASK = "is a dask scheduler running there? check the host and the port"


def _identity(url: str, timeout: float) -> Any:
    """The peer's ``identity`` type (``Scheduler``, ``Worker``, ...), or the exception that stopped us."""
    try:
        return asyncio.run(asyncio.wait_for(_ask_identity(url, timeout), timeout))
    except BaseException as exc:  # reported by the caller as one line
        return exc


async def _ask_identity(url: str, timeout: float) -> str:
    from distributed.comm import connect
    from distributed.core import send_recv

    comm = await connect(url, timeout=timeout)
    try:
        reply = await send_recv(comm, op="identity")
    finally:
        await comm.close()
    return str(reply.get("type", "")) if isinstance(reply, dict) else ""

"""``batch --scheduler ADDRESS``: a malformed address, a closed port, a silent peer or a service that
is not Dask each give one line naming the address, within seconds (issue 31, items 9 and 18)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from vidcoop.batch.scheduler import parse_scheduler

pytest.importorskip("distributed")

CLI = [sys.executable, "-c", "from vidcoop.cli.main import main; main()"]


@pytest.mark.parametrize("address", [
    "garbage", "tcp://", "udp://127.0.0.1:8786", "tcp://localhost:notaport", "tcp://[::1", "tcp://host:70000",
    "tls://host:8786", "tcp://host:8786/path", "tcp://a b:8786",
])
def test_a_malformed_address_is_one_line_before_any_work(
    fake_render: Path, make_week: Any, capsys: pytest.CaptureFixture[str], address: str
) -> None:
    from vidcoop.cli.main import main

    week = make_week(("ep1",))
    with pytest.raises(SystemExit) as info:
        main(["batch", str(week), "--final", "--all", "--scheduler", address, "--quiet"])
    err = capsys.readouterr().err
    assert info.value.code == 1, err
    assert err.count("\n") == 1 and "internal error" not in err, err
    assert "--scheduler" in err and repr(address) in err
    assert not fake_render.exists() and not (week.parent / "out").exists()  # nothing ran, nothing written


@pytest.mark.parametrize(("address", "url"), [
    ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ("TCP://Scheduler.example:9000/", "tcp://scheduler.example:9000"),
])
def test_good_addresses_are_kept(address: str, url: str) -> None:
    assert parse_scheduler(address).url == url


Server = Callable[[str], int]


@pytest.fixture
def peer() -> Iterator[Server]:
    """A local TCP service that is not a Dask scheduler: ``silent`` (accepts, never answers),
    ``http`` (a web server's reply) or ``random`` (bytes); returns its port."""
    listeners: list[socket.socket] = []
    accepted: list[socket.socket] = []

    def start(kind: str) -> int:
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        listeners.append(srv)

        def serve() -> None:
            while True:
                try:
                    conn, _ = srv.accept()
                except OSError:
                    return
                accepted.append(conn)
                if kind == "http":
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                elif kind == "random":
                    conn.sendall(os.urandom(256))

        threading.Thread(target=serve, daemon=True).start()
        return int(srv.getsockname()[1])

    yield start
    for sock in [*accepted, *listeners]:
        sock.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _batch(week: Path, address: str) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        done = subprocess.run([*CLI, "batch", str(week), "--final", "--all", "--scheduler", address, "--quiet"],
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"batch --scheduler {address} still waiting after 60 s") from None
    return done.returncode, done.stderr, time.monotonic() - started


@pytest.mark.parametrize(("kind", "says"), [
    ("silent", "it accepted the connection but said nothing within 5 s"),
    ("http", "the service there does not speak Dask's protocol"),
    ("random", "the service there does not speak Dask's protocol"),
    ("refused", "nothing listens there"),
])
def test_a_peer_that_is_no_scheduler_is_one_line_within_seconds(
    fake_render: Path, make_week: Any, peer: Server, kind: str, says: str
) -> None:
    port = _closed_port() if kind == "refused" else peer(kind)
    address = f"tcp://127.0.0.1:{port}"
    code, err, took = _batch(make_week(("ep1",)), address)
    assert code == 1, err
    assert err.count("\n") == 1 and "internal error" not in err and "Traceback" not in err, err
    assert f"cannot reach the dask scheduler at {address}: {says}" in err
    # Python starts and loads the week in the subprocess too (a busy machine: generous bounds).
    assert took < (20 if kind == "silent" else 12), took
    assert not fake_render.exists()

"""A real uvicorn server on a free port (in a thread) and Debian's chromium for browser tests."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_or_skip() -> Path:
    """Debian's chromium; with CI=true a missing browser fails the test, elsewhere it skips with the reason."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright for Python is not installed (pip install -e '.[test]')"
    else:
        found = CHROMIUM if CHROMIUM.is_file() else (Path(p) if (p := shutil.which("chromium")) else None)
        if found is not None:
            return found
        reason = f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run does this)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def csrf_token(client: Any, path: str = "/") -> str:
    """The editor's CSRF token, as the studio's page at ``path`` carries it (a ``TestClient`` GET)."""
    found = re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(app: Any, host: str = "127.0.0.1", **config: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free port until the block ends; yield its base URL (``https`` with
    ``ssl_certfile``). ``config``: more ``uvicorn.Config`` settings (TLS files, the log level)."""
    import uvicorn

    # The listening socket is bound here and handed to uvicorn: a port found free and bound again later
    # may be taken in between by any other process of a busy machine.
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = int(sock.getsockname()[1])
    settings = {"log_level": "warning", "lifespan": "on", **config}
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, **settings))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"{'https' if config.get('ssl_certfile') else 'http'}://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def screenshot_dir() -> Path:
    """Where screenshots go (kept after the run; CI can collect them): VIDCOOP_SCREENSHOTS or a temp folder."""
    folder = Path(os.environ.get("VIDCOOP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "vidcoop-studio-screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chromium_page(playwright: Any, chromium: Path, errors: list[str], width: int = 1400, height: int = 900) -> Any:
    """A new page in Debian's chromium whose script errors (uncaught, or logged as errors) land in ``errors``."""
    browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(30_000)
    return page

"""Serve the app in a background thread on a free local port, for the tests and screenshots.

``tests/web/conftest.py`` and ``scripts/screenshots.py`` both run the app this way and drive
it with Debian's headless Chromium, started with ``CHROMIUM_ARGS``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from ..errors import SourcetraceError

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (``make test`` installs it); Playwright drives it, nothing is downloaded."""
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
"""Headless, and nothing Chromium would fetch on its own (updates, sync, background requests)."""
START_TIMEOUT = 20.0
"""Seconds to wait for uvicorn to start: it takes well under one on our 2-core machine."""


def free_port() -> int:
    """Return a local port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_in_thread(app: FastAPI, timeout: float = START_TIMEOUT) -> Iterator[str]:
    """Run ``app`` with uvicorn in a daemon thread until the block ends.

    Args:
        app: the app to serve.
        timeout: seconds to wait for the server to start.

    Yields:
        The server's base URL, ``http://127.0.0.1:PORT``.

    Raises:
        SourcetraceError: the server did not start within ``timeout`` seconds.
    """
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                # Not a user-facing reason (only the tests and the screenshot script
                # serve this way), so it is not in errors.py's documented list.
                raise SourcetraceError(f"127.0.0.1:{port}: the web app did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

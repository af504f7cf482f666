"""Run the app on a free local port in a thread, and open the map in headless Chromium.

Shared by the browser test (tests/test_map_browser.py) and the page-load benchmark
(benchmarks/bench_map.py); handy for scripted screenshots too::

    with serve_in_thread(create_app(settings)) as url, chromium() as browser:
        page = browser.new_page(); page.goto(url); wait_until_ready(page)

Chromium is Debian's (``/usr/bin/chromium``, or ``FRONTLINES_TEST_CHROMIUM``) driven by
Playwright through ``executable_path``: no browser is downloaded. Headless without a GPU,
WebGL (which MapLibre needs) runs on SwiftShader.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--use-angle=swiftshader", "--enable-unsafe-swiftshader")
READY = "window.frontlines && window.frontlines.ready === true"


def chromium_path() -> Path:
    """Where Chromium is expected: ``FRONTLINES_TEST_CHROMIUM`` or Debian's /usr/bin/chromium."""
    return Path(os.environ.get("FRONTLINES_TEST_CHROMIUM", "/usr/bin/chromium"))


@contextmanager
def serve_in_thread(app: Any, *, start_timeout: float = 60.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (a free port) in a daemon thread; yields the
    base URL and stops the server on exit."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + start_timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("uvicorn stopped while starting (see the log above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start within {start_timeout:.0f} s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@contextmanager
def chromium(path: Path | None = None) -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``) from ``path`` (default ``chromium_path()``)."""
    from playwright.sync_api import sync_playwright

    executable = path or chromium_path()
    if not executable.exists():
        raise FileNotFoundError(f"Chromium not found at {executable}: install Debian's "
                                "'chromium' package (scripts/ensure-chromium.sh) or set "
                                "FRONTLINES_TEST_CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def wait_until_ready(page: Any, *, timeout_ms: int = 90_000) -> dict[str, Any]:
    """Wait until the page says the map is idle with the day's data drawn; returns
    ``window.frontlines.loaded`` (day, counts, idle) plus ``ready_ms`` since navigation."""
    page.wait_for_function(READY, timeout=timeout_ms)
    return page.evaluate("({...window.frontlines.loaded, ready_ms: window.frontlines.readyMs})")

"""Helpers for tests in real headless Chromium: Debian's browser, never a download."""

from __future__ import annotations

import functools
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def require_chromium() -> None:
    """Skip when Debian's Chromium is missing, except in CI, where that is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(directory: Path, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``directory`` over HTTP on 127.0.0.1; return the server and its address."""
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def search(page, query: str) -> None:
    """Type ``query`` into Material's search once its index is ready, and wait for results."""
    from playwright.sync_api import expect

    page.locator("label.md-search__icon, .md-search__input").first.click()
    meta = page.locator(".md-search-result__meta")
    # Material's search works only once its index has loaded and it stops saying "Initializing".
    expect(meta).to_have_text(re.compile("Type to start searching"), timeout=15_000)
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    expect(meta).to_have_text(re.compile(r"\d+ matching documents?"), timeout=15_000)


def wait_for(url: str, process: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers; fail with the process's output if it stops first."""
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise AssertionError(process.stdout.read() if process.stdout else "service stopped") from None
            assert time.monotonic() < deadline, f"{url} did not answer"
            time.sleep(0.2)

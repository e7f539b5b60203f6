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
    # Checked for shutdown every 50 ms, not Python's default 500 ms: shutdown() waits for it.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def search(page, query: str) -> int:
    """Type ``query`` into Material's search once its index is ready, wait until every result is
    shown (Material shows the first ten at once, the rest as the list scrolls), and return how
    many documents match."""
    from playwright.sync_api import expect

    page.locator("label.md-search__icon, .md-search__input").first.click()
    meta = page.locator(".md-search-result__meta")
    # Material's search works only once its index has loaded and it stops saying "Initializing".
    expect(meta).to_have_text(re.compile("Type to start searching"), timeout=15_000)
    # Material searches on each key released: the query is put in the box and its last letter
    # typed, so that the one search made is for the whole query, not for its first letters.
    box = page.locator("input.md-search__input")
    box.fill(query[:-1])
    box.press_sequentially(query[-1])
    expect(box).to_have_value(query)
    expect(meta).to_have_text(re.compile(r"\d+ matching documents?"), timeout=15_000)
    matching = int(re.search(r"\d+", meta.inner_text()).group())
    expect(page.locator(".md-search-result__item")).to_have_count(min(matching, 10))
    return matching


def wait_for(url: str, process: subprocess.Popen | None = None, output: ProcessOutput | None = None) -> None:
    """Wait until ``url`` answers; fail with the process's output if it stops first."""
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if process is not None and process.poll() is not None:
                if output is not None:
                    raise AssertionError(output.wait_until_closed()) from None
                raise AssertionError(process.stdout.read() if process.stdout else "service stopped") from None
            assert time.monotonic() < deadline, f"{url} did not answer"
            time.sleep(0.2)


class ProcessOutput:
    """A process's text output, read line by line in a thread as it comes, so that a test can
    wait until the process has said something instead of sleeping."""

    def __init__(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None, "start the process with stdout=subprocess.PIPE"
        self.lines: list[str] = []
        self.closed = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    @property
    def text(self) -> str:
        with self._changed:
            return "".join(self.lines)

    def wait_for_line(self, text: str, timeout: float = 30) -> str:
        """The first line that contains ``text``, once the process has written it; fail if it does
        not within ``timeout`` seconds or the process closes its output first."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or any(text in line for line in self.lines), timeout)
            found = [line for line in self.lines if text in line]
        assert found, f"the process did not say {text!r} within {timeout} s; it said:\n{self.text}"
        return found[0]

    def wait_until_closed(self, timeout: float = 10) -> str:
        """Everything the process wrote, once it has closed its output (it has stopped)."""
        self._reader.join(timeout)
        return self.text

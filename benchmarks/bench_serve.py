"""Measure how fast an author's edit shows in ``briefings serve``: file saved to page reloaded.

    .venv/bin/python benchmarks/bench_serve.py --reviews 1000

Makes a synthetic corpus (benchmarks/synthetic.py), starts ``briefings serve`` on it and times
from start-up to the first page served (a briefing, asked for as soon as the preview answers;
the preview builds a page when it is first asked for) and to every page built (the preview's
log says when its background work has built them all). It then opens that briefing in headless
Chromium (Debian's /usr/bin/chromium) and, --edits times, rewrites
that review's file with a new sentence in its first learning point (shown on the briefing, its
theme and agency pages and more) and times from the write to the moment
the open page has reloaded and shows the sentence. Reports the start-up times, the median
and worst edit-to-reload time, and when the background update of related pages finished (from
the preview's log).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import make_corpus  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the preview stopped")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        root = make_corpus(Path(folder) / "corpus", arguments.reviews)
        review = root / "content" / "reviews" / "synthetic-00001.md"
        port = free_port()
        log: list[str] = []
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--project", str(root), "--dev-addr", f"127.0.0.1:{port}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()
        url = f"http://127.0.0.1:{port}/reviews/synthetic-00001/"
        try:
            wait_until_served(url, process, timeout=3600)
            startup = time.perf_counter() - started
            print(f"  first page served after {startup:.1f} s", file=sys.stderr, flush=True)
            while not any(line.startswith("Built every page") for line in log):
                if process.poll() is not None:
                    raise RuntimeError("the preview stopped:\n" + "".join(log))
                time.sleep(0.2)
            every_page = time.perf_counter() - started
            print(f"  every page built after {every_page:.1f} s", file=sys.stderr, flush=True)
            times = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(url)
                for edit in range(1, arguments.edits + 1):
                    marker = f"Edit number {edit} made while the preview was open."
                    page.evaluate("window.notReloaded = true")
                    text = re.sub(
                        r"Edit number \d+ made while the preview was open\. ", "", review.read_text(encoding="utf-8")
                    )
                    start = time.perf_counter()
                    review.write_text(text.replace("point: ", f"point: {marker} ", 1), encoding="utf-8")
                    page.wait_for_function(
                        "marker => window.notReloaded === undefined && !!document.body && document.body.innerText.includes(marker)",
                        arg=marker,
                        timeout=600_000,
                        polling=10,
                    )
                    times.append(time.perf_counter() - start)
                    print(f"  edit {edit}: {times[-1]:.2f} s to the reloaded page", file=sys.stderr, flush=True)
                    time.sleep(1)
                    while sum(line.startswith("Updated") for line in log) < edit:
                        time.sleep(0.2)  # let the background update finish before the next edit
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    pages = [int(match[1]) for line in log if (match := re.search(r"^Built every page \((\d+)\)", line))]
    rebuilt = [float(match[1]) for line in log if (match := re.search(r"^Rebuilt .* in ([\d.]+) s;", line))]
    updates = [
        float(match[1]) for line in log if (match := re.search(r"^Updated \d+ more page\(s\) in ([\d.]+) s", line))
    ]
    rows = [
        ("reviews", arguments.reviews),
        ("pages", pages[0] if pages else "-"),
        ("start-up to first page served (s)", round(startup, 1)),
        ("start-up to every page built (s)", round(every_page, 1)),
        ("edits", len(times)),
        ("save to reloaded page, median (s)", round(statistics.median(times), 2)),
        ("save to reloaded page, worst (s)", round(max(times), 2)),
        ("of which the preview's rebuild, median (s)", round(statistics.median(rebuilt), 2) if rebuilt else "-"),
        ("the preview's rebuild, worst (s)", max(rebuilt) if rebuilt else "-"),
        ("related pages updated, median (s)", round(statistics.median(updates), 1) if updates else "-"),
    ]
    for key, value in rows:
        print(f"{key:<40} {value}")


if __name__ == "__main__":
    main()

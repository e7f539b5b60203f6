"""Measure finding the learning at scale: search index, browse page, and their speed in Chromium.

    .venv/bin/python benchmarks/bench_find.py --reviews 2000

Makes a synthetic corpus (benchmarks/synthetic.py), builds it, then reports: the build time,
the search index size (raw and gzip) in all and per review, the browse page size (raw and gzip),
and in headless Chromium (Debian's /usr/bin/chromium) the median over --runs page loads of the
time from navigation to the first search result, and to a filtered browse list.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import make_corpus  # noqa: E402

from generator.build import Project, build  # noqa: E402


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def browser_times(site: Path, runs: int, query: str, filters: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    search_times, browse_times = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(runs):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(base)
            page.locator(".md-search__input").click()
            page.locator("input.md-search__input").fill(query)
            page.locator(".md-search-result__item").first.wait_for(timeout=600_000)
            search_times.append(time.perf_counter() - start)
            page.close()
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(base + "browse/?" + filters)
            page.wait_for_function(
                "document.getElementById('ll-browse') && !document.getElementById('ll-browse').hidden", timeout=600_000
            )
            browse_times.append(time.perf_counter() - start)
            shown = page.locator("#ll-browse-status").inner_text()
            page.close()
        browser.close()
    server.shutdown()
    return {
        "load to first search result (s)": statistics.median(search_times),
        "load to filtered browse list (s)": statistics.median(browse_times),
        "browse status": shown,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", default="fathers assessment")
    parser.add_argument("--filters", default="theme=invisible-fathers&theme=domestic-abuse&type=scr&agency=police")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Project(make_corpus(Path(folder) / "corpus", arguments.reviews))
        start = time.perf_counter()
        build(project)
        build_seconds = time.perf_counter() - start
        index_raw, index_gzip = sizes(project.site_dir / "search" / "search_index.json")
        browse_raw, browse_gzip = sizes(project.site_dir / "browse" / "index.html")
        timings = browser_times(project.site_dir, arguments.runs, arguments.query, arguments.filters)
    n = arguments.reviews
    rows = [
        ("reviews", n),
        ("build (s)", round(build_seconds, 1)),
        ("search index raw (MB)", round(index_raw / 1e6, 2)),
        ("search index gzip (MB)", round(index_gzip / 1e6, 2)),
        ("search index per review raw (KB)", round(index_raw / n / 1e3, 1)),
        ("search index per review gzip (KB)", round(index_gzip / n / 1e3, 1)),
        ("browse page raw (MB)", round(browse_raw / 1e6, 2)),
        ("browse page gzip (MB)", round(browse_gzip / 1e6, 2)),
        ("browse data per review raw (KB)", round(browse_raw / n / 1e3, 2)),
    ] + [(key, round(value, 2) if isinstance(value, float) else value) for key, value in timings.items()]
    for key, value in rows:
        print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()

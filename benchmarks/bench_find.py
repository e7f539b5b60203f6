"""Measure finding the learning at scale: the search index, the browse page, and their speed in Chromium.

    .venv/bin/python benchmarks/bench_find.py --reviews 1000 --corpus /tmp/corpus-1000

Makes a synthetic corpus (benchmarks/synthetic.py) in --corpus and builds it, unless that folder
holds a build already (then it is measured as it is; --rebuild builds again). It reports: the
build time and peak memory; the search indexing inside it (timed around the site stage's
indexing step; with --reindex, its peak memory too, measured in a process of its own that reads
the records back and indexes them); the index on disk (files and bytes); the browse
page's size; and in headless Chromium (Debian's /usr/bin/chromium) the median over --runs
fresh page loads of: the time from navigation to the first search result, the bytes fetched for
search until then (scripts, index and results, the page itself not counted) and for a second
query, the tab's memory (resident size of its renderer process, the search worker included)
after the second query, the time and bytes to narrow the second query to one board with the
search filters, and the time to a filtered browse list. --reindex indexes an already
built corpus again with the current code, without building it again (see ``reindex``).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import resource
import statistics
import sys
import threading
import time
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import make_corpus  # noqa: E402

from generator.build import Project, build  # noqa: E402
from generator.pipeline import site as site_stage  # noqa: E402

FIGURES = "bench-find-build.json"
"""Where the build's figures are kept in the corpus folder, so that a later run can reuse them."""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def timed_build(project: Project) -> dict[str, float]:
    """Build ``project``; time the whole build and the search indexing inside it."""
    indexing: list[float] = []
    original = site_stage.write_search_index

    def timed(records, site_dir, **options):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        digests = original(records, site_dir, **options)
        indexing.append(time.perf_counter() - start)
        indexing.append(sum("/records/" in path for path in digests))
        return digests

    site_stage.write_search_index = timed
    try:
        start = time.perf_counter()
        build(project)
        seconds = time.perf_counter() - start
    finally:
        site_stage.write_search_index = original
    self_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "build (s)": round(seconds, 1),
        "search indexing in the build (s)": round(indexing[0], 1) if indexing else 0.0,
        "search records": indexing[1] if indexing else 0,
        "build process peak memory (MB)": round(self_peak_kb / 1024),
    }


def read_records(site_dir: Path) -> list:
    """The search records of a built site, read back from its index's record files."""
    from generator.pipeline.search_index import SearchRecord

    sys.path.insert(0, str(REPO / "tests"))
    from published_index import published_records

    return [
        SearchRecord(r["location"], r["title"], r["text"], r["page"], r["page_title"], r["filters"])
        for r in published_records(site_dir)
    ]


def index_only(site_dir: Path) -> None:
    """Read a built site's records and index them again (run in a process of its own, so that
    its peak memory is the indexing's: the records held, as a build holds them, and the index)."""
    from generator.pipeline.search_index import write_search_index

    records = read_records(site_dir)
    start = time.perf_counter()
    write_search_index(records, site_dir)
    print(json.dumps({"seconds": time.perf_counter() - start, "count": len(records)}))


def reindex(project: Project, built: dict) -> dict:
    """Index an already built site again with the current code (records read back from its
    index, the search scripts copied in from theme_overrides): for measuring a change to the
    indexing or the search scripts without building thousands of pages again. The build time
    is then the first build's, with its indexing time replaced by this one's."""
    import subprocess

    for script in (REPO / "theme_overrides" / "assets" / "javascripts").glob("search-*.js"):
        (project.site_dir / "assets" / "javascripts" / script.name).write_bytes(script.read_bytes())
    command = [sys.executable, __file__, "--index-only", str(project.site_dir)]
    result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    first_build = built["build (s)"] - built["search indexing in the build (s)"]
    return {
        "build (s)": round(first_build + result["seconds"], 1),
        "search indexing in the build (s)": round(result["seconds"], 1),
        "search records": result["count"],
        "indexer peak memory (MB)": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "build process peak memory (MB)": built["build process peak memory (MB)"],
        "indexed again (figures of the first build)": json.dumps(built),
    }


def folder_size(path: Path) -> tuple[int, int]:
    files = [file for file in path.rglob("*") if file.is_file()]
    return len(files), sum(file.stat().st_size for file in files)


def renderer_rss_mb(marker: str) -> float:
    """The largest resident size among the renderer processes of the browser started with
    ``marker`` on its command line (one tab is open: its renderer)."""

    def cmdline(pid: str) -> str:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="ignore")
        except OSError:
            return ""

    def parent(pid: str) -> str:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        except OSError:
            return ""

    pids = [pid for pid in os.listdir("/proc") if pid.isdigit()]
    browsers = {pid for pid in pids if marker in cmdline(pid) and "--type=" not in cmdline(pid)}
    largest = 0
    for pid in pids:
        if "--type=renderer" not in cmdline(pid):
            continue
        ancestor, hops = pid, 0
        while ancestor not in browsers and ancestor not in ("", "0", "1") and hops < 10:
            ancestor, hops = parent(ancestor), hops + 1
        if ancestor in browsers:
            status = Path(f"/proc/{pid}/status").read_text()
            largest = max(
                largest, int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
            )
    return largest / 1024


def type_query(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """Put ``query`` in the search box as a person types it (Material searches on key release)."""
    box = page.locator("input.md-search__input")
    box.fill(query[:-1])
    box.press_sequentially(query[-1])


def browser_figures(site: Path, runs: int, queries: tuple[str, str], filters: str) -> dict[str, float | str]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    marker = f"--ll-bench={uuid.uuid4().hex}"
    first_times, first_bytes, next_bytes, memory, browse_times = [], [], [], [], []
    filtered_times: list[float] = []
    filtered_bytes: list[int] = []
    filtered_shown = ""
    shown = ""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", marker],
        )
        for _ in range(runs):
            context = browser.new_context()  # a fresh cache each time
            page = context.new_page()
            fetched: list[int] = []

            def count(response, fetched=fetched) -> None:  # type: ignore[no-untyped-def]
                url = response.url
                if "/search" in url or "/workers/" in url or "/lunr/" in url:
                    try:
                        fetched.append(len(response.body()))
                    except Exception:
                        pass

            context.on("response", count)
            start = time.perf_counter()
            page.goto(base)
            page.locator(".md-search__input").click()
            type_query(page, queries[0])
            page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
            first_times.append(time.perf_counter() - start)
            page.wait_for_timeout(300)  # responses still arriving for the first query
            first_bytes.append(sum(fetched))
            before = len(fetched)
            type_query(page, queries[1])
            page.wait_for_function(
                "q => document.querySelector('.md-search-result__meta').textContent.match(/\\d+ matching|No matching/)"
                " && document.querySelector('input.md-search__input').value === q",
                arg=queries[1],
                timeout=120_000,
            )
            page.wait_for_timeout(500)
            next_bytes.append(sum(fetched[before:]))
            memory.append(renderer_rss_mb(marker))
            # The same query narrowed to one board (the first in the filter's list).
            meta = page.locator(".md-search-result__meta")
            shown_before = meta.inner_text()
            page.locator(".ll-search-filters > summary").click()
            board = page.locator("select[data-ll-filter=board]")
            board.locator("option").nth(1).wait_for(state="attached", timeout=120_000)
            before = len(fetched)
            start = time.perf_counter()
            board.select_option(index=1)
            page.wait_for_function(
                "before => document.querySelector('.md-search-result__meta').textContent !== before",
                arg=shown_before,
                timeout=120_000,
            )
            filtered_times.append(time.perf_counter() - start)
            page.wait_for_timeout(500)
            filtered_bytes.append(sum(fetched[before:]))
            filtered_shown = meta.inner_text()
            context.close()
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(base + "browse/?" + filters)
            page.wait_for_function(
                "document.getElementById('ll-browse') && !document.getElementById('ll-browse').hidden", timeout=600_000
            )
            browse_times.append(time.perf_counter() - start)
            shown = page.locator("#ll-browse-status").inner_text()
            context.close()
        browser.close()
    server.shutdown()
    return {
        "load to first search result (s)": statistics.median(first_times),
        "bytes fetched for search to the first result (KB)": statistics.median(first_bytes) / 1e3,
        "bytes fetched for the next query (KB)": statistics.median(next_bytes) / 1e3,
        "tab memory after two queries (MB)": statistics.median(memory),
        "next query narrowed to one board: time to results (s)": statistics.median(filtered_times),
        "next query narrowed to one board: bytes fetched (KB)": statistics.median(filtered_bytes) / 1e3,
        "next query narrowed to one board: results": filtered_shown,
        "load to filtered browse list (s)": statistics.median(browse_times),
        "browse status": shown,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, help="folder to keep the built corpus in (reused if built)")
    parser.add_argument("--rebuild", action="store_true", help="build again even if --corpus holds a build")
    parser.add_argument("--reindex", action="store_true", help="index the built site again with the current code")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--index-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--query", default="fathers assessment")
    parser.add_argument("--next-query", default="neglect chronology")
    parser.add_argument("--filters", default="theme=invisible-fathers&theme=domestic-abuse&type=scr&agency=police")
    arguments = parser.parse_args()
    if arguments.index_only:
        index_only(arguments.index_only)
        return
    folder = arguments.corpus or Path(f"/tmp/ll-bench-find-{arguments.reviews}")
    project = Project(folder)
    figures_file = folder / FIGURES
    if arguments.rebuild or not figures_file.exists():
        make_corpus(folder, arguments.reviews)
        figures_file.write_text(json.dumps(timed_build(project)), encoding="utf-8")
    built = json.loads(figures_file.read_text(encoding="utf-8"))
    if arguments.reindex:
        built = reindex(project, built)
    files, index_bytes = folder_size(project.site_dir / "search-index")
    material_raw, _ = sizes(project.site_dir / "search" / "search_index.json")
    browse_raw, browse_gzip = sizes(project.site_dir / "browse" / "index.html")
    timings = browser_figures(
        project.site_dir, arguments.runs, (arguments.query, arguments.next_query), arguments.filters
    )
    settings = json.loads((project.site_dir / "search-index" / "index.json").read_text(encoding="utf-8"))
    n = arguments.reviews
    rows = [
        ("reviews", n),
        *built.items(),
        (
            "indexing share of the build (%)",
            round(100 * built["search indexing in the build (s)"] / built["build (s)"]),
        ),
        ("prefixes split into longer ones", len(settings["split"])),
        ("search index on disk (files)", files),
        ("search index on disk (MB)", round(index_bytes / 1e6, 1)),
        ("Material's search_index.json (bytes)", material_raw),
        ("browse page raw (MB)", round(browse_raw / 1e6, 2)),
        ("browse page gzip (MB)", round(browse_gzip / 1e6, 2)),
    ] + [(key, round(value, 2) if isinstance(value, float) else value) for key, value in timings.items()]
    for key, value in rows:
        print(f"{key:<52} {value}")


if __name__ == "__main__":
    main()

"""Time a cold build against rebuilds after one review is edited and after one is added.

    .venv/bin/python benchmarks/bench_incremental.py --reviews 1000 --runs 3

Each run makes a synthetic corpus of N reviews (benchmarks/synthetic.py, PDFs off), builds it
with ``briefings build``'s own function with no cache (cold), then edits one review's summary
and builds again with the cache the cold build left (edit), then adds one review published in
the corpus's newest month and builds again (addition), then adds one published in the middle of
its years and builds again (older addition). Each time is the whole build (generator stages and site), in a fresh
process per corpus size. The medians are written to benchmarks/results/incremental.md; the
target is an incremental build in at most 10% of the cold build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.synthetic import make_corpus  # noqa: E402
from generator.build import Project, build  # noqa: E402
from generator.pipeline import site  # noqa: E402

TARGET = 0.10
"""An incremental build's time at most this share of the cold build's."""


SITE_PARTS = ("mkdocs", "index", "commit", "written", "pages_unchanged")
"""What the site stage reports of each build (``site.LAST_TIMES``): seconds in MkDocs, in the
search index, in moving the changed files into ``site/``; files written; pages left as they were."""


def site_parts(times: dict[str, float], kind: str) -> None:
    """Add the site stage's parts of the build just made to ``times``, as ``<kind> <part>``."""
    for part in SITE_PARTS:
        times[f"{kind} {part}"] = float(getattr(site.LAST_TIMES, part))


def published_dates(reviews_dir: Path) -> list[str]:
    """The publication dates of the reviews in ``reviews_dir``, as their files give them, in order."""
    found = (
        re.search(r"^published: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        for path in reviews_dir.glob("*.md")
    )
    return sorted(match.group(1) for match in found if match)


def dated(path: Path, published: str) -> None:
    """Give the review at ``path`` the publication date ``published``."""
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^published: .*$", f"published: {published}", text, count=1, flags=re.MULTILINE), encoding="utf-8"
    )


def one_run(folder: Path, reviews: int) -> dict[str, float]:
    """Cold build, then a build after an edit, then after an addition of a review published in
    the newest month (as a board adds its latest review), then after an addition of one
    published in the middle of the collection's years; seconds each, and the site stage's parts
    of each."""
    make_corpus(folder, reviews + 2)
    reviews_dir = folder / "content" / "reviews"
    spares = []
    for added in sorted(reviews_dir.glob("*.md"))[-2:]:
        spares.append(folder / added.name)
        added.rename(spares[-1])
    dates = published_dates(reviews_dir)
    dated(spares[0], dates[-1])
    dated(spares[1], dates[len(dates) // 2])
    project = Project(folder)
    shutil.rmtree(project.site_cache.parent, ignore_errors=True)
    times = {}
    start = time.perf_counter()
    build(project)
    times["cold"] = time.perf_counter() - start
    site_parts(times, "cold")
    edited = sorted(reviews_dir.glob("*.md"))[len(list(reviews_dir.glob("*.md"))) // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    start = time.perf_counter()
    build(project)
    times["edit"] = time.perf_counter() - start
    site_parts(times, "edit")
    for kind, spare in zip(("addition", "older addition"), spares, strict=True):
        spare.rename(reviews_dir / spare.name)
        start = time.perf_counter()
        build(project)
        times[kind] = time.perf_counter() - start
        site_parts(times, kind)
    return times


def child(reviews: int, runs: int) -> None:
    """Run ``runs`` runs at one size in this process; print their times as JSON."""
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="ll-incremental-") as folder:
            results.append(one_run(Path(folder) / "project", reviews))
    print(json.dumps(results))


KINDS = ("cold", "edit", "addition", "older addition")


def report(rows: dict[int, list[dict[str, float]]], arguments: argparse.Namespace) -> str:
    lines = [
        "# Incremental builds",
        "",
        "| reviews | cold s | after an edit s | edit ÷ cold | after an addition s | addition ÷ cold "
        "| after an older addition s | older addition ÷ cold |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for reviews, results in rows.items():
        median = {kind: statistics.median(result[kind] for result in results) for kind in KINDS}
        share = {kind: median[kind] / median["cold"] for kind in KINDS}
        lines.append(
            f"| {reviews} | {median['cold']:.2f} | {median['edit']:.2f} | {share['edit']:.1%} | "
            f"{median['addition']:.2f} | {share['addition']:.1%} | {median['older addition']:.2f} | "
            f"{share['older addition']:.1%} |"
        )
        for kind, said in (("edit", "an edit"), ("addition", "an addition")):
            verdict = "PASS" if share[kind] <= TARGET else "FAIL"
            verdicts.append(
                f"- {verdict} N={reviews}: the build after {said} takes {share[kind]:.1%} of the cold build "
                f"(limit {TARGET:.0%})"
            )
    lines += [
        "",
        "The site stage of each build (medians): MkDocs, the search index, moving the changed files into `site/`;",
        "files written into the staging folder; pages left as they were.",
        "",
        "| reviews | build | MkDocs s | index s | commit s | files written | pages unchanged |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for reviews, results in rows.items():
        for kind in KINDS:
            median = {part: statistics.median(result[f"{kind} {part}"] for result in results) for part in SITE_PARTS}
            lines.append(
                f"| {reviews} | {kind} | {median['mkdocs']:.2f} | {median['index']:.2f} | {median['commit']:.2f} | "
                f"{median['written']:.0f} | {median['pages_unchanged']:.0f} |"
            )
    command = " ".join(["benchmarks/bench_incremental.py", *sys.argv[1:]])
    try:
        load = "load average over 1, 5 and 15 minutes at the end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "load average not known"
    return "\n".join(
        [
            *lines,
            "",
            f"Medians of {arguments.runs} run(s); whole builds (`generator.build.build`: generator stages and site), "
            "PDFs and Word files off; cold = no `.cache/site`, the others with the cache the build before left. "
            "The addition is a review published in the newest month of the corpus (as a board adds its latest "
            "review); the older addition, made after it, one published in the middle of the corpus's years.",
            "",
            f"- Machine: {platform.processor() or platform.machine()}, {platform.platform()}; {load}",
            f"- Python: {platform.python_implementation()} {platform.python_version()}; mkdocs {version('mkdocs')}, "
            f"mkdocs-material {version('mkdocs-material')}, markdown {version('markdown')}",
            f"- Command: `.venv/bin/python {command}`",
            "",
            "Targets:",
            "",
            *verdicts,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, nargs="+", default=[1000], help="corpus sizes (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (default 3)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "incremental.md")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.runs)
        return
    rows = {}
    for reviews in arguments.reviews:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(reviews), "--runs", str(arguments.runs)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows[reviews] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"N={reviews}: {rows[reviews]}", file=sys.stderr)
    text = report(rows, arguments)
    arguments.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

"""Measure how a build scales: synthetic corpora of N reviews, against a floor and a default site.

    .venv/bin/python benchmarks/bench_scale.py --reviews 100 300 1000 3000
    .venv/bin/python benchmarks/bench_scale.py --reviews 100 300 --runs 5 --out /tmp/scale.md

For each N, makes one synthetic corpus of N reviews shaped like the sample content
(benchmarks/synthetic.py, PDFs off) and measures it --runs times (--runs-large times for
N >= 3000, 1 by default, since one build of 3,000 reviews takes minutes). Each run is three
measurements, in this order, each in a fresh Python process (so peak memory is one build's and
nothing is cached between them):

- build: a cold full build (briefings/ and site/ deleted first), each stage timed as in
  bench_build.py (benchmarks/stages.py): load, validate, render, write, the MkDocs site build;
  then the pages, output size and search index size (raw and gzip) and the peak memory (RSS):
  the build's own, its largest page-converting worker's (the build converts pages in a pool of
  processes, one per core) and, as the memory the build may need at once, the two together
  (the build's, plus the worker's times the number of workers). --boards sets how many boards
  the reviews come from (a national collection: 150).
- floor: bare Python-Markdown with the same extensions as the site's mkdocs.yml converting every
  page the build just wrote (front matter stripped, as MkDocs does): the least any build of
  this Markdown could cost.
- default-nav: the N briefings alone in a plain MkDocs + Material site with no ``nav``, so that
  Material writes the full navigation into every page: what a user would get without this
  project's navigation. Skipped above --default-nav-max reviews.

Every figure in the table is the median over the runs (per-page figures and ratios are
worked out per run, then the median taken). "Per page" means per generated Markdown page (all
pages: briefings, session plans, 7-minute briefings, records, theme and list pages); the
default site's figures are per page of that site. The table, the machine, the command and the
targets (PASS/FAIL) are printed and written to --out, with the medians and every run's raw
figures as JSON beside it (same name, .json).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import logging
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve()
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import make_corpus  # noqa: E402

from generator.pipeline.workers import cpu_count  # noqa: E402

KINDS = ("build", "floor", "default-nav")
SAMPLE_SECONDS = 0.1
"""How often the memory of a measurement's processes is sampled."""
LARGE = 3000
"""From this many reviews on, --runs-large runs are taken instead of --runs."""

Run = dict[str, dict | None]
"""One run of one size: each kind's figures (None for a measurement that was skipped)."""


# --- The measurements, each run in its own process -------------------------------------------


def peak_mb() -> float:
    """The largest resident set of this process so far, in MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workers_peak_mb() -> float:
    """The largest resident set of any process this one started and waited for (the build's
    pool of page converters), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def quiet_mkdocs() -> None:
    """Silence MkDocs' log: the floor and the default site are not strict and would warn a lot."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)


def child_build(root: Path) -> dict:
    """A cold full build of the project in ``root``, stage by stage."""
    from stages import SITE, STARTED, timed_build

    from generator.build import Project

    project = Project(root)
    shutil.rmtree(project.docs_dir, ignore_errors=True)
    shutil.rmtree(project.site_dir, ignore_errors=True)
    times = timed_build(project)
    index_files = [path for path in (project.site_dir / "search-index").rglob("*") if path.is_file()]
    return {
        **{stage: times[stage] for stage in ("load", "validate", "render", "pdf", "write") if stage in times},
        "site": times[SITE],
        "total": times["total"],
        "rendered": times["pages"],
        "pages": sum(1 for _ in project.docs_dir.rglob("*.md")),
        "html_pages": sum(1 for _ in project.site_dir.rglob("*.html")),
        "site_bytes": folder_bytes(project.site_dir),
        "index_bytes": sum(len(unpacked(path.read_bytes())) for path in index_files),
        "index_gzip_bytes": sum(path.stat().st_size for path in index_files),
        "peak_mb": peak_mb(),
        "workers_peak_mb": workers_peak_mb(),
        "workers": cpu_count(),
        "started": dict(STARTED),
    }


def unpacked(data: bytes) -> bytes:
    """An index file's text: the split index's files are stored gzip-compressed, some are not."""
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def child_floor(root: Path) -> dict:
    """Bare Python-Markdown over the pages in ``root/briefings``; only the conversions timed."""
    import markdown
    from mkdocs.config import load_config
    from mkdocs.utils.meta import get_data

    quiet_mkdocs()
    config = load_config(str(root / "mkdocs.yml"))
    converter = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    texts = [get_data(path.read_text(encoding="utf-8"))[0] for path in sorted((root / "briefings").rglob("*.md"))]
    start = time.perf_counter()
    for text in texts:
        converter.reset()
        converter.convert(text)
    return {"floor": time.perf_counter() - start, "pages": len(texts), "peak_mb": peak_mb()}


def default_nav_project(root: Path) -> Path:
    """A plain MkDocs + Material project (in ``root/default-nav``, emptied first) of the
    briefings the build wrote, with the site's Markdown extensions and no ``nav``."""
    import yaml

    out = root / "default-nav"
    shutil.rmtree(out, ignore_errors=True)
    reviews = out / "docs" / "reviews"
    reviews.mkdir(parents=True)
    for page in sorted((root / "briefings" / "reviews").glob("*.md")):
        if page.name != "index.md":
            shutil.copy(page, reviews / page.name)
    (out / "docs" / "index.md").write_text("# Briefings\n\nThe briefings are in the navigation.\n", encoding="utf-8")
    ours = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": "Briefings",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
        "markdown_extensions": ours["markdown_extensions"],
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out


def child_default_nav(root: Path) -> dict:
    """Build the default-navigation site of the briefings in ``root``; only the build timed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    quiet_mkdocs()
    out = default_nav_project(root)
    config = load_config(str(out / "mkdocs.yml"))
    start = time.perf_counter()
    build(config)
    seconds = time.perf_counter() - start
    return {
        "default_nav": seconds,
        "pages": sum(1 for _ in (out / "docs").rglob("*.md")),
        "html_pages": sum(1 for _ in (out / "site").rglob("*.html")),
        "site_bytes": folder_bytes(out / "site"),
        "peak_mb": peak_mb(),
    }


CHILDREN: dict[str, Callable[[Path], dict]] = {
    "build": child_build,
    "floor": child_floor,
    "default-nav": child_default_nav,
}


def run_child(kind: str, root: Path) -> dict:
    """Run one measurement in a fresh process and return what it printed (one JSON line), with
    the memory of that process and its workers sampled meanwhile (``stages.TreeMemory``)."""
    from stages import TreeMemory

    command = [sys.executable, str(SCRIPT), "--child", kind, "--project", str(root)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    memory = TreeMemory(child.pid, interval=SAMPLE_SECONDS).start()
    try:
        out, err = child.communicate()
    finally:
        memory.stop()
    if child.returncode != 0:
        sys.exit(f"the {kind} measurement of {root} failed:\n{err}")
    measured = json.loads(out.strip().splitlines()[-1])
    return {**measured, **memory.figures(measured.pop("started", None))}


# --- The engine check (optional) ---------------------------------------------------------------


def zensical_check(project: Path, zensical: str | None, site_seconds: float) -> dict | None:
    """Build the same generated Markdown with Zensical (which reads mkdocs.yml), timed, and
    compare its pages with the MkDocs build in ``project/site``. None without Zensical.

    Zensical has no way to pass settings on its command line, so the settings ``briefings``
    gives MkDocs (site name, quick exit) go in an overlay file that inherits mkdocs.yml; its
    site_dir must be inside the project. ``-c`` makes it a clean build, not a cached one."""
    if zensical is None:
        return None
    from generator.build import Project as GeneratorProject
    from generator.build import check
    from generator.pipeline.site import config_overrides

    settings = check(GeneratorProject(project)).settings
    overlay = project / ".zensical.yml"
    out = project / ".zensical-site"
    shutil.rmtree(out, ignore_errors=True)
    overlay.write_text(
        json.dumps({"INHERIT": "mkdocs.yml", "site_dir": str(out), **config_overrides(settings)}), encoding="utf-8"
    )
    environment = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [zensical, "build", "-c", "-f", str(overlay)], cwd=project, capture_output=True, text=True, env=environment
    )
    seconds = time.perf_counter() - start
    ours = {path.relative_to(project / "site").as_posix() for path in (project / "site").rglob("*.html")}
    theirs = {path.relative_to(out).as_posix() for path in out.rglob("*.html")} if out.is_dir() else set()
    same_text = sum(article_text(project / "site" / page) == article_text(out / page) for page in ours & theirs)
    shutil.rmtree(out, ignore_errors=True)
    overlay.unlink()
    return {
        "ok": result.returncode == 0,
        "seconds": seconds,
        "ratio_to_mkdocs": seconds / site_seconds,
        "html_pages": len(theirs),
        "mkdocs_html_pages": len(ours),
        "same_paths": len(ours & theirs),
        "same_article_text": same_text,
        "errors": (result.stderr or result.stdout)[-2000:] if result.returncode else "",
    }


def article_text(page: Path) -> str:
    """The words of a page's article, without tags: what a reader reads."""
    html = page.read_text(encoding="utf-8")
    start, end = html.find("<article"), html.rfind("</article>")
    body = html[start:end] if start != -1 else html
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


# --- Measuring the sizes ------------------------------------------------------------------------


def measure(reviews: int, root: Path, runs: int, default_nav: bool) -> list[Run]:
    """``runs`` runs of build, floor and default-nav over the corpus in ``root``."""
    measured: list[Run] = []
    for number in range(1, runs + 1):
        run: Run = {"build": run_child("build", root), "floor": run_child("floor", root)}
        run["default-nav"] = run_child("default-nav", root) if default_nav else None
        measured.append(run)
        other = f", default-nav {run['default-nav']['default_nav']:.2f} s" if run["default-nav"] else ""
        print(
            f"  N={reviews} run {number}/{runs}: build {run['build']['total']:.2f} s,"
            f" floor {run['floor']['floor']:.2f} s{other}",
            file=sys.stderr,
            flush=True,
        )
    return measured


def figures(reviews: int, run: Run) -> dict[str, Any]:
    """The table's figures for one run."""
    build, floor, other = run["build"], run["floor"], run["default-nav"]
    pages = build["pages"]
    stages = ("load", "validate", "render", "pdf", "write")
    generator = sum(build.get(stage, 0.0) for stage in stages)
    return {
        "reviews": reviews,
        "pages": pages,
        "total": build["total"],
        **{stage: build.get(stage) for stage in stages},
        "generator_pct": 100 * generator / build["total"],
        "site": build["site"],
        "ms_per_page": 1000 * build["total"] / pages,
        "peak_mb": build["peak_mb"],
        "workers_peak_mb": build.get("workers_peak_mb"),
        "tree_peak_mb": build.get("tree_peak_pss_mb"),
        "tree_peak_stage": build.get("tree_peak_stage"),
        "site_tree_peak_mb": build.get("tree_peak_pss_mb_by_stage", {}).get("site (MkDocs)"),
        "main_peak_stage": build.get("main_peak_stage"),
        "rss_sum_mb": build["peak_mb"] + build.get("workers", 0) * build.get("workers_peak_mb", 0.0),
        "kb_per_page": build["site_bytes"] / pages / 1000,
        "index_kb_per_page": build["index_bytes"] / pages / 1000,
        "index_gzip_kb_per_page": build["index_gzip_bytes"] / pages / 1000,
        "floor": floor["floor"],
        "build_over_floor": build["total"] / floor["floor"],
        "default_nav": other["default_nav"] if other else None,
        "default_nav_kb_per_page": other["site_bytes"] / other["pages"] / 1000 if other else None,
    }


def medians(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the runs (None where a run has none; for a word, such as
    the stage a peak came in, the most common)."""
    median: dict[str, Any] = {}
    for key in rows[0]:
        values = [row[key] for row in rows if row[key] is not None]
        if values and all(isinstance(value, str) for value in values):
            median[key] = statistics.mode(values)
        else:
            median[key] = statistics.median(values) if values else None
    return median


# --- The report ---------------------------------------------------------------------------------

COLUMNS: list[tuple[str, str, str]] = [
    ("reviews", "reviews", "{:.0f}"),
    ("pages", "pages (md)", "{:.0f}"),
    ("total", "total build s", "{:.2f}"),
    ("load", "load s", "{:.3f}"),
    ("validate", "validate s", "{:.3f}"),
    ("render", "render s", "{:.3f}"),
    ("write", "write s", "{:.3f}"),
    ("generator_pct", "generator % of total", "{:.1f}"),
    ("site", "site build s", "{:.2f}"),
    ("ms_per_page", "time per page ms", "{:.2f}"),
    ("peak_mb", "peak MB, main process (RSS)", "{:.0f}"),
    ("main_peak_stage", "main peak in", "{}"),
    ("workers_peak_mb", "peak MB, one worker (RSS)", "{:.0f}"),
    ("tree_peak_mb", "peak MB, whole build (PSS)", "{:.0f}"),
    ("tree_peak_stage", "whole-build peak in", "{}"),
    ("site_tree_peak_mb", "peak MB, site stage (PSS)", "{:.0f}"),
    ("kb_per_page", "output KB/page", "{:.1f}"),
    ("index_kb_per_page", "search index KB/page raw", "{:.2f}"),
    ("index_gzip_kb_per_page", "search index KB/page gzip", "{:.2f}"),
    ("floor", "floor s", "{:.2f}"),
    ("build_over_floor", "build÷floor", "{:.2f}"),
    ("default_nav", "default-nav s", "{:.2f}"),
    ("default_nav_kb_per_page", "default-nav KB/page", "{:.1f}"),
]


def table(rows: list[dict[str, Any]]) -> str:
    columns = list(COLUMNS)
    if any(row.get("pdf") is not None for row in rows):
        columns.insert(6, ("pdf", "pdf s", "{:.2f}"))
    lines = [
        "| " + " | ".join(title for _, title, _ in columns) + " |",
        "|" + "|".join("---:" for _ in columns) + "|",
    ]
    for row in rows:
        cells = ["–" if row.get(key) is None else form.format(row[key]) for key, _, form in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        models = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        total = next(line for line in meminfo.read_text().splitlines() if line.startswith("MemTotal"))
        ram = f"{int(total.split()[1]) / 1024**2:.1f} GB"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{package} {importlib.metadata.version(package)}" for package in ("mkdocs", "mkdocs-material", "markdown")
    )
    return {
        "cpu": cpu,
        "cores": str(cores),
        "ram": ram,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": versions,
        "system": platform.platform(),
    }


def target(name: str, value: float | None, limit: float, words: str) -> str:
    """One target's line: PASS if ``value`` is at most ``limit``, else FAIL, with the figures;
    SKIP when it was not measured."""
    if value is None:
        return f"- SKIP {name}: not measured ({words})"
    return f"- {'PASS' if value <= limit else 'FAIL'} {name}: {words}"


def targets(rows: list[dict[str, Any]]) -> list[str]:
    """The PASS/FAIL lines of the four targets."""
    by_size = {int(row["reviews"]): row for row in rows}
    largest = max(by_size)
    lines: list[str] = []
    base = by_size.get(300)
    for key, what in (("ms_per_page", "time per page"), ("kb_per_page", "bytes per page")):
        name = f"(a) {what} at N={largest} within 1.3× of N=300"
        if base is None or largest <= 300:
            lines.append(target(name, None, 1.3, "needs N=300 and a larger N"))
            continue
        ratio = by_size[largest][key] / base[key]
        lines.append(
            target(name, ratio, 1.3, f"{by_size[largest][key]:.2f} vs {base[key]:.2f}: {ratio:.2f}× (limit 1.3×)")
        )
    name = "(b) full build at N=1000 within 2× the bare conversion"
    if 1000 in by_size:
        ratio = by_size[1000]["build_over_floor"]
        words = f"{by_size[1000]['total']:.2f} s vs {by_size[1000]['floor']:.2f} s: {ratio:.2f}× (limit 2×)"
        lines.append(target(name, ratio, 2, words))
    else:
        lines.append(target(name, None, 2, "needs N=1000"))
    # At a few dozen reviews the generator's fixed costs (templates, vocabularies) weigh more;
    # the target is about a large build, so it is judged at N=1000 and shown for every N.
    shares = ", ".join(f"N={size}: {row['generator_pct']:.1f}%" for size, row in sorted(by_size.items()))
    name = "(c) generator stages under 10% of the total build at N=1000"
    share = by_size[1000]["generator_pct"] if 1000 in by_size else None
    lines.append(target(name, share, 10, shares if share is not None else "needs N=1000"))
    if 5000 in by_size:
        name = "(e) cold build at N=5000 within 1.5× the bare conversion"
        ratio = by_size[5000]["build_over_floor"]
        words = f"{by_size[5000]['total']:.2f} s vs {by_size[5000]['floor']:.2f} s: {ratio:.2f}× (limit 1.5×)"
        lines.append(target(name, ratio, 1.5, words))
        name = (
            "(e) peak memory at N=5000 under 2 GB (2048 MB), the whole build (PSS of the main process and its workers)"
        )
        peak = by_size[5000]["tree_peak_mb"]
        lines.append(target(name, peak, 2048, f"{peak:.0f} MB (limit 2048 MB)" if peak is not None else ""))
    name = "(d) peak memory at N=3000 under 1 GB (1024 MB)"
    if 3000 in by_size:
        peak = by_size[3000]["peak_mb"]
        lines.append(target(name, peak, 1024, f"{peak:.0f} MB (limit 1024 MB)"))
    else:
        lines.append(target(name, None, 1024, "needs N=3000"))
    return lines


def command_line() -> str:
    python = Path(sys.executable)
    shown = python.relative_to(REPO) if python.is_relative_to(REPO) else python
    return shlex.join([str(shown), str(SCRIPT.relative_to(REPO)), *sys.argv[1:]])


def report(rows: list[dict[str, Any]], arguments: argparse.Namespace, engines: dict[int, dict]) -> str:
    about = machine()
    lines = [
        "# Build at scale",
        "",
        table(rows),
        "",
        f"Medians of {arguments.runs} runs ({arguments.runs_large} for N >= {LARGE}); per-page figures are per"
        " generated Markdown page (default-nav: per page of that site); KB = 1000 bytes; default-nav skipped"
        f" above N={arguments.default_nav_max}.",
        "",
        f"- Machine: {about['cpu']}, {about['cores']} cores, {about['ram']} RAM; {about['system']}",
        f"- Python: {about['python']}; {about['packages']}",
        f"- Command: `{command_line()}`",
        "",
        "Targets:",
        "",
        *targets(rows),
    ]
    for reviews, engine in sorted(engines.items()):
        if not engine["ok"]:
            lines.append(f"- Zensical at N={reviews}: FAILED: {engine['errors'][-300:]}")
            continue
        lines.append(
            f"- Zensical at N={reviews} (one clean build): {engine['seconds']:.2f} s,"
            f" {engine['ratio_to_mkdocs']:.2f}x the MkDocs site build; {engine['same_paths']} of"
            f" {engine['mkdocs_html_pages']} pages at the same paths ({engine['html_pages']} in all),"
            f" article text identical on {engine['same_article_text']}"
        )
    return "\n".join(lines) + "\n"


# --- Main ---------------------------------------------------------------------------------------


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, nargs="+", default=[100, 300, 1000, 3000], help="corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (default 3)")
    parser.add_argument(
        "--runs-large", type=int, default=1, help=f"runs for N >= {LARGE} (default 1: one such build takes minutes)"
    )
    parser.add_argument(
        "--default-nav-max", type=int, default=3000, help="no default-navigation site above this N (default 3000)"
    )
    parser.add_argument("--boards", type=int, default=40, help="boards the reviews come from (default 40)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "scale.md")
    parser.add_argument("--keep", type=Path, help="keep the corpora (and their builds) in this folder")
    parser.add_argument(
        "--zensical",
        default=shutil.which("zensical"),
        help="the zensical command, to build the same pages with it too (default: zensical on the PATH, if any)",
    )
    parser.add_argument("--zensical-max", type=int, default=1000, help="no Zensical build above this N (default 1000)")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    arguments = parse()
    if arguments.child:
        print(json.dumps(CHILDREN[arguments.child](arguments.project.resolve())))
        return
    rows: list[dict[str, Any]] = []
    raw: dict[int, list[Run]] = {}
    engines: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        parent = arguments.keep.resolve() if arguments.keep else Path(scratch)
        for reviews in sorted(set(arguments.reviews)):
            root = make_corpus(parent / f"corpus-{reviews}", reviews, boards=arguments.boards)
            print(f"N={reviews}: corpus in {root}", file=sys.stderr, flush=True)
            runs = arguments.runs_large if reviews >= LARGE else arguments.runs
            raw[reviews] = measure(reviews, root, runs, reviews <= arguments.default_nav_max)
            rows.append(medians([figures(reviews, run) for run in raw[reviews]]))
            zensical = arguments.zensical if reviews <= arguments.zensical_max else None
            engine = zensical_check(root, zensical, raw[reviews][-1]["build"]["site"])
            if engine is not None:
                engines[reviews] = engine
            if not arguments.keep:
                shutil.rmtree(root, ignore_errors=True)
    text = report(rows, arguments, engines)
    print(text)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(text, encoding="utf-8")
    data = {
        "command": command_line(),
        "machine": machine(),
        "runs": arguments.runs,
        "runs_large": arguments.runs_large,
        "medians": rows,
        "targets": targets(rows),
        "raw": {str(reviews): runs for reviews, runs in raw.items()},
        "zensical": {str(reviews): engine for reviews, engine in engines.items()},
    }
    arguments.out.with_suffix(".json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {arguments.out} and {arguments.out.with_suffix('.json')}", file=sys.stderr)


if __name__ == "__main__":
    main()

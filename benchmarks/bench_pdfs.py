"""Measure what PDFs cost a build: a cold build of N synthetic reviews without PDFs, the same
with PDFs (empty PDF cache), and a build after one review is edited (the cache kept).

    .venv/bin/python benchmarks/bench_pdfs.py --reviews 1000 --out benchmarks/results/pdfs.md

Each build is ``briefings build`` in a fresh process, timed by the wall clock; Word files are off
in all three, so the difference is the PDFs'. The PDF cache is ``.cache/pdf/`` of the project:
the edit build reports how many PDFs it found there and how many it made again.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import make_corpus  # noqa: E402


def timed_build(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--project", str(root)],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def with_settings(root: Path, pdfs: bool) -> None:
    settings = root / "content" / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("make_pdfs: false", f"make_pdfs: {str(pdfs).lower()}")
    settings.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-pdfs-"))
    try:
        root = make_corpus(work / "corpus", arguments.reviews)
        without = timed_build(root)
        shutil.rmtree(root / "briefings")
        shutil.rmtree(root / "site")
        with_settings(root, pdfs=True)
        cold = timed_build(root)
        cached = len(list((root / ".cache" / "pdf").glob("*")))
        review = sorted((root / "content" / "reviews").glob("*.md"))[0]
        review.write_text(review.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), "utf-8")
        before = time.time()
        edit = timed_build(root)
        remade = sum(1 for pdf in (root / ".cache" / "pdf").glob("*") if pdf.stat().st_mtime >= before)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        f"# PDFs: {arguments.reviews} synthetic reviews",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Command: `.venv/bin/python benchmarks/bench_pdfs.py --reviews {arguments.reviews}`",
        "",
        "| build | wall time (s) | vs without PDFs |",
        "| --- | ---: | ---: |",
        f"| cold, no PDFs | {without:.1f} | 1.00 |",
        f"| cold, PDFs on (empty cache) | {cold:.1f} | {cold / without:.2f} |",
        f"| one review edited, PDFs on (cache kept) | {edit:.1f} | {edit / without:.2f} |",
        "",
        f"PDFs in the cache after the cold build: {cached}; made again after the edit: {remade}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if arguments.out:
        arguments.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

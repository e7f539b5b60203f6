"""Measure what PDFs cost a build: a cold build of N synthetic reviews without PDFs, the same
with PDFs (empty PDF cache), and a build after one review is edited (the cache kept).

    .venv/bin/python benchmarks/bench_pdfs.py --reviews 1000 --out benchmarks/results/pdfs.md

Each build is ``briefings build`` in a fresh process, timed by the wall clock; Word files are off
in all three, so the difference is the PDFs'. The PDF cache is ``.cache/pdf/`` of the project:
the edit build reports how many PDFs it found there and how many it made again.

    .venv/bin/python benchmarks/bench_pdfs.py --reviews 100 --per-pdf 60

With ``--per-pdf N`` it instead times making the first N PDFs of the corpus (briefings and
7-minute briefings, in path order) one after another in this process, set up as a build's
worker processes are, after one PDF to warm up: the processor time and wall time per PDF,
which other work on the machine disturbs less than whole builds. Each PDF is made twice more in a fresh process to check the bytes are the same.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
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


def print_documents_of(reviews: int, count: int) -> dict:
    """The print documents of the first ``count`` PDFs of ``reviews`` synthetic reviews."""
    sys.path.insert(0, str(REPO))
    from generator.build import Project
    from generator.pipeline.load import load
    from generator.pipeline.printing import print_documents
    from generator.pipeline.render import render
    from generator.pipeline.site_config import markdown_settings
    from generator.pipeline.validate import validate

    with tempfile.TemporaryDirectory() as folder:
        project = Project(make_corpus(Path(folder) / "corpus", reviews, pdfs=True))
        content = validate(load(project.content_dir), warnings=False)
        documents = print_documents(content, render(content), markdown_settings(project.config_file))
    return dict(sorted(documents.items())[:count])


def digest(made: dict[str, bytes]) -> str:
    return hashlib.sha256(b"".join(made[path] for path in sorted(made))).hexdigest()


def per_pdf(reviews: int, count: int) -> str:
    """Make the first ``count`` PDFs of ``reviews`` synthetic reviews in this process; say how
    long each took (the median, and for briefings and 7-minute briefings apart), and whether a
    fresh process makes the same bytes."""
    from generator.pipeline.pdf import forget_made, make_pdfs, start_printing_process

    documents = print_documents_of(reviews, count)
    start_printing_process()  # as each worker process of a build is
    make_pdfs(dict([next(iter(documents.items()))]), workers=1)  # Typst and Markdown set up and warmed up
    forget_made()
    made: dict[str, bytes] = {}
    times: dict[str, float] = {}
    wall = time.perf_counter()
    for path, document in documents.items():
        processor = time.process_time()
        made.update(make_pdfs({path: document}, workers=1))
        times[path] = time.process_time() - processor
    wall = time.perf_counter() - wall
    again = subprocess.run(
        [sys.executable, __file__, "--reviews", str(reviews), "--per-pdf", str(count), "--digest"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    kinds = {
        "briefings": [path for path in made if not path.endswith("-7-minute.pdf")],
        "7-minute briefings": [path for path in made if path.endswith("-7-minute.pdf")],
    }
    each = "; ".join(
        f"{kind} {statistics.median(times[path] for path in paths):.3f} s "
        f"({statistics.median(len(made[path]) for path in paths) / 1000:.0f} KB)"
        for kind, paths in kinds.items()
        if paths
    )
    return (
        f"{len(made)} PDFs of {reviews} synthetic reviews, made one after another in one process: "
        f"{sum(times.values()) / len(made):.3f} s of processor time a PDF on average, median "
        f"{statistics.median(times.values()):.3f} s (medians: {each}); {wall / len(made):.3f} s of wall time "
        f"a PDF, {sum(map(len, made.values())) / len(made) / 1000:.0f} KB a PDF. Made again in a fresh "
        f"process, the bytes are {'the same' if again == digest(made) else 'NOT the same'}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--per-pdf", type=int, metavar="N", help="time making N PDFs in one process instead")
    parser.add_argument("--digest", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.per_pdf:
        if arguments.digest:
            from generator.pipeline.pdf import make_pdfs

            print(digest(make_pdfs(print_documents_of(arguments.reviews, arguments.per_pdf), workers=1)))
        else:
            print(per_pdf(arguments.reviews, arguments.per_pdf))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-pdfs-"))
    try:
        root = make_corpus(work / "corpus", arguments.reviews)
        without = timed_build(root)
        for made in ("briefings", "site", ".cache"):  # cold again: nothing of the first build is reused
            shutil.rmtree(root / made)
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

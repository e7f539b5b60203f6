"""Measure ``briefings collect``: N synthetic reviews published by B boards (each board's own
``learning.json`` in its own folder), collected into one project; then collected again with
nothing changed, and again with one board's file changed.

    .venv/bin/python benchmarks/bench_collect.py --reviews 5000 --boards 150 --out benchmarks/results/collect.md

The boards' files are made from one synthetic corpus (benchmarks/synthetic.py): its open data,
split by review among B boards. Each collect runs in this process, timed by the wall clock
(``--build`` also times ``briefings build`` of the collection, PDFs off, in a fresh process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import make_corpus, project_skeleton  # noqa: E402

from generator.build import Project, check  # noqa: E402
from generator.collecting.run import collect  # noqa: E402
from generator.pipeline.open_data import open_data  # noqa: E402


def boards_files(corpus: Path, boards: int, out: Path) -> list[str]:
    """Each board's learning.json in ``out/board-K/``; the sources' lines of collection.yml."""
    data = json.loads(open_data(check(Project(corpus)))["data/learning.json"])
    reviews = [review["id"] for review in data["reviews"]]
    lines = ["sources:"]
    for board in range(boards):
        mine = set(reviews[board::boards])
        part = {
            **data,
            "publisher": f"Board {board + 1}",
            "items": [item for item in data["items"] if item["review_id"] in mine],
            "reviews": [review for review in data["reviews"] if review["id"] in mine],
        }
        folder = out / f"board-{board + 1}"
        folder.mkdir(parents=True)
        (folder / "learning.json").write_text(json.dumps(part), encoding="utf-8")
        lines += [f"  - key: board-{board + 1}", f"    location: {folder}", f"    region: Region {board % 9 + 1}"]
    return lines


def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--boards", type=int, default=150)
    parser.add_argument("--build", action="store_true", help="also time the build of the collection (PDFs off)")
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-collect-"))
    rows = []
    try:
        corpus = make_corpus(work / "corpus", arguments.reviews)
        sources = boards_files(corpus, arguments.boards, work / "boards")
        root = project_skeleton(work / "collection", "make_pdfs: false\nmake_word: false")
        (root / "content" / "collection.yml").write_text("\n".join(sources) + "\n", encoding="utf-8")
        seconds, first = timed(lambda: collect(root))
        rows.append(("first collect", seconds, len(first.written)))
        seconds, again = timed(lambda: collect(root))
        rows.append(("again, nothing changed", seconds, len(again.written)))
        changed = work / "boards" / "board-1" / "learning.json"
        changed.write_text(changed.read_text(encoding="utf-8").replace('"summary": "', '"summary": "Edited. ', 1))
        seconds, one = timed(lambda: collect(root))
        rows.append(("again, one board's file changed", seconds, len(one.written)))
        if arguments.build:
            command = [sys.executable, "-m", "generator", "build", "--project", str(root)]
            seconds, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True, cwd=REPO))
            rows.append(("briefings build of the collection (PDFs off)", seconds, arguments.reviews))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"# Collecting {arguments.reviews} reviews from {arguments.boards} boards",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Command: `.venv/bin/python benchmarks/bench_collect.py --reviews {arguments.reviews} "
        f"--boards {arguments.boards}{' --build' if arguments.build else ''}`",
        "",
        "| step | wall time (s) | review files written |",
        "| --- | ---: | ---: |",
        *(f"| {name} | {seconds:.1f} | {written} |" for name, seconds, written in rows),
        "",
        f"Peak memory of the collecting process: {peak:.0f} MB.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if arguments.out:
        arguments.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

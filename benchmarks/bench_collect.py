"""Measure ``briefings collect``: N synthetic reviews published by B boards (each board's own
``learning.json`` in its own folder), collected into one project; then collected again with
nothing changed, and again with one board's file changed.

    .venv/bin/python benchmarks/bench_collect.py --reviews 5000 --boards 150 --out benchmarks/results/collect.md

The boards' files are made from one synthetic corpus (benchmarks/synthetic.py): its open data,
split by review among B boards. Each collect is ``briefings collect --no-build`` in a fresh
process, timed by the wall clock, and the peak memory is the largest of those processes'
(``--build`` also times ``briefings build`` of the collection, PDFs off).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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


def run(root: Path, *command: str) -> tuple[float, str]:
    """``briefings COMMAND --project ROOT`` in a fresh process: its wall time and output."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", *command, "--project", str(root)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return time.perf_counter() - start, done.stdout


def written(output: str) -> int:
    return int(re.search(r"(\d+) review file\(s\) written", output).group(1))


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
        seconds, output = run(root, "collect", "--no-build")
        rows.append(("first collect", seconds, written(output)))
        seconds, output = run(root, "collect", "--no-build")
        rows.append(("again, nothing changed", seconds, written(output)))
        changed = work / "boards" / "board-1" / "learning.json"
        changed.write_text(changed.read_text(encoding="utf-8").replace('"summary": "', '"summary": "Edited. ', 1))
        seconds, output = run(root, "collect", "--no-build")
        rows.append(("again, one board's file changed", seconds, written(output)))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if arguments.build:
            seconds, _ = run(root, "build")
            rows.append(("briefings build of the collection (PDFs off)", seconds, arguments.reviews))
    finally:
        shutil.rmtree(work, ignore_errors=True)
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
        f"Peak memory of a collect: {peak:.0f} MB.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if arguments.out:
        arguments.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Time each stage of a build and its peak memory, on the sample content or copies of it.

    .venv/bin/python benchmarks/bench_build.py                 # the five sample reviews
    .venv/bin/python benchmarks/bench_build.py --copies 20     # 100 reviews (each sample x 20)

Each run builds in a fresh temporary project; the table shows the median of --runs runs.
Peak memory is the largest resident set of the process (Linux ru_maxrss), so run one size per
invocation for a clean figure.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from stages import timed_build  # noqa: E402
from synthetic import project_skeleton  # noqa: E402

from generator.build import Project  # noqa: E402


def make_project(root: Path, copies: int) -> Project:
    """A project holding each sample review ``copies`` times, each copy with its own id."""
    reviews = project_skeleton(root) / "content" / "reviews"
    for source in sorted((REPO / "content" / "reviews").glob("*.md")):
        text = source.read_text(encoding="utf-8")
        for copy in range(copies):
            review_id = source.stem if copy == 0 else f"{source.stem}-copy-{copy}"
            (reviews / f"{review_id}.md").write_text(
                text.replace(f"id: {source.stem}", f"id: {review_id}", 1), encoding="utf-8"
            )
    return Project(root)


def one_run(copies: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder), copies)
        times = timed_build(project, pdfs=True)  # cold: the PDF cache is cleared first
        times["site MB"] = sum(p.stat().st_size for p in project.site_dir.rglob("*") if p.is_file()) / 1e6
        index = project.site_dir / "search" / "search_index.json"
        times["search index MB"] = index.stat().st_size / 1e6
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of each sample review (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (default 3)")
    arguments = parser.parse_args()
    runs = [one_run(arguments.copies) for _ in range(arguments.runs)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reviews: {5 * arguments.copies}, runs: {arguments.runs} (median)")
    for key in runs[0]:
        value = statistics.median(run[key] for run in runs)
        unit = "s" if key in ("load", "validate", "render", "pdf", "write", "site (MkDocs)", "total") else ""
        print(f"  {key:<18} {value:10.3f}{unit}" if unit else f"  {key:<18} {value:10.2f}")
    print(f"  {'peak memory MB':<18} {peak_mb:10.1f}")


if __name__ == "__main__":
    main()

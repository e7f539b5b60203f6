"""Time the generator stages of a build (load, validate, render, open data, write) cold, then
with the cache of ``.cache/generate`` after no change, after one review's summary is edited and
after one review is added.

    .venv/bin/python benchmarks/bench_generate.py --reviews 1000 --out /tmp/corpus-1000

The corpus is ``benchmarks/synthetic.py``'s (PDFs and Word files off), made in ``--out`` if it is
not there; the site stage is not run (``bench_incremental.py`` times whole builds). Each line
gives the wall-clock seconds of the whole ``generate`` and of each stage, then the processor
seconds of each (steadier on a shared machine). ``--verify`` then builds the same content cold in
a fresh folder and compares ``briefings/`` byte for byte.
"""

from __future__ import annotations

import argparse
import filecmp
import functools
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import generator.build as pipeline  # noqa: E402
from benchmarks.synthetic import make_corpus  # noqa: E402

STAGES = {"load": "load", "validate": "validate", "render": "render", "open data": "open_data", "write": "write_pages"}
"""Each timed stage, by the name ``generator.build`` calls it by."""

wall: dict[str, float] = {}
cpu: dict[str, float] = {}


def timed(name: str, stage):
    @functools.wraps(stage)
    def run(*arguments, **keywords):
        started, used = time.perf_counter(), time.process_time()
        try:
            return stage(*arguments, **keywords)
        finally:
            wall[name] = wall.get(name, 0.0) + time.perf_counter() - started
            cpu[name] = cpu.get(name, 0.0) + time.process_time() - used

    return run


def one_build(label: str, project: pipeline.Project) -> None:
    wall.clear()
    cpu.clear()
    started, used = time.perf_counter(), time.process_time()
    pipeline.generate(project)
    total, total_cpu = time.perf_counter() - started, time.process_time() - used
    print(f"{label:10} wall {total:6.2f} s: " + ", ".join(f"{name} {wall[name]:.2f}" for name in STAGES), flush=True)
    print(f"{'':10} cpu  {total_cpu:6.2f} s: " + ", ".join(f"{name} {cpu[name]:.2f}" for name in STAGES), flush=True)


def same_folders(left: Path, right: Path) -> bool:
    comparison = filecmp.dircmp(left, right)
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    return (
        not mismatch and not errors and all(same_folders(left / name, right / name) for name in comparison.common_dirs)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=300)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--verify", action="store_true")
    arguments = parser.parse_args()
    for name, attribute in STAGES.items():
        setattr(pipeline, attribute, timed(name, getattr(pipeline, attribute)))
    folder: Path = arguments.out
    reviews = folder / "content" / "reviews"
    spare = folder / "held-back.md"
    if not folder.exists():
        make_corpus(folder, arguments.reviews + 1)
        sorted(reviews.glob("*.md"))[-1].rename(spare)
    shutil.rmtree(folder / ".cache", ignore_errors=True)
    shutil.rmtree(folder / "briefings", ignore_errors=True)
    project = pipeline.Project(folder)
    one_build("cold", project)
    one_build("no change", project)
    edited = sorted(reviews.glob("*.md"))[len(list(reviews.glob("*.md"))) // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    one_build("edit", project)
    added = reviews / f"{sorted(reviews.glob('*.md'))[-1].stem}-added.md"
    shutil.copy(spare, added)
    one_build("addition", project)
    if arguments.verify:
        with tempfile.TemporaryDirectory(prefix="ll-generate-") as fresh:
            cold = pipeline.Project(Path(fresh))
            shutil.copytree(project.content_dir, cold.content_dir)
            shutil.copy(project.config_file, cold.config_file)
            pipeline.generate(cold)
            same = same_folders(project.docs_dir, cold.docs_dir)
            print("briefings/ is the same as a cold build's" if same else "briefings/ DIFFERS from a cold build's")
    edited.write_text(text, encoding="utf-8")
    added.unlink()


if __name__ == "__main__":
    main()

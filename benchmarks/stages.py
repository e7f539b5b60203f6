"""Time each stage of one build of a project, for the benchmarks (bench_build.py, bench_scale.py),
and measure a build's memory with its worker processes (``TreeMemory``).

The stages are the pipeline's own (generator/build.py), called one by one so each can be timed:
load, validate, render, pdf (when PDFs are made), write, then the MkDocs site build.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.build import Project, edition_files, printed, shared_with_workers, split_search  # noqa: E402
from generator.pipeline.generate_cache import GenerateCache  # noqa: E402
from generator.pipeline.load import load  # noqa: E402
from generator.pipeline.pdf import forget_made, make_pdfs  # noqa: E402
from generator.pipeline.printing import print_documents  # noqa: E402
from generator.pipeline.render import render  # noqa: E402
from generator.pipeline.site import TEMPLATES_FOLDER, build_site  # noqa: E402
from generator.pipeline.site_config import markdown_settings  # noqa: E402
from generator.pipeline.validate import validate  # noqa: E402
from generator.pipeline.write import Joined, write_pages  # noqa: E402
from generator.templating import environment, keep_compiled  # noqa: E402

SITE = "site (MkDocs)"
"""The key of the site build's time."""
STAGES = ("load", "validate", "render", "pdf", "write", SITE)
"""Every timed stage, in pipeline order (``pdf`` only when PDFs are made)."""


def timed_build(project: Project, pdfs: bool | None = None) -> dict[str, float]:
    """Build ``project`` once, cold, as ``generator.build.build`` does (its generator cache, the
    site's split search index and its page cache, all starting empty), timing each stage in
    seconds; also ``total`` (their sum), ``pages`` (pages rendered) and ``pdfs`` (PDFs made).
    With ``pdfs`` true the PDFs are always made (and timed as ``pdf``), false never, None as the
    project's settings say (``make_pdfs``). ``.cache/`` is removed first, so nothing is reused."""
    forget_made()
    shutil.rmtree(project.root / ".cache", ignore_errors=True)
    times: dict[str, float] = {}
    STARTED.clear()
    keep_compiled(environment(), project.root / ".cache" / TEMPLATES_FOLDER)
    kept = GenerateCache(project.generate_cache)
    with kept.settled():
        start = mark("load")
        raw = load(project.content_dir, kept=kept)
        times["load"] = time.perf_counter() - start
        start = mark("validate")
        site = validate(raw, kept=kept)
        kept.save()
        kept.let_go("load", "checks")  # as in build()
        kept.set_aside()
        times["validate"] = time.perf_counter() - start
        start = mark("render")
        rendered = render(site, kept=kept, parallel=True)  # as in build()
        pages = TimedPages(rendered)  # each page is rendered as the writer reads it: timed there
        files = edition_files(site, pages, kept)  # with the open data (and Word files, if made) the pages link to
        times["render"] = time.perf_counter() - start
        made: dict[str, bytes] = {}
        if site.settings.make_pdfs if pdfs is None else pdfs:
            start = mark("pdf")
            made = make_pdfs(
                print_documents(site, printed(site, pages), markdown_settings(project.config_file)), project.pdf_cache
            )
            printing = pages.take_seconds()  # the printed pages, rendered again for the PDFs
            times["pdf"] = time.perf_counter() - start - printing
            times["render"] += printing
        start = mark("write")
        write_pages(Joined(made, files), project.docs_dir)
        rendered.close()
        kept.save()
        rendering = pages.take_seconds()
        times["write"] = time.perf_counter() - start - rendering
        times["render"] += rendering
    counts = {"pages": len(pages), "pdfs": len(made)}
    search = {site.language: split_search(site)}  # the synthetic corpora are in English only
    epoch, settings = site.content_epoch(), site.settings
    # as in build(): the site stage needs none of the content, nor the generator's cache (which
    # holds the files it parsed), all gone once build()'s generate() has returned
    del raw, site, pages, rendered, files, made, kept
    start = mark(SITE)
    gc.collect()
    with shared_with_workers():  # as in build()
        build_site(project.config_file, project.site_dir, epoch, settings, search=search, cache_dir=project.site_cache)
    times[SITE] = time.perf_counter() - start
    times["total"] = sum(times.values())
    return {**times, **counts}


class TimedPages(Mapping[str, str]):
    """The rendered pages (``render.Pages``, each rendered when it is read), with the time spent
    rendering them added up, so the render stage can be timed apart from the write that reads
    them."""

    def __init__(self, pages: Mapping[str, str]) -> None:
        self.pages = pages
        self.seconds = 0.0

    def __getitem__(self, path: str) -> str:
        start = time.perf_counter()
        try:
            return self.pages[path]
        finally:
            self.seconds += time.perf_counter() - start

    def __contains__(self, path: object) -> bool:
        return path in self.pages

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)

    def take_seconds(self) -> float:
        """The seconds spent rendering since the last call."""
        seconds, self.seconds = self.seconds, 0.0
        return seconds


STARTED: dict[str, float] = {}
"""When each stage of the last ``timed_build`` began, in seconds since the epoch (``time.time``),
so a memory sampler in another process can tell which stage its peak came in."""


def mark(stage: str) -> float:
    """Note that ``stage`` begins now; return ``time.perf_counter()`` to time it from."""
    STARTED[stage] = time.time()
    return time.perf_counter()


def stage_at(started: dict[str, float], moment: float) -> str:
    """The stage that was running at ``moment`` (seconds since the epoch), by ``started``."""
    running = [stage for stage, begun in sorted(started.items(), key=lambda item: item[1]) if begun <= moment]
    return running[-1] if running else "start"


def memory_kb(pid: int) -> tuple[int, int]:
    """A process's resident set and proportional set size (PSS: each page shared with other
    processes counted as its share, so the PSS of processes sharing pages add up to the memory
    they use together), in KB, from Linux's ``/proc/<pid>/smaps_rollup``; (0, 0) for a process
    that has ended or cannot be read."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith(b"Pss:"):
                    pss = int(line.split()[1])
                    break
    except (OSError, ValueError, IndexError):
        return 0, 0
    return rss, pss


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (Linux's ``/proc/<pid>/task/<tid>/children``)."""
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children", "rb") as listed:
                found.extend(int(child) for child in listed.read().split())
        except (OSError, ValueError):
            continue
    return found


@dataclass
class TreeMemory:
    """The memory of a process and its live descendants (the build and its page-converting
    workers), sampled every ``interval`` seconds from another process while it runs.

    The whole build's memory is the sum of every process's PSS: a page the forked workers still
    share with the build (copy-on-write) is counted once, split between them, where adding up
    their resident sets (RSS) would count it once per process."""

    pid: int
    interval: float = 0.1
    peak_pss_kb: int = 0
    """The largest sum of PSS over the process and its descendants at one moment."""
    peak_at: float = 0.0
    """When that was, in seconds since the epoch."""
    processes_at_peak: int = 0
    main_peak_rss_kb: int = 0
    """The largest RSS of the process itself (as its ``ru_maxrss``, but only as often as sampled)."""
    main_peak_at: float = 0.0
    main_peak_pss_kb: int = 0
    worker_peak_rss_kb: int = 0
    """The largest RSS of any one descendant."""
    samples: int = 0
    timeline: list[tuple[float, int]] = field(default_factory=list)
    """Each sample's time and the whole build's PSS (KB)."""
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        """Take one sample of the process tree."""
        now = time.time()
        rss, pss = memory_kb(self.pid)
        total, processes = pss, 1 if rss else 0
        pending = children(self.pid)
        while pending:
            child = pending.pop()
            child_rss, child_pss = memory_kb(child)
            if child_rss:
                total += child_pss
                processes += 1
                self.worker_peak_rss_kb = max(self.worker_peak_rss_kb, child_rss)
            pending.extend(children(child))
        if rss > self.main_peak_rss_kb:
            self.main_peak_rss_kb, self.main_peak_at = rss, now
        self.main_peak_pss_kb = max(self.main_peak_pss_kb, pss)
        if total > self.peak_pss_kb:
            self.peak_pss_kb, self.peak_at, self.processes_at_peak = total, now, processes
        self.samples += 1
        self.timeline.append((now, total))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> TreeMemory:
        """Sample in a thread of this process until ``stop``."""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def figures(self, started: dict[str, float] | None = None) -> dict[str, object]:
        """The peaks in MB (and the stage the whole build's peak came in, given ``started``)."""
        return {
            "tree_peak_pss_mb": self.peak_pss_kb / 1024,
            "tree_processes_at_peak": self.processes_at_peak,
            "tree_peak_stage": stage_at(started or {}, self.peak_at),
            "main_peak_pss_mb": self.main_peak_pss_kb / 1024,
            "sampled_main_peak_rss_mb": self.main_peak_rss_kb / 1024,
            "main_peak_stage": stage_at(started or {}, self.main_peak_at),
            "sampled_worker_peak_rss_mb": self.worker_peak_rss_kb / 1024,
            "memory_samples": self.samples,
            "tree_peak_pss_mb_by_stage": self.peaks_by_stage(started or {}),
        }

    def peaks_by_stage(self, started: dict[str, float]) -> dict[str, float]:
        """The whole build's largest PSS in each stage, in MB."""
        peaks: dict[str, float] = {}
        for moment, total in self.timeline:
            stage = stage_at(started, moment)
            peaks[stage] = max(peaks.get(stage, 0.0), total / 1024)
        return peaks

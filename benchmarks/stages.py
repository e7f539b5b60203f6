"""Time each stage of one build of a project, for the benchmarks (bench_build.py, bench_scale.py).

The stages are the pipeline's own (generator/build.py), called one by one so each can be timed:
load, validate, render, pdf (when PDFs are made), write, then the MkDocs site build.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.build import Project, edition_files  # noqa: E402
from generator.pipeline.load import load  # noqa: E402
from generator.pipeline.pdf import forget_made, make_pdfs  # noqa: E402
from generator.pipeline.printing import print_documents  # noqa: E402
from generator.pipeline.render import render  # noqa: E402
from generator.pipeline.site import build_site  # noqa: E402
from generator.pipeline.site_config import markdown_settings  # noqa: E402
from generator.pipeline.validate import validate  # noqa: E402
from generator.pipeline.write import write_pages  # noqa: E402

SITE = "site (MkDocs)"
"""The key of the site build's time."""
STAGES = ("load", "validate", "render", "pdf", "write", SITE)
"""Every timed stage, in pipeline order (``pdf`` only when PDFs are made)."""


def timed_build(project: Project, pdfs: bool | None = None) -> dict[str, float]:
    """Build ``project`` once, timing each stage in seconds; also ``total`` (their sum),
    ``pages`` (pages rendered) and ``pdfs`` (PDFs made). With ``pdfs`` true the PDFs are always
    made (and timed as ``pdf``), false never, None as the project's settings say (``make_pdfs``).
    The PDF cache is cleared first, so PDFs are made from scratch."""
    forget_made()
    times: dict[str, float] = {}
    start = time.perf_counter()
    raw = load(project.content_dir)
    times["load"] = time.perf_counter() - start
    start = time.perf_counter()
    site = validate(raw)
    times["validate"] = time.perf_counter() - start
    start = time.perf_counter()
    pages = render(site)
    files = edition_files(site, pages)  # with the open data (and Word files, if made) the pages link to
    times["render"] = time.perf_counter() - start
    made: dict[str, bytes] = {}
    if site.settings.make_pdfs if pdfs is None else pdfs:
        start = time.perf_counter()
        made = make_pdfs(print_documents(site, pages, markdown_settings(project.config_file)))
        times["pdf"] = time.perf_counter() - start
    start = time.perf_counter()
    write_pages({**files, **made}, project.docs_dir)
    times["write"] = time.perf_counter() - start
    counts = {"pages": len(pages), "pdfs": len(made)}
    del raw, pages, files, made  # as in build(): the pages are on disk now and not kept in memory
    start = time.perf_counter()
    build_site(project.config_file, project.site_dir, site.content_epoch(), site.settings)
    times[SITE] = time.perf_counter() - start
    times["total"] = sum(times.values())
    return {**times, **counts}

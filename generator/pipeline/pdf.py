"""Stage: turn print documents into PDF files with WeasyPrint.

A PDF is made again only when what goes into it changed: each one is kept by the hash of its
print document (and WeasyPrint's version), in memory for the life of the process (``briefings
serve`` rebuilds often) and, given a cache folder, on disk between builds, so an edit remakes only
the edited review's PDFs. The PDFs still to make are made in parallel, one process per core. A
document WeasyPrint cannot print fails the build with the name of the document and the content
file it came from.

Each process sets WeasyPrint up once (``_weasyprint``): one font configuration (fontconfig's
fonts and Pango's font map, with their caches) serves every document it prints. The worker
processes also collect garbage less often (``start_printing_process``). The PDFs are the same,
byte for byte.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.errors import LearningLessonsError
from generator.pipeline.printing import PrintDocument

_made: dict[str, bytes] = {}
"""PDFs made or read by the last run in this process, by their key."""

PARALLEL_FROM = 6
"""Fewer PDFs than this to make are made in this process: starting workers would cost more."""

GC_THRESHOLD = 20_000
"""How many new objects a worker makes before the garbage collector looks at the newest (Python's
default is 700): WeasyPrint makes and drops a great many as it lays a document out."""

JOBS_PER_WORKER = 32
"""The PDFs to make are handed to the workers in about this many batches each, small enough
that no worker is left with a long batch while the others have finished."""


class PdfBuildError(LearningLessonsError):
    """A PDF could not be made; the previous site is left as it was."""


def make_pdfs(
    documents: dict[str, PrintDocument], cache: Path | None = None, workers: int | None = None
) -> dict[str, bytes]:
    """Every document as PDF bytes, keyed by the same paths. ``cache`` is a folder that keeps the
    PDFs between builds (made if missing; PDFs no document needs any more are removed from it);
    ``workers`` the most processes to make PDFs in (default: one per core)."""
    global _made
    keys = {path: _key(document) for path, document in documents.items()}
    known = {key: _known(key, cache) for key in sorted(set(keys.values()))}
    to_make = {keys[path]: (path, documents[path]) for path in sorted(documents) if known[keys[path]] is None}
    for key, pdf in zip(to_make, _print_all(list(to_make.values()), workers), strict=True):
        known[key] = pdf
        if cache is not None:
            _keep(cache, key, pdf)
    _made = {key: pdf for key, pdf in known.items() if pdf is not None}
    if cache is not None:
        _forget_others(cache, set(_made))
    return {path: _made[key] for path, key in sorted(keys.items())}


def forget_made() -> None:
    """Forget the PDFs made in this process (for timing a cold build)."""
    _made.clear()


def _key(document: PrintDocument) -> str:
    recipe = "\0".join((version("weasyprint"), str(document.max_pages), *document.versions))
    return hashlib.sha256(recipe.encode("utf-8")).hexdigest()


def _known(key: str, cache: Path | None) -> bytes | None:
    """A PDF made earlier in this process (then kept in ``cache`` too) or kept in ``cache``."""
    pdf = _made.get(key)
    if pdf is None:
        return _cached(cache, key)
    if cache is not None and not (cache / f"{key}.pdf").is_file():
        _keep(cache, key, pdf)
    return pdf


def _cached(cache: Path | None, key: str) -> bytes | None:
    """A PDF kept in the cache, if it is there whole (a build killed while writing leaves none)."""
    if cache is None:
        return None
    try:
        pdf = (cache / f"{key}.pdf").read_bytes()
    except OSError:
        return None
    return pdf if pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") else None


def _keep(cache: Path, key: str, pdf: bytes) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f"{key}.pdf.partial"
    partial.write_bytes(pdf)
    partial.replace(cache / f"{key}.pdf")


def _forget_others(cache: Path, keep: set[str]) -> None:
    for file in cache.glob("*.pdf*") if cache.is_dir() else ():
        if file.name.split(".")[0] not in keep:
            file.unlink(missing_ok=True)


def _print_all(jobs: list[tuple[str, PrintDocument]], workers: int | None) -> Iterable[bytes]:
    """The PDFs of ``jobs``, in order: in worker processes when there are enough of them."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        return [_print(path, document) for path, document in jobs]
    # forkserver: the workers start from a clean process, not a copy of one that may run threads
    # (the preview's file watcher, a test's background build).
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_printing_process) as pool:
        return list(pool.map(_print_job, jobs, chunksize=max(1, len(jobs) // (workers * JOBS_PER_WORKER))))


def start_printing_process() -> None:
    """Set up a process whose work is making PDFs (each worker, once, before its first PDF):
    WeasyPrint loaded, and the garbage collector tuned for it. It no longer walks what is
    loaded by now, which stays for the process's life, and it looks at new objects less often.
    Each PDF takes about a tenth less time, for a few MB more memory."""
    _weasyprint()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _print_job(job: tuple[str, PrintDocument]) -> bytes:
    return _print(*job)


@functools.cache
def _weasyprint() -> tuple[ModuleType, Any]:
    """WeasyPrint (slow to import; only builds that make PDFs need it) and the one font
    configuration every document printed in this process shares: the fonts are found, loaded
    and measured once, not for each document."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint, weasyprint.text.fonts.FontConfiguration()


def _print(path: str, document: PrintDocument) -> bytes:
    """The first version of ``document`` that fits its page limit, as PDF bytes."""
    weasyprint, fonts = _weasyprint()
    try:
        for html in document.versions:
            rendered = weasyprint.HTML(string=html).render(font_config=fonts)
            if document.max_pages is None or len(rendered.pages) <= document.max_pages:
                return rendered.write_pdf(font_config=fonts)
    except Exception as error:  # WeasyPrint raises many kinds; all mean this document failed
        raise PdfBuildError(f"could not make {path} (from {document.source}): {error}") from error
    raise PdfBuildError(
        f"{path} (from {document.source}) does not fit on {document.max_pages} pages even in the smallest "
        "type; shorten its learning points, questions or summary"
    )

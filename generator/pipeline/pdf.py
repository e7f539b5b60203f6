"""Stage: turn print documents (Typst source) into PDF files with Typst.

A PDF is made again only when what goes into it changed: each one is kept by the hash of what
it is made from (``PrintDocument.recipe``: the rendered print template, the page, and what
converts the page), Typst's version and the fonts it may use, in memory for the life of the
process (``briefings serve`` rebuilds often) and, given a cache folder, on disk between builds,
so an edit remakes only the edited review's PDFs. A PDF read back is never converted. When there are many PDFs to make, they are made in
parallel, one process per core. A document Typst cannot make fails the build with the name of
the document and the content file it came from.

Each process sets Typst up once (``_compiler``): one compiler, with its fonts found and loaded
once, makes every document. The fonts are DejaVu Sans's folder when the machine has one of the
usual folders (Debian's ``fonts-dejavu-core``), so a PDF does not depend on what other fonts are
installed; otherwise every font of the system. A document gives its own creation date (the
review's publication date), so the same source always gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.errors import LearningLessonsError
from generator.pipeline.printing import PrintDocument

_made: dict[str, bytes] = {}
"""PDFs made or read by the last run in this process, by their key."""

PARALLEL_FROM = 40
"""Fewer PDFs than this to make are made in this process: starting workers (about 0.3 s each,
Python and the generator imported again) would cost more than it saves."""

FONT_FOLDERS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts/dejavu",
)
"""Folders where systems keep DejaVu Sans, the print template's font; the first that has it is
the only folder of fonts the PDFs use (with the fonts built into Typst)."""

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
    recipe = "\0".join((version("typst"), _fonts_fingerprint(), *document.recipe()))
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
    """Keep a PDF in the cache; one that cannot be kept (a full disk, a file in the way) is only
    made again next time."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f"{key}.pdf.partial"
        partial.write_bytes(pdf)
        partial.replace(cache / f"{key}.pdf")
    except OSError:
        pass


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
    Typst's compiler made, with its fonts found and loaded."""
    _compiler()


def _print_job(job: tuple[str, PrintDocument]) -> bytes:
    return _print(*job)


@functools.cache
def _font_book() -> Any:
    """The fonts Typst is given: the system's, with DejaVu Sans's folder first where it is found
    (the PDFs are set in DejaVu Sans; the other fonts are there for characters it does not have).
    Found once per process (Typst is imported only by builds that make PDFs)."""
    import typst

    folders = [folder for folder in FONT_FOLDERS if (Path(folder) / "DejaVuSans.ttf").is_file()][:1]
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True, font_paths=folders)


@functools.cache
def _fonts_fingerprint() -> str:
    """A hash of every font Typst is given: their files' names and sizes, so a changed font makes
    the PDFs again."""
    files = sorted({info.path for info in _font_book().fonts() if info.path})
    fingerprint = "\n".join(f"{file}:{os.path.getsize(file)}" for file in files)
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()


@functools.cache
def _compiler() -> Any:
    """The Typst compiler of this process, with its fonts loaded once for every document it makes."""
    import typst

    return typst.Compiler(font_paths=_font_book())


def _page_count(pdf: bytes) -> int:
    """How many pages a PDF has, read from its page tree (not from its bytes: the title and
    summary in its properties are the content's own words)."""
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _print(path: str, document: PrintDocument) -> bytes:
    """The first version of ``document`` that fits its page limit, as PDF bytes."""
    compiler = _compiler()
    try:
        for source in document.versions:
            pdf = compiler.compile(input=source.encode("utf-8"), format="pdf")
            if document.max_pages is None or _page_count(pdf) <= document.max_pages:
                return bytes(pdf)
    except BaseException as error:  # typst.TypstError, the binding's own failures, a panic in Typst
        if not isinstance(error, RuntimeError) and type(error).__name__ != "PanicException":
            raise
        message = getattr(error, "message", None) or str(error)
        raise PdfBuildError(f"could not make {path} (from {document.source}): {message}") from error
    raise PdfBuildError(
        f"{path} (from {document.source}) does not fit on {document.max_pages} pages even in the smallest "
        "type; shorten its learning points, questions or summary"
    )

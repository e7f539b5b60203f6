"""Stage: turn print documents into PDF files with WeasyPrint.

A PDF is made again only when its print document changed since the last run in this process
(``briefings serve`` rebuilds often); a document WeasyPrint cannot print fails the build with
the name of the document and the content file it came from.
"""

from __future__ import annotations

import hashlib
import logging

from generator.errors import LearningLessonsError
from generator.pipeline.printing import PrintDocument

_made: dict[str, bytes] = {}
"""PDFs made by the last run, by the hash of their print document."""


class PdfBuildError(LearningLessonsError):
    """A PDF could not be made; the previous site is left as it was."""


def _print(path: str, document: PrintDocument, weasyprint) -> bytes:
    """The first version of ``document`` that fits its page limit, as PDF bytes."""
    try:
        for html in document.versions:
            rendered = weasyprint.HTML(string=html).render()
            if document.max_pages is None or len(rendered.pages) <= document.max_pages:
                return rendered.write_pdf()
    except Exception as error:  # WeasyPrint raises many kinds; all mean this document failed
        raise PdfBuildError(f"could not make {path} (from {document.source}): {error}") from error
    raise PdfBuildError(
        f"{path} (from {document.source}) does not fit on {document.max_pages} pages even in the smallest "
        "type; shorten its learning points, questions or summary"
    )


def make_pdfs(documents: dict[str, PrintDocument]) -> dict[str, bytes]:
    """Every document as PDF bytes, keyed by the same paths."""
    import weasyprint  # slow to import; only builds that make PDFs need it

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    global _made
    made: dict[str, bytes] = {}
    pdfs: dict[str, bytes] = {}
    for path, document in sorted(documents.items()):
        key = hashlib.sha256("\0".join(document.versions).encode("utf-8")).hexdigest()
        if key not in _made:
            _made[key] = _print(path, document, weasyprint)
        made[key] = pdfs[path] = _made[key]
    _made = made
    return pdfs

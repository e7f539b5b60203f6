"""Report files made from a report's text, as a board might have them: a PDF (WeasyPrint, with a
running header and "Page N of M" footer on every page, as reports have) and a Word .docx
(python-docx) whose page breaks fall where the PDF's pages do, so that both carry page numbers. Used by the import tests and benchmarks/bench_import.py."""

from __future__ import annotations

import html
import re
from pathlib import Path

HEADING = re.compile(r"^\*\*(.+?)\*\*$|^(\d{1,2}\.?\s+[A-Z][^.]{0,70}|[A-Z][A-Z ,'’&()-]{6,})$")
"""A line set as a heading: bold on its own, or a short numbered or capitalised title line."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("**", "").splitlines() if line.strip()]


def _html(text: str) -> str:
    paragraphs = []
    for number, line in enumerate(_lines(text)):
        tag = "h2" if HEADING.match(line) and len(line.split()) <= 12 else "p"
        paragraphs.append(f'<{tag} id="p{number}">{html.escape(line)}</{tag}>')
    style = (
        "@page { size: A4; margin: 2cm; @top-right { content: 'Serious Case Review' }"
        " @bottom-center { content: 'Page ' counter(page) ' of ' counter(pages) } }"
        " body { font: 11pt serif } h2 { font-size: 14pt }"
    )
    return f"<html><head><style>{style}</style></head><body>{''.join(paragraphs)}</body></html>"


def make_pdf(text: str, path: Path) -> list[int]:
    """Write the text as a PDF; the page each line is on."""
    import weasyprint

    document = weasyprint.HTML(string=_html(text)).render()
    document.write_pdf(path)
    page_of: dict[int, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            page_of.setdefault(int(anchor[1:]), number)
    return [page_of.get(index, 1) for index in range(len(_lines(text)))]


def make_docx(text: str, path: Path, pages: list[int] | None = None) -> None:
    """Write the text as a Word document, with a page break wherever ``pages`` (each line's
    page) moves on."""
    import docx

    document = docx.Document()
    previous = 1
    for index, line in enumerate(_lines(text)):
        page = pages[index] if pages else 1
        if HEADING.match(line) and len(line.split()) <= 12:
            paragraph = document.add_heading(level=2)
        else:
            paragraph = document.add_paragraph()
        if page != previous:
            paragraph.add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
            previous = page
        paragraph.add_run(line)
    document.save(str(path))


def make_html(text: str, path: Path) -> None:
    path.write_text(_html(text), encoding="utf-8")

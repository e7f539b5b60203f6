"""Report files made from a report's text, as a board might have them: a PDF (Typst, with a
running header and "Page N of M" footer on every page, as reports have) and a Word .docx
(python-docx) whose page breaks fall where the PDF's pages do, so that both carry page numbers. Used by the import tests and benchmarks/bench_import.py."""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path

from generator.templating import typst_text

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


TYPST_PAGE = """\
#set page(paper: "a4", margin: 2cm, header: align(right, text(size: 12pt)[Serious Case Review]),
  footer: context align(center, text(size: 12pt)[Page #counter(page).display("1 of 1", both: true)]))
#set text(font: "DejaVu Serif", size: 11pt, top-edge: "ascender", bottom-edge: "descender")
#set par(leading: 0.164em, spacing: 1.164em)
#show heading: set text(size: 14pt)
#show heading: set block(above: 11.62pt + 0.164em, below: 11.62pt + 0.164em)
#let line(number, body) = [#context metadata((number, here().page()))#body]
"""
"""The report's page: A4, 2 cm margins, its kind at the top right and "Page N of M" at the foot,
lines and paragraphs spaced as a web browser spaces them; each line leaves the page it starts
on for ``make_pdf`` to read back."""


def _typst(text: str) -> str:
    lines = []
    for number, line in enumerate(_lines(text)):
        heading = HEADING.match(line) and len(line.split()) <= 12
        body = f"#heading(level: 2)[{typst_text(line)}]" if heading else typst_text(line)
        lines.append(f"#line({number}, [{body}])")
    return TYPST_PAGE + "\n\n".join(lines) + "\n"


def make_pdf(text: str, path: Path) -> list[int]:
    """Write the text as a PDF; the page each line is on."""
    import typst

    with tempfile.TemporaryDirectory() as folder:  # Typst reads back a document from a file only
        source = Path(folder) / "report.typ"
        source.write_text(_typst(text), encoding="utf-8")
        compiler = typst.Compiler(input=source)
        path.write_bytes(compiler.compile(format="pdf"))
        page_of = dict(json.loads(compiler.query("metadata", field="value")))
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

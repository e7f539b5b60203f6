"""Read a report as a board has it (PDF with a text layer, Word .docx, HTML or plain text) into
blocks of text in reading order, each with the page it is on where the format has pages.

Bad input is refused with one line saying what is wrong and what to do (``ImportFailure``),
before anything is written: an empty or very large file, an encrypted, damaged or scanned PDF,
an old Word ``.doc``, a file that is not text at all.
"""

from __future__ import annotations

import re
import statistics
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024
"""The largest report read (50 MB): a 100-page report with pictures is a few MB; a bigger file is
refused by its size before any of it is read."""

MIN_TEXT_PER_PAGE = 40
"""Fewer characters of text than this on an average page means a PDF has no text layer (scanned)."""

Progress = Callable[[int, int], None]
"""Told ``(page done, pages)`` as a long report is read."""


class ImportFailure(Exception):
    """A report that cannot be imported: the message is one line, saying what to do."""


@dataclass(frozen=True)
class Block:
    """A paragraph (or heading, or list item) of the report."""

    text: str
    """Its text, on one line."""
    page: int | None
    """The page it starts on, where the format has pages (PDF; Word when it records page breaks)."""
    line: int
    """Its place in the file: the line of a text file, else the paragraph's number in reading order."""
    by_line: bool = False
    """Whether ``line`` is a line of a text file (else the block's number in reading order)."""
    heading: int | None = None
    """Its heading level (1 = the largest) where the format says so (Word styles, HTML, PDF font
    size); ``None`` for body text, or where the format does not say."""


def read_report(path: Path, progress: Progress | None = None) -> list[Block]:
    """The report's blocks, or ``ImportFailure`` with one line saying why it cannot be read."""
    if not path.is_file():
        raise ImportFailure(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise ImportFailure(f"{path}: the file is empty; export the report again and import that file")
    if size > MAX_BYTES:
        raise ImportFailure(
            f"{path}: the file is {size // (1024 * 1024)} MB, more than the {MAX_BYTES // (1024 * 1024)} MB a "
            "report can be; save a copy without pictures (e.g. print it to PDF) and import that"
        )
    with path.open("rb") as file:
        start = file.read(8)
    suffix = path.suffix.lower()
    if start.startswith(b"%PDF"):
        blocks = _read_pdf(path, progress)
    elif start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailure(
            f"{path}: this is an old Word (.doc) file, which cannot be read; open it in Word or LibreOffice, "
            "save it as .docx (or PDF) and import that"
        )
    elif start.startswith(b"PK\x03\x04"):
        if suffix not in (".docx", ".docm"):
            raise ImportFailure(
                f"{path}: a zip file that is not a Word document; import the report as .docx, PDF, HTML or text"
            )
        blocks = _read_docx(path)
    elif suffix == ".pdf":
        raise ImportFailure(
            f"{path}: this is not a PDF file (it does not start as one); it may be damaged: download it again"
        )
    elif suffix == ".docx":
        raise ImportFailure(f"{path}: this is not a Word .docx file; it may be damaged: save it again from Word")
    else:
        text = _decode(path)
        blocks = _read_html(text) if suffix in (".html", ".htm") or _looks_like_html(text) else _read_text(text)
    if not any(block.text for block in blocks):
        raise ImportFailure(f"{path}: the file has no text in it; check it is the report and import it again")
    return blocks


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ImportFailure(f"{path}: this is not a report that can be read (not PDF, Word .docx, HTML or text)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailure(f"{path}: the text is in an unknown encoding; save it as UTF-8 text and import that")


def _looks_like_html(text: str) -> bool:
    return re.match(r"\s*(<!doctype html|<html)", text, re.IGNORECASE) is not None


def _clean(text: str) -> str:
    """One line of text: Markdown bold and stray spaces dropped."""
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def _read_text(text: str) -> list[Block]:
    """Plain text: each line is a block (a paragraph is one line in exported reports); a form
    feed starts a new page, as ``pdftotext`` writes them."""
    pages = "\f" in text
    blocks: list[Block] = []
    page = 1
    for number, line in enumerate(text.split("\n"), start=1):
        page += line.count("\f")
        heading = len(match.group(1)) if (match := re.match(r"\s*(#{1,6})\s", line)) else None
        cleaned = _clean(line.replace("\f", "").lstrip("#"))
        if cleaned:
            blocks.append(Block(cleaned, page if pages else None, number, True, heading))
    return blocks


def _read_html(text: str) -> list[Block]:
    """HTML: headings, paragraphs and list items in document order (BeautifulSoup)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for hidden in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        hidden.decompose()
    names = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "dt", "dd", "pre"]
    blocks: list[Block] = []
    for element in soup.find_all(names):
        if element.find(names):  # a list item holding paragraphs: its paragraphs are read instead
            continue
        cleaned = _clean(element.get_text(" "))
        if cleaned:
            heading = int(element.name[1]) if element.name[0] == "h" and element.name[1:].isdigit() else None
            blocks.append(
                Block(("- " if element.name == "li" else "") + cleaned, None, len(blocks) + 1, heading=heading)
            )
    return blocks


def _read_docx(path: Path) -> list[Block]:
    """Word: paragraphs in order, headings from their styles; pages from the page breaks Word
    records (explicit breaks, and where it last laid the pages out)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ImportFailure(f"{path}: the Word file is damaged and cannot be opened; save it again from Word") from None
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    has_pages = document.element.body.find(f".//{namespace}lastRenderedPageBreak") is not None or any(
        br.get(f"{namespace}type") == "page" for br in document.element.body.iter(f"{namespace}br")
    )
    blocks: list[Block] = []
    page = 1
    # The body's paragraphs in order, each with its XML (``Document.element`` is python-docx's
    # public handle on the document's XML), to count the page breaks in it.
    for element in document.element.body.iterchildren(f"{namespace}p"):
        paragraph = Paragraph(element, document)
        breaks = len(element.findall(f".//{namespace}lastRenderedPageBreak")) + sum(
            1 for br in element.iter(f"{namespace}br") if br.get(f"{namespace}type") == "page"
        )
        text = _clean(paragraph.text)
        starts_page = breaks and not _text_before_break(element, namespace)
        page += breaks
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"(Heading|Title)\s*(\d?)", style)
        heading = (int(level.group(2) or 1) if level.group(1) == "Heading" else 1) if level else None
        bullet = "- " if "List" in style else ""
        shown_page = (page if starts_page else page - breaks) if has_pages else None
        blocks.append(Block(bullet + text, shown_page, len(blocks) + 1, heading=heading))
    return blocks


def _text_before_break(element, namespace: str) -> bool:
    """Whether a paragraph has text before its first page break (so it starts on the page before)."""
    for node in element.iter():
        if node.tag == f"{namespace}t" and (node.text or "").strip():
            return True
        if node.tag == f"{namespace}lastRenderedPageBreak" or (
            node.tag == f"{namespace}br" and node.get(f"{namespace}type") == "page"
        ):
            return False
    return False


def _read_pdf(path: Path, progress: Progress | None) -> list[Block]:
    """PDF (pypdf): the text of each page, its lines grouped into paragraphs by the space between
    them; a line in larger type than the body is a heading."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportFailure(
                f"{path}: the PDF is protected by a password; save an unprotected copy (or print it to PDF) and import that"
            )
        pages = list(reader.pages)
    except ImportFailure:
        raise
    except (PdfReadError, DependencyError, ValueError, KeyError, TypeError, OSError) as failure:
        if "decrypt" in str(failure).lower() or "crypt" in type(failure).__name__.lower():
            raise ImportFailure(
                f"{path}: the PDF is encrypted in a way that cannot be read; save an unprotected copy and import that"
            ) from None
        raise ImportFailure(f"{path}: the PDF is damaged and cannot be read; download or export it again") from None
    lines: list[tuple[int, float, float, str]] = []  # page, y from the top, type size, text
    for number, page in enumerate(pages, start=1):
        found: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font_dict, font_size, found=found):
            if text.strip():
                scale = abs(tm[3] * cm[3]) or 1.0
                found.append((-(tm[5] * cm[3] + cm[5]), round(font_size * scale, 1), text))

        try:
            page.extract_text(visitor_text=visit)
        except Exception:  # pypdf raises many kinds on a broken page; the page is then skipped
            continue
        lines += _page_lines(number, found)
        if progress:
            progress(number, len(pages))
    characters = sum(len(text) for *_, text in lines)
    if characters < MIN_TEXT_PER_PAGE * max(len(pages), 1):
        raise ImportFailure(
            f"{path}: the PDF has no text layer (it looks scanned); run OCR on it first, for example "
            f"'ocrmypdf {path.name} {path.stem}-ocr.pdf', and import the new file"
        )
    return _paragraphs(_without_running_lines(lines, len(pages)))


PAGE_NUMBER = re.compile(r"^(page\s*)?\d+(\s*(of|/)\s*\d+)?$", re.IGNORECASE)
"""A line that is only a page number: ``12``, ``Page 3``, ``Page 3 of 17``."""


def _without_running_lines(
    lines: list[tuple[int, float, float, str]], pages: int
) -> list[tuple[int, float, float, str]]:
    """The lines without page numbers and running headers and footers: short lines that come
    back in the same place, numbers aside, on at least half the pages (and on three or more). A
    title that reads like the running header is kept: it is elsewhere on its page."""

    def shape(line: tuple[int, float, float, str]) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line[3].lower()), round(line[1] / 6)

    on_pages: dict[tuple[str, int], set[int]] = {}
    for line in lines:
        if len(line[3].split()) <= 12:
            on_pages.setdefault(shape(line), set()).add(line[0])
    running = {key for key, found in on_pages.items() if len(found) >= max(3, pages // 2)}
    return [line for line in lines if not PAGE_NUMBER.match(line[3]) and shape(line) not in running]


def _page_lines(page: int, found: list[tuple[float, float, str]]) -> list[tuple[int, float, float, str]]:
    """Fragments on the same baseline joined into lines, top to bottom."""
    merged: dict[float, tuple[float, list[str]]] = {}
    for y, size, text in found:
        key = next((known for known in merged if abs(known - y) < 2), y)
        old_size, parts = merged.setdefault(key, (size, []))
        parts.append(text.replace("\n", " "))
        merged[key] = (max(old_size, size), parts)
    return [(page, y, size, _clean("".join(parts))) for y, (size, parts) in sorted(merged.items())]


def _paragraphs(lines: list[tuple[int, float, float, str]]) -> list[Block]:
    """Lines joined into paragraphs: a wider gap than between the lines of a paragraph, a
    change of type size, or a numbered or bulleted line starts a new one."""
    lines = [line for line in lines if line[3]]
    if not lines:
        return []
    gaps = [b[1] - a[1] for a, b in zip(lines, lines[1:], strict=False) if a[0] == b[0] and b[1] > a[1]]
    spacing = statistics.median(gaps) if gaps else 14.0
    body = statistics.median(size for *_, size, _text in lines)
    blocks: list[Block] = []
    current: list[str] = []
    first = lines[0]
    previous = None
    for line in lines:
        page, y, size, text = line
        new = (
            previous is None
            or page != previous[0]
            and (_starts_item(text) or previous[3].endswith((".", ":", "?")))
            or page == previous[0]
            and (y - previous[1] > spacing * 1.4 or abs(size - previous[2]) > 0.5 or _starts_item(text))
        )
        if new and current:
            blocks.append(_pdf_block(current, first, body, len(blocks) + 1))
            current = []
        if new:
            first = line
        current.append(text)
        previous = line
    blocks.append(_pdf_block(current, first, body, len(blocks) + 1))
    return blocks


def _starts_item(text: str) -> bool:
    return re.match(r"(- |• |\d+(\.\d+)*\.?\s|\(?[a-z]\)\s)", text) is not None


def _pdf_block(parts: list[str], first: tuple[int, float, float, str], body: float, number: int) -> Block:
    size = first[2]
    heading = (1 if size > body * 1.5 else 2 if size > body * 1.2 else 3) if size > body + 0.5 else None
    return Block(_clean(" ".join(parts)), first[0], number, heading=heading)

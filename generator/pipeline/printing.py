"""Print documents: the briefing and 7-minute briefing pages as Typst documents for PDF.

The printed documents are made from the same Markdown as the web pages, so the two never
differ: the page is converted to HTML with the site's Markdown settings, the HTML to Typst markup
(``typst_markup``), and the print template (``print.typ.j2``) gives it its page, look and
properties. Links to other pages of the site become full addresses when ``site_url`` is set, and
plain text otherwise. Like ``render``, this writes nothing.

The template is rendered here, for each document; the page's conversion, most of the work, is
left to whoever makes the PDF (``PrintDocument.versions``), so that it is done only for the
PDFs not already made, and in the processes that make them. What a document is made from
(``PrintDocument.recipe``) is known without converting it.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import markdown

from generator.model import addresses
from generator.model.content import Content, ReviewEntry
from generator.model.dates import or_not_dated
from generator.model.schema import Review
from generator.pipeline.site_config import MarkdownSettings
from generator.pipeline.typst_markup import to_typst
from generator.templating import display_date, environment

SEVEN_MINUTE_PAGES = 2
"""A 7-minute briefing prints on at most this many A4 pages."""
SEVEN_MINUTE_FONT_SIZES = (9.0, 8.4, 7.8, 7.2)
"""Font sizes (pt) tried in turn until a 7-minute briefing fits on its pages."""


BODY = "\x00page\x00"
"""Where the page's text goes in a rendered print template (``PrintDocument.frames``)."""
CONVERSION_LIBRARIES = ("markdown", "pymdown-extensions")
"""The libraries whose versions decide how a page converts (``conversion_digest``)."""


@dataclass(frozen=True)
class PrintDocument:
    """One document to turn into a PDF."""

    frames: tuple[str, ...]
    """The Typst document's page, look and properties (the print template), with ``BODY`` where the
    page's text goes; in one or more versions in order of preference (smaller type each time),
    the first that fits ``max_pages`` being used."""
    page: str
    """The generated Markdown page it prints."""
    page_path: str
    """The page's path, which its links are relative to."""
    site_url: str | None
    """The site's address, that links to other pages become full addresses with."""
    markdown: MarkdownSettings
    """The site's Markdown settings, as the web page is converted with."""
    source: str
    """The content file it comes from, for error messages."""
    max_pages: int | None = None
    """The most pages the PDF may have, if limited."""

    @property
    def versions(self) -> tuple[str, ...]:
        """The complete Typst documents, in order of preference (the page converted now)."""
        body = to_typst(_page_html(self.page, self.page_path, self.site_url, self.markdown))
        return tuple(frame.replace(BODY, body, 1) for frame in self.frames)

    def recipe(self) -> tuple[str, ...]:
        """Everything the document is made from, for a cache's key: the rendered template, the
        page and what its conversion depends on (its settings, the code and libraries' versions)."""
        settings = repr((self.markdown.extensions, sorted(self.markdown.configs.items())))
        where = (self.page_path, self.site_url or "", settings, conversion_digest())
        return (*self.frames, self.page, *where, str(self.max_pages))


def print_documents(
    content: Content, pages: Mapping[str, str], markdown_settings: MarkdownSettings
) -> dict[str, PrintDocument]:
    """The Typst document of every briefing and 7-minute briefing, keyed by its PDF's path."""
    documents = {}
    for entry in content.reviews:
        for page_path, pdf_path in addresses.printed(entry.review.id).items():
            seven = page_path.startswith("seven-minute/")
            kind, sizes = ("seven-minute", SEVEN_MINUTE_FONT_SIZES) if seven else ("briefing", (10.0,))
            documents[pdf_path] = PrintDocument(
                tuple(_document(content, entry, kind, size) for size in sizes),
                pages[page_path],
                page_path,
                content.settings.site_url,
                markdown_settings,
                entry.source,
                SEVEN_MINUTE_PAGES if seven else None,
            )
    return documents


@functools.cache
def conversion_digest() -> str:
    """A hash of what converts a page to Typst markup besides the page and its settings: this
    module, ``typst_markup``, the templating module (its ``typst`` filter escapes the text) and
    the Markdown libraries' versions."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for module in (here / "printing.py", here / "typst_markup.py", here.parent / "templating.py"):
        digest.update(module.read_bytes())
    for library in CONVERSION_LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{library} not installed\n".encode())
    return digest.hexdigest()


_converters = threading.local()
"""Each thread's Markdown converters, by the ``repr`` of their settings (``_converter``)."""


def _converter(settings: MarkdownSettings) -> markdown.Markdown:
    """A Markdown converter with ``settings``, made once per thread and settings, ready for a new
    page: setting its extensions up costs more than a short page's conversion."""
    made = _converters.__dict__.setdefault("by_settings", {})
    key = repr(settings)
    if key not in made:
        made[key] = markdown.Markdown(extensions=settings.extensions, extension_configs=settings.configs)
    return made[key].reset()


def _page_html(page: str, page_path: str, site_url: str | None, settings: MarkdownSettings) -> str:
    """A generated Markdown page as HTML, its front matter dropped and its links made to work
    outside the site."""
    text = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    html = _converter(settings).convert(text)
    return re.sub(
        r'<a ([^>]*?)href="([^"]*)"([^>]*)>(.*?)</a>', lambda m: _link(m, page_path, site_url), html, flags=re.S
    )


def _link(match: re.Match, page_path: str, site_url: str | None) -> str:
    before, href, rest, text = match.groups()
    if re.match(r"^(https?:|mailto:)", href) or href.startswith("#"):
        return match.group(0)
    if not site_url:
        return text
    target, _, anchor = href.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target))
    if resolved.endswith("index.md"):
        resolved = resolved.removesuffix("index.md")
    elif resolved.endswith(".md"):
        resolved = resolved.removesuffix(".md") + "/"
    address = site_url.rstrip("/") + "/" + resolved + (f"#{anchor}" if anchor else "")
    return f'<a {before}href="{address}"{rest}>{text}</a>'


def _document(content: Content, entry: ReviewEntry, kind: str, font_size: float) -> str:
    review = entry.review
    return (
        environment()
        .get_template("print.typ.j2")
        .render(
            content=content,
            s=content.strings,
            review=review,
            body=BODY,
            kind=kind,
            font_size=font_size,
            published=display_date(review.published, content.strings),
            created=_creation_date(review),
        )
    )


def _creation_date(review: Review) -> tuple[int, int, int] | None:
    """The publication date as the PDF's creation date (year, month, day; the first month or day
    for a date given as a month or a year); ``None`` when not dated."""
    published = or_not_dated(review.published)
    if not published.dated:
        return None
    year, month, day = (*published.parts, 1, 1)[:3]
    return year, month, day

"""Print documents: the briefing and 7-minute briefing pages as standalone HTML for PDF.

The printed documents are made from the same Markdown as the web pages, so the two never
differ; links to other pages of the site become full addresses when ``site_url`` is set, and
plain text otherwise. Like ``render``, this writes nothing.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import markdown

from generator.model import addresses
from generator.model.content import Content, ReviewEntry
from generator.model.dates import or_not_dated
from generator.pipeline.site_config import MarkdownSettings
from generator.templating import display_date, environment

SEVEN_MINUTE_PAGES = 2
"""A 7-minute briefing prints on at most this many A4 pages."""
SEVEN_MINUTE_FONT_SIZES = (9.0, 8.4, 7.8, 7.2)
"""Font sizes (pt) tried in turn until a 7-minute briefing fits on its pages."""


@dataclass(frozen=True)
class PrintDocument:
    """One document to turn into a PDF."""

    versions: tuple[str, ...]
    """The complete HTML document with its print style, in one or more versions in order of
    preference (smaller type each time); the first that fits ``max_pages`` is used."""
    source: str
    """The content file it comes from, for error messages."""
    max_pages: int | None = None
    """The most pages the PDF may have, if limited."""


def print_documents(
    content: Content, pages: dict[str, str], markdown_settings: MarkdownSettings
) -> dict[str, PrintDocument]:
    """The print HTML of every briefing and 7-minute briefing, keyed by its PDF's path."""
    documents = {}
    for entry in content.reviews:
        for page_path, pdf_path in addresses.printed(entry.review.id).items():
            body = _page_html(pages[page_path], page_path, content.settings.site_url, markdown_settings)
            if page_path.startswith("seven-minute/"):
                versions = tuple(
                    _document(content, entry, body, "seven-minute", size) for size in SEVEN_MINUTE_FONT_SIZES
                )
                documents[pdf_path] = PrintDocument(versions, entry.source, SEVEN_MINUTE_PAGES)
            else:
                documents[pdf_path] = PrintDocument((_document(content, entry, body, "briefing", 10.0),), entry.source)
    return documents


def _page_html(page: str, page_path: str, site_url: str | None, settings: MarkdownSettings) -> str:
    """A generated Markdown page as HTML, its front matter dropped and its links made to work
    outside the site."""
    text = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    html = markdown.markdown(text, extensions=settings.extensions, extension_configs=settings.configs)
    return re.sub(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', lambda m: _link(m, page_path, site_url), html, flags=re.S)


def _link(match: re.Match, page_path: str, site_url: str | None) -> str:
    href, rest, text = match.groups()
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
    return f'<a href="{address}"{rest}>{text}</a>'


def _document(content: Content, entry: ReviewEntry, body: str, kind: str, font_size: float) -> str:
    review = entry.review
    return (
        environment()
        .get_template("print.html.j2")
        .render(
            content=content,
            s=content.strings,
            review=review,
            body=body,
            kind=kind,
            font_size=font_size,
            published=display_date(review.published, content.strings),
            created=or_not_dated(review.published).iso,
        )
    )

"""Where every page of the site lives: one place decides each page's address (its path under the
docs_dir), so that render, the PDFs, the preview and the link check all agree.

Addresses are Markdown paths (``reviews/x.md``); MkDocs turns them into web addresses."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from generator.model.content import Content, point_themes

HOME = "index.md"
BRIEFINGS = "reviews/index.md"
ACCESSIBILITY = "accessibility.md"
THEMES = "themes/index.md"
REVIEW_TYPES = "types/index.md"
AGENCIES = "agencies/index.md"
SESSIONS = "sessions/index.md"
BROWSE = "browse.md"
AUTHORS_GUIDE = "guide/authors.md"
FEEDBACK_SUMMARY = "feedback.md"
OPEN_DATA = "data.md"
"""The page saying what the open data files are, their licence and how to cite them."""
PDF_FOLDER = "pdf/"
WORD_FOLDER = "word/"
DATA_FOLDER = "data/"
LEARNING_JSON = f"{DATA_FOLDER}learning.json"
LEARNING_CSV = f"{DATA_FOLDER}learning.csv"
LEARNING_SCHEMA_VERSION = 1
"""The version of the learning data's format: a change that could break a reader's code is a new
version, published under a new schema address beside the old one."""
LEARNING_SCHEMA = f"{DATA_FOLDER}learning-v{LEARNING_SCHEMA_VERSION}.schema.json"
FEED = "feed.xml"
"""The Atom feed of new and updated briefings (linked from every page's head)."""
OPEN_DATA_FILES = (LEARNING_JSON, LEARNING_CSV, LEARNING_SCHEMA, FEED)


def language_root(language: str) -> str:
    """Where a language's edition of the site is: English at the root, Welsh under ``cy/``."""
    return "" if language == "en" else f"{language}/"


def in_language(language: str, files: dict[str, Any]) -> dict[str, Any]:
    """``files`` (by path under the docs_dir) moved to ``language``'s edition of the site."""
    root = language_root(language)
    return {root + path: value for path, value in files.items()} if root else files


def briefing(review_id: str) -> str:
    return f"reviews/{review_id}.md"


def record(review_id: str) -> str:
    """The blank discussion record of a briefing."""
    return f"records/{review_id}.md"


def session_plan(review_id: str) -> str:
    return f"sessions/{review_id}.md"


def seven_minute(review_id: str) -> str:
    return f"seven-minute/{review_id}.md"


def briefing_pdf(review_id: str) -> str:
    return f"{PDF_FOLDER}{review_id}.pdf"


def seven_minute_pdf(review_id: str) -> str:
    return f"{PDF_FOLDER}{review_id}-7-minute.pdf"


def briefing_word(review_id: str) -> str:
    return f"{WORD_FOLDER}{review_id}.docx"


def seven_minute_word(review_id: str) -> str:
    return f"{WORD_FOLDER}{review_id}-7-minute.docx"


def word_files(review_id: str) -> dict[str, str]:
    """The pages of a review that are also made as Word documents, and the document each becomes."""
    return {briefing(review_id): briefing_word(review_id), seven_minute(review_id): seven_minute_word(review_id)}


POINTS_PER_PAGE = 50
"""About how many learning points each page of a theme or agency lists. Where one page ends
is decided by the points themselves, oldest first (``page_sizes``), not by counting from either
end: a further page holds at least half this many and at most twice this many, and a new
review, newer or older than the rest, changes only the page its points land on (and the next
one, should that page have been full; and the first page, which shows the newest points and the
counts), unless it makes a page more or fewer, when every page's pager changes with it. Further pages are numbered from the oldest
(``themes/KEY-page-2.md`` holds the oldest points)."""


def page_sizes(points: Sequence[str]) -> list[int]:
    """How many points each page of a theme or agency lists, as readers go: its first page, then
    its further pages, newest first. ``points`` name the points (``point_id``), newest first.

    Going from the oldest point, a page ends after a point whose name's hash falls on one in
    ``POINTS_PER_PAGE - POINTS_PER_PAGE // 2`` once it holds ``POINTS_PER_PAGE // 2`` points, or
    when it holds ``2 * POINTS_PER_PAGE``: the same points always end pages wherever other points
    come or go (content-defined chunking). The newest page so ended and the points after it are
    the first page, so it always lists at least the smallest page's worth (or every point)."""
    smallest, largest = max(1, POINTS_PER_PAGE // 2), 2 * POINTS_PER_PAGE
    every = max(1, POINTS_PER_PAGE - smallest)
    sizes: list[int] = []
    size = 0
    for name in reversed(points):
        size += 1
        ends = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % every == 0
        if size >= largest or (size >= smallest and ends):
            sizes.append(size)
            size = 0
    if not sizes:
        return [size]
    sizes[-1] += size  # the newest points join the newest page: the first page
    return sizes[::-1]


def point_id(review_id: str, anchor: str) -> str:
    """A learning point's name among every review's points, for ``page_sizes``."""
    return f"{review_id}#{anchor}"


def _numbered(first: str, number: int) -> str:
    return first if number == 1 else first.replace(".md", f"-page-{number}.md")


def theme(key: str, number: int = 1) -> str:
    """A theme's page: its first, or its further page ``number`` (see ``POINTS_PER_PAGE``)."""
    return _numbered(f"themes/{key}.md", number)


def theme_session_plan(key: str) -> str:
    return f"sessions/theme-{key}.md"


def agency(key: str, number: int = 1) -> str:
    """An agency's page: its first, or its further page ``number`` (see ``POINTS_PER_PAGE``)."""
    return _numbered(f"agencies/{key}.md", number)


def review_type(key: str) -> str:
    return f"types/{key}.md"


def printed(review_id: str) -> dict[str, str]:
    """The pages of a review that are printed to PDF, and the PDF each becomes."""
    return {briefing(review_id): briefing_pdf(review_id), seven_minute(review_id): seven_minute_pdf(review_id)}


def is_copy_of_learning(path: str) -> bool:
    """Session plans, 7-minute briefings and records repeat their briefings' learning points, and
    a theme's or agency's further pages (``themes/KEY-page-2.md``) repeat its first page's heading
    and intro: they are left out of the search index, so that a search lands on the briefing, or
    on the first page, once."""
    if path.startswith(("themes/", "agencies/")):
        return re.search(r"-page-\d+\.md$", path) is not None
    return path.startswith(("sessions/", "seven-minute/", "records/")) and not path.endswith("index.md")


def is_indexed_by_intro(page_url: str) -> bool:
    """Theme, agency and type-of-review pages, the list of briefings and the sessions page gather
    learning or lists from many briefings: search indexes them by their heading and intro only,
    so a search for their name finds them and a search for a point lands on its briefing."""
    parts = page_url.strip("/").split("/")
    return page_url in ("sessions/", "reviews/") or (len(parts) == 2 and parts[0] in ("themes", "agencies", "types"))


def site_url(path: str) -> str:
    """The address in the built site of the page at ``path`` (``reviews/x.md`` -> ``reviews/x/``)."""
    stem = path.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def point_anchor(section_number: int, point_number: int) -> str:
    """The id of a learning point on its briefing page (both numbers count from 1)."""
    return f"lp-{section_number}-{point_number}"


def recommendations_anchor() -> str:
    """The id of a briefing's list of recommendations."""
    return "recommendations"


def review_page_addresses(review_id: str, make_pdfs: bool, make_word: bool = False) -> list[str]:
    """Every file a review gives the site."""
    pages = [briefing(review_id), record(review_id), session_plan(review_id), seven_minute(review_id)]
    pages += list(printed(review_id).values()) if make_pdfs else []
    return pages + (list(word_files(review_id).values()) if make_word else [])


def web_address(page: str, site_url: str | None, offline: bool = False, anchor: str = "") -> str:
    """Where the page at ``page`` (``reviews/x.md``, or a file such as ``feed.xml``) is on the
    built site: a full address under ``site_url`` when it is set, otherwise one relative to the
    site's root (``reviews/x/``); ``offline`` sites keep ``.html`` files."""
    if page.endswith(".md"):
        stem = page.removesuffix(".md")
        if offline:
            page = f"{stem}.html"
        elif stem == "index" or stem.endswith("/index"):
            page = stem.removesuffix("index")
        else:
            page = f"{stem}/"
    address = f"{site_url.rstrip('/')}/{page}" if site_url else (page or "./")
    return f"{address}#{anchor}" if anchor else address


def planned_pages(content: Content) -> set[str]:
    """The address of every page (and PDF) the site will have, worked out from the content
    alone, before anything is rendered: what a link in the content may point to."""
    pages = {HOME, BRIEFINGS, ACCESSIBILITY, THEMES, REVIEW_TYPES, AGENCIES, SESSIONS, BROWSE, AUTHORS_GUIDE}
    pages.update((OPEN_DATA, *OPEN_DATA_FILES))
    if content.settings.feedback.publish_summary:
        pages.add(FEEDBACK_SUMMARY)
    for entry in content.reviews:
        pages.update(review_page_addresses(entry.review.id, content.settings.make_pdfs, content.settings.make_word))
    on_theme: dict[str, list[str]] = defaultdict(list)
    to_agency: dict[str, list[str]] = defaultdict(list)
    for entry in content.reviews:  # newest first, as the pages list the points
        for s, section in enumerate(entry.review.sections, start=1):
            for p, point in enumerate(section.learning_points, start=1):
                name = point_id(entry.review.id, point_anchor(s, p))
                for key in dict.fromkeys(point_themes(entry.review, section, point)):
                    on_theme[key].append(name)
                for key in dict.fromkeys(point.agencies):
                    to_agency[key].append(name)
    for key in content.used_themes:
        pages.update(theme(key, number) for number in range(1, len(page_sizes(on_theme[key])) + 1))
    for key in content.used_agencies:
        pages.update(agency(key, number) for number in range(1, len(page_sizes(to_agency[key])) + 1))
    pages.update(review_type(key) for key in content.used_review_types)
    pages.update(theme_session_plan(key) for key in on_theme)
    return pages


def resolve(from_page: str, link: str) -> str:
    """The address a relative ``link`` on the page at ``from_page`` leads to (``..`` resolved;
    may start with ``../`` if it leads outside the site)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_page), link))


def link(from_page: str, to_page: str) -> str:
    """A relative Markdown link from one page to another: ``../reviews/x.md``. Worked out from
    the two addresses' folders (``posixpath.relpath`` also looks up the working folder, and a
    build makes tens of thousands of links); anything but plain addresses goes to relpath."""
    start = posixpath.dirname(from_page)
    parts, start_parts = to_page.split("/"), start.split("/") if start else []
    if to_page.startswith("/") or start.startswith("/") or {".", "..", ""} & {*parts, *start_parts}:
        return posixpath.relpath(to_page, start or ".")  # not a plain address: the general way
    common = 0
    while common < min(len(parts), len(start_parts)) and parts[common] == start_parts[common]:
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + parts[common:]) or "."

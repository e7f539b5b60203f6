"""Where every page of the site lives: one place decides each page's address (its path under the
docs_dir), so that render, the PDFs, the preview and the link check all agree.

Addresses are Markdown paths (``reviews/x.md``); MkDocs turns them into web addresses."""

from __future__ import annotations

import posixpath

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
PDF_FOLDER = "pdf/"


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


def theme(key: str) -> str:
    return f"themes/{key}.md"


def theme_session_plan(key: str) -> str:
    return f"sessions/theme-{key}.md"


def agency(key: str) -> str:
    return f"agencies/{key}.md"


def review_type(key: str) -> str:
    return f"types/{key}.md"


def printed(review_id: str) -> dict[str, str]:
    """The pages of a review that are printed to PDF, and the PDF each becomes."""
    return {briefing(review_id): briefing_pdf(review_id), seven_minute(review_id): seven_minute_pdf(review_id)}


def is_copy_of_learning(path: str) -> bool:
    """Session plans, 7-minute briefings and records repeat their briefings' learning points:
    they are left out of the search index so that a search lands on the briefing itself."""
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


def review_page_addresses(review_id: str, make_pdfs: bool) -> list[str]:
    """Every file a review gives the site."""
    pages = [briefing(review_id), record(review_id), session_plan(review_id), seven_minute(review_id)]
    return pages + (list(printed(review_id).values()) if make_pdfs else [])


def planned_pages(content: Content) -> set[str]:
    """The address of every page (and PDF) the site will have, worked out from the content
    alone, before anything is rendered: what a link in the content may point to."""
    pages = {HOME, BRIEFINGS, ACCESSIBILITY, THEMES, REVIEW_TYPES, AGENCIES, SESSIONS, BROWSE, AUTHORS_GUIDE}
    if content.settings.feedback.publish_summary:
        pages.add(FEEDBACK_SUMMARY)
    for entry in content.reviews:
        pages.update(review_page_addresses(entry.review.id, content.settings.make_pdfs))
    pages.update(theme(key) for key in content.used_themes)
    pages.update(agency(key) for key in content.used_agencies)
    pages.update(review_type(key) for key in content.used_review_types)
    themed = {
        key
        for entry in content.reviews
        for section in entry.review.sections
        for point in section.learning_points
        for key in point_themes(entry.review, section, point)
    }
    pages.update(theme_session_plan(key) for key in themed)
    return pages


def resolve(from_page: str, link: str) -> str:
    """The address a relative ``link`` on the page at ``from_page`` leads to (``..`` resolved;
    may start with ``../`` if it leads outside the site)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_page), link))


def link(from_page: str, to_page: str) -> str:
    """A relative Markdown link from one page to another: ``../reviews/x.md``."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")

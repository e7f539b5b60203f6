"""Stage 3, render: turn validated ``Content`` into Markdown pages, ``{path: text}``.

``plan`` decides every page (its address, template, context and sources); ``render`` fills in
each page's template. Nothing here touches the disk; the writer does. With a build's cache
(``generate_cache``), a page is taken from it when the edition's fingerprint and everything its
template is given are unchanged."""

from __future__ import annotations

from generator.model.content import Content
from generator.pipeline.generate_cache import GenerateCache, Uncacheable, context_key
from generator.pipeline.render.page import PlannedPage, render_page
from generator.pipeline.render.plan import plan, review_pages

WHOLE_CONTENT_TEMPLATES = frozenset(
    {
        "home.md.j2",
        "briefings_index.md.j2",
        "data.md.j2",
        "feedback_summary.md.j2",
        "review_types_index.md.j2",
        "sessions_index.md.j2",
        "themes_index.md.j2",
        "authors_guide.md.j2",
    }
)
"""The templates that read the whole content (its reviews, the themes they use) rather than only
what they are given: their pages are always rendered, never taken from the cache. (A test checks
that every template reading ``content.reviews`` or a ``content.used_...`` list is here.)"""


def render(content: Content, only: set[str] | None = None, kept: GenerateCache | None = None) -> dict[str, str]:
    """Every page of the site as Markdown, keyed by its path under the docs_dir. With ``only``
    (review ids), just those reviews' own pages: what a preview shows first after an edit. With
    ``kept``, unchanged pages come from the cache."""
    if only is None:
        pages = plan(content)
    else:
        pages = review_pages(content, [entry for entry in content.reviews if entry.review.id in only])
    if kept is None or not content.fingerprint:
        return {path: render_page(content, path, page) for path, page in sorted(pages.items())}
    table = kept.table("pages")
    rendered: dict[str, str] = {}
    for path, page in sorted(pages.items()):
        key = page_key(kept, content, path, page)
        text = table.get(key) if key else None
        if not isinstance(text, str):
            text = render_page(content, path, page)
            if key:
                table.put(key, text)
        rendered[path] = text
    return rendered


def page_key(kept: GenerateCache, content: Content, path: str, page: PlannedPage) -> str:
    """The page's cache key, or empty for a page that is always rendered."""
    if page.template in WHOLE_CONTENT_TEMPLATES:
        return ""
    try:
        context = context_key(page.context)
    except Uncacheable:
        return ""
    return kept.key("page", content.fingerprint, path, page.template, page.sources, page.meta, context)


__all__ = ["WHOLE_CONTENT_TEMPLATES", "page_key", "render"]

"""Stage 3, render: turn validated ``Content`` into Markdown pages, ``{path: text}``.

``plan`` decides every page (its address, template, context and sources); ``render`` gives the
pages, each page's template filled in when the page is read, so the writer can write each page
as it is made, without every page in memory at once. Nothing here writes output; the writer
does. With a build's cache (``generate_cache``), a page is taken from it when the edition's
fingerprint and everything its template is given are unchanged."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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


class Pages(Mapping[str, str]):
    """Every page of an edition, ``{path: text}`` by its path under the docs_dir, in path order;
    each page's text is made when it is read (rendered, or taken from the cache) and not held,
    so that the writer can put the pages on disk one at a time: a large site's pages are never
    all in memory at once. Reading a page twice renders it twice (or reads the cache twice)."""

    def __init__(self, content: Content, planned: dict[str, PlannedPage], kept: GenerateCache | None) -> None:
        self.content = content
        self.planned = dict(sorted(planned.items()))
        self.kept = kept if kept is not None and content.fingerprint else None

    def __getitem__(self, path: str) -> str:
        page = self.planned[path]
        if self.kept is None:
            return render_page(self.content, path, page)
        table = self.kept.table("pages")
        key = page_key(self.kept, self.content, path, page)
        text = table.get(key) if key else None
        if not isinstance(text, str):
            text = render_page(self.content, path, page)
            if key:
                table.put(key, text)
        return text

    def __contains__(self, path: object) -> bool:
        return path in self.planned

    def __iter__(self) -> Iterator[str]:
        return iter(self.planned)

    def __len__(self) -> int:
        return len(self.planned)


def render(content: Content, only: set[str] | None = None, kept: GenerateCache | None = None) -> Pages:
    """Every page of the site as Markdown, ``{path: text}`` keyed by its path under the docs_dir
    (``Pages``: each page is rendered when it is read). With ``only`` (review ids), just those
    reviews' own pages: what a preview shows first after an edit. With ``kept``, unchanged pages
    come from the cache."""
    if only is None:
        return Pages(content, plan(content), kept)
    return Pages(content, review_pages(content, [entry for entry in content.reviews if entry.review.id in only]), kept)


def page_key(kept: GenerateCache, content: Content, path: str, page: PlannedPage) -> str:
    """The page's cache key, or empty for a page that is always rendered."""
    if page.template in WHOLE_CONTENT_TEMPLATES:
        return ""
    try:
        context = context_key(page.context)
    except Uncacheable:
        return ""
    return kept.key("page", content.fingerprint, path, page.template, page.sources, page.meta, context)


__all__ = ["WHOLE_CONTENT_TEMPLATES", "Pages", "page_key", "render"]

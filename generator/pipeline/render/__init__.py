"""Stage 3, render: turn validated ``Content`` into Markdown pages, ``{path: text}``.

``plan`` decides every page (its address, template, context and sources); ``render`` gives the
pages, each page's template filled in when the page is read, so the writer can write each page
as it is made, without every page in memory at once. Nothing here writes output; the writer
does. With a build's cache (``generate_cache``), a page is taken from it when the edition's
fingerprint and everything its template is given are unchanged."""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping

from generator.model.content import Content
from generator.pipeline.generate_cache import GenerateCache, Uncacheable, context_key
from generator.pipeline.render.page import PlannedPage, render_page
from generator.pipeline.render.plan import plan, review_pages
from generator.pipeline.workers import forked_map

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

    def __init__(
        self, content: Content, planned: dict[str, PlannedPage], kept: GenerateCache | None, parallel: bool = False
    ) -> None:
        self.content = content
        self.planned = dict(sorted(planned.items()))
        self.kept = kept if kept is not None and content.fingerprint else None
        self.ahead: RenderedAhead | None = RenderedAhead(self) if parallel else None
        self.cache_keys: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        made = self.ahead.take(path) if self.ahead is not None else None
        if self.kept is None:
            return made if made is not None else self.render(path)
        table = self.kept.table("pages")
        key = self.key(path)
        if made is None:
            kept = table.get(key) if key else None
            if isinstance(kept, str):
                return kept
            made = self.render(path)
        if key:
            table.put(key, made)
        return made

    def close(self) -> None:
        """Let the workers rendering pages ahead go, if the pages were not all read."""
        if self.ahead is not None:
            self.ahead.close()

    def key(self, path: str) -> str:
        """The page's key in the cache, or empty for a page that is always rendered."""
        assert self.kept is not None
        if path not in self.cache_keys:
            self.cache_keys[path] = page_key(self.kept, self.content, path, self.planned[path])
        return self.cache_keys[path]

    def render(self, path: str) -> str:
        """The page at ``path``, rendered (never from the cache)."""
        return render_page(self.content, path, self.planned[path])

    def __contains__(self, path: object) -> bool:
        return path in self.planned

    def __iter__(self) -> Iterator[str]:
        return iter(self.planned)

    def __len__(self) -> int:
        return len(self.planned)


class RenderedAhead:
    """The pages the cache does not hold, rendered on every core (``workers.forked_map``) in path
    order, as the writer reads them: from when the first of them is read. A page read before
    then (a printed page, read for its PDF first) is rendered where it is read; one read again
    after the workers have passed it, too. The workers are let go once they have handed over the
    last page, or when ``close`` is called."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.order: dict[str, int] | None = None
        """The pages to render ahead, in path order, with their places; worked out when the first
        page is read."""
        self.next = 0
        """The place of the next page the workers hand over."""
        self.made: Generator[str, None, None] | None = None

    def take(self, path: str) -> str | None:
        """The page at ``path`` from the workers, if it is to be rendered ahead and they have not
        passed it (any pages before it that were not read are passed over), else None."""
        if self.order is None:
            self.order = self._to_render()
        place = self.order.get(path)
        if place is None or place < self.next or (self.made is None and place != 0):
            return None
        if self.made is None:  # the workers start with the first page, as it is read
            self.made = forked_map(self.pages.render, list(self.order))
        text = ""
        while self.next <= place:
            text = next(self.made)
            self.next += 1
        if self.next == len(self.order):  # the last: the workers are let go now
            self.close()
        return text

    def close(self) -> None:
        """Let the workers go (once they are let go, pages are rendered where they are read)."""
        if self.made is not None:
            self.made.close()
        if self.order is not None:
            self.next = len(self.order)

    def _to_render(self) -> dict[str, int]:
        pages, kept = self.pages, self.pages.kept
        if kept is None:
            paths = list(pages.planned)
        else:
            table = kept.table("pages")
            paths = [path for path in pages.planned if not isinstance(table.get(pages.key(path)), str)]
        return {path: place for place, path in enumerate(paths)}


def render(
    content: Content, only: set[str] | None = None, kept: GenerateCache | None = None, parallel: bool = False
) -> Pages:
    """Every page of the site as Markdown, ``{path: text}`` keyed by its path under the docs_dir
    (``Pages``: each page is rendered when it is read). With ``only`` (review ids), just those
    reviews' own pages: what a preview shows first after an edit. With ``kept``, unchanged pages
    come from the cache. With ``parallel``, the pages are rendered on every core as the writer
    reads them (``RenderedAhead``); the pages are the same."""
    if only is None:
        return Pages(content, plan(content), kept, parallel)
    chosen = [entry for entry in content.reviews if entry.review.id in only]
    return Pages(content, review_pages(content, chosen), kept, parallel)


def page_key(kept: GenerateCache, content: Content, path: str, page: PlannedPage) -> str:
    """The page's cache key, or empty for a page that is always rendered."""
    if page.template in WHOLE_CONTENT_TEMPLATES:
        return ""
    try:
        context = context_key(page.context)
    except Uncacheable:
        return ""
    return kept.key("page", content.fingerprint, path, page.template, page.sources, page.meta, context)


__all__ = ["WHOLE_CONTENT_TEMPLATES", "Pages", "RenderedAhead", "page_key", "render"]

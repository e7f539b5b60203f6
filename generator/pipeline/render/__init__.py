"""Stage 3, render: turn validated ``Content`` into Markdown pages, ``{path: text}``.

``plan`` decides every page (its address, template, context and sources); ``render`` fills in
each page's template. Nothing here touches the disk; the writer does."""

from __future__ import annotations

from generator.model.content import Content
from generator.pipeline.render.page import render_page
from generator.pipeline.render.plan import plan, review_pages


def render(content: Content, only: set[str] | None = None) -> dict[str, str]:
    """Every page of the site as Markdown, keyed by its path under the docs_dir. With ``only``
    (review ids), just those reviews' own pages: what a preview shows first after an edit."""
    if only is None:
        pages = plan(content)
    else:
        pages = review_pages(content, [entry for entry in content.reviews if entry.review.id in only])
    return {path: render_page(content, path, page) for path, page in sorted(pages.items())}


__all__ = ["render"]

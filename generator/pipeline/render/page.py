"""One planned page, and how it becomes Markdown: the generated-file note, front matter, body."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.model import addresses
from generator.model.content import Content, point_themes
from generator.templating import environment


@dataclass(frozen=True)
class PlannedPage:
    """A page to render: its template, what the template is given, and the content files it is
    made from (named in the page's "generated from" note)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    """More front matter for the site's page template, such as ``json_ld`` (the page's linked data)."""


def render_page(content: Content, path: str, page: PlannedPage) -> str:
    """One page: the generated-file note, then the template's output."""
    s = content.strings
    note = s["generated_note"].format(sources=", ".join(page.sources))
    body = (
        environment()
        .get_template(page.template)
        .render(content=content, s=s, point_anchor=addresses.point_anchor, point_themes=point_themes, **page.context)
    )
    # Values were HTML-escaped; an apostrophe needs no escaping in Markdown text or in the
    # double-quoted attributes the templates use, so it is put back for readable pages.
    body = body.strip().replace("&#39;", "'")
    # The title stays HTML-escaped: MkDocs and Material insert it into pages as it is.
    # Markup in it is the templates' own (content is escaped), such as a span marking the
    # language of a title left in English; the page's title is text.
    title = re.sub(r"<[^>]*>", "", body.splitlines()[0].removeprefix("# ")) if body.startswith("# ") else ""
    # MkDocs takes the title from front matter, which must open the file; the same note also
    # goes in the page body so that the built HTML says where it came from.
    searchable = not addresses.is_copy_of_learning(path)
    meta = f"title: {json.dumps(title, ensure_ascii=False)}\n" + ("" if searchable else "search:\n  exclude: true\n")
    meta += "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in page.meta.items())
    return f"---\n# {note}\n{meta}---\n<!-- {note} -->\n\n{body}\n"

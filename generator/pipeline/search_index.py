"""The published site's search index: Pagefind's split index, written inside the site stage.

The records are the sections Material's search plugin finds on the built pages (so the text
searched is the text on the page, with the same parts left out), one record per learning point
or section, so that a point holding every word of a query is a result of its own and ranks above
a briefing with the words scattered over it. Theme, agency and type-of-review pages are one
record each: their heading and intro. Each record is a small HTML document (the template
``search_record.html.j2``: the title as its heading, which Pagefind weighs above the text, and
the briefing's filters) that the Pagefind command line (``pagefind_bin``, shipped in its wheel)
indexes into ``pagefind/`` of the new site: a browser then fetches only the parts of the index a
query needs, however large the collection.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SiteBuildError
from generator.model import addresses
from generator.templating import environment

FOLDER = "pagefind"
"""Where in the site the index is written."""


@dataclass(frozen=True)
class SearchRecord:
    """One result search can give: a section of a page, or a whole page."""

    location: str
    """Its address in the site, relative to the site's root (``reviews/x/#lp-1-2``)."""
    title: str
    """The section's heading, as Material's search plugin read it."""
    text: str
    """The section's text, as Material's search plugin read it (HTML)."""
    page: str
    """The address of its page (``reviews/x/``)."""
    page_title: str
    """Its page's title."""
    filters: dict[str, list[str]] = field(default_factory=dict)
    """The page's values for the search filters (briefings only)."""


def search_records(entries: Iterable[dict], filters: dict[str, dict[str, list[str]]]) -> Iterator[SearchRecord]:
    """The records for Material's search ``entries`` (``location``, ``title``, ``text``, in page
    order), with ``filters`` by page address."""
    pages: dict[str, list[dict]] = {}
    for entry in entries:
        pages.setdefault(entry["location"].split("#")[0], []).append(entry)
    for page, sections in pages.items():
        page_title = sections[0]["title"]
        page_filters = filters.get(page, {})
        if addresses.is_indexed_by_intro(page):
            # The intro is the first section with text (a type's page opens with its heading).
            intro = next((section["text"] for section in sections[:3] if section["text"]), "")
            yield SearchRecord(page, page_title, intro, page, page_title, page_filters)
            continue
        for section in sections:
            if "#" in section["location"] or len(sections) == 1:
                yield SearchRecord(
                    section["location"], section["title"], section["text"], page, page_title, page_filters
                )


def write_search_index(records: Iterable[SearchRecord], site_dir: Path) -> int:
    """Index ``records`` with Pagefind into ``site_dir/pagefind/``; return how many there were.
    The records are written as small HTML files into a temporary folder for the indexer, one
    at a time, so memory does not grow with the collection."""
    from pagefind_bin import get_executable  # type: ignore[import-untyped]  # only a published build needs it

    template = environment().get_template("search_record.html.j2")
    with tempfile.TemporaryDirectory(prefix="search-records-") as folder:
        count = 0
        for count, record in enumerate(records, 1):
            (Path(folder) / f"{count:07d}.html").write_text(template.render(record=record), encoding="utf-8")
        output = site_dir / FOLDER
        shutil.rmtree(output, ignore_errors=True)
        command = [str(get_executable()), "--site", folder, "--output-path", str(output), "--force-language", "en"]
        result = subprocess.run([*command, "--quiet"], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SiteBuildError(f"the search index could not be written: {result.stdout}{result.stderr}".strip())
    for unused in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css"):
        (output / unused).unlink(missing_ok=True)
    for unused in ("pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"):
        (output / unused).unlink(missing_ok=True)
    return count

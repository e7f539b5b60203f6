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

import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2

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


SHARD_RECORDS = 15_000
"""Records per part of the index. Pagefind holds everything it indexes in memory until it writes
(about 75 KB per record of this site's size): in parts of this many records the indexer stays
near 1.1 GB however large the collection. The browser searches all parts at once."""

SHARDS_FILE = "parts.json"
"""Lists the further parts of the index (after the first, in ``pagefind/`` itself)."""

SHARED_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")
"""The search program, which the browser loads once from the first part."""

UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's own search interfaces: the site uses Material's."""


def write_search_index(records: Iterable[SearchRecord], site_dir: Path, shard_records: int | None = None) -> int:
    """Index ``records`` with Pagefind into ``site_dir/pagefind/``; return how many there were.
    The records are written as small HTML files into a temporary folder for the indexer, one at
    a time, and indexed ``shard_records`` (default ``SHARD_RECORDS``) at a time, so memory does
    not grow with the collection."""
    shard_records = shard_records or SHARD_RECORDS
    output = site_dir / FOLDER
    shutil.rmtree(output, ignore_errors=True)
    template = environment().get_template("search_record.html.j2")
    count = 0
    parts: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="search-records-"))
    try:
        for count, record in enumerate(records, 1):
            (folder / f"{count:07d}.html").write_text(template.render(record=record), encoding="utf-8")
            if count % shard_records == 0:
                parts.append(_index_part(folder, output, len(parts)))
        if count % shard_records or not parts:
            parts.append(_index_part(folder, output, len(parts)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    listing = {"note": "Generated by Learning Lessons from the built pages' search sections.", "parts": parts[1:]}
    (output / SHARDS_FILE).write_text(json.dumps(listing), encoding="utf-8")
    return count


def _index_part(folder: Path, output: Path, number: int) -> str:
    """Index the records in ``folder`` as part ``number`` of the index, then empty ``folder``;
    return the part's folder relative to ``output``."""
    from pagefind_bin import get_executable  # type: ignore[import-untyped]  # only a published build needs it

    name = f"part-{number}/" if number else ""
    part = output / name
    command = [str(get_executable()), "--site", str(folder), "--output-path", str(part), "--force-language", "en"]
    result = subprocess.run([*command, "--quiet"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SiteBuildError(f"the search index could not be written: {result.stdout}{result.stderr}".strip())
    for path in folder.iterdir():
        path.unlink()
    for unused in UNUSED_FILES + (SHARED_FILES if number else ()):
        (part / unused).unlink(missing_ok=True)
    settle_filter_order(part)
    return name


SIGNATURE = b"pagefind_dcd"
"""What opens each of Pagefind's files once unzipped; CBOR follows."""


def settle_filter_order(output: Path) -> None:
    """Make Pagefind's output the same bytes on every build: it writes each filter's values in
    a varying order (its hash map's), and names its files by their contents. Each filter file
    is written again with its values sorted, and renamed; the metadata file that names the
    filter files, and the entry file that names it, follow."""
    entry_file = output / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_file = output / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_file)
        filters = meta[3]  # [[filter, file hash], ...]
        for item in filters:
            old = output / "filter" / f"{item[1]}.pf_filter"
            name, values = _read(old)
            item[1] = _write(output / "filter", "", [name, sorted(values)], ".pf_filter", 7)
            old.unlink()
        filters.sort()
        meta_file.unlink()
        language["hash"] = _write(output, "pagefind.", meta, ".pf_meta", 10)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path) -> Any:
    return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(SIGNATURE))


def _write(folder: Path, prefix: str, data: Any, suffix: str, length: int) -> str:
    """Write ``data`` as Pagefind does (signature, CBOR, gzip) under a name from its contents;
    return that name's hash part (``en_...``)."""
    body = SIGNATURE + cbor2.dumps(data)
    name = "en_" + hashlib.sha256(body).hexdigest()[:length]
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(body, mtime=0))
    return name

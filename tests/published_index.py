"""Reading the published site's search index back, for tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def published_records(site_dir: Path) -> list[dict]:
    """Every record of the site's search index, as the browser gets it: one gzip-compressed JSON
    file per record under ``search-index/records/``, in the order of their ids. Each has
    ``location`` (where its result links), ``page``, ``page_title``, ``title``, ``text`` (the
    text searched) and ``filters`` (its page's values, from the filters' files)."""
    index = site_dir / "search-index"
    slots = json.loads((index / "index.json").read_text(encoding="utf-8"))["slots"]
    on_page: dict[int, dict[str, list[str]]] = {}
    for path in sorted((index / "filters").glob("*.gz")):
        name = bytes.fromhex(path.name.removesuffix(".gz")).decode("utf-8")
        for value, pages in json.loads(gzip.decompress(path.read_bytes())).items():
            for page in pages:
                on_page.setdefault(page, {}).setdefault(name, []).append(value)
    records = []
    for path in sorted((index / "records").glob("*.gz"), key=lambda path: int(path.name.split(".")[0])):
        record = json.loads(gzip.decompress(path.read_bytes()))
        record["filters"] = on_page.get(int(path.name.split(".")[0]) // slots, {})
        records.append(record)
    return records

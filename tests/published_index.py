"""Reading the published site's search index back, for tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def published_records(site_dir: Path) -> list[dict]:
    """Every record of the site's search index, as the browser gets it: one gzip-compressed JSON
    file per record under ``search-index/records/``, in the order of their ids. Each has
    ``location`` (where its result links), ``page``, ``page_title``, ``title``, ``text`` (the
    text searched) and ``filters`` (its page's)."""
    files = sorted((site_dir / "search-index" / "records").glob("*.gz"), key=lambda path: int(path.name.split(".")[0]))
    return [json.loads(gzip.decompress(path.read_bytes())) for path in files]

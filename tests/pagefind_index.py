"""Reading the published site's search index (Pagefind's) back, for tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def published_records(site_dir: Path) -> list[dict]:
    """Every record of the site's search index, as the browser gets it: read from Pagefind's
    fragment files (gzip, then JSON after a signature), one per record, in every part of the
    index. Each has ``location``
    (where its result links), ``title``, ``text`` (the text searched) and ``filters``."""
    records = []
    for path in sorted((site_dir / "pagefind").glob("**/fragment/*.pf_fragment")):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        meta = data["meta"]
        records.append(
            {
                "location": meta.get("link", ""),
                "page": meta.get("page", ""),
                "page_title": meta.get("page_title", ""),
                "title": meta["title"],
                "text": data["content"],
                "filters": data["filters"],
            }
        )
    return records

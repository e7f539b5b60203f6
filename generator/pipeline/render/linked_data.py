"""schema.org linked data (JSON-LD) for a briefing page, so that search engines and catalogues
can tell what it is, who published it, when and what it is about.

The data is a dict here; the theme's page template puts it in the page's head."""

from __future__ import annotations

import json
from typing import Any

from generator.model import addresses
from generator.model.content import Content, ReviewEntry
from generator.model.dates import or_not_dated

SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
"""Characters written as JSON escapes, so that no text in the data can end its script element."""


def briefing_linked_data(content: Content, entry: ReviewEntry) -> dict[str, Any]:
    """A briefing as a schema.org ``Report``."""
    review = entry.review
    settings = content.settings
    published = or_not_dated(review.published).iso
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": review.title,
        "name": review.title,
        "description": review.summary,
        "inLanguage": content.locale,
        "genre": [content.review_types[key].name for key in review.review_type],
        "author": [{"@type": "Organization", "name": name} for name in review.board],
        "publisher": {"@type": "Organization", "name": settings.board_name, "email": settings.contact_email},
        "about": [{"@type": "Thing", "name": content.themes[key].name} for key in review.themes],
        "spatialCoverage": {"@type": "Place", "name": review.nation},
    }
    if published:
        data["datePublished"] = published
    if review.updated or published:
        data["dateModified"] = review.updated.isoformat() if review.updated else published
    if settings.site_url:
        data["url"] = addresses.web_address(addresses.briefing(review.id), settings.site_url, settings.offline)
    if review.report.url and not entry.report_withdrawn:
        data["isBasedOn"] = {"@type": "Report", "name": review.report.title, "url": review.report.url}
    collected = [place for place in review.collected_from if place.url]
    if collected:  # a national collection's copy: the boards' own pages are the originals
        data["sameAs"] = [place.url for place in collected]
        data["license"] = review.collected_from[0].licence_url
    return data


def as_script_text(data: dict[str, Any], indent: int | None = None) -> str:
    """``data`` as JSON that is safe inside an HTML ``<script>`` element (and in any page that
    shows it without escaping it): ``<``, ``>`` and ``&`` are written as JSON escapes, which
    every JSON reader decodes to the same text."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    for character, escape in SCRIPT_SAFE.items():
        text = text.replace(character, escape)
    return text

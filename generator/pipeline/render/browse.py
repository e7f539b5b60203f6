"""The browse page: every briefing with its value for each filter, and each filter's options."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.model import addresses
from generator.model.content import Content, ReviewEntry
from generator.model.dates import or_not_dated
from generator.templating import board_key, nation_string

FACETS = ("theme", "type", "board", "region", "nation", "year", "age", "agency")
"""The filters, in the order the page shows them; each is labelled by the string ``facet_<name>``.
A filter no briefing has a value for (the region, outside a collection) is left out."""


@dataclass(frozen=True)
class FacetOption:
    """One value of a browse filter, with the number of briefings that have it."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """A browse filter: a group of options, such as every theme."""

    key: str
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class BrowseItem:
    """A briefing on the browse page, with its value for each filter."""

    entry: ReviewEntry
    facets: dict[str, list[str]]


def facet_values(content: Content, entry: ReviewEntry) -> dict[str, dict[str, str]]:
    """A briefing's values for each filter: ``{facet: {key: label}}``."""
    review = entry.review
    published = or_not_dated(review.published)
    agencies = sorted(key for key in review.agencies_named if key in content.agencies)
    return {
        "theme": {key: content.themes[key].name for key in review.themes},
        "type": {key: content.review_types[key].name for key in review.review_type},
        "board": {board_key(name): name for name in review.board},
        "region": {board_key(place.region): place.region for place in review.collected_from if place.region},
        "nation": {board_key(review.nation): content.strings[nation_string(review.nation)]},
        "year": {published.year_key: published.year.display(content.strings["not_dated"], content.strings["months"])},
        "age": {key: content.age_groups[key].name for key in review.age_groups},
        "agency": {key: content.agencies[key].name for key in agencies},
    }


SEARCH_FACETS = ("theme", "type", "board", "year")
"""The filters offered inside search, from the same values as the browse page's."""


def search_filters(content: Content) -> dict[str, dict[str, list[str]]]:
    """Each briefing's values for the search filters, by its address in the site:
    ``{"reviews/x/": {"theme": ["Neglect", ...], ...}}`` (labels, as the browse page shows them)."""
    filters = {}
    for entry in content.reviews:
        values = facet_values(content, entry)
        url = addresses.site_url(addresses.briefing(entry.review.id))
        filters[url] = {facet: sorted(values[facet].values()) for facet in SEARCH_FACETS}
    return filters


def search_filter_labels(content: Content) -> dict[str, str]:
    """The search filters' names, as the browse page labels them."""
    return {facet: content.strings[f"facet_{facet}"] for facet in SEARCH_FACETS}


def browse_context(content: Content) -> dict[str, Any]:
    """What the browse template is given: the items and the filters."""
    items = []
    labels: dict[str, dict[str, str]] = {facet: {} for facet in FACETS}
    for entry in content.reviews:
        values = facet_values(content, entry)
        for facet, options in values.items():
            labels[facet].update(options)
        items.append(BrowseItem(entry, {facet: sorted(options) for facet, options in values.items()}))
    facets = []
    for facet, options in labels.items():
        if not options:
            for item in items:
                del item.facets[facet]
            continue
        counts = Counter(value for item in items for value in item.facets[facet])
        facets.append(
            Facet(
                facet,
                content.strings[f"facet_{facet}"],
                [FacetOption(key, options[key], counts[key]) for key in _option_order(content, facet, options)],
            )
        )
    return {"items": items, "facets": facets}


def _option_order(content: Content, facet: str, options: dict[str, str]) -> list[str]:
    """Years newest first, age groups youngest first, everything else by label."""
    if facet == "year":
        return sorted(options, reverse=True)
    if facet == "age":
        return sorted(options, key=lambda key: content.age_groups[key].order)
    return sorted(options, key=lambda key: options[key].lower())

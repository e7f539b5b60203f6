"""The page plan: every page of the site, decided in one place before anything is rendered.

Each page's address comes from ``generator.model.addresses``; here each gets its template, the
context the template is given, and the content files it is made from."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.model import addresses
from generator.model.content import Content, ReviewEntry
from generator.model.dates import PublicationDate, or_not_dated
from generator.model.feedback_form import form_fields, reflection_questions
from generator.model.schema import Recommendation
from generator.pipeline.render.browse import browse_context
from generator.pipeline.render.guide import guide_context
from generator.pipeline.render.linked_data import as_script_text, briefing_linked_data
from generator.pipeline.render.page import PlannedPage
from generator.pipeline.render.points import TaggedPoint, related_briefings, related_themes, tagged_points
from generator.pipeline.render.sessions import review_session_pages, theme_session_page

ENGLISH = "en"
TEXT_LANGUAGE = "text_language"
"""Front matter for the site's page template: the language of a page's text when it is not the
page's own (the authors' guide, on a Welsh page). Text of the content left in English for want of
a translation is marked where it is shown (``Content.left_in_english``)."""

SETTINGS = "content/settings.yml"
REVIEWS = "content/reviews/"
VOCABULARIES = "content/vocabularies/"
THEMES = "content/vocabularies/themes.yml"
AGENCIES = "content/vocabularies/agencies.yml"
REVIEW_TYPES = "content/vocabularies/review_types.yml"
FEEDBACK_SUMMARY = "content/feedback-summary.json"
MODEL = "generator/model/schema.py"


def plan(content: Content) -> dict[str, PlannedPage]:
    """Every page of the site, not yet rendered."""
    points = tagged_points(content.reviews)
    pages: dict[str, PlannedPage] = {
        addresses.HOME: PlannedPage("home.md.j2", {}, (SETTINGS, REVIEWS)),
        addresses.BRIEFINGS: PlannedPage("briefings_index.md.j2", {}, (REVIEWS,)),
        addresses.ACCESSIBILITY: PlannedPage("accessibility.md.j2", {}, (SETTINGS,)),
        addresses.THEMES: PlannedPage("themes_index.md.j2", {}, (THEMES,)),
        addresses.REVIEW_TYPES: PlannedPage("review_types_index.md.j2", {}, (REVIEW_TYPES,)),
        addresses.AUTHORS_GUIDE: PlannedPage(
            "authors_guide.md.j2",
            guide_context(content),
            (MODEL, VOCABULARIES),
            {} if content.language == ENGLISH else {TEXT_LANGUAGE: ENGLISH},  # the guide is in English
        ),
        addresses.BROWSE: PlannedPage("browse.md.j2", browse_context(content), (REVIEWS, VOCABULARIES)),
        addresses.OPEN_DATA: PlannedPage("data.md.j2", open_data_context(content), (SETTINGS, REVIEWS)),
    }
    pages.update(review_pages(content, content.reviews))
    pages.update(theme_pages(content, points))
    pages.update(agency_pages(content, points))
    pages.update(review_type_pages(content))
    if content.settings.feedback.publish_summary:
        published = {entry.review.id for entry in content.reviews}
        pages[addresses.FEEDBACK_SUMMARY] = PlannedPage(
            "feedback_summary.md.j2", {"published": published}, (FEEDBACK_SUMMARY, SETTINGS)
        )
    return pages


def open_data_context(content: Content) -> dict[str, Any]:
    """What the open data page says: the files, their counts, the licence and a citation."""
    here = addresses.OPEN_DATA
    points = [
        point for entry in content.reviews for section in entry.review.sections for point in section.learning_points
    ]
    site_url = content.settings.site_url
    return {
        "counts": {
            "learning point": len(points),
            "question": sum(len(point.questions) for point in points),
            "recommendation": sum(len(entry.review.recommendations or []) for entry in content.reviews),
        },
        "json_link": addresses.link(here, addresses.LEARNING_JSON),
        "csv_link": addresses.link(here, addresses.LEARNING_CSV),
        "schema_link": addresses.link(here, addresses.LEARNING_SCHEMA),
        "feed_link": addresses.link(here, addresses.FEED),
        "version": addresses.LEARNING_SCHEMA_VERSION,
        "year": (
            datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).year
            if (epoch := content.content_epoch())
            else content.strings["not_dated"]
        ),
        "citation_address": addresses.web_address(here, site_url) if site_url else "",
    }


def review_pages(content: Content, entries: list[ReviewEntry]) -> dict[str, PlannedPage]:
    """The pages of each review in ``entries``: briefing, discussion record, session plan and
    7-minute briefing."""
    points_of_review: dict[str, list[TaggedPoint]] = {entry.review.id: [] for entry in entries}
    for tagged in tagged_points(entries):
        points_of_review[tagged.entry.review.id].append(tagged)
    related = related_briefings(content, entries)
    pages: dict[str, PlannedPage] = {}
    for entry in entries:
        review_id = entry.review.id
        fields = form_fields(content.settings.feedback, reflection_questions(entry))
        sources = (entry.source, SETTINGS)
        pages[addresses.briefing(review_id)] = PlannedPage(
            "briefing.md.j2",
            {"entry": entry, "related": related[review_id], "feedback_fields": fields},
            sources,
            {"json_ld": as_script_text(briefing_linked_data(content, entry))},
        )
        pages[addresses.record(review_id)] = PlannedPage("record.md.j2", {"entry": entry, "fields": fields}, sources)
        pages.update(review_session_pages(content, entry, points_of_review[review_id]))
    return pages


def theme_pages(content: Content, points: list[TaggedPoint]) -> dict[str, PlannedPage]:
    """A page per theme with every point on it, a session plan per theme that has points, and
    the list of those sessions."""
    on_theme: dict[str, list[TaggedPoint]] = {key: [] for key in content.themes}
    for tagged in points:
        for key in tagged.themes:
            on_theme[key].append(tagged)
    pages: dict[str, PlannedPage] = {}
    with_points = []
    for key, theme in content.used_themes.items():
        found = on_theme[key]
        shared = {
            "key": key,
            "theme": theme,
            "reviews_sharing": len({tagged.entry.review.id for tagged in found}),
            "boards_sharing": len({board for tagged in found for board in tagged.entry.review.board}),
            "related_themes": related_themes(content, key, found),
        }
        for page, chunk, pager in paged(found, functools.partial(addresses.theme, key)):
            pages[page] = PlannedPage(
                "theme.md.j2",
                {
                    # What every point on the theme makes is on its first page only, so that a
                    # further page stays as it was when a newer review comes.
                    **(shared if pager.number == 1 else {"key": key, "theme": theme}),
                    "points": chunk,
                    "pager": pager,
                    "questions": list(dict.fromkeys(q.question for tagged in chunk for q in tagged.point.questions)),
                },
                (THEMES, REVIEWS),
            )
        if found:
            with_points.append((key, theme))
            pages[addresses.theme_session_plan(key)] = theme_session_page(content, key, theme, found)
    pages[addresses.SESSIONS] = PlannedPage(
        "sessions_index.md.j2", {"themes": sorted(with_points, key=lambda item: item[1].name)}, (SETTINGS, REVIEWS)
    )
    return pages


@dataclass(frozen=True)
class Pager:
    """Where a page of a theme's or agency's points is among its pages, as links relative to it
    (none for a theme or agency whose points fit on one page). The first page links to every
    further page; a further page links only to the first page and the pages either side of it,
    and says when its reviews were published rather than its place among the pages: so a page
    more (a newer review's points) changes the first page, the new page and the one before it,
    not every page."""

    number: int
    """1 for the first page; a further page's number in its address (counted from the oldest)."""
    further: list[str] = field(default_factory=list)
    """The first page's links to each further page, newest first (as readers go)."""
    first: str = ""
    """A further page's link to the first page."""
    newer: str = ""
    """A further page's link to the page of the next newer points (the first page for the newest)."""
    older: str = ""
    """A further page's link to the page of the next older points (none from the oldest)."""
    published: tuple[PublicationDate, PublicationDate] | None = None
    """A further page's oldest and newest publication dates of its reviews (None if none is dated)."""


def paged(points: list[TaggedPoint], address: Callable[[int], str]) -> Iterator[tuple[str, list[TaggedPoint], Pager]]:
    """The points (newest first) in pages, as readers go through them: each page's address,
    points and pager (a theme with no points still has its one page). The first page holds the
    newest points; where the further pages end is decided by the points themselves and they are
    numbered from the oldest (``addresses.page_sizes``), so a new review changes only the page
    its points land on and the first page (and, when it makes a page more or fewer, the pages
    beside that one: see ``Pager``)."""
    sizes = addresses.page_sizes([addresses.point_id(tagged.entry.review.id, tagged.anchor) for tagged in points])
    count = len(sizes)
    # The first page, then the further pages newest first: the newest of them has the highest number.
    numbers = [1, *range(count, 1, -1)]
    start = 0
    for place, (number, size) in enumerate(zip(numbers, sizes, strict=True)):
        page, chunk = address(number), points[start : start + size]
        start += size
        if count == 1:
            pager = Pager(number)
        elif number == 1:
            pager = Pager(number, further=[addresses.link(page, address(other)) for other in numbers[1:]])
        else:
            dated = sorted(date for tagged in chunk if (date := or_not_dated(tagged.entry.review.published)).dated)
            pager = Pager(
                number,
                first=addresses.link(page, address(1)),
                newer=addresses.link(page, address(numbers[place - 1])),
                older=addresses.link(page, address(numbers[place + 1])) if place + 1 < count else "",
                published=(dated[0], dated[-1]) if dated else None,
            )
        yield page, chunk, pager


def agency_pages(content: Content, points: list[TaggedPoint]) -> dict[str, PlannedPage]:
    """A digest per agency of the points and recommendations addressed to it, and an index."""
    points_to: dict[str, list[TaggedPoint]] = {key: [] for key in content.agencies}
    for tagged in points:
        for key in dict.fromkeys(tagged.point.agencies):
            points_to[key].append(tagged)
    recommendations_to: dict[str, list[tuple[ReviewEntry, Recommendation]]] = {key: [] for key in content.agencies}
    for entry in content.reviews:
        for item in entry.review.recommendations or []:
            for key in dict.fromkeys(item.addressed_to):
                if key in recommendations_to:  # else an organisation named as the report names it
                    recommendations_to[key].append((entry, item))
    pages: dict[str, PlannedPage] = {}
    summary = []
    for key, agency in content.used_agencies.items():
        for page, chunk, pager in paged(points_to[key], functools.partial(addresses.agency, key)):
            context = {
                "agency": agency,
                "points": chunk,
                "pager": pager,
                "recommendations": recommendations_to[key] if pager.number == 1 else [],
            }
            pages[page] = PlannedPage("agency.md.j2", context, (AGENCIES, REVIEWS))
        summary.append((key, agency, len(points_to[key]), len(recommendations_to[key])))
    pages[addresses.AGENCIES] = PlannedPage(
        "agencies_index.md.j2", {"agencies": sorted(summary, key=lambda item: item[1].name)}, (AGENCIES, REVIEWS)
    )
    return pages


def review_type_pages(content: Content) -> dict[str, PlannedPage]:
    """A page per type of review, listing its briefings."""
    return {
        addresses.review_type(key): PlannedPage(
            "review_type.md.j2",
            {
                "key": key,
                "review_type": review_type,
                "reviews": [e for e in content.reviews if key in e.review.review_type],
            },
            (REVIEW_TYPES, REVIEWS),
        )
        for key, review_type in content.used_review_types.items()
    }

"""Session plans (one per briefing and one per theme) and 7-minute briefings."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import addresses
from generator.model.content import Content, ReviewEntry
from generator.model.schema import Theme
from generator.pipeline.render.page import PlannedPage
from generator.pipeline.render.points import TaggedPoint
from generator.templating import display_date, join_names

SETTINGS = "content/settings.yml"
REVIEWS = "content/reviews/"
THEMES = "content/vocabularies/themes.yml"


@dataclass(frozen=True)
class PromptGroup:
    """Discussion prompts under one heading of a session plan."""

    heading: str
    points: list[TaggedPoint]
    detail: str = ""
    """Said after the heading: the board and date of a theme session's review."""


def review_session_pages(content: Content, entry: ReviewEntry, points: list[TaggedPoint]) -> dict[str, PlannedPage]:
    """The session plan and the 7-minute briefing of one review."""
    review = entry.review
    s = content.strings
    here = addresses.session_plan(review.id)
    groups = [
        PromptGroup(section.heading, [tagged for tagged in points if tagged.section is section])
        for section in review.sections
    ]
    reading = [
        [(review.title, addresses.link(here, addresses.briefing(review.id)))],
        [(s["seven_minute"], addresses.link(here, addresses.seven_minute(review.id)))],
    ]
    if content.settings.make_pdfs:
        reading.append(
            [
                (s["pdf_briefing"], addresses.link(here, addresses.briefing_pdf(review.id))),
                (s["pdf_seven_minute"], addresses.link(here, addresses.seven_minute_pdf(review.id))),
            ]
        )
    if review.report.url and not entry.report_withdrawn:
        reading.append([(f"{s['full_report']}: {review.report.title}", review.report.url)])
    plan = {
        "title": s["session_plan_title"],
        "about": s["session_about_briefing"],
        "about_fields": {
            "link": addresses.link(here, addresses.briefing(review.id)),
            "board": join_names(review.board, s["list_and"]),
            "published": display_date(review.published, s),
        },
        "reading": reading,
        "groups": groups,
        "reviews": [entry],
        "subject": review.title,
        "standing_questions": content.board_of(review).standing_questions,
    }
    sources = (entry.source, SETTINGS)
    return {
        here: PlannedPage("session_plan.md.j2", plan, sources),
        addresses.seven_minute(review.id): PlannedPage(
            "seven_minute.md.j2", {"entry": entry, "points": points}, sources
        ),
    }


THEME_SESSION_REVIEWS = 10
"""A theme's session plan draws on at most this many of the theme's reviews, the newest: what
one session can work through. The theme's own pages list every point (a national collection
has hundreds of reviews on a theme)."""


def theme_session_page(content: Content, key: str, theme: Theme, points: list[TaggedPoint]) -> PlannedPage:
    """A session plan drawing on the learning points on one theme, from its newest
    ``THEME_SESSION_REVIEWS`` reviews (every review when there are no more than that)."""
    s = content.strings
    here = addresses.theme_session_plan(key)
    by_review: dict[str, list[TaggedPoint]] = {}
    for tagged in points:
        by_review.setdefault(tagged.entry.review.id, []).append(tagged)
    every_review = [entry for entry in content.reviews if entry.review.id in by_review]  # newest first
    reviews = every_review[:THEME_SESSION_REVIEWS]
    shown_points = sum(len(by_review[entry.review.id]) for entry in reviews)
    about = s["session_about_theme"]
    about_fields: dict[str, int | str] = {"count": len(points), "reviews": len(reviews)}
    if len(every_review) > len(reviews):
        about = s["session_about_theme_newest"]
        about_fields = {
            "count": len(points),
            "reviews": len(every_review),
            "shown": len(reviews),
            "shown_points": shown_points,
            "link": addresses.link(here, addresses.theme(key)),
        }
    groups = [
        PromptGroup(
            entry.review.title,
            by_review[entry.review.id],
            f" ({join_names(entry.review.board, s['list_and'])}, {display_date(entry.review.published, s)})",
        )
        for entry in reviews
    ]
    plan = {
        "title": s["theme_session_title"],
        "about": about,
        "about_fields": about_fields,
        "reading": [[(e.review.title, addresses.link(here, addresses.briefing(e.review.id)))] for e in reviews],
        "groups": groups,
        "reviews": reviews,
        "subject": theme.name,
        "standing_questions": content.settings.standing_questions,
    }
    return PlannedPage("session_plan.md.j2", plan, (THEMES, REVIEWS, SETTINGS))

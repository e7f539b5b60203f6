"""Stage 3, render: turn a validated ``Site`` into Markdown pages, ``{path: text}``.

Nothing here touches the disk; the writer does. Paths are relative to the MkDocs docs_dir.
"""

from __future__ import annotations

import heapq
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import jinja2
from pydantic import BaseModel

from generator.model.content import Content, ReviewEntry
from generator.model.dates import PublicationDate
from generator.model.feedback_form import form_fields, reflection_questions
from generator.model.schema import (
    CaseSummary,
    LearningPoint,
    Link,
    Recommendation,
    Report,
    Review,
    Section,
    Settings,
    Theme,
)

_environment: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    """The one Jinja environment: package templates, undefined names are errors."""
    global _environment
    if _environment is None:
        _environment = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # package templates do not change while a build or preview runs
            # Every value is HTML-escaped, so markup in content is shown as text, never run; the
            # Markdown syntax authors use (emphasis, links, lists) is unaffected.
            autoescape=True,
        )
        _environment.filters["display_date"] = display_date
        _environment.globals.update(board_key=board_key)
    return _environment


def display_date(published: PublicationDate, not_dated: str = "Not dated") -> str:
    """The ``display_date`` filter: ``11 April 2019``, ``May 2017``, ``2010``."""
    return published.display(not_dated)


Page = tuple[str, dict, list[str]]
"""A page to render: its template, the template's context and the sources it comes from."""


def board_key(board: str) -> str:
    """A board's name as a filter value in a link: lowercase words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", board.lower()))


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


@dataclass(frozen=True)
class TaggedPoint:
    """A learning point as it appears on a theme page: with its review and its anchor."""

    entry: ReviewEntry
    section: Section
    point: LearningPoint
    anchor: str


def point_anchor(section_number: int, point_number: int) -> str:
    """The id of a learning point on its briefing page (both numbers count from 1)."""
    return f"lp-{section_number}-{point_number}"


def point_themes(review: Review, section: Section, point: LearningPoint) -> list[str]:
    """A point's themes: its own, else its section's, else its review's."""
    return point.themes or section.themes or review.themes


def tagged_points(reviews: Iterable[ReviewEntry]) -> list[TaggedPoint]:
    """Every learning point of every review, in page order, newest review first."""
    return [
        TaggedPoint(entry, section, point, point_anchor(s, p))
        for entry in reviews
        for s, section in enumerate(entry.review.sections, start=1)
        for p, point in enumerate(section.learning_points, start=1)
    ]


def render(content: Content, only: set[str] | None = None) -> dict[str, str]:
    """Every page of the site as Markdown, keyed by its path under the docs_dir. With ``only``
    (review ids), just those reviews' own pages: what a preview shows first after an edit."""
    pages = plan(content) if only is None else review_pages(content, [e for e in content.reviews if e.review.id in only])
    return {
        path: render_page(content, template, context, sources, searchable=not is_copy_of_learning(path))
        for path, (template, context, sources) in sorted(pages.items())
    }


def review_pages(content: Content, entries: list[ReviewEntry]) -> dict[str, Page]:
    """The pages of each review in ``entries``: briefing, discussion record, session plan and
    7-minute briefing."""
    points_of_review: dict[str, list[TaggedPoint]] = {entry.review.id: [] for entry in entries}
    for tagged in tagged_points(entries):
        points_of_review[tagged.entry.review.id].append(tagged)
    related = related_briefings(content, entries)
    pages: dict[str, Page] = {}
    for entry in entries:
        fields = form_fields(content.settings.feedback, reflection_questions(entry))
        pages[f"reviews/{entry.review.id}.md"] = (
            "briefing.md.j2",
            {"entry": entry, "related": related[entry.review.id], "feedback_fields": fields},
            [entry.source, "content/settings.yml"],
        )
        pages[f"records/{entry.review.id}.md"] = (
            "record.md.j2",
            {"entry": entry, "fields": fields},
            [entry.source, "content/settings.yml"],
        )
        pages.update(_session_pages(content, entry, points_of_review[entry.review.id]))
    return pages


def plan(content: Content) -> dict[str, Page]:
    """Every page of the site, not yet rendered: its template, context and sources."""
    points = tagged_points(content.reviews)
    points_on_theme: dict[str, list[TaggedPoint]] = {key: [] for key in content.themes}
    for tagged in points:
        for key in point_themes(tagged.entry.review, tagged.section, tagged.point):
            points_on_theme[key].append(tagged)
    pages: dict[str, Page] = {
        "index.md": ("home.md.j2", {}, ["content/settings.yml", "content/reviews/"]),
        "reviews/index.md": ("briefings_index.md.j2", {}, ["content/reviews/"]),
        "accessibility.md": ("accessibility.md.j2", {}, ["content/settings.yml"]),
        "themes/index.md": ("themes_index.md.j2", {}, ["content/vocabularies/themes.yml"]),
        "types/index.md": ("review_types_index.md.j2", {}, ["content/vocabularies/review_types.yml"]),
        "guide/authors.md": (
            "authors_guide.md.j2",
            _guide_context(content),
            ["generator/model.py", "content/vocabularies/"],
        ),
    }
    pages.update(review_pages(content, content.reviews))
    themes_with_points = []
    for key, theme in content.themes.items():
        on_theme = points_on_theme[key]
        pages[f"themes/{key}.md"] = (
            "theme.md.j2",
            {
                "key": key,
                "theme": theme,
                "points": on_theme,
                "questions": list(dict.fromkeys(q for tagged in on_theme for q in tagged.point.questions)),
                "related_themes": related_themes(content, key, on_theme),
            },
            ["content/vocabularies/themes.yml", "content/reviews/"],
        )
        if on_theme:
            themes_with_points.append((key, theme))
            pages[f"sessions/theme-{key}.md"] = _theme_session_page(content, theme, on_theme)
    pages.update(_agency_pages(content, points))
    if content.settings.feedback.publish_summary:
        pages["feedback.md"] = (
            "feedback_summary.md.j2",
            {"published": {entry.review.id for entry in content.reviews}},
            ["content/feedback-summary.json", "content/settings.yml"],
        )
    pages["browse.md"] = (
        "browse.md.j2",
        browse_context(content),
        ["content/reviews/", "content/vocabularies/"],
    )
    pages["sessions/index.md"] = (
        "sessions_index.md.j2",
        {"themes": sorted(themes_with_points, key=lambda item: item[1].name)},
        ["content/settings.yml", "content/reviews/"],
    )
    for key, review_type in content.review_types.items():
        of_type = [entry for entry in content.reviews if entry.review.review_type == key]
        pages[f"types/{key}.md"] = (
            "review_type.md.j2",
            {"key": key, "review_type": review_type, "reviews": of_type},
            ["content/vocabularies/review_types.yml", "content/reviews/"],
        )
    return pages


@dataclass(frozen=True)
class FieldDoc:
    """One row of a field table in the authors' guide."""

    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelDoc:
    """One table of fields in the authors' guide."""

    title: str
    description: str
    fields: list[FieldDoc]


def field_docs(model: type[BaseModel]) -> list[FieldDoc]:
    """The fields of ``model`` with the meaning their docstrings give."""
    return [
        FieldDoc(name, info.is_required(), " ".join((info.description or "").split()).replace("|", "\\|"))
        for name, info in model.model_fields.items()
    ]


def _guide_context(content: Content) -> dict:
    from generator.scaffold import example_review_text

    documented = [
        ("Review (front matter)", Review),
        ("Each of `sections`", Section),
        ("Each of `learning_points`", LearningPoint),
        ("Each of `recommendations`", Recommendation),
        ("Each of `further_reading`", Link),
        ("`report`", Report),
        ("The Markdown after the front matter", CaseSummary),
    ]
    return {
        "models": [
            ModelDoc(title, " ".join((model.__doc__ or "").split()), field_docs(model)) for title, model in documented
        ],
        "settings_fields": field_docs(Settings),
        "example": example_review_text(),
        "example_error": _example_error(content),
    }


def _example_error(content: Content) -> str:
    """A real error message: the example file with a misspelt theme, as ``check`` reports it."""
    from generator.errors import ContentErrors
    from generator.pipeline.load import parse_review
    from generator.pipeline.validate import validate_reviews
    from generator.scaffold import EXAMPLE_ID, example_review_text

    text = example_review_text().replace("themes:\n  - information-sharing", "themes:\n  - hidden-men", 1)
    document = parse_review(text, f"content/reviews/{EXAMPLE_ID}.md")
    try:
        validate_reviews([document], content)
    except ContentErrors as failure:
        return str(failure.errors[0])
    raise AssertionError("the example error is no longer an error")


@dataclass(frozen=True)
class PromptGroup:
    """Discussion prompts under one heading of a session plan."""

    heading: str
    points: list[TaggedPoint]


def _session_pages(content: Content, entry: ReviewEntry, points: list[TaggedPoint]) -> dict[str, Page]:
    """The session plan and the 7-minute briefing of one review."""
    review = entry.review
    s = content.strings
    published = review.published.display(s["not_dated"])
    groups = [
        PromptGroup(section.heading, [tagged for tagged in points if tagged.section is section])
        for section in review.sections
    ]
    reading = [
        f"[{review.title}](../reviews/{review.id}.md)",
        f"[{s['seven_minute']}](../seven-minute/{review.id}.md)",
    ]
    if content.settings.make_pdfs:
        reading.append(
            f"[{s['pdf_briefing']}](../pdf/{review.id}.pdf) · [{s['pdf_seven_minute']}](../pdf/{review.id}-7-minute.pdf)"
        )
    if review.report.url and not entry.report_withdrawn:
        reading.append(f"[{s['full_report']}: {review.report.title}]({review.report.url})")
    plan = {
        "title": s["session_plan_title"].format(title=review.title),
        "about": s["session_about_briefing"].format(
            title=review.title, link=f"../reviews/{review.id}.md", board=review.board, published=published
        ),
        "reading": reading,
        "groups": groups,
        "reviews": [entry],
        "subject": review.title,
    }
    return {
        f"sessions/{review.id}.md": ("session_plan.md.j2", plan, [entry.source, "content/settings.yml"]),
        f"seven-minute/{review.id}.md": (
            "seven_minute.md.j2",
            {"entry": entry, "points": points},
            [entry.source, "content/settings.yml"],
        ),
    }


def _theme_session_page(content: Content, theme: Theme, points: list[TaggedPoint]) -> Page:
    """A session plan drawing on every learning point on one theme."""
    s = content.strings
    by_review: dict[str, list[TaggedPoint]] = {}
    for tagged in points:
        by_review.setdefault(tagged.entry.review.id, []).append(tagged)
    reviews = [entry for entry in content.reviews if entry.review.id in by_review]
    groups = [
        PromptGroup(
            f"{entry.review.title} ({entry.review.board}, {entry.review.published.display(s['not_dated'])})",
            by_review[entry.review.id],
        )
        for entry in reviews
    ]
    plan = {
        "title": s["theme_session_title"].format(name=theme.name),
        "about": s["session_about_theme"].format(name=theme.name, count=len(points), reviews=len(reviews)),
        "reading": [f"[{entry.review.title}](../reviews/{entry.review.id}.md)" for entry in reviews],
        "groups": groups,
        "reviews": reviews,
        "subject": theme.name,
    }
    return ("session_plan.md.j2", plan, ["content/vocabularies/themes.yml", "content/reviews/", "content/settings.yml"])


def related_briefings(content: Content, entries: list[ReviewEntry], limit: int = 5) -> dict[str, list[ReviewEntry]]:
    """For each review id in ``entries``, the other briefings sharing the most themes with it
    (newest first among equals). Each review's themes are a bit mask, so comparing two reviews
    is one ``&``."""
    bit = {key: 1 << number for number, key in enumerate(content.themes)}
    masks = [sum(bit[key] for key in set(entry.review.themes)) for entry in content.reviews]
    position = {entry.review.id: number for number, entry in enumerate(content.reviews)}
    related: dict[str, list[ReviewEntry]] = {}
    for entry in entries:
        number = position[entry.review.id]
        mask = masks[number]
        shared = [(mask & other).bit_count() for other in masks]
        shared[number] = 0
        ranked = heapq.nlargest(limit, range(len(shared)), key=shared.__getitem__)  # stable: newest first
        related[entry.review.id] = [content.reviews[other] for other in ranked if shared[other]]
    return related


def related_themes(content: Content, key: str, points: list[TaggedPoint], limit: int = 5) -> list[tuple[str, Theme]]:
    """The themes most often tagged on the same learning points as theme ``key``."""
    counts = Counter(
        other
        for tagged in points
        for other in point_themes(tagged.entry.review, tagged.section, tagged.point)
        if other != key
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], content.themes[item[0]].name))
    return [(other, content.themes[other]) for other, _ in ranked[:limit]]


def _agency_pages(content: Content, points: list[TaggedPoint]) -> dict[str, Page]:
    """A digest per agency of the points and recommendations addressed to it, and an index."""
    pages: dict[str, Page] = {}
    summary = []
    points_to: dict[str, list[TaggedPoint]] = {key: [] for key in content.agencies}
    for tagged in points:
        for key in dict.fromkeys(tagged.point.agencies):
            points_to[key].append(tagged)
    recommendations_to: dict[str, list[tuple[ReviewEntry, Recommendation]]] = {key: [] for key in content.agencies}
    for entry in content.reviews:
        for item in entry.review.recommendations:
            for key in dict.fromkeys(item.addressed_to):
                recommendations_to[key].append((entry, item))
    for key, agency in content.agencies.items():
        to_agency = points_to[key]
        recommendations = recommendations_to[key]
        pages[f"agencies/{key}.md"] = (
            "agency.md.j2",
            {"agency": agency, "points": to_agency, "recommendations": recommendations},
            ["content/vocabularies/agencies.yml", "content/reviews/"],
        )
        summary.append((key, agency, len(to_agency), len(recommendations)))
    pages["agencies/index.md"] = (
        "agencies_index.md.j2",
        {"agencies": sorted(summary, key=lambda item: item[1].name)},
        ["content/vocabularies/agencies.yml", "content/reviews/"],
    )
    return pages


def browse_context(content: Content) -> dict:
    """The browse page: every briefing with its filter values, and each filter's options."""
    s = content.strings
    items = []
    labels: dict[str, dict[str, str]] = {
        facet: {} for facet in ("theme", "type", "board", "nation", "year", "age", "agency")
    }
    for entry in content.reviews:
        review = entry.review
        agencies = sorted(
            {a for section in review.sections for p in section.learning_points for a in p.agencies}
            | {a for item in review.recommendations for a in item.addressed_to}
            | set(review.agencies)
        )
        values = {
            "theme": {key: content.themes[key].name for key in review.themes},
            "type": {review.review_type: content.review_types[review.review_type].name},
            "board": {board_key(review.board): review.board},
            "nation": {board_key(review.nation): review.nation},
            "year": {review.published.year_key: review.published.year.display(s["not_dated"])},
            "age": {review.age_group: content.age_groups[review.age_group].name},
            "agency": {key: content.agencies[key].name for key in agencies},
        }
        for facet, options in values.items():
            labels[facet].update(options)
        items.append(BrowseItem(entry, {facet: sorted(options) for facet, options in values.items()}))
    facets = []
    for facet, options in labels.items():
        counts = Counter(value for item in items for value in item.facets[facet])
        order = sorted(options, reverse=True) if facet == "year" else sorted(options, key=lambda k: options[k].lower())
        if facet == "age":
            order = sorted(options, key=lambda k: content.age_groups[k].order)
        facets.append(Facet(facet, s[f"facet_{facet}"], [FacetOption(key, options[key], counts[key]) for key in order]))
    return {"items": items, "facets": facets}


def is_copy_of_learning(path: str) -> bool:
    """Session plans and 7-minute briefings repeat their briefings' learning points: they are
    left out of the search index so that a search lands on the briefing itself."""
    return path.startswith(("sessions/", "seven-minute/", "records/")) and not path.endswith("index.md")


def render_page(content: Content, template: str, context: dict, sources: list[str], searchable: bool = True) -> str:
    """One page: the generated-file note, then the template's output."""
    s = content.strings
    note = s["generated_note"].format(sources=", ".join(sources))
    body = (
        environment()
        .get_template(template)
        .render(content=content, s=s, point_anchor=point_anchor, point_themes=point_themes, **context)
    )
    # Values were HTML-escaped; an apostrophe needs no escaping in Markdown text or in the
    # double-quoted attributes the templates use, so it is put back for readable pages.
    body = body.strip().replace("&#39;", "'")
    # The title stays HTML-escaped: MkDocs and Material insert it into pages as it is.
    title = body.splitlines()[0].removeprefix("# ") if body.startswith("# ") else ""
    # MkDocs takes the title from front matter, which must open the file; the same note also
    # goes in the page body so that the built HTML says where it came from.
    meta = f"title: {json.dumps(title, ensure_ascii=False)}\n" + ("" if searchable else "search:\n  exclude: true\n")
    return f"---\n# {note}\n{meta}---\n<!-- {note} -->\n\n{body}\n"

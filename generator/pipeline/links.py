"""Part of stage 2, validate: every link in the content leads somewhere.

A relative link in a review's Markdown must lead to a page the site will have, from every page
that shows the text, and a link to part of a briefing (``#lp-1-2``) to a part it has; otherwise
MkDocs would stop the build naming a generated page. The pages come from the page plan's
addresses, worked out before anything is rendered."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown.extensions.toc import slugify, unique

from generator.errors import ContentError
from generator.model import addresses
from generator.model.content import Content, ReviewEntry, point_themes
from generator.pipeline.load import Document, Loc

_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

BRIEFING_HEADINGS = (
    "how_to_use_heading",
    "case_summary",
    "good_practice",
    "board_response",
    "standing_questions",
    "further_reading",
    "related",
)
"""The strings that head a part of every briefing (besides its sections, ``what_is``,
``recommendations``, ``board_questions`` and ``feedback``); a test holds this list to the
briefing template."""


def links_in(text: str) -> Iterator[tuple[int, str]]:
    """Each link target in Markdown ``text`` with its offset: inline links, images and
    reference definitions."""
    for pattern in (_INLINE, _REFERENCE):
        for match in pattern.finditer(text):
            yield match.start(1), match.group(1)


SETTINGS_SHOWN_ON = {
    "intro": [addresses.HOME],
    "how_to_use": [addresses.HOME, addresses.BRIEFINGS, addresses.SESSIONS],
    "standing_questions": [addresses.HOME, addresses.BRIEFINGS, addresses.SESSIONS, addresses.seven_minute("x")],
    "session": [addresses.SESSIONS],
}
"""The settings whose Markdown appears in pages, and a page of each folder that shows it."""


def check_links(
    content: Content,
    reviews: dict[str, Document],
    settings: Document,
    also_ids: frozenset[str] | set[str] = frozenset(),
) -> list[ContentError]:
    """Every broken link in the settings' and published reviews' Markdown, at ``path:line: field``.
    Links to the pages of the reviews ``also_ids`` (files with errors of their own) pass."""
    planned = addresses.planned_pages(content)
    for review_id in also_ids:
        planned.update(
            addresses.review_page_addresses(review_id, content.settings.make_pdfs, content.settings.make_word)
        )
    anchors = BriefingAnchors(content)
    errors: list[ContentError] = []
    for entry in content.reviews:
        document = reviews[entry.source]
        for loc, offset, text, target in relative_links(document):
            problem = link_problem(target, pages_showing(content, entry, loc), planned, anchors)
            if problem:
                line, field = document.where(loc, text, offset)
                errors.append(ContentError(document.path, line, field, problem))
    for loc, text in settings.texts():
        if isinstance(loc[0], str) and loc[0] in SETTINGS_SHOWN_ON:
            errors += _broken(settings, loc, text, SETTINGS_SHOWN_ON[loc[0]], planned, anchors)
    return errors


NOT_MARKDOWN = ("id", "anonymity_allow", "report", "further_reading")
"""Review fields that hold no Markdown a link could be in."""


def relative_links(document: Document) -> list[tuple[Loc, int, str, str]]:
    """Every link in a review file that is not a web or e-mail address: where it is (field,
    offset, the field's text) and its target. Worked out once for each version of the file."""
    if "links" not in document.memo:
        document.memo["links"] = [
            (loc, offset, text, target)
            for loc, text in document.texts(skip=NOT_MARKDOWN)
            if "](" in text or "]:" in text
            for offset, target in links_in(text)
            if not _is_address(target)
        ]
    return document.memo["links"]


def _is_address(target: str) -> bool:
    """A web or e-mail address (or nothing), which no page of the site needs to match."""
    return not target or bool(_SCHEME.match(target)) or target.startswith("//")


def _broken(
    document: Document, loc: Loc, text: str, shown_on: list[str], planned: set[str], anchors: BriefingAnchors
) -> list[ContentError]:
    errors = []
    if "](" in text or "]:" in text:
        for offset, target in links_in(text):
            problem = link_problem(target, shown_on, planned, anchors)
            if problem:
                line, field = document.where(loc, text, offset)
                errors.append(ContentError(document.path, line, field, problem))
    return errors


def link_problem(target: str, shown_on: list[str], planned: set[str], anchors: BriefingAnchors) -> str | None:
    """What is wrong with a link to ``target`` in text shown on the pages ``shown_on``, or None."""
    if _is_address(target):
        return None  # checked by nobody but the reader
    if target.startswith("/"):
        return (
            f"link {target!r} starts with '/', which breaks when the site is published in a folder; "
            "use a full web address (https://...) or a link such as ../reviews/ID.md"
        )
    path, _, anchor = target.partition("#")
    for page in shown_on:
        destination = addresses.resolve(page, path) if path else page
        if destination not in planned:
            return (
                f"link {target!r} does not lead to a page of this site (from {page} it leads to {destination}); "
                "link to a briefing as ../reviews/ID.md, or use a full web address (https://...)"
            )
        if anchor and anchor not in anchors.of(destination):
            if not path and page != shown_on[0]:
                return (
                    f"link {target!r} leads to a part of this page, but this text is also shown on {page}, "
                    f"which has no such part; link to the briefing's part as ../{shown_on[0]}#{anchor}"
                )
            where = (
                "a part of a briefing" if anchors.is_briefing(destination) else "a part of a page other than a briefing"
            )
            return (
                f"link {target!r} leads to {where} that does not exist (#{anchor} on {destination}); "
                "link to a learning point as #lp-SECTION-POINT (for example #lp-1-2), or to the page itself"
            )
    return None


def pages_showing(content: Content, entry: ReviewEntry, loc: Loc) -> list[str]:
    """The pages that show the text at ``loc`` of a review: one page in each folder is enough,
    since a relative link leads to the same place from every page of a folder."""
    review_id = entry.review.id
    field = loc[0]
    if field in ("summary", "title"):
        return [addresses.HOME, addresses.briefing(review_id)]
    if field == "sections" and len(loc) > 3 and loc[2] == "learning_points":
        section = entry.review.sections[int(loc[1])]
        point = section.learning_points[int(loc[3])]
        return [
            addresses.briefing(review_id),
            addresses.session_plan(review_id),
            addresses.seven_minute(review_id),
            addresses.record(review_id),
            *[addresses.theme(key) for key in point_themes(entry.review, section, point)[:1]],
            *[addresses.agency(key) for key in point.agencies[:1]],
        ]
    if field == "facilitator_notes":
        return [addresses.session_plan(review_id)]
    if field in ("good_practice", "recommendations"):
        return [addresses.briefing(review_id), addresses.seven_minute(review_id)]
    if field == "sections" and len(loc) > 2 and loc[2] == "heading":
        return [addresses.briefing(review_id), addresses.session_plan(review_id)]
    return [addresses.briefing(review_id)]  # the case summary, narratives, board questions and response


class BriefingAnchors:
    """The parts of each briefing page, worked out for the briefings that links lead to only."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.entries = {addresses.briefing(entry.review.id): entry for entry in content.reviews}
        self.known: dict[str, set[str]] = {}

    def is_briefing(self, page: str) -> bool:
        return page in self.entries

    def of(self, page: str) -> set[str]:
        """The ids of the parts of ``page``; none for a page that is not a briefing."""
        if page not in self.entries:
            return set()
        if page not in self.known:
            self.known[page] = briefing_anchors(self.content, self.entries[page])
        return self.known[page]


def briefing_anchors(content: Content, entry: ReviewEntry) -> set[str]:
    """The ids of the parts of a briefing page: its headings (as Python-Markdown's table of
    contents makes them) and its learning points."""
    s = content.strings
    review = entry.review
    headings = [review.title, *(s[name] for name in BRIEFING_HEADINGS)]
    for key in review.review_type:
        if key in content.review_types:  # else its vocabulary has errors of its own
            headings.append(s["what_is"].format(name=content.review_types[key].name))
    headings += [section.heading for section in review.sections]
    if review.board_questions:
        headings.append(s["board_questions"])
    ids: set[str] = {"recommendations", "feedback"}
    for heading in headings:
        ids.add(unique(slugify(_plain(heading), "-"), ids))
    ids.update(
        addresses.point_anchor(s_number, p_number)
        for s_number, section in enumerate(review.sections, start=1)
        for p_number, _ in enumerate(section.learning_points, start=1)
    )
    return ids


def _plain(heading: str) -> str:
    """A heading's words without Markdown emphasis or link syntax."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("*", "").replace("`", "")

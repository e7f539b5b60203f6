"""What the stages pass on: the content after validation, ready to render."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import TypeVar

from generator.errors import ContentError
from generator.model.dates import or_not_dated
from generator.model.schema import (
    AgeGroup,
    Agency,
    FeedbackSummary,
    Jargon,
    LearningPoint,
    Review,
    ReviewType,
    Section,
    Settings,
    Theme,
)

Entry = TypeVar("Entry")

LOCALES = {"en": "en-GB", "cy": "cy-GB"}
"""Each language of the site as documents' metadata names it."""


@dataclass(frozen=True)
class ReviewEntry:
    """A validated review with its case summary and the file it came from."""

    review: Review
    case_summary: str
    source: str
    preview: bool = False
    """A draft or embargoed review shown only in a local preview (``briefings serve --drafts``)."""
    report_withdrawn: bool = False
    """The full report's ``available_until`` date has passed."""
    fingerprint: str = ""
    """A hash of the review's file (its path and bytes) when the build keeps a cache, else
    empty: with ``preview`` and ``report_withdrawn`` it stands for the review in cache keys."""


@dataclass(frozen=True)
class BoardView:
    """The settings that apply to one review's pages: its board's own, else the site's."""

    standing_questions: list[str]
    seven_minute_headings: list[str]
    contact_email: str
    feedback_endpoint: str | None


@dataclass(frozen=True)
class Content:
    """All content, validated and cross-checked: what the render stage works from. (The *site*
    is what MkDocs builds from the rendered pages.)"""

    settings: Settings
    strings: dict[str, str]
    review_types: dict[str, ReviewType]
    themes: dict[str, Theme]
    agencies: dict[str, Agency]
    age_groups: dict[str, AgeGroup]
    reviews: list[ReviewEntry]
    """Published reviews, newest first."""
    feedback_summary: FeedbackSummary | None = None
    """The feedback summary to publish, when the settings ask for it and there is one."""
    warnings: tuple[ContentError, ...] = ()
    """Likely identifying details found by the anonymity check (errors instead with ``strict``),
    and the plain-English check's findings (always warnings)."""
    jargon: dict[str, Jargon] = dataclasses.field(default_factory=dict)
    """The terms the plain-English check points out, with plainer words."""
    language: str = "en"
    """The language of this edition of the content (``en`` or ``cy``)."""
    left_in_english: frozenset[str] = frozenset()
    """In an edition in another language, the texts (stripped) it shows in English for want of a
    translation, from the reviews, the settings and the vocabularies: its pages mark each as
    English (``lang="en"``). Empty in English."""
    fingerprint: str = ""
    """When the build keeps a cache, a hash of everything in this edition but its reviews (the
    generator's code, the settings, strings and vocabularies as files, the language, the text left
    in English): two builds with the same fingerprint make the same page from the same reviews.
    Empty without a cache."""
    translations: tuple[Content, ...] = ()
    """The content in the site's other languages (``languages:`` in the settings), one edition
    each, with the same reviews, facts and pages; empty for a site in English only."""

    @functools.cached_property
    def used_themes(self) -> dict[str, Theme]:
        """The themes some published review, section or point is tagged with: each gets a page
        (a board's vocabulary may hold many more than its reviews use)."""
        return _named(self.themes, {key for entry in self.reviews for key in entry.review.theme_keys})

    @functools.cached_property
    def used_agencies(self) -> dict[str, Agency]:
        """The agencies some published review involves, or addresses a point or recommendation to."""
        return _named(self.agencies, {key for entry in self.reviews for key in entry.review.agencies_named})

    @functools.cached_property
    def used_review_types(self) -> dict[str, ReviewType]:
        """The types of review of some published review."""
        return _named(self.review_types, {key for entry in self.reviews for key in entry.review.review_type})

    @property
    def locale(self) -> str:
        """The language as documents name it (``en-GB``, ``cy-GB``)."""
        return LOCALES[self.language]

    def board_of(self, review: Review) -> BoardView:
        """The settings for ``review``'s pages: those of the first of its boards that has its
        own, falling back to the site's for anything that board leaves out."""
        site = self.settings
        own = next((site.boards[name] for name in review.board if name in site.boards), None)
        return BoardView(
            standing_questions=(own and own.standing_questions) or site.standing_questions,
            seven_minute_headings=(own and own.seven_minute_headings) or site.seven_minute_headings,
            contact_email=(own and own.contact_email) or site.contact_email,
            feedback_endpoint=(own and own.feedback_endpoint) or site.feedback.endpoint,
        )

    def content_epoch(self) -> int:
        """The time stamp MkDocs puts in the sitemap: the newest publication date in the
        content, so that the same content always gives the same files."""
        dates = [or_not_dated(entry.review.published) for entry in self.reviews]
        dated = [date for date in dates if date.dated]
        return max(dated).epoch() if dated else 0


def point_themes(review: Review, section: Section, point: LearningPoint) -> list[str]:
    """A point's themes: its own, else its section's, else its review's."""
    return point.themes or section.themes or review.themes


def _named(vocabulary: dict[str, Entry], keys: set[str]) -> dict[str, Entry]:
    """The entries of ``vocabulary`` whose keys are among ``keys``, in the vocabulary's order."""
    return {key: entry for key, entry in vocabulary.items() if key in keys}

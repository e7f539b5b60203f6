"""The learning as open data: the records of ``learning.json`` and ``learning.csv``.

The JSON Schema published beside the data is made from these classes, so each field's docstring
is its documentation for the people who reuse the data."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ItemKind = Literal["learning point", "question", "recommendation"]


class OpenRecord(BaseModel):
    """Shared settings: the published data has exactly these fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Licence(OpenRecord):
    """The licence the data is published under."""

    name: str
    """The licence's name, such as Open Government Licence v3.0."""
    url: str
    """Where the licence is published."""


class LearningItem(OpenRecord):
    """One learning point, reflection question or recommendation of a published review."""

    id: str
    """Stable within the site: the review's id, then ``lp-S-P`` for learning point P of section S,
    ``lp-S-P-qN`` for its question N, or ``rec-N`` for recommendation N."""
    item: ItemKind
    """``learning point``, ``question`` or ``recommendation``."""
    text: str
    """The point, question or recommendation, as the briefing gives it (Markdown)."""
    point_kind: str | None
    """For a learning point: what the review calls it (``learning point``, ``finding``, ``lesson``,
    ``conclusion``, ``learning theme`` or ``key message``); otherwise null."""
    point_id: str | None
    """For a question: the id of the learning point it belongs to; otherwise null."""
    section: str | None
    """The heading of the briefing's section the item is in (null for a recommendation)."""
    review_id: str
    """The review's id on the site."""
    review_title: str
    """The briefing's title."""
    boards: list[str]
    """The board(s) or partnership(s) that published the review."""
    review_types: list[str]
    """The kind(s) of review, by name (Serious Case Review, Safeguarding Adults Review...)."""
    review_type_keys: list[str]
    """The same kinds by their key in the site's vocabulary (``scr``, ``sar``...)."""
    nation: str
    """England, Wales, Scotland or Northern Ireland."""
    published: str
    """The review's publication date as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, or ``not dated``."""
    updated: str | None
    """The date the briefing was last changed (``YYYY-MM-DD``), or null if it has not been."""
    status: Literal["published", "archived"]
    """``published``, or ``archived`` (still published, no longer among the newest)."""
    themes: list[str]
    """The practice themes of the item, by name."""
    theme_keys: list[str]
    """The same themes by their key in the site's vocabulary."""
    agencies: list[str]
    """The agencies or organisations the item is addressed to, by name (may be empty)."""
    written_by: Literal["review", "board"]
    """``review``: the review's own words or learning, restated; ``board``: written by the board
    for the briefing."""
    source: str | None
    """Where in the review's report it is, such as ``p. 23, §5.1.3`` (null if not given)."""
    url: str
    """The item's place on the site: a full address when the site's address is set, otherwise an
    address relative to the site's root."""


class ReviewRecord(OpenRecord):
    """One published review: what a collection of many boards' learning needs to show its
    briefing (added in version 1 as an optional list; older files have none)."""

    id: str
    """The review's id on the site (the ``review_id`` of its items)."""
    title: str
    """The briefing's title."""
    summary: str
    """One or two sentences shown in lists of briefings."""
    case_summary: str
    """The case summary: who the child or adult was, what happened, why the review was held
    (Markdown)."""
    pseudonyms: list[str]
    """Every pseudonym the review uses, exactly as published."""
    boards: list[str]
    """The board(s) or partnership(s) that published the review."""
    review_type_keys: list[str]
    """The kind(s) of review by their key in the site's vocabulary."""
    review_types: list[str]
    """The same kinds by name."""
    theme_keys: list[str]
    """The review's practice themes by their key in the site's vocabulary."""
    themes: list[str]
    """The same themes by name."""
    nation: str
    """England, Wales, Scotland or Northern Ireland."""
    published: str
    """The review's publication date as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, or ``not dated``."""
    updated: str | None
    """The date the briefing was last changed (``YYYY-MM-DD``), or null if it has not been."""
    status: Literal["published", "archived"]
    """``published``, or ``archived``."""
    report_title: str
    """The full report's title."""
    report_url: str | None
    """Where the full report is published, or null if it is not online (or no longer published)."""
    url: str
    """The briefing's page: a full address when the site's address is set, otherwise an address
    relative to the site's root."""


class LearningData(OpenRecord):
    """``learning.json``: every learning point, question and recommendation of the site's
    published reviews."""

    schema_: str = Field(alias="$schema")
    """The address of the JSON Schema the file follows."""
    version: int
    """The version of the format; a change that could break a reader's code makes a new version."""
    generated_from: str
    """Where the file was generated from."""
    publisher: str
    """The board or partnership that publishes the site."""
    site: str
    """The site's name."""
    licence: Licence
    """The licence the data is published under."""
    items: list[LearningItem]
    """Every item, newest review first, in the order of the briefing."""
    reviews: list[ReviewRecord] = []
    """Every published review, newest first, with what a list of briefings shows (optional:
    files made before it was added have none)."""


CSV_COLUMNS = tuple(name for name in LearningItem.model_fields)
"""The columns of ``learning.csv``, in order: the fields of ``LearningItem``."""

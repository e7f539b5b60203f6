"""The figures of the feedback report: per briefing, per theme and in all, from the stored submissions.

The answers are read by field name: ``people``, ``agency``, ``roles``, ``usefulness``,
``change-action``, ``change-owner`` and ``change-by`` (the constants below); a figure whose
field is not in the settings is 0. ``summary`` gives the figures with no personal data, as
``summary.json`` (see ``generator/feedback/report.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from generator.feedback.store import Submission
from generator.model.content import Content

PEOPLE = "people"
AGENCY = "agency"
ROLES = "roles"
USEFULNESS = "usefulness"
CHANGE_ACTION = "change-action"
CHANGE_OWNER = "change-owner"
CHANGE_BY = "change-by"

DEFAULT_USEFULNESS = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class Change:
    """One "what we will change" answer."""

    briefing: str
    action: str
    owner: str
    by: str


@dataclass
class Tally:
    """The figures for a group of submissions (one briefing, one theme, or all)."""

    scale: tuple[str, ...]
    """The usefulness answers, in order."""
    sessions: int = 0
    people: int = 0
    agencies: dict[str, str] = field(default_factory=dict)
    """Each distinct agency (case and spacing ignored) -> its first spelling."""
    roles: list[str] = field(default_factory=list)
    usefulness: Counter[str] = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    """How many submissions came from the pages in each language (``en``, ``cy``)."""

    def add(self, submission: Submission) -> None:
        """Count one submission."""
        answers = submission.answers
        self.sessions += 1
        self.languages[submission.language] += 1
        people = answers.get(PEOPLE, "")
        if re.fullmatch(r"\d{1,9}", people):
            self.people += int(people)
        agency = " ".join(answers.get(AGENCY, "").split())
        if agency:
            self.agencies.setdefault(agency.casefold(), agency)
        if answers.get(ROLES, "").strip():
            self.roles.append(answers[ROLES].strip())
        if answers.get(USEFULNESS, ""):
            self.usefulness[answers[USEFULNESS]] += 1
        if answers.get(CHANGE_ACTION, "").strip():
            self.changes.append(
                Change(
                    submission.briefing,
                    answers[CHANGE_ACTION].strip(),
                    answers.get(CHANGE_OWNER, "").strip(),
                    answers.get(CHANGE_BY, "").strip(),
                )
            )

    @property
    def usefulness_answers(self) -> int:
        return sum(self.usefulness.values())

    @property
    def usefulness_mean(self) -> float | None:
        """The mean of the numeric usefulness answers, to two places; ``None`` if there are none."""
        numbers = [int(value) for value, count in self.usefulness.items() for _ in range(count) if value.isdigit()]
        return round(sum(numbers) / len(numbers), 2) if numbers else None

    def figures(self) -> dict:
        """The figures without personal data, as ``summary.json`` gives them."""
        return {
            "sessions": self.sessions,
            "people": self.people,
            "agencies": len(self.agencies),
            "changes": len(self.changes),
            "usefulness": {
                "answers": self.usefulness_answers,
                "mean": self.usefulness_mean,
                "counts": {value: self.usefulness.get(value, 0) for value in self.scale},
            },
        }


@dataclass(frozen=True)
class Group:
    """A heading of the report and its figures."""

    key: str
    title: str
    tally: Tally
    themes: tuple[str, ...] = ()
    briefings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Aggregates:
    """Every figure of the report."""

    totals: Tally
    briefings: list[Group]
    """Every published briefing in site order, then any other briefing with feedback."""
    themes: list[Group]
    """Every theme of a published briefing, in vocabulary order."""
    submissions: int
    first_received: str | None
    last_received: str | None


def usefulness_scale(content: Content) -> tuple[str, ...]:
    """The usefulness answers in order: the choices of the ``usefulness`` field, or 1 to 5."""
    for setting in content.settings.feedback.fields:
        if setting.name == USEFULNESS and setting.choices:
            return tuple(setting.choices)
    return DEFAULT_USEFULNESS


def aggregate(content: Content, submissions: list[Submission]) -> Aggregates:
    """The figures per briefing, per theme and in all."""
    scale = usefulness_scale(content)
    totals = Tally(scale)
    by_briefing: dict[str, Tally] = {entry.review.id: Tally(scale) for entry in content.reviews}
    for submission in submissions:
        totals.add(submission)
        by_briefing.setdefault(submission.briefing, Tally(scale)).add(submission)
    entries = {entry.review.id: entry for entry in content.reviews}
    briefings = [
        Group(
            key,
            entries[key].review.title if key in entries else key,
            tally,
            themes=tuple(entries[key].review.themes) if key in entries else (),
        )
        for key, tally in by_briefing.items()
    ]
    themes = []
    for theme, details in content.themes.items():
        tagged = [entry.review.id for entry in content.reviews if theme in entry.review.themes]
        if not tagged:
            continue
        tally = Tally(scale)
        for submission in submissions:
            if submission.briefing in tagged:
                tally.add(submission)
        themes.append(Group(theme, details.name, tally, briefings=tuple(tagged)))
    dates = sorted(submission.received_at for submission in submissions)
    return Aggregates(
        totals=totals,
        briefings=briefings,
        themes=themes,
        submissions=len(submissions),
        first_received=dates[0][:10] if dates else None,
        last_received=dates[-1][:10] if dates else None,
    )


def summary(content: Content, aggregates: Aggregates) -> dict:
    """``summary.json``: the figures with no personal data (its shape is in ``generator.feedback.report``)."""
    published = {entry.review.id for entry in content.reviews}
    return {
        "submissions": aggregates.submissions,
        "first_received": aggregates.first_received,
        "last_received": aggregates.last_received,
        "totals": aggregates.totals.figures(),
        "briefings": [
            {"id": group.key, "title": group.title, "themes": list(group.themes), **group.tally.figures()}
            for group in aggregates.briefings
            if group.key in published
        ],
        "themes": [
            {"id": group.key, "name": group.title, "briefings": len(group.briefings), **group.tally.figures()}
            for group in aggregates.themes
        ],
    }

"""Learning points across reviews: each with its review and anchor, and what relates to what."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model.addresses import point_anchor
from generator.model.content import Content, ReviewEntry, point_themes
from generator.model.schema import LearningPoint, Section, Theme


@dataclass(frozen=True)
class TaggedPoint:
    """A learning point as it appears on a theme page: with its review and its anchor."""

    entry: ReviewEntry
    section: Section
    point: LearningPoint
    anchor: str

    def cache_identity(self) -> tuple[ReviewEntry, str]:
        """What names the point for a cache key: its review and its anchor (the section and
        the point are the review's own)."""
        return self.entry, self.anchor

    @property
    def themes(self) -> list[str]:
        return point_themes(self.entry.review, self.section, self.point)


def tagged_points(reviews: Iterable[ReviewEntry]) -> list[TaggedPoint]:
    """Every learning point of every review, in page order, newest review first."""
    return [
        TaggedPoint(entry, section, point, point_anchor(s, p))
        for entry in reviews
        for s, section in enumerate(entry.review.sections, start=1)
        for p, point in enumerate(section.learning_points, start=1)
    ]


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
    counts = Counter(other for tagged in points for other in tagged.themes if other != key)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], content.themes[item[0]].name))
    return [(other, content.themes[other]) for other, _ in ranked[:limit]]

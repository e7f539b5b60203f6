"""The collected data as review files: each board's items grouped into reviews, a review
published by several boards made one, and each board's theme, type and agency keys mapped onto
the collection's vocabulary by key, name and synonyms. Nothing is dropped silently: every key
that maps onto nothing is reported."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from generator.collecting.fetch import Fetched
from generator.model.open_data import LearningData, LearningItem, ReviewRecord
from generator.model.schema import CollectionSource
from generator.suggest import nearest

DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's safe dumper where installed (many times quicker), else PyYAML's: the same YAML."""
MARKER = "# Collected by briefings collect"
"""The first line of every review file a collect writes: such files are replaced at every collect."""


FILES = {
    "theme": ("themes", "themes.yml"),
    "review type": ("review types", "review_types.yml"),
    "agency": ("agencies", "agencies.yml"),
}
"""Each kind of key: its plural, and the collection's vocabulary file of it."""


class Named(Protocol):
    name: str


class Mapper:
    """One of the collection's vocabularies, and how a board's key or name maps onto it: the same
    key, else the nearest key, name or synonym (``generator/suggest.py``'s "did you mean")."""

    def __init__(self, vocabulary: Mapping[str, Named]) -> None:
        self.keys = list(vocabulary)
        self.aliases: dict[str, str] = {}
        for key, entry in vocabulary.items():
            self.aliases[entry.name] = key
            for synonym in getattr(entry, "synonyms", []):
                self.aliases.setdefault(synonym, key)
        self.said = {_plain(said): key for said, key in reversed([*((k, k) for k in self.keys), *self.aliases.items()])}
        """Every key, name and synonym as said (case and punctuation aside): a word the same as
        one of them is found without comparing it with every other."""

        self.found: dict[tuple[str | None, str | None], str | None] = {}

    def find(self, key: str | None, name: str | None) -> str | None:
        """The collection's key for a board's ``key`` (or, given none, its ``name``); ``None`` if
        nothing is near enough. Worked out once for each key and name."""
        if (key, name) not in self.found:
            self.found[key, name] = self._find(key, name)
        return self.found[key, name]

    def _find(self, key: str | None, name: str | None) -> str | None:
        if key in self.keys:
            return key
        for said in (name, key):
            if said and _plain(said) in self.said:
                return self.said[_plain(said)]
        for said in (name, key):
            if said and (found := nearest(said, self.keys, self.aliases)):
                return found
        return None


@dataclass
class Assembled:
    """The review files of a collection and what could not be mapped."""

    files: dict[str, str] = field(default_factory=dict)
    """``{file name: text}`` for ``content/reviews/``."""
    notes: list[str] = field(default_factory=list)
    """One line for each key mapped onto nothing, and each review left out (and why)."""


@dataclass
class _Review:
    data: dict[str, Any]
    case_summary: str
    source: str


def assemble(
    fetched: list[Fetched], themes: Mapper, types: Mapper, agencies: Mapper, strings: dict[str, str]
) -> Assembled:
    """Every review of every source with data, as review files, in the order of the sources."""
    result = Assembled()
    by_identity: dict[tuple[str, str], _Review] = {}
    by_id: dict[str, _Review] = {}
    reported: set[tuple[str, str, str]] = set()

    def mapped(source: str, kind: str, mapper: Mapper, keys: list[str], names: list[str]) -> list[str]:
        found: list[str] = []
        given: list[str | None] = list(keys) or [None] * len(names)
        for key, name in zip(given, names, strict=False):
            target = mapper.find(key, name)
            if target is None:
                if (source, kind, key or name) not in reported:
                    reported.add((source, kind, key or name))
                    result.notes.append(
                        f"{source}: {kind} '{key or name}' ({name}) matches nothing in the collection's "
                        f"{FILES[kind][0]}; add it to content/vocabularies/{FILES[kind][1]}, or give one of its entries "
                        f"'{name}' as a synonym"
                    )
            elif target not in found:
                found.append(target)
        return found

    for source in fetched:
        if source.data is None:
            continue
        records = {record.id: record for record in source.data.reviews}
        for review_id, items in _by_review(source.data).items():
            record = records.get(review_id)
            about = items[0]
            provenance = _provenance(source.source, source.data, record, about)
            identity = (
                _plain(record.title if record else about.review_title),
                record.published if record else about.published,
            )
            if identity in by_identity:  # another board's copy: its keys are still checked
                for other in items:
                    mapped(source.source.key, "theme", themes, other.theme_keys, other.themes)
                known = by_identity[identity]
                known.data["board"] = list(dict.fromkeys([*known.data["board"], *about.boards]))
                known.data["collected_from"].append(provenance)
                continue
            key = source.source.key
            review_types = mapped(key, "review type", types, about.review_type_keys, about.review_types)
            review_themes = mapped(
                key,
                "theme",
                themes,
                record.theme_keys if record else about.theme_keys,
                record.themes if record else about.themes,
            )
            if not review_types or not review_themes:
                missing = "type of review" if not review_types else "theme"
                result.notes.append(
                    f"{key}: review '{review_id}' left out: none of its kinds of {missing} matches the collection's"
                )
                continue
            data = _review_data(review_id, items, record, about, strings, source.source)
            data.update(review_type=review_types, themes=review_themes, collected_from=[provenance])
            for section in data["sections"]:
                for point in section["learning_points"]:
                    item: LearningItem = point.pop("item")
                    point["themes"] = mapped(key, "theme", themes, item.theme_keys, item.themes)
                    point["agencies"] = mapped(key, "agency", agencies, [], item.agencies)
                    if not point["themes"]:
                        del point["themes"]
                    if not point["agencies"]:
                        del point["agencies"]
            for recommendation in data["recommendations"] or []:
                recommendation["addressed_to"] = [
                    agencies.find(None, name) or name for name in recommendation["addressed_to"]
                ]
            if review_id in by_id:  # another board's review with the same id
                data["id"] = review_id = f"{key}-{review_id}"
            review = _Review(data, record.case_summary if record else strings["collected_no_case_summary"], key)
            by_identity[identity] = by_id[review_id] = review
    for review_id, review in by_id.items():
        review.data = _links_kept(review.data, set(by_id))
        review.case_summary = _links_kept(review.case_summary, set(by_id))
        result.files[f"{review_id}.md"] = _file_text(review, strings)
    return result


LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
"""A Markdown link: its text and its target."""


def _links_kept(value: Any, collected: set[str]) -> Any:
    """``value`` (text, or lists and mappings of it) with every link into the board's own site
    that does not lead to a briefing of the collection made plain text (its words kept), so that
    the collection's link check has nothing to refuse. Full addresses are kept as they are."""
    if isinstance(value, dict):
        return {key: _links_kept(item, collected) for key, item in value.items()}
    if isinstance(value, list):
        return [_links_kept(item, collected) for item in value]
    if not isinstance(value, str) or "](" not in value:
        return value

    def keep(link: re.Match[str]) -> str:
        text, target = link.groups()
        if target.startswith(("https://", "http://", "mailto:")):
            return link.group()
        briefing = re.fullmatch(r"(?:\.\./reviews/|)([a-z0-9-]+)\.md(#[\w-]+)?", target)
        return link.group() if briefing and briefing.group(1) in collected else text

    return LINK.sub(keep, value)


def _plain(title: str) -> str:
    return re.sub(r"\W+", " ", title.lower()).strip()


def _by_review(data: LearningData) -> dict[str, list[LearningItem]]:
    grouped: dict[str, list[LearningItem]] = {}
    for item in data.items:
        grouped.setdefault(item.review_id, []).append(item)
    for record in data.reviews:  # a review with no items still has a briefing
        grouped.setdefault(record.id, [])
    return {review_id: items for review_id, items in grouped.items() if items}


def _full_address(url: str, source: CollectionSource) -> str | None:
    if url.startswith(("https://", "http://")):
        return url
    if source.site_url:
        return source.site_url.rstrip("/") + "/" + url.lstrip("/")
    return None


def _provenance(source: CollectionSource, data: LearningData, record: ReviewRecord | None, about: LearningItem) -> dict:
    page = record.url if record else about.url.split("#")[0]
    found = {
        "publisher": source.board or data.publisher,
        "source": source.key,
        "region": source.region,
        "url": _full_address(page, source),
        "licence": data.licence.name,
        "licence_url": data.licence.url,
    }
    return {name: value for name, value in found.items() if value is not None}


def _review_data(
    review_id: str,
    items: list[LearningItem],
    record: ReviewRecord | None,
    about: LearningItem,
    strings: dict[str, str],
    source: CollectionSource,
) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    points: dict[str, dict[str, Any]] = {}
    recommendations = []
    for item in items:
        if item.item == "learning point":
            if not sections or sections[-1]["heading"] != item.section:
                sections.append({"heading": item.section or strings["collected_section"], "learning_points": []})
            point = {
                "point": item.text,
                "kind": item.point_kind or "learning point",
                "written_by": item.written_by,
                **({"source": item.source} if item.source else {}),
                "questions": [],
                "item": item,
            }
            points[item.id] = point
            sections[-1]["learning_points"].append(point)
        elif item.item == "question" and item.point_id in points:
            question = {"question": item.text, "written_by": item.written_by}
            points[item.point_id]["questions"].append({**question, **({"source": item.source} if item.source else {})})
        elif item.item == "recommendation":
            recommendation: dict[str, Any] = {"recommendation": item.text, "written_by": item.written_by}
            recommendation["addressed_to"] = item.agencies or [source.board or about.boards[0]]
            if item.source:
                recommendation["source"] = item.source
            recommendations.append(recommendation)
    for section in sections:
        for point in section["learning_points"]:
            if not point["questions"]:
                point["questions"] = [strings["collected_no_question"]]
    nation = (record.nation if record else about.nation) or source.nation
    data: dict[str, Any] = {
        "id": review_id,
        "title": record.title if record else about.review_title,
        "pseudonyms": record.pseudonyms if record else [],
        "review_type": [],
        "board": list(about.boards),
        "nation": nation,
        "published": record.published if record else about.published,
        "status": about.status,
        **({"updated": about.updated} if about.updated else {}),
        "themes": [],
        "summary": record.summary if record else strings["collected_no_summary"].format(board=about.boards[0]),
        "sections": sections,
        "good_practice": None,
        "recommendations": recommendations or None,
        "board_questions": [],
        "board_response": "",
        "further_reading": [],
        "report": {
            "title": record.report_title if record else about.review_title,
            **({"url": record.report_url} if record and record.report_url else {}),
        },
    }
    if not data["pseudonyms"]:
        del data["pseudonyms"]
    return data


def _file_text(review: _Review, strings: dict[str, str]) -> str:
    note = strings["generated_note"].format(sources=f"collected/{review.source}/learning.json")
    front = yaml.dump(review.data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=100_000)
    return f"---\n{MARKER}: {note}\n# Replaced at every collect: edit the board's own briefing, not this file.\n{front}---\n{review.case_summary.strip()}\n"

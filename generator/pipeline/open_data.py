"""Stage: the learning as open data, ``{path: text}`` like render, written by the writer.

``learning.json`` and ``learning.csv`` hold every learning point, question and recommendation
of the published reviews (``Content`` holds no draft or embargoed review), with the JSON Schema
of the JSON file beside them; ``feed.xml`` is an Atom feed of new and updated briefings (made
with feedgen). Everything is worked out from the content alone, so two builds give the same
bytes: the feed's date is the newest date in the content, never the build's."""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.model import addresses
from generator.model.content import Content, ReviewEntry, point_themes
from generator.model.dates import or_not_dated
from generator.model.open_data import CSV_COLUMNS, LearningData, LearningItem, Licence, ReviewRecord
from generator.pipeline.generate_cache import GenerateCache
from generator.pipeline.render.linked_data import as_script_text

SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these may be run as a formula by a spreadsheet (CSV injection)."""

GENERATED_FROM = "content/reviews/, content/settings.yml, content/vocabularies/"


def open_data(content: Content, kept: GenerateCache | None = None) -> OpenData:
    """The data files and the feed, keyed by their paths under the docs_dir (``OpenData``: each
    made as it is read). Each review's part of ``learning.json`` and ``learning.csv`` is made on
    its own and the parts joined; with ``kept`` (a build's cache), a review's part is made again
    only when the review, the other content files or the code changed."""
    return OpenData(content, kept)


class OpenData(Mapping[str, str]):
    """The open data files, ``{path: text}``, each made when it is read and not held after: at a
    national library's size they are hundreds of megabytes, which the writer puts on disk before
    the pages' workers are forked, so neither the build nor its workers go on holding them.
    ``learning.json`` and ``learning.csv`` are made together (from the same review parts); the
    one read second is held only until it is read."""

    def __init__(self, content: Content, kept: GenerateCache | None = None) -> None:
        self.content = content
        self.kept = kept
        self.waiting: dict[str, str] = {}
        """The data file made with the last one read, until it is read."""

    def __getitem__(self, path: str) -> str:
        if path in self.waiting:
            return self.waiting.pop(path)
        if path == addresses.LEARNING_SCHEMA:
            return learning_schema(self.content)
        if path == addresses.FEED:
            return atom_feed(self.content)
        if path not in LEARNING_DATA:
            raise KeyError(path)
        parts = [review_part(self.content, entry, self.kept) for entry in self.content.reviews]
        made = {
            addresses.LEARNING_JSON: learning_json(self.content, parts),
            addresses.LEARNING_CSV: learning_csv(parts),
        }
        self.waiting = {other: text for other, text in made.items() if other != path}
        return made[path]

    def __contains__(self, path: object) -> bool:
        return path in OPEN_DATA_FILES

    def __iter__(self) -> Iterator[str]:
        return iter(OPEN_DATA_FILES)

    def __len__(self) -> int:
        return len(OPEN_DATA_FILES)


LEARNING_DATA = (addresses.LEARNING_JSON, addresses.LEARNING_CSV)
"""The files made from the reviews' parts (``ReviewPart``), together."""

OPEN_DATA_FILES = (*LEARNING_DATA, addresses.LEARNING_SCHEMA, addresses.FEED)
"""Every file of the open data, in the order the writer puts them on disk."""


@dataclass(frozen=True)
class ReviewPart:
    """One review's part of the open data, as text ready to join."""

    items: list[str]
    """Each of its items in ``learning.json``, as JSON indented to its place in the file."""
    record: str
    """Its entry in the list of reviews of ``learning.json``, indented the same way."""
    rows: str
    """Its rows of ``learning.csv``."""


JSON_INDENT = 1
"""The indent of ``learning.json``: small, and each item still on lines of its own."""


def review_part(content: Content, entry: ReviewEntry, kept: GenerateCache | None = None) -> ReviewPart:
    """One review's part of the open data, from the cache when neither it nor anything else it
    shows changed."""
    key = ""
    if kept is not None and content.fingerprint and entry.fingerprint:
        key = kept.key("open-data", content.fingerprint, entry.fingerprint, entry.preview, entry.report_withdrawn)
        found = kept.table("open-data").get(key)
        if isinstance(found, ReviewPart):
            return found
    items = list(learning_items(content, [entry]))
    part = ReviewPart(
        items=[_nested_json(item.model_dump(mode="json", by_alias=True)) for item in items],
        record=_nested_json(next(review_records(content, [entry])).model_dump(mode="json", by_alias=True)),
        rows=learning_csv_rows(items),
    )
    if key and kept is not None:
        kept.table("open-data").put(key, part)
    return part


def _nested_json(data: dict) -> str:
    """``data`` as script-safe JSON indented as an entry of a list in a field of the file."""
    text = as_script_text(data, indent=JSON_INDENT)
    return "\n".join(" " * (2 * JSON_INDENT) + line for line in text.split("\n"))


def _address(content: Content, page: str, anchor: str = "") -> str:
    return addresses.web_address(page, content.settings.site_url, content.settings.offline, anchor)


def learning_items(content: Content, entries: list[ReviewEntry] | None = None) -> Iterator[LearningItem]:
    """Every learning point, question and recommendation of ``entries`` (all published reviews,
    newest first, if None), in page order."""
    for entry in content.reviews if entries is None else entries:
        review = entry.review
        page = addresses.briefing(review.id)
        about = _about_review(content, entry)
        for s, section in enumerate(review.sections, start=1):
            for p, point in enumerate(section.learning_points, start=1):
                anchor = addresses.point_anchor(s, p)
                themes = point_themes(review, section, point)
                shared = {
                    **about,
                    "section": section.heading,
                    "themes": [content.themes[key].name for key in themes],
                    "theme_keys": list(themes),
                    "agencies": [_agency_name(content, key) for key in point.agencies],
                    "url": _address(content, page, anchor),
                }
                point_id = f"{review.id}/{anchor}"
                yield LearningItem(
                    id=point_id,
                    item="learning point",
                    text=point.point,
                    point_kind=point.kind,
                    point_id=None,
                    written_by=point.written_by,
                    source=point.source,
                    **shared,
                )
                for q, question in enumerate(point.questions, start=1):
                    yield LearningItem(
                        id=f"{point_id}-q{q}",
                        item="question",
                        text=question.question,
                        point_kind=None,
                        point_id=point_id,
                        written_by=question.written_by,
                        source=question.source,
                        **shared,
                    )
        for n, recommendation in enumerate(review.recommendations or [], start=1):
            yield LearningItem(
                id=f"{review.id}/rec-{n}",
                item="recommendation",
                text=recommendation.recommendation,
                point_kind=None,
                point_id=None,
                section=None,
                themes=[content.themes[key].name for key in review.themes],
                theme_keys=list(review.themes),
                agencies=[_agency_name(content, name) for name in recommendation.addressed_to],
                written_by=recommendation.written_by,
                source=recommendation.source,
                url=_address(content, page, addresses.recommendations_anchor()),
                **about,
            )


def _about_review(content: Content, entry: ReviewEntry) -> dict:
    review = entry.review
    return {
        "review_id": review.id,
        "review_title": review.title,
        "boards": list(review.board),
        "review_types": [content.review_types[key].name for key in review.review_type],
        "review_type_keys": list(review.review_type),
        "nation": review.nation,
        "published": str(or_not_dated(review.published)),
        "updated": review.updated.isoformat() if review.updated else None,
        "status": review.status,
    }


def review_records(content: Content, entries: list[ReviewEntry] | None = None) -> Iterator[ReviewRecord]:
    """Every review of ``entries`` (all published reviews, newest first, if None), with what a
    list of its briefings shows."""
    for entry in content.reviews if entries is None else entries:
        review = entry.review
        about = _about_review(content, entry)
        del about["review_id"], about["review_title"]
        yield ReviewRecord(
            id=review.id,
            title=review.title,
            summary=review.summary,
            case_summary=entry.case_summary,
            pseudonyms=review.names,
            theme_keys=list(review.themes),
            themes=[content.themes[key].name for key in review.themes],
            report_title=review.report.title,
            report_url=None if entry.report_withdrawn else review.report.url,
            url=_address(content, addresses.briefing(review.id)),
            **about,
        )


def _agency_name(content: Content, key: str) -> str:
    """An agency's name, or an organisation's name as the report gives it."""
    return content.agencies[key].name if key in content.agencies else key


def schema_address(content: Content) -> str:
    """The schema's full address, or without ``site_url`` its name (beside ``learning.json``)."""
    if content.settings.site_url:
        return _address(content, addresses.LEARNING_SCHEMA)
    return addresses.link(addresses.LEARNING_JSON, addresses.LEARNING_SCHEMA)


def learning_json(content: Content, parts: list[ReviewPart]) -> str:
    """``learning.json``: the file's own fields, then the reviews' parts joined in order (the
    same text as dumping the whole ``LearningData`` at once)."""
    settings = content.settings
    data = LearningData.model_validate(
        {
            "$schema": schema_address(content),
            "version": addresses.LEARNING_SCHEMA_VERSION,
            "generated_from": content.strings["generated_note"].format(sources=GENERATED_FROM),
            "publisher": settings.board_name,
            "site": settings.site_name,
            "licence": Licence(name=settings.open_data.licence, url=settings.open_data.licence_url),
            "items": [],
            "reviews": [],
        }
    )
    text = as_script_text(data.model_dump(mode="json", by_alias=True), indent=JSON_INDENT) + "\n"
    closing = "\n" + " " * JSON_INDENT + "]"
    # A field name is the only place quotes are not escaped: the fields themselves. The lists
    # are put in their places in one join (the whole file is made once, not copied per list).
    pieces: list[str] = []
    rest = text
    for field, values in (
        ("items", [item for part in parts for item in part.items]),
        ("reviews", [p.record for p in parts]),
    ):
        empty = f'"{field}": []'
        if values:
            before, rest = rest.split(empty, 1)
            pieces += [before, f'"{field}": [\n', ",\n".join(values), closing]
    return "".join([*pieces, rest])


def learning_schema(content: Content) -> str:
    """The JSON Schema of ``learning.json``, made from its model (field docstrings become
    descriptions)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_address(content),
        "$comment": content.strings["generated_note"].format(sources="generator/model/open_data.py"),
        **LearningData.model_json_schema(by_alias=True),
    }
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


def spreadsheet_safe(cell: str) -> str:
    """``cell``, with a ``'`` in front if a spreadsheet could take it for a formula."""
    return f"'{cell}" if cell.startswith(SPREADSHEET_FORMULA_STARTS) else cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return spreadsheet_safe("; ".join(value))
    return spreadsheet_safe(str(value))


def learning_csv(parts: list[ReviewPart]) -> str:
    """``learning.csv``: the header, then each review's rows."""
    return learning_csv_rows([], header=True) + "".join(part.rows for part in parts)


def learning_csv_rows(items: list[LearningItem], header: bool = False) -> str:
    """The items as CSV rows: one row each, lists joined with ``; `` (the header first, with
    ``header``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for item in items:
        values = item.model_dump()
        writer.writerow([_cell(values[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def _day(date: datetime.date) -> datetime.datetime:
    return datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC)


def feed_dates(entry: ReviewEntry) -> tuple[datetime.datetime, datetime.datetime] | None:
    """When a briefing was published and last updated (the first day of a month or year given
    alone), or ``None`` for a review that is not dated: a feed entry must carry a date."""
    published = or_not_dated(entry.review.published)
    if not published.dated:
        return None
    first = _day(datetime.datetime.fromtimestamp(published.epoch(), tz=datetime.UTC).date())
    updated = _day(entry.review.updated) if entry.review.updated else first
    return first, max(first, updated)


def _feed_id(content: Content, page: str) -> str:
    """A feed or entry id: its full address when the site has one, otherwise a name-based UUID."""
    if content.settings.site_url:
        return _address(content, page)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"learning-lessons:{content.settings.board_name}:{page}").urn


def atom_feed(content: Content) -> str:
    """The Atom feed: the newest and most recently updated dated briefings (archived ones left
    out), most recent first."""
    from feedgen.feed import FeedGenerator  # imports lxml; only builds need it

    s = content.strings
    dated = [
        (dates, entry)
        for entry in content.reviews
        if entry.review.status == "published" and (dates := feed_dates(entry)) is not None
    ]
    dated.sort(key=lambda item: (item[0][1], item[0][0], item[1].review.id), reverse=True)
    dated = dated[: content.settings.open_data.feed_entries]
    feed = FeedGenerator()
    feed.id(_feed_id(content, addresses.HOME))
    feed.title(content.settings.site_name)
    feed.subtitle(s["feed_subtitle"].format(board=content.settings.board_name))
    feed.author({"name": content.settings.board_name, "email": content.settings.contact_email})
    feed.link(href=_address(content, addresses.HOME), rel="alternate")
    feed.link(href=_address(content, addresses.FEED), rel="self")
    feed.language(content.locale)
    feed.rights(content.settings.open_data.licence)
    feed.generator("Learning Lessons")
    newest = max((dates[1] for dates, _ in dated), default=_day(datetime.date(1970, 1, 1)))
    feed.updated(newest)
    for (published, updated), entry in dated:
        review = entry.review
        page = addresses.briefing(review.id)
        item = feed.add_entry(order="append")
        item.id(_feed_id(content, page))
        item.title(review.title)
        item.link(href=_address(content, page), rel="alternate")
        item.published(published)
        item.updated(updated)
        item.summary(review.summary)
        for name in review.board:
            item.author({"name": name})
        for key in review.themes:
            item.category(term=key, label=content.themes[key].name)
    note = s["generated_note"].format(sources=GENERATED_FROM).replace("--", "- -")
    return feed.atom_str(pretty=True).decode("utf-8").replace("?>\n", f"?>\n<!-- {note} -->\n", 1)

"""Part of stage 2, validate: content in more than one language.

A piece of text may be written once (English) or as a pair, ``en:`` and ``cy:``; a review's case
summary gives its Welsh after a ``<!-- cy -->`` line. Facts (ids, dates, keys, addresses) are
written once, so every language's edition has the same ones. Each language's edition of the
content is made by reading every document *in that language* (``in_language``) and validating it
as usual; ``untranslated`` lists the text with no Welsh, as warnings at ``path:line: field``, and
``left_in_english`` gives that text itself, for the Welsh pages to mark as English.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from generator.errors import ContentError
from generator.pipeline.load import CASE_SUMMARY, Document, LineMap, Loc, RawContent, dotted

ENGLISH = "en"
WELSH = "cy"
LANGUAGES = (ENGLISH, WELSH)
"""The languages a site can be published in; English is the site's first language."""

WELSH_SEPARATOR = "<!-- cy -->"
"""The line in a review's case summary after which its Welsh text starts."""

TRANSLATABLE = frozenset(
    {
        # reviews
        "title",
        "summary",
        "subject_age",
        "age",
        "description",
        "heading",
        "narrative",
        "point",
        "questions",
        "question",
        "recommendation",
        "good_practice",
        "board_questions",
        "board_response",
        "facilitator_notes",
        # vocabularies
        "name",
        "short_name",
        "what_is",
        "synonyms",
        # settings
        "site_name",
        "board_name",
        "intro",
        "how_to_use",
        "standing_questions",
        "purpose",
        "before",
        "activity",
        "closing_actions",
        "seven_minute_headings",
        "label",
        "help",
        "group",
    }
)
"""The fields whose text may be given in each language (a pair of ``en:`` and ``cy:``)."""

OPTIONAL_WELSH = frozenset({"synonyms", "short_name"})
"""Translatable fields that need no Welsh: a Welsh edition may have no synonyms of its own, and
an abbreviation is often the same."""


def is_pair(value: Any) -> bool:
    """Whether ``value`` is text given in each language: a mapping of ``en:`` (and ``cy:``)."""
    return isinstance(value, dict) and bool(value) and ENGLISH in value and set(value) <= set(LANGUAGES)


def field_of(loc: Loc) -> str:
    """The field a value at ``loc`` belongs to (a list item belongs to its list's field)."""
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), "")


def translatable(loc: Loc) -> bool:
    """Whether the value at ``loc`` is text that may be given in each language (a feedback
    field's ``name`` is the key its answers are stored under, not a name to translate)."""
    field = field_of(loc)
    if field == "title":  # a briefing's title; the titles of published documents are cited as they are
        return loc == ("title",)
    if field == "nation":  # a review type's, in words; a review's is one of four (named in the strings)
        return len(loc) == 2
    return field in TRANSLATABLE and not (field == "name" and "fields" in loc)


def _project(data: Any, language: str) -> Any:
    """``data`` with each pair replaced by its text in ``language`` (English where it has none)."""
    if is_pair(data):
        given = data.get(language)
        return given if str(given or "").strip() else data[ENGLISH]  # an empty translation is none
    if isinstance(data, dict):
        return {key: _project(value, language) for key, value in data.items()}
    if isinstance(data, list):
        return [_project(item, language) for item in data]
    return data


def _has_pair(data: Any) -> bool:
    if is_pair(data):
        return True
    if isinstance(data, dict):
        return any(_has_pair(value) for value in data.values())
    if isinstance(data, list):
        return any(_has_pair(item) for item in data)
    return False


def _lines_in(lines: LineMap, language: str) -> LineMap:
    """The line map of a document read in ``language``: a pair's text is at the pair's place."""
    projected = LineMap(first_line=lines.first_line)
    for table, target in ((lines.keys, projected.keys), (lines.values, projected.values), (lines.ends, projected.ends)):
        for loc, line in table.items():
            target.setdefault(tuple(part for part in loc if part not in LANGUAGES), line)
        for loc, line in table.items():
            if loc and loc[-1] == language:
                target[loc[:-1]] = line  # the text itself, where the language's own line is
    return projected


def split_case_summary(body: str) -> tuple[str, str]:
    """A case summary's English and Welsh text (the Welsh empty if none is given)."""
    english, _, welsh = body.partition(WELSH_SEPARATOR)
    return english.strip(), welsh.strip()


def document_in(document: Document, language: str) -> Document:
    """``document`` read in ``language``: every pair replaced by that language's text (English
    where it has none), the case summary likewise. A document with no pairs is itself. Kept in
    the document's memo, so a preview reads an unchanged file in each language once."""
    if WELSH_SEPARATOR not in document.body and not _has_pair(document.data):
        return document
    key = ("language", language)
    if key not in document.memo:
        english, welsh = split_case_summary(document.body)
        body, body_line = english, document.body_line
        if language != ENGLISH and welsh:
            before = document.body.split(WELSH_SEPARATOR, 1)[0]
            body = welsh
            body_line = document.body_line + before.count("\n") + 1
        document.memo[key] = dataclasses.replace(
            document,
            data=_project(document.data, language),
            lines=_lines_in(document.lines, language),
            body=body,
            body_line=body_line,
            problems=[],
            memo={},
        )
    projected: Document = document.memo[key]
    return projected


def content_in(raw: RawContent, language: str) -> RawContent:
    """Every document of ``raw`` read in ``language``."""

    def read(document: Document | None) -> Document | None:
        return None if document is None else document_in(document, language)

    return dataclasses.replace(
        raw,
        settings=read(raw.settings),
        strings=read(raw.strings),
        review_types=read(raw.review_types),
        themes=read(raw.themes),
        agencies=read(raw.agencies),
        age_groups=read(raw.age_groups),
        jargon=read(raw.jargon),
        reviews=[document_in(review, language) for review in raw.reviews],
        shipped={name: {v: document_in(d, language) for v, d in files.items()} for name, files in raw.shipped.items()},
    )


def misplaced_pairs(document: Document, everything: bool = False) -> list[ContentError]:
    """Errors for text given in each language where only one value may be given (a key, a date,
    an address), and for pairs with no English."""
    errors: list[ContentError] = []
    for loc, value in _pairs_and_maps(document.data):
        if not (everything or translatable(loc)):
            errors.append(
                ContentError(
                    document.path,
                    document.lines.line_of(loc, key=True),
                    dotted(loc),
                    "is the same in every language: give it once, without 'en:' and 'cy:'",
                )
            )
        elif ENGLISH not in value:
            errors.append(
                ContentError(
                    document.path,
                    document.lines.line_of(loc, key=True),
                    dotted(loc),
                    "the Welsh is given without the English: add 'en:' with the English text",
                )
            )
    return errors


def _pairs_and_maps(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, dict]]:
    """Every pair in ``data``, and every mapping that holds ``cy:`` and nothing else."""
    if isinstance(data, dict) and data and set(data) <= set(LANGUAGES):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _pairs_and_maps(value, (*loc, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _pairs_and_maps(item, (*loc, index))


def untranslated(
    document: Document, language: str, entries: set[str] | None = None, everything: bool = False
) -> list[ContentError]:
    """Every translatable text in ``document`` with no ``language`` text, as warnings. With
    ``entries`` (a vocabulary), only those entries are looked at; with ``everything`` (the
    strings file), every value is translatable."""
    name = "Welsh" if language == WELSH else language
    found: list[ContentError] = []
    data = document.data
    if entries is not None and isinstance(data, dict):
        data = {key: value for key, value in data.items() if key in entries}
    for loc in _untranslated(data, language, everything):
        found.append(
            ContentError(
                document.path,
                document.lines.line_of(loc),
                dotted(loc),
                f"no {name} text; give this field as two lines, 'en:' with the English and "
                f"'{language}:' with the {name}",
            )
        )
    if document.body and language not in ("", ENGLISH):
        _, welsh = split_case_summary(document.body)
        if not welsh:
            found.append(
                ContentError(
                    document.path,
                    document.body_line,
                    CASE_SUMMARY,
                    f"no {name} text; add a line '{WELSH_SEPARATOR}' after the English case summary, then the {name}",
                )
            )
    return found


def left_in_english(document: Document, language: str) -> frozenset[str]:
    """The texts of ``document`` that ``language``'s edition shows in English, having none in
    ``language`` (each stripped, as the pages show it), the optional ones (synonyms,
    abbreviations) too: its pages mark them as English. Nothing for English. Kept in the
    document's memo, as a preview reads an unchanged file again after each edit."""
    if language == ENGLISH:
        return frozenset()
    key = ("left in English", language)
    if key not in document.memo:
        locs = _untranslated(document.data, language, False, optional=True)
        texts = {_english_at(document.data, loc).strip() for loc in locs}
        english, welsh = split_case_summary(document.body)
        if english and not welsh:
            texts.add(english)
        document.memo[key] = frozenset(text for text in texts if text)
    found: frozenset[str] = document.memo[key]
    return found


def _english_at(data: Any, loc: Loc) -> str:
    """The English text of the value at ``loc`` (a pair's ``en:``, or the text itself)."""
    for part in loc:
        data = data[part]
    return str(data[ENGLISH] if is_pair(data) else data)


def _untranslated(data: Any, language: str, everything: bool, loc: Loc = (), optional: bool = False) -> Iterator[Loc]:
    """Where the translatable text of ``data`` has none in ``language``; with ``optional``, in the
    fields that need none too."""
    needed = optional or field_of(loc) not in OPTIONAL_WELSH
    if is_pair(data):
        if not str(data.get(language) or "").strip() and needed:
            yield loc
    elif isinstance(data, str):
        if data.strip() and (everything or (translatable(loc) and needed)):
            yield loc
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _untranslated(value, language, everything, (*loc, key), optional)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _untranslated(item, language, everything, (*loc, index), optional)

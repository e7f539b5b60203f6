"""Stage 2, validate: check loaded documents against the content model and each other.

Every error in every file is collected before anything is raised, so an author sees them all
at once as ``path:line: field: message``.
"""

from __future__ import annotations

import datetime
import os
import re
import typing
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import ContentError, ContentErrors
from generator.model.content import Content, ReviewEntry
from generator.model.dates import or_not_dated
from generator.model.schema import KEY_PATTERN, AgeGroup, Agency, FeedbackSummary, Review, ReviewType, Settings, Theme
from generator.model.strings import default_strings, placeholders
from generator.pipeline.anonymity import scan
from generator.pipeline.links import check_links
from generator.pipeline.load import Document, Loc, RawContent, ShippedSets, dotted
from generator.suggest import did_you_mean, nearest

Model = TypeVar("Model", bound=BaseModel)


def validate(
    raw: RawContent, today: datetime.date | None = None, drafts: bool = False, strict: bool = False
) -> Content:
    """Turn loaded content into a ``Site``, or raise ``ContentErrors`` listing every problem.

    Only reviews that are published or archived, and past any embargo on ``today``, are in the
    site; with ``drafts`` (a local preview) drafts and embargoed reviews are in it too, marked."""
    errors: list[ContentError] = list(raw.errors)
    settings = _as_model(raw.settings, Settings, (), errors)
    strings = _strings(raw.strings, errors)
    sets = _chosen_sets(raw.settings, raw.shipped)
    if not sets:
        errors += raw.missing_vocabularies  # the board's own files must hold everything
    own_may_be_empty = bool(sets) or settings is None  # (broken settings: the sets are unknown)

    def vocabulary(name: str, own: Document | None, model: type[Model]) -> dict[str, Model]:
        shipped = [raw.shipped[chosen][name] for chosen in sets if name in raw.shipped[chosen]]
        return _merged_vocabulary(shipped, own, model, errors, own_may_be_empty=own_may_be_empty)

    review_types = vocabulary("review_types", raw.review_types, ReviewType)
    themes = vocabulary("themes", raw.themes, Theme)
    agencies = vocabulary("agencies", raw.agencies, Agency)
    age_groups = vocabulary("age_groups", raw.age_groups, AgeGroup)
    vocabularies = _by_file(review_types, themes, agencies, age_groups)
    entries = _reviews(raw.reviews, vocabularies, errors)
    summary = _as_model(raw.feedback_summary, FeedbackSummary, (), errors) if raw.feedback_summary else None
    if settings is None or raw.settings is None:
        raise ContentErrors(errors)
    documents = {document.path: document for document in raw.reviews}
    contacts = [settings.contact_email, *settings.contacts]
    warnings = [
        warning
        for entry in entries
        for warning in scan(documents[entry.source], entry.review.names, settings.helplines, contacts)
    ]
    today = today or build_date()
    published = [
        replace(
            entry, preview=not is_public(entry.review, today), report_withdrawn=report_withdrawn(entry.review, today)
        )
        for entry in entries
        if drafts or is_public(entry.review, today)
    ]
    content = Content(
        settings=settings,
        strings=strings,
        review_types=review_types,
        themes=themes,
        agencies=agencies,
        age_groups=age_groups,
        reviews=newest_first(published),
        feedback_summary=summary if settings.feedback.publish_summary else None,
        warnings=tuple(sorted(warnings)),
    )
    invalid = _ids_claimed(raw.reviews) - {entry.review.id for entry in entries}
    errors += check_links(content, documents, raw.settings, also_ids=invalid)
    if strict:
        errors += warnings
    if errors:
        raise ContentErrors(errors)
    return content


def _ids_claimed(documents: list[Document]) -> set[str]:
    """The ids review files give, valid or not. Those of files with errors of their own are not
    reported again as broken links; a draft's or embargoed review's are, since its pages will
    not exist."""
    return {d.data["id"] for d in documents if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}


def _by_file(review_types: dict, themes: dict, agencies: dict, age_groups: dict) -> dict[str, dict[str, Any]]:
    """The vocabularies keyed by their file names, as ``REFERENCES`` names them."""
    return {
        "review_types.yml": review_types,
        "themes.yml": themes,
        "agencies.yml": agencies,
        "age_groups.yml": age_groups,
    }


def _reviews(
    documents: list[Document], vocabularies: dict[str, dict[str, Any]], errors: list[ContentError]
) -> list[ReviewEntry]:
    """Every review that validates; the problems of the others are added to ``errors``."""
    entries: list[ReviewEntry] = []
    first_file_of_id: dict[str, Document] = {}
    for document in documents:
        review, summary = _review_and_summary(document, errors)
        if isinstance(document.data, dict):
            _check_references(document, vocabularies, errors)
            _check_unique_id(document, first_file_of_id, errors)
        if review is not None and summary is not None:
            entries.append(ReviewEntry(review, summary, document.path))
    return entries


def _review_and_summary(document: Document, errors: list[ContentError]) -> tuple[Review | None, str | None]:
    """A review file's model and case summary, worked out once for each version of the file
    (a preview validates every review after each edit; most have not changed)."""
    if "review" not in document.memo:
        found: list[ContentError] = []
        document.memo["review"] = (_as_model(document, Review, (), found), _case_summary(document, found), found)
    review, summary, found = document.memo["review"]
    errors.extend(found)
    return review, summary


def build_date() -> datetime.date:
    """The date a build publishes for: today, or ``LL_TODAY`` (YYYY-MM-DD) when set, so that an
    embargo can be previewed and tested."""
    override = os.environ.get("LL_TODAY")
    return datetime.date.fromisoformat(override) if override else datetime.date.today()


def is_public(review: Review, today: datetime.date) -> bool:
    """Whether a review belongs in the published site on ``today``."""
    if review.status == "draft":
        return False
    return review.publish_from is None or review.publish_from <= today


def report_withdrawn(review: Review, today: datetime.date) -> bool:
    """Whether the board has stopped publishing the full report by ``today``."""
    return review.report.available_until is not None and review.report.available_until < today


def newest_first(entries: list[ReviewEntry]) -> list[ReviewEntry]:
    """Newest publication first, undated last, ties in order of id."""
    by_id = sorted(entries, key=lambda entry: entry.review.id)
    dated = [entry for entry in by_id if or_not_dated(entry.review.published).dated]
    undated = [entry for entry in by_id if not or_not_dated(entry.review.published).dated]
    return sorted(dated, key=lambda entry: or_not_dated(entry.review.published), reverse=True) + undated


def _check_unique_id(document: Document, first_file_of_id: dict[str, Document], errors: list[ContentError]) -> None:
    """A review's id must not be the id of an earlier file (read from the raw data, so a file
    with other errors still claims its id)."""
    review_id = document.data.get("id")
    if not isinstance(review_id, str):
        return
    earlier = first_file_of_id.setdefault(review_id, document)
    if earlier is not document:
        errors.append(
            ContentError(
                document.path,
                document.lines.line_of(("id",)),
                "id",
                f"{review_id!r} is already the id of {earlier.path}; ids must be unique",
            )
        )


def _as_model(document: Document | None, model: type[Model], loc: Loc, errors: list[ContentError]) -> Model | None:
    """Validate ``document.data`` at ``loc`` against ``model``, adding any errors to ``errors``."""
    if document is None:
        return None
    data = document.data
    for part in loc:
        data = data[part]
    if not isinstance(data, dict):
        errors.append(
            ContentError(
                document.path,
                document.lines.line_of(loc),
                dotted(loc),
                f"expected a set of 'field: value' lines, found {_kind(data)}",
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as failure:
        for detail in failure.errors():
            if detail["type"] == "string_pattern_mismatch" and _is_reference(detail["loc"]):
                continue  # reported with a suggestion by _check_references
            errors.append(_content_error(document, model, loc, detail))
        return None


def _is_reference(loc: Loc) -> bool:
    """Whether ``loc`` names a vocabulary entry (see ``REFERENCES``)."""
    return any(
        len(pattern) == len(loc)
        and all(p == part or (p == "*" and isinstance(part, int)) for p, part in zip(pattern, loc, strict=False))
        for pattern in REFERENCES
    )


def _content_error(document: Document, model: type[BaseModel], base: Loc, detail: ErrorDetails) -> ContentError:
    """One pydantic error as ``path:line: field: message``, in an author's words."""
    loc = (*base, *detail["loc"])
    kind = detail["type"]
    field = dotted(loc)
    if loc[-1] == "questions" and (kind in ("missing", "too_short") or detail["input"] is None):
        message = "a learning point needs at least one reflection question"
    elif kind == "missing":
        line, message = _missing_field(document, model, base, detail["loc"])
        return ContentError(document.path, line, field, message)
    elif kind == "extra_forbidden":
        known = _field_names(model, detail["loc"][:-1])
        hint = did_you_mean(str(loc[-1]), known)
        message = "unknown field" + (hint or (f"; expected one of: {', '.join(known)}" if known else ""))
        return ContentError(document.path, document.lines.line_of(loc, key=True), field, message)
    elif kind == "too_short":
        message = "needs at least one item"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "string_pattern_mismatch":
        pattern = detail["ctx"]["pattern"]
        if "http" in pattern:
            message = f"{detail['input']!r} is not a web address (start it with https://)"
        elif "@" in pattern:
            message = f"{detail['input']!r} is not an e-mail address"
        else:
            message = f"{detail['input']!r} must be lowercase letters, digits and single hyphens"
    elif kind == "value_error":
        message = detail["msg"].removeprefix("Value error, ")
    else:
        message = f"{detail['msg'][0].lower()}{detail['msg'][1:]}, found {_kind(detail['input'])}"
    return ContentError(document.path, document.lines.line_of(loc), field, message)


def _missing_field(document: Document, model: type[BaseModel], base: Loc, relative: Loc) -> tuple[int, str]:
    """The line and message for a required field the file leaves out: where it belongs, after
    the field before it in the model's order that the file has (or before the next one). In a
    list item (a section, a learning point) the line is the item's own, so the item is found."""
    lines = document.lines
    parent, name = (*base, *relative[:-1]), relative[-1]
    found = _model_at(model, relative[:-1])
    order = list(found.model_fields) if found is not None else []
    if name not in order:
        return lines.line_of(parent), "missing required field"
    present = [field for field in order if (*parent, field) in lines.keys]
    earlier = [field for field in present if order.index(field) < order.index(name)]
    later = [field for field in present if order.index(field) > order.index(name)]
    in_item = bool(parent) and isinstance(parent[-1], int)
    if earlier:
        after = (*parent, earlier[-1])
        start, end = lines.line_of(after, key=True), lines.end_of(after)
        where = f"line {start}" if start == end else f"lines {start} to {end}"
        line = lines.line_of(parent) if in_item else end + 1
        return line, f"missing required field; add it after {earlier[-1]} ({where})"
    if later:
        start = lines.line_of((*parent, later[0]), key=True)
        line = lines.line_of(parent) if in_item else start
        return line, f"missing required field; add it before {later[0]} (line {start})"
    return lines.line_of(parent), "missing required field"


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model``."""
    found = _model_at(model, loc)
    return sorted(found.model_fields) if found is not None else []


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model found at ``loc`` inside ``model``, stepping over list items and the keys of a
    dictionary of models (``boards: {name: ...}``); None if there is none."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int) or part not in current.model_fields:
            continue
        current = _model_in(current.model_fields[part].annotation)
    return current


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``list[X]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


_TYPE_NAMES = {
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "a set of fields",
}


def _kind(value: Any) -> str:
    """What an author wrote, in their words: ``a list``, ``'abc' (text)``."""
    if value is None:
        return "nothing"
    name = _TYPE_NAMES.get(type(value), type(value).__name__)
    return name if isinstance(value, list | dict) else f"{value!r} ({name})"


COMMON_SET = "common"
"""The shipped vocabulary set that every site choosing any set also gets."""


def _chosen_sets(settings: Document | None, shipped: ShippedSets) -> list[str]:
    """The shipped vocabulary sets the settings choose (``vocabularies:``), ``common`` first, or
    none. Read from the settings file as written, so that a mistake elsewhere in it does not
    change the vocabularies. A name that is not a set is reported by the settings' model; until it
    is put right every set is used, so that the one mistake is not reported again as every key it
    would hide."""
    data = settings.data if settings is not None else None
    chosen = data.get("vocabularies") if isinstance(data, dict) else None
    if not chosen:
        return []
    others = [name for name in shipped if name != COMMON_SET]
    if not isinstance(chosen, list) or any(name not in others for name in chosen):
        chosen = others
    return [COMMON_SET, *dict.fromkeys(chosen)]


def _merged_vocabulary(
    shipped: list[Document],
    own: Document | None,
    model: type[Model],
    errors: list[ContentError],
    *,
    own_may_be_empty: bool,
) -> dict[str, Model]:
    """One vocabulary: the entries of the chosen shipped sets' files, then the board's own file's
    (``content/vocabularies/``), whose entry replaces a shipped entry with the same key."""
    merged: dict[str, Model] = {}
    for document in shipped:
        merged.update(_vocabulary(document, model, errors))
    merged.update(_vocabulary(own, model, errors, may_be_empty=own_may_be_empty))
    return dict(sorted(merged.items()))


def _vocabulary(
    document: Document | None, model: type[Model], errors: list[ContentError], may_be_empty: bool = False
) -> dict[str, Model]:
    """A vocabulary file: a mapping from key to entry, each entry checked against ``model``,
    worked out once for each version of the file (shipped files are read once a process). A file
    with no entries, only comments, is an error unless ``may_be_empty``."""
    if document is None or (document.data is None and may_be_empty):
        return {}
    memo = ("vocabulary", model)
    if memo not in document.memo:
        found: list[ContentError] = []
        document.memo[memo] = (_vocabulary_entries(document, model, found), found)
    entries, found = document.memo[memo]
    errors.extend(found)
    return entries


def _vocabulary_entries(document: Document, model: type[Model], errors: list[ContentError]) -> dict[str, Model]:
    """The entries of a vocabulary file, by key; the problems of the others are added to ``errors``."""
    if document.data is None:
        errors.append(
            ContentError(
                document.path,
                1,
                "",
                "this file has no entries; add them here, or choose the vocabulary sets shipped with "
                "Learning Lessons with 'vocabularies:' in content/settings.yml",
            )
        )
        return {}
    if not isinstance(document.data, dict):
        errors.append(ContentError(document.path, 1, "", "expected 'key:' entries, each with its fields"))
        return {}
    entries: dict[str, Model] = {}
    for key in document.data:
        if not isinstance(key, str) or not _is_key(key):
            errors.append(
                ContentError(
                    document.path,
                    document.lines.line_of((key,), key=True),
                    str(key),
                    "a key must be lowercase letters, digits and single hyphens",
                )
            )
            continue
        entry = _as_model(document, model, (key,), errors)
        if entry is not None:
            entries[key] = entry
    return dict(sorted(entries.items()))


def _is_key(text: str) -> bool:
    return re.fullmatch(KEY_PATTERN, text) is not None


def _strings(document: Document | None, errors: list[ContentError]) -> dict[str, str]:
    """The interface strings: the package's defaults, reworded by ``content/strings.yml``."""
    defaults = default_strings()
    if document is None:
        return dict(defaults)
    if not isinstance(document.data, dict):
        errors.append(ContentError(document.path, 1, "", "expected 'name: text' lines"))
        return dict(defaults)
    strings = dict(defaults)
    for key, value in document.data.items():
        line = document.lines.line_of((key,), key=True)
        if key not in defaults:
            hint = did_you_mean(str(key), defaults)
            errors.append(ContentError(document.path, line, str(key), f"unknown interface string{hint}"))
        elif not isinstance(value, str) or not value.strip():
            errors.append(ContentError(document.path, line, str(key), "must be a piece of text"))
        elif problem := _placeholder_problem(value, defaults[key]):
            errors.append(ContentError(document.path, line, str(key), problem))
        else:
            strings[key] = value
    return strings


def _placeholder_problem(text: str, default: str) -> str | None:
    """What is wrong with the ``{placeholders}`` of a reworded string, or None. A rewording may
    use any of the placeholders of the string it replaces, and no others."""
    allowed = placeholders(default)
    if not allowed:
        return None  # used as it is: braces are shown as written
    can_use = "this text can use " + ", ".join(f"{{{name}}}" for name in sorted(allowed))
    try:
        used = placeholders(text)
    except ValueError:
        return f"a '{{' or '}}' is not part of a placeholder; {can_use}, and a brace shown as text is written twice ({{{{ or }}}})"
    unknown = sorted(used - allowed)
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        guess = nearest(unknown[0], allowed)
        hint = f" (did you mean {{{guess}}}?)" if guess else ""
        return f"unknown placeholder {names}{hint}; {can_use}"
    return None


def _case_summary(document: Document, errors: list[ContentError]) -> str | None:
    if document.body.strip():
        return document.body
    errors.append(
        ContentError(
            document.path,
            document.body_line,
            "case summary",
            "the case summary (the Markdown after the front matter) is missing",
        )
    )
    return None


REFERENCES: dict[tuple[str, ...], str] = {
    ("review_type",): "review_types.yml",
    ("review_type", "*"): "review_types.yml",
    ("age_group",): "age_groups.yml",
    ("subjects", "*", "age_group"): "age_groups.yml",
    ("themes", "*"): "themes.yml",
    ("agencies", "*"): "agencies.yml",
    ("sections", "*", "themes", "*"): "themes.yml",
    ("sections", "*", "learning_points", "*", "themes", "*"): "themes.yml",
    ("sections", "*", "learning_points", "*", "agencies", "*"): "agencies.yml",
    ("recommendations", "*", "addressed_to", "*"): "agencies.yml",
}
"""Where a review names a vocabulary entry (``*`` is every item of a list), and which file."""

NAMES_ALLOWED = {("recommendations", "*", "addressed_to", "*")}
"""Where a review may name an organisation as the report does, instead of a vocabulary key: any
value there that is not shaped like a key (lowercase letters, digits and hyphens) is a name."""

VOCABULARY_ENTRY = {
    "review_types.yml": "review type",
    "age_groups.yml": "age group",
    "themes.yml": "theme",
    "agencies.yml": "agency",
}
"""What one entry of each vocabulary is called in messages."""


def _values_at(data: Any, pattern: tuple[str, ...], loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every value in ``data`` matching ``pattern``, with its location."""
    if not pattern:
        yield loc, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*" and isinstance(data, list):
        for index, item in enumerate(data):
            yield from _values_at(item, rest, (*loc, index))
    elif isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest, (*loc, head))


def _check_references(document: Document, vocabularies: dict[str, dict[str, Any]], errors: list[ContentError]) -> None:
    """Every theme, agency, review type and age group a review names must be in its vocabulary.
    An unknown key is reported once a file, at its first line, with the other lines that use it.

    This reads the raw data, so it still runs when the file has other errors."""
    uses: dict[tuple[str, str], list[Loc]] = {}
    for pattern, vocabulary_file in REFERENCES.items():
        vocabulary = vocabularies[vocabulary_file]
        if not vocabulary:
            continue  # the vocabulary file itself is broken and has been reported
        for loc, key in _values_at(document.data, pattern):
            if not isinstance(key, str) or key in vocabulary:
                continue  # a wrong type is reported by the model
            if pattern in NAMES_ALLOWED and not _is_key(key):
                continue  # an organisation's name, as the report gives it
            uses.setdefault((vocabulary_file, key), []).append(loc)
    for (vocabulary_file, key), locs in uses.items():
        first, *others = sorted(locs, key=document.lines.line_of)
        line = document.lines.line_of(first)
        also = sorted({document.lines.line_of(loc) for loc in others} - {line})
        message = unknown_entry_message(vocabulary_file, key, vocabularies[vocabulary_file], also_on=also)
        errors.append(ContentError(document.path, line, dotted(first), message))


def unknown_entry_message(
    vocabulary_file: str, key: str, vocabulary: dict[str, Any], also_on: Sequence[int] = ()
) -> str:
    """What to say of a key that is not in its vocabulary: the other lines that use it, the
    nearest key, name or synonym, and how to add it to the vocabulary."""
    kind = VOCABULARY_ENTRY[vocabulary_file]
    path = f"content/vocabularies/{vocabulary_file}"
    aliases: dict[str, str] = {}
    for name, entry in vocabulary.items():
        aliases.setdefault(entry.name, name)
        aliases.update({synonym: name for synonym in getattr(entry, "synonyms", []) if synonym not in aliases})
    hint = did_you_mean(key, vocabulary, aliases)
    lines = ", ".join(str(line) for line in also_on)
    also = f" (also on {'line' if len(also_on) == 1 else 'lines'} {lines})" if also_on else ""
    fields = _entry_fields(vocabulary)
    if not _is_key(key):
        if hint:
            return f"unknown {kind} {key!r}{also}{hint} (a review names a {kind} by its key, not its name)"
        return (
            f"unknown {kind} {key!r}{also}; a review names a {kind} by its key (lowercase letters, digits and "
            f"single hyphens); to add a new one, give it an entry in {path} with {fields}"
        )
    add = f" If it is a new {kind}, give it" if hint else "; to add it, give it"
    return f"unknown {kind} {key!r}{also}{hint}{add} an entry in {path} with {fields}"


def _entry_fields(vocabulary: dict[str, Any]) -> str:
    """The fields a new entry of ``vocabulary`` needs, as a sentence: ``a name and a description``."""
    if not vocabulary:
        return "its fields"
    model = type(next(iter(vocabulary.values())))
    needed = [
        f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
        for name, info in model.model_fields.items()
        if info.is_required()
    ]
    return " and ".join(needed) if len(needed) < 3 else f"{', '.join(needed[:-1])} and {needed[-1]}"

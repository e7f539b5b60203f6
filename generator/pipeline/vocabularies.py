"""Part of stage 2, validate: the vocabularies (the shipped sets a site chooses, merged with the
board's own files) and every key a review names checked against them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from generator.errors import ContentError
from generator.model.schema import KEY_PATTERN
from generator.pipeline.load import Document, Loc, ShippedSets, dotted
from generator.pipeline.model_errors import as_model
from generator.suggest import did_you_mean

Model = TypeVar("Model", bound=BaseModel)


def by_file(review_types: dict, themes: dict, agencies: dict, age_groups: dict) -> dict[str, dict[str, Any]]:
    """The vocabularies keyed by their file names, as ``REFERENCES`` names them."""
    return {
        "review_types.yml": review_types,
        "themes.yml": themes,
        "agencies.yml": agencies,
        "age_groups.yml": age_groups,
    }


def is_reference(loc: Loc) -> bool:
    """Whether ``loc`` names a vocabulary entry (see ``REFERENCES``)."""
    return any(
        len(pattern) == len(loc)
        and all(p == part or (p == "*" and isinstance(part, int)) for p, part in zip(pattern, loc, strict=False))
        for pattern in REFERENCES
    )


COMMON_SET = "common"
"""The shipped vocabulary set that every site choosing any set also gets."""


def chosen_sets(settings: Document | None, shipped: ShippedSets) -> list[str]:
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


def merged_vocabulary(
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
        if not isinstance(key, str) or not is_key(key):
            errors.append(
                ContentError(
                    document.path,
                    document.lines.line_of((key,), key=True),
                    str(key),
                    "a key must be lowercase letters, digits and single hyphens",
                )
            )
            continue
        entry = as_model(document, model, (key,), errors)
        if entry is not None:
            entries[key] = entry
    return dict(sorted(entries.items()))


def is_key(text: str) -> bool:
    return re.fullmatch(KEY_PATTERN, text) is not None


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


def check_references(document: Document, vocabularies: dict[str, dict[str, Any]], errors: list[ContentError]) -> None:
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
            if pattern in NAMES_ALLOWED and not is_key(key):
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
    if not is_key(key):
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

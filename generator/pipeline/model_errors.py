"""Part of stage 2, validate: a file's data checked against a schema class, and pydantic's errors
put in an author's words at ``path:line: field``: a missing field where it belongs, an unknown
field with the nearest known one, a wrong kind of value said as the author wrote it."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import ContentError
from generator.pipeline.load import Document, Loc, dotted
from generator.suggest import did_you_mean

Model = TypeVar("Model", bound=BaseModel)


def as_model(
    document: Document | None,
    model: type[Model],
    loc: Loc,
    errors: list[ContentError],
    reported_elsewhere: Callable[[Loc], bool] = lambda loc: False,
) -> Model | None:
    """Validate ``document.data`` at ``loc`` against ``model``, adding any errors to ``errors``.
    A pattern mismatch where ``reported_elsewhere`` says so is left out (a vocabulary key, which
    the reference check reports with a suggestion)."""
    if document is None:
        return None
    data = _at(document.data, loc)
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
        details = failure.errors()
        colons = [item for detail in details if (item := _text_read_as_field(data, detail)) is not None]
        for item in dict.fromkeys(colons):
            errors.append(_colon_error(document, (*loc, *item)))
        for detail in details:
            if detail["type"] == "string_pattern_mismatch" and reported_elsewhere(detail["loc"]):
                continue
            if any(detail["loc"][: len(item)] == item for item in colons):
                continue
            errors.append(_content_error(document, model, loc, detail))
        return None


def _text_read_as_field(data: Any, detail: ErrorDetails) -> Loc | None:
    """The list item an unquoted colon turned into a field (``- Pre-birth: what do you do?`` is
    read as a field called ``Pre-birth``), or None: an unknown field that is the item's only one,
    holds text, and is not written like a field name."""
    if detail["type"] != "extra_forbidden" or len(detail["loc"]) < 2 or not isinstance(detail["loc"][-2], int):
        return None
    item = _at(data, detail["loc"][:-1])
    key = detail["loc"][-1]
    if not isinstance(item, dict) or len(item) != 1 or not isinstance(key, str):
        return None
    written_like_a_field = key.isidentifier() and key == key.lower()
    return None if written_like_a_field or not isinstance(item[key], str) else tuple(detail["loc"][:-1])


def _colon_error(document: Document, loc: Loc) -> ContentError:
    [(key, value)] = _at(document.data, loc).items()
    return ContentError(
        document.path,
        document.lines.line_of(loc),
        dotted(loc),
        "this text holds a colon followed by a space, so it was read as a field; put the text in quotes: "
        f'- "{key}: {value}"',
    )


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


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
    elif detail["input"] is None:
        message = "is empty; give it a value after the colon" + (
            "" if _required(model, detail["loc"]) else ", or remove the line"
        )
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


def _required(model: type[BaseModel], loc: Loc) -> bool:
    """Whether the field at ``loc`` (in ``model``) must be given."""
    found, name = _model_at(model, loc[:-1]), loc[-1]
    return (
        found is None
        or not isinstance(name, str)
        or name not in found.model_fields
        or found.model_fields[name].is_required()
    )


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

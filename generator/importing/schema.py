"""``briefings schema``: the JSON Schema of a review's front matter, made from the same pydantic
model that ``check`` validates with, so an editor's YAML language server offers the same fields,
with each field's description, and marks the same mistakes."""

from __future__ import annotations

import json
from typing import Any

from generator.model.schema import Review
from generator.pipeline.languages import ENGLISH, LANGUAGES, TRANSLATABLE

SCHEMA_ID = "https://learning-lessons.invalid/schema/review.json"
"""The schema's ``$id``: a name, not an address to fetch; editors use the file."""

ONE_OR_MANY = ("review_type", "board")
"""Fields the model also takes as one value written alone (read as a list of one)."""


def review_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a review file's front matter.

    pydantic describes what a field holds once read; the shorthands the model accepts before
    that (one ``board`` or ``review_type`` alone, a question as plain text) are added, so that
    what ``check`` accepts, the editor accepts."""
    schema = Review.model_json_schema(mode="validation")
    for name in ONE_OR_MANY:
        field = schema["properties"][name]
        schema["properties"][name] = {
            "anyOf": [field["items"], field],
            **{key: field[key] for key in ("title", "description") if key in field},
        }
    questions = schema["$defs"]["LearningPoint"]["properties"]["questions"]
    questions["items"] = {"anyOf": [{"type": "string", "minLength": 1}, questions["items"]]}
    for name, model in [("Review", schema), *schema["$defs"].items()]:
        for field, value in model.get("properties", {}).items():
            if field in TRANSLATABLE and (field != "title" or name == "Review"):
                described = {key: value.pop(key) for key in ("title", "description") if key in value}
                model["properties"][field] = {**_in_each_language(value), **described}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "$comment": "Generated from generator/model/schema.py by `briefings schema`; do not edit.",
        **schema,
    }


def _in_each_language(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with each text in it also accepted as a pair of ``en:`` and ``cy:`` texts."""
    if node.get("type") == "string":
        pair = {
            "type": "object",
            "properties": {language: dict(node) for language in LANGUAGES},
            "required": [ENGLISH],
            "additionalProperties": False,
        }
        return {"anyOf": [node, pair]}
    if "anyOf" in node:
        return {**node, "anyOf": [_in_each_language(option) for option in node["anyOf"]]}
    if node.get("type") == "array" and "items" in node:
        return {**node, "items": _in_each_language(node["items"])}
    return node


def review_schema_text() -> str:
    """The schema as it is written: sorted, indented, ending in a newline (the same every run)."""
    return json.dumps(review_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

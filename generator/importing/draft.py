"""The draft review file: the extracted report, rendered by ``templates/import_draft.md.j2``
through the one Jinja environment. Its values are written as YAML strings here (a JSON string
is a YAML string), so that the file loads whatever the report's text holds."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from markupsafe import Markup

from generator.importing.extract import Extracted, Item
from generator.importing.themes import Suggestion, ThemeIndex
from generator.templating import environment


def scalar(value: object) -> Markup:
    """A value as a YAML scalar that loads back as the same string ('' for none)."""
    if value is None or value == "":
        return Markup("")
    return Markup(json.dumps(str(value), ensure_ascii=False))


def keys(values: tuple[str, ...] | list[str]) -> Markup:
    return Markup(", ".join(json.dumps(value, ensure_ascii=False) for value in values))


@dataclass(frozen=True)
class Draft:
    """A draft and what it was made of."""

    text: str
    extracted: Extracted
    review_themes: list[Suggestion]
    point_themes: list[list[Suggestion]]


def draft_text(
    review_id: str,
    extracted: Extracted,
    index: ThemeIndex,
    report_file: str,
    board: str | None,
) -> Draft:
    """The text of ``content/reviews/<review_id>.md`` for a report."""
    meta = extracted.metadata
    point_themes = [index.suggest(point.text) for point in extracted.points]
    review_themes = index.suggest_for_all([point.text for point in extracted.points])
    sections: dict[str, list[dict]] = {}
    for point, suggestions in zip(extracted.points, point_themes, strict=True):
        sections.setdefault(point.section or "Learning", []).append(
            {
                "text": scalar(point.text),
                "kind": point.kind,
                "source": scalar(point.source),
                "suggestions": ", ".join(f"{s.theme} ({s.score})" for s in suggestions),
            }
        )
    addressees = [
        key for item in extracted.recommendations for key in item.addressed_to if re.fullmatch(r"[a-z0-9-]+", key)
    ]
    context = {
        "report_file": _comment(report_file),
        "notes": [(name.capitalize(), _comment(value)) for name, value in extracted.notes.items()],
        "id": review_id,
        "title": scalar(meta.get("report_title")),
        "pseudonyms": [scalar(name) for name in meta.get("pseudonyms", [])],  # type: ignore[attr-defined]
        "review_type": scalar(meta.get("review_type")),
        "board": scalar(board or meta.get("board")),
        "nation": scalar(meta.get("nation")),
        "published": scalar(meta.get("published")),
        "age_group": scalar(meta.get("age_group")),
        "subject_age": scalar(meta.get("subject_age")),
        "review_themes": review_themes,
        "agencies": keys(list(dict.fromkeys(addressees))),
        "summary": scalar(_first_sentences(extracted.case_summary)),
        "sections": [{"heading": scalar(_heading(name)), "points": points} for name, points in sections.items()],
        "recommendations": [_recommendation(item) for item in extracted.recommendations],
        "board_questions": [
            {"text": scalar(item.text), "source_comment": _comment(f"source: {item.source}")}
            for item in extracted.board_questions
        ],
        "report_title": scalar(meta.get("report_title")),
        "case_summary": [Markup(paragraph) for paragraph in extracted.case_summary],
        "case_summary_source": _comment(extracted.case_summary_source),
    }
    text = environment().get_template("import_draft.md.j2").render(context)
    return Draft(text, extracted, review_themes, point_themes)


def _comment(text: str) -> Markup:
    """Text for a YAML comment: one line, as it is (a comment is not HTML)."""
    return Markup(" ".join(text.split()))


def _recommendation(item: Item) -> dict:
    return {"text": scalar(item.text), "addressed_to": keys(item.addressed_to), "source": scalar(item.source)}


def _heading(name: str) -> str:
    """A section heading from the report's: numbering and shouting dropped."""
    name = re.sub(r"^\d+(\.\d+)*\.?\s*", "", name).strip() or "Learning"
    return name.capitalize() if name.isupper() else name


def _first_sentences(paragraphs: list[str]) -> str:
    if not paragraphs:
        return ""
    first = next((p for p in paragraphs if len(p.split()) >= 15), paragraphs[0])
    sentences = re.split(r"(?<=[.!?])\s+", first)
    return " ".join(sentences[:2])

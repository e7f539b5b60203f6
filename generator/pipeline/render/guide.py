"""The authors' guide: its field tables come from the content model's docstrings, so the guide
and the model cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.errors import ContentError
from generator.model.content import Content
from generator.model.schema import (
    BoardSettings,
    CaseSummary,
    LearningPoint,
    Link,
    PlainEnglishSettings,
    Question,
    Recommendation,
    Report,
    Review,
    Section,
    Settings,
    Subject,
)
from generator.pipeline.languages import TRANSLATABLE, WELSH_SEPARATOR
from generator.pipeline.vocabularies import unknown_entry_message
from generator.scaffold import EXAMPLE_ID, example_review_text

DOCUMENTED = (
    ("Review (front matter)", Review),
    ("Each of `sections`", Section),
    ("Each of `subjects`", Subject),
    ("Each of `learning_points`", LearningPoint),
    ("A question written as `question:`", Question),
    ("Each of `recommendations`", Recommendation),
    ("Each of `further_reading`", Link),
    ("`report`", Report),
    ("The Markdown after the front matter", CaseSummary),
)
"""The tables of the guide, in order: a heading and the model whose fields it lists."""

EXAMPLE_MISTAKE = ("information-sharing", "hidden-men")
"""The guide's example error: the example file's first theme misspelt as this."""


@dataclass(frozen=True)
class FieldDoc:
    """One row of a field table in the authors' guide."""

    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelDoc:
    """One table of fields in the authors' guide."""

    title: str
    description: str
    fields: list[FieldDoc]


def field_docs(model: type[BaseModel]) -> list[FieldDoc]:
    """The fields of ``model`` with the meaning their docstrings give."""
    return [
        FieldDoc(name, info.is_required(), " ".join((info.description or "").split()).replace("|", "\\|"))
        for name, info in model.model_fields.items()
    ]


def guide_context(content: Content) -> dict[str, Any]:
    """What the guide's template is given."""
    return {
        "models": [
            ModelDoc(title, " ".join((model.__doc__ or "").split()), field_docs(model)) for title, model in DOCUMENTED
        ],
        "settings_fields": field_docs(Settings),
        "board_fields": field_docs(BoardSettings),
        "plain_english_fields": field_docs(PlainEnglishSettings),
        "example": example_review_text(),
        "example_error": str(example_error(content)),
        "translatable": sorted(TRANSLATABLE),
        "welsh_separator": WELSH_SEPARATOR,
    }


def example_error(content: Content) -> ContentError:
    """The error ``check`` reports for the example file with its first theme misspelt, worded by
    the same function the check uses (a test holds the two together)."""
    right, wrong = EXAMPLE_MISTAKE
    lines = example_review_text().splitlines()
    themes_line = lines.index("themes:") + 1
    assert lines[themes_line] == f"  - {right}", "the example file's first theme has moved"
    return ContentError(
        f"content/reviews/{EXAMPLE_ID}.md",
        themes_line + 1,
        "themes[1]",
        unknown_entry_message("themes.yml", wrong, content.themes),
    )

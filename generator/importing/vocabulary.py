"""The project's vocabularies and settings as an import needs them: read through the pipeline's
public loading and merging functions, so an import names exactly the keys ``check`` knows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import ContentError
from generator.model.schema import AgeGroup, Agency, ReviewType, Settings, Theme
from generator.pipeline.languages import ENGLISH, content_in
from generator.pipeline.load import RawContent, load
from generator.pipeline.vocabularies import chosen_sets, merged_vocabulary


@dataclass(frozen=True)
class Vocabularies:
    """What a draft may name, and the settings the anonymity check uses."""

    review_types: dict[str, ReviewType]
    themes: dict[str, Theme]
    agencies: dict[str, Agency]
    age_groups: dict[str, AgeGroup]
    board_name: str | None
    """The site's board (``board_name`` in settings), if the settings can be read."""
    helplines: list[str]
    contacts: list[str]


def project_vocabularies(content_dir: Path) -> Vocabularies:
    """The vocabularies of the project at ``content_dir`` (entries with errors are left out:
    ``check`` reports those)."""
    raw: RawContent = content_in(load(content_dir, reviews=False), ENGLISH)
    sets = chosen_sets(raw.settings, raw.shipped)
    ignored: list[ContentError] = []

    def merged(name: str, own, model):
        shipped = [raw.shipped[chosen][name] for chosen in sets if name in raw.shipped[chosen]]
        return merged_vocabulary(shipped, own, model, ignored, own_may_be_empty=True)

    settings = raw.settings.data if raw.settings is not None and isinstance(raw.settings.data, dict) else {}
    board = settings.get("board_name")
    try:
        parsed = Settings.model_validate(settings)
        helplines, contacts = list(parsed.helplines), [parsed.contact_email, *parsed.contacts]
    except ValueError:
        helplines, contacts = [], []
    return Vocabularies(
        review_types=merged("review_types", raw.review_types, ReviewType),
        themes=merged("themes", raw.themes, Theme),
        agencies=merged("agencies", raw.agencies, Agency),
        age_groups=merged("age_groups", raw.age_groups, AgeGroup),
        board_name=board if isinstance(board, str) else None,
        helplines=helplines,
        contacts=contacts,
    )

"""``briefings collect``: read ``content/collection.yml``, fetch each source, and write the
collection's review files to ``content/reviews/`` (the only files a collect writes there: those it
wrote before are replaced, and removed when their review is no longer collected). The build then
makes the site from them like any other content."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.collecting.assemble import MARKER, Mapper, assemble
from generator.collecting.fetch import Fetched, collect_sources
from generator.errors import ContentError, ContentErrors
from generator.importing.vocabulary import project_vocabularies
from generator.model.schema import Collection
from generator.model.strings import default_strings
from generator.pipeline.load import load_yaml_file
from generator.pipeline.model_errors import as_model

COLLECTION_FILE = "collection.yml"
"""In ``content/``: the sources of a collection."""
STORE = "collected"
"""In the project: the last good copy of each source, and what each was last time."""


@dataclass(frozen=True)
class CollectReport:
    fetched: list[Fetched]
    notes: list[str]
    """Keys that map onto nothing in the collection's vocabularies, and reviews left out."""
    written: list[str]
    unchanged: int
    removed: list[str]

    def lines(self) -> list[str]:
        """One line a source (what happened, or why it could not be used), then the notes."""
        said = []
        for item in self.fetched:
            reviews = len({entry.review_id for entry in item.data.items}) if item.data else 0
            said.append(f"{item.source.key}: {item.problem or item.outcome} ({reviews} review(s))")
        return said + self.notes


def read_collection(content_dir: Path) -> Collection:
    """``content/collection.yml``, or ``ContentErrors`` at ``path:line: field``."""
    path = content_dir / COLLECTION_FILE
    shown_as = f"{content_dir.name}/{COLLECTION_FILE}"
    if not path.exists():
        raise ContentErrors(
            [ContentError(shown_as, 1, "", "no collection file: list the boards' learning.json under 'sources:'")]
        )
    document = load_yaml_file(path, content_dir.parent)
    errors: list[ContentError] = list(document.problems)
    collection = as_model(document, Collection, (), errors)
    if errors or collection is None:
        raise ContentErrors(errors)
    return collection


def collect(root: Path) -> CollectReport:
    """Fetch every source of the project at ``root`` and write its review files."""
    content_dir = root / "content"
    collection = read_collection(content_dir)
    fetched = collect_sources(collection.sources, root, root / STORE)
    vocabularies = project_vocabularies(content_dir)
    assembled = assemble(
        fetched,
        Mapper(vocabularies.themes),
        Mapper(vocabularies.review_types),
        Mapper(vocabularies.agencies),
        default_strings(),
    )
    written, unchanged, removed = _write(content_dir / "reviews", assembled.files)
    return CollectReport(fetched, assembled.notes, written, unchanged, removed)


def _write(folder: Path, files: dict[str, str]) -> tuple[list[str], int, list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    clashes = [name for name in files if (folder / name).exists() and not _is_collected(folder / name)]
    if clashes:  # found before anything is written, so a clash leaves content/reviews/ as it was
        raise ContentErrors(
            [
                ContentError(
                    f"content/reviews/{name}",
                    1,
                    "",
                    "a board's own review has the id of a collected review; rename the file (and its id)",
                )
                for name in clashes
            ]
        )
    written, unchanged = [], 0
    for name, text in files.items():
        path = folder / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            unchanged += 1
            continue
        path.write_text(text, encoding="utf-8")
        written.append(name)
    removed = sorted(path.name for path in folder.glob("*.md") if path.name not in files and _is_collected(path))
    for name in removed:
        (folder / name).unlink()
    return written, unchanged, removed


def _is_collected(path: Path) -> bool:
    with path.open(encoding="utf-8") as file:
        return file.readline() == "---\n" and file.readline().startswith(MARKER)

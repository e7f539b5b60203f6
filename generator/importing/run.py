"""``briefings import``: read the report, find what it says, draft the review file, write it
(the one file an import writes, and only once the report has been read), and report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.importing.draft import draft_text
from generator.importing.extract import extract
from generator.importing.read import ImportFailure, Progress, read_report
from generator.importing.report import findings, report_text
from generator.importing.themes import ThemeIndex
from generator.importing.vocabulary import project_vocabularies
from generator.model.schema import KEY_PATTERN


@dataclass(frozen=True)
class Imported:
    path: Path
    report: str


def import_report(
    content_dir: Path,
    report: Path,
    review_id: str | None = None,
    board: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Imported:
    """Draft ``content/reviews/<id>.md`` from ``report``; ``ImportFailure`` (nothing written)
    if the report cannot be read, is not a report, or the file exists and ``force`` is not given."""
    if review_id is not None and not re.match(KEY_PATTERN, review_id):
        raise ImportFailure(f"--id {review_id!r}: use lowercase letters, digits and hyphens, e.g. kent-2024-child-a")
    if review_id is not None:
        _refuse_overwrite(content_dir, review_id, force)
    blocks = read_report(report, progress)
    vocabularies = project_vocabularies(content_dir)
    extracted = extract(blocks, vocabularies.agencies, vocabularies.review_types)
    if not extracted.points and not extracted.recommendations:
        raise ImportFailure(
            f"{report}: no learning points, findings, lessons or recommendations were found; is this a case review "
            "report? (they are found under headings such as 'Learning', 'Lessons learnt', 'Recommendations')"
        )
    review_id = review_id or default_id(extracted.metadata, board, report)
    target = _refuse_overwrite(content_dir, review_id, force)
    shown_as = target.relative_to(content_dir.parent).as_posix()
    draft = draft_text(review_id, extracted, ThemeIndex(vocabularies.themes), report.name, board)
    found = findings(draft, shown_as, vocabularies)
    target.parent.mkdir(parents=True, exist_ok=True)
    existed = target.exists()
    target.write_text(draft.text, encoding="utf-8")
    return Imported(target, report_text(draft, shown_as, found, existed))


def _refuse_overwrite(content_dir: Path, review_id: str, force: bool) -> Path:
    target = content_dir / "reviews" / f"{review_id}.md"
    if target.exists() and not force:
        raise ImportFailure(f"{target} already exists; give another --id, or --force to replace it")
    return target


def default_id(metadata: dict[str, object], board: str | None, report: Path) -> str:
    """``<board's first word>-<year>-<pseudonym>`` where the report gives them, else the file's name."""
    board_name = board or metadata.get("board")
    words = []
    if isinstance(board_name, str):
        words.append(re.split(r"\s+", board_name.strip())[0])
    if isinstance(metadata.get("published"), str):
        words.append(str(metadata["published"])[:4])
    pseudonyms = metadata.get("pseudonyms")
    if isinstance(pseudonyms, list) and pseudonyms:
        words.append(pseudonyms[0])
    slug = "-".join(re.findall(r"[a-z0-9]+", " ".join(words).lower())) if len(words) >= 2 else ""
    return slug or "-".join(re.findall(r"[a-z0-9]+", report.stem.lower())) or "imported-review"

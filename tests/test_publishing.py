"""Drafts, embargoes, archived reviews and withdrawn reports."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, write_review

from generator.build import Project, check
from generator.cli import main
from generator.pipeline.render import render

DRAFT = (
    MINIMAL_REVIEW.replace("test-2024-child-a", "test-2024-child-draft")
    .replace("status: published", "status: draft")
    .replace("Child A: a test review", "Zanzibar draft review")
    .replace("Share what you know.", "Quokka draft point.")
    .replace("review_type: cspr", "review_type: sar")
    .replace("themes: [information-sharing]", "themes: [invisible-fathers]\nagencies: [police]")
)
EMBARGOED = (
    MINIMAL_REVIEW.replace("test-2024-child-a", "test-2024-child-embargo")
    .replace("status: published", "status: published\npublish_from: 2030-01-01")
    .replace("Child A: a test review", "Xylophone embargoed review")
    .replace("Share what you know.", "Narwhal embargoed point.")
    .replace("review_type: cspr", "review_type: dhr")
    .replace("themes: [information-sharing]", "themes: [housing]\nagencies: [gp]")
)
MARKERS = ("test-2024-child-draft", "Zanzibar", "Quokka", "test-2024-child-embargo", "Xylophone", "Narwhal")
ONLY_THEIRS = {
    "draft": ["themes/invisible-fathers", "agencies/police", "types/sar"],
    "embargoed": ["themes/housing", "agencies/gp", "types/dhr"],
}
"""Pages only the draft's or the embargoed review's theme, agency and type would have."""


def build(project: Project, today: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LL_TODAY", today)
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output


def text_of(path: Path) -> str:
    """The text a file holds, read inside PDFs (their pages and their properties), Word documents
    (every XML part of the zip) and gzip files."""
    if path.suffix == ".pdf":
        reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
        properties = [str(value) for value in (reader.metadata or {}).values()]
        return " ".join([*(page.extract_text() for page in reader.pages), *properties])
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as document:
            return " ".join(document.read(name).decode("utf-8", errors="ignore") for name in document.namelist())
    if path.suffix == ".gz":  # gzip, as the search index's files are
        return gzip.decompress(path.read_bytes()).decode("utf-8", errors="ignore")
    return path.read_bytes().decode("utf-8", errors="ignore")


def leaks(project: Project, markers: tuple[str, ...] = MARKERS) -> list[str]:
    """Every file in site/ or briefings/ that mentions a draft or embargoed review (``markers``)."""
    found = []
    for folder in (project.site_dir, project.docs_dir):
        for path in folder.rglob("*"):
            if path.is_file() and any(marker in text_of(path) or marker in path.name for marker in markers):
                found.append(str(path.relative_to(project.root)))
    return found


def published_in_every_format(project: Project, review_id: str, title: str, point: str) -> None:
    """The review is in each output the leak test reads, so that its finding nothing means something:
    the Word files, learning.json (its items and reviews) and .csv, the feed, the search index's
    fragments and the briefing page's linked data."""
    site = project.site_dir
    for document in (f"{review_id}.docx", f"{review_id}-7-minute.docx"):
        assert title in text_of(site / "word" / document), document
    assert point in text_of(site / "word" / f"{review_id}.docx")
    assert title in text_of(site / "pdf" / f"{review_id}.pdf")
    assert pypdf.PdfReader(site / "pdf" / f"{review_id}.pdf").metadata.title == title  # its properties too
    data = json.loads(text_of(site / "data" / "learning.json"))
    assert point in [item["text"] for item in data["items"] if item["review_id"] == review_id]
    assert title in [review["title"] for review in data["reviews"]]
    assert f"{review_id}/lp-1-1," in text_of(site / "data" / "learning.csv")
    assert f"<title>{title}</title>" in text_of(site / "feed.xml")
    records = list((site / "search-index" / "records").iterdir())
    assert any(point in text_of(path) for path in records), "the point is in the search index's records"
    page = text_of(site / "reviews" / review_id / "index.html")
    linked = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert linked and json.loads(linked.group(1))["headline"] == title


def test_drafts_and_embargoed_reviews_appear_nowhere(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = project.content_dir / "settings.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "\nsite_url: https://example.org/learning/\n", encoding="utf-8"
    )
    write_review(project, "a.md", MINIMAL_REVIEW)
    write_review(project, "draft.md", DRAFT)
    write_review(project, "embargo.md", EMBARGOED)
    build(project, "2026-11-24", monkeypatch)
    assert (project.site_dir / "reviews" / "test-2024-child-a" / "index.html").is_file()
    assert (project.site_dir / "pdf" / "test-2024-child-a.pdf").is_file()
    assert leaks(project) == []
    published_in_every_format(project, "test-2024-child-a", "Child A: a test review", "Share what you know.")
    for page in ONLY_THEIRS["draft"] + ONLY_THEIRS["embargoed"]:
        assert not (project.site_dir / page).exists(), page
    # The embargo lifts on its date; the draft stays out.
    build(project, "2030-01-01", monkeypatch)
    assert (project.site_dir / "reviews" / "test-2024-child-embargo" / "index.html").is_file()
    published_in_every_format(
        project, "test-2024-child-embargo", "Xylophone embargoed review", "Narwhal embargoed point."
    )
    assert not (project.site_dir / "reviews" / "test-2024-child-draft").exists()
    assert leaks(project, MARKERS[:3]) == []  # the draft's
    for page in ONLY_THEIRS["embargoed"]:
        assert (project.site_dir / page / "index.html").is_file(), page
    for page in ONLY_THEIRS["draft"]:
        assert not (project.site_dir / page).exists(), page


def test_draft_preview_shows_drafts_with_a_banner(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LL_TODAY", "2026-11-24")
    write_review(project, "a.md", MINIMAL_REVIEW)
    write_review(project, "draft.md", DRAFT)
    write_review(project, "embargo.md", EMBARGOED)
    assert [entry.review.id for entry in check(project).reviews] == ["test-2024-child-a"]
    pages = render(check(project, drafts=True))
    for review_id in ("test-2024-child-draft", "test-2024-child-embargo"):
        page = pages[f"reviews/{review_id}.md"]
        assert '!!! danger "DRAFT – not for publication.' in page
        assert "(draft – not for publication)" in pages["reviews/index.md"]
    assert "DRAFT" not in pages["reviews/test-2024-child-a.md"]


def test_archived_review_is_marked_and_not_among_the_newest(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("status: published", "status: archived"))
    write_review(
        project,
        "b.md",
        MINIMAL_REVIEW.replace("test-2024-child-a", "test-2024-child-b").replace(
            "Child A: a test review", "Child B: current"
        ),
    )
    pages = render(check(project))
    assert '!!! note "This briefing is archived' in pages["reviews/test-2024-child-a.md"]
    home = pages["index.md"]
    newest = home[home.index("## Newest briefings") : home.index("## How team leads")]
    assert "Child B: current" in newest and "Child A: a test review" not in newest
    assert "Child A: a test review" in pages["reviews/index.md"]


def test_report_past_its_available_until_date_is_no_longer_linked(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = MINIMAL_REVIEW.replace(
        "  title: Full report", "  title: Full report\n  url: https://example.org/r.pdf\n  available_until: 2025-06-30"
    )
    write_review(project, "a.md", text)
    monkeypatch.setenv("LL_TODAY", "2025-06-30")
    assert "https://example.org/r.pdf" in render(check(project))["reviews/test-2024-child-a.md"]
    monkeypatch.setenv("LL_TODAY", "2025-07-01")
    pages = render(check(project))
    assert "https://example.org/r.pdf" not in pages["reviews/test-2024-child-a.md"]
    assert "Full report: The full report is no longer published by the board." in pages["reviews/test-2024-child-a.md"]
    assert "https://example.org/r.pdf" not in pages["seven-minute/test-2024-child-a.md"]


def test_invalid_embargo_date_is_an_error(project: Project) -> None:
    from generator.errors import ContentErrors

    write_review(
        project, "a.md", MINIMAL_REVIEW.replace("status: published", "status: published\npublish_from: 2030-02-30")
    )
    with pytest.raises(ContentErrors) as failure:
        check(project)
    [error] = [str(e) for e in failure.value.errors]
    assert error.startswith("content/reviews/a.md:10: publish_from: ")

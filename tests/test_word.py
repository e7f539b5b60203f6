"""Word documents of each briefing and 7-minute briefing, read back with python-docx."""

from __future__ import annotations

import datetime
import zipfile

import docx
from conftest import MINIMAL_REVIEW, write_review

from generator.build import Project, check
from generator.pipeline.word import ZIP_TIME, blocks, make_word_files, plain

KENT = "kent-2019-child-j"


def styled(document, prefix: str) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(prefix)]


def test_every_briefing_has_its_word_files_linked_beside_the_pdfs(sample_site: Project) -> None:
    reviews = sorted(path.stem for path in (sample_site.content_dir / "reviews").glob("*.md"))
    made = sorted(path.name for path in (sample_site.site_dir / "word").iterdir())
    assert made == sorted([f"{r}.docx" for r in reviews] + [f"{r}-7-minute.docx" for r in reviews])
    page = (sample_site.docs_dir / "reviews" / f"{KENT}.md").read_text(encoding="utf-8")
    assert f"[Briefing (Word)](../word/{KENT}.docx) · [7-minute briefing (Word)](../word/{KENT}-7-minute.docx)" in page


def test_briefing_document_has_headings_lists_space_to_write_and_properties(sample_site: Project) -> None:
    path = sample_site.site_dir / "word" / f"{KENT}.docx"
    document = docx.Document(str(path))
    content = check(sample_site)
    review = next(entry.review for entry in content.reviews if entry.review.id == KENT)
    headings = styled(document, "Heading")
    assert styled(document, "Title") == [("Title", review.title)]
    assert ("Heading 1", "Case summary") in headings
    assert [text for style, text in headings if style == "Heading 1" and text == review.sections[0].heading]
    points = [text for style, text in headings if style == "Heading 2"]
    total = sum(len(section.learning_points) for section in review.sections)
    assert len(points) == total and points[0] == f"Learning point 1.1: {review.sections[0].learning_points[0].point}"
    bullets = [text for style, text in styled(document, "List Bullet")]
    assert review.sections[0].learning_points[0].questions[0].question in bullets
    numbered = [text for style, text in styled(document, "List Number")]
    assert len(numbered) == len(review.recommendations or [])
    # One empty bordered box to write in after each point's questions, and after the standing questions.
    assert len(document.tables) == total + 1
    assert all(table.style.name == "Table Grid" and table.cell(0, 0).text == "" for table in document.tables)
    properties = document.core_properties
    assert properties.title == review.title
    assert properties.author == "Kent Safeguarding Children Board"
    assert properties.language == "en-GB" and properties.subject == "Briefing (Word)"
    assert properties.created == properties.modified == datetime.datetime(2019, 4, 11, tzinfo=datetime.UTC)
    assert document.sections[0].header.paragraphs[0].text == content.settings.board_name
    # Packed with fixed times, so that builds give the same bytes (compared in test_cli).
    assert {info.date_time for info in zipfile.ZipFile(path).infolist()} == {ZIP_TIME}


def test_seven_minute_document_has_seven_headed_parts(sample_site: Project) -> None:
    document = docx.Document(str(sample_site.site_dir / "word" / f"{KENT}-7-minute.docx"))
    headings = [text for style, text in styled(document, "Heading 1")]
    assert len(headings) == 7 and headings[0].startswith("1. ") and headings[6].startswith("7. ")
    assert styled(document, "Title")[0][1].startswith("7-minute briefing")
    assert document.core_properties.subject == "7-minute briefing (Word)"
    assert styled(document, "List Number") and styled(document, "List Bullet")
    assert len(document.tables) == 1


def test_markdown_becomes_plain_paragraphs_and_lists(project: Project) -> None:
    assert plain("See **the [protocol](https://example.org/p)** and [the list](../themes/x.md){ .x }") == (
        "See the protocol (https://example.org/p) and the list"
    )
    text = "One *line*\ngoes on.\n\n- first\n- second\n\n1. numbered"
    assert list(blocks(text)) == [
        ("Normal", "One line goes on."),
        ("List Bullet", "first"),
        ("List Bullet", "second"),
        ("List Number", "numbered"),
    ]
    write_review(project, "a.md", MINIMAL_REVIEW)
    content = check(project)
    first, second = make_word_files(content), make_word_files(content)
    assert first == second and set(first) == {"word/test-2024-child-a.docx", "word/test-2024-child-a-7-minute.docx"}

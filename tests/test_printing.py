"""The printed briefings are converted with the site's own Markdown settings, read from mkdocs.yml,
and print what content says as written, whatever characters it has."""

from __future__ import annotations

import io
import re

import pypdf
from conftest import MINIMAL_REVIEW, REPO, write_review

from generator.build import Project, check
from generator.pipeline.pdf import make_pdfs
from generator.pipeline.printing import print_documents
from generator.pipeline.render import render
from generator.pipeline.site_config import markdown_settings
from generator.templating import typst_text


def test_the_markdown_settings_are_mkdocs_yml_s() -> None:
    settings = markdown_settings(REPO / "mkdocs.yml")
    assert settings.extensions == [
        "toc",
        "tables",
        "fenced_code",
        "admonition",
        "attr_list",
        "md_in_html",
        "pymdownx.superfences",
    ]
    assert settings.configs == {"toc": {"permalink": True, "toc_depth": 2}}


def test_print_follows_the_config_file(project: Project) -> None:
    """A change to mkdocs.yml's Markdown settings reaches the printed page: here, without the
    attribute lists extension, the line that hides the links to the other session documents
    prints as written, escaped, instead of hiding them."""
    write_review(project, "a.md", MINIMAL_REVIEW)
    content = check(project)
    pages = render(content)
    printed = print_documents(content, pages, markdown_settings(project.config_file))
    source = printed["pdf/test-2024-child-a.pdf"].versions[0]
    hider = r"\{\: \.ll\-session\-links \}"
    assert hider not in source
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace("  - attr_list\n", ""), encoding="utf-8")
    printed = print_documents(content, pages, markdown_settings(project.config_file))
    source = printed["pdf/test-2024-child-a.pdf"].versions[0]
    assert hider in source


SPECIAL = 'Ask #1 * 2 _ 3 $5 @team <b> [x] \\ ` ~ "quoted" -- ... // = + - ŵ ŷ â'
"""A learning point with the characters Typst gives a meaning of its own, and Welsh letters."""


def test_a_point_prints_every_character_as_written(project: Project) -> None:
    """Typst's special characters in content are escaped, each with a backslash (so none can run
    as Typst code or markup), and the PDF's text has the point as written. A link to the web is
    clickable and its address printed after its words."""
    review = MINIMAL_REVIEW.replace("- point: Share what you know.", "- point: '" + SPECIAL.replace("'", "''") + "'")
    review = review.replace(
        "further_reading: []", "further_reading:\n  - title: A guide\n    url: https://example.org/a_guide#part"
    )
    write_review(project, "a.md", review)
    content = check(project)
    assert content.reviews[0].review.sections[0].learning_points[0].point == SPECIAL
    printed = print_documents(content, render(content), markdown_settings(project.config_file))
    briefing = {"pdf/test-2024-child-a.pdf": printed["pdf/test-2024-child-a.pdf"]}
    assert typst_text(SPECIAL) in briefing["pdf/test-2024-child-a.pdf"].versions[0]
    assert r"Ask \#1 \* 2 \_ 3 \$5 \@team \<b\> \[x\] \\ \` \~ \"quoted\" \-\- \.\.\." in typst_text(SPECIAL)
    pdf = pypdf.PdfReader(io.BytesIO(make_pdfs(briefing, workers=1)["pdf/test-2024-child-a.pdf"]))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert re.sub(r"\s+", "", SPECIAL) in re.sub(r"\s+", "", text)
    assert "A guide (https://example.org/a_guide#part)" in text
    links = {note.get_object()["/A"]["/URI"] for page in pdf.pages for note in page.get("/Annots", [])}
    assert links == {"https://example.org/a_guide#part"}  # its words and its address; no address within the site


NARRATIVE = """\
    narrative: |
      | Agency | Seen |
      | --- | --- |
      | Health visiting | 3 times |

      - The first visit
          - with the midwife
      - The `second` visit

      ```
      a [raw] #line
      ```
"""
"""A section's narrative with Markdown an author may write: a table, a nested list, code and a
block of code."""


def test_an_authors_markdown_prints(project: Project) -> None:
    """What an author's Markdown makes (tables, nested lists, code) prints, in order."""
    write_review(project, "a.md", MINIMAL_REVIEW.replace("    narrative: What happened.\n", NARRATIVE))
    content = check(project)
    printed = print_documents(content, render(content), markdown_settings(project.config_file))
    source = printed["pdf/test-2024-child-a.pdf"].versions[0]
    assert "#table(columns: 2," in source and '#raw("second")' in source
    pdf = make_pdfs({"pdf/test-2024-child-a.pdf": printed["pdf/test-2024-child-a.pdf"]}, workers=1)
    text = re.sub(
        r"\s+",
        " ",
        "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf["pdf/test-2024-child-a.pdf"])).pages),
    )
    words = ["Agency", "Seen", "Health visiting", "3 times", "The first visit"]
    words += ["with the midwife", "second", "a [raw] #line"]
    positions = [text.find(word) for word in words]
    assert -1 not in positions and positions == sorted(positions), (positions, text)


def test_content_that_looks_like_pdf_or_typst_code_prints_as_written(project: Project) -> None:
    """Words in the PDF's properties never count as its pages (a 7-minute briefing whose summary
    reads like a PDF page tree still fits on its pages); an author's ``ll-tile`` class does not
    turn a paragraph into the 7-minute briefing's tiles or lose its words; and control
    characters in content cannot reach the Typst source."""
    review = MINIMAL_REVIEW.replace(
        "summary: A short summary.", 'summary: "Outcome /Type /Pages /Count 7 noted\\0page\\0"'
    )
    review = review.replace(
        "    narrative: What happened.\n",
        "    narrative: |\n      Before the link [tile](https://example.org/t){: .ll-tile } after the link.\n",
    )
    write_review(project, "a.md", review)
    content = check(project)
    printed = print_documents(content, render(content), markdown_settings(project.config_file))
    assert all("\0" not in version for document in printed.values() for version in document.versions)
    assert "#ll-tile-row" not in printed["pdf/test-2024-child-a.pdf"].versions[0]
    made = make_pdfs(printed, workers=1)
    seven = pypdf.PdfReader(io.BytesIO(made["pdf/test-2024-child-a-7-minute.pdf"]))
    assert len(seven.pages) == 1 and "Outcome /Type /Pages /Count 7 noted" in seven.metadata["/Subject"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(made["pdf/test-2024-child-a.pdf"])).pages)
    assert "Before the link tile (https://example.org/t) after the link." in re.sub(r"\s+", " ", text)


def test_a_pdf_cache_that_cannot_be_written_only_costs_time(project: Project) -> None:
    """A file where the PDF cache's folder should be: the PDFs are still made, the build goes on."""
    write_review(project, "a.md", MINIMAL_REVIEW)
    content = check(project)
    printed = print_documents(content, render(content), markdown_settings(project.config_file))
    blocked = project.root / ".cache" / "pdf"
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("in the way", encoding="utf-8")
    made = make_pdfs(printed, blocked, workers=1)
    assert sorted(made) == sorted(printed) and all(pdf.startswith(b"%PDF-") for pdf in made.values())
    assert blocked.read_text(encoding="utf-8") == "in the way"

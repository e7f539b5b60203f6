"""Session plans, 7-minute briefings and PDFs, checked against the content."""

from __future__ import annotations

import io
import re
import shutil

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, REPO, write_review
from content_facts import normalise, points_on_theme, reviews, text_of

from generator.build import Project, generate
from generator.cli import main
from generator.pipeline.pdf import forget_made
from generator.templating import join_names

SAMPLE = reviews(REPO / "content")
SETTINGS = yaml.safe_load((REPO / "content" / "settings.yml").read_text(encoding="utf-8"))


def html_text(project: Project, *parts: str) -> str:
    return text_of((project.site_dir.joinpath(*parts) / "index.html").read_text(encoding="utf-8"))


def pdf_text(path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    # Extraction puts spaces where the PDF has gaps, inside words too ("T ool"), so the text is
    # compared with all white space removed; the words must still be there, in order.
    return reader, squash(text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text))


@pytest.mark.parametrize("review_id", sorted(SAMPLE))
def test_session_plan_has_every_question_and_the_agendas(sample_site: Project, review_id: str) -> None:
    text = html_text(sample_site, "sessions", review_id)
    review = SAMPLE[review_id]
    for section in review["sections"]:
        for point in section["learning_points"]:
            for question in point["questions"]:
                assert normalise(question) in text
    for question in SETTINGS["standing_questions"]:
        assert normalise(question) in text
    for agenda in SETTINGS["session"]["agendas"]:
        assert f"{agenda['minutes']}-minute session" in text
        start = 0
        for item in agenda["items"]:
            assert f"{start}–{start + item['minutes']} min {normalise(item['activity'])}" in text
            start += item["minutes"]
    assert normalise(SETTINGS["session"]["facilitator_notes"]) in text
    for action in SETTINGS["session"]["closing_actions"]:
        assert normalise(action) in text
    assert "Sending the record back to the board" in text


@pytest.mark.parametrize("theme", ["invisible-fathers", "strategy-discussions"])
def test_theme_session_draws_on_every_review_tagged_with_it(sample_site: Project, theme: str) -> None:
    text = html_text(sample_site, "sessions", f"theme-{theme}")
    tagged = points_on_theme(REPO / "content", theme)
    assert tagged
    for review_id, point in tagged:
        assert normalise(point) in text
        assert normalise(SAMPLE[review_id]["title"]) in text


@pytest.mark.parametrize("review_id", sorted(SAMPLE))
def test_seven_minute_briefing_has_seven_numbered_tiles(sample_site: Project, review_id: str) -> None:
    markup = (sample_site.site_dir / "seven-minute" / review_id / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'class="ll-tile[ "]', markup)) == 7
    text = text_of(markup)
    positions = [
        text.index(f"{number}. {heading}") for number, heading in enumerate(SETTINGS["seven_minute_headings"], 1)
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("review_id", sorted(SAMPLE))
def test_pdfs_have_selectable_text_metadata_and_page_limits(sample_site_with_pdfs: Project, review_id: str) -> None:
    review = SAMPLE[review_id]
    points = [point["point"] for section in review["sections"] for point in section["learning_points"]]
    briefing, briefing_text = pdf_text(sample_site_with_pdfs.site_dir / "pdf" / f"{review_id}.pdf")
    seven, seven_text = pdf_text(sample_site_with_pdfs.site_dir / "pdf" / f"{review_id}-7-minute.pdf")
    for point in points:
        assert squash(point) in briefing_text
        assert squash(point) in seven_text
    for section in review["sections"]:
        for point in section["learning_points"]:
            for question in point["questions"]:
                assert squash(question) in briefing_text
    assert len(seven.pages) <= 2
    boards = review["board"] if isinstance(review["board"], list) else [review["board"]]
    for reader, title in ((briefing, review["title"]), (seven, f"7-minute briefing: {review['title']}")):
        assert reader.metadata.title == title
        assert reader.metadata.author == join_names(boards, "and")
        if review["published"] != "not dated":
            # D:YYYYMMDD, then the time (midnight UTC) in full: D:20190411000000Z
            assert reader.metadata["/CreationDate"].startswith("D:" + str(review["published"]).replace("-", ""))


def test_pdfs_are_linked_from_the_briefing(sample_site_with_pdfs: Project) -> None:
    markup = (sample_site_with_pdfs.site_dir / "reviews" / "kent-2019-child-j" / "index.html").read_text(
        encoding="utf-8"
    )
    assert 'href="../../pdf/kent-2019-child-j.pdf"' in markup
    assert 'href="../../pdf/kent-2019-child-j-7-minute.pdf"' in markup
    assert 'href="../../sessions/kent-2019-child-j/"' in markup


def test_a_seven_minute_briefing_that_cannot_fit_fails_the_build(project: Project) -> None:
    runner = CliRunner()
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert runner.invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    site = sorted(path.relative_to(project.site_dir) for path in project.site_dir.rglob("*"))
    long_point = "A long learning point that goes on and on about practice and what to change. " * 3
    many_points = "".join(
        f"      - point: {n}. {long_point}\n        questions:\n          - Question {n} for the team to discuss?\n"
        for n in range(40)
    )
    text = MINIMAL_REVIEW.replace(
        "      - point: Share what you know.\n        questions:\n          - How do you share?\n", many_points
    )
    write_review(project, "a.md", text)
    result = runner.invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1
    assert (
        "pdf/test-2024-child-a-7-minute.pdf (from content/reviews/a.md) does not fit on 2 pages even in the "
        "smallest type" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert sorted(path.relative_to(project.site_dir) for path in project.site_dir.rglob("*")) == site


def test_pdfs_can_be_turned_off(project: Project) -> None:
    settings = project.content_dir / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nmake_pdfs: false\n", encoding="utf-8")
    write_review(project, "a.md", MINIMAL_REVIEW)
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert not (project.site_dir / "pdf").exists()
    assert ".pdf" not in (project.site_dir / "reviews" / "test-2024-child-a" / "index.html").read_text(encoding="utf-8")


def test_an_edit_remakes_only_that_reviews_pdfs(project: Project) -> None:
    """PDFs are kept on disk by the hash of what goes into them: a build in a new process (here,
    after the process forgets what it made) reads the unchanged ones back, byte for byte, and
    makes only the edited review's two; a PDF cut short in the cache is made again."""
    write_review(project, "a.md", MINIMAL_REVIEW)
    child_b = MINIMAL_REVIEW.replace("test-2024-child-a", "test-2024-child-b").replace("Child A", "Child B")
    write_review(project, "b.md", child_b)
    forget_made()
    generate(project)
    cached = {file.name: file.read_bytes() for file in project.pdf_cache.iterdir()}
    shutil.rmtree(project.pdf_cache)
    generate(project)  # the PDFs this process made are kept on disk again
    assert {file.name: file.read_bytes() for file in project.pdf_cache.iterdir()} == cached
    built = {file.name: file.read_bytes() for file in (project.docs_dir / "pdf").iterdir()}
    assert len(cached) == 4 and sorted(cached.values()) == sorted(built.values())
    forget_made()
    write_review(
        project,
        "b.md",
        child_b.replace("Share what", "Always share what"),
    )
    generate(project)
    now = {file.name: file.read_bytes() for file in project.pdf_cache.iterdir()}
    assert len(now) == 4 and len(set(now) - set(cached)) == 2, "only child B's two PDFs are new"
    for name in ("test-2024-child-a.pdf", "test-2024-child-a-7-minute.pdf"):
        assert (project.docs_dir / "pdf" / name).read_bytes() == built[name]
    forget_made()
    damaged = project.pdf_cache / sorted(now)[0]
    damaged.write_bytes(now[damaged.name][:1000])
    generate(project)
    assert damaged.read_bytes() == now[damaged.name]


def test_a_pdf_is_the_same_whatever_its_process_printed_before(sample_site_with_pdfs: Project) -> None:
    """Each process sets Typst up once and makes every document it is given with the same
    compiler and fonts: a PDF made after others, in another process and order than the build's,
    is the build's PDF byte for byte."""
    from generator.build import check
    from generator.pipeline.pdf import make_pdfs
    from generator.pipeline.printing import print_documents
    from generator.pipeline.render import render
    from generator.pipeline.site_config import markdown_settings

    content = check(sample_site_with_pdfs)
    documents = print_documents(content, render(content), markdown_settings(sample_site_with_pdfs.config_file))
    chosen = {path: documents[path] for path in sorted(documents, reverse=True)[:3]}
    forget_made()  # made again here, not taken from what this process made for the build
    made = make_pdfs(chosen, workers=1)  # in this process, one after another
    for path, pdf in made.items():
        assert pdf == (sample_site_with_pdfs.site_dir / path).read_bytes(), path

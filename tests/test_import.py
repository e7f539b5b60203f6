"""`briefings import` and `briefings schema`: each input format, sources, the never-overwrite
rule, every kind of bad input, drafts that pass `check` once filled in, and the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import frontmatter
import jsonschema
import pytest
from click.testing import CliRunner
from conftest import REPO, assert_golden, make_project
from report_files import make_docx, make_html, make_pdf

from generator.cli import main

REPORTS = REPO / "tests" / "reports"
SAMPLES = [
    "warwickshire-2017-child-j",
    "blackburn-with-darwen-2010-baby-z",
    "warwickshire-2018-child-k",
    "kent-2019-child-j",
]


@pytest.fixture(scope="session")
def kent_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Kent report as PDF, Word and HTML, made once a session."""
    folder = tmp_path_factory.mktemp("kent-report")
    text = (REPORTS / "kent-2019-child-j.txt").read_text(encoding="utf-8")
    files = {"pdf": folder / "kent.pdf", "docx": folder / "kent.docx", "html": folder / "kent.html"}
    make_docx(text, files["docx"], make_pdf(text, files["pdf"]))
    make_html(text, files["html"])
    return files


def run_import(project_root: Path, *args: str):
    return CliRunner().invoke(main, ["import", "--project", str(project_root), *args])


def front_matter(path: Path) -> dict:
    return frontmatter.loads(path.read_text(encoding="utf-8")).metadata


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx", "html"])
def test_each_format_gives_the_same_draft_with_sources(tmp_path: Path, kent_files, kind: str) -> None:
    project = make_project(tmp_path / "p")
    report = REPORTS / "kent-2019-child-j.txt" if kind == "txt" else kent_files[kind]
    result = run_import(project.root, str(report), "--id", "kent-draft", "--board", "Kent Safeguarding Children Board")
    assert result.exit_code == 0, result.output
    data = front_matter(project.content_dir / "reviews" / "kent-draft.md")
    assert data["status"] == "draft"
    assert data["board"] == "Kent Safeguarding Children Board"
    assert data["published"] == "2019-04-11" and data["pseudonyms"] == ["Child J"]
    points = [point for section in data["sections"] for point in section["learning_points"]]
    assert len(points) == 13 and len(data["recommendations"]) == 2
    assert points[0]["point"].startswith("Where risk factors are known")  # a finding in the analysis
    assert points[0]["kind"] == "finding" and "kind" not in points[1]  # a learning point is the default
    assert points[1]["point"].startswith("It is important that obtaining family history")
    assert all(point["questions"] == [] and point["themes"] == [] for point in points)  # never invented
    sources = [item["source"] for item in [*points, *data["recommendations"]]]
    if kind in ("pdf", "docx"):
        assert sources[:2] == ["p. 7, §10.3", "p. 7, §10.9"]
        assert data["recommendations"][1]["source"] == "p. 11, Recommendation 2"
        assert all(re.match(r"p\. \d+", source) for source in sources)
        assert [section["heading"] for section in data["sections"]][:2] == [
            "Pre-birth planning and assessments",
            "Professionals meetings, information sharing and parental engagement",
        ]  # the PDF's running header and "Page N of M" footer are not taken for headings
    elif kind == "txt":
        assert sources[:2] == ["§10.3, line 139", "§10.9, line 151"]
    else:
        assert sources[:2] == ["§10.3", "§10.9"]  # HTML has no pages
    assert "Found 13 learning point(s), 2 recommendation(s)" in result.output
    assert data["recommendations"][0]["addressed_to"] == ["safeguarding-board"]


def test_a_point_the_report_states_twice_is_kept_once_with_both_places(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    result = run_import(project.root, str(REPORTS / "warwickshire-2017-child-j.txt"), "--id", "w")
    assert result.exit_code == 0, result.output
    data = front_matter(project.content_dir / "reviews" / "w.md")
    first = data["sections"][0]["learning_points"][0]
    assert first["source"] == "Learning, line 215; Learning point 1, line 286"
    assert data["board_questions"][0].startswith("How can the WSCB ensure")
    assert data["recommendations"][0]["addressed_to"] == [
        "safeguarding-board",
        "childrens-social-care",
        "legal-services",
    ]


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    target = project.content_dir / "reviews" / "kent-2019-child-j.md"
    target.write_text("the author's own work\n", encoding="utf-8")
    result = run_import(
        project.root, str(REPORTS / "kent-2019-child-j.txt"), "--board", "Kent Safeguarding Children Board"
    )
    assert result.exit_code == 1
    assert f"{target} already exists; give another --id, or --force to replace it" in result.output
    assert target.read_text(encoding="utf-8") == "the author's own work\n"
    forced = run_import(
        project.root, str(REPORTS / "kent-2019-child-j.txt"), "--board", "Kent Safeguarding Children Board", "--force"
    )
    assert forced.exit_code == 0, forced.output
    assert front_matter(target)["id"] == "kent-2019-child-j"


def _bad_inputs(folder: Path, kent_pdf: Path) -> dict[str, Path]:
    from pypdf import PdfReader, PdfWriter

    files = {}
    files["empty"] = folder / "empty.pdf"
    files["empty"].write_bytes(b"")
    files["huge"] = folder / "huge.pdf"
    with files["huge"].open("wb") as huge:  # a sparse file: 200 MB in size, nothing on disk
        huge.truncate(200 * 1024 * 1024)
    writer = PdfWriter(clone_from=PdfReader(str(kent_pdf)))
    writer.encrypt("secret")
    files["encrypted"] = folder / "encrypted.pdf"
    with files["encrypted"].open("wb") as out:
        writer.write(out)
    files["corrupt"] = folder / "corrupt.pdf"
    files["corrupt"].write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    blank = PdfWriter()
    for _ in range(3):
        blank.add_blank_page(595, 842)  # a scan is pictures of pages: no text at all
    files["scanned"] = folder / "scanned.pdf"
    with files["scanned"].open("wb") as out:
        blank.write(out)
    files["doc"] = folder / "old.doc"
    files["doc"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    files["not-a-report"] = folder / "shopping.txt"
    files["not-a-report"].write_text("Milk\nBread\nA dozen eggs for the weekend, please.\n", encoding="utf-8")
    files["binary"] = folder / "picture.png"
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50)
    return files


def test_bad_input_gets_one_line_and_writes_nothing(tmp_path: Path, kent_files) -> None:
    project = make_project(tmp_path / "p")
    folder = tmp_path / "in"
    folder.mkdir()
    before = sorted((project.content_dir / "reviews").iterdir())
    messages = []
    for name, path in _bad_inputs(folder, kent_files["pdf"]).items():
        result = run_import(project.root, str(path))
        assert result.exit_code == 1, (name, result.output)
        assert len(result.output.strip().splitlines()) == 1, (name, result.output)
        assert "Traceback" not in result.output
        messages.append(f"{name}: {result.output.strip().replace(str(folder), '<in>')}")
    assert sorted((project.content_dir / "reviews").iterdir()) == before
    assert_golden("import-errors.txt", "\n".join(messages) + "\n")


def test_a_pdf_restricted_by_an_owner_password_is_read(tmp_path: Path, kent_files) -> None:
    """Published reports often forbid copying with an owner password (AES): they open without one."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(kent_files["pdf"])))
    writer.encrypt("", owner_password="the board's", algorithm="AES-256")
    restricted = tmp_path / "restricted.pdf"
    with restricted.open("wb") as out:
        writer.write(out)
    project = make_project(tmp_path / "p")
    result = run_import(project.root, str(restricted), "--id", "restricted")
    assert result.exit_code == 0, result.output
    assert "Found 13 learning point(s), 2 recommendation(s)" in result.output


def _fill_in(path: Path, output: str) -> None:
    """What the import report lists as to do, done as an author would: a question for each
    point, the review's themes from the suggestions, anything not found."""
    text = path.read_text(encoding="utf-8")
    suggested = re.findall(r"^#   - ([a-z0-9-]+)", text, flags=re.M)
    post = frontmatter.loads(text)
    data = post.metadata
    assert "themes: needs at least one item" in output
    data["themes"] = suggested[:3]
    for section in data["sections"]:
        for point in section["learning_points"]:
            assert point["questions"] == []
            point["questions"] = ["What would this mean for your own team's practice?"]
    for field in ("board", "review_type", "nation"):
        if not data.get(field):
            assert f": {field}:" in output
            data[field] = {"board": "Kent Safeguarding Children Board", "review_type": "scr", "nation": "England"}[
                field
            ]
    post.metadata = data
    path.write_text(frontmatter.dumps(post), encoding="utf-8")


@pytest.mark.parametrize("review", SAMPLES)
def test_a_draft_passes_check_once_the_listed_to_do_is_done(tmp_path: Path, review: str) -> None:
    project = make_project(tmp_path / "p")
    result = run_import(project.root, str(REPORTS / f"{review}.txt"), "--id", "imported")
    assert result.exit_code == 0, result.output
    draft = project.content_dir / "reviews" / "imported.md"
    assert front_matter(draft)["status"] == "draft"
    unfilled = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert unfilled.exit_code == 1 and "a learning point needs at least one reflection question" in unfilled.output
    _fill_in(draft, result.output)
    filled = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert filled.exit_code == 0, filled.output


def test_the_import_report_lists_the_anonymity_findings(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    report = tmp_path / "report.txt"
    report.write_text(
        "Serious Case Review\n\nChild Q\n\nLearning\n\n"
        "- Professionals visiting Child Q at 14 Acacia Avenue did not see the stair gate was broken.\n"
        "- Agencies should share what they know about a family's home before a baby is born.\n",
        encoding="utf-8",
    )
    result = run_import(project.root, str(report), "--id", "q")
    assert result.exit_code == 0, result.output
    assert "Anonymity check on the draft: 1 finding(s)." in result.output
    assert "14 Acacia Avenue" in result.output


def test_schema_describes_the_sample_reviews(tmp_path: Path) -> None:
    out = tmp_path / "review.schema.json"
    result = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    schema = json.loads(out.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((REPO / "content" / "reviews").glob("*.md")):
        assert not [error.message for error in validator.iter_errors(_typed(path))], path
    wrong = {**front_matter(REPO / "content" / "reviews" / "kent-2019-child-j.md"), "themse": []}
    assert any("themse" in error.message for error in validator.iter_errors(json.loads(json.dumps(wrong, default=str))))
    assert schema["properties"]["summary"]["description"] == "One or two sentences shown in lists of briefings."
    assert CliRunner().invoke(main, ["schema"]).output == out.read_text(encoding="utf-8")


def _typed(path: Path):
    """The front matter with its dates as text, as an editor's YAML 1.2 reader sees them."""
    return json.loads(json.dumps(frontmatter.loads(path.read_text(encoding="utf-8")).metadata, default=str))


def test_a_long_report_shows_progress_page_by_page(kent_files) -> None:
    from generator.importing.read import read_report

    told: list[tuple[int, int]] = []
    blocks = read_report(kent_files["pdf"], progress=lambda page, pages: told.append((page, pages)))
    pages = told[-1][1]
    assert pages >= 10 and told == [(page, pages) for page in range(1, pages + 1)]
    assert blocks[-1].page == pages


def test_the_drafts_comments_keep_the_file_name_as_it_is(project, tmp_path: Path) -> None:
    report = tmp_path / "Child D's SCR & response.txt"
    report.write_text((REPORTS / "kent-2019-child-j.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_import(project.root, str(report), "--id", "kent-draft", "--board", "Kent Safeguarding Children Board")
    assert result.exit_code == 0, result.output
    text = (project.content_dir / "reviews" / "kent-draft.md").read_text(encoding="utf-8")
    assert "Child D's SCR & response.txt" in text and "&#39;" not in text and "&amp;" not in text

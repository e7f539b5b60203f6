"""The ``briefings`` command: exit codes, messages, and what it leaves on disk."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, REPO, copy_project, make_project, write_review

import generator
from generator.build import Project, check
from generator.cli import main
from generator.pipeline.render import render
from generator.scaffold import example_review_text


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_check_passes_on_the_sample_content() -> None:
    result = run("check", "--project", str(REPO))
    assert result.exit_code == 0, result.output
    published = len(list((REPO / "content" / "reviews").glob("*.md")))
    assert result.stdout == f"Content is valid: {published} published briefing(s).\n"


def test_check_reports_errors_and_exits_non_zero_without_a_traceback(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("summary:", "sumary:"))
    process = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--project", str(project.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 1
    assert "content/reviews/a.md:12: sumary: unknown field; did you mean 'summary'?" in process.stderr
    assert "2 error(s); nothing was published." in process.stderr
    assert "Traceback" not in process.stderr


def test_build_then_failed_build_leaves_site_and_pages_exactly_as_they_were(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert run("build", "--project", str(project.root)).exit_code == 0
    site_before, pages_before = snapshot(project.site_dir), snapshot(project.docs_dir)
    assert "reviews/test-2024-child-a/index.html" in site_before

    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace("Child A: a test review", "Changed title").replace("summary:", "sumary:"),
    )
    result = run("build", "--project", str(project.root))
    assert result.exit_code == 1
    assert "sumary: unknown field" in result.stderr
    assert snapshot(project.site_dir) == site_before
    assert snapshot(project.docs_dir) == pages_before


def test_site_build_failure_keeps_the_previous_site(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert run("build", "--project", str(project.root)).exit_code == 0
    before = snapshot(project.site_dir)
    # Valid content, but the site's configuration names a page that does not exist: MkDocs'
    # strict build fails. (Content cannot make it fail: check finds its broken links.)
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(
        config.replace(
            "  - Accessibility: accessibility.md\n", "  - Accessibility: accessibility.md\n  - Nowhere: nowhere.md\n"
        ),
        encoding="utf-8",
    )
    result = run("build", "--project", str(project.root))
    assert result.exit_code == 1
    assert "the site build failed" in result.stderr
    assert "nowhere.md" in result.stderr
    assert snapshot(project.site_dir) == before
    assert not list(project.root.glob(".site-*"))


def test_builds_are_byte_identical(sample_site_with_pdfs: Project, tmp_path: Path) -> None:
    """Builds of the same content, PDFs included, give the same bytes, in another process too
    (a process does not make again a PDF it has already made)."""
    first = sample_site_with_pdfs
    second = make_project(tmp_path / "second", with_sample_reviews=True)
    command = [sys.executable, "-m", "generator", "build", "--project", str(second.root)]
    building = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Meanwhile, in this process: a rebuild of unchanged content rewrites no page.
    again = copy_project(first, tmp_path / "again")
    result = run("build", "--project", str(again.root))
    assert result.exit_code == 0, result.output
    assert "0 page(s) written" in result.stdout
    output = building.communicate(timeout=300)[0]
    assert building.returncode == 0, output
    assert any(path.startswith("pdf/") for path in snapshot(second.site_dir))
    for project in (second, again):
        assert snapshot(project.docs_dir) == snapshot(first.docs_dir)
        assert snapshot(project.site_dir) == snapshot(first.site_dir)


def mentions(folder: Path, text: str) -> list[str]:
    """Every file under ``folder`` whose bytes contain ``text``."""
    return [
        path.relative_to(folder).as_posix()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and text in path.read_text(errors="ignore")
    ]


REMOVED = "warwickshire-2018-child-k"
"""The review removed: one that no fixed text of the site names (the authors' guide uses
kent-2019-child-j in its examples)."""


def test_removing_a_review_removes_its_pages(sample_site_with_pdfs: Project, tmp_path: Path) -> None:
    project = copy_project(sample_site_with_pdfs, tmp_path / "project")  # built, with PDFs
    for folder in (project.docs_dir, project.site_dir):
        assert (folder / "pdf" / f"{REMOVED}.pdf").is_file()
    assert (project.docs_dir / "reviews" / f"{REMOVED}.md").is_file()
    assert (project.site_dir / "reviews" / REMOVED / "index.html").is_file()
    # Other pages link to it: lists, themes, agencies, other briefings, search.
    assert len([path for path in mentions(project.site_dir, REMOVED) if REMOVED not in path]) > 10

    (project.content_dir / "reviews" / f"{REMOVED}.md").unlink()
    result = run("build", "--project", str(project.root))
    assert result.exit_code == 0
    assert not [path for path in project.docs_dir.rglob(f"*{REMOVED}*")]
    assert not [path for path in project.site_dir.rglob(f"*{REMOVED}*")]
    assert not (project.docs_dir / "reviews" / f"{REMOVED}.md").exists()
    assert not (project.site_dir / "reviews" / REMOVED).exists()
    assert mentions(project.site_dir, REMOVED) == []


def test_every_generated_file_says_it_is_generated_and_from_what(sample_site: Project) -> None:
    pages = sorted(sample_site.docs_dir.rglob("*.md"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("---\n# Generated by Learning Lessons from "), page
        assert "edit the source, not this file." in text.splitlines()[1]
    briefing = (sample_site.docs_dir / "reviews" / "kent-2019-child-j.md").read_text(encoding="utf-8")
    assert "from content/reviews/kent-2019-child-j.md, content/settings.yml;" in briefing
    for html in sample_site.site_dir.rglob("index.html"):
        assert "<!-- Generated by Learning Lessons from " in html.read_text(encoding="utf-8"), html


def test_new_writes_a_commented_review_that_checks(project: Project) -> None:
    result = run("new", "--project", str(project.root), "kent-2025-child-b")
    assert result.exit_code == 0, result.output
    path = project.content_dir / "reviews" / "kent-2025-child-b.md"
    text = path.read_text(encoding="utf-8")
    assert "id: kent-2025-child-b" in text
    assert "status: draft" in text
    # Every field of the model is in the file, each with a comment above it.
    from generator.model.schema import Review

    lines = text.splitlines()
    for field in Review.model_fields:
        [index] = [i for i, line in enumerate(lines) if line.startswith(f"{field}:")]
        assert lines[index - 1].startswith("#"), field
    # The scaffold validates as it is (it is a draft, so it is not published).
    assert check(project).reviews == []
    again = run("new", "--project", str(project.root), "kent-2025-child-b")
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_new_rejects_a_bad_id(project: Project) -> None:
    result = run("new", "--project", str(project.root), "Kent Child B")
    assert result.exit_code == 2
    assert "lowercase letters, digits and hyphens" in result.output


def test_example_file_is_what_new_writes() -> None:
    assert (REPO / "content" / "example-review.md").read_text(encoding="utf-8") == example_review_text()


def test_new_leaves_the_publication_date_to_the_author(project: Project) -> None:
    run("new", "--project", str(project.root), "example-2024-child-a")
    path = project.content_dir / "reviews" / "example-2024-child-a.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "published:" in lines
    # A draft without a date is previewed as not dated.
    preview = render(check(project, drafts=True))["reviews/example-2024-child-a.md"]
    assert "- **Published:** [Not dated](../browse.md?year=not-dated)" in preview
    # Published without a date, it is an error at its status line.
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: published"), encoding="utf-8")
    result = run("check", "--project", str(project.root))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"content/reviews/example-2024-child-a.md:{lines.index('status: draft') + 1}: status: a published review "
        "needs its publication date: YYYY-MM-DD, YYYY-MM, YYYY or 'not dated'\n"
    )


def test_published_scaffold_builds(project: Project) -> None:
    run("new", "--project", str(project.root), "example-2024-child-a")
    path = project.content_dir / "reviews" / "example-2024-child-a.md"
    text = path.read_text(encoding="utf-8").replace("status: draft", "status: published")
    path.write_text(text.replace("\npublished:\n", "\npublished: 2024-01-31\n"), encoding="utf-8")
    assert run("build", "--project", str(project.root)).exit_code == 0
    assert (project.site_dir / "reviews" / "example-2024-child-a" / "index.html").is_file()


def test_console_script_is_installed() -> None:
    script = shutil.which("briefings", path=str(Path(sys.executable).parent))
    assert script, "the briefings command is not installed"
    process = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    for command in ("build", "check", "serve", "new"):
        assert command in process.stdout


def test_ci_runs_the_readme_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [block.strip() for block in readme.split("```sh")[1:3]]
    commands = [command.split("```")[0].strip() for command in commands]
    assert commands[0].startswith("python3 -m venv .venv")
    for command in commands:
        assert command in ci


def test_site_name_comes_from_settings(tmp_path: Path) -> None:
    project = make_project(tmp_path, pdfs=False)
    settings = project.content_dir / "settings.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("site_name: Learning Lessons", "site_name: Kent Learning Hub"),
        encoding="utf-8",
    )
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert run("build", "--project", str(project.root)).exit_code == 0
    page = (project.site_dir / "reviews" / "test-2024-child-a" / "index.html").read_text(encoding="utf-8")
    assert "<title>Child A: a test review - Kent Learning Hub</title>" in page


def test_site_url_gives_a_sitemap_dated_from_the_content(tmp_path: Path) -> None:
    project = make_project(tmp_path, pdfs=False)
    settings = project.content_dir / "settings.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "site_url: https://example.org/learning/\n", encoding="utf-8"
    )
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert run("build", "--project", str(project.root)).exit_code == 0
    sitemap = (project.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/learning/reviews/test-2024-child-a/</loc>" in sitemap
    assert "<lastmod>2024-03-01</lastmod>" in sitemap


def test_a_build_killed_part_way_leaves_the_previous_site(sample_site: Project, tmp_path: Path) -> None:
    import signal
    import time

    project = copy_project(sample_site, tmp_path / "project")  # built, without PDFs
    before = snapshot(project.site_dir)
    assert "reviews/kent-2019-child-j/index.html" in before
    review = project.content_dir / "reviews" / "kent-2019-child-j.md"
    review.write_text(
        review.read_text(encoding="utf-8").replace("Child J: non-accidental", "Child J: changed"), encoding="utf-8"
    )
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(project.root)])
    # Kill it while it is writing the site: once MkDocs' staging folder exists.
    deadline = time.monotonic() + 120
    while not list(project.root.glob(".site-new-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(project.site_dir) == before
    # The next build clears up and succeeds.
    assert run("build", "--project", str(project.root)).exit_code == 0
    assert not list(project.root.glob(".site-*"))
    assert "Child J: changed" in (project.site_dir / "reviews" / "kent-2019-child-j" / "index.html").read_text(
        encoding="utf-8"
    )


def test_template_error_leaves_the_previous_site(project: Project, tmp_path: Path) -> None:
    """A bug in a template (here: a copy of the package with a broken briefing template) fails
    the build and leaves the previous site and pages as they were."""
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert run("build", "--project", str(project.root)).exit_code == 0
    site_before, pages_before = snapshot(project.site_dir), snapshot(project.docs_dir)
    package = tmp_path / "broken" / "generator"
    shutil.copytree(Path(generator.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    template = package / "templates" / "briefing.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{{ missing.value }}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--project", str(project.root)],
        env={**os.environ, "PYTHONPATH": str(package.parent)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "UndefinedError: 'missing' is undefined" in result.stderr
    assert snapshot(project.site_dir) == site_before
    assert snapshot(project.docs_dir) == pages_before


def test_the_caches_stay_out_of_the_projects_git_repository(project: Project) -> None:
    """The caches hold every content file read, drafts included: a project whose repository
    ignores nothing still never offers them to be committed."""
    draft = MINIMAL_REVIEW.replace("test-2024-child-a", "test-2024-child-b").replace(
        "status: published", "status: draft"
    )
    write_review(project, "a.md", MINIMAL_REVIEW)
    write_review(project, "b.md", draft)
    result = run("build", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    assert any((project.root / ".cache" / "generate").iterdir())
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    untracked = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=project.root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "content/reviews/b.md" in untracked
    assert ".cache" not in untracked

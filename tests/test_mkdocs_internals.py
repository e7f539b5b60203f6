"""The contract with MkDocs' and Material's private names: checked against the installed
versions, which must be the ones pyproject.toml allows, and a failure falls back to a full build."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, REPO, make_project, write_review
from packaging.requirements import Requirement

from generator.build import Project, generate
from generator.cli import main
from generator.pipeline import mkdocs_internals as internals
from generator.pipeline.site import config_overrides
from generator.preview.live import LiveSite

KENT_BRIEFING = "reviews/kent-2019-child-j.md"


def declared(name: str) -> Requirement:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return next(r for r in map(Requirement, pyproject["project"]["dependencies"]) if r.name == name)


def test_the_installed_versions_are_the_ones_pyproject_allows_and_were_checked() -> None:
    installed = internals.installed_versions()
    for name, version in installed.items():
        assert declared(name).specifier.contains(version), f"{name} {version} is outside pyproject's range"
    assert declared("mkdocs").specifier.contains(internals.VERSIONS_CHECKED["mkdocs"])
    assert declared("mkdocs-material").specifier.contains(internals.VERSIONS_CHECKED["mkdocs-material"])


def test_every_private_name_used_is_there_as_expected() -> None:
    """Fails loudly, naming the internal, when an upgrade changes one."""
    internals.check()
    internals.check_preview()


def test_a_changed_preview_step_builds_the_whole_preview_at_start_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the steps that start a build with no pages, the preview cannot build its pages
    one by one when asked: it builds them all before serving, as a full build."""
    from generator.preview.serve import Preview

    # As if an upgrade had renamed a parameter of the step.
    monkeypatch.setitem(internals.PREVIEW_STEPS, "_build_theme_template", ("template_name", "theme"))
    project = make_project(tmp_path / "project")
    shutil.copy(REPO / "content" / "reviews" / "kent-2019-child-j.md", project.content_dir / "reviews")
    preview = Preview(project, drafts=False, site_dir=tmp_path / "preview")
    preview.start()
    assert (preview.site_dir / "reviews" / "kent-2019-child-j" / "index.html").is_file()
    assert not preview.filling
    assert (
        "each edit rebuilds the whole preview (MkDocs' internals have changed: mkdocs.commands.build."
        "_build_theme_template now takes ('template_name', 'env'), not ('template_name', 'theme')"
        in capsys.readouterr().err
    )


def preview_of(tmp_path: Path, config_text: str | None = None) -> tuple[Project, LiveSite]:
    project = make_project(tmp_path / "project")  # one review is enough: its page is what is rebuilt
    shutil.copy(REPO / "content" / "reviews" / "kent-2019-child-j.md", project.content_dir / "reviews")
    settings = project.content_dir / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nmake_pdfs: false\n", encoding="utf-8")
    if config_text is not None:
        project.config_file.write_text(config_text, encoding="utf-8")
    content, _ = generate(project)
    live = LiveSite(project.config_file, tmp_path / "preview", config_overrides(content.settings))
    live.build()
    return project, live


def test_a_failing_page_update_falls_back_to_a_full_build_and_says_why(tmp_path: Path) -> None:
    """Without Material's search index to edit (here: a site with no search plugin), the
    page-by-page update cannot be made: the whole site is built instead, and later edits too."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("plugins:\n  - search\n", "plugins: []\n")
    project, live = preview_of(tmp_path, config)
    page = live.site_dir / "reviews" / "kent-2019-child-j" / "index.html"
    page.unlink()
    assert live.update([KENT_BRIEFING], []) == (
        "rebuilt the whole site (a page-by-page update failed: InternalsChanged('no search plugin with a "
        "search_index.entries list'); later edits rebuild it all too)"
    )
    assert page.is_file()
    assert live.update([KENT_BRIEFING], []).startswith("rebuilt the whole site (a page-by-page update failed")


def test_page_by_page_updates_can_be_turned_off(tmp_path: Path) -> None:
    project, live = preview_of(tmp_path)
    live = LiveSite(live.config_file, live.site_dir, live.overrides, page_by_page=False)
    live.build()
    assert live.update([KENT_BRIEFING], []) == "rebuilt the whole site (page-by-page updates are off)"


def test_a_changed_internal_stops_a_published_build_plainly_and_keeps_the_site(tmp_path: Path) -> None:
    """The published site's search index is made from Material's search entries: if an upgrade
    (here: a site with no search plugin) leaves none to take, the build stops in one plain
    message naming what changed, and the previous site stays as it was."""
    project = make_project(tmp_path / "project", pdfs=False)
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert CliRunner().invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    before = sorted(
        (path.relative_to(project.site_dir), path.read_bytes()) for path in project.site_dir.rglob("*.html")
    )
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace("plugins:\n  - search\n", "plugins: []\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "the search index could not be made, as no search plugin with a search_index.entries list" in result.stderr
    assert "Traceback" not in result.output
    after = sorted((path.relative_to(project.site_dir), path.read_bytes()) for path in project.site_dir.rglob("*.html"))
    assert after == before


@pytest.mark.parametrize(
    "source",
    [
        "---\n# Generated by Learning Lessons\ntitle: A page\nsearch:\n  exclude: true\n---\n\n# A page\n",
        "---\ntitle: [not closed\n---\nText\n",  # YAML MkDocs cannot read: the page is all Markdown
        "---\n- a list\n---\nText\n",  # not a mapping: the same
        "Title: MultiMarkdown style\n\nText\n",
        "# No front matter\n",
    ],
)
def test_front_matter_kept_between_builds_is_what_mkdocs_reads(source: str) -> None:
    from mkdocs.utils import meta

    seen: dict[bytes, bytes] = {}
    assert internals.front_matter(source, {}, seen) == meta.get_data(source)
    again: dict[bytes, bytes] = {}
    assert internals.front_matter(source, seen, again) == meta.get_data(source)  # from the kept copy
    assert again == seen

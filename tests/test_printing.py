"""The printed briefings are converted with the site's own Markdown settings, read from mkdocs.yml."""

from __future__ import annotations

from conftest import MINIMAL_REVIEW, REPO, write_review

from generator.build import Project, check
from generator.pipeline.printing import print_documents
from generator.pipeline.render import render
from generator.pipeline.site_config import markdown_settings


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
    """A change to mkdocs.yml's Markdown settings reaches the printed page: here a table of
    contents' permalinks (hidden in print by its style sheet)."""
    write_review(project, "a.md", MINIMAL_REVIEW)
    content = check(project)
    pages = render(content)
    printed = print_documents(content, pages, markdown_settings(project.config_file))
    html = printed["pdf/test-2024-child-a.pdf"].versions[0]
    assert 'class="headerlink"' in html
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(config.replace("      permalink: true\n", ""), encoding="utf-8")
    printed = print_documents(content, pages, markdown_settings(project.config_file))
    assert 'class="headerlink"' not in printed["pdf/test-2024-child-a.pdf"].versions[0]

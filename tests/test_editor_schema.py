"""`briefings schema` in a real editor's YAML language server: completion and inline errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import frontmatter
import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO
from language_server import LanguageServer, require_server

from generator.cli import main

MODELINE = "# yaml-language-server: $schema=../review.schema.json\n"
"""The first line the authors' guide tells an author to give a review's front matter."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LanguageServer, Path]]:
    require_server()
    folder = tmp_path_factory.mktemp("editor")
    result = CliRunner().invoke(main, ["schema", "--out", str(folder / "review.schema.json")])
    assert result.exit_code == 0, result.output
    (folder / "drafts").mkdir()
    running = LanguageServer(folder)
    yield running, folder / "drafts"
    running.close()


def front_matter_of(review: str) -> str:
    """A sample review's front matter as the YAML file an author would edit."""
    post = frontmatter.loads((REPO / "content" / "reviews" / f"{review}.md").read_text(encoding="utf-8"))
    return MODELINE + yaml.safe_dump(post.metadata, sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize("review", ["kent-2019-child-j", "cornwall-2021-margaret", "north-wales-cpr-flint-2"])
def test_a_valid_review_has_no_finding_in_the_editor(server: tuple[LanguageServer, Path], review: str) -> None:
    running, drafts = server
    assert running.diagnostics(drafts / f"{review}.yml", front_matter_of(review)) == []


def test_the_editor_marks_mistakes_at_their_lines(server: tuple[LanguageServer, Path]) -> None:
    running, drafts = server
    text = (
        front_matter_of("kent-2019-child-j")
        .replace("\ntitle:", "\ntitel:")
        .replace("status: published", "status: publishd")
    )
    found = running.diagnostics(drafts / "mistakes.yml", text)
    lines = text.splitlines()
    titel = next(number for number, line in enumerate(lines, 1) if line.startswith("titel:"))
    status = next(number for number, line in enumerate(lines, 1) if line.startswith("status:"))
    assert (titel, "Property titel is not allowed.") in found
    assert any(line == status and '"draft", "published", "archived"' in message for line, message in found), found
    assert any('Missing property "title"' in message for _, message in found)


def test_the_editor_completes_field_names_with_their_documentation(server: tuple[LanguageServer, Path]) -> None:
    running, drafts = server
    path = drafts / "new.yml"
    running.diagnostics(path, MODELINE + "id: kent-2024-child-a\n\n")
    offered = {item["label"]: item for item in running.completions(path, 3, 0)}
    assert {"title", "board", "review_type", "themes", "sections", "summary"} <= set(offered)
    assert "id" not in offered  # already written
    documentation = offered["summary"].get("documentation")
    text = documentation.get("value", "") if isinstance(documentation, dict) else documentation or ""
    assert "One or two sentences shown in lists of briefings." in text, offered["summary"]

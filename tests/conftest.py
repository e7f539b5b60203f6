"""Shared fixtures: throwaway projects built from the repository's own files."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from generator.build import Project, build

REPO = Path(__file__).resolve().parents[1]

MINIMAL_REVIEW = """\
---
id: test-2024-child-a
title: "Child A: a test review"
pseudonyms: [Child A]
review_type: cspr
board: Test Safeguarding Children Partnership
nation: England
published: "2024-03-01"
status: published
age_group: under-1
themes: [information-sharing]
summary: A short summary.
sections:
  - heading: Sharing information
    narrative: What happened.
    learning_points:
      - point: Share what you know.
        questions:
          - How do you share?
good_practice: []
recommendations: []
board_questions: []
board_response: ""
further_reading: []
report:
  title: Full report
---
The case summary.
"""
"""A valid review file. Its line numbers are relied on by tests: ``id`` is line 2,
``published`` line 8, ``themes`` line 11, the first learning point line 17."""


def make_project(root: Path, *, with_sample_reviews: bool = False) -> Project:
    """A project in ``root`` with the repository's settings, vocabularies and site config."""
    content = root / "content"
    (content / "reviews").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "vocabularies", content / "vocabularies")
    shutil.copy(REPO / "content" / "settings.yml", content / "settings.yml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "theme_overrides", root / "theme_overrides")
    if with_sample_reviews:
        for review in sorted((REPO / "content" / "reviews").glob("*.md")):
            shutil.copy(review, content / "reviews" / review.name)
    return Project(root)


def write_review(project: Project, name: str, text: str) -> Path:
    """Write ``text`` (dedented) as ``content/reviews/<name>``."""
    path = project.content_dir / "reviews" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project: settings and vocabularies, no reviews."""
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample content, built once for the whole test run."""
    project = make_project(tmp_path_factory.mktemp("sample"), with_sample_reviews=True)
    build(project)
    return project


GOLDEN = Path(__file__).with_name("golden")


def assert_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``tests/golden/<name>``.

    Refresh every golden file after an intended change with:
        LL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
    then review the diff with ``git diff tests/golden``."""
    import os

    path = GOLDEN / name
    if os.environ.get("LL_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}; create it with LL_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium per test module. Not per session: Playwright's sync API keeps
    an event loop running while it is open, and other tests (the feedback service's) run their
    own with ``asyncio.run``."""
    from browsing import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page, desktop sized."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()

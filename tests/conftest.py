"""Shared fixtures: throwaway projects built from the repository's own files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

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


def make_project(root: Path, *, with_sample_reviews: bool = False, pdfs: bool = True) -> Project:
    """A project in ``root`` with the repository's settings, vocabularies and site config; with
    ``pdfs=False`` its settings turn PDFs off (``make_pdfs: false``), for builds not about PDFs."""
    content = root / "content"
    (content / "reviews").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "vocabularies", content / "vocabularies")
    shutil.copy(REPO / "content" / "settings.yml", content / "settings.yml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "theme_overrides", root / "theme_overrides")
    if with_sample_reviews:
        for review in sorted((REPO / "content" / "reviews").glob("*.md")):
            shutil.copy(review, content / "reviews" / review.name)
    project = Project(root)
    if not pdfs:
        # Appended, so that every other line of the settings file keeps its number.
        with (content / "settings.yml").open("a", encoding="utf-8") as settings:
            settings.write("\nmake_pdfs: false\n")
    return project


def copy_project(project: Project, root: Path) -> Project:
    """A copy at ``root`` of ``project`` as it is: content, pages and built site. For a test that
    changes a built project, starting from a shared build instead of building again."""
    shutil.copytree(project.root, root, symlinks=True)
    return Project(root)


def change_settings(project: Project, changes: dict) -> None:
    """Set ``changes`` in ``content/settings.yml``; a dict value is merged into the setting's."""
    path = project.content_dir / "settings.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        settings[key] = {**settings.get(key, {}), **value} if isinstance(value, dict) else value
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")


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
    """The sample content built once for the whole test run, without PDFs: for every test that
    only reads the built site and is not about PDFs. Do not change it."""
    project = make_project(tmp_path_factory.mktemp("sample"), with_sample_reviews=True, pdfs=False)
    build(project)
    return project


LARGE_CORPUS = 100
"""Reviews in the synthetic large corpus: twenty times the sample, about 500 pages and a 2 MB
search index, every filter of the browse page shared by many briefings. How search and browse
scale further (time, sizes) is measured by benchmarks/bench_find.py, not by the tests: the site
stage costs about 25 ms a page, so 300 reviews would take half a minute to build."""


class BuildInBackground:
    """``briefings build`` of a project, run in another process from the moment it is made."""

    def __init__(self, project: Project) -> None:
        self.project = project
        command = [sys.executable, "-m", "generator", "build", "--project", str(project.root)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output: str | None = None

    def result(self) -> Project:
        """The built project, once the build has finished; fail with its output if it failed."""
        if self.output is None:
            self.output = self.process.communicate(timeout=600)[0]
        assert self.process.returncode == 0, f"the build of {self.project.root} failed:\n{self.output}"
        return self.project


def sample_with_pdfs(factory: pytest.TempPathFactory) -> Project:
    """The sample content, with PDFs (the settings' default)."""
    return make_project(factory.mktemp("sample-pdfs"), with_sample_reviews=True)


def large_synthetic_corpus(factory: pytest.TempPathFactory) -> Project:
    """LARGE_CORPUS synthetic reviews (benchmarks/synthetic.py), without PDFs."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import make_corpus

    return Project(make_corpus(factory.mktemp("large") / "corpus", LARGE_CORPUS))


WELSH_DRAFT = (
    MINIMAL_REVIEW.replace("test-2024-child-a", "test-2024-welsh-draft")
    .replace("status: published", "status: draft")
    .replace('title: "Child A: a test review"', "title:\n  en: Quagga draft review\n  cy: Adolygiad drafft Cwningod")
    .replace("The case summary.", "The case summary.\n\n<!-- cy -->\n\nCrynodeb drafft Dyfrgwn.")
)
"""A draft review in English and Welsh: its markers (Quagga, Cwningod, Dyfrgwn) must appear nowhere."""


PARTLY_WELSH = (
    MINIMAL_REVIEW.replace("test-2024-child-a", "test-2024-partly-welsh")
    .replace(
        'title: "Child A: a test review"',
        "title:\n  en: Child P, translated in part\n  cy: Plentyn P, wedi'i gyfieithu yn rhannol",
    )
    .replace("pseudonyms: [Child A]", "pseudonyms: [Child P]")
    .replace("summary: A short summary.", "summary:\n  en: A short summary.\n  cy: Crynodeb byr.")
    .replace(
        "  - heading: Sharing information", "  - heading:\n      en: Sharing information\n      cy: Rhannu gwybodaeth"
    )
    .replace("narrative: What happened.", "narrative: Kingfisher narrative, left in English.")
    .replace(
        "      - point: Share what you know.\n        questions:\n          - How do you share?",
        "      - point:\n          en: Share what you know.\n          cy: Rhannwch yr hyn a wyddoch.\n"
        "        questions:\n          - en: How do you share?\n            cy: Sut rydych chi'n rhannu?\n"
        "      - point: Write down who you told, left in English.\n        questions:\n          - Who did you tell?",
    )
    .replace("The case summary.", "The case summary.\n\n<!-- cy -->\n\nY crynodeb.")
)
"""A review translated in part: its narrative and its second point (with its question) have no Welsh."""


def bilingual_sample(factory: pytest.TempPathFactory) -> Project:
    """The sample content as a site in English and Welsh (``languages: [en, cy]``), without PDFs,
    with a draft given in both languages and a review translated in part."""
    project = make_project(factory.mktemp("bilingual"), with_sample_reviews=True, pdfs=False)
    with (project.content_dir / "settings.yml").open("a", encoding="utf-8") as settings:
        settings.write("languages: [en, cy]\n")
    write_review(project, "test-2024-welsh-draft.md", WELSH_DRAFT)
    write_review(project, "test-2024-partly-welsh.md", PARTLY_WELSH)
    return project


BUILT_IN_BACKGROUND = {
    "sample_site_with_pdfs": sample_with_pdfs,
    "large_corpus": large_synthetic_corpus,
    "bilingual_site": bilingual_sample,
}
"""The shared builds that take longest, by the name of their fixture, with how to make each project."""


class SharedBuilds:
    """The builds of BUILT_IN_BACKGROUND, each started in its own process as soon as it is known
    to be needed, so that it runs while other tests do; a test waits only for what is not done."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.builds: dict[str, BuildInBackground] = {}

    def start(self, name: str) -> BuildInBackground:
        if name not in self.builds:
            self.builds[name] = BuildInBackground(BUILT_IN_BACKGROUND[name](self.factory))
        return self.builds[name]

    def stop(self) -> None:
        for started in self.builds.values():
            if started.process.poll() is None:
                started.process.kill()
                started.process.communicate()


@pytest.fixture(scope="session", autouse=True)
def shared_builds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedBuilds]:
    """Starts, before the first test, the background builds that the selected tests need."""
    builds = SharedBuilds(tmp_path_factory)
    needed = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    for name in BUILT_IN_BACKGROUND:
        if name in needed:
            builds.start(name)
    yield builds
    builds.stop()


@pytest.fixture(scope="session")
def sample_site_with_pdfs(shared_builds: SharedBuilds) -> Project:
    """The sample content built once for the whole test run with its PDFs (the settings'
    default): for the tests about PDFs and links to them. Do not change it."""
    return shared_builds.start("sample_site_with_pdfs").result()


@pytest.fixture(scope="session")
def bilingual_site(shared_builds: SharedBuilds) -> Project:
    """The sample content built once as a site in English and Welsh (see ``bilingual_sample``).
    Do not change it."""
    return shared_builds.start("bilingual_site").result()


@pytest.fixture(scope="session")
def large_corpus(shared_builds: SharedBuilds) -> Project:
    """A synthetic corpus of LARGE_CORPUS reviews (benchmarks/synthetic.py, no PDFs), built once
    for the whole test run. Do not change it."""
    return shared_builds.start("large_corpus").result()


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

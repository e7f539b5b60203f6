"""A build with the page cache (``.cache/site``) of the build before makes the same site, byte
for byte, as a build from nothing; what it kept is reused, and a damaged entry is remade."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL_REVIEW, REPO, make_project, write_review

from generator.build import Project, build, check, generate, one_build_at_a_time, split_search
from generator.errors import BuildInProgress, ContentErrors, SiteBuildError
from generator.pipeline import mkdocs_internals as internals
from generator.pipeline import search_index, site_files, workers
from generator.pipeline import site as site_module
from generator.pipeline.page_cache import FORMAT
from generator.pipeline.site import SplitSearch, build_site

REVIEWS = 3
"""Enough reviews for the pages to be converted in a pool of processes (workers.SMALL_BATCH)."""


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def assert_same_site(built: Path, cold: Path) -> None:
    ours, theirs = files_of(built), files_of(cold)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def cold_build_of(project: Project, folder: Path) -> Path:
    """A build of ``project``'s content in a fresh folder, with no cache."""
    fresh = Project(folder)
    shutil.copytree(project.root, folder, ignore=shutil.ignore_patterns("site", "briefings", ".cache", ".site-*"))
    build(fresh)
    assert not any(fresh.site_cache.rglob("*.tmp"))
    return fresh.site_dir


def entries(project: Project) -> dict[str, int]:
    """Each cache entry, with when it was last written."""
    return {path.name: path.stat().st_mtime_ns for path in project.site_cache.glob("*/*")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """A built synthetic project, and a review held back to be added later."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import make_corpus

    root = make_corpus(tmp_path_factory.mktemp("incremental") / "project", REVIEWS + 1)
    reviews = sorted((root / "content" / "reviews").glob("*.md"))
    held_back = root / reviews[-1].name
    reviews[-1].rename(held_back)
    project = Project(root)
    build(project)
    return project, held_back


def test_after_an_edit_and_an_addition_the_site_is_what_a_cold_build_makes(
    corpus: tuple[Project, Path], tmp_path: Path
) -> None:
    """Also after entries of the cache were damaged: they are remade."""
    project, held_back = corpus
    before = entries(project)
    assert len(before) > REVIEWS * 3  # conversions, finished pages and search entries were kept
    edited = sorted((project.content_dir / "reviews").glob("*.md"))[2]
    edited.write_text(edited.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    shutil.copy(held_back, project.content_dir / "reviews" / held_back.name)

    build(project)

    cold = cold_build_of(project, tmp_path / "cold")
    assert_same_site(project.site_dir, cold)
    after = entries(project)
    kept = [name for name in before if after.get(name) == before[name]]
    assert len(kept) > len(before) // 4  # the pages the change did not touch were not made again
    assert set(before) - set(after)  # the edited review's old entries were pruned
    assert set(after) - set(before)  # and the new review's added

    # A damaged entry is a miss, and remade: every entry cut short, from another version, or emptied.
    paths = sorted(project.site_cache.glob("*/*"))
    for number, path in enumerate(paths):
        data = path.read_bytes()
        damaged = (data[: len(data) // 2], b"another version's cache entry\n" + data[len(FORMAT) :], b"")
        path.write_bytes(damaged[number % 3])

    build(project)

    assert_same_site(project.site_dir, cold)
    for path in paths:
        assert path.read_bytes().startswith(FORMAT)
        assert len(path.read_bytes()) > len(FORMAT) + 16


def test_the_search_index_made_beside_the_pages_is_the_one_made_after_them(
    corpus: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is made in a forked process while the pages are put through the theme; it is
    the index the pages' search entries make once they are written, and the next build finds
    the entries it kept."""
    project, _ = corpus
    ahead = cold_build_of(project, tmp_path / "ahead")
    assert site_module.LAST_TIMES.parts.get("index made ahead", 0) > 0
    assert site_module.LAST_TIMES.index < site_module.LAST_TIMES.parts["index made ahead"]

    monkeypatch.setattr(site_module, "in_background", lambda work: None)
    after = cold_build_of(project, tmp_path / "after")
    assert "index made ahead" not in site_module.LAST_TIMES.parts

    assert_same_site(ahead, after)
    monkeypatch.undo()

    def made_again(*args: object) -> None:
        raise AssertionError("a page's search entries were made again")

    monkeypatch.setattr(internals, "page_search_entries", made_again)
    edited = sorted((tmp_path / "ahead" / "content" / "reviews").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # no page changes
    build(Project(tmp_path / "ahead"))  # every page's entries as the cold build kept them
    assert site_module.LAST_TIMES.parts["index made ahead"] > 0
    assert_same_site(ahead, after)
    monkeypatch.undo()

    # What the index worked out is kept for the build after next too: the second rebuild after
    # an edit cuts few records into words, not every one.
    records = len(list((ahead / "search-index" / "records").glob("*.gz")))
    cut: list[object] = []
    record_words = search_index._record_words

    def counted(*args: Any) -> Any:
        cut.append(args)
        assert len(cut) < records // 2, "the index cut every record into words again: what it kept was lost"
        return record_words(*args)

    monkeypatch.setattr(search_index, "_record_words", counted)
    for number in (1, 2):
        edited.write_text(edited.read_text(encoding="utf-8").replace("summary: ", f"summary: Edit {number}. ", 1))
        build(Project(tmp_path / "ahead"))
        assert site_module.LAST_TIMES.parts["index made ahead"] > 0


def test_a_search_index_that_cannot_be_made_fails_the_build_and_leaves_the_site(
    corpus: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _ = corpus
    folder = tmp_path / "project"
    shutil.copytree(project.root, folder, ignore=shutil.ignore_patterns(".site-*"))
    published = files_of(folder / "site")

    def disk_full(*args: object) -> dict[str, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_module, "write_search_index", disk_full)
    edited = sorted((folder / "content" / "reviews").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    with pytest.raises(SiteBuildError, match="No space left on device"):
        build(Project(folder))
    assert files_of(folder / "site") == published
    assert not list(folder.glob(".site-new-*"))


def test_a_broken_link_fails_the_build_also_when_its_page_comes_from_the_cache(corpus: tuple[Project, Path]) -> None:
    """MkDocs' link checks run on a page's conversion, and their warnings stop a strict build:
    the warnings are kept with the conversion, so a page taken from the cache fails it too. The
    site before stays as it was."""
    project, _ = corpus
    content, _ = generate(project)
    site = files_of(project.site_dir)
    page = project.docs_dir / "accessibility.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[Nowhere](nowhere.md)\n", encoding="utf-8")
    for _ in range(2):  # converted, then taken from the cache
        with pytest.raises(SiteBuildError, match="accessibility.md' contains a link 'nowhere.md'"):
            build_site(
                project.config_file,
                project.site_dir,
                content.content_epoch(),
                content.settings,
                cache_dir=project.site_cache,
            )
        assert files_of(project.site_dir) == site


def test_a_changed_mkdocs_internal_builds_the_plain_way_and_says_so(
    corpus: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """If an upgrade changes what MkDocs' page conversion sets, pages are converted by MkDocs
    itself, one by one and without the cache: the same site, and one line saying why."""
    project, _ = corpus  # its site/ is a build of its content
    content, _ = generate(project)
    monkeypatch.setattr(internals, "PAGE_CONVERSION", ("content", "toc"))
    with pytest.raises(
        internals.InternalsChanged, match=r"Page.render now sets \('content', 'toc', '_title_from_render'"
    ):
        internals.check_conversion()
    search = {edition.language: split_search(edition) for edition in (content, *content.translations)}
    cache = sorted(project.site_cache.rglob("*"))
    with caplog.at_level(logging.WARNING, logger="learning_lessons"):
        build_site(
            project.config_file,
            tmp_path / "site",
            content.content_epoch(),
            content.settings,
            search=search,
            cache_dir=project.site_cache,
        )
    assert [record.getMessage() for record in caplog.records] == [
        "Pages are converted one by one, without the page cache: MkDocs' Page.render now sets ('content', 'toc',"
        " '_title_from_render', 'present_anchor_ids', 'links_to_anchors'), not ('content', 'toc')."
    ]
    assert sorted(project.site_cache.rglob("*")) == cache
    assert_same_site(tmp_path / "site", project.site_dir)


def test_a_heading_shown_in_other_pages_navigation_remakes_them(tmp_path: Path) -> None:
    """A navigation entry without a title (as every entry of the Welsh edition is) shows its
    page's heading, in every page's navigation and in the previous and next links: when that
    heading changes, the pages showing it are made again, not taken from the cache."""
    settings = check(Project(REPO)).settings
    site = tmp_path / "project"
    (site / "docs").mkdir(parents=True)
    config = site / "mkdocs.yml"
    config.write_text(
        "site_name: Test\ntheme:\n  name: material\nnav:\n  - index.md\n  - a.md\n  - b.md\n", encoding="utf-8"
    )
    pages = {"index.md": "# Home\n", "a.md": "# Alpha\n", "b.md": "# Beta\n", "c.md": "# Gamma\n"}
    for name, text in pages.items():
        (site / "docs" / name).write_text(text, encoding="utf-8")
    cache = site / ".cache" / "site"
    build_site(config, site / "site", None, settings, cache_dir=cache)
    (site / "docs" / "a.md").write_text("# Alpha changed\n", encoding="utf-8")
    build_site(config, site / "site", None, settings, cache_dir=cache)
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns("site", ".cache"))
    build_site(cold / "mkdocs.yml", cold / "site", None, settings)
    assert "Alpha changed" in (site / "site" / "index.html").read_text(encoding="utf-8")  # its next link
    assert_same_site(site / "site", cold / "site")


def test_without_worker_processes_pages_are_converted_one_by_one_and_it_says_so(
    corpus: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A host where no worker process can start (no usable /dev/shm) still builds the site."""
    project, _ = corpus
    content, _ = generate(project)

    class NoWorkers:
        def Pool(self, workers: int) -> None:  # noqa: N802  (multiprocessing's name)
            raise OSError("Function not implemented")

    monkeypatch.setattr(workers.multiprocessing, "get_context", lambda method: NoWorkers())
    search = {edition.language: split_search(edition) for edition in (content, *content.translations)}
    with caplog.at_level(logging.WARNING, logger="learning_lessons"):
        build_site(project.config_file, tmp_path / "site", content.content_epoch(), content.settings, search=search)
    assert [record.getMessage() for record in caplog.records] == [
        "Pages are converted one by one: no worker processes could start (Function not implemented)."
    ]
    assert_same_site(tmp_path / "site", project.site_dir)


def small_project(folder: Path) -> Path:
    """A four-page site in English (three in Welsh) with a theme override and a static file;
    returns its ``mkdocs.yml``."""
    (folder / "docs").mkdir(parents=True)
    (folder / "overrides" / "partials").mkdir(parents=True)
    shutil.copy(REPO / "theme_overrides" / "partials" / "alternate.html", folder / "overrides" / "partials")
    config = folder / "mkdocs.yml"
    config.write_text(
        "site_name: Test\ntheme:\n  name: material\n  custom_dir: overrides\nplugins:\n  - search\nnav:\n  - index.md\n  - a.md\n  - b.md\n",
        encoding="utf-8",
    )
    (folder / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block footer %}<p>Footer one</p>{% endblock %}\n', encoding="utf-8"
    )
    pages = {"index.md": "# Home\n", "a.md": "# Alpha\n", "b.md": "# Beta\n", "c/c.md": "# Gamma\n"}
    pages.update({"cy/index.md": "# Hafan\n", "cy/a.md": "# Alffa\n", "cy/b.md": "# Beta\n"})
    for name, text in pages.items():
        (folder / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    (folder / "docs" / "guide.pdf").write_bytes(b"%PDF-1.4 a guide\n")
    return config


def interrupted_after_first_move(build_once: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``build_once`` with its commit into ``site/`` killed after the first file is moved in."""
    moved: list[Path] = []

    def move_then_fail(source: Path, target: Path) -> None:
        if moved:
            raise KeyboardInterrupt
        moved.append(target)
        os.replace(source, target)

    monkeypatch.setattr(site_files, "move_into_place", move_then_fail)
    with pytest.raises(KeyboardInterrupt):
        build_once()
    monkeypatch.undo()
    assert moved  # it was part way through, not before the first move


def test_the_site_is_updated_in_place_by_difference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, a removal and a change to the theme, ``site/`` is what a cold build makes,
    and the files that did not change were not written again; a commit interrupted part way
    is completed by the next build; a failed build leaves the site as it was. In English and
    Welsh, each with its split search index."""
    settings = check(Project(REPO)).settings.model_copy(update={"languages": ["en", "cy"]})
    search = {language: SplitSearch({}, {}, "Any", "Filters") for language in ("en", "cy")}
    root = tmp_path / "project"
    config = small_project(root)
    site, cache = root / "site", root / ".cache" / "site"

    def rebuild() -> None:
        build_site(config, site, None, settings, search=search, cache_dir=cache)

    def assert_cold_same(step: str) -> None:
        cold = tmp_path / f"cold-{step}"
        shutil.copytree(root, cold, ignore=shutil.ignore_patterns("site", ".cache", ".site-*"))
        build_site(cold / "mkdocs.yml", cold / "site", None, settings, search=search)
        assert_same_site(site, cold / "site")

    def written() -> dict[str, int]:
        return {
            path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("*") if path.is_file()
        }

    rebuild()
    assert (cache / site_files.MANIFEST).is_file()
    first = written()

    (root / "docs" / "b.md").write_text("# Beta\n\nEdited.\n", encoding="utf-8")
    (root / "docs" / "cy" / "a.md").write_text("# Alffa\n\nWedi newid.\n", encoding="utf-8")
    rebuild()
    assert_cold_same("edit")
    now = written()
    assert now["b/index.html"] != first["b/index.html"]
    assert now["cy/a/index.html"] != first["cy/a/index.html"]
    assert "cy/search-index/index.json" in now
    for unchanged in ("c/c/index.html", "cy/b/index.html", "guide.pdf", "404.html", "cy/404.html"):
        assert now[unchanged] == first[unchanged], unchanged  # not written again

    (root / "docs" / "c" / "c.md").unlink()
    (root / "docs" / "guide.pdf").write_bytes(b"%PDF-1.4 a longer guide\n")
    (root / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block footer %}<p>Footer two</p>{% endblock %}\n', encoding="utf-8"
    )
    rebuild()
    assert_cold_same("removal-and-theme")
    assert not (site / "c").exists()  # its page gone, and the folders it emptied
    assert "Footer two" in (site / "a" / "index.html").read_text(encoding="utf-8")

    # A commit interrupted after its first file: the next build completes it.
    (root / "docs" / "a.md").write_text("# Alpha changed\n", encoding="utf-8")
    interrupted_after_first_move(rebuild, monkeypatch)
    assert (cache / site_files.JOURNAL).is_file()
    rebuild()
    assert not (cache / site_files.JOURNAL).exists()
    assert not site_module.LAST_TIMES.cold  # completed, not built again whole
    assert_cold_same("interrupted")

    # A failed build (a broken link, in a strict build) leaves the site as it was.
    before = files_of(site)
    (root / "docs" / "b.md").write_text("# Beta\n\n[Nowhere](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(SiteBuildError, match="nowhere.md"):
        rebuild()
    assert files_of(site) == before
    (root / "docs" / "b.md").write_text("# Beta\n\nEdited.\n", encoding="utf-8")
    rebuild()
    assert files_of(site) == before


def test_a_build_that_fails_on_its_content_still_completes_an_interrupted_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``briefings build`` completes an update of ``site/`` an earlier build did not finish
    before it checks the content, so bad content then leaves a whole site, not a mix of two."""
    project = make_project(tmp_path / "project", pdfs=False)
    write_review(project, "a.md", MINIMAL_REVIEW)
    build(project)
    review = project.content_dir / "reviews" / "a.md"
    review.write_text(MINIMAL_REVIEW.replace("A short summary.", "A changed summary."), encoding="utf-8")
    interrupted_after_first_move(lambda: build(project), monkeypatch)
    assert (project.site_cache / site_files.JOURNAL).is_file()
    review.write_text(MINIMAL_REVIEW.replace('published: "2024-03-01"', 'published: "2024-13-01"'), encoding="utf-8")
    with pytest.raises(ContentErrors):
        build(project)
    assert not (project.site_cache / site_files.JOURNAL).exists()
    cold = tmp_path / "cold"
    shutil.copytree(project.root, cold, ignore=shutil.ignore_patterns("site", ".cache", ".site-*"))
    (cold / "content" / "reviews" / "a.md").write_text(
        MINIMAL_REVIEW.replace("A short summary.", "A changed summary."), encoding="utf-8"
    )
    build(Project(cold))
    assert_same_site(project.site_dir, cold / "site")  # the interrupted update, whole


def test_one_build_of_a_project_at_a_time(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", pdfs=False)
    write_review(project, "a.md", MINIMAL_REVIEW)
    with one_build_at_a_time(project), pytest.raises(BuildInProgress, match="another build of this project"):
        build(project)
    assert not project.site_dir.exists()


def test_a_commit_moves_the_search_records_before_what_points_at_them() -> None:
    paths = [
        "search-index/index.json",
        "search-index/words/6162.gz",
        "a/index.html",
        "cy/search-index/records/12.gz",
        "search-index/filters.gz",
        "search-index/more/61-1.gz",
        "mysearch-index/records/1.gz",
    ]
    assert sorted(paths, key=site_files.move_order) == [
        "cy/search-index/records/12.gz",
        "search-index/more/61-1.gz",
        "a/index.html",
        "mysearch-index/records/1.gz",
        "search-index/filters.gz",
        "search-index/words/6162.gz",
        "search-index/index.json",
    ]

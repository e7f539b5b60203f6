"""A rebuild with the generator's cache (``.cache/generate``) of the builds before writes the same
``briefings/``, byte for byte, and reports the same warnings and errors, as a build from nothing."""

from __future__ import annotations

import gc
import os
import re
import shutil
import tracemalloc
import weakref
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from conftest import MINIMAL_REVIEW, REPO, change_settings, copy_project, make_project, write_review

from generator import build as pipeline
from generator import templating
from generator.build import Project, generate
from generator.errors import ContentErrors
from generator.model import addresses
from generator.model.addresses import language_root
from generator.model.content import Content
from generator.pipeline import generate_cache, workers
from generator.pipeline import render as render_stage
from generator.pipeline.generate_cache import FORMAT, GenerateCache, context_key, read_table
from generator.pipeline.render import WHOLE_CONTENT_TEMPLATES
from generator.pipeline.render import page as page_module

PARTNERSHIP = "Test Safeguarding Children Partnership"


def review(number: int, theme: str, extra: str = "") -> str:
    """A small valid review; ``extra`` is put into its summary (to make warnings)."""
    return (
        MINIMAL_REVIEW.replace("test-2024-child-a", f"test-2024-child-{number}")
        .replace("Child A", f"Child {number}")
        .replace("[information-sharing]", f"[{theme}]")
        .replace("summary: A short summary.", f"summary: A short summary. {extra}")
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def cold_generate(project: Project, folder: Path) -> tuple[Content, dict[str, bytes]]:
    """A build of ``project``'s content in a fresh folder with no cache."""
    shutil.copytree(project.content_dir, folder / "content")
    shutil.copy(project.config_file, folder / "mkdocs.yml")
    fresh = Project(folder)
    content, _ = generate(fresh)
    return content, files_of(fresh.docs_dir)


def assert_as_cold(project: Project, folder: Path) -> Content:
    """Rebuild ``project`` with its cache; its pages and warnings are a cold build's."""
    content, _ = generate(project)
    cold, cold_files = cold_generate(project, folder)
    ours = files_of(project.docs_dir)
    assert sorted(ours) == sorted(cold_files)
    assert [name for name in ours if ours[name] != cold_files[name]] == []
    assert content.warnings == cold.warnings
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A small site in English and Welsh, built once (so its cache is filled), with warnings:
    an unexplained term (plain English) and an identifying detail (anonymity)."""
    project = make_project(tmp_path_factory.mktemp("generate") / "project", pdfs=False)
    with (project.content_dir / "settings.yml").open("a", encoding="utf-8") as settings:
        settings.write("make_word: false\nlanguages: [en, cy]\n")
    write_review(project, "a.md", review(1, "information-sharing", "They utilised the plan."))
    write_review(project, "b.md", review(2, "information-sharing", "Her brother Tom, 14, was there."))
    write_review(project, "c.md", review(3, "care-home-quality"))
    content, _ = generate(project)
    assert content.warnings  # the checks found something to report again from the cache
    assert len(read_table(project.generate_cache / "pages.pickle")[0]) > 10
    return project


def edit(project: Project) -> None:
    path = project.content_dir / "reviews" / "a.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Share what you know.", "Share what you see."))


def add(project: Project) -> None:
    write_review(project, "d.md", review(4, "information-sharing", "Child 4 lived at 12 Oak Street."))


def remove(project: Project) -> None:
    (project.content_dir / "reviews" / "c.md").unlink()


def reword(project: Project) -> None:
    (project.content_dir / "strings.yml").write_text(
        'themes: "Topics"\ntheme_points_intro: "Every point on this theme."\n', encoding="utf-8"
    )


def resettle(project: Project) -> None:
    change_settings(project, {"board_name": "Another Partnership", "site_url": "https://example.org/lessons/"})


def rename_theme(project: Project) -> None:
    path = project.content_dir / "vocabularies" / "themes.yml"
    text = path.read_text(encoding="utf-8")
    assert "en: Quality of care in care homes" in text  # the theme of c.md
    path.write_text(text.replace("en: Quality of care in care homes", "en: Care home quality"), encoding="utf-8")


@pytest.mark.parametrize("change", [edit, add, remove, reword, resettle, rename_theme])
def test_a_rebuild_after_a_change_is_what_a_cold_build_makes(built: Project, change, tmp_path: Path) -> None:
    project = copy_project(built, tmp_path / "project")
    change(project)
    assert_as_cold(project, tmp_path / "cold")


def test_a_damaged_cache_is_a_miss_and_is_made_again(built: Project, tmp_path: Path) -> None:
    project = copy_project(built, tmp_path / "project")
    tables = sorted(project.generate_cache.glob("*.pickle"))
    assert {path.stem for path in tables} == {"load", "checks", "pages", "open-data"}
    for number, path in enumerate(tables):
        data = bytearray(path.read_bytes())
        if number % 2:
            data[len(data) // 2] ^= 0xFF  # a damaged byte
        else:
            data = data[: len(data) // 2]  # cut short
        path.write_bytes(bytes(data))
    for path in project.docs_dir.rglob("*.md"):
        path.write_text("stale", encoding="utf-8")  # every page must be made again
    assert_as_cold(project, tmp_path / "cold")
    assert all(path.read_bytes().startswith(FORMAT) for path in tables)
    assert all(read_table(path)[1] for path in tables)  # every record whole again
    assert read_table(project.generate_cache / "pages.pickle")[0]


def test_a_changed_template_is_a_miss(built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(built, tmp_path / "project")
    package = tmp_path / "generator"
    shutil.copytree(REPO / "generator", package, ignore=shutil.ignore_patterns("__pycache__"))
    briefing = package / "templates" / "briefing.md.j2"
    briefing.write_text(briefing.read_text(encoding="utf-8") + "\nA changed template.\n", encoding="utf-8")
    changed = jinja2.Environment(
        **{**_settings(templating.environment()), "loader": jinja2.FileSystemLoader(briefing.parent)}
    )
    changed.filters.update(templating.environment().filters)
    changed.globals.update(templating.environment().globals)
    monkeypatch.setattr(page_module, "environment", lambda: changed)
    monkeypatch.setattr(generate_cache, "PACKAGE", package)
    generate(project)
    page = (project.docs_dir / "reviews" / "test-2024-child-1.md").read_text(encoding="utf-8")
    assert page.rstrip().endswith("A changed template.")


def _settings(environment: jinja2.Environment) -> dict:
    return {
        "undefined": environment.undefined,
        "trim_blocks": environment.trim_blocks,
        "lstrip_blocks": environment.lstrip_blocks,
        "keep_trailing_newline": environment.keep_trailing_newline,
        "autoescape": environment.autoescape,
    }


def test_bad_content_is_reported_in_full_from_a_cached_build(built: Project, tmp_path: Path) -> None:
    project = copy_project(built, tmp_path / "project")
    broken = project.content_dir / "reviews" / "b.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace('published: "2024-03-01"', 'published: "2024-13-01"'))
    (project.content_dir / "reviews" / "e.md").write_text("---\nid: [unclosed\n---\nText.\n", encoding="utf-8")
    before = files_of(project.docs_dir)
    for _ in range(2):  # the second time, every file but the changed ones comes from the cache
        with pytest.raises(ContentErrors) as cached:
            generate(project)
        assert files_of(project.docs_dir) == before
    shutil.copytree(project.content_dir, tmp_path / "cold" / "content")
    with pytest.raises(ContentErrors) as cold:
        generate(Project(tmp_path / "cold"))
    assert [str(error) for error in cached.value.errors] == [str(error) for error in cold.value.errors]
    shown = [str(error) for error in cached.value.errors]
    assert any(line.startswith("content/reviews/b.md:8: published:") for line in shown), shown
    assert any(line.startswith("content/reviews/e.md:2:") for line in shown), shown


def test_a_pages_key_stands_for_what_its_template_is_given(built: Project) -> None:
    """Equal values give equal keys however they share objects; any change is a new key."""
    shared = ["a", "b"]
    assert context_key({"x": shared, "y": shared}) == context_key({"x": ["a", "b"], "y": ["a", "b"]})
    assert context_key({"x": ["a", "b"]}) != context_key({"x": ["a", "c"]})
    assert context_key({"x": 1}) != context_key({"x": True})


def test_every_template_reading_the_whole_content_is_always_rendered() -> None:
    """A template that reads the reviews (or lists made from them) from ``content`` rather than
    from what its page is given must never be taken from the cache."""
    folder = REPO / "generator" / "templates"
    reading = re.compile(r"content\.(reviews|used_|feedback_summary|jargon|warnings|translations|content_epoch)")
    whole = {path.name for path in folder.glob("*.md.j2") if reading.search(path.read_text(encoding="utf-8"))}
    assert whole <= WHOLE_CONTENT_TEMPLATES
    macros = (folder / "_macros.md.j2").read_text(encoding="utf-8")
    assert not reading.search(macros)


def test_a_table_appends_new_entries_and_is_written_anew_when_mostly_unused(tmp_path: Path) -> None:
    path = tmp_path / "pages.pickle"
    first = GenerateCache(tmp_path, code="x").table("pages")
    for number in range(4):
        assert first.get(f"k{number}") is None
        first.put(f"k{number}", f"page {number}")
    first.save()
    before = path.read_bytes()
    second = GenerateCache(tmp_path, code="x").table("pages")
    assert [second.get(f"k{number}") for number in range(4)] == [f"page {number}" for number in range(4)]
    second.put("k4", "page 4")
    second.save()
    assert path.read_bytes().startswith(before)  # appended: the earlier records are as they were
    assert len(path.read_bytes()) > len(before)
    assert read_table(path) == ({f"k{n}": f"page {n}" for n in range(5)}, True)
    third = GenerateCache(tmp_path, code="x").table("pages")
    assert third.get("k4") == "page 4"
    third.save()  # four entries unused, one used: written anew with the one
    assert read_table(path) == ({"k4": "page 4"}, True)
    path.write_bytes(path.read_bytes()[:-1])  # a record cut short is a miss
    assert read_table(path) == ({}, False)


def test_the_pages_a_build_makes_wait_for_the_cache_on_disk_not_in_memory(tmp_path: Path) -> None:
    table = GenerateCache(tmp_path, code="x").table("pages")
    tracemalloc.start()
    try:
        for number in range(20):
            assert table.get(f"k{number}") is None
            table.put(f"k{number}", f"page {number} " + "é" * 200_000)  # 400 KB as text, 8 MB in all
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 1_000_000
    assert table.get("k3") == "page 3 " + "é" * 200_000  # read back when asked for again
    table.save()
    assert list(tmp_path.iterdir()) == [tmp_path / "pages.pickle"]  # the waiting entries are gone
    entries, whole = read_table(tmp_path / "pages.pickle")
    assert whole and entries == {f"k{n}": f"page {n} " + "é" * 200_000 for n in range(20)}


def test_each_page_is_written_as_it_is_rendered(
    built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages are never all in memory: when a page is rendered (on any core), the pages before
    it are on disk but for the few the workers may be ahead (``workers.most_ahead``)."""
    project = copy_project(built, tmp_path / "project")
    shutil.rmtree(project.docs_dir)
    shutil.rmtree(project.generate_cache)
    log = tmp_path / "rendered.txt"  # written by every worker process
    render_page = render_stage.render_page

    def counted(content: Content, path: str, page: object) -> str:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{content.language}/{path} {sum(1 for _ in project.docs_dir.rglob('*.md'))}\n")
        return render_page(content, path, page)  # type: ignore[arg-type]

    monkeypatch.setattr(render_stage, "render_page", counted)
    monkeypatch.setattr(workers, "batch_size", lambda tasks, count: 1)  # so the pages outnumber those ahead
    monkeypatch.setattr(workers, "BATCHES_AHEAD", 1)
    generate(project)
    on_disk = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert len(on_disk) > 20
    rendered = sorted(on_disk)  # the order the writer reads each language's pages in
    for language in ("en", "cy"):
        own = [path for path in rendered if path.startswith(f"{language}/")]
        ahead = workers.most_ahead(len(own), workers.cpu_count())
        late = [
            (path, int(on_disk[path]), place) for place, path in enumerate(own) if int(on_disk[path]) < place - ahead
        ]
        assert late == [], f"pages rendered long before the pages ahead of them were written ({ahead} allowed)"
    assert files_of(project.docs_dir) == files_of(built.docs_dir)


def test_the_open_data_is_written_before_the_pages_workers_start(
    built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open data (hundreds of megabytes for a national library) is made, written and let go
    before the workers that render the pages are forked, so that none of them holds it."""
    project = copy_project(built, tmp_path / "project")
    shutil.rmtree(project.docs_dir)
    shutil.rmtree(project.generate_cache)
    log = tmp_path / "rendered.txt"  # written by every worker process
    render_page = render_stage.render_page
    main = os.getpid()

    def watched(content: Content, path: str, page: object) -> str:
        if os.getpid() != main:
            data = project.docs_dir / language_root(content.language) / addresses.LEARNING_JSON
            with log.open("a", encoding="utf-8") as out:
                out.write(f"{content.language}/{path} {data.is_file()}\n")
        return render_page(content, path, page)  # type: ignore[arg-type]

    monkeypatch.setattr(render_stage, "render_page", watched)
    monkeypatch.setattr(workers, "batch_size", lambda tasks, count: 1)
    generate(project)
    written_before = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert {path[:3] for path in written_before} == {"en/", "cy/"}  # both editions rendered in workers
    assert set(written_before.values()) == {"True"}
    assert files_of(project.docs_dir) == files_of(built.docs_dir)


def test_the_site_stage_runs_without_the_content_in_memory(
    built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site stage's forked workers would otherwise each hold the content beside the build:
    so when the build changed many pages (``workers.LONG_LIVED``: here, any)."""
    project = copy_project(built, tmp_path / "project")
    shutil.rmtree(project.docs_dir)  # every page written again
    monkeypatch.setattr(pipeline, "LONG_LIVED", 1)
    held: list[weakref.ref] = []
    alive_in_site_stage: list[bool] = []

    def generate_and_watch(*arguments: object, **keywords: object) -> tuple[Content, object]:
        content, report = generate(*arguments, **keywords)
        held.append(weakref.ref(content))
        return content, report

    monkeypatch.setattr(pipeline, "generate", generate_and_watch)
    monkeypatch.setattr(pipeline, "build_site", lambda *_, **__: alive_in_site_stage.append(held[0]() is not None))
    built_now, report = pipeline.build(project)
    assert alive_in_site_stage == [False]
    assert len(built_now.reviews) == 3 and built_now.translations == ("cy",)
    assert built_now.warnings == generate(project)[0].warnings != ()
    assert report.written


def test_a_build_that_changed_few_pages_does_not_stop_to_collect_the_content(
    built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its site stage's workers end soon: a full collection would cost more than it saves."""
    project = copy_project(built, tmp_path / "project")
    collected: list[object] = []
    monkeypatch.setattr(
        pipeline, "gc", SimpleNamespace(collect=lambda: collected.append(1), freeze=gc.freeze, unfreeze=gc.unfreeze)
    )
    monkeypatch.setattr(pipeline, "build_site", lambda *_, **__: None)
    pipeline.build(project)  # nothing changed
    assert collected == []
    shutil.rmtree(project.docs_dir)
    monkeypatch.setattr(pipeline, "LONG_LIVED", 1)
    pipeline.build(project)  # every page written again
    assert collected == [1]


def test_a_damaged_record_length_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "pages.pickle"
    for length in (2**40, 2**63, 2**64 - 1):  # longer than the file, or than memory
        path.write_bytes(FORMAT + length.to_bytes(8, "big") + bytes(16) + b"payload")
        assert read_table(path) == ({}, False)


def test_a_cache_that_cannot_be_written_never_fails_the_build(built: Project, tmp_path: Path) -> None:
    """A full disk or a folder that cannot be made loses the cache, not the build, and content
    errors are still reported in full."""
    project = copy_project(built, tmp_path / "project")
    broken = project.content_dir / "reviews" / "b.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace('published: "2024-03-01"', 'published: "2024-13-01"'))
    shutil.rmtree(project.generate_cache)
    project.generate_cache.write_text("a file where the cache's folder should be", encoding="utf-8")
    with pytest.raises(ContentErrors) as found:
        generate(project)
    assert any(str(error).startswith("content/reviews/b.md:8: published:") for error in found.value.errors)
    broken.write_text(broken.read_text(encoding="utf-8").replace('published: "2024-13-01"', 'published: "2024-03-01"'))
    _, report = generate(project)  # and with good content the build goes on without its cache
    assert report.written or report.unchanged

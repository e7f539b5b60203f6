"""The preview and large builds: a MkDocs build kept in memory and rebuilt page by page, pages
kept compressed, and the generator reading and rendering only what an edit changed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, make_project

from generator.build import Project, check, generate
from generator.pipeline.load import FileCache, load
from generator.pipeline.render import render
from generator.pipeline.site import build_site, config_overrides
from generator.pipeline.write import write_pages
from generator.preview.live import LiveSite
from generator.preview.serve import Preview

KENT = "kent-2019-child-j"
KENT_POINT = "a pre-birth assessment is needed, and it must take account of each parent's"


def project_without_pdfs(root: Path) -> Project:
    project = make_project(root, with_sample_reviews=True)
    settings = project.content_dir / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nmake_pdfs: false\n", encoding="utf-8")
    return project


def html_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def search_entries(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def on_page(entries: list[dict], url: str) -> list[dict]:
    return [entry for entry in entries if entry["location"].split("#")[0] == url]


def started(project: Project, site_dir: Path) -> Preview:
    """A preview started and with every page built, as its background work builds them."""
    preview = Preview(project, drafts=False, site_dir=site_dir)
    preview.start()
    while preview.fill():
        pass
    return preview


@pytest.fixture
def live(tmp_path: Path) -> tuple[Project, LiveSite]:
    project = project_without_pdfs(tmp_path / "project")
    site, _ = generate(project)
    live = LiveSite(project.config_file, tmp_path / "preview", config_overrides(site.settings))
    live.build()
    return project, live


def test_packed_pages_build_the_same_site_byte_for_byte(tmp_path: Path) -> None:
    project = project_without_pdfs(tmp_path / "project")
    site, _ = generate(project)
    build_site(project.config_file, tmp_path / "packed", site.content_epoch(), site.settings)
    build_site(project.config_file, tmp_path / "plain", site.content_epoch(), site.settings, pack_pages=False)
    packed, plain = html_files(tmp_path / "packed"), html_files(tmp_path / "plain")
    assert len(packed) > 100
    assert packed == plain


def test_live_site_rebuilds_only_the_edited_page_and_its_search_entries(live: tuple[Project, LiveSite]) -> None:
    project, site = live
    before = html_files(site.site_dir)
    url = f"reviews/{KENT}/"
    entries_before = on_page(search_entries(site.site_dir), url)
    page = project.docs_dir / "reviews" / f"{KENT}.md"
    sentence = "an assessment before birth is needed"
    text = page.read_text(encoding="utf-8")
    assert "a pre-birth assessment is needed" in text
    page.write_text(text.replace("a pre-birth assessment is needed", sentence), encoding="utf-8")

    assert site.update([f"reviews/{KENT}.md"], []) == "rebuilt 1 page(s)"

    after = html_files(site.site_dir)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert changed == [f"reviews/{KENT}/index.html", "search/search_index.json"]
    assert sentence in after[f"reviews/{KENT}/index.html"].decode("utf-8")
    entries_after = on_page(search_entries(site.site_dir), url)
    assert len(entries_after) == len(entries_before), "the page's old search entries were not replaced"
    assert any(sentence in entry["title"] + entry["text"] for entry in entries_after)
    assert not any("a pre-birth assessment is needed" in entry["title"] + entry["text"] for entry in entries_after)


def test_live_site_adds_and_removes_a_page_outside_the_navigation(live: tuple[Project, LiveSite]) -> None:
    project, site = live
    new = project.docs_dir / "reviews" / "a-new-review.md"
    new.write_text("# A new review\n\nWritten while the preview runs.\n", encoding="utf-8")
    assert site.update(["reviews/a-new-review.md"], []) == "rebuilt 1 page(s)"
    built = site.site_dir / "reviews" / "a-new-review" / "index.html"
    assert "Written while the preview runs." in built.read_text(encoding="utf-8")
    assert on_page(search_entries(site.site_dir), "reviews/a-new-review/")

    new.unlink()
    assert site.update([], ["reviews/a-new-review.md"]) == "rebuilt 0 page(s), removed 1"
    assert not built.exists()
    assert not on_page(search_entries(site.site_dir), "reviews/a-new-review/")


def test_a_new_page_in_the_navigation_rebuilds_the_whole_site(live: tuple[Project, LiveSite]) -> None:
    project, site = live
    (project.docs_dir / "extra.md").write_text("# Extra\n\nA page the navigation would list.\n", encoding="utf-8")
    assert site.update(["extra.md"], []).startswith("rebuilt the whole site")
    assert (site.site_dir / "extra" / "index.html").is_file()


def test_an_edit_shows_on_the_briefing_first_then_on_its_theme_page(tmp_path: Path) -> None:
    project = project_without_pdfs(tmp_path / "project")
    preview = started(project, tmp_path / "preview")
    review = project.content_dir / "reviews" / f"{KENT}.md"
    text = review.read_text(encoding="utf-8")
    assert KENT_POINT in " ".join(text.split())
    review.write_text(text.replace("a pre-birth assessment is needed", "an assessment before birth is needed", 1))

    preview.rebuild({review})

    briefing = (preview.site_dir / "reviews" / KENT / "index.html").read_text(encoding="utf-8")
    theme = (preview.site_dir / "themes" / "pre-birth-assessment" / "index.html").read_text(encoding="utf-8")
    assert "an assessment before birth is needed" in briefing
    assert "an assessment before birth is needed" in theme
    assert "a pre-birth assessment is needed" not in theme
    assert not preview.stale


def test_an_edit_before_every_page_is_built_shows_on_pages_built_before_and_after(tmp_path: Path) -> None:
    project = project_without_pdfs(tmp_path / "project")
    preview = Preview(project, drafts=False, site_dir=tmp_path / "preview")
    preview.start()
    preview.serve_page(f"reviews/{KENT}/index.html")  # a browser asks for it
    briefing = preview.site_dir / "reviews" / KENT / "index.html"
    theme = preview.site_dir / "themes" / "pre-birth-assessment" / "index.html"
    assert briefing.is_file() and not theme.exists()
    review = project.content_dir / "reviews" / f"{KENT}.md"
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace("a pre-birth assessment is needed", "an assessment before birth is needed", 1))

    preview.rebuild({review})
    assert "an assessment before birth is needed" in briefing.read_text(encoding="utf-8")
    assert not theme.exists()  # built by the background work, from the edited content
    while preview.fill():
        pass

    assert "an assessment before birth is needed" in theme.read_text(encoding="utf-8")
    assert "a pre-birth assessment is needed" not in theme.read_text(encoding="utf-8")
    assert not preview.live.pending and not preview.stale
    assert on_page(search_entries(preview.site_dir), "themes/pre-birth-assessment/")


def test_a_review_removed_before_its_pages_are_built_leaves_the_rest_to_build(tmp_path: Path) -> None:
    """Its pages were planned but never written: they leave the preview, and the background
    work goes on to build every other page and the search index."""
    project = project_without_pdfs(tmp_path / "project")
    preview = Preview(project, drafts=False, site_dir=tmp_path / "preview")
    preview.start()
    review = project.content_dir / "reviews" / f"{KENT}.md"
    review.unlink()
    preview.rebuild({review})
    while preview.fill():
        pass
    assert preview.filling is False and not preview.live.pending
    assert not (preview.site_dir / "reviews" / KENT).exists()
    assert (preview.site_dir / "reviews" / "index.html").is_file()
    assert on_page(search_entries(preview.site_dir), "reviews/") and not on_page(
        search_entries(preview.site_dir), f"reviews/{KENT}/"
    )


def test_the_preview_keeps_the_last_good_pages_when_an_edit_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_without_pdfs(tmp_path / "project")
    preview = started(project, tmp_path / "preview")
    before = html_files(preview.site_dir)
    review = project.content_dir / "reviews" / f"{KENT}.md"
    review.write_text(review.read_text(encoding="utf-8").replace("summary:", "sumary:", 1), encoding="utf-8")
    preview.rebuild({review})
    assert html_files(preview.site_dir) == before
    assert "sumary: unknown field" in capsys.readouterr().err


def test_load_reads_again_only_the_files_that_changed(tmp_path: Path) -> None:
    project = make_project(tmp_path, with_sample_reviews=True)
    cache: FileCache = {}
    first = load(project.content_dir, cache)
    assert len(first.reviews) == len(list((REPO / "content" / "reviews").glob("*.md")))
    second = load(project.content_dir, cache)
    assert all(a is b for a, b in zip(first.reviews, second.reviews, strict=True))  # not read again
    review = project.content_dir / "reviews" / f"{KENT}.md"
    review.write_text(review.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    again = load(project.content_dir, cache)
    reread = [b.path for a, b in zip(second.reviews, again.reviews, strict=True) if a is not b]
    assert reread == [f"content/reviews/{KENT}.md"]
    assert next(d for d in again.reviews if d.path.endswith(f"{KENT}.md")).body.endswith("One more sentence.")


def test_rendering_one_review_gives_its_own_pages_as_a_full_render_does(tmp_path: Path) -> None:
    site = check(make_project(tmp_path, with_sample_reviews=True))
    everything = render(site)
    own = render(site, only={KENT})
    assert sorted(own) == sorted(
        [f"reviews/{KENT}.md", f"records/{KENT}.md", f"sessions/{KENT}.md", f"seven-minute/{KENT}.md"]
    )
    for path, text in own.items():
        assert text == everything[path]


def test_writing_some_pages_removes_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"a.md": "A", "pdf/a.pdf": b"%PDF", "b.md": "B"}, docs)
    report = write_pages({"a.md": "A changed"}, docs, prune=False)
    assert report.written == ["a.md"] and report.removed == []
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.*")) == ["a.md", "b.md", "pdf/a.pdf"]
    report = write_pages({"a.md": "A changed"}, docs, keep="pdf/")
    assert report.removed == ["b.md"]
    assert (docs / "pdf" / "a.pdf").is_file()


def test_a_new_site_name_rebuilds_the_whole_preview(tmp_path: Path) -> None:
    project = project_without_pdfs(tmp_path / "project")
    preview = started(project, tmp_path / "preview")
    settings = project.content_dir / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"^site_name: .*$", "site_name: Renamed Learning", text, flags=re.M), encoding="utf-8")
    preview.rebuild({settings})
    while preview.fill():  # every page changes: they are built again as at start-up
        pass
    for page in ("index.html", f"reviews/{KENT}/index.html", "themes/pre-birth-assessment/index.html"):
        assert "Renamed Learning" in (preview.site_dir / page).read_text(encoding="utf-8")


def test_serve_with_bad_content_says_what_is_wrong_and_stops(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    project = project_without_pdfs(tmp_path / "project")
    review = project.content_dir / "reviews" / f"{KENT}.md"
    review.write_text(review.read_text(encoding="utf-8").replace("summary:", "sumary:", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--project", str(project.root), "--dev-addr", "127.0.0.1:0"])
    assert result.exit_code == 1
    assert f"content/reviews/{KENT}.md" in result.output and "sumary: unknown field" in result.output
    assert "keeps the last good pages" not in result.output
    assert "Traceback" not in result.output

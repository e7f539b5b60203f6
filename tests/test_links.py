"""Every internal link and anchor in the built site resolves."""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browsing import search, serve_directory
from click.testing import CliRunner
from conftest import change_settings, make_project
from playwright.sync_api import expect

from generator.build import Project
from generator.cli import main


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if tag in ("a", "link", "script", "img") and attributes.get(name):
                self.links.append(attributes[name])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(sample_site_with_pdfs: Project) -> None:
    """In the site with PDFs, so that the links to them are followed too."""
    site = sample_site_with_pdfs.site_dir
    pages = {path: parse(path) for path in site.rglob("*.html")}
    broken = []
    checked = 0
    for page, parsed in pages.items():
        here = page.relative_to(site).parent.as_posix()
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target_path = unquote(parts.path)
            if target_path:
                resolved = posixpath.normpath(posixpath.join("/" + here, target_path)).lstrip("/")
                target = site / resolved
                if target.is_dir() or target_path.endswith("/"):
                    target = target / "index.html"
            else:
                target = page
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no #{parts.fragment})")
    assert checked > 1000
    assert any(link.endswith(".pdf") for parsed in pages.values() for link in parsed.links)
    assert broken == []


def test_feedback_and_browse_links_point_into_the_site(sample_site_with_pdfs: Project) -> None:
    """Links written as raw HTML (not checked by MkDocs) are covered by the walk above; make sure
    the walk sees them."""
    site = sample_site_with_pdfs.site_dir
    briefing = (site / "reviews" / "kent-2019-child-j" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="../../records/kent-2019-child-j/"', briefing)
    browse = (site / "browse" / "index.html").read_text(encoding="utf-8")
    assert 'href="../reviews/kent-2019-child-j/"' in browse


@pytest.mark.browser
def test_site_works_from_a_sub_path(sample_site: Project, tmp_path: Path, page) -> None:
    """Published at https://example.org/learning/: every internal link is relative, so the same
    files work below any path; checked in Chromium, with search."""
    shutil.copytree(sample_site.site_dir, tmp_path / "learning")
    server, url = serve_directory(tmp_path)
    base = url + "learning/"
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    try:
        page.goto(base)
        page.click("text=All briefings")
        page.click("text=Child J: non-accidental injuries to a 5-week-old baby")
        expect(page).to_have_url(base + "reviews/kent-2019-child-j/")
        page.click(".ll-key-facts >> text=Serious Case Review")
        expect(page).to_have_url(base + "types/scr/")
        search(page, "fathers")
        link = page.locator(".md-search-result__item a").first
        assert link.get_attribute("href").startswith(base)
    finally:
        server.shutdown()
    assert failed == []


@pytest.mark.browser
def test_offline_build_works_from_a_folder_with_search(tmp_path: Path, page) -> None:
    """For an intranet share: open site/index.html straight from disk (file://), with search,
    and still no request to any other host."""
    project = make_project(tmp_path, with_sample_reviews=True, pdfs=False)
    change_settings(project, {"offline": True})
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    home = (project.site_dir / "index.html").as_uri()
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(("file:", "data:", "blob:")) else elsewhere.append(request.url),
    )
    page.goto(home)
    page.click("text=Browse and filter")
    expect(page).to_have_url(re.compile(r"/browse\.html$"))
    page.locator('input[name="theme"][value="invisible-fathers"]').check()
    total = len(list((project.content_dir / "reviews").glob("*.md")))
    expect(page.locator("#ll-browse-status")).to_have_text(re.compile(rf"Showing 2 of {total}"))
    page.click("text=Baby Z: injuries to a baby in foster care")
    expect(page).to_have_url(re.compile(r"/reviews/blackburn-with-darwen-2010-baby-z\.html$"))
    page.goto(home)
    search(page, "skeletal")
    link = page.locator(".md-search-result__item a").first
    assert link.get_attribute("href").startswith("file://")
    link.click()
    expect(page.locator("article")).to_contain_text("skeletal")
    assert elsewhere == []

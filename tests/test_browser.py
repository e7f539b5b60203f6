"""What a person does on the site, in real headless Chromium (Debian's, never a download)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import ProcessOutput, free_port, search, serve_directory, wait_for
from conftest import LARGE_CORPUS, REPO, make_project
from content_facts import reviews

from generator.build import Project

pytestmark = pytest.mark.browser

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def site_url(sample_site: Project) -> Iterator[str]:
    """The built sample site (no PDFs), served over HTTP on a free local port."""
    server, url = serve_directory(sample_site.site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def pdf_site_url(sample_site_with_pdfs: Project) -> Iterator[str]:
    """The built sample site with its PDFs, served over HTTP on a free local port: for the
    tests that look at whole pages, which then carry their links to the PDFs."""
    server, url = serve_directory(sample_site_with_pdfs.site_dir)
    yield url
    server.shutdown()


def word_only_in_one_review() -> tuple[str, str]:
    """A word that occurs in one review's learning points and in no other review file."""
    texts = {
        path.stem: path.read_text(encoding="utf-8").lower() for path in (REPO / "content" / "reviews").glob("*.md")
    }
    for review_id, review in sorted(reviews(REPO / "content").items()):
        points = " ".join(point["point"] for section in review["sections"] for point in section["learning_points"])
        for word in sorted(set(re.findall(r"[a-z]{8,}", points.lower()))):
            elsewhere = [other for other, text in texts.items() if other != review_id and word in text]
            if not elsewhere:
                return word, review_id
    raise AssertionError("no word is unique to one review's learning points")


def test_search_finds_a_word_from_one_reviews_learning_points(page: Page, site_url: str) -> None:
    word, review_id = word_only_in_one_review()
    title = reviews(REPO / "content")[review_id]["title"]
    page.goto(site_url)
    search(page, word)
    result = page.locator(f'.md-search-result__item a[href*="reviews/{review_id}/"]').first
    expect(result).to_be_visible()
    result.click()
    page.wait_for_url(re.compile(rf"/reviews/{review_id}/"))
    expect(page.locator("h1")).to_have_text(re.compile("^" + re.escape(title)))
    expect(page.locator("article")).to_contain_text(re.compile(word, re.IGNORECASE))


def test_theme_link_on_a_briefing_leads_to_its_theme_page(page: Page, site_url: str) -> None:
    page.goto(site_url + "reviews/wiltshire-child-k/")
    page.locator(".ll-key-facts a", has_text="Invisible fathers and significant men").click()
    expect(page.locator("h1")).to_have_text(re.compile("^Invisible fathers and significant men"))
    link = page.locator(".ll-point .admonition-title a").first
    href = link.get_attribute("href")
    link.click()
    anchor = href.split("#")[1]
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()


def test_serve_reloads_the_open_page_when_content_changes(tmp_path: Path, page: Page) -> None:
    project = make_project(tmp_path, with_sample_reviews=True)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "generator",
        "serve",
        "--project",
        str(project.root),
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = ProcessOutput(server)
    try:
        url = f"http://127.0.0.1:{port}/reviews/kent-2019-child-j/"
        wait_for(url, server, output)
        page.goto(url)
        page.evaluate("window.notReloaded = true")
        review = project.content_dir / "reviews" / "kent-2019-child-j.md"
        marker = "A sentence added while the preview was open."
        review.write_text(review.read_text(encoding="utf-8").rstrip() + f"\n\n{marker}\n", encoding="utf-8")
        expect(page.locator("article")).to_contain_text(marker, timeout=30_000)
        assert page.evaluate("window.notReloaded === undefined"), "the text changed without a page reload"
        # A broken edit keeps the last good page and reports the error: once the preview has
        # said so, the open page and the page it serves still have the last good text.
        review.write_text(review.read_text(encoding="utf-8").replace("summary:", "sumary:"), encoding="utf-8")
        output.wait_for_line("sumary: unknown field")
        expect(page.locator("article")).to_contain_text(marker)
        assert marker in urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "sumary: unknown field" in output.wait_until_closed()


def test_serve_builds_a_page_when_it_is_first_asked_for(tmp_path: Path, page: Page) -> None:
    """The preview serves before it has built its pages: a page a browser asks for first is
    built there and then, styled and whole, as are the pages it links to; the pages built so,
    out of order, and those its background work builds after are the site a full build makes,
    byte for byte."""
    import threading

    from generator.pipeline.site import config_overrides
    from generator.preview.live import LiveSite
    from generator.preview.serve import Preview, ReloadServer

    project = make_project(tmp_path, with_sample_reviews=True)
    settings = project.content_dir / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nmake_pdfs: false\n", encoding="utf-8")
    left = project.docs_dir / "reviews" / "removed-since-the-last-run.md"
    left.parent.mkdir(parents=True)
    left.write_text("# A review removed since the last run\n", encoding="utf-8")
    preview = Preview(project, drafts=False, site_dir=tmp_path / "preview")
    content = preview.start()
    briefing = preview.site_dir / "reviews" / "kent-2019-child-j" / "index.html"
    assert not briefing.exists() and not (project.docs_dir / "reviews" / "kent-2019-child-j.md").exists()
    server = ReloadServer(
        builder=lambda: None,
        host="127.0.0.1",
        port=free_port(),
        root=str(preview.site_dir),
        before_serving=preview.serve_page,
    )
    threading.Thread(target=server.serve, daemon=True).start()
    try:
        wait_for(server.url + "assets/stylesheets/learning-lessons.css")
        page.goto(f"{server.url}reviews/kent-2019-child-j/")
        expect(page.locator("h1")).to_have_text(re.compile("^Child J: non-accidental injuries"))
        expect(page.locator("article")).to_contain_text(re.compile(r"pre-birth\s+assessment is needed"))
        expect(page.locator(".md-header")).to_be_visible()  # Material's stylesheet and scripts came too
        assert page.locator(".md-nav__link", has_text="Practice themes").count()
        page.locator(".ll-key-facts a", has_text="Pre-birth assessment").first.click()
        expect(page.locator("h1")).to_have_text(re.compile("^Pre-birth assessment"))
        expect(page.locator("article")).to_contain_text("Child J: non-accidental injuries")
    finally:
        server.shutdown()
    assert briefing.is_file() and not (preview.site_dir / "reviews" / "wiltshire-child-k" / "index.html").exists()
    while preview.fill():
        pass
    assert not left.exists()  # the writer removed it once every page was written
    full = LiveSite(project.config_file, tmp_path / "full", config_overrides(content.settings))
    full.build()

    def files(site: Path) -> dict[str, bytes]:
        return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}

    built, expected = files(preview.site_dir), files(tmp_path / "full")
    assert sorted(built) == sorted(expected)
    assert [path for path in expected if built[path] != expected[path]] == []


CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer"]
"""Site navigation, search and header chrome: none of it belongs on paper."""


@pytest.mark.parametrize(
    "path", ["reviews/wiltshire-child-k/", "sessions/wiltshire-child-k/", "seven-minute/wiltshire-child-k/"]
)
def test_pages_print_without_site_chrome(page: Page, pdf_site_url: str, path: str, tmp_path: Path) -> None:
    page.goto(pdf_site_url + path)
    for selector in CHROME[:2] + CHROME[3:]:
        if page.locator(selector).count():
            expect(page.locator(selector).first).to_be_visible()
    page.emulate_media(media="print")
    for selector in CHROME:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    # Every reflection question is on the page, never folded away.
    for question in page.locator("article li").all()[:20]:
        expect(question).to_be_visible()
    assert page.locator("article details").count() == 0
    # External links show where they go.
    link = page.locator('article a[href^="mailto:"], article a[href^="http"]').first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in after
    page.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    if os.environ.get("LL_KEEP_SCREENSHOTS"):
        shutil.copy(
            tmp_path / "print.png", Path(os.environ["LL_KEEP_SCREENSHOTS"]) / (path.replace("/", "_") + "print.png")
        )
    assert (tmp_path / "print.png").stat().st_size > 10_000


def first_point_result(page: Page, review_id: str):
    """The first visible search result that links to a learning point of ``review_id``."""
    return page.locator(f'a.md-search-result__link[href*="reviews/{review_id}/"][href*="#lp-"]:visible').first


def land_on(page: Page, link) -> str:
    """Follow a search result; return the anchor it lands on, checking it is on screen."""
    href = link.get_attribute("href")
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile("#" + anchor + "$"))
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    return anchor


def first_words(text: str, count: int = 8) -> str:
    """The first words of five letters or more: what a person types, without the short words
    that Material's prefix search matches everywhere."""
    return " ".join(re.findall(r"[A-Za-z]{5,}", text)[:count])


def test_search_for_a_learning_point_lands_on_it(page: Page, site_url: str) -> None:
    from content_facts import point_at

    point = point_at(REPO / "content", "kent-2019-child-j", "lp-3-1")["point"]
    page.goto(site_url)
    search(page, first_words(point))
    assert land_on(page, first_point_result(page, "kent-2019-child-j")) == "lp-3-1"


def test_search_for_a_question_lands_on_its_learning_point(page: Page, site_url: str) -> None:
    from content_facts import point_at

    question = point_at(REPO / "content", "wiltshire-child-k", "lp-2-2")["questions"][0]
    page.goto(site_url)
    search(page, first_words(question, 10))
    assert land_on(page, first_point_result(page, "wiltshire-child-k")) == "lp-2-2"


@pytest.mark.parametrize(
    ("synonym", "theme"), [("hidden men", "invisible-fathers"), ("coercive control", "domestic-abuse")]
)
def test_search_for_a_theme_synonym_lands_on_a_point_on_that_theme(
    page: Page, site_url: str, synonym: str, theme: str
) -> None:
    from content_facts import themes_of_point

    page.goto(site_url)
    search(page, synonym)
    link = page.locator('a.md-search-result__link[href*="reviews/"][href*="#lp-"]:visible').first
    review_id = re.search(r"reviews/([a-z0-9-]+)/", link.get_attribute("href")).group(1)
    anchor = land_on(page, link)
    assert theme in themes_of_point(REPO / "content", review_id, anchor)
    # The theme's own page is found by the synonym too.
    page.goto(site_url)
    search(page, synonym)
    expect(page.locator(f'.md-search-result__item a[href*="themes/{theme}/"]').first).to_be_visible()


def visible_briefings(page: Page) -> list[str]:
    return sorted(
        re.search(r"reviews/([a-z0-9-]+)/", link.get_attribute("href")).group(1)
        for link in page.locator("#ll-browse-list > li:visible > a").all()
    )


def test_browse_filters_combine_and_the_address_restores_them(page: Page, site_url: str) -> None:
    sample = reviews(REPO / "content")
    expected = sorted(
        review_id
        for review_id, review in sample.items()
        if "invisible-fathers" in review["themes"]
        and review["review_type"] == "scr"
        and str(review["published"])[:4] in ("2010", "not ")
    )
    assert 0 < len(expected) < len(sample)
    page.goto(site_url + "browse/")
    assert visible_briefings(page) == sorted(sample)
    # Keyboard only: focus each box and press Space.
    for name, value in (("theme", "invisible-fathers"), ("type", "scr"), ("year", "2010"), ("year", "not-dated")):
        box = page.locator(f'input[name="{name}"][value="{value}"]')
        box.focus()
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    assert visible_briefings(page) == expected
    expect(page.locator("#ll-browse-status")).to_have_text(f"Showing {len(expected)} of {len(sample)} briefings")
    assert "theme=invisible-fathers" in page.url and "type=scr" in page.url and "year=2010" in page.url
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    assert visible_briefings(page) == expected
    expect(page.locator('input[name="theme"][value="invisible-fathers"]')).to_be_checked()
    page.locator("#ll-browse button[type=reset]").click()
    expect(page.locator("#ll-browse-status")).to_have_text(f"Showing {len(sample)} of {len(sample)} briefings")
    assert visible_briefings(page) == sorted(sample)
    assert "?" not in page.url


def test_browse_shows_every_briefing_without_javascript(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "browse/")
    assert visible_briefings(page) == sorted(reviews(REPO / "content"))
    expect(page.locator("#ll-browse")).to_be_hidden()
    context.close()


def test_theme_and_agency_pages_show_exactly_the_tagged_points(page: Page, site_url: str) -> None:
    from content_facts import normalise, points_for_agency, points_on_theme

    for path, expected in (
        ("themes/invisible-fathers/", points_on_theme(REPO / "content", "invisible-fathers")),
        ("agencies/police/", points_for_agency(REPO / "content", "police")),
        ("agencies/hospital/", points_for_agency(REPO / "content", "hospital")),
    ):
        assert expected, path
        page.goto(site_url + path)
        blocks = page.locator("article .ll-point:visible")
        assert blocks.count() == len(expected), path
        shown = [(normalise(block.inner_text()), block.inner_html()) for block in blocks.all()]
        for review_id, point in expected:
            assert any(normalise(point) in text and f"reviews/{review_id}/#lp-" in html for text, html in shown), (
                path,
                point,
            )


@pytest.fixture(scope="module")
def large_site(large_corpus: Project) -> Iterator[tuple[Project, str]]:
    """The large synthetic corpus, built and served."""
    server, url = serve_directory(large_corpus.site_dir)
    yield large_corpus, url
    server.shutdown()


def test_search_and_browse_work_on_a_large_corpus(page: Page, large_site: tuple[Project, str]) -> None:
    project, url = large_site
    corpus = reviews(project.content_dir)
    assert len(corpus) == LARGE_CORPUS
    target_id, target = sorted(corpus.items())[LARGE_CORPUS // 2]
    point = target["sections"][0]["learning_points"][0]["point"]
    page.goto(url)
    search(page, " ".join(dict.fromkeys(re.findall(r"[a-z]{6,}", point.lower())))[:60])
    # The briefing whose point was searched for is among the results.
    expect(page.locator(f'.md-search-result__item a[href*="/reviews/{target_id}/"]').first).to_be_visible()
    # The most used theme, narrowed by the type of review most used with it: a filter that
    # keeps some briefings and drops others, whatever the vocabulary's size.
    theme = Counter(key for review in corpus.values() for key in review["themes"]).most_common(1)[0][0]
    on_theme = {review_id: review for review_id, review in corpus.items() if theme in review["themes"]}
    kind = Counter(review["review_type"] for review in on_theme.values()).most_common(1)[0][0]
    expected = sorted(review_id for review_id, review in on_theme.items() if review["review_type"] == kind)
    assert 1 < len(expected) < len(corpus)
    page.goto(url + f"browse/?theme={theme}&type={kind}")
    expect(page.locator("#ll-browse-status")).to_have_text(f"Showing {len(expected)} of {len(corpus)} briefings")
    assert visible_briefings(page) == expected
    count = page.locator(f'[data-count-for="type={kind}"]').inner_text()
    assert count == f"({len(expected)})"


PAGE_TYPES = [
    "",
    "reviews/",
    "reviews/wiltshire-child-k/",
    "themes/",
    "themes/invisible-fathers/",
    "types/scr/",
    "agencies/police/",
    "browse/?theme=invisible-fathers",
    "sessions/",
    "sessions/kent-2019-child-j/",
    "seven-minute/kent-2019-child-j/",
    "records/kent-2019-child-j/",
    "guide/authors/",
    "accessibility/",
    "data/",
]


def test_pages_load_nothing_from_other_hosts_and_set_no_cookies(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    # Every page type at once, each in its own tab, each until its network has been idle for
    # half a second (what "networkidle" means): the waits overlap instead of adding up.
    pages = [context.new_page() for _ in PAGE_TYPES]
    for page, path in zip(pages, PAGE_TYPES, strict=True):
        page.goto(site_url + path, wait_until="commit")
    for page in pages:
        page.wait_for_load_state("networkidle")
    search(pages[-1], "fathers")
    elsewhere = [url for url in requested if not url.startswith(site_url) and not url.startswith("data:")]
    assert {path for path in PAGE_TYPES if site_url + path in requested} == set(PAGE_TYPES)
    assert len(requested) > len(PAGE_TYPES)
    assert elsewhere == []
    assert context.cookies() == []
    context.close()


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def test_every_page_type_passes_axe(browser: Browser, pdf_site_url: str) -> None:
    """WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core, run in Chromium on each page type (of
    the site with PDFs, whose pages link to them)."""
    if not AXE.exists():
        if os.environ.get("CI"):
            raise AssertionError(f"{AXE} is missing: run npm install (see README)")
        pytest.skip("axe-core is not installed (npm install)")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(AXE.read_text(encoding="utf-8"))  # in every page, before its own scripts
    page = context.new_page()
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    found = {}
    for path in PAGE_TYPES:
        page.goto(pdf_site_url + path)
        # Only violations are gathered in full: the same rules run, the passes are not listed.
        result = page.evaluate("tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})", tags)
        assert result["url"].startswith(pdf_site_url + path), result["url"]
        violations = [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]]
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


def test_quick_exit_leaves_at_once_and_back_does_not_return(page: Page, site_url: str) -> None:
    import yaml

    settings = yaml.safe_load((REPO / "content" / "settings.yml").read_text(encoding="utf-8"))
    target = settings["quick_exit"]["url"]
    page.route(target, lambda route: route.fulfill(body="<title>Elsewhere</title>Elsewhere", content_type="text/html"))
    page.goto(site_url)
    page.goto(site_url + "reviews/wiltshire-child-k/")
    button = page.locator(".ll-quick-exit")
    expect(button).to_be_visible()
    expect(button).to_have_text(settings["quick_exit"]["label"])
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    page.go_back()
    assert "wiltshire-child-k" not in page.url


def test_accessibility_statement_names_the_board_contact(page: Page, site_url: str) -> None:
    page.goto(site_url + "accessibility/")
    expect(page.locator("article")).to_contain_text("learning@example.org")
    expect(page.locator("article")).to_contain_text("WCAG 2.2")


def test_skip_to_content_link_is_the_first_thing_a_keyboard_reaches(page: Page, site_url: str) -> None:
    page.goto(site_url + "reviews/kent-2019-child-j/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text(re.compile("Skip to content"))
    expect(focused).to_be_visible()
    target = focused.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page.locator(target)).to_be_in_viewport()

"""The published site's search (the split index behind Material's search box), in real headless
Chromium: ranking, filters, a sub-path, a strict content security policy, axe."""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browsing import search, serve_directory
from conftest import MINIMAL_REVIEW, REPO, make_project, write_review
from content_facts import reviews
from published_index import published_records

from generator.build import Project, build
from generator.pipeline import search_index

pytestmark = pytest.mark.browser

from playwright.sync_api import Browser, Page, expect  # noqa: E402

SAMPLE = reviews(REPO / "content")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""The strictest content security policy the README gives for the published site: search needs
no inline script (only Material's small inline helpers and the quick exit button's handler do,
which the README's policy allows by their hashes or 'unsafe-inline')."""


def one_point(point: str, review_id: str, summary: str = "A short summary.") -> str:
    """A review like ``MINIMAL_REVIEW`` whose one learning point is ``point``."""
    return (
        MINIMAL_REVIEW.replace("test-2024-child-a", review_id)
        .replace("Share what you know.", point)
        .replace("summary: A short summary.", f"summary: {summary}")
    )


SCATTERED = """\
  - heading: Working with the family
    narrative: What happened next.
    learning_points:
      - point: Caseworkers did not ask about the grandmother.
        questions:
          - Who else lives in the home?
      - point: The chronology was never shared.
        questions:
          - Who keeps the chronology?
"""


@pytest.fixture(scope="module")
def ranking_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two briefings with the words grandmother, chronology and respite: one in a single
    learning point, the other scattered over its summary and points. Indexed as a large collection
    is, in small pieces: one record kept with each word, the rest one per file, and files of
    words split by longer prefixes, so that fetching further records and finding split files is
    tested too."""
    project = make_project(tmp_path_factory.mktemp("ranking"), pdfs=False)
    write_review(
        project,
        "a.md",
        one_point("Respite care was arranged without the grandmother's chronology.", "test-2024-child-b"),
    )
    scattered = one_point("Respite was offered once.", "test-2023-child-a", "The grandmother cared for Child A.")
    write_review(project, "b.md", scattered.replace("good_practice: []", SCATTERED + "good_practice: []", 1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "FIRST", 1)
        patch.setattr(search_index, "BLOCK", 1)
        patch.setattr(search_index, "SHORTEST_BLOCK", 1)
        patch.setattr(search_index, "SHARD_BYTES", 200)
        build(project)
    index = project.site_dir / "search-index"
    assert json.loads((index / "index.json").read_text(encoding="utf-8"))["split"]
    assert len(list((index / "more").iterdir())) > 20
    server, url = serve_directory(project.site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def site_url(sample_site: Project) -> Iterator[str]:
    server, url = serve_directory(sample_site.site_dir)
    yield url
    server.shutdown()


def result_links(page: Page) -> list[str]:
    return [link.get_attribute("href") or "" for link in page.locator("a.md-search-result__link").all()]


def test_a_point_holding_every_word_ranks_above_a_briefing_with_them_scattered(page: Page, ranking_site: str) -> None:
    page.goto(ranking_site)
    search(page, "grandmother chronology respite")
    first = page.locator("a.md-search-result__link[href*='#lp-']").first
    assert re.search(r"reviews/test-2024-child-b/\?h=[^#]*#lp-1-1$", first.get_attribute("href") or "")
    links = result_links(page)
    scattered = [i for i, link in enumerate(links) if "test-2023-child-a" in link]
    assert all(i > links.index(first.get_attribute("href")) for i in scattered)


def test_a_query_whose_words_no_one_section_holds_still_finds_the_sections_with_most(
    page: Page, ranking_site: str
) -> None:
    page.goto(ranking_site)
    search(page, "grandmother caseworkers offered")
    first = page.locator("a.md-search-result__link[href*='#lp-']").first
    # "Caseworkers did not ask about the grandmother." holds two of the three words: it comes
    # first, with the missing word shown as Material shows it.
    assert re.search(r"test-2023-child-a/\?h=[^#]*#lp-2-1$", first.get_attribute("href") or "")
    expect(first.locator(".md-search-result__terms")).to_contain_text("offered")


def test_a_theme_ranks_first_for_its_own_name(page: Page, site_url: str) -> None:
    page.goto(site_url)
    search(page, "invisible fathers")
    assert "themes/invisible-fathers/" in result_links(page)[0]


def test_filters_narrow_the_results_to_briefings_with_the_chosen_theme(page: Page, site_url: str) -> None:
    page.goto(site_url)
    everything = search(page, "assessment")
    page.locator(".ll-search-filters > summary").click()
    theme = page.locator("select[data-ll-filter=theme]")
    expect(theme.locator("option")).not_to_have_count(1)  # the choices, loaded from the index
    theme.select_option("Invisible fathers and significant men")
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(f"{everything} matching documents")
    narrowed = int(re.search(r"\d+", meta.inner_text()).group())
    assert 0 < narrowed < everything
    tagged = {review_id for review_id, review in SAMPLE.items() if "invisible-fathers" in review["themes"]}
    found = {match.group(1) for link in result_links(page) if (match := re.search(r"reviews/([a-z0-9-]+)/", link))}
    assert found and found <= tagged
    theme.select_option("")
    expect(meta).to_have_text(f"{everything} matching documents")


class StrictHeaders(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_search_works_from_a_sub_path_under_a_strict_policy_asking_no_other_host(
    browser: Browser, sample_site: Project, tmp_path: Path
) -> None:
    shutil.copytree(sample_site.site_dir, tmp_path / "learning")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StrictHeaders, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    refused: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    try:
        page.goto(origin + "learning/reviews/")
        search(page, "fathers")
        link = page.locator("a.md-search-result__link[href*='#lp-']:visible").first
        href = link.get_attribute("href") or ""
        assert href.startswith(origin + "learning/reviews/")
        link.click()
        page.wait_for_url(re.compile(r"/learning/reviews/[a-z0-9-]+/.*#lp-"))
    finally:
        context.close()
        server.shutdown()
    assert any("/learning/search-index/" in url for url in requested)
    assert [url for url in requested if not url.startswith(origin)] == []
    assert [message for message in refused if "Executing inline" not in message] == []


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def test_the_open_search_with_results_and_filters_passes_axe(browser: Browser, site_url: str) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install)")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    page.goto(site_url)
    # axe judges the page as it settles, not half-way through Material's fades (on a busy
    # machine a colour still fading in can fail the contrast check)
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    search(page, "fathers")
    page.locator(".ll-search-filters > summary").click()
    expect(page.locator("select[data-ll-filter=year] option")).not_to_have_count(1)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    result = page.evaluate("tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})", tags)
    context.close()
    assert [(v["id"], [node["target"] for node in v["nodes"]]) for v in result["violations"]] == []


def test_keyboard_reaches_the_filters_and_a_result(page: Page, site_url: str) -> None:
    page.goto(site_url)
    search(page, "fathers")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".ll-search-filters > summary")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("select[data-ll-filter=theme]")).to_be_focused()
    expect(page.locator(".md-search__inner")).to_be_visible()  # Tab did not close the search
    page.locator(".ll-search-filters > summary").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("a.md-search-result__link").first).to_be_focused()


def test_the_index_holds_points_and_intros_not_copies_of_the_learning(sample_site: Project) -> None:
    records = published_records(sample_site.site_dir)
    pages = {record["page"] for record in records}
    copies = [page for page in pages if page.startswith(("sessions/", "seven-minute/", "records/"))]
    assert copies == ["sessions/"]  # the page on running a session, not the session plans
    for page in ("themes/invisible-fathers/", "agencies/police/", "types/scr/"):
        [record] = [record for record in records if record["page"] == page]
        assert record["location"] == page
        assert len(record["text"]) < 1500
    kent = SAMPLE["kent-2019-child-j"]
    [point] = [record for record in records if record["location"] == "reviews/kent-2019-child-j/#lp-1-1"]
    assert point["filters"]["year"] == ["2019"]
    assert point["filters"]["type"] == ["Serious Case Review"]
    assert len(point["filters"]["theme"]) == len(kent["themes"])

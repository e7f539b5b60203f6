"""The feedback form in real headless Chromium: every delivery, with and without JavaScript."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browsing import free_port, serve_directory, wait_for
from conftest import change_settings, make_project
from playwright.sync_api import Browser, Page, expect

from generator.build import Project, build

pytestmark = pytest.mark.browser

REVIEW = "wiltshire-child-k"


class FeedbackSite:
    """The sample site (no PDFs) built with a delivery setting and served; the feedback service
    is started for one test at a time, each time with an empty database."""

    def __init__(self, root: Path, delivery: str) -> None:
        self.site_port, self.service_port = free_port(), free_port()
        self.site_url = f"http://127.0.0.1:{self.site_port}/"
        self.service_url = f"http://127.0.0.1:{self.service_port}/feedback"
        self.project = make_project(root, with_sample_reviews=True, pdfs=False)
        change_settings(
            self.project,
            {"feedback": {"delivery": delivery, "endpoint": self.service_url}, "site_url": self.site_url},
        )
        build(self.project)
        self.server, _ = serve_directory(self.project.site_dir, self.site_port)
        self.db: Path | None = None

    @contextmanager
    def service(self, db: Path) -> Iterator[FeedbackSite]:
        """The feedback service, running with the database ``db`` until the block ends."""
        command = [
            sys.executable, "-m", "generator", "feedback", "serve", "--project", str(self.project.root),
            "--db", str(db), "--port", str(self.service_port), "--allow-origin", self.site_url.rstrip("/"),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.db = db
        try:
            wait_for(f"http://127.0.0.1:{self.service_port}/health", process)
            yield self
        finally:
            process.terminate()
            process.communicate(timeout=10)
            self.db = None

    def rows(self) -> list[dict]:
        if self.db is None or not self.db.exists():
            return []
        with sqlite3.connect(self.db) as connection:
            return [
                {"briefing": briefing, **json.loads(answers)}
                for briefing, answers in connection.execute("select briefing, answers from submissions order by id")
            ]


@pytest.fixture(scope="module")
def feedback_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], FeedbackSite]]:
    """The site for a delivery setting, built the first time a test of this module asks for it."""
    sites: dict[str, FeedbackSite] = {}

    def site(delivery: str) -> FeedbackSite:
        if delivery not in sites:
            sites[delivery] = FeedbackSite(tmp_path_factory.mktemp(delivery), delivery)
        return sites[delivery]

    yield site
    for built in sites.values():
        built.server.shutdown()


@pytest.fixture
def service_site(feedback_site: Callable[[str], FeedbackSite], tmp_path: Path) -> Iterator[FeedbackSite]:
    """The site with the "service" delivery, its service running with a new database."""
    with feedback_site("service").service(tmp_path / "feedback.sqlite3") as site:
        yield site


def fill_in(page: Page, marker: str) -> None:
    page.fill("#fb-session-date", "2026-11-20")
    page.check('input[name="used-as"][value="Team meeting"]')
    page.fill("#fb-agency", "Police")
    page.fill("#fb-people", "7")
    page.fill("#fb-answers-1", f"We talked about the protocol. {marker}")
    page.fill("#fb-change-action", "Add the bruising protocol to induction <b>now</b>")
    page.check('input[name="usefulness"][value="4"]')


def test_submit_with_javascript_reaches_the_board(browser: Browser, service_site: FeedbackSite, tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(service_site.site_url + f"reviews/{REVIEW}/")
    # Nothing filled in: every required field is marked, nothing is sent.
    page.click("#ll-feedback button[type=submit]")
    expect(page.locator("#ll-feedback-alert")).to_be_visible()
    expect(page.locator("#fb-agency-error")).to_have_text("This is required.")
    assert page.locator("#fb-agency").get_attribute("aria-invalid") == "true"
    assert service_site.rows() == []
    fill_in(page, "first")
    page.click("#ll-feedback button[type=submit]")
    expect(page.locator("#ll-feedback-status")).to_have_text(re.compile("Thank you"))
    [row] = service_site.rows()
    assert row["briefing"] == REVIEW and row["people"] == "7" and row["agency"] == "Police"
    assert row["answers-1"] == "We talked about the protocol. first"
    out = tmp_path / "report"
    subprocess.run(
        [sys.executable, "-m", "generator", "feedback", "report", "--project", str(service_site.project.root),
         "--db", str(service_site.db), "--out", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    with (out / "feedback.csv").open(encoding="utf-8", newline="") as file:
        [exported] = list(csv.DictReader(file))
    assert exported["briefing"] == REVIEW and exported["answers-1"] == "We talked about the protocol. first"
    page.close()


def test_submit_without_javascript_gets_a_confirmation_page(browser: Browser, service_site: FeedbackSite) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(service_site.site_url + f"reviews/{REVIEW}/")
    fill_in(page, "no script")
    page.click("#ll-feedback button[type=submit]")
    page.wait_for_url(service_site.service_url)
    expect(page.locator("body")).to_contain_text("Thank you")
    back = page.locator(f'a[href="{service_site.site_url}reviews/{REVIEW}/"]')
    expect(back).to_be_visible()
    [row] = service_site.rows()
    assert row["answers-1"] == "We talked about the protocol. no script"
    context.close()


def test_failed_sending_is_plain_and_keeps_the_answers(
    browser: Browser, feedback_site: Callable[[str], FeedbackSite]
) -> None:
    site = feedback_site("service")  # its service is not running
    page = browser.new_page()
    page.goto(site.site_url + f"reviews/{REVIEW}/")
    fill_in(page, "kept")
    page.click("#ll-feedback button[type=submit]")
    expect(page.locator("#ll-feedback-status")).to_have_text(re.compile("Your answers were not sent"))
    expect(page.locator("#fb-answers-1")).to_have_value("We talked about the protocol. kept")
    with page.expect_download() as download:
        page.click("#ll-feedback [data-action=save]")
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert "We talked about the protocol. kept" in saved and "Police" in saved
    page.close()


def test_email_delivery_offers_an_email_with_the_answers(
    browser: Browser, feedback_site: Callable[[str], FeedbackSite]
) -> None:
    site = feedback_site("email")
    page = browser.new_page()
    page.goto(site.site_url + f"reviews/{REVIEW}/")
    assert page.locator("#ll-feedback").get_attribute("action").startswith("mailto:learning@example.org")
    fill_in(page, "by e-mail")
    page.click("#ll-feedback button[type=submit]")
    expect(page.locator("#ll-feedback-status")).to_have_text(re.compile("e-mail program should now open"))
    mailto = urllib.parse.unquote(page.locator("#ll-feedback").get_attribute("data-mailto"))
    assert mailto.startswith("mailto:learning@example.org?subject=Feedback on the briefing: ")
    assert "We talked about the protocol. by e-mail" in mailto and "Number of people taking part" in mailto
    with page.expect_download() as download:
        page.click("#ll-feedback [data-action=save]")
    assert "We talked about the protocol. by e-mail" in Path(download.value.path()).read_text(encoding="utf-8")
    page.close()


def test_endpoint_delivery_posts_the_form_normally(
    browser: Browser, feedback_site: Callable[[str], FeedbackSite], tmp_path: Path
) -> None:
    # Any service that accepts a normal POST; here the project's own.
    with feedback_site("endpoint").service(tmp_path / "feedback.sqlite3") as site:
        page = browser.new_page()
        page.goto(site.site_url + f"reviews/{REVIEW}/")
        fill_in(page, "endpoint")
        page.click("#ll-feedback button[type=submit]")
        page.wait_for_url(site.service_url)
        expect(page.locator("body")).to_contain_text("Thank you")
        assert [row["answers-1"] for row in site.rows()] == ["We talked about the protocol. endpoint"]
        page.close()


def test_blank_record_prints_clean(browser: Browser, sample_site: Project) -> None:
    server, url = serve_directory(sample_site.site_dir)
    try:
        page = browser.new_page()
        page.goto(url + f"reviews/{REVIEW}/")
        page.click("text=Print a blank team discussion record")
        page.wait_for_url(re.compile(f"/records/{REVIEW}/$"))
        page.emulate_media(media="print")
        for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
            for element in page.locator(selector).all():
                expect(element).to_be_hidden()
        assert page.locator(".ll-record__box:visible").count() >= 10
        page.close()
    finally:
        server.shutdown()


def test_form_is_usable_by_keyboard_alone(browser: Browser, service_site: FeedbackSite) -> None:
    page = browser.new_page()
    page.goto(service_site.site_url + f"reviews/{REVIEW}/")
    page.focus("#fb-briefing-title")
    reached = []
    for _ in range(200):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name || document.activeElement.textContent.trim()")
        reached.append(name)
        if name == "Send to the board":
            break
    controls = page.eval_on_selector_all(
        "#ll-feedback [name]:not([type=hidden]):not([name=website])", "els => [...new Set(els.map(e => e.name))]"
    )
    assert [name for name in dict.fromkeys(reached) if name in controls] == controls
    assert "website" not in reached  # the honeypot is out of the tab order
    # Choose a radio with the arrow keys, tick the consent with Space, send with Enter.
    page.focus('input[name="used-as"][value="Team meeting"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert page.locator('input[name="used-as"]:checked').get_attribute("value") == "Supervision"
    page.focus("#fb-contact-consent")
    page.keyboard.press("Space")
    expect(page.locator("#fb-contact-consent")).to_be_checked()
    page.focus("#fb-agency")
    page.keyboard.type("Health visiting")
    page.keyboard.press("Enter")
    expect(page.locator("#ll-feedback-alert")).to_be_focused()
    expect(page.locator("#fb-session-date-error")).to_have_text("This is required.")
    assert service_site.rows() == []
    page.close()

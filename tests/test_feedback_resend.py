"""A feedback form sent twice is stored once, and a refused one takes the team back to its answers:
in real headless Chromium, without JavaScript (the service knows the form by its answers) and
with it (each showing of the form gets its own submission id)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import free_port, serve_directory
from conftest import MINIMAL_REVIEW, change_settings, make_project, write_review
from playwright.sync_api import Browser, Page, expect
from test_feedback_service import running

from generator.build import build
from generator.feedback.app import create_app
from generator.feedback.store import Store

pytestmark = pytest.mark.browser

BRIEFING = "test-2024-child-a"


class Site:
    """A one-briefing site whose form posts to the feedback service, built without ``site_url``
    (so the service cannot learn the briefing's address from the settings) and served."""

    def __init__(self, root: Path) -> None:
        self.service_port = free_port()
        self.service_url = f"http://127.0.0.1:{self.service_port}/feedback"
        self.project = make_project(root, pdfs=False)
        write_review(self.project, f"{BRIEFING}.md", MINIMAL_REVIEW)
        change_settings(self.project, {"feedback": {"delivery": "service", "endpoint": self.service_url}})
        build(self.project)
        self.server, self.url = serve_directory(self.project.site_dir)
        self.briefing_url = f"{self.url}reviews/{BRIEFING}/"

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    built = Site(tmp_path_factory.mktemp("resend"))
    yield built
    built.server.shutdown()


@pytest.fixture
def service(site: Site, tmp_path: Path) -> Iterator[Path]:
    """The feedback service for the site, on a new database (its path), at most 2 posts a minute."""
    db = tmp_path / "feedback.sqlite3"
    app = create_app(site.project, db, [site.origin], rate_limit_per_minute=2)
    with running(app, port=site.service_port):
        yield db


def rows(db: Path) -> list:
    with Store(db) as store:
        return store.all()


def fill_in(page: Page) -> None:
    page.fill("#fb-session-date", "2026-11-20")
    page.check('input[name="used-as"][value="Team meeting"]')
    page.fill("#fb-agency", "Health visiting")
    page.fill("#fb-people", "5")
    page.fill("#fb-answers-1", "We share by phone, then in writing.")
    page.check('input[name="usefulness"][value="5"]')


def send(page: Page, site: Site) -> None:
    page.click("#ll-feedback button[type=submit]")
    page.wait_for_url(site.service_url)


def test_a_form_sent_again_without_javascript_is_stored_once(browser: Browser, site: Site, service: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.briefing_url)
    fill_in(page)
    send(page, site)
    expect(page.locator("h1")).to_have_text("Feedback received")
    # The answer reached the team, but say it had not: Back (the answers are still there), Send again.
    page.go_back()
    expect(page.locator("#fb-agency")).to_have_value("Health visiting")
    send(page, site)
    expect(page.locator("body")).to_contain_text("already reached the board")
    [row] = rows(service)
    assert row.submission_id is None and row.answers["answers-1"] == "We share by phone, then in writing."
    # A third post in the minute is refused: the page says to go Back, and links to the briefing.
    page.go_back()
    send(page, site)
    expect(page.locator("h1")).to_have_text("Feedback not sent")
    expect(page.locator("body")).to_contain_text("too many forms were sent from your address")
    expect(page.locator("body")).to_contain_text("use your browser's Back button to return to the form")
    expect(page.locator("a", has_text="Back to the briefing")).to_have_attribute("href", site.briefing_url)
    page.go_back()
    expect(page.locator("#fb-answers-1")).to_have_value("We share by phone, then in writing.")
    page.goto(site.briefing_url)  # where the link leads: the briefing itself
    expect(page.locator("h1")).to_contain_text("Child A")
    assert len(rows(service)) == 1
    context.close()


def test_each_showing_of_the_form_gets_its_own_id(browser: Browser, site: Site, service: Path) -> None:
    page = browser.new_page()
    page.goto(site.briefing_url)
    first = page.input_value("input[name='submission-id']")
    assert re.fullmatch(r"[0-9a-f-]{36}", first)
    page.reload()
    second = page.input_value("input[name='submission-id']")
    assert re.fullmatch(r"[0-9a-f-]{36}", second) and second != first
    fill_in(page)
    page.click("#ll-feedback button[type=submit]")
    expect(page.locator("#ll-feedback-status")).to_have_text(re.compile("Thank you"))
    assert [row.submission_id for row in rows(service)] == [second]
    page.close()

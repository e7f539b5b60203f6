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
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browsing import free_port, serve_directory, wait_for
from conftest import make_project
from playwright.sync_api import Browser, Page, expect

from generator.build import Project, build

pytestmark = pytest.mark.browser

REVIEW = "wiltshire-child-k"


class FeedbackSite:
    """The sample site built with a delivery setting, served, with the feedback service running."""

    def __init__(self, root: Path, delivery: str) -> None:
        self.site_port, self.service_port = free_port(), free_port()
        self.site_url = f"http://127.0.0.1:{self.site_port}/"
        self.service_url = f"http://127.0.0.1:{self.service_port}/feedback"
        self.project = make_project(root, with_sample_reviews=True)
        path = self.project.content_dir / "settings.yml"
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
        settings["feedback"]["delivery"] = delivery
        settings["feedback"]["endpoint"] = self.service_url
        settings["site_url"] = self.site_url
        path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
        build(self.project)
        self.db = root / "feedback.sqlite3"
        self.server, _ = serve_directory(self.project.site_dir, self.site_port)
        self.service: subprocess.Popen | None = None

    def start_service(self) -> None:
        command = [
            sys.executable, "-m", "generator", "feedback", "serve", "--project", str(self.project.root),
            "--db", str(self.db), "--port", str(self.service_port), "--allow-origin", self.site_url.rstrip("/"),
        ]  # fmt: skip
        self.service = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wait_for(f"http://127.0.0.1:{self.service_port}/health", self.service)

    def rows(self) -> list[dict]:
        if not self.db.exists():
            return []
        with sqlite3.connect(self.db) as connection:
            return [
                {"briefing": briefing, **json.loads(answers)}
                for briefing, answers in connection.execute("select briefing, answers from submissions order by id")
            ]

    def close(self) -> None:
        if self.service is not None:
            self.service.terminate()
            self.service.communicate(timeout=10)
        self.server.shutdown()


@pytest.fixture
def service_site(tmp_path: Path) -> Iterator[FeedbackSite]:
    site = FeedbackSite(tmp_path, "service")
    site.start_service()
    yield site
    site.close()


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


def test_failed_sending_is_plain_and_keeps_the_answers(browser: Browser, tmp_path: Path) -> None:
    site = FeedbackSite(tmp_path, "service")  # the service is never started
    try:
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
    finally:
        site.close()


def test_email_delivery_offers_an_email_with_the_answers(browser: Browser, tmp_path: Path) -> None:
    site = FeedbackSite(tmp_path, "email")
    try:
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
    finally:
        site.close()


def test_endpoint_delivery_posts_the_form_normally(browser: Browser, tmp_path: Path) -> None:
    site = FeedbackSite(tmp_path, "endpoint")
    site.start_service()  # any service that accepts a normal POST; here the project's own
    try:
        page = browser.new_page()
        page.goto(site.site_url + f"reviews/{REVIEW}/")
        fill_in(page, "endpoint")
        page.click("#ll-feedback button[type=submit]")
        page.wait_for_url(site.service_url)
        expect(page.locator("body")).to_contain_text("Thank you")
        assert [row["answers-1"] for row in site.rows()] == ["We talked about the protocol. endpoint"]
        page.close()
    finally:
        site.close()


def test_blank_record_prints_clean(browser: Browser, tmp_path: Path) -> None:
    project: Project = make_project(tmp_path, with_sample_reviews=True)
    build(project)
    port = free_port()
    server, _ = serve_directory(project.site_dir, port)
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/reviews/{REVIEW}/")
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

"""``briefings collect``: a national library built from three boards' published learning (and one
broken source), each briefing keeping its boards, a link back to each board's page and its
licence; re-collecting over HTTP fetches only what changed."""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from browsing import serve_directory
from click.testing import CliRunner
from conftest import make_project
from playwright.sync_api import Page, expect

from generator.build import Project
from generator.cli import main
from generator.collecting.run import collect

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
BOARD_A = ["worcestershire-2023-joseph", "cornwall-2021-margaret", "kent-2019-child-j", "warwickshire-2017-child-j"]
"""The sample reviews the first board publishes; the second publishes the rest, and the third
(Safer Cornwall Partnership Board) the Cornwall review again, its joint review with the first."""

COLLECTION = """\
sources:
  - key: board-a
    location: boards/a
    region: North West
    site_url: https://a.example/learning/
  - key: board-b
    location: boards/b
    region: South West
  - key: safer-cornwall
    location: boards/c
    region: South West
    site_url: https://c.example/
  - key: broken
    location: boards/broken
"""


def board_data(sample: dict, review_ids: list[str], publisher: str) -> dict:
    """The part of the sample's learning.json about ``review_ids``, as ``publisher`` publishes it."""
    data = copy.deepcopy(sample)
    data["publisher"] = publisher
    data["items"] = [item for item in data["items"] if item["review_id"] in review_ids]
    data["reviews"] = [review for review in data["reviews"] if review["id"] in review_ids]
    return data


def collection_project(root: Path, sample: dict) -> Project:
    project = make_project(root, pdfs=False)
    with (project.content_dir / "settings.yml").open("a", encoding="utf-8") as settings:
        settings.write("make_word: false\n")
    others = [review["id"] for review in sample["reviews"] if review["id"] not in BOARD_A]
    cornwall = board_data(sample, ["cornwall-2021-margaret"], "Safer Cornwall Partnership Board")
    for item in cornwall["items"]:  # this board says information sharing in its own words
        item["theme_keys"] = ["info-sharing" if key == "information-sharing" else key for key in item["theme_keys"]]
    cornwall["items"][0]["theme_keys"].append("made-up")
    cornwall["items"][0]["themes"].append("Something unmapped")
    board_b = board_data(sample, others, "Board B")
    board_b["items"][0]["text"] += " See [our protocol](../guide/protocol.md)."  # a page of the board's own site
    boards = {"a": board_data(sample, BOARD_A, "Board A"), "b": board_b, "c": cornwall}
    for name, data in boards.items():
        (root / "boards" / name).mkdir(parents=True)
        (root / "boards" / name / "learning.json").write_text(json.dumps(data), encoding="utf-8")
    (root / "boards" / "broken").mkdir()
    (root / "boards" / "broken" / "learning.json").write_text('{"version": 1}', encoding="utf-8")
    (project.content_dir / "collection.yml").write_text(COLLECTION, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def sample_data(sample_site: Project) -> dict:
    return json.loads((sample_site.docs_dir / "data" / "learning.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory, sample_data: dict) -> tuple[Project, str]:
    """The collection of three boards and a broken source, collected and built once."""
    project = collection_project(tmp_path_factory.mktemp("collection"), sample_data)
    result = CliRunner().invoke(main, ["collect", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    return project, result.output


def board_b_first(project: Project) -> str:
    data = json.loads((project.root / "boards" / "b" / "learning.json").read_text(encoding="utf-8"))
    return data["items"][0]["review_id"]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_learning_json_lists_each_review_with_its_summary(sample_data: dict) -> None:
    reviews = {review["id"]: review for review in sample_data["reviews"]}
    assert len(reviews) == 8 == len({item["review_id"] for item in sample_data["items"]})
    kent = reviews["kent-2019-child-j"]
    assert kent["url"] == "reviews/kent-2019-child-j/"
    assert kent["case_summary"] and kent["summary"] and kent["pseudonyms"] == ["Child J"]


def test_collect_builds_the_boards_and_reports_the_broken_source_and_unmapped_keys(
    collected: tuple[Project, str],
) -> None:
    project, output = collected
    assert "broken: boards/broken: not valid learning data: $schema: Field required" in output
    assert "nothing collected from it yet" in output
    assert "safer-cornwall: theme 'made-up' (Something unmapped) matches nothing in the collection's themes" in output
    assert "Built 8 briefing(s)" in output
    reviews = sorted(path.name for path in (project.content_dir / "reviews").glob("*.md"))
    assert len(reviews) == 8  # the Cornwall review, published by two boards, is there once
    cornwall = front_matter(project.content_dir / "reviews" / "cornwall-2021-margaret.md")
    assert cornwall["board"] == [
        "Safeguarding Adults Board for Cornwall and The Isles of Scilly",
        "Safer Cornwall Partnership Board",
    ]
    assert [(place["publisher"], place["url"]) for place in cornwall["collected_from"]] == [
        ("Board A", "https://a.example/learning/reviews/cornwall-2021-margaret/"),
        ("Safer Cornwall Partnership Board", "https://c.example/reviews/cornwall-2021-margaret/"),
    ]
    kent = front_matter(project.content_dir / "reviews" / "kent-2019-child-j.md")
    assert kent["collected_from"] == [
        {
            "publisher": "Board A",
            "source": "board-a",
            "region": "North West",
            "url": "https://a.example/learning/reviews/kent-2019-child-j/",
            "licence": "Open Government Licence v3.0",
            "licence_url": OGL,
        }
    ]
    first_of_b = (project.content_dir / "reviews" / f"{board_b_first(project)}.md").read_text(encoding="utf-8")
    assert "See our protocol." in first_of_b and "protocol.md" not in first_of_b
    # Board B gives relative addresses and no site address: its provenance has no link.
    assert "url" not in front_matter(project.content_dir / "reviews" / "wiltshire-child-k.md")["collected_from"][0]


def test_every_collected_point_shows_its_boards_link_and_licence(page: Page, collected: tuple[Project, str]) -> None:
    project, _ = collected
    server, url = serve_directory(project.site_dir)
    try:
        page.goto(url + "reviews/cornwall-2021-margaret/")
        facts = page.locator(".ll-key-facts")
        expect(facts.get_by_role("link", name="Board A's briefing")).to_have_attribute(
            "href", "https://a.example/learning/reviews/cornwall-2021-margaret/"
        )
        expect(facts.get_by_role("link", name="Safer Cornwall Partnership Board's briefing")).to_be_visible()
        expect(facts.get_by_role("link", name="Open Government Licence v3.0").first).to_have_attribute("href", OGL)
        # Every point on a theme page sits under its review's line naming the board's page and licence.
        page.goto(url + "themes/domestic-abuse/")
        expect(page.get_by_text("review(s) from")).to_contain_text("share this theme")
        headings = page.locator("article h2:has(+ p)")
        points = page.locator(".ll-point")
        assert points.count() > 0
        for index in range(points.count()):
            heading = points.nth(index).locator("xpath=preceding-sibling::h2[1]")
            line = heading.locator("xpath=following-sibling::p[1]")
            expect(line.get_by_role("link", name="Open Government Licence v3.0").first).to_be_visible()
        assert headings.count() >= 1
        # The browse page narrows by region.
        page.goto(url + "browse/?region=north-west")
        expect(page.locator("#ll-browse-status")).to_have_text("Showing 4 of 8 briefings")
    finally:
        server.shutdown()


class CountingSource(BaseHTTPRequestHandler):
    """Serves one learning.json with an ETag, answering 304 to a request that has it."""

    body = b""
    requests: list[int] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        etag = f'"{hash(self.body)}"'
        if self.headers.get("If-None-Match") == etag:
            self.requests.append(304)
            self.send_response(304)
            self.end_headers()
            return
        self.requests.append(200)
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_recollecting_fetches_only_what_changed_and_keeps_the_last_good_copy(tmp_path: Path, sample_data: dict) -> None:
    project = make_project(tmp_path, pdfs=False)
    CountingSource.body = json.dumps(board_data(sample_data, ["kent-2019-child-j"], "Kent")).encode()
    CountingSource.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingSource)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/data/learning.json"
    (project.content_dir / "collection.yml").write_text(
        f"sources:\n  - key: kent\n    location: {address}\n", encoding="utf-8"
    )
    try:
        assert [item.outcome for item in collect(project.root).fetched] == ["new"]
        again = collect(project.root)
        assert [item.outcome for item in again.fetched] == ["unchanged"]
        assert CountingSource.requests == [200, 304] and again.written == []
        CountingSource.body = json.dumps(board_data(sample_data, BOARD_A, "Kent")).encode()
        changed = collect(project.root)
        assert [item.outcome for item in changed.fetched] == ["changed"] and len(changed.written) == 3
        CountingSource.body = b"{not json"
        broken = collect(project.root)
    finally:
        server.shutdown()
        server.server_close()
    assert broken.fetched[0].outcome == "kept"
    assert broken.fetched[0].problem.startswith(f"{address}: not valid learning data")
    assert broken.written == [] and broken.removed == []  # the last good copy still gives every review
    gone = collect(project.root)  # the server is no longer there
    assert gone.fetched[0].outcome == "kept" and "could not be reached" in gone.fetched[0].problem
    assert len(list((project.content_dir / "reviews").glob("*.md"))) == 4


def test_a_mistake_in_the_collection_file_is_reported_at_its_line(project: Project) -> None:
    (project.content_dir / "collection.yml").write_text(
        "sources:\n  - key: kent\n    locaton: boards/kent\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["collect", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "content/collection.yml:3: sources[1].locaton: " in result.output
    assert "Traceback" not in result.output


def test_a_clash_writes_nothing_and_an_unusable_kept_copy_fails_that_source(tmp_path: Path, sample_data: dict) -> None:
    project = make_project(tmp_path, pdfs=False)
    folder = tmp_path / "boards" / "kent"
    folder.mkdir(parents=True)
    data = board_data(sample_data, ["kent-2019-child-j", "warwickshire-2017-child-j"], "Kent")
    (folder / "learning.json").write_text(json.dumps(data), encoding="utf-8")
    (project.content_dir / "collection.yml").write_text("sources:\n  - key: kent\n    location: boards/kent\n")
    assert [item.outcome for item in collect(project.root).fetched] == ["new"]
    # A board's own review with a collected review's id: reported, and no review file changes,
    # though the other collected file is due to change.
    reviews = project.content_dir / "reviews"
    own, other = sorted(path.name for path in reviews.glob("*.md"))
    (reviews / own).write_text(MINIMAL_OWN, encoding="utf-8")
    (reviews / other).write_text((reviews / other).read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    before = {path.name: path.read_text(encoding="utf-8") for path in reviews.glob("*.md")}
    result = CliRunner().invoke(main, ["collect", "--project", str(project.root), "--no-build"])
    assert result.exit_code == 1 and f"content/reviews/{own}:1: " in result.output
    assert {path.name: path.read_text(encoding="utf-8") for path in reviews.glob("*.md")} == before
    # The kept copy no longer validates (say, after an upgrade) and the source is unchanged:
    # that source fails in one line; no traceback.
    (reviews / own).unlink()
    (project.root / "collected" / "kent" / "learning.json").write_text('{"version": 1}', encoding="utf-8")
    [fetched] = collect(project.root).fetched
    assert fetched.outcome == "failed" and fetched.data is None
    assert fetched.problem is not None and "not valid learning data" in fetched.problem


MINIMAL_OWN = "---\nid: own\n---\nA board's own review.\n"

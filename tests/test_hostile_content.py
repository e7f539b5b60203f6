"""Malformed and hostile content: a clear error or inert output, never a crash, hang or script."""

from __future__ import annotations

import html
import json
import os
import re
import time

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, make_project, write_review
from playwright.sync_api import expect
from published_index import published_records

from generator.build import Project, check
from generator.cli import main

ATTACK = "<script>alert(1)</script><img src=x onerror=alert(2)>"

MALFORMED = {
    "binary junk": (os.urandom(3000).replace(b"\n", b"\x00"), "file is not UTF-8 text"),
    "empty file": (b"", "a review file must start with a '---' line"),
    "front matter only": (b"---\nid: x\n---\n", "missing required field"),
    "unterminated front matter": (b"---\nid: x\ntitle: y\n", "the front matter is not closed"),
    "tabs in YAML": (
        MINIMAL_REVIEW.replace("  - heading:", "\t- heading:").encode(),
        "this line is indented with a tab; indent with spaces, not tabs",
    ),
    "10 MB file": (MINIMAL_REVIEW.replace("The case summary.", "word " * 2_000_000).encode(), "file is too large"),
    "deeply nested YAML": (
        ("---\nid: " + "[" * 10000 + "]" * 10000 + "\n---\nx\n").encode(),
        "this line is not valid YAML",
    ),
    "alias bomb": (
        (
            b"---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
            b"themes: *f\n---\nx\n"
        ),
        "YAML anchors and aliases (& and *) are not allowed",
    ),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_gives_a_clear_error_quickly(project: Project, name: str) -> None:
    data, message = MALFORMED[name]
    (project.content_dir / "reviews" / "a.md").write_bytes(data)
    start = time.monotonic()
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert time.monotonic() - start < 10
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("content/reviews/a.md:")
    assert message in result.stderr


def hostile_review() -> str:
    text = MINIMAL_REVIEW
    for field in ("title", "board", "summary", "narrative", "board_response"):
        text = re.sub(
            rf"^(\s*{field}: )(.*)$",
            lambda m: f'{m.group(1)}"{m.group(2).strip(chr(34))} {ATTACK}"',
            text,
            count=1,
            flags=re.M,
        )
    return (
        text.replace("pseudonyms: [Child A]", f'pseudonyms: ["Child A {ATTACK}"]')
        .replace("      - point: Share what you know.", f'      - point: "Share what you know. {ATTACK}"')
        .replace("          - How do you share?", f'          - "How do you share? {ATTACK}"')
        .replace("good_practice: []", f'good_practice: ["Good {ATTACK}"]')
        .replace(
            "recommendations: []", f'recommendations:\n  - recommendation: "Do it {ATTACK}"\n    addressed_to: [police]'
        )
        .replace("board_questions: []", f'board_questions: ["Asked {ATTACK}"]')
        .replace("further_reading: []", f'further_reading:\n  - title: "Read {ATTACK}"')
        .replace("  title: Full report", f'  title: "Full report {ATTACK}"')
        .replace("The case summary.", f"The case summary. {ATTACK}")
    )


ESCAPED = html.escape(ATTACK, quote=False)
"""The attack as it must appear in a page: as text."""
RAW = ("<script>alert", "<img src=x", "onerror=")
"""Pieces of the attack that would run if they reached a page unescaped."""
SHOWN_ON_BRIEFING = {
    "title": "Child A: a test review ",
    "board": "Test Safeguarding Children Partnership ",
    "pseudonyms": "<strong>Pseudonym:</strong> Child A ",
    "case summary": "The case summary. ",
    "narrative": "What happened. ",
    "learning point": "Share what you know. ",
    "question": "How do you share? ",
    "good practice": "Good ",
    "recommendation": "Do it ",
    "board question": "Asked ",
    "further reading": "Read ",
    "report title": "Full report ",
}
"""Each text field shown on the briefing, by the text the hostile review puts before the attack."""


JSON_ESCAPED = ATTACK.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
"""The attack as it must appear in JSON data (learning.json, a page's linked data): the same text
to a JSON reader, and no tag to a browser."""


def unescaped(text: str) -> list[str]:
    """The pieces of the attack left in ``text`` once every correctly escaped copy is taken out:
    an unescaped copy is found even beside an escaped one."""
    rest = text.replace(ESCAPED, "").replace(JSON_ESCAPED, "")
    return [piece for piece in RAW if piece in rest]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project whose one review has the attack in every text field, built (without PDFs)."""
    project = make_project(tmp_path_factory.mktemp("hostile"), pdfs=False)
    write_review(project, "a.md", hostile_review())
    assert len(check(project).reviews) == 1
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    return project


def test_markup_in_every_text_field_is_shown_as_text(hostile_site: Project) -> None:
    site = hostile_site.site_dir
    built = sorted(
        path
        for path in site.rglob("*")
        if path.suffix in (".html", ".json", ".xml") and path.relative_to(site).parts[0] != "assets"
    )
    assert len(built) > 15  # every page of a one-review site, its search index and sitemap
    leaks = {path.relative_to(site).as_posix(): unescaped(path.read_text(encoding="utf-8")) for path in built}
    assert {path: pieces for path, pieces in leaks.items() if pieces} == {}
    briefing = (site / "reviews" / "test-2024-child-a" / "index.html").read_text(encoding="utf-8")
    assert briefing.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 10
    assert [field for field, before in SHOWN_ON_BRIEFING.items() if before + ESCAPED not in briefing] == []
    listing = (site / "reviews" / "index.html").read_text(encoding="utf-8")
    assert "A short summary. " + ESCAPED in listing
    # The search index holds the text searched, as the page shows it: the attack is there as
    # text (so a search for it finds it). The search worker escapes titles and excerpts when
    # they become results (the next test runs that in Chromium).
    records = published_records(site)
    [point] = [record for record in records if record["location"] == "reviews/test-2024-child-a/#lp-1-1"]
    assert "Share what you know. " + ATTACK in point["title"]
    assert sum(ATTACK in record["title"] + record["text"] for record in records) >= 10
    # The open data keeps the author's text exactly (a reader escapes it for its own page).
    data = json.loads((site / "data" / "learning.json").read_text(encoding="utf-8"))
    assert data["items"][0]["text"] == f"Share what you know. {ATTACK}"
    assert JSON_ESCAPED in (site / "data" / "learning.json").read_text(encoding="utf-8")


@pytest.mark.browser
def test_markup_never_runs_in_the_browser_even_in_search_results(hostile_site: Project, page) -> None:
    from browsing import search, serve_directory

    server, url = serve_directory(hostile_site.site_dir)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in (
            "",
            "reviews/",
            "reviews/test-2024-child-a/",
            "browse/",
            "agencies/police/",
            "themes/information-sharing/",
        ):
            page.goto(url + path)
        # search() returns once every result is on the page.
        assert search(page, "alert script share") > 0
        results = page.locator(".md-search-result__item")
        expect(results.first).to_contain_text("<script>alert(1)</script>")
        assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    finally:
        server.shutdown()
    assert dialogs == []

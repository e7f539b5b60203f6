"""Malformed and hostile content: a clear error or inert output, never a crash, hang or script."""

from __future__ import annotations

import os
import re
import time

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, write_review

from generator.build import Project, check
from generator.cli import main

ATTACK = "<script>alert(1)</script><img src=x onerror=alert(2)>"

MALFORMED = {
    "binary junk": (os.urandom(3000).replace(b"\n", b"\x00"), "file is not UTF-8 text"),
    "empty file": (b"", "a review file must start with a '---' line"),
    "front matter only": (b"---\nid: x\n---\n", "missing required field"),
    "unterminated front matter": (b"---\nid: x\ntitle: y\n", "the front matter is not closed"),
    "tabs in YAML": (MINIMAL_REVIEW.replace("  - heading:", "\t- heading:").encode(), "YAML syntax error"),
    "10 MB file": (MINIMAL_REVIEW.replace("The case summary.", "word " * 2_000_000).encode(), "file is too large"),
    "deeply nested YAML": (("---\nid: " + "[" * 10000 + "]" * 10000 + "\n---\nx\n").encode(), "YAML syntax error"),
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


def test_markup_in_every_text_field_is_shown_as_text(project: Project) -> None:
    write_review(project, "a.md", hostile_review())
    settings = project.content_dir / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nmake_pdfs: false\n", encoding="utf-8")
    assert len(check(project).reviews) == 1
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    for page in project.site_dir.rglob("*.html"):
        markup = page.read_text(encoding="utf-8")
        assert "<script>alert" not in markup, page
        assert "<img src=x" not in markup, page
        assert "onerror=alert" not in markup or "&lt;img src=x onerror=alert(2)&gt;" in markup, page
    briefing = (project.site_dir / "reviews" / "test-2024-child-a" / "index.html").read_text(encoding="utf-8")
    assert briefing.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 10


@pytest.mark.browser
def test_markup_never_runs_in_the_browser_even_in_search_results(project: Project, page) -> None:
    from browsing import search, serve_directory

    write_review(project, "a.md", hostile_review())
    settings = project.content_dir / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nmake_pdfs: false\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    server, url = serve_directory(project.site_dir)
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
        search(page, "alert script share")
        page.wait_for_timeout(500)
        assert page.locator(".md-search-result__item").count() > 0
        assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    finally:
        server.shutdown()
    assert dialogs == []

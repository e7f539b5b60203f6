"""Everything wrong in content/ is found by ``check``: the site stage never fails on content.

Links and anchors are checked against the page plan, and reworded strings' placeholders against
the defaults; what ``check`` passes, MkDocs (strict) builds."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, write_review

from generator.build import Project, build, check
from generator.cli import main
from generator.errors import ContentErrors
from generator.pipeline.links import briefing_anchors

OTHER = MINIMAL_REVIEW.replace("id: test-2024-child-a", "id: test-2024-child-b")


def without_pdfs(project: Project) -> Project:
    settings = project.content_dir / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nmake_pdfs: false\n", encoding="utf-8")
    return project


def with_narrative(text: str) -> str:
    return MINIMAL_REVIEW.replace("narrative: What happened.", f"narrative: {text}")


def errors_of(project: Project) -> list[str]:
    with pytest.raises(ContentErrors) as failure:
        check(project)
    return [str(error) for error in failure.value.errors]


def test_a_relative_link_to_no_page_is_a_content_error_and_the_build_changes_nothing(project: Project) -> None:
    without_pdfs(project)
    write_review(project, "a.md", MINIMAL_REVIEW)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    before = sorted(path.read_bytes() for path in project.site_dir.rglob("*") if path.is_file())
    write_review(project, "a.md", with_narrative("See [the protocol](protocol.md)."))
    result = runner.invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "content/reviews/a.md:15: sections[1].narrative: link 'protocol.md' does not lead to a page of this site"
    )
    assert "site build failed" not in result.stderr
    assert sorted(path.read_bytes() for path in project.site_dir.rglob("*") if path.is_file()) == before


def test_links_check_passes_are_links_mkdocs_builds(project: Project) -> None:
    """Links to other briefings, their learning points and recommendations, to this briefing's
    own parts, to theme pages and to the web all pass ``check`` and the strict site build."""
    without_pdfs(project)
    write_review(project, "b.md", OTHER)
    write_review(
        project,
        "a.md",
        with_narrative(
            "'See [B](../reviews/test-2024-child-b.md), [its point](../reviews/test-2024-child-b.md#lp-1-1), "
            "[its recommendations](../reviews/test-2024-child-b.md#recommendations), [a part](#case-summary), "
            "[this point](#lp-1-1), [a theme](../themes/information-sharing.md), "
            "[the web](https://example.org/x.md) and [mail](mailto:board@example.org).'"
        ),
    )
    build(project)
    assert (project.site_dir / "reviews" / "test-2024-child-a" / "index.html").is_file()


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("../reviews/test-2024-child-z.md", "does not lead to a page of this site"),
        ("../reviews/test-2024-child-b.md#lp-9-9", "leads to a part of a briefing that does not exist (#lp-9-9"),
        ("#no-such-part", "leads to a part of a briefing that does not exist (#no-such-part"),
        ("../themes/information-sharing.md#x", "leads to a part of a page other than a briefing"),
        ("/reviews/test-2024-child-b.md", "starts with '/'"),
    ],
)
def test_broken_links_and_anchors_are_reported_at_their_line(project: Project, link: str, message: str) -> None:
    write_review(project, "b.md", OTHER)
    write_review(project, "a.md", with_narrative(f"'[x]({link})'"))
    [error] = errors_of(project)
    assert error.startswith(f"content/reviews/a.md:15: sections[1].narrative: link '{link}' {message}")


def test_a_link_in_a_learning_point_must_work_on_every_page_that_shows_the_point(project: Project) -> None:
    """A point is shown on its briefing, session plan, 7-minute briefing and theme page too: a
    link to another briefing works on all of them, a link to a part of this page does not."""
    write_review(project, "b.md", OTHER)
    good = "[B](../reviews/test-2024-child-b.md#lp-1-1)"
    write_review(
        project, "a.md", MINIMAL_REVIEW.replace("Share what you know.", f"'Share what you know, as in {good}.'")
    )
    check(project)
    write_review(project, "a.md", MINIMAL_REVIEW.replace("Share what you know.", "'Share it, as [here](#lp-1-1).'"))
    assert errors_of(project) == [
        "content/reviews/a.md:17: sections[1].learning_points[1].point: link '#lp-1-1' leads to a part of this "
        "page, but this text is also shown on sessions/test-2024-child-a.md, which has no such part; link to the "
        "briefing's part as ../reviews/test-2024-child-a.md#lp-1-1"
    ]


def test_a_link_in_the_settings_is_checked_from_every_page_that_shows_it(project: Project) -> None:
    settings = project.content_dir / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^intro: .*$", "intro: Read [the guide](guide/author.md).", text, count=1))
    write_review(project, "a.md", MINIMAL_REVIEW)
    [error] = errors_of(project)
    assert re.fullmatch(
        r"content/settings\.yml:\d+: intro: link 'guide/author\.md' does not lead to a page of this site "
        r"\(from index\.md it leads to guide/author\.md\).*",
        error,
    )


def test_a_link_to_a_review_with_errors_of_its_own_is_not_reported_twice(project: Project) -> None:
    write_review(project, "b.md", OTHER.replace("summary: A short summary.\n", ""))
    write_review(project, "a.md", with_narrative("'[B](../reviews/test-2024-child-b.md)'"))
    assert errors_of(project) == [
        "content/reviews/b.md:12: summary: missing required field; add it after themes (line 11)"
    ]


def test_the_checked_anchors_are_the_ids_the_built_briefing_has(sample_site: Project) -> None:
    """The check's list of a briefing's parts is held to the page MkDocs really builds."""
    content = check(sample_site)
    for entry in content.reviews:
        html = (sample_site.site_dir / "reviews" / entry.review.id / "index.html").read_text(encoding="utf-8")
        article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
        built = set(re.findall(r'<h[1-3][^>]* id="([^"]+)"', article))
        assert briefing_anchors(content, entry) == built, entry.review.id


@pytest.mark.parametrize(
    ("rewording", "message"),
    [
        (
            "Session plan: {nme}",
            "session_plan_title: unknown placeholder {nme}; this text can use {title}",
        ),
        ("Session plan: {titel}", "session_plan_title: unknown placeholder {titel} (did you mean {title}?)"),
        ("Session plan: {title", "session_plan_title: a '{' or '}' is not part of a placeholder"),
        ("Session plan: {0}", "session_plan_title: unknown placeholder {0}"),
    ],
)
def test_a_reworded_string_may_use_only_its_defaults_placeholders(
    project: Project, rewording: str, message: str
) -> None:
    (project.content_dir / "strings.yml").write_text(f'session_plan_title: "{rewording}"\n', encoding="utf-8")
    [error] = errors_of(project)
    assert error.startswith(f"content/strings.yml:1: {message}")


def test_a_rewording_with_fewer_placeholders_or_literal_braces_builds(project: Project) -> None:
    without_pdfs(project)
    (project.content_dir / "strings.yml").write_text(
        'session_plan_title: "Plan {{draft}} for {title}"\nnot_dated: "Undated {braces}"\n', encoding="utf-8"
    )
    write_review(project, "a.md", MINIMAL_REVIEW)
    build(project)
    plan = (project.docs_dir / "sessions" / "test-2024-child-a.md").read_text(encoding="utf-8")
    assert "# Plan {draft} for Child A: a test review" in plan


def test_the_guides_example_error_is_what_check_reports(project: Project) -> None:
    """The authors' guide shows an error made without running the check; it must be the check's."""
    from generator.pipeline.render.guide import EXAMPLE_MISTAKE, example_error
    from generator.scaffold import EXAMPLE_ID, example_review_text

    right, wrong = EXAMPLE_MISTAKE
    text = example_review_text().replace(f"themes:\n  - {right}", f"themes:\n  - {wrong}", 1)
    (project.content_dir / "reviews" / f"{EXAMPLE_ID}.md").write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as failure:
        check(project)
    assert failure.value.errors == [example_error(check_without_reviews(project))]


def check_without_reviews(project: Project):
    for review in (project.content_dir / "reviews").glob("*.md"):
        review.unlink()
    return check(project)


def test_a_link_to_a_draft_is_broken_since_its_pages_will_not_exist(project: Project) -> None:
    write_review(project, "b.md", OTHER.replace("status: published", "status: draft"))
    write_review(project, "a.md", with_narrative("'[B](../reviews/test-2024-child-b.md)'"))
    [error] = errors_of(project)
    assert error.startswith(
        "content/reviews/a.md:15: sections[1].narrative: link '../reviews/test-2024-child-b.md' does not lead to a page"
    )

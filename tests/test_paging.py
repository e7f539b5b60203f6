"""Theme and agency pages split into pages of ``POINTS_PER_PAGE`` learning points, each linking
to the others, every point on exactly one of them, and every page known to the link check."""

from __future__ import annotations

import re

import pytest

from generator.build import Project, check
from generator.model import addresses
from generator.model.content import point_themes
from generator.pipeline.render import render, sessions


@pytest.fixture(scope="module")
def small_pages(sample_site: Project) -> tuple[dict[str, str], set[str]]:
    """The sample's pages rendered with three points a page (no build: render only)."""
    content = check(sample_site)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(addresses, "POINTS_PER_PAGE", 3)
        return render(content), addresses.planned_pages(content)


def points_on(text: str) -> list[str]:
    return re.findall(
        r'<div class="admonition ll-point" data-search-exclude="true" markdown>\n'
        r'<p class="admonition-title" markdown="span">\[[^\]]*\]\(([^)]*)\)',
        text,
    )


@pytest.mark.parametrize("first", ["themes/domestic-abuse.md", "agencies/police.md"])
def test_every_point_is_on_one_page_and_each_page_links_to_the_others(
    small_pages: tuple[dict[str, str], set[str]], sample_site: Project, first: str
) -> None:
    pages, planned = small_pages
    stem = first.removesuffix(".md")
    mine = [first] + sorted(
        (path for path in pages if path.startswith(f"{stem}-page-")), key=lambda path: int(path.split("-")[-1][:-3])
    )
    assert len(mine) >= 2
    assert set(mine) <= planned  # the link check knows every page
    found = [link for page in mine for link in points_on(pages[page])]
    assert all(len(points_on(pages[page])) <= 3 for page in mine)
    # Rendered at the usual size, the first page alone has every point, in the same order.
    assert found == points_on(render(check(sample_site))[first])
    # Search finds the theme or agency once, on its first page: the further pages are left out.
    assert "search:\n  exclude: true" not in pages[first]
    assert all("search:\n  exclude: true" in pages[page] for page in mine[1:])
    for number, page in enumerate(mine, start=1):
        nav = re.search(r"<nav class=\"ll-pager\".*</nav>", pages[page]).group()
        assert f"Page {number} of {len(mine)}" in nav
        linked = [addresses.resolve(page, link) for link in re.findall(r"\]\(([^)]+)\)", nav)]
        assert set(linked) | {page} == set(mine)


def test_a_theme_session_plan_draws_on_the_newest_reviews_and_links_to_every_point(sample_site: Project) -> None:
    content = check(sample_site)
    plan = addresses.theme_session_plan("domestic-abuse")
    on_theme = [  # newest first, as the content lists them
        entry.review
        for entry in content.reviews
        if any(
            "domestic-abuse" in point_themes(entry.review, section, point)
            for section in entry.review.sections
            for point in section.learning_points
        )
    ]
    assert len(on_theme) >= 2  # by default a session plan draws on every review on the theme
    assert "from every review tagged with it" in render(content)[plan]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sessions, "THEME_SESSION_REVIEWS", 1)
        bounded = render(content)[plan]
    assert f"from the 1 newest of the {len(on_theme)} reviews tagged with it" in bounded
    assert "The [theme's page](../themes/domestic-abuse.md) has all" in bounded
    prompts = bounded.split("## Discussion prompts")[1]
    assert f"### {on_theme[0].title}" in prompts
    assert all(f"### {review.title}" not in prompts for review in on_theme[1:])

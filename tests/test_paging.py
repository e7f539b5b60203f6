"""Theme and agency pages split into pages of about ``POINTS_PER_PAGE`` learning points, each
linking to the others, every point on exactly one of them, and every page known to the link
check; where a page ends is decided by the points themselves, counted from the oldest, so that a
new review, newer or older than the rest, leaves the other pages as they were."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import Project, check
from generator.model import addresses
from generator.model.content import Content, ReviewEntry, point_themes
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
def test_every_point_is_on_one_page_and_the_pages_lead_from_one_to_the_next(
    small_pages: tuple[dict[str, str], set[str]], sample_site: Project, first: str
) -> None:
    pages, planned = small_pages
    stem = first.removesuffix(".md")
    further = sorted(
        (path for path in pages if path.startswith(f"{stem}-page-")), key=lambda path: int(path.split("-")[-1][:-3])
    )
    mine = [first, *reversed(further)]  # as readers go: the first page, then the newest further page
    assert len(mine) >= 2
    assert set(mine) <= planned  # the link check knows every page
    found = [link for page in mine for link in points_on(pages[page])]
    # With three points a page, each further page holds 1 to 6 points; the first at least 1.
    assert len(points_on(pages[first])) >= 1
    assert all(1 <= len(points_on(pages[page])) <= 6 for page in further)
    # Rendered at the usual size, the first page alone has every point, in the same order.
    assert found == points_on(render(check(sample_site))[first])
    # Search finds the theme or agency once, on its first page: the further pages are left out.
    assert "search:\n  exclude: true" not in pages[first]
    assert all("search:\n  exclude: true" in pages[page] for page in mine[1:])
    # The first page links to every further page, as readers go; a further page to the first
    # page and the pages either side of it, and to no other (a page more changes few pages).
    for place, page in enumerate(mine):
        nav = re.search(r"<nav class=\"ll-pager\".*</nav>", pages[page]).group()
        linked = [addresses.resolve(page, link) for link in re.findall(r"\]\(([^)]+)\)", nav)]
        if place == 0:
            assert linked == mine[1:]
            assert nav.count("](") == len(mine) - 1
        else:
            assert linked == [first, mine[place - 1], *mine[place + 1 : place + 2]], page


def test_a_further_page_says_when_its_reviews_were_published(
    small_pages: tuple[dict[str, str], set[str]],
) -> None:
    """Not its place among the pages, which a page more would change on every page."""
    pages, _ = small_pages
    nav = re.search(r"<nav class=\"ll-pager\".*</nav>", pages["themes/domestic-abuse-page-3.md"]).group()
    assert nav.startswith(
        '<nav class="ll-pager" aria-label="Pages of learning points" markdown="span">'
        "Points from reviews published: March 2010. [Newest points](domestic-abuse.md)"
    )
    assert "Page " not in nav
    spanning = pages["themes/multi-agency-working-page-3.md"]
    assert "Points from reviews published: March 2010 to May 2017." in spanning


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


def pages_named(names: list[str]) -> list[list[str]]:
    """The names on each page, as ``addresses.page_sizes`` splits them."""
    sizes, pages, start = addresses.page_sizes(names), [], 0
    for size in sizes:
        pages.append(names[start : start + size])
        start += size
    return pages


def test_pages_end_where_the_points_say_wherever_a_point_comes() -> None:
    """``page_sizes`` keeps every point, in order; further pages hold 25 to 100 points (the first
    page at least 25); and a point added newest, oldest or between changes the points of at most
    two further pages here (the one it lands on, and the next should that one have been full),
    never the rest."""
    names = [f"review-{n // 4}#lp-1-{n % 4}" for n in range(3000)]  # newest first
    pages = pages_named(names)
    assert [name for page in pages for name in page] == names
    assert len(pages) > 20 and len(pages[0]) >= 25 and all(25 <= len(page) <= 100 for page in pages[1:])
    for place in (0, 1, 700, 1500, 2999, 3000):
        after = pages_named([*names[:place], "new#lp-1-1", *names[place:]])
        changed = {tuple(page) for page in after[1:]} - {tuple(page) for page in pages[1:]}
        assert len(changed) <= 2, (place, len(changed))


def further_pages(pages: dict[str, str]) -> dict[str, list[str]]:
    """Each theme's and agency's further pages, by its first page."""
    found: dict[str, list[str]] = {}
    for path in pages:
        if re.search(r"^(themes|agencies)/.*-page-\d+\.md$", path):
            found.setdefault(re.sub(r"-page-\d+\.md$", ".md", path), []).append(path)
    return found


def pages_of(entry: ReviewEntry) -> set[str]:
    """The first pages of the themes and agencies ``entry``'s points are on."""
    return {
        address
        for section in entry.review.sections
        for point in section.learning_points
        for address in [
            *map(addresses.theme, point_themes(entry.review, section, point)),
            *map(addresses.agency, point.agencies),
        ]
    }


PUBLISHED = re.compile(r"^published: .*$", flags=re.MULTILINE)


def with_a_copy_added(
    sample_site: Project, tmp_path: Path, review_id: str, published: Callable[[Content], str]
) -> tuple[dict[str, str], dict[str, str], Content]:
    """The sample's pages (three points a page) before and after a copy of the review on the most
    themes and agencies with further pages is added as ``review_id``, with the ``published:``
    line ``published`` gives (from the content before); and the content after."""
    shutil.copytree(sample_site.content_dir, tmp_path / "content")
    project = Project(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(addresses, "POINTS_PER_PAGE", 3)
        content = check(project)
        before = dict(render(content))
        source = max(content.reviews, key=lambda entry: len(pages_of(entry) & further_pages(before).keys()))
        text = (tmp_path / source.source).read_text(encoding="utf-8")
        text = re.sub(r"^id: .*$", f"id: {review_id}", text, count=1, flags=re.MULTILINE)
        text = PUBLISHED.sub(published(content).replace("\\", r"\\"), text, count=1)
        (project.content_dir / "reviews" / f"{review_id}.md").write_text(text, encoding="utf-8")
        content = check(project)
        return before, dict(render(content)), content


def test_a_newer_review_changes_only_the_first_page_of_its_themes_and_agencies(
    sample_site: Project, tmp_path: Path
) -> None:
    """A review newer than every other adds its points to the first page of each of its themes
    and agencies and leaves every further page where it was, byte for byte; when the first
    page's points make a page more, only the further page before the new one changes (its link
    to the newer points)."""

    def as_the_newest(content: Content) -> str:  # the same day as the newest, and first by id
        newest = (sample_site.root / content.reviews[0].source).read_text(encoding="utf-8")
        return PUBLISHED.search(newest).group()

    before, after, content = with_a_copy_added(sample_site, tmp_path, "aaa-newest", as_the_newest)
    assert content.reviews[0].review.id == "aaa-newest"
    made_a_page_more = False
    paged_before, paged_after = further_pages(before), further_pages(after)
    for first, pages in paged_before.items():
        for page in pages:  # the same points, at the same address
            assert points_on(before[page]) == points_on(after[page]), page
        changed = [page for page in pages if before[page] != after[page]]
        if len(paged_after[first]) == len(pages):  # no page more: not a byte changed
            assert changed == [], first
        else:  # a page more: the newest further page before it now leads to it
            newest = max(pages, key=lambda path: int(path.split("-")[-1][:-3]))
            assert changed == [newest], (first, changed)
            made_a_page_more = True
    assert made_a_page_more, "some theme or agency gains a page"
    # Some first pages took new points and kept their further pages as they were.
    assert any(
        before[first] != after[first] and len(paged_after[first]) == len(pages) for first, pages in paged_before.items()
    )


def test_an_older_review_changes_only_the_page_its_points_land_on(sample_site: Project, tmp_path: Path) -> None:
    """A review older than every other (a national collection adds earlier reviews too) lands on
    the oldest further pages of its themes and agencies: every other further page keeps its
    points at its address, instead of every page moving along by its points."""
    before, after, content = with_a_copy_added(
        sample_site, tmp_path, "zzz-oldest", lambda content: 'published: "2001-01-01"'
    )
    dated = [entry.review.id for entry in content.reviews if entry.review.published.text != "not dated"]
    assert dated[-1] == "zzz-oldest"
    paged_before, paged_after = further_pages(before), further_pages(after)
    compared = 0
    for first, pages in paged_before.items():
        if len(paged_after[first]) != len(pages):
            continue  # a page more or fewer: every pager changes
        moved = [page for page in pages if points_on(before[page]) != points_on(after[page])]
        assert len(moved) <= 2, (first, moved)
        compared += len(pages) >= 4
    assert compared, "some theme or agency has four further pages or more"

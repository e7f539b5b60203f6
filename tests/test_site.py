"""End to end: the sample content built into a site, checked against the content itself."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from content_facts import normalise, points_on_theme, reviews, text_of
from published_index import published_records

from generator.build import Project, check

SAMPLE = reviews(REPO / "content")
CONTENT = check(Project(REPO))
"""The sample content, validated: for the names its vocabularies give."""


def boards_of(review: dict) -> list[str]:
    """A review's board or boards (a joint review lists several)."""
    return review["board"] if isinstance(review["board"], list) else [review["board"]]


def types_of(review: dict) -> list[str]:
    return review["review_type"] if isinstance(review["review_type"], list) else [review["review_type"]]


def question_text(question: str | dict) -> str:
    """A question's words, whether written as plain text or with who asked it."""
    return question if isinstance(question, str) else question["question"]


def headings(markup: str) -> list[str]:
    """The text of every h2, without the permalink sign."""
    return [text_of(h).removesuffix("¶").strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", markup, re.S)]


def page_text(project: Project, *parts: str) -> str:
    return text_of((project.site_dir.joinpath(*parts) / "index.html").read_text(encoding="utf-8"))


def search_docs(project: Project) -> list[dict]:
    """The published site's search records (the split index, as the browser gets it)."""
    return published_records(project.site_dir)


def test_the_sample_has_the_five_seed_reviews_and_every_new_kind() -> None:
    assert sorted(SAMPLE) == [
        "blackburn-with-darwen-2010-baby-z",
        "cornwall-2021-margaret",
        "kent-2019-child-j",
        "north-wales-cpr-flint-2",
        "warwickshire-2017-child-j",
        "warwickshire-2018-child-k",
        "wiltshire-child-k",
        "worcestershire-2023-joseph",
    ]


@pytest.mark.parametrize("review_id", sorted(SAMPLE))
def test_briefing_carries_every_point_question_and_recommendation(sample_site: Project, review_id: str) -> None:
    review = SAMPLE[review_id]
    text = page_text(sample_site, "reviews", review_id)
    assert normalise(review["title"]) in text
    assert all(board in text for board in boards_of(review))
    for section in review["sections"]:
        assert normalise(section["heading"]) in text
        for point in section["learning_points"]:
            assert normalise(point["point"]) in text
            for question in point["questions"]:
                assert normalise(question_text(question)) in text
    for item in review["recommendations"] or []:
        assert normalise(item["recommendation"]) in text
    for question in review["board_questions"] or []:
        assert normalise(question) in text


@pytest.mark.parametrize("review_id", sorted(SAMPLE))
def test_search_index_holds_each_review(sample_site: Project, review_id: str) -> None:
    review = SAMPLE[review_id]
    indexed = " ".join(
        text_of(doc["text"]) + " " + text_of(doc["title"])
        for doc in search_docs(sample_site)
        if doc["location"].startswith(f"reviews/{review_id}/")
    )
    assert normalise(review["title"]) in indexed
    for section in review["sections"]:
        for point in section["learning_points"]:
            assert normalise(point["point"]) in indexed


def test_real_text_from_each_seed_is_on_its_page(sample_site: Project) -> None:
    """A fact from each source document, as the source states it."""
    expected = {
        "wiltshire-child-k": [
            "Wiltshire Safeguarding Vulnerable People Partnership",
            "0300 456 0108",
            "Invisible fathers",
        ],
        "warwickshire-2017-child-j": ["Warwickshire Safeguarding Children Board", "May 2017", "7 months"],
        "blackburn-with-darwen-2010-baby-z": ["Blackburn with Darwen", "March 2010", "Baby Z"],
        "warwickshire-2018-child-k": ["Warwickshire Safeguarding Children Board", "12 weeks", "Child K"],
        "kent-2019-child-j": ["Kent Safeguarding Children Board", "11 April 2019", "5 weeks"],
    }
    for review_id, phrases in expected.items():
        text = page_text(sample_site, "reviews", review_id)
        for phrase in phrases:
            assert phrase in text, (review_id, phrase)


def test_briefing_has_the_same_structure_every_time(sample_site: Project) -> None:
    shared = [
        "How to use this briefing",
        "What is a {type}?",
        "Case summary",
        "Good practice",
        "Recommendations",
        "The board's response",
        "Questions for every briefing",
        "Further reading",
        "Tell us how you used this briefing",
    ]
    for review_id, review in SAMPLE.items():
        name = CONTENT.review_types[types_of(review)[0]].name
        expected = [heading.format(type=name) for heading in shared]
        markup = (sample_site.site_dir / "reviews" / review_id / "index.html").read_text(encoding="utf-8")
        found = headings(markup)
        positions = [found.index(heading) for heading in expected]
        assert positions == sorted(positions), review_id
        assert "mailto:learning@example.org?subject=" in markup


def test_wiltshire_briefing_keeps_the_notes_sections(sample_site: Project) -> None:
    markup = (sample_site.site_dir / "reviews" / "wiltshire-child-k" / "index.html").read_text(encoding="utf-8")
    found = headings(markup)
    sections = [
        "Bruising and injuries in under 1s",
        "Invisible fathers",
        "Multi-agency processes",
        "Recognising vulnerability",
    ]
    assert [heading for heading in found if heading in sections] == sections
    assert markup.count('class="admonition ll-point"') == 7
    assert markup.count('class="ll-question"') == 7


@pytest.mark.parametrize("theme", ["invisible-fathers", "strategy-discussions", "information-sharing", "housing"])
def test_theme_page_lists_exactly_the_points_tagged_in_content(sample_site: Project, theme: str) -> None:
    expected = points_on_theme(REPO / "content", theme)
    markup = (sample_site.site_dir / "themes" / theme / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="admonition ll-point">(.*?)</div>', markup, re.S)
    listed = []
    for block in blocks:
        [review_id] = re.findall(r'href="../../reviews/([a-z0-9-]+)/#lp-\d+-\d+"', block)
        listed.append((review_id, text_of(block)))
    assert len(listed) == len(expected)
    for review_id, point in expected:
        assert any(review_id == where and normalise(point) in text for where, text in listed), (review_id, point)


def test_every_theme_page_matches_content(sample_site: Project) -> None:
    for theme_page in (sample_site.site_dir / "themes").iterdir():
        if not theme_page.is_dir():
            continue
        markup = (theme_page / "index.html").read_text(encoding="utf-8")
        expected = points_on_theme(REPO / "content", theme_page.name)
        assert markup.count('class="admonition ll-point"') == len(expected), theme_page.name
        if not expected:
            assert "No learning points on this theme have been published yet." in text_of(markup)


def test_review_type_pages_and_lists(sample_site: Project) -> None:
    for key in CONTENT.review_types:
        of_type = [review for review in SAMPLE.values() if key in types_of(review)]
        # A type no briefing is of has no page: a board's vocabulary may hold many unused ones.
        assert (sample_site.site_dir / "types" / key / "index.html").is_file() == bool(of_type), key
        if of_type:
            listed = page_text(sample_site, "types", key)
            assert all(normalise(review["title"]) in listed for review in of_type), key
    listing = page_text(sample_site, "reviews")
    assert all(normalise(review["title"]) in listing for review in SAMPLE.values())
    home = page_text(sample_site)
    assert "Newest briefings" in home and "How team leads can use a briefing" in home
    # Newest first: Kent (April 2019) before Warwickshire (May 2017) before Blackburn (March 2010).
    assert home.index("11 April 2019") < home.index("May 2017") < home.index("March 2010")


def test_authors_guide_documents_every_field(sample_site: Project) -> None:
    from generator.model.schema import LearningPoint, Review, Section, Settings

    guide = page_text(sample_site, "guide", "authors")
    for model in (Review, Section, LearningPoint, Settings):
        for field in model.model_fields:
            assert field in guide, (model.__name__, field)
    assert "briefings new" in guide and "briefings check" in guide


def test_no_request_leaves_the_site_for_fonts(sample_site: Project) -> None:
    for html_file in sample_site.site_dir.rglob("*.html"):
        assert "fonts.googleapis.com" not in html_file.read_text(encoding="utf-8"), html_file

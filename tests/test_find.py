"""Finding the learning: search index contents, agency digests, facets, related learning."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from content_facts import normalise, points_for_agency, recommendations_for_agency, reviews, text_of
from published_index import published_records

from generator.build import Project

CONTENT = REPO / "content"
SAMPLE = reviews(CONTENT)
AGENCIES = sorted(
    {
        agency
        for review in SAMPLE.values()
        for s in review["sections"]
        for p in s["learning_points"]
        for agency in p.get("agencies", [])
    }
    | {
        agency
        for review in SAMPLE.values()
        for item in review["recommendations"] or []
        for agency in item["addressed_to"]
    }
)


def index(project: Project) -> list[dict]:
    """The published site's search records (the split index, as the browser gets it)."""
    return published_records(project.site_dir)


def test_every_learning_point_is_its_own_search_section(sample_site: Project) -> None:
    entries = {entry["location"]: entry for entry in index(sample_site)}
    for review_id, review in SAMPLE.items():
        for s, section in enumerate(review["sections"], 1):
            for p, point in enumerate(section["learning_points"], 1):
                entry = entries[f"reviews/{review_id}/#lp-{s}-{p}"]
                assert normalise(point["point"]) in text_of(entry["title"])
                for question in point["questions"]:
                    assert normalise(question) in text_of(entry["text"])


def test_boilerplate_is_indexed_once_on_its_own_page(sample_site: Project) -> None:
    docs = index(sample_site)
    how_to_use = "Read the briefing before your session and share it with your team."
    standing = "What support do you need from your organisation or the board to make that change?"
    what_is_scr = "A Serious Case Review (SCR) was held in England"
    for phrase, home in ((how_to_use, ""), (standing, ""), (what_is_scr, "types/scr/")):
        where = sorted({doc["location"].split("#")[0] for doc in docs if phrase in text_of(doc["text"])})
        assert where == [home], (phrase, where)
    # Copies of the learning (session plans, 7-minute briefings, theme and agency lists) are not
    # indexed either, so a search lands on the briefing.
    point = normalise(SAMPLE["kent-2019-child-j"]["sections"][0]["learning_points"][0]["point"])
    where = sorted({doc["location"] for doc in docs if point in text_of(doc["title"] + " " + doc["text"])})
    assert where == ["reviews/kent-2019-child-j/#lp-1-1"]


def test_theme_and_agency_synonyms_are_searchable(sample_site: Project) -> None:
    docs = index(sample_site)
    theme_page = " ".join(
        text_of(doc["text"]) for doc in docs if doc["location"].startswith("themes/invisible-fathers/")
    )
    for synonym in ("hidden men", "absent fathers", "invisible men"):
        assert synonym in theme_page
    police = " ".join(text_of(doc["text"]) for doc in docs if doc["location"].startswith("agencies/police/"))
    assert "constabulary" in police


@pytest.mark.parametrize("agency", AGENCIES)
def test_agency_page_lists_exactly_what_is_addressed_to_it(sample_site: Project, agency: str) -> None:
    markup = (sample_site.site_dir / "agencies" / agency / "index.html").read_text(encoding="utf-8")
    points = points_for_agency(CONTENT, agency)
    blocks = re.findall(r'<div class="admonition ll-point">(.*?)</div>\s*</div>', markup, re.S)
    assert len(blocks) == len(points)
    for review_id, point in points:
        assert any(normalise(point) in text_of(block) and f"reviews/{review_id}/#lp-" in block for block in blocks)
    recommendations_part = text_of(
        markup.split('id="recommendations"', 1)[1] if 'id="recommendations"' in markup else markup
    )
    for _, recommendation in recommendations_for_agency(CONTENT, agency):
        assert normalise(recommendation) in recommendations_part


def test_briefing_shows_its_facets_as_links(sample_site: Project) -> None:
    markup = (sample_site.site_dir / "reviews" / "kent-2019-child-j" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../browse/?board=kent-safeguarding-children-board"' in markup
    assert 'href="../../browse/?year=2019"' in markup
    assert 'href="../../types/scr/"' in markup
    for theme in SAMPLE["kent-2019-child-j"]["themes"]:
        assert f'href="../../themes/{theme}/"' in markup
    for agency in SAMPLE["kent-2019-child-j"].get("agencies", []):
        assert f'href="../../agencies/{agency}/"' in markup


def test_related_learning_links_briefings_that_share_themes(sample_site: Project) -> None:
    for review_id, review in SAMPLE.items():
        markup = (sample_site.site_dir / "reviews" / review_id / "index.html").read_text(encoding="utf-8")
        related = markup.split('id="related-learning"', 1)[1].split("<h2", 1)[0]
        linked = set(re.findall(r'href="../([a-z0-9-]+)/"', related))
        sharing = {
            other
            for other, data in SAMPLE.items()
            if other != review_id and set(data["themes"]) & set(review["themes"])
        }
        assert linked and linked <= sharing
        assert len(linked) == min(5, len(sharing))


def test_browse_page_lists_every_briefing_without_javascript(sample_site: Project) -> None:
    markup = (sample_site.site_dir / "browse" / "index.html").read_text(encoding="utf-8")
    listed = [
        (re.search(r'data-theme="([^"]*)"', attributes).group(1), review_id)
        for attributes, review_id in re.findall(r'<li (data-[^>]*)><a href="../reviews/([a-z0-9-]+)/"', markup)
    ]
    assert sorted(review_id for _, review_id in listed) == sorted(SAMPLE)
    for themes, review_id in listed:
        assert sorted(themes.split()) == sorted(SAMPLE[review_id]["themes"])
    assert 'id="ll-browse" hidden' in markup  # the filters appear only when the script runs


def test_theme_page_gathers_its_questions_and_related_themes(sample_site: Project) -> None:
    text = text_of((sample_site.site_dir / "themes" / "invisible-fathers" / "index.html").read_text(encoding="utf-8"))
    for review in SAMPLE.values():
        for section in review["sections"]:
            for point in section["learning_points"]:
                themes = point.get("themes") or section.get("themes") or review["themes"]
                if "invisible-fathers" in themes:
                    for question in point["questions"]:
                        assert normalise(question) in text.split("Questions to reflect on", 1)[1]
    assert "Related themes" in text

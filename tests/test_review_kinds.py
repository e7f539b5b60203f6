"""The sample reviews of each kind the content model carries: an adults' review (SAR), a Welsh
review known by its reference, and a joint review of two kinds commissioned by two boards.

Each is built from the repository's own sample content, its briefing is read as a reader would
read it, and the three briefings are compared with golden pages. Refresh those after an
intended change with:
    LL_UPDATE_GOLDEN=1 python -m pytest tests/test_review_kinds.py && git diff tests/golden
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import REPO, assert_golden
from content_facts import reviews

from generator.build import Project, check
from generator.pipeline.render import render
from generator.templating import board_key

SAR = "worcestershire-2023-joseph"
WELSH = "north-wales-cpr-flint-2"
JOINT = "cornwall-2021-margaret"
JOINT_BOARDS = ["Safeguarding Adults Board for Cornwall and The Isles of Scilly", "Safer Cornwall Partnership Board"]


@cache
def pages() -> dict[str, str]:
    """Every page of the sample site, as rendered Markdown."""
    return render(check(Project(REPO)))


def briefing(review_id: str) -> str:
    return pages()[f"reviews/{review_id}.md"]


def key_facts(review_id: str) -> str:
    """The key facts block of a briefing."""
    page = briefing(review_id)
    return page[page.index('<div class="ll-key-facts"') : page.index("</div>")]


def fact_lines(review_id: str) -> dict[str, str]:
    """Each key fact by its label, as ``- **Label:** value`` lines give them."""
    return dict(re.findall(r"^- \*\*([^*]+):\*\* (.*)$", key_facts(review_id), re.M))


def test_each_kind_is_in_the_published_sample() -> None:
    sample = reviews(REPO / "content")
    assert sample[SAR]["review_type"] == "sar"
    assert sample[WELSH]["nation"] == "Wales" and sample[WELSH]["reference"] == "CPR FLINT 2"
    assert sample[JOINT]["review_type"] == ["dhr", "sar"] and sample[JOINT]["board"] == JOINT_BOARDS


@pytest.mark.parametrize("review_id", [SAR, WELSH, JOINT])
def test_briefing_matches_golden(review_id: str) -> None:
    assert_golden(f"{review_id}.md", briefing(review_id))


@pytest.mark.parametrize("review_id", [SAR, WELSH, JOINT])
def test_briefing_reads_naturally(review_id: str) -> None:
    page = briefing(review_id)
    assert "None" not in page
    assert "()" not in page and "( )" not in page and "[]" not in page
    assert not re.search(r"\*\*[^*\n]+:\*\* *$", key_facts(review_id), re.M), "a key fact with no value"
    # Every learning point is the review's own and says so; every question is the board's, and
    # the page says that too, once under each point's questions.
    points = len(re.findall(r'<h3 class="admonition-title ll-point__title"', page))
    assert points and page.count("From the review</span>") == points
    assert page.count("Questions written by the board for this briefing") == points
    assert "Asked by the review" not in page


def test_sar_briefing() -> None:
    facts = fact_lines(SAR)
    assert (
        facts["Board or partnership"]
        == "[Worcestershire Safeguarding Adults Board](../browse.md?board=worcestershire-safeguarding-adults-board)"
    )
    assert facts["Type of review"] == "[Safeguarding Adults Review](../types/sar.md)"
    assert facts["Published"] == "[December 2023](../browse.md?year=2023)"
    assert facts["Pseudonym"] == "Joseph"
    assert facts["Age group"] == "Older adult (65 and over) (79)"
    assert "Report reference" not in facts
    page = briefing(SAR)
    assert "## What is a Safeguarding Adults Review?" in page
    # The board's summary gives its learning as themes, and the briefing calls them that.
    assert page.count('<span class="ll-point__number">Learning theme ') == 5
    assert "Learning point " not in page


def test_welsh_review_is_known_by_its_reference() -> None:
    facts = fact_lines(WELSH)
    assert facts["Report reference"] == "CPR FLINT 2"
    assert "Pseudonym" not in facts and "Pseudonyms" not in facts
    assert facts["Nation"] == "Wales"
    assert facts["Published"].startswith("[Not dated]")
    assert facts["Age group"] == "Under 1 year (2 weeks)"
    assert facts["Type of review"] == "[Concise Child Practice Review](../types/cpr-concise.md)"
    page = briefing(WELSH)
    assert "\n# CPR FLINT 2: the death of a 2-week-old baby known to social services\n" in page
    assert "## What is a Concise Child Practice Review?" in page
    assert "Lesson 1.1" in page and "Conclusion 2.1" in page
    # A section with a narrative and no learning points: its heading and text, and no point.
    narrative_only = page.split("## Could the death have been predicted or prevented?", 1)[1].split("\n## ", 1)[0]
    assert "no evidence that the baby's death was either" in narrative_only
    assert "ll-point" not in narrative_only and "Question" not in narrative_only


def test_joint_review_lists_both_boards_and_both_kinds() -> None:
    facts = fact_lines(JOINT)
    assert facts["Boards or partnerships"] == ", ".join(
        f"[{name}](../browse.md?board={board_key(name)})" for name in JOINT_BOARDS
    )
    assert facts["Types of review"] == (
        "[Domestic Homicide Review](../types/dhr.md), [Safeguarding Adults Review](../types/sar.md)"
    )
    assert facts["Pseudonym"] == "Margaret"
    assert facts["Published"] == "[26 January 2021](../browse.md?year=2021)"
    assert "Age group" not in facts  # the summary gives no age, and the briefing invents none
    page = briefing(JOINT)
    assert "## What is a Domestic Homicide Review?" in page and "## What is a Safeguarding Adults Review?" in page
    for label in ("Lesson 1.1", "Lesson 1.2", "Key message 2.1", "Finding 2.2"):
        assert label in page
    # Each of the two boards lists the review among its briefings, and so does each type's page.
    listing = "Safeguarding Adults Board for Cornwall and The Isles of Scilly and Safer Cornwall Partnership Board"
    assert listing in pages()["browse.md"]
    for key in ("dhr", "sar"):
        assert f"(../reviews/{JOINT}.md)" in pages()[f"types/{key}.md"]


def test_joint_reviews_boards_are_each_a_browse_filter(sample_site: Project) -> None:
    html = (sample_site.site_dir / "browse" / "index.html").read_text(encoding="utf-8")
    boards = html.split('data-facet="board"', 1)[1].split("</fieldset>", 1)[0]
    for name in JOINT_BOARDS:
        key = board_key(name)
        assert f'<input type="checkbox" name="board" value="{key}"> {name} ' in boards
        assert f'data-count-for="board={key}">(1)</span>' in boards
    item = next(li for li in re.findall(r"<li[^>]*>.*?</li>", html, re.S) if f"/{JOINT}/" in li)
    assert f'data-board="{" ".join(board_key(name) for name in JOINT_BOARDS)}"' in item
    assert 'data-type="dhr sar"' in item
    assert 'data-age=""' in item  # no age given, none invented
    # The briefing itself links each board to the browse page filtered on it.
    page = (sample_site.site_dir / "reviews" / JOINT / "index.html").read_text(encoding="utf-8")
    for name in JOINT_BOARDS:
        assert f'href="../../browse/?board={board_key(name)}"' in page

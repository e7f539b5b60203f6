"""The content model carries every kind of review and board without invention: people with or
without pseudonyms, references, joint boards, several kinds of review, where each sentence came
from, narrative-only sections, named organisations, and each board's own settings."""

from __future__ import annotations

import re

import pytest
from conftest import MINIMAL_REVIEW, change_settings, write_review

from generator.build import Project, check
from generator.errors import ContentErrors
from generator.pipeline.render import render

ID = "test-2024-child-a"

JOINT = (
    MINIMAL_REVIEW.replace("pseudonyms: [Child A]\n", "")
    .replace("review_type: cspr", "review_type: [sar, dhr]")
    .replace(
        "board: Test Safeguarding Children Partnership",
        "board: [North Safeguarding Adults Board, South Community Safety Partnership]",
    )
    .replace(
        "age_group: under-1\n",
        "subjects:\n"
        '  - pseudonym: Mr B\n    age_group: 65-plus\n    age: "81"\n    description: cared for his wife\n'
        "  - pseudonym: Mrs B\n    age_group: 18-64\n",
    )
)
"""A joint SAR and DHR about two people, commissioned by two boards."""


def pages_of(project: Project, text: str) -> dict[str, str]:
    write_review(project, "a.md", text)
    return render(check(project))


def key_facts(page: str) -> str:
    return page.split('<div class="ll-key-facts" markdown>', 1)[1].split("</div>", 1)[0]


def test_a_joint_review_about_two_people_lists_each(project: Project) -> None:
    pages = pages_of(project, JOINT)
    facts = key_facts(pages[f"reviews/{ID}.md"])
    assert (
        "- **Boards or partnerships:** [North Safeguarding Adults Board](../browse.md?board=north-safeguarding-adults-board), "
        "[South Community Safety Partnership](../browse.md?board=south-community-safety-partnership)\n"
    ) in facts
    assert (
        "- **Types of review:** [Safeguarding Adults Review](../types/sar.md), [Domestic Homicide Review](../types/dhr.md)\n"
        in facts
    )
    assert (
        "- **People the review is about:**\n    - **Mr B**, Older adult (65 and over), 81, cared for his wife\n    - **Mrs B**, Adult (18 to 64)\n"
        in facts
    )
    assert "Pseudonym" not in facts and "Age group" not in facts and "()" not in facts
    briefing = pages[f"reviews/{ID}.md"]
    assert (
        "## What is a Safeguarding Adults Review?" in briefing and "## What is a Domestic Homicide Review?" in briefing
    )
    assert f"reviews/{ID}.md" in pages["types/sar.md"] and f"reviews/{ID}.md" in pages["types/dhr.md"]
    browse = pages["browse.md"]
    assert 'data-board="north-safeguarding-adults-board south-community-safety-partnership"' in browse
    assert 'data-age="18-64 65-plus"' in browse and 'data-type="dhr sar"' in browse
    assert "North Safeguarding Adults Board and South Community Safety Partnership ·" in pages[f"seven-minute/{ID}.md"]


def test_a_review_known_by_its_reference_says_so_with_no_pseudonym_line(project: Project) -> None:
    text = MINIMAL_REVIEW.replace("pseudonyms: [Child A]", "reference: CPR EXAMPLE 2").replace(
        "nation: England", "nation: Wales"
    )
    facts = key_facts(pages_of(project, text)[f"reviews/{ID}.md"])
    assert "- **Report reference:** CPR EXAMPLE 2\n" in facts
    assert "Pseudonym" not in facts


def test_two_pseudonyms_read_as_pseudonyms(project: Project) -> None:
    text = MINIMAL_REVIEW.replace("pseudonyms: [Child A]", "pseudonyms: [Child A, Child B]")
    assert "- **Pseudonyms:** Child A, Child B\n" in key_facts(pages_of(project, text)[f"reviews/{ID}.md"])


def test_a_learning_resource_needs_no_person(project: Project) -> None:
    text = MINIMAL_REVIEW.replace("pseudonyms: [Child A]\n", "").replace("age_group: under-1\n", "")
    facts = key_facts(pages_of(project, text)[f"reviews/{ID}.md"])
    assert "Pseudonym" not in facts and "Age group" not in facts and "People" not in facts


def test_an_age_group_for_the_review_and_for_its_people_is_an_error(project: Project) -> None:
    write_review(project, "a.md", JOINT.replace("subjects:", "age_group: under-1\nsubjects:"))
    with pytest.raises(ContentErrors) as failure:
        check(project)
    [error] = [str(e) for e in failure.value.errors]
    assert error.endswith("age_group: give each person's age group under subjects, not here as well")


def test_where_each_sentence_came_from_is_shown_on_the_briefing(project: Project) -> None:
    text = MINIMAL_REVIEW.replace(
        "      - point: Share what you know.\n        questions:\n          - How do you share?\n",
        "      - point: Share what you know.\n        kind: finding\n        source: p. 23, §5.1.3\n"
        "        questions:\n          - How do you share?\n"
        "          - question: Who needed to know?\n            written_by: review\n            source: p. 30\n"
        "      - point: Write it down.\n        written_by: board\n        questions:\n"
        "          - question: What do you record?\n            written_by: review\n",
    ).replace(
        "recommendations: []",
        "recommendations:\n  - recommendation: Review the protocol.\n"
        "    addressed_to: [police, Northshire County Council]\n    source: recommendation 2\n",
    )
    briefing = pages_of(project, text)[f"reviews/{ID}.md"]
    assert '<span class="ll-point__number">Finding 1.1</span> Share what you know.' in briefing
    assert '<span class="ll-source">From the review, p. 23, §5.1.3</span>' in briefing
    assert '<span class="ll-point__number">Learning point 1.2</span> Write it down.' in briefing
    assert '<span class="ll-source">Written by the board for this briefing</span>' in briefing
    assert '- Who needed to know? <span class="ll-source">(Asked by the review, p. 30)</span>' in briefing
    assert '- What do you record? <span class="ll-source">(Asked by the review)</span>' in briefing
    # The board's own questions are marked as the board's, only where there are some.
    assert briefing.count("Questions written by the board for this briefing") == 1
    assert (
        "*For: [Police](../agencies/police.md), Northshire County Council* · "
        '<span class="ll-source">From the review, recommendation 2</span>'
    ) in briefing


def test_a_section_may_be_narrative_only_but_not_empty(project: Project) -> None:
    text = MINIMAL_REVIEW.replace(
        "sections:\n", "sections:\n  - heading: Background\n    narrative: What the family's life was like.\n"
    )
    briefing = pages_of(project, text)[f"reviews/{ID}.md"]
    assert re.search(r"## Background\n\nWhat the family's life was like\.\n\n## Sharing information", briefing)
    write_review(project, "a.md", MINIMAL_REVIEW.replace("sections:\n", "sections:\n  - heading: Empty\n"))
    with pytest.raises(ContentErrors) as failure:
        check(project)
    assert [str(e).split(": ", 1)[1] for e in failure.value.errors] == [
        "sections[1]: a section needs a narrative, learning points, or both"
    ]


def test_an_unknown_agency_key_is_still_an_error_where_a_name_would_be_allowed(project: Project) -> None:
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace(
            "recommendations: []", "recommendations:\n  - recommendation: Review it.\n    addressed_to: [polce]"
        ),
    )
    with pytest.raises(ContentErrors) as failure:
        check(project)
    assert "unknown agency 'polce'" in str(failure.value)


def test_each_board_may_have_its_own_questions_headings_and_contact(project: Project) -> None:
    headings = [f"Tile {n}" for n in range(1, 8)]
    change_settings(
        project,
        {
            "boards": {
                "North Safeguarding Adults Board": {
                    "standing_questions": ["What will you do about self-neglect?"],
                    "seven_minute_headings": headings,
                    "contact_email": "north@example.org",
                }
            }
        },
    )
    write_review(project, "b.md", MINIMAL_REVIEW.replace(ID, "test-2024-child-b"))
    pages = pages_of(project, JOINT)
    own, other = pages[f"reviews/{ID}.md"], pages["reviews/test-2024-child-b.md"]
    assert "- What will you do about self-neglect?" in own and "- What will you do about self-neglect?" not in other
    assert "## 1. Tile 1" in pages[f"seven-minute/{ID}.md"]
    assert "## 1. Tile 1" not in pages["seven-minute/test-2024-child-b.md"]
    assert "north@example.org" in pages[f"seven-minute/{ID}.md"] and "north@example.org" in pages[f"records/{ID}.md"]
    assert "north@example.org" not in pages["records/test-2024-child-b.md"]
    assert "- What will you do about self-neglect?" in pages[f"sessions/{ID}.md"]


def test_the_new_parts_build_into_the_site(project: Project) -> None:
    """What the model now carries passes MkDocs' strict build and reaches the HTML."""
    from generator.build import build

    change_settings(project, {"make_pdfs": False})
    write_review(
        project,
        "a.md",
        JOINT.replace("        questions:\n", "        kind: lesson\n        source: p. 4\n        questions:\n"),
    )
    build(project)
    html = (project.site_dir / "reviews" / ID / "index.html").read_text(encoding="utf-8")
    assert '<span class="ll-source">From the review, p. 4</span>' in html
    assert "Lesson 1.1" in html and "<strong>Mrs B</strong>, Adult (18 to 64)" in html


def test_each_board_may_have_its_own_feedback_address(project: Project) -> None:
    change_settings(
        project,
        {
            "feedback": {"delivery": "service", "endpoint": "https://feedback.example.org/feedback"},
            "boards": {"North Safeguarding Adults Board": {"feedback_endpoint": "https://north.example.org/feedback"}},
        },
    )
    write_review(project, "b.md", MINIMAL_REVIEW.replace(ID, "test-2024-child-b"))
    pages = pages_of(project, JOINT)
    assert 'action="https://north.example.org/feedback"' in pages[f"reviews/{ID}.md"]
    assert 'action="https://feedback.example.org/feedback"' in pages["reviews/test-2024-child-b.md"]


def test_recommendations_the_source_does_not_give_are_not_said_to_be_none(project: Project) -> None:
    text = MINIMAL_REVIEW.replace("good_practice: []", "good_practice:").replace(
        "recommendations: []", "recommendations:"
    )
    pages = pages_of(project, text)
    for page in (pages[f"reviews/{ID}.md"], pages[f"seven-minute/{ID}.md"]):
        assert "does not list the review's recommendations" in page and "made no recommendations" not in page
        assert "does not say what good practice the review found" in page
        assert "did not single out good practice" not in page


def test_a_person_whose_age_the_report_does_not_give(project: Project) -> None:
    pages = pages_of(project, JOINT.replace("    age_group: 18-64\n", ""))
    assert "    - **Mrs B**\n" in key_facts(pages[f"reviews/{ID}.md"])

"""Rendered pages and error messages compared with golden files in tests/golden/.

After an intended change, refresh them and review the diff:
    LL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py && git diff tests/golden
"""

from __future__ import annotations

from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, REPO, assert_golden, write_review

from generator.build import Project, check
from generator.cli import main
from generator.pipeline.render import render

FULL_REVIEW = (
    MINIMAL_REVIEW.replace("nation: England", "nation: England\nsubject_age: 4 months")
    .replace(
        "themes: [information-sharing]", "themes: [information-sharing, invisible-fathers]\nagencies: [police, gp]"
    )
    .replace(
        "          - How do you share?\n",
        "          - How do you share?\n          - Who do you tell?\n        agencies: [police]\n"
        "        themes: [invisible-fathers]\n",
    )
    .replace("good_practice: []", "good_practice:\n  - The GP *shared* promptly.")
    .replace(
        "recommendations: []",
        "recommendations:\n  - recommendation: Review the protocol.\n    addressed_to: [safeguarding-board, police]",
    )
    .replace("board_questions: []", "board_questions:\n  - Is the protocol known?")
    .replace('board_response: ""', "board_response: The board agreed an action plan.")
    .replace(
        "further_reading: []",
        "further_reading:\n  - title: A guide\n    url: https://example.org/guide\n  - title: A leaflet with no address",
    )
    .replace("  title: Full report", "  title: Full report\n  url: https://example.org/report.pdf")
)
"""The minimal review with every optional part filled in."""


def test_full_briefing_matches_golden(project: Project) -> None:
    write_review(project, "a.md", FULL_REVIEW)
    assert_golden("full-briefing.md", render(check(project))["reviews/test-2024-child-a.md"])


def test_minimal_briefing_matches_golden(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert_golden("minimal-briefing.md", render(check(project))["reviews/test-2024-child-a.md"])


def test_sample_wiltshire_briefing_matches_golden() -> None:
    """The target briefing note, from the repository's own sample content."""
    pages = render(check(Project(REPO)))
    assert_golden("wiltshire-child-k.md", pages["reviews/wiltshire-child-k.md"])


def test_error_messages_match_golden(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("summary:", "sumary:").replace('"2024-03-01"', '"2024-02-30"'))
    write_review(project, "b.md", MINIMAL_REVIEW.replace("board: Test", "board: Test\n  nested: x"))
    write_review(
        project,
        "c.md",
        MINIMAL_REVIEW.replace("review_type: cspr", "review_type: sar2")
        .replace("themes: [information-sharing]", "themes: [absent fathers]")
        .replace("        questions:\n          - How do you share?\n", ""),
    )
    write_review(project, "d.md", MINIMAL_REVIEW)
    (project.content_dir / "reviews" / "e.md").write_bytes(MINIMAL_REVIEW.encode("utf-8") + b"\x93quoted\x94\n")
    write_review(
        project,
        "f.md",
        MINIMAL_REVIEW.replace("id: test-2024-child-a", "id: test-2024-child-f").replace(
            "narrative: What happened.", "narrative: Read [the protocol](protocol.md) first."
        ),
    )
    write_review(
        project,
        "g.md",
        MINIMAL_REVIEW.replace("id: test-2024-child-a", "id: test-2024-child-g")
        .replace('published: "2024-03-01"', "published:")
        .replace("themes: [information-sharing]", "themes: [weather]")
        .replace("    narrative:", "    themes: [weather]\n    narrative:"),
    )
    write_review(
        project, "h.md", MINIMAL_REVIEW.replace('title: "Child A: a test review"', "title: Child A: a test review")
    )
    write_review(
        project,
        "i.md",
        MINIMAL_REVIEW.replace("id: test-2024-child-a", "id: test-2024-child-i").replace(
            "- How do you share?", "- Sharing: how do you share?"
        ),
    )
    (project.content_dir / "strings.yml").write_text('session_plan_title: "Session plan: {nme}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert_golden("errors.txt", result.stderr)


def test_session_plan_and_seven_minute_briefing_match_golden(project: Project) -> None:
    write_review(
        project,
        "a.md",
        FULL_REVIEW.replace("board_response:", 'facilitator_notes: "Mind the **family**."\nboard_response:'),
    )
    pages = render(check(project))
    assert_golden("full-session-plan.md", pages["sessions/test-2024-child-a.md"])
    assert_golden("full-seven-minute.md", pages["seven-minute/test-2024-child-a.md"])
    assert_golden("theme-session-invisible-fathers.md", pages["sessions/theme-invisible-fathers.md"])

"""The plain-English check: reading ease, long sentences and jargon, as warnings."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, change_settings, write_review

from generator.build import Project, check
from generator.cli import main

LONG = " ".join(["Practitioners should share what they know with the other agencies"] * 5) + "."
"""A sentence of 50 words."""


def plain_english(project: Project) -> list[str]:
    return [str(warning) for warning in check(project).warnings]


def test_a_long_sentence_and_jargon_are_warned_of_at_their_line(project: Project) -> None:
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace("Share what you know.", f"{LONG} Then utilise the plan prior to the meeting."),
    )
    warnings = plain_english(project)
    where = "content/reviews/a.md:17: sections[1].learning_points[1].point:"
    assert warnings == [
        f"{where} a sentence of 50 words (the site asks for at most 40): split “Practitioners should share what they "
        "know with the other…” into shorter ones",
        f"{where} “prior to” is jargon to many readers; try: before",
        f"{where} “utilise” is jargon to many readers; try: use",
    ]


def test_the_board_adds_and_turns_off_jargon_and_sets_the_limits(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("Share what you know.", f"Utilise the MARAC. {LONG}"))
    (project.content_dir / "vocabularies" / "jargon.yml").write_text(
        "utilise:\n  terms: []\n  plain: use\nmarac:\n  terms: [MARAC]\n  plain: the risk conference\n",
        encoding="utf-8",
    )
    assert [w.split(": ", 2)[2] for w in plain_english(project)] == [
        "a sentence of 50 words (the site asks for at most 40): split “Practitioners should share what they know "
        "with the other…” into shorter ones",
        "“MARAC” is jargon to many readers; try: the risk conference",
    ]
    change_settings(project, {"plain_english": {"max_sentence_words": 60, "jargon": False, "min_reading_ease": 100}})
    [hard] = plain_english(project)
    assert hard.startswith("content/reviews/a.md:12: summary: the briefing reads as hard: its Flesch reading ease is ")
    assert "(0 to 100, higher is easier; the site asks for at least 100)" in hard
    change_settings(project, {"plain_english": {"check": False}})
    assert plain_english(project) == []


def test_plain_english_stays_a_warning_when_strict(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("Share what you know.", "Utilise the plan."))
    result = CliRunner().invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "“Utilise” is jargon to many readers; try: use" in result.stderr
    assert "1 warning(s) from the anonymity and plain-English checks" in result.stderr


def test_sample_reviews_raise_no_plain_english_warning(sample_site: Project) -> None:
    """The sample briefings meet the check's defaults: no briefing reads as hard, no sentence is
    over 40 words and no jargon is left (the figures are in the README); nor is there an
    anonymity warning."""
    assert [str(warning) for warning in check(sample_site).warnings] == []

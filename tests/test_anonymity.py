"""The anonymity check: catches each kind of identifier planted in content, not the samples."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, REPO, write_review

from generator.build import Project, check
from generator.cli import main

PLANTED = {
    "a personal name": "The family friend, Sarah Jenkins, visited often.",
    "a date of birth": "Child A was born on 3 March 2021 in hospital.",
    "an exact date beside a pseudonym": "On 14 June 2022 Child A was seen at the clinic.",
    "a street address": "The family lived at 22 Acacia Avenue for a year.",
    "a postcode": "They moved to an address in LS6 2QT later.",
    "a phone number": "Mother could be reached on 07700 900123 most days.",
    "an e-mail address": "She wrote from jo.bloggs@example.com to the school.",
    "an NHS number": "His NHS number 943 476 5919 was on the referral.",
    "a named school or nursery": "He attended Little Acorns Nursery three mornings a week.",
}


def test_sample_reviews_raise_no_warning() -> None:
    assert check(Project(REPO), strict=True).warnings == ()


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_each_kind_of_identifier_is_caught_with_its_line(project: Project, kind: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("The case summary.", f"The case summary.\n\n{PLANTED[kind]}"))
    warnings = [str(warning) for warning in check(project).warnings]
    assert any(
        warning.startswith("content/reviews/a.md:30: case summary: possibly identifying: " + kind)
        for warning in warnings
    ), warnings


def test_identifier_in_a_front_matter_field_names_field_and_line(project: Project) -> None:
    write_review(
        project, "a.md", MINIMAL_REVIEW.replace("narrative: What happened.", "narrative: Mother rang 01632 960123.")
    )
    [warning] = [str(warning) for warning in check(project).warnings]
    assert warning.startswith(
        "content/reviews/a.md:15: sections[1].narrative: possibly identifying: a phone number '01632 960123'"
    )


def test_declared_pseudonyms_helplines_contacts_and_allowed_details_pass(project: Project) -> None:
    text = MINIMAL_REVIEW.replace(
        "The case summary.",
        "The case summary. Call the front door on 0300 456 0108 or write to learning@example.org. "
        "See the guide by Chris Dyke.",
    ).replace(
        'board_response: ""',
        'board_response: ""\nanonymity_allow:\n  - text: Chris Dyke\n    reason: author of a cited guide',
    )
    write_review(project, "a.md", text)
    settings = project.content_dir / "settings.yml"
    assert "0300 456 0108" in settings.read_text(encoding="utf-8")
    assert check(project).warnings == ()


def test_warnings_by_default_errors_when_strict(project: Project) -> None:
    write_review(
        project, "a.md", MINIMAL_REVIEW.replace("The case summary.", "The case summary. Sarah Jenkins helped.")
    )
    runner = CliRunner()
    relaxed = runner.invoke(main, ["check", "--project", str(project.root)])
    assert relaxed.exit_code == 0
    assert "possibly identifying: a personal name 'Sarah Jenkins'" in relaxed.stderr
    assert "1 anonymity warning(s)" in relaxed.stderr
    strict = runner.invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert strict.exit_code == 1
    assert (
        "content/reviews/a.md:28: case summary: possibly identifying: a personal name 'Sarah Jenkins'" in strict.stderr
    )

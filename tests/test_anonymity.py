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


def test_sample_reviews_raise_no_anonymity_warning() -> None:
    # With --strict an anonymity finding is an error, so this check would raise; what warnings
    # remain are the plain-English check's, which --strict leaves as warnings.
    warnings = check(Project(REPO), strict=True).warnings
    assert all("possibly identifying" not in warning.message for warning in warnings)


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
    assert "1 warning(s) from the anonymity and plain-English checks" in relaxed.stderr
    strict = runner.invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert strict.exit_code == 1
    assert (
        "content/reviews/a.md:28: case summary: possibly identifying: a personal name 'Sarah Jenkins'" in strict.stderr
    )


ALONE = "(use the review's pseudonym, or allow it under anonymity_allow with a reason)"


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "narrative: What happened.",
            "narrative: What happened. Donna said she was frightened.",
            "content/reviews/a.md:15: sections[1].narrative",
        ),
        (
            "point: Share what you know.",
            "point: Share what you know with Donna's school.",
            "content/reviews/a.md:17: sections[1].learning_points[1].point",
        ),
        (
            "The case summary.",
            "The case summary.\n\nDonna said she was frightened.",
            "content/reviews/a.md:30: case summary",
        ),
    ],
    ids=["narrative", "learning point", "case summary"],
)
def test_a_first_name_alone_is_caught_at_its_line(project: Project, old: str, new: str, where: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace(old, new))
    assert [str(warning) for warning in check(project).warnings] == [
        f"{where}: possibly identifying: a first name used alone 'Donna' {ALONE}"
    ]


@pytest.mark.parametrize(
    "name", ["Kayleigh", "Jade", "Mohammed", "Muhammad", "Siobhan", "Dylan", "Rhys", "Aoife", "Zoë"]
)
def test_first_names_of_families_in_britain_are_known(project: Project, name: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("The case summary.", f"The mother told {name} to wait."))
    assert [warning.message for warning in check(project).warnings] == [
        f"possibly identifying: a first name used alone {name!r} {ALONE}"
    ]


def test_a_pseudonym_that_is_a_first_name_is_not_flagged(project: Project) -> None:
    text = MINIMAL_REVIEW.replace("pseudonyms: [Child A]", "pseudonyms: [Donna, Baby Kayleigh]").replace(
        "The case summary.", "Donna said she was frightened. Kayleigh was six months old. Donna's sister rang."
    )
    write_review(project, "a.md", text)
    assert check(project).warnings == ()


def test_an_allowed_name_is_not_flagged(project: Project) -> None:
    text = MINIMAL_REVIEW.replace("The case summary.", "The review was led by Jane Appleby. Jane met the family.")
    text = text.replace(
        'board_response: ""',
        'board_response: ""\nanonymity_allow:\n  - text: Jane Appleby\n    reason: the lead reviewer',
    )
    write_review(project, "a.md", text)
    assert check(project).warnings == ()


ORDINARY = [
    "Will the plan work? Mark the date in the diary. Grace periods were given. Hope is not a plan.",
    "Faith groups were asked. Dawn visits were offered. Rose bushes grew in the garden. Joy was evident.",
    "In May 2019 the case closed; in June it reopened, and by April the family had moved.",
    "Practice is consistent across Kent, and the Kent review agreed. Staff in Kerry were told.",
    "Over New Year's Eve the police were called. She attended a Christian church.",
    "See the triennial analysis (Sidebotham, Brandon et al., 2016).",
    "Summer Term started late. The Multi-Agency Safeguarding Hub and Non-Mobile babies.",
    "- Jack up the pressure on managers, one practitioner said.\n- Sue the council, said another.",
]


@pytest.mark.parametrize("sentence", ORDINARY)
def test_names_that_are_ordinary_words_or_places_are_not_flagged(project: Project, sentence: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("The case summary.", sentence))
    assert check(project).warnings == ()


def test_names_in_citations_of_published_work_are_not_flagged(project: Project) -> None:
    text = MINIMAL_REVIEW.replace(
        "further_reading: []",
        "further_reading:\n  - title: Serious Case Review into the death of Ayesha-Jayne Smith (Russell House, 2010)",
    )
    write_review(project, "a.md", text)
    assert check(project).warnings == ()


def test_a_first_name_alone_is_an_error_when_strict(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("The case summary.", "Donna said she was frightened."))
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--project", str(project.root)]).exit_code == 0
    strict = runner.invoke(main, ["check", "--strict", "--project", str(project.root)])
    assert strict.exit_code == 1
    assert f"content/reviews/a.md:28: case summary: possibly identifying: a first name used alone 'Donna' {ALONE}" in (
        strict.stderr
    )


def test_a_full_name_broken_across_lines_is_caught(project: Project) -> None:
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace("The case summary.", "The case summary.\n\nThe friend, Sarah\nJenkins, came."),
    )
    assert any("a personal name 'Sarah Jenkins'" in str(warning) for warning in check(project).warnings)


def test_a_date_of_birth_is_reported_once(project: Project) -> None:
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace("The case summary.", f"The case summary.\n\n{PLANTED['a date of birth']}"),
    )
    warnings = [str(warning) for warning in check(project).warnings]
    assert len(warnings) == 1 and "a date of birth 'born on 3 March 2021'" in warnings[0], warnings

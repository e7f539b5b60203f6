"""Each class of bad input gives a ``path:line: field: message`` error, all at once."""

from __future__ import annotations

import pytest
import yaml
from conftest import MINIMAL_REVIEW, change_settings, write_review

from generator.build import Project, check
from generator.errors import ContentErrors
from generator.pipeline.load import SHIPPED_VOCABULARIES, VOCABULARIES


def errors_of(project: Project) -> list[str]:
    with pytest.raises(ContentErrors) as failure:
        check(project)
    return [str(error) for error in failure.value.errors]


def test_minimal_review_is_valid(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW)
    site = check(project)
    [entry] = site.reviews
    assert entry.review.id == "test-2024-child-a"
    assert entry.case_summary == "The case summary."
    assert [q.question for q in entry.review.sections[0].learning_points[0].questions] == ["How do you share?"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('title: "Child A: a test review"', "title: Child A: a test review"),
            "content/reviews/a.md:3: this text holds a colon followed by a space, which would start a new field; "
            'put the text in quotes: title: "Child A: a test review"',
        ),
        (
            ("    narrative: What happened.", "\tnarrative: What happened."),
            "content/reviews/a.md:15: this line is indented with a tab; indent with spaces, not tabs",
        ),
        (
            ("          - How do you share?", "\t  - How do you share?"),
            "content/reviews/a.md:19: this line is indented with a tab; indent with spaces, not tabs",
        ),
        (
            ('board_response: ""', 'board_response: "'),
            'content/reviews/a.md:23: the text that starts with " here has no closing "; add one at the end of the text',
        ),
        (
            ('title: "Child A: a test review"', 'title: "Child A: a test review'),
            'content/reviews/a.md:3: the text that starts with " here has no closing " where it ends, so the lines '
            'after it up to line 8 were read as part of it; add the closing "',
        ),
        (
            ('title: "Child A: a test review"', 'title: "Child A" a test review'),
            "content/reviews/a.md:3: the text goes on after its closing quote; put quotes around all of the text: "
            "title: '\"Child A\" a test review'",
        ),
        (
            ("          - How do you share?\n", "          - How do you share?\n         - Who do you tell?\n"),
            "content/reviews/a.md:20: this line is indented by 9 spaces, which does not fit the lines above it; "
            "indent it by 10 spaces, like the '-' on line 19, or indent it by 6 spaces, like the '-' on line 17",
        ),
        (
            ("    narrative: What happened.", "   narrative: What happened."),
            "content/reviews/a.md:15: this line is indented by 3 spaces, which does not fit the lines above it; "
            "indent it by 4 spaces, like 'heading' on line 14, or start it at the beginning of the line, like "
            "'sections' on line 13",
        ),
        (
            (
                "board: Test Safeguarding Children Partnership",
                "board: Test Safeguarding Children Partnership\n  nested: x",
            ),
            "content/reviews/a.md:7: this line is indented further than 'board' above it, which already has a value; "
            "line it up with 'board' if it is a field of its own, or, if it is more of that text, put all of the text "
            "in quotes",
        ),
        (
            ("summary: A short summary.\n", "summary: A short summary.\n- Another summary\n"),
            "content/reviews/a.md:13: this line starts a list item ('-'), but 'summary' above it already has its "
            "value; remove the '-', or move the item into the list it belongs to",
        ),
        (
            ("  - heading: Sharing information", "  -heading: Sharing information"),
            "content/reviews/a.md:14: a '-' that starts a list item needs a space after it: - heading: Sharing "
            "information",
        ),
        (
            ("pseudonyms: [Child A]", 'pseudonyms: [Child A\n"x": 1'),
            "content/reviews/a.md:4: the list in square brackets that starts here is not closed; end it with ']', "
            "and put in quotes any item that holds a colon or a bracket",
        ),
        (
            ("nation: England", "nation England"),
            "content/reviews/a.md:7: this line is neither a field ('name: value') nor a list item ('- value'); if "
            "it is a field, put a colon and a space after its name, or, if it is more of the text above, indent it "
            "further than that text's field",
        ),
        (
            ("summary: A short summary.", "summary: |\nA short summary."),
            "content/reviews/a.md:13: the text under 'summary' must be indented further than 'summary'; indent "
            "this line",
        ),
        (
            ("summary: A short summary.", "summary: @home visit"),
            "content/reviews/a.md:12: text cannot start with '@' unless it is in quotes; put the text in quotes: "
            'summary: "@home visit"',
        ),
    ],
    ids=[
        "colon in text",
        "tab before a field",
        "tab before a list item",
        "quote never closed",
        "quote closed by the next quote",
        "text after a closing quote",
        "list item indented wrongly",
        "field indented wrongly",
        "field under a field with a value",
        "stray list item",
        "dash without a space",
        "list in brackets not closed",
        "no colon",
        "block text not indented",
        "reserved first character",
    ],
)
def test_yaml_syntax_errors_in_plain_words_at_the_real_line(
    project: Project, change: tuple[str, str], expected: str
) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace(*change))
    assert errors_of(project) == [expected]


def test_missing_required_field_says_where_it_goes(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("board: Test Safeguarding Children Partnership\n", ""))
    assert errors_of(project) == [
        "content/reviews/a.md:6: board: missing required field; add it after review_type (line 5)"
    ]


def test_missing_field_after_a_block_goes_after_its_last_line(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("good_practice: []\n", ""))
    assert errors_of(project) == [
        "content/reviews/a.md:20: good_practice: missing required field; add it after sections (lines 13 to 19)"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  - heading: Sharing information\n    narrative:", "  - narrative:"),
            "content/reviews/a.md:14: sections[1].heading: missing required field; add it before narrative (line 14)",
        ),
        (
            ("      - point: Share what you know.\n        questions:", "      - questions:"),
            "content/reviews/a.md:17: sections[1].learning_points[1].point: missing required field; add it before "
            "questions (line 17)",
        ),
        (
            ("  title: Full report", "  url: https://example.org/report.pdf"),
            "content/reviews/a.md:26: report.title: missing required field; add it before url (line 26)",
        ),
    ],
    ids=["in a section", "in a learning point", "in the report"],
)
def test_missing_field_inside_an_item_is_at_the_items_line(
    project: Project, change: tuple[str, str], expected: str
) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace(*change))
    assert errors_of(project) == [expected]


def test_unknown_field_suggests_the_intended_one(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("summary:", "sumary:"))
    assert errors_of(project) == [
        "content/reviews/a.md:12: sumary: unknown field; did you mean 'summary'?",
        "content/reviews/a.md:12: summary: missing required field; add it after themes (line 11)",
    ]


def test_unknown_nested_field_names_its_path(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("    narrative:", "    narative:"))
    assert "content/reviews/a.md:15: sections[1].narative: unknown field; did you mean 'narrative'?" in errors_of(
        project
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("nation: England", "nation: England\nsubject_age: [1, 2]"),
            "subject_age: input should be a valid string, found a list",
        ),
        (
            ("themes: [information-sharing]", "themes: information-sharing"),
            "themes: input should be a valid list, found 'information-sharing' (text)",
        ),
        (
            ("status: published", "status: yes"),
            "status: input should be 'draft', 'published' or 'archived', found True (true/false)",
        ),
    ],
)
def test_wrong_types(project: Project, change: tuple[str, str], expected: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace(*change))
    [error] = errors_of(project)
    assert error.split(": ", 1)[1] == expected


@pytest.mark.parametrize(
    ("published", "message"),
    [
        ('"2024-02-30"', "published: 2024-02-30 is not a real date (day is out of range for month)"),
        ('"2024-13"', "published: 2024-13 is not a real date (month must be in 1..12)"),
        ('"31/01/2024"', "published: use YYYY-MM-DD, YYYY-MM, YYYY or 'not dated', not '31/01/2024'"),
        ("2024-3-1", "published: use YYYY-MM-DD, YYYY-MM, YYYY or 'not dated', not '2024-3-1'"),
    ],
)
def test_invalid_and_impossible_dates(project: Project, published: str, message: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace('"2024-03-01"', published))
    assert errors_of(project) == [f"content/reviews/a.md:8: {message}"]


@pytest.mark.parametrize("published", ["2019", '"2019-04"', "2019-04-11", '"not dated"'])
def test_partial_dates_are_accepted(project: Project, published: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace('"2024-03-01"', published))
    check(project)


def test_unknown_vocabulary_entries_suggest_the_nearest(project: Project) -> None:
    text = (
        MINIMAL_REVIEW.replace("review_type: cspr", "review_type: serious-case-review")
        .replace("themes: [information-sharing]", "themes: [information-shareing, hidden men]")
        .replace("          - How do you share?\n", "          - How do you share?\n        agencies: [polise]\n")
    )
    write_review(project, "a.md", text)
    assert errors_of(project) == [
        "content/reviews/a.md:5: review_type: unknown review type 'serious-case-review'; did you mean 'scr'? "
        "If it is a new review type, give it an entry in content/vocabularies/review_types.yml with a name, "
        "a short_name, a nation and a what_is",
        "content/reviews/a.md:11: themes[1]: unknown theme 'information-shareing'; did you mean "
        "'information-sharing'? If it is a new theme, give it an entry in content/vocabularies/themes.yml with a "
        "name and a description",
        "content/reviews/a.md:11: themes[2]: unknown theme 'hidden men'; did you mean 'invisible-fathers'? "
        "(a review names a theme by its key, not its name)",
        "content/reviews/a.md:20: sections[1].learning_points[1].agencies[1]: unknown agency 'polise'; "
        "did you mean 'police'? If it is a new agency, give it an entry in content/vocabularies/agencies.yml "
        "with a name",
    ]


def vocabularies_without_carers(project: Project) -> None:
    """No shipped set chosen, and the board's own files holding every entry of every shipped set
    but the theme for carers: ``carers`` is then unknown, and only part of the synonym "male
    carers" of invisible-fathers."""
    change_settings(project, {"vocabularies": []})
    for name in VOCABULARIES:
        entries: dict = {}
        for folder in sorted(SHIPPED_VOCABULARIES.iterdir()):
            if (folder / f"{name}.yml").is_file():
                entries.update(yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8")) or {})
        if name == "themes":
            entries.pop("carers")
            assert "male carers" in entries["invisible-fathers"]["synonyms"]
        path = project.content_dir / "vocabularies" / f"{name}.yml"
        path.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_word_that_is_only_part_of_a_synonym_suggests_nothing(project: Project) -> None:
    """``carers`` looks like invisible-fathers' synonym "male carers", but is not it."""
    vocabularies_without_carers(project)
    write_review(project, "a.md", MINIMAL_REVIEW.replace("themes: [information-sharing]", "themes: [carers]"))
    assert errors_of(project) == [
        "content/reviews/a.md:11: themes[1]: unknown theme 'carers'; to add it, give it an entry in "
        "content/vocabularies/themes.yml with a name and a description"
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "hidden men",
            "unknown theme 'hidden men'; did you mean 'invisible-fathers'? (a review names a theme by its key, not "
            "its name)",
        ),
        (
            "Information sharing",
            "unknown theme 'Information sharing'; did you mean 'information-sharing'? (a review names a theme by "
            "its key, not its name)",
        ),
        (
            "absent-fathers",
            "unknown theme 'absent-fathers'; did you mean 'invisible-fathers'? If it is a new theme, give it an "
            "entry in content/vocabularies/themes.yml with a name and a description",
        ),
        (
            "Weather and climate",
            "unknown theme 'Weather and climate'; a review names a theme by its key (lowercase letters, digits and "
            "single hyphens); to add a new one, give it an entry in content/vocabularies/themes.yml with a name "
            "and a description",
        ),
    ],
    ids=["a synonym", "a name", "a synonym as a key", "nothing near"],
)
def test_did_you_mean_searches_names_and_synonyms(project: Project, written: str, expected: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("themes: [information-sharing]", f"themes: [{written}]"))
    assert errors_of(project) == [f"content/reviews/a.md:11: themes[1]: {expected}"]


def test_an_unknown_key_is_reported_once_a_file_with_every_line_that_uses_it(project: Project) -> None:
    text = MINIMAL_REVIEW.replace("themes: [information-sharing]", "themes: [weather]").replace(
        "    narrative: What happened.\n    learning_points:\n"
        "      - point: Share what you know.\n        questions:\n          - How do you share?\n",
        "    themes: [weather]\n    narrative: What happened.\n    learning_points:\n"
        "      - point: Share what you know.\n        questions:\n          - How do you share?\n"
        "        themes: [weather]\n"
        "      - point: Ask who else knows.\n        questions:\n          - Who else knows?\n"
        "        themes: [weather, weather]\n",
    )
    write_review(project, "a.md", text)
    write_review(project, "b.md", text.replace("id: test-2024-child-a", "id: test-2024-child-b"))
    how_to_add = "to add it, give it an entry in content/vocabularies/themes.yml with a name and a description"
    assert errors_of(project) == [
        f"content/reviews/a.md:11: themes[1]: unknown theme 'weather' (also on lines 15, 21, 25); {how_to_add}",
        f"content/reviews/b.md:11: themes[1]: unknown theme 'weather' (also on lines 15, 21, 25); {how_to_add}",
    ]


def test_a_draft_may_leave_its_publication_date_empty(project: Project) -> None:
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace('published: "2024-03-01"', "published:").replace("status: published", "status: draft"),
    )
    assert check(project).reviews == []
    [entry] = check(project, drafts=True).reviews
    assert entry.review.published is None


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (('published: "2024-03-01"', "published:"), 9),
        (("published:\n", ""), 8),
        (("status: published", "status: archived"), 9),
    ],
    ids=["empty", "left out", "archived"],
)
def test_a_published_review_needs_its_date(project: Project, change: tuple[str, str], line: int) -> None:
    text = MINIMAL_REVIEW.replace('published: "2024-03-01"', "published:").replace(*change)
    write_review(project, "a.md", text)
    assert errors_of(project) == [
        f"content/reviews/a.md:{line}: status: a published review needs its publication date: YYYY-MM-DD, "
        "YYYY-MM, YYYY or 'not dated'"
    ]


def test_duplicate_review_ids(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW)
    write_review(project, "b.md", MINIMAL_REVIEW)
    assert errors_of(project) == [
        "content/reviews/b.md:2: id: 'test-2024-child-a' is already the id of content/reviews/a.md; ids must be unique"
    ]


@pytest.mark.parametrize(
    ("questions", "line", "message"),
    [
        ("        questions: []\n", 18, "a learning point needs at least one reflection question"),
        ("", 17, "a learning point needs at least one reflection question"),
        ("        questions:\n", 18, "a learning point needs at least one reflection question"),
    ],
    ids=["empty list", "no field", "no value"],
)
def test_learning_point_without_a_question(project: Project, questions: str, line: int, message: str) -> None:
    write_review(
        project, "a.md", MINIMAL_REVIEW.replace("        questions:\n          - How do you share?\n", questions)
    )
    assert errors_of(project) == [f"content/reviews/a.md:{line}: sections[1].learning_points[1].questions: {message}"]


def test_learning_point_without_a_question_names_its_line(project: Project) -> None:
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace("          - How do you share?\n", "          []\n").replace(
            "        questions:\n", "        questions:\n"
        ),
    )
    assert errors_of(project) == [
        "content/reviews/a.md:19: sections[1].learning_points[1].questions: a learning point needs at least one reflection question"
    ]


def test_file_that_is_not_utf8(project: Project) -> None:
    path = project.content_dir / "reviews" / "a.md"
    path.write_bytes(MINIMAL_REVIEW.replace("The case summary.", "Caf\xe9 visit.").encode("cp1252"))
    assert errors_of(project) == [
        "content/reviews/a.md:28: file is not UTF-8 text (byte 0xe9); save it with UTF-8 encoding"
    ]


def test_repeated_key(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("status: published", "status: published\nstatus: draft"))
    assert errors_of(project) == ["content/reviews/a.md:10: status: this field is given twice; keep one"]


def test_missing_case_summary(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("The case summary.\n", ""))
    assert errors_of(project) == [
        "content/reviews/a.md:27: case summary: the case summary (the Markdown after the front matter) is missing"
    ]


def test_no_front_matter(project: Project) -> None:
    write_review(project, "a.md", "# Just Markdown\n")
    assert errors_of(project) == [
        "content/reviews/a.md:1: a review file must start with a '---' line and its front matter"
    ]


def test_every_error_in_every_file_at_once(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("summary:", "sumary:"))
    write_review(project, "b.md", MINIMAL_REVIEW.replace("board: Test", "board: Test\n  nested: x"))
    (project.content_dir / "reviews" / "c.md").write_bytes(b"---\nid: \xff\n---\n")
    write_review(
        project,
        "d.md",
        MINIMAL_REVIEW.replace("id: test-2024-child-a", "id: test-2024-child-d").replace(
            "nation: England", "nation: Englnd"
        ),
    )
    (project.content_dir / "settings.yml").write_text("site_name: X\n", encoding="utf-8")
    errors = errors_of(project)
    files = {error.split(":")[0] for error in errors}
    assert files == {
        "content/reviews/a.md",
        "content/reviews/b.md",
        "content/reviews/c.md",
        "content/reviews/d.md",
        "content/settings.yml",
    }
    assert "content/settings.yml:2: board_name: missing required field; add it after site_name (line 1)" in errors
    assert any(error.startswith("content/reviews/d.md:7: nation: input should be 'England'") for error in errors)


def test_vocabulary_files_are_checked(project: Project) -> None:
    themes = project.content_dir / "vocabularies" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8") + "Bad Key:\n  name: X\n  descripton: y\n", encoding="utf-8")
    errors = errors_of(project)
    assert errors[0].startswith("content/vocabularies/themes.yml:")
    assert errors[0].endswith(": Bad Key: a key must be lowercase letters, digits and single hyphens")


def test_vocabulary_entry_typo(project: Project) -> None:
    agencies = project.content_dir / "vocabularies" / "agencies.yml"
    lines = agencies.read_text(encoding="utf-8").count("\n")
    agencies.write_text(
        agencies.read_text(encoding="utf-8") + "ambulance:\n  nmae: Ambulance service\n", encoding="utf-8"
    )
    assert errors_of(project) == [
        f"content/vocabularies/agencies.yml:{lines + 2}: ambulance.name: missing required field",
        f"content/vocabularies/agencies.yml:{lines + 2}: ambulance.nmae: unknown field; did you mean 'name'?",
    ]


def test_interface_strings_can_be_reworded_but_not_misspelt(project: Project) -> None:
    (project.content_dir / "strings.yml").write_text(
        "learning_points: What we learned\nlearnng_point: Lesson\n", encoding="utf-8"
    )
    assert errors_of(project) == [
        "content/strings.yml:2: learnng_point: unknown interface string; did you mean 'learning_point'?"
    ]


def test_drafts_are_checked_but_not_published(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("status: published", "status: draft"))
    assert check(project).reviews == []
    write_review(
        project, "a.md", MINIMAL_REVIEW.replace("status: published", "status: draft").replace("summary:", "sumary:")
    )
    assert len(errors_of(project)) == 2


def test_a_field_left_empty_says_to_fill_it_in(project: Project) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW.replace("board: Test Safeguarding Children Partnership", "board:"))
    with pytest.raises(ContentErrors) as failure:
        check(project)
    assert [str(error) for error in failure.value.errors] == [
        "content/reviews/a.md:6: board: is empty; give it a value after the colon"
    ]

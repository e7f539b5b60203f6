"""The vocabulary sets shipped with Learning Lessons (generator/vocabularies/<set>/), chosen with
``vocabularies:`` in the settings and extended or reworded by a board's own files."""

from __future__ import annotations

import re
import shutil
import typing

import pytest
from conftest import MINIMAL_REVIEW, change_settings, write_review

from generator.build import Project, check
from generator.errors import ContentErrors
from generator.model.content import Content
from generator.model.schema import Settings
from generator.pipeline.load import SHIPPED_VOCABULARIES, VOCABULARIES, load, shipped_vocabularies
from generator.pipeline.render import render

SETS = typing.get_args(typing.get_args(Settings.model_fields["vocabularies"].annotation)[0])
"""The sets a site can choose, as the settings' model gives them."""

REQUIRED_REVIEW_TYPES = {
    "scr": "Serious Case Review (England, replaced from 2018)",
    "cspr": "local Child Safeguarding Practice Review (England)",
    "rapid-review": "rapid review (England)",
    "national-cspr": "national review by the Child Safeguarding Practice Review Panel",
    "sar": "Safeguarding Adults Review (England)",
    "dhr": "Domestic Homicide Review (England and Wales)",
    "dardr": "Domestic Abuse Related Death Review",
    "mental-health-homicide-review": "independent investigation commissioned by NHS England",
    "thematic-review": "thematic review",
    "multi-agency-learning-review": "multi-agency learning review",
    "cpr": "Child Practice Review (Wales)",
    "cpr-concise": "Concise Child Practice Review (Wales)",
    "cpr-extended": "Extended Child Practice Review (Wales)",
    "apr": "Adult Practice Review (Wales)",
    "susr": "Single Unified Safeguarding Review (Wales)",
    "child-protection-learning-review": "learning review, child protection (Scotland)",
    "adult-protection-learning-review": "learning review, adult protection (Scotland)",
    "cmr": "case management review (Northern Ireland)",
    "learning-resource": "an item that is not one review",
}
"""Every kind of review a site must be able to name, by its key."""

REQUIRED_THEMES = {
    "neglect": "neglect",
    "self-neglect": "self-neglect",
    "hoarding": "hoarding",
    "mental-capacity": "mental capacity",
    "making-safeguarding-personal": "Making Safeguarding Personal",
    "carers": "carers",
    "care-and-support-needs": "care and support needs",
    "adult-exploitation": "cuckooing",
    "county-lines": "county lines",
    "transitional-safeguarding": "transitional safeguarding",
    "voice-of-the-child": "voice of the child",
    "voice-of-the-adult": "voice of the adult",
    "professional-curiosity": "professional curiosity",
    "trauma-informed-practice": "trauma-informed",
    "domestic-abuse": "coercive control",
    "housing": "homelessness",
    "suicide-and-self-harm": "suicide",
    "mappa": "MAPPA",
    "marac": "MARAC",
    "substance-misuse": "substance misuse in adults",
}
"""Each theme a site must have, by its key, with the words for it that its name or synonyms hold
(where an existing theme already covered a subject, it was reused: coercive control is a synonym
of domestic abuse, homelessness of housing)."""

REQUIRED_AGENCIES = {
    "ambulance-service": "ambulance",
    "fire-and-rescue": "fire and rescue",
    "community-nursing": "district nurse",
    "youth-justice": "youth offending team",
    "gp": "GP",
    "mental-health": "mental health",
    "probation": "probation",
    "housing": "housing",
    "care-providers": "care home",
    "dwp": "Department for Work and Pensions",
}
"""Each agency a site must have, by its key, with the words for it that its name or synonyms hold."""


def choose(project: Project, sets: list[str], *, own_files: bool = False) -> None:
    """Make ``project`` use the shipped ``sets``, with (``own_files``) or without the board's own
    vocabulary files."""
    change_settings(project, {"vocabularies": sets})
    if not own_files:
        shutil.rmtree(project.content_dir / "vocabularies")


def errors_of(project: Project) -> list[str]:
    with pytest.raises(ContentErrors) as failure:
        check(project)
    return [str(error) for error in failure.value.errors]


def words_of(entry: typing.Any) -> str:
    """An entry's name and synonyms, lower case, as one text to search."""
    return " | ".join([entry.name, *getattr(entry, "synonyms", [])]).lower()


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Content:
    """The content of a project choosing every set, with no files of its own."""
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("everything"))
    choose(project, list(SETS))
    return check(project)


def test_the_sets_a_site_can_choose_are_the_shipped_folders() -> None:
    assert sorted(shipped_vocabularies()) == sorted(["common", *SETS])
    assert sorted(path.name for path in SHIPPED_VOCABULARIES.iterdir() if path.is_dir()) == sorted(["common", *SETS])


@pytest.mark.parametrize("chosen", SETS)
def test_every_shipped_set_validates(project: Project, chosen: str) -> None:
    """An error in a shipped file is a bug: each set, with the common set, checks cleanly."""
    choose(project, [chosen])
    content = check(project)
    for name in VOCABULARIES:
        for set_name in ("common", chosen):
            document = shipped_vocabularies()[set_name].get(name)
            if document is not None:
                assert document.problems == []
                assert set(document.data) <= set(getattr(content, name)), (set_name, name)


def test_no_key_is_in_two_shipped_sets() -> None:
    for name in VOCABULARIES:
        seen: dict[str, str] = {}
        for set_name, documents in shipped_vocabularies().items():
            for key in documents[name].data if name in documents else {}:
                assert key not in seen, f"{name}: {key!r} is in {seen[key]} and {set_name}"
                seen[key] = set_name


def test_no_synonym_names_two_entries(everything: Content) -> None:
    """A word a searcher types leads to one theme (or agency), not two."""
    for vocabulary in (everything.themes, everything.agencies):
        owner: dict[str, str] = {}
        for key, entry in vocabulary.items():
            for word in {entry.name.lower(), *(synonym.lower() for synonym in entry.synonyms)}:
                assert word not in owner, f"{word!r} names both {owner[word]} and {key}"
                owner[word] = key


@pytest.mark.parametrize("key", REQUIRED_REVIEW_TYPES)
def test_every_kind_of_review_is_shipped_and_explained(everything: Content, key: str) -> None:
    review_type = everything.review_types[key]
    assert review_type.name and review_type.short_name and review_type.nation


def test_each_what_is_text_is_three_to_six_sentences(everything: Content) -> None:
    for key, review_type in everything.review_types.items():
        sentences = re.findall(r"[.!?](?:\s|$)", review_type.what_is.strip())
        assert 3 <= len(sentences) <= 6, (key, len(sentences))


@pytest.mark.parametrize(("key", "words"), REQUIRED_THEMES.items())
def test_every_required_theme_is_shipped_with_a_description_and_synonyms(
    everything: Content, key: str, words: str
) -> None:
    theme = everything.themes[key]
    assert theme.description.strip() and theme.synonyms
    assert words.lower() in words_of(theme)


@pytest.mark.parametrize(("key", "words"), REQUIRED_AGENCIES.items())
def test_every_required_agency_is_shipped_with_synonyms(everything: Content, key: str, words: str) -> None:
    agency = everything.agencies[key]
    assert agency.synonyms
    assert words.lower() in words_of(agency)


def test_every_shipped_theme_and_agency_has_synonyms(everything: Content) -> None:
    assert [key for key, theme in everything.themes.items() if not theme.synonyms] == []
    assert [key for key, agency in everything.agencies.items() if not agency.synonyms] == []


def test_a_site_choosing_adults_has_adults_reviews_and_the_common_set_only(project: Project) -> None:
    choose(project, ["adults"])
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace("review_type: cspr", "review_type: sar")
        .replace("age_group: under-1", "age_group: 65-plus")
        .replace("themes: [information-sharing]", "themes: [self-neglect, mental-capacity, professional-curiosity]")
        .replace(
            "          - How do you share?\n", "          - How do you share?\n        agencies: [care-providers]\n"
        ),
    )
    content = check(project)
    assert {"sar", "apr", "adult-protection-learning-review", "thematic-review", "learning-resource"} <= set(
        content.review_types
    )
    assert {"self-neglect", "hoarding", "making-safeguarding-personal", "neglect", "domestic-abuse"} <= set(
        content.themes
    )
    assert {"care-providers", "ambulance-service", "gp"} <= set(content.agencies)
    assert set(content.age_groups) == set(shipped_vocabularies()["common"]["age_groups"].data)
    # Nothing of the sets it did not choose.
    assert not {"cspr", "scr", "dhr"} & set(content.review_types)
    assert not {"non-mobile-babies", "economic-abuse"} & set(content.themes)
    assert "health-visiting" not in content.agencies


def test_a_key_from_a_set_not_chosen_is_unknown_and_points_to_the_boards_file(project: Project) -> None:
    choose(project, ["adults"])
    write_review(project, "a.md", MINIMAL_REVIEW)  # a cspr, which is in the children set
    errors = errors_of(project)
    assert len(errors) == 1
    assert errors[0].startswith("content/reviews/a.md:5: review_type: unknown review type 'cspr'")
    assert "content/vocabularies/review_types.yml" in errors[0]


def test_the_boards_own_files_extend_and_reword_the_shipped_sets(project: Project) -> None:
    choose(project, ["children"], own_files=True)
    vocabularies = project.content_dir / "vocabularies"
    (vocabularies / "themes.yml").write_text(
        "# Our own themes.\n"
        "school-transport:\n"
        "  name: School transport\n"
        "  description: Journeys to and from school.\n"
        "neglect:\n"
        "  name: Neglect and poverty\n"
        "  description: Neglect, in our partnership's words.\n"
        "  synonyms: [poverty-aware practice]\n",
        encoding="utf-8",
    )
    (vocabularies / "agencies.yml").unlink()  # with sets chosen, the board's files are optional
    write_review(project, "a.md", MINIMAL_REVIEW.replace("[information-sharing]", "[school-transport, neglect]"))
    content = check(project)
    assert content.themes["school-transport"].name == "School transport"
    assert content.themes["neglect"].name == "Neglect and poverty"
    assert content.themes["neglect"].synonyms == ["poverty-aware practice"]
    assert "non-mobile-babies" in content.themes and "police" in content.agencies
    assert list(content.themes) == sorted(content.themes)
    pages = render(content)
    assert "# Neglect and poverty" in pages["themes/neglect.md"]


def test_a_boards_reworded_entry_is_checked_like_any_other(project: Project) -> None:
    choose(project, ["children"], own_files=True)
    (project.content_dir / "vocabularies" / "themes.yml").write_text("neglect:\n  nme: Neglect\n", encoding="utf-8")
    errors = errors_of(project)
    assert any(
        error.startswith("content/vocabularies/themes.yml:2: neglect.name: missing required field") for error in errors
    )
    assert "content/vocabularies/themes.yml:2: neglect.nme: unknown field; did you mean 'name'?" in errors


def test_without_sets_the_boards_files_hold_everything_as_before(project: Project) -> None:
    change_settings(project, {"vocabularies": []})
    vocabularies = project.content_dir / "vocabularies"
    (vocabularies / "review_types.yml").write_text(
        "cspr:\n  name: Child Safeguarding Practice Review\n  short_name: CSPR\n  nation: England\n"
        "  what_is: A review. It looks at practice. It is published.\n",
        encoding="utf-8",
    )
    (vocabularies / "themes.yml").write_text(
        "information-sharing:\n  name: Information sharing\n  description: Sharing.\n", encoding="utf-8"
    )
    (vocabularies / "agencies.yml").write_text("police:\n  name: Police\n", encoding="utf-8")
    (vocabularies / "age_groups.yml").write_text("under-1:\n  name: Under 1\n  order: 1\n", encoding="utf-8")
    write_review(project, "a.md", MINIMAL_REVIEW)
    content = check(project)
    assert list(content.review_types) == ["cspr"]
    assert list(content.themes) == ["information-sharing"]
    assert list(content.agencies) == ["police"]
    # Without sets, each file is required, as it always was.
    (vocabularies / "agencies.yml").unlink()
    assert errors_of(project) == ["content/vocabularies/agencies.yml:1: this file is missing; every site needs it"]


def test_without_sets_a_board_file_with_no_entries_is_an_error(project: Project) -> None:
    change_settings(project, {"vocabularies": []})
    (project.content_dir / "vocabularies" / "themes.yml").write_text("# nothing yet\n", encoding="utf-8")
    assert any(
        error.startswith("content/vocabularies/themes.yml:1: this file has no entries")
        and "'vocabularies:' in content/settings.yml" in error
        for error in errors_of(project)
    )


def test_with_sets_a_board_file_may_hold_only_comments(project: Project) -> None:
    choose(project, ["children"], own_files=True)
    (project.content_dir / "vocabularies" / "themes.yml").write_text("# nothing of our own yet\n", encoding="utf-8")
    write_review(project, "a.md", MINIMAL_REVIEW)
    assert "information-sharing" in check(project).themes


def test_an_unknown_set_is_an_error_at_its_line_and_hides_nothing_else(project: Project) -> None:
    settings = project.content_dir / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"^vocabularies: .*$", "vocabularies:\n  - children\n  - adult\n", text, flags=re.M)
    settings.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - adult") + 1
    write_review(project, "a.md", MINIMAL_REVIEW)
    errors = errors_of(project)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"content/settings.yml:{line}: vocabularies[2]: ")
    assert "'adults'" in errors[0] and "'adult'" in errors[0]


def test_shipped_sets_are_read_once_a_process(project: Project) -> None:
    first = load(project.content_dir)
    second = load(project.content_dir)
    assert first.shipped is second.shipped


def test_the_authors_guide_lists_the_chosen_sets_and_how_to_add_or_reword(project: Project) -> None:
    choose(project, ["adults"])
    guide = render(check(project))["guide/authors.md"]
    vocabularies = guide[guide.index("## Vocabularies") :]
    assert "shipped with Learning Lessons for\nadults" in vocabularies
    assert "| `self-neglect` | Self-neglect |" in vocabularies
    assert "| `sar` | Safeguarding Adults Review (SAR) | England |" in vocabularies
    assert "`non-mobile-babies`" not in vocabularies
    assert "**To add an entry**" in vocabularies and "**To reword an entry**" in vocabularies


def test_the_sample_site_chooses_every_set() -> None:
    from conftest import REPO

    settings = load(REPO / "content").settings
    assert settings is not None and settings.data["vocabularies"] == list(SETS)


def test_every_shipped_agency_has_a_description_and_synonyms() -> None:
    """Every agency in every shipped set says what it is, and what else practitioners call it."""
    for set_name, documents in shipped_vocabularies().items():
        for key, entry in (documents["agencies"].data if "agencies" in documents else {}).items():
            assert str(entry.get("description") or "").strip(), f"{set_name}: {key} has no description"
            assert entry.get("synonyms"), f"{set_name}: {key} has no synonyms"


def test_an_agency_page_shows_its_description_under_its_heading() -> None:
    """On the sample site, whose reviews address points to the police."""
    from conftest import REPO

    sample = check(Project(REPO))
    pages = render(sample)
    police = sample.agencies["police"]
    assert police.description
    page = pages["agencies/police.md"]
    assert page.index("# Police") < page.index(police.description) < page.index("## ")
    assert police.description in pages["agencies/index.md"]

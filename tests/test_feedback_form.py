"""The feedback form as generated for each delivery setting, and the blank discussion record."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from conftest import MINIMAL_REVIEW, REPO, change_settings, write_review

from generator.build import Project, check
from generator.model.feedback_form import form_fields, reflection_questions
from generator.pipeline.render import render


class FormParser(HTMLParser):
    """The attributes of the feedback form and of every control in it."""

    def __init__(self) -> None:
        super().__init__()
        self.form: dict[str, str] = {}
        self.controls: list[dict[str, str]] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("id") == "ll-feedback":
            self.form, self.inside = attributes, True
        elif self.inside and tag in ("input", "textarea", "select"):
            self.controls.append({"tag": tag, **attributes})

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def set_delivery(project: Project, delivery: str, endpoint: str | None) -> None:
    change_settings(project, {"feedback": {"delivery": delivery} | ({"endpoint": endpoint} if endpoint else {})})


def form_of(project: Project) -> FormParser:
    page = render(check(project))["reviews/test-2024-child-a.md"]
    parser = FormParser()
    parser.feed(page)
    return parser


@pytest.mark.parametrize(
    ("delivery", "endpoint", "action"),
    [
        ("service", "https://feedback.example.org/feedback", "https://feedback.example.org/feedback"),
        ("endpoint", "https://forms.example.org/f/abc", "https://forms.example.org/f/abc"),
        ("netlify", None, ""),
        (
            "email",
            None,
            "mailto:learning@example.org?subject=Feedback%20on%20the%20briefing%3A%20Child%20A%3A%20a%20test%20review",
        ),
    ],
)
def test_form_for_each_delivery(project: Project, delivery: str, endpoint: str | None, action: str) -> None:
    write_review(project, "a.md", MINIMAL_REVIEW)
    set_delivery(project, delivery, endpoint)
    parser = form_of(project)
    assert parser.form["method"] == "post"
    assert parser.form["action"] == action
    assert parser.form["data-delivery"] == delivery
    names = [control.get("name") for control in parser.controls if control.get("name")]
    site = check(project)
    expected = [field.name for field in form_fields(site.settings.feedback, reflection_questions(site.reviews[0]))]
    assert [
        name for name in dict.fromkeys(names) if name not in ("briefing", "submission-id", "website", "form-name")
    ] == expected
    assert {"briefing", "submission-id", "website"} <= set(names)
    if delivery == "netlify":
        assert parser.form["data-netlify"] == "true"
        assert parser.form["netlify-honeypot"] == "website"
        assert parser.form["name"] == "feedback"
        assert {"name": "form-name", "value": "feedback"}.items() <= next(
            c for c in parser.controls if c.get("name") == "form-name"
        ).items()
    else:
        assert "form-name" not in names
    if delivery == "email":
        assert parser.form["enctype"] == "text/plain"


def test_form_fields_are_labelled_and_described(project: Project) -> None:
    write_review(
        project,
        "a.md",
        MINIMAL_REVIEW.replace(
            "          - How do you share?\n", "          - How do you share?\n          - Who else needs to know?\n"
        ),
    )
    page = render(check(project))["reviews/test-2024-child-a.md"]
    form = page[page.index('<form class="ll-feedback"') : page.index("</form>")]
    for control in re.findall(r"<(?:input|textarea)[^>]*>", form):
        if 'type="hidden"' in control or 'name="website"' in control or 'type="radio"' in control:
            continue
        control_id = re.search(r'id="([^"]+)"', control).group(1)
        assert f'<label for="{control_id}">' in form, control
        if "name=" in control:
            assert f'aria-describedby="{control_id}-' in control, control
    # One answer box per reflection question, labelled with the question.
    assert '<label for="fb-answers-1">How do you share?</label>' in form
    assert '<label for="fb-answers-2">Who else needs to know?</label>' in form
    assert "<legend>Your answers to the reflection questions</legend>" in form
    # Required fields are marked in words, not only by the attribute.
    assert form.count('<span class="ll-required">(required)</span>') == 5
    assert form.count(" required>") + form.count(" required ") >= 5
    # The briefing is filled in and cannot be edited.
    assert 'value="Child A: a test review" readonly' in form
    assert '<input type="hidden" name="briefing" value="test-2024-child-a">' in form


def test_blank_record_has_every_question_and_field(sample_site: Project) -> None:
    from content_facts import normalise, reviews, text_of

    settings = yaml.safe_load((REPO / "content" / "settings.yml").read_text(encoding="utf-8"))
    for review_id, review in reviews(REPO / "content").items():
        text = text_of((sample_site.site_dir / "records" / review_id / "index.html").read_text(encoding="utf-8"))
        for section in review["sections"]:
            for point in section["learning_points"]:
                for question in point["questions"]:
                    assert normalise(question) in text
        for field in settings["feedback"]["fields"]:
            if field["kind"] != "reflection_answers":
                assert normalise(field["label"]) in text
        briefing = (sample_site.site_dir / "reviews" / review_id / "index.html").read_text(encoding="utf-8")
        assert f'href="../../records/{review_id}/"' in briefing

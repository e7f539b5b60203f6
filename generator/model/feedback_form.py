"""The feedback form's fields for one briefing, and the check every submission must pass.

The form in the site and the feedback service both work from these, so a board changes a field
in ``content/settings.yml`` once and the form and the server's checks change together.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model.content import Content, ReviewEntry
from generator.model.schema import EMAIL_PATTERN, FeedbackSettings
from generator.model.strings import fill_text

BRIEFING = "briefing"
"""The hidden field naming the briefing (its review id)."""
HONEYPOT = "website"
"""A field hidden from people; a form that fills it in was filled in by a robot."""
SUBMISSION_ID = "submission-id"
"""An optional unique id the page's script gives each submission, so a resend is stored once."""
LANGUAGE = "language"
"""The hidden field giving the language of the page the form was sent from (a site in English
and Welsh has it; without it the answers are in English)."""
LANGUAGES = ("en", "cy")
SYSTEM_FIELDS = (BRIEFING, HONEYPOT, SUBMISSION_ID, LANGUAGE)

_EMAIL = re.compile(EMAIL_PATTERN)
_SUBMISSION_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True)
class FormField:
    """One field of the form as shown for one briefing."""

    name: str
    label: str
    kind: str
    """text, textarea, date, number, choice, email or consent."""
    required: bool = False
    help: str = ""
    group: str = ""
    max_length: int = 2000
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    requires: str = ""


def reflection_questions(entry: ReviewEntry) -> list[str]:
    """Every reflection question of a briefing, in page order."""
    return [
        question.question
        for section in entry.review.sections
        for point in section.learning_points
        for question in point.questions
    ]


def form_fields(settings: FeedbackSettings, questions: Sequence[str]) -> list[FormField]:
    """The fields of the form for a briefing with these reflection questions."""
    fields: list[FormField] = []
    for field in settings.fields:
        if field.kind == "reflection_answers":
            fields += [
                FormField(
                    name=f"{field.name}-{number}",
                    label=question,
                    kind="textarea",
                    required=field.required,
                    help=field.help,
                    group=field.label,
                    max_length=field.max_length,
                )
                for number, question in enumerate(questions, start=1)
            ]
        else:
            fields.append(
                FormField(
                    name=field.name,
                    label=field.label,
                    kind=field.kind,
                    required=field.required,
                    help=field.help,
                    group=field.group,
                    max_length=field.max_length,
                    choices=tuple(field.choices),
                    minimum=field.minimum,
                    maximum=field.maximum,
                    requires=field.requires,
                )
            )
    return fields


class SubmissionRejected(Exception):
    """A submission that breaks a rule; ``errors`` maps each field (or ``form``) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def check_submission(form: Mapping[str, Sequence[str]], content: Content) -> dict[str, str]:
    """The cleaned answers of a submitted form, or ``SubmissionRejected`` listing every problem.

    ``form`` maps each submitted name to its values (as a form post gives them). The result
    maps the briefing, the optional submission id and every form field to its answer text
    ("" when left empty)."""
    errors: dict[str, str] = {}
    if any(len(values) > 1 for values in form.values()):
        repeated = sorted(name for name, values in form.items() if len(values) > 1)
        raise SubmissionRejected({"form": f"each field may be sent once: {', '.join(repeated)}"})
    given = {name: (values[0] if values else "") for name, values in form.items()}
    if given.get(HONEYPOT, "").strip():
        raise SubmissionRejected({"form": "this submission looks automated and was not stored"})
    briefing = given.get(BRIEFING, "")
    entries = {entry.review.id: entry for entry in content.reviews}
    if briefing not in entries:
        raise SubmissionRejected({BRIEFING: "unknown briefing"})
    fields = form_fields(content.settings.feedback, reflection_questions(entries[briefing]))
    known = {field.name for field in fields} | set(SYSTEM_FIELDS)
    unknown = sorted(set(given) - known)
    if unknown:
        errors["form"] = f"unknown field(s): {', '.join(unknown)}"
    submission_id = given.get(SUBMISSION_ID, "")
    if submission_id and not _SUBMISSION_ID.match(submission_id):
        errors[SUBMISSION_ID] = "not a valid submission id"
    language = given.get(LANGUAGE, "") or LANGUAGES[0]
    if language not in LANGUAGES:
        errors[LANGUAGE] = f"one of: {', '.join(LANGUAGES)}"
    clean = {BRIEFING: briefing, SUBMISSION_ID: submission_id, LANGUAGE: language}
    for field in fields:
        value = given.get(field.name, "").replace("\r\n", "\n").strip()
        problem = _problem(field, value, content.strings)
        if problem:
            errors[field.name] = problem
        clean[field.name] = value
    for field in fields:
        if field.requires and clean.get(field.name) and not clean.get(field.requires):
            partner = next(other for other in fields if other.name == field.requires)
            needed = fill_text(
                content.strings["feedback_problem_needed_when"], label=field.label, partner=partner.label
            )
            errors.setdefault(field.requires, needed)
    if errors:
        raise SubmissionRejected(errors)
    return clean


def _problem(field: FormField, value: str, strings: Mapping[str, str]) -> str:
    """What is wrong with one answer, in the words of the site's language, or ``""``."""

    def said(key: str, **values: object) -> str:
        return fill_text(strings[f"feedback_problem_{key}"], **values)

    if not value:
        return said("required") if field.required else ""
    if len(value) > field.max_length:
        return said("too_long", limit=field.max_length, length=len(value))
    if "\x00" in value:
        return said("not_text")
    if field.kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return said("date")
    elif field.kind == "number":
        if not re.fullmatch(r"-?\d{1,9}", value):
            return said("number")
        number = int(value)
        if field.minimum is not None and number < field.minimum:
            return said("at_least", minimum=field.minimum)
        if field.maximum is not None and number > field.maximum:
            return said("at_most", maximum=field.maximum)
    elif field.kind == "choice" and value not in field.choices:
        return said("choice", choices=", ".join(field.choices))
    elif field.kind == "email" and not _EMAIL.match(value):
        return said("email")
    elif field.kind == "consent" and value != "yes":
        return said("consent")
    return ""

"""The content model: one schema class per kind of content file.

Each field's docstring is its meaning for authors; the authors' guide in the site is
generated from these docstrings, so they are the documentation.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from generator.model.dates import PublicationDate

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A piece of text that may not be empty."""
KEY_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
"""A vocabulary key or id: lowercase letters, digits and single hyphens."""
Url = Annotated[str, StringConstraints(pattern=r"^(https?://|mailto:)\S+$")]
"""A web address starting with http://, https:// or mailto:."""

EMAIL_ADDRESS = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
"""An e-mail address (found in running text by the anonymity check)."""
EMAIL_PATTERN = rf"^{EMAIL_ADDRESS}$"
"""A field that holds one e-mail address and nothing else."""


class Strict(BaseModel):
    """Shared settings: unknown fields are errors, so a typo is caught, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Link(Strict):
    """A link to further reading."""

    title: Text
    """What the link is called on the page."""
    url: Url | None = None
    """Its address; leave it out if the document has none, and the title is shown alone."""


WrittenBy = Literal["review", "board"]
"""Who wrote a sentence: the review (its report), or the board for the briefing."""

PointKind = Literal["learning point", "finding", "lesson", "conclusion", "learning theme", "key message"]
"""What a review calls a point of its learning."""


def _as_list(value: object) -> object:
    """One value written alone, as a list of one."""
    return [value] if isinstance(value, str) else value


def _as_question(value: object) -> object:
    """A question written as plain text, as a question with nothing more said of it."""
    return {"question": value} if isinstance(value, str) else value


class Question(Strict):
    """A reflection question. Written as plain text it is the board's; written as a set of
    fields it can say it is the review's own, and where in the report it is."""

    question: Text
    """The question."""
    written_by: WrittenBy = "board"
    """``board`` (written for the briefing; the default) or ``review`` (asked by the review)."""
    source: Text | None = None
    """Where in the report it is, such as ``p. 23, §5.1.3`` (optional)."""

    def __str__(self) -> str:
        return self.question


class LearningPoint(Strict):
    """One point of the review's learning, with the questions a team reflects on."""

    point: Text
    """The learning point itself, one or two sentences."""
    kind: PointKind = "learning point"
    """What the review calls it: ``learning point`` (the default), ``finding``, ``lesson``,
    ``conclusion``, ``learning theme`` or ``key message``."""
    written_by: WrittenBy = "review"
    """``review`` (the review's own learning, restated; the default) or ``board`` (drawn by the
    board for the briefing)."""
    source: Text | None = None
    """Where in the report it is, such as ``p. 23, §5.1.3`` (optional)."""
    questions: list[Annotated[Question, BeforeValidator(_as_question)]] = Field(min_length=1)
    """Reflection questions for a team: at least one. Plain text is a question the board wrote
    for the briefing; a question the review itself asks is written as ``question:`` with
    ``written_by: review`` (and ``source:`` if you like)."""
    agencies: list[Key] = []
    """Agencies this point is addressed to (keys from ``agencies.yml``)."""
    themes: list[Key] = []
    """Themes of this point (keys from ``themes.yml``); if empty, the section's themes."""


class Section(Strict):
    """A themed section of a briefing."""

    heading: Text
    """The section's heading."""
    themes: list[Key] = []
    """Themes of this section (keys from ``themes.yml``); if empty, the review's themes."""
    narrative: str = ""
    """What happened in the case and why it matters (Markdown); a section needs a narrative,
    learning points, or both."""
    learning_points: list[LearningPoint] = []
    """The learning points of this section, if it has any."""

    @model_validator(mode="after")
    def _check_not_empty(self) -> Section:
        if not self.narrative.strip() and not self.learning_points:
            raise ValueError("a section needs a narrative, learning points, or both")
        return self


class Recommendation(Strict):
    """A recommendation the review makes."""

    recommendation: Text
    """What the review recommends."""
    addressed_to: list[Text] = Field(min_length=1)
    """Whom it is addressed to: keys from ``agencies.yml``, or the names of partnerships, boards
    or local authorities as the report gives them (``Flintshire County Council``, ``LA1``)."""
    written_by: WrittenBy = "review"
    """``review`` (the default) or ``board`` (a recommendation the board made itself)."""
    source: Text | None = None
    """Where in the report it is, such as ``p. 41, recommendation 3`` (optional)."""


class Report(Strict):
    """The full review report."""

    title: Text
    """The report's title."""
    url: Url | None = None
    """Where it is published; leave it out if it is not online."""
    available_until: datetime.date | None = None
    """The date the board stops publishing the full report (optional); after it the briefing says
    the report is no longer published, and the briefing stays."""


class AllowedDetail(Strict):
    """A detail the anonymity check flagged, reviewed and found not to identify anyone."""

    text: Text
    """The flagged text, exactly as it appears."""
    reason: Text
    """Why it is safe to publish."""


class Subject(Strict):
    """A person the review is about."""

    pseudonym: Text | None = None
    """The pseudonym the report uses for them; leave it out if the report uses none."""
    age_group: Key | None = None
    """Their age group (a key from ``age_groups.yml``); leave it out if the report does not say."""
    age: Text | None = None
    """Their age as the report gives it, in words (optional)."""
    description: Text | None = None
    """Who they were, in a few words, as the report describes them (optional)."""


class CollectedFrom(Strict):
    """Where a briefing of a national collection came from: one board's published learning
    (written by ``briefings collect``)."""

    publisher: Text
    """The board or partnership whose site published the briefing."""
    source: Key
    """The key of the source in ``content/collection.yml`` it was collected from."""
    region: Text | None = None
    """The region of the board, as ``content/collection.yml`` gives it (optional)."""
    url: Url | None = None
    """The briefing's own page on the board's site (the canonical copy), if its address is known."""
    licence: Text
    """The licence the board publishes its learning under."""
    licence_url: Url
    """Where that licence is published."""


class Review(Strict):
    """One case review: the front matter of a file in ``content/reviews/``."""

    id: Key
    """Unique id, used in the page address: include the board and year, since a pseudonym
    alone is not unique."""
    title: Text
    """Title of the briefing."""
    reference: Text | None = None
    """The report's own reference, for a review known by it rather than by a pseudonym (such as
    ``CPR FLINT 2``; optional)."""
    subjects: list[Subject] = []
    """The people the review is about, each with a pseudonym (or none), an age group and a few
    words: for a review about more than one person. Otherwise use ``pseudonyms`` and
    ``age_group``."""
    pseudonyms: list[Text] = []
    """Pseudonym(s) the report uses, exactly as published (the child, adult or family); leave it
    out for a review that uses none (give its ``reference``) or names its ``subjects``."""
    review_type: Annotated[list[Key], BeforeValidator(_as_list), Field(min_length=1)]
    """Kind of review (a key from ``review_types.yml``), or a list of them for a review that is
    several kinds at once (a joint SAR and DHR)."""
    board: Annotated[list[Text], BeforeValidator(_as_list), Field(min_length=1)]
    """The board or partnership that published the review, or a list of them for a review
    commissioned jointly."""
    nation: Literal["England", "Wales", "Scotland", "Northern Ireland"]
    """England, Wales, Scotland or Northern Ireland."""
    published: PublicationDate | None = None
    """Publication date: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, or ``not dated``; a draft may
    leave it empty until it is known."""
    status: Literal["draft", "published", "archived"]
    """``draft`` (left out of the site), ``published``, or ``archived`` (still in the site, marked
    as archived and left out of the newest briefings)."""
    publish_from: datetime.date | None = None
    """Embargo: the review is left out of the site until this date (``YYYY-MM-DD``, optional)."""
    updated: datetime.date | None = None
    """The date the briefing was last changed in a way readers should know of, such as a
    corrected point or the board's response added (``YYYY-MM-DD``, optional): the site's feed
    lists it again, and its data says when it was changed."""
    age_group: Key | None = None
    """Age group of the person at the centre of the review (a key from ``age_groups.yml``);
    for a review about several people, give each one's under ``subjects`` instead, and leave
    both out for a learning resource that is about no one person."""
    subject_age: Text | None = None
    """The age as the report gives it, in words (optional)."""
    themes: list[Key] = Field(min_length=1)
    """Practice themes of the review (keys from ``themes.yml``)."""
    agencies: list[Key] = []
    """Agencies involved in the case (keys from ``agencies.yml``, optional)."""
    summary: Text
    """One or two sentences shown in lists of briefings."""
    sections: list[Section] = Field(min_length=1)
    """Themed sections of learning, in page order."""
    good_practice: list[Text] | None
    """Good practice the review noted (Markdown, one item each): ``[]`` if it noted none, or
    left empty (``good_practice:``) if the summary the briefing is drawn from does not say."""
    recommendations: list[Recommendation] | None
    """Recommendations the review makes: ``[]`` if it made none, or left empty
    (``recommendations:``) if the summary the briefing is drawn from does not list them."""
    board_questions: list[Text]
    """Questions the review puts to the board (may be empty)."""
    board_response: str
    """The board's response or action-plan note (Markdown; empty if none was published)."""
    further_reading: list[Link]
    """Further reading (may be empty)."""
    report: Report
    """The full report."""
    facilitator_notes: str = ""
    """Notes for whoever leads a session on this review, added to the session plan (Markdown,
    optional)."""
    anonymity_allow: list[AllowedDetail] = []
    """Details the anonymity check flags that have been reviewed and may be published (optional)."""
    collected_from: list[CollectedFrom] = []
    """For a briefing of a national collection: the board site(s) it was collected from, each with
    its link and licence. Written by ``briefings collect``; leave it out in a board's own reviews."""

    @field_validator("age_group")
    @classmethod
    def _check_age(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("subjects"):
            raise ValueError("give each person's age group under subjects, not here as well")
        return value

    @property
    def names(self) -> list[str]:
        """Every pseudonym the review uses, its people's included."""
        return list(dict.fromkeys([*self.pseudonyms, *(s.pseudonym for s in self.subjects if s.pseudonym)]))

    @property
    def age_groups(self) -> list[str]:
        """The age group of each person the review is about."""
        if self.subjects:
            return list(dict.fromkeys(s.age_group for s in self.subjects if s.age_group))
        return [self.age_group] if self.age_group else []

    @property
    def theme_keys(self) -> set[str]:
        """Every theme the review, its sections and its points are tagged with."""
        return {
            *self.themes,
            *(key for section in self.sections for key in section.themes),
            *(key for section in self.sections for point in section.learning_points for key in point.themes),
        }

    @property
    def agencies_named(self) -> set[str]:
        """Every agency key and organisation name the review names: involved, or addressed by a
        point or recommendation."""
        return {
            *self.agencies,
            *self.addressees,
            *(key for section in self.sections for point in section.learning_points for key in point.agencies),
        }

    @property
    def addressees(self) -> list[str]:
        """Every agency key and organisation name its recommendations are addressed to."""
        return list(dict.fromkeys(name for item in self.recommendations or [] for name in item.addressed_to))

    @field_validator("status")
    @classmethod
    def _check_dated(cls, value: str, info: ValidationInfo) -> str:
        if value != "draft" and "published" in info.data and info.data["published"] is None:
            raise ValueError("a published review needs its publication date: YYYY-MM-DD, YYYY-MM, YYYY or 'not dated'")
        return value


class CaseSummary(Strict):
    """The Markdown body of a review file."""

    case_summary: Text
    """The case summary: who the child or adult was, what happened, why the review was held."""


class ReviewType(Strict):
    """A kind of review, in ``content/vocabularies/review_types.yml``."""

    name: Text
    """The type's full name, such as Serious Case Review."""
    short_name: Text
    """Its usual abbreviation, such as SCR."""
    nation: Text
    """Where such reviews are held."""
    what_is: Text
    """The "What is a ...?" explanation shown on every briefing of this type (Markdown)."""


class Theme(Strict):
    """A practice theme, in ``content/vocabularies/themes.yml``."""

    name: Text
    """The theme's name on the site."""
    description: Text
    """What the theme covers."""
    synonyms: list[Text] = []
    """Other words practitioners use for it."""


class Agency(Strict):
    """An agency, in ``content/vocabularies/agencies.yml``."""

    name: Text
    """The agency's name on the site."""
    description: Text | None = None
    """What the agency is and does, in a sentence or two: shown on its page."""
    synonyms: list[Text] = []
    """Other names for it."""


class Jargon(Strict):
    """A term the plain-English check points out, with plainer words, in
    ``content/vocabularies/jargon.yml``."""

    terms: list[Text] = []
    """The words to look for, in any form they take (``utilise``, ``utilised``, ``utilising``),
    matched as whole words in any case. An entry with no terms turns off the shipped entry with
    the same key."""
    plain: Text
    """What to write instead."""


class AgeGroup(Strict):
    """An age group, in ``content/vocabularies/age_groups.yml``."""

    name: Text
    """The age group's name on the site."""
    order: int
    """Where it comes in lists (lowest first)."""


class AgendaItem(Strict):
    """One step of a session's agenda."""

    minutes: int = Field(ge=1)
    """How long it takes."""
    activity: Text
    """What the group does."""


class Agenda(Strict):
    """A timed agenda for a session of a given length."""

    minutes: int = Field(ge=1)
    """The length of the session; the steps must add up to it."""
    items: list[AgendaItem] = Field(min_length=1)
    """The steps, in order."""

    @model_validator(mode="after")
    def _check_total(self) -> Agenda:
        total = sum(item.minutes for item in self.items)
        if total != self.minutes:
            raise ValueError(f"the steps add up to {total} minutes, not {self.minutes}")
        return self


class SessionSettings(Strict):
    """What every session plan says, in ``content/settings.yml`` under ``session:``."""

    purpose: Text
    """Why a team holds a session on a briefing (Markdown)."""
    before: Text
    """What the person leading the session does and reads beforehand (Markdown)."""
    agendas: list[Agenda] = Field(min_length=1)
    """Timed agendas, for example for a 30-minute and a 60-minute session."""
    facilitator_notes: Text
    """Notes on handling a distressing subject (Markdown)."""
    closing_actions: list[Text] = Field(min_length=1)
    """What the group agrees before it closes."""


FieldKind = Literal["text", "textarea", "date", "number", "choice", "email", "consent", "reflection_answers"]


class FeedbackField(Strict):
    """One field of the feedback form, in ``content/settings.yml`` under ``feedback.fields``."""

    name: Key
    """The field's name in the submitted form and the stored record."""
    label: Text
    """What the form says beside the field."""
    kind: FieldKind
    """``text`` (one line), ``textarea``, ``date``, ``number``, ``choice`` (one of ``choices``),
    ``email``, ``consent`` (a tick box), or ``reflection_answers``: one answer box per reflection
    question of the briefing, each labelled with its question."""
    required: bool = False
    """Whether the form cannot be sent without it."""
    help: str = ""
    """A hint shown under the label (optional)."""
    group: str = ""
    """Fields with the same group are shown together under this heading (optional)."""
    max_length: int = Field(default=2000, ge=1, le=20000)
    """The most characters a text answer may have."""
    choices: list[Text] = []
    """The allowed answers of a ``choice`` field."""
    minimum: int | None = None
    """The smallest allowed ``number``."""
    maximum: int | None = None
    """The largest allowed ``number``."""
    requires: str = ""
    """Another field that must be filled in when this one is (for example the consent that goes
    with a contact e-mail)."""

    @model_validator(mode="after")
    def _check_choices(self) -> FeedbackField:
        if self.kind == "choice" and not self.choices:
            raise ValueError("a choice field needs its choices")
        if self.kind != "choice" and self.choices:
            raise ValueError(f"only a choice field has choices, not a {self.kind} field")
        return self


class FeedbackSettings(Strict):
    """How feedback is collected, in ``content/settings.yml`` under ``feedback:``."""

    delivery: Literal["service", "endpoint", "netlify", "email"]
    """Where the form sends answers: ``service`` (this project's feedback service), ``endpoint``
    (any form service that accepts a normal POST), ``netlify`` (Netlify forms), or ``email``
    (no service: the form offers an e-mail to the board with the answers in it)."""
    endpoint: Url | None = None
    """The address the form posts to, for ``service`` and ``endpoint``."""
    fields: list[FeedbackField] = Field(min_length=1)
    """The form's fields, in order."""
    publish_summary: bool = False
    """Whether the site includes a summary of the feedback received (no personal data)."""

    @model_validator(mode="after")
    def _check_delivery(self) -> FeedbackSettings:
        if self.delivery in ("service", "endpoint") and not self.endpoint:
            raise ValueError(f"delivery {self.delivery!r} needs the endpoint the form posts to")
        names = [field.name for field in self.fields]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"field names must be unique: {', '.join(repeated)}")
        for field in self.fields:
            if field.requires and field.requires not in names:
                raise ValueError(f"{field.name} requires {field.requires!r}, which is not a field")
        return self


class Usefulness(BaseModel):
    """How useful teams found a briefing (1 to 5)."""

    answers: int
    mean: float | None
    counts: dict[str, int]


class FeedbackFigures(BaseModel):
    """What the feedback says about a briefing, a theme or everything: counts only."""

    sessions: int
    people: int
    agencies: int
    changes: int
    usefulness: Usefulness


class BriefingFeedback(FeedbackFigures):
    id: str
    title: str


class ThemeFeedback(FeedbackFigures):
    id: str
    name: str
    briefings: int


class FeedbackSummary(BaseModel):
    """``content/feedback-summary.json``, written by ``briefings feedback report --publish``."""

    submissions: int
    first_received: str | None
    last_received: str | None
    totals: FeedbackFigures
    briefings: list[BriefingFeedback]
    themes: list[ThemeFeedback]


class QuickExit(Strict):
    """The "leave this site" button on every page, in ``content/settings.yml`` under ``quick_exit:``."""

    label: Text
    """The button's words."""
    url: Url
    """Where it goes: an ordinary site such as a weather or news page."""


Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
"""One e-mail address."""


class BoardSettings(Strict):
    """What one board sets for its own briefings, in ``content/settings.yml`` under
    ``boards:`` (for a site that publishes for several boards); anything left out is the site's."""

    standing_questions: list[Text] | None = Field(default=None, min_length=1)
    """Questions asked at the end of this board's briefings."""
    seven_minute_headings: list[Text] | None = Field(default=None, min_length=7, max_length=7)
    """The headings of the seven tiles of this board's 7-minute briefings."""
    contact_email: Email | None = None
    """Where teams send feedback and questions about this board's briefings."""
    feedback_endpoint: Url | None = None
    """The address the feedback form on this board's briefings posts to (for the ``service`` and
    ``endpoint`` deliveries)."""


OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
"""The Open Government Licence v3.0, under which most UK public bodies publish their data."""


class OpenDataSettings(Strict):
    """The learning published as data, in ``content/settings.yml`` under ``open_data:``."""

    licence: Text = "Open Government Licence v3.0"
    """The licence the data files and feed are published under, by name."""
    licence_url: Url = OGL
    """Where the licence is published."""
    feed_entries: int = Field(default=50, ge=1)
    """How many of the newest and most recently updated briefings the feed lists."""


class PlainEnglishSettings(Strict):
    """The plain-English check of ``briefings check``, in ``content/settings.yml`` under
    ``plain_english:``. Its findings are warnings, never errors (not even with ``--strict``)."""

    check: bool = True
    """Whether ``briefings check`` and the build look for long sentences, jargon and hard reading."""
    min_reading_ease: float = Field(default=50, ge=0, le=100)
    """A briefing whose Flesch reading ease (0 to 100: higher is easier; 60 to 70 is plain English,
    below 30 is for graduates) is below this gets a warning."""
    max_sentence_words: int = Field(default=40, ge=5)
    """A sentence longer than this many words gets a warning."""
    jargon: bool = True
    """Whether to warn about the terms in the jargon list (``generator/vocabularies/common/jargon.yml``
    and ``content/vocabularies/jargon.yml``), each with its plainer words."""


class Settings(Strict):
    """Site-wide settings, in ``content/settings.yml``."""

    site_name: Text
    """The site's name, shown in the header and the browser tab."""
    board_name: Text
    """The board or partnership that publishes the site."""
    contact_email: Email
    """Where teams send feedback and questions."""
    site_url: Url | None = None
    """The address the site is published at (optional; used for the sitemap)."""
    intro: Text
    """What this site is: the opening text of the home page (Markdown)."""
    how_to_use: Text
    """How a team lead uses a briefing: shown on the home page and on every briefing (Markdown)."""
    standing_questions: list[Text] = Field(min_length=1)
    """Questions asked at the end of every briefing."""
    newest_count: int = Field(default=5, ge=1)
    """How many of the newest briefings the home page lists."""
    session: SessionSettings
    """What every session plan says."""
    seven_minute_headings: list[Text] = Field(min_length=7, max_length=7)
    """The headings of the seven tiles of a 7-minute briefing, in order."""
    feedback: FeedbackSettings
    """The feedback form on every briefing and where it sends the answers."""
    helplines: list[Text] = []
    """Phone numbers that may appear in briefings, such as a front door or MASH number."""
    contacts: list[Text] = []
    """E-mail addresses that may appear in briefings (the contact address always may)."""
    quick_exit: QuickExit | None = None
    """A button on every page that leaves the site at once (leave it out for none)."""
    offline: bool = False
    """Build for opening straight from a folder or file share (``file://``): pages become
    ``.html`` files and search works without a web server."""
    boards: dict[Text, BoardSettings] = {}
    """Settings of each board whose briefings this site publishes, by the board's name as reviews
    give it (optional; for regional partnerships publishing for several boards)."""
    make_pdfs: bool = True
    """Make PDF downloads of each briefing and 7-minute briefing (turn off for quicker test builds
    of very large sites)."""
    make_word: bool = True
    """Make Word (.docx) downloads of each briefing and 7-minute briefing, for teams to edit."""
    open_data: OpenDataSettings = OpenDataSettings()
    """The licence of the learning published as data, and the length of the feed."""
    plain_english: PlainEnglishSettings = PlainEnglishSettings()
    """The thresholds of the plain-English check."""
    languages: list[Literal["en", "cy"]] = ["en"]
    """The languages the site is published in: ``[en]`` (the default) or ``[en, cy]`` for English
    and Welsh. English pages are at the site's root and Welsh ones under ``cy/``, at the same
    addresses; text is given in both as ``en:`` and ``cy:`` (see "Welsh and bilingual sites")."""
    vocabularies: list[Literal["children", "adults", "domestic-abuse"]] = []
    """The vocabulary sets shipped with Learning Lessons that the site uses: any of ``children``,
    ``adults`` and ``domestic-abuse``, with the ``common`` set (age groups, review kinds and themes
    of every service) that choosing any of them brings. The files in ``content/vocabularies/``
    then add the board's own entries, and an entry there whose key a chosen set also has replaces
    the shipped one. Leave it out (or ``[]``) to use no shipped set: the files in
    ``content/vocabularies/`` then hold every entry."""

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, value: list[str]) -> list[str]:
        if not value or value[0] != "en" or len(set(value)) != len(value):
            raise ValueError("give English first and each language once: [en] or [en, cy]")
        return value


class CollectionSource(Strict):
    """One board's published learning, in ``content/collection.yml`` under ``sources:``."""

    key: Key
    """A short name for the source (lowercase letters, digits and hyphens), unique in the file:
    its last good copy is kept in ``collected/KEY/``."""
    location: Text
    """Where its ``learning.json`` is: an ``https://`` address, or a folder (relative to the
    project) holding ``learning.json`` or ``data/learning.json``."""
    board: Text | None = None
    """The board's name, if the data does not give it (its ``publisher`` is used otherwise)."""
    region: Text | None = None
    """The board's region (such as South East), for the collection's region filter (optional)."""
    nation: Literal["England", "Wales", "Scotland", "Northern Ireland"] | None = None
    """The board's nation, used for a review whose data does not give it (optional)."""
    site_url: Url | None = None
    """The address of the board's site, for data whose page addresses are relative (optional)."""


class Collection(Strict):
    """A national library of many boards' learning, in ``content/collection.yml``: read by
    ``briefings collect``."""

    sources: list[CollectionSource] = Field(min_length=1)
    """The boards' published learning, one entry each."""

    @model_validator(mode="after")
    def _check_unique_keys(self) -> Collection:
        keys = [source.key for source in self.sources]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"each source needs its own key; used more than once: {', '.join(repeated)}")
        return self

"""Stage: Word documents (.docx) of each briefing and 7-minute briefing, for teams to edit, made
with python-docx. Like render, this writes nothing: it returns ``{path: bytes}``.

The documents use Word's own styles, so they behave as documents written in Word: headings
(``Title``, ``Heading 1``, ``Heading 2``) fill the navigation pane, lists are ``List Bullet`` and
``List Number``, and after each point's questions a bordered box leaves space to write. Their
properties give the title, the board as author, the subject, the language (en-GB) and the
review's dates, never the build's; the zip is packed again with fixed times, so that the same
content always gives the same bytes."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator

from generator.model import addresses
from generator.model.content import Content, ReviewEntry
from generator.model.dates import or_not_dated
from generator.templating import display_date, join_names, names_of

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The time stamp of every file inside a document (the earliest a zip file can hold)."""
PROPERTY_LIMIT = 255
"""The most characters a document property (title, keywords...) may hold."""
WRITING_SPACE_CM = 3.0
"""The height of the box left for a team's notes after each point's questions."""

STYLES = (
    "Normal",
    "Title",
    "Title Char",
    "Heading 1",
    "Heading 1 Char",
    "Heading 2",
    "Heading 2 Char",
    "List Bullet",
    "List Number",
    "Table Grid",
    "Normal Table",
    "No List",
    "Default Paragraph Font",
    "Header",
    "Header Char",
)
"""The styles the documents use (with those they are based on or linked to); python-docx's
template has 164, and looking a style up by name reads them all, so the rest are removed."""

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_ATTRIBUTES = re.compile(r"\s*\{:?[^{}]*\}\s*$")
_NUMBERED = re.compile(r"^\d+[.)]\s+")


def make_word_files(content: Content) -> dict[str, bytes]:
    """A briefing and a 7-minute briefing as Word documents, for every review in ``content``."""
    files: dict[str, bytes] = {}
    for entry in content.reviews:
        files[addresses.briefing_word(entry.review.id)] = _packed(_briefing(content, entry))
        files[addresses.seven_minute_word(entry.review.id)] = _packed(_seven_minute(content, entry))
    return files


def plain(text: str) -> str:
    """Markdown written by an author as plain text for Word: a link as its words and its address
    (an address within the site as its words alone), emphasis marks and attribute lists dropped."""

    def link(match: re.Match) -> str:
        words, target = match.groups()
        return f"{words} ({target})" if re.match(r"^(https?:|mailto:)", target) else words

    text = _LINK.sub(link, text)
    text = _EMPHASIS.sub(r"\2", text)
    return _ATTRIBUTES.sub("", text).strip()


def blocks(text: str) -> Iterator[tuple[str, str]]:
    """Markdown as ``(style, text)`` blocks: paragraphs (``Normal``), bulleted and numbered items."""
    paragraph: list[str] = []
    for line in [*text.strip().splitlines(), ""]:
        stripped = line.strip()
        item = None
        if stripped.startswith(("- ", "* ", "+ ")):
            item = ("List Bullet", stripped[2:])
        elif _NUMBERED.match(stripped):
            item = ("List Number", _NUMBERED.sub("", stripped))
        if (item or not stripped) and paragraph:
            yield "Normal", plain(" ".join(paragraph))
            paragraph = []
        if item:
            yield item[0], plain(item[1])
        elif stripped:
            paragraph.append(stripped)


class _Writer:
    """One document being written."""

    def __init__(self, content: Content, entry: ReviewEntry, title: str, subject: str) -> None:
        import docx  # imports lxml; only builds that make Word files need it
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.s = content.strings
        self.document = docx.Document()
        for style in list(self.document.styles):
            if style.name not in STYLES:
                style.delete()
        review = entry.review
        normal = self.document.styles["Normal"]
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), content.locale)
        normal.element.get_or_add_rPr().append(language)
        properties = self.document.core_properties
        when = _date_of(entry)
        properties.title = _property(title)
        properties.subject = _property(subject)
        properties.author = _property(join_names(review.board, self.s["list_and"]))
        properties.last_modified_by = _property(content.settings.board_name)
        properties.language = content.locale
        properties.keywords = _property(", ".join(names_of(review.themes, content.themes)))
        properties.comments = _property(self.s["generated_note"].format(sources=entry.source))
        properties.category = _property(", ".join(names_of(review.review_type, content.review_types)))
        properties.revision = 1
        properties.created = properties.modified = when
        properties.last_printed = when
        self.document.sections[0].header.paragraphs[0].text = content.settings.board_name
        self.document.add_heading(title, level=0)

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(plain(text), level=level)

    def markdown(self, text: str) -> None:
        for style, words in blocks(text):
            self.document.add_paragraph(words, style=style)

    def item(self, text: str, style: str = "List Bullet") -> None:
        self.document.add_paragraph(plain(text), style=style)

    def fact(self, label: str, value: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(plain(value))

    def space_to_write(self) -> None:
        """A bordered, empty box under a label: room for a team's notes."""
        from docx.shared import Cm

        self.document.add_paragraph(self.s["word_space_to_write"])
        table = self.document.add_table(rows=1, cols=1)
        table.style = self.document.styles["Table Grid"]
        table.rows[0].height = Cm(WRITING_SPACE_CM)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _property(text: str) -> str:
    """``text`` cut to the 255 characters a document property may hold."""
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _date_of(entry: ReviewEntry) -> datetime.datetime:
    """The review's publication date (or its update) as the document's date; 1 January 1980
    for a review that is not dated."""
    published = or_not_dated(entry.review.published)
    day = datetime.datetime.fromtimestamp(published.epoch(), tz=datetime.UTC) if published.dated else None
    if entry.review.updated:
        return datetime.datetime.combine(entry.review.updated, datetime.time(), tzinfo=datetime.UTC)
    return day or datetime.datetime(*ZIP_TIME, tzinfo=datetime.UTC)


def _briefing(content: Content, entry: ReviewEntry) -> bytes:
    review = entry.review
    s = content.strings
    doc = _Writer(content, entry, review.title, s["word_briefing"])
    doc.fact(s["board"] if len(review.board) == 1 else s["board_many"], join_names(review.board, s["list_and"]))
    types = names_of(review.review_type, content.review_types)
    doc.fact(s["review_type"] if len(types) == 1 else s["review_type_many"], join_names(types, s["list_and"]))
    doc.fact(s["published"], display_date(review.published, s))
    doc.fact(s["nation"], review.nation)
    if review.reference:
        doc.fact(s["reference"], review.reference)
    doc.fact(s["themes"], ", ".join(names_of(review.themes, content.themes)))
    doc.heading(s["how_to_use_heading"])
    doc.markdown(content.settings.how_to_use)
    for key in review.review_type:
        doc.heading(s["what_is"].format(name=content.review_types[key].name))
        doc.markdown(content.review_types[key].what_is)
    doc.heading(s["case_summary"])
    doc.markdown(entry.case_summary)
    for number, section in enumerate(review.sections, start=1):
        doc.heading(section.heading)
        doc.markdown(section.narrative)
        for p, point in enumerate(section.learning_points, start=1):
            label = (
                s["learning_point"]
                if point.kind == "learning point"
                else s[f"point_kind_{point.kind.replace(' ', '_')}"]
            )
            doc.heading(f"{label} {number}.{p}: {point.point}", level=2)
            doc.document.add_paragraph(
                s["reflection_question" if len(point.questions) == 1 else "reflection_questions"]
            )
            for question in point.questions:
                doc.item(question.question)
            doc.space_to_write()
    doc.heading(s["good_practice"])
    if review.good_practice is None:
        doc.markdown(s["good_practice_not_given"])
    for practice in review.good_practice or []:
        doc.item(practice)
    if review.good_practice == []:
        doc.markdown(s["no_good_practice"])
    doc.heading(s["recommendations"])
    if review.recommendations is None:
        doc.markdown(s["recommendations_not_given"])
    for recommendation in review.recommendations or []:
        addressed = [content.agencies[k].name if k in content.agencies else k for k in recommendation.addressed_to]
        doc.item(f"{recommendation.recommendation} ({s['addressed_to']}: {', '.join(addressed)})", "List Number")
    if review.recommendations == []:
        doc.markdown(s["no_recommendations"])
    if review.board_questions:
        doc.heading(s["board_questions"])
        for asked in review.board_questions:
            doc.item(asked)
    doc.heading(s["board_response"])
    doc.markdown(review.board_response.strip() or s["no_board_response"])
    doc.heading(s["standing_questions"])
    for standing in content.board_of(review).standing_questions:
        doc.item(standing)
    doc.space_to_write()
    doc.heading(s["further_reading"])
    for link in review.further_reading:
        doc.item(f"{link.title} ({link.url})" if link.url else link.title)
    if entry.report_withdrawn:
        doc.item(f"{review.report.title}: {s['report_withdrawn']}")
    elif review.report.url:
        doc.item(f"{s['full_report']}: {review.report.title} ({review.report.url})")
    else:
        doc.item(f"{review.report.title}: {s['report_not_online']}")
    return doc.save()


def _seven_minute(content: Content, entry: ReviewEntry) -> bytes:
    review = entry.review
    s = content.strings
    headings = content.board_of(review).seven_minute_headings
    types = join_names(names_of(review.review_type, content.review_types), s["list_and"])
    doc = _Writer(content, entry, s["seven_minute_title"].format(title=review.title), s["word_seven_minute"])
    published = display_date(review.published, s)
    doc.markdown(f"{join_names(review.board, s['list_and'])} · {published} · {types}")
    points = [point for section in review.sections for point in section.learning_points]
    doc.heading(f"1. {headings[0]}")
    doc.markdown(review.summary)
    doc.heading(f"2. {headings[1]}")
    doc.markdown(s["seven_minute_looked_at"].format(type=types))
    for section in review.sections:
        doc.item(section.heading)
    doc.heading(f"3. {headings[2]}")
    for point in points:
        doc.item(point.point, "List Number")
    doc.heading(f"4. {headings[3]}")
    if review.good_practice is None:
        doc.markdown(s["good_practice_not_given"])
    for practice in (review.good_practice or [])[:3]:
        doc.item(practice)
    if review.good_practice == []:
        doc.markdown(s["no_good_practice"])
    doc.heading(f"5. {headings[4]}")
    if review.recommendations is None:
        doc.markdown(s["recommendations_not_given"])
    for recommendation in (review.recommendations or [])[:3]:
        doc.item(recommendation.recommendation)
    if review.recommendations == []:
        doc.markdown(s["no_recommendations"])
    doc.heading(f"6. {headings[5]}")
    for point in points:
        doc.item(point.questions[0].question)
    for question in content.board_of(review).standing_questions:
        doc.item(question)
    doc.space_to_write()
    doc.heading(f"7. {headings[6]}")
    if review.report.url and not entry.report_withdrawn:
        doc.item(f"{s['full_report']}: {review.report.title} ({review.report.url})")
    else:
        doc.item(f"{review.report.title}: {s['report_not_online']}")
    for link in review.further_reading[:3]:
        doc.item(f"{link.title} ({link.url})" if link.url else link.title)
    doc.item(s["seven_minute_contact"].format(email=content.board_of(review).contact_email))
    return doc.save()


def _packed(document: bytes) -> bytes:
    """The document's zip packed again with fixed time stamps and permissions, its files in the
    order python-docx wrote them: the same content gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            packed.writestr(fixed, source.read(info.filename))
    return out.getvalue()

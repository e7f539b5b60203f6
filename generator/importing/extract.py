"""What a report says, found from its headings and numbering: its metadata, its learning (points,
findings, lessons, learning themes), its recommendations and their addressees, the questions it
puts to the board, and the section a case summary can be drafted from.

The rules, in the report's order:

- a heading such as ``Learning point 3``, ``Recommendation 2``, ``Question to the WSCB`` (one
  item: the paragraphs under it, with their bullets, until the next heading);
- a heading such as ``Learning``, ``Lessons learnt``, ``Key findings``, ``Recommendations``
  (a list: each paragraph or bullet under it is one item, until the next such heading or the
  next numbered top-level section); a sentence ending ``:`` takes its bullets with it;
- ``Learning: ...`` or ``Recommendation: ...`` at the start of a paragraph (that paragraph);
- a paragraph about ``learning`` or ``lessons`` ending in ``:`` (each bullet after it);
- a heading inside a recommendations list (``Health``, ``Children's Services``) says whom the
  recommendations under it are addressed to.

A point found twice (in the analysis and again in the list at the end) is kept once, with both
places as its source.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from generator.importing.read import Block
from generator.model.schema import Agency, ReviewType

MIN_WORDS = 6
"""A list item shorter than this is a label, not a point."""

NUMBER = re.compile(r"^(?:- )?(\d{1,2}(?:\.\d{1,3}){0,3})\.?(?=\s|$)\s*")
"""A paragraph or section number at the start of a block: ``6``, ``10.``, ``4.1.11``."""

POINT_LABEL = re.compile(
    r"^(?:key |main |the )?(?:themes and )?(learning(?: points?| themes?| identified)?|lessons?(?: learnt| learned)?"
    r"|(?:key )?findings?|key messages?)(?: (\d+))?$"
)
RECOMMENDATION_LABEL = re.compile(r"^(?:key |multi-agency )?(recommendations?)(?: (\d+))?$")
QUESTION_LABEL = re.compile(r"^(questions?) (?:to|for) the [\w ]+$")
INLINE_LABEL = re.compile(
    r"^(learning|lesson|finding|recommendation|key message)(?: (?:point )?\d+)?\s*:\s+(\S.*)$", re.I
)
SKIPPED_HEADINGS = re.compile(r"^(introduction|contents|methodology|appendix|glossary|references)\b")
CASE_SUMMARY_HEADINGS = re.compile(
    r"^(summary of (?:the )?(?:case|events)|the case(?: being considered)?|case summary|background(?: to the case)?|"
    r"summary of events.*|brief summary.*)$"
)
PRACTICE_STATEMENT = re.compile(
    r"\b(?:it is (?:good|best) practice|is required\b|(?:these|professionals|practitioners|agencies) should (?!have)"
    r"|(?:professionals|practitioners|agencies) (?:must|need to) )",
    re.I,
)
"""A sentence saying what practice should be, not what happened ("should have" looks back)."""
OUTSIDE_ANALYSIS = re.compile(
    r"^(introduction|contents|methodology|appendix|glossary|references|terms of reference|purpose|process|"
    r"scope|the review|review process|background|summary of|the case|case summary|family)"
)
"""Sections whose paragraphs describe the review or the case, not what it learned."""
TOC_LINE = re.compile(r"(\.{3,}\s*\d+|\t\s*(page\s*)?\d+|\bpage\s*\d+)\s*$", re.I)
MONTHS = [datetime.date(2000, m, 1).strftime("%B").lower() for m in range(1, 13)]
NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()


@dataclass(frozen=True)
class Item:
    """One thing the report says: a point, a recommendation or a question to the board."""

    text: str
    sources: tuple[str, ...]
    """Where it is: ``p. 14, §6.1.3, Learning point 2`` (the page where the format has pages)."""
    pages: tuple[int, ...]
    kind: str = "learning point"
    """What the report calls it (for a point): ``learning point``, ``finding``, ``lesson``..."""
    section: str = ""
    """The heading of the part of the report it is in (for grouping points into sections)."""
    addressed_to: tuple[str, ...] = ()
    """For a recommendation: agency keys, or names as the report gives them."""

    @property
    def source(self) -> str:
        return "; ".join(self.sources)


@dataclass
class Extracted:
    """Everything found in a report."""

    metadata: dict[str, object] = field(default_factory=dict)
    """Fields of the review found: title, board, review_type, nation, published, pseudonyms,
    subject_age, age_group, report_title."""
    metadata_sources: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    """What the report says that has no field in a review: lead reviewer, period reviewed."""
    points: list[Item] = field(default_factory=list)
    recommendations: list[Item] = field(default_factory=list)
    board_questions: list[Item] = field(default_factory=list)
    case_summary: list[str] = field(default_factory=list)
    case_summary_source: str = ""


@dataclass
class _Part:
    """A block, read: its number, whether it is a heading, a bullet, a label."""

    block: Block
    text: str
    number: str
    bullet: bool
    heading: bool
    label: tuple[str, str, bool] | None = None
    """(what: point/recommendation/question, kind, singular) for a label heading."""


def _parts(blocks: list[Block]) -> list[_Part]:
    parts = []
    for block in blocks:
        text = block.text
        if TOC_LINE.search(text) and len(text.split()) <= 12 or re.match(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]", text):
            continue  # a line of the contents, or a footnote
        bullet = text.startswith(("- ", "• "))
        match = NUMBER.match(text)
        number = match.group(1) if match else ""
        body = text[match.end() :] if match else text.lstrip("-• ").strip()
        if match and not body:
            continue
        words = body.split()
        heading = block.heading is not None or (
            len(words) <= 12
            and not body.endswith((".", ";", ","))
            and body[:1].isupper()
            and not (bullet and not number)
            and not re.search(r"\s(?:and|the|of|to|a):?$", body)
            and not re.match(r"(It|There|This|These|They|We|He|She|From) ", body)
        )
        part = _Part(block, body, number, bullet and not number, heading)
        if heading:
            part.label = _label(body)
        parts.append(part)
    return parts


def _label(text: str) -> tuple[str, str, bool] | None:
    name = re.sub(r"[:.]$", "", text.strip()).strip().lower()
    if match := POINT_LABEL.match(name):
        word = match.group(1)
        kind = next(
            (k for k in ("finding", "lesson", "key message", "learning theme") if k.split()[-1] in word),
            "learning point",
        )
        return ("point", kind, bool(match.group(2)) or word.endswith("point"))
    if match := RECOMMENDATION_LABEL.match(name):
        return ("recommendation", "recommendation", bool(match.group(2)) or match.group(1) == "recommendation")
    if QUESTION_LABEL.match(name):
        return ("question", "question", True)
    return None


def _where(part: _Part, label: str = "") -> tuple[str, int | None]:
    bits = []
    if part.block.page is not None:
        bits.append(f"p. {part.block.page}")
    if part.number and part.heading:
        bits.append(f"section {part.number}")
    elif part.number and "." in part.number:
        bits.append(f"§{part.number}")
    elif part.number:
        bits.append(f"paragraph {part.number}")
    if label:
        bits.append(label)
    if part.block.page is None and part.block.by_line:
        bits.append(f"line {part.block.line}")
    elif not bits:
        bits.append(f"paragraph {part.block.line} of the file")
    return ", ".join(bits), part.block.page


def _is_top_level(part: _Part) -> bool:
    return part.heading and bool(re.fullmatch(r"\d{1,2}", part.number)) or part.block.heading == 1


def extract(blocks: list[Block], agencies: dict[str, Agency], review_types: dict[str, ReviewType]) -> Extracted:
    """Everything the report's structure says (see the module's docstring for the rules)."""
    parts = _parts(blocks)
    found = Extracted()
    _find_items(parts, found, agencies)
    found.points = _merge_repeats(found.points)
    _find_metadata(parts, found, review_types)
    _find_case_summary(parts, found)
    return found


def _find_items(parts: list[_Part], found: Extracted, agencies: dict[str, Agency]) -> None:
    zone: tuple[str, str, bool] | None = None  # the label whose items we are in
    zone_label = ""
    zone_closes = False
    section = ""
    addressees: tuple[str, ...] = ()
    current: list[_Part] = []  # the parts of the item being read
    skipping = False

    def finish() -> None:
        nonlocal current
        if current and zone is not None:
            _add(found, zone, current, section, addressees, agencies, zone_label)
        current = []

    index = 0
    while index < len(parts):
        part = parts[index]
        inline = INLINE_LABEL.match(part.text)
        if inline and not part.heading:
            finish()
            what = inline.group(1).lower()
            label = ("recommendation", "recommendation", True) if what == "recommendation" else _inline_kind(what)
            single = replace(part, text=inline.group(2))
            _add(found, label, [single], section, addressees, agencies, inline.group(0).split(":")[0])
            index += 1
            continue
        if part.heading:
            finish()
            if part.label:
                zone, zone_label, skipping = part.label, _title(part.text), False
                zone_closes = part.text.endswith(":")  # "Learning:" lists the points just under it
                if part.label[0] == "recommendation" and not part.label[2]:
                    addressees = ()
                if not part.label[2] and not zone_closes and "." not in part.number:
                    section = _title(part.text)
            elif zone is not None and not zone[2] and not zone_closes and not part.number and not _is_top_level(part):
                if zone[0] == "recommendation":
                    skipping = bool(SKIPPED_HEADINGS.match(part.text.lower()))
                    addressees = () if skipping else _agencies_in(part.text, agencies, names_too=True)
                else:
                    section = _title(part.text)
            else:
                zone, skipping = None, False
                section = _title(part.text)
            index += 1
            continue
        if skipping:
            index += 1
            continue
        if zone is None:
            # a paragraph about learning that introduces a list: each bullet after it is a point
            if part.text.endswith(":") and re.search(r"\b(learning|lessons?)\b", part.text, re.I):
                index += 1
                while index < len(parts) and parts[index].bullet:
                    _add(found, ("point", "learning point", False), [parts[index]], section, (), agencies, "")
                    index += 1
                continue
            # a paragraph of the analysis that states what practice should be is a finding
            if part.number and PRACTICE_STATEMENT.search(part.text) and not OUTSIDE_ANALYSIS.match(section.lower()):
                _add(found, ("point", "finding", False), [part], section, (), agencies, "")
            index += 1
            continue
        if zone[2]:  # one item: everything under the label
            current.append(part)
        elif part.block.text[:1].islower() and current:
            current.append(part)  # a paragraph broken across a page
        elif part.bullet and current and (current[0].text.endswith(":") or current[-1].text.endswith(":")):
            current.append(part)  # a sentence ending ":" and its bullets
        else:
            finish()
            current = [part]
        index += 1
    finish()


def _inline_kind(word: str) -> tuple[str, str, bool]:
    return (
        "point",
        {"lesson": "lesson", "finding": "finding", "key message": "key message"}.get(word, "learning point"),
        True,
    )


def _title(text: str) -> str:
    return re.sub(r"[:.]$", "", text).strip()


def _add(
    found: Extracted,
    label: tuple[str, str, bool],
    parts: list[_Part],
    section: str,
    addressees: tuple[str, ...],
    agencies: dict[str, Agency],
    label_text: str,
) -> None:
    text = " ".join(
        (("- " if part.bullet and index else "") + part.text) if not part.bullet else part.text
        for index, part in enumerate(parts)
    )
    text = re.sub(r"\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+)", "", text).strip()  # footnote marks
    if len(text.split()) < MIN_WORDS:
        return
    source, page = _where(parts[0], label_text if label[2] else "")
    what, kind, _single = label
    if what == "point" and not re.search(r"[.?!'\"’”)]$", text):
        return  # a label or a list of names, not a sentence
    if what == "point":
        found.points.append(Item(text, (source,), (page,) if page else (), kind, section or "Learning"))
    elif what == "recommendation":
        # the agencies the heading above names; else those the recommendation names; else the
        # heading as the report gives it
        from_heading = tuple(name for name in addressees if name in agencies)
        named = from_heading or _agencies_in(text, agencies, names_too=False) or addressees
        found.recommendations.append(Item(text, (source,), (page,) if page else (), "recommendation", section, named))
    else:
        found.board_questions.append(Item(text, (source,), (page,) if page else (), "question", section))


def _agencies_in(text: str, agencies: dict[str, Agency], names_too: bool) -> tuple[str, ...]:
    """The agency keys a text names (by name, synonym or key), in the order it names them; for a
    heading that names none, the heading itself (a name as the report gives it)."""
    lowered = " " + re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "")) + " "
    hits: list[tuple[int, str]] = []
    for key, agency in agencies.items():
        for phrase in {agency.name, *agency.synonyms, key.replace("-", " ")}:
            spoken = re.sub(r"[^a-z0-9]+", " ", phrase.lower().replace("'", "")).strip()
            position = lowered.find(f" {spoken} ") if len(spoken) > 2 else -1
            if position < 0 and len(spoken) > 3 and spoken.endswith("s"):
                position = lowered.find(f" {spoken[:-1]} ")
            if position >= 0:
                hits.append((position, key))
    boards = re.search(r"\b([A-Z][A-Za-z]*)?(LSCB|SCB|SAB|SCP|LSAB)\b|\b(board|partnership)\b", text, re.I)
    if boards and "safeguarding-board" in agencies:
        hits.append((boards.start(), "safeguarding-board"))
    keys = list(dict.fromkeys(key for _, key in sorted(hits)))
    if not keys and names_too:
        return (_title(text),)
    return tuple(keys)


def _merge_repeats(points: list[Item]) -> list[Item]:
    """A point stated twice (once in the analysis, once in the list of learning) kept once."""
    kept: list[Item] = []
    for point in points:
        same = next((k for k in kept if _alike(k.text, point.text)), None)
        if same is None:
            kept.append(point)
            continue
        index = kept.index(same)
        longer = point.text if len(point.text) > len(same.text) else same.text
        kept[index] = replace(
            same, text=longer, sources=(*same.sources, *point.sources), pages=(*same.pages, *point.pages)
        )
    return kept


def _alike(first: str, second: str) -> bool:
    a, b = first.lower()[:300], second.lower()[:300]
    return difflib.SequenceMatcher(None, a, b).ratio() > 0.8


def _find_metadata(parts: list[_Part], found: Extracted, review_types: dict[str, ReviewType]) -> None:
    text = "\n".join(part.block.text for part in parts)
    opening = parts[:25]
    # the report's title: the first few short lines, before the contents or the first section
    title: list[_Part] = []
    for part in opening:
        if part.number or re.match(
            r"(contents|report author|author|lead reviewer|published|submission|final)\b", part.text, re.I
        ):
            break
        if part.heading and not re.fullmatch(r"[A-Z][a-z]+ \d{4}", part.text):
            title.append(part)
    if title:
        found.metadata["report_title"] = " ".join(_title(part.text) for part in title[:4])
        found.metadata_sources["report_title"] = _where(title[0])[0]
    names = Counter(re.findall(r"\b((?:Child|Baby|Adult|Young Person) [A-Z])\b", text))
    if names:
        pseudonym = names.most_common(1)[0][0]
        found.metadata["pseudonyms"] = [pseudonym]
        found.metadata_sources["pseudonyms"] = f"named {names[pseudonym]} times"
    boards = Counter(
        re.sub(r"\s+", " ", match.group(0)).strip()
        for match in re.finditer(
            r"\b(?:[A-Z][a-z]+ (?:(?:with|and|of|upon|on) )?)+(?:Local )?Safeguarding (?:Children|Adults|Vulnerable People) "
            r"(?:Board|Partnership)",
            text,
        )
    )
    if boards:
        found.metadata["board"] = re.sub(r"^(?:The|By|To) ", "", boards.most_common(1)[0][0])
    kinds: Counter[str] = Counter()
    for key, review_type in review_types.items():
        for name in {review_type.name, review_type.short_name}:
            pattern = rf"\b{re.escape(name)}s?\b" if name != review_type.short_name else rf"\b{re.escape(name)}s?\b"
            kinds[key] += len(re.findall(pattern, text, re.I if len(name) > 5 else 0))
    if kinds and kinds.most_common(1)[0][1] > 0:
        key = kinds.most_common(1)[0][0]
        found.metadata["review_type"] = key
        nation = review_types[key].nation
        nations = [n for n in ("England", "Wales", "Scotland", "Northern Ireland") if n in nation]
        if len(nations) == 1:
            found.metadata["nation"] = nations[0]
    if "nation" not in found.metadata and re.search(r"Working Together|Ofsted|LSCB|Safeguarding Children Board", text):
        found.metadata["nation"] = "England"  # statutory guidance and inspectorate of England
    published = _publication_date(opening)
    if published:
        found.metadata["published"] = published
    age = re.search(
        rf"\b(\d{{1,2}}|{'|'.join(NUMBER_WORDS)})[- ](day|week|month|year)s?[- ]old\b|\b(\d{{1,2}}) (weeks|months) old\b",
        text,
        re.I,
    )
    if age:
        amount, unit = (age.group(1), age.group(2)) if age.group(1) else (age.group(3), age.group(4).rstrip("s"))
        amount = amount.lower()
        many = amount not in ("1", "one")
        found.metadata["subject_age"] = f"{amount} {unit.lower()}{'s' if many else ''}"
        number = int(amount) if amount.isdigit() else NUMBER_WORDS.index(amount) + 1
        if unit.lower() in ("day", "week") or unit.lower() == "month" and number < 12:
            found.metadata["age_group"] = "under-1"
    author = re.search(r"(?:Lead Reviewer|Report Author|Author|Independent Reviewer)\s*[:–-]\s*([^\n]+)", text)
    if author:
        found.notes["lead reviewer"] = re.sub(
            r"\s+(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$",
            "",
            author.group(1),
        ).strip()
    period = re.search(
        rf"(?:from|between) [^.]{{0,80}}?((?:{'|'.join(MONTHS)}) \d{{4}})[^.]{{0,80}}? (?:to|until|and) [^.]{{0,60}}?"
        rf"((?:{'|'.join(MONTHS)}) \d{{4}})",
        text,
        re.I,
    )
    if period:
        found.notes["period reviewed"] = f"{period.group(1)} to {period.group(2)}"


def _publication_date(opening: list[_Part]) -> str | None:
    """The publication date from the report's first lines: a line saying it was published (the
    last such, as a report lists its versions in order), else a line that is a date alone."""
    months = "|".join(MONTHS)
    date = re.compile(rf"(?:(\d{{1,2}})(?:st|nd|rd|th)? )?({months}),? (\d{{4}})", re.I)
    best: tuple[int, str] | None = None
    for part in opening:
        line = part.block.text
        if part.number:
            continue
        priority = 2 if re.match(r"\W*(final )?publi", line, re.I) else 1 if len(line.split()) <= 8 else 0
        for match in date.finditer(line):
            day, month, year = match.groups()
            value = f"{year}-{MONTHS.index(month.lower()) + 1:02d}" + (f"-{int(day):02d}" if day else "")
            if priority and (best is None or priority > best[0] or priority == best[0] == 2):
                best = (priority, value)
    return best[1] if best else None


def _find_case_summary(parts: list[_Part], found: Extracted) -> None:
    for index, part in enumerate(parts):
        if part.heading and CASE_SUMMARY_HEADINGS.match(_title(part.text).lower()):
            paragraphs = []
            for following in parts[index + 1 :]:
                if following.heading and (_is_top_level(following) or following.label):
                    break
                if (
                    not following.heading
                    and len(following.text.split()) >= MIN_WORDS
                    and following.text.endswith((".", "”", "'", ")"))
                ):
                    paragraphs.append(following.text)
                if sum(len(p.split()) for p in paragraphs) > 250:
                    break
            if paragraphs:
                found.case_summary = paragraphs
                found.case_summary_source = _where(part, _title(part.text))[0]
                return

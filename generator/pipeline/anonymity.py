"""The anonymity check: likely identifying details in published text, with their file and line.

A review must not identify the child, adult or family. This looks through every text field and
the case summary of each review for what commonly gives people away: personal names and first
names used alone that are not declared pseudonyms, dates of birth and exact dates beside a
pseudonym, addresses and postcodes, phone numbers (other than declared helplines), e-mail
addresses (other than declared contacts), NHS numbers and named schools or nurseries. Findings are warnings, or errors with ``--strict``.
A finding reviewed and found harmless is allowed in the review's front matter::

    anonymity_allow:
      - text: Martin C Calder
        reason: author of a published book cited as further reading
"""

from __future__ import annotations

import pkgutil
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from itertools import accumulate

from generator.errors import ContentError
from generator.model.schema import EMAIL_ADDRESS
from generator.pipeline.languages import WELSH, WELSH_SEPARATOR
from generator.pipeline.load import CASE_SUMMARY, Document, Loc

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTHS}) \d{{4}}\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
_DATE_PATTERN = re.compile(_DATE)
_GAP = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
"""The space between two words of a name: spaces, or a line break inside a paragraph."""
PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "a date of birth",
        re.compile(rf"\b(?:date of birth|DOB|D\.O\.B\.?|born(?: on)?)\b[^.;\n]{{0,30}}?(?:{_DATE})", re.I),
    ),
    ("an NHS number", re.compile(r"\b\d{3}[ -]\d{3}[ -]\d{4}\b")),
    ("a phone number", re.compile(r"(?<![\w-])(?:\+44 ?\(?0?\)? ?|0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b")),
    ("an e-mail address", re.compile(EMAIL_ADDRESS)),
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")),
    (
        "a street address",
        re.compile(
            r"\b\d{1,4}[a-zA-Z]? (?:[A-Z][a-z]+ ){1,3}"
            r"(?:Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|Hill|Row|Square)\b"
        ),
    ),
    (
        "a named school or nursery",
        re.compile(
            r"\b(?:St\.? )?(?:[A-Z][a-z']+ ){1,4}"
            r"(?:Primary School|Infant School|Junior School|High School|Academy|Nursery|Pre-School|Preschool)\b"
        ),
    ),
    # Any capitalised word followed by a surname, looked ahead so that matches may overlap ("Dear
    # Sarah Jones"); ``_found`` keeps those whose first word is a common first name. This is
    # several times faster than one pattern listing every first name.
    # The space between the words may be a line break inside a paragraph ("Sarah\nJenkins").
    (
        "a personal name",
        re.compile(rf"\b(?=([A-Z][a-z]+)({_GAP}(?:[A-Z]\.?{_GAP})?[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b))"),
    ),
]
CLUES = {
    "a date of birth": ("birth", "dob", "d.o.b", "born"),
    "an e-mail address": ("@",),
    "a named school or nursery": ("school", "academy", "nursery"),
}
"""Words a pattern cannot match without (lowercase): a file lacking them skips the pattern."""


def _found(kind: str, match: re.Match, review: _Review) -> str | None:
    """What a match found, or None for a capitalised pair that does not start with a first name,
    starts with a month or a place ("June Smith" may be a date, "Kent Police" is not a person), or
    is two everyday words starting a sentence ("Summer Term", "Grace Period")."""
    if kind != "a personal name":
        return match.group(0)
    first, last = _plain(match.group(1)), match.group(2).split()[-1]
    if first not in first_names() or first in _never_people():
        return None
    if _starts_sentence(match.string, match.start()) and review.uses_as_word(first) and review.uses_as_word(last):
        return None
    return " ".join((match.group(1) + match.group(2)).split())


NOT_TEXT = ("id", "anonymity_allow", "review_type", "age_group", "themes", "agencies", "status")
"""Fields that hold keys or settings, not text a reader sees."""

CITATIONS = ("further_reading", "report")
"""Fields that cite published work: the names in them are its authors', publishers' and those of
the subjects of published reviews, public by being published. The name checks skip them; every
other check still looks at them."""

FIRST_NAME_ALONE = "a first name used alone"

ADVICE = {FIRST_NAME_ALONE: "use the review's pseudonym, or allow it under anonymity_allow with a reason"}
"""What to do about a finding of each kind, where it is not the usual advice below."""

USUAL_ADVICE = "remove it, or allow it under anonymity_allow with a reason"


def _allowed(document: Document) -> set[str]:
    entries = document.data.get("anonymity_allow") or [] if isinstance(document.data, dict) else []
    return {entry["text"] for entry in entries if isinstance(entry, dict) and isinstance(entry.get("text"), str)}


def scan(document: Document, pseudonyms: list[str], helplines: list[str], contacts: list[str]) -> list[ContentError]:
    """The likely identifying details in one review file (kept with the document, so a preview
    scans only the files that changed)."""
    key = ("anonymity", tuple(pseudonyms), tuple(helplines), tuple(contacts))
    if key not in document.memo:
        document.memo[key] = _scan(document, pseudonyms, helplines, contacts)
    return list(document.memo[key])


def _scan(document: Document, pseudonyms: list[str], helplines: list[str], contacts: list[str]) -> list[ContentError]:
    allowed = _allowed(document)
    helpline_digits = {re.sub(r"\D", "", number) for number in helplines}
    texts = document.texts(skip=NOT_TEXT)
    # Each pattern runs once over the whole file first; most files match few patterns, so only
    # those are run again value by value to say where each finding is.
    whole = "\n\n".join(text for _, text in texts)
    lowered = whole.lower()
    patterns = [
        (kind, pattern)
        for kind, pattern in PATTERNS
        if any(clue in lowered for clue in CLUES.get(kind, ("",))) and pattern.search(whole)
    ]
    dates = _DATE_PATTERN.search(whole) is not None
    review = _Review(whole, frozenset(word for text in (*pseudonyms, *allowed) for word in re.split(r"[\s,]+", text)))
    findings: list[ContentError] = []
    for loc, text in texts:
        spans: list[tuple[int, int]] = []  # what this text's findings cover, so a date is reported once
        for kind, pattern in patterns:
            for match in pattern.finditer(text):
                found = _found(kind, match, review)
                if found is None:
                    continue
                if any(found in item or item in found for item in allowed):
                    continue
                if kind == "a phone number" and re.sub(r"\D", "", found) in helpline_digits:
                    continue
                if kind == "an e-mail address" and found.lower() in {c.lower() for c in contacts}:
                    continue
                if kind == "a personal name" and (loc[0] in CITATIONS or any(found in name for name in pseudonyms)):
                    continue
                findings.append(_finding(document, loc, text, match.start(), kind, found))
                spans.append(match.span())
        for match in _DATE_PATTERN.finditer(text) if dates else ():
            sentence = _sentence_around(text, match.start(), match.end())
            if any(pseudonym in sentence for pseudonym in pseudonyms) and match.group(0) not in allowed:
                if not any(start <= match.start() and match.end() <= end for start, end in spans):
                    findings.append(
                        _finding(document, loc, text, match.start(), "an exact date beside a pseudonym", match.group(0))
                    )
    english = _english(texts)
    in_english = review if english == texts else _Review("\n\n".join(text for _, text in english), review.declared)
    return findings + _first_names_alone(document, english, in_english)


def _english(texts: list[tuple[Loc, str]]) -> list[tuple[Loc, str]]:
    """The texts in English: the lists of first names are of English-speaking registrations, and
    many everyday Welsh words are English first names (Beth, Mae, Gwen)."""
    return [
        (loc, text.partition(WELSH_SEPARATOR)[0] if loc == (CASE_SUMMARY,) else text)
        for loc, text in texts
        if WELSH not in loc
    ]


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\n\n", 0, start))
    right = text.find(".", end)
    return text[left + 1 : right if right != -1 else len(text)]


def _finding(document: Document, loc: Loc, text: str, offset: int, kind: str, found: str) -> ContentError:
    line, field = document.where(loc, text, offset)
    return ContentError(
        document.path,
        line,
        field,
        f"possibly identifying: {kind} {found!r} ({ADVICE.get(kind, USUAL_ADVICE)})",
    )


# First names used alone ("Donna said...").
#
# The names are Faker's (MIT licence), read from the lists it ships inside the package: nothing is
# downloaded. Faker is kept up to date by its maintainers and its British list is the ONS's.

NAME_LOCALES = (
    *("en_GB", "en_IE", "ga_IE", "en_US", "en_NZ", "en_KE", "en_NG", "en_IN", "en_PK"),
    *("yo_NG", "ig_NG", "ha_NG", "tw_GH", "pl_PL", "ro_RO", "lt_LT", "pt_PT"),
)
"""Faker's locales whose first names are all taken: Britain and Ireland (in English and in Irish),
the English-speaking countries, and the countries that most people in the UK born abroad come from."""

BRITISH_LOCALES = ("en_GB", "en_IE", "ga_IE")
"""Locales whose first names stay first names when they are also places (Clare, Kerry, Jordan)."""

GENERIC_LOCALE = "en"
"""Faker's long generic English list, from US registrations, with words such as Baby, Case and
Council in it: a name from it is taken only if two other locales list it too (Muhammad)."""

NOT_PEOPLE = ("Christian", "Corona", "Duke", "Forum")
"""Capitalised words Faker lists as first names that in a review are something else: a faith, a
virus, a title, a meeting."""

WORD_NAMES = frozenset(
    """Amber Autumn Chase Charity Comfort Crystal Daisy Dawn Drew Faith Frank Grace Grant Harmony Harsh Hazel
    Heather Holly Iris Ivy Jack Joy Lance Lily Mad Mark Mercy Nail Olive Pat Patience Pearl Penny Poppy Raid
    Rob Robin Rose Ruby Sad Said Sue Violet Will""".split()
)
"""First names that are also everyday words a sentence may start with ("Mark the date", "Grace
periods...", "Said to be..."), besides those in Faker's common words (Hope, Bill, Summer): at the
start of a sentence they are read as the word. Names that are words only rarely (Peter, Carol)
are not here."""

PLACE_WORDS = frozenset({"in", "across", "throughout", "near", "around", "within", "outside"})
"""Words after which a place that is also a first name ("in Kerry") is the place."""

_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ž](?<![\w'’-].)[^\W\d_]*(?:-[A-ZÀ-ÖØ-ÞĀ-ž][^\W\d_]*)*(?![\w-])")
"""A capitalised word, hyphenated ones whole ("Ayesha-Jayne"), not inside "O'Brien" or "Non-Mobile"
(the capital first, then what is before it, which lets the engine skip ahead to capitals)."""

_NEXT_WORD = re.compile(r"[ \t]*\n?[ \t]*([^\W\d_][\w'’.]*)")
_PREVIOUS_WORD = re.compile(r"(?<![\w'’.-])([^\W\d_][\w'’.-]*)[ \t]*\n?[ \t]*\Z")
_LINE_MARK = re.compile(r"(?:\A|\n)[ \t]*(?:[-*+>]|#{1,6})\Z")
_OPENERS = " \t\"'“‘([*_"
_SENTENCE_ENDS = ".!?:;"


def _plain(word: str) -> str:
    """``word`` without accents (Zoë -> Zoe), as the lists and the text may each have them or not."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _first_names_of(locale: str) -> frozenset[str]:
    """The first names in one of Faker's locales, without accents."""
    provider = import_module(f"faker.providers.person.{locale}").Provider
    names: set[str] = set()
    for attribute in ("first_names", "first_names_male", "first_names_female"):
        listed = getattr(provider, attribute, ())
        if isinstance(listed, tuple | list | dict):  # a locale without its own list has a property
            names.update(_plain(name) for name in listed)
    return frozenset(names)


@cache
def _first_names_by_locale() -> dict[str, frozenset[str]]:
    """Every locale's first names (read once per process, about 50 ms)."""
    from faker.providers import person

    return {module.name: _first_names_of(module.name) for module in pkgutil.iter_modules(person.__path__)}


@cache
def first_names() -> frozenset[str]:
    """The first names the anonymity check knows, without accents."""
    lists = _first_names_by_locale()
    others = Counter(name for locale, names in lists.items() if locale != GENERIC_LOCALE for name in names)
    confirmed = {name for name in lists[GENERIC_LOCALE] if others[name] >= 2}
    return frozenset().union(*(lists[locale] for locale in NAME_LOCALES), confirmed)


@cache
def _places() -> frozenset[str]:
    """Countries, US states, and British and Irish counties, as Faker lists them."""
    address = "faker.providers.address"
    return frozenset(
        (
            *import_module(f"{address}.en").Provider.countries,
            *import_module(f"{address}.en_US").Provider.states,
            *import_module(f"{address}.en_GB").Provider.counties,
            *import_module(f"{address}.en_IE").Provider.counties,
        )
    )


@cache
def _british_names() -> frozenset[str]:
    lists = _first_names_by_locale()
    return frozenset().union(*(lists[locale] for locale in BRITISH_LOCALES))


@cache
def _never_people() -> frozenset[str]:
    """First names that are never a person in a review: months, faiths, and places whose name is
    not a British or Irish first name (Kent, Chad, Devon)."""
    return frozenset((*MONTHS.split("|"), *NOT_PEOPLE, *(_places() - _british_names())))


@cache
def _common_words() -> frozenset[str]:
    """Common English words, lower case: Faker's list for its English placeholder text, and the
    first names above that are everyday words."""
    words = import_module("faker.providers.lorem.en_US").Provider.word_list
    return frozenset((*words, *(name.lower() for name in WORD_NAMES)))


@dataclass
class _Review:
    """What the first-name check knows of one review."""

    whole: str
    """All of its text, to tell which words it uses as ordinary words."""
    declared: frozenset[str]
    """The words of its pseudonyms and allowed details."""
    ordinary: dict[str, bool] = field(default_factory=dict)

    def uses_as_word(self, word: str) -> bool:
        """Whether ``word`` is an ordinary English word: a common one, or one this review also
        writes in lower case ("Will", "Mark", "Grace" at the start of a sentence)."""
        lower = word.lower()
        if lower not in self.ordinary:
            self.ordinary[lower] = lower in _common_words() or (
                re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", self.whole) is not None
            )
        return self.ordinary[lower]


def _first_names_alone(document: Document, texts: list[tuple[Loc, str]], review: _Review) -> list[ContentError]:
    """First names used alone ("Donna said...") that are not a declared pseudonym or part of one.
    One pass over the whole review: its texts are joined by blank lines, which no rule looks across."""
    starts = list(accumulate((len(text) + 2 for _, text in texts), initial=0))
    known: dict[str, bool] = {}
    findings: list[ContentError] = []
    for match in _CAPITALISED.finditer(review.whole):
        word = match.group(0)
        if word not in known:
            known[word] = word not in review.declared and _is_first_name(word)
        if known[word] and _alone(review.whole, match, review):
            index = bisect_right(starts, match.start()) - 1
            loc, text = texts[index]
            if loc[0] not in CITATIONS:
                findings.append(_finding(document, loc, text, match.start() - starts[index], FIRST_NAME_ALONE, word))
    return findings


def _is_first_name(word: str) -> bool:
    """Whether ``word`` (each part of a hyphenated one) is a first name that may be a person."""
    parts = [_plain(part) for part in word.split("-")]
    return all(part in first_names() and part not in _never_people() for part in parts)


def _alone(text: str, match: re.Match, review: _Review) -> bool:
    """Whether the first name ``match`` is used alone: not the first of a full name or other proper noun ("Donna Smith", "Kent Police") nor the last of
    one ("New Year's Eve"), not a cited author ("Brandon et al."), not a place after "in", and not
    an ordinary word starting a sentence ("Will this work?")."""
    word = match.group(0)
    following = _NEXT_WORD.match(text, match.end()) if text[match.end() : match.end() + 1].isspace() else None
    if following and (following.group(1)[0].isupper() or following.group(1) == "et"):
        return False
    previous = _previous_word(text, match.start())
    if previous is not None:
        before, start = previous
        if before[0].isupper() and not (_starts_sentence(text, start) and review.uses_as_word(before)):
            return False
        if before.lower() in PLACE_WORDS and _plain(word) in _places():
            return False
    return not (_starts_sentence(text, match.start()) and any(review.uses_as_word(p) for p in word.split("-")))


def _previous_word(text: str, start: int) -> tuple[str, int] | None:
    """The word just before ``start`` with only spaces (and at most one line break) between, and
    where it starts."""
    window_start = max(0, start - 80)
    found = _PREVIOUS_WORD.search(text, window_start, start) if text[start - 1 : start].isspace() else None
    return (found.group(1), found.start(1)) if found else None


def _starts_sentence(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence, paragraph, heading or list item (after any opening
    quotes or brackets)."""
    head = text[max(0, start - 200) : start].rstrip(_OPENERS)
    body = head.rstrip()
    return (
        not body
        or body[-1] in _SENTENCE_ENDS
        or head[len(body) :].count("\n") > 1
        or _LINE_MARK.search(body) is not None
    )

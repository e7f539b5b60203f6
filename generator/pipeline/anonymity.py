"""The anonymity check: likely identifying details in published text, with their file and line.

A review must not identify the child, adult or family. This looks through every text field and
the case summary of each review for what commonly gives people away: personal names that are not
declared pseudonyms, dates of birth and exact dates beside a pseudonym, addresses and postcodes,
phone numbers (other than declared helplines), e-mail addresses (other than declared contacts),
NHS numbers and named schools or nurseries. Findings are warnings, or errors with ``--strict``.
A finding reviewed and found harmless is allowed in the review's front matter::

    anonymity_allow:
      - text: Martin C Calder
        reason: author of a published book cited as further reading
"""

from __future__ import annotations

import re

from generator.errors import ContentError
from generator.model.schema import EMAIL_ADDRESS
from generator.pipeline.load import Document, Loc

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTHS}) \d{{4}}\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
_DATE_PATTERN = re.compile(_DATE)
FIRST_NAMES = (
    "Aaron Abigail Adam Adrian Aidan Alan Alex Alexander Alfie Alice Amanda Amber Amelia Amy Andrew Angela Anna Anne "
    "Anthony Archie Ashley Barbara Ben Benjamin Beth Bethany Brian Callum Carl Caroline Carol Catherine Charlie "
    "Charlotte Chloe Chris Christine Christopher Claire Connor Craig Daniel Danielle Darren David Dean Deborah Dylan "
    "Edward Eleanor Elizabeth Ella Ellie Emily Emma Erin Ethan Evie Freddie Gary Gemma George Georgia Grace Graham "
    "Hannah Harry Harvey Helen Holly Ian Isabella Isla Jack Jacob Jade James Jamie Jane Jason Jay Jennifer Jessica "
    "Joanne Joe John Jonathan Joseph Joshua Julie Karen Kate Katie Kayleigh Kelly Kevin Kieran Kirsty Laura Lauren "
    "Leah Lee Lewis Liam Lily Linda Lisa Louise Lucy Luke Mark Martin Mary Matthew Megan Melissa Michael Michelle "
    "Mohammed Muhammad Natalie Nathan Nicola Noah Oliver Olivia Oscar Paul Peter Philip Phoebe Rachel Rebecca Richard "
    "Robert Ruby Ryan Sam Samantha Samuel Sarah Scott Sean Sharon Shaun Simon Sophie Stacey Stephen Steven Stuart "
    "Susan Thomas Tom Tracey Tyler Victoria William Zoe"
).split()

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
    ("a personal name", re.compile(r"\b(?=([A-Z][a-z]+)((?: [A-Z]\.?)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?\b))")),
]
_FIRST_NAMES = frozenset(FIRST_NAMES)
CLUES = {
    "a date of birth": ("birth", "dob", "d.o.b", "born"),
    "an e-mail address": ("@",),
    "a named school or nursery": ("school", "academy", "nursery"),
}
"""Words a pattern cannot match without (lowercase): a file lacking them skips the pattern."""


def _found(kind: str, match: re.Match) -> str | None:
    """What a match found, or None for a capitalised pair that does not start with a first name."""
    if kind == "a personal name":
        return match.group(1) + match.group(2) if match.group(1) in _FIRST_NAMES else None
    return match.group(0)


NOT_TEXT = ("id", "anonymity_allow", "review_type", "age_group", "themes", "agencies", "status")
"""Fields that hold keys or settings, not text a reader sees."""


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
    findings: list[ContentError] = []
    for loc, text in texts:
        for kind, pattern in patterns:
            for match in pattern.finditer(text):
                found = _found(kind, match)
                if found is None:
                    continue
                if any(found in item or item in found for item in allowed):
                    continue
                if kind == "a phone number" and re.sub(r"\D", "", found) in helpline_digits:
                    continue
                if kind == "an e-mail address" and found.lower() in {c.lower() for c in contacts}:
                    continue
                if kind == "a personal name" and any(found in name for name in pseudonyms):
                    continue
                findings.append(_finding(document, loc, text, match.start(), kind, found))
        for match in _DATE_PATTERN.finditer(text) if dates else ():
            sentence = _sentence_around(text, match.start(), match.end())
            if any(pseudonym in sentence for pseudonym in pseudonyms) and match.group(0) not in allowed:
                if not any(f.message.endswith(f"{match.group(0)!r}") for f in findings):
                    findings.append(
                        _finding(document, loc, text, match.start(), "an exact date beside a pseudonym", match.group(0))
                    )
    return findings


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
        f"possibly identifying: {kind} {found!r} (remove it, or allow it under anonymity_allow with a reason)",
    )

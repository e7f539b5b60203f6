"""The plain-English check: hard reading, long sentences and jargon in what a briefing says.

It reads the text a practitioner reads (the summary, the case summary, narratives, learning
points, questions, recommendations, good practice, the board's questions and response), not
titles, names or references. Each briefing's Flesch reading ease comes from textstat (MIT); long
sentences and jargon (``jargon.yml``: the shipped list and the board's own) are found here. The
findings are warnings at ``path:line: field``, never errors, not even with ``--strict``: plain
English is a judgement for the author, and the thresholds are in ``plain_english:`` in the
settings."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from generator.errors import ContentError
from generator.model.schema import Jargon, PlainEnglishSettings
from generator.pipeline.load import Document, Loc

READ = frozenset(
    {
        "summary",
        "case summary",
        "narrative",
        "point",
        "questions",
        "question",
        "recommendation",
        "good_practice",
        "board_questions",
        "board_response",
    }
)
"""The fields the check reads: the last name in a value's place (``sections[1].learning_points[2].point``)."""

_LINK = re.compile(r"\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>|]+|\{[^{}]*\}")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
QUOTE_LENGTH = 60
"""The most characters of a long sentence a warning quotes."""


@dataclass(frozen=True)
class Readability:
    """A briefing's reading ease, for the warning and the README's figures."""

    reading_ease: float
    words: int
    sentences: int


def _read(loc: Loc) -> bool:
    return any(isinstance(part, str) and part in READ for part in loc[-2:])


def readable_text(text: str) -> str:
    """Markdown as the words a reader reads: link addresses and markup left out."""
    return _MARKUP.sub("", _LINK.sub("]", text)).replace("[", "").replace("]", "")


def readability(document: Document) -> Readability:
    """The reading ease of the text a briefing's readers read (textstat's Flesch reading ease)."""
    import textstat  # reads its word lists on first use

    text = "\n".join(_ended(readable_text(value)) for loc, value in document.texts() if _read(loc))
    textstat.set_lang("en_GB")
    return Readability(
        round(float(textstat.flesch_reading_ease(text)), 1),
        textstat.lexicon_count(text),
        textstat.sentence_count(text),
    )


def _ended(text: str) -> str:
    """A field's text ending as a sentence does, so that a question or list item is counted as
    one sentence of its own."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


@functools.cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern:
    words = sorted(terms, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words) + r")\b", re.I)


def check_plain_english(
    document: Document, settings: PlainEnglishSettings, jargon: dict[str, Jargon]
) -> list[ContentError]:
    """The plain-English findings in one review file (kept with the document, so a preview
    checks only the files that changed)."""
    if not settings.check:
        return []
    key = ("plain english", settings, tuple(sorted((name, tuple(e.terms), e.plain) for name, e in jargon.items())))
    if key not in document.memo:
        document.memo[key] = _check(document, settings, jargon)
    return list(document.memo[key])


def _check(document: Document, settings: PlainEnglishSettings, jargon: dict[str, Jargon]) -> list[ContentError]:
    found: list[ContentError] = []
    texts = [(loc, value) for loc, value in document.texts() if _read(loc)]
    if not texts:
        return found
    figures = readability(document)
    if figures.reading_ease < settings.min_reading_ease:
        loc = texts[0][0]
        line, field = document.where(loc, texts[0][1], 0)
        found.append(
            ContentError(
                document.path,
                line,
                field,
                f"the briefing reads as hard: its Flesch reading ease is {figures.reading_ease:g} (0 to 100, higher "
                f"is easier; the site asks for at least {settings.min_reading_ease:g}); use shorter sentences and "
                "everyday words (plain_english in content/settings.yml sets the limit)",
            )
        )
    plain_for = {term.lower(): entry.plain for entry in jargon.values() for term in entry.terms}
    pattern = _pattern(tuple(plain_for)) if plain_for and settings.jargon else None
    for loc, value in texts:
        for sentence in _SENTENCE.finditer(value):
            words = _WORD.findall(readable_text(sentence.group()))
            if len(words) > settings.max_sentence_words:
                line, field = document.where(loc, value, sentence.start())
                quoted = " ".join(sentence.group().split())
                quoted = quoted if len(quoted) <= QUOTE_LENGTH else quoted[: QUOTE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
                found.append(
                    ContentError(
                        document.path,
                        line,
                        field,
                        f"a sentence of {len(words)} words (the site asks for at most "
                        f"{settings.max_sentence_words}): split “{quoted}” into shorter ones",
                    )
                )
        if pattern is None:
            continue
        for match in pattern.finditer(value):
            line, field = document.where(loc, value, match.start())
            term = " ".join(match.group().split())
            plain = plain_for[term.lower()]
            found.append(ContentError(document.path, line, field, f"“{term}” is jargon to many readers; try: {plain}"))
    return found

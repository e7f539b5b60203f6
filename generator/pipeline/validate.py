"""Stage 2, validate: check loaded documents against the content model and each other.

Every error in every file is collected before anything is raised, so an author sees them all
at once as ``path:line: field: message``.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel

from generator.errors import ContentError, ContentErrors
from generator.model.content import Content, ReviewEntry
from generator.model.dates import or_not_dated
from generator.model.schema import AgeGroup, Agency, FeedbackSummary, Jargon, Review, ReviewType, Settings, Theme
from generator.model.strings import TRANSLATED_STRINGS, default_strings, placeholders, strings_in
from generator.pipeline.anonymity import scan
from generator.pipeline.generate_cache import GenerateCache
from generator.pipeline.languages import (
    ENGLISH,
    content_in,
    is_pair,
    left_in_english,
    misplaced_pairs,
    untranslated,
)
from generator.pipeline.links import check_links
from generator.pipeline.load import Document, RawContent
from generator.pipeline.model_errors import as_model
from generator.pipeline.plain_english import check_plain_english
from generator.pipeline.vocabularies import by_file, check_references, chosen_sets, is_reference, merged_vocabulary
from generator.pipeline.workers import forked_map
from generator.suggest import did_you_mean, nearest

Model = TypeVar("Model", bound=BaseModel)

VOCABULARIES = ("review_types", "themes", "agencies", "age_groups")
"""The vocabularies whose entries' text is shown on the pages."""


def validate(
    raw: RawContent,
    today: datetime.date | None = None,
    drafts: bool = False,
    strict: bool = False,
    warnings: bool = True,
    kept: GenerateCache | None = None,
) -> Content:
    """Turn loaded content into ``Content``, or raise ``ContentErrors`` listing every problem.

    Only reviews that are published or archived, and past any embargo on ``today``, are in the
    site; with ``drafts`` (a local preview) drafts and embargoed reviews are in it too, marked.

    A site in more than one language (``languages:``) gets an edition of the content in each
    (``Content.translations``); text with no translation is listed among the warnings (errors
    with ``strict``). Without ``warnings`` the anonymity and plain-English checks are not made
    (the preview, which shows no warnings, starts sooner); ``strict`` makes them anyway."""
    pairs = [error for document in _documents(raw) for error in misplaced_pairs(document, document is raw.strings)]
    content, anonymity = _edition(
        content_in(raw, ENGLISH), raw if warnings or strict else None, today, drafts, ENGLISH, pairs, strict, kept
    )
    others = [language for language in content.settings.languages if language != ENGLISH]
    translations = tuple(_translation(raw, language, today, drafts) for language in others)
    missing = [error for language in others for error in missing_translations(raw, content, language)]
    if strict and (anonymity or missing):  # plain English stays a warning: a judgement, not a risk to anyone
        raise ContentErrors(anonymity + missing)
    if others:
        content = replace(content, translations=translations, warnings=tuple(sorted(content.warnings + tuple(missing))))
    return fingerprinted(content, raw, kept)


def other_files_digest(raw: RawContent) -> str:
    """A hash of every content file but the reviews (settings, strings, vocabularies, jargon,
    feedback summary), or empty if one of them was read without a hash (no cache)."""
    documents = [raw.settings, raw.strings, raw.review_types, raw.themes, raw.agencies, raw.age_groups, raw.jargon]
    documents.append(raw.feedback_summary)
    digests = [document.digest if document is not None else "none" for document in documents]
    return "" if "" in digests else ":".join(digests)


def fingerprinted(content: Content, raw: RawContent, kept: GenerateCache | None) -> Content:
    """``content`` with each edition's ``fingerprint`` (see ``Content.fingerprint``), when the
    build keeps a cache and every file was read with its hash."""
    others = other_files_digest(raw)
    if kept is None or not others:
        return content

    def edition(content: Content) -> Content:
        fingerprint = kept.key("edition", others, content.language, sorted(content.left_in_english))
        return replace(content, fingerprint=fingerprint)

    return replace(edition(content), translations=tuple(edition(other) for other in content.translations))


def _translation(raw: RawContent, language: str, today: datetime.date | None, drafts: bool) -> Content:
    """The edition of the content in ``language``; text with none in it keeps its English, and
    is listed (``Content.left_in_english``) for the pages to mark as English."""
    edition, _ = _edition(content_in(raw, language), None, today, drafts, language)
    vocabularies = [raw.review_types, raw.themes, raw.agencies, raw.age_groups]
    vocabularies += [
        raw.shipped[chosen].get(name) for chosen in chosen_sets(raw.settings, raw.shipped) for name in VOCABULARIES
    ]
    documents = [document for document in [raw.settings, *vocabularies, *raw.reviews] if document is not None]
    english = frozenset().union(*(left_in_english(document, language) for document in documents))
    return replace(edition, left_in_english=english)


def _documents(raw: RawContent) -> list[Document]:
    """The board's own documents (not the shipped vocabularies)."""
    own = [raw.settings, raw.strings, raw.review_types, raw.themes, raw.agencies, raw.age_groups, raw.jargon]
    return [document for document in own if document is not None] + raw.reviews


def missing_translations(raw: RawContent, content: Content, language: str) -> list[ContentError]:
    """Every interface string and every content field with no text in ``language``: the reviews,
    the settings, the board's strings, and the vocabulary entries the site uses."""
    shown = TRANSLATED_STRINGS[language].relative_to(TRANSLATED_STRINGS[language].parents[1]).as_posix()
    reworded = raw.strings.data if raw.strings is not None and isinstance(raw.strings.data, dict) else {}
    missing = [
        ContentError(shown, 1, key, f"no {language} text for this interface string; add it to {shown}")
        for key in default_strings()
        if key not in default_strings(language) and not (is_pair(reworded.get(key)) and language in reworded[key])
    ]
    for document in [raw.settings, *raw.reviews]:
        if document is not None:
            missing += untranslated(document, language)
    if raw.strings is not None:
        missing += untranslated(raw.strings, language, everything=True)
    used = {
        "review_types": set(content.used_review_types),
        "themes": set(content.used_themes),
        "agencies": set(content.used_agencies),
        "age_groups": {key for entry in content.reviews for key in entry.review.age_groups},
    }
    own = {
        "review_types": raw.review_types,
        "themes": raw.themes,
        "agencies": raw.agencies,
        "age_groups": raw.age_groups,
    }
    for name, keys in used.items():
        document = own[name]
        own_keys = set(document.data) if document is not None and isinstance(document.data, dict) else set()
        if document is not None:
            missing += untranslated(document, language, entries=keys)
        for chosen in chosen_sets(raw.settings, raw.shipped):
            shipped = raw.shipped[chosen].get(name)
            if shipped is not None:  # an entry the board's own file replaces is not the shipped one's
                missing += untranslated(shipped, language, entries=keys - own_keys)
    return missing


Findings = tuple[list[ContentError], list[ContentError]]
"""A review's findings: the anonymity check's, then the plain-English check's."""


def _edition(
    raw: RawContent,
    originals: RawContent | None,
    today: datetime.date | None,
    drafts: bool,
    language: str,
    found: list[ContentError] | None = None,
    strict: bool = False,
    kept: GenerateCache | None = None,
) -> tuple[Content, list[ContentError]]:
    """The content in one language, from ``raw`` read in that language, and the anonymity check's
    findings. The anonymity and plain-English checks look at the ``originals`` (every language)
    once, with the first edition; their findings are the content's warnings."""
    errors: list[ContentError] = list(raw.errors) + list(found or [])
    settings = as_model(raw.settings, Settings, (), errors)
    strings = _strings(raw.strings, errors, language)
    sets = chosen_sets(raw.settings, raw.shipped)
    if not sets:
        errors += raw.missing_vocabularies  # the board's own files must hold everything
    own_may_be_empty = bool(sets) or settings is None  # (broken settings: the sets are unknown)

    def vocabulary(name: str, own: Document | None, model: type[Model]) -> dict[str, Model]:
        shipped = [raw.shipped[chosen][name] for chosen in sets if name in raw.shipped[chosen]]
        return merged_vocabulary(shipped, own, model, errors, own_may_be_empty=own_may_be_empty)

    review_types = vocabulary("review_types", raw.review_types, ReviewType)
    themes = vocabulary("themes", raw.themes, Theme)
    agencies = vocabulary("agencies", raw.agencies, Agency)
    age_groups = vocabulary("age_groups", raw.age_groups, AgeGroup)
    jargon = vocabulary("jargon", raw.jargon, Jargon)
    vocabularies = by_file(review_types, themes, agencies, age_groups)
    entries = _reviews(raw.reviews, vocabularies, errors)
    summary = as_model(raw.feedback_summary, FeedbackSummary, (), errors) if raw.feedback_summary else None
    if settings is None or raw.settings is None:
        raise ContentErrors(errors)
    if language != ENGLISH and settings.site_url:  # this edition's pages are under <language>/
        settings = settings.model_copy(update={"site_url": f"{settings.site_url.rstrip('/')}/{language}/"})
    documents = {document.path: document for document in raw.reviews}
    scanned = {document.path: document for document in originals.reviews} if originals else {}
    contacts = [settings.contact_email, *settings.contacts]

    def checked(entry: ReviewEntry) -> Findings:
        """The anonymity and plain-English findings of one review."""
        return (
            scan(scanned[entry.source], entry.review.names, settings.helplines, contacts),
            check_plain_english(documents[entry.source], settings.plain_english, jargon),
        )

    anonymity: list[ContentError] = []
    plain_english: list[ContentError] = []
    if originals is not None:
        table = kept.table("checks") if kept is not None else None
        others = other_files_digest(raw) if kept is not None else ""
        keys = [kept.key("checks", e.fingerprint, others) if kept and others and e.fingerprint else "" for e in entries]
        known: list[Findings | None] = [table.get(key) if table is not None and key else None for key in keys]
        unchecked = [place for place, findings in enumerate(known) if findings is None]
        # the reviews not checked before, on every core (the checks read each review alone)
        for place, findings in zip(unchecked, forked_map(lambda p: checked(entries[p]), unchecked), strict=True):
            known[place] = findings
            if table is not None and keys[place]:
                table.put(keys[place], findings)
        for each in known:
            assert each is not None
            anonymity += each[0]
            plain_english += each[1]
    today = today or build_date()
    published = [
        replace(
            entry, preview=not is_public(entry.review, today), report_withdrawn=report_withdrawn(entry.review, today)
        )
        for entry in entries
        if drafts or is_public(entry.review, today)
    ]
    content = Content(
        settings=settings,
        strings=strings,
        review_types=review_types,
        themes=themes,
        agencies=agencies,
        age_groups=age_groups,
        reviews=newest_first(published),
        feedback_summary=summary if settings.feedback.publish_summary else None,
        warnings=tuple(sorted(anonymity + plain_english)),
        jargon=jargon,
        language=language,
    )
    invalid = _ids_claimed(raw.reviews) - {entry.review.id for entry in entries}
    errors += check_links(content, documents, raw.settings, also_ids=invalid)
    if errors:
        raise ContentErrors(errors + (anonymity if strict else []))
    return content, anonymity


def _ids_claimed(documents: list[Document]) -> set[str]:
    """The ids review files give, valid or not. Those of files with errors of their own are not
    reported again as broken links; a draft's or embargoed review's are, since its pages will
    not exist."""
    return {d.data["id"] for d in documents if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}


def _reviews(
    documents: list[Document], vocabularies: dict[str, dict[str, Any]], errors: list[ContentError]
) -> list[ReviewEntry]:
    """Every review that validates; the problems of the others are added to ``errors``."""
    entries: list[ReviewEntry] = []
    first_file_of_id: dict[str, Document] = {}
    for document in documents:
        review, summary = _review_and_summary(document, errors)
        if isinstance(document.data, dict):
            check_references(document, vocabularies, errors)
            _check_unique_id(document, first_file_of_id, errors)
        if review is not None and summary is not None:
            entries.append(ReviewEntry(review, summary, document.path, fingerprint=document.digest))
    return entries


def _review_and_summary(document: Document, errors: list[ContentError]) -> tuple[Review | None, str | None]:
    """A review file's model and case summary, worked out once for each version of the file
    (a preview validates every review after each edit; most have not changed)."""
    if "review" not in document.memo:
        found: list[ContentError] = []
        document.memo["review"] = (
            as_model(document, Review, (), found, reported_elsewhere=is_reference),
            _case_summary(document, found),
            found,
        )
    review, summary, found = document.memo["review"]
    errors.extend(found)
    return review, summary


def build_date() -> datetime.date:
    """The date a build publishes for: today, or ``LL_TODAY`` (YYYY-MM-DD) when set, so that an
    embargo can be previewed and tested."""
    override = os.environ.get("LL_TODAY")
    return datetime.date.fromisoformat(override) if override else datetime.date.today()


def is_public(review: Review, today: datetime.date) -> bool:
    """Whether a review belongs in the published site on ``today``."""
    if review.status == "draft":
        return False
    return review.publish_from is None or review.publish_from <= today


def report_withdrawn(review: Review, today: datetime.date) -> bool:
    """Whether the board has stopped publishing the full report by ``today``."""
    return review.report.available_until is not None and review.report.available_until < today


def newest_first(entries: list[ReviewEntry]) -> list[ReviewEntry]:
    """Newest publication first, undated last, ties in order of id."""
    by_id = sorted(entries, key=lambda entry: entry.review.id)
    dated = [entry for entry in by_id if or_not_dated(entry.review.published).dated]
    undated = [entry for entry in by_id if not or_not_dated(entry.review.published).dated]
    return sorted(dated, key=lambda entry: or_not_dated(entry.review.published), reverse=True) + undated


def _check_unique_id(document: Document, first_file_of_id: dict[str, Document], errors: list[ContentError]) -> None:
    """A review's id must not be the id of an earlier file (read from the raw data, so a file
    with other errors still claims its id)."""
    review_id = document.data.get("id")
    if not isinstance(review_id, str):
        return
    earlier = first_file_of_id.setdefault(review_id, document)
    if earlier is not document:
        errors.append(
            ContentError(
                document.path,
                document.lines.line_of(("id",)),
                "id",
                f"{review_id!r} is already the id of {earlier.path}; ids must be unique",
            )
        )


def _strings(document: Document | None, errors: list[ContentError], language: str = ENGLISH) -> dict[str, str]:
    """The interface strings in ``language``: the package's, reworded by ``content/strings.yml``."""
    defaults = strings_in(language)
    if document is None:
        return dict(defaults)
    if not isinstance(document.data, dict):
        errors.append(ContentError(document.path, 1, "", "expected 'name: text' lines"))
        return dict(defaults)
    strings = dict(defaults)
    for key, value in document.data.items():
        line = document.lines.line_of((key,), key=True)
        if key not in defaults:
            hint = did_you_mean(str(key), defaults)
            errors.append(ContentError(document.path, line, str(key), f"unknown interface string{hint}"))
        elif not isinstance(value, str) or not value.strip():
            errors.append(ContentError(document.path, line, str(key), "must be a piece of text"))
        elif problem := _placeholder_problem(value, default_strings()[key]):
            errors.append(ContentError(document.path, line, str(key), problem))
        else:
            strings[key] = value
    return strings


def _placeholder_problem(text: str, default: str) -> str | None:
    """What is wrong with the ``{placeholders}`` of a reworded string, or None. A rewording may
    use any of the placeholders of the string it replaces, and no others."""
    allowed = placeholders(default)
    if not allowed:
        return None  # used as it is: braces are shown as written
    can_use = "this text can use " + ", ".join(f"{{{name}}}" for name in sorted(allowed))
    try:
        used = placeholders(text)
    except ValueError:
        return f"a '{{' or '}}' is not part of a placeholder; {can_use}, and a brace shown as text is written twice ({{{{ or }}}})"
    unknown = sorted(used - allowed)
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        guess = nearest(unknown[0], allowed)
        hint = f" (did you mean {{{guess}}}?)" if guess else ""
        return f"unknown placeholder {names}{hint}; {can_use}"
    return None


def _case_summary(document: Document, errors: list[ContentError]) -> str | None:
    if document.body.strip():
        return document.body
    errors.append(
        ContentError(
            document.path,
            document.body_line,
            "case summary",
            "the case summary (the Markdown after the front matter) is missing",
        )
    )
    return None

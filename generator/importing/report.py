"""The import report on the terminal: what was found and where, what the author still has to
do (the content check's own errors on the draft, grouped), and the anonymity check's findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.errors import ContentError, ContentErrors
from generator.importing.draft import Draft
from generator.importing.vocabulary import Vocabularies
from generator.model.schema import Review
from generator.pipeline.anonymity import scan
from generator.pipeline.load import parse_review
from generator.pipeline.model_errors import as_model
from generator.pipeline.vocabularies import by_file, check_references

METADATA_FIELDS = (
    "report_title",
    "pseudonyms",
    "board",
    "review_type",
    "nation",
    "published",
    "subject_age",
    "age_group",
)
"""The fields an import looks for, in the order the report lists them."""


@dataclass(frozen=True)
class Findings:
    to_do: list[ContentError]
    """What ``briefings check`` says of the draft as it is."""
    anonymity: list[ContentError]


def findings(draft: Draft, shown_as: str, vocabularies: Vocabularies) -> Findings:
    """The check's errors and the anonymity check's warnings for the draft text."""
    errors: list[ContentError] = []
    try:
        document = parse_review(draft.text, shown_as)
    except ContentErrors as failure:  # the template makes valid YAML; kept for safety
        return Findings(failure.errors, [])
    errors += document.problems
    review = as_model(document, Review, (), errors)
    check_references(
        document,
        by_file(vocabularies.review_types, vocabularies.themes, vocabularies.agencies, vocabularies.age_groups),
        errors,
    )
    names = review.names if review else list(draft.extracted.metadata.get("pseudonyms", []))  # type: ignore[call-overload]
    warnings = scan(document, names, vocabularies.helplines, vocabularies.contacts)
    return Findings(sorted(set(errors)), sorted(set(warnings)))


def report_text(draft: Draft, shown_as: str, found: Findings, force: bool) -> str:
    """The report printed after an import."""
    extracted = draft.extracted
    lines = [f"Wrote {shown_as} (status: draft){' over the file that was there' if force else ''}.", ""]
    lines.append(
        f"Found {len(extracted.points)} learning point(s), {len(extracted.recommendations)} recommendation(s), "
        f"{len(extracted.board_questions)} question(s) to the board."
    )
    pages = sorted({page for item in [*extracted.points, *extracted.recommendations] for page in item.pages})
    if pages:
        lines.append(f"They come from page(s) {_ranges(pages)}.")
    elif extracted.points or extracted.recommendations:
        lines.append("The file has no pages: each item's source gives its section number and line.")
    known = [name for name in METADATA_FIELDS if extracted.metadata.get(name)]
    missing = [name for name in METADATA_FIELDS if name not in known]
    lines.append(
        f"Metadata found ({len(known)} of {len(METADATA_FIELDS)}): "
        + ", ".join(f"{name} = {_shown(extracted.metadata[name])}" for name in known)
    )
    if missing:
        lines.append("Not found: " + ", ".join(missing) + ".")
    for name, value in extracted.notes.items():
        lines.append(f"{name.capitalize()}: {value} (a comment in the draft; not published).")
    if extracted.case_summary:
        lines.append(f"Case summary drafted from {extracted.case_summary_source}.")
    if draft.review_themes:
        lines.append(
            "Suggested themes (not applied): " + ", ".join(f"{s.theme} ({s.score})" for s in draft.review_themes)
        )
    lines += ["", "Still to do before `briefings check` passes:"]
    grouped = Counter(error.message for error in found.to_do)
    seen: set[str] = set()
    for error in found.to_do:
        if error.message in seen:
            continue
        seen.add(error.message)
        count = grouped[error.message]
        more = f" (and {count - 1} more like it)" if count > 1 else ""
        lines.append(f"  [ ] {error}{more}")
    if not found.to_do:
        lines.append("  nothing: the draft passes")
    lines += [
        "  [ ] rewrite the title, summary and case summary in the briefing's own words",
        "  [ ] check each point and recommendation against the report (see its source:)",
        "  [ ] good_practice, board_response, further_reading; then published date and status to publish",
    ]
    lines += ["", f"Anonymity check on the draft: {len(found.anonymity)} finding(s)."]
    lines += [f"  {warning}" for warning in found.anonymity]
    return "\n".join(lines)


def _shown(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _ranges(pages: list[int]) -> str:
    spans: list[list[int]] = []
    for page in pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)

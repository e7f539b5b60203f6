"""The impact report: what teams did with the briefings, from the feedback the service stored.

``write_report(project, db, out_dir)`` reads the database ``db`` (SQLite or PostgreSQL, opened
read-only) and writes four files:

- ``feedback.csv``: every submission, one row each: ``id``, ``received_at``, ``briefing``, then
  every field of ``feedback.fields`` in ``content/settings.yml`` in order, the reflection answers
  as ``answers-1`` .. ``answers-N`` (N the most questions of any briefing or answer stored), then
  any stored answer whose field is no longer in the settings. UTF-8 with a byte-order mark, so
  spreadsheet programs read it as UTF-8. A cell starting with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return is prefixed with ``'`` so a spreadsheet shows it as text, never runs it as a
  formula.
- ``report.md`` and ``report.html``: the totals, then per briefing and per theme (a briefing
  counts for each of its review's themes): sessions held, people reached (the sum of
  ``people``), agencies reached (distinct ``agency`` answers, ignoring case and spacing), the
  roles given, usefulness (the mean and the count of each answer) and every "what we will change"
  answer (``change-action``) with its owner and date. For the board's own use: it contains what
  people wrote (escaped, never run as markup). They are the templates
  ``feedback_report.md.j2`` and ``feedback_report.html.j2``, in the site's words (the
  ``feedback_report_*`` strings, which a board may reword).
- ``summary.json``: the same figures with no personal data, to publish on the site when
  ``feedback.publish_summary`` is true. It holds only counts, sums and usefulness figures, and
  titles and names from the site's own content; never e-mail addresses, agency names, roles or
  any other answer text. Its shape::

      {
        "submissions": 12,                      # every stored submission
        "first_received": "2024-05-01",         # dates only (UTC), null when there is none
        "last_received": "2024-06-30",
        "totals": FIGURES,                      # over every stored submission
        "briefings": [                          # every published briefing, in site order
          {"id": "kent-2024-child-a", "title": "...", "themes": ["invisible-fathers"], **FIGURES}
        ],
        "themes": [                             # every theme of a published briefing, in vocabulary order
          {"id": "invisible-fathers", "name": "...", "briefings": 3, **FIGURES}
        ]
      }

  where ``FIGURES`` is ``{"sessions": int, "people": int, "agencies": int, "changes": int,
  "usefulness": {"answers": int, "mean": float | null, "counts": {"1": int, ..., "5": int}}}``:
  ``agencies`` the number of distinct agencies, ``changes`` the number of "what we will change"
  answers, ``mean`` rounded to two places (null with no answers). ``totals`` also counts feedback
  on briefings that are no longer published, so it may exceed the sum of ``briefings``.

The figures come from ``generator.feedback.tally``, which reads the answers by field name
(``people``, ``agency``, ``roles``, ``usefulness``, ``change-action``, ``change-owner`` and
``change-by``); a figure whose field is not in the settings is 0.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup

from generator.build import Project, check
from generator.feedback.pages import render
from generator.feedback.store import Submission, read_submissions
from generator.feedback.tally import Aggregates, Group, Tally, aggregate, summary
from generator.model.content import Content
from generator.model.feedback_form import LANGUAGE, reflection_questions
from generator.model.strings import fill_text
from generator.pipeline.open_data import spreadsheet_safe

FIXED_COLUMNS = ("id", "received_at", "briefing")
MARKDOWN_PAGE = "feedback_report.md.j2"
HTML_PAGE = "feedback_report.html.j2"


def csv_columns(content: Content, submissions: list[Submission]) -> list[str]:
    """The columns of ``feedback.csv``, in order."""
    most = max((len(reflection_questions(entry)) for entry in content.reviews), default=0)
    columns = list(FIXED_COLUMNS) + ([LANGUAGE] if content.translations else [])
    for setting in content.settings.feedback.fields:
        if setting.kind != "reflection_answers":
            columns.append(setting.name)
            continue
        pattern = re.compile(rf"^{re.escape(setting.name)}-(\d+)$")
        stored = [int(match[1]) for s in submissions for name in s.answers if (match := pattern.match(name))]
        most_here = max([most, *stored])
        columns += [f"{setting.name}-{number}" for number in range(1, most_here + 1)]
    known = set(columns)
    columns += sorted({name for s in submissions for name in s.answers if name not in known})
    return columns


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or CR gets a ``'``."""
    return spreadsheet_safe(str(value))


def write_csv(path: Path, content: Content, submissions: list[Submission]) -> None:
    """Write every submission to ``path`` (see the module docstring for the columns)."""
    columns = csv_columns(content, submissions)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        for submission in submissions:
            fixed = {
                "id": submission.id,
                "received_at": submission.received_at,
                "briefing": submission.briefing,
                LANGUAGE: submission.language,
            }
            row = [fixed[name] if name in fixed else submission.answers.get(name, "") for name in columns]
            writer.writerow([safe_cell(value) for value in row])


def markdown_text(text: str) -> Markup:
    """Free text as inert Markdown: on one line, HTML-escaped, Markdown punctuation escaped."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return Markup(re.sub(r"([\\`*_\[\]|#!])", r"\\\1", escaped))


def period_text(aggregates: Aggregates, strings: Mapping[str, str]) -> str:
    """When the feedback was received, or that none has been."""
    if not aggregates.submissions:
        return strings["feedback_report_none_yet"]
    first, last = aggregates.first_received, aggregates.last_received
    return fill_text(strings["feedback_report_period"], submissions=aggregates.submissions, first=first, last=last)


def usefulness_text(tally: Tally, strings: Mapping[str, str]) -> str:
    """The usefulness answers: their mean, their number and the count of each answer."""
    if not tally.usefulness_answers:
        return strings["feedback_report_usefulness_none"]
    counts = ", ".join(f"{value}: {tally.usefulness.get(value, 0)}" for value in tally.scale)
    if tally.usefulness_mean is None:
        average = strings["feedback_report_usefulness_no_mean"]
    else:
        average = fill_text(strings["feedback_report_usefulness_mean"], mean=tally.usefulness_mean)
    figures = strings["feedback_report_usefulness_figures"]
    return fill_text(figures, average=average, answers=tally.usefulness_answers, counts=counts)


def agencies_text(tally: Tally) -> str:
    """The number of agencies reached, and their names in brackets."""
    names = "; ".join(tally.agencies.values())
    return f"{len(tally.agencies)}" + (f" ({names})" if names else "")


def with_feedback(groups: list[Group]) -> list[Group]:
    """The groups some feedback is about."""
    return [group for group in groups if group.tally.sessions]


def report_page(template: str, content: Content, aggregates: Aggregates) -> str:
    """``report.md`` or ``report.html``: the template filled in with the figures."""
    strings = content.strings
    return render(
        template,
        strings,
        site_name=content.settings.site_name,
        period=period_text(aggregates, strings),
        totals=aggregates.totals,
        briefings=with_feedback(aggregates.briefings),
        quiet=[group for group in aggregates.briefings if not group.tally.sessions],
        themes=with_feedback(aggregates.themes),
        titles={group.key: group.title for group in aggregates.briefings},
        usefulness=lambda tally: usefulness_text(tally, strings),
        agencies=agencies_text,
        languages=(lambda tally: languages_text(tally, strings)) if content.translations else None,
        md=markdown_text,
    )


def languages_text(tally: Tally, strings: Mapping[str, str]) -> str:
    """How many submissions came from the English and from the Welsh pages."""
    return ", ".join(f"{strings['language_' + code]} {tally.languages.get(code, 0)}" for code in ("en", "cy"))


def write_report(project: Project, db: str | Path, out_dir: Path) -> list[Path]:
    """Write ``feedback.csv``, ``report.md``, ``report.html`` and ``summary.json`` into ``out_dir``
    from the database ``db`` (a SQLite file's path, or a ``sqlite:///`` or ``postgresql://`` URL),
    which is only read.

    Raises ``DatabaseUnavailable`` if ``db`` does not exist or cannot be read (a report never
    creates a database), ``ContentErrors`` if the content has errors."""
    submissions = read_submissions(db)
    content = check(project)
    aggregates = aggregate(content, submissions)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / name for name in ("feedback.csv", "report.md", "report.html", "summary.json")]
    write_csv(paths[0], content, submissions)
    paths[1].write_text(report_page(MARKDOWN_PAGE, content, aggregates), encoding="utf-8")
    paths[2].write_text(report_page(HTML_PAGE, content, aggregates), encoding="utf-8")
    paths[3].write_text(json.dumps(summary(content, aggregates), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return paths

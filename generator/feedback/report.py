"""The impact report: what teams did with the briefings, from the feedback the service stored.

``write_report(project, db, out_dir)`` writes four files:

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
  people wrote (escaped, never run as markup).
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

The answers are read by field name: ``people``, ``agency``, ``roles``, ``usefulness``,
``change-action``, ``change-owner`` and ``change-by`` (the constants below); a figure whose
field is not in the settings is 0.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import Project, check
from generator.feedback.store import Store, Submission
from generator.model.content import Content
from generator.model.feedback_form import reflection_questions

PEOPLE = "people"
AGENCY = "agency"
ROLES = "roles"
USEFULNESS = "usefulness"
CHANGE_ACTION = "change-action"
CHANGE_OWNER = "change-owner"
CHANGE_BY = "change-by"

FIXED_COLUMNS = ("id", "received_at", "briefing")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_USEFULNESS = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class Change:
    """One "what we will change" answer."""

    briefing: str
    action: str
    owner: str
    by: str


@dataclass
class Tally:
    """The figures for a group of submissions (one briefing, one theme, or all)."""

    scale: tuple[str, ...]
    """The usefulness answers, in order."""
    sessions: int = 0
    people: int = 0
    agencies: dict[str, str] = field(default_factory=dict)
    """Each distinct agency (case and spacing ignored) -> its first spelling."""
    roles: list[str] = field(default_factory=list)
    usefulness: Counter[str] = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)

    def add(self, submission: Submission) -> None:
        """Count one submission."""
        answers = submission.answers
        self.sessions += 1
        people = answers.get(PEOPLE, "")
        if re.fullmatch(r"\d{1,9}", people):
            self.people += int(people)
        agency = " ".join(answers.get(AGENCY, "").split())
        if agency:
            self.agencies.setdefault(agency.casefold(), agency)
        if answers.get(ROLES, "").strip():
            self.roles.append(answers[ROLES].strip())
        if answers.get(USEFULNESS, ""):
            self.usefulness[answers[USEFULNESS]] += 1
        if answers.get(CHANGE_ACTION, "").strip():
            self.changes.append(
                Change(
                    submission.briefing,
                    answers[CHANGE_ACTION].strip(),
                    answers.get(CHANGE_OWNER, "").strip(),
                    answers.get(CHANGE_BY, "").strip(),
                )
            )

    @property
    def usefulness_answers(self) -> int:
        return sum(self.usefulness.values())

    @property
    def usefulness_mean(self) -> float | None:
        """The mean of the numeric usefulness answers, to two places; ``None`` if there are none."""
        numbers = [int(value) for value, count in self.usefulness.items() for _ in range(count) if value.isdigit()]
        return round(sum(numbers) / len(numbers), 2) if numbers else None

    def figures(self) -> dict:
        """The figures without personal data, as ``summary.json`` gives them."""
        return {
            "sessions": self.sessions,
            "people": self.people,
            "agencies": len(self.agencies),
            "changes": len(self.changes),
            "usefulness": {
                "answers": self.usefulness_answers,
                "mean": self.usefulness_mean,
                "counts": {value: self.usefulness.get(value, 0) for value in self.scale},
            },
        }


@dataclass(frozen=True)
class Group:
    """A heading of the report and its figures."""

    key: str
    title: str
    tally: Tally
    themes: tuple[str, ...] = ()
    briefings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Aggregates:
    """Every figure of the report."""

    totals: Tally
    briefings: list[Group]
    """Every published briefing in site order, then any other briefing with feedback."""
    themes: list[Group]
    """Every theme of a published briefing, in vocabulary order."""
    submissions: int
    first_received: str | None
    last_received: str | None


def usefulness_scale(content: Content) -> tuple[str, ...]:
    """The usefulness answers in order: the choices of the ``usefulness`` field, or 1 to 5."""
    for setting in content.settings.feedback.fields:
        if setting.name == USEFULNESS and setting.choices:
            return tuple(setting.choices)
    return DEFAULT_USEFULNESS


def aggregate(content: Content, submissions: list[Submission]) -> Aggregates:
    """The figures per briefing, per theme and in all."""
    scale = usefulness_scale(content)
    totals = Tally(scale)
    by_briefing: dict[str, Tally] = {entry.review.id: Tally(scale) for entry in content.reviews}
    for submission in submissions:
        totals.add(submission)
        by_briefing.setdefault(submission.briefing, Tally(scale)).add(submission)
    entries = {entry.review.id: entry for entry in content.reviews}
    briefings = [
        Group(
            key,
            entries[key].review.title if key in entries else key,
            tally,
            themes=tuple(entries[key].review.themes) if key in entries else (),
        )
        for key, tally in by_briefing.items()
    ]
    themes = []
    for theme, details in content.themes.items():
        tagged = [entry.review.id for entry in content.reviews if theme in entry.review.themes]
        if not tagged:
            continue
        tally = Tally(scale)
        for submission in submissions:
            if submission.briefing in tagged:
                tally.add(submission)
        themes.append(Group(theme, details.name, tally, briefings=tuple(tagged)))
    dates = sorted(submission.received_at for submission in submissions)
    return Aggregates(
        totals=totals,
        briefings=briefings,
        themes=themes,
        submissions=len(submissions),
        first_received=dates[0][:10] if dates else None,
        last_received=dates[-1][:10] if dates else None,
    )


def summary(content: Content, aggregates: Aggregates) -> dict:
    """``summary.json``: the figures with no personal data (see the module docstring)."""
    published = {entry.review.id for entry in content.reviews}
    return {
        "submissions": aggregates.submissions,
        "first_received": aggregates.first_received,
        "last_received": aggregates.last_received,
        "totals": aggregates.totals.figures(),
        "briefings": [
            {"id": group.key, "title": group.title, "themes": list(group.themes), **group.tally.figures()}
            for group in aggregates.briefings
            if group.key in published
        ],
        "themes": [
            {"id": group.key, "name": group.title, "briefings": len(group.briefings), **group.tally.figures()}
            for group in aggregates.themes
        ],
    }


def csv_columns(content: Content, submissions: list[Submission]) -> list[str]:
    """The columns of ``feedback.csv``, in order."""
    most = max((len(reflection_questions(entry)) for entry in content.reviews), default=0)
    columns = list(FIXED_COLUMNS)
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
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path: Path, content: Content, submissions: list[Submission]) -> None:
    """Write every submission to ``path`` (see the module docstring for the columns)."""
    columns = csv_columns(content, submissions)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        for submission in submissions:
            fixed = {"id": submission.id, "received_at": submission.received_at, "briefing": submission.briefing}
            row = [fixed[name] if name in fixed else submission.answers.get(name, "") for name in columns]
            writer.writerow([safe_cell(value) for value in row])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _md(text: str) -> str:
    """Free text as inert Markdown: on one line, HTML-escaped, Markdown punctuation escaped."""
    escaped = html.escape(_one_line(text), quote=False)
    return re.sub(r"([\\`*_\[\]|#!])", r"\\\1", escaped)


def _usefulness_text(tally: Tally) -> str:
    if not tally.usefulness_answers:
        return "no answers"
    counts = ", ".join(f"{value}: {tally.usefulness.get(value, 0)}" for value in tally.scale)
    mean = f"mean {tally.usefulness_mean}" if tally.usefulness_mean is not None else "no numeric answers"
    return f"{mean} from {tally.usefulness_answers} answer(s) ({counts})"


def _change_text(change: Change, escape: Callable[[str], str], source: str = "") -> str:
    """One "what we will change" answer with its owner and date (and ``source``, its briefing)."""
    details = [
        f"owner: {escape(change.owner)}" if change.owner else "",
        f"by: {escape(change.by)}" if change.by else "",
        f"from: {escape(source)}" if source else "",
    ]
    extra = "; ".join(part for part in details if part)
    return escape(change.action) + (f" ({extra})" if extra else "")


def markdown_report(content: Content, aggregates: Aggregates) -> str:
    """``report.md``: the figures and answers, readable as plain text."""
    lines = [f"# Feedback report: {_md(content.settings.site_name)}", ""]
    lines += [_period(aggregates), ""]
    lines += ["## In all", "", *_md_tally(aggregates.totals, with_changes=False), ""]
    lines += ["## By briefing", ""]
    for group in _with_feedback(aggregates.briefings):
        lines += [f"### {_md(group.title)}", "", f"Briefing `{group.key}`.", "", *_md_tally(group.tally), ""]
    quiet = [group for group in aggregates.briefings if not group.tally.sessions]
    if quiet:
        lines += ["## Briefings with no feedback yet", "", *(f"- {_md(group.title)}" for group in quiet), ""]
    lines += ["## By theme", ""]
    for group in _with_feedback(aggregates.themes):
        lines += [f"### {_md(group.title)}", "", f"From {len(group.briefings)} briefing(s).", ""]
        lines += [*_md_tally(group.tally, titles=_titles(aggregates)), ""]
    return "\n".join(lines).rstrip() + "\n"


def _md_tally(tally: Tally, *, with_changes: bool = True, titles: Mapping[str, str] | None = None) -> list[str]:
    agencies = "; ".join(_md(name) for name in tally.agencies.values())
    lines = [
        f"- Sessions held: {tally.sessions}",
        f"- People reached: {tally.people}",
        f"- Agencies reached: {len(tally.agencies)}" + (f" ({agencies})" if agencies else ""),
        f"- Usefulness: {_usefulness_text(tally)}",
    ]
    if tally.roles:
        lines.append(f"- Roles: {'; '.join(_md(role) for role in tally.roles)}")
    if with_changes:
        lines.append("- What we will change:" if tally.changes else "- What we will change: nothing given")
        lines += [f"    - {_change_text(change, _md, _source(change, titles))}" for change in tally.changes]
    else:
        lines.append(f"- What we will change: {len(tally.changes)} answer(s)")
    return lines


def _titles(aggregates: Aggregates) -> dict[str, str]:
    """Each briefing's title by its id."""
    return {group.key: group.title for group in aggregates.briefings}


def _source(change: Change, titles: Mapping[str, str] | None) -> str:
    """The title of the briefing a change came from, when ``titles`` is given (in theme sections)."""
    return titles.get(change.briefing, change.briefing) if titles is not None else ""


def _period(aggregates: Aggregates) -> str:
    if not aggregates.submissions:
        return "No feedback has been received yet."
    return (
        f"{aggregates.submissions} submission(s), received from {aggregates.first_received} "
        f"to {aggregates.last_received} (UTC)."
    )


def _with_feedback(groups: Iterable[Group]) -> list[Group]:
    return [group for group in groups if group.tally.sessions]


def html_report(content: Content, aggregates: Aggregates) -> str:
    """``report.html``: the same as ``report.md`` as a self-contained page; every answer escaped."""
    esc = html.escape
    title = f"Feedback report: {content.settings.site_name}"
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.25rem .5rem;"
        "text-align:left;vertical-align:top}.text{white-space:pre-line}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(_period(aggregates))}</p>",
        "<h2>In all</h2>",
        _html_tally(aggregates.totals, with_changes=False),
        "<h2>By briefing</h2>",
    ]
    for group in _with_feedback(aggregates.briefings):
        parts += [f"<h3>{esc(group.title)}</h3>", f"<p>Briefing <code>{esc(group.key)}</code>.</p>"]
        parts.append(_html_tally(group.tally))
    quiet = [group for group in aggregates.briefings if not group.tally.sessions]
    if quiet:
        parts.append("<h2>Briefings with no feedback yet</h2>")
        parts.append("<ul>" + "".join(f"<li>{esc(group.title)}</li>" for group in quiet) + "</ul>")
    parts.append("<h2>By theme</h2>")
    for group in _with_feedback(aggregates.themes):
        parts += [f"<h3>{esc(group.title)}</h3>", f"<p>From {len(group.briefings)} briefing(s).</p>"]
        parts.append(_html_tally(group.tally, titles=_titles(aggregates)))
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_tally(tally: Tally, *, with_changes: bool = True, titles: Mapping[str, str] | None = None) -> str:
    esc = html.escape
    agencies = "; ".join(tally.agencies.values())
    rows = [
        ("Sessions held", str(tally.sessions)),
        ("People reached", str(tally.people)),
        ("Agencies reached", f"{len(tally.agencies)}" + (f" ({agencies})" if agencies else "")),
        ("Usefulness", _usefulness_text(tally)),
    ]
    if tally.roles:
        rows.append(("Roles", "; ".join(tally.roles)))
    if not with_changes:
        rows.append(("What we will change", f"{len(tally.changes)} answer(s)"))
    table = "<table>" + "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    table += "</table>"
    if not with_changes:
        return table
    if not tally.changes:
        return table + "\n<p>What we will change: nothing given.</p>"
    items = "".join(
        f'<li class="text">{_change_text(change, esc, _source(change, titles))}</li>' for change in tally.changes
    )
    return table + f"\n<h4>What we will change</h4>\n<ul>{items}</ul>"


def write_report(project: Project, db: Path, out_dir: Path) -> list[Path]:
    """Write ``feedback.csv``, ``report.md``, ``report.html`` and ``summary.json`` into ``out_dir``.

    Raises ``ContentErrors`` if the content has errors, ``FileNotFoundError`` if ``db`` does not
    exist (a report never creates an empty database)."""
    if not Path(db).is_file():
        raise FileNotFoundError(f"no feedback database at {db}")
    content = check(project)
    submissions = Store(db).all()
    aggregates = aggregate(content, submissions)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / name for name in ("feedback.csv", "report.md", "report.html", "summary.json")]
    write_csv(paths[0], content, submissions)
    paths[1].write_text(markdown_report(content, aggregates), encoding="utf-8")
    paths[2].write_text(html_report(content, aggregates), encoding="utf-8")
    paths[3].write_text(json.dumps(summary(content, aggregates), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return paths

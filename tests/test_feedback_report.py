"""The feedback report: the CSV, the per-briefing and per-theme figures, and a summary with no personal data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_project

from generator.build import Project, check
from generator.cli import main
from generator.feedback.report import safe_cell, write_report
from generator.feedback.store import Store
from generator.model.content import Content
from generator.model.feedback_form import check_submission

pytest_plugins = ["postgres"]  # the database fixtures: each test on SQLite, then on PostgreSQL (tests/postgres.py)

KENT = "kent-2019-child-j"
WILTSHIRE = "wiltshire-child-k"
WARWICKSHIRE = "warwickshire-2018-child-k"
WITHDRAWN = "withdrawn-2020-child-x"
EMAIL = "lead.person@example.org"

SUBMISSIONS = [
    {
        "briefing": KENT,
        "session-date": "2024-05-01",
        "used-as": "Team meeting",
        "agency": "Zeta Constabulary",
        "people": "6",
        "roles": "Detective constables",
        "discussion": "A private discussion about the family",
        "answers-1": "Our first reflection",
        "answers-19": "Our last reflection",
        "change-action": '=HYPERLINK("https://evil.example","click")',
        "change-owner": "@owner",
        "change-by": "2024-09-01",
        "usefulness": "5",
        "contact-email": EMAIL,
        "contact-consent": "yes",
    },
    {
        "briefing": KENT,
        "session-date": "2024-05-08",
        "used-as": "Supervision",
        "agency": "  zeta   constabulary ",
        "people": "4",
        "usefulness": "3",
    },
    {
        "briefing": WILTSHIRE,
        "session-date": "2024-06-01",
        "used-as": "Training",
        "agency": "Omega Health Visiting",
        "people": "10",
        "roles": "Health visitors <b>and</b> nurses",
        "answers-8": "Fathers were not seen",
        "change-action": "Record every adult in the household",
        "change-owner": "Named nurse <i>lead</i>",
        "change-by": "2024-10-01",
        "usefulness": "4",
    },
    {
        "briefing": WARWICKSHIRE,
        "session-date": "2024-06-15",
        "used-as": "Team meeting",
        "agency": "+Kappa Housing",
        "people": "2",
        "roles": "-housing officers",
        "usefulness": "5",
    },
]
FREE_TEXT = [
    "Zeta",
    "Omega",
    "Kappa",
    "Detective constables",
    "A private discussion",
    "Our first reflection",
    "Our last reflection",
    "HYPERLINK",
    "owner",
    "Fathers were not seen",
    "Record every adult",
    "Named nurse",
    "Health visitors",
    "housing officers",
    EMAIL,
    "@",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, module_database: str) -> tuple[Project, Content, str]:
    """The sample reviews with four submissions through the real check, and one on a withdrawn
    briefing, stored in a SQLite file or a PostgreSQL database."""
    project = make_project(tmp_path_factory.mktemp("report"), with_sample_reviews=True)
    site = check(project)
    with Store(module_database) as store:
        for answers in SUBMISSIONS:
            store.add(check_submission({name: [value] for name, value in answers.items()}, site))
        store.add({"briefing": WITHDRAWN, "submission-id": "", "people": "3", "agency": "Probation", "usefulness": "1"})
    return project, site, module_database


@pytest.fixture(scope="module")
def report(sample: tuple[Project, Content, str]) -> dict[str, Path]:
    project, _, db = sample
    paths = write_report(project, db, project.root / "out")
    return {path.name: path for path in paths}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_the_report_writes_four_files(report: dict[str, Path]) -> None:
    assert sorted(report) == ["feedback.csv", "report.html", "report.md", "summary.json"]


def test_the_csv_has_every_field_in_settings_order(sample: tuple[Project, Content, str], report) -> None:
    _, site, _ = sample
    header, *rows = read_csv(report["feedback.csv"])
    answers = [f"answers-{number}" for number in range(1, 20)]  # Kent's briefing has 19 questions, the most
    assert header == [
        "id",
        "received_at",
        "briefing",
        "session-date",
        "used-as",
        "agency",
        "team",
        "people",
        "roles",
        "discussion",
        *answers,
        "change-action",
        "change-owner",
        "change-by",
        "difference",
        "support",
        "usefulness",
        "contact-email",
        "contact-consent",
    ]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    assert [row[2] for row in rows] == [KENT, KENT, WILTSHIRE, WARWICKSHIRE, WITHDRAWN]
    first = dict(zip(header, rows[0], strict=True))
    assert first["session-date"] == "2024-05-01"
    assert first["people"] == "6"
    assert first["answers-1"] == "Our first reflection"
    assert first["answers-19"] == "Our last reflection"
    assert first["answers-2"] == ""
    assert first["contact-email"] == EMAIL
    assert first["received_at"].startswith("20")
    third = dict(zip(header, rows[2], strict=True))
    assert third["answers-8"] == "Fathers were not seen"
    assert third["answers-9"] == ""  # Wiltshire's briefing has only 8 questions
    assert all(len(row) == len(header) for row in rows)


def test_the_csv_never_holds_a_formula(report: dict[str, Path]) -> None:
    header, *rows = read_csv(report["feedback.csv"])
    first = dict(zip(header, rows[0], strict=True))
    fourth = dict(zip(header, rows[3], strict=True))
    assert first["change-action"] == '\'=HYPERLINK("https://evil.example","click")'
    assert first["change-owner"] == "'@owner"
    assert fourth["agency"] == "'+Kappa Housing"
    assert fourth["roles"] == "'-housing officers"
    assert first["change-by"] == "2024-09-01"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_safe_cell() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("a=1") == "a=1"
    assert safe_cell(12) == "12"


def figures(summary: dict, kind: str, key: str) -> dict:
    [found] = [item for item in summary[kind] if item["id"] == key]
    return found


def test_figures_per_briefing(sample: tuple[Project, Content, str], report: dict[str, Path]) -> None:
    _, site, _ = sample
    summary = json.loads(report["summary.json"].read_text(encoding="utf-8"))
    kent = figures(summary, "briefings", KENT)
    assert kent["title"] == "Child J: non-accidental injuries to a 5-week-old baby"
    assert kent["sessions"] == 2
    assert kent["people"] == 10
    assert kent["agencies"] == 1  # spelt twice, but one agency
    assert kent["changes"] == 1
    assert kent["usefulness"] == {"answers": 2, "mean": 4.0, "counts": {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}}
    wiltshire = figures(summary, "briefings", WILTSHIRE)
    assert (wiltshire["sessions"], wiltshire["people"], wiltshire["agencies"]) == (1, 10, 1)
    assert wiltshire["usefulness"]["mean"] == 4.0
    quiet = figures(summary, "briefings", "blackburn-with-darwen-2010-baby-z")
    assert (quiet["sessions"], quiet["people"], quiet["usefulness"]["mean"]) == (0, 0, None)
    assert WITHDRAWN not in [item["id"] for item in summary["briefings"]]
    assert [item["id"] for item in summary["briefings"]] == [entry.review.id for entry in site.reviews]


def test_figures_per_theme(sample: tuple[Project, Content, str], report: dict[str, Path]) -> None:
    _, site, _ = sample
    summary = json.loads(report["summary.json"].read_text(encoding="utf-8"))
    babies = figures(summary, "themes", "unborn-and-under-1s")  # Kent, both Warwickshires and Wiltshire
    assert babies["name"] == site.themes["unborn-and-under-1s"].name
    assert babies["briefings"] == 4
    assert (babies["sessions"], babies["people"], babies["agencies"], babies["changes"]) == (4, 22, 3, 2)
    assert babies["usefulness"] == {"answers": 4, "mean": 4.25, "counts": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 2}}
    fathers = figures(summary, "themes", "invisible-fathers")  # Blackburn and Wiltshire
    assert (fathers["briefings"], fathers["sessions"], fathers["people"]) == (2, 1, 10)
    out_of_hours = figures(summary, "themes", "out-of-hours")  # Warwickshire 2018 only
    assert (out_of_hours["sessions"], out_of_hours["people"], out_of_hours["usefulness"]["mean"]) == (1, 2, 5.0)
    # Every theme: the sum over the submissions on the briefings tagged with it.
    for theme in summary["themes"]:
        tagged = {entry.review.id for entry in site.reviews if theme["id"] in entry.review.themes}
        mine = [answers for answers in SUBMISSIONS if answers["briefing"] in tagged]
        assert theme["sessions"] == len(mine)
        assert theme["people"] == sum(int(answers["people"]) for answers in mine)
        assert theme["changes"] == sum(1 for answers in mine if answers.get("change-action"))
    used = {theme for entry in site.reviews for theme in entry.review.themes}
    assert [theme["id"] for theme in summary["themes"]] == [key for key in site.themes if key in used]


def test_totals_count_every_submission(report: dict[str, Path]) -> None:
    summary = json.loads(report["summary.json"].read_text(encoding="utf-8"))
    totals = summary["totals"]
    assert summary["submissions"] == 5
    assert (totals["sessions"], totals["people"], totals["agencies"], totals["changes"]) == (5, 25, 4, 2)
    assert totals["usefulness"]["counts"] == {"1": 1, "2": 0, "3": 1, "4": 1, "5": 2}
    assert totals["usefulness"]["mean"] == 3.6
    assert summary["first_received"] == summary["last_received"]
    assert len(summary["first_received"]) == 10


def test_the_summary_has_no_personal_data(report: dict[str, Path]) -> None:
    text = report["summary.json"].read_text(encoding="utf-8")
    for words in FREE_TEXT:
        assert words not in text, words
    summary = json.loads(text)
    allowed = {"id", "title", "name", "themes", "briefings", "sessions", "people", "agencies", "changes", "usefulness"}
    for item in summary["briefings"] + summary["themes"]:
        assert set(item) <= allowed
    assert set(summary) == {"submissions", "first_received", "last_received", "totals", "briefings", "themes"}


def test_the_readable_report_lists_figures_and_changes(sample: tuple[Project, Content, str], report) -> None:
    _, site, _ = sample
    markdown = report["report.md"].read_text(encoding="utf-8")
    kent = markdown.split("### Child J: non-accidental injuries")[1].split("###")[0]
    assert "- Sessions held: 2" in kent
    assert "- People reached: 10" in kent
    assert "- Agencies reached: 1 (Zeta Constabulary)" in kent
    assert "- Usefulness: mean 4.0 from 2 answer(s) (1: 0, 2: 0, 3: 1, 4: 0, 5: 1)" in kent
    assert "- Roles: Detective constables" in kent
    assert '=HYPERLINK("https://evil.example","click") (owner: @owner; by: 2024-09-01)' in kent
    assert "Record every adult in the household (owner: Named nurse &lt;i&gt;lead&lt;/i&gt;; by: 2024-10-01)" in (
        markdown
    )
    assert "## Briefings with no feedback yet" in markdown
    assert WITHDRAWN in markdown
    babies = markdown.split(f"### {site.themes['unborn-and-under-1s'].name}\n")[1].split("###")[0]
    assert "From 4 briefing(s)." in babies
    assert "- Sessions held: 4" in babies
    assert "(owner: @owner; by: 2024-09-01; from: Child J: non-accidental injuries to a 5-week-old baby)" in babies


def test_the_html_report_escapes_every_answer(report: dict[str, Path]) -> None:
    page = report["report.html"].read_text(encoding="utf-8")
    assert "<b>and</b>" not in page and "<i>lead</i>" not in page
    assert "Health visitors &lt;b&gt;and&lt;/b&gt; nurses" in page
    assert "Named nurse &lt;i&gt;lead&lt;/i&gt;" in page
    assert "<h3>Child J: non-accidental injuries to a 5-week-old baby</h3>" in page
    assert EMAIL not in page  # e-mail addresses stay in the CSV


def test_the_report_command(sample: tuple[Project, Content, str], tmp_path: Path) -> None:
    project, _, db = sample
    out = tmp_path / "out"
    arguments = ["feedback", "report", "--project", str(project.root), "--db", str(db), "--out", str(out)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == ["feedback.csv", "report.html", "report.md", "summary.json"]
    missing = CliRunner().invoke(main, [*arguments[:4], "--db", str(tmp_path / "none.sqlite3"), "--out", str(out)])
    assert missing.exit_code == 1
    assert missing.output == f"Error: no feedback database at {tmp_path / 'none.sqlite3'}\n"
    assert not (tmp_path / "none.sqlite3").exists()

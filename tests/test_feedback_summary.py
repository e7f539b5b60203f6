"""Publishing a summary of feedback in the site: figures only, no personal data."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import change_settings, make_project
from content_facts import text_of

from generator.build import check
from generator.cli import main
from generator.feedback.store import Store
from generator.model.feedback_form import check_submission


def test_published_summary_has_figures_and_no_personal_data(tmp_path) -> None:
    project = make_project(tmp_path / "site", with_sample_reviews=True, pdfs=False)
    change_settings(project, {"feedback": {"publish_summary": True}})
    site = check(project)
    store = Store(tmp_path / "feedback.sqlite3")
    for people, usefulness in ((6, "4"), (9, "5")):
        store.add(
            check_submission(
                {
                    "briefing": ["kent-2019-child-j"],
                    "session-date": ["2026-11-01"],
                    "used-as": ["Team meeting"],
                    "agency": ["Secret Agency Name"],
                    "people": [str(people)],
                    "usefulness": [usefulness],
                    "roles": ["Named Person Role"],
                    "change-action": ["A private plan"],
                    "contact-email": ["someone@example.org"],
                    "contact-consent": ["yes"],
                },
                site,
            )
        )
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["feedback", "report", "--project", str(project.root), "--db", str(tmp_path / "feedback.sqlite3"),
         "--out", str(tmp_path / "report"), "--publish"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (project.content_dir / "feedback-summary.json").is_file()
    assert runner.invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    page = (project.site_dir / "feedback" / "index.html").read_text(encoding="utf-8")
    text = text_of(page)
    assert "2 feedback record(s)" in text
    assert "2 15 1 2 4.5" in text  # sessions, people, agencies, changes, usefulness for everything
    for private in ("someone@example.org", "Secret Agency Name", "Named Person Role", "A private plan"):
        assert private not in page
        for other in project.site_dir.rglob("*.*"):
            if other.suffix in (".html", ".json", ".xml"):
                assert private not in other.read_text(encoding="utf-8", errors="ignore"), other
    assert 'href="feedback/"' in (project.site_dir / "index.html").read_text(encoding="utf-8")


def test_summary_page_without_feedback_says_so(tmp_path) -> None:
    project = make_project(tmp_path, with_sample_reviews=False)
    change_settings(project, {"feedback": {"publish_summary": True}})
    assert CliRunner().invoke(main, ["build", "--project", str(project.root)]).exit_code == 0
    assert "No feedback has been published yet." in text_of(
        (project.site_dir / "feedback" / "index.html").read_text(encoding="utf-8")
    )

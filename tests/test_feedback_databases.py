"""The feedback database on SQLite and on a real PostgreSQL: choosing it, migrating it, several
service processes sharing it, and what the service and the report do when it cannot be opened
or written."""

from __future__ import annotations

import datetime
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import psycopg
import pytest
import uvicorn
from browsing import free_port, wait_for
from click.testing import CliRunner, Result
from conftest import MINIMAL_REVIEW, write_review
from sqlalchemy import inspect
from test_feedback_service import BRIEFING, ORIGIN, client_for, post, use_service, valid_form

from generator.build import Project
from generator.cli import main
from generator.feedback.database import DatabaseUnavailable, database_url, describe
from generator.feedback.report import write_report
from generator.feedback.schema import head, submissions
from generator.feedback.store import RESEND_WINDOW, Store, read_submissions

if TYPE_CHECKING:
    from postgres import PostgresServer

pytest_plugins = ["postgres"]  # the database fixtures: each test on SQLite, then on PostgreSQL (tests/postgres.py)

OLD_SCHEMA = """
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    submission_id TEXT UNIQUE,
    briefing TEXT NOT NULL,
    received_at TEXT NOT NULL,
    answers TEXT NOT NULL
)
"""
"""The table as the service made it before its schema had migrations."""


@pytest.fixture
def service_project(project: Project) -> Project:
    write_review(project, f"{BRIEFING}.md", MINIMAL_REVIEW)
    return use_service(project)


def clean(**changes: str) -> dict[str, str]:
    """Answers as ``check_submission`` gives them (no honeypot)."""
    form = valid_form(**changes)
    del form["website"]
    return form


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["feedback", *arguments])


def one_line_error(result: Result) -> str:
    """The command's output, checked to be one line starting ``Error:`` and no traceback."""
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return result.output


def table_names(db: str) -> set[str]:
    url = database_url(db)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as connection:
            return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    with psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        rows = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {row[0] for row in rows}


# --- choosing the database ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "driver", "shown"),
    [
        ("feedback.sqlite3", "sqlite", "feedback.sqlite3"),
        ("sqlite:///data/feedback.sqlite3", "sqlite", "data/feedback.sqlite3"),
        ("sqlite:////srv/feedback.sqlite3", "sqlite", "/srv/feedback.sqlite3"),
        (
            "postgresql://board:secret@db.example/feedback",
            "postgresql+psycopg",
            "postgresql://board:***@db.example/feedback",
        ),
        (
            "postgres://board@db.example:5433/feedback",
            "postgresql+psycopg",
            "postgresql://board@db.example:5433/feedback",
        ),
    ],
)
def test_the_database_is_chosen_by_its_url_or_path(given: str, driver: str, shown: str) -> None:
    url = database_url(given)
    assert url.drivername == driver
    assert describe(url) == shown


@pytest.mark.parametrize("given", ["mysql://db.example/feedback", "sqlite://", "sqlite:///:memory:"])
def test_a_database_the_service_cannot_use_is_refused_in_one_line(given: str, service_project: Project) -> None:
    with pytest.raises(DatabaseUnavailable):
        database_url(given)
    result = invoke("serve", "--project", str(service_project.root), "--db", given)
    one_line_error(result)


def test_a_sqlite_url_and_a_plain_path_are_the_same_database(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    with Store(path) as store:
        store.add(clean())
    with Store(f"sqlite:///{path}") as store:
        assert [row.answers["agency"] for row in store.all()] == ["Children's social care"]


# --- migrations --------------------------------------------------------------------------------


def test_the_migrations_make_the_table_the_code_expects(database: str) -> None:
    with Store(database) as store:
        inspector = inspect(store.engine)
        columns = {column["name"]: column["nullable"] for column in inspector.get_columns("submissions")}
        unique = {tuple(index["column_names"]) for index in inspector.get_indexes("submissions") if index["unique"]}
        unique |= {tuple(constraint["column_names"]) for constraint in inspector.get_unique_constraints("submissions")}
    assert set(columns) == {column.name for column in submissions.columns}
    assert {name for name, nullable in columns.items() if not nullable} >= {"id", "briefing", "received_at", "answers"}
    assert columns["submission_id"] and columns["resend_key"]
    assert {("submission_id",), ("resend_key",)} <= unique
    assert {"submissions", "alembic_version"} <= table_names(database)


def test_migrate_brings_a_new_database_up_to_date_once(database: str) -> None:
    first = invoke("migrate", "--db", database)
    assert first.exit_code == 0, first.output
    assert f"from revision (none: a new database) to {head()}" in first.output
    again = invoke("migrate", "--db", database)
    assert again.exit_code == 0 and f"is up to date (revision {head()})" in again.output


def test_a_database_from_before_migrations_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(OLD_SCHEMA)
        connection.execute(
            "INSERT INTO submissions (submission_id, briefing, received_at, answers) VALUES (?, ?, ?, ?)",
            ("a1b2c3d4-old", BRIEFING, "2024-05-01T09:30:00+00:00", '{"agency": "Police"}'),
        )
    report_first = read_submissions(path)  # read-only: the report neither needs nor makes a migration
    assert "alembic_version" not in table_names(str(path))
    result = invoke("migrate", "--db", str(path))
    assert result.exit_code == 0 and "from revision (none: a new database)" in result.output
    with Store(path) as store:
        assert store.all() == report_first
        assert store.add(clean(**{"submission-id": "a1b2c3d4-old"})) == (1, False)
        assert store.add(clean()) == (2, True)


def test_processes_starting_together_migrate_once(database: str) -> None:
    def open_store(_: int) -> tuple[str | None, bool]:
        with Store(database) as store:
            return store.revision_before, store.migrated

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(open_store, range(4)))
    assert sorted(migrated for _, migrated in results) == [False, False, False, True]
    with Store(database) as store:
        assert store.count() == 0


# --- stored once -------------------------------------------------------------------------------


def test_a_form_without_an_id_is_known_by_its_answers_for_half_an_hour(database: str) -> None:
    window = RESEND_WINDOW.total_seconds()
    start = datetime.datetime.fromtimestamp(
        window * 1_000_000 + window - 60, datetime.UTC
    )  # a minute before a window ends
    with Store(database) as store:
        assert store.add(clean(), start) == (1, True)
        assert store.add(clean(), start + datetime.timedelta(minutes=5)) == (1, False)  # the next window
        assert store.add(clean(), start + datetime.timedelta(minutes=29)) == (1, False)
        assert store.add(clean(people="7"), start + datetime.timedelta(minutes=1)) == (2, True)  # other answers
        assert store.add(clean(), start + 2 * RESEND_WINDOW + datetime.timedelta(minutes=2)) == (3, True)
        rows = store.all()
    assert [row.submission_id for row in rows] == [None, None, None]


def test_several_service_processes_store_each_submission_once(service_project: Project, database: str) -> None:
    port = free_port()
    command = [
        *(sys.executable, "-m", "generator", "feedback", "serve", "--project", str(service_project.root)),
        *("--db", database, "--port", str(port), "--workers", "2", "--rate-limit", "10000"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    forms = [valid_form(**{"submission-id": f"worker-{number % 30:04d}"}) for number in range(60)]
    forms += [valid_form(people=str(1 + number % 10)) for number in range(20)]  # no id: 10 forms, each sent twice
    try:
        wait_for(f"{url}/health", process)
        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(lambda form: send(url, form), forms, timeout=120))
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert sorted(statuses) == [200] * 40 + [201] * 40, output
    assert "in 2 processes" in output
    with Store(database) as store:
        rows = store.all()
    assert len(rows) == 40
    assert len({row.submission_id for row in rows if row.submission_id}) == 30


def send(url: str, form: dict[str, str]) -> int:
    headers = {"Origin": ORIGIN, "Accept": "application/json"}
    return httpx.post(f"{url}/feedback", data=form, headers=headers, timeout=30).status_code


# --- cannot be opened --------------------------------------------------------------------------


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only as read-only media is: immutable when we are root (root may write
    to any folder whose permissions say no), else without write permission."""
    folder.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def serve(project: Project, db: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    """``feedback serve`` up to the moment it would start listening."""
    monkeypatch.setattr(uvicorn, "run", lambda *arguments, **options: None)
    return invoke("serve", "--project", str(project.root), "--db", db)


def report(project: Project, db: str, out: Path) -> Result:
    return invoke("report", "--project", str(project.root), "--db", db, "--out", str(out))


def test_a_missing_folder_stops_serve_and_report_in_one_line(
    service_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "no-such-folder" / "feedback.sqlite3")
    assert "its folder" in one_line_error(serve(service_project, db, monkeypatch))
    assert "no feedback database at" in one_line_error(report(service_project, db, tmp_path / "out"))
    assert not (tmp_path / "no-such-folder").exists()


def test_a_file_that_is_not_a_database_stops_serve_and_report_in_one_line(
    service_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are notes from the session, not a database.\n" * 50, encoding="utf-8")
    before = path.read_bytes()
    assert "file is not a database" in one_line_error(serve(service_project, str(path), monkeypatch))
    assert "file is not a database" in one_line_error(report(service_project, str(path), tmp_path / "out"))
    assert path.read_bytes() == before


def test_read_only_media_stops_serve_and_report_in_one_line(
    service_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    with Store(folder / "feedback.sqlite3") as store:
        store.add(clean())
    with read_only_folder(folder):
        new = one_line_error(serve(service_project, str(folder / "new.sqlite3"), monkeypatch))
        existing = one_line_error(serve(service_project, str(folder / "feedback.sqlite3"), monkeypatch))
        reported = one_line_error(report(service_project, str(folder / "feedback.sqlite3"), tmp_path / "out"))
    assert "read-only media" in new and "read-only media" in existing
    assert "copy the file somewhere writable" in reported
    assert sorted(path.name for path in folder.iterdir()) == ["feedback.sqlite3"]


def test_an_unreachable_postgresql_stops_serve_and_report_in_one_line(
    service_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_server: PostgresServer
) -> None:
    missing = postgres_server.url("no_such_database")
    assert 'database "no_such_database" does not exist' in one_line_error(serve(service_project, missing, monkeypatch))
    assert "does not exist" in one_line_error(report(service_project, missing, tmp_path / "out"))
    closed = f"postgresql://board:secret@127.0.0.1:{free_port()}/feedback"
    refused = one_line_error(serve(service_project, closed, monkeypatch))
    assert "Connection refused" in refused and "secret" not in refused  # the password is never shown


def test_the_report_never_creates_or_changes_a_database(
    service_project: Project, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    empty = postgres_server.new_database()
    try:
        assert "holds no feedback" in one_line_error(report(service_project, empty, tmp_path / "out"))
        assert table_names(empty) == set()
    finally:
        postgres_server.drop_database(empty)
    with pytest.raises(DatabaseUnavailable, match="no feedback database"):
        write_report(service_project, tmp_path / "none.sqlite3", tmp_path / "out")
    assert not (tmp_path / "none.sqlite3").exists()


# --- cannot be written -------------------------------------------------------------------------


@contextmanager
def read_only(db: str, server: PostgresServer | None) -> Iterator[None]:
    """The database made read-only for the service: a SQLite file that cannot be written
    (immutable when we are root), or a PostgreSQL database whose transactions are read-only."""
    if server is None:
        path = Path(db)
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(path)], check=True)
        else:
            path.chmod(0o444)
        try:
            yield
        finally:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(path)], check=True)
            else:
                path.chmod(0o644)
        return
    name = db.rsplit("/", 1)[1]
    server.admin(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    try:
        yield
    finally:
        server.admin(f"ALTER DATABASE {name} SET default_transaction_read_only = off")


def test_a_service_that_cannot_write_is_not_healthy_and_says_so_once(
    service_project: Project, database: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    server = request.getfixturevalue("postgres_server") if "://" in database else None
    with Store(database) as store:  # made and migrated while it can be written
        store.add(clean())
    caplog.set_level(logging.INFO, logger="learning_lessons.feedback")
    with read_only(database, server):
        client = client_for(service_project, database)
        health = client.get("/health")
        posts = [post(client, valid_form(people=str(number))) for number in (2, 3)]
        page = post(client, valid_form(people="4"), as_json=False)
        assert client.get("/health").status_code == 503
    assert health.status_code == 503
    assert health.json()["ok"] is False
    assert health.json()["error"].startswith("the feedback database cannot be written: ")
    assert "read-only" in health.json()["error"] or "readonly" in health.json()["error"]
    assert [response.status_code for response in posts] == [503, 503]
    assert posts[0].headers["retry-after"] == "60"
    assert page.status_code == 503 and f"/reviews/{BRIEFING}/" in page.text and "Back button" in page.text
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert "cannot write to the feedback database" in errors[0].getMessage()
    assert errors[0].exc_info is None  # a line, not a traceback
    # Writable again: healthy again, said once, and the next post is stored.
    assert client.get("/health").status_code == 200
    assert post(client, valid_form(people="5")).status_code == 201
    recovered = [record for record in caplog.records if "can be written again" in record.getMessage()]
    assert len(recovered) == 1
    with Store(database) as store:
        assert store.count() == 2


# --- SQLite's durability -----------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "pragma"), [("normal", 1), ("full", 2)])
def test_sqlite_synchronous_is_normal_unless_full_is_asked_for(
    service_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, pragma: int
) -> None:
    started: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    db = str(tmp_path / "feedback.sqlite3")
    arguments = ["serve", "--project", str(service_project.root), "--db", db, "--sqlite-synchronous", setting]
    result = invoke(*arguments, "--forwarded-allow-ips", "10.0.0.5")
    assert result.exit_code == 0, result.output
    assert started["forwarded_allow_ips"] == "10.0.0.5"
    with started["app"].state.service.store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == pragma
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"

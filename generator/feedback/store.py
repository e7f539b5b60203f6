"""Where the feedback service keeps submissions: a SQLite file or a PostgreSQL database.

``Store(db)`` opens the database ``--db`` names (see ``generator.feedback.database``), creating a
SQLite file if it is missing, and brings its schema up to date (``generator.feedback.schema``).
``read_submissions(db)`` is the report's way in: it opens the database read-only and never
creates or changes one.

A submission is stored once, however often it is sent and however many service processes (on
however many hosts) receive it:

- a form with a submission id (the page's script gives each form it shows one) is stored once
  per id;
- a form without one (posted by a browser without JavaScript) gets a resend key: a digest of its
  briefing and answers and of the half hour (``RESEND_WINDOW``) it arrived in. The same answers to
  the same briefing arriving again in that half hour or the one before are the same submission,
  so a form resent after its answer was lost (the browser's Back button, then Send again) is
  stored once. Two teams sending word-for-word the same answers about the same briefing within
  half an hour would be stored once, too: with a date, an agency, a number of people and free
  text in every form, that is all but impossible.

Both are unique columns, and a row is added with ``INSERT ... ON CONFLICT DO NOTHING``, so two
processes storing the same submission at the same moment store one row and both answer with its
id. On SQLite every write takes the write lock at its start (``BEGIN IMMEDIATE``) and writers in
one process also take a lock of their own, so threads and processes queue rather than fail.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine, Insert, Row, func, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from generator.feedback.database import (
    IMMEDIATE,
    SQLITE,
    DatabaseUnavailable,
    check_reachable,
    database_url,
    describe,
    kind,
    reading_engine,
    reason,
    unavailable,
    writing_engine,
)
from generator.feedback.schema import revision, submissions, upgrade
from generator.model.feedback_form import BRIEFING, LANGUAGE, SUBMISSION_ID

RESEND_WINDOW = datetime.timedelta(minutes=30)
"""How long a form sent without a submission id is recognised when it is sent again: at least
this long, at most twice it."""
COLUMNS = (
    submissions.c.id,
    submissions.c.submission_id,
    submissions.c.briefing,
    submissions.c.received_at,
    submissions.c.answers,
    submissions.c.language,
)


@dataclass(frozen=True)
class Submission:
    """One stored submission."""

    id: int
    submission_id: str | None
    """The id the page's script gave it, or ``None`` when it came without one."""
    briefing: str
    """The review id of the briefing it is about."""
    received_at: str
    """When the service stored it: UTC, ISO 8601 to the second (``2024-05-01T09:30:00+00:00``)."""
    answers: dict[str, str]
    """Each form field's answer text, ``""`` when left empty."""
    language: str = "en"
    """The language of the page it was sent from: ``en`` or ``cy``."""


def resend_keys(briefing: str, answers: Mapping[str, str], received: datetime.datetime) -> tuple[str, str]:
    """The resend key of a form without a submission id arriving at ``received``, and the key the
    same form had in the window before (see the module's docstring)."""
    window = int(received.timestamp() // RESEND_WINDOW.total_seconds())

    def key(number: int) -> str:
        text = json.dumps([briefing, sorted(answers.items()), number], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    return key(window), key(window - 1)


def submission_of(row: Row) -> Submission:
    """A stored row as a ``Submission``."""
    return Submission(
        id=row.id,
        submission_id=row.submission_id,
        briefing=row.briefing,
        received_at=row.received_at,
        answers=json.loads(row.answers),
        language=getattr(row, "language", None) or "en",
    )


class Store:
    """The submissions in one database, whose schema is brought up to date when it is opened.

    Safe to share between threads. ``DatabaseUnavailable`` if the database cannot be opened or
    migrated; the methods raise SQLAlchemy's errors (``SQLAlchemyError``) if it fails later."""

    def __init__(self, db: str | Path, *, synchronous: str = "normal") -> None:
        self.url = database_url(db)
        self.where = describe(self.url)
        self.engine = writing_engine(self.url, synchronous)
        self._write_lock = threading.Lock() if kind(self.url) == SQLITE else None
        try:
            self.revision_before, self.migrated = migrate(self.engine, self.url)
        except DatabaseUnavailable:
            self.engine.dispose()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, error_type: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection to the database."""
        self.engine.dispose()

    def add(self, clean: Mapping[str, str], received: datetime.datetime | None = None) -> tuple[int, bool]:
        """Store the cleaned answers of ``check_submission``; return the row id and whether it is new.

        A submission already stored (the same submission id, or the same resend key) is not
        stored again: the stored row's id is returned with ``False``."""
        received = received or datetime.datetime.now(datetime.UTC)
        submission_id = clean.get(SUBMISSION_ID) or None
        answers = {name: value for name, value in clean.items() if name not in (BRIEFING, SUBMISSION_ID, LANGUAGE)}
        keys = () if submission_id else resend_keys(clean[BRIEFING], answers, received)
        row = {
            "submission_id": submission_id,
            "resend_key": keys[0] if keys else None,
            "briefing": clean[BRIEFING],
            "received_at": received.astimezone(datetime.UTC).isoformat(timespec="seconds"),
            "answers": json.dumps(answers, ensure_ascii=False),
            "language": clean.get(LANGUAGE) or "en",
        }
        try:
            with self._writing() as connection:
                for _ in range(3):
                    existing = self._stored_as(connection, submission_id, keys)
                    if existing is not None:
                        return existing, False
                    inserted = connection.execute(self._insert(row)).first()
                    if inserted is not None:
                        return int(inserted.id), True
        except SQLAlchemyError:
            self.engine.dispose()  # the next try connects afresh (a connection opened read-only stays so)
            raise
        raise RuntimeError(f"a submission neither stored nor found in {self.where}")

    def _insert(self, row: dict[str, str | None]) -> Insert:
        """``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` in this database's dialect."""
        dialect = sqlite if kind(self.url) == SQLITE else postgresql
        return dialect.insert(submissions).values(row).on_conflict_do_nothing().returning(submissions.c.id)

    @staticmethod
    def _stored_as(connection: Connection, submission_id: str | None, keys: tuple[str, ...]) -> int | None:
        """The id of the row already holding this submission, if any."""
        if submission_id is not None:
            found = submissions.c.submission_id == submission_id
        else:
            found = submissions.c.resend_key.in_(keys)
        return connection.execute(select(submissions.c.id).where(found).limit(1)).scalar()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A connection in a writing transaction, committed at the end of the block."""
        lock = self._write_lock or contextlib.nullcontext()
        with lock, self.engine.connect().execution_options(**IMMEDIATE) as connection, connection.begin():
            yield connection

    def write_problem(self) -> str | None:
        """Why this database cannot be written just now, on one line; ``None`` when it can.

        Tries a write that changes nothing (an ``UPDATE`` of no row), then rolls it back: a
        read-only file, file system or transaction, or a missing permission, fails it."""
        try:
            with self.engine.connect() as connection, connection.begin() as transaction:
                connection.execute(update(submissions).where(submissions.c.id < 0).values(id=submissions.c.id))
                transaction.rollback()
        except SQLAlchemyError as error:
            self.engine.dispose()  # the next try connects afresh (a connection opened read-only stays so)
            return reason(error)
        return None

    def all(self) -> list[Submission]:
        """Every stored submission, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(*COLUMNS).order_by(submissions.c.id)).all()
        return [submission_of(row) for row in rows]

    def count(self) -> int:
        """How many submissions are stored."""
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(submissions)).scalar_one())


def migrate(engine: Engine, url: URL) -> tuple[str | None, bool]:
    """Bring the database up to date; the revision it was at (``None`` for a new database) and
    whether it had to be migrated. ``DatabaseUnavailable`` if it cannot be opened, or needs
    migrating and cannot be written."""
    check_reachable(engine, url)
    try:
        with engine.connect() as connection:
            before = revision(connection)
        return before, upgrade(engine)
    except SQLAlchemyError as error:
        raise unavailable(url, error, "migrate") from None


def read_submissions(db: str | Path) -> list[Submission]:
    """Every submission in the database ``db``, oldest first, read without writing anything:
    a SQLite file is opened read-only and never created.

    Raises ``DatabaseUnavailable`` (one line, naming the database) if it does not exist, cannot
    be opened or read, or holds no feedback."""
    url = database_url(db)
    if kind(url) == SQLITE and not Path(str(url.database)).is_file():
        raise DatabaseUnavailable(f"no feedback database at {describe(url)}")
    engine = reading_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(submissions.name):
                raise DatabaseUnavailable(
                    f"{describe(url)} holds no feedback: it has no submissions table "
                    "(is it the database the feedback service uses?)"
                )
            present = {column["name"] for column in inspect(connection).get_columns(submissions.name)}
            columns = [column for column in COLUMNS if column.name in present]  # an older database: no language
            rows = connection.execute(select(*columns).order_by(submissions.c.id)).all()
    except SQLAlchemyError as error:
        raise unavailable(url, error, "read") from None
    finally:
        engine.dispose()
    return [submission_of(row) for row in rows]

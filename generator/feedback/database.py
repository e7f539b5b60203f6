"""Which database the feedback service uses, and how it connects: SQLite or PostgreSQL.

``--db`` takes a database URL, ``sqlite:///feedback.sqlite3`` or ``postgresql://user@host/db``
(``postgres://`` is read the same), or a plain file path, which means SQLite. Both are reached
through SQLAlchemy Core: SQLite through Python's own ``sqlite3``, PostgreSQL through psycopg 3.

SQLite keeps the service's long-standing settings: WAL mode (a report reading never blocks the
service writing), ``busy_timeout`` for a second process using the same file, and
``synchronous=NORMAL`` (a commit survives the process being killed; after a power cut or an
operating-system crash the last commits may be lost) unless ``FULL`` is asked for (every commit
is on disk before it is acknowledged; slower). SQLAlchemy, not the ``sqlite3`` module, starts
each transaction, so a writer can start it with ``BEGIN IMMEDIATE`` (see ``IMMEDIATE``).

A database that cannot be reached, opened or read is a ``DatabaseUnavailable``, whose message is
one line naming the database (never its password) and the reason.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from generator.errors import LearningLessonsError

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a call waits for another process's write to finish before giving up."""
CONNECT_TIMEOUT_SECONDS = 10
"""How long connecting to a PostgreSQL server may take."""
SYNCHRONOUS = ("normal", "full")
"""SQLite's ``synchronous`` settings the service offers."""
IMMEDIATE = {"sqlite_begin": "BEGIN IMMEDIATE"}
"""Execution options for a connection that writes: on SQLite its transactions take the write
lock at once, so reading and then writing in one transaction never fails on a snapshot another
process has moved on from. PostgreSQL ignores them."""
SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class DatabaseUnavailable(LearningLessonsError):
    """The feedback database cannot be used; the message says which one and why, on one line."""


def database_url(value: str | Path) -> URL:
    """The SQLAlchemy URL for ``--db``: a plain path is a SQLite file; ``postgresql://`` uses psycopg 3.

    Raises ``DatabaseUnavailable`` for a URL of another kind, or a SQLite URL that names no file."""
    text = str(value).strip()
    if "://" not in text:
        return URL.create("sqlite", database=text)
    try:
        url = make_url(text)
    except ArgumentError:
        raise DatabaseUnavailable(f"not a database URL: {text}") from None
    backend = url.drivername.split("+")[0]
    if backend == SQLITE:
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise DatabaseUnavailable(f"a SQLite URL names its file, as sqlite:///feedback.sqlite3, not {text}")
        return url.set(drivername=SQLITE)
    if backend in (POSTGRESQL, "postgres"):
        return url.set(drivername="postgresql+psycopg")
    raise DatabaseUnavailable(
        f"{backend} is not a database the feedback service uses: give a file path, "
        "sqlite:///feedback.sqlite3 or postgresql://user@host/database"
    )


def kind(url: URL) -> str:
    """``sqlite`` or ``postgresql``."""
    return url.get_backend_name()


def describe(url: URL) -> str:
    """The database as a person reads it: a SQLite file's path, or the URL without its password."""
    if kind(url) == SQLITE:
        return str(url.database)
    return url.set(drivername=POSTGRESQL).render_as_string(hide_password=True)


def reason(error: BaseException) -> str:
    """What went wrong, on one line: the database driver's own message when there is one."""
    original = error.orig if isinstance(error, DBAPIError) else error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    text = lines[0] if lines else type(original).__name__
    if text.startswith("connection failed: "):
        text = text.removeprefix("connection failed: ")
    return text


def unavailable(url: URL, error: BaseException, doing: str = "open") -> DatabaseUnavailable:
    """A ``DatabaseUnavailable`` for ``error``, saying in plain words what could not be done."""
    why = reason(error)
    if kind(url) == SQLITE and "unable to open database file" in why:
        folder = Path(str(url.database)).parent
        if not folder.is_dir():
            why = f"its folder {folder} does not exist"
        elif doing == "read":
            why = (
                f"{why} (is {folder} read-only? Even to read it, SQLite writes beside a database in WAL mode: "
                "copy the file somewhere writable and report from the copy)"
            )
        else:
            why = f"{why} (is {folder} on read-only media, or not yours to write?)"
    return DatabaseUnavailable(f"cannot {doing} the feedback database {describe(url)}: {why}")


def writing_engine(url: URL, synchronous: str = "normal") -> Engine:
    """An engine for the service: SQLite (created if missing) in WAL mode with ``synchronous`` set
    as asked, or a PostgreSQL pool whose connections are checked before use."""
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous is one of {', '.join(SYNCHRONOUS)}, not {synchronous!r}")
    if kind(url) == SQLITE:
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
        pragmas = ("journal_mode=WAL", f"synchronous={synchronous.upper()}")
        return _sqlite_transactions(engine, pragmas)
    return create_engine(url, pool_pre_ping=True, connect_args=_postgresql_arguments(read_only=False))


def reading_engine(url: URL) -> Engine:
    """An engine that only reads (for the report): SQLite opened read-only, never created;
    PostgreSQL with every transaction read-only."""
    if kind(url) == SQLITE:
        path = Path(str(url.database)).resolve()
        uri = f"file:{quote(str(path))}?mode=ro"

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)

        engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
        return _sqlite_transactions(engine, ())
    return create_engine(url, poolclass=NullPool, connect_args=_postgresql_arguments(read_only=True))


def _postgresql_arguments(read_only: bool) -> dict[str, Any]:
    """psycopg's connection arguments: a connect timeout, a name in ``pg_stat_activity``, and
    for a reader, read-only transactions."""
    arguments: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "application_name": "learning-lessons-feedback",
    }
    if read_only:
        arguments["options"] = "-c default_transaction_read_only=on"
    return arguments


def _sqlite_transactions(engine: Engine, pragmas: tuple[str, ...]) -> Engine:
    """Set ``pragmas`` and ``busy_timeout`` on each new SQLite connection, and let SQLAlchemy,
    not the ``sqlite3`` module, begin transactions (``BEGIN``, or ``BEGIN IMMEDIATE`` for a
    connection with the ``IMMEDIATE`` options): SQLAlchemy's documented recipe for pysqlite."""

    @event.listens_for(engine, "connect")
    def on_connect(connection: sqlite3.Connection, record: object) -> None:
        connection.isolation_level = None
        connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
        for pragma in pragmas:
            _set_pragma(connection, pragma)

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))

    return engine


def _set_pragma(connection: sqlite3.Connection, pragma: str) -> None:
    """Set one pragma. Turning WAL on needs a moment alone with the file, and SQLite answers
    "database is locked" at once, without waiting ``busy_timeout``, while another process opening
    the same new file is doing it too: so wait and try again, up to ``BUSY_TIMEOUT_SECONDS``."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute(f"PRAGMA {pragma}")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def check_reachable(engine: Engine, url: URL, doing: str = "open") -> None:
    """Connect once and run a trivial query; ``DatabaseUnavailable`` if that fails."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as error:
        raise unavailable(url, error, doing) from None

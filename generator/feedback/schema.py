"""The feedback database's table, and its versioned migrations (Alembic).

One table, ``submissions``:

- ``id``: the row id (SQLite's rowid; a sequence in PostgreSQL);
- ``submission_id``: the id the page's script gives each form it shows, unique, so a resent form
  is stored once; ``NULL`` for a form posted without JavaScript;
- ``resend_key``: for a form without a submission id, a digest of its briefing and answers and of
  the half hour it arrived in, unique, so the same form resent soon after is stored once (see
  ``generator.feedback.store``); ``NULL`` otherwise;
- ``briefing``: the review id of the briefing it is about;
- ``received_at``: when it was stored, UTC, ISO 8601 to the second;
- ``answers``: every form field's answer text, as a JSON object;
- ``language``: the language of the page the form was sent from (``en``, or ``cy`` on a Welsh
  page of a site in English and Welsh).

The same columns on both databases (text, so the report reads them the same way). The schema is
made and changed only by the migrations in ``migrations/versions``, which ``upgrade`` runs: the
service runs them at start-up, ``briefings feedback migrate`` on demand. To change the schema,
add the next numbered file there (``down_revision`` the last one's ``revision``) and change the
table below to match; ``tests/test_feedback_databases.py`` checks the two agree.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, Text, text

from generator.feedback.database import IMMEDIATE, POSTGRESQL

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 7_265_301_119
"""The PostgreSQL advisory lock a migration holds, so service processes starting together on
one database migrate it once, one after another."""

metadata = MetaData()
submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Text, unique=True),
    Column("briefing", Text, nullable=False),
    Column("received_at", Text, nullable=False),
    Column("answers", Text, nullable=False),
    Column("resend_key", Text, unique=True),
    Column("language", Text, nullable=False, server_default="en"),
)


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the migrations shipped in this package, with ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The revision the code expects: the newest migration."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None, f"no migrations in {MIGRATIONS}"
    return revision


def revision(connection: Connection) -> str | None:
    """The revision a database is at; ``None`` for one never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the database to the newest revision; whether anything had to be done.

    Looks first, without taking a lock, so a database already up to date (even one that cannot
    be written) is only read. Otherwise migrates in one transaction holding the write lock on
    SQLite, or an advisory lock on PostgreSQL, and looks again inside it, so processes starting
    at once migrate once. Raises SQLAlchemy's errors."""
    newest = head()
    with engine.connect() as connection:
        if revision(connection) == newest:
            return False
    with engine.connect().execution_options(**IMMEDIATE) as connection, connection.begin():
        if engine.dialect.name == POSTGRESQL:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        if revision(connection) == newest:
            return False
        command.upgrade(alembic_config(connection), "head")
    return True

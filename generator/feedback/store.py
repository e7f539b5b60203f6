"""Where the feedback service keeps submissions: one SQLite file.

One table, ``submissions``: the row id, the optional submission id the page's script gives each
submission (unique, so a resent form is stored once), the briefing, when it was received (UTC,
ISO 8601) and the cleaned answers as JSON (every form field's answer text, without the briefing
and the submission id, which have their own columns).

The database is in WAL mode, so reading (a report) never blocks the service writing. Each call
opens its own connection, and writers in one process take a lock, so a ``Store`` may be shared by
any number of threads; ``busy_timeout`` covers a second process (a report) using the same file.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.model.feedback_form import BRIEFING, SUBMISSION_ID

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a call waits for another process's write to finish before giving up."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    submission_id TEXT UNIQUE,
    briefing TEXT NOT NULL,
    received_at TEXT NOT NULL,
    answers TEXT NOT NULL
)
"""


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


class Store:
    """The submissions in one SQLite file, created with its table if it does not exist."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._write_lock = threading.Lock()
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            connection.commit()

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection, closed afterwards (a connection is never shared between threads)."""
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        with closing(connection):
            connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
            connection.execute("PRAGMA synchronous=NORMAL")
            yield connection

    def add(self, clean: Mapping[str, str]) -> tuple[int, bool]:
        """Store the cleaned answers of ``check_submission``; return the row id and whether it is new.

        A submission whose non-empty submission id is already stored is not stored again: the
        existing row's id is returned with ``False``."""
        submission_id = clean.get(SUBMISSION_ID) or None
        answers = {name: value for name, value in clean.items() if name not in (BRIEFING, SUBMISSION_ID)}
        received_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        with self._write_lock, self._connection() as connection:
            if submission_id is not None:
                existing = connection.execute(
                    "SELECT id FROM submissions WHERE submission_id = ?", (submission_id,)
                ).fetchone()
                if existing:
                    return existing[0], False
            cursor = connection.execute(
                "INSERT INTO submissions (submission_id, briefing, received_at, answers) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (submission_id) DO NOTHING",
                (submission_id, clean[BRIEFING], received_at, json.dumps(answers, ensure_ascii=False)),
            )
            connection.commit()
            if cursor.rowcount == 1:
                return int(cursor.lastrowid or 0), True
            # Another process stored the same submission id between the check and the insert.
            row = connection.execute("SELECT id FROM submissions WHERE submission_id = ?", (submission_id,)).fetchone()
            return row[0], False

    def all(self) -> list[Submission]:
        """Every stored submission, oldest first."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT id, submission_id, briefing, received_at, answers FROM submissions ORDER BY id"
            ).fetchall()
        return [
            Submission(id=row[0], submission_id=row[1], briefing=row[2], received_at=row[3], answers=json.loads(row[4]))
            for row in rows
        ]

    def count(self) -> int:
        """How many submissions are stored."""
        with self._connection() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])

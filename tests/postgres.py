"""A throwaway PostgreSQL server for the tests, and the feedback databases they run on.

``postgres_server`` (one per test session, started the first time a test needs it) runs
Debian's PostgreSQL binaries from a temporary folder: ``initdb`` and ``pg_ctl`` as the
``postgres`` user when the tests run as root (``initdb`` refuses root), listening on a free
loopback port and on a unix socket in that folder, with ``fsync`` off (nothing here has to
survive a power cut). It is stopped and its folder removed at the end of the session.

``database`` and ``module_database`` are parametrized over ``sqlite`` and ``postgresql``: a test
asking for one runs once on a new SQLite file (a plain path, the service's zero-setup default)
and once on a new PostgreSQL database (a ``postgresql://`` URL). A test module that uses them
names this module as a plugin: ``pytest_plugins = ["postgres"]`` (so the server, a session
fixture, is one for the whole session, whichever modules use it).

Without PostgreSQL's binaries the postgresql variants are skipped, except in CI (``CI`` set),
where that is a failure: ``.ci/run`` installs Debian's ``postgresql`` package.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from browsing import free_port

DATABASES = ("sqlite", "postgresql")
SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200")


def server_binaries() -> Path | None:
    """The folder with ``initdb``, ``pg_ctl`` and ``postgres``: ``$PG_BIN``, the newest of
    Debian's ``/usr/lib/postgresql/*/bin``, or the one on ``PATH``; ``None`` if there is none."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name))[::-1]
    candidates.append(str(Path(shutil.which("pg_ctl") or "/nonexistent").parent))
    for folder in filter(None, candidates):
        if all((Path(folder) / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


def require_binaries() -> Path:
    """PostgreSQL's binaries; fail in CI, skip elsewhere, when they are missing."""
    found = server_binaries()
    if found is None:
        message = (
            "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found: install Debian's "
            "postgresql package (.ci/run does), or set PG_BIN to their folder"
        )
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


class PostgresServer:
    """A PostgreSQL server in ``folder``, run by ``binaries`` (as the ``postgres`` user if we are
    root) with ``settings``. Its methods raise ``RuntimeError`` if PostgreSQL's programs fail.
    ``benchmarks/bench_feedback.py`` runs one too, with PostgreSQL's durable defaults."""

    def __init__(self, binaries: Path, folder: Path, settings: tuple[str, ...] = SERVER_SETTINGS) -> None:
        self.binaries = binaries
        self.folder = folder
        self.settings = settings
        self.data = folder / "data"
        self.port = free_port()
        self.user = "postgres"
        self._numbers = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root, PostgreSQL is run as the postgres user, and there is none"
                ) from None
            os.chown(folder, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str) -> None:
        """Run one of PostgreSQL's programs; ``RuntimeError`` with its output and log if it fails."""
        program = [*self._as, str(self.binaries / command[0]), *command[1:]]
        result = subprocess.run(program, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace") if (self.folder / "log").exists() else ""
            raise RuntimeError(f"{' '.join(command[:2])} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self) -> None:
        """``initdb`` (trust on loopback and the socket only) and ``pg_ctl start``, waiting until it is up."""
        self.run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8", "--no-locale", "-N")
        options = [f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"]
        options += [f"-c {setting}" for setting in self.settings]
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", " ".join(options), "-w", "start")

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away)."""
        command = [*self._as, str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        subprocess.run(command, capture_output=True, timeout=60)

    def url(self, database: str) -> str:
        """The URL of ``database`` on this server, over TCP on loopback."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self, statement: str) -> None:
        """Run one statement (outside a transaction) in the ``postgres`` database."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True) as c:
            c.execute(statement)  # type: ignore[arg-type]

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        name = f"feedback_{next(self._numbers)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by ``new_database``, closing any connection still open to it."""
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's throwaway PostgreSQL server, started the first time a test needs it."""
    binaries = require_binaries()
    folder = Path(tempfile.mkdtemp(prefix="ll-postgres-"))  # in /tmp, which the postgres user can reach
    try:
        try:
            server = PostgresServer(binaries, folder)
            server.start()
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        yield server
        server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def new_database(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A new database of the kind the test is parametrized with: a SQLite file's path in
    ``folder``, or a PostgreSQL database's URL (dropped afterwards)."""
    if request.param == "sqlite":
        yield str(folder / "feedback.sqlite3")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty feedback database for one test: on SQLite, then on PostgreSQL."""
    yield from new_database(request, tmp_path)


@pytest.fixture(scope="module", params=DATABASES)
def module_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty feedback database shared by a module's tests: on SQLite, then on PostgreSQL."""
    yield from new_database(request, tmp_path_factory.mktemp("feedback-db"))

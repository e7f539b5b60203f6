"""Measure the feedback service on loopback, on SQLite and on PostgreSQL, with 1, 2 and 4 processes.

    .venv/bin/python benchmarks/bench_feedback.py               # every database, 1, 2 and 4 processes
    .venv/bin/python benchmarks/bench_feedback.py --databases postgresql --workers 4 --submissions 5000

Copies the sample content into a temporary project (with ``feedback.delivery: service``). For
each database (``sqlite``: a new SQLite file, the default ``synchronous=NORMAL``; ``sqlite-full``:
the same with ``--sqlite-synchronous full``; ``postgresql``: a new database on a throwaway
PostgreSQL server run from Debian's binaries by ``tests/postgres.py``, with PostgreSQL's durable
defaults, ``fsync`` and ``synchronous_commit`` on) and each number of service processes, it starts
``briefings feedback serve --workers N`` on a free loopback port, then:

1. Rate: sends --submissions valid submissions (each with its own submission id, a full set of
   answers and ``Accept: application/json``, as the site's script sends them) from --threads
   threads, each keeping its connection open; reports submissions stored per second and the
   p50 and p95 latency of one, and checks that exactly that many rows were stored.
2. A kill mid-burst: sends --burst more from the same threads and, once a third of them have
   been acknowledged, kills one service process with SIGKILL (the only one, or one of the
   workers, which uvicorn then replaces). Counts the submissions acknowledged (answered 200 or
   201), the rows stored for them, those acknowledged but not stored (lost: must be 0) and rows
   beyond one per submission (doubled: must be 0). Then sends every unacknowledged submission
   again, as the page does when sending failed (to a restarted service when the only process was
   killed), and checks that each submission is now stored exactly once.

Every request has a timeout and the whole run a deadline (--deadline), so it always stops by
itself. Writes the table to --out (Markdown) as well as printing it; exits 1 if anything was
lost or doubled.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from postgres import PostgresServer, server_binaries  # noqa: E402

from generator.build import Project, check  # noqa: E402
from generator.feedback.store import read_submissions  # noqa: E402
from generator.model.feedback_form import reflection_questions  # noqa: E402

ORIGIN = "https://example.org"
DATABASES = ("sqlite", "sqlite-full", "postgresql")
ACKNOWLEDGED = (200, 201)


def make_project(root: Path) -> Project:
    """The sample content in ``root``, its form posting to the feedback service."""
    shutil.copytree(REPO / "content", root / "content")
    path = root / "content" / "settings.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["site_url"] = f"{ORIGIN}/learning/"
    settings["feedback"].update(delivery="service", endpoint=f"{ORIGIN}/feedback")
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return Project(root)


def forms(project: Project, count: int, prefix: str) -> list[dict[str, str]]:
    """``count`` valid submissions spread over every briefing, each answering every question."""
    entries = check(project).reviews
    result = []
    for number, entry in zip(range(count), itertools.cycle(entries), strict=False):
        form = {
            "briefing": entry.review.id,
            "submission-id": f"{prefix}-{number:08d}",
            "website": "",
            "session-date": "2024-05-01",
            "used-as": "Team meeting",
            "agency": f"Agency {number % 7}",
            "people": str(1 + number % 20),
            "roles": "social workers, health visitors, police officers",
            "discussion": "We discussed how information was shared between agencies. " * 8,
            "change-action": "Add the father's details to every assessment",
            "change-owner": "Team manager",
            "change-by": "2024-09-30",
            "usefulness": str(1 + number % 5),
        }
        for index, _ in enumerate(reflection_questions(entry), start=1):
            form[f"answers-{index}"] = f"Our answer to question {index}: we would ask and record it."
        result.append(form)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Service:
    """``briefings feedback serve`` for one database and number of processes, on a free port."""

    def __init__(self, root: Path, db: str, workers: int, synchronous: str, rate_limit: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            *(sys.executable, "-m", "generator", "feedback", "serve", "--project", str(root), "--db", db),
            *("--port", str(self.port), "--workers", str(workers), "--sqlite-synchronous", synchronous),
            *("--allow-origin", ORIGIN, "--rate-limit", str(rate_limit)),
        ]
        self.log = root / f"service-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(self.command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the service stopped at start:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit("the service did not start in time")

    def victim(self) -> int:
        """The process to kill: one of the workers, or the service itself when it has none."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        workers = [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        return workers[0] if workers else self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def send_all(
    url: str,
    submissions: list[dict[str, str]],
    threads: int,
    deadline: float,
    acknowledged: threading.Event | None = None,
) -> list[tuple[str, float, int | str]]:
    """Send every submission from ``threads`` threads: each one's id, latency and status (or error).
    ``acknowledged`` is set once a third have been acknowledged."""
    local = threading.local()
    headers = {"Origin": ORIGIN, "Accept": "application/json"}
    counter = itertools.count(1)
    third = max(1, len(submissions) // 3)

    def send(form: dict[str, str]) -> tuple[str, float, int | str]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=30)
        start = time.perf_counter()
        try:
            status: int | str = local.client.post(f"{url}/feedback", data=form, headers=headers).status_code
        except httpx.HTTPError as error:
            status = type(error).__name__
            local.client = httpx.Client(timeout=30)  # a connection to a killed process is gone
        if acknowledged is not None and status in ACKNOWLEDGED and next(counter) >= third:
            acknowledged.set()
        return form["submission-id"], time.perf_counter() - start, status

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(send, submissions, timeout=deadline))


@dataclass
class Figures:
    """One database and number of processes: the rate run and the kill run."""

    database: str
    workers: int
    rate: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    rate_stored: int = 0
    rate_failures: int = 0
    burst: int = 0
    acknowledged: int = 0
    stored: int = 0
    lost: int = 0
    doubled: int = 0
    """Rows beyond one per submission, after the kill or after resending."""
    final: int = 0
    """Submissions stored after every unacknowledged one was sent again."""

    @property
    def sound(self) -> bool:
        return self.rate_failures == 0 and self.lost == 0 and self.doubled == 0 and self.final == self.burst


def stored_ids(db: str, prefix: str) -> list[str]:
    """The submission ids of the stored rows starting with ``prefix`` (one per row)."""
    return [row.submission_id for row in read_submissions(db) if (row.submission_id or "").startswith(prefix)]


def measure(root: Path, project: Project, database: str, db: str, workers: int, options: argparse.Namespace) -> Figures:
    """The rate run and the kill run for one database and number of processes."""
    figures = Figures(database, workers)
    synchronous = "full" if database == "sqlite-full" else "normal"
    tag = f"{database}-{workers}"
    rate_forms = forms(project, options.submissions, f"rate-{tag}")
    burst_forms = forms(project, options.burst, f"kill-{tag}")
    service = Service(root, db, workers, synchronous, rate_limit=10 * (options.submissions + options.burst))
    service.start()
    try:
        started = time.perf_counter()
        results = send_all(service.url, rate_forms, options.threads, options.deadline)
        elapsed = time.perf_counter() - started
        latencies = [latency for _, latency, status in results if status == 201]
        figures.rate = len(latencies) / elapsed
        figures.p50_ms = statistics.median(latencies) * 1000 if latencies else 0.0
        figures.p95_ms = percentile(latencies, 0.95) * 1000 if latencies else 0.0
        figures.rate_failures = sum(1 for _, _, status in results if status != 201)
        figures.rate_stored = len(stored_ids(db, f"rate-{tag}"))

        acknowledged = threading.Event()
        victim = service.victim()

        def kill_when_a_third_is_acknowledged() -> None:
            if acknowledged.wait(options.deadline):
                os.kill(victim, signal.SIGKILL)

        killer = threading.Thread(target=kill_when_a_third_is_acknowledged)
        killer.start()
        results = send_all(service.url, burst_forms, options.threads, options.deadline, acknowledged)
        killer.join()
        figures.burst = len(burst_forms)
        acked = {submission_id for submission_id, _, status in results if status in ACKNOWLEDGED}
        rows = stored_ids(db, f"kill-{tag}")
        figures.acknowledged = len(acked)
        figures.stored = len(rows)
        figures.lost = len(acked - set(rows))
        figures.doubled = len(rows) - len(set(rows))

        if not service.alive():  # the only process was killed: start the service again
            service.start()
        time.sleep(1)  # uvicorn replaces a killed worker within a second
        again = [form for form in burst_forms if form["submission-id"] not in acked]
        send_all(service.url, again, options.threads, options.deadline)
        rows = stored_ids(db, f"kill-{tag}")
        figures.final = len(set(rows))
        figures.doubled = max(figures.doubled, len(rows) - len(set(rows)))
    finally:
        service.stop()
    return figures


@contextmanager
def databases(root: Path, names: list[str]) -> Iterator[dict[str, Iterator[str]]]:
    """A source of new databases of each kind: SQLite files in ``root``; databases on a
    throwaway PostgreSQL server, started only if asked for and stopped at the end."""
    server: PostgresServer | None = None
    folder: Path | None = None
    counter = itertools.count(1)

    def sqlite_files() -> Iterator[str]:
        while True:
            yield str(root / f"feedback-{next(counter)}.sqlite3")

    def postgresql_databases() -> Iterator[str]:
        while True:
            assert server is not None
            yield server.new_database()

    try:
        if "postgresql" in names:
            binaries = server_binaries()
            if binaries is None:
                raise SystemExit("PostgreSQL's server binaries were not found: install Debian's postgresql package")
            folder = Path(tempfile.mkdtemp(prefix="ll-bench-postgres-"))
            server = PostgresServer(binaries, folder, settings=("max_connections=200",))  # durable defaults
            server.start()
        yield {"sqlite": sqlite_files(), "sqlite-full": sqlite_files(), "postgresql": postgresql_databases()}
    finally:
        if server is not None:
            server.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def table(results: list[Figures]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| database | processes | stored/s | p50 ms | p95 ms | burst | acknowledged | stored | lost | doubled | after resending |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = {"sqlite": "SQLite", "sqlite-full": "SQLite, synchronous=FULL", "postgresql": "PostgreSQL"}
    for figures in results:
        lines.append(
            f"| {names[figures.database]} | {figures.workers} | {figures.rate:,.0f} | {figures.p50_ms:.1f} | "
            f"{figures.p95_ms:.1f} | {figures.burst} | {figures.acknowledged} | {figures.stored} | {figures.lost} | "
            f"{figures.doubled} | {figures.final} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", choices=DATABASES, default=list(DATABASES))
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2, 4])
    parser.add_argument("--submissions", type=int, default=1000, help="Submissions in each rate run.")
    parser.add_argument("--burst", type=int, default=600, help="Submissions in each kill run.")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--deadline", type=float, default=300, help="Seconds each run of sending may take in all.")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "feedback.md")
    options = parser.parse_args()

    results: list[Figures] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        project = make_project(root)
        with databases(root, options.databases) as new:
            for database, workers in itertools.product(options.databases, options.workers):
                figures = measure(root, project, database, next(new[database]), workers, options)
                results.append(figures)
                print(table([figures]).splitlines()[-1], flush=True)

    command = " ".join(["benchmarks/bench_feedback.py", *sys.argv[1:]])
    report = "\n".join(
        [
            "# Feedback service: SQLite and PostgreSQL, 1 to 4 processes",
            "",
            table(results),
            "",
            f"{options.submissions} submissions per rate run and {options.burst} per kill run, from "
            f"{options.threads} client threads on loopback. stored/s and latency: the rate run. burst to "
            "after resending: the kill run, in which one service process was killed with SIGKILL once a third "
            "of the burst had been acknowledged; lost = acknowledged but not stored, doubled = rows beyond one "
            "per submission, after resending = submissions stored once each after every unacknowledged one was "
            "sent again.",
            "",
            f"- Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; {platform.platform()}",
            f"- Python {platform.python_version()}; PostgreSQL from {server_binaries() or 'nowhere'}, durable defaults",
            f"- Load average (1 minute) before and after: {load_before:.1f}, {os.getloadavg()[0]:.1f} "
            f"(anything above {os.cpu_count()} means other work shared the cores and slowed every figure)",
            f"- Command: `.venv/bin/python {command}`",
            "",
        ]
    )
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(report, encoding="utf-8")
    print(f"\n{table(results)}\n\nWrote {options.out}")
    if not all(figures.sound for figures in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

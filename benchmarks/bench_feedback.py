"""Measure the feedback service on loopback: sustained submissions per second and latency.

    .venv/bin/python benchmarks/bench_feedback.py                          # 2000 submissions, 16 threads
    .venv/bin/python benchmarks/bench_feedback.py --submissions 5000 --threads 32

Copies the sample content into a temporary project (with ``feedback.delivery: service``), starts
``briefings feedback serve`` in its own process on a free loopback port with a temporary
database, sends --submissions valid submissions (each with its own submission id, a full set of
answers and ``Accept: application/json``, as the site's script sends them) from --threads
threads, each keeping its connection open, then stops the server and checks that exactly
--submissions rows were stored. Reports the sustained rate and the p50/p95/p99/max latency of a
submission. Every request has a timeout and the whole run a deadline (--deadline), so it always
stops by itself.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.build import Project, check  # noqa: E402
from generator.feedback.store import Store  # noqa: E402
from generator.model.feedback_form import reflection_questions  # noqa: E402

ORIGIN = "https://example.org"


def make_project(root: Path) -> Project:
    """The sample content in ``root``, its form posting to the feedback service."""
    shutil.copytree(REPO / "content", root / "content")
    path = root / "content" / "settings.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["site_url"] = f"{ORIGIN}/learning/"
    settings["feedback"].update(delivery="service", endpoint=f"{ORIGIN}/feedback")
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return Project(root)


def forms(project: Project, count: int) -> list[dict[str, str]]:
    """``count`` valid submissions spread over every briefing, each answering every question."""
    entries = check(project).reviews
    result = []
    for number, entry in zip(range(count), itertools.cycle(entries), strict=False):
        form = {
            "briefing": entry.review.id,
            "submission-id": f"bench-{number:08d}",
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


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the service stopped at start (exit {server.returncode})")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the service did not start in time")


def send_all(url: str, submissions: list[dict[str, str]], threads: int, deadline: float) -> tuple[list[float], list]:
    """Send every submission from ``threads`` threads; the latency of each and any failures."""
    local = threading.local()
    headers = {"Origin": ORIGIN, "Accept": "application/json"}

    def send(form: dict[str, str]) -> tuple[float, int | str]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=30)
        start = time.perf_counter()
        try:
            status: int | str = local.client.post(f"{url}/feedback", data=form, headers=headers).status_code
        except httpx.HTTPError as error:
            status = f"{type(error).__name__}: {error}"
        return time.perf_counter() - start, status

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(send, submissions, timeout=deadline))
    latencies = [latency for latency, status in results if status == 201]
    failures = [status for _, status in results if status != 201]
    return latencies, failures


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--deadline", type=float, default=300, help="Seconds the sending may take in all.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        project = make_project(root)
        submissions = forms(project, options.submissions)
        db = root / "feedback.sqlite3"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = [
            *(sys.executable, "-m", "generator", "feedback", "serve"),
            *("--project", str(root), "--db", str(db), "--port", str(port)),
            *("--allow-origin", ORIGIN, "--rate-limit", str(options.submissions + 100)),
        ]
        server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_up(url, server)
            started = time.perf_counter()
            latencies, failures = send_all(url, submissions, options.threads, options.deadline)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
        stored = Store(db).count()
        body = len(str(httpx.QueryParams(submissions[0])))

    print(f"Feedback service on loopback: {options.submissions} submissions from {options.threads} threads")
    print(f"  body size (first form):  {body} bytes")
    print(f"  sustained rate:          {len(latencies) / elapsed:,.0f} submissions/s ({elapsed:.2f} s in all)")
    if latencies:
        print(f"  latency p50:             {statistics.median(latencies) * 1000:.1f} ms")
        print(f"  latency p95:             {percentile(latencies, 0.95) * 1000:.1f} ms")
        print(f"  latency p99:             {percentile(latencies, 0.99) * 1000:.1f} ms")
        print(f"  latency max:             {max(latencies) * 1000:.1f} ms")
    print(f"  stored:                  {stored} row(s); failures: {len(failures)}")
    if failures:
        print(f"  first failure:           {failures[0]}")
    if failures or stored != options.submissions:
        sys.exit(1)


if __name__ == "__main__":
    main()

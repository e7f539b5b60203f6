"""The feedback service: what it stores, what it refuses, and that it refuses without storing."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
import yaml
from click.testing import CliRunner
from conftest import MINIMAL_REVIEW, write_review

from generator.build import Project
from generator.cli import main
from generator.feedback.access import RateLimiter, origin_of
from generator.feedback.app import create_app
from generator.feedback.report import write_report
from generator.feedback.store import Store

pytest_plugins = ["postgres"]  # the database fixtures: each test on SQLite, then on PostgreSQL (tests/postgres.py)

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx works the same here
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SITE_URL = "https://example.org/learning/"
ORIGIN = "https://example.org"
BRIEFING = "test-2024-child-a"
BRIEFING_LINK = f"{SITE_URL}reviews/{BRIEFING}/"
MARKUP = "<script>alert(1)</script>"
ESCAPED_MARKUP = "&lt;script&gt;alert(1)&lt;/script&gt;"


def use_service(project: Project, *, site_url: str | None = SITE_URL) -> Project:
    """Set ``feedback.delivery: service`` (with its endpoint) and ``site_url`` in the project's settings."""
    path = project.content_dir / "settings.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["feedback"]["delivery"] = "service"
    settings["feedback"]["endpoint"] = "https://feedback.example.org/feedback"
    if site_url:
        settings["site_url"] = site_url
    else:
        settings.pop("site_url", None)
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return project


@pytest.fixture
def service_project(project: Project) -> Project:
    """A project with one briefing (one reflection question) whose form posts to the service."""
    write_review(project, f"{BRIEFING}.md", MINIMAL_REVIEW)
    return use_service(project)


@pytest.fixture
def db(database: str) -> str:
    """A new feedback database: a SQLite file's path, then a PostgreSQL database's URL."""
    return database


def client_for(project: Project, db: str, **options: int) -> TestClient:
    options.setdefault("rate_limit_per_minute", 1000)
    app = create_app(project, db, [ORIGIN], **options)
    return TestClient(app, base_url="https://feedback.example.org")


@pytest.fixture
def client(service_project: Project, db: str) -> TestClient:
    return client_for(service_project, db)


def valid_form(**changes: str) -> dict[str, str]:
    """A complete, valid submission for the test briefing, with ``changes``."""
    form = {
        "briefing": BRIEFING,
        "submission-id": "",
        "website": "",
        "session-date": "2024-05-01",
        "used-as": "Team meeting",
        "agency": "Children's social care",
        "team": "Duty team",
        "people": "6",
        "roles": "social workers, a health visitor",
        "discussion": "We talked about sharing.",
        "answers-1": "By phone & e-mail.",
        "change-action": "Share plans with health",
        "change-owner": "Team lead",
        "change-by": "2024-07-01",
        "difference": "",
        "support": "",
        "usefulness": "4",
        "contact-email": "",
        "contact-consent": "",
    }
    form.update(changes)
    return form


def post(
    client: TestClient, data: dict | None = None, *, as_json: bool = True, origin: str | None = ORIGIN, **kwargs
) -> httpx.Response:
    headers = dict(kwargs.pop("headers", {}))
    if origin is not None:
        headers["Origin"] = origin
    if as_json:
        headers["Accept"] = "application/json"
    return client.post("/feedback", data=data, headers=headers, **kwargs)


def stored(db: str) -> list:
    with Store(db) as store:
        return store.all()


# --- accepted ---------------------------------------------------------------------------------


def test_a_valid_submission_is_stored_and_answered_as_json(client: TestClient, db: str) -> None:
    response = post(client, valid_form())
    assert response.status_code == 201
    assert response.json() == {"ok": True, "id": 1}
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "origin" in response.headers["vary"].lower()
    assert "set-cookie" not in response.headers
    [row] = stored(db)
    assert row.briefing == BRIEFING
    assert row.submission_id is None
    assert row.answers["agency"] == "Children's social care"
    assert row.answers["answers-1"] == "By phone & e-mail."
    assert row.answers["contact-email"] == ""
    assert "briefing" not in row.answers and "website" not in row.answers
    assert row.received_at.endswith("+00:00")


def test_a_browser_without_javascript_gets_a_confirmation_page_linking_back(client: TestClient, db: str) -> None:
    response = post(client, valid_form(), as_json=False)
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Thank you: your feedback has reached the board." in page
    assert "Child A: a test review" in page
    assert f'<a href="{BRIEFING_LINK}">Back to the briefing</a>' in page
    assert "set-cookie" not in response.headers
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert len(stored(db)) == 1


def test_a_multipart_submission_is_accepted(client: TestClient, db: str) -> None:
    body, content_type = multipart(valid_form(agency="Ysgol Gymraeg – Cymru"))
    response = post(client, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 201, response.text
    assert stored(db)[0].answers["agency"] == "Ysgol Gymraeg – Cymru"


def test_a_referer_from_an_allowed_origin_stands_in_for_a_missing_origin(client: TestClient, db: str) -> None:
    response = post(client, valid_form(), origin=None, headers={"Referer": f"{BRIEFING_LINK}#feedback"})
    assert response.status_code == 201
    assert len(stored(db)) == 1


def test_a_repeated_submission_id_is_stored_once(client: TestClient, db: str) -> None:
    form = valid_form(**{"submission-id": "a1b2c3d4-e5f6-7890"})
    first = post(client, form)
    again = post(client, form)
    page = post(client, form, as_json=False)
    assert first.status_code == 201 and first.json() == {"ok": True, "id": 1}
    assert again.status_code == 200 and again.json() == {"ok": True, "id": 1}
    assert page.status_code == 200 and "already reached the board" in page.text
    [row] = stored(db)
    assert row.submission_id == "a1b2c3d4-e5f6-7890"


def test_a_form_resent_without_javascript_is_stored_once(client: TestClient, db: str) -> None:
    form = valid_form()  # no submission id, as a browser without JavaScript sends it
    first = post(client, form, as_json=False)
    again = post(client, form, as_json=False)  # the answer was lost: Back, then Send again
    other = post(client, valid_form(discussion="Another session's discussion."), as_json=False)
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert "already reached the board" in again.text and "Reference number: 1" in again.text
    assert [row.submission_id for row in stored(db)] == [None, None]


def test_without_site_url_the_page_links_back_to_the_referer_escaped(project: Project, db: str) -> None:
    write_review(project, f"{BRIEFING}.md", MINIMAL_REVIEW)
    client = client_for(use_service(project, site_url=None), db)
    referer = f'https://example.org/reviews/{BRIEFING}/?x="><script>alert(1)</script>'
    response = post(client, valid_form(), as_json=False, headers={"Referer": referer})
    assert response.status_code == 201
    assert MARKUP not in response.text
    assert 'href="https://example.org/reviews/test-2024-child-a/?x=&quot;&gt;&lt;script&gt;' in response.text
    other = post(client, valid_form(people="7"), as_json=False, headers={"Referer": "https://elsewhere.example/page"})
    assert other.status_code == 201
    assert "elsewhere.example" not in other.text  # a page on another origin is not linked
    assert f'<a href="{ORIGIN}/reviews/{BRIEFING}/">Back to the briefing</a>' in other.text  # the sender's origin


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "briefings": 1}


def test_a_preflight_is_answered_for_allowed_origins_only(client: TestClient) -> None:
    request = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "accept"}
    allowed = client.options("/feedback", headers={"Origin": ORIGIN, **request})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    refused = client.options("/feedback", headers={"Origin": "https://evil.example", **request})
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers


# --- refused, storing nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"session-date": ""}, "session-date", "this is required"),
        ({"agency": "x" * 201}, "agency", "at most 200 characters, not 201"),
        ({"used-as": "A party"}, "used-as", "one of: Team meeting, Supervision"),
        ({"usefulness": "6"}, "usefulness", "one of: 1, 2, 3, 4, 5"),
        ({"people": "0"}, "people", "at least 1"),
        ({"briefing": "no-such-briefing"}, "briefing", "unknown briefing"),
        ({"website": "https://spam.example"}, "form", "looks automated"),
        ({"contact-email": "me@example.org"}, "contact-consent", "needed when"),
        ({"submission-id": "x"}, "submission-id", "not a valid submission id"),
    ],
    ids=[
        "missing-required",
        "too-long",
        "unknown-choice",
        "unknown-usefulness",
        "number-too-small",
        "unknown-briefing",
        "honeypot",
        "e-mail-without-consent",
        "bad-submission-id",
    ],
)
def test_a_bad_submission_is_refused_with_its_reason(
    client: TestClient, db: str, changes: dict[str, str], field: str, message: str
) -> None:
    response = post(client, valid_form(**changes))
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert message in body["errors"][field]
    assert response.headers["access-control-allow-origin"] == ORIGIN  # so the page's script can read why
    assert stored(db) == []


def test_a_missing_field_is_refused(client: TestClient, db: str) -> None:
    form = valid_form()
    del form["session-date"]
    response = post(client, form)
    assert response.status_code == 400
    assert response.json()["errors"] == {"session-date": "this is required"}
    assert stored(db) == []


def test_the_html_error_page_lists_each_problem_with_its_label(client: TestClient, db: str) -> None:
    response = post(client, valid_form(**{"session-date": "", "usefulness": ""}), as_json=False)
    assert response.status_code == 400
    assert "Feedback not sent" in response.text
    assert "<li>Date of the session: this is required</li>" in response.text
    assert "this is required</li>" in response.text.split("How useful was the briefing?")[1]
    assert "Back button to return to the form with them still filled in" in response.text
    assert f'<a href="{BRIEFING_LINK}">Back to the briefing</a>' in response.text
    assert stored(db) == []


def test_a_repeated_field_is_refused(client: TestClient, db: str) -> None:
    form: dict = valid_form()
    form["agency"] = ["Police", "Health"]
    response = post(client, form)
    assert response.status_code == 400
    assert response.json()["errors"] == {"form": "each field may be sent once: agency"}
    assert stored(db) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "https://example.org:8443"},
        {"Origin": "http://example.org"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/reviews/test-2024-child-a/"},
        {},
    ],
    ids=["other-site", "other-port", "other-scheme", "null-origin", "other-referer", "no-origin"],
)
def test_a_post_from_another_origin_is_refused(client: TestClient, db: str, headers: dict[str, str]) -> None:
    response = post(client, valid_form(), origin=None, headers=headers)
    assert response.status_code == 403
    assert "only accepts feedback sent from the board's briefings" in response.json()["errors"]["form"]
    assert "access-control-allow-origin" not in response.headers
    assert stored(db) == []


def test_an_oversized_body_is_refused(client: TestClient, db: str) -> None:
    response = post(client, valid_form(discussion="x" * 70_000))
    assert response.status_code == 413
    assert "too large" in response.json()["errors"]["form"]
    assert stored(db) == []


def test_an_oversized_chunked_body_is_refused(client: TestClient, db: str) -> None:
    body = httpx.QueryParams(valid_form(discussion="x" * 70_000)).__str__().encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    response = post(client, content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert stored(db) == []


def test_an_oversized_content_length_is_refused_before_the_body_is_read(service_project: Project, db: str) -> None:
    app = create_app(service_project, db, [ORIGIN])
    sent: list[dict] = []

    async def receive() -> dict:
        raise AssertionError("the body was read")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": "/feedback",
        "raw_path": b"/feedback",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"feedback.example.org"),
            (b"origin", ORIGIN.encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", b"1000000000"),
        ],
        "client": ("192.0.2.1", 1234),
        "server": ("feedback.example.org", 443),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert stored(db) == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"briefing=test-2024-child-a&agency=%FF%FE", "application/x-www-form-urlencoded"),
        (b"briefing=test-2024-child-a&agency=\xff\xfe", "application/x-www-form-urlencoded"),
        (None, "multipart"),
    ],
    ids=["percent-encoded", "raw-bytes", "multipart"],
)
def test_malformed_encoding_is_refused(client: TestClient, db: str, body: bytes | None, content_type: str) -> None:
    if body is None:
        body, content_type = multipart(valid_form())
        body = body.replace(b"Children's social care", b"Children\xc3 social care")
    response = post(client, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.json()["errors"] == {"form": "the form is not valid UTF-8 text"}
    assert stored(db) == []


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 415),
        ("text/plain", 415),
        ("application/x-www-form-urlencoded; charset=iso-8859-1", 415),
        ("multipart/form-data", 400),  # no boundary
    ],
)
def test_other_content_types_are_refused(client: TestClient, db: str, content_type: str, status: int) -> None:
    response = post(client, content=b'{"briefing": "test-2024-child-a"}', headers={"Content-Type": content_type})
    assert response.status_code == status
    assert stored(db) == []


def test_a_file_upload_is_refused(client: TestClient, db: str) -> None:
    response = post(client, data=valid_form(), files={"discussion": ("notes.txt", b"notes", "text/plain")})
    assert response.status_code == 400
    assert "files cannot be sent" in response.json()["errors"]["form"]
    assert stored(db) == []


def test_too_many_posts_from_one_address_are_refused(service_project: Project, db: str) -> None:
    client = client_for(service_project, db, rate_limit_per_minute=3)
    statuses = [post(client, valid_form(people=str(number))).status_code for number in range(1, 4)]
    refused = post(client, valid_form(people="4"))
    assert statuses == [201, 201, 201]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "too many forms" in refused.json()["errors"]["form"]
    assert len(stored(db)) == 3


@pytest.mark.parametrize(
    ("site_url", "link"), [(SITE_URL, BRIEFING_LINK), (None, f"{ORIGIN}/reviews/{BRIEFING}/")], ids=["site-url", "none"]
)
def test_the_rate_limit_page_takes_the_team_back_to_the_briefing(
    project: Project, db: str, site_url: str | None, link: str
) -> None:
    write_review(project, f"{BRIEFING}.md", MINIMAL_REVIEW)
    client = client_for(use_service(project, site_url=site_url), db, rate_limit_per_minute=1)
    # A browser posting to another site's service sends only the origin of the page as Referer.
    headers = {"Referer": f"{ORIGIN}/"}
    assert post(client, valid_form(), as_json=False, headers=headers).status_code == 201
    refused = post(client, valid_form(people="7"), as_json=False, headers=headers)
    assert refused.status_code == 429
    assert "too many forms were sent from your address" in refused.text
    assert "Back button to return to the form with them still filled in" in refused.text
    assert f'<a href="{link}">Back to the briefing</a>' in refused.text
    assert len(stored(db)) == 1


def test_the_rate_limit_window_slides() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.wait("a") == 0 and limiter.wait("a") == 0
    assert limiter.wait("a") == pytest.approx(60)
    assert limiter.wait("b") == 0  # per address
    now[0] += 30
    assert limiter.wait("a") == pytest.approx(30)
    now[0] += 30.5
    assert limiter.wait("a") == 0


def test_origins_are_compared_exactly() -> None:
    assert origin_of("https://Example.org:443/learning/") == "https://example.org"
    assert origin_of("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000"
    assert origin_of("javascript:alert(1)") is None
    assert origin_of("null") is None


# --- markup is text ----------------------------------------------------------------------------


def test_markup_is_stored_as_text_and_shown_escaped(
    client: TestClient, service_project: Project, db: str, tmp_path: Path
) -> None:
    accepted = post(client, valid_form(discussion=MARKUP, **{"change-action": MARKUP}), as_json=False)
    assert accepted.status_code == 201
    assert MARKUP not in accepted.text
    assert stored(db)[0].answers["discussion"] == MARKUP

    refused = post(client, {**valid_form(), MARKUP: "x"}, as_json=False)
    assert refused.status_code == 400
    assert MARKUP not in refused.text
    assert f"unknown field(s): {ESCAPED_MARKUP}" in refused.text
    assert len(stored(db)) == 1

    refused_json = post(client, {**valid_form(), MARKUP: "x"})
    assert refused_json.json()["errors"]["form"] == f"unknown field(s): {MARKUP}"  # JSON is data, shown as text

    [_, _, report_html, _] = write_report(service_project, db, tmp_path / "report")
    page = report_html.read_text(encoding="utf-8")
    assert MARKUP not in page
    assert ESCAPED_MARKUP in page


# --- the command -------------------------------------------------------------------------------


def test_serve_refuses_to_start_without_an_origin(project: Project, db: str) -> None:
    write_review(project, f"{BRIEFING}.md", MINIMAL_REVIEW)
    use_service(project, site_url=None)
    result = CliRunner().invoke(main, ["feedback", "serve", "--project", str(project.root), "--db", str(db)])
    assert result.exit_code != 0
    assert "--allow-origin" in result.output


def test_serve_defaults_to_the_origin_of_site_url(
    service_project: Project, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    arguments = ["feedback", "serve", "--project", str(service_project.root), "--db", str(db), "--port", "9999"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert started["app"].state.service.allowed == {ORIGIN}
    assert (started["host"], started["port"]) == ("127.0.0.1", 9999)


def test_serve_reports_content_errors(service_project: Project, db: str) -> None:
    write_review(service_project, "broken.md", MINIMAL_REVIEW.replace("age_group: under-1", "age_group: nobody"))
    result = CliRunner().invoke(main, ["feedback", "serve", "--project", str(service_project.root), "--db", str(db)])
    assert result.exit_code == 1
    assert "content/reviews/broken.md:10: age_group: unknown age group 'nobody'" in result.output


# --- a real server -----------------------------------------------------------------------------


@contextmanager
def running(app, port: int = 0, **config: object) -> Iterator[str]:
    """``app`` served by uvicorn on loopback (on ``port``, or a free one) with uvicorn's ``config``,
    stopped afterwards."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _send(url: str, form: dict[str, str]) -> tuple[int, int]:
    response = httpx.post(
        f"{url}/feedback", data=form, headers={"Origin": ORIGIN, "Accept": "application/json"}, timeout=20
    )
    return response.status_code, response.json().get("id", 0)


def test_concurrent_submissions_are_all_stored_once(service_project: Project, db: str) -> None:
    app = create_app(service_project, db, [ORIGIN], rate_limit_per_minute=10_000)
    forms = [valid_form(**{"submission-id": f"concurrent-{number:04d}"}) for number in range(200)]
    with running(app) as url, ThreadPoolExecutor(max_workers=24) as pool:
        results = list(pool.map(lambda form: _send(url, form), forms, timeout=120))
    assert [status for status, _ in results] == [201] * 200
    assert len({row_id for _, row_id in results}) == 200
    rows = stored(db)
    assert len(rows) == 200
    assert sorted(row.submission_id for row in rows) == sorted(form["submission-id"] for form in forms)


def test_concurrent_resends_are_stored_once(service_project: Project, db: str) -> None:
    app = create_app(service_project, db, [ORIGIN], rate_limit_per_minute=10_000)
    forms = [valid_form(**{"submission-id": f"resent-{number % 10:04d}"}) for number in range(60)]
    with running(app) as url, ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda form: _send(url, form), forms, timeout=120))
    assert sorted(status for status, _ in results) == [200] * 50 + [201] * 10
    assert len(stored(db)) == 10
    by_id = {}
    for form, (_, row_id) in zip(forms, results, strict=True):
        assert by_id.setdefault(form["submission-id"], row_id) == row_id


@pytest.mark.parametrize(
    ("trusted", "statuses"),
    [("127.0.0.1", [201, 201, 429]), ("192.0.2.9", [201, 429, 429])],
    ids=["trusted-proxy", "untrusted"],
)
def test_behind_a_trusted_proxy_each_client_has_its_own_rate_limit(
    service_project: Project, db: str, trusted: str, statuses: list[int]
) -> None:
    app = create_app(service_project, db, [ORIGIN], rate_limit_per_minute=1)
    clients = ["203.0.113.5", "203.0.113.6", "203.0.113.5"]  # as the proxy in front says
    with running(app, forwarded_allow_ips=trusted) as url:
        sent = [
            httpx.post(
                f"{url}/feedback",
                data=valid_form(people=str(number)),
                headers={"Origin": ORIGIN, "Accept": "application/json", "X-Forwarded-For": client},
                timeout=20,
            ).status_code
            for number, client in enumerate(clients, start=1)
        ]
    assert sent == statuses


def test_concurrent_resends_without_an_id_are_stored_once(service_project: Project, db: str) -> None:
    app = create_app(service_project, db, [ORIGIN], rate_limit_per_minute=10_000)
    forms = [valid_form(people=str(1 + number % 5)) for number in range(40)]  # five forms, each sent eight times
    with running(app) as url, ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda form: _send(url, form), forms, timeout=120))
    assert sorted(status for status, _ in results) == [200] * 35 + [201] * 5
    assert sorted(row.answers["people"] for row in stored(db)) == ["1", "2", "3", "4", "5"]


# --- helpers -----------------------------------------------------------------------------------


def multipart(form: dict[str, str], boundary: str = "----llboundary7MA4YWxkTrZu0gW") -> tuple[bytes, str]:
    """``form`` as a ``multipart/form-data`` body (no files) and its content type."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in form.items()
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_serve_refuses_an_origin_that_is_not_http(service_project: Project, db: str) -> None:
    arguments = ["feedback", "serve", "--project", str(service_project.root), "--db", str(db)]
    result = CliRunner().invoke(main, [*arguments, "--allow-origin", "example.org"])
    assert result.exit_code == 2
    assert "not an http(s) origin: example.org" in result.output

"""The feedback service: receives the form on every briefing and stores what passes the checks.

``create_app`` makes a Starlette app with two routes:

- ``POST /feedback`` takes a form post (``application/x-www-form-urlencoded`` or
  ``multipart/form-data``, UTF-8). In this order it checks the origin (the ``Origin`` header,
  or the origin of ``Referer`` when there is none, must be an allowed origin: 403), the rate
  (at most ``rate_limit_per_minute`` posts per client address in any 60 seconds: 429 with
  ``Retry-After``), the content type (415), the size (413, from ``Content-Length`` before
  reading and while reading a chunked body), the encoding and form syntax (400), then ``check_submission`` with the
  same field settings the form was generated from (400, listing each problem). A submission
  that passes is stored (201); one whose submission id is already stored is not stored again
  (200, with the stored row's id). A rejected submission stores nothing.
- ``GET /health`` answers ``{"ok": true, "briefings": N}``.

A client that asks for JSON (``Accept: application/json``, as the site's script does) gets
``{"ok": true, "id": N}`` or ``{"ok": false, "errors": {field: message}}``; any other client (a
browser posting the form without JavaScript) gets a short HTML page: a confirmation, or the list
of problems, each with a link back to the briefing. Everything that came from the request is
HTML-escaped. Responses to allowed origins carry ``Access-Control-Allow-Origin`` (and ``OPTIONS``
preflights for them are answered); no response sets a cookie.

The page words come from the site's strings where one exists (``feedback_sent``,
``feedback_fix``, ``feedback_briefing``, ``feedback_link``); the few sentences only this service
needs are the constants below, so a board that rewords them edits this module.

Behind a reverse proxy on the same machine, uvicorn takes the client address from
``X-Forwarded-For`` (its ``--forwarded-allow-ips`` default trusts 127.0.0.1 only), so the rate
limit applies to the real client.
"""

from __future__ import annotations

import codecs
import html
import logging
import math
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from generator.build import Project, check
from generator.feedback.store import Store
from generator.model.content import Content
from generator.model.feedback_form import (
    BRIEFING,
    SubmissionRejected,
    check_submission,
    form_fields,
    reflection_questions,
)

log = logging.getLogger("learning_lessons.feedback")

# The service's own page words (generator/strings.yml has no keys for them).
TITLE_SENT = "Feedback received"
TITLE_NOT_SENT = "Feedback not sent"
NOT_STORED = "Your feedback was not stored."
TRY_AGAIN = "Go back to the form, put these right and send it again."
BACK_TO_BRIEFING = "Back to the briefing"
BACK_TO_SITE = "Back to the briefings"
REFERENCE = "Reference number: {id}"
ALREADY_RECEIVED = "This feedback had already reached the board; it has been stored once."

# Why a request was refused before its answers were checked (under the key ``form``).
WRONG_ORIGIN = "this service only accepts feedback sent from the board's briefings"
TOO_LARGE = "the form is too large to send (at most {limit} bytes)"
TOO_MANY = "too many forms were sent from your address; please wait {seconds} seconds and try again"
WRONG_TYPE = "send the form as application/x-www-form-urlencoded or multipart/form-data"
WRONG_CHARSET = "send the form encoded as UTF-8"
BAD_ENCODING = "the form is not valid UTF-8 text"
BAD_FORM = "the form data could not be read ({reason})"
BAD_LENGTH = "the Content-Length header is not a number"
NOT_STORED_NOW = "the feedback could not be stored just now; please try again in a minute"

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_FIELDS = 1000
"""The most fields a form may have (the real form has a few dozen)."""
RATE_WINDOW_SECONDS = 60.0
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) address, lower case and without a default port; else ``None``."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = 80 if scheme == "http" else 443
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default_port else "")


def request_origin(headers: Mapping[str, str]) -> str | None:
    """Where a request says it comes from: its ``Origin``, or the origin of its ``Referer``."""
    if "origin" in headers:
        return origin_of(headers["origin"])
    referer = headers.get("referer")
    return origin_of(referer) if referer else None


class RateLimiter:
    """At most ``per_minute`` requests per key in any window of 60 seconds (a sliding log)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Record a request and return 0, or the seconds until one is allowed (recording nothing)."""
        now = self._clock()
        with self._lock:
            if len(self._hits) > 10_000:
                self._forget_idle(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - RATE_WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return hits[0] + RATE_WINDOW_SECONDS - now
            hits.append(now)
            return 0.0

    def _forget_idle(self, now: float) -> None:
        """Drop the keys with no request in the window, so memory stays bounded."""
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= now - RATE_WINDOW_SECONDS]:
            del self._hits[key]


class Refused(Exception):
    """A request refused before its answers are checked: the status and the message for ``form``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def content_type_params(header: str) -> tuple[str, dict[bytes, bytes]]:
    """The media type of a ``Content-Type`` header (lower case) and its parameters."""
    media_type, params = parse_options_header(header)
    return media_type.decode("latin-1").strip().lower(), params


def form_type(content_type: str) -> tuple[str, dict[bytes, bytes]]:
    """The media type and parameters of a form's ``Content-Type``; ``Refused`` (415) for
    anything but a URL-encoded or multipart form in UTF-8."""
    media_type, params = content_type_params(content_type)
    if media_type not in FORM_TYPES:
        raise Refused(415, WRONG_TYPE)
    charset = params.get(b"charset")
    if charset is not None:
        try:
            name = codecs.lookup(charset.decode("latin-1")).name
        except (LookupError, UnicodeDecodeError):
            name = ""
        if name not in ("utf-8", "ascii"):
            raise Refused(415, WRONG_CHARSET)
    return media_type, params


def parse_form(content_type: str, body: bytes) -> dict[str, list[str]]:
    """The fields of a form body as name -> values (a repeated name keeps every value).

    Raises ``Refused`` (415 or 400) for another content type or charset, text that is not
    UTF-8, or a body that is not a well-formed form."""
    media_type, params = form_type(content_type)
    try:
        pairs = _urlencoded_pairs(body) if media_type == FORM_TYPES[0] else _multipart_pairs(params, body)
    except UnicodeDecodeError:
        raise Refused(400, BAD_ENCODING) from None
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        form.setdefault(name, []).append(value)
    return form


def _urlencoded_pairs(body: bytes) -> list[tuple[str, str]]:
    """The name-value pairs of a URL-encoded body, decoded strictly as UTF-8."""
    try:
        return parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError:
        raise
    except ValueError as error:
        raise Refused(400, BAD_FORM.format(reason=str(error))) from None


@dataclass
class _Part:
    headers: dict[bytes, bytes]
    data: bytearray


def _multipart_pairs(params: dict[bytes, bytes], body: bytes) -> list[tuple[str, str]]:
    """The name-value pairs of a ``multipart/form-data`` body, decoded strictly as UTF-8; no files."""
    boundary = params.get(b"boundary")
    if not boundary:
        raise Refused(400, BAD_FORM.format(reason="no multipart boundary"))
    parts: list[_Part] = []
    header = [b"", b""]
    ended: list[bool] = []

    def on_header_end() -> None:
        parts[-1].headers[header[0].strip().lower()] = header[1].strip()
        header[:] = [b"", b""]

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header[0] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header[1] += data[start:end]

    def on_part_begin() -> None:
        if len(parts) >= MAX_FIELDS:
            raise Refused(400, BAD_FORM.format(reason=f"more than {MAX_FIELDS} fields"))
        parts.append(_Part({}, bytearray()))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].data += data[start:end]

    callbacks = {
        "on_part_begin": on_part_begin,
        "on_part_data": on_part_data,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_end": lambda: ended.append(True),
    }
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        parser.write(body)
        parser.finalize()
    except FormParserError as error:
        raise Refused(400, BAD_FORM.format(reason=f"not well-formed multipart data: {error}")) from None
    if not ended:
        raise Refused(400, BAD_FORM.format(reason="the multipart data is incomplete"))
    pairs: list[tuple[str, str]] = []
    for part in parts:
        disposition, options = parse_options_header(part.headers.get(b"content-disposition", b""))
        if disposition != b"form-data" or b"name" not in options:
            raise Refused(400, BAD_FORM.format(reason="a part has no form-data name"))
        if b"filename" in options:
            raise Refused(400, BAD_FORM.format(reason="files cannot be sent with feedback"))
        pairs.append((options[b"name"].decode("utf-8"), bytes(part.data).decode("utf-8")))
    return pairs


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) as soon as it is longer than ``limit`` bytes."""
    length = request.headers.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise Refused(400, BAD_LENGTH)
        if int(length) > limit:
            raise Refused(413, TOO_LARGE.format(limit=limit))
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise Refused(413, TOO_LARGE.format(limit=limit))
    except ClientDisconnect:
        raise Refused(400, BAD_FORM.format(reason="the connection closed before the form was sent")) from None
    return bytes(body)


class FeedbackService:
    """The checks and answers of the service for one site, one store and its allowed origins."""

    def __init__(
        self, content: Content, store: Store, allowed_origins: list[str], rate_limit_per_minute: int, max_body_bytes: int
    ) -> None:
        self.site = content
        self.store = store
        self.allowed = {origin for origin in (origin_of(value) for value in allowed_origins) if origin}
        if not self.allowed:
            raise ValueError("at least one allowed origin (such as https://example.org) is needed")
        self.limiter = RateLimiter(rate_limit_per_minute)
        self.max_body_bytes = max_body_bytes
        self.entries = {entry.review.id: entry for entry in content.reviews}

    async def health(self, request: Request) -> Response:
        """``GET /health``: the service is up, with the number of briefings it accepts feedback on."""
        return JSONResponse({"ok": True, "briefings": len(self.entries)}, headers={"Cache-Control": "no-store"})

    async def feedback(self, request: Request) -> Response:
        """``POST /feedback`` (and its CORS preflight)."""
        origin = request_origin(request.headers)
        allowed = origin in self.allowed
        if request.method == "OPTIONS":
            return self._preflight(request, origin if allowed else None)
        form: dict[str, list[str]] = {}
        try:
            if not allowed:
                raise Refused(403, WRONG_ORIGIN)
            client = request.client.host if request.client else "unknown"
            wait = self.limiter.wait(client)
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                raise Refused(429, TOO_MANY.format(seconds=seconds), {"Retry-After": str(seconds)})
            content_type = request.headers.get("content-type", "")
            form_type(content_type)  # before reading the body
            body = await read_body(request, self.max_body_bytes)
            form = parse_form(content_type, body)
            clean = check_submission(form, self.site)
        except Refused as refusal:
            return self._answer(request, refusal.status, {"form": refusal.message}, origin, allowed, refusal.headers)
        except SubmissionRejected as rejection:
            briefing = (form.get(BRIEFING) or [""])[0]
            return self._answer(request, 400, rejection.errors, origin, allowed, briefing=briefing, answers=True)
        try:
            row_id, created = await run_in_threadpool(self.store.add, clean)
        except sqlite3.Error:
            log.exception("could not store a submission")
            return self._answer(request, 503, {"form": NOT_STORED_NOW}, origin, allowed, {"Retry-After": "60"})
        return self._answer(
            request, 201 if created else 200, {}, origin, allowed, briefing=clean[BRIEFING], row_id=row_id
        )

    def _preflight(self, request: Request, origin: str | None) -> Response:
        """The answer to a CORS preflight: allowed for an allowed origin, else 403."""
        if origin is None:
            return Response(status_code=403, headers={"Vary": "Origin"})
        return Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": "Accept, Content-Type",
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            },
        )

    def _answer(
        self,
        request: Request,
        status: int,
        errors: dict[str, str],
        origin: str | None,
        allowed: bool,
        headers: dict[str, str] | None = None,
        *,
        briefing: str = "",
        row_id: int | None = None,
        answers: bool = False,
    ) -> Response:
        """The JSON or HTML answer to a post, with the CORS headers for an allowed origin; ``answers``
        when ``errors`` are about the answers."""
        headers = {**(headers or {}), "Vary": "Origin", "Cache-Control": "no-store"}
        if allowed and origin:
            headers["Access-Control-Allow-Origin"] = origin
        if "application/json" in request.headers.get("accept", "").lower():
            content = {"ok": True, "id": row_id} if row_id is not None else {"ok": False, "errors": errors}
            return JSONResponse(content, status_code=status, headers=headers)
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        link = self._link_back(request, briefing)
        if row_id is not None:
            page = self._confirmation_page(briefing, row_id, status == 200, link)
        else:
            page = self._error_page(briefing, errors, link, answers=answers)
        return HTMLResponse(page, status_code=status, headers=headers)

    def _link_back(self, request: Request, briefing: str) -> tuple[str, str] | None:
        """Where the page links back to, and the link's words: the briefing on the site, the
        page that sent the form (when it is on an allowed origin), or nothing."""
        site_url = self.site.settings.site_url
        if site_url and origin_of(site_url):
            base = site_url if site_url.endswith("/") else site_url + "/"
            if briefing in self.entries:
                return base + f"reviews/{briefing}/", BACK_TO_BRIEFING
            return base + "reviews/", BACK_TO_SITE
        referer = request.headers.get("referer", "")
        if referer and origin_of(referer) in self.allowed:
            return referer, BACK_TO_BRIEFING
        return None

    def _confirmation_page(self, briefing: str, row_id: int, repeated: bool, link: tuple[str, str] | None) -> str:
        """The page a browser shows after a stored submission."""
        strings = self.site.strings
        paragraphs = [strings.get("feedback_sent", "Thank you: your feedback has reached the board.")]
        if repeated:
            paragraphs.append(ALREADY_RECEIVED)
        entry = self.entries.get(briefing)
        if entry is not None:
            paragraphs.append(f"{strings.get('feedback_briefing', 'Briefing')}: {entry.review.title}")
        paragraphs.append(REFERENCE.format(id=row_id))
        body = "".join(f"<p>{html.escape(text)}</p>\n" for text in paragraphs)
        return self._page(TITLE_SENT, body, link)

    def _error_page(self, briefing: str, errors: dict[str, str], link: tuple[str, str] | None, *, answers: bool) -> str:
        """The page a browser shows after a refused submission, listing every problem; ``answers``
        when the problems are in the answers (rather than, say, the size or the rate)."""
        strings = self.site.strings
        labels = self._labels(briefing)
        items = []
        for name, message in errors.items():
            label = labels.get(name, name) if name != "form" else ""
            text = f"{label}: {message}" if label else message
            items.append(f"<li>{html.escape(text)}</li>\n")
        lead = html.escape(NOT_STORED)
        if answers:
            lead += " " + html.escape(strings.get("feedback_fix", "Please check these answers:"))
        email = html.escape(self.site.settings.contact_email)
        contact = _format(
            html.escape(strings.get("feedback_link", "E-mail your feedback to {email}")),
            email=f'<a href="mailto:{email}">{email}</a>',
        )
        body = f'<p>{lead}</p>\n<ul class="errors">\n{"".join(items)}</ul>\n'
        if answers:
            body += f"<p>{html.escape(TRY_AGAIN)}</p>\n"
        body += f"<p>{contact}</p>\n"
        return self._page(TITLE_NOT_SENT, body, link)

    def _labels(self, briefing: str) -> dict[str, str]:
        """Each form field's label for a briefing (none for an unknown briefing)."""
        labels = {BRIEFING: self.site.strings.get("feedback_briefing", "Briefing")}
        entry = self.entries.get(briefing)
        if entry is not None:
            for field in form_fields(self.site.settings.feedback, reflection_questions(entry)):
                labels[field.name] = field.label
        return labels

    def _page(self, title: str, body: str, link: tuple[str, str] | None) -> str:
        """A complete, self-contained HTML page; ``body`` is already escaped."""
        back = f'<p><a href="{html.escape(link[0])}">{html.escape(link[1])}</a></p>\n' if link else ""
        site_name = self.site.settings.site_name
        return (
            "<!doctype html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n'
            f"<title>{html.escape(title)} - {html.escape(site_name)}</title>\n"
            "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
            "line-height:1.5}</style>\n"
            f"</head>\n<body>\n<main>\n<h1>{html.escape(title)}</h1>\n{body}{back}</main>\n</body>\n</html>\n"
        )


def _format(template: str, **values: str) -> str:
    """``template`` with its placeholders filled in; the template itself if a board reworded it oddly."""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def create_app(
    project: Project,
    db: Path,
    allowed_origins: list[str],
    rate_limit_per_minute: int = 30,
    max_body_bytes: int = 65536,
) -> Starlette:
    """The feedback service for ``project``, storing into the SQLite file ``db``.

    The content is checked once, here (``ContentErrors`` if it has errors): the service checks
    submissions against the same field settings the site's form was generated from. Restart it
    after publishing new briefings."""
    service = FeedbackService(check(project), Store(db), allowed_origins, rate_limit_per_minute, max_body_bytes)
    app = Starlette(
        routes=[
            Route("/feedback", service.feedback, methods=["POST", "OPTIONS"]),
            Route("/health", service.health, methods=["GET"]),
        ]
    )
    app.state.service = service
    return app

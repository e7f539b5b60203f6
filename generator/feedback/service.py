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
browser posting the form without JavaScript) gets a short HTML page
(``templates/feedback_service_result.html.j2``): a confirmation, or the list of problems, each
with a link back to the briefing. Everything that came from the request is HTML-escaped.
Starlette's CORS middleware gives responses to allowed origins ``Access-Control-Allow-Origin``
and answers their ``OPTIONS`` preflights (204; 403 for any other origin); no response sets a
cookie.

Every word on the pages and in the messages is one of the site's strings (``feedback_sent``,
``feedback_fix``, ``feedback_briefing``, ``feedback_link`` and the ``feedback_service_*`` ones),
so a board's ``content/strings.yml`` can reword them.

Behind a reverse proxy on the same machine, uvicorn takes the client address from
``X-Forwarded-For`` (its ``--forwarded-allow-ips`` default trusts 127.0.0.1 only), so the rate
limit applies to the real client.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from pathlib import Path
from typing import NamedTuple

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from generator.build import Project, check
from generator.feedback.access import FeedbackCORS, RateLimiter, origin_of, request_origin
from generator.feedback.forms import FormReader, Refused, refusal
from generator.feedback.pages import render
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

PAGE = "feedback_service_result.html.j2"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class Link(NamedTuple):
    """Where a page links back to, and the link's words."""

    href: str
    text: str


class FeedbackService:
    """The checks and answers of the service for one site, one store and its allowed origins."""

    def __init__(
        self,
        content: Content,
        store: Store,
        allowed_origins: list[str],
        rate_limit_per_minute: int,
        max_body_bytes: int,
    ) -> None:
        self.content = content
        self.strings = content.strings
        self.store = store
        self.allowed = {origin for origin in (origin_of(value) for value in allowed_origins) if origin}
        if not self.allowed:
            raise ValueError("at least one allowed origin (such as https://example.org) is needed")
        self.limiter = RateLimiter(rate_limit_per_minute)
        self.reader = FormReader(content.strings, max_body_bytes)
        self.entries = {entry.review.id: entry for entry in content.reviews}

    async def health(self, request: Request) -> Response:
        """``GET /health``: the service is up, with the number of briefings it accepts feedback on."""
        return JSONResponse({"ok": True, "briefings": len(self.entries)}, headers={"Cache-Control": "no-store"})

    async def feedback(self, request: Request) -> Response:
        """``POST /feedback``: check the request and the answers, then store them."""
        form: dict[str, list[str]] = {}
        try:
            self.check_sender(request)
            content_type = request.headers.get("content-type", "")
            self.reader.form_type(content_type)  # before reading the body
            body = await self.reader.read_body(request)
            form = self.reader.parse(content_type, body)
            clean = check_submission(form, self.content)
        except Refused as refused:
            return self.answer(request, refused.status, {"form": refused.message}, refused.headers)
        except SubmissionRejected as rejection:
            briefing = (form.get(BRIEFING) or [""])[0]
            return self.answer(request, 400, rejection.errors, briefing=briefing, answers=True)
        try:
            row_id, created = await run_in_threadpool(self.store.add, clean)
        except sqlite3.Error:
            log.exception("could not store a submission")
            message = self.strings["feedback_service_not_stored_now"]
            return self.answer(request, 503, {"form": message}, {"Retry-After": "60"})
        return self.answer(request, 201 if created else 200, {}, briefing=clean[BRIEFING], row_id=row_id)

    def check_sender(self, request: Request) -> None:
        """``Refused`` for a post from another origin (403) or one too many from its address (429)."""
        if request_origin(request.headers) not in self.allowed:
            raise refusal(self.strings, 403, "feedback_service_wrong_origin")
        wait = self.limiter.wait(request.client.host if request.client else "unknown")
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise refusal(
                self.strings, 429, "feedback_service_too_many", {"Retry-After": str(seconds)}, seconds=seconds
            )

    def answer(
        self,
        request: Request,
        status: int,
        errors: dict[str, str],
        headers: dict[str, str] | None = None,
        *,
        briefing: str = "",
        row_id: int | None = None,
        answers: bool = False,
    ) -> Response:
        """The JSON or HTML answer to a post; ``answers`` when ``errors`` are about the answers."""
        headers = {**(headers or {}), "Cache-Control": "no-store"}
        if "application/json" in request.headers.get("accept", "").lower():
            content = {"ok": True, "id": row_id} if row_id is not None else {"ok": False, "errors": errors}
            return JSONResponse(content, status_code=status, headers=headers)
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        entry = self.entries.get(briefing)
        page = render(
            PAGE,
            self.strings,
            site_name=self.content.settings.site_name,
            link=self.link_back(request, briefing),
            row_id=row_id,
            repeated=status == 200,
            briefing_title=entry.review.title if entry is not None else None,
            problems=self.problems(briefing, errors),
            answers=answers,
            contact_email=self.content.settings.contact_email,
        )
        return HTMLResponse(page, status_code=status, headers=headers)

    def link_back(self, request: Request, briefing: str) -> Link | None:
        """Where the page links back to: the briefing on the site, the page that sent the form
        (when it is on an allowed origin), or nowhere."""
        site_url = self.content.settings.site_url
        if site_url and origin_of(site_url):
            base = site_url if site_url.endswith("/") else site_url + "/"
            if briefing in self.entries:
                return Link(base + f"reviews/{briefing}/", self.strings["feedback_service_back_to_briefing"])
            return Link(base + "reviews/", self.strings["feedback_service_back_to_site"])
        referer = request.headers.get("referer", "")
        if referer and origin_of(referer) in self.allowed:
            return Link(referer, self.strings["feedback_service_back_to_briefing"])
        return None

    def problems(self, briefing: str, errors: dict[str, str]) -> list[tuple[str, str]]:
        """Each problem as (the label of its field, or ``""`` for the whole form; the message)."""
        labels = {BRIEFING: self.strings["feedback_briefing"]}
        entry = self.entries.get(briefing)
        if entry is not None:
            for field in form_fields(self.content.settings.feedback, reflection_questions(entry)):
                labels[field.name] = field.label
        return [(labels.get(name, name) if name != "form" else "", message) for name, message in errors.items()]


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
            Route("/feedback", service.feedback, methods=["POST"]),
            Route("/health", service.health, methods=["GET"]),
        ],
        middleware=[Middleware(FeedbackCORS, allow_origins=sorted(service.allowed))],
    )
    app.state.service = service
    return app

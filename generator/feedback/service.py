"""The feedback service: receives the form on every briefing and stores what passes the checks.

``FeedbackService`` answers the service's two routes:

- ``POST /feedback`` takes a form post (``application/x-www-form-urlencoded`` or
  ``multipart/form-data``, UTF-8). In this order it checks the origin (the ``Origin`` header,
  or the origin of ``Referer`` when there is none, must be an allowed origin: 403), the rate
  (at most ``rate_limit_per_minute`` posts per client address in any 60 seconds: 429 with
  ``Retry-After``), the content type (415), the size (413, from ``Content-Length`` before
  reading and while reading a chunked body), the encoding and form syntax (400), then ``check_submission`` with the
  same field settings the form was generated from (400, listing each problem). A submission
  that passes is stored (201); one already stored (the same submission id, or for a form sent
  without one the same answers soon after: see ``generator.feedback.store``) is not stored again
  (200, with the stored row's id). A rejected submission stores nothing; one that cannot be
  stored just now is answered 503 with ``Retry-After``.
- ``GET /health`` answers ``{"ok": true, "briefings": N}`` while the database can be written,
  and 503 with ``{"ok": false, "briefings": N, "error": why}`` while it cannot (a read-only file
  or file system, a read-only PostgreSQL transaction, a lost connection). The log says so once
  when the service finds it cannot write, and once when it can again.

A client that asks for JSON (``Accept: application/json``, as the site's script does) gets
``{"ok": true, "id": N}`` or ``{"ok": false, "errors": {field: message}}``; any other client (a
browser posting the form without JavaScript) gets a short HTML page
(``templates/feedback_service_result.html.j2``): a confirmation, or the list of problems with the
advice to use the browser's Back button (which returns to the form with its answers) and a link
to the briefing (from ``site_url``; else the page that sent the form, when the browser says
which; else the briefing's address on the origin that sent it). Everything that came from the
request is HTML-escaped.
Starlette's CORS middleware gives responses to allowed origins ``Access-Control-Allow-Origin``
and answers their ``OPTIONS`` preflights (204; 403 for any other origin); no response sets a
cookie.

Every word on the pages and in the messages is one of the site's strings (``feedback_sent``,
``feedback_fix``, ``feedback_briefing``, ``feedback_link`` and the ``feedback_service_*`` ones),
so a board's ``content/strings.yml`` can reword them.

Behind a reverse proxy on the same machine, uvicorn takes the client address from
``X-Forwarded-For`` (its ``--forwarded-allow-ips`` default trusts 127.0.0.1 only), so the rate
limit applies to the real client. The rate limit is counted in each service process.

The Starlette app around it is made by ``generator.feedback.app``.
"""

from __future__ import annotations

import logging
import math
from typing import NamedTuple
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from generator.feedback.access import RateLimiter, origin_of, request_origin
from generator.feedback.database import reason
from generator.feedback.forms import FormReader, Refused, refusal
from generator.feedback.pages import render
from generator.feedback.store import Store
from generator.model.addresses import language_root
from generator.model.content import Content
from generator.model.feedback_form import (
    BRIEFING,
    LANGUAGE,
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


class WriteState:
    """Whether the service can write to its database, as last found; each change logged once."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problem: str | None = None

    def found(self, problem: str | None) -> None:
        """Note what the last write or check found: ``None`` when it could write, else why not."""
        if (problem is None) == (self.problem is None):
            self.problem = problem
            return
        if problem is not None:
            log.error(
                "cannot write to the feedback database %s: %s. Feedback is refused (503) and /health "
                "answers 503 until that is put right.",
                self.where,
                problem,
            )
        else:
            log.warning("the feedback database %s can be written again; feedback is being stored", self.where)
        self.problem = problem


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
        self.editions = {edition.language: edition for edition in (content, *content.translations)}
        """The content in each language of the site: a form sent from a Welsh page is answered in Welsh."""
        self.writes = WriteState(store.where)
        self.writes.found(store.write_problem())

    async def health(self, request: Request) -> Response:
        """``GET /health``: 200 while the database can be written, with the number of briefings the
        service accepts feedback on; 503 saying why while it cannot."""
        self.writes.found(await run_in_threadpool(self.store.write_problem))
        headers = {"Cache-Control": "no-store"}
        if self.writes.problem is not None:
            error = f"the feedback database cannot be written: {self.writes.problem}"
            body = {"ok": False, "briefings": len(self.entries), "error": error}
            return JSONResponse(body, status_code=503, headers=headers)
        return JSONResponse({"ok": True, "briefings": len(self.entries)}, headers=headers)

    async def feedback(self, request: Request) -> Response:
        """``POST /feedback``: check the request and the answers, then store them."""
        form: dict[str, list[str]] = {}
        try:
            self.check_sender(request)
            content_type = request.headers.get("content-type", "")
            self.reader.form_type(content_type)  # before reading the body
            body = await self.reader.read_body(request)
            form = self.reader.parse(content_type, body)
            clean = check_submission(form, self.edition_of(form))  # its problems in the form's language
        except Refused as refused:
            briefing = (form.get(BRIEFING) or [""])[0]
            if refused.status == 429 and not wants_json(request):
                briefing = await self.posted_briefing(request)
            return self.answer(request, refused.status, {"form": refused.message}, refused.headers, briefing=briefing)
        except SubmissionRejected as rejection:
            briefing = (form.get(BRIEFING) or [""])[0]
            edition = self.edition_of(form)
            return self.answer(request, 400, rejection.errors, briefing=briefing, answers=True, edition=edition)
        edition = self.edition_of(form)
        try:
            row_id, created = await run_in_threadpool(self.store.add, clean)
        except SQLAlchemyError as error:
            self.writes.found(reason(error))
            message = edition.strings["feedback_service_not_stored_now"]
            return self.answer(
                request, 503, {"form": message}, {"Retry-After": "60"}, briefing=clean[BRIEFING], edition=edition
            )
        self.writes.found(None)
        status = 201 if created else 200
        return self.answer(request, status, {}, briefing=clean[BRIEFING], row_id=row_id, edition=edition)

    def edition_of(self, form: dict[str, list[str]]) -> Content:
        """The content in the language of the page a form was sent from (English if it says none)."""
        language = (form.get(LANGUAGE) or [""])[0]
        return self.editions.get(language, self.content)

    async def posted_briefing(self, request: Request) -> str:
        """The briefing a post is about, read from its body (``""`` if it cannot be read): for the
        page refusing a post before its body was read, so it can link back to the briefing."""
        try:
            body = await self.reader.read_body(request)
            form = self.reader.parse(request.headers.get("content-type", ""), body)
        except Refused:
            return ""
        return (form.get(BRIEFING) or [""])[0]

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
        edition: Content | None = None,
    ) -> Response:
        """The JSON or HTML answer to a post; ``answers`` when ``errors`` are about the answers;
        the page in the language of ``edition`` (the content in the form's language)."""
        content = edition or self.content
        headers = {**(headers or {}), "Cache-Control": "no-store"}
        if wants_json(request):
            body = {"ok": True, "id": row_id} if row_id is not None else {"ok": False, "errors": errors}
            return JSONResponse(body, status_code=status, headers=headers)
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        entry = next((entry for entry in content.reviews if entry.review.id == briefing), None)
        page = render(
            PAGE,
            content.strings,
            site_name=content.settings.site_name,
            link=self.link_back(request, briefing, content),
            row_id=row_id,
            repeated=status == 200,
            briefing_title=entry.review.title if entry is not None else None,
            problems=self.problems(briefing, errors, content),
            answers=answers,
            contact_email=content.settings.contact_email,
            language=content.language,
        )
        return HTMLResponse(page, status_code=status, headers=headers)

    def link_back(self, request: Request, briefing: str, content: Content) -> Link | None:
        """Where the page links back to: the briefing on the site (``site_url``); else the page
        that sent the form, when the browser gave its address and it is on an allowed origin;
        else the briefing's address on the allowed origin that sent the form (a browser sends
        only the origin of a page on another site); else nowhere."""
        known = briefing in self.entries
        to_briefing = content.strings["feedback_service_back_to_briefing"]
        site_url = content.settings.site_url  # a Welsh edition's is the Welsh pages' (under cy/)
        if site_url and origin_of(site_url):
            base = site_url if site_url.endswith("/") else site_url + "/"
            if known:
                return Link(base + f"reviews/{briefing}/", to_briefing)
            return Link(base + "reviews/", content.strings["feedback_service_back_to_site"])
        referer = request.headers.get("referer", "")
        if referer and origin_of(referer) in self.allowed and urlsplit(referer).path not in ("", "/"):
            return Link(referer, to_briefing)
        origin = request_origin(request.headers)
        if known and origin in self.allowed:
            return Link(f"{origin}/{language_root(content.language)}reviews/{briefing}/", to_briefing)
        return None

    def problems(self, briefing: str, errors: dict[str, str], content: Content) -> list[tuple[str, str]]:
        """Each problem as (the label of its field, or ``""`` for the whole form; the message)."""
        labels = {BRIEFING: content.strings["feedback_briefing"]}
        entry = next((entry for entry in content.reviews if entry.review.id == briefing), None)
        if entry is not None:
            for field in form_fields(content.settings.feedback, reflection_questions(entry)):
                labels[field.name] = field.label
        return [(labels.get(name, name) if name != "form" else "", message) for name, message in errors.items()]


def wants_json(request: Request) -> bool:
    """Whether the client asks for JSON (the site's script does), not a page."""
    return "application/json" in request.headers.get("accept", "").lower()

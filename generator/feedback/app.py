"""The feedback service as a Starlette app: its routes, CORS and database, for one process or
for each of ``briefings feedback serve --workers N`` (made by ``create_app_from_environment`` from
the settings the command puts in ``SETTINGS_VARIABLE``)."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from generator.build import Project, check
from generator.feedback.access import FeedbackCORS
from generator.feedback.service import FeedbackService
from generator.feedback.store import Store

SETTINGS_VARIABLE = "LEARNING_LESSONS_FEEDBACK_SERVICE"
"""The environment variable through which ``serve --workers N`` gives each process its settings."""


def create_app(
    project: Project,
    db: str | Path,
    allowed_origins: list[str],
    rate_limit_per_minute: int = 30,
    max_body_bytes: int = 65536,
    sqlite_synchronous: str = "normal",
) -> Starlette:
    """The feedback service for ``project``, storing into the database ``db`` (a SQLite file's
    path, or a ``sqlite:///`` or ``postgresql://`` URL), whose schema is brought up to date.

    The content is checked once, here (``ContentErrors`` if it has errors): the service checks
    submissions against the same field settings the site's form was generated from. Restart it
    after publishing new briefings. ``DatabaseUnavailable`` if the database cannot be opened."""
    content = check(project)
    store = Store(db, synchronous=sqlite_synchronous)
    try:
        service = FeedbackService(content, store, allowed_origins, rate_limit_per_minute, max_body_bytes)
    except BaseException:
        store.close()
        raise

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    app = Starlette(
        routes=[
            Route("/feedback", service.feedback, methods=["POST"]),
            Route("/health", service.health, methods=["GET"]),
        ],
        middleware=[Middleware(FeedbackCORS, allow_origins=sorted(service.allowed))],
        lifespan=lifespan,
    )
    app.state.service = service
    return app


@dataclass(frozen=True)
class ServiceSettings:
    """What ``create_app`` needs, as ``serve --workers N`` hands it to each process."""

    project: str
    db: str
    allowed_origins: list[str]
    rate_limit_per_minute: int
    sqlite_synchronous: str

    def to_environment(self) -> None:
        """Put these settings where ``create_app_from_environment`` finds them."""
        os.environ[SETTINGS_VARIABLE] = json.dumps(asdict(self))


def create_app_from_environment() -> Starlette:
    """The service as ``ServiceSettings.to_environment`` describes it: uvicorn's app factory for
    each process of ``serve --workers N``."""
    settings = ServiceSettings(**json.loads(os.environ[SETTINGS_VARIABLE]))
    return create_app(
        Project(Path(settings.project)),
        settings.db,
        settings.allowed_origins,
        rate_limit_per_minute=settings.rate_limit_per_minute,
        sqlite_synchronous=settings.sqlite_synchronous,
    )

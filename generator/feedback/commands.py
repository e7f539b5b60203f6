"""``briefings feedback serve``, ``briefings feedback migrate`` and ``briefings feedback report``."""

from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from generator.build import Project, check
from generator.cli_common import project_option, report_errors
from generator.errors import ContentErrors
from generator.pipeline.load import SUMMARY_FILE


@click.group()
def feedback() -> None:
    """Receive feedback from the form on every briefing, and report on it."""


db_option = click.option(
    "--db",
    required=True,
    metavar="URL|PATH",
    help="The database: a SQLite file's path (created if missing), sqlite:///path, or "
    "postgresql://user:password@host/database.",
)


def fail(error: Exception) -> NoReturn:
    """Stop the command with ``error`` on one line, no traceback."""
    click.secho(f"Error: {error}", fg="red", err=True)
    sys.exit(1)


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the service's own messages (``learning_lessons``) shown the same way."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["learning_lessons"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


@feedback.command("serve")
@project_option
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--allow-origin",
    "allow_origins",
    multiple=True,
    help="An origin (https://example.org) whose pages may send feedback; repeat for more. "
    "Default: the origin of site_url in content/settings.yml.",
)
@click.option(
    "--rate-limit",
    default=30,
    show_default=True,
    type=click.IntRange(min=1),
    help="The most submissions one address may send per minute (counted in each process).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Service processes to run; more than one is for PostgreSQL, or SQLite on one host.",
)
@click.option(
    "--forwarded-allow-ips",
    default=None,
    help="The addresses of the reverse proxies whose X-Forwarded-For header gives the client's "
    "address (comma-separated). Default: 127.0.0.1, or $FORWARDED_ALLOW_IPS.",
)
@click.option(
    "--sqlite-synchronous",
    type=click.Choice(["normal", "full"]),
    default="normal",
    show_default=True,
    help="SQLite only: 'full' makes every stored submission survive a power cut, at some speed.",
)
def serve_command(
    root: Path,
    db: str,
    host: str,
    port: int,
    allow_origins: tuple[str, ...],
    rate_limit: int,
    workers: int,
    forwarded_allow_ips: str | None,
    sqlite_synchronous: str,
) -> None:
    """Run the feedback service (POST /feedback, GET /health) until stopped with Ctrl+C."""
    import uvicorn

    from generator.feedback.access import origin_of
    from generator.feedback.app import ServiceSettings, create_app
    from generator.feedback.database import DatabaseUnavailable
    from generator.feedback.store import Store

    project = Project(root)
    try:
        content = check(project)
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    origins = list(allow_origins)
    bad = [origin for origin in origins if origin_of(origin) is None]
    if bad:
        raise click.BadParameter(f"not an http(s) origin: {', '.join(bad)}", param_hint="--allow-origin")
    if not origins:
        default = origin_of(content.settings.site_url or "")
        if default is None:
            raise click.UsageError(
                "no site_url in content/settings.yml to accept feedback from: "
                "give the site's origin with --allow-origin https://your-site.example"
            )
        origins = [default]
    if content.settings.feedback.delivery != "service":
        click.secho(
            f"Note: feedback.delivery in content/settings.yml is {content.settings.feedback.delivery!r}, "
            "so the form on the site does not post to this service; set it to 'service' with its endpoint.",
            fg="yellow",
            err=True,
        )
    options: dict[str, Any] = {"host": host, "port": port, "server_header": False, "log_level": "info"}
    options.update(log_config=log_config(), forwarded_allow_ips=forwarded_allow_ips)
    try:
        if workers == 1:
            app = create_app(
                project, db, origins, rate_limit_per_minute=rate_limit, sqlite_synchronous=sqlite_synchronous
            )
            where = app.state.service.store.where
        else:
            with Store(db, synchronous=sqlite_synchronous) as store:  # migrated once, before the processes start
                where = store.where
            settings = ServiceSettings(str(project.root), db, origins, rate_limit, sqlite_synchronous)
            settings.to_environment()
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    except DatabaseUnavailable as error:
        fail(error)
    click.echo(f"Accepting feedback on {len(content.reviews)} briefing(s) from {', '.join(sorted(set(origins)))}")
    processes = f" in {workers} processes" if workers > 1 else ""
    click.echo(f"Storing in {where}; listening on http://{host}:{port}/feedback{processes}")
    if workers == 1:
        uvicorn.run(app, **options)
    else:
        uvicorn.run(f"{create_app.__module__}:create_app_from_environment", factory=True, workers=workers, **options)


@feedback.command("migrate")
@db_option
def migrate_command(db: str) -> None:
    """Create the feedback database's tables, or bring them up to date (the service does this
    too when it starts)."""
    from generator.feedback.database import DatabaseUnavailable
    from generator.feedback.schema import head
    from generator.feedback.store import Store

    try:
        with Store(db) as store:
            where, before, migrated = store.where, store.revision_before, store.migrated
    except DatabaseUnavailable as error:
        fail(error)
    if migrated:
        click.echo(f"Migrated {where} from revision {before or '(none: a new database)'} to {head()}")
    else:
        click.echo(f"{where} is up to date (revision {head()})")


@feedback.command("report")
@project_option
@click.option(
    "--db",
    required=True,
    metavar="URL|PATH",
    help="The database the service stores submissions in (read only; never created).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("feedback-report"),
    show_default=True,
    help="The folder to write the report into.",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Also copy summary.json (no personal data) to content/feedback-summary.json, for the site "
    "to publish when feedback.publish_summary is true in the settings.",
)
def report_command(root: Path, db: str, out_dir: Path, publish: bool) -> None:
    """Write feedback.csv, report.md, report.html and summary.json from the stored feedback."""
    from generator.feedback.database import DatabaseUnavailable
    from generator.feedback.report import write_report

    try:
        paths = write_report(Project(root), db, out_dir)
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    except DatabaseUnavailable as error:
        fail(error)
    for path in paths:
        click.echo(f"Wrote {path}")
    if publish:
        target = Project(root).content_dir / SUMMARY_FILE
        shutil.copyfile(out_dir / "summary.json", target)
        click.echo(f"Wrote {target}; run briefings build to publish it")

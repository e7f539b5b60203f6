"""``briefings feedback serve`` and ``briefings feedback report``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from generator.build import Project, check
from generator.cli_common import project_option, report_errors
from generator.errors import ContentErrors
from generator.pipeline.load import SUMMARY_FILE


@click.group()
def feedback() -> None:
    """Receive feedback from the form on every briefing, and report on it."""


@feedback.command("serve")
@project_option
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The SQLite file to store submissions in (created if missing).",
)
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
    help="The most submissions one address may send per minute.",
)
def serve_command(root: Path, db: Path, host: str, port: int, allow_origins: tuple[str, ...], rate_limit: int) -> None:
    """Run the feedback service (POST /feedback, GET /health) until stopped with Ctrl+C."""
    import uvicorn

    from generator.feedback.access import origin_of
    from generator.feedback.service import create_app

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
    try:
        app = create_app(project, db, origins, rate_limit_per_minute=rate_limit)
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    click.echo(f"Accepting feedback on {len(content.reviews)} briefing(s) from {', '.join(sorted(set(origins)))}")
    click.echo(f"Storing in {db}; listening on http://{host}:{port}/feedback")
    uvicorn.run(app, host=host, port=port, server_header=False, log_level="info")


@feedback.command("report")
@project_option
@click.option(
    "--db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The SQLite file the service stores submissions in.",
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
def report_command(root: Path, db: Path, out_dir: Path, publish: bool) -> None:
    """Write feedback.csv, report.md, report.html and summary.json from the stored feedback."""
    from generator.feedback.report import write_report

    try:
        paths = write_report(Project(root), db, out_dir)
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    for path in paths:
        click.echo(f"Wrote {path}")
    if publish:
        target = Project(root).content_dir / SUMMARY_FILE
        shutil.copyfile(out_dir / "summary.json", target)
        click.echo(f"Wrote {target}; run briefings build to publish it")

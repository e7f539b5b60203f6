"""The ``briefings`` command: build, check, serve and new."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from generator.build import Project, build, check
from generator.cli_common import project_option, report_errors
from generator.errors import ContentErrors, LearningLessonsError
from generator.feedback.commands import feedback
from generator.model.schema import KEY_PATTERN
from generator.scaffold import new_review_text

strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Treat the anonymity check's findings, and text with no Welsh on a site in Welsh, as errors, not "
    "warnings (plain-English findings stay warnings).",
)


def _report_warnings(content) -> None:
    if content.warnings:
        click.echo("\n".join(str(warning) for warning in content.warnings), err=True)
        click.secho(
            f"{len(content.warnings)} warning(s) from the anonymity and plain-English checks"
            f"{' and the check for text with no Welsh' if content.translations else ''}: check each before publishing.",
            fg="yellow",
            err=True,
        )


@click.group()
@click.version_option(package_name="learning-lessons")
def main() -> None:
    """Learning Lessons: turn case-review content into briefings and a searchable site."""


@main.command("build")
@project_option
@strict_option
def build_command(root: Path, strict: bool) -> None:
    """Check content, write briefings/ and build the site into site/."""
    project = Project(root)
    try:
        content, report = build(project, strict=strict)
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    except LearningLessonsError as failure:
        click.secho(str(failure), fg="red", err=True)
        sys.exit(1)
    _report_warnings(content)
    click.echo(
        f"Built {len(content.reviews)} briefing(s): {len(report.written)} page(s) written, "
        f"{report.unchanged} unchanged, {len(report.removed)} removed; site in {project.site_dir}"
    )


@main.command("collect")
@project_option
@click.option("--no-build", is_flag=True, help="Only fetch the sources and write the review files; build later.")
@strict_option
def collect_command(root: Path, no_build: bool, strict: bool) -> None:
    """Collect the boards' learning.json listed in content/collection.yml, then build the site."""
    from generator.collecting.run import collect

    try:
        collected = collect(root)
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    for line in collected.lines():
        click.echo(line, err=True)
    click.echo(
        f"Collected {len(collected.fetched)} source(s): {len(collected.written)} review file(s) written, "
        f"{collected.unchanged} unchanged, {len(collected.removed)} removed."
    )
    if not no_build:
        build_command.callback(root, strict)  # type: ignore[misc]


@main.command("check")
@project_option
@strict_option
def check_command(root: Path, strict: bool) -> None:
    """Check content only; exit non-zero if there is any error."""
    try:
        content = check(Project(root), strict=strict)
    except ContentErrors as failure:
        report_errors(failure)
        sys.exit(1)
    _report_warnings(content)
    click.echo(f"Content is valid: {len(content.reviews)} published briefing(s).")


@main.command("serve")
@project_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--drafts", is_flag=True, help="Also show drafts and embargoed reviews, marked not for publication.")
def serve_command(root: Path, dev_addr: str, drafts: bool) -> None:
    """Preview the site; rebuild and reload the page whenever content/ changes."""
    from generator.preview.serve import serve

    serve(Project(root), dev_addr, drafts)


@main.command("new")
@project_option
@click.argument("review_id")
def new_command(root: Path, review_id: str) -> None:
    """Write content/reviews/REVIEW_ID.md with every field, ready to fill in."""
    if not re.match(KEY_PATTERN, review_id):
        raise click.BadParameter(
            "use lowercase letters, digits and hyphens, e.g. kent-2024-child-a", param_hint="REVIEW_ID"
        )
    target = Project(root).content_dir / "reviews" / f"{review_id}.md"
    if target.exists():
        raise click.ClickException(f"{target} already exists; choose another id")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(new_review_text(review_id), encoding="utf-8")
    click.echo(f"Wrote {target} (status: draft). Fill it in, then run: briefings check")


main.add_command(feedback)


@main.command("import")
@project_option
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "review_id", help="The review's id (default: board, year and pseudonym from the report).")
@click.option("--board", help="The board or partnership that published it, if the report does not say in full.")
@click.option("--force", is_flag=True, help="Replace content/reviews/ID.md if it exists.")
def import_command(root: Path, report: Path, review_id: str | None, board: str | None, force: bool) -> None:
    """Draft content/reviews/ID.md (status: draft) from a report: PDF, Word .docx, HTML or text."""
    from generator.importing.read import ImportFailure
    from generator.importing.run import import_report

    def progress(page: int, pages: int) -> None:
        if pages >= 20 and (page % 10 == 0 or page == pages):
            click.echo(f"read page {page} of {pages}", err=True)

    try:
        imported = import_report(Project(root).content_dir, report, review_id, board, force, progress)
    except ImportFailure as failure:
        click.secho(str(failure), fg="red", err=True)
        sys.exit(1)
    click.echo(imported.report)


@main.command("schema")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write it to this file (default: print it)."
)
def schema_command(out: Path | None) -> None:
    """Write the JSON Schema of a review's front matter, for an editor's YAML language server."""
    from generator.importing.schema import review_schema_text

    text = review_schema_text()
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}")

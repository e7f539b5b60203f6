"""What every ``briefings`` command shares: the project option and how content errors print."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import ContentErrors

project_option = click.option(
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project folder (holding content/ and mkdocs.yml).",
)


def report_errors(failure: ContentErrors) -> None:
    """Print every content error as ``path:line: field: message``, then the count; no traceback."""
    click.echo(str(failure), err=True)
    click.secho(f"{len(failure.errors)} error(s); nothing was published.", fg="red", err=True)

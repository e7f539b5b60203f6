"""``briefings serve``: a local preview that rebuilds and reloads when content changes.

The generator watches ``content/`` and rewrites only the pages whose text changed; MkDocs'
own server watches those pages, rebuilds the site and reloads the open browser tab. MkDocs'
server is started directly with live reload on, because its command line's ``--livereload``
flag is lost with newer ``click`` releases.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import click
from mkdocs.commands.serve import serve as mkdocs_serve
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build import Project, generate
from generator.errors import ContentErrors
from generator.site import config_overrides


class _Debounced(FileSystemEventHandler):
    """Calls ``action`` once a burst of file events has been quiet for ``delay`` seconds."""

    def __init__(self, action: Callable[[], None], delay: float = 0.2) -> None:
        self.action = action
        self.delay = delay
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.delay, self.action)
            self.timer.daemon = True
            self.timer.start()


def regenerate(project: Project, drafts: bool = False) -> bool:
    """Rewrite the pages from content; on errors print them and leave the pages as they were."""
    try:
        _, report = generate(project, drafts)
    except ContentErrors as failure:
        click.secho(
            f"Content has {len(failure.errors)} error(s); the preview keeps the last good pages:", fg="red", err=True
        )
        click.echo(str(failure), err=True)
        return False
    changed = report.written + report.removed
    if changed:
        click.echo(
            f"Regenerated {len(changed)} page(s): {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}",
            err=True,
        )
    return True


def serve(project: Project, dev_addr: str, drafts: bool = False) -> None:
    """Generate the pages, watch ``content/`` and run MkDocs' live-reloading server. With
    ``drafts``, drafts and embargoed reviews are shown too, each under a "not for publication"
    banner; the preview is served from a temporary folder and never touches ``site/``."""
    try:
        site, _ = generate(project, drafts)
    except ContentErrors as failure:
        click.echo(str(failure), err=True)
        raise SystemExit(1) from None
    observer = Observer()
    observer.schedule(_Debounced(lambda: regenerate(project, drafts)), str(project.content_dir), recursive=True)
    observer.daemon = True
    observer.start()
    try:
        mkdocs_serve(
            config_file=str(project.config_file),
            livereload=True,
            dev_addr=dev_addr,
            **config_overrides(site.settings),
        )
    finally:
        observer.stop()

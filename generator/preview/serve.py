"""``briefings serve``: a local preview that shows an author's edit at once.

The preview checks the content and plans its pages, starts a MkDocs build without its pages
(``LiveSite``, in memory, into a temporary folder) and serves at once: a page is rendered,
written and built when a browser first asks for it, while a background worker builds the rest
(a page asked for goes first). When a file in ``content/`` changes, in two steps:

1. The edited reviews' own pages (briefing, record, session plan, 7-minute briefing) are
   rendered, written if their text changed, rebuilt by MkDocs one page at a time, and the open
   browser tab reloads: well under a second, however many reviews the site has.
2. Then every page is rendered again and those whose text changed (theme and agency pages,
   lists, other briefings' "related" links) are rebuilt in the background. A new edit stops
   this step; its pages are rebuilt after the edit's own pages.

Content files unchanged since the last rebuild are not read again. PDFs are made by
``briefings build``, not by the preview; the ones already in ``briefings/pdf/`` are kept.
"""

from __future__ import annotations

import dataclasses
import gc
import posixpath
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build import Project
from generator.errors import ContentErrors
from generator.model import addresses
from generator.model.content import Content
from generator.pipeline import mkdocs_internals as internals
from generator.pipeline.load import FileCache, load
from generator.pipeline.render import render
from generator.pipeline.render.page import PlannedPage, render_page
from generator.pipeline.render.plan import plan
from generator.pipeline.site import config_overrides
from generator.pipeline.validate import validate
from generator.pipeline.write import WriteReport, write_pages
from generator.preview.live import LiveSite

PDF_FOLDER = addresses.PDF_FOLDER
"""PDFs in the docs_dir, which the preview keeps but does not make."""

CHUNK = 20
"""Pages rebuilt between checks for a newer edit in the background step."""

FILL_CHUNK = 5
"""Pages the background worker builds at a time after start-up, between checks for a page a
browser asks for (about 30 ms a page)."""


class _Changes(FileSystemEventHandler):
    """Collects the paths of changed files and calls ``action`` once a burst of file events
    has been quiet for ``delay`` seconds."""

    def __init__(self, action: Callable[[], None], delay: float = 0.05) -> None:
        self.action = action
        self.delay = delay
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()
        self.paths: set[Path] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory:
            return
        with self.lock:
            self.paths.update(Path(str(path)) for path in (event.src_path, getattr(event, "dest_path", "")) if path)
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.delay, self.action)
            self.timer.daemon = True
            self.timer.start()

    def take(self) -> set[Path]:
        """The paths changed since the last call."""
        with self.lock:
            paths, self.paths = self.paths, set()
        return paths


class ReloadServer(LiveReloadServer):
    """MkDocs' live-reload server, told by the preview when to reload the open pages rather
    than watching files itself. If MkDocs' internals for that have changed, pages are served
    without reloading and the preview says so once."""

    def __init__(self, *args: Any, before_serving: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_serving = before_serving
        """Called with the path in the site of each file asked for, before it is served."""
        self.reloads = True
        try:
            internals.inject_reload_script(self)
        except internals.FAILURES as failure:
            self.cannot_reload(failure)

    def cannot_reload(self, failure: Exception) -> None:
        self.reloads = False
        click.secho(f"Note: open pages will not reload by themselves ({failure!r}); reload them by hand.", err=True)

    def serve_request(self, environ: dict, start_response: Callable) -> Any:
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
        if self.before_serving is not None and (path + "/").startswith(self.mount_path):
            relative = path[len(self.mount_path) :] + ("index.html" if path.endswith("/") else "")
            try:
                self.before_serving(posixpath.normpath("/" + relative).lstrip("/"))
            except Exception as error:  # a bug: say so, serve what there is
                click.secho(f"The preview could not build {path}: {error!r}", fg="red", err=True)
        return super().serve_request(environ, start_response)

    def reload_browsers(self) -> None:
        if not self.reloads:
            return
        try:
            internals.reload_browsers(self)
        except internals.FAILURES as failure:
            self.cannot_reload(failure)


class Preview:
    """The content, pages and site of a running preview, kept up to date as content changes."""

    def __init__(self, project: Project, drafts: bool, site_dir: Path) -> None:
        self.project = project
        self.drafts = drafts
        self.cache: FileCache = {}
        self.live: LiveSite | None = None
        self.site_dir = site_dir
        self.stale: set[str] = set()
        self.changes = _Changes(self.wake)
        self.wanted = threading.Event()
        self.lock = threading.Lock()
        self.server: ReloadServer | None = None
        self.content: Content | None = None
        """The content the pages not written yet are rendered from."""
        self.unwritten: dict[str, PlannedPage] = {}
        """Pages planned at start-up and not written yet, by path under the docs_dir."""
        self.site_lock = threading.RLock()
        """Held while the MkDocs build or the pages it is built from change."""
        self.asked = threading.Condition()
        self.asking = 0
        """Browser requests waiting for their page: the background worker lets them go first."""
        self.filling = False
        """Pages are still being built after start-up."""
        self.started = time.perf_counter()

    def check(self) -> Content | None:
        """Load (changed files only) and validate; on errors print them and return None."""
        try:
            # The preview shows no warnings: the anonymity and plain-English checks are for a build.
            content = validate(load(self.project.content_dir, self.cache), drafts=self.drafts, warnings=False)
        except ContentErrors as failure:
            kept = "; the preview keeps the last good pages" if self.live is not None else ""
            click.secho(f"Content has {len(failure.errors)} error(s){kept}:", fg="red", err=True)
            click.echo(str(failure), err=True)
            return None
        # The preview makes no PDFs or Word files, so its pages do not link to them.
        settings = content.settings.model_copy(update={"make_pdfs": False, "make_word": False})
        return dataclasses.replace(content, settings=settings)

    def start(self) -> Content:
        """Check the content, plan its pages and start the site without them: each page is
        written and built when first asked for (``serve_page``) or by ``fill``."""
        self.started = time.perf_counter()
        content = self.check()
        if content is None:
            raise SystemExit(1)
        self.content = content
        planned = plan(content)
        self.live = LiveSite(self.project.config_file, self.site_dir, config_overrides(content.settings))
        if self.live.page_by_page_off:
            click.secho(f"Note: each edit rebuilds the whole preview ({self.live.page_by_page_off}).", err=True)
            write_pages(render(content), self.project.docs_dir, keep=PDF_FOLDER)
            self.live.build()
            return content
        self.unwritten = dict(planned)
        # The home page first: it is the first asked for, and its folder is the docs_dir.
        home = addresses.HOME
        write_pages({home: render_page(content, home, self.unwritten.pop(home))}, self.project.docs_dir, prune=False)
        self.live.start(planned, leave_out=PDF_FOLDER)
        self.filling = True
        return content

    def serve_page(self, site_path: str) -> None:
        """Build the page whose HTML is at ``site_path`` in the site now, if it is not built yet:
        a browser is asking for it."""
        if self.live is None or self.live.page_at(site_path) is None:
            return
        with self.asked:
            self.asking += 1
        try:
            with self.site_lock:
                path = self.live.page_at(site_path)
                if path is not None:
                    self._make([path])
        finally:
            with self.asked:
                self.asking -= 1
                self.asked.notify_all()

    def _make(self, paths: list[str]) -> None:
        """Write those of the pages at ``paths`` not written yet, and build those not built yet."""
        live, content = self.live, self.content
        if live is None or content is None:
            return
        pages = {path: render_page(content, path, self.unwritten.pop(path)) for path in paths if path in self.unwritten}
        write_pages(pages, self.project.docs_dir, prune=False)
        how = live.build_pages(paths)
        if live.page_by_page_off:  # it fell back to a full build: it needs every page written
            write_pages(render(content), self.project.docs_dir, keep=PDF_FOLDER)
            self.unwritten.clear()
            live.build()
            self.filling = False
            click.secho(f"Note: {how}.", err=True)

    def fill(self) -> bool:
        """Build a few of the pages not built yet (after any a browser is waiting for); once
        every page is built, finish the site. Return whether there are pages still to build."""
        with self.asked:
            self.asked.wait_for(lambda: self.asking == 0)
        with self.site_lock:
            live = self.live
            if live is None or not self.filling:
                return False
            if live.pending:
                self._make(live.next_pending(FILL_CHUNK))
                return True
            if live.left_out and self.content is not None:  # pages of an earlier run: removed now
                write_pages(render(self.content), self.project.docs_dir, keep=PDF_FOLDER)
                live.left_out = []
            live.finish()
            self.filling = False
        # What is built now mostly stays: keep the garbage collector from walking it after
        # every edit (a full collection over 1,000 reviews' objects takes about a second).
        gc.collect()
        gc.freeze()
        click.echo(f"Built every page ({len(live.addresses)}) in {time.perf_counter() - self.started:.1f} s", err=True)
        return False

    def wake(self) -> None:
        self.wanted.set()

    def run(self) -> None:
        """The worker: the pages not built yet after start-up, then one rebuild at a time, for
        as long as the preview runs. An edit comes before the pages not built yet."""
        while True:
            if self.filling and not self.wanted.is_set():
                try:
                    self.fill()
                except Exception as error:  # a bug: say so, keep serving (each page is built when asked for)
                    self.filling = False
                    click.secho(f"The preview could not build its pages: {error!r}", fg="red", err=True)
                continue
            self.wanted.wait()
            self.wanted.clear()
            try:
                with self.lock:
                    self.rebuild(self.changes.take())
            except Exception as error:  # a bug: say so, keep the preview running
                click.secho(f"The preview could not rebuild: {error!r}", fg="red", err=True)

    def rebuild(self, paths: set[Path]) -> None:
        started = time.perf_counter()
        content = self.check()
        if content is None or self.live is None:
            return
        root = self.project.root.resolve()
        edited = {path.resolve().relative_to(root).as_posix() for path in paths if path.suffix == ".md"}
        ids = {entry.review.id for entry in content.reviews if entry.source in edited}
        first: WriteReport | None = None
        if ids:
            own = dict(render(content, only=ids))  # rendered before the site is locked
            with self.site_lock:
                first = write_pages(own, self.project.docs_dir, prune=False)
                for path in own:
                    self.unwritten.pop(path, None)
                if first.written:
                    self.live.update(first.written, [], index=False)
            self.reload()
            click.echo(
                f"Rebuilt {', '.join(sorted(ids))} in {time.perf_counter() - started:.2f} s; updating related pages",
                err=True,
            )
        if self.wanted.is_set():
            return  # a newer edit: its own pages come first
        pages = dict(render(content))  # rendered before the site is locked
        with self.site_lock:
            report = write_pages(pages, self.project.docs_dir, keep=PDF_FOLDER)
            self.content, self.unwritten = content, {}
            self.live.left_out = []  # removed by that write
        overrides = config_overrides(content.settings)
        if overrides != self.live.overrides:  # the site's name or quick exit: every page changes
            with self.site_lock:
                self.live = LiveSite(self.project.config_file, self.site_dir, overrides)
                if self.live.page_by_page_off:
                    self.live.build()
                else:
                    self.live.start(pages, leave_out=PDF_FOLDER)
                    self.started, self.filling = started, True
            self.stale.clear()
            self.reload()
            click.echo(f"Restarted the whole preview in {time.perf_counter() - started:.1f} s", err=True)
            return
        # A page planned but not yet built that the content no longer has (a review removed or
        # made a draft, a theme no longer used) was never written, so the write does not list it.
        removed = sorted(set(report.removed) | {path for path in self.live.pending if path not in pages})
        del pages
        # Pages not built yet need no rebuilding: they are built from what was just written.
        self.stale.update(path for path in report.written if path not in self.live.pending)
        self.stale.difference_update(removed)
        if removed:
            with self.site_lock:
                self.live.update([], removed)
        pending = sorted(self.stale)
        done = 0
        while pending and not self.wanted.is_set():
            chunk, pending = pending[:CHUNK], pending[CHUNK:]
            with self.site_lock:
                self.live.update(chunk, [], index=False)
            self.stale.difference_update(chunk)
            done += len(chunk)
        if self.stale:
            return
        with self.site_lock:
            self.live.write_index()
        if first is None or report.removed:
            self.reload()
        click.echo(f"Updated {done} more page(s) in {time.perf_counter() - started:.2f} s", err=True)

    def reload(self) -> None:
        if self.server is not None:
            self.server.reload_browsers()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(project: Project, dev_addr: str, drafts: bool = False) -> None:
    """Build the preview, watch ``content/`` and serve the site with live reload. With
    ``drafts``, drafts and embargoed reviews are shown too, each under a "not for publication"
    banner; the preview is served from a temporary folder and never touches ``site/``."""
    site_dir = Path(tempfile.mkdtemp(prefix="briefings-preview-"))
    preview = Preview(project, drafts, site_dir)
    try:
        click.echo("Checking the content...", err=True)
        content = preview.start()
        click.echo(
            f"Checked {len(content.reviews)} briefing(s) in {time.perf_counter() - preview.started:.1f} s; "
            "each page is built when first asked for, the rest in the background",
            err=True,
        )
        host, port = dev_addr.rsplit(":", 1)
        mount_path = urlsplit(content.settings.site_url or "/").path
        server = ReloadServer(
            builder=lambda: None,
            host=host,
            port=int(port),
            root=str(site_dir),
            mount_path=mount_path,
            before_serving=preview.serve_page,
        )
        server.error_handler = lambda code: (site_dir / "404.html").read_bytes() if code == 404 else None
        preview.server = server
        threading.Thread(target=preview.run, daemon=True).start()
        observer = Observer()
        observer.schedule(preview.changes, str(project.content_dir), recursive=True)
        observer.daemon = True
        observer.start()
        click.echo(f"Serving on {server.url} (Ctrl+C to stop)", err=True)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            server.serve()
        except KeyboardInterrupt:
            click.echo("Stopping the preview.", err=True)
        finally:
            server.shutdown()
            observer.stop()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)

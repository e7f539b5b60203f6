"""A MkDocs build kept in memory for the preview, so that an edit rebuilds only its pages.

The build is started without its pages (``LiveSite.start``): each page is built when it is
first asked for, or by the preview's background work. It builds single pages with MkDocs' own
steps and edits Material's search index in place, through
``generator.pipeline.mkdocs_internals``; if those internals have changed (an upgrade), or a
page-by-page update is not possible, it builds the whole site instead and says why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from generator.pipeline import mkdocs_internals as internals
from generator.pipeline.site import add_pack_pages


class KeepBuildState(BasePlugin):
    """Keeps what a MkDocs build worked out (files, navigation, template environment) so that a
    ``LiveSite`` can rebuild single pages afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None

    def on_nav(self, nav: Navigation, files: Files, **kwargs: object) -> Navigation:
        self.nav, self.files = nav, files
        return nav

    def on_env(self, env: jinja2.Environment, files: Files, **kwargs: object) -> jinja2.Environment:
        self.env, self.files = env, files
        return env


class NeedsFullBuild(Exception):
    """An edit the page-by-page update cannot make."""


class LiveSite:
    """A MkDocs build kept in memory for a preview: after an edit, only the pages whose
    Markdown changed are converted and written again, and the search index is brought up to
    date, instead of building the whole site. A page added or removed outside the navigation
    (a review's pages) is added or removed on its own; anything else rebuilds the whole site."""

    def __init__(self, config_file: Path, site_dir: Path, overrides: dict, page_by_page: bool = True) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.overrides = overrides
        self.keep = KeepBuildState()
        self.config: MkDocsConfig | None = None
        self.pending: set[str] = set()
        """The pages (paths under the docs_dir) not built yet since ``start``."""
        self.queue: deque[str] = deque()
        """The pages not built yet, in the order of the site's files (home and list pages first)."""
        self.left_out: list[str] = []
        """Markdown files in the docs_dir that ``start`` left out of the site."""
        self.addresses: dict[str, str] = {}
        """The pages (paths under the docs_dir) by where their HTML goes in the site, since ``start``."""
        self.page_by_page_off = "" if page_by_page else "page-by-page updates are off"
        """Why edits rebuild the whole site, if they do."""
        if page_by_page:
            try:
                internals.check_preview()
            except internals.InternalsChanged as change:
                self.page_by_page_off = f"MkDocs' internals have changed: {change}"

    def _config(self) -> MkDocsConfig:
        # Not strict: a preview shows what it can and says what is wrong.
        config = load_config(str(self.config_file), site_dir=str(self.site_dir), strict=False, **self.overrides)
        config.plugins["learning-lessons/keep"] = self.keep
        return add_pack_pages(config)

    def build(self) -> None:
        """A full build, as ``mkdocs build`` makes it."""
        self.config = self._config()
        self.config.plugins.on_startup(command="serve", dirty=False)
        self.pending.clear()
        self.queue.clear()
        mkdocs_build(self.config)

    def start(self, pages: Collection[str], leave_out: str = "") -> None:
        """A build without its pages: the steps of ``mkdocs build`` before the pages are built
        (files, navigation, the theme's assets, 404 page and sitemap) and an empty search index.
        ``pages`` (paths under the docs_dir) are every page the site has, written or not yet;
        other Markdown files in the docs_dir (a removed review's, until the writer removes them:
        ``left_out``) and files under ``leave_out`` (a path prefix) are left out. Each page is
        then built by ``build_pages`` before it is served, and ``finish`` ends the build. The
        pages come out as a full build makes them, in the same order in the sitemap and the
        search index. Needs MkDocs' internals as expected (``page_by_page_off`` empty)."""
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        clean_directory(config.site_dir)
        found = [file for file in get_files(config) if not (leave_out and file.src_uri.startswith(leave_out))]
        kept = [file for file in found if not file.is_documentation_page() or file.src_uri in pages]
        self.left_out = [file.src_uri for file in found if file.is_documentation_page() and file.src_uri not in pages]
        known = {file.src_uri for file in kept}
        kept += [
            File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
            for path in pages
            if path not in known
        ]
        files = Files(sorted(kept, key=file_sort_key))  # as get_files lists them when all are written
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for file in files.documentation_pages():
            if file.page is None:
                Page(None, file, config)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files()
        for template in config.theme.static_templates:
            internals.build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            internals.build_extra_template(template, files, config, nav)
        self.config = config
        self.pending = {file.src_uri for file in files.documentation_pages()}
        self.queue = deque(file.src_uri for file in files.documentation_pages())
        self.addresses = {file.dest_uri: file.src_uri for file in files.documentation_pages()}
        try:
            self.write_index()
        except internals.InternalsChanged:
            pass  # a site without search

    def page_at(self, site_path: str) -> str | None:
        """The page not built yet (its path under the docs_dir) whose HTML is at ``site_path``
        in the site (``reviews/a/index.html``, or ``reviews/a`` for ``reviews/a/``), if any."""
        for candidate in (site_path, f"{site_path.rstrip('/')}/index.html"):
            path = self.addresses.get(candidate)
            if path in self.pending:
                return path
        return None

    def next_pending(self, count: int) -> list[str]:
        """Up to ``count`` of the pages not built yet, in the order of the site's files."""
        paths: list[str] = []
        while self.queue and len(paths) < count:
            path = self.queue.popleft()
            if path in self.pending:
                paths.append(path)
        return paths or sorted(self.pending)[:count]

    def build_pages(self, paths: list[str]) -> str:
        """Build those of the pages at ``paths`` (under the docs_dir) not built yet since
        ``start``; say how, as ``update`` does (the search index file is written by ``finish``)."""
        return self.update([path for path in paths if path in self.pending], [], index=False)

    def finish(self) -> None:
        """Once every page is built: check links to anchors across pages, as a build does, and
        write the search index."""
        files, config = self.keep.files, self.config
        if files is None or config is None:
            return
        order = {}
        for number, file in enumerate(files.documentation_pages()):
            if file.page is not None:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
                order[file.page.url] = number
        try:
            # In the order a full build gives (pages rebuilt after an edit add theirs at the end).
            internals.search_entries(config).sort(key=lambda entry: order.get(entry["location"].split("#")[0], -1))
            self.write_index()
        except internals.InternalsChanged:
            pass  # a site without search

    def update(self, changed: list[str], removed: list[str], index: bool = True) -> str:
        """Rebuild the pages at ``changed`` (paths under the docs_dir) and drop those at
        ``removed``; say how. Without ``index`` the search index file is written later, by
        ``write_index`` (for 1,000 reviews it is 20 MB, too slow to write for every page)."""
        try:
            if self.page_by_page_off:
                raise NeedsFullBuild(self.page_by_page_off)
            self._update(changed, removed)
            if index:
                self.write_index()
            return f"rebuilt {len(changed)} page(s)" + (f", removed {len(removed)}" if removed else "")
        except NeedsFullBuild as reason:
            self.build()
            return f"rebuilt the whole site ({reason})"
        except (internals.InternalsChanged, *internals.FAILURES) as failure:
            self.page_by_page_off = f"a page-by-page update failed: {failure!r}"
            self.build()
            return f"rebuilt the whole site ({self.page_by_page_off}; later edits rebuild it all too)"

    def _update(self, changed: list[str], removed: list[str]) -> None:
        files, nav, env, config = self.keep.files, self.keep.nav, self.keep.env, self.config
        if config is None or files is None or nav is None or env is None:
            raise NeedsFullBuild("no build yet")
        index = internals.search_entries(config)
        pages = []
        urls: set[str] = set()
        for path in removed:
            file = files.get_file_from_path(path)
            if file is None:
                continue  # never part of this build (see ``start``)
            if file.page is None or file.inclusion.is_in_nav():
                raise NeedsFullBuild(f"{path} is in the navigation")
            files.remove(file)
            Path(file.abs_dest_path).unlink(missing_ok=True)
            if path not in self.pending:
                urls.add(file.page.url)
            self.pending.discard(path)
        for path in changed:
            file = files.get_file_from_path(path)
            if file is None:
                file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
                set_exclusions([file], config)
                if file.inclusion != InclusionLevel.NOT_IN_NAV:
                    raise NeedsFullBuild(f"{path} is a new page in the navigation")
                files.append(file)
                Page(None, file, config)
            if file.page is None:
                raise NeedsFullBuild(f"{path} is not a page")
            if path not in self.pending:
                urls.add(file.page.url)
            internals.populate_page(file.page, config, files)
            pages.append(file.page)
        # The pages' old search entries go; building them adds their new ones.
        if urls:
            index[:] = [entry for entry in index if entry.get("location", "").split("#")[0] not in urls]
        doc_files = files.documentation_pages()
        for page in pages:
            internals.build_page(page, config, doc_files, nav, env)
            self.pending.discard(page.file.src_uri)

    def write_index(self) -> None:
        """Write the search index as it now is."""
        if self.config is not None:
            internals.write_search_index(self.config)

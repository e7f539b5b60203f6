"""Stage 5, site: run MkDocs over the written pages and swap the result into ``site/``.

MkDocs builds into a fresh folder beside ``site/``; only a build that succeeds replaces the old
site, so a failed build leaves the previous one exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zlib
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from generator.errors import SiteBuildError
from generator.model.schema import Settings


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a failed strict build can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PackPages(BasePlugin):
    """Keeps a large build's memory small without changing a byte of its output.

    MkDocs converts every page before it writes any, holding each page's Markdown and HTML
    until the end: about 350 MB for 1,000 reviews. Once a page is converted its Markdown is
    dropped and its HTML kept compressed; the HTML is unpacked just before the page is written
    (before any other plugin sees it) and dropped again after, with its contents list."""

    def __init__(self) -> None:
        super().__init__()
        self.packed: dict[str, bytes] = {}

    @event_priority(-100)  # after every other plugin has seen the HTML
    def on_page_content(self, html: str, page: Page, **kwargs: object) -> str:
        self.packed[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        page.markdown = ""
        return ""

    @event_priority(100)  # before every other plugin needs it
    def on_page_context(self, context: dict, page: Page, **kwargs: object) -> dict:
        page.content = zlib.decompress(self.packed.pop(page.file.src_uri)).decode("utf-8")
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, **kwargs: object) -> str:
        page.content = ""
        page.toc = TableOfContents([])  # only the page itself shows its contents list
        return output


def add_pack_pages(config: MkDocsConfig) -> MkDocsConfig:
    """``config`` with ``PackPages`` among its plugins."""
    config.plugins["learning-lessons/pack-pages"] = PackPages()
    return config


OFFLINE_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"
"""The iframe-worker shim (npm ``iframe-worker``, MIT licence, beside it) for search on file://."""


def config_overrides(settings: Settings) -> dict:
    """What ``content/settings.yml`` sets in MkDocs' configuration, so it is said in one place."""
    overrides: dict = {"site_name": settings.site_name}
    if settings.site_url:
        overrides["site_url"] = settings.site_url
    extra: dict = {}
    if settings.quick_exit:
        extra["quick_exit"] = settings.quick_exit.model_dump()
    if settings.offline:
        # Material's offline plugin makes search work from file://; its worker shim is served
        # from the site itself (it would otherwise load it from unpkg.com).
        overrides["plugins"] = ["search", "offline"]
        extra["polyfills"] = [OFFLINE_SHIM]
    if extra:
        overrides["extra"] = extra
    return overrides


def build_site(
    config_file: Path, site_dir: Path, source_date_epoch: int | None, settings: Settings, pack_pages: bool = True
) -> None:
    """Build the MkDocs site from ``config_file`` into ``site_dir``, atomically and strictly.
    ``pack_pages`` keeps converted pages compressed (see ``PackPages``); the output is the same."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in site_dir.parent.glob(f".{site_dir.name}-new-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a build that was killed part way
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    collected = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collected)
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if previous_epoch is None and source_date_epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=True, **config_overrides(settings))
        mkdocs_build(add_pack_pages(config) if pack_pages else config)
    except (MkDocsException, SystemExit, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        details = "\n".join(f"  {message}" for message in collected.messages)
        raise SiteBuildError(f"the site build failed: {error}\n{details}".rstrip()) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        mkdocs_log.removeHandler(collected)
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
    _swap_in(staging, site_dir)


def _swap_in(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` with ``staging``: two renames, the old site removed last."""
    retired = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)


class _Keep(BasePlugin):
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


class LiveSite:
    """A MkDocs build kept in memory for a preview: after an edit, only the pages whose
    Markdown changed are converted and written again, and the search index is brought up to
    date, instead of building the whole site. A page added or removed outside the navigation
    (a review's pages) is added or removed on its own; anything else rebuilds the whole site.

    It uses MkDocs 1.6's own page-building steps (``_populate_page``, ``_build_page``) and
    Material's search index (``search_index.entries``); MkDocs 1.x is frozen, and a change
    there falls back to a full build."""

    def __init__(self, config_file: Path, site_dir: Path, overrides: dict) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.overrides = overrides
        self.keep = _Keep()
        self.config: MkDocsConfig | None = None

    def _config(self) -> MkDocsConfig:
        # Not strict: a preview shows what it can and says what is wrong.
        config = load_config(str(self.config_file), site_dir=str(self.site_dir), strict=False, **self.overrides)
        config.plugins["learning-lessons/keep"] = self.keep
        return add_pack_pages(config)

    def build(self) -> None:
        """A full build, as ``mkdocs build`` makes it."""
        self.config = self._config()
        self.config.plugins.on_startup(command="serve", dirty=False)
        mkdocs_build(self.config)

    def update(self, changed: list[str], removed: list[str], index: bool = True) -> str:
        """Rebuild the pages at ``changed`` (paths under the docs_dir) and drop those at
        ``removed``; say how. Without ``index`` the search index file is written later, by
        ``write_index`` (for 1,000 reviews it is 20 MB, too slow to write for every page)."""
        try:
            self._update(changed, removed)
            if index:
                self.write_index()
            return f"rebuilt {len(changed)} page(s)" + (f", removed {len(removed)}" if removed else "")
        except _NeedsFullBuild as reason:
            self.build()
            return f"rebuilt the whole site ({reason})"

    def _update(self, changed: list[str], removed: list[str]) -> None:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import File, InclusionLevel, set_exclusions

        files, nav, env, config = self.keep.files, self.keep.nav, self.keep.env, self.config
        if config is None or files is None or nav is None or env is None:
            raise _NeedsFullBuild("no build yet")
        index = _search_plugin(config).search_index.entries
        pages = []
        urls: set[str] = set()
        for path in removed:
            file = files.get_file_from_path(path)
            if file is None or file.page is None or file.inclusion.is_in_nav():
                raise _NeedsFullBuild(f"{path} is in the navigation")
            files.remove(file)
            Path(file.abs_dest_path).unlink(missing_ok=True)
            urls.add(file.page.url)
        for path in changed:
            file = files.get_file_from_path(path)
            if file is None:
                file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
                set_exclusions([file], config)
                if file.inclusion != InclusionLevel.NOT_IN_NAV:
                    raise _NeedsFullBuild(f"{path} is a new page in the navigation")
                files.append(file)
                Page(None, file, config)
            if file.page is None:
                raise _NeedsFullBuild(f"{path} is not a page")
            urls.add(file.page.url)
            _populate_page(file.page, config, files)
            pages.append(file.page)
        # The pages' old search entries go; building them adds their new ones.
        index[:] = [entry for entry in index if entry.get("location", "").split("#")[0] not in urls]
        doc_files = files.documentation_pages()
        for page in pages:
            _build_page(page, config, doc_files, nav, env)

    def write_index(self) -> None:
        """Write the search index as it now is."""
        if self.config is not None:
            _search_plugin(self.config).on_post_build(config=self.config)


class _NeedsFullBuild(Exception):
    """An edit the page-by-page update cannot make."""


def _search_plugin(config: MkDocsConfig) -> BasePlugin:
    """Material's search plugin, whose index (``search_index.entries``) a page update edits."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return plugin
    raise _NeedsFullBuild("no search index to update")

"""A MkDocs build kept in memory for the preview, so that an edit rebuilds only its pages.

It rebuilds single pages with MkDocs' own steps and edits Material's search index in place,
through ``generator.pipeline.mkdocs_internals``; if those internals have changed (an upgrade),
or a page-by-page update is not possible, it builds the whole site instead and says why.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

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
        self.page_by_page_off = "" if page_by_page else "page-by-page updates are off"
        """Why edits rebuild the whole site, if they do."""
        if page_by_page:
            try:
                internals.check()
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
        mkdocs_build(self.config)

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
            if file is None or file.page is None or file.inclusion.is_in_nav():
                raise NeedsFullBuild(f"{path} is in the navigation")
            files.remove(file)
            Path(file.abs_dest_path).unlink(missing_ok=True)
            urls.add(file.page.url)
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
            urls.add(file.page.url)
            internals.populate_page(file.page, config, files)
            pages.append(file.page)
        # The pages' old search entries go; building them adds their new ones.
        index[:] = [entry for entry in index if entry.get("location", "").split("#")[0] not in urls]
        doc_files = files.documentation_pages()
        for page in pages:
            internals.build_page(page, config, doc_files, nav, env)

    def write_index(self) -> None:
        """Write the search index as it now is."""
        if self.config is not None:
            internals.write_search_index(self.config)

"""The one wall around MkDocs' and Material's private names.

MkDocs 1.6 and Material 9 are frozen upstream. The preview rebuilds single pages with MkDocs' own
page-building steps and edits Material's search index in place, the reload server sets MkDocs'
live-reload state, ``PackPages`` empties pages' converted text between events, and
``ConvertPages`` (page_cache.py) sets pages' conversions made in other processes or kept from an
earlier build and gathers their search entries: none of that is public API. Everything of the
kind goes through this module, and ``check`` verifies it at start-up; if an upgrade changes any
of it, ``InternalsChanged`` says what, and the callers fall back to what public API does (a full
build, a reload by hand, pages converted one by one) with a one-line notice.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

VERSIONS_CHECKED = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2"}
"""The versions whose internals this module was last checked against (see ``check``)."""

PAGE_BUILD_STEPS = {
    "_populate_page": ("page", "config", "files"),
    "_build_page": ("page", "config", "doc_files", "nav", "env"),
}
"""The private functions of ``mkdocs.commands.build`` used to rebuild one page, and the
parameters they are called with."""

LIVE_RELOAD_STATE = ("_watched_paths", "_epoch_cond", "_wanted_epoch", "_visible_epoch")
"""What the reload server sets on MkDocs' ``LiveReloadServer`` to reload the open pages."""

PAGE_TEXT = ("markdown", "content", "toc")
"""The attributes of a MkDocs page that ``PackPages`` empties and restores."""

PAGE_CONVERSION = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")
"""What MkDocs' ``Page.render`` sets on a page: ``ConvertPages`` converts pages in other
processes (or takes them from its cache) and sets exactly these instead."""

LINK_LOOKUPS = ("get_file_from_path",)
"""The methods of ``Files`` that MkDocs' link processing calls while a page is converted:
``ConvertPages`` records them, to know when a cached conversion still holds."""

FAILURES = (ImportError, AttributeError, TypeError, KeyError, ValueError)
"""What a changed internal raises when used: each falls back as ``InternalsChanged`` does."""


class InternalsChanged(Exception):
    """A private MkDocs or Material name this project uses is missing or has changed."""


def check() -> None:
    """Raise ``InternalsChanged`` naming the first internal that is not as this module expects."""
    import mkdocs.commands.build as build_module
    from mkdocs.livereload import LiveReloadServer

    for name, parameters in PAGE_BUILD_STEPS.items():
        function = getattr(build_module, name, None)
        if not callable(function):
            raise InternalsChanged(f"mkdocs.commands.build.{name} is gone")
        found = tuple(inspect.signature(function).parameters)[: len(parameters)]
        if found != parameters:
            raise InternalsChanged(f"mkdocs.commands.build.{name} now takes {found}, not {parameters}")
    source = inspect.getsource(LiveReloadServer.__init__)
    missing = [name for name in LIVE_RELOAD_STATE if name not in source]
    if missing:
        raise InternalsChanged(f"MkDocs' LiveReloadServer no longer has {', '.join(missing)}")
    missing = [name for name in PAGE_TEXT if name not in Page.__annotations__]
    if missing:
        raise InternalsChanged(f"MkDocs' Page no longer has {', '.join(missing)}")
    check_conversion()


def check_conversion() -> None:
    """Raise ``InternalsChanged`` if MkDocs' page conversion is not as ``ConvertPages`` expects:
    ``Page.render`` sets just ``PAGE_CONVERSION`` and its link processing looks files up only
    through ``LINK_LOOKUPS``."""
    import re

    from mkdocs.structure import pages

    render = inspect.getsource(Page.render)
    found = tuple(dict.fromkeys(re.findall(r"self\.(\w+) = ", render)))
    if sorted(found) != sorted(PAGE_CONVERSION):
        raise InternalsChanged(f"MkDocs' Page.render now sets {found}, not {PAGE_CONVERSION}")
    processor = getattr(pages, "_RelativePathTreeprocessor", None)
    if processor is None:
        raise InternalsChanged("mkdocs.structure.pages._RelativePathTreeprocessor is gone")
    lookups = tuple(dict.fromkeys(re.findall(r"self\.files\.(\w+)", inspect.getsource(processor))))
    if lookups != LINK_LOOKUPS:
        raise InternalsChanged(f"MkDocs' link processing now calls Files.{lookups}, not {LINK_LOOKUPS}")


def conversion(page: Page) -> dict[str, Any]:
    """What ``Page.render`` set on ``page`` (``PAGE_CONVERSION``), links by the linked file's path."""
    links = page.links_to_anchors
    return {
        "content": page.content,
        "toc": page.toc,
        "title": page._title_from_render,
        "anchors": page.present_anchor_ids,
        "links": None if links is None else [(file.src_uri, anchors) for file, anchors in links.items()],
    }


def set_conversion(page: Page, converted: dict[str, Any], files: Files) -> None:
    """Set on ``page`` what ``Page.render`` would (from ``conversion``), as if it had run."""
    page.content = converted["content"]
    page.toc = converted["toc"]
    page._title_from_render = converted["title"]
    page.present_anchor_ids = converted["anchors"]
    links = converted["links"]
    if links is not None:
        by_path = files.src_uris  # the paths are files' own (``conversion``): no need to normalise them
        found = [(by_path.get(path), anchors) for path, anchors in links]
        page.links_to_anchors = {file: anchors for file, anchors in found if file is not None}


def set_body(page: Page, content: str, toc: TableOfContents) -> None:
    """Give ``page``, set up from ``set_conversion`` without them, its content and contents list."""
    page.content = content
    page.toc = toc


READ_SOURCE = "meta.get_data(source)"
"""How MkDocs' ``Page.read_source`` splits a page's source into its Markdown and front matter
(``replace_read_source`` does the same with a cache in front)."""


def replace_read_source(page: Page, split: Callable[[str], tuple[str, dict[str, Any]]]) -> None:
    """Make MkDocs read ``page``'s source as ``Page.read_source`` does (plugins first, then the
    file) but split it into Markdown and front matter with ``split`` (as ``front_matter``)."""
    import logging

    def read_source(config: MkDocsConfig) -> None:
        source = config.plugins.on_page_read_source(page=page, config=config)
        if source is None:
            try:
                source = page.file.content_string
            except OSError:
                logging.getLogger("mkdocs.structure.pages").error(f"File not found: {page.file.src_path}")
                raise
            except ValueError:
                logging.getLogger("mkdocs.structure.pages").error(f"Encoding error reading file: {page.file.src_path}")
                raise
        page.markdown, page.meta = split(source)

    if _reads_source_as_expected():
        page.read_source = read_source  # type: ignore[method-assign]


@functools.cache
def _reads_source_as_expected() -> bool:
    """Whether MkDocs' ``Page.read_source`` splits the source as ``READ_SOURCE`` says (else
    pages are read MkDocs' own way)."""
    try:
        return READ_SOURCE in inspect.getsource(Page.read_source)
    except (OSError, TypeError):
        return False


def front_matter(source: str, known: dict[bytes, bytes], seen: dict[bytes, bytes]) -> tuple[str, dict[str, Any]]:
    """``source`` split into its Markdown and its front matter as MkDocs' ``meta.get_data``
    does, the front matter taken from ``known`` (pickled, by a hash of its YAML) when it is
    there, so that YAML is parsed only for front matter not met in the last build; every
    front matter met is put in ``seen``."""
    import hashlib
    import pickle

    from mkdocs.utils import meta

    found = meta.YAML_RE.match(source)
    if found is None:
        return meta.get_data(source)
    key = hashlib.blake2b(found.group(1).encode("utf-8", "surrogatepass"), digest_size=20).digest()
    packed = known.get(key)
    if packed is not None:
        seen[key] = packed
        return source[found.end() :].lstrip("\n"), pickle.loads(packed)
    markdown, data = meta.get_data(source)
    if markdown is not source and isinstance(data, dict):  # front matter read as MkDocs reads it
        try:
            seen[key] = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
        except Exception:  # not kept: read again next time
            pass
    return markdown, data


def content_plugins(config: MkDocsConfig) -> list[object]:
    """The plugins that see each page's converted HTML (``on_page_content``), as MkDocs will call
    them."""
    return [getattr(hook, "__self__", None) for hook in config.plugins.events.get("page_content", [])]


def replace_render(page: Page, render: Callable[[MkDocsConfig, Files], None]) -> None:
    """Make MkDocs call ``render`` instead of converting ``page`` itself."""
    page.render = render  # type: ignore[method-assign, assignment]


def render_as_mkdocs(page: Page, config: MkDocsConfig, files: Files) -> None:
    """MkDocs' own conversion of ``page``, even where ``replace_render`` replaced it."""
    Page.render(page, config, files)


def around_search_entries(
    config: MkDocsConfig, around: Callable[[Page, Callable[[Page], None], list[dict[str, Any]]], None]
) -> bool:
    """Make Material's search plugin call ``around(page, add, entries)`` to gather a page's search
    entries, where ``add(page)`` is what it would call and ``entries`` the list it adds them to.
    False if there is no search plugin to do it to."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        entries = getattr(index, "entries", None)
        if index is not None and callable(add) and isinstance(entries, list):
            index.add_entry_from_context = _around(around, add, entries)
            return True
    return False


def page_search_entries(config: MkDocsConfig, page: Page) -> list[dict[str, Any]] | None:
    """The entries Material's search plugin would add for ``page`` as it now is, made apart from
    its index (in a worker, say); None if there is no search plugin."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            apart = type(index)(**index.config)
            apart.add_entry_from_context(page)
            return apart.entries
    return None


def page_context_before_search(config: MkDocsConfig) -> list[Callable[..., Any]] | None:
    """The plugins' ``on_page_context`` handlers that run before Material's search plugin reads
    a page, in the order they run; None if search is off, or not Material's, or the plugins'
    events are not as expected."""
    search = next((plugin for plugin in config.plugins.values() if hasattr(plugin, "search_index")), None)
    handlers = getattr(config.plugins, "events", {}).get("page_context")
    if search is None or not getattr(getattr(search, "config", None), "enabled", False) or handlers is None:
        return None
    for place, handler in enumerate(handlers):
        if getattr(handler, "__self__", None) is search:
            return list(handlers[:place])
    return None


def _around(
    around: Callable[[Page, Callable[[Page], None], list[dict[str, Any]]], None],
    add: Callable[[Page], None],
    entries: list[dict[str, Any]],
) -> Callable[[Page], None]:
    return lambda page: around(page, add, entries)


def installed_versions() -> dict[str, str]:
    """The installed versions of the packages whose internals are used."""
    return {name: version(name) for name in VERSIONS_CHECKED}


def populate_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Read and convert one page's Markdown, as a build does."""
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)


def build_page(
    page: Page, config: MkDocsConfig, doc_files: Sequence[File], nav: Navigation, env: jinja2.Environment
) -> None:
    """Write one converted page through the theme, as a build does (adding its search entries)."""
    from mkdocs.commands.build import _build_page

    _build_page(page, config, doc_files, nav, env)


def search_entries(config: MkDocsConfig) -> list[dict[str, Any]]:
    """Material's search index entries, which a page rebuild edits in place."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        if isinstance(entries, list):
            return entries
    raise InternalsChanged("no search plugin with a search_index.entries list")


def write_search_index(config: MkDocsConfig) -> None:
    """Write the search index as it now is (Material writes it after a build)."""
    for plugin in config.plugins.values():
        if isinstance(getattr(getattr(plugin, "search_index", None), "entries", None), list):
            plugin.on_post_build(config=config)
            return
    raise InternalsChanged("no search plugin with a search_index.entries list")


def drop_markdown(page: Page) -> None:
    """Drop a converted page's Markdown: MkDocs would hold it until the build ends."""
    page.markdown = ""


def set_html(page: Page, html: str) -> None:
    """Give a page its converted HTML back, just before the theme writes it."""
    page.content = html


def drop_html(page: Page) -> None:
    """Drop a written page's HTML and contents list (only the page itself shows its contents)."""
    page.content = ""
    page.toc = TableOfContents([])


def inject_reload_script(server: Any) -> None:
    """Make MkDocs' live-reload server add its reload script to every page it serves, though it
    watches no file itself (the preview tells it when to reload)."""
    server._watched_paths["content"] = 1


def reload_browsers(server: Any, clock: Callable[[], float] = time.monotonic) -> None:
    """Tell every page open on MkDocs' live-reload server to reload now."""
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch = max(server._visible_epoch + 1, round(clock() * 1000))
        server._epoch_cond.notify_all()


# The preview
# ``briefings serve`` starts serving before any page is built and builds each page when it is
# first asked for (``generator.preview.live.LiveSite.start``): it makes the steps of a MkDocs
# build that come before the pages itself, including the theme's own templates (404.html, the
# sitemap), which only these private functions build.

PREVIEW_STEPS = {
    "_build_theme_template": ("template_name", "env", "files", "config", "nav"),
    "_build_extra_template": ("template_name", "files", "config", "nav"),
}
"""The private functions of ``mkdocs.commands.build`` the preview also uses, with their parameters."""


def check_preview() -> None:
    """``check``, and the private names only the preview uses: raise ``InternalsChanged`` naming
    the first that is not as expected."""
    import mkdocs.commands.build as build_module

    check()
    for name, expected in PREVIEW_STEPS.items():
        step = getattr(build_module, name, None)
        found = tuple(inspect.signature(step).parameters)[: len(expected)] if callable(step) else "nothing"
        if found != expected:
            raise InternalsChanged(f"mkdocs.commands.build.{name} now takes {found}, not {expected}")


def build_theme_template(
    name: str, env: jinja2.Environment, files: Files, config: MkDocsConfig, nav: Navigation
) -> None:
    """Write one of the theme's own templates (404.html, sitemap.xml), as a build does."""
    from mkdocs.commands.build import _build_theme_template

    _build_theme_template(name, env, files, config, nav)


def build_extra_template(name: str, files: Files, config: MkDocsConfig, nav: Navigation) -> None:
    """Write one of the site's ``extra_templates``, as a build does."""
    from mkdocs.commands.build import _build_extra_template

    _build_extra_template(name, files, config, nav)


def skip_copy(file: File) -> None:
    """Make MkDocs leave ``file`` uncopied: the published site already holds it as it is."""
    file.copy_file = _no_copy  # type: ignore[method-assign]


def _no_copy(dirty: bool = False) -> None:
    return None


def empty_toc() -> TableOfContents:
    """A contents list with nothing in it."""
    return TableOfContents([])

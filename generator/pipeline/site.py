"""Stage 5, site: run MkDocs over the written pages and bring ``site/`` up to date.

MkDocs builds into a fresh folder beside ``site/``; only a build that succeeds changes the old
site, so a failed build leaves the previous one exactly as it was. With the site cache, the new
folder receives only what changed and the site is updated in place (``site_files``); without
it, or when the published site is not as the cache remembers it, the whole new site replaces it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.errors import SiteBuildError
from generator.model.schema import Settings
from generator.pipeline import mkdocs_internals as internals
from generator.pipeline import site_files
from generator.pipeline.generate_cache import code_digest
from generator.pipeline.page_cache import (
    FORMAT,
    ConvertPages,
    LoadConversions,
    PageCache,
    digest,
    pack,
    theme_fingerprint,
    unpack,
)
from generator.pipeline.search_index import search_records, write_search_index
from generator.pipeline.site_languages import editions
from generator.pipeline.workers import Background, in_background
from generator.templating import keep_compiled

NOTICES = logging.getLogger("learning_lessons.site")
"""One-line notices about how the site was built (not MkDocs' warnings: a strict build goes on)."""

CONVERSION_PACKAGES = ("markdown", "pymdown-extensions", "jinja2", "pygments")
"""Packages besides MkDocs and Material whose version changes what a page becomes."""


TEMPLATES_FOLDER = "templates"
"""The folder beside the site cache (``.cache/templates``) where compiled templates are kept."""


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

    changes_page_content = False
    """It gives each page's HTML back as it was (``page_cache.ConvertPages.body_later``)."""

    def __init__(self) -> None:
        super().__init__()
        self.packed: dict[str, bytes] = {}

    @event_priority(-100)  # after every other plugin has seen the HTML
    def on_page_content(self, html: str, page: Page, **kwargs: object) -> str:
        self.packed[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        internals.drop_markdown(page)
        return ""

    @event_priority(100)  # before every other plugin needs it
    def on_page_context(self, context: TemplateContext, /, *, page: Page, **kwargs: Any) -> TemplateContext:
        internals.set_html(page, zlib.decompress(self.packed.pop(page.file.src_uri)).decode("utf-8"))
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, **kwargs: object) -> str:
        internals.drop_html(page)
        return output


class KeepCompiledTemplates(BasePlugin):
    """Keeps the theme's compiled templates in ``folder`` between builds (``keep_compiled``)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    @event_priority(100)  # before any template is loaded
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: object) -> jinja2.Environment:
        """Have the theme's Jinja environment keep its compiled templates in the cache folder."""
        keep_compiled(env, self.folder)
        return env


def add_pack_pages(config: MkDocsConfig) -> MkDocsConfig:
    """``config`` with ``PackPages`` among its plugins."""
    config.plugins["learning-lessons/pack-pages"] = PackPages()
    return config


@dataclass(frozen=True)
class SplitSearch:
    """What the published site's search (its split index) needs from the content."""

    filters: dict[str, dict[str, list[str]]]
    """Each briefing's values for the search filters, by its address in the site."""
    labels: dict[str, str]
    """The filters' names, by key."""
    any_label: str
    """What a filter says when nothing is chosen in it."""
    heading: str
    """What the filters are called in the search dialog."""


class TakeSearchEntries(BasePlugin):
    """Takes the entries Material's search plugin gathers from each page as the page is written,
    so that its ``search_index.json`` is written empty (the browser fetches only the split
    index) and the entries go to the split index instead. Each page's entries wait packed
    (compressed) till the index is made: a large site's text is never all in memory at once."""

    def __init__(self) -> None:
        super().__init__()
        self.packed: deque[bytes] = deque()

    def _take(self, config: MkDocsConfig) -> None:
        entries = internals.search_entries(config)
        if entries:
            self.packed.append(pack(entries))
            entries.clear()

    @event_priority(-100)  # once the search plugin has the page's entries
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        self._take(config)
        return output

    @event_priority(100)  # before Material's search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._take(config)

    def pages(self) -> Iterator[list[dict]]:
        """The entries taken, each page's together, in the order the pages were written; each
        is let go as it is read."""
        while self.packed:
            yield unpack(self.packed.popleft())


SearchEntries = Iterator[list[dict]]
"""Each page's search entries (Material's), a page at a time, in the order the pages are written."""


class IndexAhead(BasePlugin):
    """Makes an edition's search index in a forked process while this one puts the pages through
    the theme, so that each takes a core. Once every page's conversion is known (``on_env``), the
    process reads each page's search entries as the search plugin will read them when the page is
    written (``ConvertPages.entries_ahead``), and makes the index from them (``make_index``); the
    search plugin then gathers nothing in this process. The index is the same, byte for byte.
    Only with the plugins this build knows (another plugin could change what search reads as a
    page is written) and where a process can be forked; otherwise the entries are gathered as
    the pages are written (``TakeSearchEntries``) and indexed after."""

    def __init__(self, convert: ConvertPages, make_index: Callable[[SearchEntries], dict[str, str]]) -> None:
        super().__init__()
        self.convert = convert
        self.make_index = make_index
        self.waiting: Background[tuple[dict[str, str], tuple[dict[str, bytes], set[str]], float]] | None = None

    @event_priority(-100)  # once ConvertPages knows every page's keys (its on_env)
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        before = internals.page_context_before_search(config)
        known = all(name == SEARCH_PLUGIN or name.startswith(OUR_PLUGINS) for name in config.plugins)
        if before is None or not known:
            return env
        included = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = [file.page for file in included if file.page is not None]  # as MkDocs writes them
        convert, make_index, nav = self.convert, self.make_index, self.convert.nav

        def as_written(page: Page) -> None:
            for handler in before:
                handler({}, page=page, config=config, nav=nav)

        def index() -> tuple[dict[str, str], tuple[dict[str, bytes], set[str]], float]:
            started = time.perf_counter()
            found = make_index(convert.entries_ahead(pages, as_written))
            return found, convert.kept_ahead(), time.perf_counter() - started

        self.waiting = in_background(index)
        convert.searched_ahead = self.waiting is not None
        return env

    def result(self) -> tuple[dict[str, str], float] | None:
        """The digest of each file of the index, by its path in the edition, and the seconds the
        index took; None if it was not made ahead. Raises what making it raised."""
        if self.waiting is None:
            return None
        waiting, self.waiting = self.waiting, None
        found, (search, used), seconds = waiting.result()
        self.convert.take_ahead(search, used)
        return found, seconds

    def cancel(self) -> None:
        """Stop making the index (the build failed)."""
        if self.waiting is not None:
            self.waiting.cancel()
            self.waiting = None


SEARCH_PLUGIN = "material/search"
"""Material's search plugin, as MkDocs names it."""

OUR_PLUGINS = "learning-lessons/"
"""How the names of this build's own plugins begin."""


SPLIT_SEARCH_SCRIPT = "assets/javascripts/search-split.js"
"""Points Material's search box at the split index's worker and adds the filters (theme_overrides)."""

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


@dataclass
class SiteTimes:
    """How long the last build's site stage took, part by part (seconds), for the benchmarks."""

    mkdocs: float = 0.0
    index: float = 0.0
    commit: float = 0.0
    written: int = 0
    """Files MkDocs and the search index wrote into the staging folder."""
    pages_unchanged: int = 0
    cold: bool = True
    parts: dict[str, float] = field(default_factory=dict)


LAST_TIMES = SiteTimes()
"""The times of the last ``build_site`` in this process."""


def finish_interrupted_update(site_dir: Path, cache_dir: Path) -> None:
    """Complete an update of ``site_dir`` that an earlier build began and did not finish (it was
    killed while moving the changed files in; ``site_files.commit``), or else have the next
    build make the whole site. Called before a build checks the content, so that a build that
    then fails leaves a whole site, not a mix of two."""
    site_files.repair(cache_dir, site_dir.resolve())


def build_site(
    config_file: Path,
    site_dir: Path,
    source_date_epoch: int | None,
    settings: Settings,
    pack_pages: bool = True,
    search: dict[str, SplitSearch] | None = None,
    cache_dir: Path | None = None,
    parallel: bool = True,
) -> None:
    """Build the MkDocs site from ``config_file`` into ``site_dir``, atomically and strictly.
    ``pack_pages`` keeps converted pages compressed (see ``PackPages``); the output is the same.
    With ``search`` (by language, and not ``offline``), the site searches its own split index,
    written into the new site before it replaces the old, one for each language's pages;
    otherwise Material's own search. A site in several languages is built once per language
    (``site_languages.editions``). With ``parallel``, pages are converted on every core, and with
    ``cache_dir`` what was made of each page is kept there for the next build
    (``page_cache.ConvertPages``); the output is the same byte for byte."""
    times = SiteTimes()
    started = time.perf_counter()
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    before: site_files.Published | None = None
    if cache_dir is not None:
        finish_interrupted_update(site_dir, cache_dir)
        before = site_files.published(cache_dir, site_dir) if parallel else None
    times.cold = before is None
    code = code_digest() if parallel else ""
    times.parts["check"] = time.perf_counter() - started
    for leftover in site_dir.parent.glob(f".{site_dir.name}-new-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a build that was killed part way
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    collected = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collected)
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if previous_epoch is None and source_date_epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    cache = PageCache(cache_dir) if cache_dir is not None and parallel else None
    if parallel:
        try:
            internals.check_conversion()
        except internals.InternalsChanged as change:
            parallel, cache, before = False, None, None
            NOTICES.warning("Pages are converted one by one, without the page cache: %s.", change)
    kept: list[str] = []
    sources: dict[str, list] = {}
    converters: list[tuple[str, ConvertPages]] = []
    try:
        for edition in editions(config_file, settings, config_overrides(settings)):  # English first: it empties staging
            site = staging / edition.folder
            overrides = edition.overrides
            searched = (search or {}).get(edition.language)
            split = searched is not None and not settings.offline
            if split and searched is not None:
                overrides = {
                    **overrides,
                    "extra": {
                        **overrides.get("extra", {}),
                        "split_search": {
                            "filters": list(searched.labels.items()),  # a list: the order they are shown in
                            "any": searched.any_label,
                            "heading": searched.heading,
                        },
                    },
                }
            config = load_config(str(config_file), site_dir=str(site), strict=True, **overrides)
            taken = TakeSearchEntries()
            if split:
                config.plugins["learning-lessons/take-search-entries"] = taken
            previous = None
            if split and before is not None:
                published_here = before.under(edition.folder).items()
                previous = {path: d for path, d in published_here if path.startswith(site_files.INDEX_FOLDER)}
            make_index = partial(
                _make_index, searched, site, edition.language, previous, cache, digest(code, edition.folder, overrides)
            )
            ahead: IndexAhead | None = None
            copies = site_files.KeepCopies(before, edition.folder)
            if cache_dir is not None:
                config.plugins["learning-lessons/keep-compiled-templates"] = KeepCompiledTemplates(
                    cache_dir.with_name(TEMPLATES_FOLDER)
                )
            if cache is not None:
                config.plugins["learning-lessons/keep-copies"] = copies
            if parallel:
                fingerprint = digest(
                    FORMAT,
                    code,  # what is kept of a page, and how, is this code's
                    config_file.read_bytes(),
                    overrides,
                    edition.folder,
                    sorted(internals.installed_versions().items()),
                    [version(name) for name in CONVERSION_PACKAGES],
                )
                published = None
                if before is not None:
                    published = _prefixed(before, edition.folder)
                convert = ConvertPages(fingerprint, theme_fingerprint(config), cache, published=published)
                config.plugins["learning-lessons/convert-pages"] = convert
                config.plugins["learning-lessons/load-conversions"] = LoadConversions(convert)
                converters.append((edition.folder, convert))
                if split:
                    ahead = IndexAhead(convert, make_index)
                    config.plugins["learning-lessons/index-ahead"] = ahead
            mark = time.perf_counter()
            try:
                mkdocs_build(add_pack_pages(config) if pack_pages else config)
            except BaseException:
                if ahead is not None:
                    ahead.cancel()
                raise
            times.mkdocs += time.perf_counter() - mark
            if parallel:
                kept.extend(edition.folder + dest for dest in convert.unchanged.values())
                times.parts["converted"] = times.parts.get("converted", 0) + convert.converted_count
                times.parts["rendered"] = times.parts.get("rendered", 0) + convert.rendered_count
                times.pages_unchanged += len(convert.unchanged)
            kept.extend(copies.kept)
            sources.update(copies.sources)
            if split:  # each language's pages, searched in its own index
                mark = time.perf_counter()
                made = ahead.result() if ahead is not None else None
                if made is None:
                    found = make_index(taken.pages())
                else:
                    found, seconds = made
                    times.parts["index made ahead"] = times.parts.get("index made ahead", 0) + seconds
                kept.extend(edition.folder + p for p, d in found.items() if previous and previous.get(p) == d)
                times.index += time.perf_counter() - mark
    except internals.InternalsChanged as change:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(
            f"the site build failed: the search index could not be made, as {change} (an upgrade of "
            "MkDocs or Material?); install the versions in pyproject.toml"
        ) from None
    except (MkDocsException, SystemExit, OSError, SiteBuildError) as error:
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
    mark = time.perf_counter()
    times.written = sum(1 for _ in site_files.walk(staging))
    manifest_dir = cache_dir if cache is not None else None
    try:
        if before is None or manifest_dir is None:
            files = site_files.swap_in(staging, site_dir, manifest_dir, sources)
        else:
            files = site_files.commit(staging, site_dir, manifest_dir, before, kept, sources)
    except OSError as error:  # the staging folder is kept: the journal's moves come from it
        raise SiteBuildError(
            f"the new site was built but could not be moved into {site_dir}: {error}; free the "
            "disk or close what holds its files, then build again (the next build completes it)"
        ) from None
    times.commit = time.perf_counter() - mark
    for folder, convert in converters:
        convert.save(_digest_in(files, folder))
    if cache is not None:
        cache.prune()
    times.parts["total"] = time.perf_counter() - started
    LAST_TIMES.__dict__.update(times.__dict__)


def _make_index(
    searched: SplitSearch | None,
    site: Path,
    language: str,
    previous: dict[str, str] | None,
    cache: PageCache | None,
    fingerprint: str,
    entries: SearchEntries,
) -> dict[str, str]:
    """Index the pages' search ``entries`` into ``site`` (``write_search_index``); the digest of
    each file of the index, by its path in ``site``."""
    records = search_records(entries, searched.filters if searched is not None else {})
    return write_search_index(records, site, language, previous, cache, fingerprint)


def _digest_in(files: dict[str, site_files.Entry], prefix: str) -> Callable[[str], str | None]:
    """The digest of each file of the new site, by its path in the edition under ``prefix``."""

    def digest_of(path: str) -> str | None:
        entry = files.get(prefix + path)
        return None if entry is None else entry[0]

    return digest_of


def _prefixed(before: site_files.Published, prefix: str) -> Any:
    """The digest of each published file, by its path in the edition under ``prefix``."""
    return lambda path: before.digest(prefix + path)

"""The site build's speed: pages converted on every core, and kept on disk between builds.

MkDocs converts each page's Markdown in turn, in one process. ``ConvertPages`` converts them
all in a pool of forked processes as soon as MkDocs knows the site's files and navigation
(``on_nav``), with MkDocs' own ``Page.render`` (so its link checks and their warnings are as
before), and hands each page its conversion when MkDocs asks for it, in MkDocs' order.

With a ``PageCache`` (``.cache/site``), a page's conversion is kept under a hash of what went
into it (its Markdown, its address, the configuration, the installed versions); with it, the
files its links were looked up as, so that a conversion is reused only while every link still
leads where it led. The page's finished HTML (what the theme made of it) is kept too, under a
hash of the conversion and everything else the theme shows on it (the configuration, the theme's
files, the navigation around the page); a page whose hash is unchanged is not put through the
theme again. Each language's entries are pruned after a build that succeeded: the cache holds
only what the last build used.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, cast

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.pipeline import mkdocs_internals as internals
from generator.pipeline.workers import cpu_count, forked_map

FORMAT = b"learning-lessons page cache 1\n"
"""The first bytes of every cache entry: an entry without them is remade."""

CACHED_TEMPLATE = "learning-lessons/cached-page.html"
"""The template a page whose finished HTML is cached is "rendered" with: it gives that HTML back."""

UNCHANGED_TEMPLATE = "learning-lessons/unchanged-page.html"
"""The template a page the published site holds unchanged is "rendered" with: nothing, so MkDocs
writes nothing for it."""

CHECK_LENGTH = 16
"""Bytes of a hash of each entry kept in front of it, so a truncated entry is known."""

BODY = ("content", "toc")
"""The parts of a page's conversion that only the theme and the search plugin read, kept packed
apart from the rest (its title, anchors and links, which the other pages' links need): a page
holds them only while it is written, not from when it is read until the build ends."""


def digest(*parts: object) -> str:
    """A hash of ``parts`` (their ``repr``), as a cache key."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


class PageCache:
    """Cache entries on disk, one file each, by key; an entry that cannot be read is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def has(self, key: str) -> bool:
        """Whether there is an entry under ``key`` (it may still turn out unreadable)."""
        return self._path(key).is_file()

    def get(self, key: str) -> bytes | None:
        """The bytes kept under ``key``, or None if there are none or they are not whole."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        head = len(FORMAT) + CHECK_LENGTH
        body = data[head:]
        if not data.startswith(FORMAT) or hashlib.sha256(body).digest()[:CHECK_LENGTH] != data[len(FORMAT) : head]:
            return None
        self.used.add(key)
        return body

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (written whole, then renamed into place)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as file:  # in parts: a large entry is not copied to be written
            file.write(FORMAT)
            file.write(hashlib.sha256(data).digest()[:CHECK_LENGTH])
            file.write(data)
        temporary.replace(path)
        self.used.add(key)

    def prune(self) -> int:
        """Remove every entry not read or written since this cache was opened; return how many."""
        removed = 0
        if not self.folder.is_dir():
            return removed
        with os.scandir(self.folder) as folders:
            for folder in folders:
                if not folder.is_dir(follow_symlinks=False):
                    continue
                with os.scandir(folder.path) as found:
                    for entry in found:
                        if entry.name not in self.used:
                            os.unlink(entry.path)
                            removed += 1
        return removed


def pack(value: Any) -> bytes:
    """``value`` as compressed bytes (a conversion, kept and passed between processes)."""
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)


def unpack(data: bytes) -> Any:
    """What ``pack`` packed."""
    return pickle.loads(zlib.decompress(data))


class _RecordingFiles:
    """The site's files, noting each lookup MkDocs' link processing makes and what it found."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.lookups: dict[str, tuple[str, str, str] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        found = self.files.get_file_from_path(path)
        self.lookups[path] = file_signature(found)
        return found


def file_signature(file: File | None) -> tuple[str, str, str] | None:
    """What a link to ``file`` depends on: where it is, its address, whether it is in the site."""
    return None if file is None else (file.src_uri, file.url, file.inclusion.name)


class _Capture(logging.Handler):
    """Keeps the log records of one page's conversion, to be logged again in the build's process."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _convert(config: MkDocsConfig, files: Files, src_uri: str) -> tuple[str, bytes]:
    """Convert one page as MkDocs would; return its conversion, its link lookups and its log
    records, packed (a cache entry's value)."""
    file = files.get_file_from_path(src_uri)
    assert file is not None and file.page is not None
    page = file.page
    logger = logging.getLogger("mkdocs")
    handlers, propagate = logger.handlers, logger.propagate
    capture = _Capture()
    logger.handlers, logger.propagate = [capture], False
    recording = _RecordingFiles(files)
    try:
        page.read_source(config)
        markdown = page.markdown or ""
        internals.render_as_mkdocs(page, config, cast(Files, recording))
        entries = internals.page_search_entries(config, page)
        conversion = internals.conversion(page)
        value = {
            "markdown": hashlib.sha256(markdown.encode("utf-8")).hexdigest(),
            "search": None if entries is None else (digest(page.content), pack(entries)),
            "conversion": {name: part for name, part in conversion.items() if name not in BODY},
            "body": pack({name: conversion[name] for name in BODY}),
            "lookups": recording.lookups,
            "log": capture.records,
        }
    finally:
        logger.handlers, logger.propagate = handlers, propagate
        page.markdown = page.content = None
    return src_uri, pack(value)


def convert_all(src_uris: list[str], config: MkDocsConfig, files: Files, workers: int) -> Iterator[tuple[str, bytes]]:
    """Convert the pages at ``src_uris``, in a pool of ``workers`` forked processes when it pays."""
    return forked_map(partial(_convert, config, files), src_uris, workers, alone="Pages are converted one by one")


class ConvertPages(BasePlugin):
    """Converts the pages in parallel, and reuses what a ``PageCache`` kept (see the module)."""

    def __init__(
        self,
        fingerprint: str,
        theme: str = "",
        cache: PageCache | None = None,
        workers: int | None = None,
        published: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.published = published
        """The digest of each file of the published site, by its path in this edition; None: the
        site is built whole (a cold build), every page written."""
        self.previous: dict[str, dict[str, Any]] = {}
        """What the last build knew of each page (``Facts``), by its path in the docs."""
        self.facts: dict[str, dict[str, Any]] = {}
        """What this build knows of each page, kept for the next (``save``)."""
        self.lazy: dict[str, str] = {}
        """Pages set up from their facts alone, by path: the key of their conversion, loaded
        only if the theme or the search plugin needs it (``LoadConversions``)."""
        self.unchanged: dict[str, str] = {}
        """The pages the published site holds as this build would make them (not written), by
        path in the docs: their path in the edition."""
        self.files: Files | None = None
        self.config: MkDocsConfig | None = None
        self.fingerprint = fingerprint
        """A hash of everything every page's conversion depends on: configuration, versions."""
        self.theme = theme
        """A hash of everything else every finished page depends on: the theme (``theme_fingerprint``)."""
        self.cache = cache
        self.workers = workers or cpu_count()
        self.converted: dict[str, str] = {}
        """The key of each page's conversion in ``store``, until MkDocs asks for it."""
        self.templates: dict[str, str] = {}
        """The template of each page whose finished HTML is cached, until MkDocs writes it."""
        self.env: jinja2.Environment | None = None
        self.search_made: dict[str, tuple[str, str]] = {}
        """Pages whose search entries the workers made: a hash of the content they were made from,
        and the key of the conversion they are kept with."""
        self.store: PageCache | None = None
        """Where the conversions wait: the cache, or a temporary folder (``spool``)."""
        self.spool: tempfile.TemporaryDirectory[str] | None = None
        self.nav: Navigation | None = None
        self.nav_hash = ""
        self.to_key: list[tuple[Page, str, str]] = []
        """Pages converted from a kept conversion, whose finished HTML is looked for in ``on_env``."""
        self.render_keys: dict[str, str] = {}
        self.converted_count = 0
        """How many pages were converted in this build (the others came from the cache)."""
        self.rendered_count = 0
        self.front_matter: dict[bytes, bytes] = {}
        """The pages' front matter as the last build read it, pickled, by a hash of its YAML."""
        self.front_matter_seen: dict[bytes, bytes] = {}
        """The same, as this build read it: kept for the next."""
        self.same: dict[Any, Any] = {}
        """One of each path and link target the pages' facts hold (``_one``)."""
        self.searched_ahead = False
        """Whether another process gathers the pages' search entries (``entries_ahead``)."""
        self.used_before_ahead: set[str] = set()
        """The cache entries used before ``entries_ahead`` began (in the process it runs in)."""
        self.made_ahead: dict[str, bytes] = {}
        """The search entries ``entries_ahead`` made (packed), by page, for the next build."""
        self.body_later = True
        """Whether pages are read without their content and contents list (``BODY``), given them
        only when they are written (``LoadConversions``): so unless a plugin changes pages'
        content once converted (``on_page_content``) and does not say it leaves it as it is
        (a ``changes_page_content`` of False), since it would not see it."""

    @event_priority(-100)  # after every other plugin has changed the navigation
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        pages = []
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)  # as MkDocs would, a moment later
            if file.page is not None:
                pages.append(file.page)
        self.nav, self.files, self.config = nav, files, config
        self.body_later = all(
            getattr(plugin, "changes_page_content", True) is False for plugin in internals.content_plugins(config)
        )
        keys = {page.file.src_uri: self._conversion_key(page, config) for page in pages}
        self.store = self.cache
        if self.store is None:  # the conversions wait on disk, not in memory, till MkDocs asks
            self.spool = tempfile.TemporaryDirectory(prefix="learning-lessons-pages-")
            self.store = PageCache(Path(self.spool.name))
        self.previous = self._load_facts()
        signatures: dict[str, tuple[str, str, str] | None] = {}
        missing = []
        for page in pages:
            src_uri = page.file.src_uri
            known = self.previous.get(src_uri)
            if (
                known is not None
                and self.cache is not None
                and known.get("conversion") == keys[src_uri]
                and _lookups_hold(known["lookups"], files, signatures)
                and self.cache.has(keys[src_uri])
            ):
                self.cache.used.add(keys[src_uri])
                self.converted[src_uri] = keys[src_uri]
                if self.body_later:
                    self.lazy[src_uri] = keys[src_uri]
                continue
            kept = self.cache.get(keys[src_uri]) if self.cache else None
            if kept is not None and self._still_holds(kept, files):
                self.converted[src_uri] = keys[src_uri]
            else:
                missing.append(src_uri)
        self.converted_count = len(missing)
        for src_uri, packed in convert_all(missing, config, files, self.workers):
            self.store.put(keys[src_uri], packed)
            self.converted[src_uri] = keys[src_uri]
        self.front_matter = self._load_front_matter()
        for page in pages:
            internals.replace_render(page, self._render_for(page))
            if self.cache is not None:
                internals.replace_read_source(page, self._split)
        return nav

    def _split(self, source: str) -> tuple[str, dict[str, Any]]:
        """A page's Markdown and front matter, the front matter from the cache when it was read before."""
        return internals.front_matter(source, self.front_matter, self.front_matter_seen)

    def _front_matter_key(self) -> str:
        """The key of the front matter kept for this fingerprint of the code and versions."""
        return digest("front matter", self.fingerprint)

    def _load_front_matter(self) -> dict[bytes, bytes]:
        """The pages' front matter as the last build read it (pickled, by a hash of its YAML)."""
        packed = self.cache.get(self._front_matter_key()) if self.cache is not None else None
        try:
            kept = pickle.loads(packed) if packed is not None else {}
        except Exception:
            return {}
        return kept if isinstance(kept, dict) else {}

    def _conversion_key(self, page: Page, config: MkDocsConfig) -> str:
        file = page.file
        source = hashlib.sha256(file.content_bytes).hexdigest()  # read from disk, or what a plugin generated
        return digest(
            "conversion", self.fingerprint, file.src_uri, file.dest_uri, file.url, file.inclusion.name, source
        )

    @staticmethod
    def _still_holds(packed: bytes, files: Files) -> bool:
        """Whether every link of a kept conversion still leads where it led."""
        try:
            lookups = unpack(packed)["lookups"]
        except Exception:
            return False
        return all(file_signature(files.get_file_from_path(path)) == found for path, found in lookups.items())

    def _state_key(self) -> str:
        return digest("published pages", self.fingerprint)

    def _load_facts(self) -> dict[str, dict[str, Any]]:
        """What the last build that succeeded knew of each page; nothing if it cannot be read."""
        if self.cache is None:
            return {}
        packed = self.cache.get(self._state_key())
        try:
            facts = pickle.loads(packed) if packed is not None else {}
        except Exception:
            return {}
        return facts if isinstance(facts, dict) else {}

    def save(self, digest_of: Callable[[str], str | None]) -> None:
        """Keep what this build knew of each page for the next, with the digest of what the
        published site now holds for it (``digest_of`` its path in this edition)."""
        if self.cache is None:
            return
        for facts in self.facts.values():
            facts["output"] = digest_of(facts.pop("dest"))
        self.cache.put(self._state_key(), pickle.dumps(self.facts, pickle.HIGHEST_PROTOCOL))
        self.cache.put(self._front_matter_key(), pickle.dumps(self.front_matter_seen, pickle.HIGHEST_PROTOCOL))
        self.facts = {}
        self.front_matter, self.front_matter_seen = {}, {}

    def _set_from_facts(self, page: Page, known: dict[str, Any], files: Files) -> None:
        """Set up ``page`` as its conversion would, but for its content and contents list."""
        internals.set_conversion(
            page,
            {
                "content": "",
                "toc": internals.empty_toc(),
                "title": known["title"],
                "anchors": known["anchors"],
                "links": known["links"],
            },
            files,
        )

    def _one(self, value: Any) -> Any:
        """``value``, or the equal one met before: the pages' links and what they led to repeat
        from page to page, and are then held once."""
        return self.same.setdefault(value, value)

    def _shared(self, conversion: dict[str, Any]) -> dict[str, Any]:
        """``conversion`` (without its body) with its links' paths held once (``_one``)."""
        links = conversion["links"]
        if links is None:
            return conversion
        return {**conversion, "links": [(self._one(path), anchors) for path, anchors in links]}

    def _render_for(self, page: Page) -> Any:
        def render(config: MkDocsConfig, files: Files) -> None:
            key = self.converted.pop(page.file.src_uri)
            if page.file.src_uri in self.lazy:
                known = self.previous[page.file.src_uri]
                markdown = hashlib.sha256((page.markdown or "").encode("utf-8")).hexdigest()
                if markdown == known["markdown"]:
                    for name, level, message in known["log"]:
                        logging.getLogger(name).log(level, message)
                    self._set_from_facts(page, known, files)
                    self.facts[page.file.src_uri] = {
                        name: known[name]
                        for name in ("conversion", "markdown", "title", "anchors", "links", "lookups", "log")
                    }
                    self.to_key.append((page, known["markdown"], key))
                    return
                del self.lazy[page.file.src_uri]  # another plugin changed it: converted below
            packed = self.store.get(key) if self.store else None
            if packed is None:  # gone from the disk since: MkDocs converts it
                internals.render_as_mkdocs(page, config, files)
                return
            value = unpack(packed)
            markdown = hashlib.sha256((page.markdown or "").encode("utf-8")).hexdigest()
            if markdown != value["markdown"]:  # another plugin changed it: MkDocs converts it
                internals.render_as_mkdocs(page, config, files)
                return
            for name, level, message in value["log"]:
                logging.getLogger(name).log(level, message)
            conversion = self._shared(value["conversion"])
            if self.body_later:  # its content and contents list wait in the store till it is written
                self._set_from_facts(page, conversion, files)
                self.lazy[page.file.src_uri] = key
            else:
                internals.set_conversion(page, {**conversion, **unpack(value["body"])}, files)
            if value.get("search") is not None:
                self.search_made[page.file.src_uri] = (value["search"][0], key)
            if self.cache is not None:  # its finished page is looked for once every page has its title
                self.facts[page.file.src_uri] = {
                    "conversion": key,
                    "markdown": value["markdown"],
                    "title": conversion["title"],
                    "anchors": conversion["anchors"],
                    "links": conversion["links"],
                    "lookups": {self._one(path): self._one(found) for path, found in value["lookups"].items()},
                    "log": value["log"],
                }
                self.to_key.append((page, value["markdown"], key))

        return render

    def _remember_render_key(self, page: Page, markdown: str, conversion: str) -> None:
        """Key ``page``'s finished HTML, and use the kept one if there is one. Called from
        ``on_env``: only once every page has been read do the pages whose titles come from
        their own headings (a navigation entry without a title) have their titles, which the
        navigation, the previous and next links and the ancestors on every page show."""
        if self.cache is None:
            return
        neighbours = [
            (other.title, getattr(other, "url", None)) if other is not None else None
            for other in (page.previous_page, page.next_page, page.parent)
        ]
        ancestors = [(getattr(item, "title", None), getattr(item, "url", None)) for item in page.ancestors]
        src_uri = page.file.src_uri
        key = digest(
            "page",
            self.fingerprint,
            self.theme,
            (self.facts.get(src_uri) or {}).get("lookups"),  # what its links led to, as converted
            page.file.src_uri,
            page.url,
            page.file.dest_uri,
            markdown,
            page.meta,
            page.title,
            conversion,
            neighbours,
            ancestors,
            page.canonical_url,
            page.edit_url,
            self.nav_hash,
        )
        self.render_keys[src_uri] = key
        facts = self.facts.get(src_uri)
        if facts is not None:
            facts.update(render=key, dest=page.file.dest_uri)
        known = self.previous.get(src_uri) or {}
        if known.get("render") == key and known.get("search") is not None and facts is not None:
            facts["search"] = known["search"]  # its search entries are as they were
        if (
            self.published is not None
            and known.get("render") == key
            and known.get("output") is not None
            and self.published(page.file.dest_uri) == known["output"]
        ):
            self.unchanged[src_uri] = page.file.dest_uri
            self.cache.used.add(key)
            self.cache.used.add(digest("search", key))
            self.templates[src_uri] = page.meta.get("template", "main.html")
            page.meta = {**page.meta, "template": UNCHANGED_TEMPLATE}
            if "search" in (facts or {}):
                self.lazy.pop(src_uri, None)
            return
        # a page set up without its content is taken from the cache only if its entry is whole
        if self.cache.has(key) if src_uri not in self.lazy else self.cache.get(key) is not None:
            self.templates[src_uri] = page.meta.get("template", "main.html")
            page.meta = {**page.meta, "template": CACHED_TEMPLATE}
        if src_uri in self.lazy and (self.templates.get(src_uri) is None or "search" not in (facts or {})):
            return  # the theme or the search plugin needs its content: loaded before they run
        self.lazy.pop(src_uri, None)

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self.env = env
        if self.nav is not None:
            self.nav_hash = nav_fingerprint(self.nav)  # every page read: the titles as every page shows them
        for page, markdown, conversion in self.to_key:
            self._remember_render_key(page, markdown, conversion)
        self.to_key.clear()
        internals.around_search_entries(config, self._search_entries)
        if self.templates:
            loader = env.loader
            assert loader is not None
            ours = jinja2.DictLoader({CACHED_TEMPLATE: "{{ finished_page }}", UNCHANGED_TEMPLATE: ""})
            env.loader = jinja2.ChoiceLoader([ours, loader])
        return env

    def load_conversion(self, page: Page, files: Files) -> None:
        """Give ``page`` its content and contents list, if it was set up without them and the
        theme or the search plugin needs them."""
        key = self.lazy.pop(page.file.src_uri, None)
        if key is None:
            return
        packed = self.store.get(key) if self.store else None
        try:
            value = unpack(packed) if packed is not None else None
        except Exception:
            value = None
        if value is None:  # gone from the disk since: MkDocs converts it
            assert self.config is not None
            internals.render_as_mkdocs(page, self.config, files)
            return
        internals.set_body(page, **unpack(value["body"]))  # set up from its facts: only its body is missing

    def _search_entries(self, page: Page, add: Callable[[Page], None], entries: list[dict[str, Any]]) -> None:
        """What the search plugin does for each page as it is written: nothing, if another process
        gathers the pages' entries (``entries_ahead``), else ``_page_entries``."""
        if not self.searched_ahead:
            self._page_entries(page, add, entries)

    def entries_ahead(self, pages: list[Page], before_search: Callable[[Page], None]) -> Iterator[list[dict[str, Any]]]:
        """Each of ``pages``' search entries, in order, as the search plugin will gather them when
        the page is written (``before_search`` gives a page what the plugins before the search
        plugin give it then): for a forked process to index them while this one writes the pages.
        What the next build needs of them, and of the cache entries read or written from this
        call on (the index's too), is then ``kept_ahead``."""
        assert self.config is not None
        self.used_before_ahead = set(self.cache.used) if self.cache is not None else set()
        return self._entries_ahead(self.config, pages, before_search)

    def _entries_ahead(
        self, config: MkDocsConfig, pages: list[Page], before_search: Callable[[Page], None]
    ) -> Iterator[list[dict[str, Any]]]:
        for page in pages:
            before_search(page)
            entries: list[dict[str, Any]] = []
            facts = self.facts.get(page.file.src_uri)
            known = facts is not None and facts.get("search") is not None
            self._page_entries(page, partial(_add_entries, config, entries), entries)
            if facts is not None and not known:
                self.made_ahead[page.file.src_uri] = facts["search"]
            internals.drop_html(page)
            yield entries

    def kept_ahead(self) -> tuple[dict[str, bytes], set[str]]:
        """What ``entries_ahead`` worked out that the next build needs: the entries it made
        (packed), by page, and the cache entries it read or wrote; for ``take_ahead`` in the
        build's process."""
        used = self.cache.used - self.used_before_ahead if self.cache is not None else set()
        return self.made_ahead, used

    def take_ahead(self, search: dict[str, bytes], used: set[str]) -> None:
        """Keep what another process's ``entries_ahead`` worked out (``kept_ahead``) for the next build."""
        for src_uri, packed in search.items():
            if src_uri in self.facts:
                self.facts[src_uri]["search"] = packed
        if self.cache is not None:
            self.cache.used |= used

    def _page_entries(self, page: Page, add: Callable[[Page], None], entries: list[dict[str, Any]]) -> None:
        """Add ``page``'s search entries to ``entries`` from the cache, or as ``add`` does (and keep them)."""
        src_uri = page.file.src_uri
        facts = self.facts.get(src_uri)
        if facts is not None and facts.get("search") is not None:  # as the last build made them
            entries.extend(unpack(facts["search"]))
            return
        if facts is not None:
            before = len(entries)
            self._search_entries_made(page, add, entries)
            facts["search"] = pack(entries[before:])
            return
        self._search_entries_made(page, add, entries)

    def _search_entries_made(self, page: Page, add: Callable[[Page], None], entries: list[dict[str, Any]]) -> None:
        made = self.search_made.pop(page.file.src_uri, None)
        key = self.render_keys.get(page.file.src_uri)
        key = None if key is None or self.cache is None else digest("search", key)
        if made is not None and made[0] == digest(page.content):  # as the worker saw it
            packed = self.store.get(made[1]) if self.store else None
            if packed is not None:
                search = unpack(packed)["search"][1]
                entries.extend(unpack(search))
                if key is not None and self.cache is not None:
                    self.cache.put(key, search)
                return
        if key is None or self.cache is None:
            add(page)
            return
        kept = self.cache.get(key)
        if kept is not None:
            try:
                entries.extend(unpack(kept))
                return
            except Exception:  # unreadable: made again
                self.cache.used.discard(key)
        before = len(entries)
        add(page)
        self.cache.put(key, pack(entries[before:]))

    @event_priority(-100)  # after every other plugin (search reads the page's content first)
    def on_page_context(self, context: TemplateContext, /, *, page: Page, **kwargs: Any) -> TemplateContext:
        template = self.templates.pop(page.file.src_uri, None)
        if template is None:
            self.rendered_count += 1
            return context
        page.meta = {name: value for name, value in page.meta.items() if name != "template"}
        if template != "main.html":
            page.meta["template"] = template
        if page.file.src_uri in self.unchanged:
            return context
        finished = self.cache.get(self.render_keys[page.file.src_uri]) if self.cache else None
        try:
            html = zlib.decompress(finished or b"").decode("utf-8")
        except (zlib.error, UnicodeDecodeError):  # unreadable after all: the theme makes it
            assert self.env is not None
            html = self.env.get_template(template).render(context)
            self.rendered_count += 1
        context["finished_page"] = html  # type: ignore[typeddict-unknown-key]
        return context

    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._forget()

    def on_build_error(self, *, error: Exception) -> None:
        self._forget()

    def _forget(self) -> None:
        if self.spool is not None:
            self.spool.cleanup()
        self.spool = self.store = None
        self.converted.clear()
        self.search_made.clear()
        self.to_key.clear()
        self.lazy.clear()
        self.same.clear()
        self.nav = self.files = self.config = None

    @event_priority(100)  # the theme's output, before any plugin changes it
    def on_post_page(self, output: str, /, *, page: Page, **kwargs: Any) -> str:
        key = self.render_keys.pop(page.file.src_uri, None)
        if key is not None and self.cache is not None and key not in self.cache.used:
            self.cache.put(key, zlib.compress(output.encode("utf-8"), 1))
        return output


def _add_entries(config: MkDocsConfig, entries: list[dict[str, Any]], page: Page) -> None:
    """Add ``page``'s search entries to ``entries`` as the search plugin would."""
    entries.extend(internals.page_search_entries(config, page) or [])


class LoadConversions(BasePlugin):
    """Gives the pages ``ConvertPages`` set up without their content (``ConvertPages.lazy``)
    their content, after ``PackPages`` and before the search plugin and the theme need it."""

    def __init__(self, convert: ConvertPages) -> None:
        super().__init__()
        self.convert = convert

    @event_priority(90)  # after PackPages (100), before every other plugin
    def on_page_context(self, context: TemplateContext, /, *, page: Page, **kwargs: Any) -> TemplateContext:
        if self.convert.files is not None:
            self.convert.load_conversion(page, self.convert.files)
        return context


def _lookups_hold(
    lookups: dict[str, tuple[str, str, str] | None],
    files: Files,
    signatures: dict[str, tuple[str, str, str] | None],
) -> bool:
    """Whether every link lookup of a conversion still finds what it found (``signatures``
    remembers each path's answer for the other pages)."""
    for path, found in lookups.items():
        if path not in signatures:
            signatures[path] = file_signature(files.get_file_from_path(path))
        if signatures[path] != found:
            return False
    return True


def nav_fingerprint(nav: Navigation) -> str:
    """A hash of the navigation as every page shows it: titles, addresses, nesting."""

    def shape(items: Iterable[Any]) -> list:
        return [
            (type(item).__name__, item.title, getattr(item, "url", None), shape(item.children or [])) for item in items
        ]

    return digest(shape(nav.items))


BUILD_DATE = ("build_date_utc", "update_date")
"""What a theme's template shows the build's date (``SOURCE_DATE_EPOCH``) through."""


def theme_fingerprint(config: MkDocsConfig) -> str:
    """A hash of what every finished page depends on in the theme: the theme's own files outside
    installed packages (the overrides; the installed theme's are covered by its version), and the
    build's date if any template shows it."""
    parts: list[object] = []
    shows_date = False
    for folder in map(Path, config.theme.dirs):
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
            data = path.read_bytes()
            shows_date = shows_date or any(name.encode() in data for name in BUILD_DATE)
            if "site-packages" not in folder.parts:
                parts.append((str(path.relative_to(folder)), hashlib.sha256(data).hexdigest()))
        if "site-packages" not in folder.parts and folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix != ".html":
                    parts.append((str(path.relative_to(folder)), hashlib.sha256(path.read_bytes()).hexdigest()))
    return digest(parts, os.environ.get("SOURCE_DATE_EPOCH") if shows_date else None)

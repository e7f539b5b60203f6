"""The pipeline: load -> validate -> render (pages, PDFs, Word, open data) -> write -> site."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from generator.errors import BuildInProgress, ContentError
from generator.model import addresses
from generator.model.addresses import in_language, language_root
from generator.model.content import Content
from generator.pipeline.generate_cache import GenerateCache
from generator.pipeline.load import load
from generator.pipeline.open_data import open_data
from generator.pipeline.pdf import make_pdfs
from generator.pipeline.printing import PrintDocument, print_documents
from generator.pipeline.render import Pages, render
from generator.pipeline.render.browse import search_filter_labels, search_filters
from generator.pipeline.site import TEMPLATES_FOLDER, SplitSearch, build_site, finish_interrupted_update
from generator.pipeline.site_config import markdown_settings
from generator.pipeline.validate import validate
from generator.pipeline.word import make_word_files
from generator.pipeline.workers import LONG_LIVED
from generator.pipeline.write import Joined, WriteReport, write_pages
from generator.templating import environment, keep_compiled


@dataclass(frozen=True)
class Project:
    """Where a project keeps its content, pages and site."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def docs_dir(self) -> Path:
        return self.root / "briefings"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def pdf_cache(self) -> Path:
        """The PDFs of earlier builds, by the hash of what went into each."""
        return self.root / ".cache" / "pdf"

    @property
    def generate_cache(self) -> Path:
        """What earlier builds' generator stages worked out (parsed files, checks, pages, open
        data), by the hash of what went into each (see ``generator.pipeline.generate_cache``)."""
        return self.root / ".cache" / "generate"

    @property
    def site_cache(self) -> Path:
        """What earlier site builds made of each page, by the hash of what went into it."""
        return self.root / ".cache" / "site"


def check(project: Project, drafts: bool = False, strict: bool = False, kept: GenerateCache | None = None) -> Content:
    """Load and validate the content; raise ``ContentErrors`` listing every problem. With
    ``drafts``, drafts and embargoed reviews are included (for a local preview only); with
    ``strict``, the anonymity check's findings are errors, not warnings; with ``kept``, files
    and checks unchanged since an earlier build are taken from its cache."""
    return validate(load(project.content_dir, kept=kept), drafts=drafts, strict=strict, kept=kept)


def generate(project: Project, drafts: bool = False, strict: bool = False) -> tuple[Content, WriteReport]:
    """Check the content, render its pages, PDFs, Word documents and open data, then write them
    to ``briefings/``. The PDFs of every language are made in one go, so the PDF cache keeps
    them all (it keeps only the PDFs of the last call). What is unchanged since the last build
    is taken from the cache in ``.cache/generate`` (the same bytes as working it out again)."""
    ignored_by_git(project.root / ".cache")
    keep_compiled(environment(), project.root / ".cache" / TEMPLATES_FOLDER)
    kept = GenerateCache(project.generate_cache)
    with kept.settled():
        try:
            content = check(project, drafts, strict, kept)
        finally:
            kept.save()  # files read before an error are not parsed again once it is fixed
        kept.let_go("load", "checks")  # the files as parsed: the checked content is what is rendered
        kept.set_aside()
        return _generate(project, content, kept)


CACHE_GITIGNORE = "# Made by briefings build. The build's caches hold drafts too: never commit or publish them.\n*\n"
"""What ``ignored_by_git`` writes into the cache folder."""


def ignored_by_git(cache_root: Path) -> None:
    """Keep the caches (which hold every content file read, drafts and embargoed reviews too) out
    of the project's git repository, whatever its own ``.gitignore`` says, as pytest and ruff do
    with theirs: a ``.gitignore`` of ``*`` in the cache folder. A folder that cannot be written
    is left as it is (the caches then only cost time)."""
    try:
        cache_root.mkdir(parents=True, exist_ok=True)
        ignore = cache_root / ".gitignore"
        if not ignore.is_file():
            ignore.write_text(CACHE_GITIGNORE, encoding="utf-8")
    except OSError:
        pass


def _generate(project: Project, content: Content, kept: GenerateCache) -> tuple[Content, WriteReport]:
    """Render, make and write the files of checked content. Each page is written as it is
    rendered (``render.Pages``), so the pages are never all in memory; PDFs are made from the
    pages they print, which are rendered for them (or read from the cache) first."""
    editions: list[Mapping[str, str | bytes]] = []
    documents: dict[str, PrintDocument] = {}
    settings = markdown_settings(project.config_file)
    rendered: list[Pages] = []
    try:
        for edition in (content, *content.translations):  # a site in English and Welsh: the Welsh under cy/
            pages = render(edition, kept=kept, parallel=True)  # on every core, as they are written
            rendered.append(pages)
            editions.append(Joined(edition_files(edition, pages, kept), under=language_root(edition.language)))
            if edition.settings.make_pdfs:
                printing = print_documents(edition, printed(edition, pages), settings)
                documents.update(in_language(edition.language, printing))
        made = make_pdfs(documents, project.pdf_cache) if documents else {}
        report = write_pages(Joined(made, *reversed(editions)), project.docs_dir)
    finally:
        for pages in rendered:
            pages.close()
    kept.save()
    return content, report


def printed(content: Content, pages: Mapping[str, str]) -> dict[str, str]:
    """The pages that are printed to PDF (each review's briefing and 7-minute briefing)."""
    return {path: pages[path] for entry in content.reviews for path in addresses.printed(entry.review.id)}


def edition_files(
    content: Content, pages: Mapping[str, str], kept: GenerateCache | None = None
) -> Mapping[str, str | bytes]:
    """The pages, Word documents and open data of one language's edition of the content (the
    pages read only as they are written)."""
    word = make_word_files(content) if content.settings.make_word else {}
    return Joined(open_data(content, kept), word, pages)


def split_search(content: Content) -> SplitSearch:
    """What the published site's search needs from one language's edition of the content."""
    strings = content.strings
    return SplitSearch(
        search_filters(content), search_filter_labels(content), strings["search_filter_any"], strings["browse_filters"]
    )


@dataclass(frozen=True)
class Built:
    """What a build reports when it is done: ``build`` lets the checked content itself go before
    the site stage, which needs only a little of it."""

    warnings: tuple[ContentError, ...]
    """The findings of the anonymity and plain-English checks and the check for text with no Welsh."""
    reviews: tuple[str, ...]
    """The ids of the reviews built."""
    translations: tuple[str, ...]
    """The languages the site is also in (``cy``), besides English."""


def build(project: Project, strict: bool = False) -> tuple[Built, WriteReport]:
    """The whole build: content to pages to ``site/``. One build of a project runs at a time,
    and an update of ``site/`` an earlier build did not finish is completed first. The content
    is let go before the site stage, so neither the build nor its workers hold it meanwhile."""
    with one_build_at_a_time(project):
        finish_interrupted_update(project.site_dir, project.site_cache)
        content, report = generate(project, strict=strict)
        search = {edition.language: split_search(edition) for edition in (content, *content.translations)}
        epoch, settings = content.content_epoch(), content.settings
        built = Built(
            content.warnings,
            tuple(entry.review.id for entry in content.reviews),
            tuple(edition.language for edition in content.translations),
        )
        del content
        if len(report.written) + len(report.removed) >= LONG_LIVED:
            # The content's objects that refer to one another, before the rest are set aside and
            # the site stage forks workers for many pages. After a small change (its workers end
            # soon) collecting would take longer than it saves: a fifth of the rebuild of 1,000.
            gc.collect()
        with shared_with_workers():
            build_site(
                project.config_file, project.site_dir, epoch, settings, search=search, cache_dir=project.site_cache
            )
    return built, report


@contextmanager
def shared_with_workers() -> Iterator[None]:
    """Leave every object made so far out of Python's garbage collection while the site stage
    runs. Its page-converting workers are forked, and share the build's memory until one of them
    writes to it: a collection in a worker would write to every object it looks through, so each
    worker would come to hold its own copy of them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def one_build_at_a_time(project: Project) -> Iterator[None]:
    """Hold the project's build lock (``.cache/build.lock``) while a build runs, or raise
    ``BuildInProgress`` at once if another build of it holds it. The lock is the operating
    system's, so it is let go even if that build is killed."""
    lock_file = project.root / ".cache" / "build.lock"
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(lock_file, timeout=0):
            yield
    except Timeout:
        raise BuildInProgress(
            f"another build of this project is running (it holds {lock_file}); wait for it to finish, then build again"
        ) from None

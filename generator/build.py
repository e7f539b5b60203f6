"""The pipeline: load -> validate -> render (pages, PDFs, Word, open data) -> write -> site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.model.content import Content
from generator.pipeline.load import load
from generator.pipeline.open_data import open_data
from generator.pipeline.pdf import make_pdfs
from generator.pipeline.printing import print_documents
from generator.pipeline.render import render
from generator.pipeline.render.browse import search_filter_labels, search_filters
from generator.pipeline.site import SplitSearch, build_site
from generator.pipeline.site_config import markdown_settings
from generator.pipeline.validate import validate
from generator.pipeline.word import make_word_files
from generator.pipeline.write import WriteReport, write_pages


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


def check(project: Project, drafts: bool = False, strict: bool = False) -> Content:
    """Load and validate the content; raise ``ContentErrors`` listing every problem. With
    ``drafts``, drafts and embargoed reviews are included (for a local preview only); with
    ``strict``, the anonymity check's findings are errors, not warnings."""
    return validate(load(project.content_dir), drafts=drafts, strict=strict)


def generate(project: Project, drafts: bool = False, strict: bool = False) -> tuple[Content, WriteReport]:
    """Check the content, render its pages, PDFs, Word documents and open data, then write them
    to ``briefings/``."""
    content = check(project, drafts, strict)
    pages = render(content)
    pdfs = (
        make_pdfs(print_documents(content, pages, markdown_settings(project.config_file)), project.pdf_cache)
        if content.settings.make_pdfs
        else {}
    )
    word = make_word_files(content) if content.settings.make_word else {}
    return content, write_pages({**pages, **pdfs, **word, **open_data(content)}, project.docs_dir)


def build(project: Project, strict: bool = False) -> tuple[Content, WriteReport]:
    """The whole build: content to pages to ``site/``."""
    content, report = generate(project, strict=strict)
    strings = content.strings
    search = SplitSearch(
        search_filters(content), search_filter_labels(content), strings["search_filter_any"], strings["browse_filters"]
    )
    build_site(project.config_file, project.site_dir, content.content_epoch(), content.settings, search=search)
    return content, report

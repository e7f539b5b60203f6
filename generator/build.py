"""The pipeline: load -> validate -> render (pages, then PDFs) -> write -> site."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from pathlib import Path

from generator.load import load
from generator.model import NOT_DATED
from generator.pdf import make_pdfs
from generator.printing import print_documents
from generator.render import render
from generator.site import build_site
from generator.validate import Site, validate
from generator.write import WriteReport, write_pages


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


def check(project: Project, drafts: bool = False, strict: bool = False) -> Site:
    """Load and validate the content; raise ``ContentErrors`` listing every problem. With
    ``drafts``, drafts and embargoed reviews are included (for a local preview only); with
    ``strict``, the anonymity check's findings are errors, not warnings."""
    return validate(load(project.content_dir), drafts=drafts, strict=strict)


def generate(project: Project, drafts: bool = False, strict: bool = False) -> tuple[Site, WriteReport]:
    """Check the content, render its pages and PDFs, then write them to ``briefings/``."""
    site = check(project, drafts, strict)
    pages = render(site)
    pdfs = make_pdfs(print_documents(site, pages)) if site.settings.make_pdfs else {}
    return site, write_pages({**pages, **pdfs}, project.docs_dir)


def build(project: Project, strict: bool = False) -> tuple[Site, WriteReport]:
    """The whole build: content to pages to ``site/``."""
    site, report = generate(project, strict=strict)
    build_site(project.config_file, project.site_dir, content_epoch(site), site.settings)
    return site, report


def content_epoch(site: Site) -> int:
    """The time stamp MkDocs puts in the sitemap: the newest publication date in the content,
    so that the same content always gives the same files."""
    dates = [entry.review.published for entry in site.reviews if entry.review.published != NOT_DATED]
    if not dates:
        return 0
    parts = [int(part) for part in max(dates).split("-")] + [1, 1]
    newest = datetime.date(parts[0], parts[1], parts[2])
    return calendar.timegm(newest.timetuple())

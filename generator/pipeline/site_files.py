"""Part of stage 5, site: the published site is updated in place, by difference.

A build writes into a staging folder only the files that changed; ``commit`` then moves them
into ``site/`` and deletes the files the new build no longer has. A manifest of the published
site (each file's digest, size and modification time, by its path in the site) is kept in
``.cache/site/manifest.pickle``, written only once a commit is complete. Before the commit moves
anything it writes a journal of what it is about to do; a build that finds a journal (the last
commit was interrupted) completes it first. A manifest that is missing, unreadable or does not
match ``site/`` file for file (sizes, times) means a cold build: the whole new site is built in
the staging folder and swapped in, as if there had been no site before.

``KeepCopies`` spares MkDocs copying the static files (the theme's assets, the PDFs and Word
files, ``learning.json``) that the published site already holds unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel

from generator.pipeline import mkdocs_internals as internals

MANIFEST_FORMAT = "learning-lessons published site 1"
"""The format of the manifest and the journal: any other is not trusted."""

MANIFEST = "manifest.pickle"
"""The manifest's name in the site cache's folder."""

INDEX_FOLDER = "search-index/"
"""Where each edition's split search index is, in the edition's folder."""

NEXT_MANIFEST = "manifest-next.pickle"
"""The manifest of the site a commit under way makes, until it is done."""

JOURNAL = "commit-journal.json"
"""The journal's name in the site cache's folder, there only while a commit is under way."""

Entry = tuple[str, int, int]
"""A published file: the hex SHA-256 of its bytes, its size and its modification time (ns)."""


def file_digest(path: Path) -> str:
    """The hex SHA-256 of the file at ``path``."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def walk(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every file under ``folder``: its path relative to it (with ``/``) and its ``stat``."""
    pending = [(folder, "")]
    while pending:
        here, prefix = pending.pop()
        with os.scandir(here) as found:
            for entry in found:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
                else:
                    yield f"{prefix}{entry.name}", entry.stat(follow_symlinks=False)


def _write_json(path: Path, value: object) -> None:
    """Write ``value`` as JSON to ``path``, whole (written beside it, then renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(value, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    temporary.replace(path)


def _read_json(path: Path) -> dict | None:
    """The journal at ``path``, or None if it is missing, unreadable or of another format."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and value.get("format") == MANIFEST_FORMAT else None


CHECK_LENGTH = 16
"""Bytes of a hash of the manifest kept in front of it, so a damaged manifest is known."""


def _write_manifest(path: Path, value: dict) -> None:
    """Write a manifest to ``path``, whole, after its format and a hash of it."""
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(MANIFEST_FORMAT.encode() + hashlib.sha256(data).digest()[:CHECK_LENGTH] + data)
    temporary.replace(path)


def _read_manifest(path: Path) -> dict | None:
    """The manifest at ``path``, or None if it is missing, damaged or of another format."""
    head = len(MANIFEST_FORMAT.encode())
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = data[head + CHECK_LENGTH :]
    if (
        data[:head] != MANIFEST_FORMAT.encode()
        or hashlib.sha256(body).digest()[:CHECK_LENGTH] != data[head:][:CHECK_LENGTH]
    ):
        return None
    try:
        value = pickle.loads(body)
    except Exception:
        return None
    return value if isinstance(value, dict) else None


class Published:
    """What the published site holds, by path in the site, and where its static files came from."""

    def __init__(self, files: dict[str, Entry], sources: dict[str, list]) -> None:
        self.files = files
        self.sources = sources
        """For each static file MkDocs copied: its source's path, size and modification time."""

    def digest(self, path: str) -> str | None:
        """The digest of the published file at ``path``, if there is one."""
        entry = self.files.get(path)
        return None if entry is None else entry[0]

    def under(self, prefix: str) -> dict[str, str]:
        """The digests of the files under ``prefix``, by path relative to it."""
        return {path[len(prefix) :]: entry[0] for path, entry in self.files.items() if path.startswith(prefix)}


def published(cache_dir: Path, site_dir: Path) -> Published | None:
    """The manifest of ``site_dir``, if there is one and the site matches it file for file."""
    manifest = _read_manifest(cache_dir / MANIFEST)
    if manifest is None or manifest.get("site") != str(site_dir) or not site_dir.is_dir():
        return None
    try:
        files = {
            path: (str(digest), int(size), int(mtime)) for path, (digest, size, mtime) in manifest["files"].items()
        }
        sources = dict(manifest["sources"])
    except (KeyError, TypeError, ValueError):
        return None
    found = 0
    for path, stat in walk(site_dir):
        entry = files.get(path)
        if entry is None or entry[1] != stat.st_size or entry[2] != stat.st_mtime_ns:
            return None
        found += 1
    return Published(files, sources) if found == len(files) else None


def forget(cache_dir: Path) -> None:
    """Drop the manifest: the next build is cold."""
    (cache_dir / MANIFEST).unlink(missing_ok=True)


def _save(cache_dir: Path, site_dir: Path, files: Mapping[str, Entry], sources: Mapping[str, list]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    _write_manifest(
        cache_dir / MANIFEST,
        {"format": MANIFEST_FORMAT, "site": str(site_dir), "files": dict(files), "sources": dict(sources)},
    )


def scan(site_dir: Path) -> dict[str, Entry]:
    """Every file of ``site_dir`` with its digest, size and time (after a cold build)."""
    return {path: (file_digest(site_dir / path), stat.st_size, stat.st_mtime_ns) for path, stat in walk(site_dir)}


def swap_in(staging: Path, site_dir: Path, cache_dir: Path | None, sources: Mapping[str, list]) -> dict[str, Entry]:
    """Replace ``site_dir`` with ``staging`` (a cold build): two renames, the old site removed
    last; with ``cache_dir``, the new site's manifest is kept there. Returns the manifest."""
    if cache_dir is not None:
        forget(cache_dir)
    retired = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
    files = scan(site_dir) if cache_dir is not None else {}
    if cache_dir is not None:
        _save(cache_dir, site_dir, files, sources)
    return files


def commit(
    staging: Path,
    site_dir: Path,
    cache_dir: Path,
    before: Published,
    kept: Iterable[str],
    sources: Mapping[str, list],
) -> dict[str, Entry]:
    """Move into ``site_dir`` the files of ``staging`` that differ from what it holds, and delete
    what is in neither ``staging`` nor ``kept`` (the published files the build left as they
    were); a journal makes an interrupted commit one the next build completes. Returns the new
    manifest (also kept in ``cache_dir``)."""
    files = {path: before.files[path] for path in kept if path in before.files}
    moves = []
    for path, stat in walk(staging):
        digest = file_digest(staging / path)
        if before.digest(path) == digest:
            files[path] = before.files[path]
        else:
            files[path] = (digest, stat.st_size, stat.st_mtime_ns)
            moves.append(path)
    moves.sort(key=move_order)
    deletions = sorted(path for path in before.files if path not in files)
    _write_manifest(
        cache_dir / NEXT_MANIFEST,
        {"format": MANIFEST_FORMAT, "site": str(site_dir), "files": files, "sources": dict(sources)},
    )
    journal = {
        "format": MANIFEST_FORMAT,
        "site": str(site_dir),
        "staging": str(staging),
        "moves": moves,
        "deletions": deletions,
    }
    _write_json(cache_dir / JOURNAL, journal)
    _carry_out(journal, cache_dir)
    return files


def move_order(path: str) -> tuple[int, str]:
    """The order a commit moves files in, so that a site seen part way through an update never
    points at what is not there yet: the search index's records first, then the pages and other
    files, then the index's word and filter files that point at records, its settings last."""
    index = path.find(INDEX_FOLDER)
    if index < 0 or (index > 0 and path[index - 1] != "/"):
        return 1, path
    inside = path[index + len(INDEX_FOLDER) :]
    if inside.startswith(("records/", "more/")):
        return 0, path
    return (3 if inside == "index.json" else 2), path


def repair(cache_dir: Path, site_dir: Path) -> None:
    """Complete a commit that was interrupted (see ``commit``); if it cannot be, the next build is cold."""
    journal = _read_json(cache_dir / JOURNAL)
    if journal is None:
        (cache_dir / JOURNAL).unlink(missing_ok=True)
        return
    if journal.get("site") != str(site_dir) or _read_manifest(cache_dir / NEXT_MANIFEST) is None:
        forget(cache_dir)
        (cache_dir / JOURNAL).unlink(missing_ok=True)
        return
    try:
        _carry_out(journal, cache_dir)
    except (OSError, KeyError, TypeError, ValueError):
        forget(cache_dir)
        (cache_dir / JOURNAL).unlink(missing_ok=True)


def _carry_out(journal: dict, cache_dir: Path) -> None:
    """Do what ``journal`` says (moves, then deletions and emptied folders), then make the next
    manifest the manifest and remove the journal and the staging folder."""
    site_dir, staging = Path(journal["site"]), Path(journal["staging"])
    made: set[Path] = set()
    for path in journal["moves"]:
        source, target = staging / path, site_dir / path
        if source.exists():
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            move_into_place(source, target)
    emptied: set[Path] = set()
    for path in journal["deletions"]:
        (site_dir / path).unlink(missing_ok=True)
        emptied.add((site_dir / path).parent)
    for folder in sorted(emptied, key=lambda folder: len(folder.parts), reverse=True):
        while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    os.replace(cache_dir / NEXT_MANIFEST, cache_dir / MANIFEST)
    (cache_dir / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def move_into_place(source: Path, target: Path) -> None:
    """Move one new file of the site into place (a rename: whole or not at all)."""
    os.replace(source, target)


class KeepCopies(BasePlugin):
    """Leaves uncopied the static files whose published copy is the same (by the source's size
    and time, or else its digest), and notes each static file's source for the manifest."""

    def __init__(self, before: Published | None, prefix: str) -> None:
        super().__init__()
        self.before = before
        self.prefix = prefix
        self.kept: list[str] = []
        """The static files (by path in the site) that were not copied: the site has them."""
        self.sources: dict[str, list] = {}

    @event_priority(-100)  # after every other plugin: MkDocs copies the static files next
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        for file in files:
            if file.is_documentation_page() or not InclusionLevel.is_included(file.inclusion):
                continue
            if file.generated_by is not None or file.abs_src_path is None:
                continue  # made by a plugin: copied, then compared
            path = self.prefix + file.dest_uri
            try:
                stat = os.stat(file.abs_src_path)
            except OSError:
                continue
            source = [file.abs_src_path, stat.st_size, stat.st_mtime_ns]
            self.sources[path] = source
            if self.before is None or self.before.digest(path) is None:
                continue
            same = self.before.sources.get(path) == source or (
                self.before.files[path][1] == stat.st_size
                and file_digest(Path(file.abs_src_path)) == self.before.digest(path)
            )
            if same:
                internals.skip_copy(file)
                self.kept.append(path)
        return env

"""What earlier builds worked out, kept so that a rebuild does work in proportion to what changed.

A build reads, checks and renders every review; after an edit to one of them, almost all of that
work gives what it gave last time. ``GenerateCache`` keeps it in ``.cache/generate/``, one file per
stage (``load``, ``checks``, ``pages``, ``open-data``), each a table ``{key: value}``:

- ``load``: a content file parsed (its ``Document``, or the errors that stopped it), by a hash of
  the file's path and bytes (never its modification time);
- ``checks``: a review's anonymity and plain-English findings, by the review's bytes and every
  other content file (settings, jargon, helplines and contacts are read from them);
- ``pages``: a rendered page, by the edition's fingerprint (``Content.fingerprint``: the settings,
  strings and vocabularies as files, the language, the text left in English) and a fingerprint of
  exactly what the page's template is given (``context_key``). A review stands in it for the hash
  of its file (``ReviewEntry.fingerprint``) and its preview and withdrawn flags, so a page made from
  one review, or from the reviews and points shown on one theme or agency page, is rendered again
  only when one of them changed. Pages whose templates read the whole content (the home page, the
  lists) are always rendered (``render.WHOLE_CONTENT_TEMPLATES``);
- ``open-data``: each review's part of ``learning.json`` and ``learning.csv``, joined in order.

Every key also holds the hash of the generator's own code (its ``.py``, ``.j2`` and ``.yml``
files, read once per build) and the installed versions of the libraries whose output is kept, so
an upgrade or a changed template is a miss, never stale output. Each table file starts with a
format line and a hash of the rest: a file that is damaged, foreign or of another version is read
as empty (every entry a miss), so the cache can always be deleted and a build gives the same
bytes with or without it. After a build, each table keeps only the entries that build used, so
it does not grow with the history of builds; a table is written only when that changed.

Pickle is used because the values are the pipeline's own objects (pydantic models, dataclasses);
the files are the project's own, next to its content, like the site and PDF caches.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.model.content import ReviewEntry

FORMAT = b"learning-lessons generate cache 1\n"
"""The first line of every table file: a file without it is read as empty."""

PACKAGE = Path(__file__).resolve().parents[1]
"""The generator's package, whose files go into every key."""

CODE_SUFFIXES = (".py", ".j2", ".yml", ".json")
"""The package's files that decide what it makes."""

LIBRARIES = ("jinja2", "pydantic", "pydantic-core", "markdown", "textstat", "pyyaml", "python-frontmatter", "feedgen")
"""The installed libraries whose versions go into every key."""


def code_digest(folders: Iterable[Path] = (PACKAGE,)) -> str:
    """A hash of the generator's code and templates, the Python and the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none\n".encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_digest(shown_as: str, raw: bytes) -> str:
    """A content file's fingerprint: a hash of its path (as messages show it) and its bytes."""
    return hashlib.sha256(shown_as.encode() + b"\0" + raw).hexdigest()


class Uncacheable(TypeError):
    """A context holds a value ``context_key`` cannot fingerprint: the page is not cached."""


def context_key(value: Any) -> str:
    """A fingerprint of what a page's template is given: the same for the same values. A review
    is its file's hash and its flags; a value with a ``cache_identity()`` (a learning point) is
    what that gives (its review and its anchor)."""
    parts: list[str] = []
    _fingerprint(value, parts)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprint(value: Any, parts: list[str]) -> None:
    if value is None or isinstance(value, str | int | float | bool):
        parts.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, ReviewEntry):
        if not value.fingerprint:
            raise Uncacheable("a review with no fingerprint")
        parts.append(f"E:{value.fingerprint}:{value.preview:d}{value.report_withdrawn:d}")
    elif hasattr(value, "cache_identity"):  # a part of a review, named by the review and where it is
        parts.append(f"I:{type(value).__qualname__}")
        _fingerprint(value.cache_identity(), parts)
    elif isinstance(value, list | tuple):
        parts.append(f"[{len(value)}")
        for item in value:
            _fingerprint(item, parts)
    elif isinstance(value, set | frozenset):
        parts.append(f"{{{len(value)}")
        for item in sorted(value, key=repr):
            _fingerprint(item, parts)
    elif isinstance(value, dict):
        parts.append(f"({len(value)}")
        for key, item in value.items():
            _fingerprint(key, parts)
            _fingerprint(item, parts)
    elif isinstance(value, BaseModel):
        parts.append(f"M:{type(value).__qualname__}:{value.model_dump_json()}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts.append(f"D:{type(value).__qualname__}")
        for field in dataclasses.fields(value):
            _fingerprint(getattr(value, field.name), parts)
    else:
        raise Uncacheable(f"cannot fingerprint a {type(value).__name__}")


class Table:
    """One stage's entries: read from its file when first asked, written back by ``save``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Any] | None = None
        self.used: dict[str, Any] = {}
        self.changed = False

    def _read(self) -> dict[str, Any]:
        if self.entries is None:
            self.entries = read_table(self.path)
        return self.entries

    def get(self, key: str) -> Any | None:
        """The value kept under ``key``, or None."""
        value = self._read().get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` under ``key`` (not None)."""
        self.used[key] = value
        self.changed = True

    def save(self) -> None:
        """Write the entries this build used, if they differ from the file's."""
        if self.entries is None and not self.changed:
            return  # never read: leave the file as it is
        if not self.changed and self.used.keys() == self._read().keys():
            return
        write_table(self.path, self.used)
        self.entries = dict(self.used)
        self.changed = False


def read_table(path: Path) -> dict[str, Any]:
    """A table file's entries; empty for a missing, damaged or foreign file."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    check = len(FORMAT) + 32
    if not data.startswith(FORMAT) or hashlib.sha256(data[check:]).digest() != data[len(FORMAT) : check]:
        return {}
    try:
        entries = pickle.loads(data[check:])
    except Exception:  # a hash that matches over bytes pickle cannot read: a foreign file
        return {}
    return entries if isinstance(entries, dict) else {}


def write_table(path: Path, entries: dict[str, Any]) -> None:
    """Write a table file whole, so a crash leaves the old file or the new one."""
    payload = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(FORMAT + hashlib.sha256(payload).digest() + payload)
    temporary.replace(path)


class GenerateCache:
    """The generator stages' cache in one folder (``Project.generate_cache``)."""

    def __init__(self, folder: Path, code: str | None = None) -> None:
        self.folder = folder
        self.code = code if code is not None else code_digest()
        """The hash of the generator's code, in every key."""
        self.tables: dict[str, Table] = {}

    def key(self, *parts: object) -> str:
        """A key made of the code's hash and ``parts`` (their ``repr``)."""
        return hashlib.sha256(repr((self.code, parts)).encode("utf-8", "surrogatepass")).hexdigest()

    def table(self, name: str) -> Table:
        """The table of one stage."""
        if name not in self.tables:
            self.tables[name] = Table(self.folder / f"{name}.pickle")
        return self.tables[name]

    def save(self) -> None:
        """Write every table this build changed."""
        for table in self.tables.values():
            table.save()

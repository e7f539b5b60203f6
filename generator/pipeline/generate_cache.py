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
an upgrade or a changed template is a miss, never stale output.

A table file is a format line, then one record per entry: its length, a hash of it, and the
pickled key and value. A build appends the entries it made (an edit adds a few records to a file
of thousands, instead of writing it all again); when the entries no build uses any more
outnumber the ones the last build used, the file is written anew with only those. A record
whose hash does not match (damaged, cut short by a crash) is a miss, as is every record after
it, and the file is then written anew; a file of another format is read as empty. So the cache
can always be deleted, and a build gives the same bytes with or without it.

The tables of text made once and never changed (``SPILLED``: the pages and the open data, most of
a large build's memory) are not held until they are saved: each entry a build makes is written
as its record at once to a nameless temporary file beside the table, and copied from there when
the table is saved, so the writer can drop each page as soon as it is on disk.

Pickle is used because the values are the pipeline's own objects (pydantic models, dataclasses);
the files are the project's own, next to its content, like the site and PDF caches.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import logging
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from generator.model.content import ReviewEntry

NOTICES = logging.getLogger("learning_lessons.site")
"""One-line notices about how the build went (as ``site.NOTICES``): a cache that could not be
kept is one, never a failed build."""

FORMAT = b"learning-lessons generate cache 2\n"
"""The first line of every table file: a file without it is read as empty."""

PACKAGE = Path(__file__).resolve().parents[1]
"""The generator's package, whose files go into every key."""

CODE_SUFFIXES = (".py", ".j2", ".yml", ".json")
"""The package's files that decide what it makes."""

LIBRARIES = (
    "jinja2",
    "markupsafe",
    "pydantic",
    "pydantic-core",
    "markdown",
    "textstat",
    "pyphen",
    "pyyaml",
    "python-frontmatter",
    "feedgen",
)
"""The installed libraries whose versions go into every key."""


def code_digest(folders: Iterable[Path] | None = None) -> str:
    """A hash of the generator's code and templates (in ``folders``: the package), the Python
    and the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none\n".encode())
    for folder in (PACKAGE,) if folders is None else folders:
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
    what that gives (its review and its anchor); a pydantic model is its JSON.

    The values are pickled without pickle's memo (so that equal values give equal bytes however
    they share objects) and the bytes hashed: pickle's C code walks the lists, dicts and
    dataclasses far faster than Python could. (A set is pickled in its order, which can differ
    between processes: a page given one may miss the cache, never get a wrong page.)"""
    out = io.BytesIO()
    pickler = _KeyPickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: a value's bytes never depend on which objects it shares
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
        raise Uncacheable(str(error)) from None
    return hashlib.sha256(out.getbuffer()).hexdigest()


def _entry(fingerprint: str, preview: bool, withdrawn: bool) -> None:
    """Stands for a review in a key's pickle (never called)."""


def _identity(kind: str, identity: Any) -> None:
    """Stands for a value named by its ``cache_identity()`` in a key's pickle (never called)."""


def _model(kind: str, data: str) -> None:
    """Stands for a pydantic model in a key's pickle (never called)."""


class _KeyPickler(pickle.Pickler):
    """Pickles a page's context for its key (``context_key``)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, ReviewEntry):
            if not obj.fingerprint:
                raise Uncacheable("a review with no fingerprint")
            return _entry, (obj.fingerprint, obj.preview, obj.report_withdrawn)
        if isinstance(obj, BaseModel):
            return _model, (type(obj).__qualname__, obj.model_dump_json())
        identity = getattr(type(obj), "cache_identity", None)
        if identity is not None:
            return _identity, (type(obj).__qualname__, identity(obj))
        return NotImplemented  # lists, dicts, dataclasses: pickled as they are


SPILLED = frozenset({"pages", "open-data"})
"""The tables whose new entries are written out as they are made, not held in memory until the
table is saved (their values are text, made once and never changed: pages and open data)."""


class Spilled:
    """New entries of a table, as records in a nameless temporary file beside it (gone when
    closed, or when the build is killed), so a build need not hold them in memory."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.file = tempfile.TemporaryFile(dir=folder)
        self.end = 0
        self.places: dict[str, tuple[int, int]] = {}
        """Where each entry's record is in the file, and how long it is."""

    def put(self, key: str, value: Any) -> None:
        record = _record((key, value))
        self.file.seek(self.end)
        self.file.write(record)
        self.places[key] = (self.end, len(record))
        self.end += len(record)

    def record(self, key: str) -> bytes:
        start, size = self.places[key]
        self.file.seek(start)
        return self.file.read(size)

    def get(self, key: str) -> Any:
        """The value kept under ``key`` (which must be here)."""
        return pickle.loads(self.record(key)[LENGTH + CHECK :])[1]

    def copy_to(self, out: BinaryIO) -> None:
        """Every record, in the order they were put."""
        self.file.flush()
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)

    def close(self) -> None:
        self.file.close()


class Table:
    """One stage's entries: read from its file when first asked, written back by ``save``."""

    def __init__(self, path: Path, spill: bool = False) -> None:
        self.path = path
        self.entries: dict[str, Any] | None = None
        self.whole = True
        """Whether every record of the file could be read (else it is written anew)."""
        self.used: dict[str, Any] = {}
        self.added: dict[str, Any] = {}
        self.spill = spill
        """Whether new entries go to a temporary file as they are put (``Spilled``)."""
        self.spilled: Spilled | None = None

    def _read(self) -> dict[str, Any]:
        """The table's entries, read from its file the first time they are asked for."""
        if self.entries is None:
            self.entries, self.whole = read_table(self.path)
        return self.entries

    def get(self, key: str) -> Any | None:
        """The value kept under ``key``, or None."""
        value = self._read().get(key)
        if value is not None:
            self.used[key] = value
        elif self.spilled is not None and key in self.spilled.places:
            value = self.spilled.get(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` under ``key`` (not None): in memory, or for a table that spills, in
        its temporary file (in memory if that cannot be written)."""
        if self.spill:
            try:
                if self.spilled is None:
                    self.spilled = Spilled(self.path.parent)
                self.spilled.put(key, value)
            except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
                pass  # kept in memory below
            else:
                self.used[key] = ON_DISK
                self.added.pop(key, None)
                return
        self.used[key] = value
        self.added[key] = value

    def save(self) -> None:
        """Keep what this build used: new entries are appended to the file; when the entries no
        build uses any more outnumber those it does (or the file was damaged), the file is
        written anew with only the used ones."""
        if self.entries is None:
            return  # never read: leave the file as it is
        unused = len(self.entries.keys() - self.used.keys())
        spilled, self.spilled = self.spilled, None
        try:
            if not self.whole or unused > len(self.used):
                write_table(self.path, self.used, spilled)
                self.entries, self.whole = dict(self.used), True
            elif self.added or spilled is not None:
                append_records(self.path, self.added, spilled)
                self.entries.update(self.added)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
            # The cache only saves time: a build never fails for it. Without the file, the next
            # build makes these entries again.
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
            self.entries, self.whole = {}, False
            NOTICES.warning(
                "The build's cache could not be kept in %s (%s); the next build does everything again.",
                self.path,
                error,
            )
        finally:
            if spilled is not None:  # the values it held are in the table's file now (or lost)
                spilled.close()
                self.used = {key: value for key, value in self.used.items() if value is not ON_DISK}
                if self.entries is not None:
                    self.entries = {key: value for key, value in self.entries.items() if value is not ON_DISK}
        self.added = {}


CHECK = 16
"""Bytes of a hash of each record kept in front of it, so a damaged record is known."""

LENGTH = 8
"""Bytes giving each record's length."""


def read_table(path: Path) -> tuple[dict[str, Any], bool]:
    """A table file's entries, and whether every record was whole. A missing or foreign file
    has none; a damaged record, and any after it, are left out. The file is read a record at a
    time, so it is never in memory whole beside its entries."""
    try:
        file = path.open("rb")
    except OSError:
        return {}, False  # written anew
    collecting = gc.isenabled()
    gc.disable()  # unpickling makes many objects and no garbage: collecting meanwhile only costs
    try:
        with file:
            return _records_in(file) if file.read(len(FORMAT)) == FORMAT else ({}, False)
    except OSError:
        return {}, False
    finally:
        if collecting:
            gc.freeze()  # nor need they be looked through after (see GenerateCache.settled)
            gc.enable()


def _records_in(file: BinaryIO) -> tuple[dict[str, Any], bool]:
    """The records from ``file``'s place to its end, and whether they were all whole (reading
    stops at the first damaged one: a length longer than what is left of the file, a hash that
    does not match, bytes pickle cannot read)."""
    entries: dict[str, Any] = {}
    end = os.fstat(file.fileno()).st_size
    while head := file.read(LENGTH + CHECK):
        size = int.from_bytes(head[:LENGTH], "big")
        if len(head) != LENGTH + CHECK or size > end - file.tell():
            return entries, False
        payload = file.read(size)
        if len(payload) != size or hashlib.sha256(payload).digest()[:CHECK] != head[LENGTH:]:
            return entries, False
        try:
            key, value = pickle.loads(payload)
        except Exception:  # a hash that matches over bytes pickle cannot read: a foreign file
            return entries, False
        entries[key] = value
    return entries, True


ON_DISK = object()
"""Stands in a table's entries for a value that is in its temporary file (``Spilled``)."""


def _record(item: tuple[str, Any]) -> bytes:
    """One entry as a record: its length, a hash of it, the pickled key and value."""
    payload = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    return len(payload).to_bytes(LENGTH, "big") + hashlib.sha256(payload).digest()[:CHECK] + payload


def _write_records(file: BinaryIO, entries: dict[str, Any], spilled: Spilled | None = None) -> None:
    """Write each entry as a record, one after another (never all of them in memory at once);
    an entry that is ``ON_DISK`` is copied from ``spilled`` as it is."""
    for key, value in entries.items():
        if value is ON_DISK and spilled is not None:
            file.write(spilled.record(key))
        else:
            file.write(_record((key, value)))


def write_table(path: Path, entries: dict[str, Any], spilled: Spilled | None = None) -> None:
    """Write a table file whole, so a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as file:
        file.write(FORMAT)
        _write_records(file, entries, spilled)
    temporary.replace(path)


def append_records(path: Path, entries: dict[str, Any], spilled: Spilled | None = None) -> None:
    """Add records to the end of a table file (a crash part way leaves a damaged last record,
    which the next read leaves out, and the file is then written anew), with every record in
    ``spilled``."""
    with path.open("ab") as file:
        _write_records(file, entries)
        if spilled is not None:
            spilled.copy_to(file)


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
            self.tables[name] = Table(self.folder / f"{name}.pickle", spill=name in SPILLED)
        return self.tables[name]

    def let_go(self, *names: str) -> None:
        """Save the tables ``names`` and let go of what they hold in memory: for the stages whose
        work is done (the files read, the checks), so that the later stages, and the workers
        they fork, do not hold it. A table let go is read again if it is asked for again."""
        for name in names:
            table = self.tables.pop(name, None)
            if table is not None:
                table.save()

    @contextlib.contextmanager
    def settled(self) -> Iterator[None]:
        """A build's stages, with what is read from the cache (and the content checked) left
        out of Python's garbage collection: its passes would go through those objects, none of
        them garbage, again and again (``read_table`` sets them aside as it reads them). They
        are put back at the end."""
        try:
            yield
        finally:
            gc.unfreeze()

    @staticmethod
    def set_aside() -> None:
        """Leave every object made so far out of garbage collection until ``settled`` ends."""
        gc.freeze()

    def save(self) -> None:
        """Write every table this build changed."""
        for table in self.tables.values():
            table.save()

"""Stage 1, load: read content files into plain data, remembering the line of every field.

Nothing here knows what a review is; it turns bytes into ``Document`` objects and reports
files that cannot be read (not UTF-8, broken YAML, no front matter, repeated keys).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from generator.errors import ContentError, ContentErrors
from generator.pipeline.generate_cache import GenerateCache, file_digest
from generator.pipeline.yaml_errors import explain

Loc = tuple[str | int, ...]
"""A path into a document's data: ``("sections", 0, "heading")``."""


@dataclass
class LineMap:
    """The 1-based line of every key and value in a YAML document."""

    keys: dict[Loc, int] = field(default_factory=dict)
    values: dict[Loc, int] = field(default_factory=dict)
    ends: dict[Loc, int] = field(default_factory=dict)
    """The last line of each value (blank lines after a block of text left out)."""
    first_line: int = 1

    def line_of(self, loc: Loc, *, key: bool = False) -> int:
        """The line of ``loc``; if it is not in the file (a missing field), its parent's line."""
        table = self.keys if key else self.values
        if loc in table:
            return table[loc]
        while loc:
            loc = loc[:-1]
            if loc in self.values:
                return self.values[loc]
        return self.first_line

    def end_of(self, loc: Loc) -> int:
        """The last line of the value at ``loc`` (its first line if that is not known)."""
        return self.ends.get(loc, self.line_of(loc))


@dataclass
class Document:
    """One content file, read and parsed but not yet validated."""

    path: str
    """Path relative to the project, as shown in error messages."""
    data: Any
    """The YAML data (front matter for a review file)."""
    lines: LineMap
    """Where each field of ``data`` is in the file."""
    body: str = ""
    """The Markdown after the front matter (review files only)."""
    body_line: int = 1
    """The line where ``body`` starts."""
    problems: list[ContentError] = field(default_factory=list)
    """Errors found while reading that do not stop validation (repeated keys)."""
    digest: str = ""
    """A hash of the file's path and bytes, when the build keeps a cache (``generate_cache``);
    later stages key what they work out from the file by it."""
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Results worked out from this document, kept while it is unchanged (a preview reuses
    unchanged documents between rebuilds)."""

    def texts(self, skip: tuple[str, ...] = ()) -> list[tuple[Loc, str]]:
        """Every text value with where it is (fields named in ``skip`` left out), then the case
        summary of a review file at ``("case summary",)``."""
        found = list(_texts(self.data, skip))
        return found + [((CASE_SUMMARY,), self.body)] if self.body else found

    def where(self, loc: Loc, text: str, offset: int) -> tuple[int, str]:
        """The line and field of the character at ``offset`` in ``text``, the value at ``loc``.
        Block scalars (``|``, ``>``) start on the line after their key; folded text loses its
        line breaks, so the line there is approximate."""
        if loc == (CASE_SUMMARY,):
            return self.body_line + text.count("\n", 0, offset), CASE_SUMMARY
        value_line = self.lines.line_of(loc)
        start = 1 if value_line == self.lines.line_of(loc, key=True) and "\n" in text else 0
        return value_line + start + text.count("\n", 0, offset), dotted(loc)


CASE_SUMMARY = "case summary"
"""How messages name the Markdown after a review's front matter."""


def _texts(data: Any, skip: tuple[str, ...], loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                yield from _texts(value, skip, (*loc, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _texts(item, skip, (*loc, index))


FileCache = dict[Path, tuple[tuple[int, int], Document]]
"""Documents already read, by path, with the modification time and size they were read at."""


@dataclass
class RawContent:
    """Everything under ``content/``, loaded."""

    settings: Document | None
    strings: Document | None
    review_types: Document | None
    """The board's own review types (``content/vocabularies/review_types.yml``), or None if the
    file is missing or cannot be read; the same for the next three vocabularies."""
    themes: Document | None
    agencies: Document | None
    age_groups: Document | None
    reviews: list[Document]
    feedback_summary: Document | None
    """The published summary of feedback, if the board has made one (``briefings feedback report
    --publish``)."""
    errors: list[ContentError]
    """Files that could not be read at all; validation adds its own errors to these."""
    jargon: Document | None = None
    """The board's own jargon list (``content/vocabularies/jargon.yml``, optional) for the
    plain-English check."""
    shipped: ShippedSets = field(default_factory=dict)
    """Every vocabulary set shipped with Learning Lessons; validation uses those the settings
    choose (``vocabularies:``). Shared by every load in a process: never change it."""
    missing_vocabularies: list[ContentError] = field(default_factory=list)
    """An error for each vocabulary file ``content/vocabularies/`` lacks: validation reports them
    only for a site that chooses no shipped set, whose own files must then hold everything."""


BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where installed (much faster), else PyYAML's."""


class _Loader(BaseLoader):  # type: ignore[valid-type,misc]
    """YAML's safe loader (libyaml's, where installed), but dates stay text so that the model
    can report impossible ones."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path, shown_as: str) -> str:
    """The file's text; a file that is not UTF-8 is an error naming the line of the bad byte."""
    return decode_text(read_bytes(path, shown_as), shown_as)


def read_bytes(path: Path, shown_as: str) -> bytes:
    """The file's bytes; a file too large to be content is an error."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentErrors(
            [ContentError(shown_as, 1, "", f"file is too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})")]
        )
    return path.read_bytes()


def decode_text(raw: bytes, shown_as: str) -> str:
    """``raw`` as text; bytes that are not UTF-8 are an error naming the line of the bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ContentErrors(
            [
                ContentError(
                    shown_as,
                    line,
                    "",
                    f"file is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it with UTF-8 encoding",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


MAX_FILE_BYTES = 1_000_000
"""The largest content file accepted: a briefing is a few thousand words."""


def _refuse_aliases(text: str, shown_as: str, first_line: int) -> None:
    """Content files may not use YAML anchors and aliases (``&name``, ``*name``): nobody needs
    them to write a review, and nested aliases can expand a small file into billions of values."""
    if "&" not in text and "*" not in text:
        return  # no anchor or alias can be in it: skip the slower token scan
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
            raise ContentErrors(
                [
                    ContentError(
                        shown_as,
                        first_line + token.start_mark.line,
                        "",
                        "YAML anchors and aliases (& and *) are not allowed in content files; write the value out",
                    )
                ]
            )


def parse_yaml(text: str, shown_as: str, first_line: int = 1) -> tuple[Any, LineMap, list[ContentError]]:
    """Parse YAML text that starts at ``first_line`` of its file.

    Returns the data, the line of each field, and any repeated keys (which YAML allows but
    which are always a mistake here). Syntax errors, anchors and aliases raise ``ContentErrors``."""
    try:
        _refuse_aliases(text, shown_as, first_line)
    except yaml.MarkedYAMLError:
        pass  # reported with its line by the parse below
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        line, message = explain(text, error, first_line)
        raise ContentErrors([ContentError(shown_as, line, "", message)]) from None
    except yaml.YAMLError as error:
        raise ContentErrors([ContentError(shown_as, first_line, "", f"YAML error: {error}")]) from None
    finally:
        loader.dispose()
    lines = LineMap(first_line=first_line)
    errors: list[ContentError] = []
    if node is not None:
        lines.values[()] = first_line + node.start_mark.line
        _LineMapper(lines, text.split("\n"), shown_as, errors).map(node, ())
    return data, lines, errors


@dataclass
class _LineMapper:
    """Fills in a ``LineMap`` from the parsed nodes, noting repeated keys on the way."""

    lines: LineMap
    text: list[str]
    shown_as: str
    errors: list[ContentError]

    def map(self, node: yaml.Node, loc: Loc) -> None:
        """Note the lines of every field and item under ``node``, which is at ``loc``."""
        first = self.lines.first_line
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value
                child = (*loc, key)
                if key in seen:
                    self.errors.append(
                        ContentError(
                            self.shown_as,
                            first + key_node.start_mark.line,
                            dotted(child),
                            "this field is given twice; keep one",
                        )
                    )
                seen.add(key)
                self.lines.keys[child] = first + key_node.start_mark.line
                self.lines.values[child] = first + value_node.start_mark.line
                self.lines.ends[child] = first + self.last_line(value_node)
                self.map(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*loc, index)
                self.lines.keys[child] = self.lines.values[child] = first + item.start_mark.line
                self.lines.ends[child] = first + self.last_line(item)
                self.map(item, child)

    def last_line(self, node: yaml.Node) -> int:
        """The last line (from 0) that holds part of ``node``."""
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            return self.last_line(last[1] if isinstance(node, yaml.MappingNode) else last)
        end = node.end_mark
        line = end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
        while line > node.start_mark.line and (line >= len(self.text) or not self.text[line].strip()):
            line -= 1  # blank lines after a block of text (| or >)
        return line


def dotted(loc: Loc) -> str:
    """``("sections", 0, "heading")`` as authors count: ``sections[1].heading``."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_yaml_file(path: Path, root: Path) -> Document:
    """Load a plain YAML file (settings, strings, a vocabulary)."""
    shown_as = path.relative_to(root).as_posix()
    return parse_yaml_document(read_text(path, shown_as), shown_as)


def parse_yaml_document(text: str, shown_as: str) -> Document:
    """A plain YAML file's text as a document."""
    data, lines, problems = parse_yaml(text, shown_as)
    return Document(shown_as, data, lines, problems=problems)


def load_review_file(path: Path, root: Path) -> Document:
    """Load a review: YAML front matter between ``---`` lines, then the Markdown case summary."""
    shown_as = path.relative_to(root).as_posix()
    return parse_review(read_text(path, shown_as), shown_as)


Parser = Callable[[str, str], Document]
"""Turns a file's text and its path as shown into a document: ``parse_yaml_document`` or
``parse_review``."""


def _read_kept(path: Path, shown_as: str, parser: Parser, kept: GenerateCache) -> Document:
    """A file read through the cache: parsed again only when its bytes (or the code) changed. A
    file that cannot be read is kept as its errors, raised again while it is unchanged."""
    raw = read_bytes(path, shown_as)
    digest = file_digest(shown_as, raw)
    table = kept.table("load")
    key = kept.key("load", parser.__name__, digest)
    found = table.get(key)
    if found is None:
        try:
            found = dataclasses.replace(parser(decode_text(raw, shown_as), shown_as), digest=digest)
        except ContentErrors as failure:
            found = failure.errors
        table.put(key, found)
    if isinstance(found, list):
        raise ContentErrors(found)
    # The document is kept with its ``memo``: what validation works out from it this build (its
    # model, its links, its projection into each language) is saved with it, every result keyed
    # by all it depends on beyond the file, so the next build need not work it out again.
    return found


def parse_review(text: str, shown_as: str) -> Document:
    """Split a review's text into front matter and case summary, and parse the front matter."""
    if not text.startswith("---"):
        raise ContentErrors(
            [ContentError(shown_as, 1, "", "a review file must start with a '---' line and its front matter")]
        )
    try:
        front, body = frontmatter.YAMLHandler().split(text)
    except ValueError:
        raise ContentErrors(
            [ContentError(shown_as, 1, "", "the front matter is not closed by a second '---' line")]
        ) from None
    # The split keeps the end of the opening "---" line at the start of ``front`` and the end of
    # the closing one at the start of ``body``, so line 1 of ``front`` is line 1 of the file.
    data, lines, problems = parse_yaml(front, shown_as, first_line=1)
    closing_line = 1 + front.count("\n")
    body_line = closing_line + len(body) - len(body.lstrip("\n"))
    return Document(shown_as, data, lines, body=body.strip(), body_line=body_line, problems=problems)


def load(
    content_dir: Path, cache: FileCache | None = None, reviews: bool = True, kept: GenerateCache | None = None
) -> RawContent:
    """Read every content file; a file that cannot be read is left out and its error kept.
    With a ``cache`` (a preview's), a file unchanged since it was last read is not read again;
    with ``kept`` (a build's cache on disk), a file whose bytes are unchanged is not parsed
    again; without ``reviews``, only the settings, strings and vocabularies are read."""
    root = content_dir.parent
    errors: list[ContentError] = []
    parsers: dict[object, Parser] = {load_yaml_file: parse_yaml_document, load_review_file: parse_review}

    def attempt(loader, path: Path) -> Document | None:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if cache is not None and path in cache and cache[path][0] == stamp:
            document = cache[path][1]
            errors.extend(document.problems)
            return document
        try:
            if kept is not None:
                document = _read_kept(path, path.relative_to(root).as_posix(), parsers[loader], kept)
            else:
                document = loader(path, root)
            errors.extend(document.problems)
        except ContentErrors as failure:
            errors.extend(failure.errors)
            return None
        if cache is not None:
            cache[path] = (stamp, document)
        return document

    def required(relative: str, missing: list[ContentError]) -> Document | None:
        path = content_dir / relative
        if not path.is_file():
            shown = path.relative_to(root).as_posix()
            missing.append(ContentError(shown, 1, "", "this file is missing; every site needs it"))
            return None
        return attempt(load_yaml_file, path)

    settings = required("settings.yml", errors)
    strings_path = content_dir / "strings.yml"
    strings = attempt(load_yaml_file, strings_path) if strings_path.is_file() else None
    missing_vocabularies: list[ContentError] = []
    vocabularies = {name: required(f"vocabularies/{name}.yml", missing_vocabularies) for name in VOCABULARIES}
    review_files = sorted((content_dir / "reviews").glob("*.md")) if reviews else []
    documents = [attempt(load_review_file, path) for path in review_files]
    jargon_path = content_dir / "vocabularies" / f"{JARGON}.yml"
    jargon = attempt(load_yaml_file, jargon_path) if jargon_path.is_file() else None
    summary_path = content_dir / SUMMARY_FILE
    summary = attempt(load_yaml_file, summary_path) if summary_path.is_file() else None
    return RawContent(
        settings=settings,
        strings=strings,
        reviews=[review for review in documents if review is not None],
        feedback_summary=summary,
        errors=errors,
        jargon=jargon,
        shipped=shipped_vocabularies(),
        missing_vocabularies=missing_vocabularies,
        **vocabularies,
    )


SUMMARY_FILE = "feedback-summary.json"
"""The feedback summary in ``content/`` (JSON, which the YAML reader also reads)."""

VOCABULARIES = ("review_types", "themes", "agencies", "age_groups")
"""The controlled vocabularies, each a file in ``content/vocabularies/`` and in each shipped set."""

JARGON = "jargon"
"""The optional list of terms the plain-English check points out, a file in
``content/vocabularies/`` and in a shipped set."""

SHIPPED_VOCABULARIES = Path(__file__).resolve().parents[1] / "vocabularies"
"""The vocabulary sets shipped with Learning Lessons, a folder each (``common``, ``children``,
``adults``, ``domestic-abuse``) holding some or all of the ``VOCABULARIES`` files."""

ShippedSets = dict[str, dict[str, Document]]
"""Shipped vocabulary files by set, then by vocabulary: ``{"adults": {"themes": Document}}``."""


@functools.cache
def shipped_vocabularies() -> ShippedSets:
    """Every shipped vocabulary set, read once a process (a few small files that do not change
    while it runs). Shown as ``generator/vocabularies/<set>/<vocabulary>.yml``. A shipped file
    that cannot be read is a bug in Learning Lessons, so its error is raised, not collected."""
    shown_from = SHIPPED_VOCABULARIES.parents[1]
    return {
        folder.name: {
            name: load_yaml_file(folder / f"{name}.yml", shown_from)
            for name in (*VOCABULARIES, JARGON)
            if (folder / f"{name}.yml").is_file()
        }
        for folder in sorted(SHIPPED_VOCABULARIES.iterdir())
        if folder.is_dir()
    }

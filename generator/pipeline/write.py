"""Stage 4, write: put rendered pages on disk. The only stage that writes files.

The docs_dir belongs to the generator: files it did not render this time are removed (so a
deleted review loses its pages), and files whose text has not changed are not rewritten (so
a preview server rebuilds only what changed).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path


class Joined(Mapping[str, str | bytes]):
    """Several sets of files, ``{path: text}``, read as one without copying them or reading
    their texts: a path's text comes from the first set that has it, and its set's text is
    read only when it is asked for (see ``render.Pages``). With ``under``, every path is moved
    under that folder (a language's edition of the site, such as ``cy/``)."""

    def __init__(self, *files: Mapping[str, str | bytes], under: str = "") -> None:
        self.parts: list[tuple[str, Mapping[str, str | bytes]]] = []
        """Each set of files, with the folder its paths are moved under."""
        for each in files:
            if isinstance(each, Joined):
                self.parts.extend((under + inner, part) for inner, part in each.parts)
            else:
                self.parts.append((under, each))

    def _part(self, path: str) -> tuple[str, Mapping[str, str | bytes]] | None:
        for under, files in self.parts:
            if path.startswith(under) and (own := path[len(under) :]) in files:
                return own, files
        return None

    def __getitem__(self, path: str) -> str | bytes:
        found = self._part(path)
        if found is None:
            raise KeyError(path)
        own, files = found
        return files[own]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._part(path) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(under + path for under, files in self.parts for path in files))

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class WriteReport:
    """What a write changed, for the CLI to report."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_pages(pages: Mapping[str, str | bytes], docs_dir: Path, prune: bool = True, keep: str = "") -> WriteReport:
    """Make ``docs_dir`` hold exactly ``pages``, writing each page as it is read from them, in
    the order they come (so pages made as they are read are never all in memory, and files made
    first are let go before the pages' workers start); return what changed. Without ``prune``,
    only write ``pages`` (some pages of the site) and remove nothing; files under ``keep`` (a path
    prefix) are never removed."""
    report = WriteReport()
    docs_dir.mkdir(parents=True, exist_ok=True)
    paths = list(pages)
    for relative in paths:
        text = pages[relative]  # read one at a time: a page may be made as it is read (render.Pages)
        target = docs_dir / relative
        data = text.encode("utf-8") if isinstance(text, str) else text
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
        report.written.append(relative)
    report.written.sort()
    if not prune:
        return report
    wanted = set(paths)
    for path in sorted(docs_dir.rglob("*"), reverse=True):
        relative = path.relative_to(docs_dir).as_posix()
        if keep and relative.startswith(keep):
            continue
        if path.is_file() and relative not in wanted:
            path.unlink()
            report.removed.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return report

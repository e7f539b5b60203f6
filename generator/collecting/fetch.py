"""Fetching each source's ``learning.json``: an address with a conditional request (its ETag and
Last-Modified kept from the last time), a folder by the hash of its file. What was fetched is
checked against the open-data model; the last good copy of each source is kept in
``collected/KEY/learning.json``, and used when the source cannot be reached or is not valid."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from generator.model.open_data import LearningData
from generator.model.schema import CollectionSource

TIMEOUT = 30
"""Seconds to wait for a board's site before reporting it unreachable."""
STATE_FILE = "state.json"
"""In ``collected/``: what each source was last time (its validators and the hash of its data)."""
USER_AGENT = "Learning Lessons (briefings collect)"


@dataclass(frozen=True)
class Fetched:
    """One source's data for this collect, and what happened fetching it."""

    source: CollectionSource
    data: LearningData | None
    """The data to collect: just fetched, or the last good copy, or None if there is neither."""
    outcome: str
    """``new``, ``changed``, ``unchanged``, ``kept`` (a problem; the last good copy used) or
    ``failed`` (a problem and no copy)."""
    problem: str | None = None
    """Why the source could not be used as it is now: one line naming its address or folder."""


class SourceProblem(Exception):
    """A source that cannot be read, or is not valid learning data."""


def is_address(location: str) -> bool:
    return location.startswith(("https://", "http://"))


def collect_sources(sources: list[CollectionSource], root: Path, store: Path) -> list[Fetched]:
    """Fetch every source, keeping the last good copy of each in ``store``."""
    state_path = store / STATE_FILE
    state: dict[str, dict[str, str]] = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    fetched = [_fetch(source, root, store, state) for source in sources]
    store.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return fetched


def _fetch(source: CollectionSource, root: Path, store: Path, state: dict[str, dict[str, str]]) -> Fetched:
    kept = store / source.key / "learning.json"
    known = state.get(source.key, {}) if state.get(source.key, {}).get("location") == source.location else {}
    try:
        body, validators = (
            _download(source.location, known if kept.exists() else {})
            if is_address(source.location)
            else _read_folder(root / source.location)
        )
        if body is None or (kept.exists() and known.get("sha256") == _hash(body)):
            return Fetched(source, _parse(kept.read_bytes()), "unchanged")
        data = _parse(body, source.location)
    except SourceProblem as problem:
        return _last_good_copy(source, kept, str(problem))
    outcome = "changed" if kept.exists() else "new"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(body)
    state[source.key] = {"location": source.location, "sha256": _hash(body), **validators}
    return Fetched(source, data, outcome)


def _last_good_copy(source: CollectionSource, kept: Path, problem: str) -> Fetched:
    """The source's kept copy, when what it gives now cannot be used; ``failed`` if there is no
    usable copy (none yet, or one the open-data model no longer accepts)."""
    if not kept.exists():
        return Fetched(source, None, "failed", f"{problem}; nothing collected from it yet")
    try:
        return Fetched(source, _parse(kept.read_bytes()), "kept", f"{problem}; kept the last good copy")
    except SourceProblem as unusable:
        return Fetched(source, None, "failed", f"{problem}; {unusable}")


def _hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _download(address: str, known: dict[str, str]) -> tuple[bytes | None, dict[str, str]]:
    """The body at ``address`` and its validators, or ``None`` if it has not changed (304)."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if "etag" in known:
        headers["If-None-Match"] = known["etag"]
    if "last_modified" in known:
        headers["If-Modified-Since"] = known["last_modified"]
    request = urllib.request.Request(address, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http(s) only)
            body = response.read()
            found = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
    except urllib.error.HTTPError as failure:
        if failure.code == 304:
            return None, known
        raise SourceProblem(f"{address}: the site answered {failure.code} {failure.reason}") from None
    except (urllib.error.URLError, OSError) as failure:
        reason = getattr(failure, "reason", failure)
        raise SourceProblem(f"{address}: could not be reached ({reason})") from None
    return body, {name: value for name, value in found.items() if value}


def _read_folder(folder: Path) -> tuple[bytes, dict[str, str]]:
    for candidate in (folder / "learning.json", folder / "data" / "learning.json"):
        if candidate.is_file():
            return candidate.read_bytes(), {}
    raise SourceProblem(f"{folder}: no learning.json (nor data/learning.json) in this folder")


def _parse(body: bytes, shown_as: str = "the kept copy") -> LearningData:
    try:
        return LearningData.model_validate_json(body)
    except ValidationError as failure:
        first = failure.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        more = f" (and {failure.error_count() - 1} more)" if failure.error_count() > 1 else ""
        raise SourceProblem(
            f"{shown_as}: not valid learning data: {where + ': ' if where else ''}{first['msg']}{more}"
        ) from None

"""The published site's search index: a split index, written inside the site stage.

The records are the sections Material's search plugin finds on the built pages (so the text
searched is the text on the page, with the same parts left out), one record per learning point
or section, so that a point holding every word of a query is a result of its own and ranks above
a briefing with the words scattered over it. Theme, agency and type-of-review pages are one
record each: their heading and intro.

The index is cut so that what a query fetches does not grow with the collection
(``site/search-index/``, every file gzip-compressed JSON; the search worker,
``theme_overrides/assets/javascripts/search-worker.js``, reads it):

- ``index.json``: the few settings the worker needs first (and this note), with how many
  records there are;
- ``words/<prefix>.gz``: the words beginning with one prefix (hex-coded), each with how many
  records hold it, how many files of further records it has, and its best ``FIRST`` records by
  weight (BM25's weight of the word in the record, the heading counting ``TITLE_WEIGHT`` times,
  a record's length measured against ``TYPICAL_LENGTH``; the worker multiplies it by the word's
  rarity, from how many records hold it). A prefix whose words would make the file larger than
  ``SHARD_BYTES`` is split by one more letter (``index.json`` lists the split prefixes), so each
  file stays small however many reviews there are, and a word being typed is still found by its
  beginning;
- ``more/<word>-<n>.gz``: a word's further records, best first, about ``BLOCK`` to a file,
  fetched only when a query needs more (records holding every word of it, or matching its
  filters);
- ``records/<id>.gz``: one record as a result shows it: where it links, its heading, its page
  and the text, fetched only for the results shown. A record's id is its page's number times
  ``slots`` plus its place on the page, so the worker knows its page without asking;
- ``filters.gz``: how many pages hold each filter value, fetched when the filters are opened;
  ``filters/<filter>.gz``: which pages hold each of its values, fetched when it is used.

A site is rebuilt by difference, so an edit should change few of these files, and the same
records give the same files whatever was built before: a page's number comes from a hash of
its address (``_page_numbers``), a word's weight in a record depends on that record alone (its
rarity is worked out in the browser), and a word's further records are cut into files after
records chosen by a hash of their ids (``_ends_block``), not by their count. So an edited
review changes its own records, the files of words whose best records or counts changed, and
the further records its words move among; an added review adds to the counts of its words.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import re
import shutil
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from itertools import groupby
from operator import attrgetter, sub
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.model import addresses
from generator.pipeline.page_cache import PageCache, pack, unpack
from generator.pipeline.page_cache import digest as cache_key
from generator.pipeline.search_words import counted

FOLDER = "search-index"
"""Where in the site the index is written."""


@dataclass(frozen=True)
class SearchRecord:
    """One result search can give: a section of a page, or a whole page."""

    location: str
    """Its address in the site, relative to the site's root (``reviews/x/#lp-1-2``)."""
    title: str
    """The section's heading, as Material's search plugin read it."""
    text: str
    """The section's text, as Material's search plugin read it (HTML)."""
    page: str
    """The address of its page (``reviews/x/``)."""
    page_title: str
    """Its page's title."""
    filters: dict[str, list[str]] = field(default_factory=dict)
    """The page's values for the search filters (briefings only)."""


def search_records(entries: Iterable[list[dict]], filters: dict[str, dict[str, list[str]]]) -> Iterator[SearchRecord]:
    """The records for Material's search ``entries`` (``location``, ``title``, ``text``, in page
    order), given a page's entries at a time, with ``filters`` by page address."""
    for given in entries:
        yield from _page_records(given, filters)


def _page_records(entries: list[dict], filters: dict[str, dict[str, list[str]]]) -> Iterator[SearchRecord]:
    pages: dict[str, list[dict]] = {}
    for entry in entries:
        pages.setdefault(entry["location"].split("#")[0], []).append(entry)
    for page, sections in pages.items():
        page_title = sections[0]["title"]
        page_filters = filters.get(page, {})
        if addresses.is_indexed_by_intro(page):
            # The intro is the first section with text (a type's page opens with its heading).
            intro = next((section["text"] for section in sections[:3] if section["text"]), "")
            yield SearchRecord(page, page_title, intro, page, page_title, page_filters)
            continue
        for section in sections:
            if "#" in section["location"] or len(sections) == 1:
                yield SearchRecord(
                    section["location"], section["title"], section["text"], page, page_title, page_filters
                )


FIRST = 64
"""A word's best records, kept with the word itself: enough for most queries' first results."""

BLOCK = 512
"""A word's further records, per file, on average (see ``_blocks``)."""

SHORTEST_BLOCK, LONGEST_BLOCK = BLOCK // 4, 4 * BLOCK
"""The fewest records a file of further records holds (but the only or last one), and the most."""

SHARD_BYTES = 16_000
"""The most a file of words may hold (uncompressed) before its prefix is split by a letter."""

SHORTEST_PREFIX, LONGEST_PREFIX = 2, 12
"""Words are grouped by their first two letters at least, and by twelve at most."""

TITLE_WEIGHT = 3
"""How many times a word in a record's heading counts, against once in its text."""

K1, B = 1.2, 0.75
"""BM25's usual settings: how soon more of a word stops counting, and how much a record's length
lessens each word."""

TYPICAL_LENGTH = 60
"""The words of a typical record (a learning point with its questions): a record longer than
this counts each of its words for less, one shorter for more. Fixed, rather than the
collection's average, so that a record's weights do not change when other records do."""

SLOTS = 64
"""Records per page number: a record's id is its page's number times this, plus its place on
the page (a page with more records takes the next numbers too)."""

PAGE_NUMBERS = 1 << 16
"""Page numbers to choose from, at least (more when there are more than a quarter as many
pages): a page's number comes from a hash of its address, so that it keeps its number,
and its records their ids, when other pages come and go."""

SCALE = 100
"""A weight as stored: BM25's weight of a word in a record, before its rarity, times this."""

LEVEL = 6
"""How hard each file is compressed (gzip)."""

WRITERS = 8
"""Files written at once (see ``_Files``)."""

BATCH = 128
"""Files made by each task (see ``_Files``)."""

NOTE = "Generated by Learning Lessons from the built pages' search sections."


def write_search_index(
    records: Iterable[SearchRecord],
    folder: Path,
    language: str = "en",
    previous: Mapping[str, str] | None = None,
    cache: PageCache | None = None,
    fingerprint: str = "",
) -> dict[str, str]:
    """Index ``records`` into ``folder/search-index/`` (see the module's note) and return
    ``{path relative to folder: sha256 of its bytes}`` for every file of the index. Only the
    files whose digest differs from ``previous`` (the same mapping, from the site as it was
    published) are written; with no ``previous``, the folder is emptied and every file written.
    ``language`` is the pages' language (English words are reduced to their singular, Welsh words
    are kept as they are). The same records give the same files, whatever came before.

    With ``cache``, what the last build worked out is kept there (``Kept``, under a hash of
    ``fingerprint``: the code and settings), so that a rebuild cuts only the changed pages'
    text into words, and compresses and hashes only the files whose text changed."""
    output = folder / FOLDER
    if previous is None:
        shutil.rmtree(output, ignore_errors=True)
    kept = Kept.load(cache, cache_key("search index words", fingerprint, language, NOTE))
    files = _Files(folder, previous or {}, kept.files)
    words: dict[bytes, WordEntry] = {}
    try:
        made = _write_index(records, files, language, kept, words)
    finally:
        files.close()
    kept.save(made, words, files)
    return files.digests


WordEntry = tuple[bytes, str, int, tuple[bytes, ...]]
"""A word's part of the index, kept between builds: a hash of its records (their weights and
ids), its entry in its file of words, how many files of further records it has, and a hash of
the records in each of those files."""

RecordWords = tuple[bytes, bytes, str]
"""What a record gives the index, kept between builds: its words (UTF-8, joined by spaces), the
lightness of each (``_lightness``, one byte each, in the same order), and the name of its file
with the digest of its bytes (``name:digest``; empty until it is made)."""


@dataclass
class Kept:
    """What the last build of the index worked out, to be used again (``write_search_index``)."""

    pages: dict[str, tuple[RecordWords, ...]]
    """Each page's records' words, by a hash of its records (``_page_key``)."""
    files: dict[str, tuple[bytes, str]]
    """Each file's text's hash and the digest of its bytes, by its path in the site."""
    words: dict[bytes, WordEntry] = field(default_factory=dict)
    """Each word's part of the index, by the word (UTF-8)."""
    cache: PageCache | None = None
    key: str = ""

    @classmethod
    def load(cls, cache: PageCache | None, key: str) -> Kept:
        """What ``cache`` keeps under ``key``: nothing if it has none or it cannot be read."""
        if cache is not None:
            packed = cache.get(key)
            try:
                pages, files, words = pickle.loads(packed) if packed is not None else ({}, {}, {})
                if isinstance(pages, dict) and isinstance(files, dict) and isinstance(words, dict):
                    return cls(pages, files, words, cache, key)
            except Exception:  # damaged: worked out again
                pass
        return cls({}, {}, {}, cache, key)

    def save(self, made: dict[str, tuple[RecordWords, ...]], words: dict[bytes, WordEntry], files: _Files) -> None:
        """Keep what this build made (the pages' words, with their files' digests) for the next."""
        if self.cache is None:
            return
        pages = {
            key: tuple(
                (words, lights, name if ":" in name else f"{name}:{files.digests[f'{FOLDER}/{name}']}")
                for words, lights, name in records
            )
            for key, records in made.items()
        }
        self.cache.put(self.key, pickle.dumps((pages, files.hashes, words), pickle.HIGHEST_PROTOCOL))


def _page_key(address: str, page: list[SearchRecord], number: int) -> str:
    """A hash of what a page's records give the index: their text, headings and addresses, and
    the page's number (its records' files are named by it)."""
    made = hashlib.blake2b(digest_size=20)
    for part in (address, str(number), page[0].page_title):
        made.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for record in page:
        for part in (record.location, record.title, record.text):
            made.update(part.encode("utf-8", "surrogatepass") + b"\0")
        made.update(b"\1")
    return made.hexdigest()


def _record_words(title: str, text: str, language: str) -> tuple[bytes, bytes]:
    """A record's words (UTF-8, joined by spaces) and the lightness of each (one byte each):
    the heading's words count ``TITLE_WEIGHT`` times."""
    found = counted(text, language)
    heading = counted(title, language)
    norm = K1 * (1 - B + B * max(1, found.total() + heading.total()) / TYPICAL_LENGTH)
    for word, count in heading.items():
        found[word] += TITLE_WEIGHT * count
    return b" ".join(found), bytes(_lightness(count, norm) for count in found.values())


def _write_index(
    records: Iterable[SearchRecord], files: _Files, language: str, kept: Kept, entries_made: dict[bytes, WordEntry]
) -> dict[str, tuple[RecordWords, ...]]:
    """Write the index's files; return each page's records' words, by ``_page_key`` (and each
    word's entry in ``entries_made``)."""
    pages = _PackedPages(records)
    numbers, span = _page_numbers(pages.counts)
    postings: defaultdict[bytes, array[int]] = defaultdict(_numbers)  # 8 bytes a number, not 36
    cuts: defaultdict[bytes, array[int]] = defaultdict(_numbers)
    made: dict[str, tuple[RecordWords, ...]] = {}
    for address, page in pages.unpacked():
        first_id = numbers[address] * SLOTS
        key = _page_key(address, page, first_id)
        known = kept.pages.get(key)
        if known is None or len(known) != len(page):
            known = tuple(_made_record(record, first_id + place, files, language) for place, record in enumerate(page))
        else:
            for place, (_, _, name) in enumerate(known):
                path, _, found = name.partition(":")
                if not files.has(path, found):
                    _made_record(page[place], first_id + place, files, language)
        made[key] = known
        for place, (words, lights, _) in enumerate(known):
            record_id = first_id + place
            for word, light in zip(words.split(), lights, strict=True):
                postings[word].append(light * span + record_id)
            if _ends_block(record_id):
                for word, light in zip(words.split(), lights, strict=True):
                    cuts[word].append(light * span + record_id)
    entries = _weigh(postings, cuts, files, kept.words, entries_made)
    shards, split = _shards(entries)
    for prefix, members in shards.items():
        body = ",".join(f'"{word}":{entries[word]}' for word in members)
        files.write_text(f"words/{_hex(prefix)}.gz", "{" + body + "}")
    counts, held_by = _filters(pages, numbers)
    files.write("filters.gz", counts)
    for name, values in held_by.items():
        files.write(f"filters/{_hex(name)}.gz", values)
    settings = {
        "note": NOTE,
        "language": language,
        "slots": SLOTS,
        "span": span,
        "heaviest": _HEAVIEST,
        "split": sorted(split),
        "shortest": SHORTEST_PREFIX,
        "records": sum(pages.counts.values()),
    }
    files.write_text("index.json", json.dumps(settings, ensure_ascii=False, sort_keys=True), packed=False)
    return made


class _PackedPages:
    """The records, by page in the order their pages first come, each page's packed (compressed)
    till it is indexed: a large site's text is never all in memory at once."""

    def __init__(self, records: Iterable[SearchRecord]) -> None:
        self.packed: dict[str, bytes] = {}
        self.counts: dict[str, int] = {}
        """How many records each page has."""
        self.filters: dict[str, dict[str, list[str]]] = {}
        """Each page's values for the search filters."""
        for address, group in groupby(records, key=attrgetter("page")):
            page = list(group)
            if address in self.packed:  # more of a page that came before
                page = [*self.page(address), *page]
            self.packed[address] = pack(page)
            self.counts[address] = len(page)
            self.filters[address] = page[0].filters

    def page(self, address: str) -> list[SearchRecord]:
        """The records of the page at ``address``."""
        return unpack(self.packed[address])

    def unpacked(self) -> Iterator[tuple[str, list[SearchRecord]]]:
        """Each page's address and records, one page unpacked at a time."""
        for address in self.packed:
            yield address, self.page(address)


def _numbers() -> array[int]:
    """An empty list of a word's records as numbers (``_weigh``), compact in memory."""
    return array("q")


def _made_record(record: SearchRecord, record_id: int, files: _Files, language: str) -> RecordWords:
    """Write ``record``'s file (as ``record_id``) and return its words (its file's digest is
    known once the file is made)."""
    title, text = _plain(record.title), _plain(record.text)
    name = f"records/{record_id}.gz"
    files.write(
        name,
        {
            "location": record.location,
            "page": record.page,
            "page_title": _plain(record.page_title),
            "text": text,
            "title": title,
        },
    )
    return (*_record_words(title, text, language), name)


def _page_numbers(pages: dict[str, int]) -> tuple[dict[str, int], int]:
    """Each page's first number (by address; ``pages`` gives how many records each has), and
    how many record ids there can be (a power of two). A page's number is the
    number a hash of its address gives, or, if another page has that, the next free ones. Pages
    are placed in the order of those hashed numbers (then addresses), so a page's number depends
    on the pages there are, not on the order they came in, and changes only when a page newly
    hashed to the same or a just lower number comes."""
    needs = {address: max(1, -(-count // SLOTS)) for address, count in pages.items()}
    space = PAGE_NUMBERS
    while 4 * sum(needs.values()) > space:
        space *= 2
    wanted = sorted((_hashed(address) % space, address) for address in pages)
    taken: set[int] = set()
    numbers: dict[str, int] = {}
    for home, address in wanted:
        need = needs[address]
        number = home
        while number + need > space or any(number + step in taken for step in range(need)):
            number = (number + 1) % space
        taken.update(range(number, number + need))
        numbers[address] = number
    return numbers, space * SLOTS


def _hashed(address: str) -> int:
    return int.from_bytes(hashlib.blake2b(address.encode("utf-8"), digest_size=8).digest(), "big")


_HEAVIEST = round(SCALE * (K1 + 1))
"""The largest weight there can be."""


@lru_cache(maxsize=1 << 16)
def _lightness(count: int, norm: float) -> int:
    """How far a word's weight in a record (``count`` times in it; ``norm``, its length's part)
    is from the largest there can be, so that sorting by it puts the heaviest first."""
    return _HEAVIEST - round(SCALE * count * (K1 + 1) / (count + norm))


def _ends_block(record_id: int) -> bool:
    """Does a file of further records end with this record? One record in ``BLOCK`` does, by a
    hash of its id, so a file's records change only when records near them do (a file's place in
    a word's list does not depend on how many come before it)."""
    return (((record_id * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> 40) % BLOCK == 0


_TAG = re.compile(r"<[^>]*>")


def _plain(html: str) -> str:
    """The text of a section as Material's search plugin read it, its tags and entities undone:
    what MarkupSafe's ``striptags`` gives, found more quickly where there is no comment."""
    if "<!--" in html:
        return Markup(html).striptags()
    text = " ".join(_TAG.sub("", html).split())
    return unescape(text) if "&" in text else text


def _weigh(
    postings: dict[bytes, array[int]],
    cuts: dict[bytes, array[int]],
    files: _Files,
    known: Mapping[bytes, WordEntry] | None = None,
    made: dict[bytes, WordEntry] | None = None,
) -> dict[str, str]:
    """Each word's entry in its file of words (as JSON): ``[records holding it, further files,
    its best records]``; its further records are written to ``more/`` as they are weighed. A
    word's records are numbers, best first: how far its weight in the record is from the
    heaviest, times the span of ids (``index.json``), plus the record's id. Each list holds its
    first number, then each next one's difference from the one before (smaller to fetch).

    A word whose records are those it had in the last build (``known``) and whose files of
    further records are published as that build made them is taken as it was; each word's
    entry is put in ``made`` for the next build."""
    entries: dict[str, str] = {}
    for run in sorted(postings):
        found = sorted(postings.pop(run))
        word = run.decode("utf-8")
        held = hashlib.blake2b(array("q", found).tobytes(), digest_size=16).digest()
        before = (known or {}).get(run)
        if not isinstance(before, tuple) or len(before) != 4:  # none, or from other code: made again
            before = None
        if before is not None and before[0] == held and files.same(f"more/{_hex(word)}-", before[2]):
            entries[word] = before[1]
        else:
            steps = [found[0], *map(sub, found[1:], found)]
            blocks = _blocks(found, cuts.get(run, _numbers()))
            kept_blocks = before[3] if before is not None else ()
            block_hashes = []
            for number, (start, stop) in enumerate(blocks):
                # A file of further records is made again only if its records changed.
                block = hashlib.blake2b(array("q", found[start:stop]).tobytes(), digest_size=16).digest()
                block_hashes.append(block)
                name = f"more/{_hex(word)}-{number}.gz"
                if number < len(kept_blocks) and kept_blocks[number] == block and files.same_file(name):
                    continue
                steps[start] = found[start]
                files.write_text(name, str(steps[start:stop]).replace(" ", ""))
            entries[word] = f"[{len(found)},{len(blocks)},{steps[:FIRST]}]".replace(" ", "")
            before = (held, entries[word], len(blocks), tuple(block_hashes))
        if made is not None:
            made[run] = before
    return entries


def _blocks(found: list[int], cuts: Iterable[int]) -> list[tuple[int, int]]:
    """Where a word's further records (those after its ``FIRST``, ``found`` in order) are cut
    into files: the first ``BLOCK`` of them (what a query fetching more needs first, as often as
    not), then after each record that ends a block (``cuts``, see ``_ends_block``) at least
    ``SHORTEST_BLOCK`` records after the last cut, and after ``LONGEST_BLOCK`` records at most; a
    short last file is joined to the one before."""
    if len(found) <= FIRST:
        return []
    start = min(len(found), FIRST + BLOCK)
    blocks = [(FIRST, start)]
    ends = sorted(at for at in (bisect_left(found, cut) + 1 for cut in cuts) if at > start)
    for end in [*ends, len(found)]:
        if end - start < SHORTEST_BLOCK and end < len(found):
            continue
        while end - start > LONGEST_BLOCK:
            blocks.append((start, start + LONGEST_BLOCK))
            start += LONGEST_BLOCK
        if end > start:
            blocks.append((start, end))
            start = end
    if len(blocks) > 1:
        (start, _), (last, end) = blocks[-2:]
        if end - last < SHORTEST_BLOCK and end - start <= LONGEST_BLOCK:
            blocks[-2:] = [(start, end)]
    return blocks


def _shards(entries: dict[str, str]) -> tuple[dict[str, list[str]], set[str]]:
    """The files of words, by prefix, and the prefixes split into longer ones. The worker finds a
    word's file by lengthening its prefix while the prefix is split (``index.json``)."""
    shards: dict[str, list[str]] = {}
    split: set[str] = set()
    sizes = {word: len(word.encode("utf-8")) + len(entry) + 4 for word, entry in entries.items()}

    def place(members: list[str], length: int) -> None:
        for prefix, group in groupby(members, key=lambda word: word[:length]):
            words_here = list(group)
            size = sum(sizes[word] for word in words_here)
            longer = [word for word in words_here if len(word) > length]
            if size > SHARD_BYTES and length < LONGEST_PREFIX and longer:
                split.add(prefix)
                if len(longer) < len(words_here):
                    shards[prefix] = [word for word in words_here if len(word) <= length]
                place(longer, length + 1)
            else:
                shards[prefix] = words_here

    place(sorted(entries), SHORTEST_PREFIX)
    return shards, split


def _filters(
    pages: _PackedPages, numbers: dict[str, int]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, list[int]]]]:
    """For each filter and value, how many pages hold it, and which (by number; a page with more
    than ``SLOTS`` records by each of its numbers)."""
    found: dict[str, dict[str, list[int]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for address, filters in pages.filters.items():
        first = numbers[address]
        held = range(first, first + max(1, -(-pages.counts[address] // SLOTS)))
        for name, values in filters.items():
            for value in values:
                found.setdefault(name, {}).setdefault(value, []).extend(held)
                counts.setdefault(name, {}).setdefault(value, 0)
                counts[name][value] += 1
    for by_value in found.values():
        for pages_holding in by_value.values():
            pages_holding.sort()
    return counts, found


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


class _Files:
    """The index's files: each made (gzip-compressed JSON, the same bytes on every build), its
    digest kept, and written only if the published site's differs. Threads compress, weigh and
    write them, ``BATCH`` files to a task, ``WRITERS`` tasks at once, while the index is made
    (compressing lets other threads run, and a file of an index is small: on a slow disk making it
    costs more than filling it, and threads wait on the disk together). ``close`` waits for the
    last and raises the first failure."""

    def __init__(self, folder: Path, previous: Mapping[str, str], known: Mapping[str, tuple[bytes, str]]) -> None:
        self.folder = folder
        self.previous = previous
        self.known = known
        """Each file's text's hash and its bytes' digest as the last build made them: a file whose
        text is the same is neither compressed nor hashed again."""
        self.digests: dict[str, str] = {}
        self.hashes: dict[str, tuple[bytes, str]] = {}
        """Each file's text's hash and its bytes' digest, for the next build."""
        self.pool = ThreadPoolExecutor(WRITERS)
        self.pending: list[Future] = []
        self.batch: list[tuple[str, bytes, bool]] = []
        self.made: set[Path] = set()

    def has(self, path: str, digest: str) -> bool:
        """Whether the published file at ``path`` (in the index's folder) has the bytes of
        ``digest``, and is then kept as it is (with the text hash it was made from)."""
        name = f"{FOLDER}/{path}"
        if not digest or self.previous.get(name) != digest or name not in self.known:
            return False
        self.digests[name] = digest
        self.hashes[name] = self.known[name]
        return True

    def same(self, prefix: str, count: int) -> bool:
        """Whether the files ``prefix0.gz`` to ``prefix{count - 1}.gz`` (in the index's folder)
        are published as the last build made them, and are then kept as they are."""
        names = [f"{FOLDER}/{prefix}{number}.gz" for number in range(count)]
        if not all(name in self.known and self.previous.get(name) == self.known[name][1] for name in names):
            return False
        for name in names:
            self.hashes[name] = self.known[name]
            self.digests[name] = self.known[name][1]
        return True

    def same_file(self, path: str) -> bool:
        """Whether the file at ``path`` (in the index's folder) is published as the last build
        made it, and is then kept as it is."""
        name = f"{FOLDER}/{path}"
        if name not in self.known or self.previous.get(name) != self.known[name][1]:
            return False
        self.hashes[name] = self.known[name]
        self.digests[name] = self.known[name][1]
        return True

    def write(self, path: str, data: Any) -> None:
        """Write ``data`` to ``path`` (in the index's folder) as gzip-compressed JSON."""
        self.write_text(path, _ENCODE(data))

    def write_text(self, path: str, text: str, packed: bool = True) -> None:
        """Write ``text`` (JSON) to ``path`` (in the index's folder), gzip-compressed unless not
        ``packed``."""
        self.batch.append((f"{FOLDER}/{path}", text.encode("utf-8"), packed))
        if len(self.batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        self.pending.append(self.pool.submit(self._make, self.batch))
        self.batch = []
        if len(self.pending) >= 4 * WRITERS:
            self._wait()

    def _make(self, batch: list[tuple[str, bytes, bool]]) -> list[tuple[str, bytes, str]]:
        made = []
        for name, body, packed in batch:
            text_hash = hashlib.blake2b(body, digest_size=16).digest()
            known = self.known.get(name)
            if known is not None and known[0] == text_hash and self.previous.get(name) == known[1]:
                made.append((name, text_hash, known[1]))  # as published: not made again
                continue
            data = gzip.compress(body, LEVEL, mtime=0) if packed else body
            digest = hashlib.sha256(data).hexdigest()
            if self.previous.get(name) != digest:
                target = self.folder / name
                if target.parent not in self.made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    self.made.add(target.parent)
                target.write_bytes(data)
            made.append((name, text_hash, digest))
        return made

    def _wait(self) -> None:
        pending, self.pending = self.pending, []
        for future in pending:
            for name, text_hash, digest in future.result():
                self.digests[name] = digest
                self.hashes[name] = (text_hash, digest)

    def close(self) -> None:
        try:
            if self.batch:
                self._send()
            self._wait()
        finally:
            self.pool.shutdown()


def _hex(text: str) -> str:
    """``text`` as a file name any host serves: its UTF-8 bytes in hexadecimal."""
    return text.encode("utf-8").hex()

"""The published site's split search index (generator/pipeline/search_index.py), without a
browser: the words the build indexes are the words the browser's script looks for, and the
index is cut into files that stay small and that the worker's rule finds."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from collections import Counter
from itertools import accumulate
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from markupsafe import Markup

from generator.pipeline import search_index
from generator.pipeline.page_cache import PageCache
from generator.pipeline.search_index import SearchRecord, write_search_index
from generator.pipeline.search_words import counted, words

SCRIPT = REPO / "theme_overrides" / "assets" / "javascripts" / "search-words.js"

TEXTS = [
    "Fathers' assessments were never shared with the agencies.",
    "Child J's chronology: 2019–2020, 3 referrals; the GP's notes.",
    "Dŵr, ŵyr a chŷn: Esgeulustod hirsefydlog ym Mhlas-y-Ffynnon.",
    "Process, status, analysis, this, was, cases, bus, boss, ladies, pies.",
    "snake_case and CamelCase, İstanbul, naïve café, Æsir, straße, ½ and ²",
    "a I x " + "y" * 41 + " " + "z" * 40,
]


def test_the_browser_cuts_text_into_the_same_words_as_the_build() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    program = (
        "const vm = require('vm'); const fs = require('fs');"
        f"vm.runInThisContext(fs.readFileSync({json.dumps(str(SCRIPT))}, 'utf8') + ';globalThis.LLWords = LLWords;');"
        "const texts = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(['en', 'cy'].map(l => texts.map(t => LLWords.words(t, l)))));"
    )
    result = subprocess.run([node, "-e", program], input=json.dumps(TEXTS), capture_output=True, text=True, check=True)
    expected = [[words(text, language) for text in TEXTS] for language in ("en", "cy")]
    assert json.loads(result.stdout) == expected
    assert words(TEXTS[0]) == ["father", "assessment", "were", "never", "shared", "with", "the", "agency"]
    # and the quick count the index makes gives the same words, as often
    for text in [*TEXTS, "Children’s services – the “agencies” said: ‘no’.", "GP’s İSTANBUL Kelvin \u212a"]:
        for language in ("en", "cy"):
            assert counted(text, language) == Counter(word.encode() for word in words(text, language))
    assert words(TEXTS[2], "cy")[:3] == ["dwr", "wyr", "chyn"]


def record(page: int, place: int, text: str, filters: dict[str, list[str]] | None = None) -> SearchRecord:
    location = f"reviews/r{page}/" + (f"#lp-{place}" if place else "")
    return SearchRecord(
        location, f"Point {place}", f"<p>{text}</p>", f"reviews/r{page}/", f"Review {page}", filters or {}
    )


def read(path: Path) -> Any:
    return json.loads(gzip.decompress(path.read_bytes()))


def summed(steps: list[int]) -> list[int]:
    """A list of records as the worker reads it: the first number, then differences."""
    return list(accumulate(steps))


def postings(numbers: list[int], settings: dict) -> tuple[list[int], list[int]]:
    """A word's records as the worker reads them (numbers summed): ids and weights."""
    span, heaviest = settings["span"], settings["heaviest"]
    return [number % span for number in numbers], [heaviest - number // span for number in numbers]


def small_index(monkeypatch: pytest.MonkeyPatch, **sizes: int) -> None:
    """Index with small files and lists (``SHARD_BYTES``, ``FIRST``, ``BLOCK``...), so that a few
    records exercise split prefixes and further files."""
    for name, value in sizes.items():
        assert hasattr(search_index, name), name
        monkeypatch.setattr(search_index, name, value)


def test_files_of_words_stay_small_and_are_where_the_worker_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_index(monkeypatch, SHARD_BYTES=300, FIRST=4, BLOCK=8, SHORTEST_BLOCK=2, LONGEST_BLOCK=16)
    vocabulary = [f"{a}{b}{c}word" for a in "abc" for b in "abcd" for c in "abcdefgh"]
    records = [
        record(page, place, " ".join(vocabulary[(page * 7 + place * 3 + k) % len(vocabulary)] for k in range(12)))
        for page in range(60)
        for place in range(3)
    ]
    digests = write_search_index(records, tmp_path)
    index = tmp_path / "search-index"
    on_disk = {path.relative_to(tmp_path).as_posix() for path in index.rglob("*") if path.is_file()}
    assert set(digests) == on_disk
    assert all(hashlib.sha256((tmp_path / path).read_bytes()).hexdigest() == digests[path] for path in on_disk)
    settings = json.loads((index / "index.json").read_text(encoding="utf-8"))
    assert settings["records"] == 180 == len(list((index / "records").iterdir()))
    split = set(settings["split"])
    assert split  # the cut was needed
    held: dict[str, list] = {}
    for path in (index / "words").iterdir():
        prefix = bytes.fromhex(path.name.removesuffix(".gz")).decode()
        entries = read(path)
        assert isinstance(entries, dict)
        assert len(json.dumps(entries)) < 2 * search_index.SHARD_BYTES or prefix in split
        for word, entry in entries.items():
            length = settings["shortest"]
            while len(word) > length and word[:length] in split:  # the worker's rule (search-worker.js)
                length += 1
            assert word[:length] == prefix, word
            held[word] = entry
    assert sorted(held) == sorted([*vocabulary, "point"])  # and the headings' words
    # Each word's records: the best kept with it, the rest in further files of at most
    # LONGEST_BLOCK, best first, together every record holding the word once.
    sizes = []
    for word, (count, further, steps) in held.items():
        assert len(steps) == min(count, 4)
        numbers = summed(steps)
        for block in range(further):
            more = read(index / "more" / f"{word.encode().hex()}-{block}.gz")
            assert isinstance(more, list) and 0 < len(more) <= 16
            assert len(more) >= 2 or block == further - 1
            sizes.append(len(more))
            numbers += summed(more)
        ids, weights = postings(numbers, settings)
        assert len(ids) == len(set(ids)) == count
        assert weights == sorted(weights, reverse=True)
        assert numbers == sorted(numbers)  # among equal weights, by id
    assert 4 < sum(sizes) / len(sizes) < 16  # cut after one record in BLOCK or so, not all at 16
    # A record's id tells its page: the page's number times the slots, plus its place.
    [shown] = [read(path) for path in (index / "records").iterdir() if read(path)["location"] == "reviews/r2/#lp-1"]
    assert shown["page_title"] == "Review 2"


def test_a_word_in_the_heading_weighs_more_and_filters_list_pages(tmp_path: Path) -> None:
    records = [
        SearchRecord("themes/t/", "Invisible fathers", "<p>Men in the home.</p>", "themes/t/", "Invisible fathers"),
        record(1, 1, "The fathers were invisible to the agencies; fathers were not asked.", {"theme": ["Fathers"]}),
        record(2, 1, "Nothing about that.", {"theme": ["Neglect"], "year": ["2019"]}),
        record(2, 2, "Neglect of fathers.", {"theme": ["Neglect"], "year": ["2019"]}),
    ]
    write_search_index(records, tmp_path)
    index = tmp_path / "search-index"
    settings = json.loads((index / "index.json").read_text(encoding="utf-8"))
    slots = settings["slots"]
    [entries] = [read(path) for path in (index / "words").iterdir() if path.name == "6661.gz"]  # "fa"
    count, _, steps = entries["father"]
    ids, _ = postings(summed(steps), settings)
    assert count == 3
    assert read(index / "records" / f"{ids[0]}.gz")["location"] == "themes/t/"  # the word in its heading
    first, second = "reviews/r1/", "reviews/r2/"
    numbers_of = {read(path)["page"]: int(path.name.split(".")[0]) // slots for path in (index / "records").iterdir()}
    assert read(index / "filters.gz") == {"theme": {"Fathers": 1, "Neglect": 1}, "year": {"2019": 1}}
    assert read(index / "filters" / f"{b'theme'.hex()}.gz") == {
        "Fathers": [numbers_of[first]],
        "Neglect": [numbers_of[second]],
    }
    assert read(index / "filters" / f"{b'year'.hex()}.gz") == {"2019": [numbers_of[second]]}


def review(page: int, text: str) -> list[SearchRecord]:
    """A review's records: its summary and four points."""
    filters = {"theme": [f"Theme {page % 3}"]}
    return [record(page, 0, f"Summary of review {page}: {text}", filters)] + [
        record(page, place, f"Point {place} of review {page}: {text} and point {place}.", filters)
        for place in range(1, 5)
    ]


@pytest.mark.parametrize("cached", [False, True, "damaged"])
def test_an_edit_or_an_addition_rewrites_few_files_and_the_result_is_a_cold_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool | str
) -> None:
    """Also with what the last build worked out kept in a cache (each page's words, each file's
    text's hash), and with that cache damaged: the same files, the same ones written."""
    small_index(monkeypatch, FIRST=8, BLOCK=16, SHORTEST_BLOCK=4, LONGEST_BLOCK=64, SHARD_BYTES=2000)
    cache = PageCache(tmp_path / "cache") if cached else None
    texts = [" ".join(f"w{(page * 13 + k * k) % 97}" for k in range(20)) for page in range(60)]
    pages = {page: review(page, texts[page]) for page in range(60)}

    def records(of: dict[int, list[SearchRecord]]) -> list[SearchRecord]:
        return [record for page in of.values() for record in page]

    published = write_search_index(records(pages), tmp_path / "published", cache=cache)
    if cached == "damaged":
        for entry in (tmp_path / "cache").rglob("*"):
            if entry.is_file():
                entry.write_bytes(entry.read_bytes()[:-9] + b"damaged!!")
    edited = dict(pages)
    edited[30] = review(30, texts[30] + " edited")
    added = dict(pages)
    added[500] = review(500, texts[7])
    for changed in (edited, added):
        staging = tmp_path / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        digests = write_search_index(records(changed), staging, previous=published, cache=cache)
        written = {path.relative_to(staging).as_posix() for path in staging.rglob("*") if path.is_file()}
        assert written == {path for path, digest in digests.items() if published.get(path) != digest}
        # the changed review's records only, and few files of words and further records
        changed_records = {
            json.loads(gzip.decompress((staging / path).read_bytes()))["page"]
            for path in written
            if "/records/" in path
        }
        assert changed_records == {"reviews/r30/"} if changed is edited else {"reviews/r500/"}
        assert len(written) < len(digests) / 8, (len(written), len(digests))
        # the same files as a cold build of the same records, whatever order they come in
        cold = write_search_index(records(dict(reversed(changed.items()))), tmp_path / "cold")
        assert cold == digests
    # A review's records keep their ids when others come: the added review changed none of them.
    assert all(
        added_digest == published[path]
        for path, added_digest in digests.items()
        if "/records/" in path and path in published
    )
    assert (
        len([path for path in digests if "/records/" in path])
        == len([path for path in published if "/records/" in path]) + 5
    )


def test_pages_whose_numbers_collide_or_that_hold_more_records_than_slots_keep_their_own_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "PAGE_NUMBERS", 4)  # 24 pages: 128 numbers, some shared
    monkeypatch.setattr(search_index, "SLOTS", 4)
    records = [
        record(page, place, f"text {page} {place}", {"year": [str(2000 + page)]})
        for page in range(24)
        for place in range(6 if page == 5 else 2)
    ]
    write_search_index(records, tmp_path)
    shown = {int(path.name.split(".")[0]): read(path) for path in (tmp_path / "search-index" / "records").iterdir()}
    assert sorted(record["location"] for record in shown.values()) == sorted(record.location for record in records)
    years = read(tmp_path / "search-index" / "filters" / f"{b'year'.hex()}.gz")
    for record_id, found in shown.items():  # the worker's rule: the page's number is the id over the slots
        assert record_id // 4 in years[str(2000 + int(found["page"][9:-1]))]
    assert len(years["2005"]) == 2


def test_a_records_text_is_the_sections_text_as_markupsafe_strips_it(tmp_path: Path) -> None:
    sections = [
        "<p>Child&nbsp;J &amp; the GP&#39;s   notes</p>\n<ul><li>a<b>c</li></ul>",
        "<p>1 < 2 and 3 > 2, <em>then</em> an open < tag",
        "<p>Kept <!-- a comment <b>not</b> --> text</p>",
        "plain  text,\tno tags",
    ]
    records = [record(page, 0, text) for page, text in enumerate(sections)]
    write_search_index(records, tmp_path)
    shown = {read(path)["page"]: read(path)["text"] for path in (tmp_path / "search-index" / "records").iterdir()}
    assert shown == {record.page: Markup(record.text).striptags() for record in records}

"""The published site's split search index (generator/pipeline/search_index.py), without a
browser: the words the build indexes are the words the browser's script looks for, and the
index is cut into files that stay small and that the worker's rule finds."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from generator.pipeline import search_index
from generator.pipeline.search_index import SearchRecord, write_search_index
from generator.pipeline.search_words import words

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
    assert words(TEXTS[2], "cy")[:3] == ["dwr", "wyr", "chyn"]


def record(page: int, place: int, text: str, filters: dict[str, list[str]] | None = None) -> SearchRecord:
    location = f"reviews/r{page}/" + (f"#lp-{place}" if place else "")
    return SearchRecord(
        location, f"Point {place}", f"<p>{text}</p>", f"reviews/r{page}/", f"Review {page}", filters or {}
    )


def read(path: Path) -> object:
    return json.loads(gzip.decompress(path.read_bytes()))


def test_files_of_words_stay_small_and_are_where_the_worker_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "SHARD_BYTES", 300)
    monkeypatch.setattr(search_index, "FIRST", 4)
    monkeypatch.setattr(search_index, "BLOCK", 8)
    vocabulary = [f"{a}{b}{c}word" for a in "abc" for b in "abcd" for c in "abcdefgh"]
    records = [
        record(page, place, " ".join(vocabulary[(page * 7 + place * 3 + k) % len(vocabulary)] for k in range(12)))
        for page in range(60)
        for place in range(3)
    ]
    assert write_search_index(records, tmp_path) == 180
    index = tmp_path / "search-index"
    settings = json.loads((index / "index.json").read_text(encoding="utf-8"))
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
    # Each word's records: the best kept with it, the rest in further files, best first, together
    # every record holding the word once.
    for word, (count, further, ids, weights) in held.items():
        for block in range(further):
            more_ids, more_weights = read(index / "more" / f"{word.encode().hex()}-{block}.gz")  # type: ignore[misc]
            ids, weights = ids + more_ids, weights + more_weights
        assert len(ids) == len(set(ids)) == count
        assert weights == sorted(weights, reverse=True)
    # A record's id tells its page: the page's number times the slots, plus its place.
    assert settings["slots"] == 4
    shown = read(index / "records" / f"{2 * 4 + 1}.gz")
    assert shown["location"] == "reviews/r2/#lp-1" and shown["page_title"] == "Review 2"  # type: ignore[index]


def test_a_word_in_the_heading_weighs_more_and_filters_list_pages(tmp_path: Path) -> None:
    records = [
        SearchRecord("themes/t/", "Invisible fathers", "<p>Men in the home.</p>", "themes/t/", "Invisible fathers"),
        record(1, 1, "The fathers were invisible to the agencies; fathers were not asked.", {"theme": ["Fathers"]}),
        record(2, 1, "Nothing about that.", {"theme": ["Neglect"], "year": ["2019"]}),
        record(2, 2, "Neglect of fathers.", {"theme": ["Neglect"], "year": ["2019"]}),
    ]
    write_search_index(records, tmp_path)
    index = tmp_path / "search-index"
    [entries] = [read(path) for path in (index / "words").iterdir() if path.name == "6661.gz"]  # "fa"
    count, _, ids, weights = entries["father"]  # type: ignore[index]
    assert count == 3 and ids[0] == 0  # the theme's page: the word in its heading
    assert read(index / "filters.gz") == {"theme": {"Fathers": 1, "Neglect": 1}, "year": {"2019": 1}}
    assert read(index / "filters" / f"{b'theme'.hex()}.gz") == {"Fathers": [1], "Neglect": [2]}
    assert read(index / "filters" / f"{b'year'.hex()}.gz") == {"2019": [2]}

"""The words search matches: how the published site's search index and its search worker
(``theme_overrides/assets/javascripts/search-words.js``, which does the same in the browser) cut
text into words. Both must agree word for word; ``tests/test_search_index.py`` runs the script's
version on the same inputs and compares.

A word is a run of letters and digits, lower-cased, its accents dropped (``ŵ`` is found by ``w``),
two to forty characters long. In English a plural is reduced to its singular the simple way
(``fathers`` → ``father``, ``agencies`` → ``agency``), so that either finds the other; Welsh
words are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

WORD = re.compile(r"[^\W_]+")
"""Letters and digits (``\\p{L}\\p{N}`` in the script)."""

ACCENTS = re.compile("[\u0300-\u036f]")
"""The combining accents that Unicode's decomposition (NFD) splits off letters."""

SHORTEST, LONGEST = 2, 40
"""Words shorter or longer than these are not searched (``s`` of ``child's``, or a run of digits)."""


def words(text: str, language: str = "en") -> list[str]:
    """The searchable words of ``text``, in order, each as the index holds it."""
    plain = ACCENTS.sub("", unicodedata.normalize("NFD", text.lower()))
    found = [word for word in WORD.findall(plain) if SHORTEST <= len(word) <= LONGEST]
    return [singular(word) for word in found] if language == "en" else found


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """An English plural as its singular, by the ending alone (``cases`` → ``case``); words
    ending ``ss``, ``us`` or ``is`` (``process``, ``status``, ``analysis``) are kept."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_SPACES = (
    bytes((byte if chr(byte).isalnum() else 32) if byte < 65 or byte > 90 else byte + 32 for byte in range(128))
    + b" " * 128
)
"""For ``counted``'s quick way: an ASCII letter or digit kept (a capital made small), anything else a space."""

_OTHER = re.compile(r"[^\x00-\x7f]")
"""A character outside ASCII."""

_MET: dict[str, set[bytes]] = {}
"""The runs of ASCII letters and digits met so far, by language."""

_CHANGED: dict[str, dict[bytes, bytes]] = {}
"""Those of them the index does not hold as they are, by language: what it holds instead (a
plural's singular), or ``b""`` (too short or too long to be searched)."""


def counted(text: str, language: str = "en") -> Counter[bytes]:
    """How often each word of ``text`` occurs, each word in UTF-8: the same as
    ``Counter(words(text, language))``, found quickly. Text in ASCII, or whose other characters
    are accents or not letters (as in most English, with its curly quotes and dashes, and in
    Welsh), is cut by a byte table; the rest as ``words`` does."""
    if not text.isascii():
        plain = ACCENTS.sub("", unicodedata.normalize("NFD", text.lower()))
        for character in set(_OTHER.findall(plain)):
            if character.isalnum():
                return Counter(word.encode("utf-8") for word in words(text, language))
            plain = plain.replace(character, " ")
        text = plain
    found = Counter(text.encode("ascii").translate(_SPACES).split())
    met = _MET.setdefault(language, set())
    changed = _CHANGED.setdefault(language, {})
    if not met.issuperset(found):
        for run in found.keys() - met:
            _meet(run, language, met, changed)
    if not changed.keys().isdisjoint(found):
        for run in changed.keys() & found.keys():
            times = found.pop(run)
            if held := changed[run]:
                found[held] += times
    return found


def _meet(run: bytes, language: str, met: set[bytes], changed: dict[bytes, bytes]) -> None:
    """Note a run of letters met for the first time: in ``changed`` if the index holds another
    word for it (a plural's singular) or none (too short or long). Both tables are emptied if
    they grow past a million runs, so memory stays bounded whatever the text."""
    if len(met) > 1 << 20:
        met.clear()
        changed.clear()
    met.add(run)
    word = run.decode("ascii")
    if not SHORTEST <= len(word) <= LONGEST:
        changed[run] = b""
    elif language == "en" and (held := singular(word)) != word:
        changed[run] = held.encode("ascii")

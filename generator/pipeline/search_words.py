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

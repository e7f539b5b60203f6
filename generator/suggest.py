"""Suggestions for a mistyped word: the nearest of a set of known words ("did you mean ...?")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

CUTOFF = 0.6
"""How alike two words must be (0 to 1) for one to be suggested for the other."""


def nearest(word: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The known word nearest to ``word``, or ``None`` if none is near enough.

    ``aliases`` maps other ways of saying a known word (a name, a synonym; lower case) to it:
    they are tried, with ``word``'s hyphens read as spaces, when no known word itself is near."""
    found = difflib.get_close_matches(word, list(known), n=1, cutoff=CUTOFF)
    if found:
        return found[0]
    if aliases:
        spoken = word.replace("-", " ").lower()
        named = difflib.get_close_matches(spoken, list(aliases), n=1, cutoff=CUTOFF)
        if named:
            return aliases[named[0]]
    return None


def did_you_mean(word: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """``; did you mean 'x'?`` for the nearest known word, or ``""``."""
    guess = nearest(word, known, aliases)
    return f"; did you mean '{guess}'?" if guess else ""

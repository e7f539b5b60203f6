"""Suggestions for a mistyped word: the nearest of a set of known words ("did you mean ...?")."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

CUTOFF = 0.75
"""How alike two words must be (0 to 1) for one to be suggested for the other. It keeps a
letter missed, added or swapped in a word of four letters or more (``polise``, ``nmae``) and
drops a word that is only part of a longer phrase (``carers`` in ``male carers``: 0.71)."""


def nearest(word: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The known word nearest to ``word``, or ``None`` if none is near enough.

    ``aliases`` maps other ways of saying a known word (its name, a synonym) to it. Every known
    word and every alias is scored against ``word`` alike, ignoring case and reading hyphens and
    underscores as spaces; the best score wins (a known word before an alias on a tie)."""
    spoken = _spoken(word)
    candidates = [(name, name) for name in known] + list((aliases or {}).items())
    scored = [(_similarity(spoken, _spoken(said)), meant) for said, meant in candidates]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= CUTOFF else None


def _similarity(first: str, second: str) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same)."""
    return difflib.SequenceMatcher(None, first, second).ratio()


def _spoken(word: str) -> str:
    """``Information-Sharing`` as it would be said: ``information sharing``."""
    return " ".join(re.split(r"[\s_-]+", word.lower())).strip()


def did_you_mean(word: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """``; did you mean 'x'?`` for the nearest known word, or ``""``."""
    guess = nearest(word, known, aliases)
    return f"; did you mean '{guess}'?" if guess else ""

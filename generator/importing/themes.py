"""Theme suggestions: each learning point scored against every theme of the vocabulary (its
name, description and synonyms) with BM25, the ranking function of most search engines, over
word stems. Nothing is downloaded: the vocabulary is the model. Suggestions are only offered;
the author chooses."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from generator.model.schema import Theme

K1 = 1.2
"""BM25's term-frequency saturation (the usual value)."""
B = 0.5
"""BM25's length normalisation: themes with long descriptions are only half penalised."""
NAME_WEIGHT = 3
"""A word of a theme's name or synonyms counts this many times a word of its description."""
MIN_SCORE = 1.0
"""A theme scoring less than this for a point is not suggested for it."""

STOP = frozenset(
    """a about after all also an and any are as at be been before being between both but by can
    could did do does for from had has have he her his how if in into is it its may might more
    most must no not of on or other our out over own she should so some such than that the their
    them then there these they this those to under up was we were what when where which while who
    whom why will with would you your child children professionals practitioners case review
    agencies agency information work working non""".split()
)
"""Words too common in reports to tell one theme from another."""


@dataclass(frozen=True)
class Suggestion:
    theme: str
    """The theme's key."""
    score: float
    """Its BM25 score for the text: higher is a closer match (not a probability)."""


def stem(word: str) -> str:
    """A crude English stem: enough to match ``assessments`` with ``assessment``."""
    for ending in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def words(text: str) -> list[str]:
    return [stem(word) for word in re.findall(r"[a-z]+", text.lower().replace("'", "")) if word not in STOP]


class ThemeIndex:
    """The themes of a vocabulary, ready to score texts against."""

    def __init__(self, themes: Mapping[str, Theme]) -> None:
        self.documents = {
            key: words(" ".join([*([theme.name] * NAME_WEIGHT), *(theme.synonyms * NAME_WEIGHT), theme.description]))
            for key, theme in themes.items()
        }
        self.counts = {key: Counter(document) for key, document in self.documents.items()}
        count = len(self.documents) or 1
        self.average = sum(len(d) for d in self.documents.values()) / count
        frequency = Counter(word for document in self.documents.values() for word in set(document))
        self.idf = {word: math.log(1 + (count - n + 0.5) / (n + 0.5)) for word, n in frequency.items()}

    def scores(self, text: str) -> dict[str, float]:
        query = set(words(text))
        found = {}
        for key, counts in self.counts.items():
            length = len(self.documents[key])
            score = 0.0
            for word in query:
                tf = counts.get(word, 0)
                if tf:
                    score += self.idf[word] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.average))
            if score:
                found[key] = score
        return found

    def suggest(self, text: str, top: int = 3) -> list[Suggestion]:
        """The best ``top`` themes for a text, best first, each scoring at least ``MIN_SCORE``."""
        ranked = sorted(self.scores(text).items(), key=lambda pair: (-pair[1], pair[0]))
        return [Suggestion(key, round(score, 1)) for key, score in ranked[:top] if score >= MIN_SCORE]

    def suggest_for_all(self, texts: list[str], top: int = 6) -> list[Suggestion]:
        """Themes for a whole review: each theme's scores over its points, summed, best first."""
        total: dict[str, float] = {}
        for text in texts:
            for suggestion in self.suggest(text):
                total[suggestion.theme] = total.get(suggestion.theme, 0.0) + suggestion.score
        ranked = sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))
        return [Suggestion(key, round(score, 1)) for key, score in ranked[:top]]

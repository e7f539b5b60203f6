"""Make a synthetic project of N reviews shaped like the sample content, for scale tests.

    .venv/bin/python benchmarks/synthetic.py --reviews 2000 --out /tmp/corpus-2000

Each review has the sample's fields and similar lengths: 3 to 5 themed sections of 1 to 4
learning points, each with 1 or 2 questions; recommendations, good practice and links. Themes
and agencies are drawn from the real vocabularies, a few of them far more often than the rest,
as in real collections. The words come from the sample reviews, shuffled into new sentences, so
the text has realistic length and vocabulary but says nothing. The same N and seed always give
the same corpus. PDFs and Word files are turned off in its settings (``make_pdfs: false``,
``make_word: false``) to keep builds of thousands of reviews short; ``--pdfs`` keeps them on.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

import yaml

from generator.pipeline.load import load
from generator.pipeline.validate import validate

REPO = Path(__file__).resolve().parents[1]
BOARDS = [
    f"{place} Safeguarding {kind}"
    for place in (
        "Northshire",
        "Southmoor",
        "Eastvale",
        "Westbrook",
        "Highfield",
        "Lowmarsh",
        "Riverton",
        "Hillcrest",
        "Ashford Vale",
        "Oakridge",
        "Millbrook",
        "Stonebridge",
        "Fairhaven",
        "Greywater",
        "Kingsmead",
        "Brackenfold",
        "Coldharbour",
        "Elmstead",
        "Foxley",
        "Harwick",
    )
    for kind in ("Children Partnership", "Adults Board")
]


def board_names(count: int) -> list[str]:
    """``count`` boards' names: ``BOARDS`` first, then the same places' districts (a national
    collection gathers many more boards than the 40 of ``BOARDS``)."""
    names = list(BOARDS)
    for district in ("North", "South", "East", "West", "Central", "Upper", "Lower"):
        names += [name.replace(" Safeguarding", f" {district} Safeguarding", 1) for name in BOARDS]
    if count > len(names):
        raise ValueError(f"at most {len(names)} boards")
    return names[:count]


def words_of_sample() -> list[str]:
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "content" / "reviews").glob("*.md")))
    return re.findall(r"[a-z]{3,}", text.lower())


def skewed(rng: random.Random, keys: list[str], count: int) -> list[str]:
    """``count`` distinct keys, the first keys of the list much more likely than the last."""
    weights = [1 / (rank + 1) for rank in range(len(keys))]
    chosen: list[str] = []
    while len(chosen) < count:
        key = rng.choices(keys, weights)[0]
        if key not in chosen:
            chosen.append(key)
    return chosen


class Writer:
    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words

    def sentence(self, low: int = 10, high: int = 28) -> str:
        chosen = self.rng.choices(self.words, k=self.rng.randint(low, high))
        return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def question(self) -> str:
        return "How " + self.sentence(8, 18)[:-1].lower() + "?"


def review(
    number: int, rng: random.Random, write: Writer, vocab: dict[str, list[str]], boards: list[str] = BOARDS
) -> dict:
    year = rng.randint(2008, 2026)
    board = rng.choice(boards)
    review_id = f"synthetic-{number:05d}"
    themes = skewed(rng, vocab["themes"], rng.randint(4, 10))
    sections = []
    for _ in range(rng.randint(3, 5)):
        section_themes = rng.sample(themes, k=min(len(themes), rng.randint(1, 3)))
        points = []
        for _ in range(rng.randint(1, 4)):
            point = {"point": write.sentence(15, 45), "questions": [write.question() for _ in range(rng.randint(1, 2))]}
            if rng.random() < 0.7:
                point["agencies"] = skewed(rng, vocab["agencies"], rng.randint(1, 3))
            points.append(point)
        sections.append(
            {
                "heading": write.sentence(3, 7)[:-1],
                "themes": section_themes,
                "narrative": write.paragraph(rng.randint(3, 8)),
                "learning_points": points,
            }
        )
    return {
        "id": review_id,
        "title": f"Child {number}: {write.sentence(4, 9)[:-1].lower()}",
        "pseudonyms": [f"Child {number}"],
        "review_type": rng.choice(vocab["review_types"]),
        "board": board,
        "nation": "England",
        "published": f"{year}-{rng.randint(1, 12):02d}",
        "status": "published",
        "age_group": rng.choice(vocab["age_groups"]),
        "themes": themes,
        "agencies": skewed(rng, vocab["agencies"], rng.randint(3, 8)),
        "summary": write.sentence(25, 50),
        "sections": sections,
        "good_practice": [write.sentence() for _ in range(rng.randint(0, 6))],
        "recommendations": [
            {
                "recommendation": write.sentence(15, 35),
                "addressed_to": skewed(rng, vocab["agencies"], rng.randint(1, 2)),
            }
            for _ in range(rng.randint(0, 8))
        ],
        "board_questions": [write.question() for _ in range(rng.randint(0, 2))],
        "board_response": write.paragraph(rng.randint(0, 3)),
        "further_reading": [{"title": write.sentence(3, 8)[:-1]} for _ in range(rng.randint(0, 4))],
        "report": {"title": f"Review of Child {number}: full report"},
    }


def project_skeleton(out: Path, extra_settings: str = "") -> Path:
    """An empty project in ``out`` (emptied first) with the repository's settings (plus
    ``extra_settings``, YAML lines), vocabularies, site configuration and theme overrides."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "content" / "reviews").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "vocabularies", out / "content" / "vocabularies")
    settings = (REPO / "content" / "settings.yml").read_text(encoding="utf-8")
    (out / "content" / "settings.yml").write_text(f"{settings}\n{extra_settings}\n", encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(REPO / "theme_overrides", out / "theme_overrides")
    return out


def vocabulary_keys(content_dir: Path) -> dict[str, list[str]]:
    """The keys of each vocabulary of the project in ``content_dir`` (before it has reviews): the
    shipped sets its settings choose, with its own entries."""
    content = validate(load(content_dir))
    return {
        "themes": list(content.themes),
        "agencies": list(content.agencies),
        "review_types": list(content.review_types),
        "age_groups": list(content.age_groups),
    }


def make_corpus(out: Path, reviews: int, seed: int = 1, pdfs: bool = False, boards: int = len(BOARDS)) -> Path:
    """Write a project with ``reviews`` synthetic reviews from ``boards`` boards into ``out``
    (emptied first)."""
    names = board_names(boards)
    project_skeleton(out, f"make_pdfs: {str(pdfs).lower()}\nmake_word: {str(pdfs).lower()}")
    vocab = vocabulary_keys(out / "content")
    rng = random.Random(seed)
    write = Writer(rng, words_of_sample())
    for number in range(1, reviews + 1):
        data = review(number, rng, write, vocab, names)
        body = "\n\n".join(write.paragraph(rng.randint(3, 6)) for _ in range(rng.randint(2, 5)))
        front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (out / "content" / "reviews" / f"{data['id']}.md").write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--boards", type=int, default=len(BOARDS), help=f"how many boards (default {len(BOARDS)})")
    parser.add_argument("--pdfs", action="store_true", help="keep PDF and Word downloads on")
    arguments = parser.parse_args()
    make_corpus(arguments.out, arguments.reviews, arguments.seed, arguments.pdfs, arguments.boards)
    print(f"wrote {arguments.reviews} reviews to {arguments.out}")


if __name__ == "__main__":
    main()

"""Facts read straight from the content files, independently of the generator's code, so that
tests compare the built site with the content rather than with a hard-coded list."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import frontmatter


def in_english(data: object) -> object:
    """Front matter with each text given in English and Welsh (``{en: ..., cy: ...}``) as its English."""
    if isinstance(data, dict) and "en" in data and set(data) <= {"en", "cy"}:
        return data["en"]
    if isinstance(data, dict):
        return {key: in_english(value) for key, value in data.items()}
    if isinstance(data, list):
        return [in_english(item) for item in data]
    return data


def reviews(content_dir: Path) -> dict[str, dict]:
    """Every published review's front matter (in English), by id."""
    found = {}
    for path in sorted((content_dir / "reviews").glob("*.md")):
        data = in_english(frontmatter.load(path).metadata)
        if data["status"] == "published":
            found[data["id"]] = data
    return found


def points_on_theme(content_dir: Path, theme: str) -> list[tuple[str, str]]:
    """(review id, point text) of every learning point whose themes include ``theme``: a point's
    own themes, else its section's, else its review's."""
    tagged = []
    for review_id, review in reviews(content_dir).items():
        for section in review["sections"]:
            for point in section["learning_points"]:
                themes = point.get("themes") or section.get("themes") or review["themes"]
                if theme in themes:
                    tagged.append((review_id, point["point"]))
    return tagged


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def text_of(markup: str) -> str:
    """The visible text of some HTML, whitespace collapsed."""
    parser = _Text()
    parser.feed(markup)
    return normalise("".join(parser.parts))


def normalise(text: str) -> str:
    """Collapse whitespace and strip Markdown emphasis, so content and page text compare."""
    text = html.unescape(text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("*", "")
    text = " ".join(text.split())
    # PDF text extraction can put a space before punctuation after a kerned letter ("GP ,").
    return re.sub(r" ([,.;:?!)])", r"\1", text)


def points_for_agency(content_dir: Path, agency: str) -> list[tuple[str, str]]:
    """(review id, point text) of every learning point addressed to ``agency``."""
    return [
        (review_id, point["point"])
        for review_id, review in reviews(content_dir).items()
        for section in review["sections"]
        for point in section["learning_points"]
        if agency in point.get("agencies", [])
    ]


def recommendations_for_agency(content_dir: Path, agency: str) -> list[tuple[str, str]]:
    """(review id, text) of every recommendation addressed to ``agency``."""
    return [
        (review_id, item["recommendation"])
        for review_id, review in reviews(content_dir).items()
        for item in review["recommendations"] or []
        if agency in item["addressed_to"]
    ]


def point_at(content_dir: Path, review_id: str, anchor: str) -> dict:
    """The learning point with anchor ``lp-S-P`` (numbers from 1) in a review."""
    section, point = (int(part) for part in anchor.removeprefix("lp-").split("-"))
    return reviews(content_dir)[review_id]["sections"][section - 1]["learning_points"][point - 1]


def themes_of_point(content_dir: Path, review_id: str, anchor: str) -> list[str]:
    """A point's themes: its own, else its section's, else its review's."""
    review = reviews(content_dir)[review_id]
    section_number = int(anchor.removeprefix("lp-").split("-")[0])
    section = review["sections"][section_number - 1]
    point = point_at(content_dir, review_id, anchor)
    return point.get("themes") or section.get("themes") or review["themes"]

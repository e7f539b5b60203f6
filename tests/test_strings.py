"""The site's own words: one entry per name, placeholders that pair up."""

from __future__ import annotations

from generator.model.strings import DEFAULT_STRINGS, placeholders
from generator.pipeline.load import parse_yaml


def test_every_string_is_given_once_and_its_braces_pair_up() -> None:
    data, _, repeated = parse_yaml(DEFAULT_STRINGS.read_text(encoding="utf-8"), "generator/strings.yml")
    assert repeated == []
    for name, text in data.items():
        assert isinstance(text, str) and text.strip(), name
        placeholders(text)  # raises on a lone brace

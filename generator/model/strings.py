"""The site's own words: ``generator/strings.yml``, which a board may reword in
``content/strings.yml``. A string may hold placeholders such as ``{name}``, filled in where it is
used; a rewording may use only the placeholders its default has."""

from __future__ import annotations

import functools
import string
from pathlib import Path

import yaml

DEFAULT_STRINGS = Path(__file__).resolve().parents[1] / "strings.yml"
"""The interface strings shipped with the package."""


@functools.cache
def default_strings() -> dict[str, str]:
    """The shipped strings, by name (read once)."""
    return yaml.safe_load(DEFAULT_STRINGS.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders in ``text``; raise ``ValueError`` if its braces do not pair up
    (a lone ``{`` or ``}``)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

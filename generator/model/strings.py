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


TRANSLATED_STRINGS = {"cy": DEFAULT_STRINGS.with_name("strings.cy.yml")}
"""The shipped strings in each language other than English (Welsh: ``strings.cy.yml``)."""


@functools.cache
def default_strings(language: str = "en") -> dict[str, str]:
    """The shipped strings in ``language``, by name (read once). A string with no translation
    is left out here; the site then uses the English (see ``strings_in``)."""
    path = TRANSLATED_STRINGS.get(language, DEFAULT_STRINGS)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def strings_in(language: str) -> dict[str, str]:
    """Every string in ``language``, in English where it has no translation."""
    return {**default_strings(), **default_strings(language)}


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders in ``text``; raise ``ValueError`` if its braces do not pair up
    (a lone ``{`` or ``}``)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def fill_text(template: str, **values: object) -> str:
    """``template`` with its ``{placeholders}`` filled in by ``values``. Without values (a string
    with no placeholders) it is used as written, braces and all, as the content check expects; so
    it is, too, should a rewording with a placeholder it does not have ever get past that check."""
    if not values:
        return template
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template

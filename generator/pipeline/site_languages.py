"""Part of stage 5, site: a site in English and Welsh is built as one MkDocs build per language.

The English pages (at the root of ``briefings/``) become the root of the site; the Welsh pages
(``briefings/cy/``, the same paths) become ``site/cy/``, built with Material's Welsh interface
(``theme.language: cy``), so that every page, its ``lang`` and Material's own words are in the
page's language. Each page links to the same page in the other language: the switcher in the
header (``theme_overrides/partials/alternate.html``) and ``<link rel="alternate" hreflang>`` in
the head (``theme_overrides/main.html``), both from ``extra.languages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

from generator.model.addresses import language_root
from generator.model.schema import Settings

NAMES = {"en": "English", "cy": "Cymraeg"}
"""Each language by its own name, as the switcher offers it."""


@dataclass(frozen=True)
class Edition:
    """One MkDocs build of a site in several languages."""

    language: str
    folder: str
    """Where its pages are, under both the docs_dir and the site: ``""`` or ``cy/``."""
    overrides: dict[str, Any]
    """What its configuration changes in ``mkdocs.yml`` (beyond ``config_overrides``)."""


def editions(config_file: Path, settings: Settings, overrides: dict[str, Any]) -> list[Edition]:
    """The MkDocs builds of the site: one for a site in English only (with ``overrides`` as they
    are, so its output is unchanged), else one per language."""
    if len(settings.languages) == 1:
        return [Edition(settings.languages[0], "", overrides)]
    with config_file.open(encoding="utf-8") as stream:
        written = yaml_load(stream) or {}
    theme = dict(written.get("theme") or {})
    others = [language_root(language) for language in settings.languages[1:]]
    found = []
    for language in settings.languages:
        folder = language_root(language)
        extra = {
            **(written.get("extra") or {}),
            **overrides.get("extra", {}),
            # Material shows its switcher for any true ``alternate``; a list would also make it
            # add links to each language's home page to the head, where ours link the same page.
            "alternate": True,
            "languages": [
                {"lang": other, "name": NAMES[other], "prefix": _prefix(folder, language_root(other))}
                for other in settings.languages
            ],
        }
        changes: dict[str, Any] = {**overrides, "extra": extra, "theme": {**theme, "language": language}}
        if folder:
            changes["docs_dir"] = str((config_file.parent / written.get("docs_dir", "docs") / folder).resolve())
            # Titles in the navigation come from the pages themselves, so they are in this language.
            changes["nav"] = [_paths_only(item) for item in written.get("nav") or []]
            changes["plugins"] = _search_in_english(overrides.get("plugins") or written.get("plugins") or [])
            if settings.site_url:
                changes["site_url"] = f"{settings.site_url.rstrip('/')}/{folder}"
        else:
            changes["exclude_docs"] = "\n".join(f"/{other}" for other in others)
        found.append(Edition(language, folder, changes))
    return found


def _prefix(here: str, there: str) -> str:
    """From the root of the edition in folder ``here`` to the root of the one in ``there``."""
    if here == there:
        return ""
    return "../" * here.count("/") + there


def _paths_only(item: Any) -> Any:
    """A navigation entry with its title left out (``{"Home": "index.md"}`` -> ``"index.md"``)."""
    if isinstance(item, dict) and len(item) == 1:
        value = next(iter(item.values()))
        return value if isinstance(value, str) else {next(iter(item)): [_paths_only(child) for child in value]}
    return item


def _search_in_english(plugins: list[Any]) -> list[Any]:
    """The plugins, with Material's search told to stem words as English: its search engine
    (lunr) has no Welsh, and the page's own language would stop a strict build with a warning."""
    changed = []
    for plugin in plugins:
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "search":
            options = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            plugin = {"search": {**options, "lang": ["en"]}}
        changed.append(plugin)
    return changed

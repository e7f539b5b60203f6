"""What the site build's configuration (``mkdocs.yml``) says that other stages need: the
Markdown extensions, so that the printed pages are converted exactly as the web pages are."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
"""The extensions MkDocs always adds (``mkdocs.config.defaults``)."""


@dataclass(frozen=True)
class MarkdownSettings:
    """Python-Markdown's extensions and their settings, as ``markdown.Markdown`` takes them."""

    extensions: list[str]
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)


def markdown_settings(config_file: Path) -> MarkdownSettings:
    """The ``markdown_extensions`` of ``config_file``, with MkDocs' built-in ones, in MkDocs' order."""
    with config_file.open(encoding="utf-8") as stream:
        config = yaml_load(stream) or {}
    extensions = list(MKDOCS_BUILTIN_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    for item in config.get("markdown_extensions") or []:
        name, settings = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in extensions:
            extensions.append(name)
        if settings:
            configs[name] = dict(settings)
    return MarkdownSettings(extensions, configs)

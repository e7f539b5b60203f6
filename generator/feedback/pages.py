"""The pages of the feedback service and the feedback report, and the site's words in them.

The pages are the templates ``generator/templates/feedback_service_*`` and ``feedback_report_*``,
filled in by the project's one Jinja environment (autoescape, undefined names are errors). Every
value is escaped as ``html.escape`` escapes it (a quote as ``&quot;``, as these pages have always
written it); markup a template makes itself (a macro's output, ``fill``) is kept as it is.

The words are the site's strings (``content.strings``), so a board's ``content/strings.yml``
rewording applies; ``{placeholders}`` in them are filled in with ``fill`` (in a page) or
``fill_text`` (in plain text such as a JSON message).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping

import jinja2
from markupsafe import Markup

from generator.model.strings import fill_text
from generator.templating import environment

TEMPLATE_CACHE_SIZE = 20
"""The compiled feedback templates kept (there are three)."""


def escape(value: object) -> Markup:
    """``value`` as HTML text (``&``, ``<``, ``>`` and both quotes escaped); markup is kept."""
    if hasattr(value, "__html__"):
        return Markup(value)
    return Markup(html.escape(str(value)))


def fill(template: str, **values: object) -> Markup:
    """``template`` as HTML text with its placeholders filled in by ``values``, each escaped
    unless it is markup already."""
    escaped = {name: str(escape(value)) for name, value in values.items()}
    return Markup(fill_text(str(escape(template)), **escaped))


@functools.cache
def page_environment() -> jinja2.Environment:
    """The project's environment, escaping every value with ``escape``. Its own template cache,
    so no template compiled without that is ever used."""
    return environment().overlay(finalize=escape, cache_size=TEMPLATE_CACHE_SIZE)


def render(name: str, strings: Mapping[str, str], **context: object) -> str:
    """The template ``name`` filled in with ``context``, the site's ``strings`` and ``fill``."""
    return page_environment().get_template(name).render(strings=strings, fill=fill, **context)

"""The one Jinja environment: the package's templates, undefined names are errors, every value
HTML-escaped. Render, printing, the scaffold and the feedback service all use it."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

from generator.model.dates import PublicationDate, or_not_dated


@functools.cache
def environment() -> jinja2.Environment:
    """The environment, made once per process."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # package templates do not change while a build or preview runs
        # Every value is HTML-escaped, so markup in content is shown as text, never run; the
        # Markdown syntax authors use (emphasis, links, lists) is unaffected.
        autoescape=True,
    )
    env.filters["display_date"] = display_date
    env.filters["or_not_dated"] = or_not_dated
    env.filters["join_names"] = join_names
    env.filters["names_of"] = names_of
    env.filters["typst"] = typst_text
    env.filters["typst_string"] = typst_string
    env.globals.update(board_key=board_key, nation_string=nation_string)
    return env


_TYPST_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
"""Control characters other than white space: they print as nothing, so they are left out."""


def typst_text(text: object) -> Markup:
    """The ``typst`` filter: ``text`` as Typst markup that prints it as written. Every ASCII
    punctuation mark is escaped with a backslash (Typst gives ``# * _ $ @ < > [ ] ` ~ \\`` and
    ``-- ... //`` meanings of their own), runs of white space become one space, as in HTML, and
    other control characters are left out."""
    return Markup(_TYPST_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", _CONTROL.sub("", str(text)))))


def typst_string(text: object) -> Markup:
    """The ``typst_string`` filter: ``text`` as a Typst string literal, in double quotes (control
    characters other than white space left out)."""
    escaped = _CONTROL.sub("", str(text)).replace("\\", "\\\\").replace('"', '\\"')
    return Markup('"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"')


class KeptCompiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in a folder between builds (Jinja's own bytecode cache), so a
    build does not compile every template again. An entry is found by the template's name, file
    and source, Python's and Jinja's versions, and the environment's settings that change how a
    template compiles (two environments never share an entry); one that cannot be read is a
    miss, compiled again."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        settings = (
            jinja2.__version__,
            environment.block_start_string,
            environment.variable_start_string,
            environment.comment_start_string,
            environment.line_statement_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.keep_trailing_newline,
            environment.newline_sequence,
            environment.optimized,
            repr(environment.autoescape),
            repr(environment.finalize),
            sorted(environment.extensions),
        )
        return super().get_bucket(environment, name, f"{filename}|{settings!r}", source)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged or cut short: a miss
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a cache that cannot be written is only slower
            pass


def keep_compiled(env: jinja2.Environment, folder: Path) -> None:
    """Have ``env`` keep its compiled templates in ``folder`` (``KeptCompiled``)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = KeptCompiled(str(folder))


def display_date(published: PublicationDate | None, strings: Mapping[str, str]) -> str:
    """The ``display_date`` filter: ``11 April 2019``, ``May 2017``, ``2010``, or the strings'
    ``not_dated`` (also for a draft with no date yet), with the strings' names of the ``months``."""
    return or_not_dated(published).display(strings["not_dated"], strings["months"])


def board_key(board: str) -> str:
    """A board's name as a filter value in a link: lowercase words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", board.lower()))


def nation_string(nation: str) -> str:
    """The name of the site's string that names ``nation`` (``Northern Ireland``:
    ``nation_northern_ireland``)."""
    return "nation_" + board_key(nation).replace("-", "_")


def join_names(names: list[str], and_word: str = "and") -> str:
    """``A``, ``A and B``, ``A, B and C``: names as a sentence gives them."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {and_word} {names[-1]}"


def names_of(keys: list[str], vocabulary: Mapping[str, Any]) -> list[str]:
    """The names of vocabulary entries, in the order of ``keys``."""
    return [vocabulary[key].name for key in keys]

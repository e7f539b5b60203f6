"""YAML syntax errors in an author's words: the line where the mistake is, and how to put it right.

The YAML parser names what it expected (``mapping values are not allowed here``), often on a
line after the mistake (an unclosed quote is noticed at the next quote in the file). These
functions look at the text itself to find the line an author must change and to say what to
change there. They work with the wording of both libyaml and PyYAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Source:
    """The YAML text of an error, line by line, and where it starts in its file."""

    lines: list[str]
    first_line: int
    """The file's line number of ``lines[0]``."""

    def shown(self, index: int) -> int:
        """The file's line number of ``lines[index]``."""
        return self.first_line + index

    def text(self, index: int) -> str:
        """The line at ``index``, or ``""`` past the end."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def owner(self, index: int) -> int | None:
        """The nearest line above ``index`` that is indented less than it (the field it sits
        under), skipping blank lines and comments."""
        indent = _indent(self.text(index))
        for above in range(index - 1, -1, -1):
            line = self.lines[above]
            if _significant(line) and _indent(line) < indent:
                return above
        return None

    def previous(self, index: int) -> int | None:
        """The nearest line above ``index`` that is not blank or a comment."""
        return next((above for above in range(index - 1, -1, -1) if _significant(self.lines[above])), None)


@dataclass(frozen=True)
class Mistake:
    """Where the parser stopped, and what it said."""

    context: str
    problem: str
    context_at: tuple[int, int] | None
    """The line and column (from 0) of what the parser was reading, if it said."""
    problem_at: tuple[int, int]
    """The line and column (from 0) where it stopped."""


def explain(text: str, error: yaml.MarkedYAMLError, first_line: int) -> tuple[int, str]:
    """The file's line of the mistake in ``text`` (which starts at ``first_line``), and what to
    do about it in plain words."""
    source = Source([line.rstrip("\r") for line in text.split("\n")], first_line)
    problem_mark = error.problem_mark or error.context_mark
    mistake = Mistake(
        context=error.context or "",
        problem=error.problem or "",
        context_at=(error.context_mark.line, error.context_mark.column) if error.context_mark else None,
        problem_at=(problem_mark.line, problem_mark.column) if problem_mark else (0, 0),
    )
    for rule in RULES:
        found = rule(source, mistake, text)
        if found is not None:
            index, message = found
            return source.shown(index), message
    technical = " ".join(filter(None, [mistake.context, mistake.problem]))
    return (
        source.shown(mistake.problem_at[0]),
        f"this line is not valid YAML; check its indentation, colons and quotes (YAML: {technical})",
    )


Found = tuple[int, str] | None
"""A rule's answer: the index of the line at fault and the message, or None if it does not apply."""


def _tab(source: Source, mistake: Mistake, text: str) -> Found:
    """A tab where YAML needs spaces."""
    index, column = mistake.problem_at
    line = source.text(index)
    if "\t" in line[: len(line) - len(line.lstrip())]:
        return index, "this line is indented with a tab; indent with spaces, not tabs"
    if line[column : column + 1] == "\t":
        return index, "this line has a tab where YAML needs a space; use spaces, not tabs"
    return None


def _unclosed_quote(source: Source, mistake: Mistake, text: str) -> Found:
    """A quote that is never closed, or closed only by the next quote further down the file."""
    if "quoted scalar" in mistake.context and "end of stream" in mistake.problem and mistake.context_at:
        index, column = mistake.context_at
        quote = source.text(index)[column]
        return index, f"the text that starts with {quote} here has no closing {quote}; add one at the end of the text"
    for token in _tokens_before(text, mistake.problem_at):
        if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'"):
            continue
        start, end = token.start_mark.line, token.end_mark.line
        opening_indent = _indent(source.text(start))
        if any(_looks_like_a_field(source.text(i), opening_indent) for i in range(start + 1, end + 1)):
            quote = token.style
            return start, (
                f"the text that starts with {quote} here has no closing {quote} where it ends, so the lines "
                f"after it up to line {source.shown(end)} were read as part of it; add the closing {quote}"
            )
    return None


def _dash_without_space(source: Source, mistake: Mistake, text: str) -> Found:
    """A ``-`` meant to start a list item with no space after it (``-heading: ...``), on the line
    where the parser stopped or the line it sits under."""
    index = mistake.problem_at[0]
    for candidate in (mistake.context_at[0] if mistake.context_at else None, index, source.owner(index)):
        if candidate is None:
            continue
        dash = re.match(r"^\s*-([^\s-].*)$", source.text(candidate))
        if dash:
            return candidate, f"a '-' that starts a list item needs a space after it: - {dash[1]}"
    return None


def _colon(source: Source, mistake: Mistake, text: str) -> Found:
    """A colon and a space in unquoted text, or a field indented under one that has a value."""
    if "mapping values are not allowed" not in mistake.problem:
        return None
    index, column = mistake.problem_at
    line = source.text(index)
    separator = _key_colon(line)
    if separator is not None and column > separator:
        return index, (
            "this text holds a colon followed by a space, which would start a new field; put the text in "
            f"quotes: {_quoted_line(line)}"
        )
    owner = source.owner(index)
    above = f"'{_key(source.text(owner))}'" if owner is not None and _key(source.text(owner)) else "the line"
    return index, (
        f"this line is indented further than {above} above it, which already has a value; line it up with "
        f"{above} if it is a field of its own, or, if it is more of that text, put all of the text in quotes"
    )


def _brackets(source: Source, mistake: Mistake, text: str) -> Found:
    """A list in ``[...]`` or fields in ``{...}`` that is not closed."""
    if "flow sequence" in mistake.context and mistake.context_at:
        return mistake.context_at[0], (
            "the list in square brackets that starts here is not closed; end it with ']', and put in quotes "
            "any item that holds a colon or a bracket"
        )
    if "flow mapping" in mistake.context and mistake.context_at:
        return mistake.context_at[0], (
            "the '{' here starts a set of fields in braces that is not closed; if the braces are part of "
            f"the text, put the text in quotes: {_quoted_line(source.text(mistake.context_at[0]))}"
        )
    return None


def _bad_first_character(source: Source, mistake: Mistake, text: str) -> Found:
    """Text that starts with a character YAML keeps for itself (``@``, a backtick, ``%``)."""
    if "cannot start any token" not in mistake.problem:
        return None
    index, column = mistake.problem_at
    line = source.text(index)
    return index, (
        f"text cannot start with '{line[column : column + 1]}' unless it is in quotes; put the text in quotes: "
        f"{_quoted_line(line)}"
    )


def _escape(source: Source, mistake: Mistake, text: str) -> Found:
    """A backslash in double-quoted text."""
    if "escape" not in mistake.problem:
        return None
    index = mistake.problem_at[0]
    return index, (
        "in text in double quotes a backslash (\\) starts a special character; write it twice (\\\\), or use "
        "single quotes ('...') instead"
    )


def _no_colon(source: Source, mistake: Mistake, text: str) -> Found:
    """A line that is neither a field nor a list item: no ``: ``, or ``-`` without a space."""
    if "could not find expected ':'" not in mistake.problem or mistake.context_at is None:
        return None
    index = mistake.context_at[0]
    line = source.text(index)
    previous = source.previous(index)
    block = re.match(r"^\s*(?:-\s+)?([^\s:#][^:]*):\s+[|>][-+]?\s*$", source.text(previous or 0))
    if previous is not None and block and _indent(line) <= _indent(source.text(previous)):
        return index, f"the text under '{block[1]}' must be indented further than '{block[1]}'; indent this line"
    return index, (
        "this line is neither a field ('name: value') nor a list item ('- value'); if it is a field, put a "
        "colon and a space after its name, or, if it is more of the text above, indent it further than that "
        "text's field"
    )


def _misplaced(source: Source, mistake: Mistake, text: str) -> Found:
    """A line that does not fit where it is: text after a closing quote or bracket, a list item
    under a field that has a value, or a line indented to match nothing above it."""
    if "block mapping" not in mistake.context and "block collection" not in mistake.context:
        return None
    index, column = mistake.problem_at
    line = source.text(index)
    before = line[:column].rstrip()
    if column > _indent(line) and before and before[-1] in "\"']}":
        opening = "quote" if before[-1] in "\"'" else "bracket"
        return index, (
            f"the text goes on after its closing {opening}; put quotes around all of the text: {_quoted_line(line)}"
        )
    if _is_list_item(line):
        previous = source.previous(index)
        above = source.text(previous) if previous is not None else ""
        key = _key(above)
        if key and not _is_list_item(above) and not above.rstrip().endswith(":") and _indent(line) <= _indent(above):
            return index, (
                f"this line starts a list item ('-'), but '{key}' above it already has its value; remove the "
                "'-', or move the item into the list it belongs to"
            )
    return _indentation(source, index, text)


def _indentation(source: Source, index: int, text: str) -> Found:
    """Advice for a field or list item indented to match nothing above it: the nearest
    indentations that would fit, with the line each comes from."""
    line = source.text(index)
    indent = _indent(line)
    dash = _is_list_item(line)
    levels: dict[int, tuple[int, str]] = {}
    lowest: int | None = None
    for token, name in reversed(list(_structure_before(text, (index, 0)))):
        column = token.start_mark.column
        if lowest is not None and column > lowest:
            continue  # inside something that has ended above: the nearest line, then those left of it
        lowest = column
        if isinstance(token, yaml.BlockEntryToken) == dash:
            levels.setdefault(column, (token.start_mark.line, name))
    if indent in levels or not levels:
        return None
    options = sorted(levels, key=lambda level: (abs(level - indent), -level))[:2]
    advice = ", or ".join(
        f"{_indent_by(level)}, like {levels[level][1]} on line {source.shown(levels[level][0])}" for level in options
    )
    return index, f"this line is {_indent_by(indent, 'indented')}, which does not fit the lines above it; {advice}"


def _indent_by(spaces: int, verb: str = "indent it") -> str:
    """``indent it by 4 spaces``; at no spaces, ``start it at the beginning of the line``."""
    if spaces == 0:
        return "start it at the beginning of the line" if verb == "indent it" else "not indented"
    return f"{verb} by {spaces} {'space' if spaces == 1 else 'spaces'}"


RULES: tuple[Callable[[Source, Mistake, str], Found], ...] = (
    _tab,
    _unclosed_quote,
    _dash_without_space,
    _colon,
    _brackets,
    _bad_first_character,
    _escape,
    _no_colon,
    _misplaced,
)
"""The kinds of mistake recognised, tried in order; the first that applies explains the error."""


def _tokens_before(text: str, where: tuple[int, int]) -> Iterator[yaml.Token]:
    """The YAML tokens of ``text`` that start before line and column ``where``, as far as the
    text can be read."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if (token.start_mark.line, token.start_mark.column) >= where:
                return
            yield token
    except yaml.YAMLError:
        return


def _structure_before(text: str, where: tuple[int, int]) -> Iterator[tuple[yaml.Token, str]]:
    """The fields and list items of block style before ``where``, each with how a message names
    it: ``'heading'`` or ``the '-'``."""
    tokens = list(_tokens_before(text, where))
    depth = 0
    for position, token in enumerate(tokens):
        if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
            depth += 1
        elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken):
            depth -= 1
        elif depth == 0 and isinstance(token, yaml.BlockEntryToken):
            yield token, "the '-'"
        elif depth == 0 and isinstance(token, yaml.KeyToken):
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            name = following.value if isinstance(following, yaml.ScalarToken) else "the field"
            yield token, f"'{name}'"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _significant(line: str) -> bool:
    """Whether a line holds something other than spaces and a comment."""
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _is_list_item(line: str) -> bool:
    stripped = line.lstrip()
    return stripped == "-" or stripped.startswith("- ")


def _key_colon(line: str) -> int | None:
    """Where the colon after the field name of a ``name: value`` line is, or None."""
    match = re.match(r"^\s*(?:-\s+)*[^\s:#\"'\[{][^:]*?:(?=\s|$)", line)
    return match.end() - 1 if match else None


def _key(line: str) -> str | None:
    """The field name of a ``name: value`` or ``- name: value`` line, or None."""
    colon = _key_colon(line)
    return line[:colon].strip().lstrip("- ").strip() if colon is not None else None


def _quoted_line(line: str) -> str:
    """The line with its text in quotes, as an example of the fix: ``title: "A: B"``. A list
    item is quoted whole unless it starts with a field name (``- Who: why?`` is a question)."""
    stripped = line.strip()
    colon = _key_colon(stripped)
    if colon is not None and (not _is_list_item(stripped) or re.match(r"^-\s+[a-z][a-z0-9_]*:", stripped)):
        head, value = stripped[: colon + 1] + " ", stripped[colon + 1 :].strip()
    else:
        item = re.match(r"^(-\s+)(.*)$", stripped)
        head, value = (item[1], item[2]) if item else ("", stripped)
    return head + _quoted(value)


def _quoted(value: str) -> str:
    """``value`` in double quotes, or in single quotes if it holds a double quote or a backslash
    (a single quote inside single quotes is written twice)."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _looks_like_a_field(line: str, indent: int) -> bool:
    """Whether ``line`` looks like a field or list item indented no further than ``indent``: in
    quoted text, a sign that the quote was not closed where it should be."""
    return _indent(line) <= indent and (_key_colon(line) is not None or _is_list_item(line))

"""A generated page's HTML (python-markdown's output) as Typst markup, for the printed PDFs.

The page is read with the standard library's HTML parser into a small tree, and each element
becomes Typst markup: headings, paragraphs, lists, emphasis, links, tables and code as Typst's
own elements; the page's parts that have a look of their own (key facts, learning points, their
questions, the 7-minute briefing's tiles, the feedback form's fields) as calls to functions the
print template defines (``ll-...``), so the look stays in the template. What a browser does not
show (``hidden``, ``aria-hidden``, hidden inputs, buttons, templates) and what means nothing on
paper (permanent links, the links to the other session documents) is left out. Every piece of
text is escaped (``typst`` filter), so content prints as written, whatever characters it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from generator.templating import typst_string, typst_text

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
"""Elements that have no end tag."""
SKIPPED = frozenset({"button", "head", "script", "style", "template", "title"})
"""Elements whose content is never printed."""
SKIPPED_CLASSES = frozenset({"headerlink", "ll-session-links", "ll-honeypot"})
"""Classes of elements the print leaves out, as the web page's print style did."""
BLOCK_FUNCTIONS = {
    "admonition": "ll-admonition",
    "admonition-title": "ll-admonition-title",
    "ll-key-facts": "ll-key-facts",
    "ll-question": "ll-question",
    "ll-question__label": "ll-question-label",
    "ll-point__number": "ll-point-number",
    "ll-print-note": "ll-print-note",
    "ll-help": "ll-help",
    "ll-field": "ll-field",
    "ll-group": "ll-fieldset",
    "ll-choice": "ll-choice",
    "md-button": "strong",
}
"""Classes that print with a function of the print template (the first of an element's classes found
here decides)."""
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
INLINE = {"strong": "strong", "b": "strong", "em": "emph", "i": "emph", "sup": "super", "sub": "sub"}
INLINE |= {"del": "strike", "s": "strike", "ins": "underline", "u": "underline", "mark": "highlight"}
"""Inline elements and the Typst function that prints each."""
BLOCKS = frozenset({"p", "div", "form", "label", "dt", "dd", "figure", "figcaption", "section", "details"})
"""Elements printed as a block of their own (a paragraph, at least)."""
PRINTED_ADDRESS = re.compile(r"^https?:")
"""Links whose address is printed after their words (so it can be read on paper)."""
ADDRESS = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
"""A full address (with its scheme: ``https:``, ``mailto:``), the links a PDF keeps."""
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class Element:
    """One element of the page, with its children (elements and text)."""

    tag: str
    attributes: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        """The element's classes."""
        return self.attributes.get("class", "").split()


class _TreeBuilder(HTMLParser):
    """Builds the tree of ``Element`` from the page's HTML as the parser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: str) -> Element:
    """The page as a tree of elements."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def to_typst(html: str) -> str:
    """The page's HTML as Typst markup."""
    return _BLANK_LINES.sub("\n\n", _children(parse(html))).strip() + "\n"


def _children(element: Element) -> str:
    """What ``element`` holds, as Typst markup (the 7-minute briefing's tiles laid out as tiles)."""
    if "ll-tiles" in element.classes:
        return _tiles(element)
    return "".join(typst_text(child) if isinstance(child, str) else _element(child) for child in element.children)


def _tiles(element: Element) -> str:
    """The 7-minute briefing's tiles: narrow ones two to a row, wide ones across the page."""
    out: list[str] = []
    row: list[str] = []
    tiles = [child for child in element.children if isinstance(child, Element) and _shown(child)]
    for tile in tiles:
        if "ll-tile--wide" in tile.classes:
            out += [_row(row), f"#ll-tile[{_children(tile)}]\n"]
            row = []
        else:
            row.append(f"[{_children(tile)}]")
            if len(row) == 2:
                out.append(_row(row))
                row = []
    out.append(_row(row))
    return "\n" + "".join(out)


def _row(tiles: list[str]) -> str:
    """One row of narrow tiles side by side (nothing for none)."""
    return f"#ll-tile-row({', '.join(tiles)})\n" if tiles else ""


def _shown(element: Element) -> bool:
    """Whether ``element`` prints: not hidden, not a control or element with no meaning on paper."""
    attributes = element.attributes
    return not (
        element.tag in SKIPPED
        or "hidden" in attributes
        or attributes.get("aria-hidden") == "true"
        or SKIPPED_CLASSES.intersection(element.classes)
    )


def _element(element: Element) -> str:
    """One element as Typst markup."""
    if not _shown(element):
        return ""
    tag = element.tag
    function = _function(element)
    if tag in HEADINGS:
        return f"\n\n#heading(level: {HEADINGS[tag]})[{_children(element).strip()}]\n\n"
    if tag == "a":
        return _link(element)
    if tag == "input":
        return _input(element)
    if tag == "textarea":
        return f"\n\n#ll-text-box(rows: {int(element.attributes.get('rows') or 2)})[]\n\n"
    if tag in ("ul", "ol"):
        return _list(element)
    if tag == "table":
        return _table(element)
    if tag == "pre":
        return f"\n\n#raw(block: true, {typst_string(_text(element).rstrip())})\n\n"
    if tag == "code":
        return f"#raw({typst_string(_text(element))})"
    if tag == "br":
        return "#linebreak()"
    if tag == "hr":
        return "\n\n#line(length: 100%)\n\n"
    if tag == "img":
        return typst_text(element.attributes.get("alt", ""))
    if tag == "blockquote":
        return f"\n\n#quote(block: true)[{_children(element).strip()}]\n\n"
    if tag == "fieldset":
        function = function if function in ("ll-fieldset", "ll-field") else "ll-fieldset"
    if tag == "legend":
        function = "ll-legend"
    inner = _children(element)
    if function:
        call = f"#{function}[{inner.strip()}]"
        return call if tag == "span" or function == "ll-choice" else f"\n\n{call}\n\n"
    if tag in INLINE:
        return f"#{INLINE[tag]}[{inner}]"
    if tag in BLOCKS or tag == "fieldset":
        return f"\n\n{inner.strip()}\n\n" if inner.strip() else ""
    return inner


def _function(element: Element) -> str | None:
    """The print template's function for ``element``, by the first of its classes that has one."""
    return next((BLOCK_FUNCTIONS[name] for name in element.classes if name in BLOCK_FUNCTIONS), None)


def _link(element: Element) -> str:
    """A link: clickable, and for an address on the web followed by that address."""
    href = element.attributes.get("href", "")
    inner = _children(element)
    if not ADDRESS.match(href):  # within the page, or a relative address that means nothing on paper
        return inner
    function = _function(element)
    link = f"#link({typst_string(href)})[{inner}]"
    if function:
        link = f"#{function}[{link}]"
    return link + (f"#ll-address({typst_string(href)})" if PRINTED_ADDRESS.match(href) else "")


def _input(element: Element) -> str:
    """A form field as it prints: a box to write in, or a circle or square to tick."""
    kind = element.attributes.get("type", "text")
    if kind == "hidden":
        return ""
    if kind == "radio":
        return "#ll-radio()"
    if kind == "checkbox":
        return "#ll-checkbox()"
    value = element.attributes.get("value", "")
    return f"\n\n#ll-text-box(rows: 1)[{typst_text(value)}]\n\n"


def _list(element: Element) -> str:
    """A bulleted or numbered list, its items' own lists nested in them."""
    items = [child for child in element.children if isinstance(child, Element) and child.tag == "li"]
    if not items:
        return ""
    start = element.attributes.get("start", "1")
    function = f"enum(start: {int(start) if start.isdigit() else 1})" if element.tag == "ol" else "list"
    return f"\n\n#{function}" + "".join(f"[{_children(item).strip()}]" for item in items) + "\n\n"


def _table(element: Element) -> str:
    """A table, row by row, its header cells in bold."""
    rows = [row for row in _descendants(element) if row.tag == "tr"]
    cells = [[cell for cell in row.children if isinstance(cell, Element) and cell.tag in ("th", "td")] for row in rows]
    columns = max((len(row) for row in cells), default=0)
    if not columns:
        return ""
    printed = [
        f"#strong[{_children(cell).strip()}]" if cell.tag == "th" else _children(cell).strip()
        for row in cells
        for cell in row + [Element("td", {})] * (columns - len(row))
    ]
    return f"\n\n#table(columns: {columns}, " + ", ".join(f"[{cell}]" for cell in printed) + ")\n\n"


def _descendants(element: Element) -> list[Element]:
    """Every element within ``element``, in document order."""
    found = []
    for child in element.children:
        if isinstance(child, Element):
            found.append(child)
            if child.tag != "table":
                found += _descendants(child)
    return found


def _text(element: Element) -> str:
    """The text within ``element``, its markup left out."""
    return "".join(child if isinstance(child, str) else _text(child) for child in element.children)

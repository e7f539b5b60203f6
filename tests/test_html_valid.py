"""Valid HTML: the Nu HTML checker (vnu-jar from npm, run with Java) on every page type.

Findings in Material for MkDocs' own markup are allowed, each for a stated reason:

- ``autocomplete="off"`` on Material's hidden ``md-toggle`` checkboxes (drawer, search): the
  attribute is only defined for text-like inputs; Material sets it so browsers do not restore a
  toggle's state on reload. It has no effect on what a reader sees or on assistive technology.
- ``<label class="md-nav__title" for="__toc">``: Material's label for its hidden table-of-contents
  toggle on small screens; the checker wants labels to point at visible controls.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from generator.build import Project

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
MATERIAL_FINDINGS = [
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    (
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        'class="md-nav__title" for="__toc"',
    ),
]
PAGES = [
    "index.html",
    "reviews/index.html",
    "reviews/kent-2019-child-j/index.html",
    "reviews/wiltshire-child-k/index.html",
    "themes/index.html",
    "themes/invisible-fathers/index.html",
    "types/scr/index.html",
    "agencies/index.html",
    "agencies/police/index.html",
    "browse/index.html",
    "sessions/index.html",
    "sessions/kent-2019-child-j/index.html",
    "sessions/theme-invisible-fathers/index.html",
    "seven-minute/kent-2019-child-j/index.html",
    "records/kent-2019-child-j/index.html",
    "guide/authors/index.html",
    "accessibility/index.html",
    "data/index.html",
]


def test_every_page_type_is_valid_html(sample_site_with_pdfs: Project) -> None:
    """In the site with PDFs, whose pages link to them."""
    assert unexplained_findings([sample_site_with_pdfs.site_dir / page for page in PAGES]) == []


def unexplained_findings(pages: list[Path]) -> list[str]:
    """The Nu HTML checker's errors on ``pages`` that are not Material's known findings (skips
    the test when the checker is not installed, outside CI)."""
    if not VNU.exists() or not shutil.which("java"):
        if os.environ.get("CI"):
            raise AssertionError("vnu-jar (npm install) and Java are needed")
        pytest.skip("needs vnu-jar (npm install) and Java")
    paths = [str(page) for page in pages]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages, "the checker reported nothing at all: Material's known findings should be there"
    return [
        f"{message['url'].split('/site/')[-1]}: {message['message']} [{message.get('extract', '').strip()}]"
        for message in messages
        if not any(
            message["message"].startswith(text) and marker in message.get("extract", "")
            for text, marker in MATERIAL_FINDINGS
        )
    ]

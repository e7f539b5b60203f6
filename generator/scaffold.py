"""``briefings new``: the text of a new review file, every field present and commented."""

from __future__ import annotations

from generator.templating import environment

EXAMPLE_ID = "example-2024-child-a"
"""The id used for the example file in the authors' guide and ``content/example-review.md``."""


def new_review_text(review_id: str) -> str:
    """A review file for ``review_id`` with every field, a comment on each, status draft; the
    publication date is left for the author to fill in."""
    return (
        environment()
        .get_template("new_review.md.j2")
        .render(id=review_id, title="Child Safeguarding Practice Review: Child A", pseudonym="Child A")
    )


def example_review_text() -> str:
    """The example review file shown to authors (the same every build)."""
    return new_review_text(EXAMPLE_ID)

"""The exceptions Learning Lessons raises.

Content errors are the author's to fix: the CLI prints them as ``path:line: field: message``
without a traceback. Anything else that escapes is a bug and is shown with its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one content file, at one line."""

    path: str
    """The file, relative to the project (for example ``content/reviews/x.md``)."""
    line: int
    """The 1-based line in that file."""
    field: str
    """Where in the file's data the problem is (``sections[2].heading``), or ``""``."""
    message: str
    """What is wrong, and where possible how to put it right."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class LearningLessonsError(Exception):
    """Base class of the errors a user can act on."""


class ContentErrors(LearningLessonsError):
    """Every error found in the content, collected across all files."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} error(s) in content")

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class SiteBuildError(LearningLessonsError):
    """The site builder (MkDocs) failed; the previous site is left as it was."""


class BuildInProgress(LearningLessonsError):
    """Another build of the same project is running: two at once would update one ``site/``."""

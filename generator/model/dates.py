"""Publication dates as reports give them: a day, a month, a year, or not dated."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

NOT_DATED = "not dated"
"""What an author writes for a report that carries no date."""

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

ENGLISH_MONTHS = "January February March April May June July August September October November December"
"""The months' names, as the site's ``months`` string gives them."""


@dataclass(frozen=True, order=True)
class PublicationDate:
    """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``not dated``. Dates order by their text, so the
    newest sorts last; an undated one has no parts."""

    text: str
    """The date as the author wrote it (``2017-05``), or ``not dated``."""

    @classmethod
    def parse(cls, value: object) -> PublicationDate:
        """Read a date from content; raise ``ValueError`` with the fix if it is not one.
        YAML reads ``published: 2017`` as a number: it is taken as the text it looks like."""
        if isinstance(value, PublicationDate):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"use YYYY-MM-DD, YYYY-MM, YYYY or '{NOT_DATED}'")
        if value == NOT_DATED:
            return cls(value)
        match = _PARTIAL_DATE.match(value)
        if not match:
            raise ValueError(f"use YYYY-MM-DD, YYYY-MM, YYYY or '{NOT_DATED}', not {value!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            datetime.date(year or 1, month or 1, day or 1)
        except ValueError as error:
            raise ValueError(f"{value} is not a real date ({error})") from None
        return cls(value)

    def __str__(self) -> str:
        return self.text

    @property
    def dated(self) -> bool:
        return self.text != NOT_DATED

    @property
    def parts(self) -> tuple[int, ...]:
        """``(2019, 4, 11)``, ``(2017, 5)``, ``(2010,)``; empty when not dated."""
        return tuple(int(part) for part in self.text.split("-")) if self.dated else ()

    def display(self, not_dated: str = "Not dated", months: str = ENGLISH_MONTHS) -> str:
        """``11 April 2019``, ``May 2017``, ``2010``, or ``not_dated``; ``months`` names the
        twelve months, separated by spaces (the site's ``months`` string)."""
        parts = self.parts
        names = months.split()
        if len(parts) == 3:
            return f"{parts[2]} {names[parts[1] - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{names[parts[1] - 1]} {parts[0]}"
        return self.text if parts else not_dated

    @property
    def year(self) -> PublicationDate:
        """The year alone (``2019``), or not dated."""
        return PublicationDate(self.text[:4]) if self.dated else self

    @property
    def year_key(self) -> str:
        """The year as a filter value in an address: ``2019`` or ``not-dated``."""
        return self.year.text.replace(" ", "-")

    @property
    def iso(self) -> str | None:
        """The text for a document's date metadata, or ``None`` when not dated."""
        return self.text if self.dated else None

    def epoch(self) -> int:
        """Seconds since 1970 at the start of its first day (0 when not dated)."""
        parts = self.parts
        if not parts:
            return 0
        first = datetime.date(parts[0], *(parts[1:] + (1, 1))[:2])
        return calendar.timegm(first.timetuple())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict:
        return {"type": "string", "pattern": rf"^(\d{{4}}(-\d{{2}}(-\d{{2}})?)?|{NOT_DATED})$"}


def or_not_dated(date: PublicationDate | None) -> PublicationDate:
    """``date``, or not dated for a draft that has no date yet: shown and sorted as not dated."""
    return date if date is not None else PublicationDate(NOT_DATED)

"""Partial dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`): parsing, ordering and formatting per locale."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum

from babel import Locale
from babel.dates import format_date, format_skeleton

from ..pickling import quick_pickle

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# A month or day of one digit (2023-10-8) is refused, but the message can name the date meant.
_UNPADDED = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


class Precision(IntEnum):
    """How much of a date is known."""

    YEAR = 1
    MONTH = 2
    DAY = 3


@quick_pickle
@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Ordering puts a year before its months and a month before its days (a missing part
    sorts as 0), so a year-only event opens its year on a timeline.
    """

    year: int
    """The year, four digits."""
    month: int = 0
    """1-12, or 0 when only the year is known."""
    day: int = 0
    """1-31, or 0 when the day is not known."""

    @property
    def precision(self) -> Precision:
        if self.day:
            return Precision.DAY
        if self.month:
            return Precision.MONTH
        return Precision.YEAR

    def iso(self) -> str:
        """Return the date as written in content: `2022`, `2022-09` or `2022-09-05`."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def first_day(self) -> dt.date:
        """Return the first calendar day the date covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """Return the last calendar day the date covers."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def format(self, locale: Locale | str) -> str:
        """Return the date as a reader of `locale` writes it, to its precision."""
        day = self.first_day()
        if self.precision is Precision.DAY:
            return format_date(day, format="long", locale=locale)
        if self.precision is Precision.MONTH:
            return format_skeleton("yMMMM", day, locale=locale)
        return str(self.year)

    def __str__(self) -> str:
        return self.iso()


class DateError(ValueError):
    """A date that is malformed or does not exist; the message says which."""


def parse_partial_date(text: str) -> PartialDate:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, refusing dates that do not exist."""
    return _parse(text, "a date as YYYY, YYYY-MM or YYYY-MM-DD", full=False)


def parse_full_date(text: str) -> PartialDate:
    """Parse a date that must be known to the day (`YYYY-MM-DD`)."""
    return _parse(text, "a full date YYYY-MM-DD", full=True)


def _parse(text: str, expected: str, *, full: bool) -> PartialDate:
    """Parse a date written as `expected` says; one with a one-digit month or day is refused with the form to write."""
    stripped = text.strip()
    match = _PATTERN.fullmatch(stripped) or _UNPADDED.fullmatch(stripped)
    if not match or (full and not match.group(3)):
        raise DateError(f'expected {expected}, found "{text}"')
    year, month, day = (int(part) if part else 0 for part in match.groups())
    if match.group(2) and not 1 <= month <= 12:
        raise DateError(f'"{text}" has no month {month:02d}; months run from 01 to 12')
    if match.group(3):
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            raise DateError(f'"{text}" does not exist: {name} {year} has {last} days')
    date = PartialDate(year, month, day)
    if match.re is _UNPADDED:
        short = " and the ".join(name for name, part in (("month", match.group(2)), ("day", match.group(3))) if part and len(part) == 1)
        raise DateError(f'expected {expected}, found "{text}"; write "{date.iso()}", with two digits for the {short}')
    return date

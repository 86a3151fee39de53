"""Partial dates as intervals.

Historical sources rarely give a day: they say "1999", "late 2001", "spring 2014" or
"1992-1997". Such a date is an interval of days, the earliest and the latest day
consistent with the words, together with a precision code that says how vague it
was. This module turns those words into intervals and refuses, with a reason, what
it cannot read. It never guesses: pandas' ``to_datetime(errors="coerce")`` silently
turns mixed formats into ``NaT``, which is why it is not used here.

Conventions (also documented in ``data/README.md``):

- ``YYYY`` is 1 Jan to 31 Dec (``year``); ``YYYY-MM`` the whole month (``month``).
- ``early YYYY`` is Jan-Apr, ``mid YYYY`` May-Aug, ``late YYYY`` Sep-Dec
  (``approximate``).
- ``spring`` Mar-May, ``summer`` Jun-Aug, ``autumn``/``fall`` Sep-Nov, ``winter YYYY``
  1 Dec YYYY to the end of Feb YYYY+1 (``season``; northern hemisphere).
- ``early/mid/late 1990s`` are 1990-1993, 1994-1996, 1997-1999 (``approximate``); a
  bare decade ``1990s`` is ``range``.
- ``around YYYY`` (also ``circa``, ``c.``, ``about``) is YYYY-1 to YYYY+1
  (``approximate``).
- ``A..B``, ``A/B`` (ISO 8601 interval), ``A to B`` and ``YYYY-YYYY`` are ranges from
  the start of A to the end of B (``range``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

DATE_PRECISIONS = ("day", "month", "season", "year", "range", "approximate")

MONTHS = (
    {name.lower(): number for number, name in enumerate(calendar.month_name) if number}
    | {
        name.lower(): number
        for number, name in enumerate(calendar.month_abbr)
        if number
    }
    | {"sept": 9}
)

_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_PARTS_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PARTS_OF_DECADE = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
_AROUND = r"(?:around|circa|c\.|ca\.|about|approximately)"

MIN_YEAR = 1000
MAX_YEAR = 2999


class DateParseError(ValueError):
    """A date text that cannot be read as an interval; the message says why."""


@dataclass(frozen=True)
class DateInterval:
    """The earliest and latest day consistent with a date text, and its precision."""

    start: date
    end: date
    precision: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DateParseError(
                f"the end {self.end.isoformat()} is before the start "
                f"{self.start.isoformat()}"
            )
        if self.precision not in DATE_PRECISIONS:
            raise DateParseError(f"unknown precision {self.precision!r}")


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError(f"year {text} is outside {MIN_YEAR}-{MAX_YEAR}")
    return year


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int) -> DateInterval:
    if not 1 <= month <= 12:
        raise DateParseError(f"month {month} does not exist (months run 1-12)")
    return DateInterval(date(year, month, 1), _month_end(year, month), "month")


def _day(year: int, month: int, day: int) -> DateInterval:
    if not 1 <= month <= 12:
        raise DateParseError(f"month {month} does not exist (months run 1-12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateParseError(
            f"day {day} does not exist in {calendar.month_name[month]} {year} "
            f"(it has {last} days)"
        )
    moment = date(year, month, day)
    return DateInterval(moment, moment, "day")


def _span(first: int, last: int, precision: str) -> DateInterval:
    return DateInterval(date(first, 1, 1), date(last, 12, 31), precision)


def _month_number(word: str) -> int:
    number = MONTHS.get(word.lower().rstrip("."))
    if number is None:
        raise DateParseError(f"{word!r} is not a month name")
    return number


# Each pattern is tried in order on the whole, lower-cased, space-normalised text.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "iso_day"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "iso_month"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(early|mid|late)[- ](\d{3})0s"), "part_of_decade"),
    (re.compile(r"(\d{3})0s"), "decade"),
    (re.compile(r"(early|mid|late)[- ](\d{4})"), "part_of_year"),
    (re.compile(r"(spring|summer|autumn|fall|winter),? (?:of )?(\d{4})"), "season"),
    (re.compile(_AROUND + r" (\d{4})"), "around"),
    (re.compile(r"(\d{1,2}) ([a-z]+\.?),? (\d{4})"), "day_month_year"),
    (re.compile(r"([a-z]+\.?) (\d{1,2}),? (\d{4})"), "month_day_year"),
    (re.compile(r"([a-z]+\.?),? (\d{4})"), "month_year"),
]

_RANGE_SEPARATORS = re.compile(r"\s*(?:\.\.|/|\bto\b|–|—)\s*")
_YEAR_RANGE = re.compile(r"(\d{4})\s*-\s*(\d{4})")
_SLASHED_NUMBERS = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})")


def _parse_single(text: str) -> DateInterval:
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groups()
        if kind == "iso_day":
            return _day(_year(groups[0]), int(groups[1]), int(groups[2]))
        if kind == "iso_month":
            return _month(_year(groups[0]), int(groups[1]))
        if kind == "year":
            year = _year(groups[0])
            return _span(year, year, "year")
        if kind == "day_month_year":
            return _day(_year(groups[2]), _month_number(groups[1]), int(groups[0]))
        if kind == "month_day_year":
            return _day(_year(groups[2]), _month_number(groups[0]), int(groups[1]))
        if kind == "month_year":
            return _month(_year(groups[1]), _month_number(groups[0]))
        if kind == "part_of_decade":
            decade = _year(groups[1] + "0")
            first, last = _PARTS_OF_DECADE[groups[0]]
            return _span(decade + first, decade + last, "approximate")
        if kind == "decade":
            decade = _year(groups[0] + "0")
            return _span(decade, decade + 9, "range")
        if kind == "part_of_year":
            year = _year(groups[1])
            first, last = _PARTS_OF_YEAR[groups[0]]
            return DateInterval(
                date(year, first, 1), _month_end(year, last), "approximate"
            )
        if kind == "season":
            year = _year(groups[1])
            if groups[0] == "winter":
                return DateInterval(
                    date(year, 12, 1), _month_end(year + 1, 2), "season"
                )
            first, last = _SEASONS[groups[0]]
            return DateInterval(date(year, first, 1), _month_end(year, last), "season")
        if kind == "around":
            year = _year(groups[0])
            return _span(year - 1, year + 1, "approximate")
    raise DateParseError(_explain_unreadable(text))


def _explain_unreadable(text: str) -> str:
    slashed = _SLASHED_NUMBERS.fullmatch(text)
    if slashed:
        first, second, year = slashed.groups()
        if len(year) == 2:
            return (
                f"{text!r} has a two-digit year: write the year in full, as YYYY-MM-DD"
            )
        if int(first) <= 12 and int(second) <= 12 and first != second:
            return (
                f"{text!r} is ambiguous: it can be day/month or month/day; "
                "write it as YYYY-MM-DD"
            )
        return f"{text!r} is not an ISO date: write it as YYYY-MM-DD"
    if re.fullmatch(r"\d{2}", text):
        return f"{text!r} is a two-digit year: write the year in full"
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return (
            f"{text!r} looks like a spreadsheet serial number, not a date: "
            "write it as YYYY-MM-DD"
        )
    return (
        f"{text!r} is not a date this parser reads (YYYY, YYYY-MM, YYYY-MM-DD, "
        "'early|mid|late YYYY', a season and year, 'around YYYY', or a range A..B)"
    )


def parse_partial_date(text: object) -> DateInterval:
    """Read a partial date as the interval of days it allows.

    Parameters
    ----------
    text
        A date as people write it: ``"1999"``, ``"1999-02"``, ``"2002-09-25"``,
        ``"February 1999"``, ``"late 2001"``, ``"spring 2014"``, ``"late 1990s"``,
        ``"around 1998"``, ``"1992-1997"`` or ``"2001-06..2002-09-25"``.

    Returns
    -------
    DateInterval
        The earliest and the latest day consistent with the text, and a precision
        code from :data:`DATE_PRECISIONS`.

    Raises
    ------
    DateParseError
        When the text is empty, not a date, ambiguous (``03/04/2001``), impossible
        (``2001-02-30``), or a range whose end comes before its start. The message
        names the problem in words a user can act on.
    """
    if text is None or (isinstance(text, float) and text != text):
        raise DateParseError("the date is empty")
    cleaned = " ".join(str(text).split()).lower()
    if not cleaned:
        raise DateParseError("the date is empty")

    year_range = _YEAR_RANGE.fullmatch(cleaned)
    if year_range:
        return _range(cleaned, *year_range.groups())
    parts = _RANGE_SEPARATORS.split(cleaned)
    if len(parts) == 2 and not _SLASHED_NUMBERS.fullmatch(cleaned):
        return _range(cleaned, *parts)
    if len(parts) > 2 and not _SLASHED_NUMBERS.fullmatch(cleaned):
        raise DateParseError(f"{cleaned!r} has more than two ends")
    return _parse_single(cleaned)


def _range(whole: str, left: str, right: str) -> DateInterval:
    if not left or not right:
        raise DateParseError(f"{whole!r} is a range with a missing end")
    first = _parse_single(left)
    last = _parse_single(right)
    if last.end < first.start:
        raise DateParseError(
            f"{whole!r} ends ({last.end.isoformat()}) before it starts "
            f"({first.start.isoformat()})"
        )
    return DateInterval(first.start, last.end, "range")


def precision_problem(start: date, end: date, precision: str) -> str | None:
    """Say why an ISO interval does not fit its precision code, or return None.

    A ``day`` must be one day, a ``month`` one whole month, a ``year`` one whole
    calendar year and a ``season`` three whole consecutive months; ``range`` and
    ``approximate`` take any interval whose end is not before its start.
    """
    if precision not in DATE_PRECISIONS:
        return (
            f"date_precision {precision!r} is not one of {', '.join(DATE_PRECISIONS)}"
        )
    if end < start:
        return f"date_end {end.isoformat()} is before date_start {start.isoformat()}"
    whole_months = start.day == 1 and end == _month_end(end.year, end.month)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if precision == "day" and start != end:
        return "a day-precision event must have date_start equal to date_end"
    if precision == "month" and not (whole_months and months == 1):
        return "a month-precision event must span exactly one calendar month"
    if precision == "year" and not (
        start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    ):
        return "a year-precision event must span 1 January to 31 December of one year"
    if precision == "season" and not (whole_months and months == 3):
        return "a season-precision event must span three whole consecutive months"
    return None

"""Date columns as datasets and spreadsheets write them, read to ISO days.

Event datasets write a day in many ways: ISO ``2015-01-01`` (often with a time,
``2009-05-26 00:00:00.000``), ACLED's older ``01-January-2015``, a spreadsheet's
re-save ``9-May-20``, UCDP's ``03/27/1990 00:00:00``. One value alone does not
always say how to read it (``03/04/2001`` is 3 April or 4 March), but a column
does: a first number above 12 somewhere means day first, a second above 12 means
month first. So this module decides one reading for a whole column from the
whole column, and reads every value by it.

API
---
``read_date_column(values, *, column, order, default_order, coverage,
override_hint) -> DateColumn``
    Read one column. ``values`` is a pandas Series or any sequence of the cells
    as written; ``""``, whitespace, ``None`` and NaN are empty.
``read_date_columns({name: values, ...}, *, order, default_order, coverage,
override_hint) -> dict[str, DateColumn]``
    Read several columns written the same way (UCDP's ``date_start`` and
    ``date_end``) with one day/month order decided from all of them together.

Keyword arguments:

- ``order``: the user's explicit reading of numbers, ``"dmy"``, ``"mdy"`` or
  ``"ymd"`` (``--date-order``). It wins over the column's own evidence; values
  that cannot be read so are errors.
- ``default_order``: the layout's documented order, ``"dmy"`` or ``"mdy"``. It
  is used only when the column itself does not decide; a column that shows the
  other order is read by what it shows, with a note.
- ``coverage``: ``(first_year, last_year)`` of the dataset, used to give a
  two-digit year its century.
- ``override_hint``: how the user says the order, quoted in refusals
  (``"--date-order"`` on the command line).

Formats read (month names in English, full or abbreviated, ``Sept`` too, any
case, with an optional ``.``; days may carry ``st``/``nd``/``rd``/``th``):

==================  ===============================================
``YYYY-MM-DD``      also ``YYYY/MM/DD`` and ``YYYY.MM.DD``
``D/M/YYYY``        and ``M/D/YYYY``; separators ``/``, ``-``, ``.``;
                    ``YY`` for a two-digit year
``D Month YYYY``    also ``D-Month-YYYY``, ``D-Mon-YY``, ``D/Mon/YYYY``
``Month D, YYYY``   also ``Mon D YYYY``, ``Month-D-YYYY``
``YY/MM/DD``        only when ``order="ymd"`` is given
==================  ===============================================

Any of these may be followed by a time of day, after ``T`` or a space:
``H:MM``, ``HH:MM:SS``, fractions of a second, ``AM``/``PM``, ``Z`` or an offset
``+05:00`` (at most 14 hours). A leap second, ``23:59:60``, is read; ``24:00``
is not (it would be the next day). The time is dropped and the day kept as
written (not shifted to UTC): the result is a day, and a column note says so
once.

Rules:

- **Order.** Year-first numbers and named months say their own order. Numbers
  with the year last are read by one order for the whole column (all columns, in
  ``read_date_columns``): the explicit ``order`` if given, else what the column
  shows (a first number 13-31 means day first, a second 13-31 month first),
  else ``default_order``. Without ``order``, a column showing both is refused
  as inconsistent, and one where every value reads both ways (and no
  ``default_order`` is given) is refused as ambiguous, naming the candidates.
  Values whose day and month numbers are equal read alike either way and never
  force a refusal.
- **Mixed formats.** Every value is read by the format it is written in, so a
  column may mix ISO, named months and numbers (a spreadsheet that turned some
  cells into dates and left others as text); only the day/month order must be
  one. When more than one format is seen a column note counts them.
- **Two-digit years** take the one century that puts the year inside
  ``coverage``. No coverage, no such century, or two of them, is an error for
  that value. Each value read so is a *repair*, with a reason quoting it.
- **Errors** are per value, quoting it as written: a value in no known format,
  an impossible date (31 April, 29 February 2001), a month above 12, a year
  outside 1000-2999, a time that does not exist. Empty values are empty.

Result: a frozen :class:`DateColumn` whose arrays are aligned with the input
rows: ``dates`` (ISO ``YYYY-MM-DD`` or ``""``), ``repairs`` and ``errors``
(reason or ``""``) and ``empty``. Every row is exactly one of: empty, an error,
or a date (possibly with a repair). Column-level facts are ``format`` (the most
common format's label), ``formats`` (every label seen with its count of values
written in it, read or not),
``order`` and ``order_from``, and ``notes``. A column refused whole raises
:class:`DateColumnError`, whose message is one line naming the column(s).

Dates repeat heavily, so each distinct value is read once and the results are
spread back to the rows.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd

from imu_geo.dates import MAX_YEAR, MIN_YEAR, MONTHS
from imu_geo.text import counted

ORDERS = ("dmy", "mdy", "ymd")
DEFAULT_ORDERS = ("dmy", "mdy")
ORDER_SOURCES = ("override", "column", "default", "")

_FULL_NAMES = {name.lower() for name in calendar.month_name if name}
_SHORT_NAMES = {name.lower() for name in calendar.month_abbr if name} | {"sept"}

# A time of day after the date. Patterns ignore case; digits are ASCII only.
_TIME = (
    r"(?:[t ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,]\d{1,9})?)?"
    r"(?: ?(?P<half>[ap])\.?m\.?)?"
    r"(?P<zone> ?(?:z|utc|gmt"
    r"|(?P<offset>[+-]\d{2})(?::?(?P<offset_minutes>\d{2}))?))?)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR_FIRST = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<a>\d{1,2})(?P=sep)(?P<b>\d{1,2})" + _TIME,
    re.ASCII | re.IGNORECASE,
)
_NUMBERS = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME,
    re.ASCII | re.IGNORECASE,
)
_DAY_NAMED = re.compile(
    r"(?P<a>\d{1,2})" + _ORDINAL + r"(?P<sep>[- /])(?P<word>[a-z]+)\.?,?"
    r"(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME,
    re.ASCII | re.IGNORECASE,
)
_NAMED_DAY = re.compile(
    r"(?P<word>[a-z]+)\.?(?P<sep>[- ])(?P<a>\d{1,2})" + _ORDINAL + r",?"
    r"(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME,
    re.ASCII | re.IGNORECASE,
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?", re.ASCII)
# The formats with a month name, and the name each gives its format.
_NAMED = ((_DAY_NAMED, "day_named"), (_NAMED_DAY, "named_day"))
# Labels of numbers need no month word.
_NO_STYLES: Mapping[tuple, str] = MappingProxyType({})


class DateColumnError(ValueError):
    """A date column refused whole; ``str(error)`` is one line for the user.

    ``columns`` names the column(s), ``reason`` is ``"ambiguous"`` (every value
    reads both day first and month first) or ``"inconsistent"`` (some values read
    only one way, others only the other), and ``candidates`` the format labels
    in question, e.g. ``("D/M/YYYY", "M/D/YYYY")``.
    """

    def __init__(
        self,
        message: str,
        *,
        columns: tuple[str, ...],
        reason: str,
        candidates: tuple[str, ...],
    ) -> None:
        super().__init__(message)
        self.columns = columns
        self.reason = reason
        self.candidates = candidates


@dataclass(frozen=True, eq=False)
class DateColumn:
    """One date column read to days; arrays are aligned with the input rows.

    Attributes
    ----------
    column
        The column's name, as given.
    dates
        Object array of ISO ``YYYY-MM-DD`` texts, ``""`` where the value is
        empty or an error.
    repairs
        Object array: why the value needed reading beyond what it says (a
        two-digit year), ``""`` elsewhere. A repaired value has a date.
    errors
        Object array: why the value is not a date, quoting it as written;
        ``""`` elsewhere.
    empty
        Boolean array: the value is empty (``""``, whitespace, ``None``, NaN).
    format
        Label of the column's most common format (``"D-Mon-YY"``), ``""`` when
        no value is in a known format.
    formats
        Every format label seen with its count of values written in it (read
        or not: ``31/04/2001`` counts), most common first.
    order
        How numbers with the year last (or ``YY/MM/DD``) were read: ``"dmy"``,
        ``"mdy"``, ``"ymd"``; ``""`` when the column has none whose reading
        depends on it.
    order_from
        ``"override"`` (the caller's ``order``), ``"column"`` (the values
        showed it), ``"default"`` (the layout's documented order), or ``""``.
    notes
        Column-level sentences for the report, each starting with the column
        name: the order and why, the formats seen, times of day dropped,
        two-digit years read by coverage.
    """

    column: str
    dates: np.ndarray
    repairs: np.ndarray
    errors: np.ndarray
    empty: np.ndarray
    format: str
    formats: tuple[tuple[str, int], ...]
    order: str
    order_from: str
    notes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.dates)

    @property
    def n_dated(self) -> int:
        return int((self.dates != "").sum())

    @property
    def n_repaired(self) -> int:
        return int((self.repairs != "").sum())

    @property
    def n_errors(self) -> int:
        return int((self.errors != "").sum())


class _Shape(NamedTuple):
    """How one distinct value is written, before the column's order is known.

    ``kind`` is ``"empty"``, ``"unknown"`` (no known format; ``error`` says so),
    ``"fixed"`` (year first, or a named month: ``a`` is the month, ``b`` the
    day) or ``"numbers"`` (``a`` and ``b`` are day and month in some order).
    ``key`` identifies the format for labels and counts; ``year`` is the year as
    written and ``digits`` the number of digits ``a`` was written with.
    """

    kind: str
    key: tuple = ()
    a: int = 0
    b: int = 0
    year: str = ""
    digits: int = 0
    timed: bool = False
    offset: bool = False
    error: str = ""
    word: str = ""


def _shape(text: str) -> _Shape:
    cleaned = " ".join(text.split())
    if not cleaned:
        return _Shape("empty")
    match = _YEAR_FIRST.fullmatch(cleaned)
    if match:
        key = ("year_first", match["sep"])
        return _with_time(text, match, key, "fixed", match["a"], match["b"])
    match = _NUMBERS.fullmatch(cleaned)
    if match:
        key = ("numbers", match["sep"], len(match["y"]))
        return _with_time(text, match, key, "numbers", match["a"], match["b"])
    for pattern, name in _NAMED:
        match = pattern.fullmatch(cleaned)
        if not match:
            continue
        word = match["word"]
        month = MONTHS.get(word.lower())
        if month is None:
            return _Shape(
                "unknown",
                error=f"{text!r} is not a date: {word!r} is not an English month name",
            )
        key = (name, match["sep"], len(match["y"]))
        shape = _with_time(text, match, key, "fixed", str(month), match["a"])
        return shape._replace(word=word.lower())
    if _SERIAL.fullmatch(cleaned):
        return _Shape(
            "unknown",
            error=(
                f"{text!r} looks like a spreadsheet's day number, not a date: "
                "save the column with its dates as text"
            ),
        )
    return _Shape("unknown", error=f"{text!r} is not a date in a format read here")


def _with_time(
    text: str, match: re.Match, key: tuple, kind: str, a: str, b: str
) -> _Shape:
    if match["hour"] is None:
        return _Shape(kind, key, int(a), int(b), match["y"], len(a))
    hour, minute = int(match["hour"]), int(match["minute"])
    if match["half"] is not None:
        valid = 1 <= hour <= 12
    else:
        valid = hour <= 23
    # 60 seconds: a leap second, 23:59:60.
    valid = valid and minute <= 59 and _at_most(match["second"], 60)
    if match["offset"]:
        valid = valid and abs(int(match["offset"])) <= 14
        valid = valid and _at_most(match["offset_minutes"], 59)
    if not valid:
        return _Shape(
            "unknown",
            error=f"{text!r} is not a date and time: the time of day does not exist",
        )
    return _Shape(
        kind,
        key,
        int(a),
        int(b),
        match["y"],
        len(a),
        timed=True,
        offset=bool(match["zone"]),
    )


def _at_most(written: str | None, most: int) -> bool:
    """Whether a part of a time that may be left out (seconds, an offset's
    minutes) is at most ``most``; a part left out is."""
    return written is None or int(written) <= most


def _label(key: tuple, order: str, styles: Mapping[tuple, str] = _NO_STYLES) -> str:
    """The format's label, read by ``order``; ``styles`` says how each format
    with a month name writes it (``"Month"`` or ``"Mon"``)."""
    kind, sep = key[0], key[1]
    if kind == "year_first":
        return f"YYYY{sep}MM{sep}DD"
    year = "YYYY" if key[2] == 4 else "YY"
    if kind == "numbers":
        if order == "dmy":
            return f"D{sep}M{sep}{year}"
        if order == "mdy":
            return f"M{sep}D{sep}{year}"
        if order == "ymd" and key[2] == 2:
            return f"YY{sep}MM{sep}DD"
        return f"D{sep}M{sep}{year} or M{sep}D{sep}{year}"
    style = styles[key]
    if kind == "day_named":
        return f"D{sep}{style}{sep}{year}"
    if sep == " ":
        return f"{style} D, {year}"
    return f"{style}{sep}D{sep}{year}"


def _as_series(values: object) -> pd.Series:
    """The values as a Series on a fresh index, keeping a Series' own dtype.

    Pandas' Arrow-backed strings factorize many times faster than the same
    values as Python objects, so a Series is not converted.
    """
    if isinstance(values, pd.Series | pd.Index):
        return pd.Series(values).reset_index(drop=True)
    if isinstance(values, np.ndarray):
        array = values.astype(object).ravel()
    else:
        items = list(values) if isinstance(values, Iterable) else [values]
        array = np.empty(len(items), dtype=object)
        array[:] = items
    # Equivalent if dtype=object is dropped: pandas then infers its str dtype from
    # an object array only when every value is text, and reads the same texts.
    return pd.Series(array, dtype=object)  # pragma: no mutate


def _has(count: int) -> str:
    return "has" if count == 1 else "have"


def _names(columns: list[str]) -> str:
    return ", ".join(columns)


# --- the column's order ---------------------------------------------------------


class _Evidence(NamedTuple):
    """What the numeric values say about day/month order.

    Each list holds positions into the distinct values.
    """

    day_first: list[int]  # readable only day first
    month_first: list[int]
    both: list[int]  # readable both ways, differently
    alike: list[int]  # readable both ways, the same (equal numbers)


def _evidence(shapes: list[_Shape]) -> _Evidence:
    evidence = _Evidence([], [], [], [])
    for position, shape in enumerate(shapes):
        if shape.kind != "numbers":
            continue
        day_first = 1 <= shape.a <= 31 and 1 <= shape.b <= 12
        month_first = 1 <= shape.a <= 12 and 1 <= shape.b <= 31
        if day_first and month_first:
            (evidence.alike if shape.a == shape.b else evidence.both).append(position)
        elif day_first:
            evidence.day_first.append(position)
        elif month_first:
            evidence.month_first.append(position)
    return evidence


def _rows(positions: list[int], counts: np.ndarray) -> int:
    return int(counts[positions].sum())


def _decide_order(
    shapes: list[_Shape],
    uniques: np.ndarray,
    counts: np.ndarray,
    columns: list[str],
    order: str | None,
    default_order: str | None,
    hint: str,
) -> tuple[str, str, str]:
    """The order for the column(s), how it was decided, and a note ('' if none)."""
    if not any(shape.kind == "numbers" for shape in shapes):
        return "", "", ""
    evidence = _evidence(shapes)
    names = _names(columns)

    def example(positions: list[int]) -> str:
        return repr(str(uniques[positions[0]]))

    def labels(positions: list[int]) -> tuple[str, str]:
        key = shapes[positions[0]].key
        return _label(key, "dmy"), _label(key, "mdy")

    def shown(positions: list[int]) -> str:
        """'14 values such as '27/03/1990'' or just ''27/03/1990'' when one."""
        rows = _rows(positions, counts)
        if rows == 1:
            return example(positions)
        return f"{rows:,} values such as {example(positions)}"

    if order is not None:
        key = shapes[
            next(i for i, shape in enumerate(shapes) if shape.kind == "numbers")
        ].key
        if order == "ymd":
            key = (*key[:2], 2)  # the label of what is asked, not of what is seen
        note = f"{names}: numbers read as {_label(key, order)}, as asked"
        against = {
            "dmy": (evidence.month_first, "can only be month first"),
            "mdy": (evidence.day_first, "can only be day first"),
        }.get(order)
        if order == "ymd":
            against = (
                [
                    i
                    for i, shape in enumerate(shapes)
                    if shape.kind == "numbers" and shape.key[2] == 4
                ],
                "{has} the year last",
            )
        if against and against[0]:
            positions, what = against
            verb = "is" if _rows(positions, counts) == 1 else "are"
            what = what.format(has=_has(_rows(positions, counts)))
            note += f"; {shown(positions)} {what}, so {verb} rejected"
        return order, "override", note
    if evidence.day_first and evidence.month_first:
        day_label, month_label = labels(evidence.day_first)
        raise DateColumnError(
            f"{names}: some values read only as {day_label} "
            f"({shown(evidence.day_first)}) and others only as {month_label} "
            f"({shown(evidence.month_first)}); say which with {hint} dmy|mdy, "
            "and the values that do not fit are rejected",
            columns=tuple(columns),
            reason="inconsistent",
            candidates=(day_label, month_label),
        )
    for decided, found, above, words in (
        (evidence.day_first, "dmy", ("first", "second"), "day first"),
        (evidence.month_first, "mdy", ("second", "first"), "month first"),
    ):
        if decided:
            verb = _has(_rows(decided, counts))
            note = (
                f"{names}: read {words} ({_label(shapes[decided[0]].key, found)}), "
                f"since {shown(decided)} {verb} a {above[0]} number above 12 and "
                f"none a {above[1]}"
            )
            if default_order is not None and default_order != found:
                note += ", although the layout documents the other order"
            return found, "column", note
    if evidence.both:
        day_label, month_label = labels(evidence.both)
        # "every value" only when the column is all numbers; a column that also
        # has named months or ISO days says which of its values are ambiguous.
        numbers = sum(
            int(counts[i]) for i, shape in enumerate(shapes) if shape.kind == "numbers"
        )
        written = sum(
            int(counts[i])
            for i, shape in enumerate(shapes)
            if shape.kind in ("numbers", "fixed")
        )
        every = (
            "every value"
            if numbers == written
            else f"every value written in numbers ({numbers:,} of {written:,})"
        )
        if default_order is not None:
            return (
                default_order,
                "default",
                f"{names}: {every} reads both as {day_label} and as "
                f"{month_label} (e.g. {example(evidence.both)}); read as "
                f"{_label(shapes[evidence.both[0]].key, default_order)}, "
                "the layout's documented order",
            )
        raise DateColumnError(
            f"{names}: {every} reads both as {day_label} and as {month_label} "
            f"(e.g. {example(evidence.both)}); say which with {hint} dmy|mdy",
            columns=tuple(columns),
            reason="ambiguous",
            candidates=(day_label, month_label),
        )
    if default_order is not None:
        return default_order, "default", ""
    if evidence.alike:
        return (
            "",
            "",
            f"{names}: every value has equal day and month numbers (e.g. "
            f"{example(evidence.alike)}), so day first and month first read alike",
        )
    return "", "", ""


# --- one value ------------------------------------------------------------------


# Days in each month of a common year; February gains one in a leap year.
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class _Reading(NamedTuple):
    iso: str = ""
    repair: str = ""
    error: str = ""


class _Year(NamedTuple):
    """The year of a value, why it needed reading (a repair), or why it is not one."""

    year: int = 0
    repair: str = ""
    error: str = ""


def _year(text: str, written: str, coverage: tuple[int, int] | None) -> _Year:
    if len(written) == 4:
        year = int(written)
        if not MIN_YEAR <= year <= MAX_YEAR:
            return _Year(
                error=f"{text!r} is not a date: the year {written} is outside "
                f"{MIN_YEAR}-{MAX_YEAR}"
            )
        return _Year(year)
    short = int(written)
    if coverage is None:
        return _Year(
            error=f"{text!r} has a two-digit year and the dataset's coverage is not "
            "known, so neither is its century"
        )
    first, last = coverage
    span = f"{first}–{last}"
    # The years of the coverage that end in the two digits: the first of them,
    # then one every hundred years.
    fits = list(range(first + (short - first) % 100, last + 1, 100))
    if not fits:
        return _Year(
            error=f"{text!r} has a two-digit year and no century puts {written} "
            f"inside the dataset's coverage {span}"
        )
    if len(fits) > 1:
        return _Year(
            error=f"{text!r} has a two-digit year that fits the dataset's coverage "
            f"{span} more than once ({' and '.join(map(str, fits))})"
        )
    return _Year(
        fits[0],
        f"{text!r} has a two-digit year; read as {fits[0]} by the dataset's "
        f"coverage {span}",
    )


def _read(
    text: str, shape: _Shape, order: str, label: str, coverage: tuple[int, int] | None
) -> _Reading:
    if shape.kind == "unknown":
        return _Reading(error=shape.error)
    if shape.kind == "fixed":
        month, day, written_year = shape.a, shape.b, shape.year
        read_as = ""
    else:
        read_as = f" read as {label}"
        if order == "ymd":
            if len(shape.year) == 4:
                return _Reading(
                    error=f"{text!r} is not a date read year first: its year is last"
                )
            if shape.digits != 2:
                return _Reading(
                    error=f"{text!r} is not a date read as {label}: the year has "
                    "one digit"
                )
            written_year, month, day = f"{shape.a:02d}", shape.b, int(shape.year)
        elif order == "mdy":
            month, day, written_year = shape.a, shape.b, shape.year
        else:
            month, day, written_year = shape.b, shape.a, shape.year
    if not 1 <= month <= 12:
        return _Reading(
            error=f"{text!r} is not a date{read_as}: there is no month {month}"
        )
    year, repair, error = _year(text, written_year, coverage)
    if error:
        return _Reading(error=error)
    last = _MONTH_DAYS[month] + (month == 2 and calendar.isleap(year))
    if not 1 <= day <= last:
        what = (
            f"there is no day {day}"
            if day == 0 or day > 31
            else f"{calendar.month_name[month]} {year} has {last} days"
        )
        return _Reading(error=f"{text!r} is not a date{read_as}: {what}")
    return _Reading(f"{year:04d}-{month:02d}-{day:02d}", repair)


# --- columns --------------------------------------------------------------------


def _check_arguments(
    order: str | None, default_order: str | None, coverage: object
) -> tuple[int, int] | None:
    if order is not None and order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    if default_order is not None and default_order not in DEFAULT_ORDERS:
        raise ValueError(
            f"default_order must be one of {', '.join(DEFAULT_ORDERS)}, "
            f"not {default_order!r}"
        )
    if coverage is None:
        return None
    first, last = (int(year) for year in coverage)  # type: ignore[union-attr]
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        raise ValueError(
            f"coverage must be two years within {MIN_YEAR}-{MAX_YEAR}, first "
            f"not after last, not {coverage!r}"
        )
    return first, last


def read_date_columns(
    columns: Mapping[str, object],
    *,
    order: str | None = None,
    default_order: str | None = None,
    coverage: tuple[int, int] | None = None,
    override_hint: str = "--date-order",
) -> dict[str, DateColumn]:
    """Read date columns written alike, deciding one day/month order for all.

    See the module docstring for the formats and rules. Returns one
    :class:`DateColumn` per name, in the given order; the order note, if any,
    is the same sentence in each.

    Raises
    ------
    DateColumnError
        When the columns' numbers read both day first and month first for every
        value (``ambiguous``), or some values only one way and others only the
        other (``inconsistent``), and no ``order`` is given.
    ValueError
        When ``order``, ``default_order`` or ``coverage`` is not valid.
    """
    coverage = _check_arguments(order, default_order, coverage)
    names = list(columns)
    if not names:
        return {}
    arrays = [_as_series(columns[name]) for name in names]
    # A missing value's code is -1, which picks the empty reading appended
    # last to each array of readings below. Only the values of the concatenated
    # Series are used, not its index.
    codes, uniques = pd.factorize(pd.concat(arrays))
    texts = [str(value) for value in uniques]
    shapes = [_shape(text) for text in texts]
    bounds = np.cumsum([0] + [len(array) for array in arrays])
    parts = [codes[lo:hi] for lo, hi in pairwise(bounds)]
    per_column = [
        np.bincount(part[part >= 0], minlength=len(uniques)) for part in parts
    ]
    counts = np.sum(per_column, axis=0)

    used, order_from, order_note = _decide_order(
        shapes, uniques, counts, names, order, default_order, override_hint
    )
    # Month words: "Mon" in a label unless some value of that format spells a
    # month in full ("May" is both).
    styles: dict[tuple, str] = {}
    for shape in shapes:
        if shape.word:
            if shape.word in _FULL_NAMES and shape.word not in _SHORT_NAMES:
                styles[shape.key] = "Month"
            else:
                styles.setdefault(shape.key, "Mon")
    labels = [_label(shape.key, used, styles) if shape.key else "" for shape in shapes]
    readings = [
        _read(texts[i], shape, used, labels[i], coverage)
        if shape.kind != "empty"
        else _Reading()
        for i, shape in enumerate(shapes)
    ]
    iso = np.array([r.iso for r in readings] + [""], dtype=object)
    repair = np.array([r.repair for r in readings] + [""], dtype=object)
    error = np.array([r.error for r in readings] + [""], dtype=object)
    blank = np.array([s.kind == "empty" for s in shapes] + [True])

    results = {}
    for i, name in enumerate(names):
        part, count = parts[i], per_column[i]
        arrays_out = [iso[part], repair[part], error[part], blank[part]]
        for array in arrays_out:
            # Equivalent if False is mutated to None: the flag reads it as False.
            array.flags.writeable = False  # pragma: no mutate
        formats = _formats(labels, count)
        notes = [order_note] if order_note else []
        notes += _notes(name, shapes, texts, readings, count, formats, coverage)
        results[name] = DateColumn(
            column=name,
            dates=arrays_out[0],
            repairs=arrays_out[1],
            errors=arrays_out[2],
            empty=arrays_out[3],
            format=formats[0][0] if formats else "",
            formats=formats,
            order=used,
            order_from=order_from,
            notes=tuple(notes),
        )
    return results


def read_date_column(
    values: object,
    *,
    column: str = "date",
    order: str | None = None,
    default_order: str | None = None,
    coverage: tuple[int, int] | None = None,
    override_hint: str = "--date-order",
) -> DateColumn:
    """Read one date column; see the module docstring and :func:`read_date_columns`."""
    return read_date_columns(
        {column: values},
        order=order,
        default_order=default_order,
        coverage=coverage,
        override_hint=override_hint,
    )[column]


def _formats(labels: list[str], counts: np.ndarray) -> tuple[tuple[str, int], ...]:
    seen: dict[str, int] = {}
    # Only the values in a known format have a label.
    for i, label in enumerate(labels):
        if counts[i] and label:
            seen[label] = seen.get(label, 0) + int(counts[i])
    return tuple(sorted(seen.items(), key=lambda item: (-item[1], item[0])))


def _notes(
    name: str,
    shapes: list[_Shape],
    texts: list[str],
    readings: list[_Reading],
    counts: np.ndarray,
    formats: tuple[tuple[str, int], ...],
    coverage: tuple[int, int] | None,
) -> list[str]:
    notes = []
    if len(formats) > 1:
        listed = ", ".join(f"{label} ({count:,})" for label, count in formats)
        notes.append(f"{name}: values are written in {len(formats)} formats: {listed}")
    timed = [i for i, shape in enumerate(shapes) if shape.timed and counts[i]]
    if timed:
        rows = _rows(timed, counts)
        note = (
            f"{name}: {counted(rows, 'value carries', 'values carry')} a time of day "
            f"(e.g. {texts[timed[0]]!r}); only the day is kept"
        )
        if any(shapes[i].offset for i in timed):
            note += ", as written (not shifted to UTC)"
        notes.append(note)
    repaired = [i for i, reading in enumerate(readings) if reading.repair]
    rows = _rows(repaired, counts)
    if rows and coverage is not None:
        notes.append(
            f"{name}: {counted(rows, 'value has', 'values have')} a two-digit year, "
            f"given its century by the dataset's coverage {coverage[0]}–{coverage[1]} "
            "and counted as repaired"
        )
    return notes

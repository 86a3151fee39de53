"""The rules every row of ``events.csv`` keeps, each declared once with its message.

:data:`RULES` is the one table of them. ``imu-geo validate`` applies every rule to
the rows of a file; the import applies those a row can be judged by on its own
(``stage`` ``"row"``) to a file in this project's layout before it places the
rows, and the place rules (``"place"``) once the rows' places are known. A new
rule is one entry of :data:`RULES`, and a line of the table *The rules a row
keeps* in ``data/README.md``, which a test checks.

Each rule names the columns it checks (one at a time: a problem is reported
under the column) and finds the rows that break it over whole columns at once.
Where a value needs Python to judge it (a date, a coordinate, a long number),
the columns are first cleared by a test that may only be stricter than the rule,
and each remaining distinct value is judged once, so the rule is exact and a
million valid rows still take no Python call per row.

Rows are positions ``0..n-1`` of a frame of text (no missing cells); a rule's
message may name another row by its number as the user counts it
(:attr:`Rows.numbers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from imu_geo.dates import DateParseError, parse_partial_date, precision_problem
from imu_geo.schema import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    EVENT_VOCABULARIES,
    FATALITY_COLUMNS,
    OPTIONAL_EVENT_COLUMNS,
)

PLACES_FILE = "places.geojson"

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
ROW_NUMBER = re.compile(r"[1-9][0-9]*")
COUNTRY_CODES = re.compile(r"[A-Z]{2}(\|[A-Z]{2})*")
# A coordinate as events.csv writes it: a decimal number of degrees.
DEGREES = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_NON_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNT = re.compile(r"\d+")
# The layers whose events must have a place.
PLACED_LAYERS: tuple[str, ...] = ("attack", "base")
# Latitude and longitude: the other of the pair, and the limit in degrees.
_COORDINATES: dict[str, tuple[str, int]] = {"lat": ("lon", 90), "lon": ("lat", 180)}


def text_numbers(values: pd.Series) -> np.ndarray:
    """Cells of number text as float64, NaN where a cell is empty or missing.

    What ``pd.to_numeric(values.replace("", None), errors="coerce")`` reads from
    valid number text, parsed by Arrow in one pass (correctly rounded, as
    Python's ``float``) instead of cell by cell; text Arrow does not take as a
    number is left to pandas, so nothing is read differently.
    """
    # Equivalent: a missing cell comes out NaN however it is filled (pandas'
    # fallback below reads "XXXX" as NaN too), and no missing cell is left for
    # from_pandas to judge.
    cells = values.fillna("").astype("str")  # pragma: no mutate
    text = pa.array(cells.array, from_pandas=True)  # pragma: no mutate
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
    try:
        numbers = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        return pd.to_numeric(cells.replace("", None), errors="coerce").to_numpy(
            float, na_value=np.nan
        )
    return numbers.to_numpy(zero_copy_only=False)


def with_article(word: str) -> str:
    """``word`` after "a" or "an", as the messages name a layer."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


def read_full_date(text: str) -> tuple[date | None, str]:
    """One date cell of ``events.csv``: ``(day, '')``, or ``(None, why not)``.

    An empty cell is ``(None, '')``: whether it may be empty is another rule's.
    """
    if not text:
        return None, ""
    try:
        interval = parse_partial_date(text)
    except DateParseError as error:
        return None, str(error)
    if interval.precision != "day" or not _ISO_DAY.fullmatch(text):
        return None, f"{text!r} is not a full ISO date YYYY-MM-DD"
    return interval.start, ""


def degrees_problem(value: str, column: str) -> str:
    """What is wrong with one coordinate's text (``lat`` or ``lon``), or ''."""
    limit = _COORDINATES[column][1]
    if _NON_FINITE.fullmatch(value.strip()):
        return f"{value!r} is not a finite number"
    if not DEGREES.fullmatch(value):
        return f"{value!r} is not a decimal number of degrees"
    if abs(float(value)) > limit:
        name = "latitude" if column == "lat" else "longitude"
        return f"{value!r} is out of range ({name} runs -{limit} to {limit})"
    return ""


def _out_of_order(*counts: str) -> bool:
    """Whether the given whole counts (low, best, high) are not ascending."""
    given = [int(c) for c in counts if c and _COUNT.fullmatch(c)]
    return given != sorted(given)


def _values_at(uniques, positions: np.ndarray):
    """``uniques[position]`` for each position, as indexing gives them one by
    one."""
    if isinstance(uniques, np.ndarray):
        return uniques[positions]
    if isinstance(uniques.dtype, pd.StringDtype):
        # Python strings, as the scalar lookup returns them.
        return uniques.to_numpy(dtype=object)[positions]
    return [uniques[position] for position in positions]


def per_unique(function, *columns) -> list[np.ndarray]:
    """Apply ``function`` once per distinct tuple of values and spread the results.

    ``function`` returns a tuple; the result is one object array per element,
    aligned with the rows (no array when there are no rows). Dates, names and
    codes repeat a great deal, so a million rows usually need only a few
    thousand calls.
    """
    codes_and_uniques = [
        # A missing value is a value of its own: with pandas' sentinel (-1) it
        # would be given the last distinct value's result.
        pd.factorize(
            c if isinstance(c, pd.Series) else np.asarray(c, dtype=object),
            use_na_sentinel=False,
        )
        for c in columns
    ]
    combined = codes_and_uniques[0][0].astype(np.int64)
    for codes, uniques in codes_and_uniques[1:]:
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)
    group, groups = pd.factorize(combined)
    first = np.empty(len(groups), dtype=np.int64)
    first[group[::-1]] = np.arange(group.size)[::-1]
    # Each column's value at each group's first row, looked up once per column:
    # indexing an Arrow-backed Index one scalar at a time costs microseconds.
    arguments = [
        _values_at(uniques, codes[first]) for codes, uniques in codes_and_uniques
    ]
    # The arguments are one per column, each as long as the groups (a strict zip
    # is equivalent).
    results = [
        function(*values)
        for values in zip(*arguments, strict=True)  # pragma: no mutate
    ]
    if not results:
        return []
    spread = []
    for position in range(len(results[0])):
        column = np.empty(len(results), dtype=object)
        column[:] = [result[position] for result in results]
        spread.append(column[group])
    return spread


@dataclass
class Rows:
    """The rows the rules look at, and what is known beyond them.

    ``frame`` holds text cells; a column it lacks reads as empty. ``numbers``
    are the rows' numbers as the user counts them (by default 2, 3, ...: the
    header is row 1). ``place_ids`` are the places of ``places.geojson``, None
    when unknown (then no row is checked against them). ``placed`` says which
    rows have a place when something beyond their cells knows it (the import,
    once it has placed the rows); by default a row has one when it has a
    ``place_id`` or a point.
    """

    frame: pd.DataFrame
    numbers: np.ndarray | None = None
    place_ids: set[str] | None = None
    placed: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.numbers is None:
            self.numbers = np.arange(2, len(self.frame) + 2, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, name: str) -> pd.Series:
        if name in self.frame.columns:
            return self.frame[name]
        # One empty column for every one the file does not have: making a
        # million-row column costs more than most rules.
        return self._cached(
            # A cache key: any key no other result uses does the same (equivalent).
            "empty",  # pragma: no mutate
            lambda: pd.Series(
                [""] * len(self.frame), index=self.frame.index, dtype="str"
            ),
        )

    def given(self, name: str) -> np.ndarray:
        """Where the column's cell is not empty (as written, spaces count)."""
        return (self.column(name) != "").to_numpy(bool)

    def _cached(self, key, compute: Callable):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def has_point(self) -> np.ndarray:
        """Where the row gives its own point (lat or lon, even only one)."""
        return self._cached(
            # A cache key: any key no other result uses does the same (equivalent).
            "point",  # pragma: no mutate
            lambda: self.given("lat") | self.given("lon"),
        )

    def located(self) -> np.ndarray:
        """Where the row has a place: a ``place_id`` or its own point."""
        if self.placed is not None:
            return self.placed
        return self._cached(
            # A cache key: any key no other result uses does the same (equivalent).
            "located",  # pragma: no mutate
            lambda: self.given("place_id") | self.has_point(),
        )

    def dates(self, column: str) -> tuple[pd.Series, np.ndarray, np.ndarray]:
        """A date column: the days read at once (NaT elsewhere), where they were,
        and why each other non-empty cell is not a full ISO day ('' if it is)."""
        return self._cached(
            # A cache key: any key no other result uses does the same (equivalent).
            ("dates", column),  # pragma: no mutate
            lambda: _read_dates(self.column(column)),
        )

    def date_reasons(self) -> np.ndarray:
        """Why each row's dates do not fit its ``date_precision`` ('' if they do,
        or if a date or the precision cannot be read: other rules say so)."""
        return self._cached(
            # A cache key: any key no other result uses does the same (equivalent).
            "precision",  # pragma: no mutate
            lambda: _date_reasons(self),
        )


def iso_days(text: pd.Series) -> pd.Series | None:
    """Every non-empty cell read as an ISO day at once (NaT where empty), or
    None when one is not a plain ``YYYY-MM-DD`` day of the calendar.

    Arrow's cast takes exactly that form (four, two and two digits, a real
    day); it reads a column of a million in a fraction of the time a format
    and a regular expression take, and most files have only such days.
    """
    try:
        if hasattr(text.array, "__arrow_array__"):
            values = pa.array(text.array)
        else:
            values = pa.array(text.to_numpy(dtype=object), type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # not all text: the slower reading judges each cell
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return None
    given = pc.and_kleene(pc.is_valid(values), pc.not_equal(values, ""))
    try:
        days = pc.cast(pc.if_else(given, values, None), pa.date32())
    except pa.ArrowInvalid:
        return None
    stamps = days.cast(pa.timestamp("us")).to_numpy(zero_copy_only=False)
    return pd.Series(stamps, index=text.index, dtype="datetime64[us]")


def _read_dates(text: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    parsed = iso_days(text)
    if parsed is not None:
        fast = parsed.notna().to_numpy()
    else:
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        # Only plain ISO days are read at once.
        fast = (
            text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").to_numpy(bool)
            & parsed.notna().to_numpy()
        )
    # ... and only of years the date parser takes.
    fast = fast & parsed.dt.year.between(1000, 2999).fillna(False).to_numpy(bool)
    reasons = np.full(len(text), "", dtype=object)
    slow = ~fast & (text != "").to_numpy(bool)
    if slow.any():
        (reasons[slow],) = per_unique(lambda v: read_full_date(v)[1:], text[slow])
    return parsed.where(pd.Series(fast, index=parsed.index)), fast, reasons


def _date_reasons(rows: Rows) -> np.ndarray:
    start, start_fast, start_reason = rows.dates("date_start")
    end, end_fast, end_reason = rows.dates("date_end")
    precision = rows.column("date_precision")
    readable = (
        rows.given("date_start")
        & rows.given("date_end")
        & (start_reason == "")
        & (end_reason == "")
        & precision.isin(EVENT_VOCABULARIES["date_precision"]).to_numpy(bool)
    )
    # The fit of each precision, over whole columns, as precision_problem has it.
    month_first = start.dt.day == 1
    whole_months = month_first & (end == end + pd.offsets.MonthEnd(0))
    months = (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1
    fits = (end >= start) & (
        precision.isin(["range", "approximate"])
        | ((precision == "day") & (start == end))
        | ((precision == "month") & whole_months & (months == 1))
        | (
            (precision == "year")
            & month_first
            & (start.dt.month == 1)
            & (end.dt.month == 12)
            & (end.dt.day == 31)
            & (end.dt.year == start.dt.year)
        )
        | ((precision == "season") & whole_months & (months == 3))
    )
    # Equivalent: comparing datetimes gives numpy bools, False at NaT, so the
    # fill and the dtype change nothing (and NaT rows are not read at once).
    fitting = fits.fillna(False).to_numpy(bool)  # pragma: no mutate
    cleared = start_fast & end_fast & fitting
    reasons = np.full(len(rows), "", dtype=object)
    suspect = readable & ~cleared
    if suspect.any():
        (reasons[suspect],) = per_unique(
            lambda s, e, p: (
                precision_problem(read_full_date(s)[0], read_full_date(e)[0], p) or "",
            ),
            rows.column("date_start")[suspect],
            rows.column("date_end")[suspect],
            precision[suspect],
        )
    return reasons


# --- the rules' tests, over whole columns ---------------------------------------


def _empty(rows: Rows, column: str) -> np.ndarray:
    return (rows.column(column).str.strip() == "").to_numpy(bool)


def _not_matching(pattern: re.Pattern) -> Callable[[Rows, str], np.ndarray]:
    def failing(rows: Rows, column: str) -> np.ndarray:
        text = rows.column(column)
        return rows.given(column) & ~text.str.fullmatch(pattern.pattern).to_numpy(bool)

    return failing


def _repeated_id(rows: Rows, column: str) -> np.ndarray:
    ids = rows.column(column)
    return rows.given(column) & ids.duplicated(keep="first").to_numpy(bool)


def _off_vocabulary(rows: Rows, column: str) -> np.ndarray:
    allowed = EVENT_VOCABULARIES[column]
    return rows.given(column) & ~rows.column(column).isin(allowed).to_numpy(bool)


def _wrong_type(rows: Rows, column: str) -> np.ndarray:
    layer = rows.column("layer")
    pairs = {f"{lay}/{kind}" for lay, kinds in EVENT_TYPES.items() for kind in kinds}
    return (
        layer.isin(list(EVENT_TYPES)).to_numpy(bool)
        & rows.given(column)
        & ~(layer + "/" + rows.column(column)).isin(pairs).to_numpy(bool)
    )


def _bad_date(rows: Rows, column: str) -> np.ndarray:
    return rows.dates(column)[2] != ""


def _ends_before_start(rows: Rows, column: str) -> np.ndarray:
    reasons = rows.date_reasons()
    before = np.zeros(len(reasons), dtype=bool)
    # Equivalent: only a reason can hold "before", so every row may be looked at.
    at = np.flatnonzero(reasons != "")  # pragma: no mutate
    before[at] = ["before" in reason for reason in reasons[at]]
    return before


def _misfit_precision(rows: Rows, column: str) -> np.ndarray:
    reasons = rows.date_reasons()
    # Equivalent: _ends_before_start does not read its column.
    return (reasons != "") & ~_ends_before_start(rows, column)  # pragma: no mutate


def _detail_without_point(rows: Rows, column: str) -> np.ndarray:
    return rows.given(column) & ~rows.has_point()


def _bad_coordinate(rows: Rows, column: str) -> np.ndarray:
    other, limit = _COORDINATES[column]
    text = rows.column(column)
    given = rows.given(column)
    form = text.str.fullmatch(DEGREES.pattern).to_numpy(bool)
    # Equivalent: a cell left out comes out NaN whatever stands in for it, and
    # a cell of the form is never empty (so "given |" leaves out the same).
    value = text_numbers(text.where(given & form, ""))  # pragma: no mutate
    cleared = form & (np.abs(np.nan_to_num(value, nan=np.inf)) <= limit)
    failing = ~given & rows.given(other)
    suspect = given & ~cleared
    if suspect.any():
        (problem,) = per_unique(lambda v: (degrees_problem(v, column),), text[suspect])
        # Equivalent: a cell the columns cannot clear always has a problem.
        failing[suspect] = problem != ""  # pragma: no mutate
    return failing


def _bad_country(rows: Rows, column: str) -> np.ndarray:
    return rows.has_point() & _not_matching(COUNTRY_CODES)(rows, column)


def _unplaced(rows: Rows, column: str) -> np.ndarray:
    placed = rows.column("layer").isin(PLACED_LAYERS).to_numpy(bool)
    return placed & ~rows.located()


def _unknown_place(rows: Rows, column: str) -> np.ndarray:
    if rows.place_ids is None:
        return np.zeros(len(rows), dtype=bool)
    known = rows.column(column).isin(rows.place_ids).to_numpy(bool)
    return rows.given(column) & ~known


def _place_details(rows: Rows, column: str) -> np.ndarray:
    """Where the row has a place but not this detail of it, or the reverse."""
    return rows.located() != rows.given(column)


def _counts_out_of_order(rows: Rows, column: str) -> np.ndarray:
    texts = [rows.column(c) for c in FATALITY_COLUMNS]
    counts = [t.str.fullmatch(_COUNT.pattern).to_numpy(bool) for t in texts]
    # Up to 15 ASCII digits compare exactly as float64; other counts are
    # compared as Python integers below.
    short = [t.str.fullmatch(r"[0-9]{1,15}").to_numpy(bool) for t in texts]
    failing = np.zeros(len(rows), dtype=bool)
    previous = None
    # The lists are made from the same columns (a strict zip is equivalent).
    for text, fits in zip(texts, short, strict=True):  # pragma: no mutate
        # Equivalent: text_numbers reads a missing cell as NaN, like "" and any
        # text that is not a number ("XXXX").
        value = pd.Series(text_numbers(text.where(fits, "")))  # pragma: no mutate
        if previous is not None:
            # Equivalent: float64 against float64 compares to numpy bools, with
            # False where either is NaN, so the fill and the dtype change nothing.
            lower = (value < previous).fillna(False).to_numpy(bool)  # pragma: no mutate
            failing |= lower
            previous = value.fillna(previous)
        else:
            previous = value
    suspect = np.zeros(len(rows), dtype=bool)
    # The lists are made from the same columns (a strict zip is equivalent).
    for is_count, fits in zip(counts, short, strict=True):  # pragma: no mutate
        suspect |= is_count & ~fits
    if suspect.any():
        (disorder,) = per_unique(
            lambda *c: (_out_of_order(*c),), *(t[suspect] for t in texts)
        )
        # Equivalent: the flags are bools, and any dtype of them is stored as bool.
        failing[suspect] = disorder.astype(bool)  # pragma: no mutate
    return failing


# --- the rules' messages ---------------------------------------------------------

Message = str | Callable[[Rows, str, np.ndarray], list[str]]


def _each_value(say: Callable[[str], str]) -> Message:
    """A message made from the failing cell's own value."""

    def message(rows: Rows, column: str, at: np.ndarray) -> list[str]:
        return [say(v) for v in rows.column(column).to_numpy(object)[at]]

    return message


def _first_row(rows: Rows, column: str, at: np.ndarray) -> list[str]:
    ids = rows.column(column)
    firsts = ids.drop_duplicates(keep="first")
    # Equivalent: text comes out of pandas as objects whatever dtype is asked
    # for, and both lists are taken from the same rows (a strict zip).
    values = firsts.to_numpy(object)  # pragma: no mutate
    numbers = rows.numbers[firsts.index.to_numpy()]
    first_row = dict(zip(values, numbers, strict=True))  # pragma: no mutate
    return [
        f"{v!r} is a duplicate of row {first_row[v]}" for v in ids.to_numpy(object)[at]
    ]


def _type_message(rows: Rows, column: str, at: np.ndarray) -> list[str]:
    pairs = zip(
        rows.column("layer").to_numpy(object)[at],
        rows.column(column).to_numpy(object)[at],
        # Both are taken at the same positions (a strict zip is equivalent).
        strict=True,  # pragma: no mutate
    )
    return [
        f"{kind!r} is not {with_article(layer)} type ({', '.join(EVENT_TYPES[layer])})"
        for layer, kind in pairs
    ]


def _date_message(rows: Rows, column: str, at: np.ndarray) -> list[str]:
    return list(rows.dates(column)[2][at])


def _precision_message(rows: Rows, column: str, at: np.ndarray) -> list[str]:
    return list(rows.date_reasons()[at])


def _coordinate_message(rows: Rows, column: str, at: np.ndarray) -> list[str]:
    other = _COORDINATES[column][0]
    return [
        degrees_problem(v, column) if v else f"is empty, but {other} is given"
        for v in rows.column(column).to_numpy(object)[at]
    ]


def _place_message(rows: Rows, column: str, at: np.ndarray) -> list[str]:
    return [
        f"is empty, but {with_article(layer)} needs a place"
        for layer in rows.column("layer").to_numpy(object)[at]
    ]


def _details_message(rows: Rows, column: str, at: np.ndarray) -> list[str]:
    return [
        "is empty, but the row has a place"
        if here
        else "is given, but the row has no place"
        for here in rows.located()[at]
    ]


@dataclass(frozen=True)
class Rule:
    """One rule of ``events.csv``.

    ``columns`` are checked one at a time and a problem names the column;
    ``reads`` are the other columns the rule looks at. ``failing`` says, over
    whole columns, which rows break the rule in one column; ``message`` is the
    message (or makes it for the failing rows, from their values). ``stage`` says
    when the import applies the rule to a file in this project's layout: with
    the rows (``"row"``), once the rows' places are known (``"place"``, with
    the import's own knowledge of where a row is), or not (``""``: it checks
    that in its own way, or the file's other rows decide).
    """

    id: str
    columns: tuple[str, ...]
    reads: tuple[str, ...]
    failing: Callable[[Rows, str], np.ndarray]
    message: Message
    stage: str = "row"

    def messages(self, rows: Rows, column: str, at: np.ndarray) -> list[str]:
        """The messages of the rows at positions ``at`` (which break the rule)."""
        if isinstance(self.message, str):
            return [self.message] * len(at)
        return self.message(rows, column, at)


# The rules, in the order a row's problems are reported.
RULES: tuple[Rule, ...] = (
    Rule(
        "required",
        tuple(c for c in EVENT_COLUMNS if c not in OPTIONAL_EVENT_COLUMNS),
        (),
        _empty,
        "is empty",
    ),
    Rule(
        "slug",
        ("event_id",),
        (),
        _not_matching(SLUG),
        _each_value(
            lambda v: f"{v!r} is not a slug (lower-case letters, digits, - and _)"
        ),
    ),
    Rule("unique-id", ("event_id",), (), _repeated_id, _first_row, stage=""),
    Rule(
        "vocabulary",
        tuple(EVENT_VOCABULARIES),
        (),
        _off_vocabulary,
        lambda rows, column, at: [
            f"{v!r} is not one of {', '.join(EVENT_VOCABULARIES[column])}"
            for v in rows.column(column).to_numpy(object)[at]
        ],
    ),
    Rule("event-type", ("event_type",), ("layer",), _wrong_type, _type_message),
    Rule("full-date", ("date_start", "date_end"), (), _bad_date, _date_message),
    Rule(
        "date-order",
        ("date_end",),
        ("date_start", "date_precision"),
        _ends_before_start,
        _precision_message,
    ),
    Rule(
        "date-precision",
        ("date_precision",),
        ("date_start", "date_end"),
        _misfit_precision,
        _precision_message,
    ),
    Rule(
        "point-details",
        ("place_name", "country"),
        ("lat", "lon"),
        _detail_without_point,
        "is given, but the row has no point (lat, lon)",
        stage="",
    ),
    Rule(
        "coordinates",
        ("lat", "lon"),
        (),
        _bad_coordinate,
        _coordinate_message,
        stage="",
    ),
    Rule(
        "country-code",
        ("country",),
        ("lat", "lon"),
        _bad_country,
        _each_value(lambda v: f"{v!r} is not ISO 3166-1 alpha-2 (e.g. UZ)"),
        stage="",
    ),
    Rule(
        "needs-place",
        ("place_id",),
        ("layer", "lat", "lon"),
        _unplaced,
        _place_message,
        stage="place",
    ),
    Rule(
        "known-place",
        ("place_id",),
        (),
        _unknown_place,
        _each_value(lambda v: f"{v!r} is not a place in {PLACES_FILE}"),
        stage="",
    ),
    Rule(
        "place-details",
        ("geo_precision", "place_origin"),
        ("place_id", "lat", "lon"),
        _place_details,
        _details_message,
        stage="place",
    ),
    Rule(
        "source-row",
        ("source_row",),
        (),
        _not_matching(ROW_NUMBER),
        _each_value(lambda v: f"{v!r} is not a row number (a whole number from 1)"),
        stage="",
    ),
    Rule(
        "count",
        FATALITY_COLUMNS,
        (),
        _not_matching(_COUNT),
        _each_value(lambda v: f"{v!r} is not a whole number of people (0 or more)"),
    ),
    Rule(
        "fatality-order",
        ("fatalities_best",),
        FATALITY_COLUMNS,
        _counts_out_of_order,
        "fatalities must satisfy low <= best <= high",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def broken(
    rows: Rows, stage: str | None = None
) -> Iterator[tuple[Rule, str, np.ndarray, list[str]]]:
    """Every rule broken by some row: ``(rule, column, positions, messages)``,
    rule by rule in :data:`RULES`' order, then column by column.

    ``stage`` keeps the rules of that stage only (None: every rule).
    """
    for rule in RULES:
        if stage is not None and rule.stage != stage:
            continue
        for column in rule.columns:
            at = np.flatnonzero(rule.failing(rows, column))
            if at.size:
                yield rule, column, at, rule.messages(rows, column, at)

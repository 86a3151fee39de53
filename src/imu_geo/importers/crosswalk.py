"""What the format crosswalks share: the formats themselves, the source table, the
issues collected rule by rule, the crosswalk's result, and the text, code, count and
date helpers the rules are written with.

The rules are vectorised: each works on whole columns, and a distinct value (a
date, a code, a name) is interpreted once however many rows carry it.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from imu_geo.datecolumns import DateColumn, read_date_columns
from imu_geo.dates import DateParseError, parse_partial_date
from imu_geo.importers.reading import RawTable
from imu_geo.rules import per_unique as _per_unique
from imu_geo.schema import (
    EVENT_COLUMNS,
    GEO_PRECISIONS,
)
from imu_geo.text import counted


@cache
def _table_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of one of the package's data tables (``tables/<name>``), read once.

    The crosswalks' tables and vocabularies are data, so that a new layout or a
    new entry of a vocabulary is a row, not code; ``docs/import.md`` describes
    each table.
    """
    path = resources.files(__package__).joinpath("tables", name)
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _codebook(fmt: str, column: str) -> dict[int, str]:
    """The meaning of each numeric code of one source column, from ``codes.csv``."""
    return {
        int(row["code"]): row["value"]
        for row in _table_rows("codes.csv")
        if (row["format"], row["column"]) == (fmt, column)
    }


# The formats, how each is recognised and the columns it cannot do without. A
# ``required`` of ``events.csv`` stands for every column of events.csv.
_FORMAT_ROWS = _table_rows("formats.csv")
FORMATS: tuple[str, ...] = tuple(row["format"] for row in _FORMAT_ROWS)
FORMAT_LABELS: dict[str, str] = {row["format"]: row["label"] for row in _FORMAT_ROWS}
SIGNATURES: dict[str, tuple[str, ...]] = {
    row["format"]: tuple(row["signature"].split()) for row in _FORMAT_ROWS
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    row["format"]: (
        EVENT_COLUMNS
        if row["required"] == "events.csv"
        else tuple(row["required"].split())
    )
    for row in _FORMAT_ROWS
}
# Where each format keeps an event's id, its text (what the event's
# source_quote is), its country and its admin-1 unit.
DATASET_COLUMNS: dict[str, dict[str, str]] = {
    row["format"]: {
        key: row[key]
        for key in ("id_column", "text_column", "country_column", "admin1_column")
    }
    for row in _FORMAT_ROWS
}
# The order in which formats are tried on a file's columns: ACLED, UCDP GED and
# GTD before this project's own columns, which overlap UCDP's.
DETECTION_ORDER: tuple[str, ...] = tuple(
    row["format"] for row in sorted(_FORMAT_ROWS, key=lambda row: int(row["tried"]))
)

# The source columns each format's crosswalk reads (lower case), what each
# becomes, and a column whose presence means this one is not read (UCDP's
# best_est when best is there). Every other column of a file is the caller's to
# keep as it is.
_COLUMN_ROWS = _table_rows("columns.csv")
CROSSWALKED: dict[str, dict[str, tuple[str, str]]] = {}
for _row in _COLUMN_ROWS:
    CROSSWALKED.setdefault(_row["format"], {})[_row["column"]] = (
        _row["target"],
        _row["unless"],
    )


def crosswalked_columns(fmt: str, columns: Iterable[str]) -> dict[str, str]:
    """The columns of a file that ``fmt``'s crosswalk reads, and what each became.

    ``columns`` are the file's column names as written; they are compared in
    lower case without surrounding spaces, as the import compares them. Returns,
    for each column the crosswalk reads, its name as in the file mapped to what
    it became (``"actors"``, ``"date_start, date_end"``, ``"place point"``), in
    the file's order. Columns not returned are not read by the crosswalk and are
    the caller's to keep verbatim; ``tables/columns.csv`` lists every format's.
    """
    table = CROSSWALKED.get(fmt, {})
    written = {str(c).strip().lower(): str(c) for c in columns}
    result = {}
    for key, name in written.items():
        if key not in table:
            continue
        target, unless = table[key]
        if unless and unless in written:
            continue
        result[name] = target
    return result


NO_TEXT = "[no text in the source row]"

NO_ACTOR = "[no actor in the source row]"


def _text(values: object, n: int | None = None) -> pd.Series:
    """A text Series on a fresh RangeIndex (a scalar is repeated ``n`` times)."""
    if n is not None and not isinstance(values, pd.Series | np.ndarray | list):
        values = [values] * n
    series = pd.Series(values, dtype="str")
    return series.reset_index(drop=True)


def _when(mask: np.ndarray, values: pd.Series, otherwise: str = "") -> pd.Series:
    """``values`` where ``mask`` holds, else ``otherwise``."""
    return values.where(pd.Series(mask, index=values.index), otherwise)


def slugify(values: pd.Series, separator: str = "-") -> pd.Series:
    """Lower-case ASCII slugs: accents dropped, other characters ``separator``;
    a missing value gives an empty slug."""
    text = values.astype("str").fillna("")
    wide = text.str.contains(r"[^\x00-\x7f]", regex=True).to_numpy(bool)
    if wide.any():
        folded = text[wide].str.normalize("NFKD")
        text = text.copy()
        text[wide] = folded.str.replace(r"[\u0300-\u036f]", "", regex=True)
    text = text.str.lower()
    text = text.str.replace(r"[^a-z0-9_-]+", separator, regex=True)
    return text.str.strip("-_")


# One HXL hashtag with its attributes, as HDX writes them: #geo+lat, #date+start.
_HXL_TAG = re.compile(r"#[A-Za-z][A-Za-z0-9_]*(?:\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*")


def skip_hxl_row(raw: RawTable) -> RawTable:
    """Drop HDX's row of HXL hashtags under the header, with a file note.

    The Humanitarian Data Exchange annotates its copies of ACLED and UCDP GED
    with a row of tags (``#date+year``, ``#geo+lat``) under the header. It is a
    header annotation, not an event: a first data row whose non-empty cells are
    all hashtags is skipped and the note says so. Any other table is returned as
    it is.
    """
    if not len(raw.frame):
        return raw
    cells = [str(value).strip() for value in raw.frame.iloc[0]]
    tags = [cell for cell in cells if cell]
    if not tags or not all(_HXL_TAG.fullmatch(cell) for cell in tags):
        return raw
    shown = ", ".join(tags[:4]) + (", ..." if len(tags) > 4 else "")
    note = (
        f"{raw.name}: {raw.unit} {int(raw.rows[0])} holds HXL hashtags ({shown}), "
        "a header annotation that HDX adds under the header; it was skipped"
    )
    return replace(
        raw,
        frame=raw.frame.iloc[1:].reset_index(drop=True),
        rows=raw.rows[1:],
        notes=(*raw.notes, note),
    )


class _Issues:
    """Issues collected rule by rule, as positions into the frame."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, action: str, column: str, reason) -> None:
        positions = np.flatnonzero(mask)
        if not positions.size:
            return
        if isinstance(reason, str):
            reasons = np.full(positions.size, reason, dtype=object)
        else:
            reasons = np.asarray(reason, dtype=object)
            if reasons.size != positions.size:
                reasons = reasons[positions]
        self.parts.append(
            pd.DataFrame(
                {
                    "position": positions,
                    "action": action,
                    "column": column,
                    "reason": reasons,
                    "order": len(self.parts),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {
                    "position": np.array([], np.int64),
                    "action": [],
                    "column": [],
                    "reason": [],
                    "order": np.array([], np.int64),
                }
            )
        return pd.concat(self.parts, ignore_index=True)


# Cells other tools write for "no value" (R's NA, Excel's #N/A, pandas' nan, GTD's
# "."), compared with the whole cell, case as written in the table. They are read
# as empty so that "NA" never becomes an actor and "NaN" never a number.
EMPTY_MARKERS: frozenset[str] = frozenset(
    row["marker"] for row in _table_rows("empty_markers.csv")
)


class _Source:
    """The raw columns of one table, looked up by lower-case name.

    Columns are returned on a RangeIndex with the empty markers
    (:data:`EMPTY_MARKERS`, the whole cell with or without surrounding spaces)
    read as empty; what was blanked is counted for a file note. Each column is
    read and stripped once, since several rules read the same column.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        rows: np.ndarray | None = None,
        literal: frozenset[str] = frozenset(),
    ) -> None:
        self.frame = frame
        self.n = len(frame)
        # Columns where a marker is a value: "NA" is Namibia's ISO code.
        self.literal = literal
        # The row number of each row as the user finds it in the file.
        self.rows = (
            np.asarray(rows, dtype=np.int64)
            if rows is not None
            else np.arange(2, self.n + 2, dtype=np.int64)
        )
        self.names = {str(c).strip().lower(): c for c in frame.columns}
        self._columns: dict[str, pd.Series] = {}
        self._stripped: dict[str, pd.Series] = {}
        # column as in the file -> marker -> cells read as empty
        self.markers: dict[str, dict[str, int]] = {}
        # The file's columns (as named there) the rules have read: the column
        # map tells the crosswalked columns from those kept verbatim by it.
        self.read: set[str] = set()

    def has(self, column: str) -> bool:
        return column in self.names

    def first(self, *columns: str) -> str:
        """The first of ``columns`` the table has (the last one when none is)."""
        return next((c for c in columns if c in self.names), columns[-1])

    def _read(self, column: str) -> None:
        """Read one column once: as written and stripped, markers blanked in both."""
        if column not in self.names:
            self._columns[column] = self._stripped[column] = _text("", self.n)
            return
        self.read.add(self.names[column])
        values = self.frame[self.names[column]].astype("str").reset_index(drop=True)
        stripped = values.str.strip()
        marked = stripped.isin(EMPTY_MARKERS).to_numpy(bool)
        if marked.any() and column not in self.literal:
            # Set, not added: a column read again after release() holds the
            # same cells, which were counted the first time.
            counts = self.markers.setdefault(str(self.names[column]), {})
            for marker, count in stripped[marked].value_counts().items():
                counts[marker] = int(count)
            values = values.where(~marked, "")
            stripped = stripped.where(~marked, "")
        self._columns[column], self._stripped[column] = values, stripped

    def get(self, column: str) -> pd.Series:
        if column not in self._columns:
            self._read(column)
        return self._columns[column]

    def stripped(self, column: str) -> pd.Series:
        if column not in self._stripped:
            self._read(column)
        return self._stripped[column]

    def release(self) -> None:
        """Drop the columns read so far (a large file's copies); what was read,
        and the markers counted, stay known."""
        self._columns.clear()
        self._stripped.clear()

    def marker_note(self, name: str) -> str:
        """A file note on the cells read as empty, or '' when there were none."""
        if not self.markers:
            return ""
        per_marker: dict[str, list[str]] = {}
        total = 0
        # Every column counted is one of the frame's, named as there.
        position = {str(c): i for i, c in enumerate(self.frame.columns)}
        for column in sorted(self.markers, key=position.__getitem__):
            counts = self.markers[column]
            for marker, count in counts.items():
                per_marker.setdefault(marker, []).append(f"{column} {count:,}")
                total += count
        listed = "; ".join(
            f"{marker!r} ({', '.join(columns)})"
            for marker, columns in sorted(per_marker.items())
        )
        noun = "cell holds" if total == 1 else "cells hold"
        return (
            f"{name}: {total:,} {noun} a marker for an empty value and "
            f"{'was' if total == 1 else 'were'} read as empty: {listed}"
        )


def _parse_one(text: str) -> tuple:
    try:
        interval = parse_partial_date(text)
    except DateParseError as error:
        return None, None, "", str(error)
    return interval.start, interval.end, interval.precision, ""


def _codes(values: pd.Series) -> pd.Series:
    """Whole numbers as nullable integers; anything else missing.

    Codes take a handful of values, so each distinct text is parsed once.
    """
    positions, uniques = pd.factorize(values.str.strip())
    numbers = pd.to_numeric(pd.Series(uniques, dtype="str"), errors="coerce")
    whole = numbers.notna() & np.isfinite(numbers) & (numbers == np.floor(numbers))
    # A code is small; a huge number (99999999999999999999) is not one, and
    # would not fit a 64-bit integer.
    whole &= numbers.abs() < 2**53
    parsed = numbers.where(whole).astype("Int64").to_numpy(dtype=object, na_value=None)
    spread = np.append(parsed, None)[positions]
    return pd.Series(pd.array(spread, dtype="Int64"))


def _count_text(text: str) -> tuple:
    """One fatality cell: (the count as text, or '' with a reason)."""
    if not text:
        return "", ""
    reason = f"{text!r} is not a whole number of people (0 or more)"
    try:
        value = float(text)
    except ValueError:
        return "", reason
    if not math.isfinite(value) or value < 0 or value != int(value):
        return "", reason
    return str(int(value)), ""


def _counts(source: _Source, column: str, issues: _Issues) -> pd.Series:
    """A fatality column as text ('' when unknown).

    A whole number written as a float (``3.0``, as spreadsheets and Parquet give
    it) is read too, and a figure that is not a whole number of people (GTD's
    1993 file has ``19.8``) keeps the event with the count empty: a repair whose
    reason quotes the figure. (A file in this project's layout is held to the
    ``count`` rule of :mod:`imu_geo.rules` instead.)
    """
    raw = source.stripped(column)
    text, reason = _per_unique(_count_text, raw) or (
        np.array([], object),
        np.array([], object),
    )
    bad = reason != ""
    issues.add(
        bad,
        "repaired",
        column,
        [f"{why}; the event is kept with no count" for why in reason[bad]],
    )
    return _text(text)


def _estimate_order(low: str, best: str, high: str) -> tuple:
    """One row's published low, best and high as kept, and what was out of order.

    The best estimate is always kept. A low above it or a high below it cannot
    be kept beside it (``events.csv`` needs low <= best <= high), so that figure
    is left empty; with no best, a low above the high leaves both empty. Nothing
    is reordered: the published figures go to the row's notes and the report.
    Returns ``(low, best, high, problem)``, ``problem`` '' when in order.
    """
    lo, be, hi = (int(v) if v else None for v in (low, best, high))
    problems = []
    if be is not None:
        if lo is not None and lo > be:
            low = ""
            problems.append("low above best")
        if hi is not None and hi < be:
            high = ""
            problems.append("high below best")
    elif lo is not None and hi is not None and lo > hi:
        low = high = ""
        problems.append("low above high")
    return low, best, high, " and ".join(problems)


def _published_estimates(
    low: pd.Series,
    best: pd.Series,
    high: pd.Series,
    issues: _Issues,
    columns: tuple[str, str, str],
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Low, best and high as kept (see :func:`_estimate_order`), and a note.

    A row whose published figures are out of order is kept and counted as
    repaired; the reason and the returned note quote the figures as published.
    """
    kept_low, kept_best, kept_high, problem = (
        _per_unique(_estimate_order, low, best, high) or [np.array([], object)] * 4
    )
    bad = problem != ""
    reasons, notes = [], np.full(problem.size, "", dtype=object)
    published = [series.to_numpy(object) for series in (low, best, high)]
    for i in np.flatnonzero(bad):
        given_low, given_best, given_high = (values[i] for values in published)
        emptied = [
            f"fatalities_{name}"
            for name, given, kept in (
                ("low", given_low, kept_low[i]),
                ("high", given_high, kept_high[i]),
            )
            if given != kept
        ]
        figures = f"low {given_low}, best {given_best or '(none)'}, high {given_high}"
        reasons.append(
            f"{figures} are out of order ({problem[i]}): {' and '.join(emptied)} "
            f"left empty so that low <= best <= high; the published figures are "
            "in notes"
        )
        notes[i] = f"Published {figures} (out of order)."
    issues.add(bad, "repaired", ", ".join(columns), reasons)
    return _text(kept_low), _text(kept_best), _text(kept_high), _text(notes)


def _join_parts(*parts: pd.Series, separator: str = "; ") -> pd.Series:
    """Join the non-empty values of several text columns, row by row."""
    result = parts[0].str.strip()
    for part in parts[1:]:
        part = part.str.strip()
        both = (result != "") & (part != "")
        result = result + pd.Series(np.where(both, separator, ""), dtype="str") + part
    return result


def _labelled(label: str, values: pd.Series, end: str = ". ") -> pd.Series:
    """``label + value + end`` where the value is not empty, else ''."""
    values = values.str.strip()
    return _when((values != "").to_numpy(bool), label + values + end)


def _imported_from(label: str, column: str, ids: pd.Series) -> pd.Series:
    """The first sentence of an imported event's notes: which dataset, and the
    row's id in it, or that it has none (``Imported from GTD, with no eventid. ``)."""
    has = (ids != "").to_numpy(bool)
    return (
        f"Imported from {label}"
        + _when(has, f": {column} " + ids, f", with no {column}")
        + ". "
    )


def _compose(function, *columns) -> pd.Series:
    """Text made by ``function`` once per distinct combination of ``columns``."""
    (text,) = _per_unique(lambda *values: (function(*values),), *columns)
    return _text(text)


def _sentence(label: str, value: str) -> str:
    return f"{label}{value}." if value else ""


def _at(what: str, fallback: str, place: str) -> str:
    what = what or fallback
    return f"{what} at {place}" if place else what


@dataclass
class _Crosswalk:
    """What a format's rules give, row by row, before places are resolved.

    Dates are ``datetime.date`` objects (None where the row is rejected); every
    other column is text on the frame's RangeIndex.
    """

    source_id: pd.Series
    id_column: str
    date_start: np.ndarray
    date_end: np.ndarray
    date_precision: np.ndarray
    date_origin: np.ndarray
    layer: pd.Series
    event_type: pd.Series
    geo_precision: pd.Series
    actors: pd.Series
    target: pd.Series
    fatalities: tuple[pd.Series, pd.Series, pd.Series]
    title: pd.Series
    description: pd.Series
    source_quote: pd.Series
    notes: pd.Series
    lat_column: str
    lon_column: str
    place_name: pd.Series
    country: pd.Series
    needs_place: np.ndarray
    native: pd.DataFrame | None = None
    # The column naming the row's admin-1 unit (ACLED admin1, GTD provstate, UCDP
    # adm_1): it narrows a world gazetteer look-up, and stays a column of its own.
    admin1_column: str = ""
    # The dataset's own type and sub-type, as it writes them (empty for native).
    source_event_type: pd.Series | None = None
    source_sub_event_type: pd.Series | None = None
    # For each row, the position of the row whose event it is part of (ACLED's
    # monadic layout lists an event once per actor), else -1.
    merged_into: np.ndarray | None = None
    # What a user should know about the file as a whole, from this crosswalk
    # (sentences without the file name, which the import puts before them).
    file_notes: list[str] = field(default_factory=list)


def _dataset_crosswalk(
    source: _Source,
    fmt: str,
    dates: tuple[np.ndarray, np.ndarray, np.ndarray],
    **fields,
) -> _Crosswalk:
    """The crosswalk of a published dataset (ACLED, UCDP GED, GTD).

    Each keeps an event's id, its text, its country and its admin-1 unit in
    columns of its own (``formats.csv`` names them), and locates every event at
    its ``latitude`` and ``longitude``: every row needs a place. ``dates`` are
    the rows' first and last days and their precision, as read; ``fields`` are
    the other fields of :class:`_Crosswalk`. An event is an attack dated as the
    source dates it, with no sub-type of the source's, unless they say otherwise.
    """
    n = source.n
    start, end, precision = dates
    columns = DATASET_COLUMNS[fmt]
    common = {
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
        "source_id": source.stripped(columns["id_column"]),
        "id_column": columns["id_column"],
        "source_quote": _quote(source.get(columns["text_column"])),
        "country": source.stripped(columns["country_column"]),
        "admin1_column": columns["admin1_column"],
        "lat_column": "latitude",
        "lon_column": "longitude",
        "needs_place": np.ones(n, dtype=bool),
        "date_origin": np.full(n, "source", dtype=object),
        "layer": _text("attack", n),
        "source_sub_event_type": _text("", n),
    }
    return _Crosswalk(**(common | fields))


def _unmapped(
    issues: _Issues,
    mask: np.ndarray,
    column: str,
    described: pd.Series,
    fallback: str,
    label: str,
    present: bool = True,
) -> list[str]:
    """Report the rows whose type no crosswalk table knows.

    Each such row is *repaired*: it is kept with the ``fallback`` type, and its
    reason begins ``unmapped type:`` so the report can count them. ``described``
    is the row's type as the dataset writes it, quoted in the reason; the file
    note returned lists the distinct unmapped types with their counts. When the
    file has no type column at all (``present`` false), one note says so instead.
    """
    if not mask.any():
        return []
    if not present:
        # A copy without the type column: said once, not on every row.
        return [f"has no {column} column; every event is read as {fallback}"]
    texts = described[mask]
    reasons = [
        f"unmapped type: {label} {text} is in no crosswalk table; read as {fallback}"
        if text
        else f"unmapped type: the row has no {label} type; read as {fallback}"
        for text in texts
    ]
    issues.add(mask, "repaired", column, reasons)
    article = "an" if label[:1] in "AEIOU" else "a"
    counts = texts.where(texts != "", "(no type)").value_counts()
    shown = ", ".join(
        f"{value} ({count:,})" for value, count in counts.head(10).items()
    )
    more = ", ..." if len(counts) > 10 else ""
    rows = int(mask.sum())
    return [
        f"{counted(rows, 'row has', 'rows have')} {article} {label} type "
        f"that no crosswalk table knows (unmapped), read as {fallback}: {shown}{more}"
    ]


# The date columns of each format: the order their numbers follow when the
# column itself does not show it, and the first year of the dataset, which gives
# a two-digit year its century (to the current year). tables/date_columns.csv
# says where each figure comes from.
DATE_COLUMNS: dict[str, dict[str, tuple[str | None, int]]] = {}
for _row in _table_rows("date_columns.csv"):
    DATE_COLUMNS.setdefault(_row["format"], {})[_row["column"]] = (
        _row["default_order"] or None,
        int(_row["coverage_from"]),
    )

DATE_ORDERS = ("auto", "dmy", "mdy", "ymd")


def _read_dates(
    source: _Source,
    issues: _Issues,
    fmt: str,
    columns: tuple[str, ...],
    date_order: str | None,
    notes: list[str],
    order: str | None = None,
    errors: str = "reject",
    values: Mapping[str, pd.Series] | None = None,
) -> dict[str, DateColumn]:
    """Read date columns written alike with one day/month order (datecolumns).

    The user's ``date_order`` (``dmy``, ``mdy``, ``ymd``; None for auto) wins;
    then ``order`` when the caller fixes one; else the column decides, with the
    format's documented order as the default (:data:`DATE_COLUMNS`). A two-digit
    year takes its century from the dataset's coverage, up to this year, and is
    a repair; with ``errors="reject"`` a value that is not a date, or an empty
    one, rejects the row, otherwise the caller decides. The columns' notes are
    added to ``notes``. ``values`` replaces the columns' cells when given (the
    rows a rule applies to, the others empty).

    Raises
    ------
    DateColumnError
        When a column's numbers read both ways for every value, or some only one
        way and others only the other, and no order is given.
    """
    default, first = DATE_COLUMNS[fmt][columns[0]]
    read = read_date_columns(
        {
            column: (values or {}).get(column, source.stripped(column))
            for column in columns
        },
        order=date_order or order,
        default_order=default,
        coverage=(first, max(first, date.today().year)),
    )
    for column, result in read.items():
        for note in result.notes:
            if note not in notes:
                notes.append(note)
        repaired = result.repairs != ""
        issues.add(repaired, "repaired", column, result.repairs[repaired])
        if errors == "reject":
            failed = result.errors != ""
            issues.add(failed, "rejected", column, result.errors[failed])
            issues.add(result.empty, "rejected", column, "the date is empty")
    return read


def _code_text(codes: pd.Series) -> pd.Series:
    """Nullable integer codes as text, '' where missing."""
    positions, uniques = pd.factorize(codes)
    texts = np.array([str(int(v)) for v in uniques] + [""], dtype=object)
    return _text(texts[positions])


def _coded(
    source: _Source, column: str, table: Mapping[int, str], issues: _Issues, what: str
) -> tuple[pd.Series, pd.Series]:
    """A precision code looked up in ``table``: (the raw text, our value or '')."""
    raw = source.stripped(column)
    value = _text(_codes(raw).map(table).fillna("").astype("str").to_numpy(object))
    bad = (value == "").to_numpy(bool)
    issues.add(bad, "rejected", column, [f"{v!r} is not {what}" for v in raw[bad]])
    return raw, value


def _place_precision(
    source: _Source,
    column: str,
    table: Mapping[int, str],
    issues: _Issues,
    what: str,
    notes: list[str],
    coordinates: tuple[str, str] = ("latitude", "longitude"),
) -> tuple[pd.Series, pd.Series]:
    """A place precision code: (the raw text, our geo_precision or '').

    A code outside ``table`` rejects the row. An empty code does not: a row
    without coordinates is placed from the gazetteer, whose place says the
    precision. A row with coordinates but no code gets the coarsest precision
    the dataset's codebook has, since its point is at worst that coarse, and
    that is a repair.
    """
    raw = source.stripped(column)
    value = _text(_codes(raw).map(table).fillna("").astype("str").to_numpy(object))
    empty = (raw == "").to_numpy(bool)
    bad = (value == "").to_numpy(bool) & ~empty
    issues.add(bad, "rejected", column, [f"{v!r} is not {what}" for v in raw[bad]])
    located = np.ones(source.n, dtype=bool)
    for name in coordinates:
        numbers = pd.to_numeric(source.stripped(name), errors="coerce")
        located &= np.isfinite(numbers.to_numpy(float))
    coarsest = max(table.values(), key=GEO_PRECISIONS.index)
    filled = empty & located
    if source.has(column):
        issues.add(
            filled,
            "repaired",
            column,
            f"is empty; the point is taken to be of {coarsest} precision, the "
            "coarsest its codebook gives",
        )
    elif filled.any():
        # A reduced copy without the column: said once, not on every row.
        notes.append(
            f"has no {column} column; every point is taken to be of {coarsest} "
            "precision, the coarsest its codebook gives"
        )
    return raw, value.where(~pd.Series(filled), coarsest)


def _quote(text: pd.Series) -> pd.Series:
    return text.where(text.str.strip() != "", NO_TEXT)


def _isoformat(days: np.ndarray) -> pd.Series:
    """Dates as ISO text ('' for None), formatting each distinct date once."""
    codes, uniques = pd.factorize(np.asarray(days, dtype=object), use_na_sentinel=True)
    texts = np.array([d.isoformat() for d in uniques] + [""], dtype=object)
    return _text(texts[codes])

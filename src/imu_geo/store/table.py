"""The events as a store holds them (:func:`event_table`): date order, day
numbers, facet keys, the casefolded search text and each summary level's row,
made a row group at a time (:func:`event_batches`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from imu_geo.data import Dataset
from imu_geo.facets import FACETS
from imu_geo.filters import SEARCH_COLUMNS, split_list
from imu_geo.schema import EVENT_COLUMNS, FATALITY_COLUMNS, SOURCE_EVENT_COLUMNS
from imu_geo.summaries import SUMMARY_LEVELS, unit_key_codes

ROW_GROUP_ROWS = 65_536

# A text column is taken from through a dictionary when its rows, sampled, hold
# at most this share of distinct values (see _gatherable).
DICTIONARY_SHARE = 0.05
_SAMPLE_ROWS = 20_000


_DAY_NS = 86_400 * 10**9

# The Arrow type of each of the store's columns that is not text; every other
# column (the event and source columns, the facet keys, the search text and
# the summary levels' columns) is text. A batch is made with these types
# (:func:`_schema`), so each column is cast to its type there, safely: a value
# that does not fit is an error, never a changed number.
COLUMN_TYPES: dict[str, pa.DataType] = {
    "row_id": pa.int64(),
    "date_start": pa.date32(),
    "date_end": pa.date32(),
    **dict.fromkeys(FATALITY_COLUMNS, pa.int64()),
    "source_row": pa.int64(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    "day_start": pa.int32(),
    "day_end": pa.int32(),
    "month": pa.int32(),
}


def _schema(names: Iterable[str]) -> pa.Schema:
    """The store's schema for the columns ``names``, in that order."""
    return pa.schema([(name, COLUMN_TYPES.get(name, pa.string())) for name in names])


def _days(column: pd.Series) -> np.ndarray:
    return (column.to_numpy(dtype="datetime64[ns]").astype(np.int64) // _DAY_NS).astype(
        np.int32
    )


def _keys(column: pd.Series, separator: str) -> pd.Series:
    """Each cell's items, trimmed, as ``;a;b;``: one ``instr`` finds an item."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    keyed = np.array(
        [
            separator + separator.join(split_list(cell, separator)) + separator
            for cell in distinct
        ],
        dtype=object,
    )
    return pd.Series(keyed[codes], index=column.index, dtype=str)


def _text(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow strings, empty for missing; without a copy when
    the column is already Arrow-backed."""
    values = values.fillna("")
    if hasattr(values.array, "__arrow_array__"):
        array = pa.array(values.array)
    else:
        array = pa.array(values.astype(str).to_numpy(dtype=object), type=pa.string())
    return array if array.type == pa.string() else array.cast(pa.string())


def search_text(
    events: pd.DataFrame, texts: dict[str, pa.Array | pa.ChunkedArray] | None = None
) -> pa.ChunkedArray:
    """The text a search looks in, casefolded: the :data:`SEARCH_COLUMNS` joined
    by spaces, as :func:`imu_geo.filters.filter_mask` joins them.

    Arrow lowercases the rows that are plain ASCII, where that is the same as
    Python's ``casefold``; the others (``ß``, ligatures, final sigma …) are
    casefolded by Python, so a search finds exactly what the pandas rule finds.
    ``texts``, when given, holds some columns already as :func:`_text` makes
    them, so they are not converted again.
    """
    texts = texts or {}
    columns = [
        _chunked(texts[c] if c in texts else _text(events[c])) for c in SEARCH_COLUMNS
    ]
    n = len(columns[0])
    # A row group's rows at a time: the joined text of a million events is
    # hundreds of megabytes, and only the casefolded copy is kept.
    pieces = [
        _searched([column.slice(start, ROW_GROUP_ROWS) for column in columns])
        for start in range(0, n, ROW_GROUP_ROWS)
    ]
    return pa.chunked_array(pieces, pa.string())


def _searched(texts: list[pa.Array | pa.ChunkedArray]) -> pa.Array:
    """The search text of some rows from their :data:`SEARCH_COLUMNS`."""
    return _casefolded(pc.binary_join_element_wise(*texts, " "))


def _chunked(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])


def _casefolded(joined: pa.Array | pa.ChunkedArray) -> pa.Array:
    joined = _single(joined)
    folded = pc.utf8_lower(joined)
    other = pc.invert(pc.string_is_ascii(joined))
    if pc.any(other).as_py():
        texts = joined.filter(other).to_pylist()
        folded = pc.replace_with_mask(
            folded, other, pa.array([t.casefold() for t in texts], pa.string())
        )
    return folded


def summary_levels(regions: gpd.GeoDataFrame) -> tuple[str, ...]:
    """The summary levels the regions have units of, in order."""
    present = set(regions["level"])
    return tuple(level for level in SUMMARY_LEVELS if level in present)


def row_order(events: pd.DataFrame) -> np.ndarray:
    """The positions of ``events`` in the store's order: by ``date_start``,
    ``date_end``, then ``event_id``."""
    return np.lexsort(
        (
            pd.factorize(events["event_id"], sort=True)[0],
            _days(events["date_end"]),
            _days(events["date_start"]),
        )
    )


def event_table(dataset: Dataset, order: np.ndarray | None = None) -> pa.Table:
    """The events as the store holds them: sorted by date, with ``row_id``
    (:func:`event_batches` joined into one table).

    Columns: ``row_id``, the event columns, the source columns (empty text when
    the dataset has none), ``place_name``, ``country``, ``lat``, ``lon``,
    ``day_start``/``day_end`` (days since 1970), ``month`` (``year * 12 +
    month - 1`` of the start), the keys column of each multi-valued facet of
    :data:`imu_geo.facets.FACETS` (``actor_keys``, ``country_keys``: the
    items, delimited at both ends), ``search`` and, per summary level L,
    ``L_status``, ``L_region``, ``L_place``, ``L_precision``.
    """
    return pa.Table.from_batches(list(event_batches(dataset, order)))


def event_batches(
    dataset: Dataset, order: np.ndarray | None = None
) -> Iterator[pa.RecordBatch]:
    """The rows of :func:`event_table`, one row group's worth
    (:data:`ROW_GROUP_ROWS`) at a time, in date order (``order``, as
    :func:`row_order` gives it); one empty batch when there is no event.

    Every column is made once in the events' own order, as one Arrow array
    each (a column read from a CSV file comes in hundreds of pieces, and taking
    rows from those costs more than joining them once), and each batch takes
    its rows from them: the table sorted whole never exists beside the events.
    """
    events = dataset.events
    if order is None:
        order = row_order(events)
    columns = {
        k: _gatherable(_single(v)) for k, v in _unsorted_columns(dataset).items()
    }
    # Only for the search text: the columns a search reads that are not stored.
    extra = {
        c: _gatherable(_single(_text(events[c])))
        for c in SEARCH_COLUMNS
        if c not in columns
    }
    units = {level: _unit_codes(dataset, level, order) for level in SUMMARY_LEVELS}
    for rows, indices, row_ids in _row_groups(order):
        batch = {"row_id": row_ids}
        batch |= {name: take_rows(values, indices) for name, values in columns.items()}
        texts = [
            batch[c] if c in batch else take_rows(extra[c], indices)
            for c in SEARCH_COLUMNS
        ]
        batch["search"] = _searched(texts)
        for level, (values, codes) in units.items():
            # Every level, even one the regions have no unit of: its table
            # still has the rows for coarser places, places outside and no place.
            taken = pa.array(codes[rows])
            for name, column in values.items():
                batch[f"{level}_{name}"] = column.take(taken)
        yield pa.RecordBatch.from_arrays(
            [_single(values) for values in batch.values()], schema=_schema(batch)
        )


def _row_groups(order: np.ndarray) -> Iterator[tuple[slice, pa.Array, pa.Array]]:
    """Each row group of a store whose rows are the events at ``order``: its
    slice of the store's rows, its events' positions (to take from a column in
    the events' order) and its ``row_id`` values; one empty group when there
    is no row."""
    for first in range(0, max(len(order), 1), ROW_GROUP_ROWS):
        rows = slice(first, first + ROW_GROUP_ROWS)
        positions = order[rows]
        row_ids = np.arange(first, first + len(positions))
        yield rows, pa.array(positions, pa.int64()), pa.array(row_ids)


def _gatherable(values: pa.Array) -> pa.Array:
    """``values`` in the form rows are taken from fastest: a text column with
    few distinct values (at most :data:`DICTIONARY_SHARE` of a sample of its
    rows) as a dictionary array, any other column as it is.

    Taking a row group's rows from a million strings in date order reads
    memory all over; a dictionary column's codes are small and its strings
    few, so :func:`take_rows` reads them from the processor's cache. The values
    taken are the same either way.
    """
    n = len(values)
    if not pa.types.is_string(values.type) or n < 2 * _SAMPLE_ROWS:
        return values
    sample = values.take(pa.array(np.arange(0, n, n // _SAMPLE_ROWS)))
    if pc.count_distinct(sample, mode="all").as_py() > DICTIONARY_SHARE * len(sample):
        return values
    return pc.dictionary_encode(values)


def take_rows(values: pa.Array, indices: pa.Array) -> pa.Array:
    """The rows of ``values`` at ``indices``, as plain values: a dictionary
    array (:func:`_gatherable`) gives its strings, not its codes."""
    rows = values.take(indices)
    if pa.types.is_dictionary(rows.type):
        return rows.dictionary.take(rows.indices)
    return rows


def _single(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _unsorted_columns(dataset: Dataset) -> dict[str, pa.Array | pa.ChunkedArray]:
    """:func:`event_table`'s columns up to the facet keys, in the events' order."""
    events = dataset.events
    n = len(events)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    start, end = _days(events["date_start"]), _days(events["date_end"])
    # Each column as its values come; _schema gives it the store's type.
    for column in EVENT_COLUMNS:
        if column in ("date_start", "date_end"):
            columns[column] = pa.array(start if column == "date_start" else end)
        elif column in FATALITY_COLUMNS:
            columns[column] = pa.array(events[column].astype("Int64"))
        else:
            columns[column] = _text(events[column])
    for column in SOURCE_EVENT_COLUMNS:
        if column == "source_row":
            columns[column] = (
                pa.array(events[column].astype("Int64"))
                if column in events
                else pa.nulls(n)
            )
        elif column in events:
            columns[column] = _text(events[column])
        else:
            columns[column] = pa.array([""] * n)
    for column in ("place_name", "country"):
        columns[column] = _text(events[column])
    for column in ("lat", "lon"):
        # A missing coordinate (NaN) is stored as null.
        columns[column] = pa.array(events[column], from_pandas=True)
    columns["day_start"] = pa.array(start)
    columns["day_end"] = pa.array(end)
    month = events["date_start"].dt.year * 12 + events["date_start"].dt.month - 1
    columns["month"] = pa.array(month)
    for facet in FACETS:
        # Each key starts and ends with the facet's separator (events.csv's).
        if facet.separator:
            column = events[facet.columns[0]]
            columns[facet.keys_column] = _text(_keys(column, facet.separator))
    return columns


# The store's name of each unit column, and the key of unit_keys it holds.
_UNIT_COLUMNS = {
    "status": "status",
    "region": "region_id",
    "place": "_place",
    "precision": "_precision",
}


def _unit_codes(
    dataset: Dataset, level: str, order: np.ndarray
) -> tuple[dict[str, pa.Array], np.ndarray]:
    """The ``level``'s unit columns as their few values by name, and each
    row's code into them in the store's row order (``order``): a batch takes
    its rows' values by code, never from a million strings."""
    if not len(order):
        empty = pa.array([""])
        return dict.fromkeys(_UNIT_COLUMNS, empty), np.zeros(0, dtype=np.int64)
    values, rows = unit_key_codes(
        dataset.events, dataset.places, dataset.regions, level
    )
    values, codes = _distinct_entries([values[key] for key in _UNIT_COLUMNS.values()])
    return {
        name: pc.fill_null(pa.array(column, pa.string()), "")
        for name, column in zip(_UNIT_COLUMNS, values, strict=True)
    }, codes[rows[order]]


def _distinct_entries(
    columns: list[np.ndarray],
) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct entries of some aligned columns (an entry is a position,
    its value the column's values there), and each position's distinct entry.

    An event placed by its own point has an entry of its own in the unit keys,
    so a million such events give a million entries, but only as many distinct
    ones as there are units and coarser places: a batch then takes its rows'
    values from a few, not from a million spread over memory."""
    n = len(columns[0])
    codes = np.zeros(n, dtype=np.int64)
    for column in columns:
        # Missing and empty values stay apart, as the columns have them.
        own, distinct = pd.factorize(column, use_na_sentinel=False)
        codes = pd.factorize(codes * len(distinct) + own)[0]
    # The codes count up from 0: the first position of each, in code order.
    first = np.unique(codes, return_index=True)[1]
    return [column[first] for column in columns], codes

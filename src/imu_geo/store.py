"""The columnar store: each dataset written once to Parquet, keyed by its content.

A dataset (the bundled atlas, a data folder, an imported file) is written to
``<root>/<key>/`` once, and every query of the pages and commands reads it
there through the engine (:mod:`imu_geo.engine`). ``key`` is a hash of the
store's format and the dataset's own bytes, so a restart finds the store again
and changed data gets a new one. The folder is written under a temporary name
and renamed, so a reader never sees half a store.

``events.parquet`` holds one row per event, sorted by ``date_start``,
``date_end`` and ``event_id``, in row groups of :data:`ROW_GROUP_ROWS`: the
minimum and maximum of ``day_start`` per group let the engine skip the groups
outside a time window. Beside the event columns it holds what each step would
otherwise compute again (see :func:`event_table`): the dates as day numbers,
the month, the event's point, the facets as delimited keys, the casefolded
search text and, per summary level, the row of the region table the event is
counted on. The place and region GeoJSON are kept beside it for the maps; an
event's own coordinates are columns, never one feature per event.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from imu_geo import world
from imu_geo.data import BUNDLED_DATA_DIR, PROJECT_DIR, Dataset, load_dataset
from imu_geo.facets import FACETS
from imu_geo.filters import (
    SEARCH_COLUMNS,
    FilterSpec,
    Unit,
    data_months,
    facet_choices,
    full_span,
    region_units,
    split_list,
)
from imu_geo.layers import event_bounds
from imu_geo.method import vocabulary_tables
from imu_geo.schema import (
    EVENT_COLUMNS,
    FATALITY_COLUMNS,
    PLACE_PROPERTIES,
    SOURCE_EVENT_COLUMNS,
)
from imu_geo.summaries import SUMMARY_LEVELS, unit_key_codes

STORE_VERSION = 2
STORE_ENV_VAR = "IMU_GEO_STORE"
# Where the engine reads the stores' Parquet files when that is not the store
# root itself: an object-store URL holding a copy of the root (docs/scaling.md).
STORE_URL_ENV_VAR = "IMU_GEO_STORE_URL"
ROW_GROUP_ROWS = 65_536
EVENTS_FILE = "events.parquet"
SOURCE_COLUMNS_FILE = "source_columns.parquet"
PLACES_FILE = "places.geojson"
REGIONS_FILE = "regions.geojson"
META_FILE = "meta.json"
# A data folder's own copy of its store, written by the import that wrote the
# folder (see write_folder_store), and what it was written from.
FOLDER_STORE_DIR = ".store"
FOLDER_STORE_FILE = "folder.json"
VOCABULARIES_FILE = "vocabularies.json"
KEY_CHARS = 20
_DAY_NS = 86_400 * 10**9
_READ_CHUNK = 1 << 20


def default_root() -> Path:
    """Where stores are kept: ``$IMU_GEO_STORE``, else ``build/store``."""
    configured = os.environ.get(STORE_ENV_VAR, "").strip()
    return Path(configured) if configured else PROJECT_DIR / "build" / "store"


def content_key(parts: Iterable[bytes | Path], label: str = "") -> str:
    """A key for a store: the hash of the format version, ``label`` and each part
    (bytes, or a file's bytes read in chunks)."""
    digest = hashlib.sha256(f"imu-geo-store {STORE_VERSION} {label}".encode())
    for part in parts:
        if isinstance(part, Path):
            digest.update(f"\0file {part.name}\0".encode())
            with part.open("rb") as handle:
                while chunk := handle.read(_READ_CHUNK):
                    digest.update(chunk)
        else:
            digest.update(b"\0bytes\0" + part)
    return digest.hexdigest()[:KEY_CHARS]


def _folder_files(directory: Path) -> list[Path]:
    """The files a data folder's key is made of: every file directly in it."""
    return sorted(p for p in Path(directory).glob("*") if p.is_file())


def _stamp(files: list[Path]) -> list[list]:
    """Each file's name, size and modification time: what says that a file
    has not changed since its key was taken."""
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]


def folder_key(directory: Path, root: Path | None = None) -> str:
    """The store key of a data folder: the hash of its files' bytes.

    Hashing a large folder takes a while, so the key is remembered per file
    stamp (name, size, modification time) in the store root: a restart finds it
    without reading the files again.
    """
    directory = Path(directory).resolve()
    files = _folder_files(directory)
    stamp = _stamp(files)
    root = Path(root) if root is not None else default_root()
    memo = root / "keys.json"
    try:
        known = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    entry = known.get(str(directory))
    if isinstance(entry, dict) and entry.get("stamp") == stamp:
        return str(entry["key"])
    key = content_key(files, "folder")
    known[str(directory)] = {"stamp": stamp, "key": key}
    try:
        root.mkdir(parents=True, exist_ok=True)
        _write_atomic(memo, json.dumps(known).encode())
    except OSError:
        pass  # only a shortcut: the key is hashed again next time
    return key


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


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
    columns = {k: _single(v) for k, v in _unsorted_columns(dataset).items()}
    # Only for the search text: the columns a search reads that are not stored.
    extra = {c: _single(_text(events[c])) for c in SEARCH_COLUMNS if c not in columns}
    units = {level: _unit_codes(dataset, level, order) for level in SUMMARY_LEVELS}
    for rows, indices, row_ids in _row_groups(order):
        batch = {"row_id": row_ids}
        batch |= {name: values.take(indices) for name, values in columns.items()}
        texts = [
            batch[c] if c in batch else extra[c].take(indices) for c in SEARCH_COLUMNS
        ]
        batch["search"] = _searched(texts)
        for level, (values, codes) in units.items():
            # Every level, even one the regions have no unit of: its table
            # still has the rows for coarser places, places outside and no place.
            taken = pa.array(codes[rows])
            for name, column in values.items():
                batch[f"{level}_{name}"] = column.take(taken)
        yield pa.RecordBatch.from_pydict(
            {name: _single(values) for name, values in batch.items()}
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


def _single(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _unsorted_columns(dataset: Dataset) -> dict[str, pa.Array | pa.ChunkedArray]:
    """:func:`event_table`'s columns up to the facet keys, in the events' order."""
    events = dataset.events
    n = len(events)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    start, end = _days(events["date_start"]), _days(events["date_end"])
    for column in EVENT_COLUMNS:
        if column in ("date_start", "date_end"):
            days = start if column == "date_start" else end
            columns[column] = pa.array(days, pa.int32()).cast(pa.date32())
        elif column in FATALITY_COLUMNS:
            columns[column] = pa.array(
                events[column].astype("Int64"), pa.int64(), from_pandas=True
            )
        else:
            columns[column] = _text(events[column])
    for column in SOURCE_EVENT_COLUMNS:
        if column == "source_row":
            values = (
                events[column].astype("Int64")
                if column in events
                else pd.Series(pd.NA, index=events.index, dtype="Int64")
            )
            columns[column] = pa.array(values, pa.int64(), from_pandas=True)
        elif column in events:
            columns[column] = _text(events[column])
        else:
            columns[column] = pa.array([""] * n, pa.string())
    for column in ("place_name", "country"):
        columns[column] = _text(events[column])
    for column in ("lat", "lon"):
        values = pd.to_numeric(events[column], errors="coerce").astype(float)
        columns[column] = pa.array(values.to_numpy(), pa.float64(), from_pandas=True)
    columns["day_start"] = pa.array(start, pa.int32())
    columns["day_end"] = pa.array(end, pa.int32())
    month = events["date_start"].dt.year * 12 + events["date_start"].dt.month - 1
    columns["month"] = pa.array(month.to_numpy(dtype=np.int32), pa.int32())
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
        empty = pa.array([""], pa.string())
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


def _meta(dataset: Dataset, key: str) -> dict:
    events = dataset.events
    months = data_months(events) if len(events) else []
    span = full_span(events) if len(events) else None
    bounds = event_bounds(events) if len(events) else None
    return {
        "version": STORE_VERSION,
        "key": key,
        "n_events": len(events),
        "months": [m.isoformat() for m in months],
        "default_span": (
            [span.start.isoformat(), span.end.isoformat()] if span else None
        ),
        "choices": {k: list(v) for k, v in facet_choices(events).items()},
        "bounds": list(bounds) if bounds else None,
        "levels": list(summary_levels(dataset.regions)),
        "longest_days": (
            int((_days(events["date_end"]) - _days(events["date_start"])).max())
            if len(events)
            else 0
        ),
        "event_columns": [c for c in SOURCE_EVENT_COLUMNS if c in events],
        "source_columns": (
            list(dataset.source_columns.columns)
            if dataset.source_columns is not None
            else []
        ),
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


@dataclass(frozen=True)
class Store:
    """A dataset's store on disk, with what needs no query: its meta data, its
    named places and its regions."""

    path: Path
    key: str
    meta: dict
    places: gpd.GeoDataFrame = field(repr=False)
    regions: gpd.GeoDataFrame = field(repr=False)

    @property
    def events_path(self) -> Path:
        return self.path / EVENTS_FILE

    def location(self, name: str) -> str:
        """Where the engine reads the store's file ``name``: under
        ``$IMU_GEO_STORE_URL`` when that is set (``s3a://bucket/imu-geo`` holding
        a copy of the store root), else in the store's own folder."""
        base = os.environ.get(STORE_URL_ENV_VAR, "").strip().rstrip("/")
        if base:
            return f"{base}/{self.key}/{name}"
        return str(self.path / name)

    @property
    def source_columns_path(self) -> Path | None:
        path = self.path / SOURCE_COLUMNS_FILE
        return path if self.meta["source_columns"] else None

    @property
    def table(self) -> str:
        """The engine's name for this store's events."""
        return f"events_{self.key}"

    @property
    def source_table(self) -> str:
        return f"source_{self.key}"

    @property
    def n_events(self) -> int:
        return int(self.meta["n_events"])

    @property
    def months(self) -> tuple[date, ...]:
        return tuple(date.fromisoformat(m) for m in self.meta["months"])

    @property
    def choices(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self.meta["choices"].items()}

    @property
    def default_spec(self) -> FilterSpec:
        span = self.meta["default_span"]
        if not span:
            today = date(1991, 1, 1)
            return FilterSpec(start=today, end=today)
        return FilterSpec(
            start=date.fromisoformat(span[0]), end=date.fromisoformat(span[1])
        )

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        bounds = self.meta["bounds"]
        return tuple(bounds) if bounds else None

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(self.meta["levels"])

    @cached_property
    def units(self) -> dict[str, Unit]:
        """The units a region filter may name, by id
        (:func:`imu_geo.filters.region_units` of the regions)."""
        return region_units(self.regions)

    @cached_property
    def vocabularies(self) -> dict[str, pd.DataFrame]:
        """Each vocabulary's table (:func:`imu_geo.method.vocabulary_tables`) over
        every event, as written with the store: read once per store (a store is
        never rewritten), and shared, so never mutated."""
        text = (self.path / VOCABULARIES_FILE).read_text(encoding="utf-8")
        return {k: pd.DataFrame(v) for k, v in json.loads(text).items()}


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.write_text(frame.to_json(drop_id=True), encoding="utf-8")


# A store being written lives in ".<key>.<random>" until it is renamed. One
# left that long untouched was abandoned by a process that died mid-write.
PARTIAL_IDLE_S = 6 * 3600


def sweep_partial_stores(root: Path, max_idle_s: float = PARTIAL_IDLE_S) -> int:
    """Delete the half-written stores under ``root`` that nothing has touched
    for ``max_idle_s`` (a write that was killed leaves one); return how many.

    Only folders named as :func:`write_store` names its work are touched, and
    only long after any write could still be running (a 1M-event store is
    written in well under a minute)."""
    root = Path(root)
    if not root.is_dir():
        return 0
    idle_before = time.time() - max_idle_s
    removed = 0
    for path in root.iterdir():
        key = path.name[1:].split(".", 1)[0]
        partial = path.name.startswith(".") and path.name.count(".") >= 2
        if not (partial and len(key) == KEY_CHARS and path.is_dir()):
            continue
        try:
            if path.stat().st_mtime < idle_before:
                shutil.rmtree(path)
                removed += 1
        except OSError:
            continue  # gone already, or another process's to remove
    return removed


def write_store(dataset: Dataset, key: str, root: Path | None = None) -> Store:
    """Write ``dataset`` as the store ``key`` under ``root`` and open it.

    An existing store of that key is kept as it is (the same key is the same
    content) and opened instead.
    """
    root = Path(root) if root is not None else default_root()
    final = root / key
    existing = open_store(key, root)
    if existing is not None:
        return existing
    root.mkdir(parents=True, exist_ok=True)
    sweep_partial_stores(root)
    work = Path(tempfile.mkdtemp(dir=root, prefix=f".{key}."))
    try:
        order = row_order(dataset.events)
        meta = _meta(dataset, key)
        _write_events(dataset, order, work)
        # Hand the batches' pages back, so that they do not add to what follows.
        pa.default_memory_pool().release_unused()
        if dataset.source_columns is not None:
            _write_source_columns(dataset, work, order)
        (work / META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            os.rename(work, final)
        except OSError:
            # Another process wrote the same store first: theirs is as good.
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    store = open_store(key, root)
    if store is None:
        raise OSError(f"the store {key} could not be written")
    return store


# Batches made but not yet written, at most: each holds a row group's rows.
_BATCHES_AHEAD = 2


def _write_events(dataset: Dataset, order: np.ndarray, work: Path) -> None:
    """Write the store's events file (:func:`event_batches`) and, meanwhile,
    its small files into ``work``."""

    def small_files() -> None:
        _write_geojson(dataset.places, work / PLACES_FILE)
        _write_geojson(dataset.regions, work / REGIONS_FILE)
        tables = vocabulary_tables(dataset.events)
        (work / VOCABULARIES_FILE).write_text(
            json.dumps({k: v.to_dict("records") for k, v in tables.items()}),
            encoding="utf-8",
        )

    _write_batches(
        work / EVENTS_FILE,
        event_batches(dataset, order),
        small_files,
        compression="zstd",
        write_statistics=True,
    )


def _write_batches(
    path: Path,
    batches: Iterator[pa.RecordBatch],
    meanwhile: Callable[[], None] | None = None,
    **options: object,
) -> None:
    """Write ``batches`` (the first one at least, empty when there is no row)
    to the Parquet file ``path``, a row group each, with the writer's
    ``options``; run ``meanwhile`` once the last batch is made.

    Arrow encodes and compresses a row group without the interpreter's lock,
    so one worker writes each batch while this thread makes the next."""
    writer: pq.ParquetWriter | None = None
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: deque = deque()
            for batch in batches:
                if writer is None:
                    writer = pq.ParquetWriter(path, batch.schema, **options)
                if not batch.num_rows:
                    continue  # no row: the file holds the columns alone
                if len(pending) >= _BATCHES_AHEAD:
                    pending.popleft().result()
                write = writer.write_batch
                pending.append(pool.submit(write, batch, row_group_size=ROW_GROUP_ROWS))
            if meanwhile is not None:
                meanwhile()
            for written in pending:
                written.result()
    finally:
        # Every write has ended (the pool waits for them): the file is closed
        # once, on success or failure alike.
        if writer is not None:
            writer.close()


def _write_source_columns(dataset: Dataset, work: Path, order: np.ndarray) -> None:
    """The file's own columns in the store's row order (``order``, as
    :func:`row_order` gives it), with ``row_id``, written a row group at a
    time as the events are (:func:`_write_batches`)."""
    kept = dataset.source_columns
    columns = [_single(_text(kept[c].reset_index(drop=True))) for c in kept.columns]

    def batches() -> Iterator[pa.RecordBatch]:
        for _, indices, row_ids in _row_groups(order):
            arrays = {"row_id": row_ids}
            for number, column in enumerate(columns):
                arrays[f"c{number}"] = column.take(indices)
            yield pa.RecordBatch.from_pydict(arrays)

    _write_batches(work / SOURCE_COLUMNS_FILE, batches())


def remove_store(path: Path) -> None:
    """Delete a store's folder (nothing when it is already gone)."""
    shutil.rmtree(path, ignore_errors=True)


def remove_stale_stores(root: Path, max_age_s: float) -> int:
    """Delete the stores under ``root`` not opened for ``max_age_s`` seconds
    (:func:`open_store` marks a store opened); how many were deleted."""
    removed = 0
    now = time.time()
    for path in Path(root).glob("*"):
        meta = path / META_FILE
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            opened = meta.stat().st_mtime
        except OSError:
            continue
        if now - opened > max_age_s:
            remove_store(path)
            removed += 1
    return removed


def open_store(key: str, root: Path | None = None) -> Store | None:
    """The store ``key`` under ``root``, or None when there is none (or it was
    written by another version of the format)."""
    root = Path(root) if root is not None else default_root()
    path = root / key
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("version") != STORE_VERSION or meta.get("key") != key:
        return None
    try:
        os.utime(path / META_FILE)  # opened now: see remove_stale_stores
    except OSError:
        pass
    places = gpd.read_file(path / PLACES_FILE)
    if "place_id" not in places:
        # No named place (every event has its own point): an empty collection
        # has no properties to name the columns.
        places = gpd.GeoDataFrame(
            {c: pd.Series(dtype=str) for c in PLACE_PROPERTIES},
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        )
    regions = gpd.read_file(path / REGIONS_FILE)
    return Store(path, key, meta, places, regions)


def folder_store_key(directory: Path, root: Path | None = None) -> str:
    """The key of a data folder's store.

    The bundled folder is keyed by its files alone. Any other folder also gets
    the world's units where its own regions do not reach (see
    :func:`open_folder`), so its key covers the world files too: new world
    files give a new store. Both keys are remembered per file stamp
    (:func:`folder_key`), so a restart reads no file to find them.
    """
    key = folder_key(directory, root)
    if Path(directory).resolve() == BUNDLED_DATA_DIR.resolve():
        return key
    world_key = folder_key(world.WORLD_DIR, root)
    return content_key([key.encode(), world_key.encode()], "folder with world")


def _is_bundled(directory: Path) -> bool:
    return Path(directory).resolve() == BUNDLED_DATA_DIR.resolve()


def folder_dataset(directory: Path, dataset: Dataset) -> Dataset:
    """The dataset a folder's store is written from: ``dataset`` (the folder
    loaded) with the world's units where its own regions do not reach, for any
    folder but the bundled one (:func:`imu_geo.world.complete_regions`)."""
    if _is_bundled(directory):
        return dataset
    regions = world.complete_regions(
        dataset.regions, dataset.places, points=dataset.events
    )
    return replace(dataset, regions=regions)


def write_folder_store(directory: Path, dataset: Dataset) -> Store:
    """Write a data folder's store inside the folder, under
    :data:`FOLDER_STORE_DIR`, from ``dataset``: the folder as
    :func:`imu_geo.data.load_dataset` loads it, already in memory.

    An import writes its folder's files and then this, so that the folder's
    first opening (:func:`open_folder`) takes the store as it is instead of
    reading the events again and writing the store itself. The store is keyed
    as :func:`folder_store_key` keys the folder, from the files' bytes;
    :data:`FOLDER_STORE_FILE` holds that key with the files' stamp (name, size,
    modification time), so a folder changed since is never paired with it. An
    earlier copy is replaced.
    """
    directory = Path(directory)
    if _is_bundled(directory):
        raise ValueError("the bundled data folder has no store of its own")
    own = directory / FOLDER_STORE_DIR
    shutil.rmtree(own, ignore_errors=True)
    files = _folder_files(directory)
    stamp = _stamp(files)
    file_key = content_key(files, "folder")
    world_key = content_key(_folder_files(world.WORLD_DIR), "folder")
    key = content_key([file_key.encode(), world_key.encode()], "folder with world")
    store = write_store(folder_dataset(directory, dataset), key, own)
    record = {"stamp": stamp, "world": world_key, "key": key}
    _write_atomic(own / FOLDER_STORE_FILE, json.dumps(record).encode())
    return store


def _folder_store(directory: Path, root: Path | None) -> str | None:
    """The key of the store a folder holds (:func:`write_folder_store`) when its
    files and the world's are as they were when it was written, else None."""
    if _is_bundled(directory):
        return None
    own = Path(directory) / FOLDER_STORE_DIR
    try:
        record = json.loads((own / FOLDER_STORE_FILE).read_text(encoding="utf-8"))
        key = str(record["key"])
        if record["stamp"] != _stamp(_folder_files(directory)):
            return None
        if record["world"] != folder_key(world.WORLD_DIR, root):
            return None
        meta = json.loads((own / key / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if meta.get("version") != STORE_VERSION or meta.get("key") != key:
        return None
    return key


def _adopt(source: Path, key: str, root: Path | None) -> Store | None:
    """Put the store folder ``source`` in the store root as the store ``key``:
    its files linked (copied where a link cannot be made), under a temporary
    name first, so that a reader never sees half a store."""
    root = Path(root) if root is not None else default_root()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=root, prefix=f".{key}."))
    try:
        for path in source.iterdir():
            try:
                os.link(path, work / path.name)
            except OSError:
                shutil.copyfile(path, work / path.name)
        try:
            os.rename(work, root / key)
        except OSError:
            # Another process put the same store there first: theirs is as good.
            shutil.rmtree(work, ignore_errors=True)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        return None
    return open_store(key, root)


def open_folder(
    directory: Path,
    root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Store:
    """The store of a data folder: opened when it exists, without reading the
    events; else the folder is validated, loaded and written once.

    A folder other than the bundled one gets the world's units for the places
    its own regions do not reach (:func:`imu_geo.world.complete_regions`). A
    folder that holds its own store, written by the import that wrote it
    (:func:`write_folder_store`) and with its files unchanged since, has that
    store put in ``root`` as it is: nothing is read or computed again.
    ``progress``, when given, is told in a short sentence before each slow step
    (loading the folder, writing the store); it is not called when the store
    exists.

    Raises
    ------
    imu_geo.data.DataError
        When the folder fails validation; nothing is written.
    """
    directory = Path(directory)
    own = _folder_store(directory, root)
    key = own if own is not None else folder_store_key(directory, root)
    store = open_store(key, root)
    if store is not None:
        return store
    if own is not None:
        store = _adopt(directory / FOLDER_STORE_DIR / own, own, root)
        if store is not None:
            return store
    if progress is not None:
        progress(f"Reading and checking {directory.name}…")
    dataset = folder_dataset(directory, load_dataset(directory))
    if progress is not None:
        progress(f"Writing {len(dataset.events):,} events to the store…")
    return write_store(dataset, key, root)


def read_dataset(store: Store) -> Dataset:
    """A store's events read back into memory as a :class:`Dataset`, in the
    store's order: only to overlay an upload on the atlas, which needs both
    side by side."""
    present = list(store.meta.get("event_columns", ()))
    columns = [*EVENT_COLUMNS, *present, "place_name", "lat", "lon", "country"]
    events = pq.read_table(store.events_path, columns=columns).to_pandas()
    for column in ("date_start", "date_end"):
        events[column] = pd.to_datetime(events[column])
    for column in (*FATALITY_COLUMNS, *(c for c in present if c == "source_row")):
        events[column] = events[column].astype("Int64")
    kept = None
    names = store.meta["source_columns"]
    if names:
        kept = pq.read_table(
            store.path / SOURCE_COLUMNS_FILE,
            columns=[f"c{n}" for n in range(len(names))],
        ).to_pandas()
        kept.columns = names
    return Dataset(store.path, events, store.places, store.regions, kept)

"""Writing a dataset as a store: the events file a row group at a time, the
source columns the same way, the small files and the meta data, in a folder
renamed into place once whole."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from imu_geo.data import Dataset
from imu_geo.filters import data_months, facet_choices, full_span
from imu_geo.layers import event_bounds
from imu_geo.method import vocabulary_tables
from imu_geo.schema import SOURCE_EVENT_COLUMNS
from imu_geo.store.keys import (
    EVENTS_FILE,
    META_FILE,
    PLACES_FILE,
    REGIONS_FILE,
    SOURCE_COLUMNS_FILE,
    STORE_VERSION,
    VOCABULARIES_FILE,
    default_root,
)
from imu_geo.store.stores import Store, open_store, sweep_partial_stores
from imu_geo.store.table import (
    ROW_GROUP_ROWS,
    _days,
    _gatherable,
    _row_groups,
    _single,
    _text,
    event_batches,
    row_order,
    summary_levels,
    take_rows,
)


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


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.write_text(frame.to_json(drop_id=True), encoding="utf-8")


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
    columns = [
        _gatherable(_single(_text(kept[c].reset_index(drop=True))))
        for c in kept.columns
    ]

    def batches() -> Iterator[pa.RecordBatch]:
        for _, indices, row_ids in _row_groups(order):
            arrays = {"row_id": row_ids}
            for number, column in enumerate(columns):
                arrays[f"c{number}"] = take_rows(column, indices)
            yield pa.RecordBatch.from_pydict(arrays)

    _write_batches(work / SOURCE_COLUMNS_FILE, batches())

"""A store on disk (:class:`Store`): opening one, reading its events back, and
removing stores that are stale or were left half-written."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

from imu_geo.data import Dataset
from imu_geo.filters import FilterSpec, Unit, region_units
from imu_geo.schema import EVENT_COLUMNS, FATALITY_COLUMNS, PLACE_PROPERTIES
from imu_geo.store.keys import (
    EVENTS_FILE,
    KEY_CHARS,
    META_FILE,
    PLACES_FILE,
    REGIONS_FILE,
    SOURCE_COLUMNS_FILE,
    STORE_URL_ENV_VAR,
    STORE_VERSION,
    VOCABULARIES_FILE,
    default_root,
)


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

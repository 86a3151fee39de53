"""A store on disk (``imu_geo.store.stores``), on store folders written here by
hand: the meta data, places, regions and events each test expects are the ones
it wrote."""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from shapely.geometry import Point, box

from imu_geo.filters import FilterSpec, Unit
from imu_geo.schema import EVENT_COLUMNS, PLACE_PROPERTIES
from imu_geo.store import stores
from imu_geo.store.keys import (
    KEY_CHARS,
    META_FILE,
    PLACES_FILE,
    REGIONS_FILE,
    STORE_ENV_VAR,
    STORE_URL_ENV_VAR,
    STORE_VERSION,
)

KEY = "0123456789abcdef0123"
OTHER = "fedcba9876543210fedc"
assert len(KEY) == len(OTHER) == KEY_CHARS

META = {
    "version": STORE_VERSION,
    "key": KEY,
    "n_events": 3,
    "months": ["2001-01-01", "2001-03-01"],
    "choices": {"layer": ["attack", "arrest"], "country": []},
    "default_span": ["2001-01-05", "2001-03-31"],
    "bounds": [66.5, 37.0, 71.25, 42.0],
    "levels": ["country", "admin1"],
    "source_columns": ["Source ID", "Remark"],
    "event_columns": ["source_row"],
}

PLACES = gpd.GeoDataFrame(
    {
        "place_id": ["tashkent", "osh"],
        "name": ["Tashkent", "Osh"],
        "alt_names": ["Toshkent", ""],
        "kind": ["city", "city"],
        "country": ["UZ", "KG"],
        "admin1": ["UZ-TK", "KG-O"],
    },
    geometry=[Point(69.25, 41.3), Point(72.8, 40.5)],
    crs="EPSG:4326",
)
REGIONS = gpd.GeoDataFrame(
    {
        "region_id": ["UZ", "UZ-TK", "UZ-TK", "FV", "XX"],
        "name": ["Uzbekistan", "Tashkent", "Tashkent again", "Fergana", "Other"],
        "level": ["country", "admin1", "admin1", "valley", "district"],
        "country": ["UZ", "UZ", "UZ", "UZ|KG", "UZ"],
    },
    geometry=[box(56, 37, 73, 46), box(69, 41, 70, 42), box(69, 41, 70, 42)]
    + [box(70, 40, 73, 41.5), box(60, 40, 61, 41)],
    crs="EPSG:4326",
)


def _store(tmp_path: Path, meta: dict | None = None) -> stores.Store:
    return stores.Store(
        tmp_path / KEY, KEY, META if meta is None else meta, PLACES, REGIONS
    )


def _write_store(root: Path, key: str = KEY, meta: dict | None = None) -> Path:
    """A store folder: its meta data, places and regions."""
    path = root / key
    path.mkdir(parents=True)
    (path / META_FILE).write_text(json.dumps({**META, "key": key, **(meta or {})}))
    (path / PLACES_FILE).write_text(PLACES.to_json())
    (path / REGIONS_FILE).write_text(REGIONS.to_json())
    return path


def _aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


# --- what a Store says of itself ------------------------------------------------


def test_a_stores_names_and_paths(tmp_path):
    store = _store(tmp_path)
    assert store.events_path == tmp_path / KEY / "events.parquet"
    assert store.table == f"events_{KEY}"
    assert store.source_table == f"source_{KEY}"
    assert store.source_columns_path == tmp_path / KEY / "source_columns.parquet"
    without = _store(tmp_path, {**META, "source_columns": []})
    assert without.source_columns_path is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, "{path}/places.geojson"),
        ("", "{path}/places.geojson"),
        ("   ", "{path}/places.geojson"),
        ("s3a://bucket/imu-geo", f"s3a://bucket/imu-geo/{KEY}/places.geojson"),
        (" s3a://bucket/imu-geo// ", f"s3a://bucket/imu-geo/{KEY}/places.geojson"),
        # Only slashes are taken off the end, not a letter before them.
        ("s3a://BOX/", f"s3a://BOX/{KEY}/places.geojson"),
        ("s3a://bucket/X", f"s3a://bucket/X/{KEY}/places.geojson"),
    ],
)
def test_a_stores_file_is_read_under_the_store_url_when_one_is_set(
    tmp_path, monkeypatch, url, expected
):
    if url is None:
        monkeypatch.delenv(STORE_URL_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(STORE_URL_ENV_VAR, url)
    store = _store(tmp_path)
    assert store.location("places.geojson") == expected.format(path=tmp_path / KEY)


def test_a_stores_meta_data_typed():
    store = _store(Path("/nowhere"))
    assert store.n_events == 3
    assert isinstance(_store(Path("/n"), {**META, "n_events": "12"}).n_events, int)
    assert store.months == (date(2001, 1, 1), date(2001, 3, 1))
    assert store.choices == {"layer": ("attack", "arrest"), "country": ()}
    assert store.bounds == (66.5, 37.0, 71.25, 42.0)
    assert store.levels == ("country", "admin1")


def test_the_default_spec_is_the_stores_span():
    store = _store(Path("/nowhere"))
    assert store.default_spec == FilterSpec(
        start=date(2001, 1, 5), end=date(2001, 3, 31)
    )


def test_a_store_without_events_has_no_bounds_and_a_one_day_spec():
    store = _store(Path("/nowhere"), {**META, "default_span": [], "bounds": []})
    assert store.bounds is None
    assert store.default_spec == FilterSpec(
        start=date(1991, 1, 1), end=date(1991, 1, 1)
    )
    assert _store(Path("/n"), {**META, "bounds": None}).bounds is None


def test_a_stores_units_are_its_regions_named_once_at_a_filter_level():
    # UZ-TK twice is left out; a district is no level a filter names.
    assert _store(Path("/nowhere")).units == {
        "UZ": Unit("UZ", "country", "Uzbekistan"),
        "FV": Unit("FV", "valley", "Fergana"),
    }


def test_a_stores_vocabularies_are_read_from_its_file(tmp_path):
    (tmp_path / KEY).mkdir()
    (tmp_path / KEY / "vocabularies.json").write_text(
        json.dumps(
            {
                "layer": {"code": ["attack", "arrest"], "events": [2, 1]},
                "täter": {"code": ["IMU"], "events": [3]},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    tables = _store(tmp_path).vocabularies
    assert list(tables) == ["layer", "täter"]
    pd.testing.assert_frame_equal(
        tables["layer"], pd.DataFrame({"code": ["attack", "arrest"], "events": [2, 1]})
    )
    assert tables["täter"].to_dict("list") == {"code": ["IMU"], "events": [3]}


# --- sweeping half-written stores ------------------------------------------------


def test_every_abandoned_partial_store_is_counted(tmp_path):
    for suffix in ("a1", "b2", "c3.d4"):
        (tmp_path / f".{KEY}.{suffix}").mkdir()
        _aged(tmp_path / f".{KEY}.{suffix}", 120)
    (tmp_path / f".{KEY}").mkdir()  # one dot: not a partial store's name
    _aged(tmp_path / f".{KEY}", 120)
    (tmp_path / f".{KEY}0.e5").mkdir()  # a key one character too long
    _aged(tmp_path / f".{KEY}0.e5", 120)
    (tmp_path / f"x{KEY}.f6").mkdir()  # no leading dot
    _aged(tmp_path / f"x{KEY}.f6", 120)
    (tmp_path / f".{KEY}.recent").mkdir()
    _aged(tmp_path / f".{KEY}.recent", 30)
    assert stores.sweep_partial_stores(tmp_path, max_idle_s=60) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".{KEY}", f".{KEY}0.e5", f"x{KEY}.f6", f".{KEY}.recent"]
    )


def test_sweeping_waits_six_hours_by_default(tmp_path):
    young = tmp_path / f".{KEY}.young"
    young.mkdir()
    _aged(young, 6 * 3600 - 120)
    old = tmp_path / f".{KEY}.old"
    old.mkdir()
    _aged(old, 6 * 3600 + 120)
    assert stores.sweep_partial_stores(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == [young.name]


def test_sweeping_a_root_given_as_text(tmp_path):
    (tmp_path / f".{KEY}.a1").mkdir()
    _aged(tmp_path / f".{KEY}.a1", 120)
    assert stores.sweep_partial_stores(str(tmp_path), 60) == 1
    assert stores.sweep_partial_stores(tmp_path / "missing", 60) == 0


# --- removing stores ------------------------------------------------------------


def test_removing_a_store_and_one_already_gone(tmp_path):
    path = _write_store(tmp_path)
    stores.remove_store(path)
    assert not path.exists()
    stores.remove_store(path)  # gone already: nothing to do, no error
    assert list(tmp_path.iterdir()) == []


def test_stores_not_opened_for_the_age_given_are_removed(tmp_path):
    old = _write_store(tmp_path, KEY)
    _aged(old / META_FILE, 120)
    recent = _write_store(tmp_path, OTHER)
    _aged(recent / META_FILE, 30)
    partial = tmp_path / f".{KEY}.a1"  # being written: not a store yet
    partial.mkdir()
    _aged(partial, 1000)
    no_meta = tmp_path / "folder"
    no_meta.mkdir()
    (tmp_path / "keys.json").write_text("{}")
    _aged(tmp_path / "keys.json", 1000)
    assert stores.remove_stale_stores(tmp_path, max_age_s=60) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [OTHER, partial.name, "folder", "keys.json"]
    )
    assert stores.remove_stale_stores(str(tmp_path), max_age_s=60) == 0
    assert stores.remove_stale_stores(tmp_path, max_age_s=10) == 1
    assert not recent.exists()


def test_two_stale_stores_are_counted_and_a_dotted_one_is_kept(tmp_path):
    for key in (KEY, OTHER):
        _aged(_write_store(tmp_path, key) / META_FILE, 120)
    hidden = _write_store(tmp_path, "." + KEY)
    _aged(hidden / META_FILE, 120)
    assert stores.remove_stale_stores(tmp_path, 60) == 2
    assert [p.name for p in tmp_path.iterdir()] == [hidden.name]


# --- opening a store ------------------------------------------------------------


def test_opening_a_store_reads_its_meta_places_and_regions_and_marks_it(tmp_path):
    path = _write_store(tmp_path)
    _aged(path / META_FILE, 1000)
    store = stores.open_store(KEY, tmp_path)
    assert store is not None
    assert (store.path, store.key) == (path, KEY)
    assert store.meta == META
    assert store.places["place_id"].tolist() == ["tashkent", "osh"]
    assert store.places["name"].tolist() == ["Tashkent", "Osh"]
    assert store.regions["region_id"].tolist() == REGIONS["region_id"].tolist()
    assert time.time() - (path / META_FILE).stat().st_mtime < 60


def test_opening_a_store_under_the_default_root(tmp_path, monkeypatch):
    _write_store(tmp_path)
    monkeypatch.setenv(STORE_ENV_VAR, str(tmp_path))
    store = stores.open_store(KEY)
    assert store is not None and store.path == tmp_path / KEY
    store = stores.open_store(KEY, str(tmp_path))
    assert store is not None and store.path == tmp_path / KEY


@pytest.mark.parametrize(
    "meta",
    [
        {"version": STORE_VERSION + 1},
        {"version": STORE_VERSION - 1},
        {"key": OTHER},
    ],
)
def test_a_store_of_another_version_or_key_is_not_opened(tmp_path, meta):
    _write_store(tmp_path, KEY, meta)
    assert stores.open_store(KEY, tmp_path) is None


def test_a_store_without_a_version_or_key_is_not_opened(tmp_path):
    for name in ("version", "key"):
        path = tmp_path / name
        _write_store(path)
        written = json.loads((path / KEY / META_FILE).read_text())
        del written[name]
        (path / KEY / META_FILE).write_text(json.dumps(written))
        assert stores.open_store(KEY, path) is None


@pytest.mark.parametrize("text", [None, "", "{not json", "\xff\xfe"])
def test_a_store_whose_meta_cannot_be_read_is_not_opened(tmp_path, text):
    path = _write_store(tmp_path)
    if text is None:
        (path / META_FILE).unlink()
    else:
        (path / META_FILE).write_bytes(text.encode("latin-1"))
    assert stores.open_store(KEY, tmp_path) is None
    assert stores.open_store(OTHER, tmp_path) is None


def test_a_store_without_named_places_has_the_place_columns_empty(tmp_path):
    path = _write_store(tmp_path)
    (path / PLACES_FILE).write_text('{"type": "FeatureCollection", "features": []}')
    store = stores.open_store(KEY, tmp_path)
    assert store is not None
    assert list(store.places.columns) == [*PLACE_PROPERTIES, "geometry"]
    assert len(store.places) == 0
    assert store.places.crs.to_epsg() == 4326
    # Text, as the columns of a store with places are read.
    with_places = gpd.read_file(_write_store(tmp_path / "other") / PLACES_FILE)
    for column in PLACE_PROPERTIES:
        assert store.places[column].dtype == with_places[column].dtype


# --- reading a store's events back ------------------------------------------------


def _events_table() -> pa.Table:
    columns = {c: ["x", "y"] for c in EVENT_COLUMNS}
    columns["event_id"] = ["e1", "e2"]
    columns["date_start"] = ["2001-01-05", "2001-03-01"]
    columns["date_end"] = ["2001-01-06", "2001-03-31"]
    columns["fatalities_low"] = pa.array([1, None], pa.float64())
    columns["fatalities_best"] = pa.array([2.0, None], pa.float64())
    columns["fatalities_high"] = pa.array([None, 7.0], pa.float64())
    columns["source_row"] = pa.array([4.0, None], pa.float64())
    columns["place_name"] = ["Tashkent", ""]
    columns["lat"] = [41.3, None]
    columns["lon"] = [69.25, None]
    columns["country"] = ["UZ", ""]
    columns["search_text"] = ["kept out", "kept out"]  # a column of the store only
    return pa.table(columns)


def test_a_stores_events_read_back_typed_in_its_order(tmp_path):
    path = _write_store(tmp_path)
    pq.write_table(_events_table(), path / "events.parquet")
    pq.write_table(
        pa.table({"c0": ["S-1", "S-2"], "c1": ["", "late"], "c2": ["a", "b"]}),
        path / "source_columns.parquet",
    )
    store = stores.open_store(KEY, tmp_path)
    dataset = stores.read_dataset(store)
    events = dataset.events
    assert list(events.columns) == [
        *EVENT_COLUMNS,
        "source_row",
        "place_name",
        "lat",
        "lon",
        "country",
    ]
    assert events["event_id"].tolist() == ["e1", "e2"]
    assert events["date_start"].tolist() == [
        pd.Timestamp(2001, 1, 5),
        pd.Timestamp(2001, 3, 1),
    ]
    assert events["date_end"].tolist() == [
        pd.Timestamp(2001, 1, 6),
        pd.Timestamp(2001, 3, 31),
    ]
    for column, values in [
        ("fatalities_low", [1, pd.NA]),
        ("fatalities_best", [2, pd.NA]),
        ("fatalities_high", [pd.NA, 7]),
        ("source_row", [4, pd.NA]),
    ]:
        assert events[column].dtype == "Int64"
        assert events[column].tolist() == values
    assert events["lat"].tolist()[0] == 41.3
    assert dataset.directory == path
    assert dataset.places is store.places
    assert dataset.regions is store.regions
    assert dataset.source_columns.to_dict("list") == {
        "Source ID": ["S-1", "S-2"],
        "Remark": ["", "late"],
    }


def test_a_store_without_source_columns_reads_back_without_them(tmp_path):
    path = _write_store(tmp_path, meta={"source_columns": [], "event_columns": []})
    pq.write_table(_events_table(), path / "events.parquet")
    dataset = stores.read_dataset(stores.open_store(KEY, tmp_path))
    assert dataset.source_columns is None
    assert "source_row" not in dataset.events
    assert dataset.events["fatalities_high"].dtype == "Int64"


def test_a_store_written_before_event_columns_were_listed_reads_back(tmp_path):
    path = _write_store(tmp_path, meta={"source_columns": []})
    written = json.loads((path / META_FILE).read_text())
    del written["event_columns"]
    (path / META_FILE).write_text(json.dumps(written))
    pq.write_table(_events_table(), path / "events.parquet")
    dataset = stores.read_dataset(stores.open_store(KEY, tmp_path))
    assert list(dataset.events.columns) == [
        *EVENT_COLUMNS,
        "place_name",
        "lat",
        "lon",
        "country",
    ]


def test_a_partial_store_that_cannot_be_removed_is_passed_over(tmp_path, monkeypatch):
    # Another process removes it first: the sweep goes on to the others.
    names = [f".{KEY}.a{i}" for i in range(4)]
    for name in names:
        (tmp_path / name).mkdir()
        _aged(tmp_path / name, 120)
    removing = shutil.rmtree
    refused = []

    def rmtree(path, *args, **kwargs):
        if not refused:
            refused.append(Path(path).name)
            raise FileNotFoundError(path)
        removing(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert stores.sweep_partial_stores(tmp_path, 60) == 3
    assert [p.name for p in tmp_path.iterdir()] == refused


NOW = 1_700_000_000  # a fixed clock, in whole seconds (exact as a float)


def _stamped(path: Path, seconds: int) -> Path:
    os.utime(path, ns=(seconds * 10**9, seconds * 10**9))
    return path


def test_a_partial_store_idle_exactly_the_time_given_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(time, "time", lambda: float(NOW))
    _stamped(_mkdir(tmp_path / f".{KEY}.edge"), NOW - 60)
    _stamped(_mkdir(tmp_path / f".{KEY}.past"), NOW - 61)
    assert stores.sweep_partial_stores(tmp_path, 60) == 1
    assert [p.name for p in tmp_path.iterdir()] == [f".{KEY}.edge"]


def test_a_store_opened_exactly_the_age_given_ago_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(time, "time", lambda: float(NOW))
    _stamped(_write_store(tmp_path, KEY) / META_FILE, NOW - 60)
    _stamped(_write_store(tmp_path, OTHER) / META_FILE, NOW - 61)
    assert stores.remove_stale_stores(tmp_path, 60) == 1
    assert [p.name for p in tmp_path.iterdir()] == [KEY]


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path

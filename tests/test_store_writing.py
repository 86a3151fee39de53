"""Writing a dataset as a store (``imu_geo.store.writing``), from a data folder of
three events written here, each expected value worked out by hand from the
rows: the meta data (months, span, choices, bounds, longest span in days), the
files and their order, and what a write that fails or races leaves behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imu_geo.data import load_dataset
from imu_geo.store import table, writing
from imu_geo.store.keys import STORE_ENV_VAR, STORE_VERSION
from tests.helpers import (
    SQUARE_KG,
    SQUARE_UZ,
    event_row,
    place_feature,
    region_feature,
    write_dataset,
)

KEY = "0123456789abcdef0123"
OTHER = "fedcba9876543210fedc"

# In date order: a-2000 (starts first), c-2001 (ends on 10 March), b-2001.
ROWS = [
    event_row(
        event_id="b-2001",
        date_start="2001-03-10",
        date_end="2001-03-12",
        date_precision="range",
        actors="IMU;Taliban",
        title="Second",
    ),
    event_row(
        event_id="a-2000",
        date_start="2000-11-05",
        date_end="2001-01-20",
        date_precision="range",
        attribution="claimed",
        title="First",
    ),
    event_row(
        event_id="c-2001",
        date_start="2001-03-10",
        date_end="2001-03-10",
        date_precision="day",
        place_id="osh",
        title="Third",
    ),
]
PLACES = [
    place_feature("tashkent", 69.25, 41.25, "UZ"),
    place_feature("osh", 72.75, 40.5, "KG"),
]
REGIONS = [
    region_feature("UZ", "UZ", SQUARE_UZ),
    region_feature("KG", "KG", SQUARE_KG),
    region_feature("FV", "UZ|KG", SQUARE_KG, level="valley"),
]
STORE_ORDER = ["a-2000", "c-2001", "b-2001"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = write_dataset(tmp_path_factory.mktemp("atlas"), ROWS, PLACES, REGIONS)
    return load_dataset(folder)


@pytest.fixture(autouse=True)
def default_root(tmp_path, monkeypatch):
    monkeypatch.setenv(STORE_ENV_VAR, str(tmp_path / "default-root"))
    return tmp_path / "default-root"


def _meta(store_path: Path) -> dict:
    return json.loads((store_path / "meta.json").read_text(encoding="utf-8"))


def test_meta_data_of_three_events(dataset, tmp_path):
    before = datetime.now(UTC).replace(microsecond=0)
    store = writing.write_store(dataset, KEY, tmp_path / "root")
    after = datetime.now(UTC)
    meta = _meta(tmp_path / "root" / KEY)
    written = meta.pop("written")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", written)
    stamp = datetime.strptime(written, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= after
    assert meta == {
        "version": STORE_VERSION,
        "key": KEY,
        "n_events": 3,
        "months": [
            "2000-11-01",
            "2000-12-01",
            "2001-01-01",
            "2001-02-01",
            "2001-03-01",
        ],
        "default_span": ["2000-11-01", "2001-03-31"],
        "choices": {
            "types": ["bombing"],
            "actors": ["IMU", "Taliban"],
            "countries": ["KG", "UZ"],
            "source_types": [],
        },
        "bounds": [69.25, 40.5, 72.75, 41.25],
        "levels": ["country", "valley"],
        # 5 November 2000 to 20 January 2001: 25 + 31 + 20 days.
        "longest_days": 76,
        "event_columns": [],
        "source_columns": [],
    }
    assert store.key == KEY and store.path == tmp_path / "root" / KEY
    # Indented by one space a level.
    text = (tmp_path / "root" / KEY / "meta.json").read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["{", ' "version": 2,']


def test_written_is_in_utc_whatever_the_local_time(dataset, tmp_path, monkeypatch):
    # Five hours east of Greenwich all year: a local time would be off by 5 h.
    monkeypatch.setenv("TZ", "Asia/Tashkent")
    time.tzset()
    try:
        before = datetime.now(UTC).replace(microsecond=0)
        writing.write_store(dataset, KEY, tmp_path)
        after = datetime.now(UTC)
    finally:
        monkeypatch.undo()
        time.tzset()
    written = _meta(tmp_path / KEY)["written"]
    stamp = datetime.strptime(written, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= after


def test_meta_data_of_no_event(dataset, tmp_path):
    empty = replace(dataset, events=dataset.events.iloc[0:0])
    writing.write_store(empty, KEY, tmp_path)
    meta = _meta(tmp_path / KEY)
    del meta["written"]
    assert meta == {
        "version": STORE_VERSION,
        "key": KEY,
        "n_events": 0,
        "months": [],
        "default_span": None,
        "choices": {"types": [], "actors": [], "countries": [], "source_types": []},
        "bounds": None,
        "levels": ["country", "valley"],
        "longest_days": 0,
        "event_columns": [],
        "source_columns": [],
    }
    assert pq.read_table(tmp_path / KEY / "events.parquet").num_rows == 0


def test_meta_data_without_points(dataset, tmp_path):
    unplaced = dataset.events.assign(lat=float("nan"), lon=float("nan"))
    writing.write_store(replace(dataset, events=unplaced), KEY, tmp_path)
    assert _meta(tmp_path / KEY)["bounds"] is None


def with_source(dataset):
    events = dataset.events.assign(
        source_row=pd.array([7, 3, None], dtype="Int64"),
        source_id=["s-b", "s-a", "s-c"],
    )
    kept = pd.DataFrame(
        {"Remark": ["second", None, "third"], "Source ID": ["S2", "S1", "S3"]}
    )
    return replace(dataset, events=events, source_columns=kept)


def test_meta_data_names_the_source_columns(dataset, tmp_path):
    writing.write_store(with_source(dataset), KEY, tmp_path)
    meta = _meta(tmp_path / KEY)
    assert meta["event_columns"] == ["source_id", "source_row"]
    assert meta["source_columns"] == ["Remark", "Source ID"]


def test_events_are_written_in_date_order(dataset, tmp_path):
    writing.write_store(with_source(dataset), KEY, tmp_path)
    path = tmp_path / KEY / "events.parquet"
    events = pq.read_table(path).to_pydict()
    assert events["event_id"] == STORE_ORDER
    assert events["row_id"] == [0, 1, 2]
    assert events["source_row"] == [3, None, 7]
    assert events["source_id"] == ["s-a", "s-c", "s-b"]
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_row_groups == 1
    for column in range(metadata.num_columns):
        chunk = metadata.row_group(0).column(column)
        assert chunk.compression == "ZSTD"
        assert chunk.is_stats_set


def test_source_columns_are_written_in_store_order(dataset, tmp_path):
    writing.write_store(with_source(dataset), KEY, tmp_path)
    kept = pq.read_table(tmp_path / KEY / "source_columns.parquet")
    assert kept.column_names == ["row_id", "c0", "c1"]
    assert kept.to_pydict() == {
        "row_id": [0, 1, 2],
        "c0": ["", "third", "second"],
        "c1": ["S1", "S3", "S2"],
    }


def test_no_source_columns_file_without_them(dataset, tmp_path):
    writing.write_store(dataset, KEY, tmp_path)
    names = sorted(p.name for p in (tmp_path / KEY).iterdir())
    assert names == [
        "events.parquet",
        "meta.json",
        "places.geojson",
        "regions.geojson",
        "vocabularies.json",
    ]


def test_source_columns_a_row_group_at_a_time(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(table, "ROW_GROUP_ROWS", 2)
    monkeypatch.setattr(writing, "ROW_GROUP_ROWS", 2)
    writing.write_store(with_source(dataset), KEY, tmp_path)
    for name in ("events.parquet", "source_columns.parquet"):
        metadata = pq.ParquetFile(tmp_path / KEY / name).metadata
        sizes = [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)]
        assert sizes == [2, 1]
    kept = pq.read_table(tmp_path / KEY / "source_columns.parquet").to_pydict()
    assert kept["row_id"] == [0, 1, 2]
    assert kept["c1"] == ["S1", "S3", "S2"]


def test_small_files(dataset, tmp_path):
    writing.write_store(dataset, KEY, tmp_path)
    path = tmp_path / KEY
    places = json.loads((path / "places.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["place_id"] for f in places["features"]] == [
        "tashkent",
        "osh",
    ]
    assert [f["geometry"]["coordinates"] for f in places["features"]] == [
        [69.25, 41.25],
        [72.75, 40.5],
    ]
    regions = json.loads((path / "regions.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["region_id"] for f in regions["features"]] == [
        "UZ",
        "KG",
        "FV",
    ]
    for feature in places["features"] + regions["features"]:
        assert "id" not in feature
    vocabularies = json.loads((path / "vocabularies.json").read_text("utf-8"))
    attribution = vocabularies["attribution"]
    assert [row["value"] for row in attribution] == [
        "claimed",
        "attributed",
        "suspected",
    ]
    assert [row["events"] for row in attribution] == [1, 2, 0]
    assert [row["example"] for row in attribution] == [
        "a-2000: First",
        "b-2001: Second",  # the same day as c-2001: the first id
        "",
    ]
    precision = {row["value"]: row["events"] for row in vocabularies["date_precision"]}
    assert (precision["day"], precision["range"], precision["year"]) == (1, 2, 0)


# --- where it is written, and what is left behind --------------------------------


def test_written_under_the_default_root(dataset, default_root):
    store = writing.write_store(dataset, KEY)
    assert store.path == default_root / KEY
    assert _meta(default_root / KEY)["key"] == KEY


def test_written_under_a_root_not_made_yet(dataset, tmp_path):
    root = tmp_path / "a" / "b"
    writing.write_store(dataset, KEY, root)
    assert sorted(p.name for p in root.iterdir()) == [KEY]


def test_an_existing_store_is_opened_not_written(dataset, tmp_path):
    writing.write_store(dataset, KEY, tmp_path)
    meta = tmp_path / KEY / "meta.json"
    first = meta.read_text(encoding="utf-8")
    # The same key is the same content: fewer events are not written over it.
    fewer = replace(dataset, events=dataset.events.iloc[:1])
    store = writing.write_store(fewer, KEY, tmp_path)
    assert store.meta["n_events"] == 3
    assert meta.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEY]


def test_an_existing_store_is_opened_without_reading_the_dataset(dataset, tmp_path):
    writing.write_store(dataset, KEY, tmp_path)
    # A write's leftovers are swept only by a write: this one is kept.
    left = tmp_path / f".{OTHER}.abandoned"
    left.mkdir()
    then = time.time() - 7 * 3600
    os.utime(left, (then, then))
    unreadable = replace(dataset, events=None, places=None, regions=None)
    store = writing.write_store(unreadable, KEY, tmp_path)
    assert store.path == tmp_path / KEY and store.meta["n_events"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([KEY, left.name])


def test_a_write_sweeps_what_a_killed_write_left(dataset, tmp_path):
    left = tmp_path / f".{OTHER}.abandoned"
    left.mkdir()
    then = time.time() - 7 * 3600
    os.utime(left, (then, then))
    writing.write_store(dataset, KEY, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEY]


def test_the_store_is_written_under_a_name_of_its_own_first(
    dataset, tmp_path, monkeypatch
):
    renamed = []
    real_rename = os.rename

    def rename(old, new):
        renamed.append((Path(old), Path(new), sorted(os.listdir(old))))
        real_rename(old, new)

    monkeypatch.setattr(writing.os, "rename", rename)
    writing.write_store(dataset, KEY, tmp_path)
    [(old, new, held)] = renamed
    assert new == tmp_path / KEY
    assert old.parent == tmp_path
    assert old.name.startswith(f".{KEY}.") and len(old.name) > len(KEY) + 2
    assert held == [
        "events.parquet",
        "meta.json",
        "places.geojson",
        "regions.geojson",
        "vocabularies.json",
    ]


def test_a_store_another_process_wrote_first_is_taken(dataset, tmp_path, monkeypatch):
    real_rename = os.rename

    def rename(old, new):
        # Another process finishes the same store just before this one.
        shutil.copytree(old, new)
        (Path(new) / "theirs").write_text("")
        real_rename(old, new)

    monkeypatch.setattr(writing.os, "rename", rename)
    store = writing.write_store(dataset, KEY, tmp_path)
    assert store.path == tmp_path / KEY
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEY]
    assert (tmp_path / KEY / "theirs").exists()


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failed_write_leaves_nothing(dataset, tmp_path, monkeypatch, error):
    def fail(*args):
        raise error("stopped")

    monkeypatch.setattr(writing, "_write_source_columns", fail)
    with pytest.raises(error):
        writing.write_store(with_source(dataset), KEY, tmp_path)
    assert list(tmp_path.iterdir()) == []


def no_removal(monkeypatch):
    """Files and folders can no longer be removed (a disk gone read-only)."""

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "unlink", refuse)
    monkeypatch.setattr(os, "rmdir", refuse)


def test_theirs_is_taken_when_this_copy_cannot_be_removed(
    dataset, tmp_path, monkeypatch
):
    real_rename = os.rename

    def rename(old, new):
        shutil.copytree(old, new)
        real_rename(old, new)

    monkeypatch.setattr(writing.os, "rename", rename)
    no_removal(monkeypatch)
    store = writing.write_store(dataset, KEY, tmp_path)
    monkeypatch.undo()
    assert store.path == tmp_path / KEY
    left = [p.name for p in tmp_path.iterdir() if p.name != KEY]
    assert len(left) == 1 and left[0].startswith(f".{KEY}.")


def test_a_failure_is_raised_as_it_is_when_nothing_can_be_removed(
    dataset, tmp_path, monkeypatch
):
    def fail(*args):
        raise RuntimeError("stopped")

    monkeypatch.setattr(writing, "_write_source_columns", fail)
    no_removal(monkeypatch)
    with pytest.raises(RuntimeError, match="^stopped$"):
        writing.write_store(with_source(dataset), KEY, tmp_path)


def test_a_store_that_cannot_be_opened_after_writing(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "open_store", lambda key, root=None: None)
    with pytest.raises(OSError, match=f"^the store {KEY} could not be written$"):
        writing.write_store(dataset, KEY, tmp_path)


# --- batches written a row group at a time ----------------------------------------


def _batch(values: list[int]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict({"n": pa.array(values, pa.int64())})


def _groups(path: Path) -> list[list[int]]:
    file = pq.ParquetFile(path)
    return [
        file.read_row_group(g).column("n").to_pylist()
        for g in range(file.metadata.num_row_groups)
    ]


def test_each_batch_is_a_row_group_and_empty_ones_are_skipped(tmp_path):
    steps = []

    def batches():
        for values in ([1, 2, 3], [], [4, 5], []):
            steps.append(f"made {values}")
            yield _batch(values)

    writing._write_batches(
        tmp_path / "f.parquet", batches(), lambda: steps.append("meanwhile")
    )
    assert _groups(tmp_path / "f.parquet") == [[1, 2, 3], [4, 5]]
    assert steps == ["made [1, 2, 3]", "made []", "made [4, 5]", "made []", "meanwhile"]


def test_a_batch_longer_than_a_row_group_is_split(tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "ROW_GROUP_ROWS", 2)
    writing._write_batches(tmp_path / "f.parquet", iter([_batch([1, 2, 3, 4, 5])]))
    assert _groups(tmp_path / "f.parquet") == [[1, 2], [3, 4], [5]]


def test_an_empty_first_batch_gives_the_columns_alone(tmp_path):
    writing._write_batches(tmp_path / "f.parquet", iter([_batch([])]))
    file = pq.ParquetFile(tmp_path / "f.parquet")
    assert file.metadata.num_row_groups == 0
    assert file.schema_arrow.names == ["n"]


def test_no_batch_writes_no_file_but_runs_meanwhile(tmp_path):
    steps = []
    writing._write_batches(tmp_path / "f.parquet", iter([]), lambda: steps.append(1))
    assert steps == [1]
    assert not (tmp_path / "f.parquet").exists()


def test_the_writers_options_are_passed_on(tmp_path):
    writing._write_batches(
        tmp_path / "f.parquet", iter([_batch([1])]), compression="gzip"
    )
    chunk = pq.ParquetFile(tmp_path / "f.parquet").metadata.row_group(0).column(0)
    assert chunk.compression == "GZIP"


def test_a_failure_closes_the_file_with_what_was_written(tmp_path):
    def batches():
        yield _batch([1, 2])
        yield _batch([3])
        raise RuntimeError("no more")

    with pytest.raises(RuntimeError, match="no more"):
        writing._write_batches(tmp_path / "f.parquet", batches())
    assert _groups(tmp_path / "f.parquet") == [[1, 2], [3]]


def test_at_most_two_batches_wait_to_be_written(tmp_path, monkeypatch):
    written = []
    lock = threading.Lock()

    class SlowWriter(pq.ParquetWriter):
        def write_batch(self, batch, row_group_size=None):
            time.sleep(0.05)
            super().write_batch(batch, row_group_size=row_group_size)
            with lock:
                written.append(batch.num_rows)

    monkeypatch.setattr(writing.pq, "ParquetWriter", SlowWriter)
    seen = []

    def batches():
        for number in range(6):
            with lock:
                seen.append((number, len(written)))
            yield _batch([number])

    writing._write_batches(tmp_path / "f.parquet", batches())
    # Batch i is made once batch i - 3 is written: at most two are pending.
    for number, count in seen:
        assert count >= number - 2, seen
    assert _groups(tmp_path / "f.parquet") == [[n] for n in range(6)]

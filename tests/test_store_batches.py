"""The store's events file written a row group at a time.

The store is written batch by batch (:func:`imu_geo.store.event_batches`), so
the table sorted whole never exists. Here the row group is made a few rows
long, so that the atlas's events span many batches, and the file is checked
against pandas: the order, the ids, the row groups and each row's search text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.filters import SEARCH_COLUMNS
from imu_geo.importers import import_file, write_import
from imu_geo.store import content_key, write_store
from imu_geo.store import table as store_table

ROWS = 5


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    dataset = load_dataset(BUNDLED_DATA_DIR)
    root = tmp_path_factory.mktemp("stores")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_table, "ROW_GROUP_ROWS", ROWS)
        store = write_store(dataset, content_key([b"batches"]), root)
    return dataset, pq.ParquetFile(store.events_path)


def test_every_row_group_but_the_last_is_full(written):
    dataset, file = written
    n = len(dataset.events)
    sizes = [
        file.metadata.row_group(g).num_rows for g in range(file.metadata.num_row_groups)
    ]
    full, rest = divmod(n, ROWS)
    assert n > 8 * ROWS  # the atlas spans many batches, the last one short
    assert rest
    assert sizes == [ROWS] * full + ([rest] if rest else [])


def test_rows_are_in_date_then_id_order_with_consecutive_ids(written):
    dataset, file = written
    table = file.read(columns=["row_id", "event_id", "day_start"]).to_pandas()
    expected = dataset.events.sort_values(
        ["date_start", "date_end", "event_id"], kind="stable"
    )["event_id"]
    assert table["event_id"].tolist() == expected.tolist()
    assert table["row_id"].tolist() == list(range(len(expected)))


def test_row_groups_do_not_overlap_in_days(written):
    # What lets the engine skip a row group by date.
    _, file = written
    bounds = []
    for group in range(file.metadata.num_row_groups):
        column = file.metadata.row_group(group).column(
            file.schema_arrow.get_field_index("day_start")
        )
        bounds.append((column.statistics.min, column.statistics.max))
    for (_, high), (low, _) in zip(bounds, bounds[1:], strict=False):
        assert high <= low


def test_each_rows_search_text_joins_its_columns_casefolded(written):
    dataset, file = written
    table = file.read(columns=["event_id", "search"]).to_pandas()
    events = dataset.events.set_index("event_id")
    for event_id, search in zip(table["event_id"], table["search"], strict=True):
        row = events.loc[event_id]
        texts = [event_id if c == "event_id" else row[c] for c in SEARCH_COLUMNS]
        cells = ["" if pd.isna(t) else str(t) for t in texts]
        assert search == " ".join(cells).casefold()


@pytest.mark.parametrize(
    ("columns", "values", "codes"),
    [
        # Two aligned columns: positions 0 and 2 are one entry.
        (
            [["a", "b", "a", "c"], ["x", "y", "x", "x"]],
            [["a", "b", "c"], ["x", "y", "x"]],
            [0, 1, 0, 2],
        ),
        # A missing value and an empty one are different entries.
        (
            [[None, "", None, ""], ["u", "u", "u", "u"]],
            [[None, ""], ["u", "u"]],
            [0, 1, 0, 1],
        ),
        # Equal in one column is not enough.
        ([["a", "a", "a"], ["1", "2", "1"]], [["a", "a"], ["1", "2"]], [0, 1, 0]),
        # One column, every entry its own.
        ([["p", "q", "r"]], [["p", "q", "r"]], [0, 1, 2]),
    ],
)
def test_distinct_entries(columns, values, codes):
    arrays = [np.array(column, dtype=object) for column in columns]
    got_values, got_codes = store_table._distinct_entries(arrays)
    assert [list(v) for v in got_values] == values
    assert got_codes.tolist() == codes


def test_source_columns_are_written_in_store_order_a_group_at_a_time(tmp_path):
    name = "acled_2016_api.csv"
    payload = (Path(__file__).parent / "fixtures" / "layouts" / name).read_bytes()
    write_import(import_file(name, payload), tmp_path / "folder")
    dataset = load_dataset(tmp_path / "folder")
    kept = dataset.source_columns
    assert kept is not None and len(kept) > 2 * 2
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_table, "ROW_GROUP_ROWS", 2)
        store = write_store(dataset, content_key([b"source"]), tmp_path / "stores")
    file = pq.ParquetFile(store.source_columns_path)
    sizes = [
        file.metadata.row_group(g).num_rows for g in range(file.metadata.num_row_groups)
    ]
    assert sizes[:-1] == [2] * (len(sizes) - 1) and sum(sizes) == len(kept)
    source = file.read().to_pandas()
    events = pq.read_table(store.events_path, columns=["row_id", "event_id"])
    row_ids, event_ids = events["row_id"].to_pylist(), events["event_id"].to_pylist()
    ids = dict(zip(row_ids, event_ids, strict=True))
    position = {e: i for i, e in enumerate(dataset.events["event_id"])}
    assert source["row_id"].tolist() == list(range(len(kept)))
    for row in source.itertuples(index=False):
        expected = kept.iloc[position[ids[row.row_id]]].tolist()
        assert list(row)[1:] == expected

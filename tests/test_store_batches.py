"""The store's events file written a row group at a time.

The store is written batch by batch (:func:`imu_geo.store.event_batches`), so
the table sorted whole never exists. Here the row group is made a few rows
long, so that the atlas's events span many batches, and the file is checked
against pandas: the order, the ids, the row groups and each row's search text.
The sample that decides which text columns are taken through a dictionary is
made a few rows long too, so that both ways of taking rows are written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.filters import SEARCH_COLUMNS
from imu_geo.importers import import_file, write_import
from imu_geo.store import content_key, write_store
from imu_geo.store import table as store_table

ROWS = 5
SAMPLE = 10
# Of a sample of about ten rows: a column of three layers is taken through a
# dictionary, one of a title per event is not.
SHARE = 0.5


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    dataset = load_dataset(BUNDLED_DATA_DIR)
    root = tmp_path_factory.mktemp("stores")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_table, "ROW_GROUP_ROWS", ROWS)
        patch.setattr(store_table, "_SAMPLE_ROWS", SAMPLE)
        patch.setattr(store_table, "DICTIONARY_SHARE", SHARE)
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


def test_each_text_column_holds_the_events_values_in_date_order(written):
    dataset, file = written
    expected = dataset.events.sort_values(
        ["date_start", "date_end", "event_id"], kind="stable"
    )
    table = file.read().to_pandas()
    columns = ["layer", "event_type", "date_precision", "geo_precision", "title"]
    columns += ["actors", "place_id", "place_name", "country", "description"]
    for column in columns:
        want = ["" if pd.isna(v) else str(v) for v in expected[column]]
        assert table[column].tolist() == want, column
        # Plain text in the file, whichever way its rows were taken.
        assert file.schema_arrow.field(column).type == pa.string(), column
    # Both ways of taking rows were used: a column of few values, and one of
    # a value per event.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_table, "_SAMPLE_ROWS", SAMPLE)
        patch.setattr(store_table, "DICTIONARY_SHARE", SHARE)
        layer = store_table._gatherable(store_table._text(expected["layer"]))
        title = store_table._gatherable(store_table._text(expected["title"]))
    assert pa.types.is_dictionary(layer.type)
    assert pa.types.is_string(title.type)


def _cells(n: int, distinct: int, nulls: bool = False) -> list[str | None]:
    # Rows 2j and 2j + 1 hold the same value, so the sample of every second
    # row below sees every one of the ``distinct`` values.
    cells: list[str | None] = [f"v{(i // 2) % distinct}" for i in range(n)]
    if nulls:
        cells[::7] = [None] * len(cells[::7])
    return cells


@pytest.mark.parametrize(
    ("cells", "dictionary"),
    [
        # 40,000 rows, a sample of every second one: 20,000, of which 5% is
        # 1,000 distinct values, the most taken through a dictionary.
        (_cells(40_000, 1_000), True),
        (_cells(40_000, 1_001), False),
        (_cells(40_000, 3, nulls=True), True),
        # A missing value counts as a value of its own: 999 and it make 1,000.
        (_cells(40_000, 999, nulls=True), True),
        (_cells(40_000, 1_000, nulls=True), False),
        # Too short to be worth it.
        (_cells(39_999, 2), False),
        ([str(i) for i in range(50_000)], False),
    ],
)
def test_which_text_columns_are_taken_through_a_dictionary(cells, dictionary):
    values = pa.array(cells, pa.string())
    made = store_table._gatherable(values)
    assert pa.types.is_dictionary(made.type) is dictionary
    if not dictionary:
        assert made is values
    positions = np.random.default_rng(5).permutation(len(cells))[:3_000]
    taken = store_table.take_rows(made, pa.array(positions))
    assert taken.type == pa.string()
    assert taken.to_pylist() == [cells[p] for p in positions]


def test_columns_other_than_text_are_taken_as_they_are():
    numbers = pa.array(np.arange(60_000) % 3, pa.int64())
    assert store_table._gatherable(numbers) is numbers
    taken = store_table.take_rows(numbers, pa.array([5, 0, 59_999]))
    assert taken.to_pylist() == [2, 0, 2]  # 59,999 = 3 × 19,999 + 2


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
        patch.setattr(store_table, "_SAMPLE_ROWS", 2)
        patch.setattr(store_table, "DICTIONARY_SHARE", 1.0)
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

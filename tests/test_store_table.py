"""The events as a store holds them (``imu_geo.store.table``), on four events
written here, each column's expected values worked out by hand from the rows:
day numbers counted with the calendar, months as ``year * 12 + month - 1``, the
facet keys delimited at both ends, the search text joined and casefolded, and
each summary level's row by the rules of ``imu_geo.summaries.units``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from imu_geo.data import load_dataset
from imu_geo.store import table
from tests.helpers import (
    SQUARE_KG,
    SQUARE_UZ,
    event_row,
    place_feature,
    region_feature,
    write_dataset,
)

EPOCH = date(1970, 1, 1)
VALLEY = [[[70.0, 40.0], [74.0, 40.0], [74.0, 42.0], [70.0, 42.0], [70.0, 40.0]]]

ROWS = [
    event_row(
        event_id="b",
        date_start="2001-03-10",
        date_end="2001-03-12",
        date_precision="range",
        actors=" IMU ; Taliban",
        title="Straße",
        source_quote="At Tashkent.",
        target="",
        fatalities_low="1",
        fatalities_best="2",
        fatalities_high="",
        notes="N",
    ),
    event_row(
        event_id="a",
        date_start="2000-11-05",
        date_end="2001-01-20",
        date_precision="range",
        place_id="osh",
        geo_precision="province",
        actors="IMU",
        title="At OSH",
        description="D",
        source_quote="Q",
        target="T",
        fatalities_low="",
        fatalities_best="",
        fatalities_high="",
    ),
    event_row(
        event_id="c",
        date_start="2001-03-10",
        date_end="2001-03-10",
        date_precision="day",
        place_id="far",
        title="Far",
        source_quote="Q",
    ),
    event_row(
        event_id="d",
        date_start="1969-12-31",
        date_end="1969-12-31",
        date_precision="day",
        layer="context",
        event_type="statement",
        place_id="",
        geo_precision="",
        place_origin="",
        actors="IMU",
        title="ΣΊΣΥΦΟΣ",
        source_quote="Q",
    ),
]
PLACES = [
    place_feature("tashkent", 69.25, 41.25, "UZ"),
    place_feature("osh", 72.75, 40.5, "KG"),
    place_feature("far", 100.0, 10.0, "TH"),
]
REGIONS = [
    region_feature("UZ", "UZ", SQUARE_UZ),
    region_feature("KG", "KG", SQUARE_KG),
    region_feature("FV", "UZ|KG", VALLEY, level="valley"),
]
# By date_start, date_end, then event_id.
STORE_ORDER = ["d", "a", "c", "b"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = write_dataset(tmp_path_factory.mktemp("atlas"), ROWS, PLACES, REGIONS)
    loaded = load_dataset(folder)
    # Cells a data folder must fill, left empty, as an import may leave them.
    events = loaded.events.copy()
    events.loc[events["event_id"] != "a", "description"] = ""
    events.loc[events["event_id"] == "c", "actors"] = ""
    return replace(loaded, events=events)


def days(day: str) -> int:
    return (date.fromisoformat(day) - EPOCH).days


def test_every_column_of_the_store(dataset):
    stored = table.event_table(dataset).to_pydict()
    assert stored["row_id"] == [0, 1, 2, 3]
    assert stored["event_id"] == STORE_ORDER
    assert stored["date_start"] == [
        date(1969, 12, 31),
        date(2000, 11, 5),
        date(2001, 3, 10),
        date(2001, 3, 10),
    ]
    assert stored["date_end"] == [
        date(1969, 12, 31),
        date(2001, 1, 20),
        date(2001, 3, 10),
        date(2001, 3, 12),
    ]
    assert stored["day_start"] == [-1, days("2000-11-05"), 11391, 11391]
    assert stored["day_end"] == [-1, days("2001-01-20"), 11391, days("2001-03-12")]
    assert days("2001-03-10") == 11391
    assert stored["month"] == [1969 * 12 + 11, 2000 * 12 + 10, 2001 * 12 + 2] + [
        2001 * 12 + 2
    ]
    assert stored["fatalities_low"] == [16, None, 16, 1]
    assert stored["fatalities_best"] == [16, None, 16, 2]
    assert stored["fatalities_high"] == [16, None, 16, None]
    assert stored["layer"] == ["context", "attack", "attack", "attack"]
    assert stored["place_id"] == ["", "osh", "far", "tashkent"]
    assert stored["notes"] == ["", "", "", "N"]
    assert stored["target"] == ["", "T", "", ""]
    assert stored["place_name"] == ["", "Osh", "Far", "Tashkent"]
    assert stored["country"] == ["", "KG", "TH", "UZ"]
    assert stored["lat"] == [None, 40.5, 10.0, 41.25]
    assert stored["lon"] == [None, 72.75, 100.0, 69.25]
    # No column of the source: empty text, and no row number.
    for column in ("source_id", "source_event_type", "source_sub_event_type"):
        assert stored[column] == ["", "", "", ""]
    assert stored["source_row"] == [None, None, None, None]
    assert stored["actor_keys"] == [";IMU;", ";IMU;", ";;", ";IMU;Taliban;"]
    assert stored["country_keys"] == ["||", "|KG|", "|TH|", "|UZ|"]
    assert stored["search"] == [
        "σίσυφοσ  q  imu   d",
        "at osh d q osh imu t  a",
        "far  q far    c",
        "strasse  at tashkent. tashkent  imu ; taliban  n b",
    ]


def test_unit_columns_of_each_level(dataset):
    stored = table.event_table(dataset).to_pydict()
    # d has no place; a is at Osh (in Kyrgyzstan, in the valley, but coded
    # province: too coarse to be placed in the valley); c lies in no unit;
    # b is in Uzbekistan, west of the valley.
    expected = {
        "country": (
            ["no_place", "unit", "outside", "unit"],
            ["", "KG", "", "UZ"],
            ["", "", "", ""],
            ["", "", "", ""],
        ),
        "valley": (
            ["no_place", "coarser", "outside", "outside"],
            ["", "", "", ""],
            ["", "osh", "", ""],
            ["", "province", "", ""],
        ),
        "admin1": (
            ["no_place", "outside", "outside", "outside"],
            ["", "", "", ""],
            ["", "", "", ""],
            ["", "", "", ""],
        ),
    }
    for level, (status, region, place, precision) in expected.items():
        assert stored[f"{level}_status"] == status, level
        assert stored[f"{level}_region"] == region, level
        assert stored[f"{level}_place"] == place, level
        assert stored[f"{level}_precision"] == precision, level


def test_missing_unit_values_are_stored_empty(dataset, monkeypatch):
    def unit_key_codes(events, places, regions, level):
        # Two entries: a unit, and a row without one whose other keys are missing.
        values = {
            "status": np.array(["unit", "no_place"], dtype=object),
            "region_id": np.array(["UZ", None], dtype=object),
            "_place": np.array([None, None], dtype=object),
            "_precision": np.array([None, None], dtype=object),
        }
        return values, np.array([0, 1, 0, 1])

    monkeypatch.setattr(table, "unit_key_codes", unit_key_codes)
    stored = table.event_table(dataset).to_pydict()
    # Events b, a, c, d are entries 0, 1, 0, 1; stored as d, a, c, b.
    assert stored["country_status"] == ["no_place", "no_place", "unit", "unit"]
    assert stored["country_region"] == ["", "", "UZ", "UZ"]
    assert stored["country_place"] == ["", "", "", ""]
    assert stored["country_precision"] == ["", "", "", ""]


def test_column_names_and_types(dataset):
    schema = table.event_table(dataset).schema
    names = schema.names
    assert names[:2] == ["row_id", "event_id"]
    assert names[-13:] == [
        "search",
        "country_status",
        "country_region",
        "country_place",
        "country_precision",
        "admin1_status",
        "admin1_region",
        "admin1_place",
        "admin1_precision",
        "valley_status",
        "valley_region",
        "valley_place",
        "valley_precision",
    ]
    assert schema.field("date_start").type == pa.date32()
    assert schema.field("day_start").type == pa.int32()
    assert schema.field("month").type == pa.int32()
    assert schema.field("fatalities_best").type == pa.int64()
    assert schema.field("source_row").type == pa.int64()
    assert schema.field("lat").type == pa.float64()
    assert schema.field("title").type == pa.string()
    assert schema.field("country_status").type == pa.string()


# The store's columns that are not text, and their types: day numbers and
# months in 32 bits, counts and row numbers in 64, coordinates as doubles.
# Every other column is text.
NOT_TEXT = {
    "row_id": pa.int64(),
    "date_start": pa.date32(),
    "date_end": pa.date32(),
    "fatalities_low": pa.int64(),
    "fatalities_best": pa.int64(),
    "fatalities_high": pa.int64(),
    "source_row": pa.int64(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    "day_start": pa.int32(),
    "day_end": pa.int32(),
    "month": pa.int32(),
}


@pytest.mark.parametrize("rows", [slice(None), slice(0, 0)], ids=["events", "none"])
def test_every_column_has_the_stores_type(dataset, rows):
    some = replace(dataset, events=dataset.events.iloc[rows])
    schema = table.event_table(some).schema
    assert set(NOT_TEXT) <= set(schema.names)
    for field in schema:
        assert field.type == NOT_TEXT.get(field.name, pa.string()), field.name


def test_dates_with_a_time_of_day_are_stored_as_their_day(dataset):
    # The last minute of a day is still that day, before 1970 too.
    late = {
        "a": "2000-11-05 23:59",
        "b": "2001-03-10 12:00",
        "c": "2001-03-10 00:01",
        "d": "1969-12-31 23:59",
    }
    ids = dataset.events["event_id"]
    events = dataset.events.assign(
        date_start=pd.to_datetime(ids.map(late)),
        date_end=pd.to_datetime(ids.map(late)),
    )
    stored = table.event_table(replace(dataset, events=events)).to_pydict()
    days = [date(1969, 12, 31), date(2000, 11, 5), date(2001, 3, 10), date(2001, 3, 10)]
    assert stored["date_start"] == days
    assert stored["date_end"] == days
    assert stored["day_start"] == [-1, 11266, 11391, 11391]


def test_schema_in_the_order_given():
    assert table._schema(["title", "month", "lat", "country_region"]) == pa.schema(
        [
            ("title", pa.string()),
            ("month", pa.int32()),
            ("lat", pa.float64()),
            ("country_region", pa.string()),
        ]
    )


def test_coordinates_given_as_text_are_cast_and_a_word_is_refused(dataset):
    given = {"a": "41.25", "b": None, "c": "40.5", "d": "39"}
    events = dataset.events.assign(lat=dataset.events["event_id"].map(given))
    stored = table.event_table(replace(dataset, events=events)).to_pydict()
    by_id = dict(zip(stored["event_id"], stored["lat"], strict=True))
    assert by_id == {"a": 41.25, "b": None, "c": 40.5, "d": 39.0}
    events = events.assign(lat=events["lat"].fillna("north"))
    with pytest.raises(pa.ArrowInvalid):
        table.event_table(replace(dataset, events=events))


def test_source_columns_of_an_import(dataset):
    events = dataset.events.assign(
        source_row=pd.array([4, None, 2, 3], dtype="Int64"),
        source_id=["s-b", None, "s-c", "s-d"],
        source_event_type=["Riots", "Battles", "", "Protests"],
    )
    stored = table.event_table(
        type(dataset)(dataset.directory, events, dataset.places, dataset.regions)
    ).to_pydict()
    assert stored["source_row"] == [3, None, 2, 4]
    assert stored["source_id"] == ["s-d", "", "s-c", "s-b"]
    assert stored["source_event_type"] == ["Protests", "Battles", "", "Riots"]
    assert stored["source_sub_event_type"] == ["", "", "", ""]


def test_whole_numbers_past_float_precision_are_kept(dataset):
    # 2**53 + 1 is the first whole number a float64 cannot hold.
    big = 2**53 + 1
    events = dataset.events.assign(
        fatalities_high=pd.array([big, None, 16, 16], dtype="Int64"),
        source_row=pd.array([big + 2, 1, None, 2], dtype="Int64"),
    )
    stored = table.event_table(replace(dataset, events=events)).to_pydict()
    assert stored["fatalities_high"] == [16, None, 16, 9007199254740993]
    assert stored["source_row"] == [2, 1, None, 9007199254740995]


def test_no_event_gives_one_empty_batch(dataset):
    empty = type(dataset)(
        dataset.directory, dataset.events.iloc[0:0], dataset.places, dataset.regions
    )
    batches = list(table.event_batches(empty))
    assert len(batches) == 1
    assert batches[0].num_rows == 0
    assert "country_status" in batches[0].schema.names
    # Typed as a store with events is, source columns and all.
    schema = batches[0].schema
    for name in ("source_id", "source_event_type", "title", "country_status"):
        assert schema.field(name).type == pa.string(), name
    for name, kind in (
        ("source_row", pa.int64()),
        ("fatalities_best", pa.int64()),
        ("date_start", pa.date32()),
        ("day_start", pa.int32()),
        ("month", pa.int32()),
        ("lat", pa.float64()),
    ):
        assert schema.field(name).type == kind, name


def test_batches_of_a_row_group_each_in_store_order(dataset, monkeypatch):
    monkeypatch.setattr(table, "ROW_GROUP_ROWS", 3)
    batches = list(table.event_batches(dataset))
    assert [b.num_rows for b in batches] == [3, 1]
    assert [b.column("event_id").to_pylist() for b in batches] == [
        ["d", "a", "c"],
        ["b"],
    ]
    assert [b.column("row_id").to_pylist() for b in batches] == [[0, 1, 2], [3]]
    assert batches[1].column("country_region").to_pylist() == ["UZ"]
    assert batches[1].column("search").to_pylist() == [
        "strasse  at tashkent. tashkent  imu ; taliban  n b"
    ]


def test_an_order_given_is_followed(dataset):
    # The events' own order (b, a, c, d), reversed.
    stored = table.event_table(dataset, np.array([3, 2, 1, 0])).to_pydict()
    assert stored["event_id"] == ["d", "c", "a", "b"]
    assert stored["country_region"] == ["", "", "KG", "UZ"]
    assert stored["row_id"] == [0, 1, 2, 3]


# --- the pieces -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stamps", "expected"),
    [
        (["1970-01-01"], [0]),
        (["1970-01-02"], [1]),
        (["1969-12-31"], [-1]),
        (["1969-12-31T23:59:59"], [-1]),
        (["2000-01-01T23:00"], [10957]),
        (["2000-01-01T23:59:59.999999999"], [10957]),
        (["2001-03-10", "1900-01-01"], [11391, -25567]),
    ],
)
def test_days(stamps, expected):
    result = table._days(pd.Series(pd.to_datetime(stamps)))
    assert result.tolist() == expected
    assert result.dtype == np.int32


def test_keys_of_missing_cells_hold_no_item_as_the_pandas_filter_reads_them():
    column = pd.Series(["IMU", float("nan"), "IMU", None], dtype=object)
    assert table._keys(column, ";").tolist() == [";IMU;", ";;", ";IMU;", ";;"]


@pytest.mark.parametrize(
    ("cells", "separator", "expected"),
    [
        (
            ["IMU;Taliban", " IMU ; ", "", "IMU;Taliban"],
            ";",
            [";IMU;Taliban;", ";IMU;", ";;", ";IMU;Taliban;"],
        ),
        (["UZ|KG", "KG"], "|", ["|UZ|KG|", "|KG|"]),
        (["a;b"], "|", ["|a;b|"]),
    ],
)
def test_keys(cells, separator, expected):
    column = pd.Series(cells, index=range(10, 10 + len(cells)))
    keys = table._keys(column, separator)
    assert keys.tolist() == expected
    assert keys.index.tolist() == list(range(10, 10 + len(cells)))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (pd.Series(["a", None, "c"], dtype=object), ["a", "", "c"]),
        (pd.Series([1, 2]), ["1", "2"]),
        (pd.Series(["x", None], dtype="string[pyarrow]"), ["x", ""]),
        (pd.Series(["y", None], dtype="string[python]"), ["y", ""]),
        (
            pd.Series(pd.array(["z", None], dtype=pd.ArrowDtype(pa.large_string()))),
            ["z", ""],
        ),
        (pd.Series([], dtype=object), []),
    ],
)
def test_text(values, expected):
    text = table._text(values)
    assert text.type == pa.string()
    assert text.to_pylist() == expected


@pytest.mark.parametrize("dtype", ["str", pd.ArrowDtype(pa.string())])
def test_text_of_an_arrow_column_is_not_copied(dtype):
    values = pd.Series(["abc", "de", "abc"], dtype=dtype)
    source = values.array.__arrow_array__()
    source = source.chunk(0) if isinstance(source, pa.ChunkedArray) else source
    text = table._text(values)
    assert text.to_pylist() == ["abc", "de", "abc"]
    # The characters are the column's own, not a copy of them.
    assert text.buffers()[2].address == source.buffers()[2].address


def test_search_text_uses_the_columns_given(dataset, monkeypatch):
    events = dataset.events
    given = {"title": pa.array(["T1", "T2", "T3", "ÉTÉ"], pa.string())}
    searched = table.search_text(events, given)
    assert isinstance(searched, pa.ChunkedArray)
    # The events' own order here: b, a, c, d.
    assert searched.to_pylist() == [
        "t1  at tashkent. tashkent  imu ; taliban  n b",
        "t2 d q osh imu t  a",
        "t3  q far    c",
        "été  q  imu   d",
    ]
    assert table.search_text(events).to_pylist()[0].startswith("strasse ")
    monkeypatch.setattr(table, "ROW_GROUP_ROWS", 3)
    pieces = table.search_text(events, given)
    assert [len(chunk) for chunk in pieces.chunks] == [3, 1]
    assert pieces.to_pylist() == searched.to_pylist()


def test_search_text_of_no_event(dataset):
    searched = table.search_text(dataset.events.iloc[0:0])
    assert searched.type == pa.string()
    assert searched.to_pylist() == []


def test_a_searched_column_the_store_does_not_keep(dataset, monkeypatch):
    searched = (*table.SEARCH_COLUMNS, "alias")
    monkeypatch.setattr(table, "SEARCH_COLUMNS", searched)
    events = dataset.events.assign(alias=["Bee", "Ay", None, "Dee"])
    batches = list(
        table.event_batches(replace(dataset, events=events), np.array([3, 1, 2, 0]))
    )
    [batch] = batches
    assert "alias" not in batch.schema.names
    assert batch.column("search").to_pylist() == [
        "σίσυφοσ  q  imu   d dee",
        "at osh d q osh imu t  a ay",
        "far  q far    c ",
        "strasse  at tashkent. tashkent  imu ; taliban  n b bee",
    ]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["ABC", "Straße", "ﬁx"], ["abc", "strasse", "fix"]),
        (["ΣΑΣ", "MiXeD 12"], ["σασ", "mixed 12"]),
        (["plain", "ASCII"], ["plain", "ascii"]),
        ([], []),
    ],
)
def test_casefolded(texts, expected):
    folded = table._casefolded(pa.chunked_array([pa.array(texts, pa.string())]))
    assert folded.to_pylist() == expected
    assert folded.to_pylist() == [t.casefold() for t in texts]


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["valley", "country", "valley"], ("country", "valley")),
        (["admin1", "district"], ("admin1",)),
        (["district"], ()),
        (["valley", "admin1", "country"], ("country", "admin1", "valley")),
    ],
)
def test_summary_levels(levels, expected):
    regions = pd.DataFrame({"level": levels})
    assert table.summary_levels(regions) == expected


def test_row_order():
    events = pd.DataFrame(
        {
            "event_id": ["b", "a", "c", "e", "d", "a2"],
            "date_start": pd.to_datetime(
                ["2001-03-10", "2001-03-10", "2001-03-10", "1999-01-01"]
                + ["2001-03-10", "2001-03-09"]
            ),
            "date_end": pd.to_datetime(
                ["2001-03-12", "2001-03-12", "2001-03-10", "2005-01-01"]
                + ["2001-03-11", "2001-03-20"]
            ),
        }
    )
    order = table.row_order(events)
    assert events["event_id"].iloc[order].tolist() == ["e", "a2", "c", "d", "a", "b"]


def test_row_group_positions_are_int64_for_any_order(monkeypatch):
    monkeypatch.setattr(table, "ROW_GROUP_ROWS", 2)
    groups = list(table._row_groups(np.array([2, 0, 1], dtype=np.int32)))
    assert [positions.to_pylist() for _, positions, _ in groups] == [[2, 0], [1]]
    assert [positions.type for _, positions, _ in groups] == [pa.int64()] * 2


@pytest.mark.parametrize(
    ("n", "size", "expected"),
    [
        (0, 2, [(0, 2, [], [])]),
        (0, 1, [(0, 1, [], [])]),
        (1, 2, [(0, 2, [40], [0])]),
        (5, 2, [(0, 2, [40, 41], [0, 1]), (2, 4, [42, 43], [2, 3]), (4, 6, [44], [4])]),
        (4, 2, [(0, 2, [40, 41], [0, 1]), (2, 4, [42, 43], [2, 3])]),
    ],
)
def test_row_groups(monkeypatch, n, size, expected):
    monkeypatch.setattr(table, "ROW_GROUP_ROWS", size)
    groups = list(table._row_groups(np.arange(40, 40 + n)))
    assert [
        (rows.start, rows.stop, positions.to_pylist(), row_ids.to_pylist())
        for rows, positions, row_ids in groups
    ] == expected
    for _, positions, row_ids in groups:
        assert positions.type == pa.int64()
        assert row_ids.type == pa.int64()


@pytest.mark.parametrize(
    ("cells", "dictionary"),
    [
        # Of 80 rows, every second is sampled: 40, of which at most 5% (2) may
        # be distinct for a dictionary.
        (["a", "b", "c", "d"] * 20, True),  # a and c sampled: 2 of 40
        (["a", "a", "b", "b"] * 20, True),
        (["a"] * 80, True),
        (["a"] * 79, False),  # under twice the sample
        # 84 rows: 42 sampled, of which 3 distinct (a, b, c), over 5%.
        (["a", "x", "b", "x", "c", "x"] * 14, False),
        # None, a and b sampled: a missing value counts as one more.
        ([None, "x", "a", "x", "b", "x", "a", "x"] * 10, False),
        # 120 rows: every third sampled, a and b.
        (["a", "a", "b", "b"] * 30, True),
        (["a", "x"] * 20 + ["b", "x"] * 20, True),
    ],
)
def test_gatherable(monkeypatch, cells, dictionary):
    monkeypatch.setattr(table, "_SAMPLE_ROWS", 40)
    values = pa.array(cells, pa.string())
    result = table._gatherable(values)
    assert pa.types.is_dictionary(result.type) == dictionary
    assert table.take_rows(result, pa.array(range(len(cells)))).to_pylist() == cells


def test_gatherable_keeps_other_columns(monkeypatch):
    monkeypatch.setattr(table, "_SAMPLE_ROWS", 40)
    numbers = pa.array([1, 2] * 40, pa.int64())
    assert table._gatherable(numbers) is numbers


def test_gatherable_at_its_own_sample_size():
    cells = ["a", "b"] * 20_000
    assert pa.types.is_dictionary(table._gatherable(pa.array(cells)).type)
    assert not pa.types.is_dictionary(table._gatherable(pa.array(cells[:-1])).type)


@pytest.mark.parametrize("encoded", [False, True])
def test_take_rows(encoded):
    values = pa.array(["x", "y", None, "x"], pa.string())
    if encoded:
        values = values.dictionary_encode()
    rows = table.take_rows(values, pa.array([3, 2, 1, 1]))
    assert rows.type == pa.string()
    assert rows.to_pylist() == ["x", None, "y", "y"]


def test_single():
    plain = pa.array([1, 2])
    assert table._single(plain) is plain
    joined = table._single(pa.chunked_array([[1], [2, 3], []]))
    assert isinstance(joined, pa.Array)
    assert joined.to_pylist() == [1, 2, 3]


@pytest.mark.parametrize(
    ("columns", "values", "codes"),
    [
        (
            [
                np.array(["a", "b", "a", "a"], dtype=object),
                np.array(["x", "x", "x", "y"], dtype=object),
            ],
            [["a", "b", "a"], ["x", "x", "y"]],
            [0, 1, 0, 2],
        ),
        (
            [np.array(["", None, "", None], dtype=object)],
            [["", None]],
            [0, 1, 0, 1],
        ),
        # A missing value is an entry of its own, never the last value of
        # the column before it.
        (
            [np.array(["a", "b"], dtype=object), np.array(["y", None], dtype=object)],
            [["a", "b"], ["y", None]],
            [0, 1],
        ),
        # Three values then two: (c, x) and (a, y) are different entries.
        (
            [
                np.array(["a", "b", "c", "a"], dtype=object),
                np.array(["x", "x", "x", "y"], dtype=object),
            ],
            [["a", "b", "c", "a"], ["x", "x", "x", "y"]],
            [0, 1, 2, 3],
        ),
        (
            [np.array(["u", "u"], dtype=object), np.array(["p", "q"], dtype=object)],
            [["u", "u"], ["p", "q"]],
            [0, 1],
        ),
    ],
)
def test_distinct_entries(columns, values, codes):
    found, coded = table._distinct_entries(columns)
    assert [list(column) for column in found] == values
    assert coded.tolist() == codes

"""Loading events into typed frames (``imu_geo.data``), case by case: typing,
own points, assembling with places, combining two datasets, and the errors.

Every expected value is written out by hand.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from imu_geo.data import (
    BUNDLED_DATA_DIR,
    CRS,
    DATA_ENV_VAR,
    DataError,
    Dataset,
    assemble_dataset,
    combine_datasets,
    default_data_dir,
    load_dataset,
    own_points,
    read_geography,
    type_events,
)
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.validate import Problem

from .helpers import event_row, write_dataset

TESTS_DIR = Path(__file__).resolve().parent


def _problem(n: int) -> Problem:
    return Problem("events.csv", n, "title", f"empty {n}")


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "d cannot be loaded: events.csv, row 1, column title: empty 1"),
        (
            3,
            "d cannot be loaded: events.csv, row 1, column title: empty 1; "
            "events.csv, row 2, column title: empty 2; "
            "events.csv, row 3, column title: empty 3",
        ),
        (
            4,
            "d cannot be loaded: events.csv, row 1, column title: empty 1; "
            "events.csv, row 2, column title: empty 2; "
            "events.csv, row 3, column title: empty 3 (and 1 more)",
        ),
        (
            6,
            "d cannot be loaded: events.csv, row 1, column title: empty 1; "
            "events.csv, row 2, column title: empty 2; "
            "events.csv, row 3, column title: empty 3 (and 3 more)",
        ),
    ],
)
def test_data_error_names_three_problems_and_counts_the_rest(count, expected):
    problems = [_problem(n) for n in range(1, count + 1)]
    error = DataError(Path("d"), problems)
    assert str(error) == expected
    assert error.directory == Path("d")
    assert error.problems == problems


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, TESTS_DIR.parent / "data"),
        ("", TESTS_DIR.parent / "data"),
        ("   ", TESTS_DIR.parent / "data"),
        ("  /srv/atlas  ", Path("/srv/atlas")),
        ("elsewhere", Path("elsewhere")),
    ],
)
def test_default_data_dir(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(DATA_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(DATA_ENV_VAR, value)
    assert default_data_dir() == expected


def _raw(**values: object) -> dict[str, object]:
    """One valid event as ``events.csv`` text."""
    return event_row(**values)


def test_type_events_types_dates_and_fatalities():
    raw = pd.DataFrame(
        [
            _raw(
                event_id="a",
                date_start="1999-02-16",
                date_end="1999-02-28",
                fatalities_low="",
                fatalities_best="16",
                fatalities_high="",
            ),
            _raw(
                event_id="b",
                fatalities_low="5",
                fatalities_best="9007199254740993",
                fatalities_high="-3",
            ),
        ]
    )
    events = type_events(raw)
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert list(events["date_start"]) == [
        pd.Timestamp(1999, 2, 16),
        pd.Timestamp(1999, 1, 1),
    ]
    assert list(events["date_end"]) == [
        pd.Timestamp(1999, 2, 28),
        pd.Timestamp(1999, 12, 31),
    ]
    assert events["date_start"].dtype.kind == "M"
    for column in ("fatalities_low", "fatalities_best", "fatalities_high"):
        assert str(events[column].dtype) == "Int64"
    assert events["fatalities_low"].isna().tolist() == [True, False]
    # 2**53 + 1: past float64's exact integers, read exactly.
    assert events.loc[1, "fatalities_low"] == 5
    assert events.loc[1, "fatalities_best"] == 9007199254740993
    assert events.loc[0, "fatalities_best"] == 16
    assert events.loc[1, "fatalities_high"] == -3
    assert events["fatalities_high"].isna().tolist() == [True, False]
    # The raw frame is left as it was.
    assert raw.loc[0, "fatalities_best"] == "16"


def test_type_events_reads_numbers_an_import_gives():
    raw = pd.DataFrame([_raw(event_id="a"), _raw(event_id="b")])
    raw["fatalities_low"] = [1.0, np.nan]
    raw["fatalities_best"] = np.array([2, 3], dtype=np.int32)
    raw["fatalities_high"] = pd.array([4, None], dtype="Int64")
    events = type_events(raw)
    assert events["fatalities_low"].tolist()[0] == 1
    assert events["fatalities_low"].isna().tolist() == [False, True]
    assert events["fatalities_best"].tolist() == [2, 3]
    assert events["fatalities_high"].isna().tolist() == [False, True]
    for column in ("fatalities_low", "fatalities_best", "fatalities_high"):
        assert str(events[column].dtype) == "Int64"


def test_type_events_keeps_the_source_columns_typed():
    raw = pd.DataFrame([_raw(event_id="a"), _raw(event_id="b")])
    raw["source_event_type"] = ["Battles", None]
    raw["source_row"] = ["7", ""]
    raw["unrelated"] = ["x", "y"]
    raw["source_id"] = ["ACLED1", "ACLED2"]
    events = type_events(raw)
    # Ours, then the source's in the schema's order; nothing else.
    assert list(events.columns) == [
        *EVENT_COLUMNS,
        "source_id",
        "source_row",
        "source_event_type",
    ]
    assert events["source_event_type"].tolist() == ["Battles", ""]
    assert events["source_id"].tolist() == ["ACLED1", "ACLED2"]
    assert str(events["source_row"].dtype) == "Int64"
    assert events.loc[0, "source_row"] == 7
    assert events["source_row"].isna().tolist() == [False, True]

    numbered = pd.DataFrame([_raw(event_id="a")])
    numbered["source_row"] = np.array([12], dtype=np.uint32)
    typed = type_events(numbered)
    assert str(typed["source_row"].dtype) == "Int64"
    assert typed["source_row"].tolist() == [12]


def test_own_points_are_none_without_point_columns():
    assert own_points(pd.DataFrame([_raw()])) is None


def test_own_points_from_text():
    raw = pd.DataFrame([_raw(event_id="a"), _raw(event_id="b"), _raw(event_id="c")])
    raw["lat"] = ["41.311151", "", "-0.00004"]
    raw["place_name"] = ["Tashkent", None, ""]
    own = own_points(raw)
    assert list(own.columns) == ["lat", "lon", "place_name", "country"]
    assert own["lat"].tolist()[0] == 41.3112
    assert own["lat"].tolist()[2] == -0.0
    assert own["lat"].isna().tolist() == [False, True, False]
    assert own["lon"].isna().tolist() == [True, True, True]
    assert own["place_name"].tolist() == ["Tashkent", "", ""]
    assert own["country"].tolist() == ["", "", ""]


def test_own_points_from_numbers():
    raw = pd.DataFrame([_raw(event_id="a"), _raw(event_id="b")])
    raw["lat"] = [40.12346, np.nan]
    raw["lon"] = np.array([70, 71], dtype=np.int64)
    raw["country"] = ["UZ|KG", "TJ"]
    own = own_points(raw)
    assert own["lat"].tolist()[0] == 40.1235
    assert own["lat"].isna().tolist() == [False, True]
    assert own["lon"].tolist() == [70.0, 71.0]
    assert own["place_name"].tolist() == ["", ""]
    assert own["country"].tolist() == ["UZ|KG", "TJ"]


def _places(*rows: tuple[str, str, str, object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "place_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "alt_names": ["" for _ in rows],
            "kind": ["city" for _ in rows],
            "country": [r[2] for r in rows],
            "admin1": ["" for _ in rows],
        },
        geometry=[r[3] for r in rows],
        crs=CRS,
    )


def _regions(*rows: tuple[str, str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "region_id": [r[0] for r in rows],
            "name": [r[0] for r in rows],
            "level": ["country" for _ in rows],
            "country": [r[1] for r in rows],
        },
        geometry=[box(0, 0, 1, 1) for _ in rows],
        crs=CRS,
    )


PLACES = _places(
    ("osh", "Osh", "KG", Point(72.79876, 40.51234)),
    # An area: its anchor is the point inside it that shapely's
    # representative_point gives a rectangle, the middle of its middle line.
    ("ferghana", "Ferghana Valley", "UZ|KG|TJ", box(70.0, 40.0, 73.0, 41.0)),
)
REGIONS = _regions(("UZ", "UZ"), ("KG", "KG"))


def test_assemble_dataset_gives_each_event_its_place_or_its_own_point():
    raw = pd.DataFrame(
        [
            _raw(event_id="a", place_id="osh"),
            _raw(event_id="b", place_id="ferghana"),
            _raw(event_id="c", place_id="", geo_precision="", place_origin=""),
            _raw(event_id="d", place_id="osh"),
        ]
    )
    raw["lat"] = ["", "", "39.5", "41.00001"]
    raw["lon"] = ["", "", "68.25", "69.00004"]
    raw["place_name"] = ["", "", "Khujand", ""]
    raw["country"] = ["", "", "TJ", ""]
    dataset = assemble_dataset(Path("here"), raw, PLACES, REGIONS)
    assert isinstance(dataset, Dataset)
    assert dataset.directory == Path("here")
    assert dataset.source_columns is None
    events = dataset.events
    assert events["event_id"].tolist() == ["a", "b", "c", "d"]
    assert events["lat"].tolist() == [40.5123, 40.5, 39.5, 41.0]
    assert events["lon"].tolist() == [72.7988, 71.5, 68.25, 69.0]
    assert events["place_name"].tolist() == ["Osh", "Ferghana Valley", "Khujand", "Osh"]
    assert events["country"].tolist() == ["KG", "UZ|KG|TJ", "TJ", "KG"]
    assert events["place_name"].map(type).tolist() == [str] * 4
    assert events["country"].map(type).tolist() == [str] * 4
    assert dataset.places is PLACES
    assert dataset.regions is REGIONS


def test_assemble_dataset_without_own_points_or_place():
    raw = pd.DataFrame(
        [
            _raw(event_id="a", place_id="osh"),
            _raw(event_id="b", place_id="", geo_precision="", place_origin=""),
        ]
    )
    events = assemble_dataset(Path("."), raw, PLACES, REGIONS).events
    assert events["place_name"].tolist() == ["Osh", ""]
    assert events["country"].tolist() == ["KG", ""]
    assert events["lat"].tolist()[0] == 40.5123
    assert np.isnan(events["lat"].tolist()[1])
    assert events["lon"].tolist()[0] == 72.7988


def test_assemble_dataset_with_own_coordinates_but_no_names():
    raw = pd.DataFrame(
        [
            _raw(event_id="a", place_id="osh"),
            _raw(event_id="b", place_id="", geo_precision="", place_origin=""),
        ]
    )
    raw["lat"] = ["", "38.5"]
    raw["lon"] = ["", "68.75"]
    events = assemble_dataset(Path("."), raw, PLACES, REGIONS).events
    assert events["lat"].tolist() == [40.5123, 38.5]
    assert events["lon"].tolist() == [72.7988, 68.75]
    assert events["place_name"].tolist() == ["Osh", ""]
    assert events["country"].tolist() == ["KG", ""]


def test_assemble_dataset_aligns_its_source_columns():
    raw = pd.DataFrame(
        [_raw(event_id="a", place_id="osh"), _raw(event_id="b", place_id="osh")]
    )
    kept = pd.DataFrame({"notes2": ["x", "y"]}, index=[5, 9])
    dataset = assemble_dataset(Path("."), raw, PLACES, REGIONS, kept)
    assert dataset.source_columns.index.tolist() == [0, 1]
    assert list(dataset.source_columns.columns) == ["notes2"]
    assert dataset.source_columns["notes2"].tolist() == ["x", "y"]

    none = pd.DataFrame(index=[0, 1])
    assert (
        assemble_dataset(Path("."), raw, PLACES, REGIONS, none).source_columns is None
    )

    with pytest.raises(ValueError, match=r"^3 rows of source columns for 2 events$"):
        assemble_dataset(
            Path("."), raw, PLACES, REGIONS, pd.DataFrame({"k": ["1", "2", "3"]})
        )


def _dataset(directory, events, places, regions, kept=None) -> Dataset:
    return Dataset(Path(directory), pd.DataFrame(events), places, regions, kept)


def test_combine_datasets():
    first = _dataset(
        "first",
        {"event_id": ["a1", "a2"], "place_id": ["osh", "tash"]},
        _places(
            ("osh", "Osh", "KG", Point(72.8, 40.5)),
            ("tash", "Tashkent", "UZ", Point(69.2, 41.3)),
        ),
        _regions(("UZ", "UZ"), ("KG", "KG"), ("UZ-KG", "UZ|KG")),
    )
    second_events = {
        "event_id": ["u1"],
        "place_id": ["osh"],
        "source_event_type": ["Battles"],
        "source_row": pd.array([4], dtype="Int64"),
    }
    second = _dataset(
        "second",
        second_events,
        _places(
            ("osh", "Osh again", "KG", Point(0.0, 0.0)),
            ("aleppo", "Aleppo", "SY", Point(37.2, 36.2)),
        ),
        _regions(
            ("KG", "KG"),  # the first's own country, and its id
            ("SY", "SY"),  # a new country: added
            ("SY-1", "SY"),
            ("UZ-2", "UZ"),  # a unit of a country the first has: not added
            ("SY-TR", "SY|TR"),
            ("SY-KG", "SY|KG"),  # partly in a country the first has: not added
            ("UZ", "SY"),  # an id the first has: not added
        ),
        pd.DataFrame({"extra": ["e"]}),
    )
    combined = combine_datasets(first, second)
    assert combined.directory == Path("first")
    assert combined.events["event_id"].tolist() == ["a1", "a2", "u1"]
    assert combined.events.index.tolist() == [0, 1, 2]
    assert combined.events["source_event_type"].tolist() == ["", "", "Battles"]
    assert combined.events["source_row"].isna().tolist() == [True, True, False]
    assert combined.places["place_id"].tolist() == ["osh", "tash", "aleppo"]
    assert combined.places["name"].tolist() == ["Osh", "Tashkent", "Aleppo"]
    assert combined.places.crs == CRS
    assert combined.places.index.is_unique
    assert isinstance(combined.places, gpd.GeoDataFrame)
    assert combined.regions["region_id"].tolist() == [
        "UZ",
        "KG",
        "UZ-KG",
        "SY",
        "SY-1",
        "SY-TR",
    ]
    assert combined.regions.index.tolist() == list(range(6))
    assert combined.regions.crs == CRS
    # Kept columns the first dataset lacks are missing (null) for its events.
    assert combined.source_columns["extra"].isna().tolist() == [True, True, False]
    assert combined.source_columns["extra"].tolist()[2] == "e"


def test_read_geography_of_a_folder_without_places(tmp_path):
    folder = write_dataset(tmp_path / "d", places=[])
    places, regions = read_geography(folder)
    assert len(places) == 0
    # Typed as the places of a folder that has one.
    one, _ = read_geography(write_dataset(tmp_path / "one"))
    for column in ("place_id", "name", "alt_names", "kind", "country", "admin1"):
        assert places[column].dtype == one[column].dtype, column
    assert places.crs == CRS
    assert regions["region_id"].tolist() == ["UZ", "KG"]
    assert regions.crs == CRS


def test_load_dataset_refuses_a_folder_with_problems(tmp_path):
    folder = write_dataset(tmp_path / "d", events=[event_row(title="")])
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    assert caught.value.directory == folder
    assert len(caught.value.problems) >= 1
    assert str(caught.value).startswith(f"{folder} cannot be loaded: events.csv")


def test_load_dataset_reads_the_folder_in_the_environment(tmp_path, monkeypatch):
    folder = write_dataset(tmp_path / "d")
    monkeypatch.setenv(DATA_ENV_VAR, str(folder))
    dataset = load_dataset()
    assert dataset.directory == folder
    assert dataset.events["event_id"].tolist() == ["1999-tashkent"]
    assert dataset.events["place_name"].tolist() == ["Tashkent"]
    assert dataset.events["lat"].tolist() == [41.3]
    assert dataset.events["fatalities_best"].tolist() == [16]
    assert BUNDLED_DATA_DIR == TESTS_DIR.parent / "data"


def test_whole_numbers_past_float64_or_not_whole_are_left_to_pandas():
    raw = pd.DataFrame([_raw(event_id="a"), _raw(event_id="b")], index=[5, 9])
    # 2**53, with a missing cell beside it: read by pandas, exactly.
    raw["fatalities_best"] = ["", "9007199254740992"]
    raw["fatalities_low"] = ["3.0", "4"]
    events = type_events(raw)
    assert events.index.tolist() == [5, 9]
    assert events["fatalities_best"].isna().tolist() == [True, False]
    assert events.loc[9, "fatalities_best"] == 9007199254740992
    assert events["fatalities_low"].tolist() == [3, 4]
    assert events["fatalities_high"].tolist() == [16, 16]
    assert str(events["fatalities_low"].dtype) == "Int64"
    # Not whole: refused, not cut to a whole number.
    for cells in (["2.5", "4"], ["2.5", ""]):
        raw["fatalities_low"] = cells
        with pytest.raises(TypeError):
            type_events(raw)


def test_type_events_reads_days_the_fast_reader_leaves(monkeypatch):
    # A day of the calendar that is not plain YYYY-MM-DD text (Arrow's form)
    # goes to pandas' reader, with the same format.
    raw = pd.DataFrame(
        [_raw(event_id="a", date_start="1999-02-16", date_end="1999-02-28")]
    )
    raw["date_start"] = raw["date_start"].astype(object)
    monkeypatch.setattr("imu_geo.data.iso_days", lambda values: None)
    events = type_events(raw)
    assert events["date_start"].tolist() == [pd.Timestamp(1999, 2, 16)]
    assert events["date_end"].tolist() == [pd.Timestamp(1999, 2, 28)]
    assert events["date_start"].dtype.kind == "M"


def test_own_points_typed_from_nullable_numbers_and_one_coordinate():
    raw = pd.DataFrame([_raw(event_id="a"), _raw(event_id="b")])
    raw["lon"] = pd.array([70, None], dtype="Int64")
    own = own_points(raw)
    assert own["lon"].dtype == np.float64
    assert own["lon"].tolist()[0] == 70.0
    assert own["lon"].isna().tolist() == [False, True]
    # No lat column: NaN as float, not None.
    assert own["lat"].dtype == np.float64
    assert own["lat"].isna().tolist() == [True, True]

    floats = pd.DataFrame([_raw(event_id="a"), _raw(event_id="b")])
    floats["lat"] = pd.array([40.12346, None], dtype="Float64")
    typed = own_points(floats)
    assert typed["lat"].dtype == np.float64
    assert typed["lat"].tolist()[0] == 40.1235
    assert typed["lat"].isna().tolist() == [False, True]
    assert typed["lon"].dtype == np.float64


def test_assemble_dataset_refuses_a_place_id_given_twice():
    twice = _places(
        ("osh", "Osh", "KG", Point(72.8, 40.5)),
        ("osh", "Osh", "KG", Point(72.9, 40.6)),
    )
    raw = pd.DataFrame([_raw(event_id="a", place_id="osh")])
    with pytest.raises(pd.errors.MergeError):
        assemble_dataset(Path("."), raw, twice, REGIONS)


def test_combine_datasets_reads_countries_of_a_shared_region():
    first = _dataset(
        "first",
        {"event_id": ["a1"], "place_id": ["osh"]},
        _places(("osh", "Osh", "KG", Point(72.8, 40.5))),
        _regions(("UZ-KG", "UZ|KG")),
    )
    second = _dataset(
        "second",
        {"event_id": ["u1"], "place_id": ["osh"]},
        _places(("osh", "Osh", "KG", Point(72.8, 40.5))),
        _regions(("KG", "KG"), ("TJ", "TJ")),
    )
    combined = combine_datasets(first, second)
    assert combined.regions["region_id"].tolist() == ["UZ-KG", "TJ"]
    assert combined.places.index.is_unique
    assert combined.source_columns is None


def test_load_dataset_reads_a_file_the_row_reader_takes(tmp_path):
    # A stray quote inside a field and a byte-order mark: the row reader's file.
    folder = write_dataset(tmp_path / "d")
    header, row = (folder / "events.csv").read_text(encoding="utf-8").splitlines()[:2]
    second = row.replace("1999-tashkent", "1999-tashkent-2")
    second = second.replace("Bombing", "1999").replace(",,", ",NA,", 1)
    second = second.replace("A bombing.", 'A "car" bombing.')
    # Number-like text in every row of a column stays text as written.
    row, second = row[: -len(",")] + ",12", second[: -len(",")] + ",0012"
    (folder / "events.csv").write_text(
        "\ufeff" + header + "\n" + row + "\n" + second + "\n", encoding="utf-8"
    )
    dataset = load_dataset(folder)
    events = dataset.events
    assert events["event_id"].tolist() == ["1999-tashkent", "1999-tashkent-2"]
    assert events["title"].tolist() == ["Bombing", "1999"]
    assert events["target"].tolist() == ["", "NA"]
    assert events["fatalities_best"].tolist() == [16, 16]
    assert events["description"].tolist() == ["A bombing.", 'A "car" bombing.']
    assert events["notes"].tolist() == ["12", "0012"]


def test_load_dataset_aligns_the_kept_source_columns(tmp_path):
    from imu_geo.source_columns import SOURCE_COLUMNS_FILE, write_source_columns

    folder = write_dataset(
        tmp_path / "d",
        events=[event_row(event_id="a"), event_row(event_id="b")],
    )
    write_source_columns(
        folder / SOURCE_COLUMNS_FILE,
        pd.Series(["b", "a"]),
        pd.DataFrame({"region note": ["of b", "of a"]}),
    )
    dataset = load_dataset(folder)
    assert list(dataset.source_columns.columns) == ["region note"]
    assert dataset.source_columns["region note"].tolist() == ["of a", "of b"]

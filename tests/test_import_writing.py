"""An import written as a data folder, and what the command line says about it
(``imu_geo.importers.writing``).

Each import here is built in the test: a few events, places and issues in the
shapes :class:`imu_geo.importers.report.ImportResult` documents, so every file
and line written can be spelled out by hand: coordinates to four places, every
field of ``events.csv`` quoted, the places one feature a line, the regions of
the bundled world's countries (``data/world``) where the places and points lie,
the reasons counted by kind.
"""

from __future__ import annotations

import json
import unicodedata

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from imu_geo import store
from imu_geo.importers import writing
from imu_geo.importers.report import ImportResult
from imu_geo.importers.writing import (
    command_lines,
    events_table,
    own_points,
    reason_breakdown,
    reason_kind,
    report_text,
    write_import,
    write_source_columns_files,
    write_store_copy,
)
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.store import FOLDER_STORE_DIR, open_folder

REPORT_COLUMNS = ["row", "action", "column", "reason"]
PLACE_COLUMNS = [
    "place_id",
    "name",
    "alt_names",
    "kind",
    "country",
    "admin1",
    "geometry_source",
    "note",
]
# An ACLED event as the importer gives it, valid as a data folder's event.
ACLED_EVENT = dict.fromkeys(EVENT_COLUMNS, "") | {
    "date_precision": "day",
    "date_origin": "source",
    "layer": "context",
    "event_type": "statement",
    "geo_precision": "near",
    "place_origin": "source",
    "actors": "IMU",
    "attribution": "attributed",
    "description": "An ACLED event.",
    "source_quote": "A bomb.",
    "source": "ACLED (a.csv)",
}
# Andijan, with its own point; Tashkent, placed from the gazetteer.
ANDIJAN = ACLED_EVENT | {
    "event_id": "acled-uzb12",
    "date_start": "2009-05-26",
    "date_end": "2009-05-26",
    "title": "ACLED event in Andijan",
    "lat": 40.78341,
    "lon": 72.35074,
    "place_name": "Andijan",
    "country": "UZ",
}
TASHKENT = ACLED_EVENT | {
    "event_id": "acled-uzb13",
    "date_start": "2009-05-27",
    "date_end": "2009-05-27",
    "title": "ACLED event in Tashkent",
    "place_id": "tashkent",
    "lat": 41.2647,
    "lon": 69.2163,
    "place_name": "Tashkent",
    "country": "UZ",
}
TASHKENT_PLACE = {
    "place_id": "tashkent",
    "name": "Tashkent",
    "alt_names": "Toshkent|Тошкент",
    "kind": "city",
    "country": "UZ",
    "admin1": "UZ-TK",
    "geometry_source": "gazetteer.csv row 'Tashkent'",
    "note": "",
}
# The line places.geojson has for it, written out by hand.
TASHKENT_LINE = (
    '{"type": "Feature", "properties": {"place_id": "tashkent", "name": '
    '"Tashkent", "alt_names": "Toshkent|Тошкент", "kind": "city", "country": '
    '"UZ", "admin1": "UZ-TK", "geometry_source": "gazetteer.csv row \'Tashkent\'", '
    '"note": ""}, "geometry": {"type": "Point", "coordinates": [69.2163, 41.2647]}}'
)
# data/world: Kyrgyzstan's and Uzbekistan's admin-1 units.
KG_UNITS = ["KG-B", "KG-C", "KG-GB", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"]
UZ_UNITS = [
    "UZ-AN",
    "UZ-BU",
    "UZ-FA",
    "UZ-JI",
    "UZ-NG",
    "UZ-NW",
    "UZ-QA",
    "UZ-QR",
    "UZ-SA",
    "UZ-SI",
    "UZ-SU",
    "UZ-TK",
    "UZ-TO",
    "UZ-XO",
]


def _places(rows: list[dict], geometries: list) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=PLACE_COLUMNS)
    return gpd.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")


def _report(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _result(
    events: list[dict],
    places: gpd.GeoDataFrame | None = None,
    report: list[tuple] = (),
    n_rows: int | None = None,
    **more,
) -> ImportResult:
    return ImportResult(
        format="acled",
        events=pd.DataFrame(events),
        places=_places([], []) if places is None else places,
        report=_report(list(report)),
        n_rows=len(events) if n_rows is None else n_rows,
        **more,
    )


def _tashkent_places() -> gpd.GeoDataFrame:
    return _places([TASHKENT_PLACE], [Point(69.216341, 41.264679)])


# --- events.csv -----------------------------------------------------------------


def _table_rows(events: list[dict]) -> list[dict]:
    return events_table(pd.DataFrame(events)).to_pylist()


POINT_OF = ("lat", "lon", "place_name", "country")


@pytest.mark.parametrize(
    ("event", "point"),
    [
        # Its own point: to four places, in plain decimals.
        (ANDIJAN, ("40.7834", "72.3507", "Andijan", "UZ")),
        # A named place gives the point: none of its own.
        (TASHKENT, ("", "", "", "")),
        # No place and no coordinates: nothing, not even the name.
        (ANDIJAN | {"lat": np.nan, "lon": np.nan}, ("", "", "", "")),
        # Whole degrees, a tenth of a thousandth, and a large value.
        (ANDIJAN | {"lat": 41.0, "lon": 0.0001}, ("41", "0.0001", "Andijan", "UZ")),
        (
            ANDIJAN | {"lat": -12.5, "lon": 12345678.0},
            ("-12.5", "12345678", "Andijan", "UZ"),
        ),
    ],
)
def test_an_events_own_point_is_written_only_without_a_place(event, point):
    (row,) = _table_rows([event])
    assert tuple(row[c] for c in POINT_OF) == point
    assert [row[c] for c in EVENT_COLUMNS] == [str(event[c]) for c in EVENT_COLUMNS]


def test_the_columns_are_the_schemas_in_its_order():
    event = ANDIJAN | {"source_row": 2, "source_id": "UZB12"}
    table = events_table(pd.DataFrame([event]))
    assert table.column_names == [
        *EVENT_COLUMNS,
        "lat",
        "lon",
        "place_name",
        "country",
        "source_id",
        "source_row",
    ]
    assert table.to_pylist()[0]["source_row"] == "2"
    assert table.to_pylist()[0]["source_id"] == "UZB12"
    every = event | {"source_event_type": "Riots", "source_sub_event_type": "Mob"}
    assert events_table(pd.DataFrame([every])).column_names[-4:] == [
        "source_id",
        "source_row",
        "source_event_type",
        "source_sub_event_type",
    ]


def test_events_without_point_columns_get_empty_ones():
    # A file of this project's schema with no coordinates: no lat, lon,
    # place_name or country in the frame at all.
    bare = {c: v for c, v in ANDIJAN.items() if c not in POINT_OF}
    rows = _table_rows([bare, bare | {"event_id": "x2", "place_id": "osh"}])
    assert [tuple(r[c] for c in POINT_OF) for r in rows] == [("", "", "", "")] * 2
    # Names without coordinates are not an own point either.
    named = bare | {"place_name": "Andijan", "country": "UZ"}
    (row,) = _table_rows([named])
    assert tuple(row[c] for c in POINT_OF) == ("", "", "", "")


def test_only_lat_given_still_writes_an_empty_lon():
    bare = {c: v for c, v in ANDIJAN.items() if c not in ("lon", "country")}
    (row,) = _table_rows([bare])
    assert tuple(row[c] for c in POINT_OF) == ("40.7834", "", "Andijan", "")


def test_events_of_several_rows_keep_their_own_points_apart():
    rows = _table_rows([TASHKENT, ANDIJAN, ANDIJAN | {"lat": None, "lon": None}])
    assert [r["event_id"] for r in rows] == ["acled-uzb13", *["acled-uzb12"] * 2]
    assert [r["lat"] for r in rows] == ["", "40.7834", ""]
    assert [r["place_name"] for r in rows] == ["", "Andijan", ""]


def test_a_lone_event_without_coordinates_has_none_written():
    # One row whose lat and lon are None: a column of objects, not floats.
    (row,) = _table_rows([ANDIJAN | {"lat": None, "lon": None}])
    assert tuple(row[c] for c in POINT_OF) == ("", "", "", "")
    (row,) = _table_rows([ANDIJAN | {"lon": None}])
    assert tuple(row[c] for c in POINT_OF) == ("40.7834", "", "Andijan", "UZ")


def test_every_column_is_arrow_text():
    # Arrow's string type (32-bit offsets), whatever the frame's columns hold.
    event = ANDIJAN | {"source_row": 2, "fatalities_best": 3}
    for events in (
        [event],
        [TASHKENT],
        [{c: v for c, v in event.items() if c not in POINT_OF}],
    ):
        table = events_table(pd.DataFrame(events))
        assert table.schema.types == [pa.string()] * table.num_columns


def test_no_events_is_a_table_of_no_rows():
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in EVENT_COLUMNS})
    table = events_table(frame)
    assert table.num_rows == 0
    assert table.column_names == [*EVENT_COLUMNS, *POINT_OF]


# --- own_points -----------------------------------------------------------------


def test_own_points_are_the_events_without_a_place():
    osh = ANDIJAN | {"event_id": "e3", "lat": 40.53, "lon": 72.8, "country": "KG"}
    points = own_points(pd.DataFrame([ANDIJAN, TASHKENT, osh]))
    assert list(points.columns) == ["lat", "lon", "country"]
    assert points["lat"].tolist() == [40.78341, 40.53]
    assert points["lon"].tolist() == [72.35074, 72.8]
    assert points["country"].tolist() == ["UZ", "KG"]


def test_own_points_without_coordinates_or_countries():
    bare = {c: v for c, v in ANDIJAN.items() if c not in POINT_OF}
    none = own_points(pd.DataFrame([bare]))
    assert list(none.columns) == ["lat", "lon", "country"]
    assert len(none) == 0
    empty = own_points(pd.DataFrame([ANDIJAN]).iloc[:0])
    assert list(empty.columns) == ["lat", "lon", "country"]
    assert len(empty) == 0
    uncountried = {c: v for c, v in ANDIJAN.items() if c != "country"}
    placed = {c: v for c, v in TASHKENT.items() if c != "country"}
    points = own_points(pd.DataFrame([uncountried, placed]))
    assert points["country"].tolist() == [""]
    assert points["lat"].tolist() == [40.78341]
    # A column of None (objects): still floats, missing.
    missing = own_points(pd.DataFrame([ANDIJAN | {"lat": None, "lon": None}]))
    assert (missing["lat"].dtype, missing["lon"].dtype) == (np.float64, np.float64)
    assert np.isnan(missing["lat"].to_numpy()).all()
    assert np.isnan(missing["lon"].to_numpy()).all()


# --- the data folder ------------------------------------------------------------


def _import(**more) -> ImportResult:
    return _result(
        [ANDIJAN, TASHKENT],
        _tashkent_places(),
        [
            (3, "repaired", "latitude, longitude", "no coordinates; placed"),
            (4, "rejected", "event_date", "'2009-99-27' is not a date"),
        ],
        n_rows=3,
        **more,
    )


def test_events_csv_quotes_every_field(tmp_path):
    paths = write_import(_import(), tmp_path, regions=_regions_file(tmp_path))
    lines = paths["events.csv"].read_bytes().decode("utf-8").split("\n")
    assert lines[0] == ",".join(f'"{c}"' for c in (*EVENT_COLUMNS, *POINT_OF))
    andijan = [ANDIJAN[c] for c in EVENT_COLUMNS] + [
        "40.7834",
        "72.3507",
        "Andijan",
        "UZ",
    ]
    tashkent = [TASHKENT[c] for c in EVENT_COLUMNS] + ["", "", "", ""]
    assert lines[1:] == [
        ",".join(f'"{v}"' for v in andijan),
        ",".join(f'"{v}"' for v in tashkent),
        "",
    ]


def _regions_file(tmp_path):
    given = tmp_path.parent / f"{tmp_path.name}-regions.geojson"
    given.write_bytes(b'{"type": "FeatureCollection", "features": []}\r\n')
    return given


def test_places_geojson_is_one_feature_a_line(tmp_path):
    area = Polygon([(70.123456, 40.0), (71.0, 40.0), (71.0, 41.5), (70.123456, 40.0)])
    fergana = TASHKENT_PLACE | {
        "place_id": "fergana-valley",
        "name": "Fergana Valley",
        "alt_names": "",
        "kind": "region",
        "admin1": "",
        "geometry_source": "places.geojson",
        "note": "an area",
    }
    places = _places([TASHKENT_PLACE, fergana], [Point(69.216341, 41.264679), area])
    result = _result([ANDIJAN, TASHKENT], places)
    paths = write_import(result, tmp_path, regions=_regions_file(tmp_path))
    fergana_line = (
        '{"type": "Feature", "properties": {"place_id": "fergana-valley", "name": '
        '"Fergana Valley", "alt_names": "", "kind": "region", "country": "UZ", '
        '"admin1": "", "geometry_source": "places.geojson", "note": "an area"}, '
        '"geometry": {"type": "Polygon", "coordinates": [[[70.123456, 40.0], '
        "[71.0, 40.0], [71.0, 41.5], [70.123456, 40.0]]]}}"
    )
    assert paths["places.geojson"].read_bytes() == (
        '{"type":"FeatureCollection","features":[\n'
        + TASHKENT_LINE
        + ",\n"
        + fergana_line
        + "\n]}\n"
    ).encode("utf-8")


def test_no_places_is_an_empty_collection(tmp_path):
    paths = write_import(_result([ANDIJAN]), tmp_path, regions=_regions_file(tmp_path))
    text = paths["places.geojson"].read_text(encoding="utf-8")
    assert text == '{"type":"FeatureCollection","features":[\n\n]}\n'


def test_the_regions_given_are_copied(tmp_path):
    given = _regions_file(tmp_path)
    paths = write_import(_import(), tmp_path / "out", regions=given)
    assert paths["regions.geojson"] == tmp_path / "out" / "regions.geojson"
    assert paths["regions.geojson"].read_bytes() == given.read_bytes()


def test_the_regions_are_the_worlds_where_places_and_points_lie(tmp_path):
    # Tashkent is a place in UZ; an event in Osh keeps its own point, in KG.
    osh = ANDIJAN | {
        "event_id": "acled-kgz1",
        "lat": 40.5283,
        "lon": 72.7985,
        "place_name": "Osh",
        "country": "",
    }
    result = _result([TASHKENT, osh], _tashkent_places())
    paths = write_import(result, tmp_path)
    text = paths["regions.geojson"].read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    ids = [f["properties"]["region_id"] for f in features]
    assert ids == ["KG", "UZ", *KG_UNITS, *UZ_UNITS]
    names = {f["properties"]["region_id"]: f["properties"]["name"] for f in features}
    assert (names["KG"], names["UZ"], names["KG-Y"]) == (
        "Kyrgyzstan",
        "Uzbekistan",
        "Ysyk-Köl",
    )
    # As UTF-8, not escaped.
    assert '"name": "Ysyk-Köl"' in text


def test_the_report_files(tmp_path):
    column_map = pd.DataFrame(
        {"column": ["event_id_cnty", "=extra"], "what": ["crosswalked", "kept"]}
    )
    paths = write_import(
        _import(column_map=column_map), tmp_path, regions=_regions_file(tmp_path)
    )
    assert paths["row-problems.csv"].read_bytes() == (
        b"row,action,column,reason\r\n"
        b'3,repaired,"latitude, longitude",no coordinates; placed\r\n'
        b"4,rejected,event_date,'2009-99-27' is not a date\r\n"
    )
    assert paths["column_map.csv"].read_bytes() == (
        b"column,what\r\nevent_id_cnty,crosswalked\r\n'=extra,kept\r\n"
    )


def test_the_files_written_and_what_is_said(tmp_path):
    said = []
    out = tmp_path / "a" / "b"
    paths = write_import(
        _import(), out, regions=_regions_file(tmp_path), progress=said.append
    )
    assert list(paths) == [
        "events.csv",
        "places.geojson",
        "regions.geojson",
        "row-problems.csv",
        "column_map.csv",
    ]
    assert all(path == out / name for name, path in paths.items())
    assert all(path.is_file() for path in paths.values())
    assert said == [
        "Writing 2 events to events.csv…",
        "Writing the places, the regions and the report…",
    ]
    # Written again over itself: the folder exists already.
    again = write_import(_import(), out, regions=_regions_file(tmp_path))
    assert again == paths


def test_a_string_path_is_taken(tmp_path):
    paths = write_import(_import(), str(tmp_path), regions=_regions_file(tmp_path))
    assert paths["events.csv"] == tmp_path / "events.csv"


def test_the_columns_kept_verbatim_are_written_or_removed(tmp_path):
    kept = pd.DataFrame({"extra": ["x1", "x,2"]})
    paths = write_import(
        _import(source_columns=kept), tmp_path, regions=_regions_file(tmp_path)
    )
    assert list(paths)[-1] == "source_columns.csv"
    assert paths["source_columns.csv"].read_bytes() == (
        b'"event_id","extra"\n"acled-uzb12","x1"\n"acled-uzb13","x,2"\n'
    )
    # Nothing kept this time: the earlier file goes, so it pairs with no events.
    paths = write_import(_import(), tmp_path, regions=_regions_file(tmp_path))
    assert "source_columns.csv" not in paths
    assert not (tmp_path / "source_columns.csv").exists()
    # And with nothing to remove, nothing fails.
    paths = write_source_columns_files(_import(), tmp_path)
    assert paths == {"column_map.csv": tmp_path / "column_map.csv"}


def test_without_a_store_an_earlier_one_is_removed(tmp_path):
    earlier = tmp_path / FOLDER_STORE_DIR / "key"
    earlier.mkdir(parents=True)
    (earlier / "events.parquet").write_bytes(b"old")
    write_import(_import(), tmp_path, regions=_regions_file(tmp_path))
    assert not (tmp_path / FOLDER_STORE_DIR).exists()
    # None to remove: nothing fails.
    write_import(_import(), tmp_path, regions=_regions_file(tmp_path))


# --- the store written with the folder ------------------------------------------


def _refuse_loading(monkeypatch):
    def refuse(directory=None):
        raise AssertionError(f"{directory} was read again")

    monkeypatch.setattr(store.folders, "load_dataset", refuse)


def _built_from_files(folder, root) -> store.Store:
    """The folder's store as its files give it, the import's store hidden."""
    hidden = folder.parent / "hidden-store"
    (folder / FOLDER_STORE_DIR).rename(hidden)
    try:
        return open_folder(folder, root)
    finally:
        hidden.rename(folder / FOLDER_STORE_DIR)


def _same_store(taken: store.Store, built: store.Store) -> None:
    assert taken.key == built.key
    for name in (store.EVENTS_FILE, "source_columns.parquet"):
        assert (taken.path / name).exists() == (built.path / name).exists()
        if (built.path / name).exists():
            assert pq.read_table(taken.path / name).equals(
                pq.read_table(built.path / name)
            )


def test_with_a_store_the_folder_opens_without_reading_it(tmp_path, monkeypatch):
    said = []
    kept = pd.DataFrame({"extra": ["x1", "x2"]})
    folder = tmp_path / "out"
    write_import(_import(source_columns=kept), folder, store=True, progress=said.append)
    assert said[-1] == (
        "Checking the events as a data folder is checked, and writing its store…"
    )
    assert len(said) == 3
    assert (folder / FOLDER_STORE_DIR).is_dir()
    built = _built_from_files(folder, tmp_path / "built")
    assert (built.path / "source_columns.parquet").exists()
    _refuse_loading(monkeypatch)
    taken = open_folder(folder, tmp_path / "taken")
    _same_store(taken, built)
    events = pq.read_table(taken.path / store.EVENTS_FILE).to_pandas()
    assert events["event_id"].tolist() == ["acled-uzb12", "acled-uzb13"]


def test_a_store_without_kept_columns(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    write_import(_import(), folder, store=True)
    built = _built_from_files(folder, tmp_path / "built")
    _refuse_loading(monkeypatch)
    taken = open_folder(folder, tmp_path / "taken")
    _same_store(taken, built)
    assert not (taken.path / "source_columns.parquet").exists()
    assert pq.read_table(taken.path / store.EVENTS_FILE).num_rows == 2


def test_events_that_fail_the_folders_check_get_no_store(tmp_path):
    bad = _result(
        [ANDIJAN | {"date_start": "2009-99-26"}, TASHKENT], _tashkent_places()
    )
    write_import(bad, tmp_path, store=True)
    assert (tmp_path / "events.csv").is_file()
    assert not (tmp_path / FOLDER_STORE_DIR).exists()
    taken = [events_table(bad.events)]
    assert write_store_copy(bad, taken, tmp_path) is False
    assert taken == []


def test_write_store_copy_says_whether_it_wrote(tmp_path):
    result = _import()
    write_import(result, tmp_path)
    taken = [events_table(result.events)]
    assert write_store_copy(result, taken, tmp_path) is True
    assert taken == []
    assert (tmp_path / FOLDER_STORE_DIR).is_dir()


def test_the_bundled_folder_gets_no_store_of_its_own(tmp_path, monkeypatch):
    atlas = tmp_path / "atlas"
    monkeypatch.setattr(writing, "BUNDLED_DATA_DIR", atlas)
    result = _import()
    write_import(result, atlas, store=True)
    assert (atlas / "events.csv").is_file()
    assert not (atlas / FOLDER_STORE_DIR).exists()
    # Named another way, it is the same folder.
    (atlas / "sub").mkdir()
    taken = [events_table(result.events)]
    assert write_store_copy(result, taken, str(atlas / "sub" / "..")) is False
    assert taken == []
    assert not (atlas / FOLDER_STORE_DIR).exists()


# --- reasons by kind --------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        (
            "'05/06/2009' is ambiguous: day or month first",
            "'…' is ambiguous: day or month first",
        ),
        (
            "'2009-99-27' is not a date: there is no month 99",
            "'…' is not a date: there is no month …",
        ),
        ('actor "Islamic Movement" is unknown', "actor '…' is unknown"),
        ('a"b"c', "a'…'c"),
        ("acled-uzb12 has no date", "… has no date"),
        ("3.5 km from 41.3/69.2, at 10:30, +7", "… km from …, at …, …"),
        ("row 12, x2y and 1e5", "row …, … and …"),
        ("don't use 'x' here", "don't use '…' here"),
        ("it's 'a'b", "it's 'a'b"),
        ("'' is empty", "'…' is empty"),
        (r"'a\'b' is odd", "'…' is odd"),
        ("5'x'", "…'x'"),
        ("in ٣ places", "in … places"),
        ("no coordinates; placed from the gazetteer", None),
        ("", None),
    ],
)
def test_reason_kind(reason, kind):
    assert reason_kind(reason) == (reason if kind is None else kind)


@given(st.text())
def test_a_reasons_kind_has_no_digits(reason):
    kind = reason_kind(reason)
    assert not any(unicodedata.category(c) == "Nd" for c in kind)


@given(st.text(alphabet=st.characters(exclude_characters="'\\")))
def test_a_quoted_value_is_its_kind(value):
    assert reason_kind(f"'{value}' is not a date") == "'…' is not a date"
    if '"' not in value:
        assert reason_kind(f'name "{value}" unknown') == "name '…' unknown"


@given(
    st.text(
        alphabet=st.characters(exclude_categories=("Nd",), exclude_characters="'\"\\")
    )
)
def test_a_reason_with_no_values_is_its_own_kind(reason):
    assert reason_kind(reason) == reason


BREAKDOWN_COLUMNS = ["count", "action", "column", "reason", "first_row"]


def _breakdown(rows: list[tuple]) -> list[tuple]:
    frame = reason_breakdown(_result([], report=rows, n_rows=0))
    assert list(frame.columns) == BREAKDOWN_COLUMNS
    assert list(frame.index) == list(range(len(frame)))
    return list(frame.itertuples(index=False, name=None))


def test_reasons_are_counted_by_kind_most_frequent_first():
    rows = [
        (9, "rejected", "event_date", "'2010-13-01' is not a date: no month 13"),
        (3, "repaired", "latitude, longitude", "placed from the gazetteer"),
        (4, "rejected", "event_date", "'2009-99-27' is not a date: no month 99"),
        (2, "rejected", "", "duplicate of row 1"),
        (7, "repaired", "latitude, longitude", "placed from the gazetteer"),
        (6, "rejected", "event_date", "'x' is not a date: no month 0"),
        (5, "rejected", "", "duplicate of row 3"),
    ]
    assert _breakdown(rows) == [
        (3, "rejected", "event_date", "'…' is not a date: no month …", 4),
        (2, "rejected", "", "duplicate of row …", 2),
        (2, "repaired", "latitude, longitude", "placed from the gazetteer", 3),
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Equal counts: by action, then column, then kind; the numbers are
        # not sorted as text but the names are.
        (
            [
                (1, "rejected", "b", "z"),
                (2, "rejected", "b", "a"),
                (3, "rejected", "a", "z"),
                (4, "repaired", "a", "a"),
            ],
            [
                (1, "rejected", "a", "z", 3),
                (1, "rejected", "b", "a", 2),
                (1, "rejected", "b", "z", 1),
                (1, "repaired", "a", "a", 4),
            ],
        ),
        (
            [(10, "repaired", "x", "r"), (2, "rejected", "x", "r")],
            [(1, "rejected", "x", "r", 2), (1, "repaired", "x", "r", 10)],
        ),
        (
            [(10, "b", "x", "r"), (2, "a", "x", "r"), (30, "b", "x", "r")],
            [(2, "b", "x", "r", 10), (1, "a", "x", "r", 2)],
        ),
        # Row numbers as the report may hold them, as text.
        (
            [("12", "rejected", "c", "r"), ("9", "rejected", "c", "r")],
            [(2, "rejected", "c", "r", 9)],
        ),
    ],
)
def test_breakdown_order(rows, expected):
    assert _breakdown(rows) == expected


def test_no_issues_is_an_empty_breakdown():
    frame = reason_breakdown(_result([ANDIJAN]))
    assert list(frame.columns) == BREAKDOWN_COLUMNS
    assert len(frame) == 0


# --- what the command prints -------------------------------------------------------

BY_REASON = (
    "repairs and rejections by reason (a row may have several), most frequent first:"
)
EVERY_ROW = "row-problems.csv has every repaired and rejected row"
# _issues' summary: 7 issues on 7 rows, of which 3 rejected and 4 repaired.
SUMMARY = "acled: 20 rows — 13 accepted, 4 repaired, 3 rejected"


def _issues(n_rows=20) -> ImportResult:
    rows = [
        (12, "rejected", "event_date", "'x' is not a date"),
        (1234, "rejected", "event_date", "'y' is not a date"),
        (5, "rejected", "event_date", "'z' is not a date"),
        (7, "repaired", "", "a duplicate"),
        (3, "repaired", "", "a duplicate"),
        (9, "repaired", "latitude", "placed"),
        (8, "repaired", "latitude", "placed"),
    ]
    return _result([ANDIJAN], report=rows, n_rows=n_rows)


def test_the_command_says_the_summary_notes_columns_and_reasons():
    result = _issues()
    result.file_notes = ["a.csv: has no event_type column", "second note"]
    result.column_map = pd.DataFrame(
        {"column": ["a", "b", "c"], "what": ["crosswalked to x", "kept verbatim", ""]}
    )
    assert command_lines(result, ["events.csv", "places.geojson"]) == [
        SUMMARY + "; wrote events.csv, places.geojson",
        "note: a.csv: has no event_type column",
        "note: second note",
        "3 columns: 1 crosswalked, 1 kept verbatim, 1 without a name or a value "
        "(column_map.csv says where each went)",
        BY_REASON,
        "        3  rejected  event_date: '…' is not a date (first: row 5)",
        "        2  repaired  the whole row: a duplicate (first: row 3)",
        "        2  repaired  latitude: placed (first: row 8)",
        EVERY_ROW,
    ]


@pytest.mark.parametrize(
    ("shown", "rest"),
    [
        (
            1,
            "2 more kinds of reason (4 repairs and rejections); --report FILE "
            "writes them all",
        ),
        (
            2,
            "1 more kind of reason (2 repairs and rejections); --report FILE "
            "writes them all",
        ),
        (3, None),
        (None, None),
    ],
)
def test_the_command_shows_at_most_so_many_kinds(shown, rest):
    lines = command_lines(_issues(), [], shown=shown)
    assert lines[0] == SUMMARY + "; wrote "
    assert lines[1] == BY_REASON
    assert len(lines) == 2 + min(shown or 3, 3) + (rest is not None) + 1
    assert lines[-1] == EVERY_ROW
    if rest is not None:
        assert lines[-2] == rest


def test_the_command_shows_twenty_kinds_unless_told():
    rows = [(i + 1, "rejected", f"c{i:02}", "r") for i in range(21)]
    result = _result([ANDIJAN], report=rows, n_rows=21)
    lines = command_lines(result, ["events.csv"])
    assert lines[2] == "        1  rejected  c00: r (first: row 1)"
    assert lines[21] == "        1  rejected  c19: r (first: row 20)"
    assert lines[22:] == [
        "1 more kind of reason (1 repair or rejection); --report FILE writes them all",
        EVERY_ROW,
    ]


def test_the_command_without_issues_or_columns_says_one_line():
    result = _result([ANDIJAN, TASHKENT])
    assert command_lines(result, ["events.csv"]) == [
        "acled: 2 rows — 2 accepted, 0 repaired, 0 rejected; wrote events.csv"
    ]


def test_counts_and_rows_have_thousands():
    rows = [(12_345, "rejected", "", "r")] * 1_234
    result = _result([], report=rows, n_rows=20_000)
    assert command_lines(result, [])[2] == (
        "    1,234  rejected  the whole row: r (first: row 12,345)"
    )


def test_the_report_is_every_kind_column_and_row():
    result = _issues()
    result.column_map = pd.DataFrame(
        {"column": ["event_date", "=x"], "what": ["crosswalked to date", "kept"]}
    )
    assert (
        report_text(result, ["events.csv"])
        == "\n".join(
            [
                SUMMARY + "; wrote events.csv",
                "2 columns: 1 crosswalked, 1 kept verbatim (column_map.csv says where "
                "each went)",
                BY_REASON,
                "        3  rejected  event_date: '…' is not a date (first: row 5)",
                "        2  repaired  the whole row: a duplicate (first: row 3)",
                "        2  repaired  latitude: placed (first: row 8)",
                EVERY_ROW,
                "",
                "every column of the file, and where it went:",
                "event_date: crosswalked to date",
                "=x: kept",
                "",
                "every repair and rejection, by row:",
                "row 12  rejected  event_date: 'x' is not a date",
                "row 1,234  rejected  event_date: 'y' is not a date",
                "row 5  rejected  event_date: 'z' is not a date",
                "row 7  repaired  the whole row: a duplicate",
                "row 3  repaired  the whole row: a duplicate",
                "row 9  repaired  latitude: placed",
                "row 8  repaired  latitude: placed",
            ]
        )
        + "\n"
    )


def test_the_report_of_a_clean_import_is_its_summary():
    result = _result([ANDIJAN])
    assert report_text(result, ["events.csv"]) == (
        "acled: 1 row — 1 accepted, 0 repaired, 0 rejected; wrote events.csv\n"
    )


def test_the_report_shows_more_than_twenty_kinds():
    rows = [(i + 1, "rejected", f"c{i:02}", "r") for i in range(25)]
    text = report_text(_result([], report=rows, n_rows=25), [])
    assert "        1  rejected  c24: r (first: row 25)" in text.split("\n")
    assert "more kind" not in text

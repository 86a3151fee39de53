"""The world files (``imu_geo.world.files``) read from a folder written here by
hand: every expected value is read off the features the test writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import box, mapping

from imu_geo.world import files

# region_id, name, country, label (lat, lon), geometry. "NA" is Namibia's code,
# which pandas reads as a missing value unless told not to; "007" is a name of
# digits with a leading zero, text all the same.
COUNTRIES = [
    ("NA", "Nambia", "NA", (1.0, 1.0), box(0, 0, 2, 2)),
    ("ZZ", "007", "ZZ", (1.0, 3.0), box(2, 0, 4, 2)),
]
# region_id, name, country, also, iso_3166_2, gn_admin1, type, geometry. A
# missing text attribute (null in the file) is read as "".
UNITS = [
    ("NA-1", "West", "NA", None, "NA-1", "NA.01", "Region", box(0, 0, 1, 2)),
    ("ZZ-1", "Isle", "ZZ", "NA|YY", None, None, None, box(10, 0, 11, 1)),
    ("ZZ-2", "Main", "ZZ", "", "ZZ-2", "ZZ.02", "Province", box(2, 0, 4, 2)),
]


def _collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def _feature(properties: dict, shape) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(shape)}


def _write(directory: Path) -> Path:
    nations = [
        _feature(
            {
                "region_id": r,
                "name": n,
                "level": "country",
                "country": c,
                "label_lat": lat,
                "label_lon": lon,
            },
            g,
        )
        for r, n, c, (lat, lon), g in COUNTRIES
    ]
    units = [
        _feature(
            {
                "region_id": r,
                "name": n,
                "level": "admin1",
                "country": c,
                "also": also,
                "iso_3166_2": iso,
                "gn_admin1": gn,
                "type": kind,
            },
            g,
        )
        for r, n, c, also, iso, gn, kind, g in UNITS
    ]
    (directory / files.COUNTRIES_FILE).write_text(_collection(nations))
    (directory / files.ADMIN1_FILE).write_text(_collection(units))
    (directory / files.COUNTRY_TABLE_FILE).write_text(
        "region_id,name,level,country,label_lat,label_lon\n"
        "NA,Nambia,country,NA,1.0,1.0\n"
        "ZZ,007,country,ZZ,1.0,3.0\n"
    )
    return directory


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("files_world"))


def test_countries_are_read_in_the_files_order_in_wgs84(folder):
    frame = files.countries(folder)
    assert frame["region_id"].tolist() == ["NA", "ZZ"]
    assert frame["country"].tolist() == ["NA", "ZZ"]
    assert frame["name"].tolist() == ["Nambia", "007"]
    assert frame.crs.to_epsg() == 4326
    assert [g.bounds for g in frame.geometry] == [(0, 0, 2, 2), (2, 0, 4, 2)]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("also", ["", "NA|YY", ""]),
        ("iso_3166_2", ["NA-1", "", "ZZ-2"]),
        ("gn_admin1", ["NA.01", "", "ZZ.02"]),
        ("type", ["Region", "", "Province"]),
    ],
)
def test_admin1_text_attributes_are_text_with_missing_ones_empty(
    folder, column, expected
):
    frame = files.admin1(folder)
    assert frame[column].tolist() == expected
    assert all(isinstance(value, str) for value in frame[column])


def test_admin1_units_are_read_in_the_files_order(folder):
    frame = files.admin1(folder)
    assert frame["region_id"].tolist() == ["NA-1", "ZZ-1", "ZZ-2"]
    assert frame.crs.to_epsg() == 4326


def test_country_table_csv_is_the_table_columns_in_their_order():
    nations = pd.DataFrame(
        {
            "label_lon": [1.5, 3.25],
            "geometry": ["x", "y"],
            "country": ["NA", "ZZ"],
            "name": ["Nambia", "Zed, the land"],
            "level": ["country", "country"],
            "label_lat": [-1.0, 2.0],
            "region_id": ["NA", "ZZ"],
        },
        index=[7, 3],
    )
    assert files.country_table_csv(nations) == (
        "region_id,name,level,country,label_lat,label_lon\n"
        "NA,Nambia,country,NA,-1.0,1.5\n"
        'ZZ,"Zed, the land",country,ZZ,2.0,3.25\n'
    )


def test_country_table_csv_ends_lines_with_lf_on_any_system(monkeypatch):
    # The file is committed: its line ends must not follow the system writing
    # it (os.linesep is "\r\n" on Windows).
    monkeypatch.setattr(os, "linesep", "\r\n")
    nations = pd.DataFrame({c: ["x", "y"] for c in files.COUNTRY_TABLE_COLUMNS})
    text = files.country_table_csv(nations)
    assert "\r" not in text
    assert text.count("\n") == 3


def test_country_table_reads_codes_and_names_as_text_and_labels_as_numbers(folder):
    table = files.country_table(folder)
    assert list(table.columns) == list(files.COUNTRY_TABLE_COLUMNS)
    assert table["region_id"].tolist() == ["NA", "ZZ"]
    assert table["country"].tolist() == ["NA", "ZZ"]
    assert table["name"].tolist() == ["Nambia", "007"]
    assert table["level"].tolist() == ["country", "country"]
    assert table["label_lat"].tolist() == [1.0, 1.0]
    assert table["label_lon"].tolist() == [1.0, 3.0]
    assert table["label_lon"].dtype == float


@pytest.mark.parametrize(
    ("code", "name"),
    [("NA", "Nambia"), ("ZZ", "007"), ("YY", "YY"), ("", "")],
)
def test_country_name_or_the_code_without_a_boundary(folder, code, name):
    assert files.country_name(code, folder) == name
    assert files.country_name(code, str(folder)) == name


def test_country_name_of_the_bundled_world_by_default():
    assert files.country_name("UZ") == "Uzbekistan"
    assert files.country_name("QQ") == "QQ"


# A point, and the countries whose accepted area holds it: a country's own
# outline, and units whose ``also`` names it (ZZ-1 is accepted for NA and for
# YY, which has no outline of its own; not for ZZ, whose unit it is but whose
# outline does not hold it).
AREAS = [
    ((0.5, 1.0), {"NA"}),
    ((3.0, 1.0), {"ZZ"}),
    ((10.5, 0.5), {"NA", "YY"}),
    ((5.0, 1.0), set()),
]


@pytest.mark.parametrize(("point", "holders"), AREAS)
def test_accepted_areas_add_the_units_accepted_for_a_country(folder, point, holders):
    areas = files._accepted_areas(folder)
    assert set(areas) == {"NA", "ZZ", "YY"}
    inside = {c for c, area in areas.items() if area.contains(shapely.Point(point))}
    assert inside == holders


def test_accepted_areas_keep_the_countrys_own_outline(folder):
    areas = files._accepted_areas(folder)
    assert areas["NA"].area == pytest.approx(4 + 1)
    assert areas["YY"].area == pytest.approx(1)
    assert areas["ZZ"].area == pytest.approx(4)


@pytest.mark.parametrize(
    ("level", "bounds"),
    [
        ("admin1", [(0, 0, 1, 2), (10, 0, 11, 1), (2, 0, 4, 2)]),
        ("country", [(0, 0, 2, 2), (2, 0, 4, 2)]),
    ],
)
def test_tree_holds_the_levels_outlines_in_the_files_order(folder, level, bounds):
    tree = files._tree(folder, level)
    assert [g.bounds for g in tree.geometries] == bounds
    hits = sorted(tree.query(shapely.Point(3.0, 1.0)).tolist())
    assert hits == ([2] if level == "admin1" else [1])


def test_outlines_are_read_prepared_for_point_tests(folder):
    # Prepared once when read, before any page's threads share them.
    assert shapely.is_prepared(files.countries(folder).geometry.values).all()
    assert shapely.is_prepared(files.admin1(folder).geometry.values).all()
    areas = files._accepted_areas(folder)
    assert all(shapely.is_prepared(area) for area in areas.values())

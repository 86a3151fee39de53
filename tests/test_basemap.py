"""The basemap's parts that the committed static files do not pin down: the
deck's labels layer, a world map's labels for one dataset, the labels file's
bytes, and the drawing order and simplification of the basemap's features."""

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from imu_geo.layers import (
    ATLAS_BASEMAP,
    WORLD_BASEMAP,
    basemap_geojson,
    compact_json,
    dataset_labels,
    labels_bytes,
)
from imu_geo.layers.basemap import basemap_layers


@pytest.mark.parametrize(
    ("basemap", "url"),
    [
        (ATLAS_BASEMAP, "app/static/labels.json"),
        (WORLD_BASEMAP, "app/static/world/labels.json"),
    ],
)
def test_the_labels_layer_reads_the_static_file_and_sizes_names_in_metres(basemap, url):
    # The deck's JSON as deck.gl reads it: accessors ("@@=") name the record's
    # fields, the quoted constants arrive as plain strings, and a label's size
    # is in metres, from nothing up to 16 pixels; labels are not picked.
    (layer,) = basemap_layers(basemap)
    assert json.loads(compact_json(layer)) == {
        "@@type": "TextLayer",
        "data": url,
        "id": "labels",
        "getPosition": "@@=[lon, lat]",
        "getText": "@@=name",
        "getSize": "@@=size",
        "getColor": "@@=colour",
        "sizeUnits": "meters",
        "sizeMinPixels": 0,
        "sizeMaxPixels": 16,
        "getTextAnchor": "middle",
        "getAlignmentBaseline": "center",
        "fontFamily": "Helvetica Neue, Arial, sans-serif",
        # The font holds every character the labels use, not only ASCII.
        "characterSet": "auto",
        "pickable": False,
    }


COLUMNS = ["region_id", "name", "level", "label_lat", "label_lon"]


def test_a_datasets_labels_are_every_country_and_its_own_units_below_one():
    # The world's countries (with a column the labels do not read), and the
    # dataset's regions: its own row for a country (labelled once, from the
    # world's table), an admin-1 unit and a valley.
    countries = pd.DataFrame(
        [
            ["UZ", "Uzbekistan", "country", 41.3, 64.6, "Asia"],
            ["KG", "Kyrgyzstan", "country", 41.46, 74.55, "Asia"],
        ],
        columns=[*COLUMNS, "continent"],
    )
    regions = pd.DataFrame(
        [
            ["UZ", "Uzbekistan (dataset)", "country", 40.0, 60.0],
            ["UZ-FA", "Farg\u2018ona\n region", "admin1", 40.45678, 71.28642],
            ["fergana", "Fergana Valley", "valley", 40.9, 71.6],
        ],
        columns=COLUMNS,
    )
    # By level (admin1, country, valley), then id; names on one line, label
    # points to 3 decimals; sizes and colours of LABEL_STYLE.
    assert dataset_labels(countries, regions) == [
        {
            "name": "Farg\u2018ona region",
            "lon": 71.286,
            "lat": 40.457,
            "size": 25_000,
            "colour": [130, 130, 130, 220],
        },
        {
            "name": "Kyrgyzstan",
            "lon": 74.55,
            "lat": 41.46,
            "size": 150_000,
            "colour": [60, 60, 60, 255],
        },
        {
            "name": "Uzbekistan",
            "lon": 64.6,
            "lat": 41.3,
            "size": 150_000,
            "colour": [60, 60, 60, 255],
        },
        {
            "name": "Fergana Valley",
            "lon": 71.6,
            "lat": 40.9,
            "size": 60_000,
            "colour": [70, 110, 60, 255],
        },
    ]


def test_the_labels_file_is_compact_utf8_json():
    records = [{"name": "Farg\u2018ona", "lon": 71.8, "size": 25000}]
    # No spaces, and the name's letters as UTF-8, not as \u escapes.
    assert labels_bytes(records) == (
        b'[{"name":"Farg\xe2\x80\x98ona","lon":71.8,"size":25000}]'
    )


def _regions(rows: list[tuple[str, str, Polygon]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        [{"region_id": r, "level": level, "geometry": g} for r, level, g in rows],
        crs="EPSG:4326",
    )


def test_the_basemap_draws_countries_then_admin1_units_then_the_valley():
    # Ids chosen so that no order by id alone is the drawing order.
    regions = _regions(
        [
            ("a-valley", "valley", box(71, 40, 72, 41)),
            ("ZZ-2", "admin1", box(70, 40, 71, 41)),
            ("zz", "country", box(60, 37, 80, 45)),
            ("ZZ-1", "admin1", box(69, 40, 70, 41)),
            ("AA", "country", box(50, 37, 60, 45)),
        ]
    )
    features = basemap_geojson(regions)["features"]
    assert [f["properties"]["id"] for f in features] == [
        "AA",
        "zz",
        "ZZ-1",
        "ZZ-2",
        "a-valley",
    ]
    assert features[1] == {
        "type": "Feature",
        "properties": {
            "id": "zz",
            "fill": [246, 244, 239, 255],
            "line": [90, 90, 90, 255],
            "width": 1.6,
        },
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
                [[[80.0, 37.0], [80.0, 45.0], [60.0, 45.0], [60.0, 37.0], [80.0, 37.0]]]
            ],
        },
    }


def test_the_basemap_drops_bends_smaller_than_its_tolerance_and_keeps_small_units():
    # A square with a bend of 0.01 degrees on its south edge (under the
    # 0.02 degree tolerance) and one of 0.05 on its north edge (over it); and a
    # unit 0.01 degrees wide, smaller than the tolerance, which still gets an
    # outline of its own.
    bent = Polygon([(0, 0), (0.5, -0.01), (1, 0), (1, 1), (0.5, 1.05), (0, 1)])
    tiny = box(2, 2, 2.01, 2.01)
    features = basemap_geojson(
        _regions([("A", "country", bent), ("B", "country", tiny)])
    )["features"]
    (outer,) = features[0]["geometry"]["coordinates"][0]
    assert sorted(map(tuple, outer[:-1])) == [
        (0.0, 0.0),
        (0.0, 1.0),
        (0.5, 1.05),
        (1.0, 0.0),
        (1.0, 1.0),
    ]
    (small,) = features[1]["geometry"]["coordinates"][0]
    assert len(small) >= 4
    assert {tuple(p) for p in small} <= {
        (2.0, 2.0),
        (2.0, 2.01),
        (2.01, 2.0),
        (2.01, 2.01),
    }

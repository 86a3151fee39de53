"""The region filter: one unit of the region tables, in the spec, the URL, the
caption and the pandas definition.

The expected events per unit are worked out by hand from the tiny world drawn in
:mod:`tests.test_summaries` (the same reading as its ``TINY_TABLES``).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon
from streamlit.testing.v1 import AppTest

from imu_geo.cli import main
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.export import to_csv_bytes
from imu_geo.filters import (
    FilterSpec,
    Unit,
    apply_filters,
    describe,
    filter_mask,
    region_units,
    spec_from_query,
    spec_to_query,
    unit_columns,
)
from imu_geo.layers import PICK_HINT, units_geojson, units_geojson_bytes
from imu_geo.layers.units import region_pick_layer
from imu_geo.pointfiles import PointStore
from imu_geo.summaries import SUMMARY_LEVELS, event_units, unit_keys
from imu_geo.world import WORLD_DIR
from tests.conftest import PROJECT_DIR
from tests.tiny_world import PLACES, REGIONS, tiny_events

MAP_PAGE = str(PROJECT_DIR / "views" / "map.py")

ALL = FilterSpec(start=date(1999, 1, 1), end=date(2001, 12, 31))
UNITS = region_units(REGIONS)

# Which events each unit keeps, by hand (see TINY_TABLES in test_summaries).
TINY_UNITS = [
    ("AA", ["e4", "e1", "e3", "e2", "e8"]),  # in date order
    ("BB", []),  # e7 and e9 lie outside; the vale is coarser than BB
    ("AA-1", ["e1", "e2"]),  # e2 on the AA-1/AA-2 edge: AA-1 sorts first
    ("AA-2", ["e3", "e8"]),
    ("vale", ["e2", "e5", "e8"]),
]


def test_units_are_read_from_the_regions_with_their_level_and_name():
    assert UNITS["AA-1"] == Unit("AA-1", "admin1")
    assert (UNITS["AA-1"].level, UNITS["AA-1"].name) == ("admin1", "North A")
    assert UNITS["vale"].level == "valley"
    assert UNITS["AA"].level == "country"


@pytest.mark.parametrize(("region_id", "expected"), TINY_UNITS)
def test_a_region_keeps_the_events_counted_in_it(region_id, expected):
    events = tiny_events()
    unit = UNITS[region_id]
    spec = replace(ALL, start=date(1999, 1, 1), region=unit)
    units = event_units(events, PLACES, REGIONS, unit.level)
    assert list(apply_filters(events, spec, units)["event_id"]) == expected


@pytest.mark.parametrize(("region_id", "expected"), TINY_UNITS)
def test_the_stores_columns_select_the_same_events(region_id, expected):
    """As the engine's rows carry them (``<level>_status``, ``<level>_region``)."""
    events = tiny_events()
    unit = UNITS[region_id]
    spec = replace(ALL, region=unit)
    keys = unit_keys(events, PLACES, REGIONS, unit.level)
    with_columns = events.assign(
        **{
            f"{unit.level}_status": keys["status"].to_numpy(),
            f"{unit.level}_region": keys["region_id"].to_numpy(),
        }
    )
    assert unit_columns(spec) == (f"{unit.level}_status", f"{unit.level}_region")
    assert list(apply_filters(with_columns, spec)["event_id"]) == expected


def test_a_region_filter_without_the_events_units_is_refused():
    with pytest.raises(ValueError, match="needs each event's unit"):
        filter_mask(tiny_events(), replace(ALL, region=UNITS["AA"]))
    assert unit_columns(ALL) == ()


def test_a_region_combines_with_the_other_filters():
    events = tiny_events()
    units = event_units(events, PLACES, REGIONS, "country")
    spec = replace(ALL, region=UNITS["AA"], layers=("attack",))
    assert list(apply_filters(events, spec, units)["event_id"]) == ["e1", "e2"]
    window = replace(spec, start=date(2000, 2, 1), end=date(2000, 2, 29))
    assert list(apply_filters(events, window, units)["event_id"]) == []


@pytest.mark.parametrize(
    ("regions", "expected"),
    [
        # A repeated id names no unit: a link naming it is refused.
        (
            [("X", "country", "Ex"), ("X", "admin1", "Ex one"), ("Y", "admin1", "Y")],
            {"Y": ("admin1", "Y")},
        ),
        # Levels other than the region tables' are not units.
        (
            [("Z", "district", "Zed"), ("W", "valley", "Vale")],
            {"W": ("valley", "Vale")},
        ),
        # ... and an id used at such a level too is ambiguous.
        ([("Z", "district", "Zed"), ("Z", "country", "Zed")], {}),
        ([("", "country", "No id")], {}),
    ],
)
def test_region_units_leave_out_ids_that_name_no_single_unit(regions, expected):
    frame = pd.DataFrame(regions, columns=["region_id", "level", "name"])
    found = region_units(frame)
    assert {k: (u.level, u.name) for k, u in found.items()} == expected


def test_every_unit_id_names_one_level_in_the_bundled_and_world_regions():
    """The assumption the filter rests on, checked on the data we ship."""
    bundled = load_dataset(BUNDLED_DATA_DIR).regions
    world = pd.concat(
        [
            gpd.read_file(WORLD_DIR / "countries.geojson")[["region_id", "level"]],
            gpd.read_file(WORLD_DIR / "admin1.geojson")[["region_id", "level"]],
        ]
    )
    for regions in (bundled[["region_id", "level"]], world):
        assert not regions["region_id"].duplicated().any()
        assert set(regions["level"]) <= set(SUMMARY_LEVELS)
    assert len(region_units(bundled)) == len(bundled) == 100


CHOICES = {"types": (), "actors": (), "countries": ()}


def test_the_region_travels_in_the_url_by_id():
    spec = replace(ALL, region=UNITS["AA-2"])
    query = spec_to_query(spec, ALL)
    assert query["region"] == "AA-2"
    restored, warnings = spec_from_query(query, ALL, CHOICES, UNITS)
    assert (restored, warnings) == (spec, [])
    assert restored.region.name == "South A"
    assert "region" not in spec_to_query(ALL, ALL)


@pytest.mark.parametrize(
    ("value", "units"),
    [
        ("ZZ", UNITS),
        ("aa-1", UNITS),  # ids are matched exactly
        ("AA-1", None),  # no units known: nothing to match
        ("x" * 500, UNITS),
    ],
)
def test_an_unknown_region_in_the_url_warns_and_shows_all(value, units):
    spec, warnings = spec_from_query({"region": value}, ALL, CHOICES, units)
    assert spec.region is None
    (warning,) = warnings
    assert warning.startswith("Unknown region in the link: “")
    assert warning.endswith("”; showing all.")
    assert len(warning) < 150


def test_the_caption_names_the_unit():
    events = tiny_events()
    spec = replace(ALL, region=UNITS["AA-1"], text="")
    units = event_units(events, PLACES, REGIONS, "admin1")
    assert describe(apply_filters(events, spec, units), spec) == (
        "2 events — 2 attacks, 0 bases, 0 context — from Jan 1999 to Dec 2001 "
        "(in North A)"
    )
    unnamed = replace(ALL, region=Unit("AA-1", "admin1"), actors=("IMU",))
    assert describe(events.iloc[0:0], unnamed).endswith("(in AA-1; actors: IMU)")


def test_a_unit_refuses_a_level_the_tables_do_not_have():
    with pytest.raises(ValueError, match="level must be one of"):
        Unit("AA", "district")
    with pytest.raises(ValueError, match="region_id"):
        Unit("", "country")


# --- clicking units --------------------------------------------------------------


def test_the_units_to_click_lie_coarse_to_fine_with_a_tooltip():
    document = units_geojson(REGIONS)
    ids = [f["properties"]["id"] for f in document["features"]]
    # Countries, then the valley, then the admin-1 units on top (picked first).
    assert ids == ["AA", "BB", "vale", "AA-1", "AA-2", "BB-1"]
    first = document["features"][3]["properties"]
    assert first["tooltip"] == first["n"] == first["t"] == f"North A\n{PICK_HINT}"
    assert json.loads(units_geojson_bytes(REGIONS)) == document


# A country of one square degree and, inside it, an admin-1 unit smaller than
# the display tolerance (0.02 degrees), plus a place, which is not clicked.
SMALL_WORLD = gpd.GeoDataFrame(
    {
        "region_id": ["AA-1", "AA", "AA-p"],
        "name": ["Speck", "Aland", "Town"],
        "level": ["admin1", "country", "place"],
    },
    geometry=[
        Polygon([(0.5, 0.5), (0.51, 0.5), (0.5, 0.51)]),
        Polygon([(0, 0), (1, 0), (1, 1), (0, 1)]),
        Polygon([(0.2, 0.2), (0.3, 0.2), (0.3, 0.3), (0.2, 0.3)]),
    ],
)


def _unit(region_id, name, ring):
    text = f"{name}\n{PICK_HINT}"
    return {
        "type": "Feature",
        "properties": {"id": region_id, "tooltip": text, "n": text, "t": text},
        "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
    }


def test_the_units_document_in_full_keeps_a_unit_smaller_than_the_tolerance():
    # The square has only its corners, so simplifying leaves it as it is; the
    # speck, a triangle narrower than the tolerance, has no corner to spare for
    # a valid ring and stays whole, where a simplification that need not keep
    # the topology makes it empty (and the unit could not be clicked).
    country = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    speck = [[0.5, 0.5], [0.51, 0.5], [0.5, 0.51], [0.5, 0.5]]
    assert units_geojson(SMALL_WORLD) == {
        "type": "FeatureCollection",
        "features": [_unit("AA", "Aland", country), _unit("AA-1", "Speck", speck)],
    }


def test_the_units_file_is_compact_json():
    one = SMALL_WORLD[SMALL_WORLD["region_id"] == "AA"]
    hint = PICK_HINT.replace("\n", "\\n")
    text = f"Aland\\n{hint}"
    expected = (
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        f'"properties":{{"id":"AA","tooltip":"{text}","n":"{text}","t":"{text}"}},'
        '"geometry":{"type":"MultiPolygon","coordinates":'
        "[[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,1.0],[0.0,0.0]]]]}}]}"
    )
    assert units_geojson_bytes(one) == expected.encode("utf-8")


def test_the_pick_layer_is_an_invisible_clickable_layer_of_the_units_file():
    layer = region_pick_layer("units/abc.json", "region-pick")
    assert json.loads(layer.to_json()) == {
        "@@type": "GeoJsonLayer",
        "id": "region-pick",
        "data": "units/abc.json",
        "stroked": False,
        "filled": True,
        "getFillColor": [0, 0, 0, 0],
        "pickable": True,
        "autoHighlight": True,
        "highlightColor": [0, 114, 178, 40],
    }


def test_the_map_page_filters_by_the_region_in_the_url_and_can_be_clicked():
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params.update(start="1999-01-01", end="2004-12-31", region="UZ-TK")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # Hand count: the 1999 car bombs and the 2004 embassy bombings, in the city.
    assert at.caption[0].value == (
        "2 events — 2 attacks, 0 bases, 0 context — from Jan 1999 to Dec 2004 "
        "\\(in Tashkent \\(city\\)\\)"
    )
    assert list(at.dataframe[0].value["event_id"]) == [
        "1999-02-tashkent-car-bombs",
        "2004-tashkent-embassy-suicide-bombings",
    ]
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ids = [layer["id"] for layer in deck["layers"]]
    # Above the basemap's layers, below every event layer.
    assert ids.index("region-pick") == ids.index("labels") + 1
    assert all(ids.index(i) > ids.index("region-pick") for i in ("attacks",))
    pick = deck["layers"][ids.index("region-pick")]
    assert pick["pickable"] is True
    assert pick["data"].startswith("app/static/points/")
    assert at.sidebar.button(key="region_clear").label == "Clear region filter"


def test_export_and_summary_take_the_region(capsysbinary):
    atlas = load_dataset(BUNDLED_DATA_DIR)
    window = ["--start", "1999-01-01", "--end", "2004-12-31"]
    assert main(["export", *window, "--region", "UZ-TK"]) == 0
    out = capsysbinary.readouterr().out
    # By hand: the two events in Tashkent city in the window.
    rows = atlas.events.set_index("event_id").loc[
        ["1999-02-tashkent-car-bombs", "2004-tashkent-embassy-suicide-bombings"]
    ]
    assert out == to_csv_bytes(rows.reset_index()[list(atlas.events.columns)])
    assert main(["summary", *window, "--region", "UZ"]) == 0
    text = capsysbinary.readouterr().out.decode()
    assert "\nUZ  Uzbekistan" in text
    assert "Afghanistan" not in text
    assert (
        "Killed: 23 — 16 from best estimates (1 event), 7 from low figures where "
        "no best estimate is given (2 events); 6 events give no figure."
    ) in text
    assert main(["export", *window, "--region", "nowhere"]) == 0
    assert (
        capsysbinary.readouterr()
        .err.decode()
        .startswith("imu-geo: Unknown region in the link: “nowhere”; showing all.")
    )


def test_a_units_file_is_told_from_point_files_and_swept_with_them(tmp_path):
    store = PointStore(tmp_path / "p", "app/static/points/p")
    units = store.ensure(("k", "units"), lambda: b"{}", suffix=".geojson")
    points = store.ensure(("k", "attack"), lambda: b"[]")
    assert units.endswith(".geojson") and points.endswith(".json")
    assert store.total_bytes() == 4
    store.max_idle_s = 0
    time.sleep(0.05)
    store.sweep()
    assert not [p for p in (tmp_path / "p").iterdir() if p.name != ".lock"]

"""Maps and regions for data from anywhere: the world basemap, framing the data,
regions for an upload, and the Regions page on a dataset outside Central Asia."""

from __future__ import annotations

import json
import math
import shutil

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from imu_geo import world
from imu_geo.data import BUNDLED_DATA_DIR, combine_datasets, load_dataset
from imu_geo.layers import (
    DEFAULT_VIEW,
    FRAME_MAX_ZOOM,
    WORLD_BASEMAP,
    WORLD_VIEW,
    basemap_deck,
    basemap_layers,
    basemap_style,
    build_deck,
    event_bounds,
    frame_view,
)
from imu_geo.store import open_folder
from imu_geo.summaries import choropleth_deck, choropleth_frame, summarise
from imu_geo.ui import loading, mapdeck
from tests.conftest import PROJECT_DIR
from tests.helpers import make_events
from tests.world_data import BENIN, write_world_dataset

REGIONS_PAGE = str(PROJECT_DIR / "views" / "regions.py")
MAP_PAGE = str(PROJECT_DIR / "views" / "map.py")
MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
EARTH_CIRCUMFERENCE_M = 2 * math.pi * 6378137


def expected_view(west, south, east, north, width, height, margin=0.12):
    """The view by another route: pyproj's Web Mercator metres, where the world
    is one circumference wide and 512 pixels at zoom 0."""
    (x0, x1), (y0, y1) = MERCATOR.transform([west, east], [south, north])
    usable_w, usable_h = width * (1 - 2 * margin), height * (1 - 2 * margin)
    zoom = min(
        math.log2(usable_w / 512 * EARTH_CIRCUMFERENCE_M / (x1 - x0)),
        math.log2(usable_h / 512 * EARTH_CIRCUMFERENCE_M / (y1 - y0)),
    )
    lon, lat = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True).transform(
        (x0 + x1) / 2, (y0 + y1) / 2
    )
    return lat, lon, zoom


@pytest.mark.parametrize(
    ("bounds", "size"),
    [
        ((35.7, 29.1, 48.6, 37.4), (640, 600)),  # Syria and Iraq
        ((0.8, 6.2, 3.9, 12.4), (640, 600)),  # Benin: taller than wide
        ((-124.0, 25.0, -67.0, 49.0), (340, 520)),  # the United States
    ],
)
def test_frame_view_fits_the_bounds(bounds, size):
    view = frame_view(bounds, *size)
    lat, lon, zoom = expected_view(*bounds, *size)
    assert view["latitude"] == pytest.approx(lat, abs=0.01)
    assert view["longitude"] == pytest.approx(lon, abs=0.01)
    assert view["zoom"] == pytest.approx(zoom, abs=0.01)


def test_frame_view_of_one_place_and_of_nothing():
    one = frame_view((44.4, 33.3, 44.4, 33.3))
    assert (one["latitude"], one["longitude"], one["zoom"]) == (
        33.3,
        44.4,
        FRAME_MAX_ZOOM,
    )
    assert frame_view(None) == WORLD_VIEW
    assert frame_view((math.nan, 0, 1, 1)) == WORLD_VIEW


def test_event_bounds_skip_events_without_a_point():
    events = make_events(
        [
            {"event_id": "a", "lon": 44.4, "lat": 33.3},
            {"event_id": "b", "lon": 36.2, "lat": 36.2},
            {"event_id": "c"},
        ]
    )
    assert event_bounds(events) == (36.2, 33.3, 44.4, 36.2)
    assert event_bounds(events[events["event_id"] == "c"]) is None


def _paint(expression, feature: dict):
    """A Mapbox GL style expression of the few kinds the styles use, evaluated
    for ``feature`` by hand (the style spec's meaning of each operator)."""
    if not isinstance(expression, list):
        return expression
    op, *args = expression
    if op == "get":
        return feature["properties"][args[0]]
    if op == "at":
        return _paint(args[1], feature)[args[0]]
    if op == "/":
        return _paint(args[0], feature) / _paint(args[1], feature)
    if op == "rgba":
        return tuple(_paint(a, feature) for a in args)
    raise AssertionError(f"unexpected operator {op}")


@pytest.mark.parametrize(
    ("basemap", "folder", "sources"),
    [
        ("atlas", "static", {"basemap": "basemap.geojson"}),
        (
            WORLD_BASEMAP,
            "static/world",
            {"basemap": "basemap.geojson", "admin1": "admin1-lines.geojson"},
        ),
    ],
)
def test_the_base_map_draws_the_basemap_files_under_the_deck(basemap, folder, sources):
    # The deck keeps only the labels; the base map draws the outlines from the
    # committed style, which is the style the code writes.
    assert [layer.data for layer in basemap_layers(basemap)] == [
        f"app/{folder}/labels.json"
    ]
    assert basemap_deck(basemap) == {
        "map_provider": None,
        "map_style": f"app/{folder}/style.json",
    }
    style = json.loads((PROJECT_DIR / folder / "style.json").read_text())
    assert style == basemap_style(basemap)
    assert style["version"] == 8
    assert {name: s["data"] for name, s in style["sources"].items()} == {
        name: f"app/{folder}/{file}" for name, file in sources.items()
    }
    for source in style["sources"].values():
        assert (PROJECT_DIR / source["data"].removeprefix("app/")).is_file()
    assert {layer["source"] for layer in style["layers"]} == set(sources)
    # Each feature is filled and outlined as its own properties say, 0-255 to
    # the style's 0-1 alpha.
    document = json.loads((PROJECT_DIR / folder / "basemap.geojson").read_text())
    paint = {layer["id"]: layer["paint"] for layer in style["layers"]}
    country = next(f for f in document["features"] if f["properties"]["width"] == 1.6)
    assert _paint(paint["basemap-fill"]["fill-color"], country) == (246, 244, 239, 1.0)
    assert _paint(paint["basemap-lines"]["line-color"], country) == (90, 90, 90, 1.0)
    assert _paint(paint["basemap-lines"]["line-width"], country) == 1.6


def test_the_world_admin1_lines_widen_with_the_zoom_to_their_cap():
    width = next(
        layer["paint"]["line-width"]
        for layer in basemap_style(WORLD_BASEMAP)["layers"]
        if layer["id"] == "admin1-lines"
    )
    kind, base, _, zoom0, px0, zoom_full, px_full = width
    assert (kind, base) == ("interpolate", ["exponential", 2])
    # 1,500 m at the equator at zoom 0, where a pixel is 40,075,017 m / 512.
    assert px0 == pytest.approx(1500 / (40_075_016.7 / 512), rel=1e-3)
    assert px_full == 0.6
    assert px0 * 2 ** (zoom_full - zoom0) == pytest.approx(0.6, rel=1e-3)


def test_the_world_basemap_covers_every_country():
    document = json.loads((PROJECT_DIR / "static/world/basemap.geojson").read_text())
    drawn = {f["properties"]["id"] for f in document["features"]}
    assert drawn == set(world.countries()["country"])
    lines = json.loads((PROJECT_DIR / "static/world/admin1-lines.geojson").read_text())
    # One feature per country with more than one unit: the lines between them.
    kinds = {f["geometry"]["type"] for f in lines["features"]}
    assert kinds == {"MultiLineString"}
    assert {f["properties"]["id"] for f in lines["features"]} >= {
        "SY-admin1",
        "IQ-admin1",
        "BJ-admin1",
    }


def test_build_deck_takes_the_view_and_basemap():
    events = make_events(
        [
            {
                "event_id": "a",
                "lon": 44.4,
                "lat": 33.3,
                "date_start": "2014-01-01",
                "date_end": "2014-01-01",
            }
        ]
    )
    view = frame_view(event_bounds(events))
    deck = json.loads(
        build_deck(events, {}, view=view, basemap=WORLD_BASEMAP).to_json()
    )
    assert deck["initialViewState"]["latitude"] == 33.3
    assert deck["mapStyle"] == "app/static/world/style.json"
    assert deck["layers"][0]["data"] == "app/static/world/labels.json"
    atlas = json.loads(build_deck(events, {}).to_json())
    assert atlas["initialViewState"]["zoom"] == DEFAULT_VIEW["zoom"]
    assert atlas["mapStyle"] == "app/static/style.json"
    assert atlas["layers"][0]["data"] == "app/static/labels.json"


@pytest.fixture(scope="module")
def syria_iraq(tmp_path_factory):
    return write_world_dataset(tmp_path_factory.mktemp("syria-iraq"))


def test_regions_of_a_world_dataset_summarise_its_units(syria_iraq):
    dataset = load_dataset(syria_iraq)
    table = summarise(dataset.events, dataset.places, dataset.regions, "admin1")
    # Every place is a city of the unit named in the gazetteer: 3 events each.
    assert set(table["region_id"]) == {
        "SY-HL",
        "SY-RA",
        "SY-DY",
        "SY-HI",
        "IQ-NI",
        "IQ-BG",
        "IQ-AN",
        "IQ-TS",
    }
    assert (table["events"] == 3).all()
    countries = summarise(dataset.events, dataset.places, dataset.regions, "country")
    assert countries.set_index("region_id")["events"].to_dict() == {"IQ": 12, "SY": 12}
    shaded = choropleth_frame(table, dataset.regions, "admin1", "events")
    deck = json.loads(
        choropleth_deck(shaded, frame_view((36, 33, 44, 37)), WORLD_BASEMAP).to_json()
    )
    ids = [layer["id"] for layer in deck["layers"]]
    # The units over the base map (with its admin-1 lines), under the labels.
    assert ids == ["region-choropleth", "labels"]
    assert deck["mapStyle"] == "app/static/world/style.json"
    assert len(deck["layers"][0]["data"]) >= 8


def test_combined_regions_add_the_upload_countries_but_keep_the_atlas_own(
    tmp_path,
):
    atlas = load_dataset(BUNDLED_DATA_DIR)
    upload = load_dataset(write_world_dataset(tmp_path, BENIN))
    both = combine_datasets(atlas, upload)
    added = both.regions[~both.regions["region_id"].isin(atlas.regions["region_id"])]
    assert set(added["country"]) == {"BJ"}
    assert len(both.regions) == len(atlas.regions) + len(upload.regions)
    # An upload whose regions include a country of the atlas adds none of it.
    afghan = upload.__class__(
        upload.directory, upload.events, upload.places, world.regions_for(["AF", "BJ"])
    )
    mixed = combine_datasets(atlas, afghan)
    assert (mixed.regions["country"] == "AF").sum() == (
        atlas.regions["country"] == "AF"
    ).sum()


def test_regions_for_places_come_from_where_the_points_lie():
    places = gpd.GeoDataFrame(
        {"place_id": ["a", "b"], "country": ["", "IQ"]},
        geometry=[Point(37.16, 36.2), Point(44.4, 33.34)],  # Aleppo, Baghdad
        crs="EPSG:4326",
    )
    regions = world.regions_for_places(places)
    assert set(regions.loc[regions["level"] == "country", "region_id"]) == {"SY", "IQ"}


def test_map_view_is_the_atlas_default_for_the_atlas(syria_iraq):
    atlas = loading.from_store(open_folder(BUNDLED_DATA_DIR))
    assert loading.map_view(atlas, 640, 600) == DEFAULT_VIEW
    data = loading.from_store(open_folder(syria_iraq), anywhere=True)
    view = loading.map_view(data, 640, 600)
    # Homs (36.7 E) to Kirkuk (44.4 E), Baghdad (33.3 N) to Mosul (36.3 N).
    assert 39.5 < view["longitude"] < 41.5
    assert 34.0 < view["latitude"] < 35.6
    assert 4.5 < view["zoom"] < 7


def assert_dataset_labels(deck: dict, folder) -> None:
    """The deck's labels are the world's countries and the folder's own units
    below a country, each at its label point."""
    url = next(layer["data"] for layer in deck["layers"] if layer["id"] == "labels")
    assert url.startswith("app/static/points/")
    labels = json.loads((PROJECT_DIR / url.removeprefix("app/")).read_text())
    regions = gpd.read_file(folder / "regions.geojson")
    own = regions[regions["level"] != "country"]
    expected = set(world.countries()["name"]) | set(own["name"])
    assert {label["name"] for label in labels} == expected
    assert len(labels) == len(world.countries()) + len(own)
    baghdad = next(label for label in labels if label["name"] == "Baghdad")
    row = own[own["name"] == "Baghdad"].iloc[0]
    assert (baghdad["lon"], baghdad["lat"]) == (
        round(row["label_lon"], 3),
        round(row["label_lat"], 3),
    )


def test_the_regions_page_on_a_world_folder(syria_iraq, monkeypatch):
    monkeypatch.setenv("IMU_GEO_DATA", str(syria_iraq))
    at = AppTest.from_file(REGIONS_PAGE, default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    level = at.segmented_control(key="r_level")
    # No valley outside the atlas.
    assert list(level.options) == ["Countries", "Provinces (admin-1)"]
    table = at.dataframe[0].value
    assert table.set_index("region_id")["events"].to_dict() == {"IQ": 12, "SY": 12}
    level.set_value("admin1").run()
    table = at.dataframe[0].value
    assert len(table) == 8 and set(table["country"]) == {"SY", "IQ"}
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck["mapStyle"] == "app/static/world/style.json"
    assert_dataset_labels(deck, syria_iraq)
    assert deck["initialViewState"]["zoom"] > 3


def test_the_map_page_on_a_world_folder_frames_its_events(syria_iraq, monkeypatch):
    monkeypatch.setenv("IMU_GEO_DATA", str(syria_iraq))
    at = AppTest.from_file(MAP_PAGE, default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Events on the map"
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck["mapStyle"] == "app/static/world/style.json"
    assert_dataset_labels(deck, syria_iraq)
    view = deck["initialViewState"]
    lat, lon, zoom = expected_view(36.7, 33.3, 44.4, 36.3, *mapdeck.MAP_SIZE)
    # The events' bounds (Homs to Kirkuk, Baghdad to Mosul), to a few hundredths.
    assert view["longitude"] == pytest.approx(lon, abs=0.1)
    assert view["latitude"] == pytest.approx(lat, abs=0.1)
    assert view["zoom"] == pytest.approx(zoom, abs=0.05)


def test_complete_regions_adds_units_only_where_the_places_are_not_covered(
    syria_iraq,
):
    atlas = load_dataset(BUNDLED_DATA_DIR)
    # The atlas's own places all lie in its regions: nothing is added.
    assert world.complete_regions(atlas.regions, atlas.places) is atlas.regions
    places = load_dataset(syria_iraq).places
    both = world.complete_regions(atlas.regions, places)
    added = both[~both["region_id"].isin(atlas.regions["region_id"])]
    assert set(added.loc[added["level"] == "country", "region_id"]) == {"SY", "IQ"}
    assert len(both) == len(atlas.regions) + 2 + 18 + 15


def test_a_folder_written_with_the_atlas_regions_still_has_units(
    syria_iraq, tmp_path, monkeypatch
):
    folder = tmp_path / "old-writer"
    shutil.copytree(syria_iraq, folder)
    shutil.copy(BUNDLED_DATA_DIR / "regions.geojson", folder / "regions.geojson")
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    at = AppTest.from_file(REGIONS_PAGE, default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert table.set_index("region_id")["events"].to_dict() == {"IQ": 12, "SY": 12}

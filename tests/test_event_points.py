"""An event's own point: the optional ``lat``, ``lon``, ``place_name`` and ``country``
columns of ``events.csv``, as an import writes an event with its own coordinates.

The validator's rules, the loader (an own point wins over the place's anchor), the
region summaries (a point event counts as the point place it used to be made into),
the map's bases, and the import (a coordinate row gets its point and no place).
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest

from imu_geo.data import assemble_dataset, combine_datasets, load_dataset
from imu_geo.importers.core import import_file
from imu_geo.importers.writing import write_import
from imu_geo.layers import LAYER_IDS, base_layers, relocation_pairs
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.summaries import SUMMARY_LEVELS, summarise
from imu_geo.validate import check_event_frame, check_event_rows, validate_directory

from .helpers import event_row as _event
from .helpers import make_events, write_dataset
from .helpers import place_feature as _place
from .source_rows import UCDP_BATKEN, UCDP_COLUMNS, UCDP_TAVILDARA, table_bytes
from .tiny_world import PLACES, REGIONS, TINY_TABLES, rows_of, tiny_events

POINT = {"lat": "41.3", "lon": "69.2", "place_name": "Tashkent", "country": "UZ"}
NO_POINT = dict.fromkeys(POINT, "")


def _point_event(**overrides):
    """An attack with its own point and no place_id."""
    return _event(place_id="", **POINT) | overrides


# --- the validator ---------------------------------------------------------------

WHERE = "events.csv, row 2, column"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, []),
        ({"lat": "-90", "lon": "180"}, []),
        ({"lat": "+41.25", "lon": "69."}, []),
        ({"place_name": "", "country": ""}, []),
        ({"country": "UZ|KG"}, []),
        # A point and a place together: both may be given.
        ({"place_id": "tashkent"}, []),
        ({"lat": ""}, [f"{WHERE} lat: is empty, but lon is given"]),
        ({"lon": ""}, [f"{WHERE} lon: is empty, but lat is given"]),
        (
            {"lat": "91"},
            [f"{WHERE} lat: '91' is out of range (latitude runs -90 to 90)"],
        ),
        (
            {"lon": "-180.5"},
            [f"{WHERE} lon: '-180.5' is out of range (longitude runs -180 to 180)"],
        ),
        ({"lat": "nan"}, [f"{WHERE} lat: 'nan' is not a finite number"]),
        ({"lon": "-Infinity"}, [f"{WHERE} lon: '-Infinity' is not a finite number"]),
        (
            {"lat": "41,3"},
            [f"{WHERE} lat: '41,3' is not a decimal number of degrees"],
        ),
        (
            {"lon": "1e2"},
            [f"{WHERE} lon: '1e2' is not a decimal number of degrees"],
        ),
        (
            {"country": "Uzbekistan"},
            [f"{WHERE} country: 'Uzbekistan' is not ISO 3166-1 alpha-2 (e.g. UZ)"],
        ),
        (
            {"lat": "", "lon": ""},
            [
                f"{WHERE} place_name: is given, but the row has no point (lat, lon)",
                f"{WHERE} country: is given, but the row has no point (lat, lon)",
                f"{WHERE} place_id: is empty, but an attack needs a place",
                f"{WHERE} geo_precision: is given, but the row has no place",
                f"{WHERE} place_origin: is given, but the row has no place",
            ],
        ),
        (
            {"geo_precision": ""},
            [f"{WHERE} geo_precision: is empty, but the row has a place"],
        ),
        (
            {
                "lat": "",
                "lon": "",
                "place_name": "",
                "country": "",
                "geo_precision": "",
                "place_origin": "",
            },
            [f"{WHERE} place_id: is empty, but an attack needs a place"],
        ),
        (
            {
                "layer": "context",
                "event_type": "statement",
                "lat": "",
                "lon": "",
                "place_name": "",
                "country": "",
            },
            [
                f"{WHERE} geo_precision: is given, but the row has no place",
                f"{WHERE} place_origin: is given, but the row has no place",
            ],
        ),
    ],
)
def test_point_columns_are_checked_row_by_row(tmp_path, overrides, expected):
    folder = write_dataset(tmp_path, events=[_point_event(**overrides)])
    assert [str(p) for p in validate_directory(folder).problems] == expected


POINT_OVERRIDES = [
    {},
    {"lat": ""},
    {"lon": ""},
    {"lat": "", "lon": ""},
    {"lat": "90.0001"},
    {"lon": "181"},
    {"lat": "NaN"},
    {"lon": "inf"},
    {"lat": "4l.3"},
    {"lat": ".5", "lon": "-0"},
    {"country": "uz"},
    {"country": ""},
    {"place_name": ""},
    {"place_id": "tashkent"},
    {"place_id": "samarkand"},
    {"geo_precision": "", "place_origin": ""},
    {"layer": "context", "event_type": "statement", **NO_POINT},
    {
        "layer": "context",
        "event_type": "statement",
        "geo_precision": "",
        "place_origin": "",
        **NO_POINT,
    },
]


def test_the_column_check_finds_what_the_row_check_finds():
    """The fast check at scale must agree with the row check on every point rule."""
    header = [*EVENT_COLUMNS, *POINT]
    rows = []
    for number, overrides in enumerate(POINT_OVERRIDES):
        row = _point_event(event_id=f"e{number}") | overrides
        rows.append([row[c] for c in header])
    by_row = [str(p) for p in check_event_rows(header, rows, place_ids={"tashkent"})]
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    by_frame = [str(p) for p in check_event_frame(frame, place_ids={"tashkent"})]
    assert by_frame == by_row
    assert len(by_row) >= 12


# --- loading ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # No point: the place's anchor, name and country.
        (
            {"place_id": "tashkent", **NO_POINT},
            ("tashkent", 41.3, 69.2, "Tashkent", "UZ"),
        ),
        # Only a point: its own.
        (
            {"lat": "40.78281", "lon": "72.34422", "place_name": "Andijon"},
            ("", 40.7828, 72.3442, "Andijon", "UZ"),
        ),
        # A point and a place: the point wins, and its name; the place's country
        # stands in for the one not given.
        (
            {
                "place_id": "tashkent",
                "lat": "41.2995",
                "lon": "69.2401",
                "place_name": "Tashkent airport",
                "country": "",
            },
            ("tashkent", 41.2995, 69.2401, "Tashkent airport", "UZ"),
        ),
        # A point with no name: no name.
        ({"place_name": "", "country": ""}, ("", 41.3, 69.2, "", "")),
    ],
)
def test_an_own_point_wins_over_the_place(tmp_path, overrides, expected):
    folder = write_dataset(
        tmp_path, events=[_point_event(**overrides)], places=[_place()]
    )
    row = load_dataset(folder).events.iloc[0]
    got = (row["place_id"], row["lat"], row["lon"], row["place_name"], row["country"])
    assert got == expected


def test_a_folder_of_point_events_and_no_places_loads(tmp_path):
    folder = write_dataset(tmp_path, events=[_point_event()], places=[])
    assert validate_directory(folder).problems == []
    dataset = load_dataset(folder)
    assert dataset.places.empty
    assert list(dataset.events[["lat", "lon"]].itertuples(index=False)) == [
        (41.3, 69.2)
    ]


# --- summaries -------------------------------------------------------------------


def _as_point_events(events: pd.DataFrame, place_ids: set[str]) -> pd.DataFrame:
    """The events at the given point places, rewritten as events with their own
    point (its coordinates, the place's name and country) and no place_id."""
    events = events.copy()
    places = PLACES.set_index("place_id")
    for i in np.flatnonzero(events["place_id"].isin(place_ids).to_numpy()):
        place = places.loc[events.at[i, "place_id"]]
        events.at[i, "lat"] = place.geometry.y
        events.at[i, "lon"] = place.geometry.x
        events.at[i, "place_name"] = place["name"]
        events.at[i, "country"] = place["country"]
        events.at[i, "place_id"] = ""
    return events


@pytest.mark.parametrize("level", SUMMARY_LEVELS)
def test_point_events_are_counted_as_their_point_places_were(level):
    """Events at in, edge, out and border moved to their own points give the
    hand-counted tables of the tiny world unchanged."""
    events = _as_point_events(tiny_events(), {"in", "edge", "out", "border"})
    assert (events["place_id"] == "").sum() == 5  # e1, e2, e7, e8 and e6
    assert rows_of(summarise(events, PLACES, REGIONS, level)) == TINY_TABLES[level]


@pytest.mark.parametrize(
    ("precision", "level", "expected"),
    [
        # (0.25, 0.25) lies in AA and AA-1, outside the vale.
        ("near", "admin1", ("AA-1", "North A", "admin1")),
        ("province", "admin1", ("AA-1", "North A", "admin1")),
        ("region", "admin1", ("", "My town", "region")),
        ("region", "country", ("AA", "Aland", "country")),
        ("province", "valley", ("", "My town", "province")),
        ("exact", "valley", ("", "Outside the valley", "")),
    ],
)
def test_a_point_event_coded_coarser_than_the_units_is_marked(
    precision, level, expected
):
    events = make_events(
        [
            {
                "event_id": "p1",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "place_id": "",
                "geo_precision": precision,
                "lat": 0.25,
                "lon": 0.25,
                "place_name": "My town",
                "country": "AA",
            }
        ]
    )
    table = summarise(events, PLACES, REGIONS, level)
    assert [tuple(r[:3]) for r in rows_of(table)] == [expected]
    if expected[2] == precision:
        assert table.loc[0, "country"] == "AA"
        assert "the point stands for a wider area" in table.loc[0, "note"]


def test_point_events_at_one_point_share_a_row_and_others_do_not():
    events = make_events(
        [
            {
                "event_id": f"p{i}",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "place_id": "",
                "geo_precision": "region",
                "lat": lat,
                "lon": 0.25,
                "place_name": name,
                "country": "AA",
            }
            for i, (lat, name) in enumerate(
                [(0.25, "A"), (0.25, "A"), (0.75, "A"), (0.25, "B")]
            )
        ]
    )
    table = summarise(events, PLACES, REGIONS, "admin1")
    assert sorted((r.region, r.events) for r in table.itertuples()) == [
        ("A", 1),
        ("A", 2),
        ("B", 1),
    ]


def test_the_atlas_tables_do_not_change_with_empty_point_columns(tmp_path):
    """The bundled atlas has no point columns; written with them all empty, its
    tables at every level are the same."""
    atlas = load_dataset()
    raw = pd.read_csv(
        atlas.directory / "events.csv", dtype=str, keep_default_na=False
    ).assign(**NO_POINT)
    with_columns = assemble_dataset(atlas.directory, raw, atlas.places, atlas.regions)
    pd.testing.assert_frame_equal(
        with_columns.events[atlas.events.columns], atlas.events
    )
    for level in SUMMARY_LEVELS:
        pd.testing.assert_frame_equal(
            summarise(with_columns.events, atlas.places, atlas.regions, level),
            summarise(atlas.events, atlas.places, atlas.regions, level),
        )


# --- the map's bases ---------------------------------------------------------------


def test_a_base_with_its_own_point_is_a_ring_there_and_moves_are_by_point():
    bases = make_events(
        [
            {
                "event_id": event_id,
                "layer": "base",
                "event_type": "group_base",
                "date_start": start,
                "date_end": start,
                "place_id": "",
                "geo_precision": "near",
                "lat": lat,
                "lon": 69.0,
                "place_name": name,
            }
            for event_id, start, lat, name in [
                ("b1", "2000-01-01", 41.0, "One"),
                ("b2", "2001-01-01", 41.0, "One"),
                ("b3", "2002-01-01", 42.0, "Two"),
            ]
        ]
    )
    layers = {layer.id: layer for layer in base_layers(bases, {})}
    points = layers[LAYER_IDS["base_points"]].data
    assert [(p["event_id"], p["lon"], p["lat"]) for p in points] == [
        ("b1", 69.0, 41.0),
        ("b2", 69.0, 41.0),
        ("b3", 69.0, 42.0),
    ]
    # b1 -> b2 stays at one point; b2 -> b3 moves.
    assert relocation_pairs(bases) == [("b2", "b3")]


# --- the import ------------------------------------------------------------------


def test_an_imported_row_with_coordinates_gets_its_point_and_no_place(tmp_path):
    """UCDP's Batken row has coordinates: its point and country go to events.csv,
    with no place_id and no feature. Tavildara has none and is placed from the
    gazetteer: it keeps its place_id, and that place is the one feature."""
    result = import_file(
        "ged.csv", table_bytes([UCDP_BATKEN, UCDP_TAVILDARA], UCDP_COLUMNS)
    )
    write_import(result, tmp_path)
    with (tmp_path / "events.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    got = [
        {c: row[c] for c in ("event_id", "place_id", *POINT, "geo_precision")}
        for row in rows
    ]
    assert got == [
        {
            "event_id": "ucdp-4001",
            "place_id": "",
            "lat": "39.8646",
            "lon": "70.8507",
            "place_name": "Batken province",
            "country": "KG",
            "geo_precision": "province",
        },
        {
            "event_id": "ucdp-4002",
            "place_id": "tavildara",
            "lat": "",
            "lon": "",
            "place_name": "",
            "country": "",
            "geo_precision": "near",
        },
    ]
    features = json.loads((tmp_path / "places.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["place_id"] for f in features["features"]] == ["tavildara"]
    assert validate_directory(tmp_path).problems == []
    events = load_dataset(tmp_path).events
    assert list(events["lat"]) == [39.8646, result.events.loc[1, "lat"]]
    assert list(events["country"]) == ["KG", "TJ"]
    assert list(events["place_name"]) == ["Batken province", "Tavildara"]


def test_the_atlas_and_an_import_of_points_shown_together_keep_both():
    """combine_datasets: each event keeps its own point; the places are the
    atlas's and the import's named ones; the regions gain Kyrgyzstan's units
    only where the atlas has none (it has Kyrgyzstan, so none)."""
    result = import_file(
        "ged.csv", table_bytes([UCDP_BATKEN, UCDP_TAVILDARA], UCDP_COLUMNS)
    )
    atlas = load_dataset()
    upload = assemble_dataset(
        atlas.directory, result.events, result.places, atlas.regions
    )
    both = combine_datasets(atlas, upload)
    assert len(both.events) == len(atlas.events) + 2
    imported = both.events.set_index("event_id").loc[["ucdp-4001", "ucdp-4002"]]
    assert list(imported["place_id"]) == ["", "tavildara"]
    assert list(imported["lat"])[0] == 39.8646
    assert list(imported["country"]) == ["KG", "TJ"]
    # Tavildara is an atlas gazetteer place, kept once.
    assert both.places["place_id"].is_unique
    assert set(both.places["place_id"]) == set(atlas.places["place_id"]) | {"tavildara"}

"""The clustered synthetic data (``imu_geo.synthetic``): its shape, against the
numbers its docstrings promise (twelve places a hub, Zipf-like hub weights,
each hub active for three to nine years, dates and fatalities in the schema's
precisions and proportions), and a written folder that validates.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, shape

from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.schema import EVENT_COLUMNS, EVENT_TYPES
from imu_geo.synthetic import (
    SOURCE,
    synthetic_events,
    synthetic_places,
    write_synthetic,
)
from imu_geo.validate import validate_directory

N = 20_000


def _bundled_features(name: str) -> list[dict]:
    text = (BUNDLED_DATA_DIR / f"{name}.geojson").read_text(encoding="utf-8")
    return json.loads(text)["features"]


# The hubs, read straight from the bundled file: every point place in one country.
HUBS = sorted(
    (f["properties"]["place_id"], f)
    for f in _bundled_features("places")
    if f["geometry"]["type"] == "Point" and len(f["properties"]["country"]) == 2
)
COUNTRIES = {
    f["properties"]["region_id"]: shape(f["geometry"])
    for f in _bundled_features("regions")
    if f["properties"]["level"] == "country"
}


# Made again for each test (not once a module): a mutation run runs, for a
# mutant, only the tests that reached the mutated function, and a shared
# fixture reaches it in the first test alone.
@pytest.fixture
def places():
    return synthetic_places(BUNDLED_DATA_DIR, seed=0)


@pytest.fixture
def events(places):
    return synthetic_events(places, N, seed=0)


def test_twelve_places_around_each_hub_inside_its_country(places):
    assert len(HUBS) == 9
    assert len(places) == 12 * len(HUBS)
    assert places.crs == "EPSG:4326"
    assert isinstance(places, gpd.GeoDataFrame)
    expected_ids = [f"syn-{hub}-{k:02d}" for hub, _ in HUBS for k in range(12)]
    assert places["place_id"].tolist() == expected_ids
    expected_names = [
        f"Synthetic place {k} near {feature['properties']['name']}"
        for _, feature in HUBS
        for k in range(1, 13)
    ]
    assert places["name"].tolist() == expected_names
    assert places["hub"].tolist() == [hub for hub, _ in HUBS for _ in range(12)]
    assert set(places["alt_names"]) == {""}
    assert set(places["kind"]) == {"city"}
    assert set(places["admin1"]) == {""}
    for (hub, feature), (_, group) in zip(
        HUBS, places.groupby("hub", sort=True), strict=True
    ):
        country = feature["properties"]["country"]
        assert set(group["country"]) == {country}
        centre = Point(feature["geometry"]["coordinates"])
        for point in group.geometry:
            assert COUNTRIES[country].contains(point), (hub, point)
            # Four decimals.
            assert round(point.x, 4) == point.x and round(point.y, 4) == point.y
            # A normal spread of 0.35 degrees: within 2 degrees by far.
            assert point.distance(centre) < 2.0
        assert len(set(group.geometry.map(lambda p: (p.x, p.y)))) == 12


def test_places_spread_about_a_third_of_a_degree(places):
    hubs = {hub: Point(feature["geometry"]["coordinates"]) for hub, feature in HUBS}
    dx = [p.x - hubs[h].x for p, h in zip(places.geometry, places["hub"], strict=True)]
    dy = [p.y - hubs[h].y for p, h in zip(places.geometry, places["hub"], strict=True)]
    # Standard deviation 0.35 per axis, somewhat less where a border cuts it.
    assert 0.2 < np.std(dx) < 0.45
    assert 0.2 < np.std(dy) < 0.45


def test_same_seed_same_places_and_events(places, events):
    again = synthetic_places(BUNDLED_DATA_DIR, seed=0)
    assert again.geometry.equals(places.geometry)
    other = synthetic_places(BUNDLED_DATA_DIR, seed=1)
    assert not other.geometry.equals(places.geometry)
    small = synthetic_events(places, 500, seed=0)
    pd.testing.assert_frame_equal(small, synthetic_events(places, 500, seed=0))
    assert not synthetic_events(places, 500, seed=1).equals(small)


def test_events_have_the_schemas_columns_and_say_they_are_made_up(events):
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert len(events) == N
    assert events["event_id"].tolist()[:2] == ["syn-0000001", "syn-0000002"]
    assert events["event_id"].tolist()[-1] == "syn-0020000"
    assert events["title"].tolist()[:2] == ["Synthetic event 1", "Synthetic event 2"]
    assert events["title"].tolist()[-1] == "Synthetic event 20000"
    constant = {
        "date_origin": "source",
        "place_origin": "source",
        "target": "",
        "description": "A made-up event for measuring speed.",
        "source_quote": "synthetic",
        "source": SOURCE,
        "notes": "",
    }
    for column, value in constant.items():
        assert set(events[column]) == {value}, column
    assert "not a historical record" in SOURCE


@pytest.mark.parametrize(
    ("column", "shares"),
    [
        ("date_precision", {"day": 0.7, "month": 0.2, "year": 0.1}),
        ("layer", {"attack": 0.6, "context": 0.32, "base": 0.08}),
        ("geo_precision", {"exact": 0.5, "near": 0.3, "district": 0.2}),
        ("attribution", {"claimed": 0.2, "attributed": 0.5, "suspected": 0.3}),
        (
            "actors",
            {"IMU": 0.25, "IMU;Taliban": 0.25, "IJU": 0.25, "State forces": 0.25},
        ),
    ],
)
def test_proportions(events, column, shares):
    found = events[column].value_counts(normalize=True).to_dict()
    assert set(found) == set(shares)
    for value, share in shares.items():
        # 20,000 draws: a share's standard error is at most 0.0036.
        assert abs(found[value] - share) < 0.015, (value, found[value])


def test_event_types_belong_to_their_layer_and_all_occur(events):
    for layer, types in EVENT_TYPES.items():
        mine = events.loc[events["layer"] == layer, "event_type"]
        assert set(mine) == set(types), layer
        # Chosen evenly within the layer.
        shares = mine.value_counts(normalize=True)
        assert (abs(shares - 1 / len(types)) < 0.05).all(), layer


def test_fatalities_only_for_attacks_most_of_them_known(events):
    assert (events["fatalities_low"] == events["fatalities_best"]).all()
    assert (events["fatalities_high"] == events["fatalities_best"]).all()
    attack = events["layer"] == "attack"
    assert set(events.loc[~attack, "fatalities_best"]) == {""}
    known = events.loc[attack, "fatalities_best"] != ""
    assert abs(known.mean() - 0.8) < 0.015
    numbers = events.loc[attack, "fatalities_best"][known].astype(int)
    # Poisson with mean 2: zero in e**-2 = 13.5% of attacks.
    assert abs(numbers.mean() - 2.0) < 0.05
    assert abs((numbers == 0).mean() - np.exp(-2)) < 0.015


def test_dates_follow_their_precision_within_1991_to_2015(events):
    start = pd.to_datetime(events["date_start"], format="%Y-%m-%d")
    end = pd.to_datetime(events["date_end"], format="%Y-%m-%d")
    assert start.min() >= pd.Timestamp("1991-01-01")
    assert end.max() <= pd.Timestamp("2015-12-31")
    # Together the hubs cover the whole span.
    assert start.min().year == 1991
    assert end.max().year == 2015
    day = events["date_precision"] == "day"
    month = events["date_precision"] == "month"
    year = events["date_precision"] == "year"
    assert (start[day] == end[day]).all()
    assert (start[month].dt.day == 1).all()
    assert (end[month] == start[month] + pd.offsets.MonthEnd(0)).all()
    assert (end[month].dt.is_month_end).all()
    assert ((start[year].dt.month == 1) & (start[year].dt.day == 1)).all()
    assert ((end[year].dt.month == 12) & (end[year].dt.day == 31)).all()
    assert (start[year].dt.year == end[year].dt.year).all()


def test_each_hub_is_active_for_three_to_nine_years(events, places):
    hub_of = dict(zip(places["place_id"], places["hub"], strict=True))
    days = events[events["date_precision"] == "day"].assign(
        hub=lambda e: e["place_id"].map(hub_of),
        day=lambda e: pd.to_datetime(e["date_start"], format="%Y-%m-%d"),
    )
    spans = days.groupby("hub")["day"].agg(lambda d: (d.max() - d.min()).days)
    assert len(spans) == 9
    assert (spans < 9 * 365).all()
    # Every hub is busy over a few years at least, unless cut at 2015's end.
    assert (spans > 365).all()
    # Not all over the same years: some hubs stop before others start.
    first = days.groupby("hub")["day"].min()
    last = days.groupby("hub")["day"].max()
    assert first.max() > last.min()


def test_hubs_weigh_like_zipf_and_their_places_alike(events, places):
    hub_of = dict(zip(places["place_id"], places["hub"], strict=True))
    shares = events["place_id"].map(hub_of).value_counts(normalize=True)
    ranks = np.arange(1, 10)
    expected = ranks**-1.1 / (ranks**-1.1).sum()
    assert shares.to_numpy() == pytest.approx(expected, abs=0.012)
    # Within a hub, each of its twelve places about as often.
    biggest = shares.index[0]
    in_hub = events.loc[events["place_id"].map(hub_of) == biggest, "place_id"]
    place_shares = in_hub.value_counts(normalize=True)
    assert len(place_shares) == 12
    assert (abs(place_shares - 1 / 12) < 0.02).all()
    assert set(events["place_id"]) <= set(places["place_id"])


def test_a_written_folder_validates(tmp_path):
    folder = tmp_path / "deep" / "syn"
    assert write_synthetic(folder, 300, BUNDLED_DATA_DIR, seed=2) == folder
    assert (folder / "regions.geojson").read_bytes() == (
        BUNDLED_DATA_DIR / "regions.geojson"
    ).read_bytes()
    features = json.loads((folder / "places.geojson").read_text(encoding="utf-8"))
    assert len(features["features"]) == 108
    first = features["features"][0]
    assert first["type"] == "Feature"
    assert set(first["properties"]) == {
        "place_id",
        "name",
        "alt_names",
        "kind",
        "country",
        "admin1",
    }
    assert first["geometry"]["type"] == "Point"
    places = synthetic_places(BUNDLED_DATA_DIR, seed=2)
    assert first["geometry"]["coordinates"] == [
        places.geometry.iloc[0].x,
        places.geometry.iloc[0].y,
    ]
    events = pd.read_csv(folder / "events.csv", dtype=str, keep_default_na=False)
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert len(events) == 300
    report = validate_directory(folder)
    assert [str(p) for p in report.problems] == []
    assert report.n_events == 300


def test_writing_again_into_a_folder_replaces_its_files(tmp_path):
    write_synthetic(tmp_path, 20, BUNDLED_DATA_DIR, seed=2)
    assert write_synthetic(tmp_path, 30, BUNDLED_DATA_DIR, seed=2) == tmp_path
    events = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    assert len(events) == 30


def test_the_default_seed_is_zero(places):
    # The signatures promise seed=0: called without a seed, each function gives
    # what it gives for seed 0.
    assert synthetic_places(BUNDLED_DATA_DIR).geometry.equals(places.geometry)
    pd.testing.assert_frame_equal(
        synthetic_events(places, 500), synthetic_events(places, 500, seed=0)
    )


def test_the_seed_of_a_written_folder_chooses_its_places_and_events(tmp_path):
    def written(folder, **seed):
        write_synthetic(folder, 200, BUNDLED_DATA_DIR, **seed)
        return (
            (folder / "places.geojson").read_bytes(),
            (folder / "events.csv").read_bytes(),
        )

    default = written(tmp_path / "default")
    assert written(tmp_path / "zero", seed=0) == default
    places, events = written(tmp_path / "one", seed=1)
    # Place ids do not depend on the seed, so the events differ only if the
    # seed reaches them too.
    assert places != default[0]
    assert events != default[1]

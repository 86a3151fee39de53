"""The bundled data: valid, traceable to the source, and the basemap in sync."""

import geopandas as gpd
import pytest

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.layers import basemap_files
from imu_geo.validate import missing_quote_segments, validate_directory
from tests.conftest import PROJECT_DIR


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(BUNDLED_DATA_DIR)


def test_bundled_data_validates_without_a_problem():
    report = validate_directory(BUNDLED_DATA_DIR)
    assert [str(p) for p in report.problems] == []
    assert report.n_events >= 30


def test_every_quote_is_verbatim_in_the_source_text(dataset, source_text):
    missing = {
        row.event_id: missing_quote_segments(row.source_quote, source_text)
        for row in dataset.events.itertuples()
    }
    assert {k: v for k, v in missing.items() if v} == {}


def test_every_point_place_lies_in_its_stated_country(dataset):
    countries = dataset.regions[dataset.regions["level"] == "country"].set_index(
        "country"
    )
    points = dataset.places[dataset.places.geom_type == "Point"]
    assert len(points) > 0
    outside = [
        place.place_id
        for place in points.itertuples()
        if not any(
            countries.loc[code, "geometry"].buffer(0.03).contains(place.geometry)
            for code in place.country.split("|")
        )
    ]
    assert outside == []


def test_the_story_spans_1991_to_2015_in_all_three_layers(dataset):
    events = dataset.events
    assert events["date_start"].min().year == 1991
    assert events["date_end"].max().year == 2015
    assert set(events["layer"]) == {"attack", "base", "context"}
    assert events["event_id"].is_unique


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        # The source: "five car bombs in Tashkent in February 1999" and
        # "explosions in Tashkent that killed 16 people".
        ("1999-02-tashkent-car-bombs", ("1999-02-01", "1999-02-28", "month", 16)),
        # "On 25 September 2002 the US Department of State is announcing the
        # redesignation".
        ("2002-09-25-fto-redesignation", ("2002-09-25", "2002-09-25", "day", None)),
        # "they claimed responsibility for the Karachi airport attack in June 2014".
        ("2014-06-karachi-airport-attack", ("2014-06-01", "2014-06-30", "month", None)),
    ],
)
def test_key_rows_say_what_the_source_says(dataset, event_id, expected):
    row = dataset.events.set_index("event_id").loc[event_id]
    best = row["fatalities_best"]
    assert (
        row["date_start"].date().isoformat(),
        row["date_end"].date().isoformat(),
        row["date_precision"],
        None if best is None or str(best) == "<NA>" else int(best),
    ) == expected


def test_static_basemap_matches_the_regions():
    regions = gpd.read_file(BUNDLED_DATA_DIR / "regions.geojson")
    for name, payload in basemap_files(regions).items():
        assert (PROJECT_DIR / "static" / name).read_bytes() == payload, (
            f"static/{name} is stale: run `imu-geo basemap`"
        )

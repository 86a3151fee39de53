"""A tiny world built in code: hand-made regions and places, nine events on
them, and the summary tables worked out by hand from its drawing. Shared by the
summary, region-filter and event-point tests."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

from imu_geo.summaries import NO_PLACE_LABEL, OUTSIDE_LABELS
from tests.helpers import make_events

# --- a tiny world built in code -------------------------------------------------
#
#   y=2 +---------+---------+-------------------+
#       |         |         |                   |
#       |  AA-1   |  AA-2   |       BB-1        |     countries: AA = x 0..2
#   1.5 |    +----+---------+----+              |                BB = x 2..4
#       |    |  edge*    border* |  vale        |     valley "vale": x 0.5..2.5,
#   0.5 |    +----+---------+----+              |                    y 0.5..1.5
#       | in*     |         |                   |
#   y=0 +---------+---------+-------------------+
#       x=0      x=1       x=2                 x=4
#
# "edge" (1, 1) lies on the edge between AA-1 and AA-2; "border" (2, 1) on the
# border between AA and BB (and AA-2 and BB-1). "out" (10, 10) is in nothing.
# Province P2 is the polygon of AA-2; country AA is the polygon of AA; "vale" is
# a place spanning AA and BB, and is the valley unit too.

REGIONS = gpd.GeoDataFrame(
    {
        "region_id": ["AA", "BB", "AA-1", "AA-2", "BB-1", "vale"],
        "name": ["Aland", "Bland", "North A", "South A", "Only B", "The Vale"],
        "level": ["country", "country", "admin1", "admin1", "admin1", "valley"],
        "country": ["AA", "BB", "AA", "AA", "BB", "AA|BB"],
        "label_lat": [1.0] * 6,
        "label_lon": [1.0] * 6,
    },
    geometry=[
        box(0, 0, 2, 2),
        box(2, 0, 4, 2),
        box(0, 0, 1, 2),
        box(1, 0, 2, 2),
        box(2, 0, 4, 2),
        box(0.5, 0.5, 2.5, 1.5),
    ],
    crs="EPSG:4326",
)
PLACES = gpd.GeoDataFrame(
    {
        "place_id": ["in", "edge", "border", "out", "p2", "aa", "vale", "far"],
        "name": [
            "Inside town",
            "Edge town",
            "Border town",
            "Faraway town",
            "Province Two",
            "Aland",
            "The Vale",
            "Far province",
        ],
        "kind": [
            "city",
            "city",
            "border_town",
            "city",
            "province",
            "country",
            "valley",
            "province",
        ],
        "country": ["AA", "AA", "AA", "ZZ", "AA", "AA", "AA|BB", "ZZ"],
        "admin1": ["AA-1", "AA-1", "AA-2", "", "AA-2", "", "", ""],
    },
    geometry=[
        Point(0.25, 0.25),
        Point(1.0, 1.0),
        Point(2.0, 1.0),
        Point(10.0, 10.0),
        box(1, 0, 2, 2),
        box(0, 0, 2, 2),
        box(0.5, 0.5, 2.5, 1.5),
        box(10, 10, 11, 11),
    ],
    crs="EPSG:4326",
)


def tiny_events():
    def event(event_id, layer, place_id, precision, start, end, **more):
        event_type = {"attack": "bombing", "base": "group_base"}.get(layer, "statement")
        return {
            "event_id": event_id,
            "layer": layer,
            "event_type": event_type,
            "place_id": place_id,
            "geo_precision": precision,
            "date_start": start,
            "date_end": end,
            **more,
        }

    return make_events(
        [
            event("e1", "attack", "in", "near", "2000-01-01", "2000-01-01")
            | {"fatalities_low": "3", "fatalities_best": "3", "fatalities_high": "4"},
            event("e2", "attack", "edge", "exact", "2000-03-01", "2000-03-31")
            | {"fatalities_low": "1"},
            event("e3", "base", "p2", "province", "2000-02-01", "2001-12-31"),
            event("e4", "context", "aa", "country", "1999-01-01", "2000-06-30"),
            event("e5", "context", "vale", "region", "2000-05-01", "2000-05-31"),
            event("e6", "context", "", "", "2000-07-01", "2000-07-01"),
            event("e7", "attack", "out", "exact", "2000-08-01", "2000-08-01"),
            event("e8", "context", "border", "exact", "2000-09-01", "2000-09-30"),
            event("e9", "base", "far", "province", "2000-10-01", "2000-10-31"),
        ]
    )


def rows_of(summary: pd.DataFrame) -> list[tuple]:
    """(region_id, region, coded_at, events, attacks, bases, context) per row."""
    return [
        (r.region_id, r.region, r.coded_at, r.events, r.attacks, r.bases, r.context)
        for r in summary.itertuples(index=False)
    ]


# Expected rows, worked out from the drawing above.
TINY_TABLES = {
    "country": [
        # e1 (inside), e2 (edge of two provinces, inside AA), e3 (province P2
        # lies in AA), e4 (the country itself), e8 (on the AA/BB border: AA, as
        # "AA" sorts before "BB").
        ("AA", "Aland", "country", 5, 2, 1, 2),
        # The vale spans AA and BB (75% in AA): coarser than a country.
        ("", "The Vale", "region", 1, 0, 0, 1),
        ("", OUTSIDE_LABELS["country"], "", 2, 1, 1, 0),  # e7 and e9
        ("", NO_PLACE_LABEL, "", 1, 0, 0, 1),  # e6
    ],
    "admin1": [
        ("AA-1", "North A", "admin1", 2, 2, 0, 0),  # e1; e2 on the edge: AA-1 first
        ("AA-2", "South A", "admin1", 2, 0, 1, 1),  # e3 (P2 is AA-2) and e8
        ("", "The Vale", "region", 1, 0, 0, 1),  # e5: 50% at most in one unit
        ("", "Aland", "country", 1, 0, 0, 1),  # e4: a country in a province table
        ("", OUTSIDE_LABELS["admin1"], "", 2, 1, 1, 0),
        ("", NO_PLACE_LABEL, "", 1, 0, 0, 1),
    ],
    "valley": [
        ("vale", "The Vale", "valley", 3, 1, 0, 2),  # e2, e8 (points) and e5
        ("", "Province Two", "province", 1, 0, 1, 0),  # P2 is half in the vale
        ("", "Aland", "country", 1, 0, 0, 1),
        ("", OUTSIDE_LABELS["valley"], "", 3, 2, 1, 0),  # e1, e7, e9
        ("", NO_PLACE_LABEL, "", 1, 0, 0, 1),
    ],
}

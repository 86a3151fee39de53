"""The Map page's view as the reader's browser kept it (imu_geo.ui.mapview),
checked before a map opens on it, and the view a map opens on without it:
hand-worked cases."""

from __future__ import annotations

import math

import numpy as np
import pydeck as pdk
import pytest

from imu_geo.layers import kept_view
from imu_geo.ui.mapdeck import opening_view

GOOD = {"longitude": 70.5, "latitude": 40.25, "zoom": 6.5, "pitch": 0, "bearing": 0}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (GOOD, {**GOOD, "pitch": 0.0, "bearing": 0.0}),
        # Pitch and bearing may be left out: the map's flat, north-up view.
        (
            {"longitude": 1, "latitude": 2, "zoom": 3},
            {
                "longitude": 1.0,
                "latitude": 2.0,
                "zoom": 3.0,
                "pitch": 0.0,
                "bearing": 0.0,
            },
        ),
        # A longitude or bearing past a full turn comes back within one.
        ({**GOOD, "longitude": 370.5}, {**GOOD, "longitude": 10.5}),
        ({**GOOD, "longitude": -190.0}, {**GOOD, "longitude": 170.0}),
        ({**GOOD, "longitude": 180.0}, {**GOOD, "longitude": -180.0}),
        ({**GOOD, "bearing": 270.0}, {**GOOD, "bearing": -90.0}),
        # The edges of what the map shows are allowed.
        (
            {**GOOD, "latitude": 85.06, "zoom": 24, "pitch": 85},
            {**GOOD, "latitude": 85.06, "zoom": 24.0, "pitch": 85.0},
        ),
        (
            {**GOOD, "latitude": -85.06, "zoom": 0},
            {**GOOD, "latitude": -85.06, "zoom": 0.0},
        ),
    ],
)
def test_a_view_is_kept_as_a_map_can_show_it(value, expected):
    assert kept_view(value) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "70.5,40.25,6.5",
        [70.5, 40.25, 6.5],
        {},
        {"longitude": 70.5, "latitude": 40.25},  # no zoom
        {**GOOD, "zoom": "6"},
        {**GOOD, "zoom": True},
        {**GOOD, "latitude": math.nan},
        {**GOOD, "longitude": math.inf},
        {**GOOD, "longitude": 1e7},
        {**GOOD, "latitude": 85.1},
        {**GOOD, "latitude": -90},
        {**GOOD, "zoom": -0.5},
        {**GOOD, "zoom": 24.5},
        {**GOOD, "pitch": 86},
        {**GOOD, "pitch": -1},
        {**GOOD, "bearing": None},
    ],
)
def test_anything_else_is_no_view(value):
    assert kept_view(value) is None


def test_the_opening_view_is_the_deck_s_initial_centre_and_zoom():
    deck = pdk.Deck(
        initial_view_state=pdk.ViewState(
            longitude=np.float64(69.25), latitude=41.5, zoom=5, pitch=30
        )
    )
    view = opening_view(deck)
    assert view == {"longitude": 69.25, "latitude": 41.5, "zoom": 5.0}
    assert all(type(value) is float for value in view.values())  # JSON as sent

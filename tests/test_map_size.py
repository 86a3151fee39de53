"""A map framed for the size the browser draws it at: the atlas's view in a
smaller map, the size a phone's style sheet gives a map, the tour's view at
that size, and what the page accepts as the browser's measure. Every expected
value is worked by hand in its comment."""

from __future__ import annotations

import pytest

from imu_geo.layers.view import DEFAULT_VIEW, fit_view, map_box
from imu_geo.tour import view_for
from imu_geo.ui.viewport import _measured

ATLAS = (640, 600)


@pytest.mark.parametrize(
    ("size", "zoom"),
    [
        # As large as designed, or larger: the view as it is.
        ((640, 600), 3.7),
        ((1280, 900), 3.7),
        ((641, 600), 3.7),
        # Half as wide: one step out (each step halves the ground a pixel
        # covers), 3.7 - 1.
        ((320, 600), 2.7),
        # Half as high, the same.
        ((640, 300), 2.7),
        # Both halved: still one step, the tighter dimension decides.
        ((320, 300), 2.7),
        # A phone's column, 358 of 640 pixels: 3.7 + log2(358 / 640) = 2.8619.
        ((358, 600), 2.86),
        # The Regions page's height, 520 of 600: 3.7 + log2(520 / 600) = 3.4936.
        ((640, 520), 3.49),
        # The tighter of the two: log2(600 / 640) = -0.093 against
        # log2(400 / 600) = -0.58496, 3.7 - 0.58496 = 3.11504.
        ((600, 400), 3.12),
        # A map of one pixel (or none) goes no further out than the framing's
        # lowest zoom, 0.5.
        ((1, 1), 0.5),
        ((0, 0), 0.5),
    ],
)
def test_the_atlas_view_in_a_smaller_map_shows_the_same_region(size, zoom):
    view = fit_view(DEFAULT_VIEW, ATLAS, size)
    assert view == {"latitude": 36.5, "longitude": 68.5, "zoom": zoom}


def test_fitting_a_view_leaves_the_view_given_unchanged():
    view = {"latitude": 36.5, "longitude": 68.5, "zoom": 3.7, "pitch": 0}
    fitted = fit_view(view, ATLAS, (320, 300))
    assert view == {"latitude": 36.5, "longitude": 68.5, "zoom": 3.7, "pitch": 0}
    # What else the view holds is kept.
    assert fitted == {"latitude": 36.5, "longitude": 68.5, "zoom": 2.7, "pitch": 0}


@pytest.mark.parametrize(
    ("column", "screen", "box"),
    [
        # Not measured yet: the size designed.
        (None, None, (556.0, 520.0)),
        (None, (1400, 1000), (556.0, 520.0)),
        # A column measured at 0 (not laid out) says nothing.
        (0, (1400, 1000), (556.0, 520.0)),
        # A desktop: the column's width, the height as designed.
        (900, (1400, 1000), (900.0, 520.0)),
        # Within 15% of the designed width (556 x 0.15 = 83.4), the height as
        # designed: the designed size, so the view the page opened with stands.
        (600, (1400, 1000), (556.0, 520.0)),
        (473, (1400, 1000), (556.0, 520.0)),
        (639, (1400, 1000), (556.0, 520.0)),
        # Just beyond: 556 - 83.4 = 472.6, 556 + 83.4 = 639.4.
        (472, (1400, 1000), (472.0, 520.0)),
        (640, (1400, 1000), (640.0, 520.0)),
        # A phone of 390 x 844: half its height, 422.
        (358, (390, 844), (358.0, 422.0)),
        # A short phone: half of 400 is 200, under the floor of 240.
        (358, (390, 400), (358.0, 240.0)),
        # A tall phone: half of 1,200 is 600, above the height designed.
        (358, (390, 1200), (358.0, 520.0)),
        # 640 pixels wide is still a phone (the style sheet's max-width: 640px),
        # 641 is not. A column of 400 is far from 556, so the box is measured.
        (400, (640, 900), (400.0, 450.0)),
        (400, (641, 900), (400.0, 520.0)),
        # Both within 15% (600 of 556, 450 of 520, 78 ≤ 0.15 x 520): designed.
        (600, (640, 900), (556.0, 520.0)),
        # The width near, the height not (300 of 520): both as measured.
        (600, (640, 600), (600.0, 300.0)),
        # A column measured on a screen not measured: the height as designed.
        (358, None, (358.0, 520.0)),
    ],
)
def test_the_box_a_map_is_drawn_in(column, screen, box):
    assert map_box(column, screen, (556, 520)) == box


@pytest.mark.parametrize(
    ("lons", "lats", "size", "expected"),
    [
        # 66 to 72 E, 34 to 41 N in a phone's 358 x 422 map, margin 1.5, 81.487
        # pixels per radian at zoom 0: across, log2(358 / (1.5 x 0.10472 x
        # 81.487)) = 4.806; up, the Mercator span 0.78586 - 0.63166 = 0.15420:
        # log2(422 / (1.5 x 0.15420 x 81.487)) = 4.485, the smaller (900 x 560
        # gave 4.89). The middle, 0.70876 in Mercator, is 37.582 degrees north.
        (
            [66.0, 72.0],
            [34.0, 41.0],
            (358, 422),
            {"latitude": 37.582, "longitude": 69.0, "zoom": 4.48},
        ),
        # 200 degrees across 300 pixels would need zoom -0.51; the lowest zoom
        # is 3 at 900 pixels wide, so 3 + log2(300 / 900) = 1.415 at 300.
        (
            [-100.0, 100.0],
            [-10.0, 10.0],
            (300, 560),
            {"latitude": 0.0, "longitude": 0.0, "zoom": 1.42},
        ),
        # The same at the full size stops at 3.
        (
            [-100.0, 100.0],
            [-10.0, 10.0],
            (900, 560),
            {"latitude": 0.0, "longitude": 0.0, "zoom": 3.0},
        ),
        # Lower than 560: 3 + log2(450 / 560) = 2.684.
        (
            [-100.0, 100.0],
            [-10.0, 10.0],
            (900, 450),
            {"latitude": 0.0, "longitude": 0.0, "zoom": 2.68},
        ),
        # Larger than 900 x 560: the lowest zoom stays 3.
        (
            [-100.0, 100.0],
            [-10.0, 10.0],
            (1800, 1120),
            {"latitude": 0.0, "longitude": 0.0, "zoom": 3.0},
        ),
        # One place: the closest zoom, at any size.
        (
            [69.2],
            [41.3],
            (358, 422),
            {"latitude": 41.3, "longitude": 69.2, "zoom": 6.5},
        ),
    ],
)
def test_the_tour_view_at_a_size(lons, lats, size, expected):
    assert view_for(lons, lats, size) == expected


@pytest.mark.parametrize(
    ("value", "measured"),
    [
        ({"width": 358, "screen": [390, 844]}, (358.0, (390.0, 844.0))),
        ({"width": 414.5, "screen": (1400, 800)}, (414.5, (1400.0, 800.0))),
        # Anything else is no measure.
        (None, None),
        ("358", None),
        ({}, None),
        ({"width": 358}, None),
        ({"width": 358, "screen": [390]}, None),
        ({"width": 358, "screen": [390, 844, 1]}, None),
        ({"width": 0, "screen": [390, 844]}, None),
        ({"width": -5, "screen": [390, 844]}, None),
        ({"width": 358, "screen": [390, 0]}, None),
        ({"width": True, "screen": [390, 844]}, None),
        ({"width": "358", "screen": [390, 844]}, None),
        ({"width": 358, "screen": "390x844"}, None),
        ({"width": 358, "screen": [390, float("nan")]}, None),
        ({"width": 100_000, "screen": [390, 844]}, None),
    ],
)
def test_what_the_page_takes_as_the_browsers_measure(value, measured):
    assert _measured(value) == measured

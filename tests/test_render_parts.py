"""The picture's parts, one by one: the page's units, the basemap's projection
and extent, the figure's layout, the legend's rows, the events' marks and the
picture's bytes, each against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from imu_geo.render import style


def blank_axes():
    """An axes of 100 x 100 data units on a figure of its own, as the picture's."""
    figure = Figure(figsize=(4, 3), dpi=style.DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 100)
    axes.set_ylim(100, 0)
    return axes


# --- style: pixels as points, colours as matplotlib's floats ---------------


@pytest.mark.parametrize(
    ("colour", "alpha", "expected"),
    [
        # Every channel over 255; the alpha is opaque when left out.
        ((51, 102, 204), None, (0.2, 0.4, 0.8, 1.0)),
        ((255, 0, 153), 51, (1.0, 0.0, 0.6, 0.2)),
        ((0, 255, 0), 0, (0.0, 1.0, 0.0, 0.0)),
    ],
)
def test_rgba_takes_8_bit_channels_to_floats(colour, alpha, expected):
    found = style._rgba(colour) if alpha is None else style._rgba(colour, alpha)
    assert found == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("pixels", "points"),
    # A point is 1/72 inch and the picture has 100 pixels an inch.
    [(100, 72.0), (25, 18.0), (1, 0.72), (0, 0.0)],
)
def test_pixels_become_points(pixels, points):
    assert style._pt(pixels) == pytest.approx(points, abs=1e-12)


@pytest.mark.parametrize(
    ("radius", "area"),
    # The diameter in points, squared: 2 * 5 * 0.72 = 7.2, 7.2² = 51.84.
    [(5, 51.84), (6, 74.6496), (0.5, 0.5184)],
)
def test_a_marker_area_is_its_diameter_in_points_squared(radius, area):
    assert style._marker_area(radius) == pytest.approx(area, abs=1e-9)


def test_text_is_placed_as_asked_and_never_read_as_mathematics():
    axes = blank_axes()
    written = style._text(axes, 12, 34, "costs $1$ to $2$", fontsize=9, color="red")
    assert written in axes.texts
    assert written.get_position() == (12, 34)
    assert written.get_text() == "costs $1$ to $2$"
    assert written.get_parse_math() is False
    assert written.get_fontsize() == 9
    assert written.get_color() == "red"


# --- legend: every row where the page's legend has it ----------------------

INK, MUTED = "#333333", "#666666"
BASE, GREY, HALO = (94, 60, 153), (110, 110, 110), (90, 90, 90)


def rgba(colour, alpha=255):
    return tuple(c / 255 for c in colour) + (alpha / 255,)


def legend_scene():
    from imu_geo.render.figure import Scene

    axes = blank_axes()
    axes.set_xlim(0, 290)
    axes.set_ylim(640, 0)
    return Scene(axes.figure, None, axes, None, (1280, 800))


def texts_of(axes):
    return [
        (
            *(round(v, 6) for v in t.get_position()),
            t.get_text(),
            t.get_fontsize(),
            t.get_color(),
            t.get_fontweight(),
            t.get_verticalalignment(),
            t.get_parse_math(),
        )
        for t in axes.texts
    ]


def heading(y, text):
    return (4, y, text, 9.5, INK, "bold", "center", False)


def row(y, text, x=30):
    return (x, y, text, 8.5, INK, "normal", "center", False)


def small(x, y, text):
    return (x, y, text, 7.5, MUTED, "normal", "center", False)


def markers_of(axes):
    """The legend's scatter markers: shape vertices, and per marker its centre,
    area, fill, line and line width."""
    found = []
    for collection in axes.collections:
        n = len(collection.get_offsets())
        found.append(
            (
                collection.get_paths()[0].vertices.round(6).tolist(),
                [
                    (
                        *collection.get_offsets()[k].round(6).tolist(),
                        collection.get_sizes()[k],
                        tuple(collection.get_facecolors()[k]),
                        tuple(collection.get_edgecolors()[k]),
                        collection.get_linewidths()[k],
                    )
                    for k in range(n)
                ],
            )
        )
    return found


def shape(marker):
    from matplotlib.markers import MarkerStyle

    style_ = MarkerStyle(marker)
    return (
        style_.get_path().transformed(style_.get_transform()).vertices.round(6).tolist()
    )


def area(radius_px):
    return (2 * radius_px * 0.72) ** 2


def assert_markers(found, expected):
    assert len(found) == len(expected)
    for (x, y, s, face, edge, width), (ex, ey, es, eface, eedge, ewidth) in zip(
        found, expected, strict=True
    ):
        assert (x, y) == pytest.approx((ex, ey), abs=1e-6)
        assert s == pytest.approx(es, rel=1e-9)
        assert face == pytest.approx(eface, abs=1e-9)
        assert edge == pytest.approx(eedge, abs=1e-9)
        assert width == pytest.approx(ewidth, abs=1e-9)


ATTACK_ROWS = [
    ("bombing", (213, 94, 0)),
    ("suicide bombing", (204, 121, 167)),
    ("hostage taking", (230, 159, 0)),
    ("hijacking", (86, 180, 233)),
    ("armed assault", (0, 114, 178)),
    ("armed incursion", (0, 158, 115)),
    ("foiled plot", (240, 228, 66)),
]


def test_the_legend_says_what_the_page_legend_says_row_by_row():
    from imu_geo.render.legend import draw_legend

    scene = legend_scene()
    draw_legend(scene)
    axes = scene.legend_axes
    # Rows 19 px apart from y = 34 under the first heading (at 14, 20 above).
    attack_ys = [34, 53, 72, 91, 110, 129, 148]
    assert texts_of(axes) == [
        heading(14, "Attacks (colour: type)"),
        *(row(y, name) for y, (name, _) in zip(attack_ys, ATTACK_ROWS, strict=True)),
        # 148 + 19 + 2 = 169
        heading(169, "Size: people killed (best count)"),
        # Radii 5, 11.32 and 19.14 px (5 + 2√killed); each label one pixel
        # right of its dot, 6 px below the row.
        row(195, "none or unknown", x=25),
        row(195, "10", x=150 + 2 * 11.32 + 1),
        row(195, "50", x=210 + 2 * 19.14 + 1),
        heading(227, "Bases and context"),  # 189 + 38
        row(247, "base (an area)"),
        row(266, "base (a town)"),
        row(285, "the base moved to the next"),
        row(304, "context event"),
        heading(325, "How sure"),  # 304 + 19 + 2
        row(345, "solid: date to the day or month"),
        row(364, "hollow: season, year or range"),
        row(383, "halo: place known only roughly"),
        small(30, 396, "(25 km “near” to 400 km “country”)"),
    ]
    ((vertices, markers),) = markers_of(axes)
    assert vertices == shape("o")
    solid, hollow = 225, 40
    assert_markers(
        markers,
        [
            *(
                (14, y, area(6), rgba(colour, solid), rgba(colour), 1.44)
                for y, (_, colour) in zip(attack_ys, ATTACK_ROWS, strict=True)
            ),
            (14, 195, area(5), rgba(GREY, 60), rgba(GREY), 1.08),
            (150 + 11.32 - 5, 195, area(11.32), rgba(GREY, 60), rgba(GREY), 1.08),
            (210 + 19.14 - 5, 195, area(19.14), rgba(GREY, 60), rgba(GREY), 1.08),
            (14, 266, area(7), rgba(BASE, solid), rgba(BASE), 2.16),
            (14, 304, area(5), rgba(GREY, solid), rgba(GREY), 1.44),
            (14, 345, area(6), rgba(GREY, solid), rgba(GREY), 1.44),
            (14, 364, area(6), rgba(GREY, hollow), rgba(GREY), 1.44),
            (14, 383, area(11), rgba(HALO, 22), rgba(HALO, 110), 0.72),
            (14, 383, area(3), rgba(GREY), (0, 0, 0, 0), 0),
        ],
    )
    rectangle, arrow = axes.patches
    assert rectangle.get_xy() == (7, 241)  # a 14 x 12 box around row 247
    assert (rectangle.get_width(), rectangle.get_height()) == (14, 12)
    assert rectangle.get_facecolor() == pytest.approx(rgba(BASE, 45))
    assert rectangle.get_edgecolor() == pytest.approx(rgba(BASE, 220))
    assert rectangle.get_linewidth() == pytest.approx(1.44)
    # The arrow under row 285, bent as on the map, from x 4 to 24.
    assert arrow._posA_posB == [(4, 289), (24, 289)]
    assert arrow.get_connectionstyle().rad == 0.5
    head = arrow.get_arrowstyle()
    assert type(head).__name__ == "CurveFilledB"
    assert (head.head_length, head.head_width) == (4, 2.5)
    assert arrow.get_facecolor() == pytest.approx(rgba(BASE, 210))
    assert arrow.get_edgecolor() == pytest.approx(rgba(BASE, 210))
    assert arrow.get_linewidth() == pytest.approx(1.44)


def test_the_legend_ends_with_its_notes_wrapped_at_50_characters():
    from imu_geo.render.legend import draw_legend

    scene = legend_scene()
    # 51 characters: the last word goes to a line of its own.
    long = "x" * 20 + " " + "y" * 28 + " z"
    draw_legend(scene, notes=["", long])
    # The notes start 19 + 14 px under the last row (383); a note's lines are
    # 13 px apart, and 4 px more after each note, an empty one included.
    assert texts_of(scene.legend_axes)[-3:] == [
        small(4, 416, ""),
        small(4, 433, "x" * 20 + " " + "y" * 28),
        small(4, 446, "z"),
    ]


@pytest.mark.parametrize(
    ("top", "values"),
    [
        (250, [1, 10, 100, 250]),
        (105, [1, 10, 100, 105]),
        (100, [1, 10, 100]),
        (2, [1, 2]),
        (1, [1]),
    ],
)
def test_the_density_key_has_round_steps_up_to_the_top(top, values):
    import math

    from matplotlib import colormaps

    from imu_geo.render.legend import draw_legend

    scene = legend_scene()
    draw_legend(scene, density_max=top, notes=["One more note."])
    ys = [34 + 19 * k for k in range(len(values))]
    note_y = ys[-1] + 19 + 4
    assert texts_of(scene.legend_axes) == [
        heading(14, "Events per hexagon"),
        *(row(y, f"{v:,}") for y, v in zip(ys, values, strict=True)),
        small(4, note_y, "Too many events to draw one by one: each hexagon"),
        small(4, note_y + 13, "is shaded by the number of events in it (log"),
        small(4, note_y + 26, "scale). Colours by type and the marks of"),
        small(4, note_y + 39, "uncertainty are drawn for smaller selections."),
        small(4, note_y + 56, "One more note."),
    ]
    # Shaded on a log scale from 1 to the top (at least 2), as the map's hexagons.
    magma_r = colormaps["magma_r"]
    scale = math.log(max(top, 2))
    ((vertices, markers),) = markers_of(scene.legend_axes)
    assert vertices == shape("h")
    assert_markers(
        markers,
        [
            (14, y, area(7), magma_r(math.log(v) / scale), (0, 0, 0, 0), 0)
            for y, v in zip(ys, values, strict=True)
        ],
    )
    assert len(scene.legend_axes.patches) == 0


# --- figure: the page laid out in pixels -----------------------------------


def square(x0, y0, side):
    from shapely.geometry import box

    return box(x0, y0, x0 + side, y0 + side)


def flat_basemap(extent, region_shapes=None, labels=()):
    """A basemap already in metres, of the given extent, shapes and labels."""
    from pyproj import Transformer

    from imu_geo.render.basemap import Basemap

    return Basemap(
        crs="EPSG:3857",
        extent=extent,
        region_shapes=region_shapes or {},
        labels=list(labels),
        area_shapes={},
        transformer=Transformer.from_crs("EPSG:3857", "EPSG:3857", always_xy=True),
    )


def words():
    from imu_geo.render.words import PictureText

    return PictureText("Heading", "The source line", "The credits line")


def figure_texts(figure):
    return [
        (
            *(round(v, 9) for v in t.get_position()),
            t.get_text(),
            t.get_fontsize(),
            t.get_color(),
            t.get_fontweight(),
            t.get_verticalalignment(),
            t.get_fontfamily(),
            t.get_parse_math(),
        )
        for t in figure.texts
    ]


# A map 962 x 684 px in a 1280 x 800 picture: 1280 - 290 (legend) - 2 x 14
# (margins) wide, 800 - 74 (header) - 42 (footer) tall.
WIDE = (0.0, 962_000.0, 0.0, 342_000.0)  # 1 km a pixel across, half the height


def test_the_page_is_laid_out_in_pixels():
    from imu_geo.render.figure import metres_per_pixel, new_scene

    basemap = flat_basemap(WIDE)
    scene = new_scene(basemap, ("First line", "Second line"), words())
    figure = scene.figure
    assert scene.size == (1280, 800) and scene.basemap is basemap
    assert tuple(figure.get_size_inches()) == (12.8, 8.0)
    assert figure.dpi == 100
    assert figure.get_facecolor() == (1, 1, 1, 1)
    assert figure.canvas.get_width_height() == (1280, 800)
    assert type(figure.canvas).__name__ == "FigureCanvasAgg"

    map_axes, legend_axes = figure.axes
    assert (scene.map_axes, scene.legend_axes) == (map_axes, legend_axes)
    assert map_axes.get_position().bounds == pytest.approx(
        (14 / 1280, 42 / 800, 962 / 1280, 684 / 800)
    )
    assert not map_axes.axison and not map_axes.get_autoscale_on()
    # The extent, 1 km a pixel across, grown to 684 km tall about its middle.
    assert map_axes.get_xlim() == pytest.approx((0, 962_000))
    assert map_axes.get_ylim() == pytest.approx((171_000 - 342_000, 171_000 + 342_000))
    assert metres_per_pixel(scene) == pytest.approx(1000)

    (frame,) = figure.patches
    assert frame.get_data_transform() == figure.transFigure
    assert frame.get_xy() == pytest.approx((14 / 1280, 42 / 800))
    assert frame.get_width() == pytest.approx(962 / 1280)
    assert frame.get_height() == pytest.approx(684 / 800)
    assert not frame.get_fill()
    assert frame.get_edgecolor() == pytest.approx(rgba((0xBB, 0xBB, 0xBB)))
    assert frame.get_linewidth() == pytest.approx(0.72)
    assert frame.get_zorder() == 5

    # The legend's panel: 290 px wide, 7 px from the right edge, as tall as the
    # map, in pixels from its top left.
    assert legend_axes.get_position().bounds == pytest.approx(
        ((1280 - 290 - 7) / 1280, 42 / 800, 290 / 1280, 684 / 800)
    )
    assert not legend_axes.axison
    assert legend_axes.get_xlim() == (0, 290)
    assert legend_axes.get_ylim() == (684, 0)

    family = ["DejaVu Sans"]
    assert figure_texts(figure) == [
        (14 / 1280, 1 - 14 / 800, "First line", 15, INK, "bold", "top", family, False),
        (
            14 / 1280,
            1 - 46 / 800,
            "Second line",
            10.5,
            INK,
            "normal",
            "top",
            family,
            False,
        ),
        (
            14 / 1280,
            25 / 800,
            "The source line",
            7.5,
            MUTED,
            "normal",
            "baseline",
            family,
            False,
        ),
        (
            14 / 1280,
            10 / 800,
            "The credits line",
            7.5,
            MUTED,
            "normal",
            "baseline",
            family,
            False,
        ),
    ]


def test_a_page_of_another_size_keeps_its_margins_in_pixels():
    from imu_geo.render.figure import metres_per_pixel, new_scene

    # A map of 1000 - 318 = 682 by 600 - 116 = 484 px; a tall extent (2 km a
    # pixel up) is widened about its middle.
    basemap = flat_basemap((0.0, 682_000.0, 0.0, 968_000.0))
    scene = new_scene(basemap, ("a", "b"), words(), (1000, 600))
    assert tuple(scene.figure.get_size_inches()) == (10, 6)
    assert scene.size == (1000, 600)
    assert scene.map_axes.get_position().bounds == pytest.approx(
        (14 / 1000, 42 / 600, 682 / 1000, 484 / 600)
    )
    assert scene.map_axes.get_xlim() == pytest.approx(
        (341_000 - 682_000, 341_000 + 682_000)
    )
    assert scene.map_axes.get_ylim() == pytest.approx((0, 968_000))
    assert metres_per_pixel(scene) == pytest.approx(2000)
    assert scene.legend_axes.get_position().bounds == pytest.approx(
        ((1000 - 297) / 1000, 42 / 600, 290 / 1000, 484 / 600)
    )
    assert scene.legend_axes.get_ylim() == (484, 0)
    positions = [v for t in scene.figure.texts for v in t.get_position()]
    assert positions == pytest.approx(
        [
            *(14 / 1000, 1 - 14 / 600),
            *(14 / 1000, 1 - 46 / 600),
            *(14 / 1000, 25 / 600),
            *(14 / 1000, 10 / 600),
        ]
    )


def test_regions_are_drawn_level_by_level_in_the_map_style():
    from imu_geo.render.figure import new_scene

    shapes = {
        "valley": [square(0, 0, 1000)],
        "admin1": [],
        "country": [square(0, 0, 5000), square(6000, 0, 5000)],
    }
    scene = new_scene(flat_basemap(WIDE, shapes), ("a", "b"), words())
    country, valley = scene.map_axes.collections
    # The countries under the valleys, whatever order the basemap holds them in.
    assert len(country.get_paths()) == 2 and len(valley.get_paths()) == 1
    assert country.get_paths()[1].vertices[:, 0].min() == 6000
    assert country.get_facecolor().tolist() == [pytest.approx(rgba((246, 244, 239)))]
    assert country.get_edgecolor().tolist() == [pytest.approx(rgba((90, 90, 90)))]
    assert country.get_linewidth() == pytest.approx([1.6 * 0.72])
    assert valley.get_facecolor().tolist() == [
        pytest.approx(rgba((214, 234, 200), 150))
    ]
    assert valley.get_edgecolor().tolist() == [
        pytest.approx(rgba((120, 160, 100), 200))
    ]
    assert valley.get_linewidth() == pytest.approx([0.72])
    assert country.get_zorder() == valley.get_zorder() == 1

    admin1 = {"admin1": [square(0, 0, 100)]}
    (only,) = new_scene(
        flat_basemap(WIDE, admin1), ("a", "b"), words()
    ).map_axes.collections
    assert only.get_facecolor().tolist() == [pytest.approx(rgba((246, 244, 239), 0))]
    assert only.get_edgecolor().tolist() == [pytest.approx(rgba((170, 170, 170), 200))]
    assert only.get_linewidth() == pytest.approx([0.36])


def test_labels_keep_their_size_in_metres_up_to_the_map_s_largest():
    from imu_geo.render.figure import new_scene

    red = (1.0, 0.0, 0.0, 1.0)
    labels = [
        # At 1 km a pixel: 20 km is capped at 16 px (bold), 16 km is 16 px
        # (bold), 10 km 10 px, 7 km 7 px; 6.99 km is too small to read.
        (100.0, 200.0, "Large", 20_000.0, red),
        (300.0, 400.0, "Full", 16_000.0, red),
        (500.0, 600.0, "Middle", 10_000.0, (0.0, 0.0, 1.0, 0.5)),
        (700.0, 800.0, "Smallest", 7_000.0, red),
        (900.0, 1000.0, "Unread", 6_990.0, red),
    ]
    scene = new_scene(flat_basemap(WIDE, labels=labels), ("a", "b"), words())
    found = [
        (
            t.get_position(),
            t.get_text(),
            round(t.get_fontsize(), 9),
            t.get_color(),
            t.get_fontweight(),
            t.get_horizontalalignment(),
            t.get_verticalalignment(),
            t.get_fontfamily(),
            t.get_zorder(),
            t.get_clip_on(),
            t.get_parse_math(),
        )
        for t in scene.map_axes.texts
    ]
    common = ("center", "center", ["DejaVu Sans"], 2, True, False)
    assert found == [
        ((100.0, 200.0), "Large", 11.52, red, "bold", *common),
        ((300.0, 400.0), "Full", 11.52, red, "bold", *common),
        ((500.0, 600.0), "Middle", 7.2, (0.0, 0.0, 1.0, 0.5), "normal", *common),
        ((700.0, 800.0), "Smallest", 5.04, red, "normal", *common),
    ]


@pytest.mark.parametrize(
    ("extent", "width", "height", "limits"),
    [
        # 4 m a pixel up decides: the width grows to 400 m about x = 50.
        ((0, 100, 0, 400), 100, 100, (-150, 250, 0, 400)),
        # 2 m a pixel across decides: the height grows to 100 m about y = 20.
        ((-100, 100, 10, 30), 100, 50, (-100, 100, -30, 70)),
    ],
)
def test_fitted_limits_make_a_metre_as_wide_as_tall(extent, width, height, limits):
    from imu_geo.render.figure import _fitted_limits

    assert _fitted_limits(extent, width, height) == pytest.approx(limits)


# --- events: the marks on the map ------------------------------------------
# The basemap is in metres already (EPSG:3857 to itself), so an event's lon and
# lat are where it is drawn.


def events_frame(rows):
    from tests.helpers import make_events

    return make_events(rows)


def flat_scene(extent=WIDE, areas=None):
    from imu_geo.render.figure import new_scene

    basemap = flat_basemap(extent)
    basemap.area_shapes.update(areas or {})
    return new_scene(basemap, ("a", "b"), words())


def attack(event_id, day, lon, lat, **row):
    return {
        "event_id": event_id,
        "date_start": day,
        "date_end": day,
        "lon": lon,
        "lat": lat,
        **row,
    }


def circles(collection):
    """Centre and radius of each circle of a patch collection, in data units."""
    found = []
    for path in collection.get_paths():
        (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        found.append(
            (round((x0 + x1) / 2, 3), round((y0 + y1) / 2, 3), round((x1 - x0) / 2, 3))
        )
    return found


def scatter_of(collection):
    n = len(collection.get_offsets())
    sizes = np.broadcast_to(collection.get_sizes(), (n,))
    faces = np.broadcast_to(collection.get_facecolors(), (n, 4))
    edges = np.broadcast_to(collection.get_edgecolors(), (n, 4))
    widths = np.broadcast_to(collection.get_linewidths(), (n,))
    return [
        (
            *collection.get_offsets()[k].tolist(),
            sizes[k],
            tuple(faces[k]),
            tuple(edges[k]),
            widths[k],
        )
        for k in range(n)
    ]


CAMP = square(40_000, 40_000, 20_000)
MAP_EVENTS = [
    # Out of date order on purpose: the dots are drawn by date, then larger first.
    attack(
        "a3",
        "2002-01-01",
        300_000,
        100_000,
        event_type="riot",
        date_precision="month",
        geo_precision="country",
    ),
    attack(
        "a2",
        "2001-06-01",
        200_000,
        100_000,
        event_type="armed_assault",
        date_precision="year",
        fatalities_best=9,
        geo_precision="near",
    ),
    attack(
        "a1", "2001-01-01", 100_000, 100_000, fatalities_best=0, geo_precision="exact"
    ),
    attack("a4", "2003-01-01", None, None, geo_precision="near"),
    attack("a5", "2003-01-01", 100_000, None, geo_precision="near"),
    attack(
        "c1",
        "2001-05-05",
        200_000,
        100_000,
        layer="context",
        date_precision="season",
        geo_precision="near",
    ),
    attack(
        "c2", "1999-01-01", 400_000, 200_000, layer="context", geo_precision="district"
    ),
    attack("b0", "1996-01-01", None, None, layer="base", place_id="nowhere"),
    attack(
        "b1",
        "1997-01-01",
        50_000,
        50_000,
        layer="base",
        place_id="camp",
        geo_precision="country",
    ),
    attack(
        "b2",
        "1998-01-01",
        500_000,
        300_000,
        layer="base",
        place_id="town2",
        date_precision="year",
    ),
    attack("b3", "1999-06-01", 600_000, 300_000, layer="base", place_id="town3"),
    attack("b4", "2000-01-01", None, None, layer="base", place_id="lost"),
]


def test_the_events_are_drawn_as_the_map_draws_them():
    from matplotlib.collections import PatchCollection, PathCollection
    from matplotlib.patches import FancyArrowPatch

    from imu_geo.render.events import draw_events

    scene = flat_scene(areas={"camp": CAMP})
    artists = draw_events(scene, events_frame(MAP_EVENTS))
    halos, camp, towns, arc1, arc2, context, attacks = artists

    # One disc per place and radius, of events other than bases: c1 shares a2's.
    assert isinstance(halos, PatchCollection)
    assert circles(halos) == [
        (200_000, 100_000, 25_000),
        (300_000, 100_000, 400_000),
        (400_000, 200_000, 50_000),
    ]
    assert halos.get_facecolor().tolist() == [pytest.approx(rgba(HALO, 22))]
    assert halos.get_edgecolor().tolist() == [pytest.approx(rgba(HALO, 110))]
    assert halos.get_linewidth() == pytest.approx([0.72])
    assert halos.get_zorder() == 3

    # The base whose place is an area is drawn as the area.
    assert isinstance(camp, PathCollection)
    (outline,) = camp.get_paths()
    assert outline.vertices.min(axis=0).tolist() == [40_000, 40_000]
    assert outline.vertices.max(axis=0).tolist() == [60_000, 60_000]
    assert camp.get_facecolor().tolist() == [pytest.approx(rgba(BASE, 45))]
    assert camp.get_edgecolor().tolist() == [pytest.approx(rgba(BASE, 220))]
    assert camp.get_linewidth() == pytest.approx([1.44])
    assert camp.get_zorder() == 4

    # Towns: rings of radius 11 px, hollow for a date known to the year.
    assert_markers(
        scatter_of(towns),
        [
            (500_000, 300_000, area(11), rgba(BASE, 40), rgba(BASE), 2.16),
            (600_000, 300_000, area(11), rgba(BASE, 225), rgba(BASE), 2.16),
        ],
    )
    assert towns.get_zorder() == 5

    # Arrows from each base to the next, when both have a point: b0 -> b1 and
    # b3 -> b4 have not.
    for arrow, (start, end) in zip(
        (arc1, arc2),
        [
            ((50_000, 50_000), (500_000, 300_000)),
            ((500_000, 300_000), (600_000, 300_000)),
        ],
        strict=True,
    ):
        assert isinstance(arrow, FancyArrowPatch)
        assert arrow._posA_posB == [start, end]
        assert arrow.get_connectionstyle().rad == -0.25
        head = arrow.get_arrowstyle()
        assert type(head).__name__ == "CurveFilledB"
        assert (head.head_length, head.head_width) == (6, 3.5)
        assert arrow.get_edgecolor() == pytest.approx(rgba(BASE, 210))
        assert arrow.get_linewidth() == pytest.approx(1.44)
        assert (arrow.shrinkA, arrow.shrinkB) == (4, 6)
        assert arrow.get_zorder() == 6
    assert arrow in scene.map_axes.patches

    # Context dots: grey, 5 px, in date order, hollow for a season.
    assert_markers(
        scatter_of(context),
        [
            (400_000, 200_000, area(5), rgba(GREY, 225), rgba(GREY), 1.08),
            (200_000, 100_000, area(5), rgba(GREY, 40), rgba(GREY), 1.08),
        ],
    )
    assert context.get_zorder() == 7

    # Attacks by date (a1, a2, a3), then the largest first: a2 (9 killed: 5 +
    # 2 x 3 px) before a1 and a3 (5 px). An unknown type is grey.
    assert_markers(
        scatter_of(attacks),
        [
            (
                200_000,
                100_000,
                area(11),
                rgba((0, 114, 178), 40),
                rgba((0, 114, 178)),
                1.44,
            ),
            (
                100_000,
                100_000,
                area(5),
                rgba((213, 94, 0), 225),
                rgba((213, 94, 0)),
                1.44,
            ),
            (300_000, 100_000, area(5), rgba(GREY, 225), rgba(GREY), 1.44),
        ],
    )
    assert attacks.get_zorder() == 8
    assert scene.map_axes.collections[:] == [halos, camp, towns, context, attacks]


def test_without_arcs_and_halos_only_the_marks_are_drawn():
    from imu_geo.layers import MapOptions
    from imu_geo.render.events import draw_events

    scene = flat_scene(areas={"camp": CAMP})
    frame = events_frame(MAP_EVENTS)
    artists = draw_events(scene, frame, MapOptions(relocation=False, halos=False))
    assert [
        len(a.get_offsets()) if hasattr(a, "get_offsets") else 1 for a in artists
    ] == [1, 2, 2, 3]
    assert len(scene.map_axes.patches) == 0
    # Arcs alone, and halos alone.
    arcs = draw_events(flat_scene(), frame, MapOptions(relocation=True, halos=False))
    assert sum(type(a).__name__ == "FancyArrowPatch" for a in arcs) == 2
    halos = draw_events(flat_scene(), frame, MapOptions(relocation=False, halos=True))
    assert sum(type(a).__name__ == "PatchCollection" for a in halos) == 1
    assert sum(type(a).__name__ == "FancyArrowPatch" for a in halos) == 0


def test_one_base_has_no_arc_and_no_event_draws_nothing():
    from imu_geo.render.events import draw_events

    lone = events_frame(
        [attack("b1", "1997-01-01", 50_000, 50_000, layer="base", place_id="camp")]
    )
    (town,) = draw_events(flat_scene(), lone)
    assert town.get_offsets().tolist() == [[50_000, 50_000]]
    # No halo of exact places, no area, no town, no dot.
    exact = events_frame([attack("a1", "2001-01-01", 1, 2, geo_precision="exact")])
    (dot,) = draw_events(flat_scene(), exact)
    assert dot.get_offsets().tolist() == [[1, 2]]
    assert draw_events(flat_scene(), exact.iloc[0:0]) == []


def hex_point(i, j):
    """The centre of hexagon (i, j) of the WIDE map's grid: 70 across, and
    round(70 x 684 / 962 / √3) = 29 up, over the map's limits."""
    return (i * 962_000 / 70, -171_000 + j * 684_000 / 29)


def test_the_density_grid_has_70_hexagons_across_and_square_ones_up():
    from imu_geo.render.events import _hexbin_grid

    assert _hexbin_grid(flat_scene()) == (70, 29)
    # A map of a flat strip (limits set by hand): never less than one row.
    strip = flat_scene()
    strip.map_axes.set_ylim(0, 1)
    assert _hexbin_grid(strip) == (70, 1)


@pytest.mark.parametrize(("top", "vmax"), [(0, 3), (10, 10), (1, 2)])
def test_many_events_are_counted_per_hexagon(top, vmax):
    from imu_geo.render.events import density_count, density_max, draw_events

    (x1, y1), (x2, y2) = hex_point(10, 10), hex_point(20, 20)
    rows = [
        attack("e1", "2001-01-01", x1, y1),
        attack("e2", "2001-01-01", x1, y1),
        attack("e3", "2001-01-01", x1, y1),
        attack("e4", "2001-01-01", x2, y2),
        attack("e5", "2001-01-01", None, None),
        attack("e6", "2001-01-01", x2, None),
        attack("e7", "2001-01-01", None, y2),
    ]
    frame = events_frame(rows)
    scene = flat_scene()
    assert density_count(frame) == 4
    assert density_max(scene, frame) == 3
    assert len(scene.map_axes.collections) == 0  # the probe is gone
    (shading,) = draw_events(scene, frame, shade_up_to=top)
    assert scene.map_axes.collections[:] == [shading]
    counts = dict(
        zip(
            (tuple(np.round(o)) for o in shading.get_offsets()),
            shading.get_array().tolist(),
            strict=True,
        )
    )
    assert counts == {
        tuple(np.round(hex_point(10, 10))): 3,
        tuple(np.round(hex_point(20, 20))): 1,
    }
    assert (shading.norm.vmin, shading.norm.vmax) == (1, vmax)
    assert type(shading.norm).__name__ == "LogNorm"
    assert shading.get_cmap().name == "magma_r"
    assert shading.get_linewidths().tolist() == [0]
    assert shading.get_zorder() == 3


def test_density_of_nothing_on_the_map_is_one():
    from imu_geo.render.events import density_max, draw_events

    nowhere = events_frame([attack("e1", "2001-01-01", None, None)])
    assert density_max(flat_scene(), nowhere) == 1
    assert draw_events(flat_scene(), nowhere, shade_up_to=0) == []
    # Far outside the map: in no hexagon.
    outside = events_frame([attack("e1", "2001-01-01", 9e9, 9e9)])
    assert density_max(flat_scene(), outside) == 1


class FakeSelection:
    """What :func:`selection_picture_events` reads of an engine's selection:
    its events' columns, with ``row_id``; records the columns asked for."""

    def __init__(self, frame):
        self.events = frame.assign(row_id=range(len(frame)))
        self.asked = []

    def frame(self, columns):
        self.asked.append(tuple(columns))
        return self.events[["row_id", *columns]]


@pytest.mark.parametrize(
    ("located", "half", "dense"),
    [(20_000, 0, False), (20_000, 5, False), (20_001, 0, True)],
)
def test_a_selection_s_picture_reads_the_columns_it_needs(located, half, dense):
    from imu_geo.render.events import RENDER_COLUMNS, selection_picture_events

    n = located + 2 * half
    frame = events_frame([attack("e", "2001-01-01", None, None)] * n)
    frame["lat"] = [1.0] * located + [1.0] * half + [None] * half
    frame["lon"] = [1.0] * located + [None] * half + [1.0] * half
    frame["fatalities_best"] = 0
    rows = FakeSelection(frame)
    found = selection_picture_events(rows)
    wanted = ("layer", "lat", "lon") if dense else RENDER_COLUMNS
    assert rows.asked == [("lat", "lon"), wanted]
    assert tuple(found.columns) == wanted
    assert len(found) == n


# --- basemap: the dataset's map projected once -----------------------------

LAEA = "+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"


def to_laea(crs, lon, lat):
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)


def regions_frame():
    import geopandas as gpd
    from shapely.geometry import box

    rows = [
        # Out of order: drawn countries first, then admin-1 units, then valleys,
        # each by region_id.
        ("UZ-TK", "Tashkent   Region", "admin1", 41.0, 69.5, box(68, 40, 70, 42)),
        ("UZ", "Uzbekistan", "country", 41.5, 64.0, box(60, 38, 70, 44)),
        ("FV", "Ferghana Valley", "valley", 40.75, 71.0, box(70, 40, 72, 41.5)),
        ("AF", "Afghanistan", "country", 34.0, 66.0, box(60, 29, 75, 38.5)),
    ]
    return gpd.GeoDataFrame(
        rows,
        columns=["region_id", "name", "level", "label_lat", "label_lon", "geometry"],
        crs="EPSG:4326",
    )


def places_frame(with_camp=True):
    import geopandas as gpd
    from shapely.geometry import Point, box

    rows = [("tashkent", Point(69.25, 41.3)), ("nowhere", Point())]
    if with_camp:
        rows.append(("camp", box(66, 37, 67, 38)))
    return gpd.GeoDataFrame(rows, columns=["place_id", "geometry"], crs="EPSG:4326")


def corners(shape):
    return sorted((round(x, 3), round(y, 3)) for x, y in shape.exterior.coords[:-1])


def projected_corners(crs, lon0, lat0, lon1, lat1):
    xs, ys = to_laea(crs, [lon0, lon1, lon1, lon0], [lat0, lat0, lat1, lat1])
    return sorted((round(x, 3), round(y, 3)) for x, y in zip(xs, ys, strict=True))


def padded(x0, y0, x1, y1):
    """The extent by hand: at least 600 km a side, 6% more on each side."""
    width, height = max(x1 - x0, 600_000) * 1.12, max(y1 - y0, 600_000) * 1.12
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)


@pytest.mark.parametrize(
    ("bounds", "lon", "lat"),
    [
        ((66, 36.5, 71, 41.3), "68.5", "38.9"),
        ((60, 36, 75.5, 45.123), "67.75", "40.56"),
        ((-10, -20, -4, -2), "-7.0", "-11.0"),
    ],
)
def test_the_projection_is_centred_on_the_bounds(bounds, lon, lat):
    from imu_geo.render.basemap import projection_for

    assert projection_for(bounds) == LAEA.format(lat=lat, lon=lon)


def test_a_basemap_holds_the_dataset_s_map_projected():
    import pandas as pd

    from imu_geo.render.basemap import build_basemap

    points = pd.DataFrame(
        {"lat": [36.5, None, "x", 40.0], "lon": [71.0, 80.0, 80.0, None]}
    )
    basemap = build_basemap(regions_frame(), places_frame(), points)
    # Centred on the places (66..69.25, 37..41.3) and the one whole point (71, 36.5).
    crs = LAEA.format(lat="38.9", lon="68.5")
    assert basemap.crs == crs

    shapes = basemap.region_shapes
    assert list(shapes) == ["country", "admin1", "valley"]
    assert [corners(s) for s in shapes["country"]] == [
        projected_corners(crs, 60, 29, 75, 38.5),
        projected_corners(crs, 60, 38, 70, 44),
    ]
    assert [corners(s) for s in shapes["admin1"]] == [
        projected_corners(crs, 68, 40, 70, 42)
    ]
    assert [corners(s) for s in shapes["valley"]] == [
        projected_corners(crs, 70, 40, 72, 41.5)
    ]

    # The map's labels: size in metres, colour with its alpha, whitespace of the
    # name made one space.
    found = [(round(x, 3), round(y, 3), *rest) for x, y, *rest in basemap.labels]
    expected = [
        (69.5, 41.0, "Tashkent Region", 25_000.0, (130, 130, 130), 220),
        (66.0, 34.0, "Afghanistan", 150_000.0, (60, 60, 60), 255),
        (64.0, 41.5, "Uzbekistan", 150_000.0, (60, 60, 60), 255),
        (71.0, 40.75, "Ferghana Valley", 60_000.0, (70, 110, 60), 255),
    ]
    assert len(found) == len(expected)
    for label, (lon, lat, name, size, colour, alpha) in zip(
        found, expected, strict=True
    ):
        x, y = to_laea(crs, lon, lat)
        assert label[:2] == pytest.approx((x, y), abs=0.01)
        assert label[2:4] == (name, size)
        assert label[4] == pytest.approx(rgba(colour, alpha))
        assert all(type(v) is float for v in label[:2] + label[3:4])

    # Areas: the places that are polygons, not points nor empty ones.
    assert list(basemap.area_shapes) == ["camp"]
    assert corners(basemap.area_shapes["camp"]) == projected_corners(
        crs, 66, 37, 67, 38
    )
    (camp,) = basemap.areas.values()
    assert sorted(map(tuple, camp.vertices[:-1].round(3).tolist())) == (
        projected_corners(crs, 66, 37, 67, 38)
    )

    # The extent: the places' and the point's box, projected and padded.
    xs, ys = to_laea(crs, [69.25, 66, 67, 66, 67, 71.0], [41.3, 37, 37, 38, 38, 36.5])
    assert basemap.extent == pytest.approx(padded(min(xs), min(ys), max(xs), max(ys)))

    x, y = basemap.project([69.25, 71.0], [41.3, 36.5])
    assert (x.tolist(), y.tolist()) == (
        pytest.approx(xs[:1] + xs[5:]),
        pytest.approx(ys[:1] + ys[5:]),
    )


def test_without_points_the_places_make_the_extent():
    from imu_geo.render.basemap import build_basemap, store_basemap

    basemap = build_basemap(regions_frame(), places_frame())
    # Centred on Tashkent and the camp: (66 + 69.25) / 2, (37 + 41.3) / 2.
    crs = LAEA.format(lat="39.15", lon="67.62")
    assert basemap.crs == crs
    xs, ys = to_laea(crs, [69.25, 66, 67, 66, 67], [41.3, 37, 37, 38, 38])
    assert basemap.extent == pytest.approx(padded(min(xs), min(ys), max(xs), max(ys)))
    assert store_basemap(regions_frame(), places_frame(), None).extent == basemap.extent

    # The store's bounds of its events' points (west, south, east, north).
    stored = store_basemap(regions_frame(), places_frame(), (60.0, 30.0, 70.0, 43.0))
    assert stored.crs == LAEA.format(lat="36.5", lon="65.0")


def test_without_places_or_points_the_regions_make_the_extent():
    import geopandas as gpd

    from imu_geo.render.basemap import build_basemap

    no_places = gpd.GeoDataFrame({"place_id": []}, geometry=[], crs="EPSG:4326")
    basemap = build_basemap(regions_frame(), no_places)
    # The regions span 60..75 E, 29..44 N.
    crs = LAEA.format(lat="36.5", lon="67.5")
    assert basemap.crs == crs
    assert basemap.area_shapes == {}
    xs, ys = to_laea(crs, [60, 75, 75, 60, 72, 70], [29, 29, 38.5, 44, 41.5, 44])
    assert basemap.extent == pytest.approx(padded(min(xs), min(ys), max(xs), max(ys)))


def test_a_small_dataset_is_shown_at_least_600_km_wide():
    from imu_geo.render.basemap import _padded_extent

    assert _padded_extent(np.array([0, 0, 1_000_000, 100_000])) == pytest.approx(
        (-60_000, 1_060_000, 50_000 - 336_000, 50_000 + 336_000)
    )
    assert _padded_extent(np.array([10, 20, 10, 20])) == pytest.approx(
        (10 - 336_000, 10 + 336_000, 20 - 336_000, 20 + 336_000)
    )


def test_an_outline_is_one_path_of_closed_rings_with_holes():
    from matplotlib.path import Path
    from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Polygon

    from imu_geo.render.basemap import _path

    ring = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]
    hole = [(1, 1), (2, 1), (2, 2), (1, 1)]
    other = [(10, 10, 5), (11, 10, 5), (11, 11, 5), (10, 10, 5)]
    shape = MultiPolygon([Polygon(ring, [hole]), Polygon(other)])
    path = _path(shape)
    move, line, close = Path.MOVETO, Path.LINETO, Path.CLOSEPOLY
    assert path.vertices.tolist() == [
        *map(list, ring),
        *map(list, hole),
        *([x, y] for x, y, _ in other),
    ]
    assert path.codes.tolist() == [
        move,
        line,
        line,
        line,
        close,
        move,
        line,
        line,
        close,
        move,
        line,
        line,
        close,
    ]
    assert _path(Polygon(ring)).codes.tolist() == [move, line, line, line, close]
    # Lines and empty parts have no area to draw.
    mixed = GeometryCollection([LineString([(0, 0), (1, 1)]), Polygon(), Polygon(hole)])
    assert _path(mixed).vertices.tolist() == list(map(list, hole))
    nothing = _path(GeometryCollection([LineString([(0, 0), (1, 1)])]))
    assert nothing.vertices.shape == (0, 2)


# --- pictures: the whole picture and its bytes ------------------------------


@pytest.mark.parametrize(
    ("total", "located", "notes"),
    [
        (
            1500,
            200,
            [
                "1,300 of the 1,500 events have no place: they are counted in the "
                "title, not drawn."
            ],
        ),
        (
            1,
            0,
            [
                "1 of the 1 events have no place: they are counted in the title, "
                "not drawn."
            ],
        ),
        (5, 5, []),
        (5, 6, []),
    ],
)
def test_the_note_on_events_without_a_place(total, located, notes):
    from imu_geo.render.pictures import unplaced_note

    assert unplaced_note(total, located) == notes


def year_2001():
    from datetime import date

    from imu_geo.filters import FilterSpec

    return FilterSpec(start=date(2001, 1, 1), end=date(2001, 12, 31))


def test_a_picture_has_its_title_events_and_legend():
    from imu_geo.layers import MapOptions
    from imu_geo.render.pictures import draw_picture

    selected = events_frame(
        [
            attack("a1", "2001-03-01", 100_000, 100_000, geo_precision="near"),
            attack("a2", "2001-04-01", None, None),
        ]
    )
    scene = draw_picture(selected, year_2001(), flat_basemap(WIDE), words())
    assert scene.size == (1280, 800)
    assert [t.get_text() for t in scene.figure.texts] == [
        "Heading, Jan 2001 to Dec 2001",
        "2 events — 2 attacks, 0 bases, 0 context — from Jan 2001 to Dec 2001",
        "The source line",
        "The credits line",
    ]
    halo, dots = scene.map_axes.collections
    assert circles(halo) == [(100_000, 100_000, 25_000)]
    assert dots.get_offsets().tolist() == [[100_000, 100_000]]
    legend = [t.get_text() for t in scene.legend_axes.texts]
    assert legend[0] == "Attacks (colour: type)"
    assert legend[-2:] == [
        "1 of the 2 events have no place: they are counted",
        "in the title, not drawn.",
    ]

    bare = draw_picture(
        selected,
        year_2001(),
        flat_basemap(WIDE),
        words(),
        MapOptions(False, False),
        (1000, 600),
    )
    assert bare.size == (1000, 600)
    (dots,) = bare.map_axes.collections
    assert dots.get_offsets().tolist() == [[100_000, 100_000]]


@pytest.mark.parametrize(("extra", "dense"), [(0, False), (1, True)])
def test_over_20000_events_with_a_place_are_shaded(extra, dense):
    from imu_geo.render.pictures import draw_picture

    # 20,000 events with a place (and one more, or none), all in hexagon
    # (10, 10); 3 without a place, which do not count towards the 20,000.
    n = 20_000 + extra
    x, y = hex_point(10, 10)
    frame = events_frame([attack("e", "2001-05-01", x, y)] * (n + 3))
    frame.loc[n:, ["lat", "lon"]] = None
    scene = draw_picture(frame, year_2001(), flat_basemap(WIDE), words())
    legend = [t.get_text() for t in scene.legend_axes.texts]
    (marks,) = scene.map_axes.collections
    if dense:
        assert marks.get_array().tolist() == [n]
        assert legend[:7] == [
            "Events per hexagon",
            "1",
            "10",
            "100",
            "1,000",
            "10,000",
            "20,001",
        ]
    else:
        assert len(marks.get_offsets()) == n
        assert legend[0] == "Attacks (colour: type)"
    assert legend[-2:] == [
        f"3 of the {n + 3:,} events have no place: they are",
        "counted in the title, not drawn.",
    ]


def test_the_bytes_are_a_png_or_an_svg_of_the_picture_size():
    import io
    import xml.etree.ElementTree as ElementTree

    from PIL import Image

    from imu_geo.render.pictures import picture_bytes, save

    selected = events_frame([attack("a1", "2001-03-01", 100_000, 100_000)])
    basemap = flat_basemap(WIDE)
    png = picture_bytes(selected, year_2001(), basemap, words())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 800)
    assert "Software" not in image.info
    small = picture_bytes(selected, year_2001(), basemap, words(), size=(640, 400))
    assert Image.open(io.BytesIO(small)).size == (640, 400)

    svg = picture_bytes(selected, year_2001(), basemap, words(), "svg")
    root = ElementTree.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("921.6pt", "576pt")  # 72 dpi
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert [e.text for e in root.iter(f"{dc}title")][-1:] == ["imu-geo"]
    assert list(root.iter(f"{dc}date")) == []
    # The title stays text, in the picture's font.
    svg_ns = "{http://www.w3.org/2000/svg}"
    texts = ["".join(e.itertext()) for e in root.iter(f"{svg_ns}text")]
    assert "Heading, Jan 2001 to Dec 2001" in texts
    assert b"DejaVu Sans" in svg

    with pytest.raises(ValueError) as caught:
        picture_bytes(selected, year_2001(), basemap, words(), "jpg")
    assert str(caught.value) == "format must be one of png, svg"

    # save() writes the scene as it is, at 100 pixels an inch.
    from imu_geo.render.pictures import draw_picture

    scene = draw_picture(selected, year_2001(), basemap, words(), size=(400, 300))
    assert Image.open(io.BytesIO(save(scene, "png"))).size == (400, 300)


def test_a_store_s_extent_holds_the_four_corners_of_its_points_box():
    import geopandas as gpd

    from imu_geo.render.basemap import store_basemap

    no_places = gpd.GeoDataFrame({"place_id": []}, geometry=[], crs="EPSG:4326")
    basemap = store_basemap(regions_frame(), no_places, (60.0, 30.0, 80.0, 50.0))
    crs = LAEA.format(lat="40.0", lon="70.0")
    assert basemap.crs == crs
    # Projected, the south-east corner lies east of the north-east one: the
    # box of one diagonal would leave it out.
    xs, ys = to_laea(crs, [60, 80, 80, 60], [30, 30, 50, 50])
    assert xs[1] > xs[2]
    assert basemap.extent == pytest.approx(padded(min(xs), min(ys), max(xs), max(ys)))


def test_larger_dots_go_under_smaller_ones_and_ties_keep_their_date_order():
    from imu_geo.render.events import draw_events

    # 40 attacks a day apart, every other one with 9 killed (11 px, else 5 px).
    rows = [
        attack(
            f"a{k:02}",
            f"2001-01-{k + 1:02}" if k < 31 else f"2001-02-{k - 30:02}",
            1000 * k,
            0,
            fatalities_best=9 * (k % 2),
        )
        for k in range(40)
    ]
    (dots,) = draw_events(flat_scene(), events_frame(rows))
    xs = [x for x, _ in dots.get_offsets().tolist()]
    assert xs == [1000 * k for k in range(1, 40, 2)] + [
        1000 * k for k in range(0, 40, 2)
    ]


def test_the_density_grid_is_square_wherever_the_map_lies():
    from imu_geo.render.events import _hexbin_grid

    # The map's limits moved 1,000 km east: the grid is 70 x 29 still.
    scene = flat_scene()
    scene.map_axes.set_xlim(1_000_000, 1_962_000)
    scene.map_axes.set_ylim(0, 684_000)
    assert _hexbin_grid(scene) == (70, 29)


def test_hexagons_lie_on_the_map_s_grid_and_the_scale_starts_at_one():
    from imu_geo.render.events import draw_events

    # Hexagon (15, 13) of the map's grid lies off any grid spanned by the
    # events alone; no hexagon holds fewer than 2 events, yet the scale starts
    # at 1, as the key's does.
    points = [hex_point(10, 10)] * 2 + [hex_point(20, 20)] * 3 + [hex_point(15, 13)] * 2
    rows = [attack(f"e{k}", "2001-01-01", x, y) for k, (x, y) in enumerate(points)]
    (shading,) = draw_events(flat_scene(), events_frame(rows), shade_up_to=10)
    counts = dict(
        zip(
            (tuple(np.round(o)) for o in shading.get_offsets()),
            shading.get_array().tolist(),
            strict=True,
        )
    )
    assert counts == {
        tuple(np.round(hex_point(10, 10))): 2,
        tuple(np.round(hex_point(20, 20))): 3,
        tuple(np.round(hex_point(15, 13))): 2,
    }
    assert (shading.norm.vmin, shading.norm.vmax) == (1, 10)


def test_two_bases_make_one_arc_and_an_area_is_drawn_once():
    from imu_geo.render.events import draw_events

    camp = {"layer": "base", "place_id": "camp"}
    two = events_frame(
        [
            attack("b1", "1997-01-01", 50_000, 50_000, **camp),
            attack("b2", "1998-01-01", 500_000, 300_000, layer="base", place_id="t"),
        ]
    )
    area, town, arc = draw_events(flat_scene(areas={"camp": CAMP}), two)
    assert arc._posA_posB == [(50_000, 50_000), (500_000, 300_000)]
    # Two bases at the camp, a year apart: one outline, and no arc (no move).
    stayed = events_frame(
        [
            attack("b1", "1997-01-01", 50_000, 50_000, **camp),
            attack("b2", "1998-01-01", 50_000, 50_000, **camp),
        ]
    )
    (area,) = draw_events(flat_scene(areas={"camp": CAMP}), stayed)
    assert len(area.get_paths()) == 1


def test_a_scale_up_to_the_fullest_hexagon_reaches_at_least_two():
    from imu_geo.render.events import draw_events

    # The fullest hexagon holds 2: the scale runs 1 to 2 (and so it would for 1).
    rows = [attack(f"e{k}", "2001-01-01", *hex_point(10, 10)) for k in range(2)]
    (shading,) = draw_events(flat_scene(), events_frame(rows), shade_up_to=0)
    assert (shading.norm.vmin, shading.norm.vmax) == (1, 2)
    (single,) = draw_events(flat_scene(), events_frame(rows[:1]), shade_up_to=0)
    assert (single.norm.vmin, single.norm.vmax) == (1, 2)


def test_points_alone_place_a_dataset_whose_places_have_no_geometry():
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from imu_geo.render.basemap import build_basemap

    shapeless = gpd.GeoDataFrame(
        {"place_id": ["empty", "none"]}, geometry=[Point(), None], crs="EPSG:4326"
    )
    # Whole numbers with a gap (pandas' Int64), and a longitude that is no number.
    points = pd.DataFrame(
        {
            "lat": pd.array([30, 40, None, 35], dtype="Int64"),
            "lon": pd.Series([60, 70, 65, "y"], dtype=object),
        }
    )
    basemap = build_basemap(regions_frame(), shapeless, points)
    crs = LAEA.format(lat="35.0", lon="65.0")
    assert basemap.crs == crs
    assert basemap.area_shapes == {}
    xs, ys = to_laea(crs, [60, 70], [30, 40])
    assert basemap.extent == pytest.approx(padded(min(xs), min(ys), max(xs), max(ys)))


def test_small_regions_and_areas_keep_their_shape_when_simplified():
    import geopandas as gpd
    from shapely.geometry import MultiPolygon, Polygon

    from imu_geo.render.basemap import build_basemap

    # A triangle smaller than the tolerance (0.02 degrees): simplified without
    # keeping its topology it would vanish.
    tiny = Polygon([(70, 40), (70.01, 40), (70.005, 40.004)])
    regions = regions_frame()
    regions.loc[regions["region_id"] == "FV", "geometry"] = tiny
    pair = MultiPolygon([square(66, 37, 0.5), square(67, 37, 0.5)])
    places = gpd.GeoDataFrame(
        {"place_id": ["spot", "pair"]}, geometry=[tiny, pair], crs="EPSG:4326"
    )
    basemap = build_basemap(regions, places)
    # A place of two polygons is an area too.
    assert list(basemap.area_shapes) == ["spot", "pair"]
    assert len(basemap.area_shapes["pair"].geoms) == 2
    crs = basemap.crs
    xs, ys = to_laea(crs, [70, 70.01, 70.005], [40, 40, 40.004])
    expected = sorted((round(x, 3), round(y, 3)) for x, y in zip(xs, ys, strict=True))
    (valley,) = basemap.region_shapes["valley"]
    assert corners(valley) == expected
    assert corners(basemap.area_shapes["spot"]) == expected


def test_the_page_ignores_matplotlib_s_settings_for_its_size_and_paper():
    import matplotlib

    from imu_geo.render.figure import new_scene

    # Someone's matplotlibrc (or another library) may change the defaults.
    with matplotlib.rc_context({"figure.dpi": 72, "figure.facecolor": "black"}):
        scene = new_scene(flat_basemap(WIDE), ("a", "b"), words())
    assert scene.figure.dpi == 100
    assert scene.figure.canvas.get_width_height() == (1280, 800)
    assert scene.figure.get_facecolor() == (1, 1, 1, 1)


def test_a_png_is_a_png_of_100_pixels_an_inch_whatever_matplotlib_s_settings():
    import io

    import matplotlib
    from PIL import Image

    from imu_geo.render.pictures import draw_picture, save

    selected = events_frame([attack("a1", "2001-03-01", 100_000, 100_000)])
    scene = draw_picture(selected, year_2001(), flat_basemap(WIDE), words())
    with matplotlib.rc_context({"savefig.dpi": 72, "savefig.format": "svg"}):
        png = save(scene, "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 800)

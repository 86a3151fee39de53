"""The density map: cell size, merging cells, colour classes, words, the deck.

Property tests have no deadline: their speed is not what they check, and the
machine may be busy."""

import json
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu_geo.density import (
    DENSITY_LAYER_ID,
    MAX_CELLS,
    NICE_CELL_DEG,
    _coarser_factors,
    _nice_count,
    bound_cells,
    build_density_deck,
    cell_span_text,
    cell_tooltip,
    class_colours,
    class_labels,
    coarsen_cells,
    density_cell_deg,
    density_classes,
    density_layer,
    density_legend_svg,
    density_notice,
    density_records,
    density_switch_notice,
    density_thresholds,
    format_degrees,
)
from imu_geo.layers import LAYER_IDS, WORLD_BASEMAP
from imu_geo.text import MARK

DECK_LIMIT = 100_000


def cells_frame(rows):
    """Cells from (cx, cy, attacks, bases, context) tuples."""
    frame = pd.DataFrame(rows, columns=["cx", "cy", "attacks", "bases", "context"])
    frame["events"] = frame["attacks"] + frame["bases"] + frame["context"]
    return frame


def layer_of(deck, layer_id):
    return next(x for x in json.loads(deck.to_json())["layers"] if x["id"] == layer_id)


# --- the grid -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        (None, 2.5),
        # The whole world: 360 / 2.5 = 144 cells across.
        ((-180.0, -90.0, 180.0, 90.0), 2.5),
        # 20 degrees wide: 0.25 would give 80 cells, 0.2 gives 100.
        ((60.0, 30.0, 80.0, 45.0), 0.2),
        # 5 degrees exactly: 0.05 gives 100 cells.
        ((66.0, 36.0, 71.0, 41.0), 0.05),
        # Taller than wide: the 100 degrees of latitude count.
        ((10.0, -50.0, 12.0, 50.0), 1.0),
        ((0.0, 0.0, 30.0, 1.0), 0.25),
        ((0.0, 0.0, 0.3, 0.05), 0.0025),
        # One place: the finest cell.
        ((69.2, 41.3, 69.2, 41.3), 0.001),
        # 1e-9 short of 100 cells of 1 degree still counts as 100 (float
        # error); 2e-9 short does not.
        ((0.0, 0.0, 100 - 1e-9, 0.0), 1.0),
        ((0.0, 0.0, 100 - 2e-9, 0.0), 0.5),
    ],
)
def test_cell_size_for_extent(bounds, expected):
    assert density_cell_deg(bounds) == expected


@settings(deadline=None)
@given(
    west=st.floats(-180, 179.9),
    south=st.floats(-90, 89.9),
    width=st.floats(0.1, 360),
    height=st.floats(0, 180),
)
def test_cell_size_gives_100_to_200_cells_across(west, south, width, height):
    size = density_cell_deg((west, south, west + width, south + height))
    across = max(width, height) / size
    assert size in NICE_CELL_DEG
    assert 100 - 1e-6 <= across < 200


@pytest.mark.parametrize(
    ("cell_deg", "first"),
    [
        # 1, 2, 2.5, 5, 10, 15, 30 degrees.
        (0.5, [2, 4, 5, 10, 20, 30, 60]),
        # 0.002, 0.005, 0.01 (0.0025 is not a whole multiple).
        (0.001, [2, 5, 10, 20, 25, 50]),
        # No nice size is near: doubling up to 15 degrees (x50), then nice ones.
        (0.3, [2, 4, 8, 16, 32, 50, 100, 150]),
    ],
)
def test_coarser_factors(cell_deg, first):
    assert _coarser_factors(cell_deg)[: len(first)] == first


def test_coarsen_adds_cells_up_by_hand():
    cells = cells_frame(
        [
            (0, 0, 1, 0, 0),
            (1, 0, 1, 1, 0),
            (1, 1, 0, 0, 3),
            (-1, 0, 4, 0, 0),
            (2, 3, 2, 2, 1),
        ]
    )
    merged = coarsen_cells(cells, 2)
    expected = cells_frame(
        [
            (-1, 0, 4, 0, 0),
            (0, 0, 2, 1, 3),
            (1, 1, 2, 2, 1),
        ]
    )
    got = merged.sort_values(["cx", "cy"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        got[list(expected.columns)], expected, check_dtype=False
    )


def _bin(points: np.ndarray, size: float) -> pd.DataFrame:
    """The oracle: count points per cell directly at ``size``."""
    frame = pd.DataFrame(
        {
            "cx": np.floor(points[:, 0] / size).astype(int),
            "cy": np.floor(points[:, 1] / size).astype(int),
            "attacks": 1,
            "bases": 0,
            "context": 0,
        }
    )
    counted = frame.groupby(["cx", "cy"], as_index=False).sum()
    counted["events"] = counted["attacks"]
    return counted.sort_values(["cx", "cy"]).reset_index(drop=True)


@settings(deadline=None)
@given(
    halves=st.lists(
        st.tuples(st.integers(-360, 359), st.integers(-180, 179)), min_size=1
    ),
    factor=st.integers(1, 12),
)
def test_coarsened_cells_equal_binning_at_the_coarser_size(halves, factor):
    # Coordinates on half degrees, so floor() is exact at either size.
    points = np.array(halves, dtype=float) / 2 + 0.25
    merged = coarsen_cells(_bin(points, 1.0), factor)
    direct = _bin(points, float(factor))
    columns = ["cx", "cy", "events", "attacks"]
    pd.testing.assert_frame_equal(
        merged[columns].reset_index(drop=True), direct[columns], check_dtype=False
    )


def test_bound_cells_keeps_cells_that_fit():
    cells = cells_frame([(x, x, 1, 0, 0) for x in range(4)])
    got, size = bound_cells(cells, 0.5, max_cells=4)
    assert got is cells
    assert size == 0.5


def test_bound_cells_refuses_a_cap_no_grid_can_meet():
    with pytest.raises(ValueError, match="at least 4"):
        bound_cells(cells_frame([(0, 0, 1, 0, 0)]), 0.5, max_cells=3)


def million_cells(seed=0, count=8_000_000):
    """1,000,000 distinct occupied cells of 0.001 degrees over a 1,000 x 1,000
    block in the south-west of the world, with eight-digit counts (the longest
    tooltips)."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(1_000_000, 1_000_000, replace=False)
    cells = pd.DataFrame({"cx": chosen % 1000 - 179_000, "cy": chosen // 1000 - 89_000})
    for column in ("attacks", "bases", "context"):
        cells[column] = rng.integers(count, 3 * count, len(cells))
    cells["events"] = cells["attacks"] + cells["bases"] + cells["context"]
    return cells


@pytest.fixture(scope="module")
def million():
    return million_cells()


def test_a_million_cells_are_merged_under_the_cap(million):
    merged, size = bound_cells(million, 0.001)
    assert len(merged) <= MAX_CELLS
    # 1,000 cells a side need at least sqrt(10^6 / 400) = 50 per merged cell;
    # x50 (0.05 degrees) puts the block, whose corner is a multiple of 50, on a
    # 20 x 20 grid: 400 cells, exactly the cap.
    assert size == pytest.approx(0.05)
    assert len(merged) == 400
    for column in ("events", "attacks", "bases", "context"):
        assert int(merged[column].sum()) == int(million[column].sum())


def test_deck_from_a_million_cells_stays_under_100_kB(million):
    deck = build_density_deck(million, 0.001, basemap=WORLD_BASEMAP)
    size = len(deck.to_json().encode("utf-8"))
    assert size <= DECK_LIMIT
    assert len(layer_of(deck, DENSITY_LAYER_ID)["data"]) <= MAX_CELLS


@pytest.mark.parametrize("cell_deg", [0.001, 0.0025, 0.5, 2.5])
def test_deck_at_the_cap_with_longest_tooltips_under_100_kB(cell_deg):
    # MAX_CELLS cells, each with nine-character corners and 8-digit counts.
    n = MAX_CELLS
    cells = pd.DataFrame(
        {"cx": -(np.arange(n) * 37 + 1), "cy": -(np.arange(n) * 11 + 1)}
    )
    for column in ("attacks", "bases", "context"):
        cells[column] = 33_333_333
    cells["events"] = 99_999_999
    deck = build_density_deck(cells, cell_deg, basemap=WORLD_BASEMAP)
    assert len(layer_of(deck, DENSITY_LAYER_ID)["data"]) == n
    assert len(deck.to_json().encode("utf-8")) <= DECK_LIMIT


# --- the colour scale -----------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (0, (1,)),
        (1, (1,)),
        (2, (1, 2)),
        # 10^0.2..10^0.8 = 1.58, 2.51, 3.98, 6.31 -> 2, 2, 5, 5.
        (10, (1, 2, 5)),
        # 2.51, 6.31, 15.8, 39.8 -> 2, 5, 20, 50.
        (100, (1, 2, 5, 20, 50)),
        # 3.98, 15.8, 63.1, 251 -> 5, 20, 50, 200.
        (1000, (1, 5, 20, 50, 200)),
        # 15.8, 251, 3981, 63096 -> 20, 200, 5000, 50000.
        (1_000_000, (1, 20, 200, 5000, 50000)),
    ],
)
def test_thresholds(maximum, expected):
    assert density_thresholds(maximum) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 0), (1, 0), (4, 0), (5, 1), (19, 1), (20, 2), (199, 3), (200, 4), (10**9, 4)],
)
def test_classes(count, expected):
    assert density_classes([count], (1, 5, 20, 50, 200))[0] == expected


YLORRD = [
    [255, 255, 178, 190],
    [254, 204, 92, 190],
    [253, 141, 60, 190],
    [240, 59, 32, 190],
    [189, 0, 38, 190],
]


@pytest.mark.parametrize(
    ("n", "picks"),
    [(1, [2]), (2, [0, 4]), (3, [0, 2, 4]), (4, [0, 1, 3, 4]), (5, [0, 1, 2, 3, 4])],
)
def test_class_colours_span_light_to_dark(n, picks):
    assert class_colours(n) == [YLORRD[p] for p in picks]


@pytest.mark.parametrize(
    ("thresholds", "maximum", "expected"),
    [
        ((1,), 1, ["1"]),
        ((1, 2, 5), 10, ["1", "2–4", "5–10"]),
        ((1, 5, 20, 50, 200), 1000, ["1–4", "5–19", "20–49", "50–199", "200–1,000"]),
        ((1, 2), 2, ["1", "2"]),
    ],
)
def test_class_labels(thresholds, maximum, expected):
    assert class_labels(thresholds, maximum) == expected


# --- the words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell_deg", "degrees", "span"),
    [
        (0.5, "0.5°", "about 56 km"),
        (2.5, "2.5°", "about 278 km"),
        (1.0, "1°", "about 111 km"),
        (0.05, "0.05°", "about 5.6 km"),
        (0.01, "0.01°", "about 1.1 km"),
        (0.005, "0.005°", "about 560 m"),
        (0.001, "0.001°", "about 110 m"),
        (0.3 * 2, "0.6°", "about 67 km"),
    ],
)
def test_cell_size_words(cell_deg, degrees, span):
    assert format_degrees(cell_deg) == degrees
    assert cell_span_text(cell_deg) == span


@pytest.mark.parametrize(
    ("counts", "cell_deg", "expected"),
    [
        (
            (1, 1, 0, 0),
            0.5,
            "1 event in this 0.5° cell: 1 attack, 0 bases, 0 context",
        ),
        (
            (12_345, 12_000, 1, 344),
            2.5,
            "12,345 events in this 2.5° cell: 12,000 attacks, 1 base, 344 context",
        ),
    ],
)
def test_cell_tooltip(counts, cell_deg, expected):
    cell = dict(zip(("events", "attacks", "bases", "context"), counts, strict=True))
    assert cell_tooltip(cell, cell_deg) == expected


@pytest.mark.parametrize(
    ("n", "cell_deg", "budget", "expected"),
    [
        (
            1_234_567,
            0.5,
            500_000,
            "1,234,567 events pass the filters over the whole span, more than the "
            "500,000 the map draws one by one, so it shows how many of the window's "
            "events fall in each 0.5° grid cell (about "
            "56 km from south to north): the darker the cell, the more events. "
            "Hover a cell for its counts. Events without a place are not on the "
            "map; the table and the downloads hold every event.",
        ),
        (
            1,
            0.001,
            0,
            "1 event passes the filters over the whole span, more than the 0 the map "
            "draws one by one, so it shows how many of the window's events fall in "
            "each 0.001° grid cell (about 110 m from "
            "south to north): the darker the cell, the more events. Hover a cell "
            "for its counts. Events without a place are not on the map; the table "
            "and the downloads hold every event.",
        ),
    ],
)
def test_notice(n, cell_deg, budget, expected):
    assert density_notice(n, cell_deg, budget) == expected


# --- the deck -----------------------------------------------------------------------


def test_deck_draws_cells_over_the_basemap():
    cells = cells_frame([(-3, 72, 2, 0, 1), (139, 80, 40, 2, 0)])
    deck = build_density_deck(cells, 0.5)
    parsed = json.loads(deck.to_json())
    ids = [layer["id"] for layer in parsed["layers"]]
    # Over the base map (parsed["mapStyle"]) and its labels.
    assert ids == [LAYER_IDS["labels"], DENSITY_LAYER_ID]
    assert parsed["mapStyle"] == "app/static/style.json"
    layer = layer_of(deck, DENSITY_LAYER_ID)
    assert layer["@@type"] == "PolygonLayer"
    assert layer["getPolygon"] == "@@=[[w,s],[w+0.5,s],[w+0.5,s+0.5],[w,s+0.5]]"
    assert layer["pickable"] is True
    # Largest count 42: thresholds 1, 2, 5, 10, 20 (42^0.2..0.8 = 2.1, 4.5, 9.4,
    # 19.9), so 3 events is class 1 and 42 class 4.
    assert layer["data"] == [
        {
            "w": -1.5,
            "s": 36.0,
            "c": 1,
            "t": "3 events in this 0.5° cell: 2 attacks, 0 bases, 1 context",
        },
        {
            "w": 69.5,
            "s": 40.0,
            "c": 4,
            "t": "42 events in this 0.5° cell: 40 attacks, 2 bases, 0 context",
        },
    ]
    assert parsed.get("mapProvider") is None
    assert deck._tooltip == {"text": "{t}"}
    assert "http" not in deck.to_json()


def test_scale_max_keeps_colours_comparable():
    cells = cells_frame([(0, 0, 3, 0, 0)])
    alone = layer_of(build_density_deck(cells, 1.0), DENSITY_LAYER_ID)
    among_more = layer_of(
        build_density_deck(cells, 1.0, scale_max=1000), DENSITY_LAYER_ID
    )
    # Alone, 3 is the top class (of 1, 2); against 1000 it is the lowest.
    assert alone["data"][0]["c"] == 1
    assert among_more["data"][0]["c"] == 0


def test_deck_shows_the_merged_size_when_it_merges():
    cells = cells_frame([(x, 0, 1, 0, 0) for x in range(10)])
    layer = layer_of(build_density_deck(cells, 0.5, max_cells=4), DENSITY_LAYER_ID)
    # 10 cells in a row: x2 gives 5, x4 gives 3 cells of 2 degrees.
    assert [cell["w"] for cell in layer["data"]] == [0.0, 2.0, 4.0]
    assert layer["getPolygon"] == "@@=[[w,s],[w+2,s],[w+2,s+2],[w,s+2]]"
    assert layer["data"][0]["t"].startswith("4 events in this 2° cell")


# --- hostile text -------------------------------------------------------------------

HOSTILE = "@@=alert(document.cookie)"


def test_text_in_a_count_never_reaches_the_deck():
    cells = cells_frame([(0, 0, 1, 0, 0)]).astype(object)
    cells.loc[0, "attacks"] = HOSTILE
    with pytest.raises(ValueError):
        build_density_deck(cells, 0.5)


def test_other_columns_of_the_cells_stay_out_of_the_deck():
    cells = cells_frame([(0, 0, 1, 0, 0)])
    cells["label"] = HOSTILE
    cells["note"] = "<img src=x onerror=alert(1)>"
    text = build_density_deck(cells, 0.5).to_json()
    assert "alert" not in text
    assert "onerror" not in text


def test_layer_data_passes_the_deck_escaping():
    # Whatever string a record carries goes through imu_geo.text.deck_text.
    layer = density_layer([{"w": 0.0, "s": 0.0, "c": 0, "t": HOSTILE}], 0.5, 1)
    assert layer.data == [{"w": 0.0, "s": 0.0, "c": 0, "t": MARK + HOSTILE}]


# --- the legend ---------------------------------------------------------------------


def test_legend_names_the_cell_and_each_class():
    svg = density_legend_svg(0.25, 1000)
    root = ET.fromstring(svg)
    texts = [node.text for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == [
        "Events per 0.25° cell",
        "1–4",
        "5–19",
        "20–49",
        "50–199",
        "200–1,000",
        "no cell: no located event",
    ]
    fills = [node.get("fill") for node in root.iter("{http://www.w3.org/2000/svg}rect")]
    alpha = f"{190 / 255:.2f}"
    assert alpha == "0.75"
    assert fills == [f"rgba({r},{g},{b},{alpha})" for r, g, b, _ in YLORRD]


# --- more by hand: the edges of each rule ---------------------------------------------


def test_coarsen_by_one_is_the_cells_themselves():
    cells = cells_frame([(3, 1, 1, 0, 0), (-2, 5, 0, 1, 0)])
    assert coarsen_cells(cells, 1) is cells


@pytest.mark.parametrize("factor", [0, -1])
def test_coarsen_refuses_a_factor_under_one(factor):
    with pytest.raises(ValueError, match="factor must be a whole number of at least 1"):
        coarsen_cells(cells_frame([(0, 0, 1, 0, 0)]), factor)


def test_coarsened_cells_come_sorted_with_the_count_columns_only():
    # Unsorted input: (0, 0), (1, 0) and (1, 1) merge into (0, 0) at x2, (-1, 0)
    # stays (-1, 0), (2, 3) goes to (1, 1).
    cells = cells_frame(
        [(0, 0, 1, 0, 0), (1, 0, 1, 1, 0), (1, 1, 0, 0, 3), (-1, 0, 4, 0, 0)]
        + [(2, 3, 2, 2, 1)]
    )
    merged = coarsen_cells(cells, 2)
    assert list(merged.columns) == ["cx", "cy", "events", "attacks", "bases", "context"]
    assert list(merged.index) == [0, 1, 2]
    assert merged.values.tolist() == [
        [-1, 0, 4, 4, 0, 0],
        [0, 0, 6, 2, 1, 3],
        [1, 1, 5, 2, 2, 1],
    ]


def test_coarser_factors_end_with_63_doublings():
    # 0.5 degrees: x2 .. x720 give 1, 2, 2.5, 5, 10, 15, 30, 45, 90, 180 and 360
    # degrees (no two more than 2.5 times apart), then 63 doublings of 720.
    nice = [2, 4, 5, 10, 20, 30, 60, 90, 180, 360, 720]
    assert _coarser_factors(0.5) == nice + [720 * 2**j for j in range(1, 64)]


def test_bound_cells_merges_by_the_smallest_factor_that_fits():
    # 9 cells in a 3 x 3 block at 1 degree, at most 4: x2 gives (0..1) x (0..1)
    # = 4 cells of 2 degrees.
    cells = cells_frame([(x, y, 1, 0, 0) for x in range(3) for y in range(3)])
    merged, size = bound_cells(cells, 1.0, max_cells=4)
    assert size == 2.0
    assert merged.values.tolist() == [
        [0, 0, 4, 4, 0, 0],
        [0, 1, 2, 2, 0, 0],
        [1, 0, 2, 2, 0, 0],
        [1, 1, 1, 1, 0, 0],
    ]


def test_bound_cells_takes_a_factor_whose_square_is_just_enough():
    # 16 cells in a row at 0.5 degrees, at most 4: x4 makes exactly 4 cells
    # (16 = 4 x 4 x 1 is not over 4 x 2^2 = 16, so x2 is tried first: 8 cells).
    cells = cells_frame([(x, 0, 1, 0, 0) for x in range(16)])
    merged, size = bound_cells(cells, 0.5, max_cells=4)
    assert size == 2.0
    assert merged["cx"].tolist() == [0, 1, 2, 3]
    assert merged["events"].tolist() == [4, 4, 4, 4]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Nearest by ratio: the boundaries are sqrt(2) = 1.41, sqrt(10) = 3.16 and
        # sqrt(50) = 7.07 times a power of ten.
        (1, 1),
        (1.4, 1),
        (1.5, 2),
        (3.1, 2),
        (3.2, 5),
        (7, 5),
        (7.1, 10),
        (700, 500),
        (710, 1000),
        (64, 50),
    ],
)
def test_nice_count(value, expected):
    assert _nice_count(value) == expected


@pytest.mark.parametrize(
    ("maximum", "classes", "expected"),
    [
        # 8^0.5 = 2.83 -> 2, so two classes.
        (8, 2, (1, 2)),
        # 90^(1/3), 90^(2/3) = 4.48, 20.1 -> 5, 20.
        (90, 3, (1, 5, 20)),
    ],
)
def test_thresholds_with_fewer_classes(maximum, classes, expected):
    assert density_thresholds(maximum, classes) == expected


@pytest.mark.parametrize(
    ("cell_deg", "span"),
    [
        # 0.09 x 111.2 = 10.008 km; exactly 10 km and exactly 1 km; 1.0008 km;
        # 945.2 m and 144.9 m to two significant digits.
        (0.09, "about 10 km"),
        (10 / 111.2, "about 10 km"),
        (1 / 111.2, "about 1.0 km"),
        (0.009, "about 1.0 km"),
        (0.0085, "about 950 m"),
        (0.001303, "about 140 m"),
        (10.0, "about 1,112 km"),
    ],
)
def test_cell_span_at_the_steps(cell_deg, span):
    assert cell_span_text(cell_deg) == span


def test_switch_notice():
    assert density_switch_notice(0.5) == (
        "Density: the window's events are counted per 0.5° grid cell (about 56 km "
        "from south to north): the darker the cell, the more events; hover a cell "
        "for its counts. Bases, their arcs and place halos are still drawn; switch "
        "the density off to see each event. Events without a place are not on the map."
    )


def test_records_round_the_corners_to_six_decimals():
    cells = cells_frame([(1, -2, 1, 0, 0), (3, 0, 0, 0, 7)])
    records = density_records(cells, 1 / 3, (1, 5))
    assert records == [
        {
            "w": 0.333333,
            "s": -0.666667,
            "c": 0,
            "t": "1 event in this 0.333333° cell: 1 attack, 0 bases, 0 context",
        },
        {
            "w": 1.0,
            "s": 0.0,
            "c": 1,
            "t": "7 events in this 0.333333° cell: 0 attacks, 0 bases, 7 context",
        },
    ]


def test_layer_draws_filled_squares_without_outline():
    layer = density_layer([{"w": 0.0, "s": 0.0, "c": 1, "t": "x"}], 0.25, 2)
    # Two classes: the lightest and the darkest stop of YlOrRd.
    assert json.loads(layer.to_json()) == {
        "@@type": "PolygonLayer",
        "id": DENSITY_LAYER_ID,
        "data": [{"w": 0.0, "s": 0.0, "c": 1, "t": "x"}],
        "getPolygon": "@@=[[w,s],[w+0.25,s],[w+0.25,s+0.25],[w,s+0.25]]",
        "getFillColor": "@@=c==0?[255,255,178,190]:[189,0,38,190]",
        "filled": True,
        "stroked": False,
        "pickable": True,
        "autoHighlight": True,
    }


def test_deck_of_no_cells():
    cells = cells_frame([]).astype(int)
    deck = build_density_deck(cells, 0.5)
    layer = layer_of(deck, DENSITY_LAYER_ID)
    assert layer["data"] == []
    # One class (1 event and up) in the middle stop of the scale.
    assert layer["getFillColor"] == "@@=[253,141,60,190]"


def test_deck_starts_at_the_given_view():
    cells = cells_frame([(0, 0, 1, 0, 0)])
    view = {"latitude": 40.5, "longitude": 70.25, "zoom": 5.0}
    parsed = json.loads(build_density_deck(cells, 0.5, view=view).to_json())
    state = parsed["initialViewState"]
    assert (state["latitude"], state["longitude"], state["zoom"]) == (40.5, 70.25, 5.0)


def test_legend_geometry():
    # Title at y 14, then a row every 18 px from y 32 (the box 11 px above the
    # text's baseline), the last line at 32 + 5 x 18 = 122, the picture 8 px lower.
    root = ET.fromstring(density_legend_svg(0.25, 1000))
    svg = "{http://www.w3.org/2000/svg}"
    assert (root.get("width"), root.get("height")) == ("230", "130")
    texts = list(root.iter(f"{svg}text"))
    assert [t.get("y") for t in texts] == ["14", "32", "50", "68", "86", "104", "122"]
    assert [t.get("x") for t in texts] == ["4"] + ["26"] * 5 + ["4"]
    rects = list(root.iter(f"{svg}rect"))
    assert [r.get("y") for r in rects] == ["21", "39", "57", "75", "93"]
    assert {(r.get("x"), r.get("width"), r.get("height")) for r in rects} == {
        ("5", "14", "12")
    }
    # Nothing but elements: no text between them.
    assert root.text is None
    assert [node.tail for node in root] == [None] * len(list(root))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: coarsen_cells(cells_frame([(0, 0, 1, 0, 0)]), 0),
            "factor must be a whole number of at least 1",
        ),
        (
            lambda: bound_cells(cells_frame([(0, 0, 1, 0, 0)]), 0.5, max_cells=3),
            "max_cells must be at least 4",
        ),
    ],
)
def test_refusals_say_exactly_why(call, message):
    with pytest.raises(ValueError) as refused:
        call()
    assert str(refused.value) == message

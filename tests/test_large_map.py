"""The large map's few features and its density switch, as deck JSON.

Above the inline limit the event dots come from point files, but bases (with
their areas and relocation arcs) and place halos are few and travel inside the
deck, as on the detailed map; with the density switched on, engine cells
replace the dots. Counts below are worked out by hand from the rows written here.
"""

from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk
import pytest
from shapely.geometry import Point, box

from imu_geo.density import cells_layer
from imu_geo.layers import (
    HALO_PRECISIONS,
    MapOptions,
    as_tooltip,
    build_sliced_deck,
    compact_json,
    detail_layers,
    large_colour_codes,
    large_fill_colours,
    large_palettes,
    large_point_layer,
    large_radii,
    relocation_pairs,
    slice_layer,
)
from imu_geo.pointfiles import PointSlice
from tests.helpers import make_events

BASES = make_events(
    [
        {  # an area: drawn as its polygon
            "event_id": "b1",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "1998-01-01",
            "date_end": "2001-12-31",
            "place_id": "kunduz",
            "place_name": "Kunduz",
            "geo_precision": "province",
            "lat": 36.8,
            "lon": 68.7,
            "title": "@@=constructor",
        },
        {  # a town: drawn as a ring
            "event_id": "b2",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "2002-01-01",
            "date_end": "2003-12-31",
            "place_id": "wana",
            "place_name": "Wana",
            "geo_precision": "near",
            "lat": 32.3,
            "lon": 69.6,
        },
    ]
)
GEOMETRY = {"kunduz": box(68.0, 36.0, 69.5, 37.5)}
# One row per place, as the engine's place_halos gives them.
HALOS = pd.DataFrame(
    {
        "lon": [69.2, 70.1, 66.0],
        "lat": [41.3, 40.5, 34.0],
        "geo_precision": ["near", "district", "country"],
        "events": [12, 1, 4],
    }
)
URLS = {"attack": "app/static/points/p/a.json", "context": "app/static/points/p/c.json"}


def _layers(deck) -> dict[str, dict]:
    return {layer["id"]: layer for layer in json.loads(deck.to_json())["layers"]}


@pytest.mark.parametrize(
    ("bases", "halos", "options", "expected"),
    [
        # ids and data counts: 1 area polygon, 1 ring, 1 arc (b1 -> b2), 3 discs
        (
            BASES,
            HALOS,
            MapOptions(),
            {"uncertainty-halos": 3, "base-areas": 1, "base-points": 1,
             "base-relocation": 1},
        ),
        (BASES, HALOS, MapOptions(relocation=False, halos=False),
         {"base-areas": 1, "base-points": 1}),
        (None, HALOS, MapOptions(), {"uncertainty-halos": 3}),
        (BASES, None, MapOptions(), {"base-areas": 1, "base-points": 1,
                                     "base-relocation": 1}),
        (None, None, MapOptions(), {}),
    ],
)  # fmt: skip
def test_the_large_deck_draws_the_few_features_inline(bases, halos, options, expected):
    details = detail_layers(bases, halos, GEOMETRY, options)
    layers = _layers(build_sliced_deck([], (0, 10), False, details=details, files=URLS))
    drawn = {
        layer_id: len(layer["data"])
        for layer_id, layer in layers.items()
        if isinstance(layer.get("data"), list)
    }
    assert drawn == expected
    # The event dots still come from their files, filtered by date.
    assert layers["attacks"]["data"] == URLS["attack"]
    assert layers["context-events"]["data"] == URLS["context"]
    assert "visible" not in layers["attacks"]
    # Below the dots, above the basemap's labels (its outlines are drawn under
    # the deck, from its style).
    order = list(layers)
    assert order.index("labels") < min(order.index(i) for i in expected or ["attacks"])
    assert max((order.index(i) for i in expected), default=0) < order.index("attacks")


def test_inline_features_carry_the_large_decks_tooltip_as_safe_text():
    details = detail_layers(BASES, HALOS, GEOMETRY, MapOptions())
    built = build_sliced_deck([], (0, 10), False, details=details, files=URLS)
    assert built._tooltip == {"text": "{n}"}
    deck = json.loads(built.to_json())
    layers = {layer["id"]: layer for layer in deck["layers"]}
    for layer_id in ("base-areas", "base-points", "base-relocation"):
        for record in layers[layer_id]["data"]:
            assert "tooltip" not in record
            assert record["n"]
    area = layers["base-areas"]["data"][0]
    assert area["event_id"] == "b1"
    # A title that deck.gl would read as an expression reaches it as text.
    assert not area["n"].startswith("@@")
    assert all(
        not value.startswith("@@")
        for layer_id in ("base-areas", "base-points", "base-relocation")
        for record in layers[layer_id]["data"]
        for value in record.values()
        if isinstance(value, str)
    )
    arc = layers["base-relocation"]["data"][0]
    assert arc["from"] == [68.7, 36.8] and arc["to"] == [69.6, 32.3]
    assert arc["n"] == "Base moved: Kunduz → Wana (2002)"
    assert layers["uncertainty-halos"]["filled"] is False
    # Halo radii by hand: near 25 km, district 50 km, country 400 km.
    assert sorted(d["radius"] for d in layers["uncertainty-halos"]["data"]) == [
        25_000,
        50_000,
        400_000,
    ]


def test_halo_precisions_are_the_vague_ones():
    assert set(HALO_PRECISIONS) == {"near", "district", "province", "region", "country"}


def test_switched_on_density_replaces_the_dots_and_keeps_the_features():
    cells = pd.DataFrame(
        {
            "cx": [137, 138],
            "cy": [73, 73],
            "events": [5, 2],
            "attacks": [4, 2],
            "bases": [0, 0],
            "context": [1, 0],
        }
    )
    details = detail_layers(BASES, None, GEOMETRY, MapOptions())
    layers = _layers(
        build_sliced_deck(
            [],
            (0, 10),
            False,
            details=details,
            density=cells_layer(cells, 0.5, scale_max=5),
            files=URLS,
        )
    )
    density = layers["event-density"]
    assert len(density["data"]) == 2
    assert density["data"][0]["n"] == (
        "5 events in this 0.5° cell: 4 attacks, 0 bases, 1 context"
    )
    assert "t" not in density["data"][0]
    # The dots stay in the deck (their files are not fetched again), hidden.
    assert layers["attacks"]["visible"] is False
    assert layers["context-events"]["visible"] is False
    assert layers["base-areas"].get("visible", True) is True
    order = list(layers)
    assert order.index("event-density") < order.index("base-areas")


def test_with_density_on_bases_from_a_file_stay_and_halos_lie_under_the_cells():
    cells = pd.DataFrame(
        {"cx": [137], "cy": [73], "events": [3], "attacks": [3], "bases": [0],
         "context": [0]}
    )  # fmt: skip
    details = detail_layers(None, HALOS, GEOMETRY, MapOptions())
    layers = _layers(
        build_sliced_deck(
            [],
            (0, 10),
            False,
            details=details,
            density=cells_layer(cells, 0.5),
            files={**URLS, "base": "app/static/points/p/b.json"},
        )
    )
    assert "visible" not in layers["base-points"]
    assert layers["base-points"]["data"] == "app/static/points/p/b.json"
    order = list(layers)
    assert order.index("uncertainty-halos") < order.index("event-density")


# The pages' large map: the attacks and context as time slices.
SLICES = [
    (PointSlice(0, 0, 5, 10), "app/static/points/p/s0.json"),
    (PointSlice(1, 20, 30, 10), "app/static/points/p/s1.json"),
]


def test_the_sliced_deck_draws_the_features_between_labels_and_dots():
    details = detail_layers(BASES, HALOS, GEOMETRY, MapOptions())
    layers = _layers(build_sliced_deck(SLICES, (0, 10), False, details=details))
    order = list(layers)
    assert order == [
        "labels",
        "uncertainty-halos",
        "base-areas",
        "base-points",
        "base-relocation",
        "events-0",
        "events-1",
    ]
    # Days 0-10: the first slice (days 0-5) is drawn, the second (20-30) not.
    assert layers["events-0"]["visible"] is True
    assert layers["events-1"]["visible"] is False


def test_with_density_on_the_slices_hide_and_bases_from_a_file_stay():
    cells = pd.DataFrame(
        {"cx": [137], "cy": [73], "events": [3], "attacks": [3], "bases": [0],
         "context": [0]}
    )  # fmt: skip
    details = detail_layers(None, HALOS, GEOMETRY, MapOptions())
    layers = _layers(
        build_sliced_deck(
            SLICES,
            (0, 30),
            False,
            details=details,
            density=cells_layer(cells, 0.5),
            files={"base": "app/static/points/p/b.json"},
        )
    )
    assert [layers[f"events-{k}"]["visible"] for k in (0, 1)] == [False, False]
    assert "visible" not in layers["base-points"]
    assert layers["base-points"]["data"] == "app/static/points/p/b.json"
    order = list(layers)
    assert order.index("uncertainty-halos") < order.index("event-density")
    assert order.index("event-density") < order.index("base-points")


def _bases_at(n: int, place: str = "kunduz", long_names: bool = False):
    """``n`` bases one after another, each a year long, alternating between
    ``place`` and a town (so each step is a relocation arc)."""
    return make_events(
        [
            {
                "event_id": f"b{k:03d}",
                "layer": "base",
                "event_type": "group_base",
                "date_start": f"{1900 + k}-01-01",
                "date_end": f"{1900 + k}-12-31",
                "place_id": place if k % 2 == 0 else f"town{k}",
                "place_name": ("A long place name " * 3 if long_names else "P")
                + str(k),
                "geo_precision": "province" if k % 2 == 0 else "near",
                "lat": 36.8,
                "lon": 68.7 + k / 100,
            }
            for k in range(n)
        ]
    )


def test_bases_within_the_budget_come_with_their_areas_and_arcs():
    from imu_geo.ui.mapdeck import _detail_layers_within

    layers = _detail_layers_within(BASES, HALOS, GEOMETRY, MapOptions())
    assert [layer.id for layer in layers] == [
        "uncertainty-halos",
        "base-areas",
        "base-points",
        "base-relocation",
    ]
    # Without bases there is nothing to leave out: the halos come as they are.
    halos_only = _detail_layers_within(None, HALOS, GEOMETRY, MapOptions())
    assert [len(layer.data) for layer in halos_only] == [3]


def test_bases_whose_areas_pass_the_budget_are_left_out_without_drawing_arcs(
    monkeypatch,
):
    from imu_geo.layers import large
    from imu_geo.ui import mapdeck

    # A province of 4,000 corners: its ring alone is some 60 kB of JSON.
    ring = Point(68.7, 36.8).buffer(1.0, quad_segs=1000)
    bases = _bases_at(2)

    def no_arcs(_bases):
        raise AssertionError("arcs drawn for bases that are left out")

    monkeypatch.setattr(large, "relocation_layer", no_arcs)
    assert (
        mapdeck._detail_layers_within(bases, None, {"kunduz": ring}, MapOptions())
        is None
    )
    # Without arcs asked for, the same bases are still too large.
    assert (
        mapdeck._detail_layers_within(
            bases, None, {"kunduz": ring}, MapOptions(relocation=False)
        )
        is None
    )


def test_bases_whose_arcs_pass_the_budget_are_left_out():
    from imu_geo.ui.mapdeck import DETAIL_BYTES, _detail_layers_within, _json_bytes

    bases = _bases_at(70, long_names=True)
    without_arcs = detail_layers(bases, None, GEOMETRY, MapOptions(relocation=False))
    # The areas and rings alone fit (about 19 kB); with 69 arcs naming both
    # places (about 13 kB more) they do not.
    assert _json_bytes(without_arcs) <= DETAIL_BYTES
    assert len(relocation_pairs(bases)) == 69
    assert _detail_layers_within(bases, None, GEOMETRY, MapOptions()) is None
    assert _detail_layers_within(bases, None, GEOMETRY, MapOptions(relocation=False))


# --- the point layers, value by value -------------------------------------------

# What every large map's point layer tells deck.gl besides its colours: points
# at the file's x and y, radius r in pixels, picked and lit under the pointer,
# kept or dropped on the GPU by their first and last day (s, e).
POINTS = {
    "@@type": "ScatterplotLayer",
    "getPosition": "@@=[x, y]",
    "getRadius": "@@=r",
    "radiusUnits": "pixels",
    "stroked": True,
    "filled": True,
    "pickable": True,
    "autoHighlight": True,
    "extensions": [{"@@type": "DataFilterExtension", "filterSize": 2}],
    "getFilterValue": "@@=[s, e]",
    "filterRange": [[-5, 10], [0, 99]],
}


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        # Purple, solid (225) for code 0 and faint (40) for code 1, outlined
        # full in both; bases outlined 2 px, the rest 1 px.
        (
            "base",
            {
                "id": "base-points",
                "getFillColor": "@@=c==0?[94,60,153,225]:[94,60,153,40]",
                "getLineColor": "@@=c==0?[94,60,153,255]:[94,60,153,255]",
                "lineWidthMinPixels": 2,
            },
        ),
        (
            "context",
            {
                "id": "context-events",
                "getFillColor": "@@=c==0?[110,110,110,225]:[110,110,110,40]",
                "getLineColor": "@@=c==0?[110,110,110,255]:[110,110,110,255]",
                "lineWidthMinPixels": 1,
            },
        ),
    ],
)
def test_a_point_file_layer_draws_its_palette_by_colour_code(layer, expected):
    built = large_point_layer(layer, "app/static/points/p/x.json", [[-5, 10], [0, 99]])
    assert json.loads(compact_json(built)) == {
        **POINTS,
        "data": "app/static/points/p/x.json",
        **expected,
    }


def test_the_attack_palette_has_two_codes_per_type_in_order():
    fill, line = large_palettes("attack")
    # Okabe-Ito, in ATTACK_COLOURS' order: bombing, suicide bombing, hostage
    # taking, hijacking, armed assault, armed incursion, foiled plot.
    types = [
        (213, 94, 0),
        (204, 121, 167),
        (230, 159, 0),
        (86, 180, 233),
        (0, 114, 178),
        (0, 158, 115),
        (240, 228, 66),
    ]
    assert fill == [[*c, alpha] for c in types for alpha in (225, 40)]
    assert line == [[*c, 255] for c in types for _ in range(2)]


@pytest.mark.parametrize(
    ("visible", "outline"),
    [
        # Shown: the fill as the point says, its outline the same colour
        # opaque, as wide in pixels as the point says.
        (True, "@@=[f[0], f[1], f[2], 255]"),
        # Hidden: not drawn, so its outline colours are not computed at each
        # rerun.
        (False, [0, 0, 0, 0]),
    ],
)
def test_a_slice_layer_reads_each_points_colour_size_and_outline(visible, outline):
    built = slice_layer(3, "app/static/points/p/3.json", visible, [[-5, 10], [0, 99]])
    assert json.loads(compact_json(built)) == {
        **POINTS,
        "data": "app/static/points/p/3.json",
        "id": "events-3",
        "visible": visible,
        "getFillColor": "@@=f",
        "getLineColor": outline,
        "getLineWidth": "@@=w",
        "lineWidthUnits": "pixels",
    }


def test_an_unknown_attack_type_takes_the_first_types_codes():
    events = make_events(
        [
            {"event_type": "sabotage", "date_precision": "day"},
            {"event_type": "sabotage", "date_precision": "year"},
            {"event_type": "hijacking", "date_precision": "season"},
        ]
    )
    # hijacking is the fourth type: 2 * 3 + 1 for a vague date.
    assert list(large_colour_codes(events, "attack")) == [0, 1, 7]


def test_large_radii_grow_with_the_square_root_up_to_20_pixels():
    events = make_events(
        [{"fatalities_best": best} for best in ("16", "", "0", "-4", "2", "150", "400")]
    )
    # 3 + 1.5 * sqrt(best): 16 -> 9; none, 0 or less -> 3; 2 -> 5.12 -> 5.1;
    # 150 -> 21.37 and 400 -> 33, both cut to 20.
    assert list(large_radii(events, "attack")) == [9.0, 3.0, 3.0, 3.0, 5.1, 20.0, 20.0]
    # Every base 6 px, every context event 3 px.
    assert list(large_radii(events.iloc[:2], "base")) == [6.0, 6.0]
    assert list(large_radii(events.iloc[:3], "context")) == [3.0, 3.0, 3.0]


def test_point_colours_are_whole_numbers_for_every_layer_present():
    # No attacks: the bases and context events still get their colours.
    events = make_events(
        [
            {"layer": "context", "event_type": "crackdown", "date_precision": "year"},
            {"layer": "base", "event_type": "group_base", "date_precision": "day"},
        ]
    )
    colours = large_fill_colours(events)
    assert colours.tolist() == [[110, 110, 110, 40], [94, 60, 153, 225]]
    assert colours.dtype.kind == "i"


def test_a_layer_that_loads_a_url_keeps_it_as_its_tooltip_key_changes():
    url = "app/static/points/p/units.json"
    layer = pdk.Layer("ScatterplotLayer", data=url, id="t")
    assert as_tooltip(layer, "n").data == url


@pytest.mark.parametrize(
    ("cumulative", "expected"),
    [
        (False, [[-1_000_000, 20], [10, 1_000_000]]),
        (True, [[-1_000_000, 20], [-1_000_000, 1_000_000]]),
    ],
)
def test_the_sliced_deck_filters_every_point_layer_by_its_window(cumulative, expected):
    deck = build_sliced_deck([], (10, 20), cumulative, files=URLS)
    for layer in ("attacks", "context-events"):
        assert _layers(deck)[layer]["filterRange"] == expected

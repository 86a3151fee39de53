"""Layer building: colours, sizes, uncertainty, relocation arcs, plain tooltips."""

import json

import pandas as pd
import pydeck as pdk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from imu_geo.layers import (
    ATTACK_COLOURS,
    HOLLOW_ALPHA,
    LAYER_IDS,
    SOLID_ALPHA,
    base_layers,
    build_deck,
    compact_json,
    format_dates,
    format_fatalities,
    map_legend_svg,
    marker_radius,
    relocation_layer,
    relocation_pairs,
    tooltip_text,
)
from tests.helpers import make_events

EVENTS = make_events(
    [
        {
            "event_id": "a1",
            "date_start": "1999-02-01",
            "date_end": "1999-02-28",
            "date_precision": "month",
            "event_type": "bombing",
            "fatalities_low": "16",
            "fatalities_best": "16",
            "fatalities_high": "16",
            "place_id": "tashkent",
            "place_name": "Tashkent",
            "geo_precision": "near",
            "lat": 41.26,
            "lon": 69.22,
            "title": '<img src=x onerror="window.__xss=1">',
        },
        {
            "event_id": "a2",
            "date_start": "2004-01-01",
            "date_end": "2004-12-31",
            "date_precision": "year",
            "event_type": "suicide_bombing",
            "place_id": "tashkent",
            "place_name": "Tashkent",
            "geo_precision": "exact",
            "lat": 41.26,
            "lon": 69.22,
        },
        {
            "event_id": "b1",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "1998-01-01",
            "date_end": "2001-12-31",
            "date_precision": "approximate",
            "place_id": "afghanistan",
            "place_name": "Afghanistan",
            "geo_precision": "country",
            "lat": 34.0,
            "lon": 66.0,
        },
        {
            "event_id": "b2",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "2001-09-01",
            "date_end": "2001-12-31",
            "date_precision": "approximate",
            "place_id": "kunduz",
            "place_name": "Kunduz",
            "geo_precision": "province",
            "lat": 36.8,
            "lon": 68.7,
        },
        {
            "event_id": "b3",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "2001-09-01",
            "date_end": "2001-12-31",
            "date_precision": "approximate",
            "place_id": "takhar",
            "place_name": "Takhar",
            "geo_precision": "province",
            "lat": 36.7,
            "lon": 69.7,
        },
        {
            "event_id": "b4",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "2001-09-01",
            "date_end": "2014-12-31",
            "date_precision": "range",
            "place_id": "peshawar",
            "place_name": "Peshawar",
            "geo_precision": "near",
            "lat": 34.0,
            "lon": 71.6,
        },
        {
            "event_id": "c1",
            "layer": "context",
            "event_type": "designation",
            "date_start": "2002-09-25",
            "date_end": "2002-09-25",
        },
    ]
)
GEOMETRY = {
    "afghanistan": box(61, 29, 75, 38),
    "kunduz": box(68, 36, 69.5, 37.5),
    "takhar": box(69.5, 36, 70.5, 37.5),
    "peshawar": Point(71.6, 34.0),
}


def deck_layers(events=EVENTS, **kwargs):
    built = build_deck(events, GEOMETRY, **kwargs)
    deck = json.loads(built.to_json())
    deck["tooltip"] = built._tooltip  # Streamlit sends it beside the spec
    return deck, {layer["id"]: layer for layer in deck["layers"]}


def test_deck_is_offline_and_references_the_static_basemap():
    deck, layers = deck_layers()
    built = build_deck(EVENTS, GEOMETRY)
    assert built.map_provider is None
    # No tile server, no token, a style served with the app: nothing to fetch
    # from outside.
    assert "http" not in built.to_json()
    assert "mapbox" not in built.to_json().lower()
    assert deck["mapStyle"] == "app/static/style.json"
    assert LAYER_IDS["basemap"] not in layers  # drawn by the base map
    assert layers[LAYER_IDS["labels"]]["data"] == "app/static/labels.json"
    assert deck["initialViewState"]["zoom"] == 3.7


def test_attacks_are_coloured_sized_and_hollow_when_the_date_is_vague():
    _, layers = deck_layers()
    month, year = layers[LAYER_IDS["attacks"]]["data"]
    assert month["fill"] == [*ATTACK_COLOURS["bombing"], SOLID_ALPHA]
    assert year["fill"] == [*ATTACK_COLOURS["suicide_bombing"], HOLLOW_ALPHA]
    assert month["radius"] == marker_radius(16) == 13.0
    assert year["radius"] == 5.0


def test_halos_only_for_imprecise_non_base_places():
    _, layers = deck_layers()
    halos = layers[LAYER_IDS["halos"]]["data"]
    assert [h["radius"] for h in halos] == [25_000]


def test_bases_split_into_areas_and_points():
    _, layers = deck_layers()
    areas = layers[LAYER_IDS["base_areas"]]["data"]
    points = layers[LAYER_IDS["base_points"]]["data"]
    assert sorted(a["event_id"] for a in areas) == ["b1", "b2", "b3"]
    assert [p["event_id"] for p in points] == ["b4"]
    assert areas[0]["polygon"][0][0] == [61.0, 29.0] or len(areas[0]["polygon"][0]) == 5


def test_relocation_goes_to_the_next_bases_in_time():
    bases = EVENTS[EVENTS["layer"] == "base"]
    assert relocation_pairs(bases) == [
        ("b1", "b2"),
        ("b1", "b3"),
        ("b2", "b4"),
        ("b3", "b4"),
    ]


def test_optional_layers_can_be_switched_off():
    from imu_geo.layers import MapOptions

    _, layers = deck_layers(options=MapOptions(relocation=False, halos=False))
    assert LAYER_IDS["relocation"] not in layers
    assert LAYER_IDS["halos"] not in layers


def test_tooltip_is_plain_text_template():
    deck, layers = deck_layers()
    assert deck["tooltip"] == {"text": "{tooltip}"}
    tip = layers[LAYER_IDS["attacks"]]["data"][0]["tooltip"]
    assert tip.splitlines() == [
        '<img src=x onerror="window.__xss=1">',
        "1999-02-01 – 1999-02-28 (month)",
        "Place: Tashkent (near)",
        "Fatalities: 16",
        "Attribution: attributed",
    ]
    assert tooltip_text(EVENTS.iloc[6].to_dict()).splitlines()[2] == (
        "Place: no place (no place)"
    )


@pytest.mark.parametrize(
    ("low", "best", "high", "text"),
    [
        (16, 16, 16, "16"),
        (5, None, None, "at least 5"),
        (10, 12, 20, "12 (range 10–20)"),
        (None, None, None, "unknown"),
        # A bound that is not given is taken as the best figure's, or shown "?".
        (None, 7, None, "7"),
        (None, 7, 7, "7"),
        (7, 7, None, "7"),
        (None, 7, 9, "7 (range ?–9)"),
        (3, 7, None, "7 (range 3–?)"),
        (pd.NA, 4, float("nan"), "4"),
        (None, None, 30, "unknown"),
    ],
)
def test_format_fatalities(low, best, high, text):
    assert format_fatalities(low, best, high) == text


@pytest.mark.parametrize(
    ("best", "radius"),
    [
        (None, 5.0),
        (pd.NA, 5.0),
        (float("nan"), 5.0),
        (0, 5.0),
        (-4, 5.0),
        # 5 + 2 * sqrt(2) = 7.828..., to two decimals.
        (2, 7.83),
        (16, 13.0),
        (100, 25.0),
    ],
)
def test_marker_radius_grows_with_the_square_root_of_the_toll(best, radius):
    assert marker_radius(best) == radius


def test_legend_names_every_attack_type_and_the_uncertainty_marks():
    svg = map_legend_svg()
    for event_type in ATTACK_COLOURS:
        assert event_type.replace("_", " ") in svg
    for phrase in ("hollow: season, year or range", "halo: place known only roughly"):
        assert phrase in svg


# The legend worked out by hand from the layout: rows 18 px apart from y=14, a
# dot's centre 4 px above its text's baseline, the colours of layers/common.py.
LEGEND_ROWS = [
    '<text x="4" y="14" font-weight="bold" font-size="12">'
    "Attacks (size: fatalities)</text>",
    '<circle cx="12" cy="28" r="6" fill="rgba(213,94,0,0.9)" '
    'stroke="rgba(213,94,0,1.0)" stroke-width="2"/>'
    '<text x="26" y="32" font-size="12">bombing</text>',
    '<circle cx="12" cy="46" r="6" fill="rgba(204,121,167,0.9)" '
    'stroke="rgba(204,121,167,1.0)" stroke-width="2"/>'
    '<text x="26" y="50" font-size="12">suicide bombing</text>',
    '<circle cx="12" cy="64" r="6" fill="rgba(230,159,0,0.9)" '
    'stroke="rgba(230,159,0,1.0)" stroke-width="2"/>'
    '<text x="26" y="68" font-size="12">hostage taking</text>',
    '<circle cx="12" cy="82" r="6" fill="rgba(86,180,233,0.9)" '
    'stroke="rgba(86,180,233,1.0)" stroke-width="2"/>'
    '<text x="26" y="86" font-size="12">hijacking</text>',
    '<circle cx="12" cy="100" r="6" fill="rgba(0,114,178,0.9)" '
    'stroke="rgba(0,114,178,1.0)" stroke-width="2"/>'
    '<text x="26" y="104" font-size="12">armed assault</text>',
    '<circle cx="12" cy="118" r="6" fill="rgba(0,158,115,0.9)" '
    'stroke="rgba(0,158,115,1.0)" stroke-width="2"/>'
    '<text x="26" y="122" font-size="12">armed incursion</text>',
    '<circle cx="12" cy="136" r="6" fill="rgba(240,228,66,0.9)" '
    'stroke="rgba(240,228,66,1.0)" stroke-width="2"/>'
    '<text x="26" y="140" font-size="12">foiled plot</text>',
    '<text x="4" y="158" font-weight="bold" font-size="12">Bases and context</text>',
    '<rect x="5" y="165" width="14" height="12" fill="rgba(94,60,153,0.2)" '
    'stroke="rgba(94,60,153,1.0)" stroke-width="2"/>'
    '<text x="26" y="176" font-size="12">base (area)</text>',
    '<circle cx="12" cy="190" r="6" fill="rgba(94,60,153,0.9)" '
    'stroke="rgba(94,60,153,1.0)" stroke-width="2"/>'
    '<text x="26" y="194" font-size="12">base (town)</text>',
    '<path d="M4,210 Q12,198 20,210" fill="none" '
    'stroke="rgba(94,60,153,1.0)" stroke-width="2"/>'
    '<text x="26" y="212" font-size="12">base moved to next</text>',
    '<circle cx="12" cy="226" r="5" fill="rgba(110,110,110,0.9)" '
    'stroke="rgba(110,110,110,1.0)" stroke-width="2"/>'
    '<text x="26" y="230" font-size="12">context event</text>',
    '<text x="4" y="248" font-weight="bold" font-size="12">How sure</text>',
    '<circle cx="12" cy="262" r="6" fill="rgba(110,110,110,0.9)" '
    'stroke="rgba(110,110,110,1.0)" stroke-width="2"/>'
    '<text x="26" y="266" font-size="12">solid: date to the day or month</text>',
    '<circle cx="12" cy="280" r="6" fill="rgba(110,110,110,0.15)" '
    'stroke="rgba(110,110,110,1.0)" stroke-width="2"/>'
    '<text x="26" y="284" font-size="12">hollow: season, year or range</text>',
    '<circle cx="12" cy="300" r="9" fill="rgba(110,110,110,0.12)" '
    'stroke="rgba(110,110,110,0.4)"/>'
    '<circle cx="12" cy="300" r="3" fill="rgba(110,110,110,1.0)"/>'
    '<text x="26" y="302" font-size="12">halo: place known only roughly</text>',
]


def test_legend_is_the_hand_laid_out_svg():
    # 17 rows end at y=310 (the halo row adds 8, not 18); the picture is 6 taller.
    expected = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="230" height="316" '
        'font-family="Helvetica, Arial, sans-serif" fill="#333">'
        + "".join(LEGEND_ROWS)
        + "</svg>"
    )
    assert map_legend_svg() == expected


def test_one_halo_per_place_and_precision_however_many_events():
    twice = make_events(
        [
            {
                "event_id": f"c{i}",
                "layer": "context",
                "event_type": "crackdown",
                "date_start": "1999-01-01",
                "date_end": "1999-12-31",
                "date_precision": "year",
                "place_id": "uzbekistan",
                "geo_precision": "country",
                "lat": 41.4,
                "lon": 63.4,
            }
            for i in range(3)
        ]
    )
    _, layers = deck_layers(twice)
    assert layers[LAYER_IDS["halos"]]["data"] == [
        {"lon": 63.4, "lat": 41.4, "radius": 400_000}
    ]


def _pairs_by_definition(bases) -> list[tuple[str, str]]:
    """Relocation pairs straight from their definition: in (start, end,
    event_id) order, each base to every base whose (start, end) is the
    smallest of those later than its own, at another place."""
    rows = sorted(
        zip(
            bases["event_id"],
            bases["place_id"],
            bases["date_start"],
            bases["date_end"],
            strict=True,
        ),
        key=lambda r: (r[2], r[3], r[0]),
    )
    pairs = []
    for event_id, place, start, end in rows:
        later = [r for r in rows if (r[2], r[3]) > (start, end)]
        if later:
            nearest = min((r[2], r[3]) for r in later)
            pairs += [
                (event_id, r[0])
                for r in later
                if (r[2], r[3]) == nearest and r[1] != place
            ]
    return pairs


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),  # start, in years after 2000
            st.integers(0, 2),  # length, in years
            st.sampled_from(["p1", "p2", "p3"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_relocation_pairs_follow_their_definition(bases):
    frame = make_events(
        [
            {
                "event_id": f"b{k:02d}",
                "layer": "base",
                "event_type": "group_base",
                "date_start": f"{2000 + start}-01-01",
                "date_end": f"{2000 + start + length}-12-31",
                "place_id": place,
            }
            for k, (start, length, place) in enumerate(bases)
        ]
    )
    assert relocation_pairs(frame) == _pairs_by_definition(frame)


def test_a_relocation_arc_joins_the_two_bases_places_with_their_names():
    layer = relocation_layer(EVENTS[EVENTS["event_id"].isin(["b1", "b2"])])
    assert [
        (record["from"], record["to"], record["tooltip"]) for record in layer.data
    ] == [([66.0, 34.0], [68.7, 36.8], "Base moved: Afghanistan → Kunduz (2001)")]


def test_a_compact_deck_is_pydecks_json_without_whitespace():
    built = build_deck(EVENTS, GEOMETRY)
    # pydeck's own indented text, read back and written without whitespace.
    expected = json.dumps(json.loads(pdk.Deck.to_json(built)), separators=(",", ":"))
    assert compact_json(built) == expected == built.to_json()
    for layer in built.layers:
        assert compact_json(layer) == json.dumps(
            json.loads(layer.to_json()), separators=(",", ":")
        )


# --- layers.common and layers.view, value by value --------------------------------


def test_deck_data_passes_coordinates_through_untouched_and_marks_text():
    from imu_geo.layers.common import Coordinates, deck_data

    rings = Coordinates([[[69.2, 41.3], [69.3, 41.3], [69.3, 41.4]]])
    # The very object, not a copy: deck_data has nothing to look for in it.
    assert deck_data(rings) is rings
    # A word joiner (U+2060) goes in front of a string deck.gl would read as code.
    marked = deck_data({"name": ["@@=x", "Tashkent"]})
    assert marked == {"name": ["\u2060@@=x", "Tashkent"]}


def test_polygon_layer_is_a_clickable_polygon_layer_with_every_prop():
    from imu_geo.layers.common import polygon_layer

    records = [{"polygon": [[[0, 0], [1, 0], [1, 1]]], "fill": [1, 2, 3, 4]}]
    layer = polygon_layer(records, "units", [0, 0, 0], 1.5)
    assert json.loads(layer.to_json()) == {
        "@@type": "PolygonLayer",
        "id": "units",
        "data": [{"polygon": [[[0, 0], [1, 0], [1, 1]]], "fill": [1, 2, 3, 4]}],
        "getPolygon": "@@=polygon",
        "getFillColor": "@@=fill",
        "getLineColor": [0, 0, 0],
        "lineWidthMinPixels": 1.5,
        "stroked": True,
        "filled": True,
        "pickable": True,
        "autoHighlight": True,
    }


def test_gpu_date_filter_props():
    from imu_geo.layers.common import gpu_date_filter

    assert gpu_date_filter([10_000, 10_365]) == {
        "extensions": [{"@@type": "DataFilterExtension", "filterSize": 2}],
        "get_filter_value": ["s", "e"],
        "filter_range": [10_000, 10_365],
    }


def test_polygon_rings_round_to_four_decimals():
    from shapely.geometry import Polygon

    from imu_geo.layers.common import polygon_rings

    triangle = Polygon([(0.123456, 1.0), (2.0, 1.0), (2.0, 3.000049)])
    assert polygon_rings(triangle) == [
        [[[0.1235, 1.0], [2.0, 1.0], [2.0, 3.0], [0.1235, 1.0]]]
    ]


def test_frame_view_of_a_wide_strip_uses_the_default_width():
    from imu_geo.layers.view import frame_view

    # 57 degrees of longitude are 57/360 of the 512-pixel world; 76% of 640
    # pixels (a 12% margin each side) is 486.4: 486.4 / (512 * 57 / 360) = 6,
    # zoom log2(6) = 2.58496. The height (one latitude) does not limit it.
    view = frame_view((60.00001, 40.0, 117.00002, 40.0))
    assert view == {"latitude": 40.0, "longitude": 88.5, "zoom": 2.58}


def test_frame_view_of_a_tall_strip_uses_the_default_height():
    from imu_geo.layers.view import frame_view

    # Web Mercator y/(2 pi) of 3 and 11 degrees north: 0.0083371 and 0.0307450,
    # 0.0224079 of the world apart; 76% of 600 pixels is 456:
    # log2(456 / (512 * 0.0224079)) = 5.3127. Their Mercator middle, 0.0195411,
    # is 7.01718 degrees north.
    view = frame_view((70.0, 3.0, 70.0, 11.0))
    assert view == {"latitude": 7.0172, "longitude": 70.0, "zoom": 5.31}


def test_frame_view_clamps_the_poles_to_the_square_world():
    from imu_geo.layers.view import frame_view

    # Web Mercator stops at 85.0511 degrees north and south, symmetrically, so
    # the whole world is centred on the equator (zoom at its lower bound).
    assert frame_view((-180.0, -90.0, 180.0, 90.0)) == {
        "latitude": 0.0,
        "longitude": 0.0,
        "zoom": 0.5,
    }


def test_event_bounds_read_text_numbers_and_need_both_coordinates():
    import pandas as pd

    from imu_geo.layers.view import event_bounds

    events = pd.DataFrame(
        {
            "lon": ["70.5", "n/a", 75.0, 66.0, 50.0],
            "lat": [38.0, 39.0, None, "37.5", "unknown"],
        }
    )
    # "n/a" is no longitude, 75.0 has no latitude and "unknown" is none: only
    # rows 1 and 4 count.
    assert event_bounds(events) == (66.0, 37.5, 70.5, 38.0)


# --- what each event layer tells deck.gl ------------------------------------------

# Worked out from the design (layers/events.py's docstring, layers/common.py):
# dots are sized in pixels and light up under the pointer, outlined 2 px for
# attacks and 1.5 px for context; halos are grey discs in metres, faint (alpha
# 22 of 255) with a clearer rim (110), and cannot be picked; base areas and
# base points are purple, the points 11 px with a 3 px rim; the arcs go from
# a faint purple (120) at the old base to a full one at the new.
DOTS = {
    "@@type": "ScatterplotLayer",
    "getPosition": "@@=[lon, lat]",
    "getRadius": "@@=radius",
    "getFillColor": "@@=fill",
    "getLineColor": "@@=line",
    "radiusUnits": "pixels",
    "stroked": True,
    "filled": True,
    "pickable": True,
    "autoHighlight": True,
}
EVENT_LAYER_PROPS = {
    "uncertainty-halos": {
        "@@type": "ScatterplotLayer",
        "id": "uncertainty-halos",
        "getPosition": "@@=[lon, lat]",
        "getRadius": "@@=radius",
        "radiusUnits": "meters",
        "getFillColor": [90, 90, 90, 22],
        "getLineColor": [90, 90, 90, 110],
        "lineWidthMinPixels": 1,
        "stroked": True,
        "pickable": False,
    },
    "base-areas": {
        "@@type": "PolygonLayer",
        "id": "base-areas",
        "getPolygon": "@@=polygon",
        "getFillColor": "@@=fill",
        "getLineColor": [94, 60, 153, 220],
        "lineWidthMinPixels": 2,
        "stroked": True,
        "filled": True,
        "pickable": True,
        "autoHighlight": True,
    },
    "base-points": {
        **DOTS,
        "id": "base-points",
        "getRadius": 11,
        "getLineColor": [94, 60, 153, 255],
        "lineWidthMinPixels": 3,
    },
    "base-relocation": {
        "@@type": "ArcLayer",
        "id": "base-relocation",
        "getSourcePosition": "@@=from",
        "getTargetPosition": "@@=to",
        "getSourceColor": [94, 60, 153, 120],
        "getTargetColor": [94, 60, 153, 255],
        "getWidth": 3,
        "getHeight": 0.5,
        "pickable": True,
    },
    "context-events": {**DOTS, "id": "context-events", "lineWidthMinPixels": 1.5},
    "attacks": {**DOTS, "id": "attacks", "lineWidthMinPixels": 2},
}


def test_each_event_layer_tells_deck_gl_how_to_draw_its_records():
    deck, _ = deck_layers()
    # In drawing order, after the basemap's labels.
    assert [layer["id"] for layer in deck["layers"]] == [
        "labels",
        *EVENT_LAYER_PROPS,
    ]
    props = [
        {key: value for key, value in layer.items() if key != "data"}
        for layer in deck["layers"][1:]
    ]
    assert props == list(EVENT_LAYER_PROPS.values())


def test_a_dot_holds_its_place_colours_size_and_tooltip():
    _, layers = deck_layers()
    assert layers["attacks"]["data"][0] == {
        "event_id": "a1",
        "lon": 69.22,
        "lat": 41.26,
        # Okabe-Ito vermillion, solid for a date known to the month.
        "fill": [213, 94, 0, 225],
        "line": [213, 94, 0, 255],
        # 5 + 2 * sqrt(16) pixels.
        "radius": 13.0,
        "tooltip": '<img src=x onerror="window.__xss=1">\n'
        "1999-02-01 – 1999-02-28 (month)\n"
        "Place: Tashkent (near)\n"
        "Fatalities: 16\n"
        "Attribution: attributed",
    }


def test_dots_without_both_coordinates_are_left_out_and_the_rest_kept():
    events = make_events(
        [
            {
                "event_id": "nowhere",
                "date_start": "1999-01-01",
                "date_end": "1999-01-01",
            },
            {
                "event_id": "half",
                "date_start": "1999-01-02",
                "date_end": "1999-01-02",
                "lat": 41.3,
            },
            {
                "event_id": "tashkent",
                "date_start": "1999-01-03",
                "date_end": "1999-01-03",
                "lat": 41.3,
                "lon": 69.2,
            },
        ]
    )
    _, layers = deck_layers(events)
    assert [dot["event_id"] for dot in layers["attacks"]["data"]] == ["tashkent"]


def test_context_dots_are_small_and_grey_and_unknown_attack_types_grey():
    events = make_events(
        [
            {
                "event_id": "c",
                "layer": "context",
                "event_type": "crackdown",
                "date_start": "2005-05-13",
                "date_end": "2005-05-13",
                "fatalities_best": "9",
                "lat": 40.78,
                "lon": 72.34,
            },
            {
                "event_id": "a",
                "event_type": "sabotage",
                "date_start": "2005-05-13",
                "date_end": "2005-05-13",
                "fatalities_best": "9",
                "lat": 40.78,
                "lon": 72.34,
            },
        ]
    )
    _, layers = deck_layers(events)
    (context,) = layers["context-events"]["data"]
    # 5 px whatever the toll; the attack's 5 + 2 * sqrt(9).
    assert (context["radius"], context["fill"], context["line"]) == (
        5.0,
        [110, 110, 110, 225],
        [110, 110, 110, 255],
    )
    (attack,) = layers["attacks"]["data"]
    assert (attack["radius"], attack["fill"], attack["line"]) == (
        11.0,
        [110, 110, 110, 225],
        [110, 110, 110, 255],
    )


def test_halos_only_where_the_place_is_vague_and_known():
    events = make_events(
        [
            # No point: no halo, and the events after it still get theirs.
            {
                "event_id": "x",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "geo_precision": "country",
            },
            # An exact place, and one whose precision is not given: no halo.
            {
                "event_id": "y",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "geo_precision": "exact",
                "lat": 41.3,
                "lon": 69.2,
            },
            {
                "event_id": "z",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "lat": 40.5,
                "lon": 70.9,
            },
            {
                "event_id": "w",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "geo_precision": "district",
                "lat": 40.1,
                "lon": 71.7,
            },
        ]
    )
    assert build_deck(events, {}).layers[1].data == [
        {"lon": 71.7, "lat": 40.1, "radius": 50_000}
    ]


def test_no_arc_to_or_from_a_base_without_a_point():
    bases = make_events(
        [
            {
                "event_id": "b1",
                "layer": "base",
                "event_type": "group_base",
                "date_start": "1998-01-01",
                "date_end": "1998-12-31",
                "place_id": "afghanistan",
                "place_name": "Afghanistan",
                "lat": 34.0,
                "lon": 66.0,
            },
            {
                "event_id": "b2",
                "layer": "base",
                "event_type": "group_base",
                "date_start": "1999-01-01",
                "date_end": "1999-12-31",
                "place_id": "somewhere",
                "place_name": "Somewhere",
            },
            {
                "event_id": "b3",
                "layer": "base",
                "event_type": "group_base",
                "date_start": "2000-01-01",
                "date_end": "2000-12-31",
                "place_id": "kunduz",
                "place_name": "Kunduz",
                "lat": 36.8,
                "lon": 68.7,
            },
        ]
    )
    assert relocation_pairs(bases) == [("b1", "b2"), ("b2", "b3")]
    assert relocation_layer(bases).data == []


def _base(event_id: str, **fields) -> dict:
    return {
        "event_id": event_id,
        "layer": "base",
        "event_type": "group_base",
        "date_start": "2001-01-01",
        "date_end": "2001-12-31",
        "date_precision": "year",
        **fields,
    }


def test_bases_are_drawn_at_their_area_their_town_or_their_own_point():
    bases = make_events(
        [
            # Neither a drawn place nor a point of its own: left out, and the
            # bases after it are still drawn.
            _base("gone", place_id="nowhere"),
            _base("town", place_id="peshawar", date_precision="month"),
            # Its own point, to 4 decimals: 68.654321 -> 68.6543.
            _base("own", lat=36.123456, lon=68.654321),
            # Half a point is no point.
            _base("half", lat=36.1),
            # An area drawn as the area, even with a point of its own.
            _base("area", place_id="kunduz", lat=36.7, lon=68.9),
        ]
    )
    geometry = {"peshawar": Point(71.56789, 34.01234), "kunduz": box(68, 36, 69, 37)}
    areas, points = (layer.data for layer in base_layers(bases, geometry))
    assert [
        (p["event_id"], p["lon"], p["lat"], p["fill"], p["tooltip"].splitlines()[0])
        for p in points
    ] == [
        ("town", 71.5679, 34.0123, [94, 60, 153, 225], "An event"),
        ("own", 68.6543, 36.1235, [94, 60, 153, 40], "An event"),
    ]
    assert areas == [
        {
            "event_id": "area",
            "polygon": [
                [[69.0, 36.0], [69.0, 37.0], [68.0, 37.0], [68.0, 36.0], [69.0, 36.0]]
            ],
            # The area faint (45 of 255), its outline drawn by the layer.
            "fill": [94, 60, 153, 45],
            "tooltip": "An event\n2001-01-01 – 2001-12-31 (year)\n"
            "Place: no place (no place)\nFatalities: unknown\n"
            "Attribution: attributed",
        }
    ]


def test_a_base_without_a_place_id_is_at_its_own_point():
    # Place ids missing (None), as in data that names no place.
    bases = make_events(
        [
            _base(
                "p1",
                date_start="1998-01-01",
                date_end="1998-12-31",
                place_id=None,
                lat=34.0,
                lon=66.0,
            ),
            # The same point a year later: no move.
            _base(
                "p2",
                date_start="1999-01-01",
                date_end="1999-12-31",
                place_id=None,
                lat=34.0,
                lon=66.0,
            ),
            _base(
                "p3",
                date_start="2000-01-01",
                date_end="2000-12-31",
                place_id=None,
                lat=36.8,
                lon=68.7,
            ),
            # A named place at that point is another place.
            _base(
                "p4",
                date_start="2001-01-01",
                date_end="2001-12-31",
                place_id="kunduz",
                lat=36.8,
                lon=68.7,
            ),
        ]
    )
    assert relocation_pairs(bases) == [("p2", "p3"), ("p3", "p4")]


def test_bases_with_neither_place_nor_point_are_not_moves_between_each_other():
    # Both at the same unknown place, so no move between them; a move to a
    # known place is still a pair (the map draws no arc without both points).
    bases = make_events(
        [
            _base("q1", date_start="1998-01-01", date_end="1998-12-31"),
            _base("q2", date_start="1999-01-01", date_end="1999-12-31"),
            _base(
                "q3",
                date_start="2000-01-01",
                date_end="2000-12-31",
                place_id="kunduz",
            ),
        ]
    )
    assert relocation_pairs(bases) == [("q2", "q3")]


def test_one_day_is_written_once():
    day = pd.Timestamp("1999-02-16")
    assert format_dates(day, day, "day") == "1999-02-16 (day)"


def test_the_tooltip_gives_the_fatality_range_and_cuts_a_long_attribution():
    event = EVENTS.iloc[0].to_dict() | {
        "fatalities_low": 10,
        "fatalities_best": 12,
        "fatalities_high": 20,
        "attribution": "a" * 70,
    }
    lines = tooltip_text(event).splitlines()
    assert lines[3] == "Fatalities: 12 (range 10–20)"
    # 60 characters: 59 of the text and an ellipsis.
    assert lines[4] == "Attribution: " + "a" * 59 + "…"


def test_an_arc_is_drawn_for_each_pair_of_bases_with_points_and_names_cut():
    # b0 has no point: its arc is left out, and b1's (same start) is drawn.
    long_name = "Kunduz " + "k" * 63
    bases = make_events(
        [
            _base("b0", date_start="1998-01-01", place_id="nowhere"),
            _base(
                "b1",
                date_start="1998-01-01",
                place_id="wana",
                place_name=long_name,
                lat=32.3,
                lon=69.6,
            ),
            _base(
                "b2",
                date_start="1999-01-01",
                place_id="takhar",
                place_name=long_name,
                lat=36.7,
                lon=69.7,
            ),
        ]
    )
    cut_name = long_name[:59] + "…"
    assert [
        (arc["from"], arc["to"], arc["tooltip"]) for arc in relocation_layer(bases).data
    ] == [([69.6, 32.3], [69.7, 36.7], f"Base moved: {cut_name} → {cut_name} (1999)")]

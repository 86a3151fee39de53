"""The basemap: countries, admin-1 units and their labels, written once as static
files and drawn by the base map under the deck (:func:`basemap_style`), which is
not redrawn when a slider step changes the deck.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import geopandas as gpd
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from imu_geo.layers.common import (
    LAYER_IDS,
    polygon_rings,
)
from imu_geo.layers.view import (
    EQUATOR_M_PER_PX,
)
from imu_geo.text import plain

__all__ = [
    "ADMIN1_LINES_FILE",
    "ATLAS_BASEMAP",
    "BASEMAP_FILE",
    "BASEMAP_FOLDERS",
    "BASEMAP_TOLERANCE_DEG",
    "LABEL_STYLE",
    "LABELS_FILE",
    "LEVEL_STYLE",
    "STATIC_URL",
    "STYLE_FILE",
    "WORLD_ADMIN1_LINE_M",
    "WORLD_ADMIN1_LINE_MAX_PX",
    "WORLD_BASEMAP",
    "CompactDeck",
    "basemap_deck",
    "basemap_files",
    "basemap_geojson",
    "basemap_layers",
    "basemap_style",
    "compact_json",
    "deck_on_basemap",
    "dataset_labels",
    "label_records",
    "labels_bytes",
    "style_bytes",
]

STATIC_URL = "app/static"
BASEMAP_FILE = "basemap.geojson"
LABELS_FILE = "labels.json"
# Which basemap a map draws: the atlas's region (static/), or the whole world
# (static/world/, made by scripts/build_world.py) for data from anywhere.
ATLAS_BASEMAP = "atlas"
WORLD_BASEMAP = "world"
BASEMAP_FOLDERS = {ATLAS_BASEMAP: "", WORLD_BASEMAP: "world/"}
# The world's admin-1 lines are drawn in metres, so that they thin out to
# nothing at the zooms that show continents and reach the atlas's half pixel
# at the zoom that shows a few countries.
ADMIN1_LINES_FILE = "admin1-lines.geojson"
WORLD_ADMIN1_LINE_M = 1500
WORLD_ADMIN1_LINE_MAX_PX = 0.6


def basemap_layers(basemap: str = ATLAS_BASEMAP) -> list[pdk.Layer]:
    """The basemap's layers in the deck: the labels, from a static file.

    Countries and admin-1 units are drawn under the deck by the map's base map
    from :func:`basemap_style` (pass :func:`basemap_deck` to ``pdk.Deck``); the
    labels stay in the deck, since the base map would need font files. Their
    sizes are in metres, so small labels appear only as one zooms in.
    """
    folder = BASEMAP_FOLDERS[basemap]
    return [
        pdk.Layer(
            "TextLayer",
            data=f"{STATIC_URL}/{folder}{LABELS_FILE}",
            id=LAYER_IDS["labels"],
            get_position=["lon", "lat"],
            get_text="name",
            get_size="size",
            get_color="colour",
            size_units='"meters"',
            size_min_pixels=0,
            size_max_pixels=16,
            get_text_anchor='"middle"',
            get_alignment_baseline='"center"',
            font_family='"Helvetica Neue, Arial, sans-serif"',
            # The glyphs of every character the labels use, not only ASCII
            # (deck.gl's default): "Aqtöbe", "Curaçao".
            character_set='"auto"',
            pickable=False,
        )
    ]


# The base map under the deck: Streamlit's map component draws a Mapbox GL map
# under the deck when the deck names a style; ours is a static file over the
# basemap's GeoJSON files, so nothing leaves the server. It is drawn when the
# view changes, not when the deck does: deck.gl redraws every layer of a deck
# at every change, and where WebGL is drawn in software (no graphics chip) the
# basemap's outlines in the deck took seconds at every slider step
# (``benchmarks/engine.py --browser``, docs/performance.md).
STYLE_FILE = "style.json"


def _rgba(name: str) -> list:
    """A Mapbox GL colour from a feature's ``[r, g, b, a]`` property (0-255)."""
    red, green, blue, alpha = (["at", i, ["get", name]] for i in range(4))
    return ["rgba", red, green, blue, ["/", alpha, 255]]


def basemap_style(basemap: str = ATLAS_BASEMAP) -> dict:
    """The base map's style (Mapbox GL style specification, version 8): the
    basemap file's polygons filled and outlined as each feature's ``fill``,
    ``line`` and ``width`` say (:data:`LEVEL_STYLE`), then, for the world,
    the admin-1 lines, as wide as :data:`WORLD_ADMIN1_LINE_M` metres at the
    equator up to :data:`WORLD_ADMIN1_LINE_MAX_PX` pixels. URLs are relative
    to the page, as the deck's are."""
    folder = BASEMAP_FOLDERS[basemap]
    sources = {
        "basemap": {"type": "geojson", "data": f"{STATIC_URL}/{folder}{BASEMAP_FILE}"}
    }
    layers = [
        {
            "id": "basemap-fill",
            "type": "fill",
            "source": "basemap",
            "paint": {"fill-color": _rgba("fill")},
        },
        {
            "id": "basemap-lines",
            "type": "line",
            "source": "basemap",
            "paint": {"line-color": _rgba("line"), "line-width": ["get", "width"]},
        },
    ]
    if basemap == WORLD_BASEMAP:
        sources["admin1"] = {
            "type": "geojson",
            "data": f"{STATIC_URL}/{folder}{ADMIN1_LINES_FILE}",
        }
        # Metres to pixels: a pixel is 156,543 m at the equator at zoom 0 and
        # halves with each zoom; from the zoom where the line reaches its
        # largest width on, it keeps that width.
        red, green, blue, alpha = LEVEL_STYLE["admin1"]["line"]
        at_zero = WORLD_ADMIN1_LINE_M / EQUATOR_M_PER_PX
        full = math.log2(WORLD_ADMIN1_LINE_MAX_PX / at_zero)
        layers.insert(
            1,
            {
                "id": "admin1-lines",
                "type": "line",
                "source": "admin1",
                "paint": {
                    "line-color": f"rgba({red},{green},{blue},{alpha / 255:.3f})",
                    "line-width": [
                        "interpolate",
                        ["exponential", 2],
                        ["zoom"],
                        0,
                        round(at_zero, 5),
                        round(full, 3),
                        WORLD_ADMIN1_LINE_MAX_PX,
                    ],
                },
            },
        )
    return {
        "version": 8,
        "name": f"imu-geo {basemap}",
        "sources": sources,
        "layers": layers,
    }


class CompactDeck(pdk.Deck):
    """A pydeck deck whose JSON has no whitespace.

    pydeck indents its JSON by two spaces, one key to a line, and Streamlit
    sends that string at every rerun: a third or more of a large map's deck
    was spaces and line ends (``benchmarks/engine.py --browser``). The content
    is the same; the browser parses it either way.
    """

    def to_json(self) -> str:
        return compact_json(self)


def compact_json(item: object) -> str:
    """A pydeck deck's or layer's JSON without whitespace: pydeck's own text
    (keys sorted, names in camelCase) written in one pass with no indent,
    instead of pydeck's indented text read back and written again."""
    return json.dumps(
        item, sort_keys=True, default=default_serialize, separators=(",", ":")
    )


def basemap_deck(basemap: str = ATLAS_BASEMAP) -> dict:
    """The arguments of ``pdk.Deck`` that draw :func:`basemap_style` under it:
    no map provider (no tiles, no token, nothing fetched from outside), and our
    style file as the map style."""
    folder = BASEMAP_FOLDERS[basemap]
    return {"map_provider": None, "map_style": f"{STATIC_URL}/{folder}{STYLE_FILE}"}


def deck_on_basemap(
    layers: Sequence[pdk.Layer],
    view: Mapping[str, float],
    basemap: str,
    tooltip_field: str,
) -> CompactDeck:
    """The deck every map of events is: ``basemap`` under ``layers`` (its
    outlines from the map style, its labels as the deck's first layer),
    opening on ``view``, with a tooltip that shows the picked object's
    ``tooltip_field``."""
    return CompactDeck(
        layers=[*basemap_layers(basemap), *layers],
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{" + tooltip_field + "}"},
        **basemap_deck(basemap),
    )


# The basemap's outlines are simplified this much (degrees), in its static files
# and in the pictures drawn of the map.
BASEMAP_TOLERANCE_DEG = 0.02
# In drawing order (basemap_geojson): countries filled, then admin-1 outlines
# over them, then the valley.
LEVEL_STYLE = {
    "country": {"fill": [246, 244, 239, 255], "line": [90, 90, 90, 255], "width": 1.6},
    "admin1": {"fill": [246, 244, 239, 0], "line": [170, 170, 170, 200], "width": 0.5},
    "valley": {"fill": [214, 234, 200, 150], "line": [120, 160, 100, 200], "width": 1},
}


def basemap_geojson(
    regions: gpd.GeoDataFrame, tolerance: float = BASEMAP_TOLERANCE_DEG
) -> dict:
    """The basemap as GeoJSON: regions simplified further, with their style.

    Countries are drawn first (filled), then admin-1 outlines, then the valley.
    """
    order = {level: k for k, level in enumerate(LEVEL_STYLE)}
    ordered = regions.assign(_order=regions["level"].map(order)).sort_values(
        ["_order", "region_id"]
    )
    features = []
    for row in ordered.itertuples():
        # Topology kept (shapely's default): a unit smaller than the tolerance
        # keeps an outline instead of vanishing.
        geometry = row.geometry.simplify(tolerance)
        features.append(
            {
                "type": "Feature",
                "properties": {"id": row.region_id, **LEVEL_STYLE[row.level]},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": polygon_rings(geometry),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# Label sizes in metres (see the labels layer): about 15 px for countries at
# the opening zoom, admin-1 names readable from about zoom 6.
LABEL_STYLE: dict[str, tuple[int, list[int]]] = {
    "country": (150_000, [60, 60, 60, 255]),
    "admin1": (25_000, [130, 130, 130, 220]),
    "valley": (60_000, [70, 110, 60, 255]),
}


def label_records(regions: gpd.GeoDataFrame) -> list[dict]:
    """Text labels: countries large and dark, admin-1 units small and grey."""
    records = []
    for row in regions.sort_values(["level", "region_id"]).itertuples():
        size, colour = LABEL_STYLE[row.level]
        records.append(
            {
                # A static file, fetched by deck.gl itself (not converted).
                "name": plain(row.name),
                "lon": round(float(row.label_lon), 3),
                "lat": round(float(row.label_lat), 3),
                "size": size,
                "colour": colour,
            }
        )
    return records


def dataset_labels(
    countries: gpd.GeoDataFrame, regions: gpd.GeoDataFrame
) -> list[dict]:
    """The world map's labels for one dataset: every country's, and those of the
    dataset's own units below a country (its admin-1 units, a valley).

    The world's labels file names all 4,600 admin-1 units of the world; a deck
    draws every character of a text layer at every redraw, however small it is
    on screen, and where WebGL is drawn in software those 44,000 characters
    cost more than the events (``benchmarks/engine.py --browser``). The units
    a dataset has are the ones its tables and filters name.
    """
    own = regions[regions["level"] != "country"]
    columns = ["region_id", "name", "level", "label_lat", "label_lon"]
    return label_records(pd.concat([countries[columns], own[columns]]))


def labels_bytes(records: list[dict]) -> bytes:
    """Label records as the file a text layer loads."""
    return json.dumps(records, separators=(",", ":"), ensure_ascii=False).encode()


def basemap_files(regions: gpd.GeoDataFrame) -> dict[str, bytes]:
    """The static files the basemap layers load, by file name.

    They are derived from ``regions.geojson`` and committed under ``static/``;
    ``imu-geo basemap`` writes them again after the regions change.
    """

    def compact(document: object) -> bytes:
        return (json.dumps(document, separators=(",", ":")) + "\n").encode()

    return {
        BASEMAP_FILE: compact(basemap_geojson(regions)),
        LABELS_FILE: compact(label_records(regions)),
        STYLE_FILE: style_bytes(ATLAS_BASEMAP),
    }


def style_bytes(basemap: str) -> bytes:
    """:func:`basemap_style` as the static file the base map loads."""
    return (json.dumps(basemap_style(basemap), separators=(",", ":")) + "\n").encode()

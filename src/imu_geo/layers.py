"""The map: one builder per pydeck layer, the colours and the legend in one place.

What is drawn, and how uncertainty shows:

- attacks are dots coloured by ``event_type`` (Okabe-Ito, a colour-blind-safe
  palette) and sized by ``fatalities_best``;
- a date known to the day or month gives a solid dot; a vaguer date (season, year,
  range, approximate) a hollow ring;
- a place known only roughly gets a faint halo whose radius grows with
  ``geo_precision`` (25 km "near" up to 400 km "country");
- bases are purple: the area itself for provinces, regions and countries, a ring for
  towns; arcs join each base to the next one in time;
- context events with a place are grey.

The basemap (countries, admin-1 units and their labels) is served once as static
files and referenced by URL, so it is not re-sent with every rerun; its outlines
are drawn by the base map under the deck (:func:`basemap_style`), which is not
redrawn when a slider step changes the deck.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from imu_geo.schema import EVENT_TYPES
from imu_geo.text import deck_text, plain

Colour = tuple[int, int, int]

# Okabe & Ito (2008), "Color Universal Design".
ATTACK_COLOURS: dict[str, Colour] = {
    "bombing": (213, 94, 0),
    "suicide_bombing": (204, 121, 167),
    "hostage_taking": (230, 159, 0),
    "hijacking": (86, 180, 233),
    "armed_assault": (0, 114, 178),
    "armed_incursion": (0, 158, 115),
    "foiled_plot": (240, 228, 66),
}
BASE_COLOUR: Colour = (94, 60, 153)
CONTEXT_COLOUR: Colour = (110, 110, 110)
HALO_RADIUS_M: dict[str, int] = {
    "exact": 0,
    "near": 25_000,
    "district": 50_000,
    "province": 100_000,
    "region": 200_000,
    "country": 400_000,
}
PRECISE_DATES = frozenset({"day", "month"})
SOLID_ALPHA = 225
HOLLOW_ALPHA = 40

STATIC_URL = "app/static"
BASEMAP_FILE = "basemap.geojson"
LABELS_FILE = "labels.json"
DEFAULT_VIEW = {"latitude": 36.5, "longitude": 68.5, "zoom": 3.7}
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
# Web Mercator: metres per pixel at the equator at zoom 0 (512-pixel world).
EQUATOR_M_PER_PX = 2 * math.pi * 6_378_137 / 512
WORLD_VIEW = {"latitude": 20.0, "longitude": 0.0, "zoom": 1.0}
# deck.gl's Web Mercator: the whole world is 512 pixels wide at zoom 0.
WORLD_PIXELS = 512
# Framing: no closer than a town's surroundings, a margin around the data.
FRAME_MAX_ZOOM = 9.0
FRAME_MIN_ZOOM = 0.5
FRAME_MARGIN = 0.12

LAYER_IDS = {
    "basemap": "basemap",
    "admin1_lines": "admin1-lines",
    "labels": "labels",
    "halos": "uncertainty-halos",
    "base_areas": "base-areas",
    "base_points": "base-points",
    "relocation": "base-relocation",
    "context": "context-events",
    "attacks": "attacks",
}
# pydeck reads every string argument as a data accessor expression; a constant
# string must be quoted inside the string ('"pixels"') to reach deck.gl as text.

# Layers whose picked objects are events (they carry an ``event_id``).
EVENT_LAYER_IDS = (
    LAYER_IDS["attacks"],
    LAYER_IDS["context"],
    LAYER_IDS["base_points"],
    LAYER_IDS["base_areas"],
)


class Coordinates(list):
    """Nested lists of numbers only (a polygon's rings): :func:`deck_data` has
    no text to look for in them and passes them as they are."""


def deck_data(value: object) -> object:
    """Layer data for the deck with every string passed through
    :func:`imu_geo.text.deck_text` (in nested lists and dicts too), so that no
    text from the data reaches deck.gl's JSON converter as code."""
    if type(value) is Coordinates:
        return value
    if isinstance(value, str):
        return deck_text(value)
    if isinstance(value, dict):
        return {key: deck_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [deck_data(item) for item in value]
    return value


def inline_layer(kind: str, records: list[dict], **props) -> pdk.Layer:
    """A pydeck layer whose data travels inside the deck: the one way this
    package builds such a layer, so every string in it goes through
    :func:`deck_data`. (Layers that load a URL are not converted: deck.gl
    fetches their data itself.)"""
    return pdk.Layer(kind, data=deck_data(records), **props)


@dataclass(frozen=True)
class MapOptions:
    """Which optional layers to draw."""

    relocation: bool = True
    halos: bool = True


def format_dates(start: pd.Timestamp, end: pd.Timestamp, precision: str) -> str:
    """``1999-02-01 – 1999-02-28 (month)``, or one day when start equals end."""
    first, last = start.date().isoformat(), end.date().isoformat()
    span = first if first == last else f"{first} – {last}"
    return f"{span} ({precision})"


def format_fatalities(low: object, best: object, high: object) -> str:
    """``16``, ``at least 5`` or ``unknown``, from the three fatality columns."""
    known = {
        name: int(value)
        for name, value in (("low", low), ("best", best), ("high", high))
        if value is not None and value is not pd.NA and not pd.isna(value)
    }
    if "best" in known:
        if known.get("low", known["best"]) == known.get("high", known["best"]):
            return str(known["best"])
        return (
            f"{known['best']} (range {known.get('low', '?')}–{known.get('high', '?')})"
        )
    if "low" in known:
        return f"at least {known['low']}"
    return "unknown"


# A tooltip shows this much of a title or a place name (the details show all).
TOOLTIP_TITLE_CHARS = 120
TOOLTIP_PLACE_CHARS = 60


def tooltip_text(event: Mapping[str, object]) -> str:
    """Plain text for the hover tooltip; it is shown as text, never as HTML.

    The title and the place are cut to a tooltip's length, on one line each.
    """
    place = plain(event.get("place_name") or "no place", TOOLTIP_PLACE_CHARS)
    return "\n".join(
        [
            plain(event["title"], TOOLTIP_TITLE_CHARS),
            format_dates(
                event["date_start"], event["date_end"], event["date_precision"]
            ),
            f"Place: {place} ({event.get('geo_precision') or 'no place'})",
            "Fatalities: "
            + format_fatalities(
                event["fatalities_low"],
                event["fatalities_best"],
                event["fatalities_high"],
            ),
            f"Attribution: {plain(event['attribution'], TOOLTIP_PLACE_CHARS)}",
        ]
    )


def marker_radius(fatalities_best: object) -> float:
    """Dot radius in pixels: 5 for unknown or none, growing with the square root."""
    if fatalities_best is None or pd.isna(fatalities_best):
        return 5.0
    return round(5.0 + 2.0 * math.sqrt(max(int(fatalities_best), 0)), 2)


def _fill(colour: Colour, precision: str) -> list[int]:
    alpha = SOLID_ALPHA if precision in PRECISE_DATES else HOLLOW_ALPHA
    return [*colour, alpha]


def _point_records(events: pd.DataFrame, colour_of) -> list[dict]:
    records = []
    for event in events.to_dict("records"):
        if pd.isna(event.get("lat")) or pd.isna(event.get("lon")):
            continue
        colour = colour_of(event)
        records.append(
            {
                "event_id": event["event_id"],
                "lon": float(event["lon"]),
                "lat": float(event["lat"]),
                "fill": _fill(colour, event["date_precision"]),
                "line": [*colour, 255],
                "radius": marker_radius(event["fatalities_best"]),
                "tooltip": tooltip_text(event),
            }
        )
    return records


def _dots(records: list[dict], layer_id: str, line_width: float) -> pdk.Layer:
    """Pickable event dots sized in pixels, with their own fill and outline."""
    return inline_layer(
        "ScatterplotLayer",
        records,
        id=layer_id,
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_units='"pixels"',
        get_fill_color="fill",
        get_line_color="line",
        line_width_min_pixels=line_width,
        stroked=True,
        filled=True,
        pickable=True,
        auto_highlight=True,
    )


def attack_layer(attacks: pd.DataFrame) -> pdk.Layer:
    """Attacks: coloured by type, sized by fatalities, hollow when the date is vague."""
    records = _point_records(
        attacks, lambda e: ATTACK_COLOURS.get(e["event_type"], CONTEXT_COLOUR)
    )
    return _dots(records, LAYER_IDS["attacks"], 2)


def context_layer(context: pd.DataFrame) -> pdk.Layer:
    """Context events that have a place: small grey dots."""
    records = _point_records(context, lambda e: CONTEXT_COLOUR)
    for record in records:
        record["radius"] = 5.0
    return _dots(records, LAYER_IDS["context"], 1.5)


HALO_COLOUR: Colour = (90, 90, 90)


def halo_layer(events: pd.DataFrame) -> pdk.Layer:
    """Faint discs whose radius says how roughly each point place is known.

    One disc per place and precision, in neutral grey, however many events share
    it: stacked discs would darken a place for having many events, not for being
    vaguer.
    """
    discs: dict[tuple[float, float, int], dict] = {}
    for event in events.to_dict("records"):
        radius = HALO_RADIUS_M.get(event.get("geo_precision") or "", 0)
        if radius == 0 or pd.isna(event.get("lat")):
            continue
        key = (float(event["lon"]), float(event["lat"]), radius)
        discs.setdefault(
            key,
            {"lon": key[0], "lat": key[1], "radius": radius},
        )
    return inline_layer(
        "ScatterplotLayer",
        list(discs.values()),
        id=LAYER_IDS["halos"],
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_units='"meters"',
        get_fill_color=[*HALO_COLOUR, 22],
        get_line_color=[*HALO_COLOUR, 110],
        line_width_min_pixels=1,
        stroked=True,
        pickable=False,
    )


def polygon_rings(geometry) -> list[list[list[list[float]]]]:
    """Each polygon of a (Multi)Polygon as [outer ring, *holes], 4-decimal lon/lat."""
    parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    # The coordinates leave GEOS as one array per ring (iterating a ring's
    # coords makes a tuple per point); each is rounded as before.
    return [
        [
            [
                [round(x, 4), round(y, 4)]
                for x, y in shapely.get_coordinates(ring).tolist()
            ]
            for ring in (part.exterior, *part.interiors)
        ]
        for part in parts
    ]


def base_layers(
    bases: pd.DataFrame, display_geometry: Mapping[str, object]
) -> list[pdk.Layer]:
    """Bases: the area for provinces and regions, a ring for towns and for a
    base with its own point (an imported event with its own coordinates)."""
    areas, points = [], []
    for event in bases.to_dict("records"):
        geometry = display_geometry.get(event["place_id"])
        own = not (pd.isna(event.get("lat")) or pd.isna(event.get("lon")))
        if geometry is None and not own:
            continue
        fill = _fill(BASE_COLOUR, event["date_precision"])
        tooltip = tooltip_text(event)
        if geometry is None or geometry.geom_type == "Point":
            # The event's point: its own, or its point place's.
            x, y = (
                (float(event["lon"]), float(event["lat"]))
                if own
                else (geometry.x, geometry.y)
            )
            points.append(
                {
                    "event_id": event["event_id"],
                    "lon": round(x, 4),
                    "lat": round(y, 4),
                    "fill": fill,
                    "tooltip": tooltip,
                }
            )
            continue
        for rings in polygon_rings(geometry):
            areas.append(
                {
                    "event_id": event["event_id"],
                    "polygon": rings,
                    "fill": [*BASE_COLOUR, 45],
                    "tooltip": tooltip,
                }
            )
    return [
        inline_layer(
            "PolygonLayer",
            areas,
            id=LAYER_IDS["base_areas"],
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=[*BASE_COLOUR, 220],
            line_width_min_pixels=2,
            stroked=True,
            filled=True,
            pickable=True,
            auto_highlight=True,
        ),
        inline_layer(
            "ScatterplotLayer",
            points,
            id=LAYER_IDS["base_points"],
            get_position=["lon", "lat"],
            get_radius=11,
            radius_units='"pixels"',
            get_fill_color="fill",
            get_line_color=[*BASE_COLOUR, 255],
            line_width_min_pixels=3,
            stroked=True,
            pickable=True,
            auto_highlight=True,
        ),
    ]


def relocation_pairs(bases: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs (from event_id, to event_id): each base to the next base(s) in time.

    Bases are ordered by (date_start, date_end). A base's successors are the bases
    with the smallest later key; ties all count, so two bases that begin together
    (two leaders going separate ways) both get an arc. Moves within one place are
    left out: a place is the ``place_id``, or for a base without one its own
    point.
    """
    ordered = bases.sort_values(["date_start", "date_end", "event_id"])
    where = ordered["place_id"].fillna("").astype("str")
    if "lat" in ordered.columns:
        point = (
            "@"
            + ordered["lat"].astype("str").fillna("")
            + ","
            + ordered["lon"].astype("str").fillna("")
        )
        where = where.where(where != "", point)
    rows = list(
        zip(
            ordered["event_id"],
            where,
            ordered["date_start"],
            ordered["date_end"],
            strict=True,
        )
    )
    # Sorted, so the bases sharing a (start, end) key are consecutive and the
    # next later key's bases are the run after them: one pass, not a scan of
    # every base for each base (hundreds of bases a step on a large map).
    runs: list[list[tuple]] = []
    for row in rows:
        if runs and (runs[-1][0][2], runs[-1][0][3]) == (row[2], row[3]):
            runs[-1].append(row)
        else:
            runs.append([row])
    pairs = []
    for run, following in zip(runs, runs[1:], strict=False):
        for event_id, place_id, _, _ in run:
            pairs.extend((event_id, r[0]) for r in following if r[1] != place_id)
    return pairs


def relocation_layer(bases: pd.DataFrame) -> pdk.Layer:
    """Arcs from each base to the next one in time."""
    where = {
        event["event_id"]: event
        for event in bases[
            ["event_id", "lon", "lat", "place_name", "date_start"]
        ].to_dict("records")
    }
    records = []
    for source, target in relocation_pairs(bases):
        a, b = where[source], where[target]
        if pd.isna(a["lon"]) or pd.isna(b["lon"]):
            continue
        records.append(
            {
                "from": [float(a["lon"]), float(a["lat"])],
                "to": [float(b["lon"]), float(b["lat"])],
                "tooltip": "Base moved: "
                f"{plain(a['place_name'], TOOLTIP_PLACE_CHARS)} → "
                f"{plain(b['place_name'], TOOLTIP_PLACE_CHARS)} "
                f"({b['date_start'].year})",
            }
        )
    return inline_layer(
        "ArcLayer",
        records,
        id=LAYER_IDS["relocation"],
        get_source_position="from",
        get_target_position="to",
        get_source_color=[*BASE_COLOUR, 120],
        get_target_color=[*BASE_COLOUR, 255],
        get_width=3,
        get_height=0.5,
        pickable=True,
    )


def _mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, 0 at the equator, in units of 2 pi."""
    lat = min(max(lat, -85.0511), 85.0511)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def frame_view(
    bounds: tuple[float, float, float, float] | None,
    width: float = 640,
    height: float = 600,
) -> dict:
    """The view that shows ``bounds`` (west, south, east, north) whole in a map of
    ``width`` x ``height`` pixels, with a margin; :data:`WORLD_VIEW` without
    bounds. A single place is shown at :data:`FRAME_MAX_ZOOM`, a town and its
    surroundings."""
    if bounds is None or not all(math.isfinite(v) for v in bounds):
        return dict(WORLD_VIEW)
    west, south, east, north = bounds
    usable = 1 - 2 * FRAME_MARGIN
    x_share = max(east - west, 1e-9) / 360
    y_share = max(_mercator_y(north) - _mercator_y(south), 1e-9)
    zoom = min(
        math.log2(width * usable / (WORLD_PIXELS * x_share)),
        math.log2(height * usable / (WORLD_PIXELS * y_share)),
    )
    middle = (_mercator_y(north) + _mercator_y(south)) / 2
    latitude = math.degrees(2 * math.atan(math.exp(middle * 2 * math.pi)) - math.pi / 2)
    return {
        "latitude": round(latitude, 4),
        "longitude": round((west + east) / 2, 4),
        "zoom": round(min(max(zoom, FRAME_MIN_ZOOM), FRAME_MAX_ZOOM), 2),
    }


def event_bounds(events: pd.DataFrame) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the events that have a point, or None."""
    lon = pd.to_numeric(events["lon"], errors="coerce")
    lat = pd.to_numeric(events["lat"], errors="coerce")
    located = lon.notna() & lat.notna()
    if not located.any():
        return None
    lon, lat = lon[located], lat[located]
    return (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))


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
    part = [["at", i, ["get", name]] for i in range(4)]
    return ["rgba", part[0], part[1], part[2], ["/", part[3], 255]]


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


# The event columns the detailed map reads; taking a selection's rows from just
# these is several times faster than from every column.
DECK_COLUMNS: tuple[str, ...] = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "layer",
    "event_type",
    "place_id",
    "place_name",
    "geo_precision",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "attribution",
    "title",
    "lat",
    "lon",
)


def build_deck(
    selected: pd.DataFrame,
    display_geometry: Mapping[str, object],
    options: MapOptions = MapOptions(),
    view: Mapping[str, float] = DEFAULT_VIEW,
    basemap: str = ATLAS_BASEMAP,
) -> pdk.Deck:
    """The whole map for a selection of events.

    Parameters
    ----------
    selected
        Filtered events with ``lat``/``lon``/``place_name`` (see
        :class:`imu_geo.data.Dataset`).
    display_geometry
        ``place_id`` to a simplified shapely geometry for drawing areas.
    options
        Optional layers.
    view
        The initial view (:func:`frame_view`); keep it the same across reruns of
        one dataset, or the map jumps back to it.
    basemap
        :data:`ATLAS_BASEMAP` or :data:`WORLD_BASEMAP`.
    """
    by_layer = {name: selected[selected["layer"] == name] for name in EVENT_TYPES}
    located = selected[selected["lat"].notna()]
    layers = basemap_layers(basemap)
    if options.halos:
        layers.append(halo_layer(located[located["layer"] != "base"]))
    layers.extend(base_layers(by_layer["base"], display_geometry))
    if options.relocation:
        layers.append(relocation_layer(by_layer["base"]))
    layers.append(context_layer(by_layer["context"]))
    layers.append(attack_layer(by_layer["attack"]))
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{tooltip}"},
        **basemap_deck(basemap),
    )


# --- the static basemap -------------------------------------------------------

LEVEL_STYLE = {
    "country": {"fill": [246, 244, 239, 255], "line": [90, 90, 90, 255], "width": 1.6},
    "admin1": {"fill": [246, 244, 239, 0], "line": [170, 170, 170, 200], "width": 0.5},
    "valley": {"fill": [214, 234, 200, 150], "line": [120, 160, 100, 200], "width": 1},
}


def basemap_geojson(regions: gpd.GeoDataFrame, tolerance: float = 0.02) -> dict:
    """The basemap as GeoJSON: regions simplified further, with their style.

    Countries are drawn first (filled), then admin-1 outlines, then the valley.
    """
    order = {"country": 0, "admin1": 1, "valley": 2}
    ordered = regions.assign(_order=regions["level"].map(order)).sort_values(
        ["_order", "region_id"]
    )
    features = []
    for row in ordered.itertuples(index=False):
        geometry = row.geometry.simplify(tolerance, preserve_topology=True)
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
    for row in regions.sort_values(["level", "region_id"]).itertuples(index=False):
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
    return json.dumps(records, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def basemap_files(regions: gpd.GeoDataFrame) -> dict[str, bytes]:
    """The static files the basemap layers load, by file name.

    They are derived from ``regions.geojson`` and committed under ``static/``;
    ``imu-geo basemap`` writes them again after the regions change.
    """

    def compact(document: object) -> bytes:
        return (json.dumps(document, separators=(",", ":")) + "\n").encode("utf-8")

    return {
        BASEMAP_FILE: compact(basemap_geojson(regions)),
        LABELS_FILE: compact(label_records(regions)),
        STYLE_FILE: style_bytes(ATLAS_BASEMAP),
    }


def style_bytes(basemap: str) -> bytes:
    """:func:`basemap_style` as the static file the base map loads."""
    return (json.dumps(basemap_style(basemap), separators=(",", ":")) + "\n").encode(
        "utf-8"
    )


# --- clickable units ----------------------------------------------------------

# Coarse to fine: deck.gl picks the object drawn last, so a click on the map
# finds the admin-1 unit under it, and the country only where no admin-1 unit
# is drawn. The valley lies under its provinces (choose it on the Regions page).
PICK_ORDER = {"country": 0, "valley": 1, "admin1": 2}
PICK_HINT = "Click to show only its events; click again to show all."


def units_geojson(regions: gpd.GeoDataFrame, tolerance: float = 0.02) -> dict:
    """A dataset's units as GeoJSON to click on: simplified for display, coarse
    to fine (:data:`PICK_ORDER`), each with its ``id`` and a plain-text tooltip
    under every name the maps' tooltips read (``tooltip``, ``n``, ``t``)."""
    wanted = regions[regions["level"].isin(list(PICK_ORDER))]
    ordered = wanted.assign(_order=wanted["level"].map(PICK_ORDER)).sort_values(
        ["_order", "region_id"]
    )
    features = []
    for row in ordered.itertuples(index=False):
        text = f"{plain(row.name)}\n{PICK_HINT}"
        geometry = row.geometry.simplify(tolerance, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": str(row.region_id),
                    "tooltip": text,
                    "n": text,
                    "t": text,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": polygon_rings(geometry),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def units_geojson_bytes(regions: gpd.GeoDataFrame) -> bytes:
    """:func:`units_geojson` as compact UTF-8 JSON, for a static file."""
    document = units_geojson(regions)
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def region_pick_layer(url: str, layer_id: str) -> pdk.Layer:
    """The units file at ``url`` as an invisible layer that can be clicked
    (and highlights the unit under the pointer)."""
    return pdk.Layer(
        "GeoJsonLayer",
        data=url,
        id=layer_id,
        stroked=False,
        filled=True,
        get_fill_color=[0, 0, 0, 0],
        pickable=True,
        auto_highlight=True,
        highlight_color=[0, 114, 178, 40],
    )


# --- the legend ---------------------------------------------------------------


def _svg_colour(colour: Colour, alpha: float = 1.0) -> str:
    return f"rgba({colour[0]},{colour[1]},{colour[2]},{alpha})"


def legend_svg() -> str:
    """The legend as an SVG document, built from the constants above only."""
    rows: list[str] = []
    y = 14

    def heading(text: str) -> None:
        nonlocal y
        rows.append(
            f'<text x="4" y="{y}" font-weight="bold" font-size="12">{text}</text>'
        )
        y += 18

    def dot(colour: Colour, label: str, alpha: float = 0.9, r: int = 6) -> None:
        nonlocal y
        rows.append(
            f'<circle cx="12" cy="{y - 4}" r="{r}" fill="{_svg_colour(colour, alpha)}" '
            f'stroke="{_svg_colour(colour)}" stroke-width="2"/>'
            f'<text x="26" y="{y}" font-size="12">{label}</text>'
        )
        y += 18

    heading("Attacks (size: fatalities)")
    for event_type, colour in ATTACK_COLOURS.items():
        dot(colour, event_type.replace("_", " "))
    heading("Bases and context")
    rows.append(
        f'<rect x="5" y="{y - 11}" width="14" height="12" '
        f'fill="{_svg_colour(BASE_COLOUR, 0.2)}" stroke="{_svg_colour(BASE_COLOUR)}" '
        f'stroke-width="2"/><text x="26" y="{y}" font-size="12">base (area)</text>'
    )
    y += 18
    dot(BASE_COLOUR, "base (town)", alpha=0.9)
    rows.append(
        f'<path d="M4,{y - 2} Q12,{y - 14} 20,{y - 2}" fill="none" '
        f'stroke="{_svg_colour(BASE_COLOUR)}" stroke-width="2"/>'
        f'<text x="26" y="{y}" font-size="12">base moved to next</text>'
    )
    y += 18
    dot(CONTEXT_COLOUR, "context event", r=5)
    heading("How sure")
    dot(CONTEXT_COLOUR, "solid: date to the day or month")
    dot(CONTEXT_COLOUR, "hollow: season, year or range", alpha=0.15)
    faint = _svg_colour(CONTEXT_COLOUR, 0.12)
    rows.append(
        f'<circle cx="12" cy="{y - 2}" r="9" fill="{faint}" '
        f'stroke="{_svg_colour(CONTEXT_COLOUR, 0.4)}"/>'
        f'<circle cx="12" cy="{y - 2}" r="3" fill="{_svg_colour(CONTEXT_COLOUR)}"/>'
        f'<text x="26" y="{y}" font-size="12">halo: place known only roughly</text>'
    )
    y += 8
    body = "".join(rows)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="230" height="{y + 6}" '
        f'font-family="Helvetica, Arial, sans-serif" fill="#333">{body}</svg>'
    )


# --- large maps: points loaded once, filtered by date in the browser ----------

FAR_DAYS = 1_000_000  # an open end of the date filter, in days from 1970


def large_palettes(layer: str) -> tuple[list[list[int]], list[list[int]]]:
    """Fill and outline colours of one event layer, indexed by colour code.

    Attack code ``2 * k`` is type ``k`` of :data:`ATTACK_COLOURS` with a date
    known to the day or month (solid), ``2 * k + 1`` the same type with a vaguer
    date (hollow); the other layers have codes 0 (solid) and 1 (hollow).
    """
    colours = (
        list(ATTACK_COLOURS.values())
        if layer == "attack"
        else [BASE_COLOUR if layer == "base" else CONTEXT_COLOUR]
    )
    fill, line = [], []
    for colour in colours:
        fill += [[*colour, SOLID_ALPHA], [*colour, HOLLOW_ALPHA]]
        line += [[*colour, 255], [*colour, 255]]
    return fill, line


def large_colour_codes(events: pd.DataFrame, layer: str) -> pd.Series:
    """The colour code of each event of ``layer`` (see :func:`large_palettes`)."""
    hollow = (~events["date_precision"].isin(PRECISE_DATES)).astype(int)
    if layer != "attack":
        return hollow
    kinds = {name: k for k, name in enumerate(ATTACK_COLOURS)}
    return events["event_type"].map(kinds).fillna(0).astype(int) * 2 + hollow


def large_radii(events: pd.DataFrame, layer: str) -> pd.Series:
    """Dot radius in pixels: by fatalities for attacks, fixed for the rest.

    Smaller than on the detailed map: with thousands of events, large dots only
    cover each other (and every pixel drawn costs time where there is no GPU).
    """
    if layer == "attack":
        best = events["fatalities_best"].astype("Float64").clip(lower=0)
        return (3.0 + 1.5 * best.pow(0.5)).fillna(3.0).clip(upper=20).round(1)
    return pd.Series(6.0 if layer == "base" else 3.0, index=events.index)


def date_filter_range(start_day: int, end_day: int, cumulative: bool) -> list:
    """The DataFilterExtension range for a window of days.

    Each point's filter value is ``[first day, last day]`` of its event. In a
    moving window an event is shown when it begins by the window's end and ends
    on or after its start; in cumulative mode when it begins by the end.
    """
    if cumulative:
        return [[-FAR_DAYS, end_day], [-FAR_DAYS, FAR_DAYS]]
    return [[-FAR_DAYS, end_day], [start_day, FAR_DAYS]]


def palette_expression(palette: list[list[int]]) -> str:
    """A deck.gl JSON accessor picking ``palette[c]`` for each point.

    deck.gl's expression language has no indexing into a literal array, so it
    is a chain of conditions: ``c==0?[..]:c==1?[..]:[..]``.
    """
    *first, last = palette
    chain = "".join(
        f"c=={code}?{json.dumps(colour, separators=(',', ':'))}:"
        for code, colour in enumerate(first)
    )
    return chain + json.dumps(last, separators=(",", ":"))


LARGE_LAYER_IDS = {
    "attack": LAYER_IDS["attacks"],
    "context": LAYER_IDS["context"],
    "base": LAYER_IDS["base_points"],
}


def large_point_layer(layer: str, url: str, filter_range: list) -> pdk.Layer:
    """One event layer drawn from a point file and filtered by date on the GPU."""
    fill, line = large_palettes(layer)
    return pdk.Layer(
        "ScatterplotLayer",
        data=url,
        id=LARGE_LAYER_IDS[layer],
        get_position=["x", "y"],
        get_radius="r",
        radius_units='"pixels"',
        get_fill_color=palette_expression(fill),
        get_line_color=palette_expression(line),
        line_width_min_pixels=2 if layer == "base" else 1,
        stroked=True,
        filled=True,
        pickable=True,
        auto_highlight=True,
        extensions=[{"@@type": "DataFilterExtension", "filterSize": 2}],
        get_filter_value=["s", "e"],
        filter_range=filter_range,
    )


# The few features the map draws at any size, beside the budgeted event points:
# at most this many bases in the window (drawn with their areas and relocation
# arcs) and this many halo discs. Each travels inside the deck at every step
# (about 100-200 bytes of deck JSON), so together they stay within the bytes
# a step may send; beyond a limit that kind is left out, and the map says so.
DETAIL_LIMIT = 300
HALO_PRECISIONS: tuple[str, ...] = tuple(
    name for name, radius in HALO_RADIUS_M.items() if radius > 0
)


def as_tooltip(layer: pdk.Layer, key: str) -> pdk.Layer:
    """``layer`` with each record's tooltip under ``key``: one deck has one
    tooltip template, and the large deck's reads ``{n}``. The text is moved,
    not rebuilt, so it stays what :func:`deck_data` made of it."""
    for record in layer.data if isinstance(layer.data, list) else []:
        for old in ("tooltip", "t"):
            if old in record and old != key:
                record[key] = record.pop(old)
    return layer


def detail_layers(
    bases: pd.DataFrame | None,
    halos: pd.DataFrame | None,
    display_geometry: Mapping[str, object],
    options: MapOptions = MapOptions(),
) -> list[pdk.Layer]:
    """The few features of a large map, drawn as on the detailed map (inline,
    tooltips under ``n``): place halos from ``halos`` (``lon``, ``lat``,
    ``geo_precision``, one row per place), then the window's ``bases`` with
    their areas and the arcs between them. ``None`` leaves a kind out."""
    layers: list[pdk.Layer] = []
    if options.halos and halos is not None:
        # Rings without their faint fill: a large map's places lie close
        # together, and hundreds of overlapping fills grey the map out.
        rings = halo_layer(halos)
        rings.filled = False
        layers.append(rings)
    if bases is not None:
        layers.extend(
            as_tooltip(layer, "n") for layer in base_layers(bases, display_geometry)
        )
        if options.relocation:
            layers.append(as_tooltip(relocation_layer(bases), "n"))
    return layers


# The large map's layers when its points are cut into time slices
# (:func:`imu_geo.pointfiles.sliced_point_files`): one layer per slice, the
# event layers it holds in it, named by this prefix and the slice's number.
SLICE_LAYER_PREFIX = "events-"
# Within a slice, context is drawn before attacks, as the layers are (the
# pages keep bases in a file and a layer of their own, under the slices).
SLICE_LAYER_ORDER = ("base", "context", "attack")


def is_event_layer(layer_id: str) -> bool:
    """Whether the objects picked on layer ``layer_id`` are events."""
    return layer_id in EVENT_LAYER_IDS or str(layer_id).startswith(SLICE_LAYER_PREFIX)


def large_fill_colours(events: pd.DataFrame) -> np.ndarray:
    """Each event's dot colour on the large map, ``[r, g, b, a]`` (0-255): its
    layer's colour (an attack's type's), solid when the date is known to the
    day or month, faint when it is vaguer (:func:`large_palettes`)."""
    colours = np.zeros((len(events), 4), dtype=np.int64)
    layer = events["layer"].to_numpy()
    for name in EVENT_TYPES:
        inside = layer == name
        if not inside.any():
            continue
        fill, _ = large_palettes(name)
        codes = large_colour_codes(events[inside], name).to_numpy()
        colours[inside] = np.asarray(fill)[codes]
    return colours


def large_event_radii(events: pd.DataFrame) -> np.ndarray:
    """:func:`large_radii` of events of any layer."""
    radii = np.zeros(len(events))
    layer = events["layer"].to_numpy()
    for name in EVENT_TYPES:
        inside = layer == name
        if inside.any():
            radii[inside] = large_radii(events[inside], name).to_numpy(dtype=float)
    return radii


def large_line_widths(events: pd.DataFrame) -> np.ndarray:
    """Outline width in pixels: 2 for bases, 1 for the rest (as the layers)."""
    return np.where(events["layer"].to_numpy() == "base", 2, 1)


def slice_layer(number: int, url: str, visible: bool, filter_range: list):
    """One time slice of the large map's points, from its file: dots coloured,
    sized and outlined as each point says, filtered by date on the GPU; drawn
    only when ``visible``."""
    return pdk.Layer(
        "ScatterplotLayer",
        data=url,
        id=f"{SLICE_LAYER_PREFIX}{number}",
        visible=visible,
        get_position=["x", "y"],
        get_radius="r",
        radius_units='"pixels"',
        get_fill_color="f",
        get_line_color="[f[0], f[1], f[2], 255]",
        get_line_width="w",
        line_width_units='"pixels"',
        stroked=True,
        filled=True,
        pickable=True,
        auto_highlight=True,
        extensions=[{"@@type": "DataFilterExtension", "filterSize": 2}],
        get_filter_value=["s", "e"],
        filter_range=filter_range,
    )


def build_sliced_deck(
    slices: list,
    window: tuple[int, int],
    cumulative: bool,
    view: Mapping[str, float] = DEFAULT_VIEW,
    basemap: str = ATLAS_BASEMAP,
    details: Sequence[pdk.Layer] = (),
    density: pdk.Layer | None = None,
    bases_url: str | None = None,
) -> pdk.Deck:
    """The map for many events cut into time slices: ``slices`` are
    ``(PointSlice, url)`` in drawing order, ``window`` the first and last day
    shown (days since 1970-01-01). Every slice is in the deck; those that
    cannot hold an event of the window are hidden. ``view`` and ``basemap`` as
    for :func:`build_deck`.

    As in :func:`build_large_deck`: the ``details`` (:func:`detail_layers`,
    halos under the rest), a ``density`` layer drawn in place of the sliced
    dots (which stay in the deck, hidden, so that switching back fetches
    nothing), and the bases from their own point file (``bases_url``, when
    there are too many to draw inline), which stay visible under the cells.
    """
    start_day, end_day = window
    filter_range = date_filter_range(start_day, end_day, cumulative)
    layers = basemap_layers(basemap)
    layers.extend(layer for layer in details if layer.id == LAYER_IDS["halos"])
    if density is not None:
        layers.append(as_tooltip(density, "n"))
    layers.extend(layer for layer in details if layer.id != LAYER_IDS["halos"])
    if bases_url is not None:
        layers.append(large_point_layer("base", bases_url, filter_range))
    for piece, url in slices:
        shown = density is None and piece.shown(start_day, end_day, cumulative)
        layers.append(slice_layer(piece.number, url, shown, filter_range))
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{n}"},
        **basemap_deck(basemap),
    )


def build_large_deck(
    urls: Mapping[str, str],
    filter_range: list,
    view: Mapping[str, float] = DEFAULT_VIEW,
    basemap: str = ATLAS_BASEMAP,
    details: Sequence[pdk.Layer] = (),
    density: pdk.Layer | None = None,
) -> pdk.Deck:
    """The map for many events: the basemap, the ``details``
    (:func:`detail_layers`), then one point-file layer per layer (``urls`` maps
    a layer name to its file's URL), bases below attacks; ``view`` and
    ``basemap`` as for :func:`build_deck`.

    With a ``density`` layer (cells counted by the engine, tooltips under
    ``n``) the cells are drawn in place of the attack and context dots, over the
    halos and under the bases: those point layers stay in the deck, hidden, so
    that switching back does not fetch their files again. Bases from a point
    file (too many to draw inline) stay visible. The pages use
    :func:`build_sliced_deck`; ``benchmarks/point_budget.py`` measures this
    one."""
    layers = basemap_layers(basemap)
    # Faint halos under the cells, bases and arcs over them.
    halos = [layer for layer in details if layer.id == LAYER_IDS["halos"]]
    layers.extend(halos)
    if density is not None:
        layers.append(as_tooltip(density, "n"))
    layers.extend(layer for layer in details if layer.id != LAYER_IDS["halos"])
    for layer in ("base", "context", "attack"):
        if layer in urls:
            point_layer = large_point_layer(layer, urls[layer], filter_range)
            if density is not None and layer != "base":
                point_layer.visible = False
            layers.append(point_layer)
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{n}"},
        **basemap_deck(basemap),
    )

"""The atlas map's event layers, one builder per pydeck layer, and the deck that
holds them (:func:`build_deck`).

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
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import pydeck as pdk

from imu_geo.layers.basemap import (
    ATLAS_BASEMAP,
    deck_on_basemap,
)
from imu_geo.layers.common import (
    ATTACK_COLOURS,
    BASE_COLOUR,
    CONTEXT_COLOUR,
    HALO_RADIUS_M,
    HOLLOW_ALPHA,
    LAYER_IDS,
    MARK_COLUMNS,
    PIXEL_DOTS,
    PRECISE_DATES,
    SOLID_ALPHA,
    Colour,
    MapOptions,
    inline_layer,
    polygon_layer,
    polygon_rings,
)
from imu_geo.layers.view import (
    DEFAULT_VIEW,
)
from imu_geo.schema import EVENT_TYPES
from imu_geo.text import plain

__all__ = [
    "DECK_COLUMNS",
    "HALO_COLOUR",
    "TOOLTIP_PLACE_CHARS",
    "TOOLTIP_TITLE_CHARS",
    "attack_layer",
    "base_layers",
    "build_deck",
    "context_layer",
    "format_dates",
    "format_fatalities",
    "halo_layer",
    "marker_radius",
    "relocation_layer",
    "relocation_pairs",
    "tooltip_text",
]


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
        get_fill_color="fill",
        get_line_color="line",
        line_width_min_pixels=line_width,
        **PIXEL_DOTS,
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
        polygon_layer(areas, LAYER_IDS["base_areas"], [*BASE_COLOUR, 220], 2),
        inline_layer(
            "ScatterplotLayer",
            points,
            id=LAYER_IDS["base_points"],
            get_position=["lon", "lat"],
            get_radius=11,
            get_fill_color="fill",
            get_line_color=[*BASE_COLOUR, 255],
            line_width_min_pixels=3,
            **PIXEL_DOTS,
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


# The event columns the detailed map reads; taking a selection's rows from just
# these is several times faster than from every column.
DECK_COLUMNS: tuple[str, ...] = (
    *MARK_COLUMNS,
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
    layers = []
    if options.halos:
        layers.append(halo_layer(located[located["layer"] != "base"]))
    layers.extend(base_layers(by_layer["base"], display_geometry))
    if options.relocation:
        layers.append(relocation_layer(by_layer["base"]))
    layers.append(context_layer(by_layer["context"]))
    layers.append(attack_layer(by_layer["attack"]))
    return deck_on_basemap(layers, view, basemap, "tooltip")

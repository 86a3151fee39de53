"""Large maps: points loaded once from point files and filtered by date in the
browser, with the few bases and halos that travel inside the deck.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
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
    EVENT_LAYER_IDS,
    HALO_RADIUS_M,
    HOLLOW_ALPHA,
    LAYER_IDS,
    PIXEL_DOTS,
    PRECISE_DATES,
    SOLID_ALPHA,
    MapOptions,
    gpu_date_filter,
)
from imu_geo.layers.events import (
    base_layers,
    halo_layer,
    relocation_layer,
)
from imu_geo.layers.view import (
    DEFAULT_VIEW,
)
from imu_geo.schema import EVENT_TYPES

__all__ = [
    "DETAIL_LIMIT",
    "FAR_DAYS",
    "HALO_PRECISIONS",
    "LARGE_LAYER_IDS",
    "SLICE_LAYER_ORDER",
    "SLICE_LAYER_PREFIX",
    "as_tooltip",
    "build_sliced_deck",
    "date_filter_range",
    "detail_layers",
    "is_event_layer",
    "large_colour_codes",
    "large_event_radii",
    "large_fill_colours",
    "large_line_widths",
    "large_palettes",
    "large_point_layer",
    "large_radii",
    "palette_expression",
    "slice_layer",
]

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
        get_fill_color=palette_expression(fill),
        get_line_color=palette_expression(line),
        line_width_min_pixels=2 if layer == "base" else 1,
        **PIXEL_DOTS,
        **gpu_date_filter(filter_range),
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


# A slice's outline: each point's own colour, opaque. A hidden slice has one
# constant outline instead. Streamlit's map, when it takes selections, adds the
# selection to the update triggers of a ScatterplotLayer's outline colours, so
# deck.gl computes them again for every point of every slice in the deck at
# each rerun (about 400 kB sent to WebGL per slider step at 100,000 events,
# docs/performance.md); a hidden slice is not drawn, so its constant costs
# nothing, and only the slices shown are computed again.
SLICE_OUTLINE = "[f[0], f[1], f[2], 255]"
HIDDEN_OUTLINE = [0, 0, 0, 0]


def slice_layer(number: int, url: str, visible: bool, filter_range: list):
    """One time slice of the large map's points, from its file: dots coloured,
    sized and outlined as each point says, filtered by date on the GPU; drawn
    only when ``visible`` (:data:`SLICE_OUTLINE`)."""
    return pdk.Layer(
        "ScatterplotLayer",
        data=url,
        id=f"{SLICE_LAYER_PREFIX}{number}",
        visible=visible,
        get_position=["x", "y"],
        get_radius="r",
        get_fill_color="f",
        get_line_color=SLICE_OUTLINE if visible else HIDDEN_OUTLINE,
        get_line_width="w",
        line_width_units='"pixels"',
        **PIXEL_DOTS,
        **gpu_date_filter(filter_range),
    )


def _under_points(
    details: Sequence[pdk.Layer], density: pdk.Layer | None
) -> list[pdk.Layer]:
    """What a large map draws under its points: faint halos, then the
    ``density`` cells (tooltips under ``n``) if any, then the other details
    (bases and arcs, over the cells)."""
    halos = LAYER_IDS["halos"]
    layers = [layer for layer in details if layer.id == halos]
    if density is not None:
        layers.append(as_tooltip(density, "n"))
    layers.extend(layer for layer in details if layer.id != halos)
    return layers


def build_sliced_deck(
    slices: list,
    window: tuple[int, int],
    cumulative: bool,
    view: Mapping[str, float] = DEFAULT_VIEW,
    basemap: str = ATLAS_BASEMAP,
    details: Sequence[pdk.Layer] = (),
    density: pdk.Layer | None = None,
    files: Mapping[str, str] | None = None,
) -> pdk.Deck:
    """The map for many events, from point files: ``slices`` are
    ``(PointSlice, url)`` in drawing order, ``window`` the first and last day
    shown (days since 1970-01-01). Every slice is in the deck; those that
    cannot hold an event of the window are hidden. ``view`` and ``basemap`` as
    for :func:`build_deck`.

    ``files`` maps a layer to the URL of one point file of all its events
    (:func:`large_point_layer`), drawn under the slices, bases first: the
    pages send the bases so when there are too many to draw inline, and
    ``benchmarks/point_budget.py`` draws every layer so, without slices.

    Under the points: the ``details`` (:func:`detail_layers`, halos under the
    rest), and a ``density`` layer (cells counted by the engine, tooltips under
    ``n``) drawn in place of the dots. The dots stay in the deck, hidden, so
    that switching back fetches nothing; bases from a file stay visible over
    the cells.
    """
    start_day, end_day = window
    filter_range = date_filter_range(start_day, end_day, cumulative)
    layers = _under_points(details, density)
    files = files or {}
    for layer in ("base", "context", "attack"):
        if layer in files:
            point_layer = large_point_layer(layer, files[layer], filter_range)
            if density is not None and layer != "base":
                point_layer.visible = False
            layers.append(point_layer)
    for piece, url in slices:
        shown = density is None and piece.shown(start_day, end_day, cumulative)
        layers.append(slice_layer(piece.number, url, shown, filter_range))
    return deck_on_basemap(layers, view, basemap, "n")

"""The density map: events counted per grid cell, for selections too large to
draw one dot per event.

Above the point budget (:data:`imu_geo.pointfiles.POINT_BUDGET`) the engine
counts the selected events per square cell of ``cell_deg`` degrees
(:meth:`imu_geo.engine.source.EventSource.density`) and the map draws the cells,
not the events. What one cell means is said three times: in the caption
(:func:`density_notice`), in each cell's tooltip (:func:`cell_tooltip`) and in
the legend (:func:`density_legend_svg`).

The deck stays small at any data size: a cell travels as its south-west corner,
a colour class and its tooltip, and there are at most :data:`MAX_CELLS` of them
(:func:`bound_cells` merges cells into coarser ones until they fit).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pydeck as pdk

from imu_geo.layers import (
    ATLAS_BASEMAP,
    DEFAULT_VIEW,
    CompactDeck,
    basemap_deck,
    basemap_layers,
    inline_layer,
    palette_expression,
)
from imu_geo.summaries import CHOROPLETH_ALPHA, SEQUENTIAL_STOPS
from imu_geo.text import counted

DENSITY_LAYER_ID = "event-density"

# Cell sizes in degrees that read well in a caption ("0.25°", "2.5°"). Between
# neighbours the ratio is at most 2, so for any extent one of them gives between
# MIN_CELLS_ACROSS and twice as many cells across it.
NICE_CELL_DEG: tuple[float, ...] = (
    0.001,
    0.002,
    0.0025,
    0.005,
    0.01,
    0.02,
    0.025,
    0.05,
    0.1,
    0.2,
    0.25,
    0.5,
    1.0,
    2.0,
    2.5,
    5.0,
    10.0,
    15.0,
    30.0,
    45.0,
    90.0,
    180.0,
    360.0,
)
# About this many cells across the data's longer side (lon or lat): fine enough
# to show where events cluster, coarse enough that a cell holds a readable count.
MIN_CELLS_ACROSS = 100
# No cell smaller than about 110 m: finer than most event coordinates are known.
MIN_CELL_DEG = 0.001
# The grid for data with no located event (there are then no cells to draw).
NO_EXTENT_CELL_DEG = 2.5

# A cell costs up to about 210 bytes of deck JSON (pydeck indents it; eight-digit
# counts in the tooltip): 400 cells and the basemap layers make at most about
# 85 kB, under the 100 kB a slider step may send, with room for the rest of the page.
MAX_CELLS = 400

# A degree of latitude is 110.6 km at the equator and 111.7 km at the poles.
KM_PER_DEGREE_LAT = 111.2

COUNT_COLUMNS = ("events", "attacks", "bases", "context")


# --- the grid -----------------------------------------------------------------


def density_cell_deg(bounds: tuple[float, float, float, float] | None) -> float:
    """The cell size, in degrees, for data within ``bounds`` (west, south, east,
    north): the largest of :data:`NICE_CELL_DEG` that still puts at least
    :data:`MIN_CELLS_ACROSS` cells across the longer side, never below
    :data:`MIN_CELL_DEG`.

    Give it the whole dataset's bounds, not the window's or the view's: the grid
    then stays the same while the window moves, so cells compare across steps
    (and the server does not learn the browser's zoom).
    """
    if bounds is None:
        return NO_EXTENT_CELL_DEG
    west, south, east, north = bounds
    extent = max(east - west, north - south, 0.0)
    fitting = [
        size for size in NICE_CELL_DEG if size * MIN_CELLS_ACROSS <= extent + 1e-9
    ]
    return max([MIN_CELL_DEG, *fitting])


def coarsen_cells(cells: pd.DataFrame, factor: int) -> pd.DataFrame:
    """Cells merged ``factor`` x ``factor`` into cells ``factor`` times larger.

    A cell index is ``floor(lon / cell)``; for a whole ``factor`` the index in the
    larger grid is ``floor(index / factor)``, so counts add up exactly.
    """
    if factor < 1:
        raise ValueError("factor must be a whole number of at least 1")
    if factor == 1:
        return cells
    grouped = (
        cells.assign(cx=cells["cx"] // factor, cy=cells["cy"] // factor)
        .groupby(["cx", "cy"], as_index=False, sort=True)[list(COUNT_COLUMNS)]
        .sum()
    )
    return grouped.reset_index(drop=True)


def _coarser_factors(cell_deg: float) -> list[int]:
    """Whole factors that make ``cell_deg`` coarser, smallest first: those giving
    a size of :data:`NICE_CELL_DEG`, with doublings where two of them lie more
    than 2.5 times apart, then doublings beyond the last."""
    factors: list[int] = []
    previous = 1
    for size in NICE_CELL_DEG:
        ratio = size / cell_deg
        if ratio < 1.5 or abs(ratio - round(ratio)) > 1e-6:
            continue
        while round(ratio) > previous * 2.5:
            previous *= 2
            factors.append(previous)
        previous = round(ratio)
        factors.append(previous)
    return factors + [previous * 2**j for j in range(1, 64)]


def bound_cells(
    cells: pd.DataFrame, cell_deg: float, max_cells: int = MAX_CELLS
) -> tuple[pd.DataFrame, float]:
    """``cells`` and their size, coarsened until there are at most ``max_cells``.

    The cells as given when they fit; else merged by the smallest factor that
    makes them fit (:func:`coarsen_cells`), with the new size. A caption or legend
    must use the size returned here, which is the size drawn.
    """
    if max_cells < 4:
        # Any grid of cells of 360 degrees or more has at most 4 cells.
        raise ValueError("max_cells must be at least 4")
    if len(cells) <= max_cells:
        return cells, cell_deg
    for factor in _coarser_factors(cell_deg):
        # k x k cells merge into one: fewer than n / k^2 cannot result.
        if len(cells) > max_cells * factor * factor:
            continue
        merged = coarsen_cells(cells, factor)
        if len(merged) <= max_cells:
            return merged, cell_deg * factor
    # Not reached (the doublings end far past any grid of 4 cells), so its
    # words are not mutated.
    raise AssertionError(  # pragma: no mutate
        "unreachable: a 360-degree grid has at most 4 cells"  # pragma: no mutate
    )


# --- the colour scale -----------------------------------------------------------


def _nice_count(value: float) -> int:
    """The number of the form 1, 2 or 5 x 10^k nearest to ``value`` (by ratio)."""
    exponent = math.floor(math.log10(value))
    candidates = [m * 10**exponent for m in (1, 2, 5, 10)]
    return int(min(candidates, key=lambda c: abs(math.log(c / value))))


def density_thresholds(maximum: int, classes: int = len(SEQUENTIAL_STOPS)) -> tuple:
    """The lowest count of each colour class, for cells of up to ``maximum``
    events: 1 first, then round numbers spaced evenly on a log scale (counts per
    cell span orders of magnitude), fewer classes when the counts are few.
    """
    bounds = [1]
    for i in range(1, classes):
        threshold = _nice_count(max(maximum, 1) ** (i / classes))
        if bounds[-1] < threshold <= maximum:
            bounds.append(threshold)
    return tuple(bounds)


def density_classes(events: Sequence[int] | pd.Series, thresholds: tuple) -> np.ndarray:
    """The class of each count: the index of the highest threshold it reaches."""
    counts = np.asarray(events, dtype=np.int64)
    found = np.searchsorted(np.asarray(thresholds), counts, side="right") - 1
    return np.clip(found, 0, len(thresholds) - 1)


def class_colours(n_classes: int) -> list[list[int]]:
    """RGBA fill of each of ``n_classes`` classes: stops of
    :data:`imu_geo.summaries.SEQUENTIAL_STOPS` (ColorBrewer YlOrRd, colour-blind
    safe) spread from the lightest to the darkest; one class takes the middle."""
    last = len(SEQUENTIAL_STOPS) - 1
    if n_classes == 1:
        picks = [last // 2]
    else:
        picks = [round(i * last / (n_classes - 1)) for i in range(n_classes)]
    return [[*SEQUENTIAL_STOPS[p], CHOROPLETH_ALPHA] for p in picks]


def class_labels(thresholds: tuple, maximum: int) -> list[str]:
    """What each class holds, e.g. ``["1–4", "5–19", "20–75"]``."""
    labels = []
    for i, low in enumerate(thresholds):
        high = thresholds[i + 1] - 1 if i + 1 < len(thresholds) else maximum
        labels.append(f"{low:,}" if high <= low else f"{low:,}–{high:,}")
    return labels


# --- the words --------------------------------------------------------------------


def format_degrees(cell_deg: float) -> str:
    """``0.5°``, ``2.5°``, ``1°``: at most six significant digits."""
    return f"{cell_deg:.6g}°"


def cell_span_text(cell_deg: float) -> str:
    """How far a cell reaches from south to north: ``about 56 km``."""
    km = cell_deg * KM_PER_DEGREE_LAT
    if km >= 10:
        return f"about {km:,.0f} km"
    if km >= 1:
        return f"about {km:.1f} km"
    return f"about {float(f'{km * 1000:.2g}'):.0f} m"


def cell_tooltip(cell: Mapping[str, object], cell_deg: float) -> str:
    """What one cell holds, e.g. ``12 events in this 0.5° cell: 10 attacks,
    1 base, 1 context``. Only counts: a cell has no text of its own."""
    events = int(cell["events"])
    return (
        f"{counted(events, 'event')} in this {format_degrees(cell_deg)} "
        f"cell: {counted(int(cell['attacks']), 'attack')}, "
        f"{counted(int(cell['bases']), 'base')}, "
        f"{int(cell['context']):,} context"
    )


def density_notice(n_events: int, cell_deg: float, budget: int) -> str:
    """The caption beside a density map: why there are cells and what one means."""
    return (
        f"{counted(n_events, 'event passes', 'events pass')} the filters over the "
        f"whole span, more than the {budget:,} the map draws one by one, so it shows "
        "how many of the window's events fall in each "
        f"{format_degrees(cell_deg)} grid cell ({cell_span_text(cell_deg)} from "
        "south to north): the darker the cell, the more events. Hover a cell for "
        "its counts. Events without a place are not on the map; the table and the "
        "downloads hold every event."
    )


def density_switch_notice(cell_deg: float) -> str:
    """The caption of a map whose reader switched the density on while the
    events are still drawn one by one: what one cell means. The cells are
    counted on the server (deck.gl's aggregation layers, as Streamlit ships
    them, do not follow the browser's date filter)."""
    return (
        "Density: the window's events are counted per "
        f"{format_degrees(cell_deg)} grid cell ({cell_span_text(cell_deg)} from "
        "south to north): the darker the cell, the more events; hover a cell for "
        "its counts. Bases, their arcs and place halos are still drawn; switch the "
        "density off to see each event. Events without a place are not on the map."
    )


# --- the deck and its legend ------------------------------------------------------


def _corner(index: pd.Series, cell_deg: float) -> np.ndarray:
    return np.round(index.to_numpy(dtype=float) * cell_deg, 6)


def density_records(
    cells: pd.DataFrame, cell_deg: float, thresholds: tuple
) -> list[dict]:
    """One record per cell: south-west corner ``w``/``s``, colour class ``c``,
    tooltip ``t``. Counts are read as whole numbers, so nothing but a number
    from the cells frame reaches the deck."""
    west = _corner(cells["cx"], cell_deg)
    south = _corner(cells["cy"], cell_deg)
    codes = density_classes(cells["events"], thresholds)
    counts = cells[list(COUNT_COLUMNS)].to_dict("records")
    return [
        {
            "w": float(w),
            "s": float(s),
            "c": int(c),
            "t": cell_tooltip(count, cell_deg),
        }
        for w, s, c, count in zip(west, south, codes, counts, strict=True)
    ]


def density_layer(records: list[dict], cell_deg: float, n_classes: int) -> pdk.Layer:
    """The cells as squares on the GPU: each polygon is made in the browser from
    the cell's corner and the (constant) size, so a cell sends two numbers."""
    d = f"{cell_deg:.10g}"
    return inline_layer(
        "PolygonLayer",
        records,
        id=DENSITY_LAYER_ID,
        get_polygon=f"[[w,s],[w+{d},s],[w+{d},s+{d}],[w,s+{d}]]",
        get_fill_color=palette_expression(class_colours(n_classes)),
        filled=True,
        stroked=False,
        pickable=True,
        auto_highlight=True,
    )


def cells_layer(
    cells: pd.DataFrame,
    cell_deg: float,
    scale_max: int | None = None,
    max_cells: int = MAX_CELLS,
) -> pdk.Layer:
    """The layer of :func:`build_density_deck`: ``cells`` merged to at most
    ``max_cells`` (:func:`bound_cells`), coloured on the scale up to
    ``scale_max`` (by default the largest count among them)."""
    cells, cell_deg = bound_cells(cells, cell_deg, max_cells)
    top = int(cells["events"].max()) if len(cells) else 0
    thresholds = density_thresholds(top if scale_max is None else int(scale_max))
    records = density_records(cells, cell_deg, thresholds)
    return density_layer(records, cell_deg, len(thresholds))


def build_density_deck(
    cells: pd.DataFrame,
    cell_deg: float,
    view: Mapping[str, float] = DEFAULT_VIEW,
    basemap: str = ATLAS_BASEMAP,
    scale_max: int | None = None,
    max_cells: int = MAX_CELLS,
) -> pdk.Deck:
    """The map of ``cells`` (``cx``, ``cy``, ``events``, ``attacks``, ``bases``,
    ``context``, as :meth:`EventSource.density` gives them) over the basemap.

    Cells beyond ``max_cells`` are merged first (:func:`bound_cells`); call that
    yourself to know the size drawn. ``scale_max`` sets the top of the colour
    scale (e.g. the largest count over the whole span, so that colours compare
    across steps); by default the largest count among ``cells``. ``view`` and
    ``basemap`` as for :func:`imu_geo.layers.build_deck`.
    """
    layers = basemap_layers(basemap)
    layers.append(cells_layer(cells, cell_deg, scale_max, max_cells))
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{t}"},
        **basemap_deck(basemap),
    )


def density_legend_svg(cell_deg: float, maximum: int) -> str:
    """The legend of a density map as an SVG document: the classes of
    :func:`density_thresholds` for cells of up to ``maximum`` events, with
    their colours, built from numbers only."""
    thresholds = density_thresholds(maximum)
    colours = class_colours(len(thresholds))
    rows = [
        '<text x="4" y="14" font-weight="bold" font-size="12">'
        f"Events per {format_degrees(cell_deg)} cell</text>"
    ]
    y = 32
    for (r, g, b, a), label in zip(
        colours, class_labels(thresholds, maximum), strict=True
    ):
        rows.append(
            f'<rect x="5" y="{y - 11}" width="14" height="12" '
            f'fill="rgba({r},{g},{b},{a / 255:.2f})" stroke="#666" '
            f'stroke-width="0.5"/><text x="26" y="{y}" font-size="12">{label}</text>'
        )
        y += 18
    rows.append(f'<text x="4" y="{y}" font-size="12">no cell: no located event</text>')
    body = "".join(rows)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="230" height="{y + 8}" '
        f'font-family="Helvetica, Arial, sans-serif" fill="#333">{body}</svg>'
    )

"""The map as a picture: PNG and SVG drawn on the server, offline, with matplotlib.

The picture shows what the Map page shows for the same data and the same
:class:`~imu_geo.filters.FilterSpec`, drawn the way :mod:`imu_geo.layers` draws
it: attacks coloured by type (Okabe-Ito) and sized by fatalities, hollow when the
date is vague, a halo around a place known only roughly, bases in purple (the
area, or a ring for a town) with arrows to the next base, context in grey. Around
the map: the basemap's countries, admin-1 units and labels (from the dataset's
``regions``), the legend, a title that says in words what is shown (the sentence
the pages show, :func:`imu_geo.filters.describe_counts`), and a credit line.

The projection is a Lambert azimuthal equal-area one centred on the dataset's
places, so that the density shading used for very large selections counts events
per equal area. The extent is the dataset's, not the window's: pictures of two
windows of one dataset line up.

Same inputs, same bytes: no date or software version is written, the SVG's ids
come from a fixed salt, and the fonts are the DejaVu fonts matplotlib ships.
Nothing here imports Streamlit or pyplot; every figure is a plain
:class:`matplotlib.figure.Figure` on the Agg canvas.
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

# matplotlib is imported where a picture is drawn, not with this module: the
# pages import it, and most page views never draw a picture.
if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath

    from imu_geo.engine.source import Selection

from imu_geo.filters import FilterSpec, describe_counts, month_label
from imu_geo.layers import (
    ATTACK_COLOURS,
    BASE_COLOUR,
    BASEMAP_TOLERANCE_DEG,
    CONTEXT_COLOUR,
    DISPLAY_TOLERANCE_DEG,
    HALO_COLOUR,
    HALO_RADIUS_M,
    HOLLOW_ALPHA,
    LEVEL_STYLE,
    MARK_COLUMNS,
    PRECISE_DATES,
    SOLID_ALPHA,
    Colour,
    MapOptions,
    label_records,
    marker_radius,
    relocation_pairs,
)
from imu_geo.schema import CREDITS, SOURCE_CITATION

FORMATS = ("png", "svg")
ALL_LAYERS = MapOptions()  # arcs and halos on, as the map opens
DPI = 100
PICTURE_SIZE = (1280, 800)
FONT = "DejaVu Sans"
# Matplotlib settings that change the bytes written. The lock makes drawing and
# saving with them one at a time: rcParams are global to the process.
RC = {
    "font.family": FONT,
    "svg.fonttype": "none",  # SVG text stays text, findable and editable
    "svg.hashsalt": "imu-geo",  # fixed ids in the SVG
    "path.simplify": True,
}
DRAWING_LOCK = threading.RLock()

# Page layout in pixels.
HEADER_PX = 74
FOOTER_PX = 42
LEGEND_PX = 290
MARGIN_PX = 14
EXTENT_PAD = 0.06
MIN_EXTENT_M = 600_000
# The TextLayer's largest label on the map, in pixels; smaller ones stay small.
LABEL_MAX_PX = 16
LABEL_MIN_PX = 7
# Above this many events with a place, dots only cover each other: the picture
# shades the density of events instead (see the legend's note).
DENSITY_LIMIT = 20_000
DENSITY_HEXAGONS = 70

INK = "#333333"
MUTED = "#666666"
FRAME = "#bbbbbb"


def _rgba(colour: Colour, alpha: float = 255) -> tuple[float, float, float, float]:
    """An 8-bit colour and alpha (0-255) as matplotlib's 0-1 floats."""
    return (colour[0] / 255, colour[1] / 255, colour[2] / 255, alpha / 255)


def _pt(pixels: float) -> float:
    """Pixels at :data:`DPI` as points, matplotlib's unit for sizes and widths."""
    return pixels * 72 / DPI


def _text(target, x: float, y: float, text: str, **style):
    """Text on an axes or a figure, shown as written: matplotlib would read a
    pair of ``$`` in a title or a file name as mathematics."""
    return target.text(x, y, text, parse_math=False, **style)


def _marker_area(radius_px: float) -> float:
    """A scatter marker's area (points squared) for a dot of ``radius_px``."""
    return (2 * _pt(radius_px)) ** 2


# --- what the picture says ------------------------------------------------------


@dataclass(frozen=True)
class PictureText:
    """The words around the map: a heading, and the credit line's two lines.

    ``heading`` names what is mapped ("The IMU"); the window and filters are added
    to it. ``source`` names where the events come from; ``credits`` the boundaries
    and place coordinates.
    """

    heading: str
    source: str
    credits: str = CREDITS


# A picture's heading and credits for each kind of data on screen, with the
# data's ``{name}`` and the atlas's ``{source}``.
PICTURE_TEXTS: dict[str, tuple[str, str]] = {
    "atlas": ("The Islamic Movement of Uzbekistan", "Source: {source}"),
    "folder": (
        "Events",
        "Events from the data folder “{name}”; each row's source is in its "
        "source column.",
    ),
    "upload": ("Events", "Events from the file {name}; each row's source is in it."),
    "both": (
        "The IMU atlas and your events",
        "Events from the file {name}, and the atlas's from {source}",
    ),
}


def picture_text(kind: str, name: str = "") -> PictureText:
    """The heading and credits for the data on screen.

    ``kind`` is ``atlas`` (the curated atlas), ``folder`` (another data folder,
    ``name`` its name), ``upload`` (a user's file, ``name`` its file name) or
    ``both`` (the atlas with a file on top).
    """
    if kind in PICTURE_TEXTS:
        title, credit = PICTURE_TEXTS[kind]
        return PictureText(title, credit.format(name=name, source=SOURCE_CITATION))
    raise ValueError(f"unknown kind of data: {kind}")


def window_words(spec: FilterSpec) -> str:
    """``Jan 1999 to Dec 2004``, or ``up to Dec 2004`` in cumulative mode."""
    if spec.mode == "cumulative":
        return f"up to {month_label(spec.end)}"
    first, last = month_label(spec.start), month_label(spec.end)
    return first if first == last else f"{first} to {last}"


def layer_counts_of(selected: pd.DataFrame) -> dict[str, int]:
    """Events per layer, for :func:`~imu_geo.filters.describe_counts`."""
    return {str(k): int(v) for k, v in selected["layer"].value_counts().items()}


def title_lines(
    heading: str, spec: FilterSpec, total: int, counts: Mapping[str, int]
) -> tuple[str, str]:
    """The title: the heading with the window, then the pages' sentence.

    Example: ``The Islamic Movement of Uzbekistan, Jan 1999 to Dec 2004`` and
    ``28 events — 11 attacks, 5 bases, 12 context — from Jan 1999 to Dec 2004``.
    """
    return f"{heading}, {window_words(spec)}", describe_counts(total, counts, spec)


# --- the basemap, projected once --------------------------------------------------


@dataclass
class Basemap:
    """Everything of a dataset's map that does not depend on the selection.

    Built once per dataset (:func:`build_basemap`) and reused for every picture
    and every frame of an animation.
    """

    crs: str
    extent: tuple[float, float, float, float]  # x0, x1, y0, y1 in metres
    # Per level, the projected outlines of its regions (shapely geometries).
    region_shapes: dict[str, list] = field(repr=False)
    labels: list[tuple[float, float, str, float, tuple]]  # x, y, text, metres, rgba
    # place_id -> projected area outline (a shapely geometry).
    area_shapes: dict[str, object] = field(repr=False)
    transformer: Transformer = field(repr=False)

    @cached_property
    def region_paths(self) -> dict[str, list[MplPath]]:
        """:attr:`region_shapes` as matplotlib paths, made when first drawn."""
        return {
            level: [_path(geometry) for geometry in shapes]
            for level, shapes in self.region_shapes.items()
        }

    @cached_property
    def areas(self) -> dict[str, MplPath]:
        """:attr:`area_shapes` as matplotlib paths, made when first drawn."""
        return {place: _path(shape) for place, shape in self.area_shapes.items()}

    def project(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Longitudes and latitudes (degrees) as the picture's x, y (metres)."""
        x, y = self.transformer.transform(
            np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        )
        return np.asarray(x), np.asarray(y)


def projection_for(bounds: Iterable[float]) -> str:
    """A Lambert azimuthal equal-area projection centred on ``bounds``
    (``lon0, lat0, lon1, lat1``), as a PROJ string."""
    lon0, lat0, lon1, lat1 = bounds
    lon_c = round((lon0 + lon1) / 2, 2)
    lat_c = round((lat0 + lat1) / 2, 2)
    return f"+proj=laea +lat_0={lat_c} +lon_0={lon_c} +datum=WGS84 +units=m +no_defs"


def _path(geometry) -> MplPath:
    """A (Multi)Polygon as one compound path: each ring closed, holes included."""
    from matplotlib.path import Path as MplPath

    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    parts = getattr(geometry, "geoms", [geometry])
    for part in parts:
        if part.is_empty or part.geom_type != "Polygon":
            continue
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _padded_extent(bounds: np.ndarray) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in bounds)
    width = max(x1 - x0, MIN_EXTENT_M)
    height = max(y1 - y0, MIN_EXTENT_M)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = width * (1 + 2 * EXTENT_PAD), height * (1 + 2 * EXTENT_PAD)
    return (cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)


def build_basemap(
    regions: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    points: pd.DataFrame | None = None,
) -> Basemap:
    """Project the regions, their labels and the places' areas for drawing.

    The extent is the bounding box of the dataset's places (every place its events
    use) and of ``points``, the events' own points when given (a frame with
    ``lat`` and ``lon``, such as the dataset's events), padded: the same for every
    window, so pictures of one dataset line up.
    """
    places = places.to_crs("EPSG:4326")
    located = places[~places.geometry.is_empty & places.geometry.notna()]
    boxes = [located.total_bounds] if len(located) else []
    if points is not None and len(points):
        lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(float)
        finite = np.isfinite(lat) & np.isfinite(lon)
        if finite.any():
            lon, lat = lon[finite], lat[finite]
            boxes.append(np.array([lon.min(), lat.min(), lon.max(), lat.max()]))
    if boxes:
        stacked = np.vstack(boxes)
        bounds = np.array(
            [
                stacked[:, 0].min(),
                stacked[:, 1].min(),
                stacked[:, 2].max(),
                stacked[:, 3].max(),
            ]
        )
    else:
        bounds = regions.to_crs("EPSG:4326").total_bounds
    crs = projection_for(bounds)
    transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    order = {"country": 0, "admin1": 1, "valley": 2}
    ordered = regions.to_crs("EPSG:4326")
    ordered = ordered.assign(_order=ordered["level"].map(order)).sort_values(
        ["_order", "region_id"]
    )
    simplified = ordered.geometry.simplify(
        BASEMAP_TOLERANCE_DEG, preserve_topology=True
    )
    projected = gpd.GeoSeries(simplified, crs="EPSG:4326").to_crs(crs)
    region_shapes: dict[str, list] = {level: [] for level in LEVEL_STYLE}
    for level, geometry in zip(ordered["level"], projected, strict=True):
        if level in region_shapes:
            region_shapes[level].append(geometry)

    # The labels the map's static basemap shows (layers.label_records): size
    # in metres, colour with alpha.
    labels = []
    for record in label_records(ordered):
        x, y = transformer.transform(record["lon"], record["lat"])
        colour = record["colour"]
        labels.append(
            (
                float(x),
                float(y),
                record["name"],
                float(record["size"]),
                _rgba(colour[:3], colour[3]),
            )
        )

    areas = {}
    polygons = located[located.geom_type.isin(["Polygon", "MultiPolygon"])]
    if len(polygons):
        outlines = polygons.geometry.simplify(
            DISPLAY_TOLERANCE_DEG, preserve_topology=True
        ).to_crs(crs)
        areas = dict(zip(polygons["place_id"], outlines, strict=True))
    x0, y0, x1, y1 = (
        located.to_crs(crs).total_bounds if len(located) else (projected.total_bounds)
    )
    return Basemap(
        crs=crs,
        extent=_padded_extent(np.array([x0, y0, x1, y1])),
        region_shapes=region_shapes,
        labels=labels,
        area_shapes=areas,
        transformer=transformer,
    )


# --- the figure -----------------------------------------------------------------


@dataclass
class Scene:
    """A figure with the basemap, title, legend and credits drawn, ready for events.

    ``map_axes`` holds the map in projected metres; the events drawn on it by
    :func:`draw_events` can be removed again, so an animation draws the rest once.
    """

    figure: Figure
    map_axes: object
    legend_axes: object
    basemap: Basemap
    size: tuple[int, int]


def _fitted_limits(
    extent: tuple[float, float, float, float], width_px: float, height_px: float
) -> tuple[float, float, float, float]:
    """The extent grown along one axis so that one metre is as wide as it is tall."""
    x0, x1, y0, y1 = extent
    scale = max((x1 - x0) / width_px, (y1 - y0) / height_px)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = scale * width_px / 2, scale * height_px / 2
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


def metres_per_pixel(scene: Scene) -> float:
    """The map's scale: how many metres one pixel of the picture spans."""
    x0, x1 = scene.map_axes.get_xlim()
    return (x1 - x0) / (scene.map_axes.get_position().width * scene.size[0])


def _draw_regions(axes, basemap: Basemap) -> None:
    from matplotlib.collections import PathCollection

    for level in ("country", "admin1", "valley"):
        paths = basemap.region_paths.get(level) or []
        if not paths:
            continue
        style = LEVEL_STYLE[level]
        axes.add_collection(
            PathCollection(
                paths,
                facecolors=[_rgba(style["fill"][:3], style["fill"][3])],
                edgecolors=[_rgba(style["line"][:3], style["line"][3])],
                linewidths=_pt(style["width"]),
                zorder=1,
            )
        )


def _draw_labels(axes, basemap: Basemap, metres_px: float) -> None:
    # Sizes in metres become pixels at the picture's scale, at most as large as
    # on the map; names that would be too small to read are left out.
    for x, y, name, size_m, colour in basemap.labels:
        size_px = min(size_m / metres_px, LABEL_MAX_PX)
        if size_px < LABEL_MIN_PX:
            continue
        _text(
            axes,
            x,
            y,
            name,
            fontsize=_pt(size_px),
            color=colour,
            ha="center",
            va="center",
            fontfamily=FONT,
            fontweight="bold" if size_px >= LABEL_MAX_PX else "normal",
            zorder=2,
            clip_on=True,
        )


def new_scene(
    basemap: Basemap,
    title: tuple[str, str],
    text: PictureText,
    size: tuple[int, int] = PICTURE_SIZE,
) -> Scene:
    """A figure with the basemap, labels, title and credits, and an empty panel
    for the legend (:func:`draw_legend`, once the events are known)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    width, height = size
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    map_w = width - LEGEND_PX - 2 * MARGIN_PX
    map_h = height - HEADER_PX - FOOTER_PX
    map_axes = figure.add_axes(
        (MARGIN_PX / width, FOOTER_PX / height, map_w / width, map_h / height)
    )
    map_axes.set_axis_off()
    x0, x1, y0, y1 = _fitted_limits(basemap.extent, map_w, map_h)
    map_axes.set_xlim(x0, x1)
    map_axes.set_ylim(y0, y1)
    map_axes.set_autoscale_on(False)
    figure.patches.append(
        Rectangle(
            (MARGIN_PX / width, FOOTER_PX / height),
            map_w / width,
            map_h / height,
            transform=figure.transFigure,
            fill=False,
            edgecolor=FRAME,
            linewidth=_pt(1),
            zorder=5,
        )
    )
    _draw_regions(map_axes, basemap)
    _draw_labels(map_axes, basemap, (x1 - x0) / map_w)

    first, second = title
    _text(
        figure,
        MARGIN_PX / width,
        1 - 14 / height,
        first,
        fontsize=15,
        fontweight="bold",
        color=INK,
        va="top",
        fontfamily=FONT,
    )
    _text(
        figure,
        MARGIN_PX / width,
        1 - 46 / height,
        second,
        fontsize=10.5,
        color=INK,
        va="top",
        fontfamily=FONT,
    )
    for line, offset in ((text.source, 25), (text.credits, 10)):
        _text(
            figure,
            MARGIN_PX / width,
            offset / height,
            line,
            fontsize=7.5,
            color=MUTED,
            va="baseline",
            fontfamily=FONT,
        )

    legend_axes = figure.add_axes(
        (
            (width - LEGEND_PX - MARGIN_PX / 2) / width,
            FOOTER_PX / height,
            (LEGEND_PX) / width,
            map_h / height,
        )
    )
    legend_axes.set_axis_off()
    legend_axes.set_xlim(0, LEGEND_PX)
    legend_axes.set_ylim(map_h, 0)
    return Scene(figure, map_axes, legend_axes, basemap, size)


# --- the legend -------------------------------------------------------------------

DENSITY_CMAP = "magma_r"
LEGEND_FONT_PT = 8.5
NOTE_FONT_PT = 7.5
SIZE_EXAMPLES = (0, 10, 50)


def _wrap(text: str, width: int = 50) -> list[str]:
    return textwrap.wrap(text, width) or [""]


class _LegendPen:
    """Writes the legend top to bottom in pixels; markers are drawn together."""

    def __init__(self, axes):
        self.axes = axes
        self.y = 14.0
        self.markers: list[tuple] = []

    def heading(self, label: str) -> None:
        _text(
            self.axes,
            4,
            self.y,
            label,
            fontsize=9.5,
            fontweight="bold",
            color=INK,
            va="center",
        )
        self.y += 20

    def label(self, x: float, y: float, text: str, small: bool = False) -> None:
        _text(
            self.axes,
            x,
            y,
            text,
            fontsize=NOTE_FONT_PT if small else LEGEND_FONT_PT,
            color=MUTED if small else INK,
            va="center",
        )

    def row(self, text: str) -> None:
        self.label(30, self.y, text)
        self.y += 19

    def marker(self, x, y, radius, face, edge="none", width_px=0.0, shape="o"):
        self.markers.append((shape, x, y, _marker_area(radius), face, edge, width_px))

    def dot(self, colour: Colour, text: str, alpha: float, radius: float = 6) -> None:
        self.marker(14, self.y, radius, _rgba(colour, alpha), _rgba(colour), 2)
        self.row(text)

    def note(self, text: str) -> None:
        for line in _wrap(text):
            self.label(4, self.y, line, small=True)
            self.y += 13
        self.y += 4

    def finish(self) -> None:
        for shape in sorted({m[0] for m in self.markers}):
            chosen = [m for m in self.markers if m[0] == shape]
            self.axes.scatter(
                [m[1] for m in chosen],
                [m[2] for m in chosen],
                s=[m[3] for m in chosen],
                facecolors=[m[4] for m in chosen],
                edgecolors=[m[5] for m in chosen],
                linewidths=[_pt(m[6]) for m in chosen],
                marker=shape,
            )


def draw_legend(scene: Scene, density_max: int = 0, notes: Iterable[str] = ()) -> None:
    """The legend in the panel beside the map, in pixels from its top left:
    what :func:`imu_geo.layers.map_legend_svg` says beside the page's map, or the
    key of the density shading when ``density_max`` (its top) is given."""
    from matplotlib import colormaps
    from matplotlib.colors import LogNorm
    from matplotlib.patches import FancyArrowPatch, Rectangle

    axes = scene.legend_axes
    pen = _LegendPen(axes)
    if density_max:
        pen.heading("Events per hexagon")
        cmap = colormaps[DENSITY_CMAP]
        norm = LogNorm(1, max(density_max, 2))
        for value in sorted({1, *_round_steps(density_max)}):
            pen.marker(14, pen.y, 7, cmap(norm(value)), shape="h")
            pen.row(f"{value:,}")
        pen.y += 4
        pen.note(
            "Too many events to draw one by one: each hexagon is shaded by the "
            "number of events in it (log scale). Colours by type and the marks of "
            "uncertainty are drawn for smaller selections."
        )
    else:
        pen.heading("Attacks (colour: type)")
        for event_type, colour in ATTACK_COLOURS.items():
            pen.dot(colour, event_type.replace("_", " "), SOLID_ALPHA)
        pen.y += 2
        pen.heading("Size: people killed (best count)")
        grey = _rgba(CONTEXT_COLOUR, 60), _rgba(CONTEXT_COLOUR)
        for x, killed, text in (
            (14, 0, "none or unknown"),
            (150, 10, "10"),
            (210, 50, "50"),
        ):
            radius = marker_radius(killed)
            pen.marker(x + radius - 5, pen.y + 6, radius, *grey, 1.5)
            pen.label(x + 2 * radius + 1, pen.y + 6, text)
        pen.y += 38
        pen.heading("Bases and context")
        axes.add_patch(
            Rectangle(
                (7, pen.y - 6),
                14,
                12,
                facecolor=_rgba(BASE_COLOUR, 45),
                edgecolor=_rgba(BASE_COLOUR, 220),
                linewidth=_pt(2),
            )
        )
        pen.row("base (an area)")
        pen.marker(14, pen.y, 7, _rgba(BASE_COLOUR, SOLID_ALPHA), _rgba(BASE_COLOUR), 3)
        pen.row("base (a town)")
        axes.add_patch(
            FancyArrowPatch(
                (4, pen.y + 4),
                (24, pen.y + 4),
                connectionstyle="arc3,rad=0.5",
                arrowstyle="-|>,head_length=4,head_width=2.5",
                color=_rgba(BASE_COLOUR, 210),
                linewidth=_pt(2),
            )
        )
        pen.row("the base moved to the next")
        pen.dot(CONTEXT_COLOUR, "context event", SOLID_ALPHA, radius=5)
        pen.y += 2
        pen.heading("How sure")
        pen.dot(CONTEXT_COLOUR, "solid: date to the day or month", SOLID_ALPHA)
        pen.dot(CONTEXT_COLOUR, "hollow: season, year or range", HOLLOW_ALPHA)
        pen.marker(14, pen.y, 11, _rgba(HALO_COLOUR, 22), _rgba(HALO_COLOUR, 110), 1)
        pen.marker(14, pen.y, 3, _rgba(CONTEXT_COLOUR))
        pen.row("halo: place known only roughly")
        pen.label(30, pen.y - 6, "(25 km “near” to 400 km “country”)", small=True)
        pen.y += 14
    for note in notes:
        pen.note(note)
    pen.finish()


def _round_steps(maximum: int) -> list[int]:
    """A few round values from 1 up to ``maximum`` for the density key."""
    steps, value = [], 1
    while value * 10 <= maximum:
        value *= 10
        steps.append(value)
    steps.append(int(maximum))
    return steps


# --- the events -------------------------------------------------------------------

# The event columns a picture reads.
RENDER_COLUMNS: tuple[str, ...] = (
    *MARK_COLUMNS,
    "fatalities_best",
    "lat",
    "lon",
)
DATE_ORDER = ["date_start", "date_end", "event_id"]
# All a picture shaded by density reads: the layer (for the title) and the place.
DENSITY_COLUMNS: tuple[str, ...] = ("layer", "lat", "lon")


def picture_columns(located: int) -> tuple[str, ...]:
    """The columns a picture of events reads, ``located`` of which have a
    point. When so many have one that the picture will shade their density,
    only the layer and the point: at a million events, copying the text
    columns would cost more than the drawing."""
    return DENSITY_COLUMNS if located > DENSITY_LIMIT else RENDER_COLUMNS


def selection_picture_events(rows: Selection) -> pd.DataFrame:
    """The columns a picture reads, of the events an engine selected (the Map
    page's downloads and ``imu-geo render``), as :func:`picture_columns` says."""
    points = rows.frame(["lat", "lon"])
    located = int((points["lat"].notna() & points["lon"].notna()).sum())
    return rows.frame(picture_columns(located)).drop(columns="row_id")


def store_basemap(
    regions: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    bounds: tuple[float, float, float, float] | None,
) -> Basemap:
    """The basemap of a stored dataset: its regions and places, and as far as
    its events' own points reach (the store's ``bounds``: west, south, east,
    north), as :func:`build_basemap` takes them from every event."""
    points = None
    if bounds is not None:
        west, south, east, north = bounds
        points = pd.DataFrame({"lon": [west, east], "lat": [south, north]})
    return build_basemap(regions, places, points)


def _located(selected: pd.DataFrame) -> pd.DataFrame:
    return selected[selected["lat"].notna() & selected["lon"].notna()]


def _alphas(precisions: pd.Series) -> np.ndarray:
    return np.where(precisions.isin(PRECISE_DATES), SOLID_ALPHA, HOLLOW_ALPHA) / 255


def _dots(
    axes,
    basemap: Basemap,
    events: pd.DataFrame,
    colours: np.ndarray,
    radii: np.ndarray,
    line_px: float,
    zorder: float,
):
    """Event dots, the largest drawn first so that small ones stay visible."""
    order = np.argsort(-radii, kind="stable")
    x, y = basemap.project(events["lon"].to_numpy(), events["lat"].to_numpy())
    fill = np.column_stack([colours, _alphas(events["date_precision"])])
    line = np.column_stack([colours, np.ones(len(events))])
    return axes.scatter(
        x[order],
        y[order],
        s=[_marker_area(r) for r in radii[order]],
        facecolors=fill[order],
        edgecolors=line[order],
        linewidths=_pt(line_px),
        zorder=zorder,
    )


def _halos(axes, basemap: Basemap, events: pd.DataFrame):
    """One faint disc per place and precision (as on the map), in metres."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Circle

    radius = events["geo_precision"].map(HALO_RADIUS_M).fillna(0)
    rough = events[radius > 0].assign(_r=radius[radius > 0])
    discs = rough.drop_duplicates(["lon", "lat", "_r"]).sort_values(
        ["lon", "lat", "_r"]
    )
    if discs.empty:
        return None
    x, y = basemap.project(discs["lon"].to_numpy(), discs["lat"].to_numpy())
    patches = [
        Circle((float(a), float(b)), float(r))
        for a, b, r in zip(x, y, discs["_r"], strict=True)
    ]
    return axes.add_collection(
        PatchCollection(
            patches,
            facecolors=[_rgba(HALO_COLOUR, 22)],
            edgecolors=[_rgba(HALO_COLOUR, 110)],
            linewidths=_pt(1),
            zorder=3,
        )
    )


def _bases(axes, basemap: Basemap, bases: pd.DataFrame, arcs: bool) -> list:
    from matplotlib.collections import PathCollection
    from matplotlib.patches import FancyArrowPatch

    artists = []
    in_area = bases["place_id"].isin(list(basemap.areas))
    areas = bases[in_area].drop_duplicates("place_id")
    if len(areas):
        artists.append(
            axes.add_collection(
                PathCollection(
                    [basemap.areas[p] for p in areas["place_id"]],
                    facecolors=[_rgba(BASE_COLOUR, 45)],
                    edgecolors=[_rgba(BASE_COLOUR, 220)],
                    linewidths=_pt(2),
                    zorder=4,
                )
            )
        )
    towns = _located(bases[~in_area])
    if len(towns):
        x, y = basemap.project(towns["lon"].to_numpy(), towns["lat"].to_numpy())
        fill = [_rgba(BASE_COLOUR, a * 255) for a in _alphas(towns["date_precision"])]
        artists.append(
            axes.scatter(
                x,
                y,
                s=_marker_area(11),
                facecolors=fill,
                edgecolors=[_rgba(BASE_COLOUR)],
                linewidths=_pt(3),
                zorder=5,
            )
        )
    if arcs and len(bases) > 1:
        where = bases.set_index("event_id")
        for source, target in relocation_pairs(bases):
            a, b = where.loc[source], where.loc[target]
            if pd.isna(a["lon"]) or pd.isna(b["lon"]):
                continue
            (ax_, bx_), (ay_, by_) = basemap.project(
                [a["lon"], b["lon"]], [a["lat"], b["lat"]]
            )
            artists.append(
                axes.add_patch(
                    FancyArrowPatch(
                        (float(ax_), float(ay_)),
                        (float(bx_), float(by_)),
                        connectionstyle="arc3,rad=-0.25",
                        arrowstyle="-|>,head_length=6,head_width=3.5",
                        color=_rgba(BASE_COLOUR, 210),
                        linewidth=_pt(2),
                        shrinkA=4,
                        shrinkB=6,
                        zorder=6,
                    )
                )
            )
    return artists


def density_count(selected: pd.DataFrame) -> int:
    """How many events of ``selected`` have a place (what the map would draw)."""
    return int((selected["lat"].notna() & selected["lon"].notna()).sum())


def _hexbin_grid(scene: Scene) -> tuple[int, int]:
    x0, x1 = scene.map_axes.get_xlim()
    y0, y1 = scene.map_axes.get_ylim()
    nx = DENSITY_HEXAGONS
    return nx, max(1, round(nx * (y1 - y0) / (x1 - x0) / math.sqrt(3)))


def _hexbin(scene: Scene, located: pd.DataFrame, top: int):
    from matplotlib.colors import LogNorm

    x, y = scene.basemap.project(located["lon"].to_numpy(), located["lat"].to_numpy())
    return scene.map_axes.hexbin(
        x,
        y,
        gridsize=_hexbin_grid(scene),
        extent=_limits(scene),
        mincnt=1,
        norm=LogNorm(1, max(top, 2)),
        cmap=DENSITY_CMAP,
        linewidths=0,
        zorder=3,
    )


def density_max(scene: Scene, selected: pd.DataFrame) -> int:
    """The most events in one hexagon of the density shading of ``selected``:
    the top of the colour scale that an animation keeps for all its frames."""
    located = _located(selected)
    if located.empty:
        return 1
    probe = _hexbin(scene, located, 2)
    counts = probe.get_array()
    probe.remove()
    return int(counts.max()) if counts.size else 1


def _limits(scene: Scene) -> tuple[float, float, float, float]:
    return (*scene.map_axes.get_xlim(), *scene.map_axes.get_ylim())


def draw_events(
    scene: Scene,
    selected: pd.DataFrame,
    options: MapOptions = ALL_LAYERS,
    shade_up_to: int | None = None,
) -> list:
    """Draw ``selected`` on the scene's map; return the artists (to remove later).

    With ``shade_up_to`` every event with a place becomes a count in a hexagon
    instead of a dot, shaded up to that many events (0: up to the fullest
    hexagon of this drawing).
    """
    from matplotlib.colors import LogNorm

    axes = scene.map_axes
    located = _located(selected)
    if shade_up_to is not None:
        if located.empty:
            return []
        shading = _hexbin(scene, located, shade_up_to)
        if not shade_up_to:
            counts = shading.get_array()
            shading.set_norm(LogNorm(1, max(int(counts.max()), 2)))
        return [shading]
    selected = selected.sort_values(DATE_ORDER, kind="stable")
    located = _located(selected)
    artists: list = []
    if options.halos:
        artists.append(_halos(axes, scene.basemap, located[located["layer"] != "base"]))
    artists.extend(
        _bases(
            axes,
            scene.basemap,
            selected[selected["layer"] == "base"],
            options.relocation,
        )
    )
    context = located[located["layer"] == "context"]
    if len(context):
        artists.append(
            _dots(
                axes,
                scene.basemap,
                context,
                np.tile(np.array(CONTEXT_COLOUR) / 255, (len(context), 1)),
                np.full(len(context), 5.0),
                1.5,
                7,
            )
        )
    attacks = located[located["layer"] == "attack"]
    if len(attacks):
        colours = (
            np.array(
                [ATTACK_COLOURS.get(t, CONTEXT_COLOUR) for t in attacks["event_type"]]
            )
            / 255
        )
        radii = np.array([marker_radius(v) for v in attacks["fatalities_best"]])
        artists.append(_dots(axes, scene.basemap, attacks, colours, radii, 2, 8))
    return [a for a in artists if a is not None]


# --- pictures -----------------------------------------------------------------------


def unplaced_note(total: int, located: int) -> list[str]:
    """The legend's note on events the map cannot draw (no place), if any."""
    missing = total - located
    if missing <= 0:
        return []
    return [
        f"{missing:,} of the {total:,} events have no place: they are counted in "
        "the title, not drawn."
    ]


def draw_picture(
    selected: pd.DataFrame,
    spec: FilterSpec,
    basemap: Basemap,
    text: PictureText,
    options: MapOptions = ALL_LAYERS,
    size: tuple[int, int] = PICTURE_SIZE,
) -> Scene:
    """The whole picture of ``selected`` (the events ``spec`` selects)."""
    title = title_lines(text.heading, spec, len(selected), layer_counts_of(selected))
    located = density_count(selected)
    notes = unplaced_note(len(selected), located)
    scene = new_scene(basemap, title, text, size)
    if located > DENSITY_LIMIT:
        (shading,) = draw_events(scene, selected, options, shade_up_to=0)
        draw_legend(scene, int(shading.norm.vmax), notes)
        return scene
    draw_events(scene, selected, options)
    draw_legend(scene, 0, notes)
    return scene


def save(scene: Scene, fmt: str) -> bytes:
    """The scene as PNG or SVG bytes, the same bytes for the same scene."""
    buffer = io.BytesIO()
    if fmt == "png":
        scene.figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    elif fmt == "svg":
        scene.figure.savefig(
            buffer,
            format="svg",
            dpi=DPI,
            metadata={"Date": None, "Creator": "imu-geo"},
        )
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    return buffer.getvalue()


def picture_bytes(
    selected: pd.DataFrame,
    spec: FilterSpec,
    basemap: Basemap,
    text: PictureText,
    fmt: str = "png",
    options: MapOptions = ALL_LAYERS,
    size: tuple[int, int] = PICTURE_SIZE,
) -> bytes:
    """The picture of ``selected`` as PNG or SVG bytes: what *Download map* gives
    and ``imu-geo render`` writes for the same data and filters."""
    import matplotlib

    with DRAWING_LOCK, matplotlib.rc_context(RC):
        return save(draw_picture(selected, spec, basemap, text, options, size), fmt)

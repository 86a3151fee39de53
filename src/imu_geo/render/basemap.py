"""The basemap, projected once: what of a dataset's map does not depend on
the selection.

The projection is a Lambert azimuthal equal-area one centred on the dataset's
places, so that the density shading used for very large selections counts
events per equal area. The extent is the dataset's, not the window's: pictures
of two windows of one dataset line up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

if TYPE_CHECKING:
    from matplotlib.path import Path as MplPath

from imu_geo.layers import (
    BASEMAP_TOLERANCE_DEG,
    DISPLAY_TOLERANCE_DEG,
    LEVEL_STYLE,
    label_records,
)
from imu_geo.render.style import _rgba

__all__ = [
    "EXTENT_PAD",
    "MIN_EXTENT_M",
    "Basemap",
    "build_basemap",
    "projection_for",
    "store_basemap",
]

EXTENT_PAD = 0.06
MIN_EXTENT_M = 600_000
LONLAT = "EPSG:4326"  # longitudes and latitudes in degrees (WGS 84)


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


def _box(x, y) -> np.ndarray:
    """The box (x0, y0, x1, y1) around the points ``x``, ``y``."""
    return np.array([np.min(x), np.min(y), np.max(x), np.max(y)])


def _union(boxes: list[np.ndarray]) -> np.ndarray:
    """The box (x0, y0, x1, y1) around every box of ``boxes``."""
    stacked = np.vstack(boxes)
    return np.array([*stacked[:, :2].min(axis=0), *stacked[:, 2:].max(axis=0)])


def _padded_extent(bounds: np.ndarray) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in bounds)
    width = max(x1 - x0, MIN_EXTENT_M)
    height = max(y1 - y0, MIN_EXTENT_M)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = width * (1 + 2 * EXTENT_PAD), height * (1 + 2 * EXTENT_PAD)
    return (cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)


def store_basemap(
    regions: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    bounds: tuple[float, float, float, float] | None,
) -> Basemap:
    """The basemap of a stored dataset: its regions and places, and as far as
    its events' own points reach (the store's ``bounds``: west, south, east,
    north), as :func:`build_basemap` takes them from every event."""
    if bounds is None:
        return build_basemap(regions, places)
    # The four corners: projected, the two of one diagonal can leave the other
    # two outside their box.
    west, south, east, north = bounds
    corners = pd.DataFrame(
        {"lon": [west, east, east, west], "lat": [south, south, north, north]}
    )
    return build_basemap(regions, places, corners)


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
    places = places.to_crs(LONLAT)
    located = places[~places.geometry.is_empty & places.geometry.notna()]
    boxes = [located.total_bounds] if len(located) else []
    own = None  # the points' longitudes and latitudes, where both are numbers
    if points is not None and len(points):
        lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(float)
        finite = np.isfinite(lat) & np.isfinite(lon)
        if finite.any():
            own = lon[finite], lat[finite]
            boxes.append(_box(*own))
    # Each level's regions in the order of their ids; the levels are drawn one
    # after the other (figure._draw_regions).
    regions = regions.to_crs(LONLAT).sort_values("region_id")
    bounds = _union(boxes) if boxes else regions.total_bounds
    crs = projection_for(bounds)
    transformer = Transformer.from_crs(LONLAT, crs, always_xy=True)

    projected = regions.geometry.simplify(
        BASEMAP_TOLERANCE_DEG, preserve_topology=True
    ).to_crs(crs)
    region_shapes: dict[str, list] = {level: [] for level in LEVEL_STYLE}
    for level, geometry in zip(regions["level"], projected, strict=True):
        if level in region_shapes:
            region_shapes[level].append(geometry)

    # The labels the map's static basemap shows (layers.label_records): size
    # in metres, colour with alpha.
    labels = []
    for record in label_records(regions):
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
    # The extent in metres: around the places and the points, each projected (a
    # box in degrees is not one in metres), or the regions when there are neither.
    extents = [located.to_crs(crs).total_bounds] if len(located) else []
    if own is not None:
        extents.append(_box(*transformer.transform(*own)))
    return Basemap(
        crs=crs,
        extent=_padded_extent(_union(extents) if extents else projected.total_bounds),
        region_shapes=region_shapes,
        labels=labels,
        area_shapes=areas,
        transformer=transformer,
    )

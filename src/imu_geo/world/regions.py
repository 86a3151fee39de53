"""Which regions a dataset needs: the countries and admin-1 units it touches,
in the schema of ``regions.geojson``, and a dataset's regions completed with
the world's where its own do not reach."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from imu_geo.world.files import WORLD_DIR, admin1, countries
from imu_geo.world.points import locate_points

REGION_COLUMNS = ("region_id", "name", "level", "country", "label_lat", "label_lon")


def _codes(countries_: Iterable[str]) -> list[str]:
    codes: set[str] = set()
    for value in countries_:
        if isinstance(value, str):
            codes.update(c.strip().upper() for c in value.split("|") if c.strip())
    return sorted(codes)


def regions_for(
    countries_: Iterable[str], directory: Path = WORLD_DIR
) -> gpd.GeoDataFrame:
    """The countries and their admin-1 units, as ``regions.geojson`` has them.

    Parameters
    ----------
    countries_
        ISO alpha-2 codes (``|``-separated values are split); codes without a
        boundary are skipped. Pass the countries the rows name and those their
        points lie in (:func:`locate_points`), so that every point has a unit.

    Returns
    -------
    geopandas.GeoDataFrame
        ``region_id``, ``name``, ``level`` (``country`` or ``admin1``),
        ``country``, ``label_lat``, ``label_lon`` and geometry (EPSG:4326):
        countries first, then admin-1 units, each sorted by ``region_id``.
    """
    directory = Path(directory)
    codes = _codes(countries_)
    nations = countries(directory)
    units = admin1(directory)
    parts = [
        nations[nations["country"].isin(codes)].sort_values("region_id"),
        units[units["country"].isin(codes)].sort_values("region_id"),
    ]
    # The world's frames are in EPSG:4326 with their outlines in "geometry":
    # their rows concatenated are a GeoDataFrame of both.
    frame = pd.concat([p[[*REGION_COLUMNS, "geometry"]] for p in parts])
    return frame.reset_index(drop=True)


def point_countries(
    lon: Sequence[float],
    lat: Sequence[float],
    stated: Sequence[str] | None = None,
    directory: Path = WORLD_DIR,
) -> set[str]:
    """The countries a set of points lie in (ISO alpha-2), as
    :func:`locate_points` finds them, for many points at once.

    A point that lies in the country ``stated`` for it (a code, or "") is
    counted there with one prepared point-in-polygon test per country; only the
    others (over a border, at sea, of no stated country) are located one by one.
    Repeated points are tested once.
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    codes = "" if stated is None else list(stated)
    frame = pd.DataFrame({"x": x, "y": y, "code": codes})
    # Positions, not labels, are used below, so the index need not be renumbered.
    frame = frame[np.isfinite(x) & np.isfinite(y)].drop_duplicates()
    if frame.empty:
        return set()
    found: set[str] = set()
    rest = np.ones(len(frame), dtype=bool)
    areas = countries(directory).set_index("country")["geometry"].to_dict()
    for code, rows in frame.groupby("code").indices.items():
        if code not in areas:
            continue
        inside = shapely.intersects_xy(
            areas[code], frame["x"].to_numpy()[rows], frame["y"].to_numpy()[rows]
        )
        if inside.any():
            found.add(code)
        rest[rows[inside]] = False
    if rest.any():
        others = frame.loc[rest, ["x", "y"]].drop_duplicates()
        located = locate_points(others["x"], others["y"], directory)
        found |= set(located["country"]) - {""}
    return found


def regions_for_places(
    places: gpd.GeoDataFrame,
    directory: Path = WORLD_DIR,
    points: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """:func:`regions_for` a dataset's places (``places.geojson``'s columns):
    the countries they name (``country``) and those their points lie in (an
    area's representative point), so that every place that lies in a country
    has its units.

    ``points`` adds the events that have their own point and no place: a frame
    with ``lat``, ``lon`` and ``country`` (as :class:`imu_geo.data.Dataset`'s
    events, or an import's), whose countries and the countries its points lie
    in count too. Rows without a point are ignored.
    """
    anchors = places.geometry.representative_point()
    located = locate_points(anchors.x.to_numpy(), anchors.y.to_numpy(), directory)
    codes = [*places["country"], *located["country"]]
    if points is not None and len(points):
        lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(float)
        own = np.isfinite(lat) & np.isfinite(lon)
        stated = (
            points["country"].fillna("").astype("str").to_numpy(object)
            if "country" in points
            else np.full(len(points), "", dtype=object)
        )
        codes += sorted(set(stated[own]))
        codes += sorted(point_countries(lon[own], lat[own], stated[own], directory))
    return regions_for(codes, directory)


def complete_regions(
    regions: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    directory: Path = WORLD_DIR,
    points: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """``regions`` and, for the places that lie in none of its countries, the
    world's countries and admin-1 units where they lie (:func:`regions_for_places`),
    for countries ``regions`` has nothing of.

    So a dataset whose own regions do not reach its places (a folder written with
    the atlas's regions, events in Syria) still has units for them. The world
    files are read only when some place lies outside every country of
    ``regions``. ``points`` as for :func:`regions_for_places`: events with their
    own point, whose points count like places.
    """
    lat = lon = np.array([])
    if points is not None and len(points):
        # Only the columns used: a row mask over every column of a large frame
        # copies them all.
        points = points[[c for c in ("lat", "lon", "country") if c in points]]
        lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(float)
        own_point = np.isfinite(lat) & np.isfinite(lon)
        points, lat, lon = points[own_point], lat[own_point], lon[own_point]
    if places.empty and not lat.size:
        return regions
    own = regions[regions["level"] == "country"]
    anchors = places.geometry.representative_point()
    if own.empty:
        outside = np.ones(len(places), dtype=bool)
        points_outside = np.ones(lat.size, dtype=bool)
    else:
        area = shapely.union_all(own.geometry.to_numpy())
        shapely.prepare(area)
        outside = ~shapely.intersects_xy(area, anchors.x, anchors.y)
        points_outside = ~shapely.intersects_xy(area, lon, lat)
    if not outside.any() and not points_outside.any():
        return regions
    extra = regions_for_places(
        places[outside],
        directory,
        points[points_outside] if lat.size else None,
    )
    covered = set(regions["country"].str.split("|").explode())
    keep = ~extra["country"].isin(covered) & ~extra["region_id"].isin(
        regions["region_id"]
    )
    if not keep.any():
        return regions
    if regions.crs is None:
        # A GeoJSON file's coordinates are WGS 84, as the world's are: the
        # dataset's regions take the world's CRS, said instead of warned.
        # On a copy: setting it would reach the caller's frame through the
        # geometry column the two share.
        regions = regions.copy()
        regions.set_crs(extra.crs, inplace=True)
    # A GeoDataFrame, in the CRS of both.
    return pd.concat([regions, extra[keep]], ignore_index=True)


def regions_feature_collection(regions: gpd.GeoDataFrame) -> dict:
    """:func:`regions_for`'s frame as a GeoJSON FeatureCollection (RFC 7946:
    exterior rings counter-clockwise), for writing ``regions.geojson``."""
    features = []
    for row in regions.itertuples(index=False):
        geometry = shapely.orient_polygons(row.geometry, exterior_cw=False)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    column: getattr(row, column) for column in REGION_COLUMNS
                },
                "geometry": json.loads(shapely.to_geojson(geometry)),
            }
        )
    return {"type": "FeatureCollection", "features": features}

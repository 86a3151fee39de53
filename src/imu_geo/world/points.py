"""Where is a point: the country and admin-1 unit a point lies in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from imu_geo.world.files import WORLD_DIR, _tree, admin1, countries


@dataclass(frozen=True)
class Location:
    """The country (ISO alpha-2) and admin-1 unit a point lies in.

    ``admin1`` and ``admin1_name`` are empty for a point in a country's polygon
    but in none of its simplified units (a sliver along an internal line)."""

    country: str
    admin1: str = ""
    admin1_name: str = ""


def _hits(directory: Path, level: str, rows: np.ndarray, x, y):
    """(positions in ``rows``, unit positions) of each point and unit it lies in
    or on: candidates by bounding box, then the prepared polygons' own test."""
    frame = admin1(directory) if level == "admin1" else countries(directory)
    near_point, unit = _tree(directory, level).query(shapely.points(x[rows], y[rows]))
    geometries = frame.geometry.to_numpy()[unit]
    px, py = x[rows][near_point], y[rows][near_point]
    keep = shapely.intersects_xy(geometries, px, py)
    return near_point[keep], unit[keep]


def locate_points(
    lon: Sequence[float], lat: Sequence[float], directory: Path = WORLD_DIR
) -> pd.DataFrame:
    """The country and admin-1 unit of each point.

    Returns
    -------
    pandas.DataFrame
        One row per point, in order: ``country``, ``admin1``, ``admin1_name``;
        empty strings where the point lies in no unit (the sea, a non-finite
        coordinate). A point on the edge of two units takes the one whose
        ``region_id`` sorts first, so the answer does not depend on order.
    """
    directory = Path(directory)
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    n = x.size
    result = pd.DataFrame(
        {"country": [""] * n, "admin1": [""] * n, "admin1_name": [""] * n}
    )
    finite = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    if not finite.size:
        return result
    units = admin1(directory)
    hit_point, hit_unit = _hits(directory, "admin1", finite, x, y)
    if hit_point.size:
        pairs = pd.DataFrame(
            {
                "point": finite[hit_point],
                "region_id": units["region_id"].to_numpy()[hit_unit],
            }
        ).sort_values(["point", "region_id"])
        first = pairs.drop_duplicates("point")
        info = units.set_index("region_id")
        rows = first["point"].to_numpy()
        ids = first["region_id"].to_numpy()
        result.loc[rows, "admin1"] = ids
        result.loc[rows, "admin1_name"] = info.loc[ids, "name"].to_numpy()
        result.loc[rows, "country"] = info.loc[ids, "country"].to_numpy()
    rest = finite[(result["admin1"].to_numpy()[finite] == "")]
    if rest.size:
        nations = countries(directory)
        hit_point, hit_country = _hits(directory, "country", rest, x, y)
        pairs = pd.DataFrame(
            {
                "point": rest[hit_point],
                "country": nations["country"].to_numpy()[hit_country],
            }
        ).sort_values(["point", "country"])
        first = pairs.drop_duplicates("point")
        result.loc[first["point"].to_numpy(), "country"] = first["country"].to_numpy()
    return result


def locate(lon: float, lat: float, directory: Path = WORLD_DIR) -> Location | None:
    """The :class:`Location` of one point, or None when it lies in no country."""
    row = locate_points([lon], [lat], directory).iloc[0]
    if not row["country"]:
        return None
    return Location(row["country"], row["admin1"], row["admin1_name"])

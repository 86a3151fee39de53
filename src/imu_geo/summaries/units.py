"""How an event finds its unit: the spatial join of places to the units of each
level, and the unit keys the engine and the region filter share.

Events are joined to units through their place, with :func:`geopandas.sjoin`.

- **Point places** (towns, the airport, a district drawn as its headquarters) go
  to the unit they lie in. A point on the edge between two units (or in the
  sliver where two independently simplified units overlap) touches both; it is
  counted once, in the unit whose ``region_id`` sorts first, so the result does
  not depend on row order. A point stands for an area as large as the event's
  ``geo_precision`` says: ``exact``, ``near`` and ``district`` are finer than any
  unit, but a point coded ``province`` is not placed in or out of the valley, and
  one coded ``region`` or ``country`` is not placed in an admin-1 unit
  (:data:`POINT_PRECISION_LIMIT`); such events are counted on a marked row of
  their own, like the coarser areas below.
- **Area places** (provinces, multi-unit regions, countries, the valley) go to a
  unit only when they lie within it: when that unit holds at least
  :data:`WITHIN_SHARE` of the place's area (measured in an equal-area projection;
  the allowance absorbs the slivers of up to about 1 km that simplified
  boundaries leave). A place that is larger than one unit, such as a country in
  the admin-1 table or the Ferghana Valley (Uzbekistan, Kyrgyzstan and Tajikistan)
  in the country table, is coded at a coarser level than the table: its events
  are counted on a row of their own, marked with a ``note``, and never assigned
  to one of the units it overlaps. A province that only overlaps the valley
  (Batken Region, about 1% inside) is such a row in the valley table.
- A place that lies in no unit (a point outside every polygon, an area that
  overlaps none) is counted on one marked "outside" row.
- Events with no place (some context events) are counted on a "no place" row.

So every selected event is counted on exactly one row of every table, and the
``events`` column always adds up to the number of selected events.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from imu_geo.filters import REGION_LEVELS

__all__ = [
    "EQUAL_AREA_CRS",
    "POINT_PLACE_PREFIX",
    "POINT_PRECISION_LIMIT",
    "PRECISION_RANK",
    "SUMMARY_LEVELS",
    "UNIT_KEYS",
    "WITHIN_SHARE",
    "event_units",
    "locate_xy",
    "place_units",
    "point_place_keys",
    "point_units",
    "unit_key_codes",
    "unit_keys",
]

SUMMARY_LEVELS: tuple[str, ...] = REGION_LEVELS

# A unit holding this share of an area place's area contains the place.
WITHIN_SHARE = 0.9
# How coarse an event at a point place may be coded and still be assigned to the
# unit the point lies in, per level (ranks of PRECISION_RANK).
PRECISION_RANK: dict[str, int] = {
    "exact": 0,
    "near": 0,
    "district": 0,
    "province": 1,
    "region": 2,
    "country": 3,
}
POINT_PRECISION_LIMIT: dict[str, int] = {"valley": 0, "admin1": 1, "country": 3}
EQUAL_AREA_CRS = "EPSG:6933"


def _units(regions: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    if level not in SUMMARY_LEVELS:
        raise ValueError(f"level must be one of {', '.join(SUMMARY_LEVELS)}")
    units = regions[regions["level"] == level]
    return units[["region_id", "name", "country", "geometry"]].reset_index(drop=True)


def place_units(
    places: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, level: str
) -> pd.DataFrame:
    """Where each place falls among the units of one level.

    Parameters
    ----------
    places
        Places with ``place_id`` and geometry (EPSG:4326).
    regions
        Regions with ``region_id``, ``name``, ``level``, ``country`` and geometry.
    level
        One of :data:`SUMMARY_LEVELS`.

    Returns
    -------
    pandas.DataFrame
        One row per place: ``place_id``, ``point`` (whether the place is a
        point), ``status`` (``unit`` when the place is in one unit, ``coarser``
        when it is not within one unit but overlaps some, ``outside`` when it is
        in none), ``region_id`` (the unit, for ``unit`` only) and ``share`` (for
        area places: the largest share of the place's area that lies in one
        unit; 1.0 for points in a unit, 0.0 outside). The rules are in the module
        docstring; the event's ``geo_precision`` is applied by :func:`summarise`.
    """
    units = _units(regions, level)
    places = places[["place_id", "geometry"]].reset_index(drop=True)
    is_point = places.geom_type == "Point"

    # Points: the unit they touch; on a shared edge, the first region_id.
    points = gpd.sjoin(
        places[is_point], units[["region_id", "geometry"]], how="left"
    ).sort_values(["place_id", "region_id"], na_position="last")
    points = points.drop_duplicates("place_id")
    point_rows = pd.DataFrame(
        {
            "place_id": points["place_id"],
            "region_id": points["region_id"],
            "share": np.where(points["region_id"].notna(), 1.0, 0.0),
        }
    )

    # Areas: the share of each place's area in each unit it overlaps.
    areas = places[~is_point].to_crs(EQUAL_AREA_CRS)
    projected = units.to_crs(EQUAL_AREA_CRS).set_index("region_id").geometry
    pairs = gpd.sjoin(areas, units[["region_id", "geometry"]].to_crs(EQUAL_AREA_CRS))
    shares = [
        (
            place_id,
            region_id,
            geometry.intersection(projected[region_id]).area / geometry.area,
        )
        for place_id, region_id, geometry in zip(
            pairs["place_id"], pairs["region_id"], pairs.geometry, strict=True
        )
    ]
    # Each place's largest share; of equal ones, the first region_id.
    best = (
        pd.DataFrame(shares, columns=["place_id", "region_id", "share"])
        .sort_values(["share", "region_id"], ascending=[False, True])
        .drop_duplicates("place_id")
    )
    area_rows = areas[["place_id"]].merge(best, on="place_id", how="left")
    area_rows["share"] = area_rows["share"].fillna(0.0)

    result = pd.concat(
        [point_rows.assign(point=True), area_rows.assign(point=False)],
        ignore_index=True,
    )
    result["status"] = np.select(
        [
            result["share"] >= WITHIN_SHARE,
            result["share"] > 0,
        ],
        ["unit", "coarser"],
        default="outside",
    )
    # Only a unit has a region_id (a place in none has none to fill in either).
    result.loc[result["status"] != "unit", "region_id"] = ""
    return (
        result[["place_id", "point", "status", "region_id", "share"]]
        .sort_values("place_id")
        .reset_index(drop=True)
    )


def _has_point(events: pd.DataFrame) -> pd.Series:
    """Events with a latitude and longitude of their own."""
    if "lat" not in events or "lon" not in events:
        return pd.Series(False, index=events.index)
    return events["lat"].notna() & events["lon"].notna()


def locate_xy(x: np.ndarray, y: np.ndarray, units: gpd.GeoDataFrame) -> np.ndarray:
    """For each point (``x``, ``y``), the position in ``units`` of the unit it
    touches, -1 for none; on a shared edge, the unit whose ``region_id`` sorts
    first, as for point places.

    The points are sorted by longitude once; each unit tests only the points in
    its bounding box (found by binary search, then by latitude) with one
    vectorised test of its prepared polygon. That is the same "intersects" a
    spatial join asks, at a cost that grows with the points near each unit
    rather than with the vertices of every polygon a point is tested against.
    """
    found = np.full(x.size, -1, dtype=np.int64)
    if not x.size or units.empty:
        return found
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    geometries = units.geometry.to_numpy()
    shapely.prepare(geometries)
    bounds = shapely.bounds(geometries)
    low = np.searchsorted(xs, bounds[:, 0], "left")
    high = np.searchsorted(xs, bounds[:, 2], "right")
    # Visit the units from the last region_id to the first, so the first one
    # a point touches is written last.
    ranked = np.argsort(units["region_id"].to_numpy(dtype=str), kind="stable")
    for unit in ranked[::-1]:
        if low[unit] >= high[unit]:
            continue
        band = ys[low[unit] : high[unit]]
        near = np.flatnonzero((band >= bounds[unit, 1]) & (band <= bounds[unit, 3]))
        near += low[unit]
        inside = shapely.intersects_xy(geometries[unit], xs[near], ys[near])
        found[order[near[inside]]] = unit
    return found


def point_units(
    lon: pd.Series, lat: pd.Series, regions: gpd.GeoDataFrame, level: str
) -> pd.Series:
    """The unit of ``level`` each point lies in ("" for none); on a shared edge,
    the first ``region_id``, as for point places. Each distinct point is looked
    up once (:func:`locate_xy`)."""
    units = _units(regions, level)
    x = lon.to_numpy(float)
    y = lat.to_numpy(float)
    if units.empty or not x.size:
        return pd.Series("", index=lon.index, dtype=object)
    # One code per distinct point: a complex number holds both coordinates.
    codes, distinct = pd.factorize(x + 1j * y)
    at = locate_xy(distinct.real, distinct.imag, units)
    names = np.append(units["region_id"].to_numpy(dtype=object), "")
    return pd.Series(names[at[codes]], index=lon.index, dtype=object)


UNIT_KEYS: tuple[str, ...] = ("status", "region_id", "_place", "_precision")


def unit_keys(
    events: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
) -> pd.DataFrame:
    """Which row of the ``level`` table each event is counted on.

    Returns one row per event, aligned with ``events``: :data:`UNIT_KEYS`, where
    ``status`` is ``unit``, ``coarser``, ``outside`` or ``no_place``,
    ``region_id`` the unit (for ``unit`` only), and ``_place``/``_precision``
    the place and its coding for a ``coarser`` row. The rules are in the module
    docstring. The engine's store keeps these per event, so a summary is a
    group-by (:func:`summary_table`).

    Events with a named place get their keys from their place and coding, so
    the rules run once per distinct pair of the two (a million events name a
    few thousand); an event with its own point and no place is placed by its
    point (:func:`point_units`).
    """
    if events.empty:
        return pd.DataFrame({key: pd.Series(dtype=object) for key in UNIT_KEYS})
    values, rows = unit_key_codes(events, places, regions, level)
    # Each column as Arrow text taken from its few values, not a million
    # Python strings converted one by one.
    taken = pa.array(rows)
    return pd.DataFrame(
        {
            key: pd.array(
                pa.array(values[key], pa.large_string()).take(taken), dtype="str"
            )
            for key in UNIT_KEYS
        },
        index=events.index,
    )


def unit_key_codes(
    events: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """:func:`unit_keys` as codes: each key's few values, and for each event
    (of a non-empty ``events``) the position of its own in them. The store
    takes its columns from these in its own row order, so that no column of
    a million strings is made in one order and then put in another."""
    place = events["place_id"].fillna("").astype(str)
    precision = events["geo_precision"].fillna("").astype(str)
    place_codes, place_values = pd.factorize(place)
    precision_codes, precision_values = pd.factorize(precision)
    width = max(len(precision_values), 1)
    # Hashed, not sorted: the pairs' order does not matter, only each row's pair.
    codes, pairs = pd.factorize(place_codes.astype(np.int64) * width + precision_codes)
    distinct = pd.DataFrame(
        {
            "place_id": np.asarray(place_values, dtype=object)[pairs // width],
            "geo_precision": np.asarray(precision_values, dtype=object)[pairs % width],
        }
    )
    by_pair = _named_place_keys(distinct, place_units(places, regions, level), level)
    values = {key: by_pair[key].to_numpy(dtype=object) for key in UNIT_KEYS}
    rows = codes.astype(np.int64)

    own_point = (place_codes == _code_of(place_values, "")) & _has_point(
        events
    ).to_numpy(bool)
    if own_point.any():
        # An event with its own coordinates and no named place is a point there.
        at = np.flatnonzero(own_point)
        located = point_units(
            events["lon"].iloc[at], events["lat"].iloc[at], regions, level
        ).to_numpy(dtype=object)
        rank = np.array(
            [PRECISION_RANK.get(p, 0) for p in precision_values], dtype=np.int64
        )
        coded = np.asarray(precision_values, dtype=object)[precision_codes[at]]
        # A point coded coarser than the units stands for more than the point.
        vague = rank[precision_codes[at]] > POINT_PRECISION_LIMIT[level]
        named = np.full(len(at), "", dtype=object)
        if vague.any():
            # Only the columns the key is made of: a row mask over every
            # column of a large frame copies them all.
            columns = [
                c for c in ("place_name", "country", "lat", "lon") if c in events
            ]
            named[vague] = point_place_keys(events[columns].iloc[at[vague]])
        own = {
            "status": np.where(
                vague, "coarser", np.where(located != "", "unit", "outside")
            ),
            "region_id": np.where(vague, "", located),
            "_place": named,
            "_precision": np.where(vague, coded, ""),
        }
        # The point rows' own values follow the pairs' values.
        rows[at] = len(by_pair) + np.arange(len(at))
        values = {
            key: np.concatenate([values[key], own[key].astype(object)])
            for key in UNIT_KEYS
        }
    return values, rows


def _code_of(values: object, value: str) -> int:
    """The position of ``value`` among factorized ``values``, -2 when absent
    (never a code)."""
    matches = np.flatnonzero(np.asarray(values, dtype=object) == value)
    return int(matches[0]) if len(matches) else -2


def _named_place_keys(
    frame: pd.DataFrame, assignment: pd.DataFrame, level: str
) -> pd.DataFrame:
    """:data:`UNIT_KEYS` for distinct pairs of ``place_id`` and ``geo_precision``
    (text, "" for none), as events without a point of their own get them."""
    frame = frame.merge(assignment, on="place_id", how="left")
    no_place = frame["place_id"] == ""
    frame.loc[no_place, "status"] = "no_place"
    frame["status"] = frame["status"].fillna("outside")
    frame["region_id"] = frame["region_id"].fillna("")
    # A point coded coarser than the units stands for more than the point. A
    # place the places table lacks (left empty by the merge) is no point.
    vague_point = frame["point"].eq(True) & (
        frame["geo_precision"].map(PRECISION_RANK).fillna(0)
        > POINT_PRECISION_LIMIT[level]
    )
    frame.loc[vague_point, "status"] = "coarser"
    frame.loc[vague_point, "region_id"] = ""
    # One group per unit, per coarser place and precision, and one each for
    # outside and no place.
    coarser = frame["status"] == "coarser"
    frame["_place"] = np.where(coarser, frame["place_id"], "")
    frame["_precision"] = np.where(coarser, frame["geo_precision"], "")
    return frame[list(UNIT_KEYS)].astype(object)


# The key of an event's own point in the region tables: one per name, country
# and point, as the importer made a place of each before. No place_id starts so.
POINT_PLACE_PREFIX = "\x00point\x1f"
_POINT_SEPARATOR = "\x1f"


def point_place_keys(events: pd.DataFrame) -> list[str]:
    """For events with their own point, the key that names their point place:
    the prefix, the source's name for the point, its country and its
    coordinates. Stable, so a store can keep it."""

    def text(column: str) -> list[str]:
        if column not in events:
            return [""] * len(events)
        return events[column].fillna("").astype(str).tolist()

    return [
        f"{POINT_PLACE_PREFIX}{name}{_POINT_SEPARATOR}{country}"
        f"{_POINT_SEPARATOR}{lat!r},{lon!r}"
        for name, country, lat, lon in zip(
            text("place_name"),
            text("country"),
            events["lat"].to_numpy(float).tolist(),
            events["lon"].to_numpy(float).tolist(),
            strict=True,
        )
    ]


def _point_place(key: str) -> tuple[str, str]:
    """The name and country a point place key holds."""
    name, country, _ = key.removeprefix(POINT_PLACE_PREFIX).split(_POINT_SEPARATOR)
    return name, country


def event_units(
    events: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
) -> pd.Series:
    """The unit of ``level`` each event is counted in ("" when its row of the
    table is not a unit), aligned with ``events``: what a region filter
    (:attr:`imu_geo.filters.FilterSpec.region`) keeps, from the events alone."""
    keys = unit_keys(events, places, regions, level)
    found = keys["region_id"].where(keys["status"] == "unit", "")
    return pd.Series(found.to_numpy(), index=events.index, dtype=object)

"""Region summaries: what happened in each country, admin-1 unit and the valley.

One table per level of ``regions.geojson`` (``country``, ``admin1``, ``valley``),
one row per unit that has events in the selection, with counts by layer, fatality
sums and the first and last date. The dashboard's Regions page and
``imu-geo summary`` print the same tables, built here.

How an event finds its unit
---------------------------
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

from collections.abc import Mapping
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pydeck as pdk
import shapely

from imu_geo.filters import REGION_LEVELS
from imu_geo.layers import (
    ATLAS_BASEMAP,
    DEFAULT_VIEW,
    LAYER_IDS,
    TOOLTIP_PLACE_CHARS,
    CompactDeck,
    Coordinates,
    basemap_deck,
    basemap_layers,
    inline_layer,
    polygon_rings,
)
from imu_geo.text import plain

SUMMARY_LEVELS: tuple[str, ...] = REGION_LEVELS
LEVEL_LABELS: dict[str, str] = {
    "country": "Countries",
    "admin1": "Provinces (admin-1)",
    "valley": "Ferghana Valley",
}
# What a unit of each level is called in a sentence, one and several.
UNIT_NOUNS: dict[str, tuple[str, str]] = {
    "country": ("country", "countries"),
    "admin1": ("admin-1 unit", "admin-1 units"),
    "valley": ("valley", "the valley"),
}
OUTSIDE_LABELS: dict[str, str] = {
    "country": "Outside the mapped countries",
    "admin1": "Outside the mapped admin-1 units",
    "valley": "Outside the valley",
}
OUTSIDE_NOTES: dict[str, str] = {
    "country": "the place lies in none of the mapped countries",
    "admin1": "the place lies in none of the mapped admin-1 units",
    "valley": "the place does not lie in the valley",
}
NO_PLACE_LABEL = "No place"
# The measures a choropleth can show, with the words for them.
MEASURES: dict[str, str] = {
    "events": "Events",
    "attacks": "Attacks",
    "killed": "Killed (best estimate, else low figure)",
    "bases": "Bases active",
    "context": "Context events",
}
SUMMARY_COLUMNS: tuple[str, ...] = (
    "region_id",
    "region",
    "level",
    "coded_at",
    "country",
    "events",
    "attacks",
    "killed",
    "killed_low_only",
    "events_best",
    "events_low_only",
    "events_no_figure",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "bases",
    "context",
    "first_event",
    "last_event",
    "note",
)
COUNT_COLUMNS: tuple[str, ...] = ("events", "attacks", "bases", "context")
FATALITY_SUMS: tuple[str, ...] = (
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
)
# What a total of the killed counts, per row. The three sums above run over
# different events (each over those that give that figure), so side by side
# they can read as a contradiction ("at least 23, best 16"). ``killed`` adds up
# one figure per event, the best estimate where the source gives one and else
# its low figure; ``killed_low_only`` is the part of it from low figures
# (``killed`` = ``fatalities_best`` + ``killed_low_only``). The events are
# counted by which figure they give: a best estimate, only a low figure, or
# neither (an upper bound alone adds nothing).
KILLED_SUMS: tuple[str, ...] = ("killed", "killed_low_only")
FIGURE_COUNTS: tuple[str, ...] = ("events_best", "events_low_only", "events_no_figure")
# Every count and every sum of a group, as the engine and pandas give them.
GROUP_COUNTS: tuple[str, ...] = COUNT_COLUMNS + FIGURE_COUNTS
GROUP_SUMS: tuple[str, ...] = FATALITY_SUMS + KILLED_SUMS

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
# Coarser codings first in the marked rows: finest (province) to coarsest.
_PRECISION_ORDER = {"province": 0, "region": 1, "country": 2}
_KIND_ORDER = {"unit": 0, "coarser": 1, "outside": 2, "no_place": 3}

DISPLAY_TOLERANCE_DEG = 0.02
CHOROPLETH_LAYER_ID = "region-choropleth"
# ColorBrewer YlOrRd (Brewer & Harrower), five classes: light yellow for few, dark
# red for many. ColorBrewer rates it colour-blind safe; its lightness falls
# steadily, so it also reads in greyscale, and it stays clear of the basemap's
# grey land and green valley.
SEQUENTIAL_STOPS: tuple[tuple[int, int, int], ...] = (
    (255, 255, 178),
    (254, 204, 92),
    (253, 141, 60),
    (240, 59, 32),
    (189, 0, 38),
)
CHOROPLETH_ALPHA = 190


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
            "region_id": points["region_id"].fillna(""),
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
    best = (
        pd.DataFrame(shares, columns=["place_id", "region_id", "share"])
        .sort_values(["place_id", "share", "region_id"], ascending=[True, False, True])
        .drop_duplicates("place_id")
    )
    area_rows = areas[["place_id"]].merge(best, on="place_id", how="left")
    area_rows["share"] = area_rows["share"].fillna(0.0)
    area_rows["region_id"] = area_rows["region_id"].fillna("")

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


def _percent(share: float) -> str:
    return "under 1%" if 0 < share < 0.005 else f"{share:.0%}"


def _aggregate(events: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts, fatality sums and dates per group of ``keys``."""
    layer = events["layer"]
    best = events["fatalities_best"].astype("Int64")
    low = events["fatalities_low"].astype("Int64")
    low_only = best.isna() & low.notna()
    frame = events[keys].assign(
        events=1,
        attacks=(layer == "attack").astype(int),
        bases=(layer == "base").astype(int),
        context=(layer == "context").astype(int),
        events_best=best.notna().astype(int),
        events_low_only=low_only.astype(int),
        events_no_figure=(best.isna() & low.isna()).astype(int),
        date_start=events["date_start"],
        date_end=events["date_end"],
        **{column: events[column].astype("Int64") for column in FATALITY_SUMS},
        killed=best.fillna(low),
        killed_low_only=low.where(low_only),
    )
    grouped = frame.groupby(keys, sort=False, dropna=False)
    table = grouped[list(GROUP_COUNTS)].sum()
    for column in GROUP_SUMS:
        # Unknowns are skipped; a row where no event gives a figure stays unknown.
        table[column] = grouped[column].sum(min_count=1).astype("Int64")
    table["first_event"] = grouped["date_start"].min().dt.date
    table["last_event"] = grouped["date_end"].max().dt.date
    return table.reset_index()


def _empty_summary() -> pd.DataFrame:
    frame = pd.DataFrame(
        {column: pd.Series(dtype=object) for column in SUMMARY_COLUMNS}
    )
    for column in GROUP_COUNTS:
        frame[column] = frame[column].astype("int64")
    for column in GROUP_SUMS:
        frame[column] = frame[column].astype("Int64")
    return frame


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
    place = events["place_id"].fillna("").astype(str)
    precision = events["geo_precision"].fillna("").astype(str)
    place_codes, place_values = pd.factorize(place)
    precision_codes, precision_values = pd.factorize(precision)
    width = max(len(precision_values), 1)
    pairs, codes = np.unique(
        place_codes.astype(np.int64) * width + precision_codes, return_inverse=True
    )
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
    frame["point"] = frame["point"].fillna(False).astype(bool)
    # A point coded coarser than the units stands for more than the point.
    vague_point = frame["point"] & (
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


def summarise(
    events: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
) -> pd.DataFrame:
    """The region table of one level for a selection of events.

    Parameters
    ----------
    events
        The selected events (typed as :class:`imu_geo.data.Dataset` has them).
    places, regions
        The dataset's places and regions.
    level
        ``country``, ``admin1`` or ``valley``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`. First one row per unit with events
        (``region_id`` set, ``coded_at`` equal to ``level``, empty ``note``),
        sorted by ``region_id``; then the marked rows, each with a ``note`` saying
        why it is not a unit: one per place coded coarser than the units
        (``coded_at`` is its ``geo_precision``), one for places outside every unit
        and one for events with no place. ``events``, ``attacks``, ``bases`` and
        ``context`` are counts; ``fatalities_*`` are sums over the events that
        give that figure, empty when none does (empty means unknown, not zero),
        so each runs over its own events; ``killed`` sums one figure per event
        (the best estimate, else the low figure) and ``killed_low_only`` the
        low figures in it; ``events_best``, ``events_low_only`` and
        ``events_no_figure`` count the events by the figure they give
        (:data:`KILLED_SUMS`, :data:`FIGURE_COUNTS`);
        ``first_event`` is the earliest ``date_start`` and ``last_event`` the
        latest ``date_end`` of the row's events, as dates. Every event is on
        exactly one row.
    """
    _units(regions, level)
    if events.empty:
        return _empty_summary()
    keys = unit_keys(events, places, regions, level)
    frame = events.assign(**{key: keys[key].to_numpy() for key in UNIT_KEYS})
    return summary_table(_aggregate(frame, list(UNIT_KEYS)), places, regions, level)


def summary_table(
    table: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
) -> pd.DataFrame:
    """The region table from the selection's counts per :data:`UNIT_KEYS` group.

    ``table`` has the keys, :data:`GROUP_COUNTS`, :data:`GROUP_SUMS` and
    ``first_event``/``last_event`` (dates), one row per group, as
    :func:`_aggregate` or the engine's group-by gives them.
    """
    units = _units(regions, level)
    if table.empty:
        return _empty_summary()
    names = places.set_index("place_id")["name"]
    place_country = places.set_index("place_id")["country"]
    coarse = places[places["place_id"].isin(table["_place"])]
    assignment = (
        place_units(coarse, regions, level).set_index("place_id")
        if len(coarse)
        else pd.DataFrame(columns=["share", "point"])
    )
    shares = assignment["share"]
    is_point = assignment["point"]

    unit_info = units.set_index("region_id")
    noun = UNIT_NOUNS[level][0]
    rows = []
    for record in table.to_dict("records"):
        status = record["status"]
        row = {"region_id": "", "level": level, "coded_at": "", "country": ""}
        if status == "unit":
            unit = unit_info.loc[record["region_id"]]
            row |= {
                "region_id": record["region_id"],
                "region": unit["name"],
                "coded_at": level,
                "country": unit["country"],
                "note": "",
            }
        elif status == "coarser" and record["_place"].startswith(POINT_PLACE_PREFIX):
            # Events at a point of their own, coded coarser than the units.
            precision = record["_precision"]
            name, country = _point_place(record["_place"])
            where = "the point stands for a wider area" + (
                ", so its events are not assigned to it"
                if level == "valley"
                else ", so its events are not assigned to one"
            )
            row |= {
                "region": name or f"A point coded at {precision} level",
                "coded_at": precision,
                "country": country,
                "note": f"coded at {precision} level: {where}",
            }
        elif status == "coarser":
            place = record["_place"]
            precision = record["_precision"]
            share = _percent(float(shares[place]))
            if is_point[place]:
                where = "the point stands for a wider area"
            elif level == "valley":
                where = f"only {share} of the place lies in the valley"
            else:
                where = f"at most {share} of the place lies in any one {noun}"
            where += (
                ", so its events are not assigned to it"
                if level == "valley"
                else ", so its events are not assigned to one"
            )
            row |= {
                "region": names.get(place, place),
                "coded_at": precision,
                "country": place_country.get(place, ""),
                "note": f"coded at {precision} level: {where}",
            }
        elif status == "outside":
            row |= {"region": OUTSIDE_LABELS[level], "note": OUTSIDE_NOTES[level]}
        else:
            row |= {
                "region": NO_PLACE_LABEL,
                "note": "the source gives no place for these events",
            }
        rows.append(
            row
            | {column: record[column] for column in GROUP_COUNTS + GROUP_SUMS}
            | {
                "first_event": record["first_event"],
                "last_event": record["last_event"],
                "_order": (
                    _KIND_ORDER[status],
                    _PRECISION_ORDER.get(row["coded_at"], 9)
                    if status == "coarser"
                    else 0,
                    row["region_id"],
                    row["region"],
                ),
            }
        )
    rows.sort(key=lambda r: r.pop("_order"))
    summary = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for column in GROUP_COUNTS:
        summary[column] = summary[column].astype("int64")
    for column in GROUP_SUMS:
        summary[column] = summary[column].astype("Int64")
    return summary


def totals_line(summary: pd.DataFrame, level: str) -> str:
    """Say where the events of a table went, so that none is silently lost.

    Example: ``12 events: 7 in 3 countries, 4 coded at a coarser level, 1 with
    no place.``
    """
    if summary.empty:
        return "0 events."
    units = summary[summary["region_id"] != ""]
    marked = summary[summary["region_id"] == ""]
    total = int(summary["events"].sum())
    singular, plural = UNIT_NOUNS[level]
    in_units = int(units["events"].sum())
    where = plural if level == "valley" else _count(len(units), singular, plural)
    parts = [f"{in_units:,} in {where}"]
    for label, wanted in (
        ("coded at a coarser level", marked["coded_at"] != ""),
        ("outside", marked["region"] == OUTSIDE_LABELS[level]),
        ("with no place", marked["region"] == NO_PLACE_LABEL),
    ):
        n = int(marked.loc[wanted, "events"].sum())
        if n:
            parts.append(f"{n:,} {label}")
    word = "event" if total == 1 else "events"
    return f"{total:,} {word}: " + ", ".join(parts) + "."


def _events(n: int) -> str:
    return f"{n:,} event" if n == 1 else f"{n:,} events"


def killed_line(summary: pd.DataFrame) -> str:
    """Say what the table's killed add up to, and from which figures.

    Every event is on one row, so the rows' sums are the selection's. Example:
    ``Killed: 23 — 16 from best estimates (1 event), 7 from low figures where no
    best estimate is given (2 events); 6 events give no figure.``
    """
    if summary.empty:
        return "Killed: no event selected."
    best_events = int(summary["events_best"].sum())
    low_events = int(summary["events_low_only"].sum())
    none = int(summary["events_no_figure"].sum())
    no_figure = (
        f"{_events(none)} {'gives' if none == 1 else 'give'} no figure"
        if none
        else "every event gives a figure"
    )
    if not best_events and not low_events:
        return f"Killed: no figure — {no_figure}."
    from_best = int(summary["fatalities_best"].fillna(0).sum())
    from_low = int(summary["killed_low_only"].fillna(0).sum())
    parts = []
    if best_events:
        parts.append(f"{from_best:,} from best estimates ({_events(best_events)})")
    if low_events:
        parts.append(
            f"{from_low:,} from low figures where no best estimate is given "
            f"({_events(low_events)})"
        )
    return f"Killed: {from_best + from_low:,} — " + ", ".join(parts) + f"; {no_figure}."


# --- the choropleth -----------------------------------------------------------


def sequential_colour(value: float, maximum: float) -> list[int]:
    """The fill for ``value`` on a 0..``maximum`` scale (YlOrRd, RGBA)."""
    t = 0.0 if maximum <= 0 else min(max(value / maximum, 0.0), 1.0)
    position = t * (len(SEQUENTIAL_STOPS) - 1)
    i = min(int(position), len(SEQUENTIAL_STOPS) - 2)
    f = position - i
    low, high = SEQUENTIAL_STOPS[i], SEQUENTIAL_STOPS[i + 1]
    return [round(a + (b - a) * f) for a, b in zip(low, high, strict=True)] + [
        CHOROPLETH_ALPHA
    ]


def _format_value(value: object) -> str:
    return "no figure" if value is None or pd.isna(value) else f"{int(value):,}"


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _tooltip(unit: Mapping[str, object], measure: str) -> str:
    """Plain text for hovering a unit: its name, the measure, the counts."""
    counts = (
        f"{_count(int(unit['events']), 'event', 'events')} — "
        f"{_count(int(unit['attacks']), 'attack', 'attacks')}, "
        f"{_count(int(unit['bases']), 'base', 'bases')}, "
        f"{int(unit['context'])} context"
    )
    lines = [plain(unit["name"], TOOLTIP_PLACE_CHARS)]
    if measure != "events":
        lines.append(f"{MEASURES[measure]}: {_format_value(unit['value'])}")
    lines.append(counts)
    return "\n".join(lines)


# The same units are drawn at every step: their simplified outlines and the
# rings a deck holds are made once per geometry and kept (a few MB at most).
_DISPLAY_CACHE_UNITS = 4096


@lru_cache(maxsize=_DISPLAY_CACHE_UNITS)
def _display_geometry(wkb: bytes, tolerance: float):
    return shapely.from_wkb(wkb).simplify(tolerance, preserve_topology=True)


def _display_geometries(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    """Each geometry simplified for display (``preserve_topology``), as
    ``GeoSeries.simplify`` gives it; a geometry seen before is not simplified
    again."""
    found = [_display_geometry(wkb, tolerance) for wkb in shapely.to_wkb(geometries)]
    return np.array(found, dtype=object)


@lru_cache(maxsize=_DISPLAY_CACHE_UNITS)
def _display_rings(wkb: bytes) -> tuple[Coordinates, ...]:
    """:func:`imu_geo.layers.polygon_rings` of a geometry, per polygon, kept
    per geometry; the caller must not change the lists."""
    return tuple(Coordinates(rings) for rings in polygon_rings(shapely.from_wkb(wkb)))


def choropleth_frame(
    summary: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
    measure: str,
    tolerance: float = DISPLAY_TOLERANCE_DEG,
) -> gpd.GeoDataFrame:
    """The units to colour: geometry (simplified for display) and value.

    Only units with a known, non-zero value are returned; the basemap shows the
    others. Marked rows (coarser, outside, no place) have no unit to colour.

    Returns
    -------
    geopandas.GeoDataFrame
        ``region_id``, ``name``, ``value``, ``fill`` (RGBA), ``tooltip`` (plain
        text) and ``geometry``, sorted by ``region_id``.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    units = _units(regions, level)
    rows = summary[(summary["region_id"] != "") & summary[measure].notna()]
    rows = rows[rows[measure] > 0]
    wanted = ["region_id", *dict.fromkeys([*COUNT_COLUMNS, measure])]
    frame = units.merge(rows[wanted], on="region_id", how="inner")
    frame["value"] = frame[measure]
    maximum = float(frame["value"].max()) if len(frame) else 0.0
    frame["fill"] = [sequential_colour(float(v), maximum) for v in frame["value"]]
    frame["tooltip"] = [
        _tooltip(r._asdict(), measure) for r in frame.itertuples(index=False)
    ]
    frame["geometry"] = _display_geometries(frame.geometry.to_numpy(), tolerance)
    columns = ["region_id", "name", "value", "fill", "tooltip", "geometry"]
    return gpd.GeoDataFrame(
        frame[columns].sort_values("region_id").reset_index(drop=True),
        geometry="geometry",
        crs=regions.crs,
    )


def choropleth_deck(
    frame: gpd.GeoDataFrame,
    view: Mapping[str, float] = DEFAULT_VIEW,
    basemap: str = ATLAS_BASEMAP,
    layer_id: str = CHOROPLETH_LAYER_ID,
) -> pdk.Deck:
    """A map of :func:`choropleth_frame` over the offline basemap.

    The units are drawn between the basemap and its labels, so names stay
    readable; the tooltip is plain text. ``view`` and ``basemap`` as for
    :func:`imu_geo.layers.build_deck`; ``layer_id`` names the units' layer (a
    page that handles clicks changes it once a click is handled).
    """
    records = [
        {
            "region_id": r.region_id,
            "polygon": rings,
            "fill": r.fill,
            "tooltip": r.tooltip,
        }
        for r in frame.itertuples(index=False)
        for rings in _display_rings(shapely.to_wkb(r.geometry))
    ]
    choropleth = inline_layer(
        "PolygonLayer",
        records,
        id=layer_id,
        get_polygon="polygon",
        get_fill_color="fill",
        get_line_color=[60, 60, 60, 200],
        line_width_min_pixels=1,
        stroked=True,
        filled=True,
        pickable=True,
        auto_highlight=True,
    )
    drawn = basemap_layers(basemap)
    labels = [layer for layer in drawn if layer.id == LAYER_IDS["labels"]]
    below = [layer for layer in drawn if layer.id != LAYER_IDS["labels"]]
    return CompactDeck(
        layers=[*below, choropleth, *labels],
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{tooltip}"},
        **basemap_deck(basemap),
    )


def legend_svg(frame: gpd.GeoDataFrame, measure: str) -> str:
    """The colour ramp of a :func:`choropleth_frame`, 0 to its largest value, as
    an SVG document built from the constants above, a label and a number."""
    label = MEASURES[measure]
    top = _format_value(frame["value"].max()) if len(frame) else "0"
    stops = "".join(
        f'<stop offset="{i / (len(SEQUENTIAL_STOPS) - 1):.2f}" '
        f'stop-color="rgb({r},{g},{b})"/>'
        for i, (r, g, b) in enumerate(SEQUENTIAL_STOPS)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="54" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#333">'
        f'<defs><linearGradient id="ramp">{stops}</linearGradient></defs>'
        f'<text x="4" y="13" font-weight="bold">{label}</text>'
        '<rect x="4" y="20" width="220" height="14" fill="url(#ramp)" '
        'stroke="#666" stroke-width="0.5"/>'
        '<text x="4" y="48">0</text>'
        f'<text x="224" y="48" text-anchor="end">{top}</text>'
        "</svg>"
    )


# --- text tables --------------------------------------------------------------

TEXT_COLUMNS: Mapping[str, str] = {
    "region_id": "id",
    "region": "region",
    "coded_at": "coded at",
    "country": "country",
    "events": "events",
    "attacks": "attacks",
    "killed": "killed",
    "fatalities_best": "from best",
    "killed_low_only": "from low",
    "events_best": "ev best",
    "events_low_only": "ev low",
    "events_no_figure": "ev none",
    "bases": "bases",
    "context": "context",
    "first_event": "first",
    "last_event": "last",
}


TEXT_KILLED_LEGEND = (
    "killed: per event, the best estimate where the source gives one, else its "
    "low figure (at least); from best / from low: the parts of it from each; "
    "ev best / ev low / ev none: events with a best estimate, with only a low "
    "figure, with neither (they add nothing)."
)


def format_text_table(summary: pd.DataFrame, level: str) -> str:
    """The table as aligned plain text, notes as numbered footnotes.

    Empty cells are blank (an empty fatality sum means unknown). Under the
    notes, what the fatality columns count (:data:`TEXT_KILLED_LEGEND`); the
    last lines are :func:`killed_line` and :func:`totals_line`.
    """
    notes: list[str] = []
    cells: list[list[str]] = []
    for record in summary.to_dict("records"):
        row = []
        for column in TEXT_COLUMNS:
            value = record[column]
            row.append("" if value is None or pd.isna(value) else str(value))
        if record["note"]:
            notes.append(record["note"])
            row[1] += f" [{len(notes)}]"
        cells.append(row)
    header = list(TEXT_COLUMNS.values())
    numeric = {
        i
        for i, column in enumerate(TEXT_COLUMNS)
        if column in GROUP_COUNTS or column in GROUP_SUMS
    }
    widths = [
        max(len(text) for text in [name, *(row[i] for row in cells)])
        for i, name in enumerate(header)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if i in numeric else value.ljust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    lines = [line(header), line(["-" * width for width in widths])]
    lines.extend(line(row) for row in cells)
    if notes:
        lines.append("")
        lines.extend(f"[{i}] {note}" for i, note in enumerate(notes, start=1))
    lines.append("")
    lines.append(TEXT_KILLED_LEGEND)
    lines.append("")
    lines.append(killed_line(summary))
    lines.append(totals_line(summary, level))
    return "\n".join(lines)

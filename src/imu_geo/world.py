"""The world: countries, admin-1 units and a gazetteer for data from anywhere.

The bundled atlas has its own regions (seven Central Asian countries); an
imported file may come from Syria, Benin or Colombia. This module reads the world
files under ``data/world/`` (made once by ``scripts/build_world.py`` from Natural
Earth and GeoNames, see ``data/README.md``) and answers four questions, without
Streamlit and without the network:

- **Where is a point?** :func:`locate` and :func:`locate_points` give the country
  (ISO 3166-1 alpha-2) and the admin-1 unit a point lies in.
- **Is a point in the country its row names?** :func:`check_border` and
  :func:`check_borders` say ``inside``, ``near_border`` (outside the drawn line
  by no more than the tolerance: keep the row, with a note) or ``outside``
  (farther: the point and the country disagree), or ``unchecked`` when the
  country has no boundary here. The tolerance is the boundary's own resolution
  (:data:`BOUNDARY_KM`) plus what the row's place precision allows
  (:data:`PRECISION_KM`): a point that stands for an event within 25 km of it
  (``near``) may lie up to 25 km outside the country where the event happened.
- **Where is a place named without coordinates?** :func:`gazetteer` gives a
  :class:`WorldGazetteer`, whose :meth:`WorldGazetteer.lookup` finds one place by
  name (optionally within a country and an admin-1 unit), or refuses and lists
  the candidates. A place found this way is a GeoNames populated place, whose
  point is the town: it stands for an event ``near`` the town
  (:data:`GAZETTEER_PRECISION`).
- **Which regions does a dataset need?** :func:`regions_for` gives the countries
  and admin-1 units of the countries a dataset touches, in the schema of
  ``regions.geojson``, for the Regions page and its map.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity
from shapely.geometry import Point

from imu_geo.schema import GEO_PRECISION_KM
from imu_geo.text import normalise_name

WORLD_DIR = Path(__file__).resolve().parents[2] / "data" / "world"
COUNTRIES_FILE = "countries.geojson"
# The countries' attributes without their outlines (``country_table``): what a
# page needs for names and labels, read in a millisecond instead of parsing
# the outlines.
COUNTRY_TABLE_FILE = "countries.csv"
COUNTRY_TABLE_COLUMNS = (
    "region_id",
    "name",
    "level",
    "country",
    "label_lat",
    "label_lon",
)
ADMIN1_FILE = "admin1.geojson"
GAZETTEER_FILE = "gazetteer.csv"
CRS = "EPSG:4326"

# How far a point may lie outside a country's drawn line and still count as in
# it, from the boundary data alone: the countries are Natural Earth's 1:10m
# lines (drawn for maps at 1:10 million, where 0.4 mm is 4 km) simplified with a
# 0.01 degree tolerance (about 1.1 km). A judgement, not a published accuracy.
BOUNDARY_KM = 5.0
# How far from the event a point of each place precision may lie.
PRECISION_KM: dict[str, float] = GEO_PRECISION_KM
# What a place found in the gazetteer stands for: a GeoNames populated place is
# the town's point, and the event happened in or near the town.
GAZETTEER_PRECISION = "near"
# Names a refusal lists before "and N more".
SHOWN_CANDIDATES = 8
KM_PER_DEGREE = 111.32
# Words a place name may carry that the gazetteer does not ("Kunduz city").
_SUFFIXES = re.compile(r"\s+(?:city|town|village)$")
# Apostrophes, the ayn and hamza of Arabic transliteration, full stops, commas.
_DROPPED = str.maketrans("", "", "'ʿʾ.,")

REGION_COLUMNS = ("region_id", "name", "level", "country", "label_lat", "label_lon")
GAZETTEER_COLUMNS = (
    "geonameid",
    "name",
    "alt_names",
    "country",
    "admin1",
    "admin1_name",
    "gn_admin1",
    "lat",
    "lon",
    "population",
)


# --- the boundary files ----------------------------------------------------------


def _prepare(geometries) -> None:
    """Prepare geometries for point tests, and use them once, so that the index
    GEOS builds lazily exists before several sessions' threads share them."""
    shapely.prepare(geometries)
    shapely.contains_xy(geometries, 0.0, 0.0)


def _read(directory: Path, name: str) -> gpd.GeoDataFrame:
    frame = gpd.read_file(directory / name).to_crs(CRS)
    for column in ("also", "iso_3166_2", "gn_admin1", "type"):
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


@lru_cache(maxsize=2)
def countries(directory: Path = WORLD_DIR) -> gpd.GeoDataFrame:
    """The world's countries: ``region_id`` and ``country`` (ISO 3166-1 alpha-2),
    ``name``, ``level`` (``country``), ``label_lat``/``label_lon`` and geometry.
    Read once; do not change the frame."""
    frame = _read(Path(directory), COUNTRIES_FILE)
    _prepare(frame.geometry.values)
    return frame


@lru_cache(maxsize=2)
def admin1(directory: Path = WORLD_DIR) -> gpd.GeoDataFrame:
    """The world's admin-1 units: ``region_id`` (ISO 3166-2 where Natural Earth
    gives a code no other unit shares, else ``<country>-NE<ne_id>``), ``name``,
    ``level`` (``admin1``), ``country``, ``also`` (other countries a point in it
    is accepted for, ``|``-separated), ``iso_3166_2``, ``gn_admin1`` (the GeoNames
    admin-1 code, ``IQ.15``), ``type``, label point and geometry."""
    frame = _read(Path(directory), ADMIN1_FILE)
    _prepare(frame.geometry.values)
    return frame


def country_table_csv(nations: pd.DataFrame) -> str:
    """The text of :data:`COUNTRY_TABLE_FILE` for the countries ``nations``:
    their :data:`COUNTRY_TABLE_COLUMNS`, in their order."""
    table = pd.DataFrame(nations[list(COUNTRY_TABLE_COLUMNS)])
    return table.to_csv(index=False, lineterminator="\n")


@lru_cache(maxsize=2)
def country_table(directory: Path = WORLD_DIR) -> pd.DataFrame:
    """The world's countries as :func:`countries` has them, without geometry:
    ``region_id``, ``name``, ``level``, ``country`` and the label point. Read
    once; do not change the frame."""
    text_columns = [c for c in COUNTRY_TABLE_COLUMNS if not c.startswith("label_")]
    return pd.read_csv(
        Path(directory) / COUNTRY_TABLE_FILE,
        dtype=dict.fromkeys(text_columns, str),
        keep_default_na=False,
    )


def country_name(code: str, directory: Path = WORLD_DIR) -> str:
    """The name of an ISO alpha-2 country, or the code when it has no boundary."""
    names = _country_names(Path(directory))
    return names.get(code, code)


@lru_cache(maxsize=2)
def _country_names(directory: Path) -> dict[str, str]:
    frame = country_table(directory)
    return dict(zip(frame["country"], frame["name"], strict=True))


@lru_cache(maxsize=2)
def _accepted_areas(directory: Path) -> dict[str, object]:
    """Per country code, the area a point must lie in: the country's polygon and
    any admin-1 unit whose ``also`` names the code (Crimea for UA)."""
    nations = countries(directory)
    units = admin1(directory)
    areas = dict(zip(nations["country"], nations.geometry, strict=True))
    extra: dict[str, list] = {}
    for codes, geometry in zip(units["also"], units.geometry, strict=True):
        for code in filter(None, codes.split("|")):
            extra.setdefault(code, []).append(geometry)
    for code, parts in extra.items():
        base = [areas[code]] if code in areas else []
        areas[code] = shapely.union_all(base + parts)
    _prepare(np.array(list(areas.values()), dtype=object))
    return areas


@lru_cache(maxsize=2)
def _tree(directory: Path, level: str):
    frame = admin1(directory) if level == "admin1" else countries(directory)
    tree = shapely.STRtree(frame.geometry.values)
    tree.query(Point(0.0, 0.0))  # built now, not by two threads at once
    return tree


# --- where is a point --------------------------------------------------------------


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


# --- the border check --------------------------------------------------------------

INSIDE, NEAR_BORDER, OUTSIDE, UNCHECKED = (
    "inside",
    "near_border",
    "outside",
    "unchecked",
)


@dataclass(frozen=True)
class BorderCheck:
    """How a point stands to the country its row names.

    ``status`` is ``inside``, ``near_border``, ``outside`` or ``unchecked``;
    ``distance_km`` is how far outside the drawn line the point lies (0 inside;
    NaN when unchecked); ``tolerance_km`` is what was allowed; ``note`` says it in
    a sentence for the import report (empty inside).
    """

    status: str
    distance_km: float
    tolerance_km: float
    note: str = ""

    @property
    def kept(self) -> bool:
        """True unless the point clearly lies outside its country."""
        return self.status != OUTSIDE


def border_tolerance_km(precision: str) -> float:
    """The tolerance for a row of this place precision (an unknown one counts as
    ``exact``, the strictest)."""
    return BOUNDARY_KM + PRECISION_KM.get(precision or "", 0.0)


def _distance_km(area, lon: float, lat: float, limit_km: float) -> float:
    """Distance from a point to an area, in km (0 inside).

    Measured on a local equirectangular plane (longitudes shrunk by the cosine of
    the latitude), accurate to well under 1% at these distances. Only the part of
    the area within ``limit_km`` of the point is looked at; farther than that,
    the distance is estimated from the nearest point in degrees (an upper bound).
    """
    shrink = max(math.cos(math.radians(lat)), 0.01)
    reach_lat = limit_km / KM_PER_DEGREE
    reach_lon = min(reach_lat / shrink, 360.0)
    piece = shapely.clip_by_rect(
        area, lon - reach_lon, lat - reach_lat, lon + reach_lon, lat + reach_lat
    )
    if not piece.is_empty:
        flat = affinity.scale(piece, xfact=shrink, yfact=1.0, origin=(0, 0))
        distance = flat.distance(Point(lon * shrink, lat)) * KM_PER_DEGREE
        if distance <= limit_km:
            return distance
    nearest = shapely.ops.nearest_points(area, Point(lon, lat))[0]
    return haversine_km(lon, lat, nearest.x, nearest.y)


def _distances_km(area, lon: np.ndarray, lat: np.ndarray, limit_km: np.ndarray):
    """:func:`_distance_km` for many points outside one area, in km.

    The same measure: each point's piece of the area is clipped one by one
    (``clip_by_rect`` takes one rectangle), then the pieces are shrunk and
    measured together. Where a piece is empty or farther than its limit the
    result is NaN, and the caller measures that point with
    :func:`_distance_km`.
    """
    shrink = np.maximum(np.cos(np.radians(lat)), 0.01)
    reach_lat = limit_km / KM_PER_DEGREE
    reach_lon = np.minimum(reach_lat / shrink, 360.0)
    pieces = np.array(
        [
            shapely.clip_by_rect(area, x - rx, y - ry, x + rx, y + ry)
            for x, y, rx, ry in zip(lon, lat, reach_lon, reach_lat, strict=True)
        ],
        dtype=object,
    )
    result = np.full(lon.size, np.nan)
    full = ~shapely.is_empty(pieces)
    if not full.any():
        return result
    coordinates, which = shapely.get_coordinates(pieces[full], return_index=True)
    coordinates[:, 0] *= shrink[full][which]
    # pieces[full] is a new array, so the pieces are replaced there, not here.
    flat = shapely.set_coordinates(pieces[full], coordinates)
    distance = (
        shapely.distance(flat, shapely.points(lon[full] * shrink[full], lat[full]))
        * KM_PER_DEGREE
    )
    near = distance <= limit_km[full]
    rows = np.flatnonzero(full)[near]
    result[rows] = distance[near]
    return result


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of radius 6,371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _verdict(distance: float, tolerance: float, name: str, precision: str) -> tuple:
    allowance = (
        f"the {tolerance:g} km allowed for the boundary's resolution "
        f"({BOUNDARY_KM:g} km)"
        + (
            f" and a place known to the {precision} level "
            f"({PRECISION_KM[precision]:g} km)"
            if PRECISION_KM.get(precision)
            else ""
        )
    )
    if distance <= tolerance:
        return NEAR_BORDER, (
            f"the point lies {distance:.1f} km outside {name}'s drawn boundary, "
            f"within {allowance}; kept"
        )
    return OUTSIDE, (
        f"the point lies {distance:.0f} km outside {name}, more than {allowance}"
    )


def check_border(
    lon: float, lat: float, country: str, precision: str = "exact"
) -> BorderCheck:
    """How a point stands to the country (ISO alpha-2) its row names, against
    the world's boundaries."""
    return _check(float(lon), float(lat), country, precision, WORLD_DIR)


def _on_earth(lon, lat):
    """True for finite coordinates in range (works on arrays too)."""
    with np.errstate(invalid="ignore"):
        return (
            np.isfinite(lon)
            & np.isfinite(lat)
            & (np.abs(lon) <= 180)
            & (np.abs(lat) <= 90)
        )


def checked_countries(directory: Path = WORLD_DIR) -> frozenset[str]:
    """The countries (ISO alpha-2) whose points :func:`check_borders` checks."""
    return frozenset(_accepted_areas(Path(directory)))


def _check(lon, lat, country, precision, directory) -> BorderCheck:
    tolerance = border_tolerance_km(precision)
    areas = _accepted_areas(directory)
    if country not in areas or not _on_earth(lon, lat):
        return BorderCheck(UNCHECKED, math.nan, tolerance)
    area = areas[country]
    if shapely.contains_xy(area, lon, lat):
        return BorderCheck(INSIDE, 0.0, tolerance)
    distance = _distance_km(area, lon, lat, tolerance + BOUNDARY_KM)
    if distance == 0.0:  # on the line itself
        return BorderCheck(INSIDE, 0.0, tolerance)
    status, note = _verdict(
        distance, tolerance, country_name(country, directory), precision
    )
    return BorderCheck(status, round(distance, 1), tolerance, note)


def check_borders(
    lon: Sequence[float],
    lat: Sequence[float],
    country: Sequence[str],
    precision: Sequence[str] | str = "exact",
    directory: Path = WORLD_DIR,
) -> pd.DataFrame:
    """:func:`check_border` for many rows at once (for the importer).

    Returns
    -------
    pandas.DataFrame
        One row per point, in order: ``status``, ``distance_km``,
        ``tolerance_km``, ``note``.
    """
    directory = Path(directory)
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    codes = np.asarray(country, dtype=object)
    n = x.size
    precisions = (
        np.full(n, precision, dtype=object)
        if isinstance(precision, str)
        else np.asarray(precision, dtype=object)
    )
    # Each distinct precision once (a million rows hold a handful).
    which, distinct = pd.factorize(precisions, use_na_sentinel=False)
    tolerance = np.array([border_tolerance_km(p) for p in distinct], dtype=float)
    tolerance = tolerance[which] if len(distinct) else np.zeros(n)
    status = np.full(n, UNCHECKED, dtype=object)
    distance = np.full(n, math.nan)
    notes = np.full(n, "", dtype=object)
    areas = _accepted_areas(directory)
    finite = _on_earth(x, y)
    for code in pd.unique(codes):
        if code not in areas:
            continue
        rows = np.flatnonzero((codes == code) & finite)
        inside = shapely.contains_xy(areas[code], x[rows], y[rows])
        status[rows[inside]] = INSIDE
        distance[rows[inside]] = 0.0
        out = rows[~inside]
        if not out.size:
            continue
        # As _check does point by point, with the near points measured at once.
        measured = _distances_km(
            areas[code], x[out], y[out], tolerance[out] + BOUNDARY_KM
        )
        name = country_name(code, directory)
        for i, km in zip(out, measured, strict=True):
            if np.isnan(km):
                km = _distance_km(areas[code], x[i], y[i], tolerance[i] + BOUNDARY_KM)
            if km == 0.0:  # on the line itself
                status[i], distance[i] = INSIDE, 0.0
                continue
            status[i], notes[i] = _verdict(km, tolerance[i], name, precisions[i])
            distance[i] = round(km, 1)
    return pd.DataFrame(
        {
            "status": status,
            "distance_km": distance,
            "tolerance_km": tolerance,
            "note": notes,
        }
    )


# --- the gazetteer -------------------------------------------------------------------


def gazetteer_key(text: str) -> str:
    """A name as the world gazetteer compares it: :func:`normalise_name`, then
    without apostrophes (with the ayn ``ʿ`` and hamza ``ʾ`` of transliterated
    Arabic), full stops and commas: ``Maʿarrat al-Nuʿman``, ``Ma'arrat al-Nu'man``
    and ``Maarrat al Numan`` agree, as do ``St. Louis`` and ``St Louis``."""
    return " ".join(normalise_name(text).translate(_DROPPED).split())


@dataclass(frozen=True)
class GazetteerPlace:
    """One place of the world gazetteer, as a lookup returns it.

    ``precision`` is what the point stands for (:data:`GAZETTEER_PRECISION`);
    ``source`` says where it comes from, for the import report and ``notes``.
    """

    geonameid: int
    name: str
    country: str
    admin1: str
    admin1_name: str
    lat: float
    lon: float
    population: int
    precision: str = GAZETTEER_PRECISION

    @property
    def source(self) -> str:
        return f"GeoNames {self.geonameid} ({self.name}, {self.label()})"

    def label(self) -> str:
        """``Illinois, US``: where the place is, in words."""
        return ", ".join(filter(None, (self.admin1_name, self.country)))


@dataclass(frozen=True)
class Refusal:
    """Why a name found no single place; ``reason`` completes "'<name>' ..."."""

    reason: str
    candidates: tuple[GazetteerPlace, ...] = field(default=())


@dataclass(frozen=True)
class WorldGazetteer:
    """GeoNames populated places by name (``data/world/gazetteer.csv``).

    ``places`` has one row per place (the columns of the CSV); ``index`` maps a
    :func:`gazetteer_key` to ``(tier, position)`` pairs, tier 1 for a place's own
    name and 2 for an alternate name; a lower tier wins.
    """

    places: pd.DataFrame
    index: dict[str, tuple[tuple[int, int], ...]]

    @classmethod
    def from_frame(cls, places: pd.DataFrame) -> WorldGazetteer:
        places = places.reset_index(drop=True)
        names = pd.DataFrame(
            {"text": places["name"], "tier": 1, "position": places.index}
        )
        alternates = places["alt_names"].str.split("|").explode()
        alternates = pd.DataFrame(
            {"text": alternates.to_numpy(), "tier": 2, "position": alternates.index}
        )
        pairs = pd.concat([names, alternates], ignore_index=True)
        pairs = pairs[pairs["text"].fillna("") != ""]
        # Each distinct spelling is normalised once.
        unique = pd.unique(pairs["text"])
        keys = dict(zip(unique, map(gazetteer_key, unique), strict=True))
        pairs["key"] = pairs["text"].map(keys)
        pairs = pairs[pairs["key"] != ""]
        found: dict[str, list[tuple[int, int]]] = {}
        for key, tier, position in zip(
            pairs["key"].tolist(),
            pairs["tier"].tolist(),
            pairs["position"].tolist(),
            strict=True,
        ):
            found.setdefault(key, []).append((tier, position))
        index = {key: tuple(sorted(set(value))) for key, value in found.items()}
        return cls(places, index)

    def __post_init__(self) -> None:
        # Plain lists: a look-up reads a few cells, and a list is read in
        # nanoseconds where a frame's cell takes microseconds.
        columns = {c: self.places[c].tolist() for c in GAZETTEER_COLUMNS}
        object.__setattr__(self, "_columns", columns)

    def place(self, position: int) -> GazetteerPlace:
        c = self._columns
        return GazetteerPlace(
            geonameid=int(c["geonameid"][position]),
            name=str(c["name"][position]),
            country=str(c["country"][position]),
            admin1=str(c["admin1"][position]),
            admin1_name=str(c["admin1_name"][position]),
            lat=float(c["lat"][position]),
            lon=float(c["lon"][position]),
            population=int(c["population"][position]),
        )

    def _candidates(self, key: str) -> list[tuple[int, int]]:
        found = list(self.index.get(key, ()))
        if not found:
            bare = _SUFFIXES.sub("", key)
            if bare != key:
                found = list(self.index.get(bare, ()))
        return found

    def _in_admin1(self, position: int, wanted: str) -> bool:
        c = self._columns
        key = gazetteer_key(wanted)
        return wanted.strip().upper() in (
            c["admin1"][position].upper(),
            c["gn_admin1"][position].upper(),
        ) or (bool(key) and key == gazetteer_key(c["admin1_name"][position]))

    def _narrow(
        self,
        candidates: list[tuple[int, int]],
        keep: Callable[[int], bool],
        refusal: Callable[[list[int]], str],
    ) -> list[tuple[int, int]] | Refusal:
        """The ``(tier, position)`` candidates whose place ``keep`` accepts, or,
        if none is, a refusal worded by ``refusal`` from the others."""
        inside = [(tier, p) for tier, p in candidates if keep(p)]
        if inside:
            return inside
        others = sorted({p for _, p in candidates})
        shown = tuple(self.place(p) for p in others[:SHOWN_CANDIDATES])
        return Refusal(refusal(others), shown)

    def _listing(self, positions: list[int], with_country: bool) -> str:
        places = [self.place(p) for p in positions]
        places.sort(key=lambda p: (-p.population, p.geonameid))
        shown = [
            f"{p.name} ({p.label() if with_country else p.admin1_name or 'no admin-1'})"
            for p in places[:SHOWN_CANDIDATES]
        ]
        more = len(places) - SHOWN_CANDIDATES
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    def lookup(
        self, name: str, country: str = "", admin1: str = ""
    ) -> GazetteerPlace | Refusal:
        """One place by name, within ``country`` (ISO alpha-2) and ``admin1``
        (a region id, an ISO 3166-2 or GeoNames admin-1 code, or the unit's name)
        when given; otherwise a :class:`Refusal` that names the candidates.

        Nothing is guessed: a name that several places share at the best tier is
        refused, however large one of them is.
        """
        key = gazetteer_key(name)
        if not key:
            return Refusal("is not a place name")
        candidates = self._candidates(key)
        if not candidates:
            return Refusal("is not in the world gazetteer")
        country = (country or "").strip().upper()
        where = ""
        if country:
            candidates = self._narrow(
                candidates,
                lambda p: self._columns["country"][p] == country,
                lambda others: (
                    f"is in the world gazetteer only outside {country_name(country)}: "
                    f"{self._listing(others, True)}"
                ),
            )
            if isinstance(candidates, Refusal):
                return candidates
            where = f" in {country_name(country)}"
        if admin1 and admin1.strip():
            candidates = self._narrow(
                candidates,
                lambda p: self._in_admin1(p, admin1),
                lambda others: (
                    f"names no place{where} in the admin-1 unit {admin1.strip()!r}; "
                    f"there are {self._listing(others, not country)}"
                ),
            )
            if isinstance(candidates, Refusal):
                return candidates
            where += f" in {admin1.strip()}"
        best = min(tier for tier, _ in candidates)
        chosen = sorted({p for tier, p in candidates if tier == best})
        if len(chosen) == 1:
            return self.place(chosen[0])
        ask = "give the admin-1" if country else "give the country or admin-1"
        return Refusal(
            f"names {len(chosen)} places{where}: "
            f"{self._listing(chosen, not country)}; {ask}",
            tuple(self.place(p) for p in chosen[:SHOWN_CANDIDATES]),
        )


@lru_cache(maxsize=2)
def gazetteer(directory: Path = WORLD_DIR) -> WorldGazetteer:
    """The world gazetteer, read once (a few seconds)."""
    places = pd.read_csv(
        Path(directory) / GAZETTEER_FILE,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    places["lat"] = places["lat"].astype(float)
    places["lon"] = places["lon"].astype(float)
    places["population"] = places["population"].astype(int)
    return WorldGazetteer.from_frame(places)


# --- regions for a dataset ----------------------------------------------------------


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
    frame = pd.concat([p[[*REGION_COLUMNS, "geometry"]] for p in parts])
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=CRS)


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
    codes = (
        np.asarray(stated, dtype=object)
        if stated is not None
        else np.full(x.size, "", dtype=object)
    )
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        return set()
    frame = pd.DataFrame({"x": x[finite], "y": y[finite], "code": codes[finite]})
    frame = frame.drop_duplicates(ignore_index=True)
    found: set[str] = set()
    rest = np.ones(len(frame), dtype=bool)
    areas = dict(
        zip(
            countries(directory)["country"],
            countries(directory).geometry,
            strict=True,
        )
    )
    for code, rows in frame.groupby("code", sort=True).indices.items():
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
    frame = pd.concat([regions, extra[keep]], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=regions.crs or CRS)


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

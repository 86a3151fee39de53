"""The world files under ``data/world/``: the countries and admin-1 units
(Natural Earth) and the countries' table, read once per folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

WORLD_DIR = Path(__file__).resolve().parents[3] / "data" / "world"


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

"""Named places and countries: the gazetteer a row without coordinates is
placed from, the country polygons, and the country names and codes the three
datasets spell."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from imu_geo import world
from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.importers.crosswalk import _table_rows
from imu_geo.schema import COUNTRY_NAMES, PLACE_PROPERTIES
from imu_geo.text import normalise_name
from imu_geo.validate import (
    PLACES_FILE,
    REGIONS_FILE,
    check_regions,
    read_feature_collection,
)

GAZETTEER_FILE = "gazetteer.csv"


# Country names as the three datasets spell them (compared in lower case), to ISO
# 3166-1 alpha-2. A name not here gives a place without a country, whose point is
# not checked against a border.
COUNTRY_CODES: dict[str, str] = {
    row["name"].lower(): row["iso2"] for row in _table_rows("country_codes.csv")
}


# Gazetteer kinds: the place kind written to places.geojson and the geo_precision a
# place of that kind stands for.
GAZETTEER_KINDS: dict[str, tuple[str, str]] = {
    row["kind"]: (row["place_kind"], row["geo_precision"])
    for row in _table_rows("gazetteer_kinds.csv")
}


# The place kind for a point a dataset gives, by the precision it codes.
PRECISION_KINDS: dict[str, str] = {
    row["geo_precision"]: row["place_kind"]
    for row in _table_rows("precision_kinds.csv")
}


@dataclass(frozen=True)
class Gazetteer:
    """Named places to put a row without coordinates on the map.

    ``places`` has one row per place: ``ref`` (``bundled:<place_id>`` for a place
    of ``places.geojson``, else ``gazetteer:<row>``), ``name``, ``alt_names``,
    ``kind``, ``country``, ``admin1``, ``precision``, ``lon``, ``lat`` (a point
    inside the place), ``geometry`` and ``geometry_source``. ``index`` maps a
    normalised name (:func:`normalise_name`) to ``(tier, position)`` pairs; a lower
    tier wins: 1 a name or ``place_id`` of ``places.geojson``, 2 a name of
    ``gazetteer.csv``, 3 an alternative name in ``places.geojson``, 4 one in
    ``gazetteer.csv``. A name with a part in brackets (``Khanabad (Xonobod)``) is
    also known without it.
    """

    places: pd.DataFrame
    index: Mapping[str, tuple[tuple[int, int], ...]]

    @classmethod
    def build(
        cls, bundled_features: Sequence[Mapping], rows: Sequence[Mapping[str, str]]
    ) -> Gazetteer:
        """Build from ``places.geojson`` features and ``gazetteer.csv`` rows.

        Rows without coordinates, or of a kind not in :data:`GAZETTEER_KINDS`, are
        left out: they cannot place anything.
        """
        records: list[dict] = []
        keys: dict[str, list[tuple[int, int]]] = {}

        def index(name: str, tier: int, position: int) -> None:
            for variant in (name, re.sub(r"\s*\([^)]*\)", "", name)):
                key = normalise_name(variant)
                if key and (tier, position) not in keys.get(key, []):
                    keys.setdefault(key, []).append((tier, position))

        for feature in bundled_features:
            properties = feature.get("properties") or {}
            kind = str(properties.get("kind") or "")
            if kind not in GAZETTEER_KINDS or not feature.get("geometry"):
                continue
            geometry = shape(feature["geometry"])
            anchor = (
                geometry
                if geometry.geom_type == "Point"
                else geometry.representative_point()
            )
            place_id = str(properties.get("place_id") or "")
            position = len(records)
            records.append(
                {
                    "ref": f"bundled:{place_id}",
                    "place_id": place_id,
                    "name": str(properties.get("name") or ""),
                    "alt_names": str(properties.get("alt_names") or ""),
                    "kind": kind,
                    "country": str(properties.get("country") or ""),
                    "admin1": str(properties.get("admin1") or ""),
                    "precision": GAZETTEER_KINDS[kind][1],
                    "lon": float(np.round(anchor.x, 4)),
                    "lat": float(np.round(anchor.y, 4)),
                    "geometry": geometry,
                    "geometry_source": str(properties.get("geometry_source") or ""),
                }
            )
            index(records[-1]["name"], 1, position)
            index(place_id, 1, position)
            for alternative in records[-1]["alt_names"].split("|"):
                index(alternative, 3, position)

        for number, row in enumerate(rows, start=2):
            kind = str(row.get("kind") or "").strip()
            try:
                lat, lon = float(row.get("lat") or ""), float(row.get("lon") or "")
            except ValueError:
                continue
            if kind not in GAZETTEER_KINDS or not (
                math.isfinite(lat) and math.isfinite(lon)
            ):
                continue
            position = len(records)
            records.append(
                {
                    "ref": f"gazetteer:{number}",
                    "place_id": "",
                    "name": str(row.get("name") or "").strip(),
                    "alt_names": str(row.get("alt_names") or "").strip(),
                    "kind": GAZETTEER_KINDS[kind][0],
                    "country": str(row.get("country_iso2") or "").strip(),
                    "admin1": "",
                    "precision": GAZETTEER_KINDS[kind][1],
                    "lon": round(lon, 4),
                    "lat": round(lat, 4),
                    "geometry": shapely.Point(round(lon, 4), round(lat, 4)),
                    "geometry_source": (
                        f"{GAZETTEER_FILE} row {number} ({row.get('source_1') or ''})"
                    ),
                }
            )
            index(records[-1]["name"], 2, position)
            for alternative in records[-1]["alt_names"].split("|"):
                index(alternative, 4, position)

        # A place's properties as places.geojson has them, and how to place it.
        columns = [
            "ref",
            *PLACE_PROPERTIES,
            "precision",
            "lon",
            "lat",
            "geometry",
            "geometry_source",
        ]
        places = pd.DataFrame(records, columns=columns)
        return cls(places, {key: tuple(value) for key, value in keys.items()})

    def lookup(self, name: str, country: str = "") -> tuple[int | None, str]:
        """Find one place by name, within ``country`` when one is given.

        Returns
        -------
        tuple
            ``(position, "")`` for a hit; ``(None, why)`` otherwise, where ``why``
            completes the sentence "'<name>' ..." for the report.
        """
        key = normalise_name(name)
        candidates = list(self.index.get(key, ()))
        if not candidates:
            bare = re.sub(r"\s+(?:town|city|village)$", "", key)
            candidates = list(self.index.get(bare, ())) if bare != key else []
        if not candidates:
            return None, "is not in the gazetteer"
        if country:
            inside = [
                (tier, position)
                for tier, position in candidates
                if country in self.places.at[position, "country"].split("|")
            ]
            if not inside:
                elsewhere = sorted(
                    {
                        f"{self.places.at[p, 'name']} "
                        f"({self.places.at[p, 'country'] or 'no country'})"
                        for _, p in candidates
                    }
                )
                return None, (
                    f"is in the gazetteer only outside "
                    f"{COUNTRY_NAMES.get(country, country)}: {', '.join(elsewhere)}"
                )
            candidates = inside
        best = min(tier for tier, _ in candidates)
        chosen = sorted({p for tier, p in candidates if tier == best})
        if len(chosen) > 1:
            names = ", ".join(
                f"{self.places.at[p, 'name']} ({self.places.at[p, 'country']})"
                for p in chosen
            )
            return None, f"names more than one place in the gazetteer: {names}"
        return chosen[0], ""


def load_gazetteer(directory: Path = BUNDLED_DATA_DIR) -> Gazetteer:
    """The gazetteer of a data directory (``places.geojson``, ``gazetteer.csv``)."""
    directory = Path(directory)
    features = read_feature_collection(directory / PLACES_FILE)
    with (directory / GAZETTEER_FILE).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Gazetteer.build(features, rows)


def load_countries(directory: Path = BUNDLED_DATA_DIR) -> dict[str, object]:
    """Country polygons of a ``regions.geojson`` (level ``country``), by ISO alpha-2.

    The polygons are prepared for fast point-in-polygon tests, and used once so
    that the index GEOS builds lazily exists before several threads share them.
    """
    _, countries = check_regions(
        read_feature_collection(Path(directory) / REGIONS_FILE)
    )
    for geometry in countries.values():
        shapely.prepare(geometry)
        shapely.contains_xy(geometry, 0.0, 0.0)
    return countries


@lru_cache(maxsize=1)
def _bundled_gazetteer() -> Gazetteer:
    return load_gazetteer(BUNDLED_DATA_DIR)


@lru_cache(maxsize=1)
def _bundled_countries() -> dict[str, object]:
    return load_countries(BUNDLED_DATA_DIR)


@lru_cache(maxsize=1)
def world_country_codes() -> dict[str, str]:
    """Every country name the importer knows, normalised (:func:`normalise_name`),
    to ISO alpha-2: the world countries' own names (a name two codes share is left
    out), then the datasets' variant spellings of ``tables/country_variants.csv``
    and the names of ``tables/country_codes.csv``, which win."""
    nations = world.countries().sort_values("country")
    seen: dict[str, set[str]] = {}
    for name, code in zip(nations["name"], nations["country"], strict=True):
        seen.setdefault(normalise_name(name), set()).add(code)
    codes = {name: min(found) for name, found in seen.items() if len(found) == 1}
    for row in _table_rows("country_variants.csv"):
        codes[normalise_name(row["name"])] = row["iso2"]
    for name, code in COUNTRY_CODES.items():
        codes[normalise_name(name)] = code
    return codes


def _country_code(name: str) -> tuple:
    """A country as ISO alpha-2: given as a code, or a name in COUNTRY_CODES, the
    world's country names or the datasets' variants (:func:`world_country_codes`)."""
    text = " ".join(name.split())
    if re.fullmatch(r"[A-Z]{2}", text):
        return (text,)
    code = COUNTRY_CODES.get(text.lower())
    if code:
        return (code,)
    return (world_country_codes().get(normalise_name(text), ""),)


def _country_label(code: str) -> str:
    """A country's name for a message: the atlas's, else the world's."""
    return COUNTRY_NAMES.get(code) or (world.country_name(code) if code else code)

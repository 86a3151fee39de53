"""Build ``data/places.geojson`` and ``data/regions.geojson`` from the reference folder.

Why this script exists: every coordinate the atlas shows must come from the
reference geography (Natural Earth boundaries, the GeoNames / airportsdata
gazetteer), never from hand-typed numbers. This script is the only place where
reference geometry becomes project data, so the provenance of every shape is
written next to it (``geometry_source``) and the output can be rebuilt
byte-for-byte from the reference files.

What it writes:

* ``places.geojson`` -- one feature per place that ``events.csv`` uses. Towns,
  the airport and North Waziristan are points taken from ``gazetteer.csv``
  (columns ``lat``/``lon``); provinces come from ``admin1.geojson``; countries
  from ``countries.geojson``; the Ferghana Valley is the Natural Earth physical
  polygon from ``ferghana_valley.geojson``; "northern Afghanistan" is the union
  of the eight Afghan provinces flagged ``afg_borders_central_asia``. Geometry is
  kept at reference resolution.
* ``regions.geojson`` -- a light basemap and join layer: the seven in-scope
  countries, every admin-1 unit of them plus Xinjiang, and the valley polygon,
  simplified with ``simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)``.

All coordinates are EPSG:4326 longitude/latitude (RFC 7946), rounded to four
decimals, and every polygon is checked to be valid after rounding. Polygons
follow RFC 7946 section 3.1.6's right-hand rule: exterior rings run
counter-clockwise and holes clockwise. Snapping and simplifying in GEOS do not
keep the reference files' winding, so it is set again just before writing. When
``events.csv`` sits in the output folder, the set of places written must equal
the set of ``place_id`` values it uses; the build stops otherwise.

Usage::

    python scripts/build_places.py [--reference DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
DEFAULT_OUT = REPO / "data"

PRECISION = 4  # decimals, about 11 m; the reference files use the same grid
GRID = 10.0**-PRECISION
# About 1 km. Keeps regions.geojson near 300 KB and every town point inside
# its admin-1 unit; the reference admin-1 layer is already simplified at 0.005.
SIMPLIFY_TOLERANCE = 0.01

IN_SCOPE_COUNTRIES = ("AF", "PK", "UZ", "KG", "TJ", "TM", "KZ")
CONTEXT_ADMIN1 = ("CN-XJ",)  # Xinjiang: the eastern end of the IMU's "Turkestan"
VALLEY_DEFINITION = "natural_earth_physical_region"
VALLEY_GAZETTEER_ROW = "Ferghana Valley"

PLACE_PROPERTIES = (
    "place_id",
    "name",
    "alt_names",
    "kind",
    "country",
    "admin1",
    "geometry_source",
    "note",
)

_ADMIN1_CODE = re.compile(r"\(([A-Z]{2}-[A-Z0-9]+)\)\s*$")


@dataclass(frozen=True)
class PlaceSpec:
    """How one place is built.

    ``source`` says where the geometry comes from: ``gazetteer`` (a point, ``key``
    is the gazetteer ``name``), ``admin1`` (``key`` is an ISO 3166-2 code),
    ``country`` (``key`` is ISO alpha-2), ``valley`` (the NE physical polygon) or
    ``afg_north`` (union of the Afghan provinces bordering Central Asia).
    """

    place_id: str
    name: str
    kind: str
    source: str
    key: str = ""
    note: str = ""


PLACES: tuple[PlaceSpec, ...] = (
    # Points from gazetteer.csv
    PlaceSpec("namangan", "Namangan", "city", "gazetteer", "Namangan"),
    PlaceSpec("andijan", "Andijan", "city", "gazetteer", "Andijan"),
    PlaceSpec("tashkent", "Tashkent", "city", "gazetteer", "Tashkent"),
    PlaceSpec(
        "bukhara",
        "Bukhara",
        "city",
        "gazetteer",
        "Bukhara",
        "Point is the city; the 2004 hideout 'near Bukhara' is not located more "
        "finely in any reference.",
    ),
    PlaceSpec(
        "khanabad_uz",
        "Khanabad (Xonobod)",
        "border_town",
        "gazetteer",
        "Khanabad (Xonobod)",
        "Point is the town in Andijan Region, about 6 km from the Natural Earth "
        "border line, not the border post (no reference locates the post). Not "
        "Khanabad in Kunduz (Afghanistan) and not the Karshi-Khanabad air base.",
    ),
    PlaceSpec("bishkek", "Bishkek", "city", "gazetteer", "Bishkek"),
    PlaceSpec("peshawar", "Peshawar", "city", "gazetteer", "Peshawar"),
    PlaceSpec(
        "karachi_airport",
        "Jinnah International Airport (Karachi)",
        "airport",
        "gazetteer",
        "Jinnah International Airport",
        "Point is the airport (ICAO OPKC).",
    ),
    PlaceSpec(
        "north_waziristan",
        "North Waziristan",
        "district",
        "gazetteer",
        "North Waziristan (Miranshah)",
        "Point is Miranshah, the agency headquarters; no district (admin-2) "
        "polygon is available for Pakistan in the reference.",
    ),
    # Admin-1 polygons
    PlaceSpec(
        "batken_region",
        "Batken Region",
        "province",
        "admin1",
        "KG-B",
        "Stands in for the sites of the 1999 and 2000 hostage-takings, which the "
        "reference gazetteer places in Batken Region; the Karavshin valley (2000) "
        "has no coordinates in any reference.",
    ),
    PlaceSpec("kunduz_province", "Kunduz Province", "province", "admin1", "AF-KDZ"),
    PlaceSpec("takhar_province", "Takhar Province", "province", "admin1", "AF-TAK"),
    PlaceSpec("zabul_province", "Zabul Province", "province", "admin1", "AF-ZAB"),
    PlaceSpec(
        "fata",
        "Federally Administered Tribal Areas (FATA)",
        "province",
        "admin1",
        "PK-TA",
        "Pre-2018 admin-1 unit of Pakistan (merged into Khyber Pakhtunkhwa in "
        "2018); boundary as in Natural Earth.",
    ),
    # Multi-unit regions
    PlaceSpec(
        "northern_afghanistan",
        "Northern Afghanistan (provinces bordering Central Asia)",
        "region",
        "afg_north",
        note="Union of the eight Afghan provinces that border Uzbekistan, Tajikistan "
        "or Turkmenistan. The source speaks of 'seven of the eight' without naming "
        "them, so all eight are drawn.",
    ),
    PlaceSpec(
        "ferghana_valley",
        "Ferghana Valley",
        "valley",
        "valley",
        note="Natural Earth valley-floor polygon; the valley has no official boundary.",
    ),
    # Countries
    PlaceSpec("uzbekistan", "Uzbekistan", "country", "country", "UZ"),
    PlaceSpec("kyrgyzstan", "Kyrgyzstan", "country", "country", "KG"),
    PlaceSpec("tajikistan", "Tajikistan", "country", "country", "TJ"),
    PlaceSpec("afghanistan", "Afghanistan", "country", "country", "AF"),
    PlaceSpec(
        "pakistan",
        "Pakistan",
        "country",
        "country",
        "PK",
        "De facto extent as drawn by Natural Earth; not a statement on sovereignty.",
    ),
)


class BuildError(Exception):
    """The reference files or events.csv do not support the requested output."""


def _round_coords(value):
    """Round every coordinate in a GeoJSON ``coordinates`` structure."""
    if isinstance(value, (list, tuple)):
        return [_round_coords(v) for v in value]
    return round(float(value), PRECISION)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the 4-decimal grid, keep only the polygonal part, and check it."""
    geom = shapely.set_precision(geom, GRID)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(parts)
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        raise BuildError(f"not a polygon after snapping: {geom.geom_type}")
    return geom


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    """The polygons of a Polygon or MultiPolygon; none for other geometries."""
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return []


def _right_hand(geom: BaseGeometry) -> BaseGeometry:
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 3.1.6)."""
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    return geom


def _follows_right_hand_rule(geom: BaseGeometry) -> bool:
    return all(
        p.exterior.is_ccw and not any(ring.is_ccw for ring in p.interiors)
        for p in _polygons(geom)
    )


def _geometry_json(geom: BaseGeometry) -> dict:
    """GeoJSON geometry with rounded coordinates, polygons wound by the
    right-hand rule; fails if rounding broke either."""
    out = mapping(_right_hand(geom))
    out = {"type": out["type"], "coordinates": _round_coords(out["coordinates"])}
    written = shape(out)
    if not written.is_valid:
        raise BuildError(f"{out['type']} is invalid after rounding")
    if not _follows_right_hand_rule(written):
        raise BuildError(f"{out['type']} is not wound by the right-hand rule")
    return out


def _admin1_code(label: str) -> str:
    """'Tashkent (city) (UZ-TK)' -> 'UZ-TK' (gazetteer column admin1_at_point)."""
    match = _ADMIN1_CODE.search(label or "")
    if not match:
        raise BuildError(f"no ISO 3166-2 code in admin1_at_point {label!r}")
    return match.group(1)


def _alt_names(raw: str, *exclude: str) -> str:
    """Pipe-separated, de-duplicated, order kept, without the display name."""
    names = (n.strip() for n in (raw or "").split("|"))
    return "|".join(dict.fromkeys(n for n in names if n and n not in exclude))


def _feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_feature_collection(path: Path, features: list[dict]) -> None:
    """Write RFC 7946 GeoJSON, one feature per line, so diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    body = ",\n".join(lines)
    text = '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Reference:
    countries: gpd.GeoDataFrame
    admin1: gpd.GeoDataFrame
    valley: gpd.GeoDataFrame
    gazetteer: pd.DataFrame


def load_reference(folder: Path) -> Reference:
    """Read the four reference files; fail with a clear message if one is missing."""
    names = (
        "countries.geojson",
        "admin1.geojson",
        "ferghana_valley.geojson",
        "gazetteer.csv",
    )
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise BuildError(f"missing in {folder}: {', '.join(missing)}")
    gazetteer = pd.read_csv(folder / "gazetteer.csv", dtype=str, keep_default_na=False)
    return Reference(
        countries=gpd.read_file(folder / "countries.geojson"),
        admin1=gpd.read_file(folder / "admin1.geojson"),
        valley=gpd.read_file(folder / "ferghana_valley.geojson"),
        gazetteer=gazetteer.set_index("name", drop=False),
    )


def _one(frame: pd.DataFrame, column: str, value: str, what: str) -> pd.Series:
    rows = frame[frame[column] == value]
    if len(rows) != 1:
        raise BuildError(f"{what}: expected one row with {column}={value!r}")
    return rows.iloc[0]


def _valley_row(ref: Reference) -> pd.Series:
    return _one(ref.valley, "definition", VALLEY_DEFINITION, "ferghana_valley.geojson")


def _valley_countries(ref: Reference) -> str:
    """Countries the valley polygon overlaps, largest share first ('UZ|KG|TJ')."""
    valley = _valley_row(ref).geometry
    shares = {
        row.iso_a2: row.geometry.intersection(valley).area
        for row in ref.countries.itertuples()
    }
    ranked = sorted((a, c) for c, a in shares.items() if a > 0)
    return "|".join(c for _, c in reversed(ranked))


def _gazetteer_place(spec: PlaceSpec, ref: Reference) -> tuple[dict, dict]:
    if spec.key not in ref.gazetteer.index:
        raise BuildError(f"{spec.place_id}: no gazetteer row named {spec.key!r}")
    row = ref.gazetteer.loc[spec.key]
    if not row["lat"] or not row["lon"]:
        raise BuildError(f"{spec.place_id}: gazetteer row {spec.key!r} has no lat/lon")
    point = Point(
        round(float(row["lon"]), PRECISION), round(float(row["lat"]), PRECISION)
    )
    country = row["country_iso2"]
    admin1 = _admin1_code(row["admin1_at_point"])
    # The gazetteer's own consistency check, repeated on the rounded point.
    unit = _one(ref.admin1, "iso_3166_2", admin1, "admin1.geojson")
    nation = _one(ref.countries, "iso_a2", country, "countries.geojson")
    if not (unit.geometry.contains(point) and nation.geometry.contains(point)):
        raise BuildError(f"{spec.place_id}: point is not inside {admin1} / {country}")
    props = {
        "alt_names": _alt_names(row["alt_names"], spec.name, spec.key),
        "country": country,
        "admin1": admin1,
        "geometry_source": f"gazetteer.csv row '{spec.key}' (lat/lon from "
        f"{row['source_1']})",
    }
    return props, _geometry_json(point)


def _admin1_place(spec: PlaceSpec, ref: Reference) -> tuple[dict, dict]:
    unit = _one(ref.admin1, "iso_3166_2", spec.key, "admin1.geojson")
    alt = [unit["name"], unit["name_en"], unit["name_geonames"]]
    # Spelling variants from the gazetteer row that describes the same unit.
    gaz = ref.gazetteer
    rows = gaz[gaz["kind"].isin(("province", "region"))]
    rows = rows[rows["admin1_at_point"].str.extract(_ADMIN1_CODE)[0] == spec.key]
    for raw in rows["alt_names"]:
        alt.extend(raw.split("|"))
    props = {
        "alt_names": _alt_names("|".join(alt), spec.name),
        "country": unit["iso_a2"],
        "admin1": spec.key,
        "geometry_source": f"admin1.geojson feature iso_3166_2={spec.key} "
        f"(Natural Earth 10m admin-1, name_ne '{unit['name_ne']}')",
    }
    return props, _geometry_json(_polygonal(unit.geometry))


def _country_place(spec: PlaceSpec, ref: Reference) -> tuple[dict, dict]:
    nation = _one(ref.countries, "iso_a2", spec.key, "countries.geojson")
    props = {
        "alt_names": "",
        "country": spec.key,
        "admin1": "",
        "geometry_source": f"countries.geojson feature iso_a2={spec.key} (dissolve "
        "of Natural Earth 10m admin-1 units)",
    }
    return props, _geometry_json(_polygonal(nation.geometry))


def _valley_place(spec: PlaceSpec, ref: Reference) -> tuple[dict, dict]:
    row = _valley_row(ref)
    gaz = ref.gazetteer.loc[VALLEY_GAZETTEER_ROW]
    props = {
        "alt_names": _alt_names(gaz["alt_names"], spec.name),
        "country": _valley_countries(ref),
        "admin1": "",
        "geometry_source": f"ferghana_valley.geojson feature definition="
        f"{VALLEY_DEFINITION} ({row['source']})",
    }
    return props, _geometry_json(_polygonal(row.geometry))


def _afg_north_place(spec: PlaceSpec, ref: Reference) -> tuple[dict, dict]:
    afghan = ref.admin1[ref.admin1["iso_a2"] == "AF"]
    flagged = afghan[afghan["afg_borders_central_asia"].astype(bool)]
    flagged = flagged.sort_values("iso_3166_2")
    if len(flagged) != 8:
        raise BuildError(f"expected 8 flagged Afghan provinces, found {len(flagged)}")
    codes = ", ".join(flagged["iso_3166_2"])
    props = {
        "alt_names": "",
        "country": "AF",
        "admin1": "",
        "geometry_source": "union of the admin1.geojson features with "
        f"afg_borders_central_asia=true ({codes})",
    }
    return props, _geometry_json(_polygonal(shapely.union_all(flagged.geometry)))


_BUILDERS = {
    "gazetteer": _gazetteer_place,
    "admin1": _admin1_place,
    "country": _country_place,
    "valley": _valley_place,
    "afg_north": _afg_north_place,
}


def build_places(ref: Reference, specs: tuple[PlaceSpec, ...]) -> list[dict]:
    """One GeoJSON feature per spec, properties in PLACE_PROPERTIES order."""
    features = []
    for spec in specs:
        extra, geometry = _BUILDERS[spec.source](spec, ref)
        props = {"place_id": spec.place_id, "name": spec.name, "kind": spec.kind}
        props.update(extra, note=spec.note)
        features.append(_feature({k: props[k] for k in PLACE_PROPERTIES}, geometry))
    return features


def used_place_ids(events_csv: Path) -> set[str] | None:
    """place_id values used by events.csv, or None when the file is absent."""
    if not events_csv.is_file():
        return None
    with events_csv.open(encoding="utf-8", newline="") as handle:
        return {row["place_id"] for row in csv.DictReader(handle) if row["place_id"]}


def check_against_events(specs: tuple[PlaceSpec, ...], used: set[str]) -> None:
    """places.geojson must hold exactly the places events.csv uses."""
    defined = {s.place_id for s in specs}
    unknown, unused = sorted(used - defined), sorted(defined - used)
    if unknown or unused:
        raise BuildError(
            f"events.csv and PLACES disagree: unknown {unknown}, unused {unused}"
        )


def _region(region_id, name, level, country, label_lat, label_lon, geom) -> dict:
    props = {
        "region_id": region_id,
        "name": name,
        "level": level,
        "country": country,
        "label_lat": round(float(label_lat), PRECISION),
        "label_lon": round(float(label_lon), PRECISION),
    }
    simplified = _polygonal(geom.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True))
    return _feature(props, _geometry_json(simplified))


def build_regions(ref: Reference) -> list[dict]:
    """Countries, their admin-1 units (+ Xinjiang) and the valley, simplified.

    Label points are Natural Earth's (``label_lat``/``label_lon``) for countries
    and admin-1 units; for the valley it is the gazetteer's valley centroid,
    which the reference computed on the same polygon and checked to lie inside.
    """
    countries = ref.countries[ref.countries["iso_a2"].isin(IN_SCOPE_COUNTRIES)]
    features = [
        _region(
            r.iso_a2, r.name, "country", r.iso_a2, r.label_lat, r.label_lon, r.geometry
        )
        for r in countries.sort_values("iso_a2").itertuples()
    ]
    keep = ref.admin1["iso_a2"].isin(IN_SCOPE_COUNTRIES)
    keep |= ref.admin1["iso_3166_2"].isin(CONTEXT_ADMIN1)
    features += [
        _region(
            r.iso_3166_2,
            r.name,
            "admin1",
            r.iso_a2,
            r.label_lat,
            r.label_lon,
            r.geometry,
        )
        for r in ref.admin1[keep].sort_values("iso_3166_2").itertuples()
    ]
    valley = _valley_row(ref).geometry
    gaz = ref.gazetteer.loc[VALLEY_GAZETTEER_ROW]
    if not valley.contains(Point(float(gaz["lon"]), float(gaz["lat"]))):
        raise BuildError("the gazetteer valley centroid is not inside the valley")
    features.append(
        _region(
            "ferghana_valley",
            "Ferghana Valley",
            "valley",
            _valley_countries(ref),
            gaz["lat"],
            gaz["lon"],
            valley,
        )
    )
    return features


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.INFO)
    try:
        ref = load_reference(args.reference)
        used = used_place_ids(args.out / "events.csv")
        if used is not None:
            check_against_events(PLACES, used)
        places = build_places(ref, PLACES)
        regions = build_regions(ref)
    except BuildError as exc:
        logging.error("build_places: %s", exc)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    write_feature_collection(args.out / "places.geojson", places)
    write_feature_collection(args.out / "regions.geojson", regions)
    logging.info(
        "wrote %d places and %d regions to %s", len(places), len(regions), args.out
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Synthetic rows in the layout of a UCDP GED CSV, for measuring speed at scale.

The clustered synthetic data (:mod:`imu_geo.synthetic`) puts events on a few
hundred named places. A real GED download does not: every event carries its own
coordinates. This module writes files of that shape for ``imu-geo import``:

- the 49 columns of the GED 22.x/23.x CSV in their order (``best,high,low``,
  ``gwnoa,gwnob`` last) and its spellings: dates as ``1990-10-04 00:00:00.000``,
  ``geom_wkt`` as ``POINT (lon lat)``, six decimals, ``source_article`` quoted
  inside quotes;
- real countries with UCDP's spelling, Gleditsch-Ward ``country_id`` and UCDP
  region (``tables/ged_countries.csv``); every point is drawn inside an admin-1
  unit of its country (the bundled Natural Earth outlines of ``data/world``),
  and no two events share coordinates;
- ``date_prec`` 1-5, ``where_prec`` 1-7 and ``type_of_violence`` 1-3 in the
  proportions of the GED 19.1 extract read for the importer (3,194 rows), with
  date spans like it: 1-5 days for code 2, a week for 3, a month or part of
  one for 4, part or all of a year for 5;
- ``low <= best <= high`` and ``deaths_a + deaths_b + deaths_civilians +
  deaths_unknown = best``, as in the real files.

The events are made up and say so (sides, conflicts, places and sources are
named "Synthetic ..."); the countries' weights and active years are invented
too, not real event shares. Where GED puts events of where_prec 3-6 on a shared
centroid, these events each get their own point: the case the store must meet.
The same ``n`` and ``seed`` always give the same bytes; rows are generated and
written in chunks, so memory stays bounded at any ``n``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

GED_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,"
    "conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,"
    "side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,"
    "source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,"
    "latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,"
    "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
).split(",")

# Shares in the GED 19.1 extract (3,194 rows): date_prec 2,623 / 205 / 39 / 238
# / 89; where_prec 559 / 499 / 514 / 683 / 572 / 360 / 7; type_of_violence
# 1,390 / 284 / 1,520.
DATE_PREC = np.array([2623, 205, 39, 238, 89]) / 3194
WHERE_PREC = np.array([559, 499, 514, 683, 572, 360, 7]) / 3194
VIOLENCE = np.array([1390, 284, 1520]) / 3194

FIRST_YEAR, LAST_YEAR = 1989, 2023
CHUNK_ROWS = 250_000
CONFLICTS_PER_COUNTRY = 4
OFFICE = "Synthetic News"
WORLD_DIR = Path(__file__).resolve().parents[2] / "data" / "world"


@dataclass(frozen=True)
class _Units:
    """The admin-1 units rows are drawn in, with what sampling needs."""

    country: np.ndarray  # index into the country table, per unit
    name: np.ndarray  # the unit's name, for adm_1
    geometry: np.ndarray  # unit polygon clipped to its country, prepared
    bounds: np.ndarray  # (n, 4) minx, miny, maxx, maxy
    weight: np.ndarray  # chance of a unit within its country


def ged_countries() -> pd.DataFrame:
    """The countries rows are drawn in: UCDP spelling, codes, region, weight."""
    table = files("imu_geo") / "tables" / "ged_countries.csv"
    with table.open(encoding="utf-8") as handle:
        return pd.DataFrame(list(csv.DictReader(handle)))


def _units(countries: pd.DataFrame, world: Path, seed: int) -> _Units:
    rng = np.random.default_rng([seed, 7])
    admin1 = gpd.read_file(world / "admin1.geojson")
    outlines = gpd.read_file(world / "countries.geojson").set_index("region_id")
    rows = []
    for index, iso2 in enumerate(countries["iso2"]):
        outline = outlines.geometry[iso2]
        for unit in admin1[admin1["country"] == iso2].itertuples(index=False):
            # Clipped to the country's outline, so a point is in both.
            inside = shapely.intersection(unit.geometry, outline)
            if inside.is_empty or inside.area < 1e-4:
                continue
            rows.append((index, unit.name, inside, inside.area))
    if not rows:
        raise ValueError("no admin-1 unit found for the GED countries")
    country = np.array([r[0] for r in rows])
    geometry = np.array([r[2] for r in rows], dtype=object)
    shapely.prepare(geometry)
    # Conflict gathers in some provinces: a random factor on the square root of
    # the area gives a few busy units per country and many quiet ones.
    weight = np.sqrt([r[3] for r in rows]) * rng.pareto(1.5, len(rows))
    for index in np.unique(country):
        mine = country == index
        weight[mine] = weight[mine] / weight[mine].sum()
    return _Units(
        country=country,
        name=np.array([r[1] for r in rows], dtype=object),
        geometry=geometry,
        bounds=shapely.bounds(geometry),
        weight=weight,
    )


def _points(units: _Units, unit_of: np.ndarray, rng) -> tuple[np.ndarray, ...]:
    """A point inside each row's unit (rejection sampling in its bounds)."""
    n = len(unit_of)
    lon, lat = np.empty(n), np.empty(n)
    for unit in np.unique(unit_of):
        rows = np.flatnonzero(unit_of == unit)
        minx, miny, maxx, maxy = units.bounds[unit]
        kept_x, kept_y, have = [], [], 0
        while have < len(rows):
            want = max(64, 3 * (len(rows) - have))
            x = np.round(rng.uniform(minx, maxx, want), 6)
            y = np.round(rng.uniform(miny, maxy, want), 6)
            inside = shapely.contains_xy(units.geometry[unit], x, y)
            kept_x.append(x[inside])
            kept_y.append(y[inside])
            have += int(inside.sum())
        lon[rows] = np.concatenate(kept_x)[: len(rows)]
        lat[rows] = np.concatenate(kept_y)[: len(rows)]
    return lon, lat


def _point_keys(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """One int64 per point at six decimals, equal only for equal coordinates."""
    x = np.rint((lon + 180) * 1e6).astype(np.int64)
    y = np.rint((lat + 90) * 1e6).astype(np.int64)
    return y * 400_000_000 + x


def priogrid_gid(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The PRIO-GRID cell (0.5 degree) of a point: rows from the south, 720 a row."""
    row = np.floor((lat + 90) / 0.5).astype(np.int64)
    col = np.floor((lon + 180) / 0.5).astype(np.int64) + 1
    return row * 720 + col


def _active_days(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each country's first and last day (days since 1970): its own years."""
    rng = np.random.default_rng([seed, 11])
    begin = rng.integers(FIRST_YEAR, 2012, count)
    length = rng.integers(6, LAST_YEAR - FIRST_YEAR + 1, count)
    end = np.minimum(begin + length, LAST_YEAR + 1)

    def day(year: np.ndarray) -> np.ndarray:
        return (
            (year - 1970)
            .astype("datetime64[Y]")
            .astype("datetime64[D]")
            .astype("int64")
        )

    return day(begin), day(end) - 1


def _spans(rng, n: int, first_day, last_day) -> tuple[np.ndarray, ...]:
    """date_prec and a [start, end] span per row, as GED codes them."""
    prec = rng.choice(5, size=n, p=DATE_PREC) + 1
    day = first_day + (rng.random(n) * (last_day - first_day + 1)).astype("int64")
    start = day.astype("datetime64[D]")
    end = start.copy()
    two = prec == 2
    end[two] = start[two] + rng.integers(1, 6, int(two.sum()))
    three = prec == 3
    end[three] = start[three] + 6
    four = prec == 4
    month = start[four].astype("datetime64[M]")
    whole = rng.random(int(four.sum())) < 0.6
    month_end = (month + 1).astype("datetime64[D]") - 1
    part = month.astype("datetime64[D]") + rng.integers(0, 4, len(month))
    start[four] = np.where(whole, month.astype("datetime64[D]"), part)
    end[four] = np.where(
        whole,
        month_end,
        np.minimum(start[four] + rng.integers(7, 30, len(month)), month_end),
    )
    five = prec == 5
    year = start[five].astype("datetime64[Y]")
    year_start = year.astype("datetime64[D]")
    year_end = (year + 1).astype("datetime64[D]") - 1
    whole = rng.random(int(five.sum())) < 0.4
    part_start = year_start + rng.integers(0, 180, len(year))
    start[five] = np.where(whole, year_start, part_start)
    end[five] = np.where(
        whole,
        year_end,
        np.minimum(start[five] + rng.integers(32, 365, len(year)), year_end),
    )
    return prec, start, end


def _chunk(
    first_id: int,
    n: int,
    rng,
    countries: pd.DataFrame,
    units: _Units,
    active: tuple[np.ndarray, np.ndarray],
    seen: np.ndarray,
) -> tuple[pd.DataFrame, np.ndarray]:
    weights = countries["weight"].astype(float).to_numpy()
    country = rng.choice(len(countries), size=n, p=weights / weights.sum())
    unit_of = np.empty(n, dtype=np.int64)
    for index in np.unique(country):
        rows = np.flatnonzero(country == index)
        mine = np.flatnonzero(units.country == index)
        unit_of[rows] = rng.choice(mine, size=len(rows), p=units.weight[mine])
    lon, lat = _points(units, unit_of, rng)
    # No two events share a point: draw again where a point was seen before.
    keys = _point_keys(lon, lat)
    while True:
        order = np.argsort(keys, kind="stable")
        repeat = np.zeros(n, dtype=bool)
        repeat[order[1:]] = keys[order[1:]] == keys[order[:-1]]
        repeat |= np.isin(keys, seen)
        if not repeat.any():
            break
        again = np.flatnonzero(repeat)
        lon[again], lat[again] = _points(units, unit_of[again], rng)
        keys[again] = _point_keys(lon[again], lat[again])
    seen = np.union1d(seen, keys)

    first_day, last_day = active
    prec, start, end = _spans(rng, n, first_day[country], last_day[country])
    year = start.astype("datetime64[Y]").astype(np.int64) + 1970

    violence = rng.choice(3, size=n, p=VIOLENCE) + 1
    conflict = rng.integers(0, CONFLICTS_PER_COUNTRY, n)
    conflict_id = 10_000 + country * 100 + violence * 10 + conflict
    dyad_id = conflict_id + 20_000
    side_b_id = 40_000 + country * 100 + violence * 10 + conflict
    names = countries["country"].to_numpy(object)[country]
    gw = countries["country_id"].to_numpy(object)[country]
    iso3 = countries["iso3"].to_numpy(object)[country]
    group = np.char.add("Synthetic group ", (conflict + 1).astype(str)).astype(object)
    government = np.char.add("Government of ", names.astype(str)).astype(object)
    side_a = np.where(violence == 1, government, group)
    side_a = np.where(violence == 3, group, side_a)
    side_b = np.where(violence == 3, "Civilians", group)
    side_b = np.where(
        violence == 2,
        np.char.add("Synthetic militia ", (conflict + 1).astype(str)).astype(object),
        side_b,
    )
    conflict_name = np.char.add(
        names.astype(str), np.char.add(": synthetic conflict ", conflict_id.astype(str))
    ).astype(object)
    dyad_name = np.char.add(
        side_a.astype(str), np.char.add(" - ", side_b.astype(str))
    ).astype(object)

    # Fatalities: 7% none, else a long tail (median 2, a few in the hundreds).
    best = np.where(
        rng.random(n) < 0.07, 0, np.ceil(rng.lognormal(0.6, 1.3, n)).astype(np.int64)
    )
    best = np.minimum(best, 5_000)
    low = best - np.floor(best * rng.random(n) * 0.3).astype(np.int64)
    high = best + np.floor(best * rng.random(n) * rng.choice([0, 1, 3], n)).astype(
        np.int64
    )
    share = rng.dirichlet([1.0, 1.0, 1.0, 0.3], n)
    split = np.floor(share * best[:, None]).astype(np.int64)
    one_sided = violence == 3
    split[one_sided] = 0
    split[one_sided, 2] = best[one_sided]
    split[~one_sided, 3] += best[~one_sided] - split[~one_sided].sum(axis=1)

    ids = np.arange(first_id, first_id + n)
    article_day = (end + rng.integers(0, 4, n)).astype(str).astype(object)
    headline = np.char.add("Synthetic report ", ids.astype(str)).astype(object)
    sources = np.where(year < 2005, -1, rng.integers(1, 5, n))
    article = np.where(
        sources == -1,
        np.char.add("S ", ids.astype(str)).astype(object),
        '"' + OFFICE + "," + article_day + "," + headline + '"',
    )
    place = np.char.add("Synthetic place ", ids.astype(str)).astype(object)
    where_prec = rng.choice(7, size=n, p=WHERE_PREC) + 1
    lat_text = np.char.mod("%.6f", lat)
    lon_text = np.char.mod("%.6f", lon)
    # geom_wkt drops trailing zeros: POINT (73.89724 34.57173).
    short = lambda text: np.char.rstrip(np.char.rstrip(text, "0"), ".")  # noqa: E731
    wkt = np.char.add(
        np.char.add("POINT (", short(lon_text)),
        np.char.add(" ", np.char.add(short(lat_text), ")")),
    )
    when = lambda days: np.char.add(days.astype(str), " 00:00:00.000")  # noqa: E731
    frame = pd.DataFrame(
        {
            "id": ids,
            "relid": iso3
            + "-"
            + year.astype(str)
            + "-"
            + violence.astype(str)
            + "-"
            + conflict_id.astype(str)
            + "-"
            + (ids % 997).astype(str),
            "year": year,
            "active_year": (rng.random(n) < 0.85).astype(int),
            "code_status": "Clear",
            "type_of_violence": violence,
            "conflict_dset_id": conflict_id,
            "conflict_new_id": conflict_id,
            "conflict_name": conflict_name,
            "dyad_dset_id": dyad_id,
            "dyad_new_id": dyad_id,
            "dyad_name": dyad_name,
            "side_a_dset_id": np.where(violence == 1, gw, side_b_id - 1),
            "side_a_new_id": np.where(violence == 1, gw, side_b_id - 1),
            "side_a": side_a,
            "side_b_dset_id": np.where(one_sided, 1, side_b_id),
            "side_b_new_id": np.where(one_sided, 1, side_b_id),
            "side_b": side_b,
            "number_of_sources": sources,
            "source_article": article,
            "source_office": np.where(sources == -1, "", OFFICE),
            "source_date": np.where(sources == -1, "", article_day),
            "source_headline": np.where(sources == -1, "", headline),
            "source_original": "Synthetic source",
            "where_prec": where_prec,
            "where_coordinates": place,
            "where_description": np.char.add("Near ", place.astype(str)),
            "adm_1": units.name[unit_of],
            "adm_2": "",
            "latitude": lat_text,
            "longitude": lon_text,
            "geom_wkt": wkt,
            "priogrid_gid": priogrid_gid(lon, lat),
            "country": names,
            "country_id": gw,
            "region": countries["region"].to_numpy(object)[country],
            "event_clarity": np.where(rng.random(n) < 0.9, 1, 2),
            "date_prec": prec,
            "date_start": when(start),
            "date_end": when(end),
            "deaths_a": split[:, 0],
            "deaths_b": split[:, 1],
            "deaths_civilians": split[:, 2],
            "deaths_unknown": split[:, 3],
            "best": best,
            "high": high,
            "low": low,
            "gwnoa": np.where(violence == 1, gw, ""),
            "gwnob": "",
        }
    )
    return frame[GED_COLUMNS], seen


def write_ged(
    path: Path,
    n: int,
    seed: int = 0,
    world: Path = WORLD_DIR,
    chunk_rows: int = CHUNK_ROWS,
) -> Path:
    """Write ``n`` GED-shaped rows to the CSV file ``path``; return it.

    Rows are made ``chunk_rows`` at a time (each chunk from its own random
    stream), so the same ``n``, ``seed`` and ``chunk_rows`` give the same bytes
    and memory does not grow with ``n`` beyond 8 bytes a row for the check that
    no two events share a point.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    countries = ged_countries()
    units = _units(countries, world, seed)
    active = _active_days(len(countries), seed)
    seen = np.empty(0, dtype=np.int64)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(GED_COLUMNS) + "\n")
        for index, first in enumerate(range(0, n, chunk_rows)):
            rng = np.random.default_rng([seed, index])
            rows = min(chunk_rows, n - first)
            frame, seen = _chunk(first + 1, rows, rng, countries, units, active, seen)
            frame.to_csv(handle, header=False, index=False, lineterminator="\n")
    partial.replace(path)
    return path

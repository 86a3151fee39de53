"""GED-shaped synthetic rows: the real layout, points inside their country, no two
events on one point, consistent estimates and date spans, and an import that
keeps every row (the benchmark counts against the file, so a rejected row would
make its check wrong)."""

from __future__ import annotations

import csv
import io
import json
import math
import signal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box, mapping

from imu_geo.importers import import_file
from imu_geo.importers.places import normalise_name, world_country_codes
from imu_geo.synthetic_ged import (
    _active_days,
    _chunk,
    _point_keys,
    _spans,
    _Units,
    _units,
    ged_countries,
    priogrid_gid,
    write_ged,
)
from tests.conftest import PROJECT_DIR
from tests.source_rows import GED_COLUMNS

# The header of a GED 22.x/23.x CSV: the HDX Pakistan copy's header without the
# iso3 column HDX inserts after country (LAYOUTS, UCDP GED 2.1).
REAL_HEADER = ",".join([*GED_COLUMNS, "gwnoa", "gwnob"])
N = 3_000
# The countries' weights as tables/ged_countries.csv gives them (they add up to 200).
TABLE_WEIGHTS = {
    "AF": 30, "SY": 24, "IQ": 18, "PK": 14, "IN": 12, "SO": 11, "CD": 10, "NG": 9,
    "CO": 8, "PH": 7, "MM": 7, "SD": 6, "YE": 6, "MX": 5, "UA": 5, "ML": 4, "ET": 4,
    "BD": 3, "BF": 3, "LK": 3, "DZ": 2, "CM": 2, "MZ": 2, "UG": 2, "TJ": 1, "UZ": 1,
    "KG": 1,
}  # fmt: skip
ISO2 = tuple(TABLE_WEIGHTS)
# UCDP's spelling of each (the table's first column) to its code.
TABLE_COUNTRY_CODES = {
    "Afghanistan": "AF", "Syria": "SY", "Iraq": "IQ", "Pakistan": "PK", "India": "IN",
    "Somalia": "SO", "DR Congo (Zaire)": "CD", "Nigeria": "NG", "Colombia": "CO",
    "Philippines": "PH", "Myanmar (Burma)": "MM", "Sudan": "SD",
    "Yemen (North Yemen)": "YE",
    "Mexico": "MX", "Ukraine": "UA", "Mali": "ML", "Ethiopia": "ET", "Bangladesh": "BD",
    "Burkina Faso": "BF", "Sri Lanka": "LK", "Algeria": "DZ", "Cameroon": "CM",
    "Mozambique": "MZ", "Uganda": "UG", "Tajikistan": "TJ", "Uzbekistan": "UZ",
    "Kyrgyzstan": "KG",
}  # fmt: skip


def west(i: int):
    """The unit that fills the western third of the i-th country, wholly inside."""
    return box(4 * i, 0, 4 * i + 1, 2)


def east(i: int):
    """The eastern unit of the i-th country as it lies inside the country: its
    outline runs on past the country's edge, to x + 3.5 and y 2.5."""
    return box(4 * i + 1, 0, 4 * i + 3, 2)


# The speck of the first country: 0.01 by 0.01, an area of exactly 1e-4, kept.
SPECK = box(0, 0, 0.01, 0.01)


def tiny_world(directory: Path, admin1: bool = True) -> Path:
    """A world folder of boxes: the i-th GED country of the table is x 4i..4i+3,
    y 0..2; its admin-1 units are "West" (x 4i..4i+1, area 2), "East" (x
    4i+1..4i+3.5, y 0..2.5, area 4 inside the country), "Sliver" (overlapping the
    country by 0.005 x 0.005, too small, dropped) and "Beyond" (outside it,
    dropped); the first country also has "Speck" (area 1e-4, kept). "Zed" (ZZ),
    not a GED country, has a unit of its own. With ``admin1=False`` only Zed has
    units."""
    directory.mkdir(parents=True, exist_ok=True)
    countries = [("ZZ", box(-10, 0, -8, 2))]
    units = [("ZZ-1", "Zed One", "ZZ", box(-10, 0, -9, 2))]
    for i, code in enumerate(ISO2):
        x = 4 * i
        countries.append((code, box(x, 0, x + 3, 2)))
        if not admin1:
            continue
        units += [
            (f"{code}-W", f"{code} West", code, west(i)),
            (f"{code}-E", f"{code} East", code, box(x + 1, 0, x + 3.5, 2.5)),
            (f"{code}-S", f"{code} Sliver", code, box(x + 2.995, 1.995, x + 3.5, 3)),
            (f"{code}-B", f"{code} Beyond", code, box(x + 3.2, 0, x + 3.8, 2)),
        ]
    if admin1:
        units.append(("AF-K", "AF Speck", "AF", SPECK))

    def collection(features):
        return {"type": "FeatureCollection", "features": features}

    def feature(properties, shape):
        return {"type": "Feature", "properties": properties, "geometry": mapping(shape)}

    outlines = [feature({"region_id": c, "name": c}, g) for c, g in countries]
    (directory / "countries.geojson").write_text(json.dumps(collection(outlines)))
    admin = [
        feature({"region_id": r, "name": name, "country": c}, g)
        for r, name, c, g in units
    ]
    (directory / "admin1.geojson").write_text(json.dumps(collection(admin)))
    return directory


# Longer than any of these tests takes, even on a loaded machine (each takes
# under 2 s): a draw that never ends (a point sampled where no unit can hold it)
# fails here rather than waiting for mutation testing's own time limit, which
# is many times the whole module's time.
STUCK_SECONDS = 30


@pytest.fixture(autouse=True)
def stop_if_stuck():
    def stuck(signum, frame):
        raise TimeoutError(f"still drawing after {STUCK_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.setitimer(signal.ITIMER_REAL, STUCK_SECONDS)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# Written again for each test (not once a module): a mutation run runs, for a
# mutant, only the tests that reached the mutated function, and a shared
# fixture reaches it in the first test alone. The world of boxes keeps each
# write short; the tests of real outlines and of the import use the bundled one.
@pytest.fixture
def world(tmp_path):
    return tiny_world(tmp_path / "world")


@pytest.fixture
def written(tmp_path, world):
    # Chunks smaller than the file: uniqueness must hold across chunks.
    return write_ged(tmp_path / "ged.csv", N, seed=3, world=world, chunk_rows=1_000)


@pytest.fixture
def rows(written):
    return pd.read_csv(written, dtype=str, keep_default_na=False)


@pytest.fixture
def real_rows(tmp_path):
    """400 rows in the bundled world: enough to meet most countries and codes."""
    path = write_ged(tmp_path / "real.csv", 400, seed=3, chunk_rows=150)
    return path, pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_header_is_the_real_one(written):
    assert written.read_text(encoding="utf-8").split("\n", 1)[0] == REAL_HEADER


def test_the_default_seed_is_0(tmp_path, world):
    unseeded = write_ged(tmp_path / "unseeded.csv", 300, world=world, chunk_rows=100)
    zero = write_ged(tmp_path / "zero.csv", 300, seed=0, world=world, chunk_rows=100)
    one = write_ged(tmp_path / "one.csv", 300, seed=1, world=world, chunk_rows=100)
    assert unseeded.read_bytes() == zero.read_bytes() != one.read_bytes()


def test_same_seed_same_bytes_other_seed_other_bytes(written, tmp_path, world):
    again = write_ged(tmp_path / "again.csv", N, seed=3, world=world, chunk_rows=1_000)
    other = write_ged(tmp_path / "other.csv", N, seed=4, world=world, chunk_rows=1_000)
    assert again.read_bytes() == written.read_bytes()
    assert other.read_bytes() != written.read_bytes()


def test_ids_and_points_are_unique(rows):
    assert rows["id"].is_unique
    # Numbered from 1, across chunks.
    assert rows["id"].astype(int).tolist() == list(range(1, N + 1))
    assert len(rows) == N
    assert not rows.duplicated(["latitude", "longitude"]).any()


def test_in_the_bundled_world_points_lie_in_their_country_and_all_import(
    real_rows,
):
    # One test for both, so the bundled world is read once, not twice.
    written, rows = real_rows
    codes = world_country_codes()
    countries = gpd.read_file(PROJECT_DIR / "data" / "world" / "countries.geojson")
    outline = countries.set_index("region_id").geometry
    points = gpd.points_from_xy(
        rows["longitude"].astype(float), rows["latitude"].astype(float)
    )
    iso2 = rows["country"].map(lambda name: codes[normalise_name(name)])
    inside = [outline[c].contains(p) for c, p in zip(iso2, points, strict=True)]
    assert all(inside)
    # Spread over many countries, not one.
    assert rows["country"].nunique() >= 15
    # The importer keeps every row: the benchmark counts against the file.
    text = written.read_text(encoding="utf-8")
    assert len(list(csv.reader(io.StringIO(text)))) == 401
    result = import_file("ged.csv", text.encode("utf-8"))
    assert result.n_rejected == 0
    assert result.n_rows == 400
    assert len(result.events) == 400
    assert result.n_repaired == 0


def test_six_decimals_and_the_wkt_of_the_same_point(rows):
    assert rows["latitude"].str.fullmatch(r"-?\d+\.\d{6}").all()
    lon = rows["longitude"].astype(float).map(lambda v: f"{v:.6f}".rstrip("0"))
    lat = rows["latitude"].astype(float).map(lambda v: f"{v:.6f}".rstrip("0"))
    expected = "POINT (" + lon.str.rstrip(".") + " " + lat.str.rstrip(".") + ")"
    assert (rows["geom_wkt"] == expected).all()


def test_priogrid_of_a_real_ged_row():
    # Pakistan file, id 59553: POINT (74.355544 34.821865), priogrid_gid 179789.
    # Row 250 from the south (34.82 + 90 = 124.82 -> 249 whole half-degrees),
    # column 509 (74.36 + 180 = 254.36 -> 508 whole, counted from 1).
    cell = priogrid_gid(np.array([74.355544]), np.array([34.821865]))
    assert cell.dtype == np.int64
    assert cell[0] == 179789


def test_estimates_are_ordered_and_deaths_add_up(rows):
    number = rows[["low", "best", "high"]].astype(int)
    assert (number["low"] <= number["best"]).all()
    assert (number["best"] <= number["high"]).all()
    deaths = rows[["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]]
    assert (deaths.astype(int).sum(axis=1) == number["best"]).all()
    assert (number["best"] >= 0).all()


def test_date_spans_follow_date_prec(rows):
    start = pd.to_datetime(rows["date_start"], format="%Y-%m-%d %H:%M:%S.%f")
    end = pd.to_datetime(rows["date_end"], format="%Y-%m-%d %H:%M:%S.%f")
    span = (end - start).dt.days
    prec = rows["date_prec"].astype(int)
    assert set(prec) == {1, 2, 3, 4, 5}
    assert (span[prec == 1] == 0).all()
    assert span[prec == 2].between(1, 5).all()
    assert (span[prec == 3] == 6).all()
    four, five = prec == 4, prec == 5
    assert (start[four].dt.to_period("M") == end[four].dt.to_period("M")).all()
    assert span[four].between(7, 30).all()
    assert (start[five].dt.year == end[five].dt.year).all()
    # A whole leap year spans 365 days (the 19.1 extract: 32 to 365).
    assert span[five].between(32, 365).all()
    assert (rows["year"].astype(int) == start.dt.year).all()
    # About 82% exact days, as in the GED 19.1 extract.
    assert 0.78 < (prec == 1).mean() < 0.86


def test_codes_are_ged_codes(rows):
    assert set(rows["where_prec"].astype(int)) <= set(range(1, 8))
    assert set(rows["type_of_violence"].astype(int)) == {1, 2, 3}
    one_sided = rows["type_of_violence"] == "3"
    assert (rows.loc[one_sided, "side_b"] == "Civilians").all()


def test_adm_1_names_the_unit_each_point_lies_in(rows):
    lon = rows["longitude"].astype(float)
    lat = rows["latitude"].astype(float)
    for (code, name), x, y in zip(
        zip(rows["country"].map(TABLE_COUNTRY_CODES), rows["adm_1"], strict=True),
        lon,
        lat,
        strict=True,
    ):
        i = ISO2.index(code)
        unit = {f"{code} West": west(i), f"{code} East": east(i), "AF Speck": SPECK}
        assert name in unit, (code, name)
        assert unit[name].contains(Point(x, y)), (name, x, y)
    # Both units of the busy countries are met, not one name for all.
    assert {"AF West", "AF East", "SY West", "SY East"} <= set(rows["adm_1"])


def test_units_are_clipped_to_their_country_and_specks_dropped(world):
    units = _units(ged_countries(), world, seed=3)
    names = list(units.name)
    expected = [name for code in ISO2 for name in (f"{code} West", f"{code} East")]
    assert sorted(names) == sorted([*expected, "AF Speck"])
    for name, country, shape, bounds in zip(
        names, units.country, units.geometry, units.bounds, strict=True
    ):
        code, _, side = name.partition(" ")
        i = ISO2.index(code)
        assert country == i
        hand = {"West": west(i), "East": east(i), "Speck": SPECK}[side]
        assert shape.area == pytest.approx(hand.area, abs=1e-12)
        assert shape.symmetric_difference(hand).area == pytest.approx(0, abs=1e-12)
        assert tuple(bounds) == pytest.approx(hand.bounds)


def test_unit_weights_are_shares_within_each_country(world):
    units = _units(ged_countries(), world, seed=3)
    assert (units.weight > 0).all()
    for i in range(len(ISO2)):
        assert units.weight[units.country == i].sum() == pytest.approx(1.0)


def test_bigger_units_weigh_more_and_equal_units_differ(tmp_path):
    """One country of 800 units of area 1 and 800 of area 4: the weight is a
    random factor on the square root of the area, so the median weight of the
    big units is twice that of the small ones (log 2 = 0.69). The median of n
    draws of a Pareto (Lomax, shape 1.5) factor has a log with a standard error
    of sqrt(3.25 / n): 0.064 at n = 800, 0.09 for the difference of two; the
    bound 0.35 is almost four of them, and is far from no factor (log 1 = 0)
    and from the area itself (log 4 = 1.39). Among equal units the factor's 90th
    percentile is 6.2 times its median (3.64 / 0.587); well above 2."""
    directory = tmp_path / "many"
    directory.mkdir()
    country = box(0, 0, 100, 40)
    small = [box(x, y, x + 1, y + 1) for x in range(20) for y in range(40)]
    big = [box(x, y, x + 2, y + 2) for x in range(20, 100, 2) for y in range(0, 40, 2)]
    assert len(small) == len(big) == 800
    features = [
        {
            "type": "Feature",
            "properties": {
                "region_id": f"AF-{k}",
                "name": f"Unit {k}",
                "country": "AF",
            },
            "geometry": mapping(shape),
        }
        for k, shape in enumerate(small + big)
    ]
    outline = {
        "type": "Feature",
        "properties": {"region_id": "AF", "name": "AF"},
        "geometry": mapping(country),
    }
    (directory / "admin1.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    (directory / "countries.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [outline]})
    )
    one = ged_countries().iloc[:1]
    assert one["iso2"].tolist() == ["AF"]
    units = _units(one, directory, seed=3)
    area = np.array([shape.area for shape in units.geometry])
    weight_small, weight_big = units.weight[area < 2], units.weight[area > 2]
    assert len(weight_small) == len(weight_big) == 800
    ratio = np.log(np.median(weight_big) / np.median(weight_small))
    assert abs(ratio - math.log(2)) < 0.35
    assert np.quantile(weight_small, 0.9) / np.median(weight_small) > 2


def test_a_world_without_units_for_the_ged_countries_is_refused(tmp_path):
    world = tiny_world(tmp_path / "bare", admin1=False)
    with pytest.raises(
        ValueError, match=r"^no admin-1 unit found for the GED countries$"
    ):
        write_ged(tmp_path / "ged.csv", 10, world=world)
    assert not (tmp_path / "ged.csv").exists()


def test_countries_are_drawn_in_the_table_s_proportions(rows):
    """Each country's share of N rows against its weight in the table (of 200):
    within four standard errors of a binomial share, sqrt(p (1 - p) / N)."""
    share = rows["country"].map(TABLE_COUNTRY_CODES).value_counts() / N
    for code, weight in TABLE_WEIGHTS.items():
        p = weight / 200
        assert abs(share.get(code, 0.0) - p) < 4 * math.sqrt(p * (1 - p) / N), code


def test_units_are_drawn_in_proportion_to_their_weights(rows, world):
    """Within each country of 100 rows or more, the share of its western unit
    against that unit's weight, within four binomial standard errors."""
    units = _units(ged_countries(), world, seed=3)
    weight = dict(zip(units.name, units.weight, strict=True))
    codes = rows["country"].map(TABLE_COUNTRY_CODES)
    checked = 0
    for code in ISO2:
        mine = rows.loc[codes == code, "adm_1"]
        if len(mine) < 100:
            continue
        p = weight[f"{code} West"]
        share = (mine == f"{code} West").mean()
        assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / len(mine)) + 1e-9, code
        checked += 1
    assert checked >= 8


def test_points_spread_evenly_over_their_unit(rows):
    """In the eastern units (2 by 2), a point's place across the unit, from 0 to
    1 each way, is uniform: mean 1/2 within four standard errors of
    sqrt(1 / 12 / n), and half of the points on either side of the middle."""
    codes = rows["country"].map(TABLE_COUNTRY_CODES)
    east_rows = rows["adm_1"].str.endswith(" East")
    first = codes[east_rows].map(ISO2.index) * 4 + 1
    u = (rows.loc[east_rows, "longitude"].astype(float) - first) / 2
    v = rows.loc[east_rows, "latitude"].astype(float) / 2
    n = len(u)
    assert n > 500
    for part in (u, v):
        assert part.between(0, 1).all()
        assert abs(part.mean() - 0.5) < 4 * math.sqrt(1 / 12 / n)
        assert abs((part < 0.5).mean() - 0.5) < 4 * math.sqrt(0.25 / n)


def test_point_keys_tell_points_apart_at_six_decimals():
    # Corners of the world, neighbours a millionth of a degree apart each way,
    # and a point given twice: equal keys exactly for equal six-decimal points.
    lon = np.array([-180, 180, -180, 180, 10.0, 10.000001, 10.0, 10.0, 10.0000001])
    lat = np.array([-90, -90, 90, 90, 5.0, 5.0, 5.000001, 5.0, 5.0])
    keys = _point_keys(lon, lat)
    assert keys.dtype == np.int64
    assert len(set(keys[:7].tolist())) == 7
    assert keys[7] == keys[4]
    # 10.0000001 is 10.000000 at six decimals.
    assert keys[8] == keys[4]


def test_active_years_are_whole_years_of_six_or_more_from_1989_to_2023():
    """Each country's active days run from the 1st of January of one year to
    the 31st of December of a later one, at least six years in all, within
    1989-2023; over many countries the spans differ, from six years to most of
    the 35, and some run on to the end of 2023."""
    first, last = _active_days(3_000, seed=5)
    assert first.dtype == np.int64 and last.dtype == np.int64
    start = first.astype("datetime64[D]")
    stop = last.astype("datetime64[D]")
    start_year = start.astype("datetime64[Y]").astype(int) + 1970
    stop_year = stop.astype("datetime64[Y]").astype(int) + 1970
    assert (start == start.astype("datetime64[Y]").astype("datetime64[D]")).all()
    after = (stop + 1).astype("datetime64[Y]").astype("datetime64[D]")
    assert (stop + 1 == after).all()  # the day after is a 1st of January
    assert start_year.min() == 1989
    assert stop_year.max() == 2023
    years = stop_year - start_year + 1
    assert years.min() == 6
    assert years.max() >= 30
    assert len(set(years.tolist())) >= 20


def test_spans_start_within_the_active_days_and_keep_their_shapes():
    """Per row, date_prec 1 starts on a day of its country's active days, and
    over 3,000 rows every day of a three-day window is met; date_prec 2 spans
    each of 1 to 5 days; date_prec 4 has both whole months (the 1st to the
    last day) and parts of months starting on different days; date_prec 5
    whole years and parts of years likewise."""
    rng = np.random.default_rng(9)
    n = 3_000
    first = np.full(n, 10_000, dtype=np.int64)  # 1997-05-19
    last = first + 2
    prec, start, end = _spans(rng, n, first, last)
    days = start.astype(np.int64)
    exact = prec == 1
    assert days[exact].min() == 10_000
    assert days[exact].max() == 10_002
    assert set(days[exact].tolist()) == {10_000, 10_001, 10_002}
    span = (end - start).astype(np.int64)
    assert set(span[prec == 2].tolist()) == {1, 2, 3, 4, 5}
    four = prec == 4
    month_start = start[four].astype("datetime64[M]").astype("datetime64[D]")
    month_end = (start[four].astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    whole = (start[four] == month_start) & (end[four] == month_end)
    assert whole.any()
    assert not whole.all()
    assert len(set(start[four][~whole].tolist())) > 1
    # date_prec 5 likewise: whole years (1 January to 31 December) and parts.
    five = prec == 5
    year_start = start[five].astype("datetime64[Y]").astype("datetime64[D]")
    year_end = (start[five].astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    whole = (start[five] == year_start) & (end[five] == year_end)
    assert whole.any()
    assert not whole.all()
    assert len(set(start[five][~whole].tolist())) > 1


def read_table() -> dict[str, dict[str, str]]:
    """tables/ged_countries.csv by UCDP's country name, read as plain CSV."""
    table = PROJECT_DIR / "src" / "imu_geo" / "tables" / "ged_countries.csv"
    with table.open(encoding="utf-8") as handle:
        return {row["country"]: row for row in csv.DictReader(handle)}


def test_rows_carry_their_country_s_codes_and_ged_conventions(rows):
    """Per row, against the country table and GED's conventions: its code,
    region and relid prefix; the government's side and Gleditsch-Ward number
    in state-based conflict (type 1); a dyad named after its sides; the
    synthetic names; no source counted before 2005 (-1, fields empty)."""
    table = read_table()
    for row in rows.itertuples(index=False):
        country = table[row.country]
        assert row.country_id == country["country_id"]
        assert row.region == country["region"]
        assert row.relid.startswith(
            f"{country['iso3']}-{row.year}-{row.type_of_violence}-"
            f"{row.conflict_dset_id}-"
        )
        assert int(row.relid.rpartition("-")[2]) == int(row.id) % 997
        assert row.conflict_new_id == row.conflict_dset_id
        assert row.dyad_new_id == row.dyad_dset_id
        assert row.side_a_new_id == row.side_a_dset_id
        assert row.side_b_new_id == row.side_b_dset_id
        assert row.conflict_name == (
            f"{row.country}: synthetic conflict {row.conflict_dset_id}"
        )
        assert row.dyad_name == f"{row.side_a} - {row.side_b}"
        if row.type_of_violence == "1":
            assert row.side_a == f"Government of {row.country}"
            assert row.side_a_dset_id == row.gwnoa == row.country_id
            assert row.side_b.startswith("Synthetic group ")
        else:
            assert row.gwnoa == ""
            assert row.side_a.startswith("Synthetic group ")
        if row.type_of_violence == "2":
            assert row.side_b.startswith("Synthetic militia ")
        if row.type_of_violence == "3":
            assert row.side_b_dset_id == "1"
            assert row.deaths_civilians == row.best
        assert row.where_coordinates == f"Synthetic place {row.id}"
        assert row.where_description == f"Near Synthetic place {row.id}"
        assert row.code_status == "Clear"
        assert row.source_original == "Synthetic source"
        assert row.adm_2 == "" and row.gwnob == ""
        assert row.event_clarity in ("1", "2") and row.active_year in ("0", "1")
        if int(row.year) < 2005:
            assert row.number_of_sources == "-1"
            assert row.source_article == f"S {row.id}"
            assert row.source_office == row.source_date == row.source_headline == ""
        else:
            assert 1 <= int(row.number_of_sources) <= 4
            assert row.source_office == "Synthetic News"
            assert row.source_headline == f"Synthetic report {row.id}"
            assert row.source_article == (
                f'"Synthetic News,{row.source_date},Synthetic report {row.id}"'
            )
            days = (pd.Timestamp(row.source_date) - pd.Timestamp(row.date_end)).days
            assert 0 <= days <= 3


def test_codes_come_in_the_proportions_of_the_ged_extract(rows):
    """where_prec and type_of_violence against their counts in the GED 19.1
    extract (3,194 rows), within four binomial standard errors of N rows; and
    a few sides per country and type (the conflict numbers)."""
    for column, counts in (
        ("where_prec", (559, 499, 514, 683, 572, 360, 7)),
        ("type_of_violence", (1390, 284, 1520)),
    ):
        share = rows[column].astype(int).value_counts() / N
        for code, count in enumerate(counts, start=1):
            p = count / 3194
            bound = 4 * math.sqrt(p * (1 - p) / N) + 1 / N
            assert abs(share.get(code, 0.0) - p) < bound, (column, code)
    # Estimates: some events with no death (7%), high above best for some.
    best = rows["best"].astype(int)
    assert 0.07 - 4 * math.sqrt(0.07 * 0.93 / N) < (best == 0).mean()
    assert (best == 0).mean() < 0.07 + 4 * math.sqrt(0.07 * 0.93 / N)
    assert (rows["high"].astype(int) > best).any()
    assert (rows["low"].astype(int) < best).any()


def test_rows_drawn_again_until_no_two_share_a_point():
    """One unit of 0.00001 by 0.00001 degrees holds 9 x 9 points at six
    decimals inside it (its edges hold none): 50 rows drawn there, with 9 of
    the 81 points taken already, meet on a point many times over, and must be
    drawn again until all 50 are apart and none is on a point taken before."""
    shape = box(0, 0, 0.00001, 0.00001)
    shapely.prepare(shape)
    units = _Units(
        country=np.array([0]),
        name=np.array(["Tiny"], dtype=object),
        geometry=np.array([shape], dtype=object),
        bounds=np.array([shape.bounds]),
        weight=np.array([1.0]),
    )
    taken_lon = np.arange(1, 10) / 1e6
    taken_lat = np.full(9, 0.000005)
    taken = _point_keys(taken_lon, taken_lat)
    day = np.array([10_000], dtype=np.int64)
    frame, seen = _chunk(
        1,
        50,
        np.random.default_rng(2),
        ged_countries().iloc[:1],
        units,
        (day, day + 400),
        np.sort(taken),
    )
    points = set(zip(frame["longitude"], frame["latitude"], strict=True))
    assert len(points) == 50
    micro = {(round(float(x) * 1e6), round(float(y) * 1e6)) for x, y in points}
    assert all(1 <= x <= 9 and 1 <= y <= 9 for x, y in micro)
    assert not micro & {(x, 5) for x in range(1, 10)}
    assert len(seen) == 59
    assert set(taken.tolist()) <= set(seen.tolist())


def test_a_few_conflicts_per_country_and_type_each_with_its_own_group(rows):
    """Conflicts are whole numbers, each in one country and one type of
    violence, four of them for a country and type (the chance that 60 rows
    miss one of four is 4 x (3/4)^60, about 1e-7), each with one armed group
    named "Synthetic group 1" to "4"."""
    assert rows["conflict_dset_id"].str.fullmatch(r"\d+").all()
    pairs = rows.groupby("conflict_dset_id")[["country", "type_of_violence"]]
    assert (pairs.nunique() == 1).all().all()
    per_pair = rows.groupby(["country", "type_of_violence"])["conflict_dset_id"]
    assert per_pair.nunique().max() == 4
    busy = per_pair.size() >= 60
    assert busy.sum() >= 5
    assert (per_pair.nunique()[busy] == 4).all()
    group = rows["side_a"].where(rows["type_of_violence"] != "1", rows["side_b"])
    assert group.str.fullmatch(r"Synthetic group [1-4]").all()
    assert (group.groupby(rows["conflict_dset_id"]).nunique() == 1).all()


def test_dyads_militias_and_deaths(rows):
    """A dyad id per conflict (positive whole numbers, one-to-one); in type 2
    the militia carries its conflict's group number; deaths: a median of 2
    among events with any, about 0.1% above 100 (a lognormal of mu 0.6 and
    sigma 1.3: (ln 100 - 0.6) / 1.3 = 3.08 sigmas), bounded here by 1%, and
    low estimates varied among events of one best estimate."""
    assert rows["dyad_dset_id"].str.fullmatch(r"\d+").all()
    by_conflict = rows.groupby("conflict_dset_id")["dyad_dset_id"].nunique()
    by_dyad = rows.groupby("dyad_dset_id")["conflict_dset_id"].nunique()
    assert (by_conflict == 1).all() and (by_dyad == 1).all()
    two = rows[rows["type_of_violence"] == "2"]
    assert len(two) > 100
    number = two["side_a"].str.removeprefix("Synthetic group ")
    assert (two["side_b"] == "Synthetic militia " + number).all()
    best = rows["best"].astype(int)
    assert best[best > 0].median() == 2
    assert (best > 100).mean() < 0.01
    # Events of equal best do not all have the same low estimate, within one
    # chunk of rows (ids 1 to 1,000) as well as across chunks.
    some = (best >= 10) & (rows["id"].astype(int) <= 1_000)
    assert rows[some].groupby("best")["low"].nunique().max() > 1


def test_a_point_on_a_whole_degree_is_written_without_decimals():
    """A unit that holds one six-decimal point inside it, (1, 1): written
    1.000000 in latitude and longitude, and POINT (1 1) in geom_wkt, as GED
    drops trailing zeros and the point."""
    shape = box(0.999999, 0.999999, 1.000001, 1.000001)
    shapely.prepare(shape)
    units = _Units(
        country=np.array([0]),
        name=np.array(["Whole"], dtype=object),
        geometry=np.array([shape], dtype=object),
        bounds=np.array([shape.bounds]),
        weight=np.array([1.0]),
    )
    day = np.array([10_000], dtype=np.int64)
    frame, _ = _chunk(
        1,
        1,
        np.random.default_rng(4),
        ged_countries().iloc[:1],
        units,
        (day, day + 400),
        np.empty(0, dtype=np.int64),
    )
    assert frame["longitude"].tolist() == ["1.000000"]
    assert frame["latitude"].tolist() == ["1.000000"]
    assert frame["geom_wkt"].tolist() == ["POINT (1 1)"]


def test_most_events_are_clear(rows):
    # GED's event_clarity: 1 for a clear event, 2 for a less clear one.
    clarity = rows["event_clarity"]
    assert set(clarity) == {"1", "2"}
    assert (clarity == "1").mean() > 0.5

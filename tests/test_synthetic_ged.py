"""GED-shaped synthetic rows: the real layout, points inside their country, no two
events on one point, consistent estimates and date spans, and an import that
keeps every row (the benchmark counts against the file, so a rejected row would
make its check wrong)."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from imu_geo.importers import import_file
from imu_geo.importers.places import normalise_name, world_country_codes
from imu_geo.synthetic_ged import priogrid_gid, write_ged
from tests.conftest import PROJECT_DIR
from tests.source_rows import GED_COLUMNS

# The header of a GED 22.x/23.x CSV: the HDX Pakistan copy's header without the
# iso3 column HDX inserts after country (LAYOUTS, UCDP GED 2.1).
REAL_HEADER = ",".join([*GED_COLUMNS, "gwnoa", "gwnob"])
N = 3_000


# Written again for each test (not once a module): a mutation run runs, for a
# mutant, only the tests that reached the mutated function, and a shared
# fixture reaches it in the first test alone.
@pytest.fixture
def written(tmp_path):
    # Chunks smaller than the file: uniqueness must hold across chunks.
    return write_ged(tmp_path / "ged.csv", N, seed=3, chunk_rows=1_000)


@pytest.fixture
def rows(written):
    return pd.read_csv(written, dtype=str, keep_default_na=False)


def test_the_header_is_the_real_one(written):
    assert written.read_text(encoding="utf-8").split("\n", 1)[0] == REAL_HEADER


def test_same_seed_same_bytes_other_seed_other_bytes(written, tmp_path):
    again = write_ged(tmp_path / "again.csv", N, seed=3, chunk_rows=1_000)
    other = write_ged(tmp_path / "other.csv", N, seed=4, chunk_rows=1_000)
    assert again.read_bytes() == written.read_bytes()
    assert other.read_bytes() != written.read_bytes()


def test_ids_and_points_are_unique(rows):
    assert rows["id"].is_unique
    assert len(rows) == N
    assert not rows.duplicated(["latitude", "longitude"]).any()


def test_every_point_lies_inside_its_country(rows):
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
    assert priogrid_gid(np.array([74.355544]), np.array([34.821865]))[0] == 179789


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


def test_the_importer_keeps_every_row(written):
    # Not every row: 400 are enough to meet every country and code.
    text = written.read_text(encoding="utf-8")
    head = "".join(io.StringIO(text).readlines()[:401])
    assert len(list(csv.reader(io.StringIO(head)))) == 401
    result = import_file("ged.csv", head.encode("utf-8"))
    assert result.n_rejected == 0
    assert result.n_rows == 400
    assert len(result.events) == 400
    assert result.n_repaired == 0

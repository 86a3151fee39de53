"""The portable SQL subset reads the same on DuckDB and on Spark.

``imu_geo.engine.queries`` writes its SQL once, in a subset both engines are
meant to read alike (see :mod:`imu_geo.engine.queries`). Each probe below uses
one construct of that subset over a small Parquet file written here, in the
store's column types, and is held to a result worked out by hand: on DuckDB, on
Spark, and so to the same frame on both (the same values, column names, order
and normalised types).

The hazards at the end are the reasons for the subset's rules: SQL that both
engines accept but answer differently, each beside the portable way of writing
it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imu_geo.engine.base import Engine

TABLE = "probe"
_EPOCH = date(1970, 1, 1)

# Rows written for these tests; the text is not about any real event.
# row_id, date_start, date_end, layer, event_type, search text (before
# casefolding), keys, best, low, lon, lat
ROWS = [
    (0, date(1999, 2, 16), date(1999, 2, 16), "attack", "bombing",
     "Market blast\nCity A", "|A|", 16, 13, 69.3, 41.3),
    (1, date(1999, 8, 1), date(1999, 10, 31), "attack", "hostage",
     "Mountain hostages\nStraße B", "|B|", None, None, 71.7, 40.1),
    (2, date(2000, 8, 11), date(2000, 8, 31), "attack", "clash",
     "Border incursion\nВАЛЛИ C", "|A|C|", 7, 5, 67.5, 38.0),
    (3, date(2001, 1, 1), date(2001, 12, 31), "base", "base",
     "Camp D\nValley", "|C|", None, None, 71.0, 40.9),
    (4, date(2001, 11, 10), date(2001, 11, 20), "attack", "clash",
     "Siege E\nNorth", "|D|", 30, None, -0.5, -1.5),
    (5, date(2004, 3, 28), date(2004, 4, 1), "attack", "bombing",
     "Blasts F\nCapital", "|A|", 47, 33, None, None),
    (6, date(2007, 1, 1), date(2009, 12, 31), "context", "other",
     "Presence G\nSTRASSEN", "|B|D|", None, None, -3.0, 0.0),
]  # fmt: skip


def probe_table() -> pa.Table:
    """``ROWS`` in the types the store writes: BIGINT ids and figures, DATE
    dates, INT day numbers, DOUBLE coordinates, casefolded search text."""
    columns = list(zip(*ROWS, strict=True))
    return pa.table(
        {
            "row_id": pa.array(columns[0], pa.int64()),
            "date_start": pa.array(columns[1], pa.date32()),
            "date_end": pa.array(columns[2], pa.date32()),
            "day_start": pa.array([(d - _EPOCH).days for d in columns[1]], pa.int32()),
            "day_end": pa.array([(d - _EPOCH).days for d in columns[2]], pa.int32()),
            "layer": pa.array(columns[3], pa.string()),
            "event_type": pa.array(columns[4], pa.string()),
            "search": pa.array([t.casefold() for t in columns[5]], pa.string()),
            "keys": pa.array(columns[6], pa.string()),
            "best": pa.array(columns[7], pa.int64()),
            "low": pa.array(columns[8], pa.int64()),
            "lon": pa.array(columns[9], pa.float64()),
            "lat": pa.array(columns[10], pa.float64()),
        }
    )


@pytest.fixture(scope="module")
def probe_path(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("portability") / "probe.parquet"
    pq.write_table(probe_table(), path)
    return str(path)


def ints(*values) -> pd.Series:
    return pd.Series(values, dtype="Int64")


def texts(*values) -> pd.Series:
    return pd.Series(values, dtype="str")


def days(*values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[ns]")


def floats(*values) -> pd.Series:
    return pd.Series(values, dtype="float64")


def frame(**columns: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(columns)


# id, SQL, parameters, the expected frame (worked out by hand from ROWS).
PROBES = [
    (
        "date window with date parameters",
        "SELECT row_id, date_start FROM probe "
        "WHERE date_start <= :end AND date_end >= :start ORDER BY date_start, row_id",
        {"start": date(2000, 1, 1), "end": date(2001, 12, 31)},
        frame(
            row_id=ints(2, 3, 4),
            date_start=days("2000-08-11", "2001-01-01", "2001-11-10"),
        ),
    ),
    (
        "date equality with a date parameter",
        "SELECT row_id FROM probe WHERE date_start = :day ORDER BY row_id",
        {"day": date(2001, 1, 1)},
        frame(row_id=ints(3)),
    ),
    (
        "day numbers compared with an int parameter",
        "SELECT row_id FROM probe WHERE day_start >= :first ORDER BY row_id",
        {"first": 11180},  # 2000-08-11
        frame(row_id=ints(2, 3, 4, 5, 6)),
    ),
    (
        "instr on casefolded text, German sharp s",
        "SELECT row_id FROM probe WHERE instr(search, :text) > 0 ORDER BY row_id",
        {"text": "Straße".casefold()},
        frame(row_id=ints(1, 6)),
    ),
    (
        "instr on casefolded text, Cyrillic",
        "SELECT row_id FROM probe WHERE instr(search, :text) > 0 ORDER BY row_id",
        {"text": "валли"},
        frame(row_id=ints(2)),
    ),
    (
        "instr on delimited keys, any of two",
        "SELECT row_id FROM probe "
        "WHERE (instr(keys, :a) > 0 OR instr(keys, :b) > 0) ORDER BY row_id",
        {"a": "|C|", "b": "|D|"},
        frame(row_id=ints(2, 3, 4, 6)),
    ),
    (
        "concat with a parameter",
        "SELECT row_id, concat(layer, :sep, event_type) AS label FROM probe "
        "WHERE row_id IN (:a, :b) ORDER BY row_id",
        {"sep": " / ", "a": 3, "b": 6},
        frame(row_id=ints(3, 6), label=texts("base / base", "context / other")),
    ),
    (
        "floor binning into grid cells, negative coordinates included",
        "SELECT cast(floor(lon / :cell) AS BIGINT) AS cx, "
        "cast(floor(lat / :cell) AS BIGINT) AS cy, count(*) AS events FROM probe "
        "WHERE lon IS NOT NULL AND lat IS NOT NULL "
        "GROUP BY cast(floor(lon / :cell) AS BIGINT), "
        "cast(floor(lat / :cell) AS BIGINT) ORDER BY cx, cy",
        {"cell": 2.0},
        # lon/2, lat/2 floored: row 0 (34, 20), 1 (35, 20), 2 (33, 19),
        # 3 (35, 20), 4 (-1, -1), 6 (-2, 0); row 5 has no point.
        frame(
            cx=ints(-2, -1, 33, 34, 35),
            cy=ints(0, -1, 19, 20, 20),
            events=ints(1, 1, 1, 1, 2),
        ),
    ),
    (
        "CASE WHEN counts",
        "SELECT count(*) AS events, "
        "cast(sum(CASE WHEN layer = 'attack' THEN 1 ELSE 0 END) AS BIGINT) AS attacks, "
        "cast(sum(CASE WHEN layer = 'base' THEN 1 ELSE 0 END) AS BIGINT) AS bases "
        "FROM probe WHERE date_start >= :since",
        {"since": date(1999, 6, 1)},
        frame(events=ints(6), attacks=ints(4), bases=ints(1)),
    ),
    (
        "group-by with sum, min and max of nullable figures and dates",
        "SELECT event_type, count(*) AS events, cast(sum(best) AS BIGINT) AS best, "
        "min(low) AS low_min, max(best) AS best_max, min(date_start) AS first_event, "
        "max(date_end) AS last_event FROM probe GROUP BY event_type "
        "ORDER BY event_type",
        {},
        frame(
            event_type=texts("base", "bombing", "clash", "hostage", "other"),
            events=ints(1, 2, 2, 1, 1),
            best=ints(None, 63, 37, None, None),
            low_min=ints(None, 13, 5, None, None),
            best_max=ints(None, 47, 30, None, None),
            first_event=days(
                "2001-01-01", "1999-02-16", "2000-08-11", "1999-08-01", "2007-01-01"
            ),
            last_event=days(
                "2001-12-31", "2004-04-01", "2001-11-20", "1999-10-31", "2009-12-31"
            ),
        ),
    ),
    (
        "ORDER BY a key then row_id, LIMIT and OFFSET",
        "SELECT row_id FROM probe WHERE layer = :layer "
        "ORDER BY event_type, row_id LIMIT 2 OFFSET 1",
        {"layer": "attack"},
        # bombing 0, 5; clash 2, 4; hostage 1: skip one, take two.
        frame(row_id=ints(5, 2)),
    ),
    (
        "ORDER BY a nullable figure with its nulls placed",
        "SELECT row_id, best FROM probe ORDER BY best DESC NULLS LAST, row_id",
        {},
        frame(
            row_id=ints(5, 4, 0, 2, 1, 3, 6),
            best=ints(47, 30, 16, 7, None, None, None),
        ),
    ),
    (
        "IN list of parameters, one matching nothing",
        "SELECT row_id FROM probe WHERE event_type IN (:p0, :p1, :p2) ORDER BY row_id",
        {"p0": "bombing", "p1": "hostage", "p2": "none"},
        frame(row_id=ints(0, 1, 5)),
    ),
    (
        "rows after a row_id, as export batches page",
        "SELECT row_id FROM probe WHERE row_id > :after ORDER BY row_id LIMIT 2",
        {"after": 4},
        frame(row_id=ints(5, 6)),
    ),
    (
        "coalesce and casts",
        "SELECT row_id, coalesce(best, low, -1) AS figure, "
        "cast(day_start AS BIGINT) AS day, cast(best AS DOUBLE) AS best_f "
        "FROM probe WHERE row_id <= :last ORDER BY row_id",
        {"last": 2},
        frame(
            row_id=ints(0, 1, 2),
            figure=ints(16, -1, 7),
            day=ints(10638, 10804, 11180),
            best_f=floats(16.0, np.nan, 7.0),
        ),
    ),
    (
        "an empty selection keeps its column types",
        "SELECT row_id, layer, date_start, best, lon FROM probe WHERE 1 = 0",
        {},
        frame(
            row_id=ints(),
            layer=texts(),
            date_start=days(),
            best=ints(),
            lon=floats(),
        ),
    ),
    (
        "aggregates over an empty selection",
        "SELECT count(*) AS events, cast(sum(best) AS BIGINT) AS best, "
        "min(date_start) AS first_event FROM probe WHERE layer = :layer",
        {"layer": "none"},
        frame(events=ints(0), best=ints(None), first_event=days(None)),
    ),
]


_answers: dict[tuple[str, str, str, str], pd.DataFrame] = {}


def run(engine: Engine, path: str, sql: str, params: dict) -> pd.DataFrame:
    """The engine's answer; kept, since both tests of a probe ask for it and a
    query on a local Spark takes the better part of a second."""
    key = (engine.name, path, sql, repr(sorted(params.items())))
    if key not in _answers:
        engine.register(TABLE, path)
        _answers[key] = engine.query(sql, params)
    return _answers[key].copy()


@pytest.mark.parametrize(
    ("sql", "params", "expected"),
    [pytest.param(*probe[1:], id=probe[0]) for probe in PROBES],
)
def test_probe_gives_the_hand_worked_result(engine, probe_path, sql, params, expected):
    found = run(engine, probe_path, sql, params)
    pd.testing.assert_frame_equal(found, expected)


@pytest.mark.parametrize(
    ("sql", "params"),
    [pytest.param(*probe[1:3], id=probe[0]) for probe in PROBES],
)
def test_probe_is_the_same_frame_on_both_engines(
    duckdb_engine, spark_engine, probe_path, sql, params
):
    pd.testing.assert_frame_equal(
        run(spark_engine, probe_path, sql, params),
        run(duckdb_engine, probe_path, sql, params),
    )


# id, SQL outside the subset, DuckDB's answer, Spark's answer, the portable SQL,
# the answer both give to it. Rows 0 (lon 69.3) and 4 (lon -0.5) are read.
HAZARDS = [
    (
        "floor gives DOUBLE on DuckDB and BIGINT on Spark: cast it",
        "SELECT floor(lon) AS f FROM probe WHERE row_id IN (0, 4) ORDER BY row_id",
        frame(f=floats(69.0, -1.0)),
        frame(f=ints(69, -1)),
        "SELECT cast(floor(lon) AS BIGINT) AS f FROM probe "
        "WHERE row_id IN (0, 4) ORDER BY row_id",
        frame(f=ints(69, -1)),
    ),
    (
        "a cast to INT rounds on DuckDB and truncates on Spark: floor first",
        "SELECT cast(lat AS INT) AS i FROM probe WHERE row_id IN (0, 4) "
        "ORDER BY row_id",
        frame(i=ints(41, -2)),
        frame(i=ints(41, -1)),
        "SELECT cast(floor(lat) AS INT) AS i FROM probe WHERE row_id IN (0, 4) "
        "ORDER BY row_id",
        frame(i=ints(41, -2)),
    ),
    (
        "concat skips a null on DuckDB and is null on Spark: coalesce it",
        "SELECT concat(layer, CASE WHEN best > 20 THEN '+' END) AS c FROM probe "
        "WHERE row_id IN (0, 4) ORDER BY row_id",
        frame(c=texts("attack", "attack+")),
        frame(c=texts(None, "attack+")),
        "SELECT concat(layer, coalesce(CASE WHEN best > 20 THEN '+' END, '')) AS c "
        "FROM probe WHERE row_id IN (0, 4) ORDER BY row_id",
        frame(c=texts("attack", "attack+")),
    ),
    (
        "nulls sort last on DuckDB and first on Spark: say where",
        "SELECT row_id FROM probe WHERE row_id IN (0, 1) ORDER BY best, row_id",
        frame(row_id=ints(0, 1)),
        frame(row_id=ints(1, 0)),
        "SELECT row_id FROM probe WHERE row_id IN (0, 1) "
        "ORDER BY best NULLS LAST, row_id",
        frame(row_id=ints(0, 1)),
    ),
]


@pytest.mark.parametrize(
    ("unportable", "on_duckdb", "on_spark", "portable", "expected"),
    [pytest.param(*hazard[1:], id=hazard[0]) for hazard in HAZARDS],
)
def test_hazard_differs_and_its_portable_form_agrees(
    duckdb_engine,
    spark_engine,
    probe_path,
    unportable,
    on_duckdb,
    on_spark,
    portable,
    expected,
):
    pd.testing.assert_frame_equal(
        run(duckdb_engine, probe_path, unportable, {}), on_duckdb
    )
    pd.testing.assert_frame_equal(
        run(spark_engine, probe_path, unportable, {}), on_spark
    )
    for engine in (duckdb_engine, spark_engine):
        pd.testing.assert_frame_equal(
            run(engine, probe_path, portable, {}), expected, obj=engine.name
        )

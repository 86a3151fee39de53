"""The DuckDB engine itself: its settings, its views and its errors.

The query tests (``test_engine_queries.py``, ``test_engine_portability.py``) hold
its answers to hand-worked results; these check what they do not reach. The
expected values are worked out by hand from the numbers written.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import imu_geo.engine.duckdb as duckdb_engine
from imu_geo.engine.base import EngineError
from imu_geo.engine.duckdb import DuckDBEngine, duckdb_sql


@pytest.fixture
def engine():
    made = DuckDBEngine()
    yield made
    made.close()


def write_numbers(path, numbers: list[int]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"n": pa.array(numbers, pa.int64())}), path)
    return str(path)


def total(engine: DuckDBEngine, table: str = "numbers") -> int:
    return int(engine.query(f"SELECT sum(n) AS total FROM {table}")["total"].iloc[0])


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("n > :low", "n > $low"),
        ("a = :a AND b = :b_2", "a = $a AND b = $b_2"),
        ("CAST(x AS DATE)::VARCHAR", "CAST(x AS DATE)::VARCHAR"),  # a cast stays
        ("x::date = :day", "x::date = $day"),
        ("f(:_p)", "f($_p)"),
        ("ratio:x", "ratio:x"),  # after a word: not a marker
        (":1", ":1"),  # a marker is a name
    ],
)
def test_markers_are_written_as_duckdb_parameters(sql, expected):
    assert duckdb_sql(sql) == expected


def test_the_settings_reach_the_connection():
    engine = DuckDBEngine(threads=2, memory_limit="64MiB")
    try:
        found = engine.query(
            "SELECT current_setting('threads') AS threads, "
            "current_setting('memory_limit') AS memory"
        )
        assert (int(found["threads"].iloc[0]), found["memory"].iloc[0]) == (
            2,
            "64.0 MiB",
        )
    finally:
        engine.close()


def test_a_path_with_quotes_is_registered(engine, tmp_path):
    path = write_numbers(tmp_path / "O'Brien's 'files'" / "n.parquet", [2, 3])
    engine.register("numbers", path)
    assert total(engine) == 5  # 2 + 3


def test_registering_the_same_file_again_does_not_read_it(engine, tmp_path):
    path = tmp_path / "n.parquet"
    engine.register("numbers", write_numbers(path, [1, 2]))
    path.unlink()
    # The view stands already: nothing is read, so the missing file is no error.
    engine.register("numbers", str(path))
    write_numbers(path, [4, 5])
    assert total(engine) == 9  # 4 + 5, read when the query runs


def test_another_file_under_the_same_name_replaces_the_view(engine, tmp_path):
    engine.register("numbers", write_numbers(tmp_path / "a.parquet", [1, 2]))
    engine.register("numbers", write_numbers(tmp_path / "b.parquet", [10, 20]))
    assert total(engine) == 30  # 10 + 20


@pytest.mark.parametrize("table", ["", "1st", "numbers; DROP VIEW x", "a-b"])
def test_a_table_that_is_not_a_plain_name_is_refused(engine, tmp_path, table):
    path = write_numbers(tmp_path / "n.parquet", [1])
    with pytest.raises(ValueError, match="not a table name"):
        engine.register(table, path)


def test_a_query_the_engine_cannot_run_says_why(engine):
    with pytest.raises(EngineError) as failed:
        engine.query("SELECT n FROM nowhere")
    message = str(failed.value)
    assert message.startswith("DuckDB could not run the query: ")
    assert "nowhere" in message


def test_an_engine_used_where_it_was_opened_keeps_its_connection(engine, tmp_path):
    # Only a process forked from the one that opened the engine keeps (and never
    # closes) an inherited connection.
    inherited = len(duckdb_engine._INHERITED)
    engine.register("numbers", write_numbers(tmp_path / "n.parquet", [7]))
    assert total(engine) == 7
    assert len(duckdb_engine._INHERITED) == inherited

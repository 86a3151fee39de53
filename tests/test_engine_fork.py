"""The DuckDB engine in a process forked from the one that opened it.

DuckDB runs a query on threads of the process that opened the connection, and a
fork copies only the thread that forked: a query in the child on the inherited
connection waited for those threads for ever (mutation testing forks its workers
from the process that ran the tests). The engine opens a connection of its own
in the child. Each child is stopped by an alarm, so a hang fails the test
instead of stopping the run. The expected values are worked out by hand from
the numbers written.
"""

from __future__ import annotations

import os
import pickle
import signal
import traceback
from collections.abc import Callable

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import imu_geo.engine.duckdb as duckdb_engine
from imu_geo.engine.duckdb import DuckDBEngine

ALARM_SECONDS = 30


def in_child(work: Callable[[], object]) -> object:
    """What ``work()`` returns in a forked child; fails when the child raised,
    hung past the alarm or crashed."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read)
            signal.alarm(ALARM_SECONDS)
            try:
                outcome = ("value", work())
            except Exception:
                outcome = ("error", traceback.format_exc())
            with os.fdopen(write, "wb") as pipe:
                pickle.dump(outcome, pipe)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    assert code == 0, f"the child ended with {code} (-{signal.SIGALRM:d}: it hung)"
    kind, value = pickle.loads(data)
    assert kind == "value", value
    return value


def write_numbers(path, numbers: list[int]) -> str:
    pq.write_table(pa.table({"n": pa.array(numbers, pa.int64())}), path)
    return str(path)


def total_and_rows(engine: DuckDBEngine, low: int) -> tuple[int, int]:
    found = engine.query(
        "SELECT sum(n) AS total, count(*) AS rows FROM numbers WHERE n > :low",
        {"low": low},
    )
    return int(found["total"].iloc[0]), int(found["rows"].iloc[0])


@pytest.mark.parametrize("threads", [None, 1])
def test_a_view_registered_before_the_fork_is_queried_in_the_child(tmp_path, threads):
    engine = DuckDBEngine(threads=threads)
    try:
        engine.register("numbers", write_numbers(tmp_path / "n.parquet", [1, 2, 3, 4]))
        assert total_and_rows(engine, 0) == (10, 4)  # 1 + 2 + 3 + 4
        assert in_child(lambda: total_and_rows(engine, 1)) == (9, 3)  # 2 + 3 + 4
        # The parent's connection is untouched by the child's.
        assert total_and_rows(engine, 2) == (7, 2)  # 3 + 4
    finally:
        engine.close()


def test_the_child_connection_keeps_the_engine_settings(tmp_path):
    engine = DuckDBEngine(threads=1)
    try:

        def threads() -> str:
            found = engine.query("SELECT current_setting('threads') AS threads")
            return str(found["threads"].iloc[0])

        assert threads() == "1"
        assert in_child(threads) == "1"
    finally:
        engine.close()


def test_a_view_whose_file_went_is_registered_again_in_the_child(tmp_path):
    path = tmp_path / "n.parquet"
    engine = DuckDBEngine()
    try:
        engine.register("numbers", write_numbers(path, [1, 2, 3, 4]))
        path.unlink()

        def again() -> tuple[int, int]:
            # The child cannot make the view again without the file: it forgets
            # it, so registering the same path once the file is back makes it.
            engine.register("numbers", write_numbers(path, [5, 6]))
            return total_and_rows(engine, 0)

        assert in_child(again) == (11, 2)  # 5 + 6
    finally:
        engine.close()


def test_the_child_opens_its_connection_once(tmp_path):
    engine = DuckDBEngine()
    try:
        engine.register("numbers", write_numbers(tmp_path / "n.parquet", [1, 2, 3, 4]))

        def kept_after_each_query() -> list[int]:
            # The inherited connection is kept once, at the first use; the
            # child's own connection serves every query after it.
            kept = [len(duckdb_engine._INHERITED)]
            for low in (0, 1, 2):
                total_and_rows(engine, low)
                kept.append(len(duckdb_engine._INHERITED))
            return [after - kept[0] for after in kept[1:]]

        assert in_child(kept_after_each_query) == [1, 1, 1]
    finally:
        engine.close()


def test_a_lock_held_at_the_fork_does_not_stop_the_child(tmp_path):
    engine = DuckDBEngine()
    try:
        engine.register("numbers", write_numbers(tmp_path / "n.parquet", [5, 6]))
        # As if another thread were registering a view when the process forked.
        with engine._lock:
            assert in_child(lambda: total_and_rows(engine, 0)) == (11, 2)  # 5 + 6
        assert total_and_rows(engine, 5) == (6, 1)
    finally:
        engine.close()

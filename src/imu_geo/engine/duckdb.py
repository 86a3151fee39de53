"""DuckDB in-process: the default engine, installed with ``pip`` and nothing more.

One connection per process, shared by every session; each query runs on its own
cursor, so sessions do not wait on each other's results. DuckDB reads only the
columns a query names and skips the row groups whose date statistics fall
outside the window.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

import duckdb
import pandas as pd

from imu_geo.engine.base import (
    EngineError,
    check_params,
    check_table_name,
    normalise,
)

# ``:name`` markers, not inside a string literal or after another colon.
_MARKER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def duckdb_sql(sql: str) -> str:
    """The portable ``:name`` parameter markers written as DuckDB's ``$name``."""
    return _MARKER.sub(r"$\1", sql)


class DuckDBEngine:
    """The engine of one process: DuckDB over Parquet views."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None):
        config = {}
        if threads:
            config["threads"] = threads
        if memory_limit:
            config["memory_limit"] = memory_limit
        self._connection = duckdb.connect(":memory:", config=config)
        self._lock = threading.Lock()
        self._views: dict[str, str] = {}

    def register(self, table: str, path: str) -> None:
        check_table_name(table)
        with self._lock:
            if self._views.get(table) == str(path):
                return
            literal = str(path).replace("'", "''")
            self._connection.execute(
                f"CREATE OR REPLACE VIEW {table} AS "
                f"SELECT * FROM read_parquet('{literal}')"
            )
            self._views[table] = str(path)

    def query(
        self, sql: str, params: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        values = check_params(params)
        cursor = self._connection.cursor()
        try:
            result = cursor.sql(duckdb_sql(sql), params=values or None)
            return normalise(result.to_arrow_table())
        except duckdb.Error as error:
            raise EngineError(f"DuckDB could not run the query: {error}") from error
        finally:
            cursor.close()

    def close(self) -> None:
        self._connection.close()

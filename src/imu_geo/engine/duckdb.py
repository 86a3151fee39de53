"""DuckDB in-process: the default engine, installed with ``pip`` and nothing more.

One connection per process, shared by every session; each query runs on its own
cursor, so sessions do not wait on each other's results. DuckDB reads only the
columns a query names and skips the row groups whose date statistics fall
outside the window.

A process forked from one that holds an engine opens a connection of its own at
its first use of the engine: DuckDB runs a query on threads of the process that
opened the connection, which a fork does not copy, so a query on the inherited
connection would wait for them for ever (a forked worker of a server, or of a
test run, would hang).
"""

from __future__ import annotations

import os
import re
import threading
import weakref
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


# Connections a forked process inherited. Kept, never closed nor freed: closing
# one there, or dropping its last reference, crashes the process.
_INHERITED: list[duckdb.DuckDBPyConnection] = []


# Every engine of this process, for the fork hook below.
_ENGINES: weakref.WeakSet = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """Give each engine a new lock in a forked child: one held at the fork by a
    thread the fork did not copy would never be released."""
    for engine in list(_ENGINES):
        engine._lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


class DuckDBEngine:
    """The engine of one process: DuckDB over Parquet views."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None):
        self._config: dict[str, object] = {}
        if threads:
            self._config["threads"] = threads
        if memory_limit:
            self._config["memory_limit"] = memory_limit
        # An in-memory database (DuckDB's default): the data stay in the files.
        self._connection = duckdb.connect(config=self._config)
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._views: dict[str, str] = {}
        _ENGINES.add(self)

    def _create_view(self, table: str, path: str) -> None:
        literal = path.replace("'", "''")
        self._connection.execute(
            f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{literal}')"
        )

    def _here(self) -> duckdb.DuckDBPyConnection:
        """The connection of this process: in a process forked from the one that
        opened it, a new one with the views made again (a view whose file is
        gone is forgotten, as if never registered)."""
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    _INHERITED.append(self._connection)
                    self._connection = duckdb.connect(config=self._config)
                    self._pid = os.getpid()
                    for table, path in list(self._views.items()):
                        try:
                            self._create_view(table, path)
                        except duckdb.Error:
                            del self._views[table]
        return self._connection

    def register(self, table: str, path: str) -> None:
        check_table_name(table)
        self._here()
        with self._lock:
            if self._views.get(table) == str(path):
                return
            self._create_view(table, str(path))
            self._views[table] = str(path)

    def query(
        self, sql: str, params: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        values = check_params(params)
        cursor = self._here().cursor()
        try:
            result = cursor.sql(duckdb_sql(sql), params=values or None)
            return normalise(result.to_arrow_table())
        except duckdb.Error as error:
            raise EngineError(f"DuckDB could not run the query: {error}") from error
        finally:
            cursor.close()

    def close(self) -> None:
        self._connection.close()

"""What every engine offers, and how its answers are made alike.

An engine runs the portable SQL of :mod:`imu_geo.engine.queries` over views of
Parquet files. Each backend hands its result over as an Arrow table, and
:func:`normalise` turns that into the same pandas frame whichever engine ran:
whole numbers (and DuckDB's ``HUGEINT`` sums) as nullable ``Int64``, other
numbers as ``float64``, dates and times as ``datetime64[ns]``, text as pandas'
own string type. The query tests hold both engines to identical frames.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Protocol

import pandas as pd
import pyarrow as pa

ENGINE_ENV_VAR = "IMU_GEO_ENGINE"
REMOTE_ENV_VAR = "IMU_GEO_SPARK_REMOTE"
ENGINES = ("duckdb", "spark")
# A view's name: the queries put it in the SQL text, so it must be a plain word.
TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
PARAMETER_TYPES = (bool, int, float, str, date)


class EngineError(Exception):
    """A query the engine could not run; the message says which and why."""


class Engine(Protocol):
    """A SQL engine over Parquet files."""

    name: str

    def register(self, table: str, path: str) -> None:
        """Make ``table`` a view over the Parquet file (or URL) ``path``."""

    def query(
        self, sql: str, params: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        """Run ``sql`` with its ``:name`` parameters; the result, normalised."""

    def close(self) -> None:
        """Let go of the engine's resources."""


def check_table_name(table: str) -> str:
    """``table`` when it is a plain identifier; raises ``ValueError`` otherwise."""
    if not TABLE_NAME.fullmatch(table):
        raise ValueError(f"not a table name: {table!r}")
    return table


def check_params(params: Mapping[str, object] | None) -> dict[str, object]:
    """The parameters, when each is a value both engines bind the same way."""
    checked = {}
    for name, value in (params or {}).items():
        if not TABLE_NAME.fullmatch(name):
            raise ValueError(f"not a parameter name: {name!r}")
        if value is not None and not isinstance(value, PARAMETER_TYPES):
            raise TypeError(f"parameter {name} is a {type(value).__name__}")
        checked[name] = value
    return checked


def _column_type(kind: pa.DataType) -> pa.DataType:
    if pa.types.is_integer(kind) or (pa.types.is_decimal(kind) and kind.scale == 0):
        return pa.int64()
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return pa.float64()
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        # A zoned time (Spark sends its session's zone, which is UTC) is cast
        # to a naive one in UTC, like every other date and time.
        return pa.timestamp("ns")
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return pa.string()
    return kind


def normalise(table: pa.Table) -> pd.DataFrame:
    """An engine's Arrow result as the frame every engine gives."""
    schema = pa.schema([pa.field(f.name, _column_type(f.type)) for f in table.schema])
    # The cast leaves no pandas metadata: the frame has a plain index.
    return table.cast(schema).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)

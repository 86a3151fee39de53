"""The engines the query tests run on, as pytest fixtures.

``duckdb_engine`` and ``spark_engine`` are made once per test session (a local
Spark takes seconds to start) and shared by every test that asks; ``engine``
gives each in turn, so a test written once runs on both. Spark needs PySpark
(the ``test`` extra) and Java: where either is missing its tests are skipped,
except in CI, where they fail (``.ci/run`` installs Java).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator

import pytest

from imu_geo.engine.base import ENGINES, Engine
from imu_geo.engine.duckdb import DuckDBEngine
from imu_geo.engine.spark import JAVA_HINT, java_available


def spark_missing() -> str | None:
    """Why a local Spark cannot start here, or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed (pip install -e '.[test]')"
    if not java_available():
        return JAVA_HINT
    return None


def require_spark() -> None:
    """Skip the calling test where Spark cannot start; fail it in CI."""
    reason = spark_missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI installs it (see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def duckdb_engine() -> Iterator[Engine]:
    engine = DuckDBEngine()
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def spark_engine() -> Iterator[Engine]:
    """PySpark in local mode, whatever ``IMU_GEO_SPARK_REMOTE`` says: the tests'
    Parquet files are on this machine only."""
    require_spark()
    from imu_geo.engine.spark import SparkEngine

    engine = SparkEngine(None)
    yield engine
    engine.close()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> Engine:
    """Each engine in turn."""
    return request.getfixturevalue(f"{request.param}_engine")

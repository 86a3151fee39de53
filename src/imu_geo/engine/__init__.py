"""The query engine under the dashboard and the ``imu-geo`` commands.

One setting picks it, for the app and every command alike:
``IMU_GEO_ENGINE=duckdb`` (the default: in-process, nothing to install beyond
``pip``) or ``IMU_GEO_ENGINE=spark`` (Apache Spark: local mode, or the cluster of
``IMU_GEO_SPARK_REMOTE``). Both run the same SQL from :mod:`imu_geo.engine.queries`.
"""

from __future__ import annotations

import os
import threading

from imu_geo.engine.base import (
    ENGINE_ENV_VAR,
    ENGINES,
    REMOTE_ENV_VAR,
    Engine,
    EngineError,
)

_engines: dict[tuple[str, str], Engine] = {}
_lock = threading.Lock()


def engine_name() -> str:
    """The engine the settings ask for; raises ``ValueError`` for an unknown one."""
    name = os.environ.get(ENGINE_ENV_VAR, "").strip().lower() or "duckdb"
    if name not in ENGINES:
        raise ValueError(
            f"{ENGINE_ENV_VAR}={name!r} is not an engine: use {' or '.join(ENGINES)}"
        )
    return name


def create_engine(name: str, remote: str | None = None) -> Engine:
    """A new engine of kind ``name``."""
    if name == "duckdb":
        from imu_geo.engine.duckdb import DuckDBEngine

        return DuckDBEngine()
    if name == "spark":
        from imu_geo.engine.spark import SparkEngine

        return SparkEngine(remote)
    raise ValueError(f"not an engine: {name!r}")


def get_engine() -> Engine:
    """The process's engine, as the settings choose: made once and shared by every
    session and command in the process."""
    name = engine_name()
    remote = os.environ.get(REMOTE_ENV_VAR, "").strip() if name == "spark" else ""
    with _lock:
        engine = _engines.get((name, remote))
        if engine is None:
            engine = _engines[(name, remote)] = create_engine(name, remote or None)
        return engine


__all__ = ["Engine", "EngineError", "create_engine", "engine_name", "get_engine"]

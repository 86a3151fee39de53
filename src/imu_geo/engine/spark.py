"""Apache Spark: the engine past one machine, running the same portable SQL.

``SparkEngine(remote)`` connects where ``IMU_GEO_SPARK_REMOTE`` says:

- ``sc://host:15002`` is a Spark Connect server (needs ``pyspark[connect]``);
- ``spark://host:7077``, ``yarn``, ``k8s://...`` or ``local[N]`` is a master URL,
  with this process as the driver;
- nothing means PySpark's local mode, ``local[2]``: a JVM beside this process,
  which is how the tests run it.

Each table is a temporary view over Parquet at a path or an object-store URL
(``s3a://``, ``gs://``, ``abfss://``: the cluster needs the matching Hadoop
connector). Queries keep their ``:name`` markers, which Spark binds itself
(``spark.sql(sql, args=...)``), and come back through Arrow into the frame
:func:`imu_geo.engine.base.normalise` makes for every engine.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from importlib import resources

import pandas as pd

from imu_geo.engine.base import EngineError, check_params, check_table_name, normalise

LOCAL_MASTER = "local[2]"
CONNECT_SCHEME = "sc://"
# Spark's master URLs: local mode, a standalone, Kubernetes or Mesos master, YARN.
MASTER_URL = re.compile(r"local(\[[^\]\s]+\])?|(spark|k8s|mesos)://\S+|yarn")
JAVA_HINT = (
    "Spark needs Java 17 or newer on the PATH or in JAVA_HOME "
    "(Debian: apt-get install openjdk-17-jre-headless)"
)

# Local mode shares a small machine with the server it answers: few shuffle
# partitions (the results are small), no web UI or progress bars, a modest heap,
# every address on the loopback, and UTC so dates never move with the zone.
LOCAL_CONF: dict[str, str] = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "1g",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
# Settings of the session, whichever way it was reached.
SESSION_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
}


def is_connect_url(remote: str | None) -> bool:
    """Whether ``remote`` names a Spark Connect server."""
    return bool(remote) and remote.startswith(CONNECT_SCHEME)


def check_remote(remote: str | None) -> str | None:
    """``remote`` stripped (``None`` when empty) when it is a Spark Connect URL or a
    master URL; raises ``ValueError`` with the accepted forms otherwise."""
    remote = (remote or "").strip() or None
    if remote is None or is_connect_url(remote) or MASTER_URL.fullmatch(remote):
        return remote
    raise ValueError(
        f"IMU_GEO_SPARK_REMOTE={remote!r} is neither a Spark Connect URL "
        "(sc://host:port) nor a master URL "
        "(spark://host:port, yarn, k8s://..., local[N])"
    )


def java_available() -> bool:
    """Whether a Java runtime is there for a local driver to start."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return True
    return shutil.which("java") is not None


def _first_line(error: Exception) -> str:
    """The gist of a Spark error: its first line (a JVM error goes on with its
    whole stack, which stays on the chained exception)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _quiet_query_errors() -> None:
    """PySpark logs each failed query, with Spark's whole stack, before raising
    it; here the failure becomes an :class:`EngineError` and its caller decides
    what to log."""
    from pyspark.logger import PySparkLogger

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)


def _log_config() -> str:
    """The path of the log configuration that keeps the JVM to errors only."""
    return str(resources.files("imu_geo.engine") / "spark-log4j2.properties")


class SparkEngine:
    """The engine of one process: a Spark session with Parquet views.

    A process has one Spark driver: a second engine made while the first is open
    shares its session (Spark's ``getOrCreate``), and closing either stops it.
    :func:`imu_geo.engine.get_engine` makes one per process.
    """

    name = "spark"

    def __init__(
        self, remote: str | None = None, conf: Mapping[str, str] | None = None
    ):
        """Start (or connect to) Spark. ``conf`` adds or overrides Spark settings,
        e.g. ``{"spark.driver.memory": "4g"}`` for a large local run."""
        self.remote = check_remote(remote)
        self._lock = threading.Lock()
        self._views: dict[str, str] = {}
        self._warehouse: tempfile.TemporaryDirectory | None = None
        try:
            from pyspark.sql import SparkSession
        except ImportError as error:
            raise EngineError(
                "the Spark engine needs PySpark: pip install 'imu-geo[spark]'"
            ) from error
        builder = SparkSession.builder.appName("imu-geo")
        if is_connect_url(self.remote):
            builder = builder.remote(self.remote)
        else:
            if not java_available():
                raise EngineError(JAVA_HINT)
            master = self.remote or LOCAL_MASTER
            settings = dict(LOCAL_CONF) if master.startswith("local") else {}
            if not master.startswith("local"):
                settings.update(SESSION_CONF)
            # Spark would otherwise make ``spark-warehouse`` in the working folder.
            self._warehouse = tempfile.TemporaryDirectory(prefix="imu-geo-spark-")
            settings["spark.sql.warehouse.dir"] = self._warehouse.name
            settings["spark.driver.extraJavaOptions"] = (
                f"-Dlog4j2.configurationFile=file:{_log_config()}"
            )
            if master.startswith("local"):
                # Spark looks up this machine's address before it reads its
                # settings; on the loopback it has nothing to warn about.
                os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            settings.update(conf or {})
            builder = builder.master(master)
            for key, value in settings.items():
                builder = builder.config(key, value)
        try:
            self._spark = builder.getOrCreate()
            for key, value in SESSION_CONF.items():
                self._spark.conf.set(key, value)
        except Exception as error:  # the JVM or the server did not answer
            self._cleanup()
            raise EngineError(f"Spark did not start: {_first_line(error)}") from error
        if not is_connect_url(self.remote):
            self._spark.sparkContext.setLogLevel("ERROR")
        _quiet_query_errors()

    @property
    def session(self):
        """The Spark session, for what the query layer does not cover."""
        return self._spark

    def register(self, table: str, path: str) -> None:
        check_table_name(table)
        with self._lock:
            if self._views.get(table) == str(path):
                return
            try:
                frame = self._spark.read.parquet(str(path))
                frame.createOrReplaceTempView(table)
            except Exception as error:
                raise EngineError(
                    f"Spark could not read the Parquet at {path}: {_first_line(error)}"
                ) from error
            self._views[table] = str(path)

    def query(
        self, sql: str, params: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        values = check_params(params)
        try:
            result = self._spark.sql(sql, args=values or None).toArrow()
        except Exception as error:
            raise EngineError(
                f"Spark could not run the query: {_first_line(error)}"
            ) from error
        return normalise(result)

    def close(self) -> None:
        with self._lock:
            self._views.clear()
        try:
            self._spark.stop()
        finally:
            self._cleanup()

    def _cleanup(self) -> None:
        if self._warehouse is not None:
            self._warehouse.cleanup()
            self._warehouse = None

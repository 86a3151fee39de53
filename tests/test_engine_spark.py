"""The Spark engine itself: where it connects, how it is set up, how it fails.

What it answers is held to DuckDB's and to hand-worked results in
``test_engine_portability`` and ``test_engine_parity``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imu_geo.engine.base import EngineError
from imu_geo.engine.spark import SparkEngine, check_remote, is_connect_url


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("sc://spark.example.org:15002", "sc://spark.example.org:15002"),
        (" sc://localhost ", "sc://localhost"),
        ("spark://master.example.org:7077", "spark://master.example.org:7077"),
        ("yarn", "yarn"),
        (
            "k8s://https://cluster.example.org:6443",
            "k8s://https://cluster.example.org:6443",
        ),
        ("local", "local"),
        ("local[4]", "local[4]"),
        ("local[*]", "local[*]"),
    ],
)
def test_check_remote_accepts_connect_and_master_urls(remote, expected):
    assert check_remote(remote) == expected


@pytest.mark.parametrize(
    "remote",
    ["localhost:7077", "http://spark.example.org", "sparkle", "local[2", "yarn-client"],
)
def test_check_remote_refuses_anything_else(remote):
    with pytest.raises(ValueError, match="IMU_GEO_SPARK_REMOTE"):
        check_remote(remote)


@pytest.mark.parametrize(
    ("remote", "expected"),
    [("sc://h:15002", True), ("spark://h:7077", False), (None, False), ("", False)],
)
def test_is_connect_url(remote, expected):
    assert is_connect_url(remote) is expected


def test_without_java_a_local_engine_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr("imu_geo.engine.spark.java_available", lambda: False)
    with pytest.raises(EngineError, match="Java 17"):
        SparkEngine(None)


def test_local_session_is_set_for_a_small_machine(spark_engine):
    conf = spark_engine.session.conf
    assert conf.get("spark.sql.session.timeZone") == "UTC"
    assert conf.get("spark.sql.shuffle.partitions") == "4"
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert spark_engine.session.sparkContext.master == "local[2]"


def _write(path, values) -> str:
    pq.write_table(pa.table({"row_id": pa.array(values, pa.int64())}), path)
    return str(path)


def test_register_follows_the_path_a_table_names(spark_engine, tmp_path):
    first = _write(tmp_path / "first.parquet", [1, 2])
    second = _write(tmp_path / "second.parquet", [3, 4, 5])
    spark_engine.register("moving", first)
    spark_engine.register("moving", first)  # the same view again
    count = "SELECT count(*) AS n FROM moving"
    assert spark_engine.query(count)["n"].tolist() == [2]
    spark_engine.register("moving", second)
    assert spark_engine.query(count)["n"].tolist() == [3]


def test_a_missing_file_is_an_engine_error(spark_engine, tmp_path):
    with pytest.raises(EngineError, match="could not read the Parquet"):
        spark_engine.register("missing", str(tmp_path / "nothing.parquet"))


def test_a_bad_query_is_an_engine_error_of_one_line(spark_engine):
    with pytest.raises(EngineError, match="could not run the query") as caught:
        spark_engine.query("SELECT no_such_column FROM no_such_table")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value"), [("p0", [1, 2]), ("p0", {"a": 1}), ("bad name", 1)]
)
def test_parameters_are_checked_before_spark_sees_them(spark_engine, name, value):
    with pytest.raises((TypeError, ValueError)):
        spark_engine.query("SELECT 1 AS one", {name: value})


def test_parameters_bind_by_name(spark_engine):
    found = spark_engine.query(
        "SELECT :day AS day, :n + 1 AS n, :text AS text",
        {"day": date(2001, 9, 9), "n": 41, "text": "it's"},
    )
    assert found["day"].tolist() == [pd.Timestamp("2001-09-09")]
    assert found["n"].tolist() == [42]
    assert found["text"].tolist() == ["it's"]

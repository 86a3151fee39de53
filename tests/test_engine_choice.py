"""Which engine the settings choose, and that a process makes each one once.

``IMU_GEO_ENGINE`` names the engine (DuckDB when unset or blank, in any case and
with spaces around it), and ``IMU_GEO_SPARK_REMOTE`` the Spark cluster. No Spark
starts here: its engine is replaced by a stand-in that records the cluster it
was given, so these tests check the choice, not Spark. They call the engine
module's functions through the module: imported by name, ``create_engine`` (which
names Spark's engine) would make ``--pure-only`` take them for Spark tests and
leave them out of mutation runs.
"""

from __future__ import annotations

import pytest

import imu_geo.engine as engines
import imu_geo.engine.spark as spark
from imu_geo.engine import engine_name
from imu_geo.engine.duckdb import DuckDBEngine


class StandIn:
    """Records the cluster it was made for; closes nothing."""

    def __init__(self, remote):
        self.remote = remote

    def close(self):
        pass


@pytest.fixture
def fresh(monkeypatch):
    """No engine made yet in this process, and Spark's replaced by the stand-in."""
    made: dict = {}
    monkeypatch.setattr(engines, "_engines", made)
    monkeypatch.setattr(spark, "SparkEngine", StandIn)
    monkeypatch.delenv("IMU_GEO_ENGINE", raising=False)
    monkeypatch.delenv("IMU_GEO_SPARK_REMOTE", raising=False)
    yield made
    for engine in made.values():
        engine.close()


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, "duckdb"),
        ("", "duckdb"),
        ("   ", "duckdb"),
        ("duckdb", "duckdb"),
        (" DuckDB ", "duckdb"),
        ("spark", "spark"),
        ("SPARK\n", "spark"),
    ],
)
def test_the_setting_names_the_engine(monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv("IMU_GEO_ENGINE", raising=False)
    else:
        monkeypatch.setenv("IMU_GEO_ENGINE", setting)
    assert engine_name() == expected


@pytest.mark.parametrize(
    ("setting", "shown"),
    [("oracle", "'oracle'"), (" Duck DB ", "'duck db'"), ("sparks", "'sparks'")],
)
def test_an_unknown_engine_is_refused_naming_the_choices(monkeypatch, setting, shown):
    monkeypatch.setenv("IMU_GEO_ENGINE", setting)
    with pytest.raises(ValueError) as refused:
        engine_name()
    assert str(refused.value) == (
        f"IMU_GEO_ENGINE={shown} is not an engine: use duckdb or spark"
    )


def test_create_engine_makes_a_new_engine_each_time(fresh):
    first, second = engines.create_engine("duckdb"), engines.create_engine("duckdb")
    try:
        assert isinstance(first, DuckDBEngine)
        assert first is not second
        assert first.query("SELECT 6 * 7 AS n")["n"].tolist() == [42]
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("remote", [None, "sc://cluster:15002"])
def test_create_engine_gives_spark_its_cluster(fresh, remote):
    made = engines.create_engine("spark", remote)
    assert isinstance(made, StandIn)
    assert made.remote == remote


@pytest.mark.parametrize("name", ["oracle", "DuckDB", ""])
def test_create_engine_refuses_other_names(name):
    with pytest.raises(ValueError) as refused:
        engines.create_engine(name)
    assert str(refused.value) == f"not an engine: {name!r}"


def test_the_process_engine_is_made_once(fresh, monkeypatch):
    first = engines.get_engine()
    assert isinstance(first, DuckDBEngine)
    assert engines.get_engine() is first
    # DuckDB has no cluster: the setting does not make another engine.
    monkeypatch.setenv("IMU_GEO_SPARK_REMOTE", "sc://cluster:15002")
    assert engines.get_engine() is first
    assert list(fresh) == [("duckdb", "")]


def test_each_spark_cluster_has_its_engine(fresh, monkeypatch):
    monkeypatch.setenv("IMU_GEO_ENGINE", "spark")
    local = engines.get_engine()
    assert local.remote is None  # no cluster set: local mode
    monkeypatch.setenv("IMU_GEO_SPARK_REMOTE", "  sc://a:15002 ")
    on_a = engines.get_engine()
    assert on_a.remote == "sc://a:15002"
    assert engines.get_engine() is on_a
    monkeypatch.setenv("IMU_GEO_SPARK_REMOTE", "sc://b:15002")
    on_b = engines.get_engine()
    assert on_b.remote == "sc://b:15002"
    assert len({id(local), id(on_a), id(on_b)}) == 3
    assert sorted(fresh) == [
        ("spark", ""),
        ("spark", "sc://a:15002"),
        ("spark", "sc://b:15002"),
    ]

"""What every engine's answers go through: the names and values a query may be
given, and the one frame an Arrow result becomes (:mod:`imu_geo.engine.base`).

The expected values are written by hand from the rules in the module's
docstrings: a table or parameter name is a plain word of at most 63 characters
after its first; a parameter is a bool, a whole or real number, a text, a date
or None; whole numbers come out nullable ``Int64``, other numbers ``float64``,
dates and times naive ``datetime64[ns]`` (a zoned time in UTC), text as pandas'
own string type.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from imu_geo.engine.base import check_params, check_table_name, normalise


@pytest.mark.parametrize("name", ["events", "_", "a1", "Source_2", "t" + "x" * 62])
def test_a_plain_word_is_a_table_name(name):
    assert check_table_name(name) == name


@pytest.mark.parametrize(
    "name",
    ["", "1events", "my-table", "my table", "events;", "événements", "t" + "x" * 63],
)
def test_anything_else_is_refused_as_a_table_name(name):
    with pytest.raises(ValueError) as refused:
        check_table_name(name)
    assert str(refused.value) == f"not a table name: {name!r}"


def test_parameters_of_the_kinds_both_engines_bind_pass_as_given():
    given = {
        "flag": True,
        "count": 3,
        "share": 0.5,
        "text": "Namangan",
        "day": date(1999, 2, 16),
        "moment": datetime(1999, 2, 16, 10, 30),
        "nothing": None,
    }
    assert check_params(given) == given


@pytest.mark.parametrize("params", [None, {}])
def test_no_parameters_are_an_empty_mapping(params):
    assert check_params(params) == {}


@pytest.mark.parametrize("name", ["1st", "a-b", "a b", "", "x" * 64])
def test_a_parameter_name_that_is_not_a_plain_word_is_refused(name):
    with pytest.raises(ValueError) as refused:
        check_params({"ok": 1, name: 1})
    assert str(refused.value) == f"not a parameter name: {name!r}"


@pytest.mark.parametrize(
    ("value", "kind"),
    [([1, 2], "list"), (Decimal("1.5"), "Decimal"), (b"x", "bytes"), ((1,), "tuple")],
)
def test_a_parameter_of_another_kind_is_refused_naming_it(value, kind):
    with pytest.raises(TypeError) as refused:
        check_params({"ok": "text", "bad": value})
    assert str(refused.value) == f"parameter bad is a {kind}"


def test_whole_numbers_are_nullable_int64():
    table = pa.table(
        {
            "small": pa.array([1, None], pa.int8()),
            "big": pa.array([2**40, 7], pa.int64()),
            "unsigned": pa.array([5, 6], pa.uint32()),
            # DuckDB's HUGEINT sums arrive as decimals of scale 0.
            "sum": pa.array([Decimal(12), None], pa.decimal128(38, 0)),
        }
    )
    frame = normalise(table)
    assert list(frame.dtypes) == [pd.Int64Dtype()] * 4
    assert frame["small"].tolist() == [1, pd.NA]
    assert frame["big"].tolist() == [1_099_511_627_776, 7]
    assert frame["unsigned"].tolist() == [5, 6]
    assert frame["sum"].tolist() == [12, pd.NA]


def test_other_numbers_are_float64():
    table = pa.table(
        {
            "single": pa.array([0.5, None], pa.float32()),
            "double": pa.array([1.25, 2.0], pa.float64()),
            "decimal": pa.array(
                [Decimal("1.50"), Decimal("-0.25")], pa.decimal128(5, 2)
            ),
        }
    )
    frame = normalise(table)
    assert list(frame.dtypes) == [np.dtype("float64")] * 3
    assert frame["single"].iloc[0] == 0.5 and np.isnan(frame["single"].iloc[1])
    assert frame["double"].tolist() == [1.25, 2.0]
    assert frame["decimal"].tolist() == [1.5, -0.25]


def test_dates_and_times_are_naive_nanoseconds():
    table = pa.table(
        {
            "day": pa.array([date(1999, 2, 16), None], pa.date32()),
            "moment": pa.array(
                [datetime(2001, 11, 10, 6, 30), datetime(2004, 3, 28)],
                pa.timestamp("us"),
            ),
        }
    )
    frame = normalise(table)
    assert list(frame.dtypes) == [np.dtype("datetime64[ns]")] * 2
    assert frame["day"].iloc[0] == pd.Timestamp("1999-02-16")
    assert pd.isna(frame["day"].iloc[1])
    assert frame["moment"].tolist() == [
        pd.Timestamp("2001-11-10 06:30"),
        pd.Timestamp("2004-03-28"),
    ]


def test_a_zoned_time_is_given_in_utc_without_its_zone():
    # 05:00 in Tashkent (UTC+5) is midnight UTC; 12:00 UTC stays 12:00.
    tashkent = pa.array(
        [pd.Timestamp("2000-01-01 05:00", tz="Asia/Tashkent")],
        pa.timestamp("us", tz="Asia/Tashkent"),
    )
    utc = pa.array(
        [pd.Timestamp("2000-01-01 12:00", tz="UTC")], pa.timestamp("ns", tz="UTC")
    )
    table = pa.table(
        {"local": tashkent, "utc": utc, "count": pa.array([3], pa.int32())}
    )
    frame = normalise(table)
    assert list(frame.dtypes) == [
        np.dtype("datetime64[ns]"),
        np.dtype("datetime64[ns]"),
        pd.Int64Dtype(),
    ]
    assert frame["local"].tolist() == [pd.Timestamp("2000-01-01 00:00")]
    assert frame["utc"].tolist() == [pd.Timestamp("2000-01-01 12:00")]
    assert frame["count"].tolist() == [3]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.string_view()])
def test_text_of_every_arrow_kind_is_pandas_text(kind):
    frame = normalise(pa.table({"name": pa.array(["Osh", None], kind)}))
    # What pyarrow makes of its plain string type, the oracle for the others.
    plain = pa.table({"name": pa.array(["Osh", None], pa.string())}).to_pandas()
    assert frame["name"].dtype == plain["name"].dtype
    assert frame["name"].iloc[0] == "Osh" and pd.isna(frame["name"].iloc[1])


def test_other_types_are_left_as_they_are():
    frame = normalise(pa.table({"flag": pa.array([True, False, None], pa.bool_())}))
    assert frame["flag"].tolist() == [True, False, None]

"""The UCDP GED notes' account of a row's codes and names, made column by column."""

from __future__ import annotations

import pandas as pd
import pytest

from imu_geo.importers.ucdp import _notes

# (type_of_violence, its words, date_prec, where_prec, its words, conflict_name,
# dyad_name, where_description) -> the notes' text, written out by hand.
CASES = [
    (
        (
            "1",
            "state-based conflict",
            "1",
            "1",
            "exact",
            "Pakistan: Government",
            "Government of Pakistan - TTP",
            "Wana town",
        ),
        "type_of_violence 1 (state-based conflict). date_prec 1; where_prec 1 "
        "(exact). Conflict: Pakistan: Government. Dyad: Government of Pakistan - "
        "TTP. Where: Wana town.",
    ),
    (
        ("", "", "", "", "", "", "", ""),
        "where_prec empty.",
    ),
    (
        ("9", "", "", "4", "", "", "", "Kunduz"),
        "type_of_violence 9. where_prec 4. Where: Kunduz.",
    ),
    (
        ("", "", "5", "", "province", "", "IMU - civilians", ""),
        "date_prec 5; where_prec empty (province). Dyad: IMU - civilians.",
    ),
]


@pytest.mark.parametrize(("values", "expected"), CASES)
def test_each_part_only_when_its_value_is_there(values, expected):
    columns = [pd.Series([value], dtype="str") for value in values]
    assert _notes(*columns).tolist() == [expected]


def test_rows_keep_their_own_parts():
    columns = [pd.Series([case[0][i] for case in CASES], dtype="str") for i in range(8)]
    assert _notes(*columns).tolist() == [case[1] for case in CASES]

"""The whole import (importers.core): the format recognised from the columns, the
refusals, the events assembled from a crosswalk and its places, the rules on
whole rows (duplicates, repeated and empty ids), the report, and the command's
exit code and line.

Every expected value is written out by hand from section 2 and section 4 of
docs/import.md (the columns of every imported row, the reasons of the report) and
from the rows the test writes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from imu_geo.importers import Gazetteer, ImportFailure, Limits, core
from imu_geo.importers.core import (
    _check_format,
    _row_keys,
    _unique_ids,
    detect_format,
    import_file,
    import_raw,
    import_table,
    run_import,
)
from imu_geo.importers.reading import RawTable

from .source_rows import (
    ACLED_COLUMNS,
    ANDIJAN,
    GTD_COLUMNS,
    GTD_TASHKENT,
    UCDP_BATKEN,
    UCDP_COLUMNS,
    UCDP_TAVILDARA,
    native_row,
    table_bytes,
)

NATIVE_COLUMNS = list(native_row())
MONADIC_COLUMNS = [
    c for c in ACLED_COLUMNS if c not in ("actor2", "assoc_actor_2", "inter2")
]
# UCDP GED's notes on dates written with a time of day, for one or two rows.
UCDP_TIME_NOTES = {
    1: [
        "ged.csv: date_start: 1 value carries a time of day "
        "(e.g. '1999-08-01 00:00:00.000'); only the day is kept",
        "ged.csv: date_end: 1 value carries a time of day "
        "(e.g. '1999-08-31 00:00:00.000'); only the day is kept",
    ],
}


def raw_table(
    rows: list[dict],
    columns,
    name: str = "x.csv",
    bad_rows=(),
    notes=(),
    numbers=None,
    unit: str = "row",
) -> RawTable:
    """The table the reader gives for ``rows``: text, an empty cell ``""``, rows
    numbered from 2 (the header is row 1) unless ``numbers`` says otherwise."""
    frame = pd.DataFrame(
        [[r.get(c, "") for c in columns] for r in rows],
        columns=list(columns),
        dtype="str",
    )
    numbers = np.arange(2, 2 + len(rows)) if numbers is None else np.array(numbers)
    return RawTable(
        name, frame, numbers, bad_rows=tuple(bad_rows), notes=tuple(notes), unit=unit
    )


def report_rows(result) -> list[tuple]:
    return list(result.report.itertuples(index=False, name=None))


# --- detect_format ---------------------------------------------------------------

DETECT = [
    ("ACLED", ["event_id_cnty", "event_date"], "acled"),
    ("ACLED in capitals, spaced", [" EVENT_ID_CNTY ", "Event_Date"], "acled"),
    ("ACLED lacks event_date", ["event_id_cnty", "latitude"], None),
    ("GTD", ["iyear", "imonth", "iday"], "gtd"),
    ("GTD lacks iday", ["iyear", "imonth"], None),
    ("UCDP GED", ["date_start", "date_end", "where_prec"], "ucdp"),
    (
        "native",
        ["event_id", "date_start", "date_end", "date_precision"],
        "native",
    ),
    (
        "UCDP's columns with this project's: UCDP is tried first",
        ["event_id", "date_start", "date_end", "date_precision", "where_prec"],
        "ucdp",
    ),
    (
        "ACLED's with GTD's: ACLED is tried first",
        ["iyear", "imonth", "iday", "event_id_cnty", "event_date"],
        "acled",
    ),
    (
        "GTD's with UCDP's: GTD is tried before UCDP",
        ["date_start", "date_end", "where_prec", "iyear", "imonth", "iday"],
        "gtd",
    ),
    ("no column", [], None),
    ("a column named by a number", [1, 2], None),
]


@pytest.mark.parametrize(
    ("columns", "expected"), [c[1:] for c in DETECT], ids=[c[0] for c in DETECT]
)
def test_detect_format(columns, expected):
    assert detect_format(columns) == expected


# --- small helpers ----------------------------------------------------------------


FORMAT_LIST = "auto, native, acled, ucdp, gtd"


@pytest.mark.parametrize("fmt", ["auto", "native", "acled", "ucdp", "gtd"])
def test_check_format_takes_auto_and_every_format(fmt):
    assert _check_format(fmt) is None
    assert _check_format(fmt, "x.csv") is None


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        ("ACLED", "", f"format 'ACLED' is not one of {FORMAT_LIST}"),
        ("csv", "x.csv", f"x.csv: format 'csv' is not one of {FORMAT_LIST}"),
        ("", "", f"format '' is not one of {FORMAT_LIST}"),
    ],
)
def test_check_format_refuses_others(fmt, name, message):
    with pytest.raises(ImportFailure) as caught:
        _check_format(fmt, name)
    assert str(caught.value) == message


# --- _row_keys --------------------------------------------------------------------

MIX = 0x100000001B3
WORD = 2**64


def _hand_keys(columns: list[list[str]]) -> list[int]:
    """The keys as the docstring's rule gives them, with Python's integers: each
    column's codes number its values in the order they first appear; a column
    with no value twice gives its codes; else key = key * MIX ^ code, modulo 2**64."""
    n = len(columns[0]) if columns else 0
    keys = [0] * n
    for values in columns:
        order: dict[str, int] = {}
        codes = [order.setdefault(v, len(order)) for v in values]
        if len(order) == n:
            return codes
        keys = [((k * MIX) % WORD) ^ c for k, c in zip(keys, codes, strict=True)]
    return keys


ROW_KEYS = [
    ("one column with repeats", {"a": ["x", "y", "x"]}),
    ("two columns", {"a": ["x", "y", "x", "x"], "b": ["p", "p", "q", "p"]}),
    (
        "a column with no value twice ends the keys",
        {"a": ["x", "x", "y"], "id": ["7", "8", "9"], "b": ["z", "z", "z"]},
    ),
    (
        "three columns",
        {
            "a": ["x", "y", "y", "x"],
            "b": ["p", "q", "q", "p"],
            "c": ["u", "u", "v", "u"],
        },
    ),
]


@pytest.mark.parametrize(
    "columns", [c[1] for c in ROW_KEYS], ids=[c[0] for c in ROW_KEYS]
)
def test_row_keys_follow_the_rule(columns):
    keys = _row_keys(pd.DataFrame(columns, dtype="str"))
    assert keys.dtype == np.uint64
    assert keys.tolist() == _hand_keys(list(map(list, columns.values())))


def test_row_keys_of_two_columns_written_out():
    frame = pd.DataFrame({"a": ["x", "y", "x", "x"], "b": ["p", "p", "q", "p"]})
    # a: x=0, y=1; b: p=0, q=1. key = (0 * MIX ^ a) * MIX ^ b.
    assert _row_keys(frame).tolist() == [0, MIX, 1, 0]


def test_row_keys_of_three_columns_wrap_at_64_bits():
    frame = pd.DataFrame(
        {
            "a": ["x", "y", "y", "x"],
            "b": ["p", "q", "q", "p"],
            "c": ["u", "u", "v", "u"],
        }
    )
    # a: 0, 1, 1, 0; b: 0, 1, 1, 0; c: 0, 0, 1, 0.
    wrapped = (MIX ^ 1) * MIX % WORD
    assert _row_keys(frame).tolist() == [0, wrapped, wrapped ^ 1, 0]


def test_row_keys_of_a_unique_column_are_its_codes():
    frame = pd.DataFrame({"a": ["x", "x", "y"], "id": ["9", "7", "8"]})
    assert _row_keys(frame).tolist() == [0, 1, 2]


def test_row_keys_of_no_row():
    assert _row_keys(pd.DataFrame({"a": pd.Series([], dtype="str")})).tolist() == []


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", ""]), st.sampled_from(["1", "2"])),
        min_size=2,
        max_size=12,
    )
)
def test_equal_rows_have_equal_keys(rows):
    frame = pd.DataFrame(rows, columns=["x", "y"], dtype="str")
    keys = _row_keys(frame).tolist()
    for i, first in enumerate(rows):
        for j, second in enumerate(rows):
            if first == second:
                assert keys[i] == keys[j]


# --- _unique_ids ------------------------------------------------------------------

UNIQUE = [
    ("no id twice", ["a", "b"], None, [2, 3], "-", []),
    (
        "an id three times",
        ["a", "a", "a"],
        None,
        [2, 3, 4],
        "-",
        [(1, "a", "a-2", 2), (2, "a", "a-3", 2)],
    ),
    (
        "a suffix another row holds is skipped",
        ["a", "a", "a-2"],
        None,
        [2, 3, 4],
        "-",
        [(1, "a", "a-3", 2)],
    ),
    (
        "a rejected row's id is not taken",
        ["a", "a", "a-2"],
        [True, True, False],
        [2, 3, 4],
        "-",
        [(1, "a", "a-2", 2)],
    ),
    (
        "the first kept row is the first",
        ["a", "a", "a"],
        [False, True, True],
        [2, 3, 4],
        "-",
        [(2, "a", "a-2", 3)],
    ),
    (
        "a rejected repeat is not renamed",
        ["a", "a", "b"],
        [True, False, True],
        [2, 3, 4],
        "-",
        [],
    ),
    (
        "two ids, each repeated, rows numbered by the file",
        ["a", "b", "a", "b"],
        None,
        [10, 11, 12, 13],
        "-",
        [(2, "a", "a-2", 10), (3, "b", "b-2", 11)],
    ),
    (
        "a later repeat after a skipped suffix",
        ["a", "a-2", "a", "a"],
        None,
        [2, 3, 4, 5],
        "-",
        [(2, "a", "a-3", 2), (3, "a", "a-4", 2)],
    ),
    (
        "another separator",
        ["p", "p"],
        None,
        [2, 3],
        "_",
        [(1, "p", "p_2", 2)],
    ),
]


@pytest.mark.parametrize(
    ("ids", "keep", "rows", "separator", "expected"),
    [c[1:] for c in UNIQUE],
    ids=[c[0] for c in UNIQUE],
)
def test_unique_ids(ids, keep, rows, separator, expected):
    ids = np.array(ids, dtype=object)
    keep = np.ones(len(ids), dtype=bool) if keep is None else np.array(keep)
    changes = _unique_ids(ids, keep, np.array(rows, dtype=np.int64), separator)
    assert changes == expected
    for position, _, _, first in changes:
        assert type(position) is int and type(first) is int


def test_unique_ids_take_a_hyphen_by_default():
    ids = np.array(["a", "a"], dtype=object)
    assert _unique_ids(ids, np.ones(2, dtype=bool), np.array([2, 3])) == [
        (1, "a", "a-2", 2)
    ]


@given(st.lists(st.sampled_from(["a", "b", "a-2", "b-2", "a-3"]), max_size=10))
def test_unique_ids_leave_every_kept_id_once(ids):
    array = np.array(ids, dtype=object)
    changes = _unique_ids(array, np.ones(len(ids), dtype=bool), np.arange(len(ids)))
    for position, old, new, first in changes:
        assert array[position] == old
        assert new.startswith(old + "-")
        assert first == ids.index(old)
        array[position] = new
    assert len(set(array)) == len(array)
    # The first of each id keeps it.
    for value in set(ids):
        assert array[ids.index(value)] == value


# --- import_table: refusals -------------------------------------------------------

NOT_RECOGNISED = (
    "x.csv: the format is not recognised from its columns (ACLED has "
    "event_id_cnty, event_date; UCDP GED has date_start, date_end, where_prec; "
    "GTD has iyear, imonth, iday; this project has event_id, date_start, "
    "date_end, date_precision)"
)


def test_columns_of_no_format_are_refused_naming_each_format():
    with pytest.raises(ImportFailure) as caught:
        import_table(raw_table([{"a": "1"}], ["a", "b"]))
    assert str(caught.value) == NOT_RECOGNISED


@pytest.mark.parametrize(
    ("fmt", "columns", "message"),
    [
        (
            "acled",
            ["event_id_cnty", "event_date", "geo_precision"],
            "x.csv: missing columns for ACLED: time_precision, latitude, longitude",
        ),
        (
            "ucdp",
            ["id", "date_start", "date_end", "where_prec", "LATITUDE"],
            "x.csv: missing columns for UCDP GED: longitude",
        ),
        ("gtd", ["iyear", "IDAY"], "x.csv: missing columns for GTD: imonth"),
    ],
)
def test_a_format_without_its_required_columns_is_refused(fmt, columns, message):
    # ACLED's signature is there, so "auto" finds ACLED too.
    for asked in (fmt, "auto") if fmt == "acled" else (fmt,):
        with pytest.raises(ImportFailure) as caught:
            import_table(raw_table([{}], columns), asked)
        assert str(caught.value) == message


def test_an_unknown_format_is_refused_naming_the_file():
    with pytest.raises(ImportFailure) as caught:
        import_table(raw_table([UCDP_BATKEN], UCDP_COLUMNS, "ged.csv"), "GED")
    assert str(caught.value) == f"ged.csv: format 'GED' is not one of {FORMAT_LIST}"


def test_an_unknown_date_order_is_refused():
    with pytest.raises(ImportFailure) as caught:
        import_table(raw_table([ANDIJAN], ACLED_COLUMNS), date_order="dym")
    assert str(caught.value) == (
        "x.csv: date order 'dym' is not one of auto, dmy, mdy, ymd"
    )


def test_a_date_column_read_both_ways_is_refused_naming_the_file():
    rows = [
        ANDIJAN | {"event_date": "13/06/2009"},
        ANDIJAN | {"event_date": "12/31/2009", "event_id_cnty": "UZB13"},
    ]
    with pytest.raises(ImportFailure) as caught:
        import_table(raw_table(rows, ACLED_COLUMNS, "a.csv"))
    message = str(caught.value)
    assert message.startswith("a.csv: event_date: ")
    assert "'13/06/2009'" in message and "'12/31/2009'" in message
    assert not message.startswith("a.csv: a.csv")


# --- import_table: dates in the user's order ---------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        # ACLED's layouts write day first (docs/import.md, Dates).
        ("auto", "2009-06-05"),
        ("dmy", "2009-06-05"),
        ("mdy", "2009-05-06"),
    ],
)
def test_date_order_reads_ambiguous_days(order, expected):
    rows = [ANDIJAN | {"event_date": "05/06/2009"}]
    result = import_table(raw_table(rows, ACLED_COLUMNS), "acled", date_order=order)
    assert result.events["date_start"].tolist() == [expected]
    raw = raw_table(rows, ACLED_COLUMNS, "r.csv")
    said: list[str] = []
    result = import_raw("r.csv", raw, "auto", order, progress=said.append)
    assert result.events["date_start"].tolist() == [expected]
    assert said[0] == "Crosswalking 1 row from ACLED…"


# --- import_table: UCDP GED, row by row -------------------------------------------

UCDP_NOTES = (
    "Imported from UCDP GED: id {id}. type_of_violence 1 (state-based conflict). "
    "date_prec {date_prec}; where_prec {where_prec} ({precision}). "
    "Conflict: Uzbekistan: Government. Dyad: Government of Uzbekistan - IMU. "
    "Where: Batken region."
)
BATKEN_EVENT = {
    "event_id": "ucdp-4001",
    "date_start": "1999-08-01",
    "date_end": "1999-08-31",
    "date_precision": "month",
    "date_origin": "source",
    "layer": "attack",
    "event_type": "armed_assault",
    "place_id": "",
    "geo_precision": "province",
    "place_origin": "source",
    "actors": "Government of Uzbekistan",
    "target": "IMU",
    "fatalities_low": "4",
    "fatalities_best": "4",
    "fatalities_high": "6",
    "attribution": "attributed",
    "title": "State-based conflict in Batken province",
    "description": "UCDP GED id 4001: Government of Uzbekistan - IMU at Batken "
    "province.",
    "source_quote": '"Reuters,1999-08-25,Kyrgyz troops fight rebels"',
    "source": "UCDP GED (ged.csv, row 2)",
    "notes": UCDP_NOTES.format(
        id="4001", date_prec=4, where_prec=4, precision="province"
    ),
    "lat": 39.8646,
    "lon": 70.8507,
    "place_name": "Batken province",
    "country": "KG",
    "source_id": "4001",
    "source_row": 2,
    "source_event_type": "state-based conflict",
    "source_sub_event_type": "",
}


def test_a_ucdp_file_with_repeats_empty_ids_and_a_place_from_the_gazetteer():
    rows = [
        UCDP_BATKEN,  # row 2
        UCDP_BATKEN,  # row 3: the same in every field, a duplicate
        UCDP_BATKEN | {"best": "5"},  # row 4: its id again, another event
        UCDP_TAVILDARA | {"id": ""},  # row 5: no id, no point
    ]
    said: list[str] = []
    result = import_table(
        raw_table(rows, UCDP_COLUMNS, "ged.csv"), progress=said.append
    )
    assert said == [
        "Crosswalking 4 rows from UCDP GED…",
        "Placing 4 rows on the map…",
        "Looking for repeated rows and ids…",
        "Making 3 events…",
    ]
    assert result.format == "ucdp"
    assert result.n_rows == 4
    tavildara = {
        **BATKEN_EVENT,
        "event_id": "ucdp-row-5",
        "date_start": "2000-08-11",
        "date_end": "2000-08-11",
        "date_precision": "day",
        "place_id": "tavildara",
        "geo_precision": "near",
        "fatalities_low": "3",
        "fatalities_best": "3",
        "fatalities_high": "3",
        "title": "State-based conflict in Tavildara",
        "description": "UCDP GED, with no id: Government of Uzbekistan - IMU at "
        "Tavildara town.",
        "source_quote": "[no text in the source row]",
        "source": "UCDP GED (ged.csv, row 5)",
        "notes": UCDP_NOTES.format(
            id="", date_prec=1, where_prec=2, precision="near"
        ).replace(": id . ", ", with no id. ")
        + " Placed from the gazetteer: Tavildara.",
        # The gazetteer's point of Tavildara, and its country.
        "lat": 38.6953,
        "lon": 70.4842,
        "place_name": "Tavildara",
        "country": "TJ",
        "source_id": "",
        "source_row": 5,
    }
    second = BATKEN_EVENT | {
        "event_id": "ucdp-4001-2",
        "fatalities_best": "5",
        "source": "UCDP GED (ged.csv, row 4)",
        "source_row": 4,
    }
    assert result.events.to_dict("records") == [BATKEN_EVENT, second, tavildara]
    assert report_rows(result) == [
        (3, "rejected", "", "duplicate of row 2"),
        (
            4,
            "repaired",
            "id",
            "the event_id ucdp-4001 is already used by row 2; "
            "this row's is ucdp-4001-2",
        ),
        (
            5,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Tavildara",
        ),
        (5, "repaired", "id", "is empty; this row's event_id is ucdp-row-5"),
    ]
    assert result.report["row"].dtype == np.int64
    assert result.file_notes == [
        "ged.csv: date_start: 4 values carry a time of day "
        "(e.g. '1999-08-01 00:00:00.000'); only the day is kept",
        "ged.csv: date_end: 4 values carry a time of day "
        "(e.g. '2000-08-11 00:00:00.000'); only the day is kept",
    ]
    # The rejected row as the file has it, its row number first.
    rejected = result.rejected_rows
    assert rejected.columns.tolist() == ["row", *UCDP_COLUMNS]
    assert rejected.index.tolist() == [0]
    assert rejected.iloc[0].tolist() == [
        3,
        *(UCDP_BATKEN.get(c, "") for c in UCDP_COLUMNS),
    ]
    # The places used: Tavildara only (Batken keeps its own point).
    assert result.places["place_id"].tolist() == ["tavildara"]
    assert result.places.geometry.iloc[0].equals(shapely.Point(70.4842, 38.6953))
    # The columns kept verbatim, for the three events.
    kept = result.source_columns
    assert kept["relid"].tolist() == ["KGZ-1999-1-310-1"] * 3
    assert kept["country_id"].tolist() == ["703", "703", "702"]
    assert "where_prec" not in kept.columns
    what = dict(
        zip(result.column_map["column"], result.column_map["what"], strict=True)
    )
    assert what["id"] == "crosswalked to source_id, event_id"
    assert what["relid"] == "kept verbatim"


def test_a_row_at_a_gazetteer_place_and_a_point_of_its_own_in_one_file():
    # Only rows at a place: no row keeps its own point.
    rows = [
        UCDP_TAVILDARA,
        UCDP_TAVILDARA | {"id": "4003", "best": "4", "high": "4", "low": "4"},
    ]
    result = import_table(raw_table(rows, UCDP_COLUMNS, "ged.csv"))
    events = result.events
    assert events["event_id"].tolist() == ["ucdp-4002", "ucdp-4003"]
    assert events["lat"].tolist() == [38.6953, 38.6953]
    assert events["lon"].tolist() == [70.4842, 70.4842]
    assert events["place_name"].tolist() == ["Tavildara", "Tavildara"]
    assert events["country"].tolist() == ["TJ", "TJ"]
    assert events["place_id"].tolist() == ["tavildara", "tavildara"]
    assert events["geo_precision"].tolist() == ["near", "near"]
    assert events["place_origin"].tolist() == ["source", "source"]


def test_points_of_their_own_are_rounded_to_four_places():
    rows = [
        UCDP_BATKEN | {"latitude": "39.86464999", "longitude": "70.85071"},
        UCDP_BATKEN | {"id": "4005", "latitude": "39.8", "longitude": "70.80005001"},
    ]
    events = import_table(raw_table(rows, UCDP_COLUMNS, "ged.csv")).events
    assert events["lat"].tolist() == [39.8646, 39.8]
    assert events["lon"].tolist() == [70.8507, 70.8001]
    assert events["place_id"].tolist() == ["", ""]
    assert events["place_name"].tolist() == ["Batken province"] * 2
    assert events["country"].tolist() == ["KG", "KG"]
    assert result_places_empty(rows)


def result_places_empty(rows) -> bool:
    places = import_table(raw_table(rows, UCDP_COLUMNS, "ged.csv")).places
    return len(places) == 0 and list(places.columns)[:6] == [
        "place_id",
        "name",
        "alt_names",
        "kind",
        "country",
        "admin1",
    ]


# --- import_table: ACLED, GTD without ids, ACLED's monadic layout -----------------


def test_an_acled_row_without_actors_or_id_and_one_placed_from_the_gazetteer():
    rows = [
        ANDIJAN | {"actor1": "", "actor2": "", "event_id_cnty": ""},
        ANDIJAN | {"latitude": "", "longitude": "", "location": "Tashkent"},
    ]
    result = import_table(raw_table(rows, ACLED_COLUMNS, "acled.csv", unit="record"))
    notes = (
        "Imported from ACLED: event_id_cnty {id}. ACLED type: Political violence / "
        "Explosions/Remote violence / Suicide bomb. time_precision 1 (the day); "
        "geo_precision 1 (near). ACLED source: Reuters."
    )
    common = {
        "date_start": "2009-05-26",
        "date_end": "2009-05-26",
        "date_precision": "day",
        "date_origin": "source",
        "layer": "attack",
        "event_type": "suicide_bombing",
        "geo_precision": "near",
        "place_origin": "source",
        "fatalities_low": "",
        "fatalities_best": "3",
        "fatalities_high": "",
        "attribution": "attributed",
        "source_quote": ANDIJAN["notes"],
        "country": "UZ",
        "source_event_type": "Explosions/Remote violence",
        "source_sub_event_type": "Suicide bomb",
    }
    assert result.events.to_dict("records") == [
        common
        | {
            "event_id": "acled-row-2",
            "place_id": "",
            "actors": "[no actor in the source row]",
            "target": "",
            "title": "Suicide bomb in Andijan",
            "description": "ACLED, with no event_id_cnty: Political violence / "
            "Explosions/Remote violence / Suicide bomb at Andijan.",
            "source": "ACLED (acled.csv, record 2)",
            "notes": notes.format(id="").replace(
                "ACLED: event_id_cnty . ", "ACLED, with no event_id_cnty. "
            ),
            "lat": 40.7834,
            "lon": 72.3507,
            "place_name": "Andijan",
            "source_id": "",
            "source_row": 2,
        },
        common
        | {
            "event_id": "acled-uzb12",
            "place_id": "tashkent",
            "actors": "IMU: Islamic Movement of Uzbekistan",
            "target": "Police Forces of Uzbekistan (1991-)",
            "title": "Suicide bomb in Tashkent",
            "description": "ACLED event_id_cnty UZB12: Political violence / "
            "Explosions/Remote violence / Suicide bomb at Tashkent.",
            "source": "ACLED (acled.csv, record 3)",
            "notes": notes.format(id="UZB12") + " Placed from the gazetteer: Tashkent.",
            "lat": 41.2647,
            "lon": 69.2163,
            "place_name": "Tashkent",
            "source_id": "UZB12",
            "source_row": 3,
        },
    ]
    # Both kept as they are, so only the repairs are reported.
    assert report_rows(result) == [
        (
            2,
            "repaired",
            "event_id_cnty",
            "is empty; this row's event_id is acled-row-2",
        ),
        (
            3,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Tashkent",
        ),
    ]
    assert result.rejected_rows.columns.tolist() == ["row", *ACLED_COLUMNS]
    assert len(result.rejected_rows) == 0


GTD_NO_ID = [c for c in GTD_COLUMNS if c != "eventid"]


def test_a_gtd_copy_without_eventid_keeps_identical_rows_and_says_so():
    rows = [GTD_TASHKENT, GTD_TASHKENT, GTD_TASHKENT | {"nkill": "3"}]
    result = import_table(raw_table(rows, GTD_NO_ID, "gtd.csv"))
    assert result.events["event_id"].tolist() == ["gtd-row-2", "gtd-row-3", "gtd-row-4"]
    assert result.events["source_row"].tolist() == [2, 3, 4]
    assert result.events["fatalities_best"].tolist() == ["16", "16", "3"]
    assert result.file_notes == [
        "gtd.csv: has no eventid column; each event's id is made from its row "
        "number (gtd-row-N)"
    ]
    assert report_rows(result) == [
        (
            3,
            "repaired",
            "",
            "identical to row 2; the file has no eventid to tell them apart, so it "
            "is kept as an event of its own",
        )
    ]
    assert len(result.rejected_rows) == 0


@pytest.mark.parametrize(
    ("row", "columns", "description", "notes"),
    [
        (
            UCDP_BATKEN | {"id": ""},
            UCDP_COLUMNS,
            "UCDP GED, with no id: Government of Uzbekistan - IMU at Batken province.",
            "Imported from UCDP GED, with no id. type_of_violence 1 ",
        ),
        (
            ANDIJAN | {"event_id_cnty": " "},
            ACLED_COLUMNS,
            "ACLED, with no event_id_cnty: Political violence / Explosions/Remote "
            "violence / Suicide bomb at Andijan.",
            "Imported from ACLED, with no event_id_cnty. ACLED type: ",
        ),
        (
            GTD_TASHKENT | {"eventid": ""},
            GTD_COLUMNS,
            "GTD, with no eventid: ",
            "Imported from GTD, with no eventid. ",
        ),
        (
            GTD_TASHKENT,
            GTD_NO_ID,
            "GTD, with no eventid: ",
            "Imported from GTD, with no eventid. ",
        ),
        (
            GTD_TASHKENT,
            GTD_COLUMNS,
            "GTD eventid 199902160001: ",
            "Imported from GTD: eventid 199902160001. ",
        ),
    ],
)
def test_a_row_without_an_id_says_so_in_its_description_and_notes(
    row, columns, description, notes
):
    (event,) = import_table(raw_table([row], columns, "f.csv")).events.to_dict(
        "records"
    )
    assert event["notes"].startswith(notes)
    # The whole description where it is short; its start where it is GTD's.
    assert event["description"].startswith(description)
    assert description.endswith(": ") or event["description"] == description


def test_gtd_with_eventid_rejects_an_identical_row():
    rows = [GTD_TASHKENT, GTD_TASHKENT]
    result = import_table(raw_table(rows, GTD_COLUMNS, "gtd.csv"))
    assert result.events["event_id"].tolist() == ["gtd-199902160001"]
    assert report_rows(result) == [(3, "rejected", "", "duplicate of row 2")]
    assert result.file_notes == []


def test_acled_monadic_rows_of_one_event_are_merged_not_duplicates():
    # Rows 2 and 3 are identical: ACLED lists the event once per actor, and the
    # same actor twice is still one event, not a duplicate row.
    rows = [ANDIJAN, ANDIJAN, ANDIJAN | {"actor1": "Other"}]
    result = import_table(raw_table(rows, MONADIC_COLUMNS, "m.csv"))
    assert result.events["event_id"].tolist() == ["acled-uzb12"]
    assert result.events["actors"].tolist() == [
        "IMU: Islamic Movement of Uzbekistan; Other"
    ]
    reason = (
        "the same event as row 2 (ACLED's monadic layout lists an event once per "
        "actor); this row's actor joins that event's actors"
    )
    assert report_rows(result) == [
        (3, "repaired", "event_id_cnty", reason),
        (4, "repaired", "event_id_cnty", reason),
    ]
    assert len(result.rejected_rows) == 0
    assert result.n_rows == 3
    # The kept columns are the event's row only.
    assert result.source_columns["timestamp"].tolist() == ["1700000000"]


# --- import_table: this project's own columns ---------------------------------------

# Outlines in place of the countries': Uzbekistan's and Namibia's boxes.
BOXES = {"UZ": shapely.box(60, 35, 75, 45), "NA": shapely.box(10, -30, 25, -15)}
NATIVE_WITH_COUNTRY = [*NATIVE_COLUMNS, "country"]
# Stands for the missing point of an event with none (NaN in the events).
NO_POINT = -999.0


def test_native_rows_keep_their_fields_places_and_points():
    rows = [
        native_row(),  # row 2: at the atlas's Andijan
        native_row(
            event_id="a", place_id="spot", lat="40.1", lon="71.2", place_name="Spot"
        ),  # row 3: a point place of its own
        native_row(
            event_id="b", place_id="spot", lat="40.3", lon="71.4", place_name="Spot2"
        ),  # row 4: another point under the same id
        native_row(
            event_id="c",
            place_id="windhoek",
            lat="-22.56",
            lon="17.08",
            place_name="Windhoek",
            country="NA",
        ),  # row 5: NA is Namibia here, not a marker for an empty cell
        native_row(
            event_id="d", place_id="", lat="40.5", lon="70.5", place_name="Nowhere"
        ),  # row 6: a point with no place id
        native_row(
            event_id="e",
            layer="context",
            event_type="statement",
            place_id="",
            lat="",
            lon="",
            place_name="",
            geo_precision="",
            place_origin="",
        ),  # row 7: context needs no place
        native_row(
            event_id="a", place_id="spot", lat="40.1", lon="71.2", place_name="Spot"
        ),  # row 8: row 3 again
        native_row(event_id="d", title="Another"),  # row 9: d's id again
    ]
    for row in rows:
        row.setdefault("country", "UZ")
    said: list[str] = []
    result = import_table(
        raw_table(rows, NATIVE_WITH_COUNTRY, "ours.csv"),
        countries=BOXES,
        progress=said.append,
    )
    assert said[0] == "Crosswalking 8 rows from this project's columns…"
    assert said[-1] == "Making 7 events…"
    andijan = native_row() | {
        "lat": 40.7834,
        "lon": 72.3507,
        "country": "UZ",
        "source_id": "2009-05-26-andijan-bombing",
        "source_row": 2,
        "source_event_type": "",
        "source_sub_event_type": "",
    }

    def like(row, **values):
        return andijan | {
            "event_id": row,
            "source_id": row,
            **values,
        }

    events = result.events.fillna({"lat": NO_POINT, "lon": NO_POINT})
    assert events.to_dict("records") == [
        andijan,
        like("a", place_id="spot", lat=40.1, lon=71.2, place_name="Spot", source_row=3),
        like(
            "b", place_id="spot_2", lat=40.3, lon=71.4, place_name="Spot2", source_row=4
        ),
        like(
            "c",
            place_id="windhoek",
            lat=-22.56,
            lon=17.08,
            place_name="Windhoek",
            country="NA",
            source_row=5,
        ),
        like("d", place_id="", lat=40.5, lon=70.5, place_name="Nowhere", source_row=6),
        like(
            "e",
            layer="context",
            event_type="statement",
            place_id="",
            geo_precision="",
            place_origin="",
            lat=NO_POINT,
            lon=NO_POINT,
            place_name="",
            country="",
            source_row=7,
        ),
        like("d-2", source_id="d", title="Another", source_row=9),
    ]
    assert report_rows(result) == [
        (
            4,
            "repaired",
            "place_id",
            "'spot' also names another place; this row's place is spot_2",
        ),
        (8, "rejected", "", "duplicate of row 3"),
        (
            9,
            "repaired",
            "event_id",
            "the event_id d is already used by row 6; this row's is d-2",
        ),
    ]
    assert result.file_notes == []
    assert result.places["place_id"].tolist() == [
        "andijan",
        "spot",
        "spot_2",
        "windhoek",
    ]
    assert result.places["country"].tolist() == ["UZ", "UZ", "UZ", "NA"]
    # A point place of the file says which file its point comes from.
    assert (
        result.places["geometry_source"].tolist()[1:]
        == ["IMU Geo events coordinates in ours.csv"] * 3
    )


# --- import_table: what the reader gives besides rows --------------------------------


def test_a_table_of_no_row_gives_no_event_and_reports_its_bad_rows():
    frame = pd.DataFrame(columns=UCDP_COLUMNS, dtype="str")
    bad = (
        (2, "has 3 fields where the header has 39"),
        (4, "has 1 field where the header has 39"),
    )
    raw = RawTable("ged.csv", frame, np.arange(0), bad_rows=bad, notes=("a note",))
    # Nothing is read, so no date order is needed either.
    result = import_table(raw, date_order="no order")
    assert result.format == "ucdp"
    assert result.n_rows == 2
    assert result.file_notes == ["a note"]
    assert list(result.events.columns) == [
        "event_id", "date_start", "date_end", "date_precision", "date_origin", "layer",
        "event_type", "place_id", "geo_precision", "place_origin", "actors", "target",
        "fatalities_low", "fatalities_best", "fatalities_high", "attribution", "title",
        "description", "source_quote", "source", "notes", "lat", "lon", "place_name",
        "country", "source_id", "source_row", "source_event_type",
        "source_sub_event_type",
    ]  # fmt: skip
    assert len(result.events) == 0
    assert list(result.places.columns) == [
        "place_id", "name", "alt_names", "kind", "country", "admin1",
        "geometry_source", "note", "geometry",
    ]  # fmt: skip
    assert len(result.places) == 0
    assert result.places.crs == "EPSG:4326"
    assert report_rows(result) == [
        (2, "rejected", "", "has 3 fields where the header has 39"),
        (4, "rejected", "", "has 1 field where the header has 39"),
    ]
    assert list(result.report.columns) == ["row", "action", "column", "reason"]
    assert result.report["row"].dtype == np.int64
    assert list(result.rejected_rows.columns) == ["row", *UCDP_COLUMNS]
    assert len(result.rejected_rows) == 0
    what = dict(
        zip(result.column_map["column"], result.column_map["what"], strict=True)
    )
    assert list(what) == UCDP_COLUMNS
    assert what["relid"] == "kept verbatim"
    assert what["id"] == "crosswalked to source_id, event_id"
    assert "relid" in result.source_columns.columns
    assert "id" not in result.source_columns.columns
    assert len(result.source_columns) == 0


def test_bad_rows_take_their_place_among_the_reported_rows():
    rows = [UCDP_BATKEN | {"id": ""}, UCDP_BATKEN | {"id": "", "best": "5"}]
    bad = ((3, "has 2 fields where the header has 39"),)
    raw = raw_table(rows, UCDP_COLUMNS, "ged.csv", bad_rows=bad, numbers=[2, 4])
    result = import_table(raw)
    assert result.n_rows == 3
    assert report_rows(result) == [
        (2, "repaired", "id", "is empty; this row's event_id is ucdp-row-2"),
        (3, "rejected", "", "has 2 fields where the header has 39"),
        (4, "repaired", "id", "is empty; this row's event_id is ucdp-row-4"),
    ]
    assert result.events["event_id"].tolist() == ["ucdp-row-2", "ucdp-row-4"]
    assert result.events["source"].tolist() == [
        "UCDP GED (ged.csv, row 2)",
        "UCDP GED (ged.csv, row 4)",
    ]


def test_a_rejected_row_reports_its_rejections_not_its_repairs():
    rows = [
        UCDP_TAVILDARA | {"where_prec": "9"},  # row 2: rejected, though placed
        UCDP_TAVILDARA | {"where_prec": "9"},  # row 3: the same, a duplicate
        UCDP_TAVILDARA,  # row 4: placed, kept
        UCDP_TAVILDARA,  # row 5: row 4 again
    ]
    result = import_table(raw_table(rows, UCDP_COLUMNS, "ged.csv"))
    assert report_rows(result) == [
        (2, "rejected", "where_prec", "'9' is not a UCDP where_prec (1 to 7)"),
        (3, "rejected", "", "duplicate of row 2"),
        (
            4,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Tavildara",
        ),
        (5, "rejected", "", "duplicate of row 4"),
    ]
    assert result.rejected_rows["row"].tolist() == [2, 3, 5]
    assert result.events["source_row"].tolist() == [4]


def test_a_file_with_a_column_named_row_keeps_it_beside_the_row_number():
    columns = [*UCDP_COLUMNS, "row"]
    rows = [UCDP_BATKEN | {"row": "first"}, UCDP_BATKEN | {"row": "first"}]
    result = import_table(raw_table(rows, columns, "ged.csv"))
    rejected = result.rejected_rows
    assert list(rejected.columns) == ["row", *UCDP_COLUMNS, "row"]
    assert rejected.iloc[0, 0] == 3
    assert rejected.iloc[0, -1] == "first"


def test_a_frame_numbered_otherwise_is_read_by_position():
    raw = raw_table(
        [UCDP_BATKEN, UCDP_BATKEN | {"id": "4009"}], UCDP_COLUMNS, "ged.csv"
    )
    raw.frame.index = [10, 11]
    result = import_table(raw)
    assert result.events["event_id"].tolist() == ["ucdp-4001", "ucdp-4009"]
    assert list(result.source_columns.columns)[:2] == ["relid", "year"]
    assert "index" not in result.source_columns.columns
    assert result.source_columns.index.tolist() == [0, 1]


def test_hdx_hashtags_under_the_header_are_skipped_with_a_note():
    tags = dict.fromkeys(UCDP_COLUMNS, "") | {"id": "#event+id", "latitude": "#geo+lat"}
    raw = raw_table([tags, UCDP_BATKEN], UCDP_COLUMNS, "ged.csv", notes=("read note",))
    result = import_table(raw)
    assert result.n_rows == 1
    assert result.events["source_row"].tolist() == [3]
    assert result.file_notes == [
        "read note",
        "ged.csv: row 2 holds HXL hashtags (#event+id, #geo+lat), a header "
        "annotation that HDX adds under the header; it was skipped",
        *UCDP_TIME_NOTES[1],
    ]


def test_markers_for_empty_cells_are_said_after_the_crosswalks_notes():
    row = UCDP_BATKEN | {"side_a": "NA", "where_description": "N/A"}
    result = import_table(raw_table([row], UCDP_COLUMNS, "ged.csv"))
    assert result.file_notes == [
        *UCDP_TIME_NOTES[1],
        "ged.csv: 2 cells hold a marker for an empty value and were read as empty: "
        "'N/A' (where_description 1); 'NA' (side_a 1)",
    ]
    assert result.events["actors"].tolist() == ["[no actor in the source row]"]


def test_the_places_and_countries_given_are_used():
    gazetteer = Gazetteer.build(
        [],
        [
            {
                "name": "Testabad",
                "alt_names": "",
                "lat": "10.5",
                "lon": "10.5",
                "kind": "city",
                "country_iso2": "UZ",
                "source_1": "test",
            }
        ],
    )
    rows = [
        UCDP_TAVILDARA | {"where_coordinates": "Testabad", "country": "Uzbekistan"},
        UCDP_BATKEN
        | {"id": "9", "latitude": "10.2", "longitude": "10.3", "country": "Uzbekistan"},
    ]
    result = import_table(
        raw_table(rows, UCDP_COLUMNS, "ged.csv"),
        gazetteer=gazetteer,
        countries={"UZ": shapely.box(9, 9, 11, 11)},
    )
    events = result.events
    assert events["event_id"].tolist() == ["ucdp-4002", "ucdp-9"]
    assert events["place_id"].tolist() == ["testabad", ""]
    assert events["lat"].tolist() == [10.5, 10.2]
    assert events["lon"].tolist() == [10.5, 10.3]
    assert events["place_name"].tolist() == ["Testabad", "Batken province"]
    assert events["country"].tolist() == ["UZ", "UZ"]
    assert events["title"].tolist() == [
        "State-based conflict in Testabad",
        "State-based conflict in Batken province",
    ]
    assert events["notes"].iloc[0].endswith(" Placed from the gazetteer: Testabad.")
    assert not events["notes"].iloc[1].endswith("gazetteer: Batken province.")
    assert report_rows(result) == [
        (
            2,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Testabad",
        )
    ]
    assert result.places["place_id"].tolist() == ["testabad"]


# --- import_file, import_raw -------------------------------------------------------


def test_import_file_says_its_steps_and_names_the_file_without_its_folder():
    payload = table_bytes([UCDP_BATKEN, UCDP_TAVILDARA], UCDP_COLUMNS)
    said: list[str] = []
    result = import_file("some/folder/ged.csv", payload, progress=said.append)
    assert said == [
        "Reading ged.csv…",
        "Crosswalking 2 rows from UCDP GED…",
        "Placing 2 rows on the map…",
        "Looking for repeated rows and ids…",
        "Making 2 events…",
    ]
    assert result.events["event_id"].tolist() == ["ucdp-4001", "ucdp-4002"]
    # Told nothing, it still imports.
    assert len(import_file("ged.csv", payload).events) == 2


def test_import_file_refuses_an_unknown_format_before_reading():
    said: list[str] = []
    with pytest.raises(ImportFailure) as caught:
        import_file("folder/ged.csv", b"not read", "GED", progress=said.append)
    assert str(caught.value) == f"ged.csv: format 'GED' is not one of {FORMAT_LIST}"
    assert said == []


def test_import_file_passes_the_format_limits_and_options_on():
    rows = [ANDIJAN | {"event_date": "05/06/2009"}]
    payload = table_bytes(rows)
    result = import_file("a.csv", payload, "acled", date_order="mdy")
    assert result.format == "acled"
    assert result.events["date_start"].tolist() == ["2009-05-06"]
    with pytest.raises(ImportFailure) as caught:
        import_file("a.csv", payload, "ucdp")
    assert str(caught.value).startswith("a.csv: missing columns for UCDP GED: id, ")
    with pytest.raises(ImportFailure) as caught:
        import_file("a.csv", payload, limits=Limits(max_rows=0))
    assert "limit" in str(caught.value)


def test_import_raw_passes_the_format_and_names_the_file():
    raw = raw_table([UCDP_BATKEN], UCDP_COLUMNS, "ged.csv")
    assert import_raw("ged.csv", raw, "ucdp", "auto").format == "ucdp"
    with pytest.raises(ImportFailure) as caught:
        import_raw("ged.csv", raw, "gtd", "auto")
    assert str(caught.value) == "ged.csv: missing columns for GTD: iyear, imonth, iday"


# --- run_import: the command's exit code and line -----------------------------------

WROTE = (
    "wrote events.csv, places.geojson, regions.geojson, row-problems.csv, "
    "column_map.csv, source_columns.csv"
)


def test_a_file_imported_whole_exits_0(tmp_path):
    source = tmp_path / "ged.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN, UCDP_TAVILDARA], UCDP_COLUMNS))
    out = tmp_path / "out"
    assert run_import(source, out_dir=out) == (
        0,
        f"ucdp: 2 rows — 1 accepted, 1 repaired, 0 rejected; {WROTE}",
    )
    assert (out / "events.csv").exists()
    assert (out / ".store" / "folder.json").exists()


def test_a_file_with_rejected_rows_exits_1(tmp_path):
    source = tmp_path / "ged.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN, UCDP_BATKEN], UCDP_COLUMNS))
    assert run_import(str(source), "ucdp", str(tmp_path / "out"), None, "mdy") == (
        1,
        f"ucdp: 2 rows — 1 accepted, 0 repaired, 1 rejected; {WROTE} "
        "(see row-problems.csv for the rejected rows)",
    )


ODD_FILE = b"a,b\n1,2\n"


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        (
            "ged.rar",
            {},
            "ged.rar: compressed files (.rar) are not read; unpack it first and "
            "import the file inside (.zip and .gz files are read)",
        ),
        ("ged.csv", {"fmt": "GED"}, f"format 'GED' is not one of {FORMAT_LIST}"),
        ("folder.csv", {}, "folder.csv: is a folder, not a file"),
        ("missing.csv", {}, "missing.csv: cannot be read (No such file or directory)"),
        ("odd.csv", {}, NOT_RECOGNISED.replace("x.csv", "odd.csv")),
        (
            "ged.csv",
            {"limits": Limits(max_bytes=100)},
            "ged.csv: is {size} bytes; the limit is 100 bytes",
        ),
        (
            "ged.csv",
            {"date_order": "dym"},
            "ged.csv: date order 'dym' is not one of auto, dmy, mdy, ymd",
        ),
        (
            "ged.csv",
            {"fmt": "gtd"},
            "ged.csv: missing columns for GTD: iyear, imonth, iday",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_exits_2(tmp_path, name, arguments, message):
    (tmp_path / "ged.csv").write_bytes(table_bytes([UCDP_BATKEN], UCDP_COLUMNS))
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "odd.csv").write_bytes(ODD_FILE)
    out = tmp_path / "out"
    size = (tmp_path / "ged.csv").stat().st_size
    assert run_import(tmp_path / name, out_dir=out, **arguments) == (
        2,
        message.format(size=size),
    )
    assert not out.exists()


def test_a_folder_named_like_a_compressed_file_is_refused_by_its_name(tmp_path):
    (tmp_path / "ged.gz.rar").mkdir()
    code, message = run_import(tmp_path / "ged.gz.rar", out_dir=tmp_path / "out")
    assert code == 2
    assert message.startswith("ged.gz.rar: compressed files (.rar)")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            RuntimeError("  first line \nsecond line"),
            "x.csv: could not be imported (RuntimeError: first line )",
        ),
        (KeyError(""), "x.csv: could not be imported (KeyError: '')"),
        (ValueError(), "x.csv: could not be imported (ValueError: )"),
        (OSError("disk gone"), "x.csv: cannot be read (disk gone)"),
        (
            OSError(5, "Input/output error"),
            "x.csv: cannot be read (Input/output error)",
        ),
        (ImportFailure("x.csv: refused"), "x.csv: refused"),
    ],
)
def test_an_unexpected_error_while_importing_is_one_line(
    tmp_path, monkeypatch, error, message
):
    source = tmp_path / "x.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN], UCDP_COLUMNS))

    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(core, "import_raw", fail)
    assert run_import(source, out_dir=tmp_path / "out") == (2, message)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            OSError(28, "No space left on device"),
            "cannot write to {out}: No space left on device",
        ),
        (OSError("quota"), "cannot write to {out}: quota"),
        (
            ValueError("bad value\nmore"),
            "cannot write to {out} (ValueError: bad value)",
        ),
        (ValueError(""), "cannot write to {out} (ValueError: )"),
    ],
)
def test_an_error_while_writing_is_one_line(tmp_path, monkeypatch, error, message):
    source = tmp_path / "x.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN], UCDP_COLUMNS))
    seen = []

    def fail(result, out_dir, store=False):
        seen.append((result.format, out_dir, store))
        raise error

    monkeypatch.setattr(core, "write_import", fail)
    out = tmp_path / "out"
    assert run_import(source, out_dir=str(out)) == (2, message.format(out=out))
    assert seen == [("ucdp", out, True)]


def test_an_output_that_is_a_file_cannot_be_written(tmp_path):
    source = tmp_path / "x.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN], UCDP_COLUMNS))
    (tmp_path / "taken").write_text("a file")
    code, message = run_import(source, out_dir=tmp_path / "taken")
    assert code == 2
    assert message == f"cannot write to {tmp_path / 'taken'}: File exists"


def test_the_command_writes_to_the_working_folder_by_default(tmp_path, monkeypatch):
    source = tmp_path / "x.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN], UCDP_COLUMNS))
    seen = []
    monkeypatch.setattr(
        core,
        "write_import",
        lambda result, out_dir, store=False: seen.append(out_dir) or {},
    )
    assert run_import(source)[0] == 0
    assert seen == [Path(".")]


def test_the_command_reads_within_the_limits_given(tmp_path):
    source = tmp_path / "x.csv"
    rows = [UCDP_BATKEN, UCDP_TAVILDARA, UCDP_BATKEN | {"id": "4003"}]
    source.write_bytes(table_bytes(rows, UCDP_COLUMNS))
    code, message = run_import(
        source, out_dir=tmp_path / "out", limits=Limits(max_rows=2)
    )
    assert code == 2
    assert message == "x.csv: has 3 rows; the limit is 2 rows"


def test_an_error_in_the_importer_names_the_file(tmp_path, monkeypatch):
    source = tmp_path / "x.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN], UCDP_COLUMNS))

    def fail(*_args, **_kwargs):
        raise RuntimeError("boom\nmore")

    monkeypatch.setattr(core, "import_table", fail)
    expected = (
        "x.csv: could not be imported because of an error in the importer "
        "(RuntimeError: boom)"
    )
    assert run_import(source, out_dir=tmp_path / "out") == (2, expected)
    raw = raw_table([UCDP_BATKEN], UCDP_COLUMNS, "x.csv")
    for call in (
        lambda: import_raw("folder/x.csv", raw, "auto", "auto"),
        lambda: import_file("folder/x.csv", source.read_bytes()),
    ):
        with pytest.raises(ImportFailure) as caught:
            call()
        assert str(caught.value) == expected


def test_na_in_a_datasets_country_column_is_a_marker_for_an_empty_cell():
    # Only this project's own country column takes NA as Namibia's code.
    result = import_table(
        raw_table([UCDP_BATKEN | {"country": "NA"}], UCDP_COLUMNS, "ged.csv")
    )
    assert result.events["event_id"].tolist() == ["ucdp-4001"]
    assert result.events["country"].tolist() == [""]
    assert report_rows(result) == []
    assert result.file_notes[2:] == [
        "ged.csv: 1 cell holds a marker for an empty value and was read as empty: "
        "'NA' (country 1)"
    ]


def test_monadic_rows_are_named_by_their_numbers_in_the_file():
    rows = [ANDIJAN, ANDIJAN | {"actor1": "Other"}]
    result = import_table(raw_table(rows, MONADIC_COLUMNS, "m.csv", numbers=[5, 9]))
    assert report_rows(result) == [
        (
            9,
            "repaired",
            "event_id_cnty",
            "the same event as row 5 (ACLED's monadic layout lists an event once "
            "per actor); this row's actor joins that event's actors",
        )
    ]
    assert (
        result.events["notes"]
        .iloc[0]
        .endswith(
            "ACLED's monadic layout lists this event once per actor (rows 5, 9); "
            "their actors are joined."
        )
    )
    assert result.events["source"].tolist() == ["ACLED (m.csv, row 5)"]


def test_a_native_row_that_breaks_a_rule_of_its_own_is_rejected():
    rows = [native_row(), native_row(event_id="b", fatalities_best="-1")]
    result = import_table(raw_table(rows, NATIVE_COLUMNS, "ours.csv"))
    assert result.events["event_id"].tolist() == ["2009-05-26-andijan-bombing"]
    assert report_rows(result) == [
        (
            3,
            "rejected",
            "fatalities_best",
            "'-1' is not a whole number of people (0 or more)",
        )
    ]
    assert result.rejected_rows["row"].tolist() == [3]


def test_an_empty_table_without_bad_rows_reports_rows_as_integers():
    frame = pd.DataFrame(columns=GTD_COLUMNS, dtype="str")
    result = import_table(RawTable("gtd.csv", frame, np.arange(0)))
    assert result.format == "gtd"
    assert result.n_rows == 0
    assert len(result.report) == 0
    assert result.report["row"].dtype == np.int64


def test_row_numbers_given_in_any_integer_type_come_out_as_int64():
    raw = raw_table([UCDP_BATKEN, UCDP_BATKEN], UCDP_COLUMNS, "ged.csv")
    raw = RawTable(raw.name, raw.frame, np.array([2, 3], dtype=np.int32))
    result = import_table(raw)
    assert result.events["source_row"].tolist() == [2]
    assert result.events["source_row"].dtype == np.int64
    assert result.report["row"].tolist() == [3]
    assert result.rejected_rows["row"].dtype == np.int64


def test_a_country_no_code_is_known_for_is_said_in_a_note_naming_the_file():
    row = UCDP_BATKEN | {"country": "Atlantis"}
    result = import_table(raw_table([row], UCDP_COLUMNS, "ged.csv"))
    assert result.events["event_id"].tolist() == ["ucdp-4001"]
    assert result.file_notes[2:] == [
        "ged.csv: country names not mapped to an ISO code, so their places have "
        "no country and are not checked against a border: Atlantis"
    ]


def test_a_coordinate_that_rounds_to_zero_is_written_without_a_minus(tmp_path):
    # Tema, Ghana, just west of the prime meridian: -0.00004 rounds to -0.0.
    tema = UCDP_BATKEN | {
        "latitude": "5.66",
        "longitude": "-0.00004",
        "country": "Ghana",
        "where_coordinates": "Tema",
    }
    source = tmp_path / "ged.csv"
    source.write_bytes(table_bytes([tema], UCDP_COLUMNS))
    assert run_import(source, out_dir=tmp_path / "out")[0] == 0
    with (tmp_path / "out" / "events.csv").open(encoding="utf-8", newline="") as f:
        (event,) = csv.DictReader(f)
    assert (event["lat"], event["lon"]) == ("5.66", "0")

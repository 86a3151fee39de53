"""The SQL of :mod:`imu_geo.engine.queries` run by DuckDB over a store table of
a few events written here, with every answer worked out by hand.

The day numbers are counted from 1970-01-01: 2000-01-01 is day 10,957 (30 years
of 365 days and the 7 leap days of 1972 to 1996), so 2000-01-10 is day 10,966.
Each event's row is the store's (``imu_geo.store``): days, the month number
(``year * 12 + month - 1``), the facets' delimited keys, the casefolded search
text, and each level's unit columns.

    id  layer    days        point          precision  figures (low, best, high)
    a   attack   10966-10966 (0.5, 0.5)     exact      1, 2, 3
    b   attack   10960-10970 (-0.5, 0.5)    near       4, -, 6
    c   base     10950-10955 (0.5, -0.5)    near       -, -, -      (25-30 Dec 1999)
    d   context  10971-10980 (none)         exact      -, 5, -
    e   attack   10990-10991 (-0.5, -0.5)   near       -, -, 7
"""

from __future__ import annotations

import math
import types
from datetime import date

import duckdb
import pandas as pd
import pytest

from imu_geo.engine import queries
from imu_geo.engine.duckdb import duckdb_sql
from imu_geo.filters import FilterSpec, Unit

DAY_2000 = 10_957  # 2000-01-01
MONTH_2000_1 = 2000 * 12  # January 2000
TABLE = "events"
SOURCE_TABLE = "source_columns"

# event_id, layer, day_start, day_end, date_precision, lon, lat, geo_precision,
# fatalities low, best, high, actor keys, country keys, event_type, attribution,
# source type, source sub-type, search text, country unit (status, region, place,
# precision).
EVENTS = [
    ("a", "attack", 10966, 10966, "day", 0.5, 0.5, "exact", 1, 2, 3,
     ";IMU;", "|UZ|", "bombing", "claimed", "Battles", "Clash",
     "a bomb in tashkent", ("unit", "UZ", "", "")),
    ("b", "attack", 10960, 10970, "month", -0.5, 0.5, "near", 4, None, 6,
     ";IMU;Taliban;", "|AF|UZ|", "raid", "suspected", "Riots", "Battles",
     "a raid near kabul", ("unit", "AF", "", "")),
    ("c", "base", 10950, 10955, "year", 0.5, -0.5, "near", None, None, None,
     ";Taliban;", "|PK|", "group_base", "attributed", "", "",
     "a camp", ("unit", "PK", "", "")),
    ("d", "context", 10971, 10980, "day", None, None, "exact", None, 5, None,
     ";IMUX;", "|UZ|", "designation", "claimed", "", "Riots",
     "a listing", ("place", "", "p9", "exact")),
    ("e", "attack", 10990, 10991, "range", -0.5, -0.5, "near", None, None, 7,
     ";IMU;", "|UZ|", "bombing", "claimed", "Clash", "",
     "another bomb", ("unit", "UZ", "", "")),
]  # fmt: skip
IDS = [row[0] for row in EVENTS]


def _table() -> pd.DataFrame:
    rows = []
    for row_id, row in enumerate(EVENTS):
        (event_id, layer, first, last, date_precision, lon, lat, geo_precision,
         low, best, high, actor_keys, country_keys, event_type, attribution,
         source_type, source_sub_type, search, unit) = row  # fmt: skip
        start = date.fromordinal(date(1970, 1, 1).toordinal() + first)
        end = date.fromordinal(date(1970, 1, 1).toordinal() + last)
        record = {
            "row_id": row_id,
            "event_id": event_id,
            "layer": layer,
            "day_start": first,
            "day_end": last,
            "date_start": pd.Timestamp(start),
            "date_end": pd.Timestamp(end),
            "month": start.year * 12 + start.month - 1,
            "date_precision": date_precision,
            "lon": lon,
            "lat": lat,
            "geo_precision": geo_precision,
            "fatalities_low": low,
            "fatalities_best": best,
            "fatalities_high": high,
            "actor_keys": actor_keys,
            "country_keys": country_keys,
            "event_type": event_type,
            "attribution": attribution,
            "source_event_type": source_type,
            "source_sub_event_type": source_sub_type,
            "search": search,
        }
        for level in ("country", "admin1", "valley"):
            status, region, place, precision = (
                unit if level == "country" else ("", "", "", "")
            )
            record |= {
                f"{level}_status": status,
                f"{level}_region": region,
                f"{level}_place": place,
                f"{level}_precision": precision,
            }
        rows.append(record)
    table = pd.DataFrame(rows)
    for column in ("lon", "lat"):
        table[column] = table[column].astype("float64")
    for column in ("fatalities_low", "fatalities_best", "fatalities_high"):
        table[column] = table[column].astype("Int64")
    return table


def _sources() -> pd.DataFrame:
    return pd.DataFrame(
        {"row_id": range(len(EVENTS)), "c0": [f"s{n}" for n in range(len(EVENTS))]}
    )


def run(query: tuple[str, dict]) -> pd.DataFrame:
    """The query's answer from DuckDB, on a connection of this process."""
    sql, params = query
    with duckdb.connect() as connection:
        connection.register(TABLE, _table())
        connection.register(SOURCE_TABLE, _sources())
        return connection.execute(duckdb_sql(sql), params).fetchdf()


def ids(query: tuple[str, dict]) -> list[str]:
    return run(query)["event_id"].tolist()


def day(n: int) -> date:
    """The date of day ``n`` of January 2000."""
    return date(2000, 1, n)


def spec(first: int = 1, last: int = 31, mode: str = "window", **facets) -> FilterSpec:
    return FilterSpec(day(first), day(last), mode, **facets)


@pytest.mark.parametrize(
    ("moment", "number"),
    [
        (date(1970, 1, 1), 0),
        (date(1970, 1, 2), 1),
        (date(1969, 12, 31), -1),
        (date(1971, 1, 1), 365),
        (date(2000, 1, 1), DAY_2000),
        (date(2000, 1, 10), 10_966),
    ],
)
def test_day_numbers_count_from_1970(moment, number):
    assert queries.day_number(moment) == number


def test_the_days_of_the_table_are_those_of_january_2000():
    assert queries.day_number(day(10)) == EVENTS[0][2]


# first day, last day of the window, mode: the events in it. An event is in a
# window when its days overlap it, and in a cumulative one when it began by
# the window's end.
WINDOWS = [
    # c ended in December, e begins in February.
    (1, 31, "window", ["a", "b", "d"]),
    (10, 10, "window", ["b", "a"]),
    # b runs to the 14th, d begins on the 15th: each touches the window's edge.
    (14, 15, "window", ["b", "d"]),
    (15, 24, "window", ["d"]),
    (25, 31, "window", []),
    # b begins on the 4th.
    (1, 3, "window", []),
    (1, 4, "window", ["b"]),
    (10, 10, "cumulative", ["c", "b", "a"]),
    (31, 31, "cumulative", ["c", "b", "a", "d"]),
]


@pytest.mark.parametrize(("first", "last", "mode", "expected"), WINDOWS)
def test_a_window_keeps_the_events_that_overlap_it(first, last, mode, expected):
    selection = spec(first, last, mode)
    # In row_id order (the store's date order; here the order of EVENTS).
    assert ids(queries.rows(TABLE, selection, ["event_id"])) == sorted(
        expected, key=IDS.index
    )


@pytest.mark.parametrize(("first", "last", "mode", "expected"), WINDOWS)
def test_the_longest_event_bounds_the_start_without_changing_the_answer(
    first, last, mode, expected
):
    # b lasts 10 days after its first: 10 is the longest here.
    found = ids(queries.rows(TABLE, spec(first, last, mode), ["event_id"], longest=10))
    assert found == sorted(expected, key=IDS.index)


@pytest.mark.parametrize(
    ("longest", "expected"),
    [
        # The window opens on the 14th (day 10970); b began on day 10960.
        (10, ["b", "d"]),
        (11, ["b", "d"]),
        # A bound shorter than b: day_start >= 10970 - 9 = 10961 leaves b out.
        (9, ["d"]),
        (0, ["d"]),
    ],
)
def test_the_lower_bound_is_the_window_s_start_less_the_longest_event(
    longest, expected
):
    assert ids(queries.rows(TABLE, spec(14, 15), ["event_id"], longest=longest)) == (
        expected
    )


def test_a_cumulative_window_has_no_lower_bound():
    found = ids(
        queries.rows(TABLE, spec(14, 31, "cumulative"), ["event_id"], longest=0)
    )
    assert found == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("first", "last", "mode", "expected"),
    [
        (1, 31, "window", {"attack": 2, "context": 1}),
        (10, 10, "window", {"attack": 2}),
        (10, 10, "cumulative", {"attack": 2, "base": 1}),
        (25, 31, "window", {}),
    ],
)
@pytest.mark.parametrize("longest", [None, 10])
def test_layer_counts(first, last, mode, expected, longest):
    found = run(queries.layer_counts(TABLE, spec(first, last, mode), longest))
    assert list(found.columns) == ["layer", "events"]
    assert dict(zip(found["layer"], found["events"], strict=True)) == expected
    assert found["layer"].tolist() == sorted(expected)


# The facets, over the whole of January and beyond (events a to e).
FACETS = [
    ({"layers": ("attack",)}, ["a", "b", "e"]),
    ({"layers": ("base", "context")}, ["c", "d"]),
    ({"layers": ()}, []),
    ({"event_types": ("bombing",)}, ["a", "e"]),
    ({"event_types": ("raid", "designation")}, ["b", "d"]),
    # An actor is a whole item: IMUX is not IMU.
    ({"actors": ("IMU",)}, ["a", "b", "e"]),
    ({"actors": ("Taliban", "IMUX")}, ["b", "c", "d"]),
    ({"countries": ("AF",)}, ["b"]),
    ({"countries": ("PK", "AF")}, ["b", "c"]),
    ({"attributions": ("claimed",)}, ["a", "d", "e"]),
    # The source's type or its sub-type.
    ({"source_types": ("Battles",)}, ["a", "b"]),
    ({"source_types": ("Riots",)}, ["b", "d"]),
    ({"source_types": ("Clash",)}, ["a", "e"]),
    # Two facets at once: both must hold.
    ({"actors": ("IMU",), "countries": ("AF",)}, ["b"]),
    ({"layers": ("attack",), "source_types": ("Riots",)}, ["b"]),
    # The search: casefolded, trimmed, a part of a word.
    ({"text": "BOMB"}, ["a", "e"]),
    ({"text": "  Kabul "}, ["b"]),
    ({"text": "   "}, ["a", "b", "c", "d", "e"]),
    ({"text": "nowhere"}, []),
]


@pytest.mark.parametrize(("facets", "expected"), FACETS)
def test_the_facets_keep_the_events_that_match(facets, expected):
    selection = FilterSpec(date(1999, 1, 1), date(2000, 12, 31), **facets)
    assert ids(queries.rows(TABLE, selection, ["event_id"], longest=40)) == expected
    counts = run(queries.layer_counts(TABLE, selection, 40))
    assert int(counts["events"].sum()) == len(expected)


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        (Unit("UZ", "country"), ["a", "e"]),
        (Unit("AF", "country"), ["b"]),
        # d's place is in UZ but not counted as a unit of it.
        (Unit("p9", "country"), []),
        (Unit("UZ", "admin1"), []),
    ],
)
def test_a_region_keeps_the_events_counted_in_its_unit(region, expected):
    selection = FilterSpec(date(1999, 1, 1), date(2000, 12, 31), region=region)
    assert ids(queries.rows(TABLE, selection, ["event_id"])) == expected


def test_a_region_of_another_level_is_refused_before_it_reaches_the_sql():
    # Unit refuses it too; a level here is written into the SQL as a column name.
    region = types.SimpleNamespace(level="country; DROP", region_id="UZ")
    selection = FilterSpec(date(1999, 1, 1), date(2000, 12, 31), region=region)
    message = "level must be one of country, admin1, valley"
    with pytest.raises(ValueError, match=f"^{message}$"):
        queries.rows(TABLE, selection, ["event_id"])
    with pytest.raises(ValueError, match=f"^{message}$"):
        queries.region_groups(TABLE, spec(), "country; DROP")


def test_values_travel_as_parameters_never_in_the_text():
    selection = FilterSpec(
        date(1999, 1, 1),
        date(2000, 12, 31),
        actors=("O'Neil",),
        text="x' OR '1'='1",
        region=Unit("UZ'--", "country"),
    )
    sql, params = queries.rows(TABLE, selection, ["event_id"], 5, 2, longest=3)
    assert "O'Neil" not in sql and "OR '1'" not in sql and "UZ'--" not in sql
    # The window's end and start (2000 has 366 days, 1999 365), the start less
    # the longest event, the actor's key, the unit, the casefolded search and
    # the row after which the page begins.
    assert sorted(params.values(), key=str) == sorted(
        [DAY_2000 + 365, DAY_2000 - 365, DAY_2000 - 368, ";O'Neil;", "UZ'--",
         "x' or '1'='1", 2],
        key=str,
    )  # fmt: skip
    # Each marker names its own value.
    assert sorted(params) == [f"p{n}" for n in range(7)]
    for name in params:
        assert sql.count(f":{name} ") + sql.count(f":{name})") >= 1
    assert run((sql, params)).empty


@pytest.mark.parametrize(
    ("limit", "after", "expected"),
    [
        (None, None, ["a", "b", "c", "d", "e"]),
        (2, None, ["a", "b"]),
        (0, None, []),
        (None, 1, ["c", "d", "e"]),
        (2, 1, ["c", "d"]),
        (None, 4, []),
        (1, -1, ["a"]),
    ],
)
def test_a_page_of_rows_after_a_row_id(limit, after, expected):
    everything = FilterSpec(date(1999, 1, 1), date(2000, 12, 31))
    query = queries.rows(TABLE, everything, ["event_id"], limit, after)
    assert ids(query) == expected


def test_rows_without_time_ignore_the_window():
    query = queries.rows(TABLE, spec(25, 31), ["event_id"], time=False, longest=0)
    assert ids(query) == ["a", "b", "c", "d", "e"]
    query = queries.rows(
        TABLE, spec(25, 31, layers=("base",)), ["event_id"], time=False
    )
    assert ids(query) == ["c"]


def test_rows_give_the_row_id_first_and_each_column_once():
    query = queries.rows(TABLE, spec(), ["layer", "row_id", "event_id", "layer"])
    found = run(query)
    assert list(found.columns) == ["row_id", "layer", "event_id"]
    assert found["row_id"].tolist() == [0, 1, 3]


def test_one_event_by_its_id():
    found = run(queries.event(TABLE, "d", ["event_id", "layer", "row_id"]))
    assert found.to_dict("records") == [
        {"row_id": 3, "event_id": "d", "layer": "context"}
    ]
    assert run(queries.event(TABLE, "zz", ["event_id"])).empty
    assert list(run(queries.event(TABLE, "a", [])).columns) == ["row_id"]


@pytest.mark.parametrize(("row_id", "expected"), [(0, ["a"]), (4, ["e"]), (5, [])])
def test_the_event_at_a_row(row_id, expected):
    assert ids(queries.event_at(TABLE, row_id)) == expected


def test_totals_count_every_event_and_its_first_and_last_day():
    found = run(queries.totals(TABLE))
    assert found.to_dict("records") == [
        {"events": 5, "first_day": 10950, "last_day": 10991}
    ]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [(1, 3, [1, 2, 3]), (0, 0, [0]), (3, 9, [3, 4]), (2, 1, [])],
)
def test_the_source_rows_from_first_to_last(first, last, expected):
    found = run(queries.source_rows(SOURCE_TABLE, first, last, ["c0"]))
    assert list(found.columns) == ["row_id", "c0"]
    assert found["row_id"].tolist() == expected
    assert found["c0"].tolist() == [f"s{n}" for n in expected]


def test_monthly_counts_ignore_the_window_and_mark_vague_dates():
    # c begins in December 1999, e in February 2000, the others in January.
    found = run(queries.monthly_counts(TABLE, spec(25, 31)))
    assert list(found.columns) == ["month", "layer", "vague", "count"]
    assert found.to_dict("records") == [
        {"month": 1999 * 12 + 11, "layer": "base", "vague": 1, "count": 1},
        # a is known to the day, b to the month, e only as a range.
        # a is known to the day and b to the month; d to the day, e as a range.
        {"month": MONTH_2000_1, "layer": "attack", "vague": 0, "count": 2},
        {"month": MONTH_2000_1, "layer": "context", "vague": 0, "count": 1},
        {"month": MONTH_2000_1 + 1, "layer": "attack", "vague": 1, "count": 1},
    ]
    found = run(queries.monthly_counts(TABLE, spec(layers=("base",))))
    assert found["count"].tolist() == [1]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # Points at (+-0.5, +-0.5): a cell of 1 degree puts each in its own
        # quarter, columns and rows -1 and 0 (floor of -0.5 is -1).
        (1.0, {(-1, 0): (1, 1, 0, 0), (0, -1): (1, 0, 1, 0), (0, 0): (1, 1, 0, 0)}),
        # 2 degrees: -0.25 and 0.25 floor to -1 and 0 again.
        (2.0, {(-1, 0): (1, 1, 0, 0), (0, -1): (1, 0, 1, 0), (0, 0): (1, 1, 0, 0)}),
        # A quarter degree: 0.5 / 0.25 = 2, -0.5 / 0.25 = -2.
        (0.25, {(-2, 2): (1, 1, 0, 0), (2, -2): (1, 0, 1, 0), (2, 2): (1, 1, 0, 0)}),
    ],
)
def test_density_counts_the_located_events_per_cell(cell, expected):
    # December and January: a, b, c and d, of which d has no point.
    december = FilterSpec(date(1999, 12, 1), day(31))
    found = run(queries.density(TABLE, december, cell, longest=10))
    assert list(found.columns) == [
        "cx", "cy", "events", "attacks", "bases", "context"
    ]  # fmt: skip
    assert {
        (int(row.cx), int(row.cy)): (row.events, row.attacks, row.bases, row.context)
        for row in found.itertuples()
    } == expected
    assert [
        (int(x), int(y)) for x, y in zip(found["cx"], found["cy"], strict=True)
    ] == (sorted(expected))


def test_density_of_a_later_window():
    found = run(queries.density(TABLE, spec(29, 31, "window"), 1.0))
    assert found.empty
    whole = FilterSpec(date(1999, 12, 1), date(2000, 2, 29))
    found = run(queries.density(TABLE, whole, 1.0))
    # e at (-0.5, -0.5) joins a, b and c; d has no point.
    assert int(found["events"].sum()) == 4
    assert found[["cx", "cy"]].values.tolist() == [[-1, -1], [-1, 0], [0, -1], [0, 0]]


VAGUE = ("near", "district")
EVERYTHING = FilterSpec(date(1999, 1, 1), date(2000, 12, 31))


def test_place_halos_are_the_vague_places_of_events_that_are_not_bases():
    # b and e are attacks placed "near"; c is placed "near" but is a base; a and
    # d are exact (d has no point besides).
    found = run(queries.place_halos(TABLE, EVERYTHING, VAGUE, 10))
    assert list(found.columns) == ["lon", "lat", "geo_precision", "events"]
    assert found.values.tolist() == [[-0.5, -0.5, "near", 1], [-0.5, 0.5, "near", 1]]
    assert run(
        queries.place_halos(TABLE, EVERYTHING, ("exact",), 10)
    ).values.tolist() == [[0.5, 0.5, "exact", 1]]
    assert run(queries.place_halos(TABLE, EVERYTHING, (), 10)).empty
    limited = run(queries.place_halos(TABLE, EVERYTHING, VAGUE, 1))
    assert limited.values.tolist() == [[-0.5, -0.5, "near", 1]]
    layers = FilterSpec(date(1999, 1, 1), date(2000, 12, 31), layers=("base",))
    assert run(queries.place_halos(TABLE, layers, VAGUE, 10)).empty


@pytest.mark.parametrize(("cap", "expected"), [(1, 1), (2, 2), (3, 2), (100, 2)])
def test_place_count_counts_the_halos_up_to_a_cap(cap, expected):
    found = run(queries.place_count(TABLE, EVERYTHING, VAGUE, cap, longest=40))
    assert found.to_dict("records") == [{"places": expected}]


def test_region_groups_sum_each_unit_s_events_by_hand():
    found = run(queries.region_groups(TABLE, EVERYTHING, "country", 40))
    records = found.to_dict("records")
    assert [(r["status"], r["region_id"], r["_place"]) for r in records] == [
        ("place", "", "p9"),
        ("unit", "AF", ""),
        ("unit", "PK", ""),
        ("unit", "UZ", ""),
    ]
    names = [
        "events",
        "attacks",
        "bases",
        "context",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
        "killed",
        "killed_low_only",
        "events_best",
        "events_low_only",
        "events_no_figure",
        "first_event",
        "last_event",
    ]
    expected = {
        # d: context, best 5 only.
        "p9": (1, 0, 0, 1, None, 5, None, 5, None, 1, 0, 0,
               pd.Timestamp(2000, 1, 15), pd.Timestamp(2000, 1, 24)),
        # b: attack, low 4 and high 6, no best: the low figure counts.
        "AF": (1, 1, 0, 0, 4, None, 6, 4, 4, 0, 1, 0,
               pd.Timestamp(2000, 1, 4), pd.Timestamp(2000, 1, 14)),
        # c: a base with no figure.
        "PK": (1, 0, 1, 0, None, None, None, None, None, 0, 0, 1,
               pd.Timestamp(1999, 12, 25), pd.Timestamp(1999, 12, 30)),
        # a (1, 2, 3) and e (high 7 only, so no figure to count).
        "UZ": (2, 2, 0, 0, 1, 2, 10, 2, None, 1, 0, 1,
               pd.Timestamp(2000, 1, 10), pd.Timestamp(2000, 2, 4)),
    }  # fmt: skip
    for record in records:
        key = record["region_id"] or record["_place"]
        got = tuple(None if pd.isna(record[n]) else record[n] for n in names)
        assert got == expected[key], key
    assert list(found.columns) == [
        "status", "region_id", "_place", "_precision", *names
    ]  # fmt: skip
    assert found["_precision"].tolist() == ["exact", "", "", ""]
    assert list(found.columns[:4]) == ["status", "region_id", "_place", "_precision"]


def test_region_groups_of_a_window_and_of_a_level_without_units():
    found = run(queries.region_groups(TABLE, spec(10, 10), "country"))
    assert found["region_id"].tolist() == ["AF", "UZ"]
    assert found["events"].tolist() == [1, 1]
    found = run(queries.region_groups(TABLE, EVERYTHING, "admin1"))
    assert found["status"].tolist() == [""]
    assert found["events"].tolist() == [5]
    assert found["killed"].tolist() == [11]


def test_the_day_numbers_of_the_table_match_its_dates():
    table = _table()
    epoch = pd.Timestamp(1970, 1, 1)
    assert ((table["date_start"] - epoch).dt.days == table["day_start"]).all()
    assert ((table["date_end"] - epoch).dt.days == table["day_end"]).all()
    assert math.isnan(table["lat"].iloc[3])


# Each query that takes the longest event, over 14-15 January: b (4-14 January,
# the longest event at 10 days) is in; with a bound shorter than b it is left
# out, as a store whose longest event is shorter would have no such event.
LONGEST = [
    (
        lambda longest: queries.layer_counts(TABLE, spec(14, 15), longest),
        lambda found: dict(zip(found["layer"], found["events"], strict=True)),
        {"attack": 1, "context": 1},
        {"context": 1},
    ),
    (
        lambda longest: queries.region_groups(TABLE, spec(14, 15), "country", longest),
        lambda found: found["region_id"].tolist(),
        ["", "AF"],
        [""],
    ),
    (
        lambda longest: queries.density(TABLE, spec(14, 15), 1.0, longest),
        lambda found: found[["cx", "cy"]].values.tolist(),
        [[-1, 0]],
        [],
    ),
    (
        lambda longest: queries.place_halos(TABLE, spec(14, 15), VAGUE, 10, longest),
        lambda found: found[["lon", "lat"]].values.tolist(),
        [[-0.5, 0.5]],
        [],
    ),
    (
        lambda longest: queries.place_count(TABLE, spec(14, 15), VAGUE, 10, longest),
        lambda found: found["places"].tolist(),
        [1],
        [0],
    ),
]


@pytest.mark.parametrize(("query", "read", "with_b", "without_b"), LONGEST)
def test_each_query_bounds_the_start_by_the_longest_event(
    query, read, with_b, without_b
):
    assert read(run(query(None))) == with_b
    assert read(run(query(10))) == with_b
    assert read(run(query(9))) == without_b

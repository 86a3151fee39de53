"""What an :class:`EventSource` (``imu_geo.engine.source``) makes of an engine's
answers, with an engine that answers from a script: the frames it returns are
written here, and what the source must make of them is worked out by hand.

Which question the source asks is checked against the query module's own
builders (``imu_geo.engine.queries``, tested against pandas in
``tests/test_engine_queries.py``) called with the arguments the source should
pass; the answers, the pages of a batch export, the source's own columns put
back in row order and the types of the region tables are checked against
values written out here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from imu_geo.engine import queries
from imu_geo.engine.source import EVENT_FRAME_COLUMNS, EventSource, Selection
from imu_geo.filters import FilterSpec
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.store import Store

KEY = "k0123456789abcdef012"
TABLE = f"events_{KEY}"
SOURCE_TABLE = f"source_{KEY}"
# A window: the queries then bound the events' start by the longest event.
SPEC = FilterSpec(start=date(2000, 1, 1), end=date(2000, 12, 31), mode="window")


class ScriptedEngine:
    """An engine that answers each query with the next frame of its script and
    keeps every question and registration."""

    def __init__(self, *answers: pd.DataFrame) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, dict]] = []
        self.registered: list[tuple[str, str]] = []

    def register(self, table: str, path: str) -> None:
        self.registered.append((table, path))

    def query(self, sql, params=None):
        self.asked.append((sql, dict(params or {})))
        return self.answers.pop(0).copy()


def make_store(path: Path, **meta) -> Store:
    base = {
        "source_columns": [],
        "event_columns": [],
        "n_events": 12,
        "months": ["2000-01-01", "2000-02-01"],
        "choices": {"actors": ["IMU", "IJU"]},
        "default_span": ["1999-03-01", "2004-06-30"],
        "longest_days": 40,
    }
    return Store(path, KEY, base | meta, places=None, regions=None)


def source_of(tmp_path: Path, *answers: pd.DataFrame, **meta) -> EventSource:
    return EventSource(make_store(tmp_path, **meta), ScriptedEngine(*answers))


def asked(source: EventSource) -> list[tuple[str, dict]]:
    return source.engine.asked


def built(query) -> tuple[str, dict]:
    sql, params = query
    return sql, dict(params)


# --- what is registered, the columns -----------------------------------------


@pytest.mark.parametrize(
    ("kept", "expected"),
    [
        ([], [(TABLE, "events.parquet")]),
        (
            ["Date", "Where"],
            [(TABLE, "events.parquet"), (SOURCE_TABLE, "source_columns.parquet")],
        ),
    ],
)
def test_the_source_registers_its_files(tmp_path, monkeypatch, kept, expected):
    monkeypatch.delenv("IMU_GEO_STORE_URL", raising=False)
    source = source_of(tmp_path, source_columns=kept)
    assert source.engine.registered == [(t, str(tmp_path / f)) for t, f in expected]
    assert source.kept_columns == tuple(kept)


POINT = ("place_name", "lat", "lon", "country")


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ([], (*EVENT_COLUMNS, *POINT)),
        (["source_id", "title"], (*EVENT_COLUMNS, "source_id", *POINT)),
        (
            ["source_row", "source_id", "source_sub_event_type"],
            (
                *EVENT_COLUMNS,
                "source_id",
                "source_row",
                "source_sub_event_type",
                *POINT,
            ),
        ),
    ],
)
def test_an_events_columns(tmp_path, present, expected):
    assert source_of(tmp_path, event_columns=present).columns == expected


def test_an_events_columns_without_a_list_in_the_meta(tmp_path):
    store = make_store(tmp_path)
    del store.meta["event_columns"]
    assert EventSource(store, ScriptedEngine()).columns == (*EVENT_COLUMNS, *POINT)


def test_every_column_an_event_can_have():
    assert EVENT_FRAME_COLUMNS == (
        *EVENT_COLUMNS,
        "source_id",
        "source_row",
        "source_event_type",
        "source_sub_event_type",
        *POINT,
    )


def test_what_needs_no_query(tmp_path):
    source = source_of(tmp_path)
    assert len(source) == 12
    assert source.months == (date(2000, 1, 1), date(2000, 2, 1))
    assert source.choices == {"actors": ("IMU", "IJU")}
    assert source.default_spec == FilterSpec(
        start=date(1999, 3, 1), end=date(2004, 6, 30)
    )
    assert asked(source) == []


# --- counts ------------------------------------------------------------------


def layers(**counts: int) -> pd.DataFrame:
    return pd.DataFrame({"layer": list(counts), "events": list(counts.values())})


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (layers(), {"attack": 0, "base": 0, "context": 0}),
        (layers(attack=3, context=4), {"attack": 3, "base": 0, "context": 4}),
        (layers(attack=1, base=2, context=5), {"attack": 1, "base": 2, "context": 5}),
    ],
)
def test_layer_counts_name_every_layer(tmp_path, answer, expected):
    source = source_of(tmp_path, answer)
    counts = source.layer_counts(SPEC)
    assert counts == expected
    assert list(counts) == ["attack", "base", "context"]
    assert all(type(v) is int for v in counts.values())
    assert asked(source) == [built(queries.layer_counts(TABLE, SPEC, 40))]


def test_layer_counts_without_the_longest_event_in_the_meta(tmp_path):
    store = make_store(tmp_path)
    del store.meta["longest_days"]
    source = EventSource(store, ScriptedEngine(layers(base=2)))
    assert source.layer_counts(SPEC) == {"attack": 0, "base": 2, "context": 0}
    assert asked(source) == [built(queries.layer_counts(TABLE, SPEC, 0))]


def test_count_adds_the_layers(tmp_path):
    source = source_of(tmp_path, layers(attack=3, base=2, context=4))
    assert source.count(SPEC) == 9
    assert asked(source) == [built(queries.layer_counts(TABLE, SPEC, 40))]


def test_count_without_time_widens_the_window_to_the_whole_data(tmp_path):
    spec = FilterSpec(
        start=date(2000, 1, 1),
        end=date(2000, 1, 31),
        mode="cumulative",
        actors=("IMU",),
    )
    whole = FilterSpec(
        start=date(1999, 3, 1), end=date(2004, 6, 30), mode="window", actors=("IMU",)
    )
    source = source_of(tmp_path, layers(attack=5))
    assert source.whole(spec) == whole
    assert source.count(spec, time=False) == 5
    assert asked(source) == [built(queries.layer_counts(TABLE, whole, 40))]


def test_select_counts_once_and_reads_rows_when_asked(tmp_path):
    page = pd.DataFrame({"row_id": [4, 6], "event_id": ["a", "b"]})
    source = source_of(tmp_path, layers(attack=2, context=1), page, page)
    selection = source.select(SPEC)
    assert isinstance(selection, Selection)
    assert len(selection) == 3
    assert selection.counts == {"attack": 2, "base": 0, "context": 1}
    assert len(asked(source)) == 1
    pd.testing.assert_frame_equal(selection.frame(["event_id"], 2, 3), page)
    selection.frame()
    assert asked(source)[1:] == [
        built(queries.rows(TABLE, SPEC, ("event_id",), 2, 3, time=True, longest=40)),
        built(queries.rows(TABLE, SPEC, source.columns, None, None, longest=40)),
    ]


# --- rows ----------------------------------------------------------------------


def test_rows_in_the_window_and_without_it(tmp_path):
    page = pd.DataFrame({"row_id": [1], "title": ["t"]})
    source = source_of(tmp_path, page, page, page)
    pd.testing.assert_frame_equal(source.rows(SPEC, ["title"], 5, 9), page)
    source.rows(SPEC, ["title"], 5, 9, time=False)
    source.rows(SPEC)
    assert asked(source) == [
        built(queries.rows(TABLE, SPEC, ("title",), 5, 9, time=True, longest=40)),
        built(queries.rows(TABLE, SPEC, ("title",), 5, 9, time=False, longest=None)),
        built(queries.rows(TABLE, SPEC, source.columns, None, None, longest=40)),
    ]


def ids(*row_ids: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"row_id": list(row_ids), "event_id": [f"e{i}" for i in row_ids]}
    )


# pages the engine gives, batch size, the row_id each query starts after
BATCHES = [
    # A short last page ends it without another query.
    ([ids(1, 2), ids(3, 4), ids(7)], 2, [None, 2, 4]),
    # A full last page: one more query, which finds nothing.
    ([ids(1, 2), ids(5, 9), ids()], 2, [None, 2, 9]),
    ([ids()], 2, [None]),
    ([ids(3), ids()], 1, [None, 3]),
    ([ids(1, 2, 3)], 5, [None]),
]


@pytest.mark.parametrize(("pages", "size", "afters"), BATCHES)
def test_batches_page_through_the_selection(tmp_path, pages, size, afters):
    source = source_of(tmp_path, *pages)
    found = list(source.batches(SPEC, ["event_id"], size))
    expected = [p for p in pages if not p.empty]
    assert len(found) == len(expected)
    for batch, page in zip(found, expected, strict=True):
        pd.testing.assert_frame_equal(batch, page)
    assert asked(source) == [
        built(queries.rows(TABLE, SPEC, ("event_id",), size, after, longest=40))
        for after in afters
    ]


def test_batches_of_a_selection_take_the_export_size_by_default(tmp_path):
    source = source_of(tmp_path, layers(attack=1), ids(1), ids(1), ids(1))
    selection = source.select(SPEC)
    assert len(list(selection.batches())) == 1
    assert len(list(selection.batches(["event_id"], 7))) == 1
    assert len(list(source.batches(SPEC))) == 1
    assert asked(source)[1:] == [
        built(queries.rows(TABLE, SPEC, source.columns, 100_000, None, longest=40)),
        built(queries.rows(TABLE, SPEC, ("event_id",), 7, None, longest=40)),
        built(queries.rows(TABLE, SPEC, source.columns, 100_000, None, longest=40)),
    ]


# --- the source's own columns ---------------------------------------------------


def test_source_columns_in_the_order_asked_with_blanks_for_the_missing(tmp_path):
    answer = pd.DataFrame(
        {"row_id": [3, 5], "c0": ["x", "y"], "c1": ["u", None]},
    )
    source = source_of(tmp_path, answer, source_columns=["Date", "Where"])
    found = source.source_columns(pd.Series([5, 3, 9], index=[10, 11, 12]))
    pd.testing.assert_frame_equal(
        found,
        pd.DataFrame({"Date": ["y", "x", ""], "Where": ["", "u", ""]}),
        check_dtype=False,
    )
    assert asked(source) == [
        built(queries.source_rows(SOURCE_TABLE, 3, 9, ["c0", "c1"]))
    ]


def test_source_columns_of_no_rows_and_of_no_columns(tmp_path):
    source = source_of(tmp_path, source_columns=["Date"])
    found = source.source_columns(pd.Series([], dtype="int64"))
    assert list(found.columns) == ["Date"] and found.empty
    assert source_of(tmp_path).source_columns(pd.Series([1, 2])) is None
    assert asked(source) == []


# --- one event -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (pd.DataFrame({"event_id": pd.Series([], dtype=object)}), ""),
        (pd.DataFrame({"event_id": ["ev-7"]}), "ev-7"),
        (pd.DataFrame({"event_id": [17]}), "17"),
    ],
)
def test_event_id_of(tmp_path, answer, expected):
    source = source_of(tmp_path, answer)
    assert source.event_id_of(4.0) == expected
    assert asked(source) == [built(queries.event_at(TABLE, 4))]


def test_event_by_id(tmp_path):
    one = pd.DataFrame({"row_id": [8], "event_id": ["a"], "title": ["T"]})
    none = one.iloc[:0]
    source = source_of(tmp_path, one, none, one)
    assert source.event("a") == {"event_id": "a", "title": "T"}
    assert source.event("b") is None
    pd.testing.assert_frame_equal(source.event_rows("a"), one.drop(columns="row_id"))
    assert asked(source) == [
        built(queries.event(TABLE, "a", source.columns)),
        built(queries.event(TABLE, "b", source.columns)),
        built(queries.event(TABLE, "a", source.columns)),
    ]


# --- summaries -----------------------------------------------------------------


def test_region_groups_gives_the_summary_tables_types(tmp_path):
    counts = ["events", "attacks", "bases", "context"]
    counts += ["events_best", "events_low_only", "events_no_figure"]
    sums = ["fatalities_low", "fatalities_best", "fatalities_high"]
    sums += ["killed", "killed_low_only"]
    answer = pd.DataFrame(
        {
            **{c: [2.0, 1.0] for c in counts},
            **{c: [3.0, None] for c in sums},
            "status": ["unit", "outside"],
            "region_id": ["AA-1", ""],
            "_place": [7, "p"],
            "_precision": [1, "province"],
            "first_event": pd.to_datetime(["2000-01-02", "2001-03-04"]),
            "last_event": pd.to_datetime(["2000-05-06", "2001-03-04"]),
        }
    )
    source = source_of(tmp_path, answer)
    found = source.region_groups(SPEC, "admin1")
    assert asked(source) == [built(queries.region_groups(TABLE, SPEC, "admin1", 40))]
    for column in counts:
        assert str(found[column].dtype) == "int64", column
        assert found[column].tolist() == [2, 1]
    for column in sums:
        assert str(found[column].dtype) == "Int64", column
        assert found[column].tolist() == [3, pd.NA]
    assert found["status"].tolist() == ["unit", "outside"]
    assert found["region_id"].tolist() == ["AA-1", ""]
    assert found["_place"].tolist() == ["7", "p"]
    assert found["_precision"].tolist() == ["1", "province"]
    assert found["first_event"].tolist() == [date(2000, 1, 2), date(2001, 3, 4)]
    assert found["last_event"].tolist() == [date(2000, 5, 6), date(2001, 3, 4)]


def test_monthly_counts_from_month_numbers(tmp_path):
    # month = year * 12 + month - 1
    answer = pd.DataFrame(
        {
            "month": [2000 * 12 + 0, 2000 * 12 + 11, 2001 * 12 + 1],
            "layer": ["attack", "base", "context"],
            "vague": [0, 1, 0],
            "count": [3.0, 1.0, 7.0],
        }
    )
    source = source_of(tmp_path, answer)
    found = source.monthly_counts(SPEC)
    assert asked(source) == [built(queries.monthly_counts(TABLE, SPEC))]
    assert list(found.columns) == ["start", "layer", "vague", "count", "end"]
    assert found["start"].tolist() == [
        pd.Timestamp("2000-01-01"),
        pd.Timestamp("2000-12-01"),
        pd.Timestamp("2001-02-01"),
    ]
    assert found["end"].tolist() == [
        pd.Timestamp("2000-02-01"),
        pd.Timestamp("2001-01-01"),
        pd.Timestamp("2001-03-01"),
    ]
    assert found["layer"].tolist() == ["attack", "base", "context"]
    assert found["vague"].tolist() == [False, True, False]
    assert found["vague"].dtype == bool
    assert found["count"].tolist() == [3, 1, 7]
    assert str(found["count"].dtype) == "int64"


def test_monthly_counts_of_no_events(tmp_path):
    empty = pd.DataFrame({"month": [], "layer": [], "vague": [], "count": []})
    source = source_of(tmp_path, empty)
    found = source.monthly_counts(SPEC)
    assert list(found.columns) == ["start", "end", "layer", "vague", "count"]
    assert found.empty


def test_density_puts_each_cell_at_its_west_and_south_edges(tmp_path):
    answer = pd.DataFrame({"cx": [-3, 0, 137], "cy": [4, -1, 0], "events": [1, 2, 3]})
    source = source_of(tmp_path, answer)
    found = source.density(SPEC, 0.5)
    assert asked(source) == [built(queries.density(TABLE, SPEC, 0.5, 40))]
    assert found["west"].tolist() == [-1.5, 0.0, 68.5]
    assert found["south"].tolist() == [2.0, -0.5, 0.0]
    assert found["events"].tolist() == [1, 2, 3]


def test_place_halos_and_their_count(tmp_path):
    halos = pd.DataFrame(
        {
            "lon": [1.0, 2.0],
            "lat": [3.0, 4.0],
            "geo_precision": ["region", "country"],
            "events": [2.0, 5.0],
        }
    )
    count = pd.DataFrame({"places": [17.0]})
    source = source_of(tmp_path, halos, count)
    found = source.place_halos(SPEC, ["region", "country"], 10)
    assert found["events"].tolist() == [2, 5]
    assert str(found["events"].dtype) == "int64"
    assert found["geo_precision"].tolist() == ["region", "country"]
    places = source.place_count(SPEC, ["region"], 50)
    assert places == 17 and type(places) is int
    assert asked(source) == [
        built(queries.place_halos(TABLE, SPEC, ("region", "country"), 10, 40)),
        built(queries.place_count(TABLE, SPEC, ("region",), 50, 40)),
    ]

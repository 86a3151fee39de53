"""The scrubber under the map: its chart, what a drag or click asks for, and the
pages' shared window following it (AppTest). The browser test is in tests/e2e."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from calendar import timegm
from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from imu_geo import scrubber as scrubber_module
from imu_geo.data import load_dataset
from imu_geo.filters import FilterSpec, full_span, month_starts
from imu_geo.scrubber import (
    JUMP_PARAM,
    MONTHS_VIEW,
    SCRUB_LABEL,
    SCRUB_MODES,
    SCRUB_PARAM,
    month_number,
    scrubber_rows,
    scrubber_spec,
    window_from_scrub,
)
from imu_geo.timeline import monthly_counts
from tests.conftest import PROJECT_DIR
from tests.scrubber_altair import altair_scrubber

APP = str(PROJECT_DIR / "app.py")
MAP_PAGE = str(PROJECT_DIR / "views" / "map.py")
TIMEOUT = 60
# The atlas's months, January 1991 to December 2015.
MONTHS = month_starts(date(1991, 1, 1), date(2015, 12, 31))


def ms(day: str) -> int:
    """Epoch milliseconds of a UTC midnight, as the browser reports a time axis."""
    return timegm(date.fromisoformat(day).timetuple()) * 1000


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_dataset().events


# --- the chart ----------------------------------------------------------------


def _spec(events, start="1999-01-01", end="2004-12-31"):
    return replace(
        full_span(events), start=date.fromisoformat(start), end=date.fromisoformat(end)
    )


def _chart(events, **window) -> dict:
    rows = scrubber_rows(monthly_counts(events))
    return scrubber_spec(rows, _spec(events, **window), full_span(events))


def _params(spec: dict) -> dict[str, dict]:
    """The chart's selection parameters by name (Altair lifts a layer's to the top)."""
    found = [p for layer in spec["layer"] for p in layer.get("params", [])]
    return {p["name"]: p for p in found + spec.get("params", [])}


def test_the_chart_has_the_window_as_a_brush_and_a_click_on_the_months(events):
    spec = _chart(events)
    months, bars = spec["layer"]
    params = _params(spec)
    # Both belong to the month cells, which fill the chart's height.
    assert {tuple(p.get("views", [months["name"]])) for p in params.values()} == {
        (months["name"],)
    }
    assert set(params) == {SCRUB_PARAM, JUMP_PARAM}
    brush = params[SCRUB_PARAM]
    assert brush["select"]["type"] == "interval"
    assert brush["select"]["encodings"] == ["x"]
    # Drawn from the window: its first day to the day after its last.
    assert brush["value"] == {
        "x": [
            {"year": 1999, "month": 1, "date": 1, "utc": True},
            {"year": 2005, "month": 1, "date": 1, "utc": True},
        ]
    }
    assert params[JUMP_PARAM]["select"] == {
        "type": "point",
        "encodings": ["x"],
        "on": "click",
    }
    # One cell per month of the atlas's span, generated in the browser.
    assert months["data"] == {
        "sequence": {"start": 1991 * 12, "stop": 2015 * 12 + 12, "as": "m"}
    }
    assert bars["encoding"]["opacity"]["condition"]["param"] == SCRUB_PARAM


def test_the_time_axis_covers_the_whole_span_whatever_the_window(events):
    for window in ({}, {"start": "2014-03-01", "end": "2014-12-31"}):
        for layer in _chart(events, **window)["layer"]:
            scale = layer["encoding"]["x"]["scale"]
            assert scale["type"] == "utc"
            assert scale["domain"] == [
                {"year": 1991, "month": 1, "date": 1, "utc": True},
                {"year": 2016, "month": 1, "date": 1, "utc": True},
            ]


def _rows_of(spec: dict) -> pd.DataFrame:
    bars = spec["layer"][1]
    return pd.DataFrame(spec["datasets"][bars["data"]["name"]])


@pytest.mark.parametrize(
    ("month", "layer", "count"),
    [
        # Read from data/events.csv: the events whose first day is in the month.
        ("1999-01", "attack", 3),
        ("1999-01", "context", 1),
        ("2001-09", "base", 3),
        ("2001-09", "context", 2),
        ("2009-05", "attack", 2),
        ("2009-05", "context", 1),
        ("2015-11", "base", 1),
    ],
)  # fmt: skip
def test_the_bars_count_the_events_beginning_in_each_month(events, month, layer, count):
    rows = _rows_of(_chart(events))
    year, number = map(int, month.split("-"))
    found = rows[(rows["m"] == year * 12 + number - 1) & (rows["layer"] == layer)]
    assert found["n"].tolist() == [count]


def test_the_bars_hold_every_event_once_and_months_without_events_are_not_sent(
    events,
):
    rows = _rows_of(_chart(events))
    # The atlas: 14 attacks, 8 bases, 27 context events.
    assert rows.groupby("layer")["n"].sum().to_dict() == {
        "attack": 14,
        "base": 8,
        "context": 27,
    }
    assert list(rows.columns) == ["m", "layer", "n"]
    assert (rows["n"] > 0).all()
    assert not rows.duplicated(["m", "layer"]).any()


def test_the_chart_of_a_filtered_month_table_is_small_whatever_the_window(events):
    # 25 years, three layers in every month: the most the scrubber can send.
    counts = pd.DataFrame(
        [
            {"start": pd.Timestamp(m), "layer": layer, "vague": vague, "count": 5000}
            for m in MONTHS
            for layer in ("attack", "base", "context")
            for vague in (False, True)
        ]
    )
    rows = scrubber_rows(counts)
    assert len(rows) == 300 * 3
    assert rows["n"].unique().tolist() == [10_000]
    spec = scrubber_spec(rows, _spec(events), full_span(events))
    data = spec.pop("datasets")
    assert [len(table) for table in data.values()] == [900]
    # What Streamlit sends per step: the specification as JSON and the table as
    # Arrow (measured: 2.6 kB and 9.6 kB).
    assert len(json.dumps(spec, separators=(",", ":")).encode()) < 4_000
    assert len(convert_anything_to_arrow_bytes(rows)) < 12_000


def test_no_events_give_an_empty_chart_that_still_has_the_brush(events):
    rows = scrubber_rows(monthly_counts(events.iloc[:0]))
    spec = scrubber_spec(rows, _spec(events), full_span(events))
    assert _rows_of(spec).empty
    assert SCRUB_PARAM in _params(spec)


# --- the specification is Altair's, written without Altair ---------------------


def _as_altair_writes(spec: dict) -> dict:
    """``spec`` with its dataset as Altair writes one (records, the category
    as text), to compare with :func:`altair_scrubber`."""
    out = dict(spec)
    out["datasets"] = {
        name: frame.astype({"layer": str}).to_dict(orient="records")
        for name, frame in spec["datasets"].items()
    }
    return out


def _with_our_view_name(altair_spec: dict) -> dict:
    """Altair's specification with its view named as ours: Altair names the
    view by a hash of its own objects, Streamlit renames it to ``view_1``."""
    view = altair_spec["layer"][0]["name"]
    assert re.fullmatch(r"view_[0-9a-f]+_0", view)
    text = json.dumps(altair_spec)
    assert text.count(f'"{view}"') == 3  # the layer and the two selections
    return json.loads(text.replace(f'"{view}"', f'"{MONTHS_VIEW}"'))


def _span(start: str, end: str) -> FilterSpec:
    return FilterSpec(start=date.fromisoformat(start), end=date.fromisoformat(end))


def _rows(*months: tuple[str, str, int]) -> pd.DataFrame:
    """:func:`scrubber_rows` of counts given as (month, layer, count)."""
    counts = pd.DataFrame(
        [
            {"start": pd.Timestamp(m), "layer": layer, "vague": False, "count": n}
            for m, layer, n in months
        ],
        columns=["start", "layer", "vague", "count"],
    )
    return scrubber_rows(counts)


ATLAS = _span("1991-01-01", "2015-12-31")


@pytest.mark.parametrize(
    ("rows", "window", "whole", "description"),
    [
        # The atlas's span, a few months, a window of six years.
        (_rows(("1999-02-01", "attack", 3), ("1999-02-01", "context", 1),
               ("2001-09-01", "base", 3)),
         _span("1999-01-01", "2004-12-31"), ATLAS, SCRUB_LABEL),
        # No description, a one-month window at the span's end.
        (_rows(("2015-12-01", "context", 1)),
         _span("2015-12-01", "2015-12-31"), ATLAS, ""),
        # No events at all: the chart still has its brush.
        (_rows(), _span("2003-05-01", "2003-08-31"), ATLAS, "Empty"),
        # A span of one year, starting mid-year, and the window all of it.
        (_rows(("2020-07-01", "attack", 1_000_000), ("2020-07-01", "base", 1),
               ("2021-06-01", "base", 12)),
         _span("2020-07-01", "2021-06-30"), _span("2020-07-15", "2021-06-30"),
         "One year"),
        # A window ending in February of a leap year, text needing escapes.
        (_rows(("2000-02-01", "context", 2), ("2000-01-01", "attack", 1)),
         _span("1999-12-01", "2000-02-29"), _span("1998-01-01", "2001-12-31"),
         'Quotes "and" \\ backslashes, ünïcode'),
    ],
)  # fmt: skip
def test_the_spec_is_the_one_altair_writes_of_the_chart(
    rows, window, whole, description
):
    ours = scrubber_spec(rows, window, whole, description)
    assert _as_altair_writes(ours) == _with_our_view_name(
        altair_scrubber(rows, window, whole, description)
    )
    # The rows are sent as the frame, as they are (Streamlit sends it as Arrow).
    (frame,) = ours["datasets"].values()
    pd.testing.assert_frame_equal(frame, rows[["m", "layer", "n"]])


_MONTH = st.integers(min_value=1985 * 12, max_value=2030 * 12)


@st.composite
def _charts(draw):
    """Rows, a window and a span, and a description, as a page could ask."""
    first, last = sorted(draw(st.lists(_MONTH, min_size=2, max_size=2)))
    low, high = sorted(draw(st.lists(st.integers(first, last), min_size=2, max_size=2)))
    cells = draw(
        st.lists(
            st.tuples(
                st.integers(first, last),
                st.sampled_from(["attack", "base", "context"]),
                st.integers(1, 10**6),
            ),
            max_size=30,
        )
    )

    def day(number: int) -> str:
        return f"{number // 12:04d}-{number % 12 + 1:02d}-01"

    rows = _rows(*((day(m), layer, n) for m, layer, n in cells))
    end_of = date.fromisoformat(day(high + 1)) - timedelta(days=1)
    window = FilterSpec(start=date.fromisoformat(day(low)), end=end_of)
    whole = FilterSpec(
        start=date.fromisoformat(day(first)) + timedelta(days=draw(st.integers(0, 27))),
        end=date.fromisoformat(day(last + 1)) - timedelta(days=1),
    )
    return rows, window, whole, draw(st.text(max_size=40))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_charts())
def test_any_spec_is_the_one_altair_writes_of_the_chart(chart):
    rows, window, whole, description = chart
    assert _as_altair_writes(
        scrubber_spec(rows, window, whole, description)
    ) == _with_our_view_name(altair_scrubber(rows, window, whole, description))


def test_the_map_pages_time_controls_do_not_load_altair():
    """Altair takes a fifth of a second to load: the Map page's first run
    should not pay it for the scrubber (nor through the timeline's colours)."""
    code = (
        "import sys, imu_geo.ui.player, imu_geo.scrubber, imu_geo.colours\n"
        "print(imu_geo.scrubber.__file__)\n"
        "print('altair' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    where, loaded = done.stdout.split()
    assert where == scrubber_module.__file__
    assert loaded == "False"


# --- what a drag or a click asks for --------------------------------------------

WINDOW = (date(1999, 1, 1), date(2004, 12, 1))  # 72 months


@pytest.mark.parametrize(
    ("selection", "window"),
    [
        # A drag: edges snap to the nearest month boundaries.
        ({SCRUB_PARAM: {"t0": [ms("2003-03-02"), ms("2009-02-27")]}},
         (date(2003, 3, 1), date(2009, 2, 1))),
        ({SCRUB_PARAM: {"t0": [ms("2003-03-20"), ms("2009-03-10")]}},
         (date(2003, 4, 1), date(2009, 2, 1))),
        # Reversed, or as ISO text: the same.
        ({SCRUB_PARAM: {"t0": [ms("2009-03-01"), ms("2003-03-01")]}},
         (date(2003, 3, 1), date(2009, 2, 1))),
        ({SCRUB_PARAM: {"t0": ["2003-03-01T00:00:00Z", "2009-03-01T00:00:00.000Z"]}},
         (date(2003, 3, 1), date(2009, 2, 1))),
        # Narrower than a month: one month.
        ({SCRUB_PARAM: {"t0": [ms("2003-03-01"), ms("2003-03-05")]}},
         (date(2003, 3, 1), date(2003, 3, 1))),
        # Beyond the span: cut to it.
        ({SCRUB_PARAM: {"t0": [ms("1985-01-01"), ms("1993-01-01")]}},
         (date(1991, 1, 1), date(1992, 12, 1))),
        ({SCRUB_PARAM: {"t0": [ms("2014-01-01"), ms("2030-01-01")]}},
         (date(2014, 1, 1), date(2015, 12, 1))),
        # A click: 72 months centred on Sep 2007 (35 before it, 36 after).
        ({SCRUB_PARAM: {}, JUMP_PARAM: [{"t0": ms("2007-09-01")}]},
         (date(2004, 10, 1), date(2010, 9, 1))),
        # A click near an end: the window keeps its length inside the span.
        ({SCRUB_PARAM: {}, JUMP_PARAM: [{"t0": ms("2015-06-01")}]},
         (date(2010, 1, 1), date(2015, 12, 1))),
        ({JUMP_PARAM: [{"t0": ms("1991-02-01")}]},
         (date(1991, 1, 1), date(1996, 12, 1))),
        # Nothing to read: the window stays.
        (None, None),
        ({}, None),
        ({SCRUB_PARAM: {}}, None),
        ({SCRUB_PARAM: {}, JUMP_PARAM: {}}, None),
        ({SCRUB_PARAM: {"t0": [ms("2003-03-01")]}}, None),
        ({SCRUB_PARAM: {"t0": ["soon", "later"]}}, None),
        ({SCRUB_PARAM: {"t0": [True, False]}}, None),
        ({JUMP_PARAM: [{"t0": "never"}]}, None),
        # The window it already is: no change.
        ({SCRUB_PARAM: {"t0": [ms("1999-01-01"), ms("2005-01-01")]}}, None),
    ],
)  # fmt: skip
def test_window_from_scrub(selection, window):
    assert window_from_scrub(selection, WINDOW, MONTHS) == window


def test_a_click_keeps_a_one_month_window_one_month_long():
    one = (date(2001, 9, 1), date(2001, 9, 1))
    clicked = {JUMP_PARAM: [{"t0": ms("2014-06-01")}]}
    assert window_from_scrub(clicked, one, MONTHS) == (
        date(2014, 6, 1),
        date(2014, 6, 1),
    )


def test_month_numbers_are_the_stores():
    # The store's month column: year * 12 + month - 1.
    assert month_number(date(1991, 1, 1)) == 23892
    assert month_number(date(2015, 12, 31)) == 24191


def test_no_counts_give_typed_empty_rows():
    rows = scrubber_rows(pd.DataFrame({"start": [], "layer": [], "count": []}))
    assert rows.empty
    assert list(rows.columns) == ["m", "layer", "n"]
    assert [str(t) for t in rows.dtypes] == ["int32", "category", "int32"]


def test_rows_are_sorted_by_month_and_layer_whatever_the_order_of_the_counts():
    counts = pd.DataFrame(
        {
            "start": ["2003-03-01", "1999-01-01", "2003-03-01", "2003-03-01"],
            "layer": ["base", "attack", "attack", "base"],
            "count": [1, 2, 3, 4],
        }
    )
    rows = scrubber_rows(counts)
    # 1999 * 12 + 0 = 23988 and 2003 * 12 + 2 = 24038; the two base rows summed.
    assert rows.astype({"layer": str}).values.tolist() == [
        [23988, "attack", 2],
        [24038, "attack", 3],
        [24038, "base", 5],
    ]


def test_a_spec_without_a_description_has_none(events):
    rows = scrubber_rows(monthly_counts(events))
    spec = scrubber_spec(rows, _spec(events), full_span(events))
    assert "description" not in spec


def test_moments_are_utc_milliseconds(monkeypatch):
    # A day is 86,400,000 ms; a time with no zone is UTC, wherever the server is.
    monkeypatch.setenv("TZ", "Asia/Tashkent")
    time.tzset()
    try:
        assert scrubber_module._ms("1970-01-02T00:00:00") == 86_400_000.0
        assert scrubber_module._ms("1970-01-02T00:00:00Z") == 86_400_000.0
        assert scrubber_module._ms(5) == 5.0
        # 2003-03-31 22:00 UTC is already April in Tashkent (UTC+5): still March.
        late = ms("2003-03-31") + 22 * 3_600_000
        assert scrubber_module._month_at(late) == 2003 * 12 + 2
    finally:
        monkeypatch.undo()
        time.tzset()
    with pytest.raises(TypeError, match="^a flag is not a moment$"):
        scrubber_module._ms(True)
    with pytest.raises(TypeError, match="^not a moment: None$"):
        scrubber_module._ms(None)


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        # March 2003 has 31 days: from the 16th at 12:00 it is 15.5 days to
        # either end; the tie keeps March (2003 * 12 + 2), later goes to April.
        (ms("2003-03-16") + 12 * 3_600_000, 2003 * 12 + 2),
        (ms("2003-03-16") + 18 * 3_600_000, 2003 * 12 + 3),
        (ms("2003-03-16") + 6 * 3_600_000, 2003 * 12 + 2),
    ],
)
def test_a_moment_snaps_to_the_nearest_month_start(moment, month):
    assert scrubber_module._nearest_month(moment) == month


BRUSH = {"t0": [ms("2003-03-01"), ms("2009-03-01")]}


@pytest.mark.parametrize(
    ("selection", "window"),
    [
        # An unreadable click leaves the brush to be read.
        ({JUMP_PARAM: [], SCRUB_PARAM: BRUSH}, (date(2003, 3, 1), date(2009, 2, 1))),
        ({JUMP_PARAM: 5, SCRUB_PARAM: BRUSH}, (date(2003, 3, 1), date(2009, 2, 1))),
        # A brush field that is not a pair is passed over.
        (
            {SCRUB_PARAM: {"x": 5, **BRUSH}},
            (date(2003, 3, 1), date(2009, 2, 1)),
        ),
        # A click wins over an unreadable brush: 72 months centred on Sep 2007.
        (
            {JUMP_PARAM: [{"t0": ms("2007-09-01")}], SCRUB_PARAM: {"t0": ["a", "b"]}},
            (date(2004, 10, 1), date(2010, 9, 1)),
        ),
    ],
)
def test_window_from_scrub_reads_what_it_can(selection, window):
    assert window_from_scrub(selection, WINDOW, MONTHS) == window


# --- on the pages ----------------------------------------------------------------


def _caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if " events — " in c.value)


def _scrubber(at: AppTest):
    charts = [
        c
        for c in at.get("vega_lite_chart")
        if set(c.proto.selection_mode) == set(SCRUB_MODES)
    ]
    assert len(charts) == 1
    return charts[0]


def select_on_chart(at: AppTest, chart, selection: dict) -> AppTest:
    """Run ``at`` as if the browser reported ``selection`` on ``chart``.

    AppTest cannot drag on a chart; this sends what Streamlit's front end sends
    for a chart selection (the chart's widget state, as JSON text) with the
    other widgets' states, as ``AppTest.run`` does.
    """
    states = at._tree.get_widget_states()
    state = WidgetState(id=chart.proto.id)
    state.string_value = json.dumps({"selection": selection})
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_map_page_shows_the_scrubber_with_its_label():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    chart = _scrubber(at)
    spec = json.loads(chart.proto.spec)
    assert spec["description"] == SCRUB_LABEL
    assert "slider in the sidebar" in SCRUB_LABEL
    assert SCRUB_LABEL in [c.value for c in at.caption]


def test_a_drag_on_the_scrubber_sets_the_window_the_slider_and_the_url():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["start"] = "1999-01-01"
    at.query_params["end"] = "2004-12-31"
    at.run()
    assert _caption(at).endswith("from Jan 1999 to Dec 2004")
    at = select_on_chart(
        at,
        _scrubber(at),
        {SCRUB_PARAM: {"t0": [ms("2001-09-01"), ms("2002-01-01")]}},
    )
    assert at.session_state["v_window"] == (date(2001, 9, 1), date(2001, 12, 1))
    assert at.select_slider(key="f_window").value == (
        date(2001, 9, 1),
        date(2001, 12, 1),
    )
    # Read from data/events.csv: the events whose span overlaps Sep-Dec 2001 are
    # 4 attacks (two 1999 incursions, the 2000 raids, the 2001 fighting), 4
    # bases (Afghanistan, FATA, Takhar, Kunduz) and 8 context events.
    assert _caption(at) == (
        "16 events — 4 attacks, 4 bases, 8 context — from Sep 2001 to Dec 2001"
    )
    assert at.query_params["start"] == "2001-09-01"
    assert at.query_params["end"] == "2001-12-31"
    # The brush is drawn again from the new window.
    brush = _params(json.loads(_scrubber(at).proto.spec))[SCRUB_PARAM]
    assert brush["value"]["x"][0] == {"year": 2001, "month": 9, "date": 1, "utc": True}


def test_a_click_on_the_scrubber_moves_the_window_keeping_its_length():
    at = AppTest.from_file(MAP_PAGE, default_timeout=TIMEOUT)
    at.query_params["start"] = "1999-01-01"
    at.query_params["end"] = "1999-12-31"
    at.run()
    at = select_on_chart(
        at, _scrubber(at), {SCRUB_PARAM: {}, JUMP_PARAM: [{"t0": ms("2014-06-01")}]}
    )
    # 12 months centred on June 2014: five before it, six after.
    assert at.session_state["v_window"] == (date(2014, 1, 1), date(2014, 12, 1))
    assert at.query_params["start"] == "2014-01-01"
    assert at.query_params["end"] == "2014-12-31"


# --- Play ------------------------------------------------------------------------


def test_play_steps_through_full_reruns_without_an_error():
    """A full run after a timer step of Play used to write the slider's value
    after the slider was drawn (StreamlitWidgetAlreadyInstantiatedError)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["start"] = "1999-01-01"
    at.query_params["end"] = "2001-12-31"
    at.run()
    play = next(b for b in at.button if b.label == "▶ Play")
    at = play.click().run()
    assert not at.exception, [e.value for e in at.exception]
    time.sleep(2.6)  # two steps of 1.2 s
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error]
    first, last = at.session_state["v_window"]
    # At three months a step, 36 months long: moved on by a whole number of steps.
    assert first > date(1999, 1, 1)
    assert (first.year * 12 + first.month - (1999 * 12 + 1)) % 3 == 0
    assert (last.year * 12 + last.month) - (first.year * 12 + first.month) == 35
    # Still playing, and the slider and the URL show the step.
    assert next(b for b in at.button if "Pause" in b.label)
    assert at.select_slider(key="f_window").value == (first, last)
    assert at.query_params["start"] == first.isoformat()
    brush = _params(json.loads(_scrubber(at).proto.spec))[SCRUB_PARAM]
    assert brush["value"]["x"][0] == {
        "year": first.year,
        "month": first.month,
        "date": 1,
        "utc": True,
    }


def _brush(spec: dict) -> list[dict]:
    return _params(spec)[SCRUB_PARAM]["value"]["x"]


def test_the_spec_sent_per_window_sets_only_the_brush(events):
    rows = scrubber_rows(monthly_counts(events))
    whole = full_span(events)
    first = scrubber_spec(rows, _spec(events), whole, "A label")
    # 1999-01 .. 2004-12: the brush runs from its first day to the day after.
    assert _brush(first) == [
        {"date": 1, "month": 1, "utc": True, "year": 1999},
        {"date": 1, "month": 1, "utc": True, "year": 2005},
    ]
    second = scrubber_spec(
        rows, _spec(events, "2010-03-01", "2010-03-31"), whole, "A label"
    )
    assert _brush(second) == [
        {"date": 1, "month": 3, "utc": True, "year": 2010},
        {"date": 1, "month": 4, "utc": True, "year": 2010},
    ]
    # The first window's copy is left as it was, and so is the kept template.
    assert _brush(first)[0]["year"] == 1999
    again = scrubber_spec(rows, _spec(events), whole, "A label")
    assert _brush(again) == _brush(first)
    # Everything but the brush is the same from one window to the next.
    for spec in (first, second):
        spec.pop("datasets")
        _params(spec)[SCRUB_PARAM].pop("value")
    assert first == second
    assert first["description"] == "A label"


def test_the_spec_holds_the_rows_as_the_bars_named_dataset(events):
    rows = scrubber_rows(monthly_counts(events))
    spec = scrubber_spec(rows, _spec(events), full_span(events))
    (name,) = spec["datasets"]
    months, bars = spec["layer"]
    assert bars["data"] == {"name": name}
    assert "sequence" in months["data"]
    sent = spec["datasets"][name]
    # Attacks beginning in February 1999 (the Tashkent bombings): counted by
    # pandas from the bundled events, not by the chart code.
    feb_1999 = events[
        (events["layer"] == "attack")
        & (events["date_start"].dt.strftime("%Y-%m") == "1999-02")
    ]
    row = sent[
        (sent["m"] == month_number(date(1999, 2, 1))) & (sent["layer"] == "attack")
    ]
    assert row["n"].tolist() == [len(feb_1999)]
    assert sent["n"].sum() == len(events)
    # Without a theme: Streamlit draws the chart with its own.
    assert "continuousWidth" not in spec.get("config", {}).get("view", {})

"""The scrubber under the map: what it draws, what a drag, click or key press
asks for, and the pages' shared window following it (AppTest). The browser
tests are in tests/e2e/test_scrubber.py."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from imu_geo import scrubber as scrubber_module
from imu_geo.data import load_dataset
from imu_geo.filters import FilterSpec, full_span, month_starts
from imu_geo.scrubber import (
    OTHER_LAYER_COLOUR,
    SCRUB_LABEL,
    layer_order,
    month_number,
    month_of,
    scrubber_data,
    scrubber_rows,
    scrubber_text,
    window_from_scrub,
)
from imu_geo.timeline import monthly_counts
from tests.conftest import PROJECT_DIR

APP = str(PROJECT_DIR / "app.py")
MAP_PAGE = str(PROJECT_DIR / "views" / "map.py")
TIMEOUT = 60
# The atlas's months, January 1991 to December 2015.
MONTHS = month_starts(date(1991, 1, 1), date(2015, 12, 31))
JAN_1991 = 1991 * 12


def m(month: str) -> int:
    """A month ("2003-03") as the scrubber numbers it: year * 12 + month - 1."""
    year, number = map(int, month.split("-"))
    return year * 12 + number - 1


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_dataset().events


# --- what the chart is sent ----------------------------------------------------


def _spec(events, start="1999-01-01", end="2004-12-31"):
    return replace(
        full_span(events), start=date.fromisoformat(start), end=date.fromisoformat(end)
    )


def _data(events, **window) -> dict:
    rows = scrubber_rows(monthly_counts(events))
    return scrubber_data(rows, _spec(events, **window), full_span(events), "A label")


def _bars(data: dict) -> pd.DataFrame:
    """The bars sent, as months (absolute), layer names and counts."""
    months, month = [], data["span"][0]
    for step in data["m"]:
        month += step
        months.append(month)
    return pd.DataFrame(
        {
            "month": months,
            "layer": [data["layers"][k] for k in data["k"]],
            "n": data["n"],
        }
    )


def test_the_chart_has_the_span_the_window_and_the_layers_in_stacking_order(events):
    data = _data(events)
    # The atlas runs from January 1991 to December 2015; the window is
    # January 1999 to December 2004.
    assert data["span"] == [JAN_1991, m("2015-12")]
    assert data["window"] == [m("1999-01"), m("2004-12")]
    assert data["layers"] == ["attack", "base", "context"]
    # The colours of the map's legend for attacks and context events.
    assert data["colours"][0] == "#d55e00"
    assert data["colours"][2] == "#6e6e6e"
    assert data["brush"] == "#0072b2"
    assert data["faded"] == 0.35
    assert data["label"] == "A label"
    assert len(data["m"]) == len(data["k"]) == len(data["n"])


def test_the_axis_is_the_whole_span_whatever_the_window(events):
    narrow = _data(events, start="2014-03-01", end="2014-12-31")
    assert narrow["span"] == [JAN_1991, m("2015-12")]
    assert narrow["window"] == [m("2014-03"), m("2014-12")]
    # Only the window differs from one window to the next.
    wide = _data(events)
    assert {k: v for k, v in narrow.items() if k != "window"} == {
        k: v for k, v in wide.items() if k != "window"
    }


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
    bars = _bars(_data(events))
    found = bars[(bars["month"] == m(month)) & (bars["layer"] == layer)]
    assert found["n"].tolist() == [count]


def test_the_bars_hold_every_event_once_and_months_without_events_are_not_sent(
    events,
):
    bars = _bars(_data(events))
    # The atlas: 14 attacks, 8 bases, 27 context events.
    assert bars.groupby("layer")["n"].sum().to_dict() == {
        "attack": 14,
        "base": 8,
        "context": 27,
    }
    assert (bars["n"] > 0).all()
    assert not bars.duplicated(["month", "layer"]).any()
    # Attacks beginning in February 1999 (the Tashkent bombings), counted by
    # pandas from the bundled events, not by the chart code.
    feb_1999 = events[
        (events["layer"] == "attack")
        & (events["date_start"].dt.strftime("%Y-%m") == "1999-02")
    ]
    row = bars[(bars["month"] == m("1999-02")) & (bars["layer"] == "attack")]
    assert row["n"].tolist() == [len(feb_1999)] == [1]


def test_the_chart_of_the_fullest_month_table_is_small(events):
    # 25 years, three layers in every month: the most the atlas's span can send.
    counts = pd.DataFrame(
        [
            {"start": pd.Timestamp(day), "layer": layer, "vague": vague, "count": 5000}
            for day in MONTHS
            for layer in ("attack", "base", "context")
            for vague in (False, True)
        ]
    )
    rows = scrubber_rows(counts)
    assert len(rows) == 300 * 3
    data = scrubber_data(rows, _spec(events), full_span(events), SCRUB_LABEL)
    assert set(data["n"]) == {10_000}
    # Months as steps from the bar before: three bars a month.
    assert data["m"] == [0, 0, 0] + [1, 0, 0] * 299
    assert data["k"] == [0, 1, 2] * 300
    # What the page sends per step, as compact JSON text (measured: 8.9 kB).
    text = scrubber_text(data)
    assert json.loads(text) == data
    assert len(text.encode()) < 10_000


def test_no_events_give_an_empty_chart_that_still_has_the_brush(events):
    rows = scrubber_rows(monthly_counts(events.iloc[:0]))
    data = scrubber_data(rows, _spec(events), full_span(events))
    assert data["m"] == data["k"] == data["n"] == []
    assert data["layers"] == []
    assert data["window"] == [m("1999-01"), m("2004-12")]
    assert data["label"] == ""


def test_a_layer_of_its_own_is_stacked_after_the_known_ones_in_grey():
    rows = pd.DataFrame(
        {
            "m": [m("2001-01"), m("2001-01"), m("2001-02")],
            "layer": ["raid", "base", "attack"],
            "n": [4, 2, 1],
        }
    )
    whole = FilterSpec(start=date(2001, 1, 1), end=date(2001, 3, 31))
    data = scrubber_data(rows, whole, whole)
    assert data["layers"] == ["attack", "base", "raid"]
    assert data["colours"][2] == OTHER_LAYER_COLOUR == "#999999"
    assert data["m"] == [0, 0, 1]
    assert data["k"] == [2, 1, 0]
    assert _bars(data)["month"].tolist() == [m("2001-01"), m("2001-01"), m("2001-02")]
    assert data["n"] == [4, 2, 1]


@pytest.mark.parametrize(
    ("layers", "order"),
    [
        (["context", "attack"], ["attack", "context"]),
        (["zeta", "base", "alpha"], ["base", "alpha", "zeta"]),
        ([], []),
    ],
)
def test_layer_order(layers, order):
    assert layer_order(layers) == order


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


# --- what a drag, a click or a key asks for ---------------------------------------

WINDOW = (date(1999, 1, 1), date(2004, 12, 1))  # 72 months


@pytest.mark.parametrize(
    ("value", "window"),
    [
        # A brush moved, resized, drawn or stepped: its months.
        ({"first": m("2003-03"), "last": m("2009-02")},
         (date(2003, 3, 1), date(2009, 2, 1))),
        # Reversed, or as whole floats (JSON numbers): the same.
        ({"first": m("2009-02"), "last": m("2003-03")},
         (date(2003, 3, 1), date(2009, 2, 1))),
        ({"first": float(m("2003-03")), "last": float(m("2009-02"))},
         (date(2003, 3, 1), date(2009, 2, 1))),
        # One month.
        ({"first": m("2003-03"), "last": m("2003-03")},
         (date(2003, 3, 1), date(2003, 3, 1))),
        # Beyond the span: cut to it.
        ({"first": m("1985-01"), "last": m("1992-12")},
         (date(1991, 1, 1), date(1992, 12, 1))),
        ({"first": m("2014-01"), "last": m("2029-12")},
         (date(2014, 1, 1), date(2015, 12, 1))),
        ({"first": m("2020-01"), "last": m("2029-12")},
         (date(2015, 12, 1), date(2015, 12, 1))),
        ({"first": m("1980-01"), "last": m("1980-12")},
         (date(1991, 1, 1), date(1991, 1, 1))),
        # A click: 72 months centred on Sep 2007 (35 before it, 36 after).
        ({"jump": m("2007-09")}, (date(2004, 10, 1), date(2010, 9, 1))),
        # A click near an end: the window keeps its length inside the span.
        ({"jump": m("2015-06")}, (date(2010, 1, 1), date(2015, 12, 1))),
        ({"jump": m("1991-02")}, (date(1991, 1, 1), date(1996, 12, 1))),
        # A click wins over a brush sent with it.
        ({"jump": m("2007-09"), "first": m("1993-01"), "last": m("1993-02")},
         (date(2004, 10, 1), date(2010, 9, 1))),
        # An unreadable click leaves the brush to be read.
        ({"jump": "soon", "first": m("2003-03"), "last": m("2009-02")},
         (date(2003, 3, 1), date(2009, 2, 1))),
        # Nothing to read: the window stays.
        (None, None),
        ({}, None),
        ("2003-03", None),
        ([m("2003-03"), m("2009-02")], None),
        ({"first": m("2003-03")}, None),
        ({"last": m("2003-03")}, None),
        ({"first": "2003-03", "last": "2009-02"}, None),
        ({"first": True, "last": m("2009-02")}, None),
        ({"first": m("2003-03"), "last": m("2009-02") + 0.5}, None),
        ({"first": None, "last": m("2009-02")}, None),
        ({"jump": True}, None),
        ({"jump": 24000.5}, None),
        # The window it already is: no change.
        ({"first": m("1999-01"), "last": m("2004-12")}, None),
        ({"jump": m("2001-12")}, None),
    ],
)  # fmt: skip
def test_window_from_scrub(value, window):
    assert window_from_scrub(value, WINDOW, MONTHS) == window


def test_no_months_give_no_window():
    brush = {"first": m("2003-03"), "last": m("2003-04")}
    assert window_from_scrub(brush, WINDOW, []) is None
    assert window_from_scrub({"jump": m("2003-03")}, WINDOW, ()) is None


def test_a_click_keeps_a_one_month_window_one_month_long():
    one = (date(2001, 9, 1), date(2001, 9, 1))
    assert window_from_scrub({"jump": m("2014-06")}, one, MONTHS) == (
        date(2014, 6, 1),
        date(2014, 6, 1),
    )


def test_a_window_given_by_its_days_is_compared_by_its_months():
    # The window as the slider holds it: first day of the first month to the
    # last day of the last; the brush asking for the same months is no change.
    days = (date(1999, 1, 1), date(2004, 12, 31))
    assert (
        window_from_scrub({"first": m("1999-01"), "last": m("2004-12")}, days, MONTHS)
        is None
    )
    assert window_from_scrub(
        {"first": m("1999-02"), "last": m("2004-12")}, days, MONTHS
    ) == (
        date(1999, 2, 1),
        date(2004, 12, 1),
    )


_MONTH = st.integers(min_value=m("1980-01"), max_value=m("2030-12"))


@given(
    value=st.one_of(
        st.fixed_dictionaries({"first": _MONTH, "last": _MONTH}),
        st.fixed_dictionaries({"jump": _MONTH}),
    ),
    first=st.integers(0, 299),
    length=st.integers(0, 299),
)
def test_any_window_asked_for_lies_in_the_span(value, first, length):
    last = min(first + length, 299)
    current = (MONTHS[first], MONTHS[last])
    window = window_from_scrub(value, current, MONTHS)
    if window is None:
        # Only when the window asked for is the one there is.
        if "jump" in value:
            return
        lo, hi = sorted((value["first"], value["last"]))
        lo = min(max(lo, JAN_1991), m("2015-12"))
        hi = min(max(hi, lo), m("2015-12"))
        assert (lo, hi) == (JAN_1991 + first, JAN_1991 + last)
        return
    a, b = (month_number(day) for day in window)
    assert JAN_1991 <= a <= b <= m("2015-12")
    assert window[0].day == window[1].day == 1
    if "jump" in value:
        # The length is kept, and the month clicked is in the window unless
        # the span's end is in the way.
        assert b - a == last - first
        if (
            JAN_1991 + (last - first) // 2
            <= value["jump"]
            <= m("2015-12") - (last - first + 1) // 2
        ):
            assert a <= value["jump"] <= b
    else:
        lo, hi = sorted((value["first"], value["last"]))
        if JAN_1991 <= lo and hi <= m("2015-12"):
            assert (a, b) == (lo, hi)


def test_month_numbers_are_the_stores():
    # The store's month column: year * 12 + month - 1.
    assert month_number(date(1991, 1, 1)) == 23892
    assert month_number(date(2015, 12, 31)) == 24191
    assert month_of(23892) == date(1991, 1, 1)
    assert month_of(24191) == date(2015, 12, 1)


def test_no_counts_give_typed_empty_rows():
    rows = scrubber_rows(pd.DataFrame({"start": [], "layer": [], "count": []}))
    assert rows.empty
    assert list(rows.columns) == ["m", "layer", "n"]
    assert [str(t) for t in rows.dtypes] == ["int32", "category", "int32"]


def test_rows_have_the_same_types_with_counts_as_without():
    counts = pd.DataFrame(
        {
            "start": ["2003-03-01", "2003-04-01"],
            "layer": ["base", "attack"],
            "count": [7, 2],
        }
    )
    rows = scrubber_rows(counts)
    assert [str(t) for t in rows.dtypes] == ["int32", "category", "int32"]
    assert rows["m"].tolist() == [m("2003-03"), m("2003-04")]
    assert rows["n"].tolist() == [7, 2]


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


# --- on the pages ----------------------------------------------------------------


def _caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if " events — " in c.value)


def _scrubber(at: AppTest):
    """The page's one scrubber (Streamlit shows a component to AppTest as an
    element it does not know, with its proto)."""
    found = [
        e
        for e in at.main
        if getattr(getattr(e, "proto", None), "component_name", "")
        == "imu_geo_scrubber"
    ]
    assert len(found) == 1
    return found[0]


def _sent(at: AppTest) -> dict:
    """What the page sent the scrubber to draw."""
    return json.loads(json.loads(_scrubber(at).proto.json))


def scrub(at: AppTest, value: dict) -> AppTest:
    """Run ``at`` as if the browser's scrubber reported ``value``.

    AppTest cannot drag in a component; this sends what Streamlit's front end
    sends when the scrubber's script calls ``setTriggerValue("window", value)``
    (the component's trigger state, as JSON text) with the other widgets'
    states, as ``AppTest.run`` does.
    """
    states = at._tree.get_widget_states()
    state = WidgetState(id=_make_trigger_id(_scrubber(at).proto.id, "events"))
    state.json_trigger_value = json.dumps([{"event": "window", "value": value}])
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _opened(page: str, start: str, end: str) -> AppTest:
    """``page`` (the app or the Map page alone) run once at the window from
    ``start`` to ``end`` (days, as the URL gives them)."""
    at = AppTest.from_file(page, default_timeout=TIMEOUT)
    at.query_params["start"] = start
    at.query_params["end"] = end
    return at.run()


def test_the_map_page_shows_the_scrubber_with_its_label():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    sent = _sent(at)
    assert sent["label"] == SCRUB_LABEL
    assert sent["span"] == [JAN_1991, m("2015-12")]
    assert "keyboard" in SCRUB_LABEL and "edges" in SCRUB_LABEL
    assert SCRUB_LABEL in [c.value for c in at.caption]
    # What is sent at every run is a loader of the chart's script, which the
    # server serves as a static file, and the style sheet; the address names
    # the script's content, so a changed script is fetched anew.
    proto = _scrubber(at).proto
    assert "import(" in proto.js_content
    assert len(proto.js_content) < 1_200
    assert ".band" in proto.css_content
    script = PROJECT_DIR / "static" / "scrubber.js"
    digest = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    assert sent["script"] == f"app/static/scrubber.js?v={digest}"
    assert 'setTriggerValue("window"' in script.read_text()


def test_a_drag_on_the_scrubber_sets_the_window_the_slider_and_the_url():
    at = _opened(APP, "1999-01-01", "2004-12-31")
    assert _caption(at).endswith("from Jan 1999 to Dec 2004")
    at = scrub(at, {"first": m("2001-09"), "last": m("2001-12")})
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
    assert _sent(at)["window"] == [m("2001-09"), m("2001-12")]


def test_a_click_on_the_scrubber_moves_the_window_keeping_its_length():
    at = _opened(MAP_PAGE, "1999-01-01", "1999-12-31")
    at = scrub(at, {"jump": m("2014-06")})
    # 12 months centred on June 2014: five before it, six after.
    assert at.session_state["v_window"] == (date(2014, 1, 1), date(2014, 12, 1))
    assert at.query_params["start"] == "2014-01-01"
    assert at.query_params["end"] == "2014-12-31"
    assert _sent(at)["window"] == [m("2014-01"), m("2014-12")]


def test_an_unreadable_report_leaves_the_window_as_it_was():
    at = _opened(MAP_PAGE, "1999-01-01", "1999-12-31")
    at = scrub(at, {"first": "<b>1999</b>", "last": None})
    assert at.session_state["v_window"] == (date(1999, 1, 1), date(1999, 12, 1))
    assert not at.error
    assert _sent(at)["window"] == [m("1999-01"), m("1999-12")]


# --- Play ------------------------------------------------------------------------


def test_play_steps_through_full_reruns_without_an_error():
    """A full run after a timer step of Play used to write the slider's value
    after the slider was drawn (StreamlitWidgetAlreadyInstantiatedError)."""
    at = _opened(APP, "1999-01-01", "2001-12-31")
    play = next(b for b in at.button if b.label == "Play")
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
    assert _sent(at)["window"] == [month_number(first), month_number(last)]

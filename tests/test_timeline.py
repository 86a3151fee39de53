"""The timeline: eras, bars, base lanes, the chart spec, and the page under AppTest."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from imu_geo.data import load_dataset
from imu_geo.filters import FilterSpec, full_span
from imu_geo.layers import ATTACK_COLOURS, BASE_COLOUR
from imu_geo.timeline import (
    ERA_ROW,
    ERAS,
    SECTION_ROWS,
    SPAN_PARAM,
    Era,
    base_lanes,
    build_timeline_chart,
    build_volume_chart,
    chart_rows,
    colour_scale,
    era_for,
    era_frame,
    event_bars,
    monthly_counts,
    relocation_links,
    timeline_events,
    window_from_selection,
)
from imu_geo.timeline.bars import _as_day
from imu_geo.timeline.chart import _epoch_ms
from tests.conftest import DATA_DIR
from tests.helpers import make_events, open_page, window_caption

ERA = {era.key: era for era in ERAS}


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_dataset(DATA_DIR).events


# --- eras ---------------------------------------------------------------------


def test_eras_are_in_order_contiguous_and_cover_1991_to_2015():
    assert ERAS[0].start == date(1991, 1, 1)
    assert ERAS[-1].end == date(2015, 12, 31)
    for before, after in zip(ERAS, ERAS[1:], strict=False):
        assert before.start <= before.end
        assert (after.start - before.end).days == 1, (before.key, after.key)
    assert 4 <= len(ERAS) <= 6
    assert len({era.key for era in ERAS}) == len(ERAS)


@pytest.mark.parametrize("era", ERAS, ids=lambda era: era.key)
def test_each_era_has_a_one_line_reason(era):
    assert era.name.strip() and era.reason.strip()
    assert "\n" not in era.reason
    assert era.reason.endswith(".")


@pytest.mark.parametrize(
    ("key", "phrases"),
    [
        ("roots", ["1991 confrontation in Namangan", "early 1992", "Peshawar"]),
        ("formation", ["around 1998 in Afghanistan", "before October 2001"]),
        ("pakistan", ["Kunduz and Takhar", "Pakistan's tribal areas"]),
        ("north", ["North Waziristan", "Karachi airport attack", "June 2014"]),
        ("islamic-state", ["expansion into Khorasan", "mid-2015", "Zabul"]),
    ],
)
def test_each_reason_rests_on_words_of_the_source(key, phrases, source_text):
    for phrase in phrases:
        assert phrase in ERA[key].reason
        assert phrase in source_text, phrase


@pytest.mark.parametrize(
    ("event_id", "key"),
    [
        ("1991-namangan-confrontation", "roots"),
        ("1992-namangani-in-tajik-civil-war", "roots"),
        ("1999-02-tashkent-car-bombs", "formation"),
        ("2001-06-renamed-islamic-party-of-turkestan", "formation"),
        ("2001-11-namangani-killed", "pakistan"),
        ("2009-05-andijan-suicide-bombing", "pakistan"),
        ("2014-spring-north-waziristan-offensive", "north"),
        ("2014-06-karachi-airport-attack", "north"),
        ("2015-01-is-announces-khorasan-expansion", "islamic-state"),
        ("2015-11-imu-splinter-in-zabul", "islamic-state"),
    ],
)
def test_the_eras_put_the_turning_points_where_the_source_does(events, event_id, key):
    began = events.set_index("event_id").loc[event_id, "date_start"].date()
    assert ERA[key].start <= began <= ERA[key].end


@pytest.mark.parametrize(
    ("key", "period"),
    [
        ("roots", "1991–1997"),
        ("formation", "Jan 1998–Sep 2001"),
        ("pakistan", "Oct 2001–Feb 2014"),
        ("north", "Mar 2014–Dec 2014"),
        ("islamic-state", "2015"),
    ],
)
def test_era_periods_read_as_years_or_months(key, period):
    assert ERA[key].period == period


@pytest.mark.parametrize(
    ("first", "last", "key"),
    [
        (date(1998, 1, 1), date(2001, 9, 30), "formation"),
        (date(1998, 1, 1), date(2001, 9, 1), "formation"),
        (date(2015, 1, 1), date(2015, 12, 31), "islamic-state"),
        (date(1998, 1, 1), date(2001, 10, 1), None),
        (date(1991, 1, 1), date(2015, 12, 31), None),
    ],
)
def test_era_for_matches_a_window_by_month(first, last, key):
    found = era_for(first, last)
    assert (found.key if found else None) == key


def test_narrow_eras_are_labelled_by_number_on_the_chart():
    frame = era_frame(ERAS)
    assert list(frame["text"]) == [
        "1 Roots and exile",
        "2 Founding and raids",
        "3 Shelter in Pakistan",
        "4",
        "5",
    ]
    assert list(frame["end"].dt.date) == [
        date(1998, 1, 1),
        date(2001, 10, 1),
        date(2014, 3, 1),
        date(2015, 1, 1),
        date(2016, 1, 1),
    ]


# --- bars ---------------------------------------------------------------------


BARS = make_events(
    [
        {
            "event_id": "context-day",
            "layer": "context",
            "event_type": "designation",
            "date_start": "2002-09-25",
            "date_end": "2002-09-25",
            "date_precision": "day",
            "title": "Designation",
        },
        {
            "event_id": "attack-year",
            "date_start": "1999-01-01",
            "date_end": "1999-12-31",
            "date_precision": "year",
            "event_type": "hijacking",
            "place_name": "Uzbekistan",
            "title": "Hijacking",
        },
        {
            "event_id": "attack-month",
            "date_start": "1999-02-01",
            "date_end": "1999-02-28",
            "date_precision": "month",
            "event_type": "suicide_bombing",
            "title": "Hijacking",
        },
        {
            "event_id": "base-range",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "1992-01-01",
            "date_end": "1997-12-31",
            "date_precision": "range",
            "place_name": "Tajikistan",
            "title": "Base",
        },
    ]
)


@pytest.mark.parametrize(
    ("event_id", "start", "end", "vague", "kind", "label", "place"),
    [
        # A year-precision event is a bar over the whole year.
        ("attack-year", "1999-01-01", "2000-01-01", True, "hijacking", "Hijacking",
         "Uzbekistan"),
        ("attack-month", "1999-02-01", "1999-03-01", False, "suicide bombing",
         "Hijacking (2)", "no place"),
        # A single day still has a width: one day.
        ("context-day", "2002-09-25", "2002-09-26", False, "context", "Designation",
         "no place"),
        ("base-range", "1992-01-01", "1998-01-01", True, "base", "Base",
         "Tajikistan"),
    ],
)  # fmt: skip
def test_event_bars_span_the_whole_interval(
    event_id, start, end, vague, kind, label, place
):
    bar = event_bars(BARS).set_index("event_id").loc[event_id]
    assert bar["start"] == pd.Timestamp(start)
    assert bar["end"] == pd.Timestamp(end)
    assert bool(bar["vague"]) is vague
    assert (bar["kind"], bar["label"], bar["place"]) == (kind, label, place)


def test_event_bars_are_ordered_by_layer_then_date():
    assert list(event_bars(BARS)["event_id"]) == [
        "attack-year",
        "attack-month",
        "base-range",
        "context-day",
    ]


def test_event_bars_of_no_events_is_an_empty_frame():
    assert event_bars(BARS.iloc[0:0]).empty


# --- base lanes ---------------------------------------------------------------


def _base(event_id, start, end, place):
    return {
        "event_id": event_id,
        "layer": "base",
        "event_type": "group_base",
        "date_start": start,
        "date_end": end,
        "date_precision": "year",
        "place_id": place.lower(),
        "place_name": place,
        "title": f"Base {event_id}",
    }


BASES = make_events(
    [
        _base("b3", "2001-01-01", "2001-12-31", "Kabul"),
        _base("b1", "1991-01-01", "1991-12-31", "Kabul"),
        _base("b2", "1995-01-01", "1999-12-31", "Dushanbe"),
        _base("b4", "2005-01-01", "2005-12-31", "Peshawar"),
    ]
)


def test_base_lanes_follow_first_appearance_and_share_a_place():
    lanes = base_lanes(BASES)
    assert list(lanes["lane"]) == ["Kabul", "Kabul", "Dushanbe", "Peshawar"]
    assert list(lanes["event_id"]) == ["b1", "b3", "b2", "b4"]
    assert list(lanes["lane_order"]) == [0, 0, 1, 2]


def test_relocation_links_join_each_base_to_the_next():
    links = relocation_links(BASES)
    assert list(zip(links["from_lane"], links["to_lane"], strict=True)) == [
        ("Kabul", "Dushanbe"),
        ("Dushanbe", "Kabul"),
        ("Kabul", "Peshawar"),
    ]
    assert list(links["start"].dt.year) == [1995, 2001, 2005]
    assert links["label"].iloc[0] == "Kabul → Dushanbe (1995)"


def test_the_bundled_bases_read_as_the_group_moving(events):
    lanes = base_lanes(events)
    assert list(dict.fromkeys(lanes["lane"])) == [
        "Tajikistan",
        "Peshawar",
        "Afghanistan",
        "Kunduz Province",
        "Takhar Province",
        "Federally Administered Tribal Areas (FATA)",
        "Northern Afghanistan (provinces bordering Central Asia)",
        "Zabul Province",
    ]
    links = relocation_links(events)
    assert list(zip(links["from_id"], links["to_id"], strict=True)) == [
        ("1992-namangani-in-tajik-civil-war", "1992-yoldashev-in-peshawar"),
        ("1992-yoldashev-in-peshawar", "1997-imu-based-in-afghanistan"),
        ("1997-imu-based-in-afghanistan", "2001-late-imu-in-kunduz"),
        ("1997-imu-based-in-afghanistan", "2001-late-imu-in-takhar"),
        ("2001-late-imu-in-kunduz", "2001-late-imu-shelters-in-fata"),
        ("2001-late-imu-in-takhar", "2001-late-imu-shelters-in-fata"),
        ("2001-late-imu-shelters-in-fata", "2011-jundullah-in-northern-afghanistan"),
        ("2011-jundullah-in-northern-afghanistan", "2015-11-imu-splinter-in-zabul"),
    ]


def test_a_lane_named_like_an_event_gets_its_own_row():
    bars = event_bars(BARS)
    bars = bars[bars["layer"] != "base"]
    lanes = base_lanes(BASES).assign(lane="Hijacking")
    rows, bars, lanes = chart_rows(bars, lanes)
    assert rows == [
        ERA_ROW,
        SECTION_ROWS["attack"],
        "Hijacking",
        "Hijacking (2)",
        SECTION_ROWS["context"],
        "Designation",
        SECTION_ROWS["base"],
        "Hijacking (base)",
    ]
    assert set(lanes["row"]) == {"Hijacking (base)"}


# --- the span selection -------------------------------------------------------


@pytest.mark.parametrize(
    ("selection", "window"),
    [
        # What Streamlit sends for a drag over the chart (epoch milliseconds).
        (
            {"span": {"start": [881063916032, 1167351805439]}},
            (date(1997, 12, 2), date(2006, 12, 29)),
        ),
        ({"span": {"start": [946684800000.5, 915148800000]}},
         (date(1999, 1, 1), date(2000, 1, 1))),
        ({"span": {"start": ["1999-01-01T00:00:00.000Z", "2004-06-30T23:00:00Z"]}},
         (date(1999, 1, 1), date(2004, 6, 30))),
        ({"span": {}}, None),
        ({}, None),
        (None, None),
        ({"other": {"start": [0, 1]}}, None),
        ({"span": {"start": [0]}}, None),
        ({"span": {"start": ["soon", "later"]}}, None),
        ({"span": {"start": [True, False]}}, None),
    ],
)  # fmt: skip
def test_window_from_selection(selection, window):
    assert window_from_selection(selection) == window


# --- the chart ----------------------------------------------------------------


def _spec(events, **changes) -> FilterSpec:
    return replace(full_span(events), **changes)


def _layers(chart) -> tuple[dict, list[dict]]:
    spec = chart.to_dict()
    return spec, spec["layer"]


def _data(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def test_the_chart_has_a_span_selection_on_the_time_axis(events):
    spec, layers = _layers(build_timeline_chart(events, full_span(events)))
    params = [p for layer in layers for p in layer.get("params", [])]
    params += spec.get("params", [])
    assert [(p["name"], p["select"]) for p in params] == [
        (SPAN_PARAM, {"type": "interval", "encodings": ["x"]})
    ]
    # The era bands (the first layer) carry it: they fill the chart's height.
    assert layers[0]["encoding"]["x"]["scale"]["type"] == "utc"
    assert [row["start"] for row in _data(spec, layers[0])] == [
        era.start.isoformat() for era in ERAS
    ]


def test_the_chart_draws_eras_window_bars_lanes_and_moves(events):
    spec, layers = _layers(build_timeline_chart(events, full_span(events)))
    marks = [layer["mark"]["type"] for layer in layers]
    assert marks == ["rect", "text", "rect", "rule", "bar", "bar", "rule", "point"]
    bars, lanes, moves = layers[4], layers[5], layers[6]
    assert len(_data(spec, bars)) == 14 + 27
    assert len(_data(spec, lanes)) == 8
    assert len(_data(spec, moves)) == 8
    rows = bars["encoding"]["y"]["scale"]["domain"]
    assert rows[:3] == [ERA_ROW, SECTION_ROWS["attack"], "Bus hijacking"]
    assert rows[-9:-7] == [SECTION_ROWS["base"], "Tajikistan"]
    assert rows[-1] == "Zabul Province"
    assert spec["height"] == 17 * len(rows) + 110


def test_bars_carry_only_plain_fields_and_hollow_when_vague(events):
    spec, layers = _layers(build_timeline_chart(events, full_span(events)))
    bars = layers[4]
    row = _data(spec, bars)[0]
    assert set(row) == {
        "row",
        "kind",
        "start",
        "end",
        "label",
        "dates",
        "precision",
        "place",
        "vague",
        "in_window",
    }
    assert row == {
        "row": "Bus hijacking",
        "kind": "hijacking",
        "start": "1999-01-01",
        "end": "2000-01-01",
        "label": "Bus hijacking",
        "dates": "1999-01-01 – 1999-12-31",
        "precision": "year",
        "place": "Uzbekistan",
        "vague": True,
        "in_window": True,
    }
    encoding = bars["encoding"]
    assert [t["field"] for t in encoding["tooltip"]] == [
        "label",
        "dates",
        "precision",
        "place",
        "kind",
    ]
    assert encoding["fillOpacity"]["condition"] == {"test": "datum.vague", "value": 0.2}
    colours = dict(
        zip(
            encoding["color"]["scale"]["domain"],
            encoding["color"]["scale"]["range"],
            strict=True,
        )
    )
    assert colours["bombing"] == "#{:02x}{:02x}{:02x}".format(
        *ATTACK_COLOURS["bombing"]
    )
    assert colours["base"] == "#{:02x}{:02x}{:02x}".format(*BASE_COLOUR)


@pytest.mark.parametrize(
    ("window", "veiled", "inside", "outside"),
    [
        (
            {"start": date(2009, 1, 1), "end": date(2009, 12, 31)},
            [("1991-01-01", "2009-01-01"), ("2010-01-01", "2016-01-01")],
            "Suicide bombing in Andijon",
            "Car bombs in Tashkent",
        ),
        (
            {
                "start": date(2009, 1, 1),
                "end": date(2009, 12, 31),
                "mode": "cumulative",
            },
            [("2010-01-01", "2016-01-01")],
            "Car bombs in Tashkent",
            "Karachi airport attack",
        ),
        (
            {},
            [],
            "Karachi airport attack",
            None,
        ),
    ],
)
def test_the_window_is_marked(events, window, veiled, inside, outside):
    spec, layers = _layers(build_timeline_chart(events, _spec(events, **window)))
    veil, edges, bars = layers[2], layers[3], layers[4]
    assert [(r["start"], r["end"]) for r in _data(spec, veil)] == veiled
    assert len(_data(spec, edges)) == 2
    in_window = {r["label"]: r["in_window"] for r in _data(spec, bars)}
    assert in_window[inside] is True
    if outside:
        assert in_window[outside] is False


def test_the_chart_keeps_the_other_filters_but_not_the_window(events):
    spec = _spec(
        events, start=date(2009, 1, 1), end=date(2009, 12, 31), layers=("attack",)
    )
    chart_spec, layers = _layers(build_timeline_chart(events, spec))
    assert [layer["mark"]["type"] for layer in layers] == [
        "rect",
        "text",
        "rect",
        "rule",
        "bar",
    ]
    rows = layers[4]["encoding"]["y"]["scale"]["domain"]
    assert SECTION_ROWS["context"] not in rows
    assert SECTION_ROWS["base"] not in rows
    assert len(_data(chart_spec, layers[4])) == 14


def test_a_chart_of_no_events_has_only_the_eras(events):
    spec = _spec(events, text="no event says this")
    _, layers = _layers(build_timeline_chart(events, spec))
    assert [layer["mark"]["type"] for layer in layers] == [
        "rect",
        "text",
        "rect",
        "rule",
    ]


def test_custom_eras_draw_their_own_bands(events):
    eras = (
        Era("a", "First", date(1991, 1, 1), date(1999, 12, 31), "A reason."),
        Era("b", "Second", date(2000, 1, 1), date(2015, 12, 31), "Another."),
    )
    spec, layers = _layers(build_timeline_chart(events, full_span(events), eras))
    assert [r["end"] for r in _data(spec, layers[0])] == ["2000-01-01", "2016-01-01"]
    assert [r["text"] for r in _data(spec, layers[1])] == ["1 First", "2 Second"]


# --- the page -----------------------------------------------------------------


def _chart_spec(at: AppTest) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


@pytest.mark.parametrize("alone", [True, False], ids=["alone", "in the app"])
def test_the_page_offers_every_era_and_the_span_selection(alone):
    at = open_page("views/timeline.py", alone=alone)
    assert window_caption(at) == (
        "49 events — 14 attacks, 8 bases, 27 context — from Jan 1991 to Dec 2015"
    )
    assert [b.label for b in at.button if b.key and b.key.startswith("era_")] == [
        f"{n} · {era.name}" for n, era in enumerate(ERAS, start=1)
    ]
    chart = at.get("vega_lite_chart")[0].proto
    assert list(chart.selection_mode) == [SPAN_PARAM]
    assert _chart_spec(at)["params"][0]["name"] == SPAN_PARAM


@pytest.mark.parametrize(
    ("key", "caption"),
    [
        ("roots",
         "9 events — 0 attacks, 3 bases, 6 context — from Jan 1991 to Dec 1997"),
        ("formation",
         "25 events — 8 attacks, 5 bases, 12 context — from Jan 1998 to Sep 2001"),
        ("pakistan",
         "25 events — 9 attacks, 5 bases, 11 context — from Oct 2001 to Feb 2014"),
        ("north",
         "12 events — 1 attack, 2 bases, 9 context — from Mar 2014 to Dec 2014"),
        ("islamic-state",
         "16 events — 0 attacks, 3 bases, 13 context — from Jan 2015 to Dec 2015"),
    ],
)  # fmt: skip
def test_an_era_button_sets_the_shared_window(key, caption):
    era = ERA[key]
    at = open_page("views/timeline.py", alone=True)
    at = at.button(key=f"era_{key}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["f_window"] == (
        era.start.replace(day=1),
        era.end.replace(day=1),
    )
    assert window_caption(at) == caption
    assert at.select_slider(key="f_window").value == at.session_state["f_window"]
    assert at.query_params["start"] == era.start.isoformat()
    assert at.button(key=f"era_{key}").proto.type == "primary"
    assert any(era.reason in c.value.replace("\\", "") for c in at.caption)


def test_a_chart_without_eras_still_offers_the_span_selection():
    from imu_geo.data import load_dataset
    from imu_geo.filters import full_span

    events = load_dataset().events
    spec = build_timeline_chart(events, full_span(events), ()).to_dict()
    assert "span" in json.dumps(spec)


# --- more by hand: the edges of each rule ---------------------------------------------

# 1 Jan 2000 00:00 and 02:00 UTC, in epoch milliseconds.
NEW_YEAR_MS = 946_684_800_000
TWO_AM_MS = NEW_YEAR_MS + 2 * 3_600_000


@pytest.mark.parametrize(
    "skipped",
    # A field that is text, not a list, or not two bounds is passed over.
    ["xy", 5, [1], [1, 2, 3]],
)
def test_window_from_selection_passes_over_other_fields(skipped):
    selection = {"span": {"other": skipped, "start": [NEW_YEAR_MS, NEW_YEAR_MS]}}
    assert window_from_selection(selection) == (date(2000, 1, 1), date(2000, 1, 1))


@pytest.fixture
def new_york():
    """The process's local time zone set five hours behind UTC, for one test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize(
    ("bounds", "day"),
    [
        # 02:00 UTC is 21:00 the day before in New York: the UTC day counts.
        ([TWO_AM_MS, TWO_AM_MS], date(2000, 1, 1)),
        # Text without a zone is read as it stands, not as local time.
        (["2000-01-01T22:00:00", "2000-01-01T22:00:00"], date(2000, 1, 1)),
        # Text with a zone is moved to UTC: 22:00 at -05:00 is 03:00 next day.
        (["1999-12-31T22:00:00-05:00"] * 2, date(2000, 1, 1)),
    ],
)
def test_window_from_selection_reads_utc_in_any_local_zone(new_york, bounds, day):
    assert window_from_selection({"span": {"start": bounds}}) == (day, day)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "a flag is not a date"),
        (None, "not a date: None"),
        ([1], "not a date: [1]"),
    ],
)
def test_a_bound_that_is_no_date_says_so(value, message):
    with pytest.raises(TypeError) as refused:
        _as_day(value)
    assert str(refused.value) == message


def test_the_colour_scale_ends_with_base_and_context():
    domain, colours = colour_scale()
    assert domain[-2:] == ["base", "context"]
    assert len(domain) == len(colours) == len(ATTACK_COLOURS) + 2


def test_a_one_day_event_shows_one_date():
    bars = event_bars(
        make_events(
            [
                {"event_id": "a", "date_start": "2000-03-04", "date_end": "2000-03-04"},
                {"event_id": "b", "date_start": "2000-03-04", "date_end": "2000-03-05"},
            ]
        )
    )
    assert list(bars["dates"]) == ["2000-03-04", "2000-03-04 – 2000-03-05"]


def test_no_bases_no_relocation_links():
    links = relocation_links(make_events([{"event_id": "a", "layer": "attack"}]))
    assert links.empty
    assert list(links.columns) == [
        "from_id",
        "to_id",
        "from_lane",
        "to_lane",
        "start",
        "label",
    ]


@pytest.mark.parametrize(
    ("day", "ms"),
    [
        (date(2000, 1, 1), NEW_YEAR_MS),
        (date(1970, 1, 2), 86_400_000),
        (date(1969, 12, 31), -86_400_000),
    ],
)
def test_a_day_in_epoch_milliseconds_is_its_utc_midnight(new_york, day, ms):
    assert _epoch_ms(day) == ms


def test_a_move_is_a_dashed_rule_and_an_arrow_on_the_new_lane():
    # Two located bases, one after the other: the group moved between them.
    events = make_events(
        [
            {
                "event_id": "b1",
                "layer": "base",
                "event_type": "group_base",
                "date_start": "2000-01-01",
                "date_end": "2000-06-30",
                "place_name": "Namangan",
                "lat": 41.0,
                "lon": 71.6,
            },
            {
                "event_id": "b2",
                "layer": "base",
                "event_type": "group_base",
                "date_start": "2000-07-01",
                "date_end": "2000-12-31",
                "place_name": "Tavildara",
                "lat": 38.7,
                "lon": 70.5,
            },
        ]
    )
    spec, layers = _layers(build_timeline_chart(events, full_span(events)))
    rule, arrow = layers[-2], layers[-1]
    purple = "#5e3c99"  # the base colour of the map, (94, 60, 153)
    assert tuple(BASE_COLOUR[:3]) == (94, 60, 153)
    assert rule["mark"] == {
        "type": "rule",
        "color": purple,
        "strokeDash": [3, 2],
        "strokeWidth": 1.5,
    }
    assert arrow["mark"] == {
        "type": "point",
        "filled": True,
        "opacity": 1,
        "shape": "triangle-down",
        "size": 45,
    }
    moved = [{"field": "label", "title": "Base moved", "type": "nominal"}]
    rows = ["ERAS", "BASES, BY PLACE", "Namangan", "Tavildara"]
    for layer in (rule, arrow):
        encoding = layer["encoding"]
        assert encoding["tooltip"] == moved
        assert (encoding["x"]["field"], encoding["x"]["type"]) == ("start", "temporal")
        assert encoding["y"]["scale"]["domain"] == rows
        assert _data(spec, layer) == [
            {
                "start": "2000-07-01",
                "from_row": "Namangan",
                "to_row": "Tavildara",
                "label": "Namangan → Tavildara (2000)",
            }
        ]
    assert rule["encoding"]["y"]["field"] == "from_row"
    assert rule["encoding"]["y2"] == {"field": "to_row"}
    assert arrow["encoding"]["y"]["field"] == "to_row"
    assert "y2" not in arrow["encoding"]
    assert arrow["encoding"]["color"] == {"value": purple}


def test_bars_are_coloured_outlined_faded_and_titled_by_kind():
    events = make_events(
        [
            {"event_id": "a1", "date_start": "2000-03-01", "date_end": "2000-03-01"},
            {
                "event_id": "b1",
                "layer": "base",
                "event_type": "group_base",
                "date_start": "2000-01-01",
                "date_end": "2000-06-30",
                "place_name": "Namangan",
            },
        ]
    )
    spec, layers = _layers(build_timeline_chart(events, full_span(events)))
    bars, lanes = [layer for layer in layers if layer["mark"]["type"] == "bar"]
    # Event bars take Vega-Lite's band; a lane's bars fill their row.
    assert bars["mark"] == {"type": "bar", "strokeWidth": 1.2, "cornerRadius": 1}
    assert lanes["mark"] == {
        "type": "bar",
        "strokeWidth": 1.2,
        "cornerRadius": 1,
        "height": {"band": 1.0},
    }
    for layer in (bars, lanes):
        encoding = layer["encoding"]
        assert (encoding["x"]["field"], encoding["x"]["type"]) == ("start", "temporal")
        assert encoding["x2"] == {"field": "end"}
        assert encoding["color"]["field"] == encoding["stroke"]["field"] == "kind"
        assert encoding["color"]["scale"] == encoding["stroke"]["scale"]
        assert encoding["color"]["title"] is encoding["stroke"]["title"] is None
        domain, colours = colour_scale()
        assert encoding["stroke"]["scale"] == {"domain": domain, "range": colours}
        # Hollow (0.2) when vague, solid (0.9) when not; 0.35 outside the window.
        assert encoding["fillOpacity"] == {
            "condition": {"test": "datum.vague", "value": 0.2},
            "value": 0.9,
        }
        assert encoding["opacity"] == {
            "condition": {"test": "datum.in_window", "value": 1.0},
            "value": 0.35,
        }
        assert [(t["field"], t["title"], t["type"]) for t in encoding["tooltip"]] == [
            ("label", "Event", "nominal"),
            ("dates", "Dates", "nominal"),
            ("precision", "Date precision", "nominal"),
            ("place", "Place", "nominal"),
            ("kind", "Type", "nominal"),
        ]
        assert encoding["y"]["field"] == "row"
    assert [row["kind"] for row in _data(spec, bars)] == ["bombing"]
    assert [row["start"] for row in _data(spec, lanes)] == ["2000-01-01"]


# --- the chart, written out by hand ----------------------------------------------

# 1 Jan 2000 and 1 Jul 2000, UTC midnight, in epoch milliseconds (2000 is a leap
# year: 31 + 29 + 31 + 30 + 31 + 30 = 182 days from one to the other).
JAN_2000_MS = NEW_YEAR_MS
JUL_2000_MS = NEW_YEAR_MS + 182 * 86_400_000
HEADING_TEST = (
    'indexof(["ERAS", "ATTACKS", "CONTEXT", "BASES, BY PLACE"], datum.value) >= 0'
)
# The colour of each kind, in legend order: the attack types, base, context.
KIND_COLOURS = {
    "domain": [
        "bombing",
        "suicide bombing",
        "hostage taking",
        "hijacking",
        "armed assault",
        "armed incursion",
        "foiled plot",
        "base",
        "context",
    ],
    "range": [
        "#d55e00",
        "#cc79a7",
        "#e69f00",
        "#56b4e9",
        "#0072b2",
        "#009e73",
        "#f0e442",
        "#5e3c99",
        "#6e6e6e",
    ],
}


def _time_axis(first_ms: int, last_ms: int) -> dict:
    """The x encoding every layer shares: time over the whole span, years on top."""
    return {
        "field": "start",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": [first_ms, last_ms]},
        "axis": {
            "format": "%Y",
            "orient": "top",
            "grid": True,
            "gridColor": "#ffffff",
            "gridWidth": 1,
            "domain": False,
            "tickCount": {"interval": "year", "step": 2},
            "labelFontSize": 11,
        },
    }


def _row_axis(field: str, rows: list[str]) -> dict:
    """The y encoding: one band per row, headings in bold and darker."""
    return {
        "field": field,
        "type": "nominal",
        "title": None,
        "scale": {"domain": rows, "paddingInner": 0.2, "paddingOuter": 0.1},
        "axis": {
            "labelLimit": {
                "expr": "containerSize()[0] > 0 ? clamp(floor(0.4 * "
                "containerSize()[0]), 80, 250) : 250"
            },
            "labelOverlap": False,
            "labelFontSize": 11,
            "labelFontWeight": {
                "condition": {"test": HEADING_TEST, "value": "bold"},
                "value": "normal",
            },
            "labelColor": {
                "condition": {"test": HEADING_TEST, "value": "#222222"},
                "value": "#555555",
            },
            "ticks": False,
            "domain": False,
        },
    }


def _bar_encoding(rows: list[str]) -> dict:
    x = _time_axis(JAN_2000_MS, JUL_2000_MS)
    return {
        "x": x,
        "x2": {"field": "end"},
        "y": _row_axis("row", rows),
        "color": {
            "field": "kind",
            "type": "nominal",
            "scale": KIND_COLOURS,
            "title": None,
        },
        "stroke": {
            "field": "kind",
            "type": "nominal",
            "scale": KIND_COLOURS,
            "title": None,
        },
        "fillOpacity": {
            "condition": {"test": "datum.vague", "value": 0.2},
            "value": 0.9,
        },
        "opacity": {
            "condition": {"test": "datum.in_window", "value": 1.0},
            "value": 0.35,
        },
        "tooltip": [
            {"field": "label", "type": "nominal", "title": "Event"},
            {"field": "dates", "type": "nominal", "title": "Dates"},
            {"field": "precision", "type": "nominal", "title": "Date precision"},
            {"field": "place", "type": "nominal", "title": "Place"},
            {"field": "kind", "type": "nominal", "title": "Type"},
        ],
    }


SMALL = make_events(
    [
        {
            "event_id": "raid",
            "date_start": "2000-03-01",
            "date_end": "2000-03-01",
            "title": "Raid",
        },
        {
            "event_id": "statement",
            "layer": "context",
            "event_type": "statement",
            "date_start": "2000-06-10",
            "date_end": "2000-06-10",
            "title": "Statement",
        },
        {
            "event_id": "b1",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "2000-01-01",
            "date_end": "2000-02-29",
            "date_precision": "range",
            "place_name": "Namangan",
            "lat": 41.0,
            "lon": 71.6,
            "title": "Base in Namangan",
        },
        {
            "event_id": "b2",
            "layer": "base",
            "event_type": "group_base",
            "date_start": "2000-04-01",
            "date_end": "2000-06-30",
            "date_precision": "range",
            "place_name": "Tavildara",
            "lat": 38.7,
            "lon": 70.5,
            "title": "Base in Tavildara",
        },
    ]
)
SMALL_ROWS = [
    "ERAS",
    "ATTACKS",
    "Raid",
    "CONTEXT",
    "Statement",
    "BASES, BY PLACE",
    "Namangan",
    "Tavildara",
]
# The data spans January to June 2000; the window is March and April.
SMALL_WINDOW = FilterSpec(date(2000, 3, 1), date(2000, 4, 30))


def _small_chart(eras=()) -> tuple[dict, list[dict]]:
    return _layers(build_timeline_chart(SMALL, SMALL_WINDOW, eras))


def test_a_small_chart_is_drawn_layer_by_layer_as_written():
    spec, layers = _small_chart()
    assert [layer["mark"]["type"] for layer in layers] == [
        "rect",
        "text",
        "rect",
        "rule",
        "bar",
        "bar",
        "rule",
        "point",
    ]
    # Eight rows of 17 px, and 110 px for the legend and the axis.
    assert spec["height"] == 8 * 17 + 110
    assert spec["config"]["view"]["stroke"] is None
    assert spec["config"]["legend"] == {
        "orient": "bottom",
        "columns": 3,
        "symbolType": "square",
    }
    assert [p["name"] for p in spec["params"]] == [SPAN_PARAM]
    assert spec["params"][0]["views"] == [layers[0]["name"]]


def test_without_eras_one_blank_band_spans_the_data():
    spec, layers = _small_chart()
    bands, names = layers[0], layers[1]
    assert bands["mark"] == {"type": "rect"}
    assert bands["encoding"] == {
        "x": _time_axis(JAN_2000_MS, JUL_2000_MS),
        "x2": {"field": "end"},
        "fill": {"field": "shade", "type": "nominal", "scale": None, "legend": None},
    }
    assert _data(spec, bands) == [
        {"start": "2000-01-01", "end": "2000-07-01", "shade": "#f3f1ec"}
    ]
    # The band has no name to show, and no reason; its midpoint is 90.5 days in.
    assert _data(spec, names) == [
        {
            "start": "2000-01-01",
            "end": "2000-07-01",
            "mid": "2000-03-31",
            "text": "",
            "name": "1 · ",
            "period": "Jan 2000–Jun 2000",
            "reason": "",
        }
    ]


def test_era_labels_sit_on_the_top_row_cut_to_their_band():
    eras = (
        Era("a", "First", date(2000, 1, 1), date(2000, 3, 31), "One."),
        Era("b", "Second", date(2000, 4, 1), date(2000, 6, 30), "Two."),
    )
    spec, layers = _small_chart(eras)
    bands, names = layers[0], layers[1]
    assert [row["shade"] for row in _data(spec, bands)] == ["#f3f1ec", "#e6e3db"]
    assert names["mark"] == {
        "type": "text",
        "fontSize": 11,
        "fontWeight": "bold",
        "color": "#444444",
        "limit": {
            "expr": "max(scale('x', toDate(datum.end)) - scale('x', "
            "toDate(datum.start)) - 4, 1)"
        },
    }
    assert names["transform"] == [{"calculate": "'ERAS'", "as": "era_row"}]
    assert names["encoding"] == {
        "x": {"field": "mid", "type": "temporal", "scale": {"type": "utc"}},
        "y": _row_axis("era_row", SMALL_ROWS),
        "text": {"field": "text", "type": "nominal"},
        "tooltip": [
            {"field": "name", "type": "nominal", "title": "Era"},
            {"field": "period", "type": "nominal", "title": "Period"},
            {"field": "reason", "type": "nominal", "title": "Why"},
        ],
    }
    # Three months each: too short for a name, so numbered only.
    assert _data(spec, names) == [
        {
            "start": "2000-01-01",
            "end": "2000-04-01",
            "mid": "2000-02-15",
            "text": "1",
            "name": "1 · First",
            "period": "Jan 2000–Mar 2000",
            "reason": "One.",
        },
        {
            "start": "2000-04-01",
            "end": "2000-07-01",
            "mid": "2000-05-16",
            "text": "2",
            "name": "2 · Second",
            "period": "Apr 2000–Jun 2000",
            "reason": "Two.",
        },
    ]


def test_the_window_is_veiled_outside_and_edged_in_blue():
    spec, layers = _small_chart()
    veil, edges = layers[2], layers[3]
    assert veil["mark"] == {"type": "rect", "color": "#ffffff", "opacity": 0.6}
    assert veil["encoding"] == {
        "x": _time_axis(JAN_2000_MS, JUL_2000_MS),
        "x2": {"field": "end"},
    }
    assert _data(spec, veil) == [
        {"start": "2000-01-01", "end": "2000-03-01"},
        {"start": "2000-05-01", "end": "2000-07-01"},
    ]
    assert edges["mark"] == {"type": "rule", "color": "#0072b2", "strokeWidth": 1.5}
    assert edges["encoding"] == {"x": _time_axis(JAN_2000_MS, JUL_2000_MS)}
    assert _data(spec, edges) == [{"start": "2000-03-01"}, {"start": "2000-05-01"}]


def test_event_bars_and_lane_bars_carry_every_field_as_written():
    spec, layers = _small_chart()
    bars, lanes = layers[4], layers[5]
    assert bars["encoding"] == _bar_encoding(SMALL_ROWS)
    assert lanes["encoding"] == _bar_encoding(SMALL_ROWS)
    assert _data(spec, bars) == [
        {
            "row": "Raid",
            "kind": "bombing",
            "start": "2000-03-01",
            "end": "2000-03-02",
            "label": "Raid",
            "dates": "2000-03-01",
            "precision": "day",
            "place": "no place",
            "vague": False,
            "in_window": True,
        },
        {
            "row": "Statement",
            "kind": "context",
            "start": "2000-06-10",
            "end": "2000-06-11",
            "label": "Statement",
            "dates": "2000-06-10",
            "precision": "day",
            "place": "no place",
            "vague": False,
            "in_window": False,
        },
    ]
    assert _data(spec, lanes) == [
        {
            "row": "Namangan",
            "kind": "base",
            "start": "2000-01-01",
            "end": "2000-03-01",
            "label": "Base in Namangan",
            "dates": "2000-01-01 – 2000-02-29",
            "precision": "range",
            "place": "Namangan",
            "vague": True,
            "in_window": False,
        },
        {
            "row": "Tavildara",
            "kind": "base",
            "start": "2000-04-01",
            "end": "2000-07-01",
            "label": "Base in Tavildara",
            "dates": "2000-04-01 – 2000-06-30",
            "precision": "range",
            "place": "Tavildara",
            "vague": True,
            "in_window": True,
        },
    ]


def test_a_move_joins_the_two_lanes_at_the_new_base():
    spec, layers = _small_chart()
    rule, arrow = layers[6], layers[7]
    moved = [{"field": "label", "type": "nominal", "title": "Base moved"}]
    assert rule["encoding"] == {
        "x": _time_axis(JAN_2000_MS, JUL_2000_MS),
        "y": _row_axis("from_row", SMALL_ROWS),
        "y2": {"field": "to_row"},
        "tooltip": moved,
    }
    assert arrow["encoding"] == {
        "x": _time_axis(JAN_2000_MS, JUL_2000_MS),
        "y": _row_axis("to_row", SMALL_ROWS),
        "color": {"value": "#5e3c99"},
        "tooltip": moved,
    }
    move = {
        "start": "2000-04-01",
        "from_row": "Namangan",
        "to_row": "Tavildara",
        "label": "Namangan → Tavildara (2000)",
    }
    assert _data(spec, rule) == _data(spec, arrow) == [move]


def test_the_whole_span_given_sets_the_time_axis():
    whole = FilterSpec(date(1999, 1, 1), date(2000, 12, 31))
    chart = build_timeline_chart(SMALL, SMALL_WINDOW, (), whole)
    spec, layers = _layers(chart)
    # 1 Jan 1999 and 1 Jan 2001: 365 days before and 366 days after 1 Jan 2000.
    axis = _time_axis(JAN_2000_MS - 365 * 86_400_000, JAN_2000_MS + 366 * 86_400_000)
    assert layers[0]["encoding"]["x"] == layers[4]["encoding"]["x"] == axis
    assert _data(spec, layers[0]) == [
        {"start": "1999-01-01", "end": "2001-01-01", "shade": "#f3f1ec"}
    ]
    assert _data(spec, layers[2]) == [
        {"start": "1999-01-01", "end": "2000-03-01"},
        {"start": "2000-05-01", "end": "2001-01-01"},
    ]


@pytest.mark.parametrize(
    ("mode", "veiled", "edges"),
    [
        # The window's days from its first to its last, both in.
        ("window", [("2000-01-01", "2000-03-01"), ("2000-05-01", "2000-07-01")],
         ["2000-03-01", "2000-05-01"]),
        # Cumulative: from the first day of the data to the window's end.
        ("cumulative", [("2000-05-01", "2000-07-01")],
         ["2000-01-01", "2000-05-01"]),
    ],
)  # fmt: skip
def test_the_veil_and_edges_follow_the_mode(mode, veiled, edges):
    window = replace(SMALL_WINDOW, mode=mode)
    spec, layers = _layers(build_timeline_chart(SMALL, window, ()))
    assert [(r["start"], r["end"]) for r in _data(spec, layers[2])] == veiled
    assert [r["start"] for r in _data(spec, layers[3])] == edges


# --- the events the chart draws ---------------------------------------------------

SPREAD = make_events(
    [
        {"event_id": "a1999", "date_start": "1999-05-01", "date_end": "1999-05-01"},
        {
            "event_id": "c2005",
            "layer": "context",
            "date_start": "2005-05-01",
            "date_end": "2005-05-01",
        },
        {"event_id": "a2010", "date_start": "2010-05-01", "date_end": "2010-05-01"},
    ]
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # The window (2005 only) is not applied: every event is drawn.
        ({}, ["a1999", "c2005", "a2010"]),
        ({"mode": "cumulative"}, ["a1999", "c2005", "a2010"]),
        # The other filters are.
        ({"layers": ("attack",)}, ["a1999", "a2010"]),
        ({"layers": ("context",), "mode": "cumulative"}, ["c2005"]),
    ],
)
def test_timeline_events_keep_every_filter_but_the_window(changes, expected):
    spec = replace(FilterSpec(date(2005, 1, 1), date(2005, 12, 31)), **changes)
    assert list(timeline_events(SPREAD, spec)["event_id"]) == expected


# --- many events: counts per month ---------------------------------------------------


def test_monthly_counts_of_no_events_have_the_columns_and_no_row():
    counts = monthly_counts(SPREAD.iloc[0:0])
    assert counts.empty
    assert list(counts.columns) == ["start", "end", "layer", "vague", "count"]


def test_monthly_counts_count_each_event_once_in_its_first_month():
    events = make_events(
        [
            # Known to the day and to the month: solid; in December.
            {"event_id": "d", "date_start": "1999-12-16", "date_end": "1999-12-16"},
            {
                "event_id": "m",
                "date_start": "1999-12-01",
                "date_end": "1999-12-31",
                "date_precision": "month",
            },
            # A year, a season and a range are vague; each counts where it begins.
            {
                "event_id": "y",
                "date_start": "1999-01-01",
                "date_end": "1999-12-31",
                "date_precision": "year",
            },
            {
                "event_id": "r",
                "date_start": "1999-12-31",
                "date_end": "2000-01-02",
                "date_precision": "range",
            },
            {
                "event_id": "s",
                "layer": "context",
                "date_start": "1999-12-01",
                "date_end": "2000-02-29",
                "date_precision": "season",
            },
        ]
    )
    counts = monthly_counts(events)
    assert sorted(counts.columns) == ["count", "end", "layer", "start", "vague"]
    assert counts.to_dict("records") == [
        {
            "start": pd.Timestamp("1999-01-01"),
            "end": pd.Timestamp("1999-02-01"),
            "layer": "attack",
            "vague": True,
            "count": 1,
        },
        {
            "start": pd.Timestamp("1999-12-01"),
            "end": pd.Timestamp("2000-01-01"),
            "layer": "attack",
            "vague": False,
            "count": 2,
        },
        {
            "start": pd.Timestamp("1999-12-01"),
            "end": pd.Timestamp("2000-01-01"),
            "layer": "attack",
            "vague": True,
            "count": 1,
        },
        {
            "start": pd.Timestamp("1999-12-01"),
            "end": pd.Timestamp("2000-01-01"),
            "layer": "context",
            "vague": True,
            "count": 1,
        },
    ]


# 1 Jan 1999, UTC midnight, in epoch milliseconds: 365 days before 1 Jan 2000.
JAN_1999_MS = NEW_YEAR_MS - 365 * 86_400_000
# Counts as the engine or monthly_counts give them, out of order on purpose.
COUNTS = pd.DataFrame(
    {
        "start": pd.to_datetime(
            ["1999-02-01", "1999-12-01", "1999-02-01", "1999-02-01", "1999-02-01"]
        ),
        "layer": ["context", "attack", "attack", "base", "attack"],
        "vague": [False, False, True, True, False],
        "count": [2, 1200, 3, 4, 1],
        "end": pd.to_datetime(
            ["1999-03-01", "2000-01-01", "1999-03-01", "1999-03-01", "1999-03-01"]
        ),
    }
)
YEAR_1999 = FilterSpec(date(1999, 1, 1), date(1999, 12, 31))
SPRING_1999 = FilterSpec(date(1999, 3, 1), date(1999, 5, 31))


def _volume(eras=()) -> tuple[dict, list[dict]]:
    return _layers(build_volume_chart(COUNTS, SPRING_1999, YEAR_1999, eras))


def test_the_volume_chart_is_drawn_layer_by_layer_as_written():
    spec, layers = _volume()
    assert [layer["mark"] for layer in layers] == [
        {"type": "rect"},
        {"type": "rect", "strokeWidth": 0},
        {"type": "rect", "color": "#ffffff", "opacity": 0.6},
        {"type": "rule", "color": "#0072b2", "strokeWidth": 1.5},
    ]
    assert spec["height"] == 320
    assert spec["config"]["view"]["stroke"] is None
    assert spec["config"]["legend"] == {
        "orient": "bottom",
        "columns": 3,
        "symbolType": "square",
    }
    assert [(p["name"], p["views"]) for p in spec["params"]] == [
        (SPAN_PARAM, [layers[0]["name"]])
    ]
    x = _time_axis(JAN_1999_MS, NEW_YEAR_MS)
    assert layers[0]["encoding"]["x"] == x
    assert _data(spec, layers[0]) == [
        {"start": "1999-01-01", "end": "2000-01-01", "shade": "#f3f1ec"}
    ]
    assert layers[2]["encoding"] == {"x": x, "x2": {"field": "end"}}
    assert _data(spec, layers[2]) == [
        {"start": "1999-01-01", "end": "1999-03-01"},
        {"start": "1999-06-01", "end": "2000-01-01"},
    ]
    assert layers[3]["encoding"] == {"x": x}
    assert _data(spec, layers[3]) == [{"start": "1999-03-01"}, {"start": "1999-06-01"}]


def test_the_volume_chart_stacks_layer_by_layer_solid_below_vague():
    spec, layers = _volume()
    bars = layers[1]
    assert bars["encoding"] == {
        "x": _time_axis(JAN_1999_MS, NEW_YEAR_MS),
        "x2": {"field": "end"},
        "y": {"field": "bottom", "type": "quantitative", "title": "events per month"},
        "y2": {"field": "top"},
        "color": {
            "field": "layer",
            "type": "nominal",
            "scale": {
                "domain": ["attack", "base", "context"],
                "range": ["#d55e00", "#5e3c99", "#6e6e6e"],
            },
            "title": None,
        },
        "fillOpacity": {
            "condition": {"test": "datum.vague", "value": 0.35},
            "value": 0.9,
        },
        "tooltip": [
            {"field": "month", "type": "nominal", "title": "Month"},
            {"field": "layer", "type": "nominal", "title": "Layer"},
            {"field": "precision", "type": "nominal", "title": "Dates"},
            {
                "field": "count",
                "type": "quantitative",
                "title": "Events",
                "format": ",",
            },
        ],
    }
    solid, vague = "day or month", "vaguer than a month"

    def row(start, end, layer, is_vague, count, bottom, month):
        return {
            "start": start,
            "end": end,
            "layer": layer,
            "vague": is_vague,
            "count": count,
            "precision": vague if is_vague else solid,
            "month": month,
            "bottom": bottom,
            "top": bottom + count,
        }

    feb, mar = "1999-02-01", "1999-03-01"
    assert _data(spec, bars) == [
        # February: attacks (solid 1, vague 3), then bases (4), then context (2).
        row(feb, mar, "attack", False, 1, 0, "Feb 1999"),
        row(feb, mar, "attack", True, 3, 1, "Feb 1999"),
        row(feb, mar, "base", True, 4, 4, "Feb 1999"),
        row(feb, mar, "context", False, 2, 8, "Feb 1999"),
        row("1999-12-01", "2000-01-01", "attack", False, 1200, 0, "Dec 1999"),
    ]


def test_the_volume_chart_draws_the_eras_given_behind_the_counts():
    eras = (
        Era("a", "First", date(1999, 1, 1), date(1999, 6, 30), "One."),
        Era("b", "Second", date(1999, 7, 1), date(1999, 12, 31), "Two."),
    )
    spec, layers = _volume(eras)
    assert _data(spec, layers[0]) == [
        {"start": "1999-01-01", "end": "1999-07-01", "shade": "#f3f1ec"},
        {"start": "1999-07-01", "end": "2000-01-01", "shade": "#e6e3db"},
    ]


@pytest.mark.parametrize("mode", ["window", "cumulative"])
def test_an_event_over_before_the_whole_span_given_is_not_drawn(mode):
    # The span given starts in 2005: the attack of May 1999 lies outside it,
    # whatever the window's mode (a cumulative window would reach back to it).
    whole = FilterSpec(date(2005, 1, 1), date(2010, 12, 31))
    spec = FilterSpec(date(2005, 1, 1), date(2005, 12, 31), mode=mode)
    assert list(timeline_events(SPREAD, spec, whole)["event_id"]) == ["c2005", "a2010"]
    chart, layers = _layers(build_timeline_chart(SPREAD, spec, (), whole))
    assert [row["label"] for row in _data(chart, layers[4])] == [
        "An event",
        "An event (2)",
    ]
    assert [row["start"] for row in _data(chart, layers[4])] == [
        "2010-05-01",
        "2005-05-01",
    ]


# --- bars and lanes: the columns and the odd cases ----------------------------------

BAR_COLUMNS = [
    "event_id",
    "layer",
    "label",
    "kind",
    "event_type",
    "start",
    "end",
    "dates",
    "precision",
    "place",
    "vague",
]


def test_event_bars_have_the_columns_their_docstring_lists():
    bars = event_bars(BARS)
    assert list(bars.columns) == BAR_COLUMNS
    assert list(bars["event_type"]) == [
        "hijacking",
        "suicide_bombing",
        "group_base",
        "designation",
    ]


def test_event_bars_put_bases_before_context_and_an_unknown_layer_last():
    # Dated so that sorting by date alone would reverse each pair.
    events = make_events(
        [
            {"event_id": "other", "layer": "other", "date_start": "1990-01-01"},
            {"event_id": "context", "layer": "context", "date_start": "1995-01-01"},
            {"event_id": "base", "layer": "base", "date_start": "2000-01-01"},
            {"event_id": "attack", "layer": "attack", "date_start": "2005-01-01"},
        ]
    ).assign(date_end=lambda e: e["date_start"])
    assert list(event_bars(events)["event_id"]) == [
        "attack",
        "base",
        "context",
        "other",
    ]


def test_bases_with_no_place_share_one_lane_named_so():
    bases = make_events(
        [
            _base("b1", "1991-01-01", "1991-12-31", "Kabul"),
            _base("b2", "1995-01-01", "1995-12-31", ""),
            _base("b3", "1999-01-01", "1999-12-31", "Kabul"),
            _base("b4", "2003-01-01", "2003-12-31", ""),
        ]
    )
    # One without a name (empty), one with none at all (missing).
    bases.loc[bases["event_id"] == "b4", "place_name"] = None
    lanes = base_lanes(bases)
    assert list(lanes.columns) == [*BAR_COLUMNS, "lane", "lane_order"]
    assert list(lanes["event_id"]) == ["b1", "b3", "b2", "b4"]
    assert list(lanes["lane"]) == ["Kabul", "Kabul", "no place", "no place"]
    assert list(lanes["place"]) == ["Kabul", "Kabul", "no place", "no place"]
    assert list(lanes.index) == [0, 1, 2, 3]
    assert lanes["lane_order"].dtype == "int64"
    assert list(lanes["lane_order"]) == [0, 0, 1, 1]
    links = relocation_links(bases)
    assert list(links["label"]) == [
        "Kabul → no place (1995)",
        "no place → Kabul (1999)",
        "Kabul → no place (2003)",
    ]


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        # 36 whole months, January 2000 to December 2002: room for the name.
        (date(2000, 1, 1), date(2002, 12, 31), "1 Long"),
        # 35 months: the number only.
        (date(2000, 1, 1), date(2002, 11, 30), "1"),
        # 36 months counted by month, whatever the days: June 2000 to May 2003.
        (date(2000, 6, 15), date(2003, 5, 1), "1 Long"),
        (date(2000, 6, 15), date(2003, 4, 30), "1"),
    ],
)
def test_an_era_of_36_months_or_more_is_named(start, end, text):
    frame = era_frame([Era("e", "Long", start, end, "Why.")])
    assert list(frame["text"]) == [text]


def test_era_shades_alternate_from_the_first():
    days = [date(2000 + k, 1, 1) for k in range(3)]
    eras = [
        Era(str(k), "E", days[k], days[k].replace(month=12, day=31), "")
        for k in range(3)
    ]
    assert list(era_frame(eras)["shade"]) == ["#f3f1ec", "#e6e3db", "#f3f1ec"]


def test_a_cumulative_window_on_the_volume_chart_runs_from_the_first_day():
    cumulative = replace(SPRING_1999, mode="cumulative")
    chart = build_volume_chart(COUNTS, cumulative, YEAR_1999)
    spec, layers = _layers(chart)
    assert _data(spec, layers[2]) == [{"start": "1999-06-01", "end": "2000-01-01"}]
    assert _data(spec, layers[3]) == [{"start": "1999-01-01"}, {"start": "1999-06-01"}]

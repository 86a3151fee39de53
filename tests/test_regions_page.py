"""The Regions page under AppTest, run alone: its table follows the time window
and the level, and its map colours the units of the table."""

from __future__ import annotations

import json
from datetime import date
from functools import partial

import pytest
from streamlit.testing.v1 import AppTest

from tests import helpers

open_page = partial(helpers.open_page, "views/regions.py", alone=True)


def counts(at: AppTest) -> dict[str, tuple[int, int, int, int]]:
    """region -> (events, attacks, bases, context), as the table shows them."""
    table = at.dataframe[0].value
    return {
        r.region: (r.events, r.attacks, r.bases, r.context)
        for r in table.itertuples(index=False)
    }


def coloured(at: AppTest) -> dict[str, int]:
    """region_id -> number of polygons drawn for it on the choropleth."""
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layer = next(
        layer for layer in deck["layers"] if layer["id"] == "region-choropleth"
    )
    drawn: dict[str, int] = {}
    for record in layer["data"]:
        drawn[record["region_id"]] = drawn.get(record["region_id"], 0) + 1
    return drawn


def test_the_page_shows_the_country_table_for_the_url_window():
    at = open_page(start="1999-01-01", end="1999-12-31")
    assert at.title[0].value == "Regions"
    assert at.caption[0].value == (
        "12 events — 5 attacks, 2 bases, 5 context — from Jan 1999 to Dec 1999"
    )
    # Hand count in tests/test_summaries.py (HAND_COUNTS, 1999, country).
    assert counts(at) == {
        "Afghanistan": (2, 0, 1, 1),
        "Kyrgyzstan": (2, 2, 0, 0),
        "Pakistan": (1, 0, 1, 0),
        "Uzbekistan": (5, 3, 0, 2),
        "No place": (2, 0, 0, 2),
    }
    assert set(coloured(at)) == {"AF", "KG", "PK", "UZ"}
    assert any(
        c.value == "12 events: 10 in 4 countries, 2 with no place." for c in at.caption
    )
    chart = at.get("deck_gl_json_chart")[0].proto
    assert json.loads(chart.tooltip) == {"text": "{tooltip}"}
    assert at.download_button[0].label == "Download table as CSV"


def test_moving_the_window_changes_the_numbers():
    at = open_page(start="1999-01-01", end="1999-12-31")
    before = counts(at)
    at = (
        at.select_slider(key="f_window")
        .set_range(date(2009, 1, 1), date(2015, 12, 1))
        .run()
    )
    assert not at.exception
    after = counts(at)
    assert after != before
    # Hand count in tests/test_summaries.py (HAND_COUNTS, 2009-2015, country).
    assert after == {
        "Afghanistan": (5, 0, 2, 3),
        "Pakistan": (4, 1, 1, 2),
        "Tajikistan": (1, 0, 0, 1),
        "Uzbekistan": (4, 2, 0, 2),
        "Ferghana Valley": (1, 0, 0, 1),
        "No place": (6, 0, 0, 6),
    }
    assert at.query_params["start"] == "2009-01-01"
    # Marked rows (the valley spans three countries; no place) are not drawn.
    assert set(coloured(at)) == {"AF", "PK", "TJ", "UZ"}


@pytest.mark.parametrize(
    ("level", "expected", "drawn"),
    [
        (
            "admin1",
            {
                "Zabul": (2, 0, 1, 1),
                "Sindh": (1, 1, 0, 0),
                "Federally Administered Tribal Areas (FATA)": (2, 0, 1, 1),
                "Andijan": (2, 2, 0, 0),
                "Ferghana Valley": (1, 0, 0, 1),
                "Northern Afghanistan (provinces bordering Central Asia)": (
                    2,
                    0,
                    1,
                    1,
                ),
                "Afghanistan": (1, 0, 0, 1),
                "Pakistan": (1, 0, 0, 1),
                "Tajikistan": (1, 0, 0, 1),
                "Uzbekistan": (2, 0, 0, 2),
                "No place": (6, 0, 0, 6),
            },
            {"AF-ZAB", "PK-SD", "PK-TA", "UZ-AN"},
        ),
        (
            "valley",
            {
                "Ferghana Valley": (3, 2, 0, 1),
                "Tajikistan": (1, 0, 0, 1),
                "Uzbekistan": (2, 0, 0, 2),
                "Outside the valley": (9, 1, 3, 5),
                "No place": (6, 0, 0, 6),
            },
            {"ferghana_valley"},
        ),
    ],
)
def test_the_level_selector_switches_the_table(level, expected, drawn):
    at = open_page(start="2009-01-01", end="2015-12-31")
    at = at.segmented_control(key="r_level").set_value(level).run()
    assert not at.exception
    assert counts(at) == expected
    assert set(coloured(at)) == drawn
    assert set(at.dataframe[0].value["level"]) == {level}


def test_the_measure_colours_only_units_with_a_value():
    at = open_page(start="1999-01-01", end="1999-12-31")
    at = at.selectbox(key="r_measure").set_value("killed").run()
    assert not at.exception
    # Only Uzbekistan's events give a figure in 1999: Tashkent's best estimate
    # (16) and the low figures of the bus hijacking (5) and the incursions (2).
    assert set(coloured(at)) == {"UZ"}
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layer = next(
        layer for layer in deck["layers"] if layer["id"] == "region-choropleth"
    )
    assert layer["data"][0]["tooltip"].splitlines()[:2] == [
        "Uzbekistan",
        "Killed (best estimate, else low figure): 23",
    ]


def test_an_empty_window_shows_an_empty_table():
    at = open_page(start="1999-01-01", end="1999-12-31", layers="")
    assert at.dataframe[0].value.empty
    assert any(c.value == "0 events." for c in at.caption)
    assert coloured(at) == {}


def test_a_region_in_the_url_filters_the_page_and_the_caption_says_so():
    at = open_page(start="1999-01-01", end="2004-12-31", region="UZ")
    # The nine events counted in Uzbekistan (hand count in test_summaries.py);
    # the caption is Markdown, escaped.
    assert at.caption[0].value == (
        "9 events — 6 attacks, 0 bases, 3 context — from Jan 1999 to Dec 2004 "
        "\\(in Uzbekistan\\)"
    )
    assert counts(at) == {"Uzbekistan": (9, 6, 0, 3)}
    assert set(coloured(at)) == {"UZ"}
    assert at.query_params["region"] == "UZ"
    assert any(
        c.value.startswith("Region: Uzbekistan, a country.") for c in at.sidebar.caption
    )
    # What the killed count, in words (hand count in test_summaries.py).
    assert any(
        c.value == "Killed: 23 — 16 from best estimates (1 event), 7 from low figures "
        "where no best estimate is given (2 events); 6 events give no figure."
        for c in at.caption
    )
    at = at.button(key="region_clear").click().run()
    assert not at.exception
    assert "region" not in at.query_params
    assert at.caption[0].value.endswith("from Jan 1999 to Dec 2004")
    assert set(counts(at)) > {"Uzbekistan", "Afghanistan"}


def test_a_province_filters_the_province_table_to_it():
    at = open_page(start="1999-01-01", end="2004-12-31", region="UZ-TK")
    at = at.segmented_control(key="r_level").set_value("admin1").run()
    assert not at.exception
    # The car bombs of 1999 and the embassy bombings of 2004, both in the city.
    assert counts(at) == {"Tashkent (city)": (2, 2, 0, 0)}
    assert at.caption[0].value.endswith("\\(in Tashkent \\(city\\)\\)")


def test_an_unknown_region_in_the_url_warns_and_shows_all():
    at = open_page(start="1999-01-01", end="1999-12-31", region="Atlantis")
    # Escaped Markdown, as every warning that quotes a link.
    assert [w.value for w in at.warning] == [
        "Unknown region in the link\\: “Atlantis”; showing all\\."
    ]
    assert "Uzbekistan" in counts(at) and "Afghanistan" in counts(at)
    assert "region" not in at.query_params

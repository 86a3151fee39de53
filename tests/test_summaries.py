"""Region summaries: the join rules on hand-made polygons, hand counts on the
bundled data, the choropleth values and ``imu-geo summary``."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from imu_geo.cli import main
from imu_geo.data import load_dataset
from imu_geo.export import table_csv_bytes
from imu_geo.filters import FilterSpec, apply_filters
from imu_geo.summaries import (
    NO_PLACE_LABEL,
    OUTSIDE_LABELS,
    SEQUENTIAL_STOPS,
    SUMMARY_COLUMNS,
    SUMMARY_LEVELS,
    TEXT_KILLED_LEGEND,
    choropleth_deck,
    choropleth_frame,
    choropleth_legend_svg,
    format_text_table,
    killed_line,
    place_units,
    sequential_colour,
    summarise,
    totals_line,
)
from imu_geo.summaries.table import _format_value, _percent
from tests.helpers import make_events
from tests.tiny_world import PLACES, REGIONS, TINY_TABLES, rows_of, tiny_events

# --- the tiny world of tests/tiny_world.py ----------------------------------------


@pytest.mark.parametrize("level", SUMMARY_LEVELS)
def test_tiny_world_tables(level):
    summary = summarise(tiny_events(), PLACES, REGIONS, level)
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert rows_of(summary) == TINY_TABLES[level]
    assert summary["events"].sum() == 9  # every event on exactly one row
    assert set(summary["level"]) == {level}


def test_a_point_on_an_edge_goes_to_the_same_unit_whatever_the_order():
    shuffled = REGIONS.iloc[::-1].reset_index(drop=True)
    for level in SUMMARY_LEVELS:
        assert (
            rows_of(summarise(tiny_events(), PLACES, shuffled, level))
            == (TINY_TABLES[level])
        )
    units = place_units(PLACES, shuffled, "admin1").set_index("place_id")
    assert units.loc["edge", "region_id"] == "AA-1"


@pytest.mark.parametrize(
    ("precision", "level", "expected"),
    [
        # The point "in" lies in AA and AA-1, outside the vale.
        ("near", "admin1", ("AA-1", "North A", "admin1")),
        ("province", "admin1", ("AA-1", "North A", "admin1")),
        ("country", "admin1", ("", "Inside town", "country")),
        ("region", "admin1", ("", "Inside town", "region")),
        ("country", "country", ("AA", "Aland", "country")),
        ("district", "valley", ("", OUTSIDE_LABELS["valley"], "")),
        ("province", "valley", ("", "Inside town", "province")),
    ],
)
def test_a_point_coded_coarser_than_the_units_is_marked(precision, level, expected):
    events = make_events(
        [
            {
                "event_id": "e",
                "place_id": "in",
                "geo_precision": precision,
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
            }
        ]
    )
    summary = summarise(events, PLACES, REGIONS, level)
    assert len(summary) == 1
    row = summary.iloc[0]
    assert (row["region_id"], row["region"], row["coded_at"]) == expected
    if expected[0] == "" and expected[2]:
        assert row["note"] == (
            f"coded at {precision} level: the point stands for a wider area, so "
            "its events are not assigned to " + ("it" if level == "valley" else "one")
        )


def test_a_partly_outside_area_is_marked_with_its_share():
    summary = summarise(tiny_events(), PLACES, REGIONS, "admin1")
    notes = dict(zip(summary["region"], summary["note"], strict=True))
    assert notes["Aland"] == (
        "coded at country level: at most 50% of the place lies in any one "
        "admin-1 unit, so its events are not assigned to one"
    )
    assert notes[NO_PLACE_LABEL] == "the source gives no place for these events"
    assert notes["North A"] == ""
    valley = summarise(tiny_events(), PLACES, REGIONS, "valley")
    province = valley[valley["region"] == "Province Two"].iloc[0]
    assert province["note"] == (
        "coded at province level: only 50% of the place lies in the valley, so its "
        "events are not assigned to it"
    )


def test_fatalities_skip_unknowns_and_dates_span_the_rows_events():
    summary = summarise(tiny_events(), PLACES, REGIONS, "country").set_index("region")
    aland = summary.loc["Aland"]
    # e1 gives 3/3/4, e2 only a low of 1; the others give nothing.
    assert (aland["fatalities_low"], aland["fatalities_best"]) == (4, 3)
    assert aland["fatalities_high"] == 4
    # Rows where no event gives a figure stay unknown, not zero.
    assert pd.isna(summary.loc[NO_PLACE_LABEL, "fatalities_best"])
    assert (aland["first_event"], aland["last_event"]) == (
        date(1999, 1, 1),
        date(2001, 12, 31),
    )
    assert str(summary["events"].dtype) == "int64"


def test_an_empty_selection_gives_an_empty_table():
    events = tiny_events().iloc[0:0]
    summary = summarise(events, PLACES, REGIONS, "admin1")
    assert summary.empty
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert totals_line(summary, "admin1") == "0 events."


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="level must be one of"):
        summarise(tiny_events(), PLACES, REGIONS, "district")


# --- hand counts on the bundled data ---------------------------------------------

DATASET = load_dataset()


def table_for(start: date, end: date, level: str) -> list[tuple]:
    events = apply_filters(DATASET.events, FilterSpec(start=start, end=end))
    summary = summarise(events, DATASET.places, DATASET.regions, level)
    return [
        (
            r.region,
            r.coded_at,
            r.events,
            r.attacks,
            r.bases,
            r.context,
            None if pd.isna(r.fatalities_low) else int(r.fatalities_low),
            None if pd.isna(r.fatalities_best) else int(r.fatalities_best),
            r.first_event.isoformat(),
            r.last_event.isoformat(),
        )
        for r in summary.itertuples(index=False)
    ]


# Counted by hand from data/events.csv: a row is in the window when date_start <=
# the window's end and date_end >= its start. The place of each row comes from its
# place_id: towns by the admin1 column of places.geojson (Tashkent UZ-TK, Peshawar
# PK-KP, Andijan and Khanabad UZ-AN, North Waziristan PK-TA, Karachi airport
# PK-SD); Andijan, Khanabad and Namangan are the towns inside the valley polygon.
#
# 1999 (12 rows): yoldashev-in-peshawar (base, Peshawar), imu-formed-around-1998
# (context, Afghanistan), uzbekistan-low-intensity-insurgency (context,
# Uzbekistan), imu-based-in-afghanistan (base, Afghanistan), bus-hijacking
# (attack, Uzbekistan, low 5), incursions-into-kyrgyzstan (attack, Kyrgyzstan),
# incursions-into-uzbekistan (attack, Uzbekistan, low 2), uzbek-crackdown (context,
# Uzbekistan), tashkent-car-bombs (attack, Tashkent, 16/16/16),
# japanese-geologists-hostage (attack, Batken Region), and two context rows with
# no place (calls-for-overthrow-of-uzbek-government, 1997-2002, and
# iju-splits-from-imu, 1997-2015).
#
# 2009-2015 (21 rows): uzbek-crackdown and uzbek-tajik-border-security (context,
# Uzbekistan), tajikistan-imu-more-active (context, Tajikistan),
# imu-shelters-in-fata (base, FATA), andijan-suicide-bombing and
# khanabad-border-post-assault (attacks, towns in Andijan), ferghana-border-security
# (context, the valley), jundullah-in-northern-afghanistan (base) and
# fighters-move-to-northern-afghanistan (context) (Northern Afghanistan),
# north-waziristan-offensive (context, North Waziristan), karachi-airport-attack
# (attack, Karachi airport), flees-back-to-afghanistan (context, Afghanistan),
# pakistan-makes-imu-priority-target (context, Pakistan), splinter-in-zabul (base)
# and zabul-splinter-crushed (context) (Zabul), and six context rows with no
# place (iju-splits-from-imu, 1997-2015, fractures-and-disperses,
# is-announces-khorasan-expansion, pledges-allegiance, omar-death-announced,
# accuses-taliban-of-lying).
HAND_COUNTS = {
    (date(1999, 1, 1), date(1999, 12, 31), "country"): [
        # region, coded at, events, attacks, bases, context, killed low, best,
        # first, last
        ("Afghanistan", "country", 2, 0, 1, 1, None, None, "1997-01-01", "2001-12-31"),
        # incursions-into-kyrgyzstan and the Batken hostage-taking
        ("Kyrgyzstan", "country", 2, 2, 0, 0, None, None, "1999-01-01", "2002-09-25"),
        ("Pakistan", "country", 1, 0, 1, 0, None, None, "1992-01-01", "1999-12-31"),
        # four country-level rows and Tashkent; low 5 + 2 + 16, best only Tashkent
        ("Uzbekistan", "country", 5, 3, 0, 2, 23, 16, "1997-01-01", "2015-12-07"),
        # calls-for-overthrow and iju-splits-from-imu
        ("No place", "", 2, 0, 0, 2, None, None, "1997-01-01", "2015-12-07"),
    ],
    (date(1999, 1, 1), date(1999, 12, 31), "admin1"): [
        ("Batken", "admin1", 1, 1, 0, 0, None, None, "1999-08-01", "1999-08-31"),
        (
            "Khyber Pakhtunkhwa",
            "admin1",
            1,
            0,
            1,
            0,
            None,
            None,
            "1992-01-01",
            "1999-12-31",
        ),
        ("Tashkent (city)", "admin1", 1, 1, 0, 0, 16, 16, "1999-02-01", "1999-02-28"),
        # country-level rows: counted on their own, not in a province
        ("Afghanistan", "country", 2, 0, 1, 1, None, None, "1997-01-01", "2001-12-31"),
        ("Kyrgyzstan", "country", 1, 1, 0, 0, None, None, "1999-01-01", "2002-09-25"),
        ("Uzbekistan", "country", 4, 2, 0, 2, 7, None, "1997-01-01", "2015-12-07"),
        ("No place", "", 2, 0, 0, 2, None, None, "1997-01-01", "2015-12-07"),
    ],
    (date(2009, 1, 1), date(2015, 12, 31), "country"): [
        # northern Afghanistan x2, flees-back, Zabul x2
        ("Afghanistan", "country", 5, 0, 2, 3, None, None, "2011-01-01", "2015-12-07"),
        # FATA, North Waziristan, Karachi, priority-target
        ("Pakistan", "country", 4, 1, 1, 2, None, None, "2001-09-01", "2015-12-07"),
        ("Tajikistan", "country", 1, 0, 0, 1, None, None, "2001-01-01", "2015-12-07"),
        # crackdown, border security, Andijan, Khanabad
        ("Uzbekistan", "country", 4, 2, 0, 2, None, None, "1999-01-01", "2015-12-07"),
        # the valley spans three countries: marked, not assigned
        (
            "Ferghana Valley",
            "region",
            1,
            0,
            0,
            1,
            None,
            None,
            "2009-05-01",
            "2009-05-31",
        ),
        ("No place", "", 6, 0, 0, 6, None, None, "1997-01-01", "2015-12-07"),
    ],
    (date(2009, 1, 1), date(2015, 12, 31), "valley"): [
        # Andijan and Khanabad (points in the valley) and the valley itself
        (
            "Ferghana Valley",
            "valley",
            3,
            2,
            0,
            1,
            None,
            None,
            "2009-05-01",
            "2009-05-31",
        ),
        ("Tajikistan", "country", 1, 0, 0, 1, None, None, "2001-01-01", "2015-12-07"),
        ("Uzbekistan", "country", 2, 0, 0, 2, None, None, "1999-01-01", "2015-12-07"),
        # FATA, North Waziristan, Karachi, Pakistan, Afghanistan, northern
        # Afghanistan x2, Zabul x2: none overlaps the valley
        (
            "Outside the valley",
            "",
            9,
            1,
            3,
            5,
            None,
            None,
            "2001-09-01",
            "2015-12-07",
        ),
        ("No place", "", 6, 0, 0, 6, None, None, "1997-01-01", "2015-12-07"),
    ],
}


@pytest.mark.parametrize(
    ("start", "end", "level"), list(HAND_COUNTS), ids=lambda v: str(v)
)
def test_bundled_data_matches_the_hand_count(start, end, level):
    assert table_for(start, end, level) == HAND_COUNTS[(start, end, level)]


def test_every_bundled_event_is_counted_once_at_every_level():
    for level in SUMMARY_LEVELS:
        summary = summarise(DATASET.events, DATASET.places, DATASET.regions, level)
        assert summary["events"].sum() == 49
        assert summary.loc[summary["region"] == NO_PLACE_LABEL, "events"].item() == 10


# --- the choropleth --------------------------------------------------------------


def test_sequential_colour_runs_from_the_first_stop_to_the_last():
    assert sequential_colour(0, 5)[:3] == list(SEQUENTIAL_STOPS[0])
    assert sequential_colour(5, 5)[:3] == list(SEQUENTIAL_STOPS[-1])
    assert sequential_colour(2.5, 5)[:3] == list(SEQUENTIAL_STOPS[2])
    assert sequential_colour(9, 0)[:3] == list(SEQUENTIAL_STOPS[0])


@pytest.mark.parametrize(
    ("level", "measure", "expected"),
    [
        ("country", "events", {"AA": 5}),
        ("admin1", "events", {"AA-1": 2, "AA-2": 2}),
        ("admin1", "attacks", {"AA-1": 2}),  # AA-2 has no attack: not coloured
        # e1's best estimate (3) and e2's low figure (1, no best estimate).
        ("admin1", "killed", {"AA-1": 4}),
        ("valley", "context", {"vale": 2}),
    ],
)
def test_choropleth_colours_the_units_with_a_value(level, measure, expected):
    summary = summarise(tiny_events(), PLACES, REGIONS, level)
    frame = choropleth_frame(summary, REGIONS, level, measure)
    assert dict(zip(frame["region_id"], frame["value"], strict=True)) == expected
    top = max(expected.values())
    assert all(
        fill[:3] == sequential_colour(value, top)[:3]
        for fill, value in zip(frame["fill"], frame["value"], strict=True)
    )


def test_choropleth_deck_is_offline_with_plain_text_tooltips():
    summary = summarise(tiny_events(), PLACES, REGIONS, "admin1")
    deck = choropleth_deck(choropleth_frame(summary, REGIONS, "admin1", "attacks"))
    # Over the base map, under the labels.
    assert [layer.id for layer in deck.layers] == ["region-choropleth", "labels"]
    assert deck.map_provider is None
    assert deck.map_style == "app/static/style.json"
    assert "mapbox" not in deck.to_json()
    (record,) = deck.layers[0].data
    assert record["region_id"] == "AA-1"
    assert (
        record["tooltip"]
        == "North A\nAttacks: 2\n2 events — 2 attacks, 0 bases, 0 context"
    )


@pytest.mark.parametrize(
    ("measure", "top"),
    [("events", ">5</text>"), ("killed", ">4</text>"), ("bases", ">1</text>")],
)
def test_legend_runs_from_zero_to_the_largest_value(measure, top):
    summary = summarise(tiny_events(), PLACES, REGIONS, "country")
    svg = choropleth_legend_svg(
        choropleth_frame(summary, REGIONS, "country", measure), measure
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<stop ") == len(SEQUENTIAL_STOPS)
    assert '<text x="4" y="48">0</text>' in svg
    assert svg.endswith(top + "</svg>")
    empty = summarise(tiny_events().iloc[0:0], PLACES, REGIONS, "country")
    nothing = choropleth_frame(empty, REGIONS, "country", measure)
    assert choropleth_legend_svg(nothing, measure).endswith(">0</text></svg>")


def test_legend_svg_is_the_ramp_the_label_and_the_top_value():
    # Five stops at 0/4 .. 4/4 of the ramp, in YlOrRd's colours; the largest
    # value 1234 written with a thousands comma; the measure's label in bold.
    frame = gpd.GeoDataFrame({"value": [12.0, 1234.0, 7.0]})
    assert choropleth_legend_svg(frame, "killed") == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="54" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#333">'
        '<defs><linearGradient id="ramp">'
        '<stop offset="0.00" stop-color="rgb(255,255,178)"/>'
        '<stop offset="0.25" stop-color="rgb(254,204,92)"/>'
        '<stop offset="0.50" stop-color="rgb(253,141,60)"/>'
        '<stop offset="0.75" stop-color="rgb(240,59,32)"/>'
        '<stop offset="1.00" stop-color="rgb(189,0,38)"/>'
        "</linearGradient></defs>"
        '<text x="4" y="13" font-weight="bold">'
        "Killed (best estimate, else low figure)</text>"
        '<rect x="4" y="20" width="220" height="14" fill="url(#ramp)" '
        'stroke="#666" stroke-width="0.5"/>'
        '<text x="4" y="48">0</text>'
        '<text x="224" y="48" text-anchor="end">1,234</text>'
        "</svg>"
    )
    empty = gpd.GeoDataFrame({"value": pd.Series([], dtype="float64")})
    assert choropleth_legend_svg(empty, "bases").endswith(
        '<text x="224" y="48" text-anchor="end">0</text></svg>'
    )
    assert '<text x="4" y="13" font-weight="bold">Bases active</text>' in (
        choropleth_legend_svg(empty, "bases")
    )


# --- text and CSV ---------------------------------------------------------------


def test_text_table_lists_notes_as_footnotes():
    summary = summarise(tiny_events(), PLACES, REGIONS, "country")
    lines = format_text_table(summary, "country").splitlines()
    assert lines[0].split() == [
        "id",
        "region",
        "coded",
        "at",
        "country",
        "events",
        "attacks",
        "killed",
        "from",
        "best",
        "from",
        "low",
        "ev",
        "best",
        "ev",
        "low",
        "ev",
        "none",
        "bases",
        "context",
        "first",
        "last",
    ]
    assert lines[2].split() == (
        # killed 4 = e1's best 3 + e2's low 1; e3, e4 and e8 give no figure.
        "AA Aland country AA 5 2 4 3 1 1 1 3 1 2 1999-01-01 2001-12-31".split()
    )
    assert "The Vale [1]" in lines[3]
    assert lines[-1] == (
        "9 events: 5 in 1 country, 1 coded at a coarser level, 2 outside, "
        "1 with no place."
    )
    assert any(
        line.startswith("[1] coded at region level: at most 75%") for line in lines
    )


def _hand_summary() -> pd.DataFrame:
    """Two rows written out: a unit, and a row with no place, a note and no
    figure (its fatality cells are missing)."""

    def figures(value):
        return pd.array([value, pd.NA], dtype="Int64")

    return pd.DataFrame(
        {
            "region_id": ["AA", ""],
            "region": ["Aland", NO_PLACE_LABEL],
            "level": ["country", "country"],
            "coded_at": ["country", ""],
            "country": ["AA", ""],
            "events": [12, 1],
            "attacks": [3, 1],
            "killed": figures(40),
            "killed_low_only": figures(0),
            "events_best": [2, 0],
            "events_low_only": [0, 0],
            "events_no_figure": [10, 1],
            "fatalities_low": figures(35),
            "fatalities_best": figures(40),
            "fatalities_high": figures(50),
            "bases": [0, 0],
            "context": [9, 0],
            "first_event": ["1999-02-01", "2003-05-01"],
            "last_event": ["2001-12-31", "2003-05-31"],
            "note": ["", "no place given"],
        }
    )


def test_text_table_is_aligned_column_by_column():
    # Widths are the longest of header and cells: region 12 ("No place [1]"),
    # first and last 10 (the dates); counts and sums are right-aligned, text
    # left-aligned, two spaces between columns, no trailing space; missing
    # figures are blank. Killed 40, all from the 2 events with a best estimate;
    # 10 + 1 events give no figure; 12 + 1 events, the second with no place.
    lines = format_text_table(_hand_summary(), "country").split("\n")
    assert lines == [
        "id  region        coded at  country  events  attacks  killed  from best"
        "  from low  ev best  ev low  ev none  bases  context  first       last",
        "--  ------------  --------  -------  ------  -------  ------  ---------"
        "  --------  -------  ------  -------  -----  -------  ----------  ----------",
        "AA  Aland         country   AA           12        3      40         40"
        "         0        2       0       10      0        9  1999-02-01  2001-12-31",
        "    No place [1]                          1        1                   "
        "                  0       0        1      0        0  2003-05-01  2003-05-31",
        "",
        "[1] no place given",
        "",
        TEXT_KILLED_LEGEND,
        "",
        "Killed: 40 — 40 from best estimates (2 events); 11 events give no figure.",
        "13 events: 12 in 1 country, 1 with no place.",
    ]


def test_text_table_without_notes_has_no_footnotes():
    summary = _hand_summary().iloc[:1]
    lines = format_text_table(summary, "country").split("\n")
    assert lines[2].startswith("AA  Aland   country   AA ")
    # A missing value that is not None (NaN in a float column) is blank too.
    unknown = format_text_table(summary.assign(country=[float("nan")]), "country")
    # "country " (width 8), 2, a blank country (7), 2, "    12" (events, 6).
    blank = " " * (1 + 2 + 7 + 2 + 4)
    assert unknown.split("\n")[2].startswith("AA  Aland   country" + blank + "12")
    assert lines[3:] == [
        "",
        TEXT_KILLED_LEGEND,
        "",
        "Killed: 40 — 40 from best estimates (2 events); 10 events give no figure.",
        "12 events: 12 in 1 country.",
    ]


def test_cli_summary_prints_the_table(capsys):
    code = main(
        ["summary", "--by", "valley", "--start", "2009-01-01", "--end", "2015-12-31"]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[2].split()[:8] == [
        "ferghana_valley",
        "Ferghana",
        "Valley",
        "valley",
        "UZ|KG|TJ",
        "3",
        "2",
        "0",
    ]
    assert out[-1] == (
        "21 events: 3 in the valley, 3 coded at a coarser level, 9 outside, "
        "6 with no place."
    )


def test_cli_summary_csv_is_the_page_download(capsysbinary):
    code = main(
        [
            "summary",
            "--by",
            "admin1",
            "--start",
            "1999-01-01",
            "--end",
            "1999-12-31",
            "--format",
            "csv",
        ]
    )
    out = capsysbinary.readouterr().out
    assert code == 0
    events = apply_filters(
        DATASET.events, FilterSpec(start=date(1999, 1, 1), end=date(1999, 12, 31))
    )
    summary = summarise(events, DATASET.places, DATASET.regions, "admin1")
    assert out == table_csv_bytes(summary)
    lines = out.decode().split("\r\n")
    assert lines[3] == (
        "UZ-TK,Tashkent (city),admin1,admin1,UZ,1,1,16,,1,0,0,16,16,16,0,0,"
        "1999-02-01,1999-02-28,"
    )
    assert len(lines) == 1 + 7 + 1  # header, seven rows, the final CRLF


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--data", "{tmp}"], 1, "imu-geo: {tmp} cannot be loaded: "),
        (["--start", "someday"], 0, "imu-geo: The start date “someday” is not"),
    ],
)
def test_cli_summary_problems_are_one_line(tmp_path, capsys, args, code, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["summary", *args]) == code
    err = capsys.readouterr().err
    assert err.startswith(message.replace("{tmp}", str(tmp_path)))
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


# --- what the killed count --------------------------------------------------------

# By hand from data/events.csv: the nine events counted in Uzbekistan from 1999 to
# 2004. 1999-02-tashkent-car-bombs gives a best estimate (16);
# 1999-bus-hijacking and 1999-imu-incursions-into-uzbekistan give only a low
# figure (5 and 2); the six others (three context events, the 2000 raids, the
# 2004 Bukhara explosion and embassy bombings) give no figure. The old table
# read "killed (at least) 23, best 16": the low sum ran over three events, the
# best over one.
UZBEKISTAN_1999_2004 = {
    "events": 9,
    "killed": 23,
    "fatalities_best": 16,
    "killed_low_only": 7,
    "events_best": 1,
    "events_low_only": 2,
    "events_no_figure": 6,
}


def _atlas_table(level: str, start: date, end: date) -> pd.DataFrame:
    events = apply_filters(DATASET.events, FilterSpec(start=start, end=end))
    return summarise(events, DATASET.places, DATASET.regions, level)


def test_uzbekistan_1999_2004_killed_say_what_they_count():
    table = _atlas_table("country", date(1999, 1, 1), date(2004, 12, 31))
    row = table[table["region_id"] == "UZ"].iloc[0]
    assert {k: int(row[k]) for k in UZBEKISTAN_1999_2004} == UZBEKISTAN_1999_2004
    assert killed_line(table[table["region_id"] == "UZ"]) == (
        "Killed: 23 — 16 from best estimates (1 event), 7 from low figures where "
        "no best estimate is given (2 events); 6 events give no figure."
    )


def test_every_row_adds_up_its_killed_from_its_parts():
    for level in SUMMARY_LEVELS:
        table = _atlas_table(level, date(1991, 1, 1), date(2015, 12, 31))
        counted = table["events_best"] + table["events_low_only"]
        assert (counted + table["events_no_figure"] == table["events"]).all()
        parts = table["fatalities_best"].fillna(0) + table["killed_low_only"].fillna(0)
        assert (table["killed"].fillna(0) == parts).all()
        # No figure at all: unknown, not zero.
        assert (table["killed"].isna() == (counted == 0)).all()


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        # (best, low) per event
        ([], "Killed: no event selected."),
        ([(None, None)], "Killed: no figure — 1 event gives no figure."),
        (
            [(None, 2), (None, 3)],
            "Killed: 5 — 5 from low figures where no best estimate is given "
            "(2 events); every event gives a figure.",
        ),
        (
            [(4, 1), (0, 0), (None, None), (None, None)],
            "Killed: 4 — 4 from best estimates (2 events); 2 events give no figure.",
        ),
    ],
)
def test_killed_line(figures, expected):
    if not figures:
        empty = summarise(tiny_events().iloc[0:0], PLACES, REGIONS, "country")
        assert killed_line(empty) == expected
        return
    events = make_events(
        [
            {
                "event_id": f"e{n}",
                "layer": "attack",
                "event_type": "bombing",
                "place_id": "in",
                "geo_precision": "exact",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "fatalities_best": "" if best is None else str(best),
                "fatalities_low": "" if low is None else str(low),
            }
            for n, (best, low) in enumerate(figures)
        ]
    )
    table = summarise(events, PLACES, REGIONS, "country")
    assert killed_line(table) == expected


# --- the table's sentences and helpers, on tables written by hand ------------------


def _rows(*rows):
    """A summary as totals_line reads it: (region_id, region, coded_at, events)."""
    return pd.DataFrame(rows, columns=["region_id", "region", "coded_at", "events"])


@pytest.mark.parametrize(
    ("summary", "level", "expected"),
    [
        (
            _rows(
                ("AA", "Aland", "country", 5),
                ("BB", "Bland", "country", 1),
                ("", "The Vale", "region", 2),
                ("", OUTSIDE_LABELS["country"], "", 3),
                ("", NO_PLACE_LABEL, "", 1),
            ),
            "country",
            "12 events: 6 in 2 countries, 2 coded at a coarser level, 3 outside, "
            "1 with no place.",
        ),
        (_rows(("AA", "Aland", "country", 1)), "country", "1 event: 1 in 1 country."),
        (
            _rows(("AA-1", "North A", "admin1", 1234), ("", "Aland", "country", 2000)),
            "admin1",
            "3,234 events: 1,234 in 1 admin-1 unit, 2,000 coded at a coarser level.",
        ),
        (
            _rows(("", NO_PLACE_LABEL, "", 2)),
            "admin1",
            "2 events: 0 in 0 admin-1 units, 2 with no place.",
        ),
        (
            _rows(("vale", "The Vale", "valley", 3), ("", "Outside the valley", "", 1)),
            "valley",
            "4 events: 3 in the valley, 1 outside.",
        ),
        (
            _rows(("vale", "The Vale", "valley", 1)),
            "valley",
            "1 event: 1 in the valley.",
        ),
        (
            # The outside label of another level is not this level's outside.
            _rows(("", OUTSIDE_LABELS["country"], "", 2), ("", NO_PLACE_LABEL, "", 3)),
            "admin1",
            "5 events: 0 in 0 admin-1 units, 3 with no place.",
        ),
    ],
)
def test_totals_line(summary, level, expected):
    assert totals_line(summary, level) == expected


def _figures(*rows):
    """A summary as killed_line reads it: (events_best, events_low_only,
    events_no_figure, fatalities_best, killed_low_only) per row."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "events_best",
            "events_low_only",
            "events_no_figure",
            "fatalities_best",
            "killed_low_only",
        ],
    )
    for column in ("fatalities_best", "killed_low_only"):
        frame[column] = frame[column].astype("Int64")
    return frame


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (
            _figures((1, 0, 0, 1234, None), (0, 3, 0, None, 5000)),
            "Killed: 6,234 — 1,234 from best estimates (1 event), 5,000 from low "
            "figures where no best estimate is given (3 events); every event gives "
            "a figure.",
        ),
        (
            _figures((2, 1, 1, 7, 2), (0, 0, 2, None, None)),
            "Killed: 9 — 7 from best estimates (2 events), 2 from low figures where "
            "no best estimate is given (1 event); 3 events give no figure.",
        ),
        (
            _figures((0, 1, 1, None, 4)),
            "Killed: 4 — 4 from low figures where no best estimate is given "
            "(1 event); 1 event gives no figure.",
        ),
        (
            _figures((0, 0, 2, None, None)),
            "Killed: no figure — 2 events give no figure.",
        ),
        (
            _figures((0, 0, 1500, None, None)),
            "Killed: no figure — 1,500 events give no figure.",
        ),
    ],
)
def test_killed_line_on_hand_made_rows(summary, expected):
    assert killed_line(summary) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "no figure"),
        (float("nan"), "no figure"),
        (pd.NA, "no figure"),
        (0, "0"),
        (7.0, "7"),
        (1234567, "1,234,567"),
    ],
)
def test_format_value(value, expected):
    assert _format_value(value) == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.0, "0%"),
        (0.001, "under 1%"),
        (0.0049, "under 1%"),
        (0.005, "under 1%"),  # half a percent would round to 0%
        (0.0051, "1%"),
        (0.006, "1%"),
        (0.5, "50%"),
        (1.0, "100%"),
    ],
)
def test_percent(share, expected):
    assert _percent(share) == expected


def test_an_empty_table_has_the_dtypes_of_a_full_one():
    empty = summarise(tiny_events().iloc[0:0], PLACES, REGIONS, "country")
    counts = ("events", "attacks", "bases", "context")
    counts += ("events_best", "events_low_only", "events_no_figure")
    sums = ("fatalities_low", "fatalities_best", "fatalities_high", "killed")
    sums += ("killed_low_only",)
    assert {c: str(empty[c].dtype) for c in counts + sums} == dict.fromkeys(
        counts, "int64"
    ) | dict.fromkeys(sums, "Int64")
    assert {str(empty[c].dtype) for c in SUMMARY_COLUMNS if c not in counts + sums} == {
        "object"
    }


# --- the choropleth's colours, tooltips and deck, worked out by hand ----------------

# YlOrRd's five stops, written out: S0 (255, 255, 178), S1 (254, 204, 92),
# S2 (253, 141, 60), S3 (240, 59, 32), S4 (189, 0, 38). A value sits at
# t = value / maximum (clamped to 0..1) along four equal steps between them.


@pytest.mark.parametrize(
    ("value", "maximum", "rgb"),
    [
        (0, 10, [255, 255, 178]),  # S0
        (1, 10, [255, 235, 144]),  # 0.4 of S0 -> S1: 254.6, 234.6, 143.6
        (3, 10, [254, 191, 86]),  # 0.2 of S1 -> S2: 253.8, 191.4, 85.6
        (5, 10, [253, 141, 60]),  # S2
        (9, 10, [209, 24, 36]),  # 0.6 of S3 -> S4: 209.4, 23.6, 35.6
        (10, 10, [189, 0, 38]),  # S4
        (12, 10, [189, 0, 38]),  # above the maximum: S4
        (-3, 10, [255, 255, 178]),  # below zero: S0
        (4, 0, [255, 255, 178]),  # no maximum: S0
        (-5, -5, [255, 255, 178]),  # a maximum below zero: S0
        (0.5, 0.5, [189, 0, 38]),  # a maximum under one: S4 at the top
        (0.25, 1.0, [254, 204, 92]),  # S1
    ],
)
def test_sequential_colour_by_hand(value, maximum, rgb):
    assert sequential_colour(value, maximum) == [*rgb, 190]


def _unit(name="North A", events=1, attacks=1, bases=1, context=1, value=1):
    return {
        "name": name,
        "events": events,
        "attacks": attacks,
        "bases": bases,
        "context": context,
        "value": value,
    }


@pytest.mark.parametrize(
    ("unit", "measure", "expected"),
    [
        (_unit(), "events", "North A\n1 event — 1 attack, 1 base, 1 context"),
        (
            _unit(events=2, attacks=0, bases=2, context=1, value=None),
            "killed",
            "North A\nKilled (best estimate, else low figure): no figure\n"
            "2 events — 0 attacks, 2 bases, 1 context",
        ),
        (
            _unit(name="Two\nlines", events=1500, bases=1234, value=1234),
            "bases",
            "Two lines\nBases active: 1,234\n"
            "1,500 events — 1 attack, 1,234 bases, 1 context",
        ),
        (
            # Cut to 60 characters, the last an ellipsis.
            _unit(name="N" * 70),
            "events",
            "N" * 59 + "…\n1 event — 1 attack, 1 base, 1 context",
        ),
        (
            _unit(context=2, value=2),
            "context",
            "North A\nContext events: 2\n1 event — 1 attack, 1 base, 2 context",
        ),
    ],
)
def test_choropleth_tooltip(unit, measure, expected):
    summary = pd.DataFrame(
        [
            {
                "region_id": "AA-1",
                **{k: unit[k] for k in ("events", "attacks", "bases", "context")},
                "killed": unit["value"],
            }
        ]
    )
    if measure not in ("events", "killed"):
        summary[measure] = unit["value"]
    regions = REGIONS.assign(name=REGIONS["name"].replace("North A", unit["name"]))
    if unit["value"] is None:
        # A unit without a value is not coloured, so its tooltip is not made:
        # ask for the sentence through a unit that has one.
        summary["killed"] = pd.array([None], dtype="Int64")
        assert choropleth_frame(summary, regions, "admin1", measure).empty
        summary["killed"] = pd.array([1], dtype="Int64")
        expected = expected.replace("no figure", "1")
    frame = choropleth_frame(summary, regions, "admin1", measure)
    assert list(frame["tooltip"]) == [expected]


def test_choropleth_frame_keeps_units_with_a_value_sorted():
    summary = pd.DataFrame(
        {
            "region_id": ["BB-1", "", "AA-2", "AA-1"],
            "events": [3, 9, 1, 2],
            "attacks": [0, 0, 0, 0],
            "bases": [0, 0, 0, 0],
            "context": [3, 9, 1, 2],
            "killed": pd.array([6, 9, 0, None], dtype="Int64"),
        }
    )
    frame = choropleth_frame(summary, REGIONS, "admin1", "killed")
    # A marked row, a zero and an unknown value are not coloured.
    assert list(frame["region_id"]) == ["BB-1"]
    assert frame.crs == REGIONS.crs
    events = choropleth_frame(summary, REGIONS, "admin1", "events")
    assert list(events["region_id"]) == ["AA-1", "AA-2", "BB-1"]
    assert list(events.columns) == [
        "region_id",
        "name",
        "value",
        "fill",
        "tooltip",
        "geometry",
    ]
    assert list(events.index) == [0, 1, 2]
    assert list(events["name"]) == ["North A", "South A", "Only B"]
    assert list(events["value"]) == [2, 1, 3]
    # 3 is the maximum: 2/3 and 1/3 of the way, by hand from the stops.
    assert list(events["fill"]) == [
        [244, 86, 41, 190],  # 2/3 of S2 -> S3: 244.3, 86.3, 41.3
        [254, 183, 81, 190],  # 1/3 of S1 -> S2: 253.7, 183.0, 81.3
        [189, 0, 38, 190],
    ]


def test_choropleth_frame_refuses_an_unknown_measure():
    summary = summarise(tiny_events(), PLACES, REGIONS, "country")
    with pytest.raises(
        ValueError,
        match="^measure must be one of events, attacks, killed, bases, context$",
    ):
        choropleth_frame(summary, REGIONS, "country", "fatalities_best")


def test_choropleth_frame_simplifies_by_the_tolerance_given():
    notched = REGIONS.copy()
    # AA-1's outline with one more point, 0.01 off its right edge.
    notched.loc[notched["region_id"] == "AA-1", "geometry"] = shapely.Polygon(
        [(0, 0), (1, 0), (1.01, 1), (1, 2), (0, 2)]
    )
    summary = summarise(tiny_events(), PLACES, notched, "admin1")
    fine = choropleth_frame(summary, notched, "admin1", "events", tolerance=0.001)
    coarse = choropleth_frame(summary, notched, "admin1", "events", tolerance=0.1)
    assert len(fine.geometry.iloc[0].exterior.coords) == 6
    assert len(coarse.geometry.iloc[0].exterior.coords) == 5
    # The default is DISPLAY_TOLERANCE_DEG, 0.02: the notch goes.
    default = choropleth_frame(summary, notched, "admin1", "events")
    assert len(default.geometry.iloc[0].exterior.coords) == 5


def test_choropleth_deck_takes_the_view_basemap_and_layer_id():
    summary = summarise(tiny_events(), PLACES, REGIONS, "admin1")
    frame = choropleth_frame(summary, REGIONS, "admin1", "events")
    view = {"latitude": 1.0, "longitude": 2.0, "zoom": 3.0}
    deck = choropleth_deck(frame, view=view, basemap="world", layer_id="clicked")
    document = json.loads(deck.to_json())
    assert document["initialViewState"] == view
    assert document["mapStyle"] == "app/static/world/style.json"
    units, labels = document["layers"]
    assert (units["id"], labels["id"]) == ("clicked", "labels")
    assert units["getLineColor"] == [60, 60, 60, 200]
    assert units["lineWidthMinPixels"] == 1
    assert [r["region_id"] for r in units["data"]] == ["AA-1", "AA-2"]
    assert units["data"][0]["fill"] == [189, 0, 38, 190]
    # AA-1 is box(0, 0, 1, 2), whose ring starts at its lower right corner.
    assert units["data"][0]["polygon"] == [[[1, 0], [1, 2], [0, 2], [0, 0], [1, 0]]]
    assert deck._tooltip == {"text": "{tooltip}"}
    default = json.loads(choropleth_deck(frame).to_json())
    assert default["initialViewState"] == {
        "latitude": 36.5,
        "longitude": 68.5,
        "zoom": 3.7,
    }
    assert default["mapStyle"] == "app/static/style.json"
    assert default["layers"][0]["id"] == "region-choropleth"


def _point_event(n, precision, lon, lat, name="", start="2000-01-01"):
    return {
        "event_id": f"q{n}",
        "date_start": start,
        "date_end": start,
        "place_id": "",
        "geo_precision": precision,
        "lat": lat,
        "lon": lon,
        "place_name": name,
        "country": "BB" if lon > 2 else "AA",
    }


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (
            "admin1",
            [
                ("AA-1", "North A", "admin1", "AA", ""),
                (
                    "",
                    "My town",
                    "region",
                    "AA",
                    "coded at region level: the point stands for a wider area, "
                    "so its events are not assigned to one",
                ),
                (
                    "",
                    "A point coded at country level",
                    "country",
                    "BB",
                    "coded at country level: the point stands for a wider area, "
                    "so its events are not assigned to one",
                ),
                (
                    "",
                    "Outside the mapped admin-1 units",
                    "",
                    "",
                    "the place lies in none of the mapped admin-1 units",
                ),
                ("", "No place", "", "", "the source gives no place for these events"),
            ],
        ),
        (
            "valley",
            [
                (
                    "",
                    "My town",
                    "region",
                    "AA",
                    "coded at region level: the point stands for a wider area, "
                    "so its events are not assigned to it",
                ),
                (
                    "",
                    "A point coded at country level",
                    "country",
                    "BB",
                    "coded at country level: the point stands for a wider area, "
                    "so its events are not assigned to it",
                ),
                (
                    "",
                    "Outside the valley",
                    "",
                    "",
                    "the place does not lie in the valley",
                ),
                ("", "No place", "", "", "the source gives no place for these events"),
            ],
        ),
    ],
)
def test_marked_rows_of_points_say_why_and_have_no_country_of_their_own(
    level, expected
):
    events = make_events(
        [
            _point_event(0, "near", 0.25, 0.25),
            _point_event(1, "region", 0.25, 0.25, "My town"),
            _point_event(2, "country", 3.0, 1.0),
            _point_event(3, "exact", 10.0, 10.0),
            {**_point_event(4, "", 0.0, 0.0), "lat": None, "lon": None},
        ]
    )
    summary = summarise(events, PLACES, REGIONS, level)
    columns = ["region_id", "region", "coded_at", "country", "note"]
    assert [tuple(r) for r in summary[columns].itertuples(index=False)] == expected


def test_coarser_rows_of_one_name_are_in_the_order_of_their_points():
    # Two points named "A", both coded at region level: the row of the point at
    # latitude 0.25 comes first, whichever event comes first.
    events = make_events(
        [
            _point_event(0, "region", 0.25, 0.75, "A", "2001-01-01"),
            _point_event(1, "region", 0.25, 0.25, "A", "2002-01-01"),
            _point_event(2, "region", 0.25, 0.25, "A", "2003-01-01"),
        ]
    )
    for order in ([0, 1, 2], [2, 1, 0]):
        summary = summarise(events.iloc[order], PLACES, REGIONS, "admin1")
        assert [(r.region, r.events, r.first_event) for r in summary.itertuples()] == [
            ("A", 2, date(2002, 1, 1)),
            ("A", 1, date(2001, 1, 1)),
        ]


def test_fatality_sums_are_exact_past_float_precision():
    big = 2**53 + 1  # a float64 would hold 2**53
    events = make_events(
        [
            {
                "event_id": "b",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "place_id": "in",
                "geo_precision": "exact",
            },
            {
                "event_id": "c",
                "date_start": "2000-01-01",
                "date_end": "2000-01-01",
                "place_id": "in",
                "geo_precision": "exact",
            },
        ]
    )
    # Set here: make_events reads the figures through float64.
    events["fatalities_low"] = pd.array([big, big], dtype="Int64")
    events["fatalities_best"] = pd.array([big, None], dtype="Int64")
    events["fatalities_high"] = pd.array([big, None], dtype="Int64")
    row = summarise(events, PLACES, REGIONS, "country").iloc[0]
    assert int(row["fatalities_best"]) == 9007199254740993
    assert int(row["fatalities_low"]) == 18014398509481986
    assert int(row["fatalities_high"]) == 9007199254740993
    # The first event's best estimate and the second's low figure.
    assert int(row["killed"]) == 18014398509481986
    assert int(row["killed_low_only"]) == 9007199254740993


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (
            "admin1",
            [
                ("North A", "AA"),
                ("South A", "AA"),
                ("The Vale", "AA|BB"),
                ("Aland", "AA"),
                (OUTSIDE_LABELS["admin1"], ""),
                (NO_PLACE_LABEL, ""),
            ],
        ),
        (
            "valley",
            [
                ("The Vale", "AA|BB"),
                ("Province Two", "AA"),
                ("Aland", "AA"),
                (OUTSIDE_LABELS["valley"], ""),
                (NO_PLACE_LABEL, ""),
            ],
        ),
    ],
)
def test_each_row_has_the_country_of_its_unit_or_coarser_place(level, expected):
    summary = summarise(tiny_events(), PLACES, REGIONS, level)
    assert list(zip(summary["region"], summary["country"], strict=True)) == expected


def test_coarser_rows_go_from_the_finest_coding_to_an_unknown_one():
    def event(n, place, precision):
        return {
            "event_id": f"c{n}",
            "date_start": "2000-01-01",
            "date_end": "2000-01-01",
            "place_id": place,
            "geo_precision": precision,
        }

    events = make_events(
        [
            event(0, "aa", "district"),
            event(1, "aa", "country"),
            event(2, "vale", "province"),
            event(3, "aa", "region"),
            event(4, "in", "exact"),
        ]
    )
    summary = summarise(events, PLACES, REGIONS, "admin1")
    # Province, region and country by rank, then a coding with no rank.
    assert list(zip(summary["region"], summary["coded_at"], strict=True)) == [
        ("North A", "admin1"),
        ("The Vale", "province"),
        ("Aland", "region"),
        ("Aland", "country"),
        ("Aland", "district"),
    ]

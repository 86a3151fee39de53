"""A new facet is one row of ``tables/facets.csv``: every layer loops over it.

Each facet of :data:`imu_geo.facets.FACETS` must have a case below (a new row
fails :func:`test_every_facet_has_a_case` until it gets one), and each case is
held, on four hand-made events whose answers are worked out by hand, to the
same rows in the pandas mask, the time index and the engine's SQL; and the
facet must reach the link, the caption, the command-line options, the session
state and the sidebar.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from imu_geo.cli import build_parser, link_params
from imu_geo.engine import queries
from imu_geo.engine.duckdb import duckdb_sql
from imu_geo.facets import FACETS, FACETS_BY_NAME, Facet, _facet, sidebar_facets
from imu_geo.filters import (
    LINK_PARAMETERS,
    SEARCH_COLUMNS,
    FilterSpec,
    apply_filters,
    describe_counts,
    facet_choices,
    spec_from_query,
    spec_to_query,
)
from imu_geo.index import build_index, select
from imu_geo.ui.state import _STATE_KEYS
from tests.conftest import PROJECT_DIR

START, END = date(2000, 1, 1), date(2000, 1, 31)
WHOLE = FilterSpec(START, END)

# id, layer, event_type, attribution, actors, country, source type, sub-type.
ROWS = [
    ("e1", "attack", "bombing", "claimed", "IMU;Taliban", "UZ", "Battles", "Clash"),
    ("e2", "base", "group_base", "suspected", "IMU", "AF|PK", "", ""),
    ("e3", "context", "designation", "attributed", "Taliban", "PK", "Riots", "Battles"),
    ("e4", "attack", "raid", "claimed", "IMUX", "KG", "Riots", ""),
]
# The same events as the store keeps them: each multi-valued cell as its keys,
# delimited at both ends, written out by hand.
KEYS = {
    "e1": (";IMU;Taliban;", "|UZ|"),
    "e2": (";IMU;", "|AF|PK|"),
    "e3": (";Taliban;", "|PK|"),
    "e4": (";IMUX;", "|KG|"),
}

# Per facet: the values chosen, and the events that keep them (by hand).
CASES = {
    "layers": (("base", "context"), {"e2", "e3"}),
    "types": (("bombing", "raid"), {"e1", "e4"}),
    # An actor is a whole item: "IMUX" is not "IMU".
    "actors": (("IMU", "Taliban"), {"e1", "e2", "e3"}),
    "countries": (("KG", "PK"), {"e2", "e3", "e4"}),
    "attribution": (("claimed",), {"e1", "e4"}),
    # Either the type or the sub-type.
    "source_types": (("Battles",), {"e1", "e3"}),
}
# What each facet's choices are on those events, where they come from them.
FOUND = {
    "types": ("bombing", "designation", "group_base", "raid"),
    "actors": ("IMU", "IMUX", "Taliban"),
    "countries": ("AF", "KG", "PK", "UZ"),
    "source_types": ("Battles", "Clash", "Riots"),
}


def _events() -> pd.DataFrame:
    columns = [
        "event_id",
        "layer",
        "event_type",
        "attribution",
        "actors",
        "country",
        "source_event_type",
        "source_sub_event_type",
    ]
    events = pd.DataFrame(ROWS, columns=columns)
    events["date_start"] = pd.Timestamp(2000, 1, 10)
    events["date_end"] = pd.Timestamp(2000, 1, 12)
    for column in SEARCH_COLUMNS:
        if column not in events:
            events[column] = ""
    return events


def _store_table() -> pd.DataFrame:
    events = _events()
    table = events.drop(columns=["date_start", "date_end"])
    table.insert(0, "row_id", range(len(table)))
    table["day_start"] = (date(2000, 1, 10) - date(1970, 1, 1)).days
    table["day_end"] = (date(2000, 1, 12) - date(1970, 1, 1)).days
    table["actor_keys"] = [KEYS[i][0] for i in table["event_id"]]
    table["country_keys"] = [KEYS[i][1] for i in table["event_id"]]
    table["search"] = ""
    return table


def _spec(name: str) -> FilterSpec:
    values, _ = CASES[name]
    return FilterSpec(START, END, **{FACETS_BY_NAME[name].attribute: values})


def test_every_facet_has_a_case():
    assert set(CASES) == {facet.name for facet in FACETS}


def test_the_choices_found_are_the_events_values():
    assert facet_choices(_events()) == FOUND


@pytest.mark.parametrize("name", list(CASES))
def test_the_mask_the_index_and_the_sql_keep_the_same_events(name):
    spec, (_, wanted) = _spec(name), CASES[name]
    events = _events()
    assert set(apply_filters(events, spec)["event_id"]) == wanted
    assert set(apply_filters(events, WHOLE)["event_id"]) == set(KEYS)

    index = build_index(events)
    assert set(events["event_id"].iloc[select(index, spec)]) == wanted

    sql, params = queries.rows("events", spec, ["event_id"])
    with duckdb.connect() as connection:
        connection.register("events", _store_table())
        found = connection.execute(duckdb_sql(sql), params).fetchall()
    assert {row[1] for row in found} == wanted


@pytest.mark.parametrize("name", list(CASES))
def test_the_link_carries_the_facet_there_and_back(name):
    facet, spec = FACETS_BY_NAME[name], _spec(name)
    assert (facet.name, facet.option) in {(p.name, p.option) for p in LINK_PARAMETERS}
    query = spec_to_query(spec, WHOLE)
    assert query[name] == ",".join(CASES[name][0])
    back, warnings = spec_from_query(query, WHOLE, FOUND)
    assert (back, warnings) == (spec, [])


@pytest.mark.parametrize("name", list(CASES))
def test_each_command_takes_the_facets_option(name):
    facet = FACETS_BY_NAME[name]
    values = ",".join(CASES[name][0])
    for command in ("export", "summary", "render"):
        extra = ["-o", "x.png"] if command == "render" else []
        arguments = build_parser().parse_args([command, facet.option, values, *extra])
        assert link_params(arguments) == {name: values}


# How the caption writes each case; the layers are counted, not listed.
CAPTIONS = {
    "layers": "2 events — 0 bases, 0 context — from Jan 2000 to Jan 2000",
    "types": "(types: bombing, raid)",
    "actors": "(actors: IMU, Taliban)",
    "countries": "(countries: KG, PK)",
    "attribution": "(attribution: claimed)",
    "source_types": "(source types: Battles)",
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_caption_and_the_session_name_the_facet(name):
    assert set(CAPTIONS) == {facet.name for facet in FACETS}
    text = describe_counts(2, {}, _spec(name))
    assert text.endswith(CAPTIONS[name])
    assert _STATE_KEYS[name] == f"f_{name}"


# What the atlas's sidebar shows for a link choosing each facet; None where
# the atlas offers no choice and the widget is left out.
SIDEBAR = {
    "layers": ("attack", ["attack"]),
    "types": ("bombing", ["bombing"]),
    "actors": ("IMU,Taliban", ["IMU", "Taliban"]),
    "countries": ("UZ", ["UZ"]),
    "attribution": ("claimed", ["claimed"]),
    "source_types": None,
}


def test_the_sidebar_has_a_widget_per_facet_holding_the_links_values():
    assert set(SIDEBAR) == {facet.name for facet in FACETS}
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    for name, shown in SIDEBAR.items():
        if shown is not None:
            at.query_params[name] = shown[0]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    widgets = {w.key: w for w in at.sidebar.multiselect}
    for name, shown in SIDEBAR.items():
        key = _STATE_KEYS[name]
        if shown is None:
            assert key not in widgets
        else:
            assert widgets[key].label == FACETS_BY_NAME[name].label
            assert widgets[key].value == shown[1]


# --- the table's rows as facets, and a facet's own checks ---------------------------

# A row in the table's words, each field of the facet written out by hand beside it.
_ROW = {
    "name": "kinds",
    "attribute": "kinds_chosen",
    "option": "--kinds",
    "columns": "layer extra",
    "separator": "",
    "keys_column": "",
    "choices": "vocabulary",
    "default": "choices",
    "caption": "kinds",
    "always_in_link": "yes",
    "in_choice_order": "yes",
    "label": "Kinds",
    "placeholder": "",
    "value_labels": "layer",
    "sidebar_section": "display",
    "sidebar_rank": "7",
    "only_with_choices": "yes",
    "help": "one of {choices}",
    "hint": "",
}
_ROWS = [
    # Fixed choices (the layers' terms), all chosen by default, every flag set.
    (
        _ROW,
        Facet(
            name="kinds",
            attribute="kinds_chosen",
            option="--kinds",
            help="one of attack,base,context",
            columns=("layer", "extra"),
            label="Kinds",
            choices=("attack", "base", "context"),
            default=("attack", "base", "context"),
            caption="kinds",
            always_in_link=True,
            in_choice_order=True,
            value_labels="layer",
            sidebar_section="display",
            sidebar_rank=7,
            only_with_choices=True,
        ),
    ),
    # Choices found in the events, multi-valued, nothing chosen by default.
    (
        {
            **_ROW,
            "columns": "actors",
            "separator": ";",
            "keys_column": "actor_keys",
            "choices": "",
            "default": "",
            "caption": "",
            "always_in_link": "",
            "in_choice_order": "",
            "placeholder": "All of them",
            "value_labels": "option",
            "sidebar_section": "filters",
            "sidebar_rank": "12",
            "only_with_choices": "",
            "help": "list{choices}",
            "hint": "Who did it.",
        },
        Facet(
            name="kinds",
            attribute="kinds_chosen",
            option="--kinds",
            help="list",
            columns=("actors",),
            label="Kinds",
            separator=";",
            keys_column="actor_keys",
            placeholder="All of them",
            hint="Who did it.",
            value_labels="option",
            sidebar_rank=12,
        ),
    ),
    # Fixed choices with none chosen by default; "no" is not a flag's "yes".
    (
        {
            **_ROW,
            "columns": "attribution",
            "default": "",
            "always_in_link": "no",
            "in_choice_order": "",
            "only_with_choices": "no",
            "value_labels": "plain",
            "sidebar_section": "filters",
            "sidebar_rank": "0",
        },
        Facet(
            name="kinds",
            attribute="kinds_chosen",
            option="--kinds",
            help="one of claimed,attributed,suspected",
            columns=("attribution",),
            label="Kinds",
            choices=("claimed", "attributed", "suspected"),
            caption="kinds",
        ),
    ),
]


@pytest.mark.parametrize(("row", "expected"), _ROWS, ids=["fixed", "found", "none"])
def test_a_row_of_the_table_is_read_into_its_facet(row, expected):
    assert _facet(row) == expected


# Facet's arguments that break one of its checks, and the error written by hand.
_GOOD = {"name": "f", "attribute": "a", "option": "--f", "help": "", "label": "F"}
_BAD = [
    ({"columns": ()}, "facet f: no column"),
    (
        {"columns": ("a", "b"), "separator": ";", "keys_column": "k"},
        "facet f: a multi-valued facet reads one column and needs its keys column",
    ),
    (
        {"columns": ("a",), "separator": ";"},
        "facet f: a multi-valued facet reads one column and needs its keys column",
    ),
    (
        {"columns": ("a",), "in_choice_order": True},
        "facet f: choice order needs fixed choices",
    ),
    (
        {"columns": ("a",), "value_labels": "bold"},
        "facet f: labels one of ('plain', 'option', 'country', 'layer')",
    ),
    (
        {"columns": ("a",), "sidebar_section": "footer"},
        "facet f: section one of ('display', 'filters')",
    ),
]


@pytest.mark.parametrize(("arguments", "message"), _BAD)
def test_a_facet_that_cannot_work_is_refused(arguments, message):
    with pytest.raises(ValueError) as raised:
        Facet(**_GOOD, **arguments)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "arguments",
    [
        {"columns": ("a",), "separator": ";", "keys_column": "k"},
        {"columns": ("a",), "in_choice_order": True, "choices": ("x",)},
        {
            "columns": ("a", "b"),
            "value_labels": "country",
            "sidebar_section": "display",
        },
    ],
)
def test_a_facet_that_can_work_is_made(arguments):
    assert Facet(**_GOOD, **arguments).columns == arguments["columns"]


def test_a_facet_filters_when_its_values_differ_from_its_default():
    every = Facet(**_GOOD, columns=("a",), choices=("x", "y"), default=("x", "y"))
    assert not every.filters(["x", "y"])
    assert every.filters(["x"])
    assert every.filters([])
    none = Facet(**_GOOD, columns=("a",))
    assert not none.filters([])
    assert none.filters(["x"])


def test_a_facets_options_are_its_fixed_choices_else_those_found():
    found = {"f": ["p", "q"], "other": ["z"]}
    fixed = Facet(**_GOOD, columns=("a",), choices=("x", "y"))
    assert fixed.options(found) == ("x", "y")
    assert Facet(**_GOOD, columns=("a",)).options(found) == ("p", "q")
    assert Facet(**_GOOD, columns=("a",)).options({"other": ["z"]}) == ()


# The sidebar's sections, in the ranks tables/facets.csv gives (read by hand).
@pytest.mark.parametrize(
    ("section", "names"),
    [
        ("display", ("layers",)),
        (
            "filters",
            ("types", "source_types", "actors", "countries", "attribution"),
        ),
        ("elsewhere", ()),
    ],
)
def test_the_sidebar_sections_hold_their_facets_in_rank_order(section, names):
    assert tuple(facet.name for facet in sidebar_facets(section)) == names

"""The tables of words and columns kept as data (imu_geo.content)."""

from __future__ import annotations

import pytest

from imu_geo.content import COLUMN_KINDS, table_columns
from imu_geo.schema import EVENT_COLUMNS, SOURCE_EVENT_COLUMNS

# The Map page's table, as a reader sees it: column, heading, kind, width.
EVENTS_TABLE = [
    ("date_start", "From", "date", ""),
    ("date_end", "To", "date", ""),
    ("date_precision", "Date precision", "text", ""),
    ("layer", "Layer", "text", ""),
    ("event_type", "Type", "text", ""),
    ("source_event_type", "Source type", "text", ""),
    ("source_sub_event_type", "Source sub-type", "text", ""),
    ("title", "Title", "text", "large"),
    ("place_name", "Place", "text", ""),
    ("geo_precision", "Place precision", "text", ""),
    ("fatalities_best", "Killed (best)", "number", ""),
    ("attribution", "Attribution", "text", ""),
    ("event_id", "Id", "text", ""),
]


def _as_tuples(table: str) -> list[tuple[str, str, str, str]]:
    return [
        (row["column"], row["label"], row["kind"], row["width"])
        for row in table_columns(table)
    ]


def test_the_map_table_shows_its_columns_in_order_with_their_headings():
    assert _as_tuples("events") == EVENTS_TABLE


def test_the_sources_table_quotes_the_source_in_a_wide_column():
    rows = _as_tuples("sources")
    assert rows[0] == ("event_id", "Id", "text", "")
    assert ("source_quote", "Source quote (verbatim)", "text", "large") in rows
    assert ("notes", "Notes", "text", "large") in rows
    assert len(rows) == 12


@pytest.mark.parametrize("table", ["events", "sources"])
def test_every_column_is_an_event_column_shown_once_in_a_known_kind(table):
    rows = table_columns(table)
    columns = [row["column"] for row in rows]
    assert len(columns) == len(set(columns))
    # place_name is joined from the event's place when the data is loaded.
    known = set(EVENT_COLUMNS) | set(SOURCE_EVENT_COLUMNS) | {"place_name"}
    assert set(columns) <= known
    assert {row["kind"] for row in rows} <= set(COLUMN_KINDS)
    assert all(row["label"].strip() for row in rows)


def test_an_unknown_table_is_refused():
    with pytest.raises(ValueError, match="no table of columns named 'nope'"):
        table_columns("nope")

"""The Sources & method page: every event's quote, the vocabularies, the credits."""

import pandas as pd

from imu_geo.data import load_dataset
from imu_geo.method import DEFINITIONS, VOCABULARIES, vocabulary_table
from imu_geo.text import escape_markdown
from tests.helpers import make_events, open_page


def test_every_vocabulary_value_has_a_definition():
    for column, values in VOCABULARIES.items():
        assert set(DEFINITIONS[column]) == set(values), column


def test_vocabulary_table_counts_and_examples():
    events = load_dataset().events
    table = vocabulary_table(events, "attribution").set_index("value")
    counts = events["attribution"].value_counts()
    assert table["events"].to_dict() == {
        value: int(counts.get(value, 0)) for value in VOCABULARIES["attribution"]
    }
    # The first claimed row by date: the IMU's own public call (from 1997).
    assert table.loc["claimed", "example"].startswith(
        "1997-imu-calls-for-overthrow-of-uzbek-government: "
    )


def test_the_example_is_the_first_event_by_date_then_id():
    events = make_events(
        [
            # The earliest claimed events share a day: the smaller id is the example,
            # though a later event has a smaller id still and the list is unsorted.
            {
                "event_id": "m",
                "date_start": "2001-05-02",
                "date_end": "2001-05-02",
                "attribution": "claimed",
                "title": "Second of the day",
            },
            {
                "event_id": "a",
                "date_start": "2003-01-01",
                "date_end": "2003-01-01",
                "attribution": "claimed",
                "title": "Later",
            },
            {
                "event_id": "k",
                "date_start": "2001-05-02",
                "date_end": "2001-09-30",
                "attribution": "claimed",
                "title": "First of the day",
            },
            {
                "event_id": "z",
                "date_start": "1999-01-01",
                "date_end": "1999-01-01",
                "attribution": "suspected",
                "title": "Only suspected one",
            },
        ]
    )
    table = vocabulary_table(events, "attribution").set_index("value")
    assert table.loc["claimed", "example"] == "k: First of the day"
    assert table.loc["claimed", "events"] == 3
    assert table.loc["suspected", "example"] == "z: Only suspected one"
    assert table.loc["attributed", "example"] == ""
    assert table.loc["attributed", "events"] == 0


def test_page_lists_the_filtered_events_with_their_quotes():
    at = open_page(
        "views/sources.py",
        alone=True,
        start="2014-01-01",
        end="2014-12-31",
        layers="attack",
    )
    quotes = at.dataframe[0].value
    assert list(quotes["event_id"]) == ["2014-06-karachi-airport-attack"]
    assert "Karachi airport attack in June 2014" in quotes["source_quote"].iloc[0]
    assert [h.value for h in at.main.header] == [
        "Events and their sources",
        "How sure: the vocabularies",
        "What other datasets cover",
        "Credits",
    ]
    assert "GeoNames (geonames.org), CC BY 4.0" in at.markdown[-1].value
    # The vocabularies and the other datasets are static tables, read in full
    # (their cells wrap, never cut); the counts are the whole dataset's.
    precision = at.table[0].value
    assert list(precision.columns) == [
        "Value",
        "Meaning",
        "Events in the dataset",
        "First example",
    ]
    events = load_dataset().events
    assert precision["Events in the dataset"].sum() == len(events) > len(quotes)
    assert precision["Meaning"].iloc[0] == escape_markdown(
        DEFINITIONS["date_precision"]["day"]
    )
    others = at.table[-1].value
    assert list(others.columns) == ["Dataset", "Covers", "Silent here"]
    assert others["Dataset"].iloc[0] == "ACLED"


def test_a_vocabulary_table_reads_only_its_own_column():
    # Only what the attribution table needs: no other vocabulary's column.
    events = pd.DataFrame(
        {
            "event_id": ["s2", "c1", "s1"],
            "date_start": pd.to_datetime(["2001-03-01", "2000-05-01", "2001-03-01"]),
            "attribution": ["suspected", "claimed", "suspected"],
            "title": ["Second", "Claimed", "First"],
        }
    )
    table = vocabulary_table(events, "attribution")
    # The meanings as tables/vocabulary.csv words them.
    expected = pd.DataFrame(
        {
            "value": ["claimed", "attributed", "suspected"],
            "meaning": [
                "The IMU itself claimed or announced it.",
                "The source states it as fact, or a government attributes it flatly.",
                "Hedged ('believed', 'apparently', 'implicated'), or the IMU is not "
                "named in the sentence.",
            ],
            "events": [1, 0, 2],
            "example": ["c1: Claimed", "", "s1: First"],
        }
    )
    pd.testing.assert_frame_equal(table, expected)

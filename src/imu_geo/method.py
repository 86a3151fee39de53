"""How the atlas knows what it shows: vocabularies in words, and other datasets.

The Sources & method page and the data documentation both draw on these tables, so
the words a reader sees in the app are the ones the data was curated by.
"""

from __future__ import annotations

import pandas as pd

from imu_geo.content import table_rows
from imu_geo.dates import DATE_PRECISIONS
from imu_geo.schema import (
    ATTRIBUTIONS,
    DATE_ORIGINS,
    GEO_PRECISIONS,
    PLACE_ORIGINS,
)

# Each vocabulary term in words (tables/vocabulary.csv), by column.
DEFINITIONS: dict[str, dict[str, str]] = {}
for _row in table_rows("vocabulary.csv"):
    DEFINITIONS.setdefault(_row["column"], {})[_row["value"]] = _row["meaning"]
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "date_precision": DATE_PRECISIONS,
    "date_origin": DATE_ORIGINS,
    "geo_precision": GEO_PRECISIONS,
    "place_origin": PLACE_ORIGINS,
    "attribution": ATTRIBUTIONS,
}

# What each dataset covers and where it is silent on the IMU
# (tables/other_datasets.csv).
OTHER_DATASETS = pd.DataFrame(list(table_rows("other_datasets.csv")))


def vocabulary_table(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """Each value of a vocabulary with its definition, its count and an example.

    The example is the first event (by date) that uses the value, so a reader can
    look it up; values no event uses are listed with a count of 0.
    """
    return vocabulary_tables(events, (column,))[column]


def vocabulary_tables(
    events: pd.DataFrame, columns: tuple[str, ...] = tuple(VOCABULARIES)
) -> dict[str, pd.DataFrame]:
    """:func:`vocabulary_table` for several columns."""
    tables = {}
    for column in columns:
        counts = events[column].value_counts()
        firsts = _first_events(events, column)
        rows = []
        for value in VOCABULARIES[column]:
            first = firsts.get(value)
            rows.append(
                {
                    "value": value,
                    "meaning": DEFINITIONS[column][value],
                    "events": int(counts.get(value, 0)),
                    "example": f"{first[0]}: {first[1]}" if first else "",
                }
            )
        tables[column] = pd.DataFrame(rows)
    return tables


def _first_events(events: pd.DataFrame, column: str) -> dict[str, tuple[str, str]]:
    """Per value of ``column``, the ``(event_id, title)`` of its first event by
    ``date_start``, then ``event_id``.

    Only the events on each value's first day are sorted: sorting a million
    events by their text ids cost seconds when a store was written."""
    frame = events[[column, "date_start", "event_id", "title"]]
    first_day = frame.groupby(column, sort=False)["date_start"].transform("min")
    earliest = frame[frame["date_start"] == first_day]
    earliest = earliest.sort_values("event_id").drop_duplicates(column)
    return {
        value: (event_id, title)
        for value, event_id, title in zip(
            earliest[column], earliest["event_id"], earliest["title"], strict=True
        )
    }


SOURCE_COLUMNS: tuple[str, ...] = (
    "event_id",
    "date_start",
    "date_end",
    "title",
    "source_quote",
    "date_precision",
    "date_origin",
    "place_name",
    "geo_precision",
    "place_origin",
    "attribution",
    "notes",
)

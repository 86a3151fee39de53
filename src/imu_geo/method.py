"""How the atlas knows what it shows: vocabularies in words, and other datasets.

The Sources & method page and the data documentation both draw on these tables, so
the words a reader sees in the app are the ones the data was curated by.
"""

from __future__ import annotations

import pandas as pd

from imu_geo.dates import DATE_PRECISIONS
from imu_geo.schema import (
    ATTRIBUTIONS,
    DATE_ORIGINS,
    GEO_PRECISIONS,
    PLACE_ORIGINS,
)

DEFINITIONS: dict[str, dict[str, str]] = {
    "date_precision": {
        "day": "The text gives the day.",
        "month": "The text gives the month: the whole month is the interval.",
        "season": "A season: spring Mar-May, summer Jun-Aug, autumn Sep-Nov, "
        "winter Dec-Feb.",
        "year": "Only the year: 1 January to 31 December.",
        "range": "An explicit span, such as 1992-1997, or since X until the page date.",
        "approximate": "Words such as early/mid/late (Jan-Apr, May-Aug, Sep-Dec), "
        "'around 1998' (1997-1999), 'late 1990s' (1997-1999).",
    },
    "date_origin": {
        "source": "The text states the date.",
        "derived": "Computed from a relative expression in the text, such as "
        "'last November' in a September 2002 paragraph.",
        "assumed": "A bound the text does not give, set by a documented convention; "
        "the notes say which.",
    },
    "geo_precision": {
        "exact": "The point is the event's site (e.g. the airport).",
        "near": "In or near the named town; the point is the town (within ~25 km).",
        "district": "A district; the point stands for it.",
        "province": "A first-level unit (province, region, oblast).",
        "region": "A region of several units, such as the Ferghana Valley.",
        "country": "Only the country is known.",
    },
    "place_origin": {
        "source": "The quoted text names the place.",
        "inferred": "Deduced from the text's context; the notes say how.",
        "reference": "Not in the text: taken from the reference gazetteer's notes.",
    },
    "attribution": {
        "claimed": "The IMU itself claimed or announced it.",
        "attributed": "The source states it as fact, or a government attributes it "
        "flatly.",
        "suspected": "Hedged ('believed', 'apparently', 'implicated'), or the IMU "
        "is not named in the sentence.",
    },
}
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "date_precision": DATE_PRECISIONS,
    "date_origin": DATE_ORIGINS,
    "geo_precision": GEO_PRECISIONS,
    "place_origin": PLACE_ORIGINS,
    "attribution": ATTRIBUTIONS,
}

OTHER_DATASETS = pd.DataFrame(
    [
        {
            "dataset": "ACLED",
            "covers": "Political violence and protest events, coded weekly.",
            "silent here": "Starts in 2017 for Afghanistan and 2018 for Central Asia: "
            "nothing of the IMU's history before then.",
        },
        {
            "dataset": "UCDP GED",
            "covers": "Organised violence events with best/low/high death counts.",
            "silent here": "Keeps only conflicts and actors above 25 battle-related "
            "deaths in a year: hostage-takings, foiled plots and small raids fall out.",
        },
        {
            "dataset": "GTD",
            "covers": "Terrorist attacks since 1970.",
            "silent here": "Has no 1993 data, and records attacks only: no bases, "
            "alliances, designations or state offensives.",
        },
        {
            "dataset": "This atlas",
            "covers": "Attacks, bases and context of the IMU, 1991-2015, from one "
            "source text, each row quoting it.",
            "silent here": "Only what that one text says; its vagueness is kept as "
            "wide date intervals and coarse places.",
        },
    ]
)


def vocabulary_table(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """Each value of a vocabulary with its definition, its count and an example.

    The example is the first event (by date) that uses the value, so a reader can
    look it up; values no event uses are listed with a count of 0.
    """
    return vocabulary_tables(events, (column,))[column]


def vocabulary_tables(
    events: pd.DataFrame, columns: tuple[str, ...] = tuple(VOCABULARIES)
) -> dict[str, pd.DataFrame]:
    """:func:`vocabulary_table` for several columns, sorting the events once."""
    # Sort only the columns used: sorting a large frame copies every column.
    used = list(dict.fromkeys(["date_start", "event_id", "title", *columns]))
    ordered = events[used].sort_values(["date_start", "event_id"])
    tables = {}
    for column in columns:
        counts = ordered[column].value_counts()
        firsts = ordered.drop_duplicates(column).set_index(column)
        rows = []
        for value in VOCABULARIES[column]:
            first = firsts.loc[value] if value in firsts.index else None
            rows.append(
                {
                    "value": value,
                    "meaning": DEFINITIONS[column][value],
                    "events": int(counts.get(value, 0)),
                    "example": (
                        f"{first['event_id']}: {first['title']}"
                        if first is not None
                        else ""
                    ),
                }
            )
        tables[column] = pd.DataFrame(rows)
    return tables


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

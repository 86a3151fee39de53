"""What pages show about events (``imu_geo.views``): the table's columns, the
detail panel's text, the reason of a failed upload and the table's caption.

Every expected text is written out by hand, escapes and all.
"""

from __future__ import annotations

import pandas as pd
import pytest

from imu_geo.views import (
    TABLE_COLUMNS,
    EventDetails,
    event_details,
    table_columns,
    table_page_caption,
    upload_failure,
)

OURS_BEFORE_TYPES = ("date_start", "date_end", "date_precision", "layer", "event_type")
OURS_AFTER_TYPES = (
    "title",
    "place_name",
    "geo_precision",
    "fatalities_best",
    "attribution",
    "event_id",
)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["event_id", "title"], OURS_BEFORE_TYPES + OURS_AFTER_TYPES),
        (
            ["event_id", "source_event_type"],
            OURS_BEFORE_TYPES + ("source_event_type",) + OURS_AFTER_TYPES,
        ),
        (
            ["source_sub_event_type", "event_id"],
            OURS_BEFORE_TYPES + ("source_sub_event_type",) + OURS_AFTER_TYPES,
        ),
        (
            ["source_sub_event_type", "source_event_type"],
            OURS_BEFORE_TYPES
            + ("source_event_type", "source_sub_event_type")
            + OURS_AFTER_TYPES,
        ),
    ],
)
def test_table_columns_put_the_sources_types_after_ours(columns, expected):
    assert table_columns(pd.DataFrame(columns=columns)) == expected
    assert TABLE_COLUMNS == OURS_BEFORE_TYPES + OURS_AFTER_TYPES


def _row(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "event_id": "e1",
        "title": "First",
        "place_name": "Osh",
        "date_start": pd.Timestamp("1999-08-11"),
        "date_end": pd.Timestamp("1999-08-11"),
        "date_precision": "day",
        "date_origin": "source",
        "geo_precision": "town",
        "place_origin": "",
        "actors": "IMU",
        "target": "",
        "fatalities_low": float("nan"),
        "fatalities_best": float("nan"),
        "fatalities_high": float("nan"),
        "attribution": "claimed",
        "layer": "attack",
        "event_type": "raid",
        "description": "A raid",
        "source_quote": "They came",
        "source": "Report",
        "notes": "",
    }
    return row | values


FULL = _row(
    event_id="e2",
    title="*Raid* on [Sari Pul]",
    place_name="Sari Pul",
    date_start=pd.Timestamp("1999-08-11"),
    date_end=pd.Timestamp("1999-08-13"),
    date_precision="day",
    date_origin="reported",
    geo_precision="village",
    place_origin="geocoded",
    actors="IMU fighters",
    target="police post",
    fatalities_low=3,
    fatalities_best=5,
    fatalities_high=9,
    attribution="attributed",
    layer="attack",
    event_type="armed_clash",
    description="They came # at night",
    source_quote="We held _the_ road",
    source="Report one",
    notes="Checked twice!",
)
BARE = _row(event_id="e3", place_name="", geo_precision="", title="Bare")
EVENTS = pd.DataFrame([_row(), FULL, BARE])


def test_event_details_of_an_event_with_every_field():
    assert event_details(EVENTS, "e2") == EventDetails(
        event_id="e2",
        title=r"\*Raid\* on \[Sari Pul\]",
        facts=(
            r"**When:** 1999\-08\-11 – 1999\-08\-13 \(day\) · date origin: reported"
            "  \n"
            "**Where:** Sari Pul · precision village · place origin: geocoded"
            "  \n"
            "**Who:** IMU fighters · target: police post"
            "  \n"
            r"**Fatalities:** 5 \(range 3–9\) · attribution: attributed"
            "  \n"
            r"**Layer:** attack · armed\_clash · id e2"
        ),
        description=r"They came \# at night",
        quote=r"> We held \_the\_ road",
        citation="Source: Report one",
        notes=r"Notes: Checked twice\!",
    )


def test_event_details_of_an_event_with_no_optional_fields():
    assert event_details(EVENTS, "e3") == EventDetails(
        event_id="e3",
        title="Bare",
        facts=(
            r"**When:** 1999\-08\-11 \(day\) · date origin: source"
            "  \n"
            "**Where:** no place · precision none"
            "  \n"
            "**Who:** IMU"
            "  \n"
            "**Fatalities:** unknown · attribution: claimed"
            "  \n"
            "**Layer:** attack · raid · id e3"
        ),
        description="A raid",
        quote="> They came",
        citation="Source: Report",
        notes="",
    )


def test_event_details_take_the_first_row_of_a_repeated_id():
    twice = pd.DataFrame([_row(title="Older"), FULL, _row(title="Newer")])
    details = event_details(twice, "e1")
    assert details is not None
    assert details.title == "Older"


@pytest.mark.parametrize("event_id", [None, "", "e9"])
def test_event_details_of_no_event_are_none(event_id):
    assert event_details(EVENTS, event_id) is None


REFERENCE = (
    " Nothing was changed. The server's log has the details under reference ab12cd34."
)


@pytest.mark.parametrize(
    ("name", "stage", "error", "expected"),
    [
        (
            "a.csv",
            "read",
            MemoryError(),
            "a.csv could not be read from the upload.",
        ),
        (
            "a.csv",
            "import",
            MemoryError("big"),
            "a.csv needs more memory than this server can give one file.",
        ),
        (
            "a.csv",
            "dataset",
            MemoryError(),
            "a.csv needs more memory than this server can give one file.",
        ),
        (
            "a.parquet",
            "import",
            OSError("  bad\nfooter  "),
            "a.parquet could not be read (bad footer).",
        ),
        (
            "a.parquet",
            "import",
            ValueError("not a table"),
            "a.parquet could not be read (not a table).",
        ),
        ("a.parquet", "import", OSError(), "a.parquet could not be read (OSError)."),
        (
            "a.parquet",
            "import",
            ValueError("   "),
            "a.parquet could not be read (ValueError).",
        ),
        (
            "a.parquet",
            "import",
            OSError("x" * 121),
            "a.parquet could not be read (" + "x" * 119 + "…).",
        ),
        (
            "a.parquet",
            "import",
            OSError("x" * 120),
            "a.parquet could not be read (" + "x" * 120 + ").",
        ),
        (
            "a.parquet",
            "import",
            TypeError("secret path"),
            "a.parquet could not be imported because of an unexpected error.",
        ),
        (
            "a.csv",
            "dataset",
            ValueError("secret path"),
            "a.csv was read, but its events could not be prepared for the map.",
        ),
        (
            "n" * 81,
            "read",
            OSError(),
            "n" * 79 + "… could not be read from the upload.",
        ),
        (
            "two\nlines.csv",
            "read",
            OSError(),
            "two lines.csv could not be read from the upload.",
        ),
    ],
)
def test_upload_failure_reasons(name, stage, error, expected):
    assert upload_failure(name, stage, error, "ab12cd34") == expected + REFERENCE


@pytest.mark.parametrize(
    ("first", "shown", "total", "expected"),
    [
        (1, 50, 50, ""),
        (1, 50, 40, ""),
        (1, 50, 51, "events 1–50 of 51"),
        (51, 50, 120, "events 51–100 of 120"),
        (2, 50, 10, "events 2–51 of 10"),
        (1001, 50, 12345, "events 1,001–1,050 of 12,345"),
    ],
)
def test_table_page_caption(first, shown, total, expected):
    caption = table_page_caption(first, shown, total)
    if not expected:
        assert caption == ""
    else:
        assert caption == (
            f"The table shows {expected} in date order (Previous and Next move "
            "through them); the downloads below hold all of them."
        )
